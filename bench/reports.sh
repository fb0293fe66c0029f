#!/usr/bin/env bash
# Writes every report format for a fixed set of inputs into OUT, so that a
# refactoring can be checked to change no byte of any report:
#
#   bench/reports.sh /tmp/before          # on the old commit
#   bench/reports.sh /tmp/after           # on the new one
#   diff -r /tmp/before /tmp/after && echo identical
#
# Inputs: examples/, every built-in pack's fixtures (host fixtures as
# `--root` images, dependency fixtures against the OSV subset in
# tests/data/osv), and bench/gen_corpus.py's corpus (default 2000
# manifests, 200 Dockerfiles; `bench/reports.sh OUT 10000 1000` for the
# benchmark's own size). Not a test: a tool for the maintainer.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: bench/reports.sh OUT [MANIFESTS] [DOCKERFILES]}
manifests=${2:-2000}
dockerfiles=${3:-200}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release -q -p rampart
rampart="$PWD/target/release/rampart"
export RAMPART_CACHE_DIR="$work/cache"
export RAMPART_DB_DIR="$work/db"
"$rampart" db import tests/data/osv > /dev/null

# report NAME ARGS...: every format of `rampart scan ARGS` into OUT/NAME.*,
# and the exit status (rampart exits 1 on findings, 2 when incomplete).
report() {
    local name=$1; shift
    local format status
    for format in json sarif table github gitlab junit; do
        status=0
        "$rampart" scan "$@" --format "$format" --output "$out/$name.$format" 2> "$out/$name.$format.stderr" || status=$?
        echo "$status" > "$out/$name.$format.status"
    done
}

report examples examples
for pack in policies/builtin/*/; do
    name=$(basename "$pack")
    if [ "$name" = host ]; then
        for root in "$pack"fixtures/*/*/; do
            rule=$(basename "$(dirname "$root")")
            report "host-$rule-$(basename "$root")" --root "$root"
        done
    else
        report "$name" "${pack}fixtures"
    fi
done
"$rampart" sbom examples --output "$out/examples.cdx.json"
# At a fixed place: SARIF names the directory it was run from.
corpus=${TMPDIR:-/tmp}/rampart-reports
rm -rf "$corpus"
python3 bench/gen_corpus.py "$corpus/corpus" --manifests "$manifests" --dockerfiles "$dockerfiles" > /dev/null
(cd "$corpus" && report corpus corpus)
rm -rf "$corpus"
echo "$(find "$out" -type f | wc -l) files in $out"
