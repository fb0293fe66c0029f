// Workloads and their PodDisruptionBudgets: the example pack written three
// times (Rust, Python, JavaScript) to show that the languages give the same
// findings. Both rules look at several resources of one file at once.

import { Pack, Severity } from "./rampart_policy.js";

export const pack = new Pack({
  name: "pdb-example",
  version: "0.1.0",
  description: "Workloads and their PodDisruptionBudgets (the rampart example pack).",
});

/** The workload kinds whose pods a PodDisruptionBudget protects. */
const WORKLOADS = ["Deployment", "StatefulSet"];

const kind = (resource) => resource.root.get("kind").str ?? "";
const name = (resource) => resource.at("/metadata/name").str ?? "?";
/** The namespace, `default` when the manifest names none. */
const namespace = (resource) => resource.at("/metadata/namespace").str ?? "default";

/** `spec.replicas`, 1 when unset (the API server's default). */
function replicas(resource) {
  const value = resource.at("/spec/replicas").value;
  return Number.isInteger(value) ? value : 1;
}

/**
 * Whether a label selector selects pods labelled `labels`, with the
 * semantics of `policy/v1`: no selector selects nothing, `{}` everything.
 */
function selects(selector, labels) {
  if (!selector.isObject) return false;
  const label = (key) => labels.get(key).str;
  for (const [key, value] of selector.get("matchLabels").entries()) {
    if (value.str === undefined || label(key) !== value.str) return false;
  }
  for (const expr of selector.get("matchExpressions")) {
    const actual = label(expr.get("key").str ?? "");
    const values = expr.get("values").items().map((v) => v.str).filter((v) => v !== undefined);
    let ok;
    switch (expr.get("operator").str) {
      case "In":
        ok = actual !== undefined && values.includes(actual);
        break;
      case "NotIn":
        ok = !(actual !== undefined && values.includes(actual));
        break;
      case "Exists":
        ok = actual !== undefined;
        break;
      case "DoesNotExist":
        ok = actual === undefined;
        break;
      default:
        ok = false;
    }
    if (!ok) return false;
  }
  return true;
}

/** Whether `pdb` protects the pods of `workload`. */
function protects(pdb, workload) {
  return (
    kind(pdb) === "PodDisruptionBudget" &&
    namespace(pdb) === namespace(workload) &&
    selects(pdb.at("/spec/selector"), workload.at("/spec/template/metadata/labels"))
  );
}

pack.rule(
  {
    id: "EX-PDB-001",
    title: "Replicated workload without a PodDisruptionBudget",
    description:
      "A Deployment or StatefulSet with two or more replicas and no " +
      "PodDisruptionBudget selecting its pods in the same file: a node drain " +
      "or cluster upgrade may evict every replica at once.",
    severity: Severity.MEDIUM,
    remediation:
      "Add a PodDisruptionBudget in the same namespace whose selector " + "matches the pod template's labels.",
    tags: ["availability", "example"],
    kinds: ["k8s"],
  },
  function workloadWithoutPdb(resource, cx) {
    if (!WORKLOADS.includes(kind(resource)) || replicas(resource) < 2) return;
    if (cx.batch.some((pdb) => protects(pdb, resource))) return;
    cx.report(
      "/spec/replicas",
      `${kind(resource)} \`${name(resource)}\` runs ${replicas(resource)} replicas and no ` +
        "PodDisruptionBudget in this file selects its pods: a node drain can evict them all at once",
      {
        fix: "add a PodDisruptionBudget whose selector matches the pod template's labels, with `maxUnavailable: 1`",
      },
    );
  },
);

/** A `minAvailable` / `maxUnavailable` value as written: `3` or `50%`. */
const shown = (value) => (typeof value === "string" ? value : String(value));

const FIX = "allow one disruption: `maxUnavailable: 1`, or a `minAvailable` below the replica count";

pack.rule(
  {
    id: "EX-PDB-002",
    title: "PodDisruptionBudget blocks every eviction",
    description:
      "`maxUnavailable: 0`, `minAvailable: 100%`, or a `minAvailable` at least " +
      "the replica count of the workload it selects: no pod may ever be " +
      "evicted, so node drains never finish.",
    severity: Severity.MEDIUM,
    remediation: "Allow at least one disruption.",
    tags: ["availability", "example"],
    kinds: ["k8s"],
  },
  function pdbBlocksEviction(resource, cx) {
    if (kind(resource) !== "PodDisruptionBudget") return;
    const spec = resource.root.get("spec");
    const maxUnavailable = spec.get("maxUnavailable");
    if (maxUnavailable.exists) {
      if (["0", "0%"].includes(shown(maxUnavailable.value))) {
        cx.report(
          maxUnavailable,
          `PodDisruptionBudget \`${name(resource)}\` allows no voluntary eviction ` +
            `(\`maxUnavailable: ${shown(maxUnavailable.value)}\`): node drains will hang`,
          { fix: FIX },
        );
      }
      return;
    }
    const minAvailable = spec.get("minAvailable");
    if (!minAvailable.exists) return;
    if (shown(minAvailable.value) === "100%") {
      cx.report(
        minAvailable,
        `PodDisruptionBudget \`${name(resource)}\` allows no voluntary eviction ` +
          "(`minAvailable: 100%`): node drains will hang",
        { fix: FIX },
      );
      return;
    }
    const minimum = minAvailable.value;
    if (!Number.isInteger(minimum)) return;
    const blocked = cx.batch.find(
      (workload) => WORKLOADS.includes(kind(workload)) && protects(resource, workload) && replicas(workload) <= minimum,
    );
    if (blocked !== undefined) {
      cx.report(
        minAvailable,
        `PodDisruptionBudget \`${name(resource)}\` requires ${minimum} available pods but ` +
          `${kind(blocked)} \`${name(blocked)}\` runs ${replicas(blocked)} replicas: node drains will hang`,
        { fix: FIX },
      );
    }
  },
);
