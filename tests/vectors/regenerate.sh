#!/bin/sh
# Writes the test vectors anew into this folder with make-vectors (and
# ed25519.txt with make-ed25519) from a build directory (default
# build-test), so a change to a format or to make-vectors.c or
# make-ed25519.c is committed together with the files it changes.
#     tests/vectors/regenerate.sh [BUILD_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build-test}
ninja -C "$build" tests/vectors/make-vectors tests/vectors/make-ed25519
for d in trust cert report audit armor; do
    rm -rf "${here:?}/$d"
done
"$build/tests/vectors/make-vectors" "$here"
"$build/tests/vectors/make-ed25519" > "$here/ed25519.txt"
echo "vectors written to $here; review with git diff --stat"
