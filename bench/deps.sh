#!/usr/bin/env bash
# Dependency benchmark (issue: dependencies). Not a test: prints figures.
#
#   bench/deps.sh [DEPENDENCIES] [SCALE]     (default 10000 8)
#
# Generates DEPENDENCIES locked packages in lockfiles and an OSV export of
# the real PyPI + crates.io records copied SCALE times (bench/gen_deps.py:
# the full snapshot in $RAMPART_OSV_DIR when set, else the repository's
# subset in tests/data/osv; it prints which), builds rampart in release, and measures (best of 3):
#   import       `rampart db import`: read the export, reduce, write the DB
#   load         loading both ecosystems' advisories (from `-v` logs)
#   no-match     `rampart scan --no-advisories`: lockfiles + policies only
#   match        `rampart scan`: the same plus matching every dependency
# The cost of matching is match − no-match.
set -euo pipefail
cd "$(dirname "$0")/.."
deps=${1:-10000}
scale=${2:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/gen_deps.py "$work" --deps "$deps" --scale "$scale"
cargo build --release -q -p rampart
rampart="$PWD/target/release/rampart"
export RAMPART_CACHE_DIR="$work/cache"
db="$work/db"

measure() {
    local name=$1; shift
    local best="" rss=""
    for _ in 1 2 3; do
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/$name.out" 2> "$work/$name.err" || true
        read -r wall kb < <(tail -n 1 "$work/time")
        if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; rss=$kb; fi
    done
    printf '%-9s %8.2f s  %8.1f MiB peak RSS\n' "$name" "$best" "$(awk "BEGIN{print $rss/1024}")"
    echo "$best" > "$work/$name.wall"
}

measure import "$rampart" --db "$db" db import "$work/osv"
"$rampart" --db "$db" db status
"$rampart" --db "$db" scan "$work/tree" --no-progress --format json > /dev/null 2>&1 || true  # warm the policy cache
measure no-match "$rampart" --db "$db" scan "$work/tree" --no-progress --format json --no-advisories
measure match "$rampart" --db "$db" -v scan "$work/tree" --no-progress --format json
grep "advisories loaded" "$work/match.err" | sed 's/^.*INFO /load      /'
python3 - "$work/match.out" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
findings = report["findings"]
vulnerable = [f for f in findings if f["rule_id"] == "DEP-001"]
print(f"findings: {len(findings)} ({len(vulnerable)} DEP-001) over {report['summary']['resources']} resources")
PY
awk -v a="$(cat "$work/match.wall")" -v b="$(cat "$work/no-match.wall")" -v n="$deps" \
    'BEGIN { printf "matching cost: %.2f s for %d dependencies (%.1f µs each)\n", a - b, n, (a - b) / n * 1e6 }'
