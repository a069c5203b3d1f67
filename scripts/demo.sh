#!/usr/bin/env bash
# From a fresh Debian/Ubuntu machine with a Rust toolchain to a rendered product:
# installs lavapipe if there is no GPU driver, builds Showroom and renders the
# sample sneaker in each of its three colourways into ./out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-vulkan.sh
cargo build --release -p showroom-cli
mkdir -p out
for variant in midnight beach street; do
    ./target/release/showroom render assets/products/sneaker/sneaker.glb \
        --variant "$variant" --size 1024x1024 -o "out/shoe-$variant.png"
done
./target/release/showroom info
