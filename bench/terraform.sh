#!/usr/bin/env bash
# Terraform project benchmark (issue: Terraform as projects write it).
# Not a test: prints figures.
#
#   bench/terraform.sh [MODULES] [PEER_MODULES]     (default 1000 1000)
#
# Generates bench/gen_terraform.py's tree (MODULES directories of 10 .tf
# files: roots with tfvars calling library modules, for_each, dynamic,
# functions, outputs), builds rampart in release and measures with
# /usr/bin/time (rampart: best of 3; peers: one run each):
#   parse    `rampart scan --no-builtin`  walk + parse + evaluate + report
#   full     `rampart scan`               the same plus the built-in packs
#   trivy    `trivy config`               if `trivy` is on PATH
#   checkov  `checkov -d --framework terraform`, if `checkov` is on PATH
# The peers run on a tree of PEER_MODULES modules (checkov takes minutes
# per thousand files), and rampart is measured on that tree too, so each
# ratio compares the same input. Evaluation against parse alone, in one
# process: `cargo bench -p rampart-tests --bench terraform`.
set -euo pipefail
cd "$(dirname "$0")/.."
modules=${1:-1000}
peer_modules=${2:-$modules}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release -q -p rampart
rampart="$PWD/target/release/rampart"
export RAMPART_CACHE_DIR="$work/cache"

measure() {
    local runs=$1 name=$2; shift 2
    local best="" rss=""
    for _ in $(seq "$runs"); do
        local status=0
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/$name.out" 2> "$work/$name.err" || status=$?
        read -r wall kb < <(tail -n 1 "$work/time")
        if [ "$status" -gt 1 ]; then
            echo "$name exited with status $status; last lines of its stderr:"
            tail -n 5 "$work/$name.err" | sed 's/^/    /'
        fi
        if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; rss=$kb; fi
    done
    printf '%-14s %8.2f s  %8.1f MiB peak RSS\n' "$name" "$best" "$(awk "BEGIN{print $rss/1024}")"
    echo "$best" > "$work/$name.wall"
}
ratio() { awk "BEGIN{printf \"%.1f\", $(cat "$work/$1.wall") / $(cat "$work/$2.wall")}"; }

tree="$work/tree"
python3 bench/gen_terraform.py "$tree" --modules "$modules"
echo "tree: $modules modules, $(find "$tree" -name '*.tf' | wc -l) .tf files ($(du -sh "$tree" | cut -f1))"
"$rampart" scan "$tree" --format json --output /dev/null --no-progress > /dev/null 2>&1 || true
measure 3 parse "$rampart" scan "$tree" --no-builtin --format json --output "$work/parse.json" --no-progress
measure 3 full "$rampart" scan "$tree" --format json --output "$work/full.json" --no-progress
python3 - "$work/full.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print(f"rampart: {s['findings']} findings, {s['resources']} resources, {s['diagnostics']} diagnostics")
PY

peers="$work/peers"
python3 bench/gen_terraform.py "$peers" --modules "$peer_modules"
echo "peer tree: $peer_modules modules, $(find "$peers" -name '*.tf' | wc -l) .tf files"
measure 3 rampart-peers "$rampart" scan "$peers" --format json --output "$work/rampart-peers.json" --no-progress
if command -v trivy > /dev/null; then
    measure 1 trivy trivy config --skip-check-update --quiet --timeout 60m --format json --output "$work/trivy.json" "$peers"
    python3 - "$work/trivy.json" <<'PY' || true
import json, sys
r = json.load(open(sys.argv[1]))
n = sum(1 for x in r.get("Results") or [] for m in x.get("Misconfigurations") or [] if m.get("Status") == "FAIL")
print(f"trivy: {n} failed misconfigurations")
PY
    echo "trivy / rampart: $(ratio trivy rampart-peers)x"
fi
if command -v checkov > /dev/null; then
    measure 1 checkov checkov -d "$peers" --quiet --compact -o json --framework terraform --skip-download
    python3 - "$work/checkov.out" <<'PY' || true
import json, sys
data = json.load(open(sys.argv[1]))
runs = data if isinstance(data, list) else [data]
print(f"checkov: {sum(len(r.get('results', {}).get('failed_checks', [])) for r in runs if isinstance(r, dict))} failed checks")
PY
    echo "checkov / rampart: $(ratio checkov rampart-peers)x"
fi
