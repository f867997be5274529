#!/usr/bin/env bash
# Build deploy/Dockerfile (`make image`). With podman (the default where it is installed) the
# build runs with runc and explicit ulimits, the only settings its containers start with on
# machines like CI's; docker needs neither.
#
#   IMAGE=linkedin-assets:dev BASE_IMAGE=python:3.11-slim-bookworm scripts/image.sh
#
# The build machine's CA bundle and pip configuration reach the package index through build
# secrets (mounted for the install step only, never stored in a layer): CA_BUNDLE defaults to
# pip's own (PIP_CERT) or Debian's bundle, PIP_CONFIG to nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${IMAGE:-linkedin-assets:dev}"
BASE_IMAGE="${BASE_IMAGE:-python:3.11-slim-bookworm}"
ENGINE="${CONTAINER_ENGINE:-$(command -v podman >/dev/null && echo podman || echo docker)}"
CA_BUNDLE="${CA_BUNDLE:-${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}}"
PIP_CONFIG="${PIP_CONFIG:-}"

args=(build -f deploy/Dockerfile -t "$IMAGE" --build-arg "BASE_IMAGE=$BASE_IMAGE" --network host)
[ -n "${EXTRAS:-}" ] && args+=(--build-arg "EXTRAS=$EXTRAS")
[ -s "$CA_BUNDLE" ] && args+=(--secret "id=ca,src=$CA_BUNDLE")
[ -n "$PIP_CONFIG" ] && args+=(--secret "id=pipconf,src=$PIP_CONFIG")
if [ "$ENGINE" = podman ]; then
    args+=(--ignorefile deploy/Dockerfile.dockerignore
           --ulimit nofile=1024:20000 --ulimit nproc=4096:4096)
    exec podman --runtime runc "${args[@]}" .
fi
DOCKER_BUILDKIT=1 exec "$ENGINE" "${args[@]}" .
