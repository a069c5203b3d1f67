#!/usr/bin/env bash
# The viewer's window test runs under a virtual X server: install Xvfb and
# the X11 libraries winit loads at run time when they are missing
# (Debian/Ubuntu).
set -euo pipefail
have_all() {
    command -v xvfb-run >/dev/null &&
        ldconfig -p 2>/dev/null | grep -q 'libxkbcommon-x11\.so\.0' &&
        ldconfig -p 2>/dev/null | grep -q 'libXcursor\.so\.1' &&
        ldconfig -p 2>/dev/null | grep -q 'libXi\.so\.6' &&
        ldconfig -p 2>/dev/null | grep -q 'libXrandr\.so\.2'
}
if have_all; then
    exit 0
fi
echo "installing Xvfb and the X11 libraries for the viewer test" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq xvfb xauth libxkbcommon-x11-0 libxcursor1 libxi6 libxrandr2 libx11-xcb1 >/dev/null
have_all || { echo "Xvfb or an X11 library is still missing" >&2; exit 1; }
