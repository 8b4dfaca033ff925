#!/usr/bin/env bash
# bench.sh - `make bench`: minired against Debian's redis-server, side by
# side on this machine (a measurement, not a test: `make test` never runs it).
#
# Three servers, each on a free 127.0.0.1 port, a fresh process per run:
#
#   redis   /usr/bin/redis-server --save "" --appendonly no
#   off     bin/minired-server, tracing off
#   on      bin/minired-server --trace FILE (FILE under $TMPDIR, deleted as
#           soon as the run is over)
#
# Part 1, throughput. redis-benchmark -c 50, pipeline -P 1 and -P 16, one
# test per invocation:
#
#   PING_INLINE PING_MBULK SET GET INCR MSET   -t <test>  (3-byte values,
#                                              MSET: 10 keys, the defaults)
#   GET_100KB   `redis-benchmark ... GET bigkey` (a custom command line),
#               after `redis-cli -x SET bigkey` stored 102,400 bytes of "x".
#               Why not `-t get -d 102400`: -d only sizes what SET writes;
#               GET would read whatever key:__rand_int__ holds, and the
#               load would need a SET run of its own. A named key preloaded
#               by redis-cli is the same bytes on every server.
#
# Order: for each round, for each test, for each pipeline, the three
# servers back to back (redis, off, on), so all three see the same load on
# a shared machine. The row is the median requests/s over ROUNDS rounds.
#
# -n per row: the traced server writes ~3.3 KB per PING, ~5.5 KB per
# SET/GET/INCR, ~30 KB per 10-key MSET and ~218 KB per 100 KB GET (the
# bytes are in the trace). -n is picked per row so that one traced run
# stays under ~2 GB on disk, and the same -n is used for all three servers.
#
# Part 2, memory: each server (redis, off, rqb, on) with 1,000 idle
# connections (a Python client holds them open): VmRSS before, after
# connecting, right after one PING on each, 2 s later (every client has had
# its clientsCron visit by then), and VmHWM; bytes per client = (largest
# VmRSS - before) / 1000. "rqb" is minired with tracing off and
# `--reusable-querybuf yes` (the Redis 8.0-m01 idea, off by default): the
# row that measures what the option saves on idle clients.
#
# Part 3, the viewer: scripts/gen-big-trace.sh writes a 1,000,000-event
# trace; bin/minired-view --dump 1 under /usr/bin/time -v (wall, max RSS),
# then the interactive viewer in a detached tmux: time from Enter to
# "step 1 of N" on the pane, and its VmRSS / VmHWM / RssAnon / RssFile at
# that moment (RssFile is the mmapped trace; RssAnon is the viewer's own).
#
# Part 4, a stalled client: scripts/bench_stall.py against redis and off:
# client A asks for 64 MB of replies and never reads, client B PINGs every
# 20 ms; the first PING (it waits for A's GETs to run), the median, p99 and
# worst of the rest. The tests only check that B is answered while A
# stalls (tests/integration/test_slow_reader.py); how fast is measured here.
#
# Part 5, writev: minired (tracing off) with `--writev-replies no` (the
# default, one write(2) per reply block, as Redis 5.0.14) and `yes` (c->buf
# and the blocks in one writev(2), as Redis 7.0; exercises/08-writev),
# back to back per round: redis-benchmark -c 50 GET of a preloaded key of
# 20,000 and of 102,400 bytes, -P 1 and -P 16 (a 20,000-byte reply is
# "$20000" plus CRLF in c->buf and the value in a block; 16 of them
# pipelined are 30-odd blocks, sent in 64 KB writev calls instead of one
# write per block). The row is the median requests/s over ROUNDS rounds,
# and the ratio yes / no.
#
# Output: the tables on stdout and in docs/bench.md (with date, CPU,
# versions and command lines). The "What limits it" section of
# docs/bench.md is kept: everything from that heading on is carried over.
#
# Usage: scripts/bench.sh            (or `make bench`, which builds first)
# Environment:
#   ROUNDS=3        rounds of part 1
#   BENCH_QUICK=1   smoke run: 1 round, -n / 10, a 100,000-event trace,
#                   100 idle clients; writes build/bench-quick.md, not docs/
#   BENCH_OUT=FILE  where to write the report (default docs/bench.md)
#   BENCH_PARTS="throughput memory viewer stall writev"   which parts to run
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER=$ROOT/bin/minired-server
VIEW=$ROOT/bin/minired-view
REDIS=/usr/bin/redis-server
BENCH=/usr/bin/redis-benchmark
CLI=/usr/bin/redis-cli
PY=/usr/bin/python3
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
    ROUNDS=${ROUNDS:-1}; DIV=10; VIEW_EVENTS=100000; IDLE=100
    OUT=${BENCH_OUT:-$ROOT/build/bench-quick.md}
else
    ROUNDS=${ROUNDS:-3}; DIV=1; VIEW_EVENTS=1000000; IDLE=1000
    OUT=${BENCH_OUT:-$ROOT/docs/bench.md}
fi
PARTS=${BENCH_PARTS:-throughput memory viewer stall writev}
CLIENTS=50
WORK=$(mktemp -d "${TMPDIR:-/tmp}/minired-bench.XXXXXX")
SERVER_PID=
TMUX_SOCK=minired-bench-$$

# Rows: NAME  redis-benchmark arguments after -n/-c/-P  -n at P1  -n at P16
# (see the header for why -n differs from row to row).
ROWS=(
    "PING_INLINE|-t ping_inline|100000|400000"
    "PING_MBULK|-t ping_mbulk|100000|400000"
    "SET|-t set|100000|250000"
    "GET|-t get|100000|250000"
    "INCR|-t incr|100000|250000"
    "MSET|-t mset|50000|60000"
    "GET_100KB|GET bigkey|6000|6000"
)
PIPELINES=(1 16)
MODES=(redis off on)
MEM_MODES=(redis off rqb on)

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.05
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    [ -n "$SERVER_PID" ] && wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
    rm -f "$WORK/trace.jsonl"
}
cleanup() {
    stop_server
    tmux -L "$TMUX_SOCK" kill-server 2>/dev/null || true
    rm -f "/tmp/tmux-$(id -u)/$TMUX_SOCK"
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for bin in "$SERVER" "$REDIS" "$BENCH" "$CLI" "$PY"; do
    if [ ! -x "$bin" ]; then
        echo "bench: $bin not found (make; scripts/install-deps.sh)" >&2
        exit 1
    fi
done

free_port() {
    "$PY" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server MODE: a fresh server of that mode; sets PORT and SERVER_PID.
start_server() {
    PORT=$(free_port)
    case $1 in
    redis) "$REDIS" --port "$PORT" --bind 127.0.0.1 --save "" \
               --appendonly no --dir "$WORK" \
               >"$WORK/server.log" 2>&1 </dev/null & ;;
    off)   "$SERVER" --port "$PORT" --bind 127.0.0.1 \
               >"$WORK/server.log" 2>&1 </dev/null & ;;
    rqb)   "$SERVER" --port "$PORT" --bind 127.0.0.1 \
               --reusable-querybuf yes \
               >"$WORK/server.log" 2>&1 </dev/null & ;;
    wvno)  "$SERVER" --port "$PORT" --bind 127.0.0.1 \
               --writev-replies no \
               >"$WORK/server.log" 2>&1 </dev/null & ;;
    wvyes) "$SERVER" --port "$PORT" --bind 127.0.0.1 \
               --writev-replies yes \
               >"$WORK/server.log" 2>&1 </dev/null & ;;
    on)    "$SERVER" --port "$PORT" --bind 127.0.0.1 \
               --trace "$WORK/trace.jsonl" \
               >"$WORK/server.log" 2>&1 </dev/null & ;;
    esac
    SERVER_PID=$!
    for _ in $(seq 100); do
        [ "$("$CLI" -p "$PORT" PING 2>/dev/null)" = PONG ] && return 0
        sleep 0.05
    done
    echo "bench: the $1 server did not start; log:" >&2
    cat "$WORK/server.log" >&2
    exit 1
}

# ---------------------------------------------------------------- part 1
RESULTS=$WORK/results      # lines: ROW PIPELINE MODE RPS
: > "$RESULTS"
head -c 102400 /dev/zero | tr '\0' x > "$WORK/big.val"

run_throughput() {
    local round row name args n1 n16 p n mode rps line
    echo "bench: throughput, $ROUNDS round(s), -c $CLIENTS, -P 1 and 16," \
         "servers interleaved per row"
    for round in $(seq "$ROUNDS"); do
        for row in "${ROWS[@]}"; do
            IFS='|' read -r name args n1 n16 <<< "$row"
            for p in "${PIPELINES[@]}"; do
                n=$(( (p == 1 ? n1 : n16) / DIV ))
                line="round $round $name -P $p -n $n:"
                for mode in "${MODES[@]}"; do
                    start_server "$mode"
                    if [ "$name" = GET_100KB ]; then
                        "$CLI" -p "$PORT" -x SET bigkey < "$WORK/big.val" \
                            >/dev/null
                    fi
                    # --csv: a header line, then "TEST","RPS",...
                    # shellcheck disable=SC2086
                    rps=$("$BENCH" -p "$PORT" -c "$CLIENTS" -P "$p" -n "$n" \
                            --csv $args 2>/dev/null | tr -d '"' |
                          awk -F, 'NR > 1 && NF > 1 { print $2; exit }')
                    stop_server
                    [ -n "$rps" ] || rps=0
                    echo "$name $p $mode $rps" >> "$RESULTS"
                    line="$line $mode=$rps"
                done
                echo "  $line"
            done
        done
    done
}

# The table, as markdown: one row per test x pipeline.
throughput_table() {
    awk '
    function median(a, n,    i, j, t) {
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
                t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
            }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function med(k,    j, a) {
        for (j = 1; j <= cnt[k]; j++) a[j] = v[k, j]
        return median(a, cnt[k])
    }
    {
        r = $1 " -P " $2
        if (!(r in seen)) { seen[r] = 1; order[++nr] = r }
        k = r SUBSEP $3; cnt[k]++; v[k, cnt[k]] = $4
    }
    END {
        print "| test | redis-server | minired off | minired on |" \
              " off / redis | on / off |"
        print "|---|---:|---:|---:|---:|---:|"
        for (i = 1; i <= nr; i++) {
            r = order[i]
            rd = med(r SUBSEP "redis"); of = med(r SUBSEP "off")
            on = med(r SUBSEP "on")
            printf "| %s | %.0f | %.0f | %.0f | %.2f%s | %.2f%s |\n", r,
                   rd, of, on, rd ? of / rd : 0,
                   (rd && of / rd < 1.0) ? " (below)" : "",
                   of ? on / of : 0, (of && on / of < 0.5) ? " (below)" : ""
        }
    }' "$RESULTS"
}

# ---------------------------------------------------------------- part 2
MEMORY=$WORK/memory.md

run_memory() {
    local mode
    echo "bench: memory with $IDLE idle clients"
    {
        echo "| server | VmRSS before | after connect | after 1 PING each |" \
             "2 s later | VmHWM | bytes per client |"
        echo "|---|---:|---:|---:|---:|---:|---:|"
    } > "$MEMORY"
    for mode in "${MEM_MODES[@]}"; do
        start_server "$mode"
        # The client holds IDLE sockets open, reads the server's
        # /proc/PID/status at each stage, prints one markdown row.
        "$PY" - "$PORT" "$SERVER_PID" "$IDLE" "$mode" >> "$MEMORY" <<'PYEOF'
import resource, socket, sys, time
port, pid, idle, mode = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < idle + 64:
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, idle + 64), hard))

def status():
    vals = {}
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            k, _, v = line.partition(':')
            if k in ('VmRSS', 'VmHWM'):
                vals[k] = int(v.split()[0])      # kB
    return vals

time.sleep(0.5)
before = status()
socks = []
for _ in range(idle):
    s = socket.create_connection(('127.0.0.1', port))
    socks.append(s)
time.sleep(1.0)                  # let the server accept them all
connected = status()
for s in socks:
    s.sendall(b'*1\r\n$4\r\nPING\r\n')
for s in socks:
    buf = b''
    while not buf.endswith(b'\r\n'):
        chunk = s.recv(64)
        if not chunk:
            raise SystemExit(f'{mode}: connection closed: {buf!r}')
        buf += chunk
    if buf != b'+PONG\r\n':
        raise SystemExit(f'{mode}: unexpected reply {buf!r}')
pinged = status()
time.sleep(2.0)                  # every client's cron visit (~1 s) is past
later = status()
names = {'redis': 'redis-server', 'off': 'minired (tracing off)',
         'rqb': 'minired (tracing off, reusable-querybuf yes)',
         'on': 'minired (tracing on)'}
per = (max(connected['VmRSS'], pinged['VmRSS'], later['VmRSS']) -
       before['VmRSS']) * 1024 / idle
print(f"| {names[mode]} | {before['VmRSS']} kB | {connected['VmRSS']} kB | "
      f"{pinged['VmRSS']} kB | {later['VmRSS']} kB | {later['VmHWM']} kB | "
      f"{per:.0f} |")
for s in socks:
    s.close()
PYEOF
        stop_server
    done
}

# ---------------------------------------------------------------- part 3
VIEWER=$WORK/viewer.md

run_viewer() {
    local trace=$WORK/view.jsonl pid t0 t1 secs wall maxrss i pane
    if [ ! -x "$VIEW" ]; then
        echo "bench: $VIEW not built, viewer part skipped" >&2
        echo "(bin/minired-view was not built)" > "$VIEWER"
        return 0
    fi
    echo "bench: viewer on a $VIEW_EVENTS-event trace"
    bash "$ROOT/scripts/gen-big-trace.sh" "$VIEW_EVENTS" "$trace" >/dev/null
    /usr/bin/time -v "$VIEW" --dump 1 "$trace" >/dev/null 2>"$WORK/time.txt" || true
    wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$WORK/time.txt")
    maxrss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")

    tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 100 -y 30 \
        "env TERM=screen HISTFILE= bash --norc --noprofile -i"
    sleep 0.5
    t0=$(date +%s.%N)
    tmux -L "$TMUX_SOCK" send-keys "exec $VIEW $trace" Enter
    secs=timeout
    for _ in $(seq 3000); do            # 20 ms polls, 60 s at most
        if tmux -L "$TMUX_SOCK" capture-pane -p | grep -Eq 'step 1 of [0-9]+'; then
            t1=$(date +%s.%N)
            secs=$(echo "$t1 - $t0" | bc)
            break
        fi
        sleep 0.02
    done
    # `exec` made the pane's shell the viewer itself.
    pane=$(tmux -L "$TMUX_SOCK" display-message -p '#{pane_pid}')
    pid=$pane
    for i in VmRSS VmHWM RssAnon RssFile; do
        eval "$i=\$(awk -v k=$i: '\$1 == k { print \$2 }' /proc/$pid/status)"
    done
    tmux -L "$TMUX_SOCK" send-keys q
    sleep 0.3
    tmux -L "$TMUX_SOCK" kill-server 2>/dev/null || true
    {
        echo "Trace: \`scripts/gen-big-trace.sh $VIEW_EVENTS\`" \
             "($(du -h "$trace" | cut -f1), $(wc -l < "$trace") lines)."
        echo
        echo "| measurement | value |"
        echo "|---|---:|"
        echo "| \`minired-view --dump 1\`: wall time | $wall |"
        echo "| \`minired-view --dump 1\`: max RSS | $maxrss kB |"
        echo "| tmux 100x30: Enter to first screen | ${secs} s |"
        echo "| at first screen: VmRSS | ${VmRSS:-?} kB |"
        echo "| at first screen: VmHWM | ${VmHWM:-?} kB |"
        echo "| at first screen: RssAnon (the viewer's own memory) | ${RssAnon:-?} kB |"
        echo "| at first screen: RssFile (the mmapped trace) | ${RssFile:-?} kB |"
    } > "$VIEWER"
    rm -f "$trace"
}

# ---------------------------------------------------------------- part 4
STALL=$WORK/stall.md

run_stall() {
    local mode rounds=200
    [ "$QUICK" = 1 ] && rounds=50
    echo "bench: PING latency while another client stalls"
    {
        echo "| server | first PING ms | median ms | p99 ms | worst after the first ms |"
        echo "|---|---:|---:|---:|---:|"
    } > "$STALL"
    for mode in redis off; do
        start_server "$mode"
        "$PY" "$ROOT/scripts/bench_stall.py" "$PORT" \
            "$( [ $mode = redis ] && echo redis-server || echo minired )" \
            "$rounds" >> "$STALL"
        stop_server
    done
    awk -F'|' 'NR == 3 { r1 = $3; r2 = $4 } NR == 4 { m1 = $3; m2 = $4 }
        END { if (r2 > 0) printf "\nRatio minired / redis-server: first PING %.2f, median %.2f (target: <= 1.5 each)\n", m1 / r1, m2 / r2 }' \
        "$STALL" >> "$STALL"
}

# ---------------------------------------------------------------- part 5
WRITEV=$WORK/writev.txt     # lines: SIZE PIPELINE MODE RPS

run_writev() {
    local round size p n mode rps line
    echo "bench: writev-replies no / yes, $ROUNDS round(s), -c $CLIENTS"
    : > "$WRITEV"
    for round in $(seq "$ROUNDS"); do
        for size in 20000 102400; do
            head -c "$size" /dev/zero | tr '\0' x > "$WORK/wv.val"
            for p in 1 16; do
                n=$(( (size == 20000 ? 100000 : 20000) / DIV ))
                line="round $round GET ${size}B -P $p -n $n:"
                for mode in wvno wvyes; do
                    start_server "$mode"
                    "$CLI" -p "$PORT" -x SET wvkey < "$WORK/wv.val" >/dev/null
                    rps=$("$BENCH" -p "$PORT" -c "$CLIENTS" -P "$p" -n "$n" \
                            --csv GET wvkey 2>/dev/null | tr -d '"' |
                          awk -F, 'NR > 1 && NF > 1 { print $2; exit }')
                    stop_server
                    [ -n "$rps" ] || rps=0
                    echo "$size $p $mode $rps" >> "$WRITEV"
                    line="$line $mode=$rps"
                done
                echo "  $line"
            done
        done
    done
}

writev_table() {
    awk '
    function median(a, n,    i, j, t) {
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
                t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
            }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function med(k,    j, a) {
        for (j = 1; j <= cnt[k]; j++) a[j] = v[k, j]
        return median(a, cnt[k])
    }
    {
        r = "GET " $1 " bytes -P " $2
        if (!(r in seen)) { seen[r] = 1; order[++nr] = r }
        k = r SUBSEP $3; cnt[k]++; v[k, cnt[k]] = $4
    }
    END {
        print "| test | writev-replies no | writev-replies yes | yes / no |"
        print "|---|---:|---:|---:|"
        for (i = 1; i <= nr; i++) {
            r = order[i]
            no = med(r SUBSEP "wvno"); yes = med(r SUBSEP "wvyes")
            printf "| %s | %.0f | %.0f | %.2f |\n", r, no, yes, no ? yes / no : 0
        }
    }' "$WRITEV"
}

# ---------------------------------------------------------------- report
case " $PARTS " in *" throughput "*) run_throughput ;; esac
case " $PARTS " in *" memory "*) run_memory ;; esac
case " $PARTS " in *" viewer "*) run_viewer ;; esac
case " $PARTS " in *" stall "*) run_stall ;; esac
case " $PARTS " in *" writev "*) run_writev ;; esac

# Carry the hand-written analysis over from the previous report.
KEEP=$WORK/keep.md
: > "$KEEP"
if [ -f "$OUT" ]; then
    awk '/^## What limits it/ { on = 1 } on' "$OUT" > "$KEEP"
fi

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
    echo "# Benchmarks"
    echo
    echo "Written by \`make bench\` (scripts/bench.sh); numbers from one run" \
         "on a shared machine, not a test."
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Machine: $(nproc) CPUs, $cpu, Linux $(uname -r)"
    echo "- redis-server: $("$REDIS" --version | cut -d' ' -f3-4)"
    echo "- redis-benchmark: $("$BENCH" --version 2>/dev/null | head -n 1)"
    echo "- minired: bin/minired-server built $(date -u -r "$SERVER" '+%Y-%m-%d %H:%M UTC')" \
         "(gcc -O2, glibc malloc)"
    [ "$QUICK" = 1 ] && echo "- QUICK run (BENCH_QUICK=1): 1/10 of -n, not for quoting"
    echo
    if [ -s "$RESULTS" ]; then
        echo "## Throughput (requests/s, median of $ROUNDS rounds)"
        echo
        echo "Servers: \`redis-server --port P --bind 127.0.0.1 --save \"\"" \
             "--appendonly no\`; \`bin/minired-server --port P --bind 127.0.0.1\`" \
             "(off); the same with \`--trace FILE\` (on). A fresh server per run."
        echo
        echo "Client: \`redis-benchmark -p P -c $CLIENTS -P {1,16} -n N --csv" \
             "-t <test>\`; GET_100KB is \`redis-benchmark ... GET bigkey\` after" \
             "\`redis-cli -x SET bigkey\` with 102,400 bytes."
        echo "N per row (same for the three servers; sized so that a traced run" \
             "writes under ~2 GB):"
        for row in "${ROWS[@]}"; do
            IFS='|' read -r name args n1 n16 <<< "$row"
            echo "$name -P 1: $((n1 / DIV)), -P 16: $((n16 / DIV));"
        done
        echo
        echo "Targets: off / redis >= 1.00; on / off >= 0.50. \"(below)\" marks a miss."
        echo
        throughput_table
        echo
    fi
    if [ -s "$MEMORY" ]; then
        echo "## Memory with $IDLE idle clients"
        echo
        echo "VmRSS from /proc/PID/status; bytes per client = (the larger of" \
             "the two later VmRSS - VmRSS before) / $IDLE. Target: minired <= redis-server."
        echo
        cat "$MEMORY"
        echo
    fi
    if [ -s "$VIEWER" ]; then
        echo "## Viewer on a $VIEW_EVENTS-event trace"
        echo
        cat "$VIEWER"
        echo
    fi
    if [ -s "$STALL" ]; then
        echo "## PING while another client stalls with 64 MB of replies"
        echo
        echo "scripts/bench_stall.py: client A sends 8 x GET of an 8 MB key and" \
             "never reads; client B sends PING every 20 ms. The first PING" \
             "waits while the server runs A's GETs."
        echo
        cat "$STALL"
        echo
    fi
    if [ -s "$WRITEV" ]; then
        echo "## writev-replies no / yes (requests/s, median of $ROUNDS rounds)"
        echo
        echo "\`bin/minired-server --writev-replies no|yes\` (tracing off), a fresh" \
             "server per run; \`redis-benchmark -c $CLIENTS -P {1,16} -n N --csv" \
             "GET wvkey\` after \`redis-cli -x SET wvkey\` (N: 100,000 for 20,000" \
             "bytes, 20,000 for 102,400, divided by 10 in a QUICK run)."
        echo
        writev_table
        echo
    fi
    if [ -s "$KEEP" ]; then
        cat "$KEEP"
    else
        echo "## What limits it"
        echo
        echo "(to be written after a profile of the rows marked \"(below)\")"
    fi
} > "$WORK/report.md"
mkdir -p "$(dirname "$OUT")"
cp "$WORK/report.md" "$OUT"
echo
cat "$OUT"
echo
echo "bench: written to $OUT"
