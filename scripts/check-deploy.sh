#!/usr/bin/env bash
# Validates deploy/k8s: kubeconform when installed (strict, against the
# Kubernetes schemas), else the offline structural check in check_deploy.py
# (also cross-checks the manifests with each other and the showroom CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v kubeconform >/dev/null; then
    kubeconform -strict -summary deploy/k8s
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq python3-yaml >/dev/null
    else
        echo "check-deploy: PyYAML missing (apt-get install python3-yaml)" >&2
        exit 1
    fi
fi
python3 scripts/check_deploy.py
