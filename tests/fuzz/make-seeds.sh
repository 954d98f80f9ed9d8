#!/bin/sh
# make-seeds.sh - writes the seed corpora anew: tests/fuzz/corpus/<target>/
# is emptied and filled by the seed writer (seeds.c) of a build.
#
#   tests/fuzz/make-seeds.sh [BUILD_DIR]     (default: build-test)
#
# Run it when a format changes, then commit the corpus.  Inputs that
# fuzzing found (run.sh --merge) are dropped with the old seeds, so
# merge again after.  Regression inputs (regress/) are never touched.
set -eu
src=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$src/../.." && pwd)
build=${1:-$root/build-test}
seeds=$build/tests/fuzz/fuzz-seeds
[ -x "$seeds" ] || { echo "make-seeds.sh: $seeds: not built (ninja -C $build)" >&2; exit 2; }
for t in $(sed -n "s/^  '\([a-z_]*\)' : .*/\1/p" "$src/meson.build"); do
    rm -rf "${src:?}/corpus/$t"
    mkdir -p "$src/corpus/$t"
done
"$seeds" "$src/corpus" "$root"
for t in $(ls "$src/corpus"); do
    printf '%-14s %s seeds\n' "$t" "$(ls "$src/corpus/$t" | wc -l)"
done
