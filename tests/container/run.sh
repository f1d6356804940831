#!/usr/bin/env bash
# The container test: build the image with buildah on a locally built Debian
# base (Docker's engine does not run here; podman and buildah do), then prove
# with podman that it summarises a file, serves a chat against the fake Bot
# API server, turns healthy, runs as non-root, stops cleanly on SIGTERM and
# keeps its data in /data across a restart.
#
#   tests/container/run.sh            # needs root (apt-get, debootstrap, podman)
#
# Environment: PYTHON (a Python with the project and its test extra installed;
# default .venv/bin/python), KEYPOINT_CONTAINER_CACHE (where the base image
# tarball is cached between runs; default /var/cache/keypoint).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
python=${PYTHON:-$root/.venv/bin/python}
cache=${KEYPOINT_CONTAINER_CACHE:-/var/cache/keypoint}
base=localhost/keypoint-base
image=localhost/keypoint-test
podman_run=(podman run --runtime runc --network host)

step() { printf '\n== %s\n' "$*"; }

install_tools() {
  if command -v podman >/dev/null && command -v buildah >/dev/null && command -v runc >/dev/null \
     && command -v debootstrap >/dev/null; then
    return
  fi
  step "installing podman, buildah, runc, debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc debootstrap >/dev/null
}

configure_podman() {
  # The machine's limits are lower than podman's default ulimits.
  mkdir -p /etc/containers
  if ! grep -qs 'default_ulimits = \[\]' /etc/containers/containers.conf; then
    printf '[containers]\ndefault_ulimits = []\n' > /etc/containers/containers.conf
  fi
}

build_base() {
  if podman image exists "$base"; then
    return
  fi
  mkdir -p "$cache"
  if [ -s "$cache/keypoint-base.tar" ]; then
    step "loading the cached base image"
    podman load -q -i "$cache/keypoint-base.tar" >/dev/null
    return
  fi
  step "building the base image (debootstrap bookworm + python3)"
  local dir
  dir=$(mktemp -d "$cache/rootfs.XXXXXX")
  debootstrap --variant=minbase bookworm "$dir" http://deb.debian.org/debian >/dev/null
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  chroot "$dir" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv ca-certificates >/dev/null && apt-get clean && rm -rf /var/lib/apt/lists/*'
  : > "$dir/etc/resolv.conf"
  tar -C "$dir" -c . | podman import -q - "$base" >/dev/null
  rm -rf "$dir"
  podman save -q -o "$cache/keypoint-base.tar" "$base"
}

build_image() {
  step "building the image"
  local secret=()
  # Networks that re-sign TLS need their CA for pip; it is a build secret, not a layer.
  if [ -n "${PIP_CERT:-}" ] && [ -s "$PIP_CERT" ]; then
    secret=(--secret "id=ca,src=$PIP_CERT")
  fi
  buildah bud -q --format docker --isolation chroot --network host "${secret[@]}" \
    --build-arg "BASE_IMAGE=$base" -t "$image" . >/dev/null
  podman image inspect "$image" --format 'image size: {{.Size}} bytes' | tee "$cache/image-size.txt"
}

summarise_file() {
  step "summarize a file inside the container"
  "${podman_run[@]}" --rm --no-healthcheck -v "$root/tests/fixtures:/in:ro" "$image" \
    summarize /in/en-article.html --json > "$cache/summary.json"
  "$python" - "$cache/summary.json" <<'PY'
import json, sys
record = json.load(open(sys.argv[1]))
assert record["title"] == "Harbour town votes to build a tidal power station", record["title"]
assert record["error"] is None and len(record["points"]) >= 3, record
print("summary ok:", len(record["points"]), "points")
PY
}

locked_versions() {
  step "the image holds the locked versions"
  "${podman_run[@]}" --rm --no-healthcheck --entrypoint python3 "$image" -c \
    'import importlib.metadata as m; print("\n".join(f"{d.name}=={d.version}" for d in m.distributions()))' \
    > "$cache/image-versions.txt"
  "$python" - "$root/requirements.lock" "$cache/image-versions.txt" <<'PY'
import re, sys
from packaging.utils import canonicalize_name as name
def pins(path):
    # A universal lock may pin one package twice, by Python version (a marker after the pin).
    found = {}
    for m in re.finditer(r"^([A-Za-z0-9][\w.-]*)==([^\s;\\]+)", open(path).read(), re.M):
        found.setdefault(name(m[1]), set()).add(m[2])
    return found
locked, image = pins(sys.argv[1]), pins(sys.argv[2])
# pip, setuptools and wheel are removed from the image after the build.
differ = {p: (locked[p], v) for p, v in image.items() if p in locked and not v <= locked[p]}
assert not differ, differ
assert image["python-telegram-bot"] <= locked["python-telegram-bot"], image.get("python-telegram-bot")
ptb = next(iter(image["python-telegram-bot"]))
print(f"{len(image)} distributions, all at their locked versions (python-telegram-bot {ptb})")
PY
}

install_tools
configure_podman
build_base
build_image
locked_versions
summarise_file
step "the bot in the container against the fake Bot API server"
"$python" "$root/tests/container/harness.py" --image "$image"
podman image prune -f >/dev/null 2>&1 || true  # earlier builds' layers, no longer tagged
step "container test passed"
