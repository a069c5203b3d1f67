#!/usr/bin/env bash
# Every test: formatting, lints, unit, golden-image, furnace, import and
# fidelity tests (the last two use ../shared when it is there).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-vulkan.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
