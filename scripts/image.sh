#!/usr/bin/env bash
# Build deploy/Dockerfile (`make image`). With podman (the default where it is installed) the
# build runs with runc and explicit ulimits, the only settings its containers start with on
# machines like CI's; docker needs neither.
#
#   IMAGE=localhost/linkedin-assets:dev BASE_IMAGE=python:3.11-slim-bookworm scripts/image.sh
#
# BASE_IMAGE=localhost/debian:bookworm, where no image registry is reachable: made here from
# Debian's packages (mmdebstrap, then `podman import`) when it does not exist yet.
#
# The build machine's CA bundle and pip configuration reach the package index through build
# secrets (mounted for the install step only, never stored in a layer): CA_BUNDLE defaults to
# pip's own (PIP_CERT) or Debian's bundle, PIP_CONFIG to nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${IMAGE:-localhost/linkedin-assets:dev}"
BASE_IMAGE="${BASE_IMAGE:-python:3.11-slim-bookworm}"
step() { printf '\n==> %s\n' "$*"; }

# A fresh Debian machine has neither: Debian's podman (and runc, the runtime it works with here).
if [ -z "${CONTAINER_ENGINE:-}" ] && ! command -v podman >/dev/null && ! command -v docker >/dev/null; then
    step "podman and runc: Debian's packages"
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y podman runc
fi
ENGINE="${CONTAINER_ENGINE:-$(command -v podman >/dev/null && echo podman || echo docker)}"
CA_BUNDLE="${CA_BUNDLE:-${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}}"
PIP_CONFIG="${PIP_CONFIG:-}"
LOCAL_DEBIAN=localhost/debian:bookworm

if [ "$ENGINE" = podman ] && [ "$BASE_IMAGE" = "$LOCAL_DEBIAN" ] \
        && ! podman image exists "$LOCAL_DEBIAN"; then
    if ! command -v mmdebstrap >/dev/null || ! command -v runc >/dev/null; then
        step "mmdebstrap and runc: Debian's packages"
        apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y mmdebstrap runc
    fi
    step "$LOCAL_DEBIAN: a minimal Debian bookworm made with mmdebstrap (a few minutes)"
    rootfs=$(mktemp -d)
    trap 'rm -rf "$rootfs"' EXIT
    mmdebstrap --variant=minbase bookworm "$rootfs/rootfs.tar"
    podman import "$rootfs/rootfs.tar" "$LOCAL_DEBIAN"
fi

args=(build -f deploy/Dockerfile -t "$IMAGE" --build-arg "BASE_IMAGE=$BASE_IMAGE" --network host)
[ -n "${EXTRAS:-}" ] && args+=(--build-arg "EXTRAS=$EXTRAS")
[ -s "$CA_BUNDLE" ] && args+=(--secret "id=ca,src=$CA_BUNDLE")
[ -n "$PIP_CONFIG" ] && args+=(--secret "id=pipconf,src=$PIP_CONFIG")
step "$IMAGE from deploy/Dockerfile on $BASE_IMAGE ($ENGINE)"
if [ "$ENGINE" = podman ]; then
    # docker format: OCI images drop HEALTHCHECK.
    args+=(--format docker --ignorefile deploy/Dockerfile.dockerignore
           --ulimit nofile=1024:20000 --ulimit nproc=4096:4096)
    podman --runtime runc "${args[@]}" .
else
    DOCKER_BUILDKIT=1 "$ENGINE" "${args[@]}" .
fi
size=$("$ENGINE" image inspect --format '{{.Size}}' "$IMAGE")
step "$IMAGE: $((size / 1000000)) MB"
