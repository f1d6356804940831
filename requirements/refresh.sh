#!/usr/bin/env bash
# Refresh the lock files (requirements*.lock at the top level) from pyproject.toml:
#   bash requirements/refresh.sh
# Keeps every pin that still satisfies pyproject.toml; pass --upgrade to move
# everything to the newest allowed release (or --upgrade-package NAME).
# The locks are universal (any platform, Python >= 3.11) and carry hashes, so
# the Docker image (Python 3.12) and CI (Python 3.11) install the same versions.
set -euo pipefail
cd "$(dirname "$0")/.."
uv_version=0.13.10
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools"
"$tools/bin/pip" install -q --disable-pip-version-check "uv==$uv_version"
compile() {
  "$tools/bin/uv" pip compile --quiet --universal --python-version 3.11 --generate-hashes \
    "$@"
}
# requirements-dev.lock is the superset; the others are constrained by it, so a package
# shared by two locks has one version in both.
compile pyproject.toml requirements/build.in --extra test --extra lint -o requirements-dev.lock "$@"
compile pyproject.toml requirements/build.in -c requirements-dev.lock -o requirements.lock "$@"
compile pyproject.toml requirements/build.in --extra bench -c requirements-dev.lock -o requirements-bench.lock "$@"
