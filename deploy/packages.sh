#!/usr/bin/env bash
# deploy/packages.sh - install the Debian 12 packages xiecha builds and tests
# with.  Runs apt-get only when something is missing, so repeated runs are
# quick; on a fresh machine it installs everything (needs root).
set -euo pipefail
pkgs=(build-essential meson ninja-build pkg-config protobuf-c-compiler
      libprotobuf-c-dev libzmq3-dev libczmq-dev liblmdb-dev lmdb-utils
      libssl-dev libcmocka-dev python3 tzdata
      libcairo2-dev libqrencode-dev libzbar-dev libpng-dev fonts-wqy-microhei
      poppler-utils)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
        || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
