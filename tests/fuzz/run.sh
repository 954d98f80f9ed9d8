#!/bin/sh
# run.sh - fuzz each target for a bounded time and say what it found.
#
#   tests/fuzz/run.sh [TARGET|all] [SECONDS] [--merge]
#
# Runs build-fuzz/tests/fuzz/fuzz_TARGET (or every target) for SECONDS
# (default 60) with -max_total_time, starting from the checked-in seeds
# (corpus/TARGET) and regression inputs (regress/TARGET).  New inputs go
# to a scratch corpus in the build tree, never into the source tree,
# unless --merge: then the inputs that add coverage are merged into
# corpus/TARGET (libFuzzer -merge=1: only what the corpus lacks).
# Prints per target: executions, exec/s, final cov: and ft:, corpus size
# and crashes; a crash's input is kept in the build tree
# (fuzz-crashes/TARGET/) and the exit status is 1.
#
# Environment: XF_BUILD  the build's tests/fuzz directory
#                        (default: build-fuzz/tests/fuzz beside this tree)
#              XF_LOGS   where each run's log goes (default:
#                        $XF_BUILD/fuzz-logs)
#              XF_ARGS   more libFuzzer options, e.g. "-jobs=1 -rss_limit_mb=4096"
set -u
src=$(cd "$(dirname "$0")" && pwd)
build=${XF_BUILD:-$src/../../build-fuzz/tests/fuzz}
logs=${XF_LOGS:-$build/fuzz-logs}
target=${1:-all}
seconds=${2:-60}
merge=no
[ "${3:-}" = --merge ] && merge=yes
case $seconds in ''|*[!0-9]*) echo "run.sh: SECONDS must be a number" >&2; exit 2;; esac

if [ "$target" = all ]; then
    targets=$(ls "$src/corpus")
else
    targets=$target
fi
mkdir -p "$logs"
status=0
for t in $targets; do
    exe=$build/fuzz_$t
    if [ ! -x "$exe" ]; then
        echo "run.sh: $exe: not built (meson setup -Dfuzz=true, see README.md)" >&2
        exit 2
    fi
    work=$build/fuzz-corpus/$t
    crashes=$build/fuzz-crashes/$t
    mkdir -p "$work" "$crashes"
    log=$logs/$t.log
    regress=$src/regress/$t
    [ -d "$regress" ] || regress=
    # shellcheck disable=SC2086
    "$exe" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$crashes/" ${XF_ARGS:-} \
        "$work" "$src/corpus/$t" $regress > "$log" 2>&1
    rc=$?
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p')
    found=$(ls "$crashes" | wc -l)
    printf '%-14s execs %-10s exec/s %-7s cov %-6s ft %-7s corpus %-12s crashes %s (log %s)\n' \
        "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" \
        "$found" "$log"
    if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
        status=1
        grep -m 3 -E 'ERROR|SUMMARY|LeakSanitizer|runtime error' "$log" >&2
    fi
    if [ "$merge" = yes ]; then
        "$exe" -merge=1 "$src/corpus/$t" "$work" > "$logs/$t.merge.log" 2>&1 \
            || { echo "run.sh: merge of $t failed, see $logs/$t.merge.log" >&2; status=1; }
    fi
done
exit $status
