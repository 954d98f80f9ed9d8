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
rc=0
meson test -C "$build" --print-errorlogs --num-processes 2 || rc=$?
# One plain closing line for CI: counts from meson's machine-readable log.
python3 - "$build/meson-logs/testlog.json" <<'PY'
import json, sys
res = [json.loads(l)["result"] for l in open(sys.argv[1]) if l.strip()]
ok = sum(r in ("OK", "EXPECTEDFAIL") for r in res)
skip = sum(r == "SKIP" for r in res)
print(f"{ok} passed, {len(res) - ok - skip} failed, {skip} skipped")
PY
exit $rc
