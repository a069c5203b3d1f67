#!/usr/bin/env bash
# Every test: formatting, lints, unit, golden-image, furnace, import and
# fidelity tests (the last two use ../shared when it is there).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-vulkan.sh
scripts/ensure-validator.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
mkdir -p target
cargo test --workspace 2>&1 | tee target/test.log
# One closing line for the whole workspace (cargo prints one per test binary,
# the last being an empty doc-test run).
awk '/^test result:/ { p += $4; f += $6 } END { printf "tests: %d passed, %d failed\n", p, f }' target/test.log
