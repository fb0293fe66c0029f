#!/usr/bin/env python3
"""Builds the seed corpus of every fuzz target (fuzz/corpus/<target>/) from
the packs' fixtures and the hostile shapes of issue 17, in the input shape
each harness takes (see tests/fuzz/src/lib.rs). Deterministic; re-run after
adding fixtures: `python3 fuzz/seed.py`. libFuzzer adds to these
directories as it finds new coverage; keep what it adds small."""
import hashlib, json, pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
# Keep in step with PROJECT_FILES, LOCKFILES and HOST_FILES in the harness.
PROJECT_FILES = ["deploy.yaml", "k8s/pod.json", "Dockerfile", "main.tf", "main.tf.json", "plan.json",
                 ".github/workflows/ci.yml", ".github/actions/setup/action.yml", ".gitlab-ci.yml",
                 "docker-compose.yml", "template.yaml", "playbook.yml", "roles/web/tasks/main.yml",
                 ".gitignore", "rampart.yaml"]
LOCKFILES = ["Cargo.lock", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "requirements.txt",
             "poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock", "go.mod", "Gemfile.lock",
             "composer.lock", "pom.xml", "gradle.lockfile", "packages.lock.json", "pubspec.lock",
             "mix.lock"]
HOST_FILES = ["etc/passwd", "etc/shadow", "etc/group", "etc/ssh/sshd_config",
              "etc/ssh/sshd_config.d/10-extra.conf", "etc/sysctl.conf", "etc/fstab", "etc/os-release",
              "var/lib/dpkg/status", "lib/apk/db/installed", "etc/crontab", "etc/cron.d/job",
              "etc/systemd/system/app.service", "etc/sudoers", "etc/login.defs", "etc/inetd.conf"]
SEP = b"\n%%\n"
MAX = 16 << 10  # seeds stay small: libFuzzer mutates faster


def put(target, data):
    if len(data) > MAX:
        return
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def fixtures(pack, suffixes):
    for p in sorted((ROOT / "policies" / "builtin" / pack / "fixtures").rglob("*")):
        if p.is_file() and p.name.endswith(suffixes):
            yield p.read_bytes()


def project(name, data):
    put("project_file", bytes([PROJECT_FILES.index(name)]) + data)


for pack, suffixes, name in [
    ("kubernetes", (".yaml", ".yml"), "deploy.yaml"),
    ("dockerfile", ("Dockerfile",), "Dockerfile"),
    ("terraform", (".tf",), "main.tf"),
    ("terraform", (".tf.json",), "main.tf.json"),
    ("github-actions", (".yml", ".yaml"), ".github/workflows/ci.yml"),
    ("gitlab-ci", (".yml",), ".gitlab-ci.yml"),
    ("compose", (".yaml", ".yml"), "docker-compose.yml"),
    ("cloudformation", (".yaml", ".json"), "template.yaml"),
    ("ansible", (".yml", ".yaml"), "playbook.yml"),
]:
    for data in fixtures(pack, suffixes):
        project(name, data)

# Issue 17's shapes, small: deep nesting, cycles, NUL, control characters.
project("deploy.yaml", b"- " * 300 + b"1\n")
project("deploy.yaml", b"a: &a [*a]\n")
project("deploy.yaml", b"---\n" * 200)
project("k8s/pod.json", b"[" * 300 + b"]" * 300)
project("main.tf", b"locals {\n  a = [local.b, local.b]\n  b = [local.a, local.a]\n}\n")
project("main.tf", b"locals {\n" + b"".join(b"  l%d = [local.l%d, local.l%d]\n" % (i + 1, i, i) for i in range(24)) + b"  l0 = 1\n}\n")
project("main.tf", b"x = " + b"[" * 300 + b"]" * 300 + b"\n")
project("Dockerfile", b"FROM alpine\x00\nUSER root\n")
project("deploy.yaml", b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"\\e]8;;x\\a\\r\"\n")
project(".gitignore", b"*\n!deploy.yaml\n")

for p in sorted((ROOT / "policies" / "builtin" / "dependencies" / "fixtures").rglob("*")):
    if p.is_file() and p.name in LOCKFILES:
        put("lockfile", bytes([LOCKFILES.index(p.name)]) + p.read_bytes())
pip = LOCKFILES.index("requirements.txt")
put("lockfile", bytes([pip]) + b"-r /proc/self/environ\n-r ../secret.txt\n-r requirements.txt\nrequests==2.0\n")
put("lockfile", bytes([LOCKFILES.index("composer.lock")]) + b'{"packages": [1, "x", {"name": 2}]}')
put("lockfile", bytes([LOCKFILES.index("Pipfile.lock")]) + b'{"default": []}')

hosts = sorted({p.parent for p in (ROOT / "policies" / "builtin" / "host" / "fixtures").rglob("etc")})
for image in hosts:
    parts = []
    for name in HOST_FILES:
        f = image / name
        parts.append(f.read_bytes() if f.is_file() and not f.is_symlink() else b"")
    while parts and not parts[-1]:
        parts.pop()
    put("host_image", SEP.join(parts))
put("host_image", SEP.join([b"root:x:0:0::/root:/bin/sh\n", b"", b"", b"Include /etc/ssh/sshd_config /etc/ssh/sshd_config\n"]))

for p in sorted(ROOT.rglob("rampart.yaml")):
    if "target" not in p.parts and ".git" not in p.parts:
        put("rampart_config", p.read_bytes())
put("rampart_config", b"suppress:\n  - rule: K8S-001\n    reason: x\n    expires: 2026-02-30\n")
put("rampart_config", b"fail-on: high\naccept-skipped: ['big/*.json']\nrules:\n  K8S-001: {severity: low}\n")

for p in sorted((ROOT / "policies" / "builtin" / "dependencies" / "advisories").rglob("*.json")):
    put("osv_record", p.read_bytes())

for scheme, versions in enumerate([
    ["1.0.0", "1.0.0-rc.1", "1.0.0+build"], ["v1.2.3", "v0.0.0-20200101000000-abcdef123456", "v2.0.0+incompatible"],
    ["1.0rc1", "1.0.post1", "1!0.1"], ["1.0.a", "1.0", "1.0.0.1"], ["1.0-SNAPSHOT", "1.0", "1.0-sp1"],
    ["1.0.0-Beta", "1.0.0-beta", "1.0.0.0"], ["1:1.0~rc1-1", "1.0-1", "1.0+dfsg-1"],
    ["1.0_rc1-r0", "1.0-r1", "1.0_p1"], ["1.0-1.el9", "1.0~rc1", "1.0^git1"], ["1.0.0-beta2", "1.0.0", "v1.0.0-RC1"],
]):
    put("version_order", bytes([scheme]) + "\n".join(versions).encode())

def sarif(uris):
    return json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "rampart", "rules": [{"id": "R1"}]}},
        "results": [{"ruleId": "R1", "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": u}, "region": {"startLine": 1}}}]} for u in uris]}]}).encode()
put("sarif_merge", sarif(["a.yaml"]) + SEP + sarif(["b.yaml", "a.yaml"]))
put("sarif_merge", sarif([]) + SEP + b'{"version": "2.1.0", "runs": []}')

put("baseline", json.dumps({"version": 1, "findings": []}).encode())
put("baseline", json.dumps({"version": 1, "findings": [{"path": "deploy.yaml", "rule_id": "K8S-001", "fingerprint": "abc", "message": "m"}]}).encode())
