#!/usr/bin/env bash
# deploy/packages.sh - install the Debian 12 packages xiecha builds and tests
# with.  Runs apt-get only when something is missing, so repeated runs are
# quick; on a fresh machine it installs everything (needs root).
set -euo pipefail
pkgs=(build-essential meson ninja-build pkg-config protobuf-c-compiler
      libprotobuf-c-dev libzmq3-dev libczmq-dev liblmdb-dev lmdb-utils
      libssl-dev libsodium-dev libcmocka-dev python3 tzdata
      libcairo2-dev libqrencode-dev libzbar-dev libpng-dev fonts-wqy-microhei
      poppler-utils gettext locales libsystemd-dev systemd
      debhelper lintian libmicrohttpd-dev curl
      man-db groff-base    # test man-zh renders the man pages (zh.tmac is in groff-base)
      linux-perf)          # bench/syscall-bench.c counts system calls with perf stat
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

# The Chinese locale the case workers use (LANG=zh_CN.UTF-8), which the
# tests of the translations run under; Debian's locales package builds it
# from /etc/locale.gen.
if ! locale -a 2>/dev/null | grep -qix 'zh_CN.utf8'; then
    echo "generating locale zh_CN.UTF-8" >&2
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd sed -i 's/^# *\(zh_CN.UTF-8 UTF-8\)/\1/' /etc/locale.gen
    grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen \
        || echo 'zh_CN.UTF-8 UTF-8' | $sudo_cmd tee -a /etc/locale.gen >/dev/null
    $sudo_cmd locale-gen >/dev/null
fi
