#!/bin/sh
# check-install.sh - stage `meson install` of a build and compile against
# the staged copy with nothing but `pkg-config --cflags --libs xiecha`:
# every listed public header alone, then a program that calls the library
# and is run against the staged libxiecha.
#
#   check-install.sh BUILDDIR LIBDIR INCLUDEDIR VERSION SANITIZE HEADER...
#
# LIBDIR and INCLUDEDIR are absolute (prefix joined); SANITIZE is meson's
# b_sanitize ("none" or e.g. "address,undefined"): a program linking a
# sanitized libxiecha must itself be built with the same runtime.  The
# compiler is $CC.  Everything lives in one temporary directory, removed
# on exit.
set -eu

build=$1 libdir=$2 includedir=$3 version=$4 sanitize=$5
shift 5
cc=${CC:-cc}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/xiecha-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
stage=$tmp/stage

fail () {
    echo "FAIL: $*" >&2
    exit 1
}

# 1. Stage the install.  Not rebuilding: the test runner has built it.
meson install -C "$build" --destdir "$stage" --no-rebuild >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log" >&2; fail "meson install --destdir failed"; }

# 2. Exactly the listed headers are installed, no more, no fewer.
inc=$stage$includedir/xiecha
[ -d "$inc" ] || fail "no $includedir/xiecha in the staged install"
for h in "$@"; do
    [ -f "$inc/$h" ] || fail "public header $h is not installed"
done
for f in "$inc"/*; do
    n=${f##*/}
    case " $* " in *" $n "*) ;; *) fail "installed $n is not in public_headers" ;; esac
done

# 3. pkg-config finds the staged xiecha.pc; the sysroot makes its -I/-L
#    point into the stage.  pkgconf prefixes the system packages' paths
#    too (e.g. -I$stage/usr/include/libxml2 from czmq's Cflags): those
#    are not in the stage, so the compiler falls back to its own default
#    directories, where those packages really are.  --define-prefix is no
#    help here: it guesses the prefix wrongly under a multiarch libdir.
PKG_CONFIG_PATH=$stage$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
PKG_CONFIG_SYSROOT_DIR=$stage
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
pkg-config --exists --print-errors xiecha || fail "pkg-config finds no xiecha"
pcver=$(pkg-config --modversion xiecha)
[ "$pcver" = "$version" ] || fail "xiecha.pc says version $pcver, meson.build $version"
cflags=$(pkg-config --cflags xiecha)
libs=$(pkg-config --libs xiecha)
case " $cflags " in
    *" -I$stage$includedir "*) ;;
    *) fail "xiecha's Cflags miss -I$includedir: $cflags" ;;
esac
case " $libs " in
    *" -L$stage$libdir -lxiecha "*) ;;
    *) fail "xiecha's Libs miss -L$libdir -lxiecha: $libs" ;;
esac
case "$cflags $libs" in
    *"$build"*) fail "pkg-config points into the build tree: $cflags $libs" ;;
esac

san=
[ "$sanitize" = none ] || san="-fsanitize=$sanitize"

# Every xiecha header a compile read must come from the stage, never from
# the source or build tree or another installed copy.  $1: a .d file.
s_from_stage () {
    # shellcheck disable=SC2020  # two characters to newlines, on purpose
    tr ' \134' '\n\n' <"$1" | grep '/xiecha/[^/]*\.h$' >"$tmp/deps" || true
    if grep -v "^$inc/" "$tmp/deps" >"$tmp/strays"; then
        fail "read xiecha headers outside the stage: $(cat "$tmp/strays")"
    fi
}

# 4. Each header compiles alone (one translation unit each, one compiler
#    run for all), as strict C11 with only these cflags; then one unit
#    including them all lists the headers read.
cd "$tmp"
mkdir hdr
: >all.c
for h in "$@"; do
    printf '#include <xiecha/%s>\nint header_check;\n' "$h" >"hdr/$h.c"
    printf '#include <xiecha/%s>\n' "$h" >>all.c
done
# shellcheck disable=SC2086  # the flags are word lists
$cc -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only hdr/*.c $cflags ||
    fail "an installed header does not compile alone (see above)"
# shellcheck disable=SC2086
$cc -std=c11 -fsyntax-only -MD -MF all.d all.c $cflags ||
    fail "the installed headers do not compile together"
s_from_stage all.d

# 5. A program against the library: ID validation (GB 11643), SHA-256,
#    Ed25519 sign/verify, a protobuf message round trip (calling
#    protobuf-c itself too: its types are in the public headers, so
#    xiecha.pc must require it), the version.
cat >prog.c <<'C'
#include <stdio.h>
#include <xiecha/xiecha.h>

int main (void)
{
    char norm[XC_ID_LEN + 1], why[256];
    int rc = xc_id_normalize (" 11010519491231002x ", "id", norm, why,
                              sizeof why);
    printf ("id %d %s\n", rc, rc == 0 ? norm : why);
    rc = xc_id_normalize ("110105194912310021", "id", norm, why, sizeof why);
    printf ("bad id %s\n", rc == XC_EINVAL ? "EINVAL" : xc_strerror (rc));

    uint8_t hash[XC_HASH_LEN];
    char hex[2 * XC_HASH_LEN + 1];
    xc_sha256 ("abc", 3, hash);
    xc_hex (hash, sizeof hash, hex);
    printf ("sha256 %s\n", hex);

    xc_key_t *key = xc_key_generate ();
    uint8_t sig[XC_SIG_LEN];
    const uint8_t msg[] = "query";
    int ok = key && xc_sign (key, "install-test", msg, sizeof msg, sig) == 0
             && xc_verify (key, "install-test", msg, sizeof msg, sig,
                           sizeof sig) == 0;
    sig[0] ^= 1;
    int forged = key && xc_verify (key, "install-test", msg, sizeof msg, sig,
                                   sizeof sig) == XC_ESIG;
    printf ("sign %s %s\n", ok ? "ok" : "FAILED", forged ? "ok" : "FAILED");
    xc_key_destroy (&key);

    Xiecha__Envelope env = XIECHA__ENVELOPE__INIT;
    env.key_id = (char *) "0123456789abcdef";
    uint8_t buf[64];
    size_t len = xiecha__envelope__get_packed_size (&env);
    if (len > sizeof buf)
        return 1;
    xiecha__envelope__pack (&env, buf);
    Xiecha__Envelope *back = xiecha__envelope__unpack (NULL, len, buf);
    printf ("proto %s %d\n", back ? back->key_id : "(null)",
            back ? protobuf_c_message_check (&back->base) : -1);
    xiecha__envelope__free_unpacked (back, NULL);

    printf ("version %s\n", XIECHA_VERSION);
    return 0;
}
C
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Werror $san prog.c -o prog -MD -MF prog.d \
    $cflags $libs || fail "cannot build a program with pkg-config's flags"
s_from_stage prog.d

# Only the stage: the test runner points LD_LIBRARY_PATH at the build tree.
LD_LIBRARY_PATH=$stage$libdir
export LD_LIBRARY_PATH
ldd ./prog | grep -q "libxiecha.* => $stage$libdir/" ||
    fail "prog does not load the staged libxiecha: $(ldd ./prog | grep xiecha)"
./prog >out || fail "prog exited with $?"
cat >want <<W
id 0 11010519491231002X
bad id EINVAL
sha256 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
sign ok ok
proto 0123456789abcdef 1
version $version
W
diff want out >&2 || fail "prog printed something else (diff want out above)"
echo "ok: installed $# headers, xiecha.pc $pcver, a program built and run against the stage"
