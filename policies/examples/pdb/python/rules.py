"""Workloads and their PodDisruptionBudgets: the example pack written three
times (Rust, Python, JavaScript) to show that the languages give the same
findings. Both rules look at several resources of one file at once."""

from rampart_policy import Pack, Severity

pack = Pack(
    "pdb-example",
    "0.1.0",
    "Workloads and their PodDisruptionBudgets (the rampart example pack).",
)

#: The workload kinds whose pods a PodDisruptionBudget protects.
WORKLOADS = ("Deployment", "StatefulSet")


def kind(resource):
    return resource.root["kind"].str or ""


def name(resource):
    return resource.at("/metadata/name").str or "?"


def namespace(resource):
    """The namespace, `default` when the manifest names none."""
    return resource.at("/metadata/namespace").str or "default"


def replicas(resource):
    """`spec.replicas`, 1 when unset (the API server's default)."""
    value = resource.at("/spec/replicas").value
    return value if isinstance(value, int) and not isinstance(value, bool) else 1


def selects(selector, labels):
    """Whether a label selector selects pods labelled `labels`, with the
    semantics of `policy/v1`: no selector selects nothing, `{}` everything."""
    if not selector.is_object:
        return False

    def label(key):
        return labels[key].str

    for key, value in selector["matchLabels"].entries():
        if value.str is None or label(key) != value.str:
            return False
    for expr in selector["matchExpressions"]:
        actual = label(expr["key"].str or "")
        values = [v.str for v in expr["values"] if v.str is not None]
        operator = expr["operator"].str
        if operator == "In":
            ok = actual is not None and actual in values
        elif operator == "NotIn":
            ok = not (actual is not None and actual in values)
        elif operator == "Exists":
            ok = actual is not None
        elif operator == "DoesNotExist":
            ok = actual is None
        else:
            ok = False
        if not ok:
            return False
    return True


def protects(pdb, workload):
    """Whether `pdb` protects the pods of `workload`."""
    return (
        kind(pdb) == "PodDisruptionBudget"
        and namespace(pdb) == namespace(workload)
        and selects(pdb.at("/spec/selector"), workload.at("/spec/template/metadata/labels"))
    )


@pack.rule(
    id="EX-PDB-001",
    title="Replicated workload without a PodDisruptionBudget",
    description="A Deployment or StatefulSet with two or more replicas and no "
    "PodDisruptionBudget selecting its pods in the same file: a node drain "
    "or cluster upgrade may evict every replica at once.",
    severity=Severity.MEDIUM,
    remediation="Add a PodDisruptionBudget in the same namespace whose selector "
    "matches the pod template's labels.",
    tags=["availability", "example"],
    kinds=["k8s"],
)
def workload_without_pdb(resource, cx):
    if kind(resource) not in WORKLOADS or replicas(resource) < 2:
        return
    if any(protects(pdb, resource) for pdb in cx.batch):
        return
    cx.report(
        "/spec/replicas",
        f"{kind(resource)} `{name(resource)}` runs {replicas(resource)} replicas and no "
        "PodDisruptionBudget in this file selects its pods: a node drain can evict them all at once",
        fix="add a PodDisruptionBudget whose selector matches the pod template's labels, "
        "with `maxUnavailable: 1`",
    )


def shown(value):
    """A `minAvailable` / `maxUnavailable` value as written: `3` or `50%`."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


FIX = "allow one disruption: `maxUnavailable: 1`, or a `minAvailable` below the replica count"


@pack.rule(
    id="EX-PDB-002",
    title="PodDisruptionBudget blocks every eviction",
    description="`maxUnavailable: 0`, `minAvailable: 100%`, or a `minAvailable` at least "
    "the replica count of the workload it selects: no pod may ever be "
    "evicted, so node drains never finish.",
    severity=Severity.MEDIUM,
    remediation="Allow at least one disruption.",
    tags=["availability", "example"],
    kinds=["k8s"],
)
def pdb_blocks_eviction(resource, cx):
    if kind(resource) != "PodDisruptionBudget":
        return
    spec = resource.root["spec"]
    max_unavailable = spec["maxUnavailable"]
    if max_unavailable.exists:
        if shown(max_unavailable.value) in ("0", "0%"):
            cx.report(
                max_unavailable,
                f"PodDisruptionBudget `{name(resource)}` allows no voluntary eviction "
                f"(`maxUnavailable: {shown(max_unavailable.value)}`): node drains will hang",
                fix=FIX,
            )
        return
    min_available = spec["minAvailable"]
    if not min_available.exists:
        return
    if shown(min_available.value) == "100%":
        cx.report(
            min_available,
            f"PodDisruptionBudget `{name(resource)}` allows no voluntary eviction "
            "(`minAvailable: 100%`): node drains will hang",
            fix=FIX,
        )
        return
    minimum = min_available.value
    if not isinstance(minimum, int) or isinstance(minimum, bool):
        return
    for workload in cx.batch:
        if kind(workload) in WORKLOADS and protects(resource, workload) and replicas(workload) <= minimum:
            cx.report(
                min_available,
                f"PodDisruptionBudget `{name(resource)}` requires {minimum} available pods but "
                f"{kind(workload)} `{name(workload)}` runs {replicas(workload)} replicas: node drains will hang",
                fix=FIX,
            )
            return
