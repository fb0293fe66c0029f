#!/usr/bin/env bash
# Policy authoring benchmark (issue: policies in Python and JavaScript). Not
# a test: prints figures.
#
#   bench/authoring.sh [MANIFESTS]      (default 1000)
#
# Builds the example pack (policies/examples/pdb) in Rust, Python and
# JavaScript with a release rampart and an empty cache, and reports per
# language:
#   build   `rampart policy build` wall time (the toolchain + the first load)
#   size    the component
#   cold    the first load: compiling the component into the cache
#   warm    a later load from the cache (`rampart policy inspect`, best of 5)
#   scan    `rampart scan --no-builtin --policy <pack>` of MANIFESTS generated
#           Kubernetes manifest files (bench/gen_corpus.py), best of 3
# componentize-py and componentize-js come from PATH or
# RAMPART_COMPONENTIZE_PY / RAMPART_COMPONENTIZE_JS (the tests install both
# into target/tools: `cargo test -p rampart --test authoring` once).
set -euo pipefail
cd "$(dirname "$0")/.."
manifests=${1:-1000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RAMPART_CACHE_DIR="$work/cache"
for tool in py js; do
    var="RAMPART_COMPONENTIZE_${tool^^}"
    marker="target/tools/componentize-$tool.path"
    if [ -z "${!var:-}" ] && [ -f "$marker" ]; then export "$var=$(cat "$marker")"; fi
done
cargo build --release -q -p rampart
rampart="$PWD/target/release/rampart"
python3 bench/gen_corpus.py "$work/corpus" --manifests "$manifests" --dockerfiles 0 --disruption-budgets > /dev/null
echo "corpus: $manifests manifest files ($(du -sh "$work/corpus" | cut -f1)); rampart $("$rampart" --version)"

ms() { awk "BEGIN{printf \"%.0f\", $1 * 1000}"; }
printf '%-8s %8s %10s %9s %9s %9s %9s\n' lang build size cold warm scan findings
for lang in rust python js; do
    dir=policies/examples/pdb/$lang
    start=$(date +%s.%N)
    "$rampart" policy build "$dir" > "$work/$lang.build" 2>&1
    build=$(awk "BEGIN{print $(date +%s.%N) - $start}")
    cold=$(sed -n 's/^load *\([0-9]*\) ms to compile.*/\1/p' "$work/$lang.build")
    size=$(stat -c %s "$dir/dist/pack.wasm")
    warm=""
    for _ in 1 2 3 4 5; do
        t=$("$rampart" policy inspect "$dir/dist/pack.wasm" | sed -n 's/^loaded *in \([0-9.]*\) ms.*/\1/p')
        if [ -z "$warm" ] || awk "BEGIN{exit !($t < $warm)}"; then warm=$t; fi
    done
    scan=""
    for _ in 1 2 3; do
        start=$(date +%s.%N)
        "$rampart" scan "$work/corpus" --no-builtin --policy "$dir/dist/pack.wasm" --format json --no-progress > "$work/$lang.json" 2> /dev/null || true
        t=$(awk "BEGIN{print $(date +%s.%N) - $start}")
        if [ -z "$scan" ] || awk "BEGIN{exit !($t < $scan)}"; then scan=$t; fi
    done
    findings=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$work/$lang.json")
    printf '%-8s %7.1fs %8.1fMiB %7sms %7sms %7sms %9s\n' "$lang" "$build" "$(awk "BEGIN{print $size/1048576}")" "$cold" "$warm" "$(ms "$scan")" "$findings"
done
start=$(date +%s.%N)
"$rampart" scan "$work/corpus" --no-builtin --format json --no-progress > /dev/null 2>&1 || true
echo "parse only (no policy): $(ms "$(awk "BEGIN{print $(date +%s.%N) - $start}")")ms"
for lang in python js; do
    if cmp -s <(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); del r['tool']; print(json.dumps(r, sort_keys=True))" "$work/rust.json") \
              <(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); del r['tool']; print(json.dumps(r, sort_keys=True))" "$work/$lang.json"); then
        echo "$lang report: identical to rust"
    else
        echo "$lang report: DIFFERS from rust"
    fi
done
