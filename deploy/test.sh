#!/usr/bin/env bash
# deploy/test.sh - install, build with AddressSanitizer and UBSan, and run
# every test suite (unit, then integration with real daemons).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/deploy/packages.sh"
build="$top/build-test"
if [ ! -d "$build" ]; then
    meson setup "$build" "$top" -Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C "$build"
# Sanitizer findings fail the test; LeakSanitizer is left on.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
meson test -C "$build" --print-errorlogs --num-processes 2
