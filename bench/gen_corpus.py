#!/usr/bin/env python3
"""Generates a deterministic scan corpus: Kubernetes manifests and Dockerfiles.

    python3 bench/gen_corpus.py OUT_DIR [--manifests 10000] [--dockerfiles 1000]

Shapes follow what real repositories hold: Deployments, StatefulSets,
CronJobs, Services and RBAC objects, hardened or not at random (seeded),
multi-document files, and multi-stage Dockerfiles with package installs.
"""
import argparse
import os
import random

KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"]
IMAGES = ["nginx:1.27", "nginx", "redis:7.4", "postgres:16", "busybox:latest",
          "registry.example.com/team/api:2.3.1",
          "ghcr.io/acme/worker@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"]


def container(rng, i):
    lines = [f"- name: c{i}", f"  image: {rng.choice(IMAGES)}"]
    if rng.random() < 0.5:
        lines += ["  ports:", "    - containerPort: 8080"]
        if rng.random() < 0.1:
            lines += ["      hostPort: 8080"]
    sc = []
    if rng.random() < 0.1:
        sc.append("privileged: true")
    if rng.random() < 0.6:
        sc.append("allowPrivilegeEscalation: false")
    if rng.random() < 0.5:
        sc.append("readOnlyRootFilesystem: true")
    if rng.random() < 0.4:
        sc += ["capabilities:", "  drop: [\"ALL\"]"]
    if rng.random() < 0.05:
        sc += ["capabilities:" if "capabilities:" not in sc else "", "  add: [\"SYS_ADMIN\"]"]
    sc = [s for s in sc if s]
    if sc:
        lines.append("  securityContext:")
        lines += ["    " + s for s in sc]
    if rng.random() < 0.6:
        lines += ["  resources:", "    limits:", "      cpu: 500m", "      memory: 256Mi"]
    if rng.random() < 0.3:
        lines += ["  env:", "    - name: LOG_LEVEL", "      value: info"]
        if rng.random() < 0.2:
            lines += ["    - name: DB_PASSWORD", "      value: hunter2"]
    return lines


def pod_spec(rng):
    lines = []
    if rng.random() < 0.1:
        lines.append("hostNetwork: true")
    if rng.random() < 0.05:
        lines.append("hostPID: true")
    if rng.random() < 0.5:
        lines.append("automountServiceAccountToken: false")
    if rng.random() < 0.5:
        lines += ["securityContext:", "  runAsNonRoot: true", "  seccompProfile:", "    type: RuntimeDefault"]
    lines.append("containers:")
    for i in range(rng.randint(1, 3)):
        lines += ["  " + l for l in container(rng, i)]
    if rng.random() < 0.1:
        lines += ["volumes:", "  - name: host", "    hostPath:", "      path: /var/run/docker.sock"]
    return lines


def indent(lines, n):
    return [" " * n + l for l in lines]


def workload(rng, n):
    kind = rng.choice(KINDS)
    api = {"Pod": "v1", "Job": "batch/v1", "CronJob": "batch/v1"}.get(kind, "apps/v1")
    out = [f"apiVersion: {api}", f"kind: {kind}", "metadata:", f"  name: app-{n}"]
    if rng.random() < 0.8:
        out.append(f"  namespace: team-{n % 17}")
    out += ["  labels:", f"    app: app-{n}"]
    spec = pod_spec(rng)
    if kind == "Pod":
        out += ["spec:"] + indent(spec, 2)
    elif kind == "CronJob":
        out += ["spec:", "  schedule: \"*/5 * * * *\"", "  jobTemplate:", "    spec:", "      template:",
                "        spec:"] + indent(spec, 10)
    else:
        out += ["spec:", "  selector:", "    matchLabels:", f"      app: app-{n}", "  template:", "    metadata:",
                "      labels:", f"        app: app-{n}", "    spec:"] + indent(spec, 6)
    return out


def service(n):
    return ["apiVersion: v1", "kind: Service", "metadata:", f"  name: app-{n}", f"  namespace: team-{n % 17}",
            "spec:", "  selector:", f"    app: app-{n}", "  ports:", "    - port: 80", "      targetPort: 8080"]


def dockerfile(rng, n):
    base = rng.choice(["debian:12-slim", "python:3.12-slim", "node:22", "alpine:3.20", "ubuntu:latest"])
    lines = ["# syntax=docker/dockerfile:1.7", f"FROM golang:1.23 AS build", "WORKDIR /src", "COPY . .",
             "RUN go build -o /out/app ./...", "", f"FROM {base}"]
    if "alpine" in base:
        lines.append("RUN apk add " + ("--no-cache " if rng.random() < 0.5 else "") + "ca-certificates curl")
    elif "python" in base:
        lines.append("RUN pip install " + ("--no-cache-dir " if rng.random() < 0.5 else "") + "-r requirements.txt")
    else:
        lines += ["RUN apt-get update \\",
                  "    && apt-get install -y " + ("--no-install-recommends " if rng.random() < 0.5 else "") +
                  "ca-certificates curl \\",
                  "    && rm -rf /var/lib/apt/lists/*"]
    if rng.random() < 0.1:
        lines.append("RUN curl -fsSL https://get.example.com/install.sh | sh")
    if rng.random() < 0.1:
        lines.append("ENV API_TOKEN=changeme")
    lines.append("COPY --from=build /out/app /usr/local/bin/app")
    if rng.random() < 0.1:
        lines.append("EXPOSE 22")
    lines.append("EXPOSE 8080")
    if rng.random() < 0.6:
        lines.append("USER 10001")
    if rng.random() < 0.4:
        lines.append("HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1")
    lines.append('ENTRYPOINT ["/usr/local/bin/app"]')
    return lines


def add_disruption_budget(rng, docs, n):
    """Replicas for a Deployment/StatefulSet and, half the time, a
    PodDisruptionBudget that may or may not block evictions. Its own random
    stream, so the rest of the corpus does not change."""
    workload = docs[0]
    if workload[1] not in ("kind: Deployment", "kind: StatefulSet"):
        return
    replicas = rng.randint(1, 4)
    workload.insert(workload.index("spec:") + 1, f"  replicas: {replicas}")
    if rng.random() < 0.5:
        return
    namespace = [line.strip() for line in workload if line.startswith("  namespace:")]
    budget = rng.choice([f"minAvailable: {replicas}", "minAvailable: 1", "maxUnavailable: 0",
                         "maxUnavailable: 1", "minAvailable: 50%"])
    docs.append(["apiVersion: policy/v1", "kind: PodDisruptionBudget", "metadata:", f"  name: app-{n}"]
                + [f"  {ns}" for ns in namespace]
                + ["spec:", f"  {budget}", "  selector:", "    matchLabels:", f"      app: app-{n}"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--manifests", type=int, default=10000)
    parser.add_argument("--dockerfiles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--disruption-budgets", action="store_true",
                        help="give Deployments/StatefulSets replicas and, in half the files, a "
                             "PodDisruptionBudget (bench/authoring.sh); off by default so that "
                             "the default corpus stays the same")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for n in range(args.manifests):
        d = os.path.join(args.out, "k8s", f"team-{n % 100}")
        os.makedirs(d, exist_ok=True)
        docs = [workload(rng, n)]
        if rng.random() < 0.5:
            docs.append(service(n))
        if args.disruption_budgets:
            add_disruption_budget(random.Random(args.seed * 1_000_003 + n), docs, n)
        with open(os.path.join(d, f"app-{n}.yaml"), "w") as f:
            f.write("\n---\n".join("\n".join(doc) for doc in docs) + "\n")
    for n in range(args.dockerfiles):
        d = os.path.join(args.out, "docker", f"svc-{n}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write("\n".join(dockerfile(rng, n)) + "\n")


if __name__ == "__main__":
    main()
