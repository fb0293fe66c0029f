#!/usr/bin/env bash
# Git history benchmark (issue: secrets). Not a test: prints figures.
#
#   bench/history.sh [COMMITS]     (default 10000)
#
# Generates bench/gen_history.py's repository (COMMITS commits over 2,000
# files, a made-up token planted and deleted every 250 commits, a few on
# side branches only), builds rampart in release, and runs
# `rampart scan --git-history` on it: wall time and peak RSS (best of 3),
# commits and blobs searched (from -v), and recall: planted tokens reported
# at their path, line and the commit that brought them. Then the same with
# `--since` the middle commit of main. None of the peers this project
# installs searches a history (trivy and detect-secrets read files only),
# so there is no side-by-side run; `git log -p | wc -c` (what a tool that
# greps patches must read) is timed for scale.
set -euo pipefail
cd "$(dirname "$0")/.."
commits=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/gen_history.py "$work" --commits "$commits"
repo="$work/repo"
echo "repository: $(git -C "$repo" rev-list --all | wc -l) commits, $(git -C "$repo" rev-list --all --objects | wc -l) objects, .git $(du -sh "$repo/.git" | cut -f1), $(wc -l < "$work/truth.tsv") planted tokens"
cargo build --release -q -p rampart
rampart="$PWD/target/release/rampart"
export RAMPART_CACHE_DIR="$work/cache"
(cd "$repo" && "$rampart" scan . --no-advisories --format json --output /dev/null > /dev/null 2>&1) || true  # warm the compile cache

run() {
    local name=$1; shift
    local best="" rss=""
    for _ in 1 2 3; do
        (cd "$repo" && /usr/bin/time -f "%e %M" -o "$work/time" "$rampart" -v scan . --no-advisories --git-history "$@" --format json --output "$work/$name.json" 2> "$work/$name.err") || true
        read -r wall kb < <(tail -n 1 "$work/time")
        if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; rss=$kb; fi
    done
    local searched
    searched=$(grep -o 'commits=[0-9]* blobs=[0-9]*' "$work/$name.err" | head -1 || true)
    printf '%-22s %7.2f s  %7.1f MiB peak RSS  %s\n' "$name" "$best" "$(awk "BEGIN{print $rss/1024}")" "$searched"
}

recall() {
    python3 - "$work/truth.tsv" "$work/$1.json" <<'EOF'
import json, sys
truth = [tuple(l.rstrip("\n").split("\t")) for l in open(sys.argv[1])]
report = json.load(open(sys.argv[2]))
found = {(f["path"], str(f["region"]["startLine"]), f["commit"]["commit"])
         for f in report["findings"] if f.get("commit") and f["rule_id"].startswith("SEC-")}
hit = sum(1 for t in truth if t in found)
others = len(found - set(truth))
print(f"  recall {hit}/{len(truth)} planted tokens at path, line and commit; {others} other history findings")
EOF
}

run "full history"
recall "full history"
middle=$(git -C "$repo" rev-list --first-parent main | sed -n "$((commits / 2))p")
run "--since middle" --since "$middle"
start=$(date +%s.%N)
git -C "$repo" log --all -p | wc -c > "$work/patch-bytes"
end=$(date +%s.%N)
printf '%-22s %7.2f s  (%s bytes of patches)\n' "git log --all -p" "$(awk "BEGIN{print $end - $start}")" "$(cat "$work/patch-bytes")"
