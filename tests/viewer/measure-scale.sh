#!/usr/bin/env bash
# measure-scale.sh - how bin/minired-view copes with a big trace (a
# measurement for people, not a test: run-all.sh does not run it).
#
#   bash tests/viewer/measure-scale.sh [EVENTS] [DIR]
#
# Records a trace of about EVENTS events (default 1,000,000) from a real
# session: bin/minired-server --trace on a free loopback port, driven by
# redis-benchmark -P 16 -t set,get (about 14 events per pipelined command),
# stopped with SIGTERM so the footer is written. Then prints:
#   - the trace's size and event count;
#   - `/usr/bin/time -v bin/minired-view --dump 1 TRACE`: wall time and
#     maximum resident set size (the index, not the file, must be in RAM);
#   - the same for --dump of the last step;
#   - time to first screen in tmux (100x30): from typing the command to
#     "step 1 of N" on the pane; then G (last step), g (first), f s (next
#     sentlen change), v (next violation: the whole trace when clean), and
#     the viewer's anonymous / file-backed resident memory after them.
# DIR (default /tmp/minired-view-scale) keeps the trace for a second run;
# an existing DIR/big.jsonl is reused. The server is always stopped.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
EVENTS=${1:-1000000}
DIR=${2:-/tmp/minired-view-scale}
VIEW=$ROOT/bin/minired-view
SERVER=$ROOT/bin/minired-server
TRACE=$DIR/big.jsonl
mkdir -p "$DIR"

SERVER_PID=
SOCK=minired-test-$$
stop_all() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    rm -f "/tmp/tmux-$(id -u)/$SOCK"
}
trap stop_all EXIT

if [ ! -s "$TRACE" ]; then
    PORT=$(/usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$SERVER" --port "$PORT" --bind 127.0.0.1 --trace "$TRACE" \
        >"$DIR/server.log" 2>&1 </dev/null &
    SERVER_PID=$!
    for _ in $(seq 50); do
        [ "$(redis-cli -p "$PORT" PING 2>/dev/null)" = PONG ] && break
        sleep 0.1
    done
    # ~13.7 events per pipelined SET or GET (measured): n per test.
    n=$((EVENTS / 28))
    echo "recording: redis-benchmark -p $PORT -n $n -P 16 -t set,get"
    redis-benchmark -p "$PORT" -n "$n" -P 16 -t set,get -q
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" || true
    SERVER_PID=
fi
lines=$(wc -l < "$TRACE")
echo "trace: $TRACE, $(du -h "$TRACE" | cut -f1), $lines lines" \
     "($((lines - 1)) steps with the footer)"

measure() {
    local label=$1
    shift
    /usr/bin/time -v "$@" >"$DIR/out.txt" 2>"$DIR/time.txt" || true
    printf '%-28s wall %s  max RSS %s KB  exit %s\n' "$label" \
        "$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$DIR/time.txt")" \
        "$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DIR/time.txt")" \
        "$(sed -n 's/.*Exit status: //p' "$DIR/time.txt")"
}
measure "--dump 1" "$VIEW" --dump 1 "$TRACE"
head -n 1 "$DIR/out.txt" | sed 's/^/    /'
measure "--dump $((lines - 1)) (last)" "$VIEW" --dump $((lines - 1)) "$TRACE"
head -n 1 "$DIR/out.txt" | sed 's/^/    /'
measure "--dump $((lines / 2)) (middle)" "$VIEW" --dump $((lines / 2)) "$TRACE"

# Time to first screen in tmux.
tmux -L "$SOCK" -f /dev/null new-session -d -x 100 -y 30 \
    "env TERM=screen HISTFILE= bash --norc --noprofile -i"
tmux -L "$SOCK" set-option -g window-size manual >/dev/null
tmux -L "$SOCK" resize-window -x 100 -y 30
sleep 0.5
wait_for() {    # wait_for REGEX: poll the pane every 20 ms, print seconds
    local t0 t1
    t0=$(date +%s.%N)
    for _ in $(seq 3000); do
        if tmux -L "$SOCK" capture-pane -p | grep -Eq "$1"; then
            t1=$(date +%s.%N)
            echo "$t1 - $t0" | bc
            return 0
        fi
        sleep 0.02
    done
    echo "timeout (60 s)"
}
t0=$(date +%s.%N)
tmux -L "$SOCK" send-keys "$VIEW $TRACE" Enter
first=$(wait_for "step 1 of [0-9]+")
echo "tmux: first screen after ${first}s"
tmux -L "$SOCK" send-keys G
last=$(wait_for "step $((lines - 1)) of")
echo "tmux: G (last step) drawn after ${last}s"
tmux -L "$SOCK" send-keys g
back=$(wait_for "step 1 of")
echo "tmux: g (first step) drawn after ${back}s"
tmux -L "$SOCK" send-keys f s
fs=$(wait_for "step ([2-9]|[1-9][0-9]+) of|does not change")
echo "tmux: f s (next sentlen change) answered after ${fs}s"
tmux -L "$SOCK" send-keys g
wait_for "step 1 of" >/dev/null
tmux -L "$SOCK" send-keys v
v=$(wait_for "no violation|violation at")
echo "tmux: v from step 1 (a scan of the whole trace if it is clean) answered after ${v}s"
tmux -L "$SOCK" capture-pane -p | grep -E "violation" | head -n 1 | sed 's/^/    /'
pid=$(pgrep -P "$(tmux -L "$SOCK" display-message -p '#{pane_pid}')" minired-view || true)
if [ -n "$pid" ]; then
    grep -E '^(VmHWM|RssAnon|RssFile)' "/proc/$pid/status" | tr -s ' \t' ' ' |
        sed 's/^/    viewer after the scans: /'
fi
tmux -L "$SOCK" send-keys q
