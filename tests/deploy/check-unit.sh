#!/bin/sh
# check-unit.sh - the systemd unit as built (deploy/xiechad.service.in):
# `systemd-analyze verify` on a copy whose Exec lines name this build's
# binaries (so every binary it names resolves), the readiness and
# hardening lines it must keep, and `systemd-analyze security
# --offline=true` below an exposure of 2.0 ("OK"; the unit scores 1.5 as
# committed: what is left is the network it serves, AF_UNIX/AF_INET, no
# IP allow list, chown for node/client_ipc_group, the host's root).
#
#   check-unit.sh UNIT XIECHAD XIECHA
set -eu
unit=$1 xiechad=$2 xiecha=$3
command -v systemd-analyze >/dev/null 2>&1 || {
    echo "SKIP: systemd-analyze is not installed (package systemd)"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xiecha-unit.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
fail () { echo "FAIL: $*" >&2; exit 1; }

# Every binary the unit names, replaced by this build's.
sed -e "s#^\(Exec[A-Za-z]*=\)[^ ]*/xiechad #\1$xiechad #" \
    -e "s#^\(Exec[A-Za-z]*=\)[^ ]*/xiecha #\1$xiecha #" \
    "$unit" >"$tmp/xiechad.service"
grep -q "^ExecStart=$xiechad " "$tmp/xiechad.service" || fail "no ExecStart=.../xiechad in $unit"
grep -q "^ExecReload=$xiecha reload " "$tmp/xiechad.service" || fail "no ExecReload=.../xiecha reload in $unit"
for line in 'Type=notify' 'ExecStartPre=.* --check ' 'User=xiecha' \
        'StateDirectory=xiecha' 'RuntimeDirectory=xiecha' \
        'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' \
        'PrivateTmp=yes' 'SystemCallFilter=@system-service' \
        'MemoryDenyWriteExecute=yes' \
        'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' \
        'CapabilityBoundingSet=$' 'WatchdogSec='; do
    grep -q "^$line" "$unit" || fail "$unit lacks $line"
done

# The manual pages are not installed from a build tree: --man=no.
systemd-analyze verify --man=no "$tmp/xiechad.service" >"$tmp/verify" 2>&1 ||
    { cat "$tmp/verify" >&2; fail "systemd-analyze verify"; }
[ ! -s "$tmp/verify" ] || { cat "$tmp/verify" >&2; fail "systemd-analyze verify warns"; }

# --threshold counts in tenths: 20 is an exposure of 2.0.
systemd-analyze security --offline=true --threshold=20 --no-pager \
    "$tmp/xiechad.service" >"$tmp/security" 2>&1 ||
    { cat "$tmp/security" >&2; fail "exposure above 2.0"; }
grep 'Overall exposure' "$tmp/security"
echo "OK: unit verifies, exposure below 2.0"
