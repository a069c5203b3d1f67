#!/usr/bin/env bash
# Make sure a Vulkan driver is present: on a machine without a GPU driver this
# installs Mesa's software Vulkan (lavapipe) and the Vulkan loader (Debian/Ubuntu).
set -euo pipefail
have_icd() {
    { compgen -G '/usr/share/vulkan/icd.d/*.json' || compgen -G '/etc/vulkan/icd.d/*.json'; } >/dev/null &&
        ldconfig -p 2>/dev/null | grep 'libvulkan\.so\.1' >/dev/null
}
if have_icd; then
    exit 0
fi
echo "no Vulkan driver found: installing Mesa's lavapipe (mesa-vulkan-drivers)" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq mesa-vulkan-drivers libvulkan1 >/dev/null
have_icd || { echo "still no Vulkan driver after installing mesa-vulkan-drivers" >&2; exit 1; }
