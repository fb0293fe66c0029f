#!/usr/bin/env bash
# Fuzzes every target in fuzz/ for SECONDS each (default 600), one after
# the other (2-core machines: one libFuzzer process at a time), and prints
# executions, coverage and crashes per target. Needs a nightly toolchain
# and cargo-fuzz; both are installed when missing.
#
#   bench/fuzz.sh            # 10 minutes per target
#   bench/fuzz.sh 60 lockfile host_image
#
# What each target checks is in tests/fuzz/src/lib.rs; a crash input lands
# in fuzz/artifacts/<target>/. Once fixed, copy it into fuzz/corpus/<target>/:
# `cargo test -p rampart-fuzz-harness` replays the corpus on stable, and
# runs each harness on a fixed number of seeded mutations of it (what CI
# runs: blind, short, reproducible).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=($(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^rampart-fuzz$'))
fi

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz > /dev/null || cargo install cargo-fuzz --locked

# Without a sanitizer: the harnesses are safe Rust over safe Rust, so
# AddressSanitizer finds little and halves the executions; debug
# assertions stay on (integer overflow is a panic, so a crash).
cargo +nightly fuzz build --sanitizer none --debug-assertions

printf '%-16s %8s %12s %10s %8s %s\n' target seconds executions exec/s cov crashes
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    log=$(mktemp)
    status=0
    cargo +nightly fuzz run --sanitizer none --debug-assertions "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 > "$log" 2>&1 || status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1 | cut -d' ' -f2)
    crashes=$(find "artifacts/$target" -type f | wc -l)
    printf '%-16s %8s %12s %10s %8s %s\n' "$target" "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$crashes"
    if [ "$status" -ne 0 ]; then
        echo "--- $target failed (exit $status); the end of its log:"
        tail -n 40 "$log"
    fi
    rm -f "$log"
done
