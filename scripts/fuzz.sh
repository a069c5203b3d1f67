#!/usr/bin/env bash
# Bounded fuzzing (cargo-fuzz, libFuzzer) of configuration, product.json and
# render-request parsing: FUZZ_SECONDS per target (default 30). Needs a
# nightly toolchain for cargo-fuzz; uses RUSTC_BOOTSTRAP on stable otherwise.
# Debug-profile builds (`--dev`): fast to compile, fast enough to fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${FUZZ_SECONDS:-30}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
if rustup toolchain list 2>/dev/null | grep -q nightly; then
    FUZZ=(cargo +nightly fuzz)
else
    export RUSTC_BOOTSTRAP=1
    FUZZ=(cargo fuzz)
fi
for target in configuration definition render_request; do
    mkdir -p "fuzz/corpus/$target"
    "${FUZZ[@]}" run --dev -s none "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$SECONDS_PER_TARGET" -max_len=4096 2>&1 | tail -2
done
echo "fuzz: no crash in $SECONDS_PER_TARGET s per target"
