#!/usr/bin/env bash
# tests/soak/notice-kill-loop.sh - the notice delivery test with many more
# SIGKILLs of the registration node than the suite runs (default 300).
# Every notice must be applied exactly once and the audit chain stay
# intact.  The other notice tests run first (a few seconds).  Usage: tests/soak/notice-kill-loop.sh [KILLS] [BUILD_DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kills=${1:-300}
build=${2:-$top/build}
[ -d "$build" ] || meson setup "$build" "$top" >/dev/null
ninja -C "$build" >/dev/null
export XIECHAD="$build/daemon/xiechad" XIECHA="$build/client/cli/xiecha"
export XIECHA_SRC="$top" XT_KILLS="$kills"
exec "$build/tests/integration/itest_notice"
