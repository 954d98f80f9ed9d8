#!/bin/sh
# check-package.sh - the Debian packages: built from a copy of the source
# tree (tracked and new files, no build directories) with
# `dpkg-buildpackage -us -uc -b` in a temporary directory, checked by
# lintian (no errors), their dependencies resolved by apt (simulated, as
# `apt install ./xiecha_*.deb ./libxiecha0_*.deb` would), unpacked into
# a throwaway root (dpkg -x), and run from there: `xiecha --help` (also
# in Chinese, from the installed catalogue), keys, salt and trust list
# made by the installed xiecha, `xiechad --init` and `xiechad --check` on
# that config, and the installed unit names installed binaries.
#
#   check-package.sh SRCDIR
#
# Needs root (apt) and dpkg-buildpackage with debhelper; skips (77)
# without them.  Everything lives in one temporary directory.
set -eu
src=$1
[ "$(id -u)" -eq 0 ] || { echo "SKIP: not root (apt-get -s and the package build need it)"; exit 77; }
command -v dpkg-buildpackage >/dev/null 2>&1 && command -v dh >/dev/null 2>&1 || {
    echo "SKIP: dpkg-buildpackage or debhelper is not installed (deploy/packages.sh installs them)"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xiecha-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
fail () { echo "FAIL: $*" >&2; exit 1; }

# 1. The source as it is now, without build trees (.gitignore).
mkdir "$tmp/xiecha"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$src" && git ls-files -z --cached --others --exclude-standard |
        xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
        tar --null -T - -cf -) | tar -x -C "$tmp/xiecha"
else
    (cd "$src" && tar --exclude='./build*' -cf - .) | tar -x -C "$tmp/xiecha"
fi

# 2. The packages.  -Dtests=false in debian/rules: no ASan, no suite.
(cd "$tmp/xiecha" && DEB_BUILD_OPTIONS="parallel=2 nocheck noautodbgsym" \
    dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1 ||
    { tail -40 "$tmp/build.log" >&2; fail "dpkg-buildpackage"; }
for p in xiecha libxiecha0 libxiecha-dev; do
    ls "$tmp"/${p}_*.deb >/dev/null 2>&1 || fail "no package $p built"
done

# 3. lintian: no errors (warnings are printed).
if command -v lintian >/dev/null 2>&1; then
    lintian --fail-on error --tag-display-limit 0 "$tmp"/xiecha_*.changes \
        >"$tmp/lintian" 2>&1 || { cat "$tmp/lintian" >&2; fail "lintian reports errors"; }
    cat "$tmp/lintian"
else
    fail "lintian is not installed (deploy/packages.sh installs it)"
fi

# 4. apt resolves every dependency (simulated: nothing is installed).
apt-get install -s -q "$tmp"/xiecha_*.deb "$tmp"/libxiecha0_*.deb >"$tmp/apt" 2>&1 ||
    { cat "$tmp/apt" >&2; fail "apt cannot install the packages"; }

# 5. Unpacked into a throwaway root; what a county gets is there.
root=$tmp/root
for d in "$tmp"/*.deb; do dpkg -x "$d" "$root"; done
for f in usr/sbin/xiechad usr/bin/xiecha usr/share/man/man8/xiechad.8.gz \
         usr/share/man/man1/xiecha.1.gz usr/share/locale/zh_CN/LC_MESSAGES/xiecha.mo \
         usr/share/xiecha/divisions.tsv usr/share/xiecha/policy/default.zpl \
         usr/share/doc/xiecha/examples/node.example.zpl \
         lib/systemd/system/xiechad.service usr/lib/sysusers.d/xiecha.conf \
         usr/include/xiecha/xiecha.h; do
    [ -e "$root/$f" ] || fail "$f is not in the packages"
done
ls "$root"/usr/lib/*/libxiecha.so.0 >/dev/null 2>&1 || fail "no libxiecha.so.0"
ls "$root"/usr/lib/*/pkgconfig/xiecha.pc >/dev/null 2>&1 || fail "no xiecha.pc"
grep -q '^u xiecha ' "$root/usr/lib/sysusers.d/xiecha.conf" || fail "no xiecha user in sysusers.d"
grep -q '^ExecStart=/usr/sbin/xiechad ' "$root/lib/systemd/system/xiechad.service" ||
    fail "the installed unit does not start /usr/sbin/xiechad"
dpkg-deb -e "$tmp"/xiecha_*_*.deb "$tmp/ctl"
grep -q systemd-sysusers "$tmp/ctl/postinst" || fail "postinst does not create the xiecha user"

# 6. Run from there: only the root's library, the root's data.
LD_LIBRARY_PATH=$(dirname "$(ls "$root"/usr/lib/*/libxiecha.so.0)")
XIECHA_DIVISIONS=$root/usr/share/xiecha/divisions.tsv
export LD_LIBRARY_PATH XIECHA_DIVISIONS
x=$root/usr/bin/xiecha
ldd "$x" | grep -q "$LD_LIBRARY_PATH/libxiecha.so.0" || fail "xiecha does not load the root's libxiecha"
"$x" --help >"$tmp/help" || fail "xiecha --help"
grep -q 'reload' "$tmp/help" || fail "xiecha --help lists no reload"
LC_ALL=zh_CN.UTF-8 XIECHA_LOCALEDIR=$root/usr/share/locale "$x" --help >"$tmp/help.zh" ||
    fail "xiecha --help in Chinese"
if locale -a 2>/dev/null | grep -qix zh_CN.utf8; then
    ! cmp -s "$tmp/help" "$tmp/help.zh" ||
        fail "the installed catalogue does not translate xiecha --help"
fi
node=$tmp/node
mkdir "$node"
printf 'trust\n    version = 1\n' >"$node/trust.zpl"
"$x" keygen --code 469021 --dir "$node/keys" --name "Ding'an County" \
    --endpoint tcp://127.0.0.1:7101 >>"$node/trust.zpl" 2>"$tmp/keygen" ||
    { cat "$tmp/keygen" >&2; fail "xiecha keygen"; }
"$x" keygen --salt "$node/salt.hex" >/dev/null || fail "xiecha keygen --salt"
sed -e "s#/var/lib/xiecha#$node/data#" -e "s#/run/xiecha#$node#" \
    -e "s#/etc/xiecha/keys/sign.key#$node/keys/sign.key#" \
    -e "s#/etc/xiecha/keys/curve.cert#$node/keys/curve.cert#" \
    -e "s#/etc/xiecha/trust.zpl#$node/trust.zpl#" \
    -e "s#/etc/xiecha/salt.hex#$node/salt.hex#" \
    -e "s#tcp://0.0.0.0:7101#tcp://127.0.0.1:7101#" \
    "$root/usr/share/doc/xiecha/examples/node.example.zpl" >"$node/node.zpl"
d=$root/usr/sbin/xiechad
"$d" --init --config "$node/node.zpl" >"$tmp/init" 2>&1 || { cat "$tmp/init" >&2; fail "xiechad --init"; }
"$d" --check --config "$node/node.zpl" >"$tmp/check" 2>&1 || { cat "$tmp/check" >&2; fail "xiechad --check"; }
grep -q 'configuration OK: node 469021' "$tmp/check" || { cat "$tmp/check" >&2; fail "xiechad --check said no OK"; }
cat "$tmp/check"
echo "OK: packages built, lintian clean of errors, installable, run from the unpacked root"
