#!/usr/bin/env bash
# bench/syscalls.sh OLD_XIECHAD NEW_XIECHAD - system calls per sequential
# verified query at each node, before (OLD) and after (NEW), by name.
#
# Runs xiecha-syscall-bench --raw once per daemon (the same bench, the
# same client, a fresh federation each) and prints the two side by side:
# per query, all the daemon's threads and its main thread (the reactor),
# at the residence node (469021, asks) and the registration node
# (341002, answers).  QUERIES (default 1000) sets the queries counted;
# BENCH the bench program (default: the build tree's next to this
# script).  Needs perf and the right to read tracepoints (see
# bench/README.md).
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 OLD_XIECHAD NEW_XIECHAD" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
bench=${BENCH:-$here/../build/bench/xiecha-syscall-bench}
queries=${QUERIES:-1000}
old=$(mktemp) new=$(mktemp)
trap 'rm -f "$old" "$new"' EXIT
echo "counting $queries queries with $1" >&2
"$bench" --raw --queries "$queries" --xiechad "$1" >"$old"
echo "counting $queries queries with $2" >&2
"$bench" --raw --queries "$queries" --xiechad "$2" >"$new"
echo "system calls per sequential verified query, before -> after"
echo "before: $1"
echo "after:  $2"
awk -F'\t' '
    NR == FNR { for (i = 2; i <= NF; i++) o[$1, i] = $i; next }
    FNR == 1 {
        printf "%-14s %21s %21s %21s %21s\n", "", "residence, all",
               "residence, main", "registration, all", "registration, main"
    }
    $1 == "queries_per_s" {
        printf "%-14s %21s\n", "queries/s", o[$1, 2] " -> " $2
        next
    }
    {
        line = sprintf ("%-14s", $1)
        shown = 0
        for (i = 2; i <= 5; i++) {
            line = line sprintf (" %9s -> %-9s", o[$1, i], $i)
            shown += o[$1, i] + $i
        }
        if (shown > 0 || $1 == "total")
            print line
    }' "$old" "$new"
