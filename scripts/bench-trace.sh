#!/usr/bin/env bash
# bench-trace.sh - what does tracing cost? (not part of `make test`)
#
# Runs redis-benchmark -t ping,set,get -n 100000 -c 50 (PING_INLINE,
# PING_MBULK, SET, GET: 400,000 requests per run) against three servers:
#
#   out   build/notrace/bin/minired-server: every trace point compiled out
#         (-DMINIRED_NO_TRACE, built here with `make notrace` into its own
#         directory; bin/ and build/obj/ are not touched)
#   off   bin/minired-server, tracing off: one branch on server.trace_fp
#         per trace point, predicted not taken
#   on    bin/minired-server --trace FILE
#
# interleaved (out, off, on, out, off, on, ...) so that the three modes see
# the same machine load, ROUNDS rounds (3 by default). Each run gets a
# fresh server on a free 127.0.0.1 port, stopped with SIGTERM so the trace
# gets its footer.
#
# Prints, per test, the median requests/s of each mode and the ratios
# off/out (what the branch costs: 1.000 means nothing measurable) and on/off
# (what writing the trace costs), then the trace size: bytes and events per
# request (median over the traced runs). Machine noise on a shared box is a
# few percent from run to run: read off/out as "within noise" unless it is
# below that consistently. Traces are written under $TMPDIR and deleted
# after each run (one run writes a few hundred MB).
#
# Usage: scripts/bench-trace.sh [ROUNDS]       (after `make`)
# Environment: BENCH_N (default 100000), BENCH_C (default 50).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER=$ROOT/bin/minired-server
NOTRACE=$ROOT/build/notrace/bin/minired-server
BENCH=/usr/bin/redis-benchmark
CLI=/usr/bin/redis-cli
ROUNDS=${1:-3}
N=${BENCH_N:-100000}
C=${BENCH_C:-50}
TESTS=ping,set,get
WORK=$(mktemp -d "${TMPDIR:-/tmp}/minired-bench-trace.XXXXXX")
SERVER_PID=

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    [ -n "$SERVER_PID" ] && wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}
cleanup() {
    stop_server
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The compiled-out server is rebuilt if a source changed (make is a no-op
# otherwise); the normal build is left as `make` made it.
if ! make -C "$ROOT" --no-print-directory notrace >"$WORK/make.log" 2>&1; then
    echo "bench-trace: make notrace failed:" >&2
    cat "$WORK/make.log" >&2
    exit 1
fi

for bin in "$SERVER" "$NOTRACE" "$BENCH" "$CLI"; do
    if [ ! -x "$bin" ]; then
        echo "bench-trace: $bin not found (make; scripts/install-deps.sh)" >&2
        exit 1
    fi
done

free_port() {
    /usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server MODE: a fresh server: the compiled-out build for "out",
# bin/minired-server otherwise, traced into $WORK/trace.jsonl for "on".
# Sets PORT and SERVER_PID.
start_server() {
    local extra=() bin=$SERVER
    PORT=$(free_port)
    if [ "$1" = on ]; then
        rm -f "$WORK/trace.jsonl"
        extra=(--trace "$WORK/trace.jsonl")
    elif [ "$1" = out ]; then
        bin=$NOTRACE
    fi
    "$bin" --port "$PORT" --bind 127.0.0.1 "${extra[@]}" \
        >"$WORK/server.log" 2>&1 </dev/null &
    SERVER_PID=$!
    for _ in $(seq 50); do
        [ "$("$CLI" -p "$PORT" PING 2>/dev/null)" = PONG ] && return 0
        sleep 0.1
    done
    echo "bench-trace: the server did not start; log:" >&2
    cat "$WORK/server.log" >&2
    exit 1
}

# results file lines: MODE TEST RPS  and  SIZE BYTES EVENTS REQUESTS
RESULTS=$WORK/results
: > "$RESULTS"

echo "bench-trace: redis-benchmark -t $TESTS -n $N -c $C, $ROUNDS rounds," \
     "tracing compiled out/off/on interleaved"
for round in $(seq "$ROUNDS"); do
    for mode in out off on; do
        start_server "$mode"
        # --csv: "PING_INLINE","123456.79",... one line per test
        "$BENCH" -p "$PORT" -t "$TESTS" -n "$N" -c "$C" --csv \
            2>/dev/null | tr -d '"' | awk -F, -v m="$mode" \
            '$1 != "test" && NF > 1 { print m, $1, $2 }' > "$WORK/run"
        # The PINGs the start-up check sent are not part of the run.
        stop_server
        cat "$WORK/run" >> "$RESULTS"
        line="round $round tracing $mode:"
        while read -r _ t rps; do line="$line $t=$rps"; done < "$WORK/run"
        if [ "$mode" = on ]; then
            bytes=$(stat -c %s "$WORK/trace.jsonl")
            events=$(wc -l < "$WORK/trace.jsonl")
            reqs=$(awk 'END { print NR }' "$WORK/run")
            reqs=$((reqs * N))
            echo "SIZE $bytes $events $reqs" >> "$RESULTS"
            line="$line (trace $((bytes / 1048576)) MB, $events events)"
            rm -f "$WORK/trace.jsonl"
        fi
        echo "  $line"
    done
done

echo
awk '
function median(arr, n,    i, j, t) {
    for (i = 2; i <= n; i++)           # insertion sort: n is tiny
        for (j = i; j > 1 && arr[j - 1] > arr[j]; j--) {
            t = arr[j]; arr[j] = arr[j - 1]; arr[j - 1] = t
        }
    return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
}
$1 == "SIZE" { nb++; B[nb] = $2 / $4; E[nb] = $3 / $4; next }
{
    if (!($2 in seen)) { seen[$2] = 1; order[++nt] = $2 }
    k = $1 SUBSEP $2; cnt[k]++; v[k, cnt[k]] = $3
}
function med(mode, t,    n, j, a) {
    n = cnt[mode, t]; for (j = 1; j <= n; j++) a[j] = v[mode, t, j]
    return median(a, n)
}
END {
    printf "%-12s %12s %12s %12s %8s %8s\n", "test", "out (req/s)",
           "off (req/s)", "on (req/s)", "off/out", "on/off"
    for (i = 1; i <= nt; i++) {
        t = order[i]
        out = med("out", t); off = med("off", t); on = med("on", t)
        printf "%-12s %12.0f %12.0f %12.0f %8.3f %8.3f\n", t, out, off, on,
               out ? off / out : 0, off ? on / off : 0
    }
    if (nb) {
        printf "\ntrace size: %.0f bytes and %.1f events per request " \
               "(median of %d traced runs)\n", median(B, nb), median(E, nb), nb
    }
}' "$RESULTS"
