#!/usr/bin/env bash
# The Khronos glTF-Validator (npm gltf-validator, pinned in
# tools/gltf-validator/package-lock.json) checks exported GLBs in the tests.
# Installs Node.js from Debian when missing, then the validator.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "Node.js not found: installing nodejs and npm" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -d tools/gltf-validator/node_modules/gltf-validator ]; then
    npm ci --prefix tools/gltf-validator --no-audit --no-fund --loglevel=error
fi
