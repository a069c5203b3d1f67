#!/usr/bin/env bash
# Every test: formatting, lints, unit, golden-image, furnace, import, fidelity,
# product and service tests (the fidelity ones use ../shared when it is there),
# then the browser test of the web configurator and bounded fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each stage's wall time, so a slow CI run says where its minutes went.
stage() { echo "== $* (at ${SECONDS}s)"; }
stage setup
scripts/ensure-vulkan.sh
scripts/ensure-validator.sh
scripts/ensure-xvfb.sh
# The viewer test must run here, not skip for want of Xvfb.
export SHOWROOM_REQUIRE_XVFB=1
stage fmt
cargo fmt --all -- --check
stage clippy
cargo clippy --workspace --all-targets -- -D warnings
stage tests
mkdir -p target
cargo test --workspace 2>&1 | tee target/test.log
# One closing line for the whole workspace (cargo prints one per test binary,
# the last being an empty doc-test run).
awk '/^test result:/ { p += $4; f += $6 } END { printf "tests: %d passed, %d failed\n", p, f }' target/test.log
# The browser test uses target/debug/showroom, which `cargo test` built for
# the CLI's integration tests (a separate `cargo build` would recompile much
# of the tree: test builds unify dev-dependency features).
stage browser
scripts/browser-test.sh
stage deploy
scripts/check-deploy.sh
stage fuzz
FUZZ_SECONDS=${FUZZ_SECONDS:-20} scripts/fuzz.sh
stage done
