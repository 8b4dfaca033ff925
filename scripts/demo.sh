#!/usr/bin/env bash
# demo.sh - a two-minute look at minired from the outside (`make demo`).
#
# Starts bin/minired-server on a free port on 127.0.0.1, talks to it with the
# real redis-cli, printing each command and the reply it got, then stops the
# server. Needs no terminal; never leaves the server running (trap EXIT).
#
# The whole session is traced (--trace build/demo-trace.jsonl): at the end
# the demo says where the trace is, how big, how many events, checks it
# with bin/minired-trace check, replays it and diffs the replay against the
# recording, and shows how to look at it (summary, filter, jq, Perfetto).
# Last, bin/minired-view: when stdin and stdout are a terminal the demo
# opens the viewer on the trace at the --pipe client's big read (--step;
# q quits); otherwise (CI, a pipe) it prints
# `--dump` screens of three steps of the --pipe client (a read, a reply
# append, a write) and the command that opens the trace interactively.
#
# Environment: MINIRED_SERVER=/usr/bin/redis-server runs the same demo
# against real Redis, to compare (untraced: Redis has no --trace).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER=${MINIRED_SERVER:-$ROOT/bin/minired-server}
CLI=/usr/bin/redis-cli
TOOL=$ROOT/bin/minired-trace
TRACE=$ROOT/build/demo-trace.jsonl

if [ ! -x "$SERVER" ]; then
    echo "demo: $SERVER not found; run make first" >&2
    exit 1
fi
if [ ! -x "$CLI" ]; then
    echo "demo: $CLI not found; run scripts/install-deps.sh" >&2
    exit 1
fi

# A port that was free a moment ago: bind port 0 and read what we got.
PORT=$(/usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=$(mktemp /tmp/minired-demo.XXXXXX)
SERVER_PID=

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -f "$LOG"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

EXTRA=()
TRACING=no
case "$(basename "$SERVER")" in
    redis-server*) EXTRA=(--save "" --appendonly no) ;;
    *)  mkdir -p "$ROOT/build"
        rm -f "$TRACE"
        EXTRA=(--trace "$TRACE")
        TRACING=yes ;;
esac
"$SERVER" --port "$PORT" --bind 127.0.0.1 "${EXTRA[@]}" >"$LOG" 2>&1 </dev/null &
SERVER_PID=$!

# Wait (up to 5 s) for the first PONG.
for _ in $(seq 50); do
    if [ "$("$CLI" -p "$PORT" PING 2>/dev/null)" = PONG ]; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.1
done
if [ "$("$CLI" -p "$PORT" PING 2>/dev/null)" != PONG ]; then
    echo "demo: the server did not answer PING; its log:" >&2
    cat "$LOG" >&2
    exit 1
fi

echo "minired demo: $(basename "$SERVER") pid $SERVER_PID on 127.0.0.1:$PORT"
echo "(each line below is a redis-cli command, then the reply it printed)"
echo

# say ARGS...: show the command the way you would type it, then run it.
# --no-raw keeps redis-cli's human format ("(integer) 1", quoted strings)
# even though stdout is not a terminal here.
say() {
    local shown="" a
    for a in "$@"; do
        case "$a" in
            *" "*) shown="$shown \"$a\"" ;;
            *) shown="$shown $a" ;;
        esac
    done
    echo "127.0.0.1:$PORT>$shown"
    "$CLI" -p "$PORT" --no-raw "$@" | sed 's/^/    /'
}

say PING
say SET greeting "hello, world"
say GET greeting
say INCR visits
say INCR visits
say MSET lang C year 2009 author antirez
say MGET lang year author nosuchkey
say APPEND greeting "!"
say STRLEN greeting

echo
echo "A pipelined burst: 1000 SET commands written as raw RESP, sent at once"
echo "with redis-cli --pipe (the first one is shown byte for byte):"
echo '    *3\r\n$3\r\nSET\r\n$7\r\nburst:0\r\n$1\r\n0\r\n'
for i in $(seq 0 999); do
    key="burst:$i"
    printf '*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n' \
        "${#key}" "$key" "${#i}" "$i"
done | "$CLI" -p "$PORT" --pipe | sed 's/^/    /'
say GET burst:999
say DBSIZE

echo
echo "Who is connected (this redis-cli itself): note qbuf, obl, oll, omem,"
echo "the sizes of the query buffer and the reply buffers."
say CLIENT LIST

echo
echo "minired demo: done, stopping the server."
stop_server
if [ "$TRACING" = no ]; then
    exit 0
fi

# ---- the trace of everything above ---------------------------------------
# SIGTERM made the server write the footer line; from here on the trace is
# a plain file the tools read.
rel=${TRACE#"$ROOT"/}
echo
echo "The trace of this session: $rel"
echo "    $(wc -c < "$TRACE") bytes, $(wc -l < "$TRACE") events (one JSON line each)"
echo "    its first line, the header:"
head -n 1 "$TRACE" | cut -c1-150 | sed 's/^/        /; s/$/.../'

if [ ! -x "$TOOL" ]; then
    echo "demo: $TOOL not built, cannot check the trace (make bin/minired-trace)" >&2
    exit 1
fi
echo
echo "\$ bin/minired-trace check $rel"
"$TOOL" check "$TRACE" 2>&1 | sed 's/^/    /'
REPLAY=$ROOT/build/demo-replay.jsonl
echo "\$ bin/minired-trace replay $rel > build/demo-replay.jsonl"
"$TOOL" replay "$TRACE" > "$REPLAY"
echo "\$ bin/minired-trace diff $rel build/demo-replay.jsonl"
"$TOOL" diff "$TRACE" "$REPLAY" 2>&1 | sed 's/^/    /'
echo "    (the replay ran the same pipeline code on the recorded reads and"
echo "     write sizes, with no socket: only wall-clock fields may differ)"

# The --pipe client: the one whose read brought over 1,000 bytes at once.
pipe_id=$(jq -r 'select(.cat == "read" and .args.nread > 1000) | .tid' \
          "$TRACE" 2>/dev/null | head -n 1 || true)
pipe_id=${pipe_id:-3}   # the first client's id, as in Redis 5.0.14

echo
echo "How to look at it:"
echo "    bin/minired-trace summary $rel              # clients, steps, bytes"
echo "    bin/minired-trace filter $rel --client $pipe_id   # one client (the --pipe one)"
echo "    jq -c 'select(.cat == \"write\") | [.tid, .args.nwritten]' $rel | head"
echo "    jq -c 'select(.tid == $pipe_id) | [.ts, .cat, .args.c.qb_pos, .args.c.bufpos]' $rel | head -40"
echo "    bin/minired-trace export --perfetto $rel > build/demo-trace.perfetto.json"
echo "        then open https://ui.perfetto.dev and drop that file in: a track per"
echo "        client, counters for qb_pos, bufpos, sentlen and reply_bytes"
echo "    docs/trace-format.md explains every step and field."

# ---- the viewer ------------------------------------------------------------
VIEW=$ROOT/bin/minired-view
if [ ! -x "$VIEW" ]; then
    echo "demo: $VIEW not built, cannot show the trace in the viewer (make)" >&2
    exit 1
fi
# Three steps of the --pipe client worth a look: the read that brought the
# burst into querybuf, the first reply appended to c->buf, the first write.
# A step number is the event's ts (line ts + 1 of the file).
first_ts() {
    jq -r --argjson id "$pipe_id" --arg cat "$1" \
        'select(.tid == $id and .cat == $cat) | .ts' "$TRACE" 2>/dev/null |
        head -n 1 || true
}
read_ts=$(jq -r --argjson id "$pipe_id" \
    'select(.tid == $id and .cat == "read" and .args.nread > 1000) | .ts' \
    "$TRACE" 2>/dev/null | head -n 1 || true)
read_ts=${read_ts:-$(first_ts read)}
reply_ts=$(first_ts buf-append)
write_ts=$(first_ts write)

echo
if [ -t 0 ] && [ -t 1 ]; then
    # Open right at the --pipe client's big read: the burst of 1000 SETs
    # landing in querybuf is the first thing worth seeing.
    step_arg=()
    [ -n "$read_ts" ] && step_arg=(--step "$read_ts")
    echo "Opening the trace in the viewer: bin/minired-view ${step_arg[*]:-}${step_arg[*]:+ }$rel"
    echo "    (at the --pipe client's big read: the burst lands in querybuf)"
    echo "    -> / <- step, Tab picks a client, / searches a function,"
    echo "    ? lists every key, q quits."
    sleep 2
    "$VIEW" "${step_arg[@]}" "$TRACE" || echo "demo: the viewer exited with status $?" >&2
else
    echo "The viewer (no terminal here, so a few of its screens as text):"
    for pair in "$read_ts:the --pipe burst lands in querybuf" \
                "$reply_ts:the first reply appended to c->buf" \
                "$write_ts:the first write: sentlen catches up with bufpos"; do
        ts=${pair%%:*}
        [ -n "$ts" ] || continue
        echo
        echo "\$ bin/minired-view --dump $ts $rel      # ${pair#*:}"
        "$VIEW" --dump "$ts" --width 100 --height 34 "$TRACE" 2>&1 | sed "s/^/    /"
    done
    echo
    echo "Open it interactively, in a terminal:"
    echo "    bin/minired-view${read_ts:+ --step $read_ts} $rel          (? lists the keys, q quits)"
fi
