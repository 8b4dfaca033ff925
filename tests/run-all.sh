#!/usr/bin/env bash
# run-all.sh - run every minired test suite and print one verdict.
#
# Run by `make test` after the build (which passes MINIRED_BUILD_STATUS, the
# exit status of the build). Can be run by hand from anywhere.
#
# Suites, in order:
#   build        PASS/FAIL of the build `make test` just ran (if told)
#   unit         every build/tests/test_* Check binary; its summary line
#                "NN%: Checks: N, Failures: F, Errors: E" gives N-F-E passes
#                and F+E failures; a crash or a missing summary is a failure
#   integration  every tests/integration/test_*.py (/usr/bin/python3) and
#                test_*.sh (bash)
#   sidebyside   tests/sidebyside/run.sh (minired vs redis-server)
#   difftest     tests/difftest/test_*.py (the tester's own tests), then
#                tests/difftest/difftest.py: MINIRED_DIFFTEST_SESSIONS
#                (300; 60 in sanitize mode) random sessions from the seed
#                MINIRED_DIFFTEST_SEED (printed) against redis-server, one
#                line per 50 sessions; a FAIL prints the shrunk repro
#   limits       every tests/limits/test_*.py: buffer limits, 10,000
#                connections, clients that never read / vanish / half-close
#                / send garbage, SIGTERM under load (honours MINIRED_SERVER)
#   trace        every tests/trace/test_*.py and test_*.sh: scenario
#                goldens, live record/replay round trips, check on broken
#                traces, Perfetto export, the jq one-liners of
#                docs/trace-format.md (needs bin/minired-trace)
#   viewer       every tests/viewer/test_*.py and test_*.sh: --dump goldens,
#                bad input, bin/minired-view driven with keys inside tmux,
#                follow mode on a live server (needs bin/minired-view, tmux)
#   labs         tests/labs/test_*.py: the lab graders against the
#                reference, known-bad and good patches, and the handouts
#   docs         `make docs`, `make check-anchors` and `make book-check`,
#                one test each, then tests/book/test_*.py (the book checker)
#   sanitize     this script again in sanitize mode (below) against the
#                ASan+UBSan binaries of `make sanitize-bins`; its verdict
#                line becomes this suite's subtotal
#   valgrind     every tests/integration/test_*.py again, each server under
#                valgrind memcheck (harness.py: MINIRED_SERVER_WRAPPER),
#                hang guards x10 (MINIRED_TIME_FACTOR, harness.guard);
#                VALGRIND_SKIP below lists the scripts too slow for it
#   MINIRED_MEMCHECK=0 leaves out the last two (a quick run by hand).
#
# Sanitize mode (MINIRED_RUN_MODE=sanitize, what `make sanitize` runs):
# build, unit, integration, sidebyside, difftest, trace and viewer against
# build/sanitize/ (docs is left to the normal run). Every sanitizer report
# goes to a file (log_path), and after each test script or unit binary any
# new report is a FAIL naming it, whichever process wrote it (server, tool,
# viewer, unit test); harness.py also names the test whose server it was.
#
# Script suites speak a line protocol, one line per test:
#   PASS name | FAIL name: reason | SKIP name: reason
# Other lines are shown but not counted. A script that exits non-zero
# without printing a FAIL line, or prints no result at all, counts as one
# failure: nothing fails silently.
#
# Output ends with per-suite subtotals and, as the very last line,
#   N passed, N failed            (", N skipped" appended only if any)
# Exit status: 0 only if nothing failed.
#
# Environment: MINIRED_SERVER=/usr/bin/redis-server runs the integration
# suite against real Redis instead of bin/minired-server. MINIRED_UNIT_DIR
# (default build/tests) is where the unit binaries are; MINIRED_TRACE and
# MINIRED_VIEW pick the trace tool and the viewer (tests/trace/tracelib.py,
# tests/viewer/viewerlib.py), SIDEBYSIDE_MINIRED the side-by-side server.
#
# Never leaves a process behind: on exit (normal, error or signal) every
# process this script started, and their children, are killed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
PY=/usr/bin/python3
SUITE_TIMEOUT=${SUITE_TIMEOUT:-600}   # seconds for one test script
UNIT_TIMEOUT=${UNIT_TIMEOUT:-300}     # seconds for one Check binary

export PYTHONDONTWRITEBYTECODE=1   # no __pycache__ in the tree
TMP=$(mktemp -d /tmp/minired-run-all.XXXXXX)
TOTAL_PASS=0 TOTAL_FAIL=0 TOTAL_SKIP=0
SUBTOTALS=()
RUN_MODE=${MINIRED_RUN_MODE:-normal}
UNIT_DIR=${MINIRED_UNIT_DIR:-build/tests}
SUITE_PREFIX=
SAN_DIR=

# Sanitize mode: the binaries of build/sanitize/ (unless overridden), and
# the sanitizer options of `make sanitize`. Reports go to $SAN_DIR/san.PID
# (log_path) so that none is lost in a log a test throws away.
if [ "$RUN_MODE" = sanitize ]; then
    SAN=build/sanitize
    SUITE_PREFIX=sanitize/
    export MINIRED_SERVER=${MINIRED_SERVER:-$ROOT/$SAN/bin/minired-server}
    export SIDEBYSIDE_MINIRED=${SIDEBYSIDE_MINIRED:-$MINIRED_SERVER}
    export MINIRED_TRACE=${MINIRED_TRACE:-$ROOT/$SAN/bin/minired-trace}
    export MINIRED_VIEW=${MINIRED_VIEW:-$ROOT/$SAN/bin/minired-view}
    UNIT_DIR=${MINIRED_UNIT_DIR:-$SAN/build/tests}
    SAN_DIR=$TMP/sanitizer-reports
    mkdir -p "$SAN_DIR/seen"
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:log_path=$SAN_DIR/san${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$SAN_DIR/san${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
    export LSAN_OPTIONS=${LSAN_OPTIONS:-}
    export MINIRED_TIME_FACTOR=${MINIRED_TIME_FACTOR:-3}
    export MINIRED_LIVE_BENCH_REQUESTS=${MINIRED_LIVE_BENCH_REQUESTS:-200}
fi

# --- cleanup ---------------------------------------------------------------

# kill_tree PID: SIGTERM then SIGKILL every descendant of PID (children
# first found by parent pid, so servers started by test scripts are found
# even in another process group).
descendants() {
    local child
    for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
        descendants "$child"
        echo "$child"
    done
}
cleanup() {
    local pids
    pids=$(descendants $$ | grep -vx "$BASHPID" || true)
    if [ -n "$pids" ]; then
        kill -TERM $pids 2>/dev/null || true
        sleep 0.5
        kill -KILL $pids 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- counting --------------------------------------------------------------

S_PASS=0 S_FAIL=0 S_SKIP=0
suite_begin() {
    S_PASS=0 S_FAIL=0 S_SKIP=0
    echo
    echo "=== suite: $SUITE_PREFIX$1"
}
pass() { echo "PASS $1"; S_PASS=$((S_PASS + 1)); }
fail() { echo "FAIL $1: $2"; S_FAIL=$((S_FAIL + 1)); }
skip() { echo "SKIP $1: $2"; S_SKIP=$((S_SKIP + 1)); }
summary_of() {
    local s="$1 passed, $2 failed"
    [ "$3" -gt 0 ] && s="$s, $3 skipped"
    echo "$s"
}
suite_end() {
    local line
    line="$(summary_of $S_PASS $S_FAIL $S_SKIP)"
    echo "--- $SUITE_PREFIX$1: $line"
    SUBTOTALS+=("$(printf '%-12s %s' "$1" "$line")")
    TOTAL_PASS=$((TOTAL_PASS + S_PASS))
    TOTAL_FAIL=$((TOTAL_FAIL + S_FAIL))
    TOTAL_SKIP=$((TOTAL_SKIP + S_SKIP))
}

# san_sweep NAME: in sanitize mode, one FAIL per sanitizer report file
# written since the last sweep (harness.py renames the files of its servers
# to *.reported once it has printed their FAIL: moved away uncounted).
san_sweep() {
    local f pid
    [ -n "$SAN_DIR" ] || return 0
    for f in "$SAN_DIR"/san.*; do
        [ -f "$f" ] || continue
        case "$f" in
        *.reported) mv "$f" "$SAN_DIR/seen/" ; continue ;;
        esac
        pid=${f##*.}
        sed 's/^/    | /' "$f" | head -n 40
        fail "$1/sanitizer" "report of pid $pid: $(grep -m1 -E 'ERROR: |runtime error:' "$f" | cut -c1-200)"
        mv "$f" "$SAN_DIR/seen/"
    done
}

# run_protocol NAME CMD...: run a line-protocol script, show its output as
# it comes, then count its PASS/FAIL/SKIP lines into the current suite.
run_protocol() {
    local name=$1 out="$TMP/out" rc p f s
    shift
    timeout --kill-after=10 "$SUITE_TIMEOUT" "$@" </dev/null 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    p=$(grep -c '^PASS ' "$out")
    f=$(grep -c '^FAIL ' "$out")
    s=$(grep -c '^SKIP ' "$out")
    S_PASS=$((S_PASS + p)) S_FAIL=$((S_FAIL + f)) S_SKIP=$((S_SKIP + s))
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        fail "$name" "timed out after ${SUITE_TIMEOUT}s"
    elif [ $((p + f + s)) -eq 0 ]; then
        fail "$name" "printed no PASS/FAIL/SKIP line (exit $rc)"
    elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        fail "$name" "exited $rc without a FAIL line"
    fi
    san_sweep "$name"
}

# --- build -----------------------------------------------------------------

if [ -n "${MINIRED_BUILD_STATUS:-}" ]; then
    suite_begin build
    if [ "$MINIRED_BUILD_STATUS" -eq 0 ]; then
        pass build
    else
        fail build "make exited $MINIRED_BUILD_STATUS (see the compiler output above)"
    fi
    suite_end build
fi

# --- unit ------------------------------------------------------------------

suite_begin unit
shopt -s nullglob
unit_srcs=(tests/unit/test_*.c)
if [ ${#unit_srcs[@]} -eq 0 ]; then
    skip unit "no tests/unit/test_*.c yet"
fi
for src in "${unit_srcs[@]}"; do
    name=$(basename "$src" .c)
    bin=$UNIT_DIR/$name
    if [ ! -x "$bin" ]; then
        fail "unit/$name" "$bin not built (make test-bins / sanitize-bins)"
        continue
    fi
    out="$TMP/unit.out"
    timeout --kill-after=10 "$UNIT_TIMEOUT" "$bin" </dev/null >"$out" 2>&1
    rc=$?
    # "100%: Checks: 12, Failures: 0, Errors: 0" - one per srunner; sum them.
    read -r checks failures errors < <(awk '
        /^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+/ {
            gsub(/,/, ""); c += $3; f += $5; e += $7; n++ }
        END { if (n) print c, f, e; else print "none" }' "$out")
    san_sweep "unit/$name"
    if [ "$checks" = none ]; then
        sed 's/^/    | /' "$out" | tail -n 30
        if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
            fail "unit/$name" "timed out after ${UNIT_TIMEOUT}s"
        elif [ $rc -ge 128 ]; then
            fail "unit/$name" "crashed (signal $((rc - 128))) before Check's summary line"
        else
            fail "unit/$name" "no Check summary line (exit $rc): not a Check runner?"
        fi
        continue
    fi
    ok=$((checks - failures - errors))
    S_PASS=$((S_PASS + ok))
    if [ $((failures + errors)) -gt 0 ]; then
        # Check's failure lines look like file.c:LINE:F:tcase:test:0: msg
        grep -E ':[FE]:' "$out" | sed 's/^/    | /'
        echo "FAIL unit/$name: $failures failures, $errors errors of $checks checks"
        S_FAIL=$((S_FAIL + failures + errors))
    elif [ $rc -ne 0 ]; then
        sed 's/^/    | /' "$out" | tail -n 30
        fail "unit/$name" "all $checks checks passed but the binary exited $rc"
    else
        echo "PASS unit/$name ($checks checks)"
    fi
done
suite_end unit

# --- integration -----------------------------------------------------------

suite_begin integration
if [ -n "${MINIRED_SERVER:-}" ]; then
    echo "(server under test: MINIRED_SERVER=$MINIRED_SERVER)"
fi
for t in tests/integration/test_*.py tests/integration/test_*.sh; do
    name=integration/$(basename "$t")
    echo "--- $name"
    case "$t" in
    *.py)
        if [ ! -x "$PY" ]; then
            fail "$name" "$PY not found: run scripts/install-deps.sh"
            continue
        fi
        run_protocol "$name" "$PY" "$t" ;;
    *.sh)
        run_protocol "$name" bash "$t" ;;
    esac
done
suite_end integration

# --- sidebyside ------------------------------------------------------------

suite_begin sidebyside
if [ -f tests/sidebyside/run.sh ]; then
    run_protocol sidebyside bash tests/sidebyside/run.sh
else
    echo "FAIL sidebyside: suite missing"
    S_FAIL=$((S_FAIL + 1))
fi
suite_end sidebyside

# --- difftest --------------------------------------------------------------
# Random sessions (tests/difftest/README.md). In sanitize mode a fifth of
# them against the ASan+UBSan server: cheap, and the generator's malformed
# protocol and odd options are what a sanitizer wants to see.
suite_begin difftest
if [ "$RUN_MODE" = sanitize ]; then
    dt_sessions=${MINIRED_DIFFTEST_SESSIONS:-60}
else
    dt_sessions=${MINIRED_DIFFTEST_SESSIONS:-300}
fi
for t in tests/difftest/test_*.py; do
    name=difftest/$(basename "$t")
    echo "--- $name"
    run_protocol "$name" "$PY" "$t"
done
echo "--- difftest/random"
run_protocol difftest/random "$PY" tests/difftest/difftest.py --suite \
    --sessions "$dt_sessions" \
    --candidate "${SIDEBYSIDE_MINIRED:-$ROOT/bin/minired-server}"
suite_end difftest

# --- limits ----------------------------------------------------------------
# maxclients itself is in the integration suite (test_maxclients.py).
suite_begin limits
limits_tests=(tests/limits/test_*.py)
if [ ${#limits_tests[@]} -eq 0 ]; then
    fail limits "no tests/limits/test_*.py scripts"
fi
for t in "${limits_tests[@]}"; do
    name=limits/$(basename "$t")
    echo "--- $name"
    run_protocol "$name" "$PY" "$t"
done
suite_end limits

# --- trace -----------------------------------------------------------------

suite_begin trace
trace_tests=(tests/trace/test_*.py tests/trace/test_*.sh)
if [ ${#trace_tests[@]} -eq 0 ]; then
    fail trace "no tests/trace/test_* scripts"
fi
for t in "${trace_tests[@]}"; do
    name=trace/$(basename "$t")
    echo "--- $name"
    case "$t" in
    *.py) run_protocol "$name" "$PY" "$t" ;;
    *.sh) run_protocol "$name" bash "$t" ;;
    esac
done
suite_end trace

# --- viewer ----------------------------------------------------------------

# bin/minired-view from the outside: --dump goldens, bad input, and the
# interactive viewer driven by keys in a private tmux server. Missing tmux or
# a missing binary is a FAIL, never a skip: the suite must not look green on
# a machine where it could not run.
suite_begin viewer
if ! command -v tmux >/dev/null 2>&1; then
    fail viewer/tmux "tmux not installed (scripts/install-deps.sh installs it)"
fi
if [ ! -x bin/minired-view ]; then
    fail viewer/binary "bin/minired-view not built (make)"
else
    viewer_tests=(tests/viewer/test_*.py tests/viewer/test_*.sh)
    if [ ${#viewer_tests[@]} -eq 0 ]; then
        fail viewer "no tests/viewer/test_* scripts"
    fi
    for t in "${viewer_tests[@]}"; do
        name=viewer/$(basename "$t")
        echo "--- $name"
        case "$t" in
        *.py) run_protocol "$name" "$PY" "$t" ;;
        *.sh) run_protocol "$name" bash "$t" ;;
        esac
    done
fi
# A viewer test killed outright (timeout's SIGKILL) cannot stop its private
# tmux server (socket minired-test-PID-N); stop those whose PID is gone.
for sock in "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)"/minired-test-*; do
    [ -S "$sock" ] || continue
    owner=${sock##*/minired-test-}
    owner=${owner%%-*}
    kill -0 "$owner" 2>/dev/null && continue
    env -u TMUX tmux -L "${sock##*/}" kill-server 2>/dev/null || true
    rm -f "$sock"
done
suite_end viewer

# --- labs ------------------------------------------------------------------

# The graders of exercises/ (exercises/README.md): each lab's reference tree
# scores full marks, every known-bad patch is rejected with the lines of its
# bad/NAME.expect, every good patch scores full, every handout builds, fails
# its grader and holds none of the removed solution (tests/labs/).
suite_begin labs
if [ "$RUN_MODE" = sanitize ]; then
    echo "(the graders are checked by the normal run, not again here)"
else
    for t in tests/labs/test_*.py; do
        [ -f "$t" ] || { fail labs "no tests/labs/test_*.py"; continue; }
        echo "--- labs/$(basename "$t")"
        run_protocol "labs/$(basename "$t")" "$PY" "$t"
    done
fi
suite_end labs

# --- docs ------------------------------------------------------------------

suite_begin docs
# book-check (issue 12): the book's generated blocks match the tree, its
# links resolve and its commands run (docs/book-build.md); book-seeds: every
# seed function is explained by a chapter; book: the HTML renders with no
# pandoc or dot warning; then the checker's and renderer's own tests
# (tests/book/test_*.py), on scratch copies.
docs_targets=(docs check-anchors book-check book-seeds book)
book_tests=(tests/book/test_*.py)
if [ "$RUN_MODE" = sanitize ]; then
    echo "(docs are checked by the normal run, not again here)"
    docs_targets=()
    book_tests=()
fi
for target in "${docs_targets[@]}"; do
    out="$TMP/docs.out"
    if make --no-print-directory "$target" >"$out" 2>&1; then
        tail -n 1 "$out" | sed 's/^/    /'
        pass "make-$target"
    else
        sed 's/^/    | /' "$out" | head -n 40
        n=$(grep -c -E 'warning|error|ERROR' "$out")
        fail "make-$target" "failed ($n warning/error lines, first shown above)"
    fi
done
for t in "${book_tests[@]}"; do
    [ -f "$t" ] || { fail book "no tests/book/test_*.py"; continue; }
    echo "--- book/$(basename "$t")"
    run_protocol "book/$(basename "$t")" "$PY" "$t"
done
suite_end docs

# --- sanitize --------------------------------------------------------------

# The whole run again (build verdict of `make sanitize-bins`, unit,
# integration, sidebyside, trace, viewer) against the ASan+UBSan binaries;
# the nested run's own last line "N passed, N failed[, N skipped]" is
# counted here, so the verdict below includes it.
MEMCHECK=${MINIRED_MEMCHECK:-1}
if [ "$RUN_MODE" = normal ] && [ "$MEMCHECK" != 0 ]; then
    suite_begin sanitize
    san_out="$TMP/sanitize.out"
    MINIRED_RUN_MODE=sanitize \
        MINIRED_BUILD_STATUS=${MINIRED_SANITIZE_BUILD_STATUS:-} \
        bash tests/run-all.sh </dev/null 2>&1 | tee "$san_out"
    rc=${PIPESTATUS[0]}
    verdict=$(tail -n 1 "$san_out")
    if [[ $verdict =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)?$ ]]; then
        S_PASS=${BASH_REMATCH[1]} S_FAIL=${BASH_REMATCH[2]}
        S_SKIP=${BASH_REMATCH[4]:-0}
        if [ "$rc" -ne 0 ] && [ "$S_FAIL" -eq 0 ]; then
            fail sanitize "nested run exited $rc with no failure counted"
        fi
    else
        fail sanitize "nested run printed no verdict line (exit $rc)"
    fi
    suite_end sanitize
fi

# --- valgrind --------------------------------------------------------------

# Every integration script again, its servers under valgrind memcheck; the
# harness fails a test whose server's valgrind log shows an error or a
# definitely/indirectly lost byte. Scripts listed in VALGRIND_SKIP (name,
# then why) are reported as SKIP with the reason.
VALGRIND=(valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect
          --error-exitcode=99 --track-fds=no)
declare -A VALGRIND_SKIP=()
if [ "$RUN_MODE" = normal ] && [ "$MEMCHECK" != 0 ]; then
    suite_begin valgrind
    if ! command -v valgrind >/dev/null 2>&1; then
        fail valgrind "valgrind not installed (scripts/install-deps.sh)"
    else
        for t in tests/integration/test_*.py; do
            name=valgrind/$(basename "$t")
            echo "--- $name"
            if [ -n "${VALGRIND_SKIP[$(basename "$t")]:-}" ]; then
                skip "$name" "${VALGRIND_SKIP[$(basename "$t")]}"
                continue
            fi
            # Hang guards (harness.guard) x10: memcheck runs the server
            # 20-50 times slower; no test bound is a speed claim.
            MINIRED_SERVER_WRAPPER="${VALGRIND[*]}" \
                MINIRED_TIME_FACTOR=${MINIRED_VALGRIND_TIME_FACTOR:-10} \
                run_protocol "$name" "$PY" "$t"
        done
    fi
    suite_end valgrind
fi

# --- verdict ---------------------------------------------------------------

echo
echo "=== subtotals"
for line in "${SUBTOTALS[@]}"; do
    echo "  $line"
done
summary_of $TOTAL_PASS $TOTAL_FAIL $TOTAL_SKIP
[ "$TOTAL_FAIL" -eq 0 ]
