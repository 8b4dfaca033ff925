#!/usr/bin/env bash
# demo.sh - a two-minute look at minired from the outside (`make demo`).
#
# Starts bin/minired-server on a free port on 127.0.0.1, talks to it with the
# real redis-cli, printing each command and the reply it got, then stops the
# server. Needs no terminal; never leaves the server running (trap EXIT).
#
# Environment: MINIRED_SERVER=/usr/bin/redis-server runs the same demo
# against real Redis, to compare.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER=${MINIRED_SERVER:-$ROOT/bin/minired-server}
CLI=/usr/bin/redis-cli

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
case "$(basename "$SERVER")" in
    redis-server*) EXTRA=(--save "" --appendonly no) ;;
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
