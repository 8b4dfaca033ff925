#!/usr/bin/env bash
# run.sh - run each libFuzzer target of fuzz/ for FUZZ_SECONDS (default 60).
#
# Called by `make fuzz` after the targets are built into build/fuzz/; can be
# run by hand: FUZZ_SECONDS=300 bash fuzz/run.sh fuzz_config
# (arguments: target names; none = all four).
#
# For each target: the checked-in seeds fuzz/corpus/<target>/ are read-only
# input; new interesting inputs go to build/fuzz/corpus/<target>/ (kept
# between runs, never checked in); a crash is written to
# build/fuzz/artifacts/<target>/crash-* (or leak-*, timeout-*, oom-*). The
# script prints executions and crashes per target and exits 1 if any
# target found one. A crashing input, once fixed, belongs in
# fuzz/regressions/<target>/ where tests/unit/test_fuzz_*regressions.c
# replay it in `make test`.
set -uo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(fuzz_request fuzz_config fuzz_scenario fuzz_trace_loader)

# -max_len per target: requests up to 4 KB reach the 1024-byte query
# buffer limit and big-argument paths; configs and scenarios are short
# texts; trace lines are long JSON.
max_len_of() {
    case "$1" in
        fuzz_request) echo 4096 ;;
        fuzz_config) echo 2048 ;;
        fuzz_scenario) echo 2048 ;;
        fuzz_trace_loader) echo 32768 ;;
        *) echo 4096 ;;
    esac
}

failed=0
summary=()
for t in "${TARGETS[@]}"; do
    bin=build/fuzz/$t
    [ -x "$bin" ] || { echo "fuzz: $bin not built" >&2; failed=1; continue; }
    work=build/fuzz/corpus/$t
    art=build/fuzz/artifacts/$t
    log=build/fuzz/$t.log
    mkdir -p "$work" "$art" "fuzz/corpus/$t"
    echo "fuzz: $t for ${SECONDS_EACH}s (max_len $(max_len_of "$t"))"
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$bin" -max_total_time="$SECONDS_EACH" -max_len="$(max_len_of "$t")" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$art/" "$work" "fuzz/corpus/$t" > "$log" 2>&1
    rc=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    crashes=$(ls "$art" 2>/dev/null | wc -l)
    summary+=("$t: ${execs:-?} executions, exit $rc, $crashes crash file(s) in $art")
    if [ $rc -ne 0 ] || [ "$crashes" -ne 0 ]; then
        failed=1
        grep -E 'ERROR|SUMMARY|Assertion|runtime error' "$log" | head -5
        echo "fuzz: $t failed; full log in $log"
    fi
done
printf '%s\n' "${summary[@]}"
exit $failed
