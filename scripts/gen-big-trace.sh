#!/usr/bin/env bash
# gen-big-trace.sh - make a large, valid trace quickly, for measuring
# bin/minired-view (open time, memory, step time) at scale.
#
# Usage: scripts/gen-big-trace.sh [EVENTS] [OUT] [GOLDEN]
#   EVENTS  events to write (default 1000000)
#   OUT     output file (default build/big-trace.jsonl)
#   GOLDEN  the trace to repeat (default tests/golden/05-pipeline-50.jsonl)
#
# How: the golden trace's events (header and footer excluded) are written
# again and again. Each copy gets fresh client ids (tid + copy * 1000) and
# ts continues where the previous copy stopped, so the result is a trace
# `minired-trace check` accepts: ts 1, 2, 3 ... with no gap, every client
# created, its bytes conserved, one footer with the right "events". Only
# the {"tid":N,"ts":N, prefix of each line is rewritten (the format fixes
# it as the first bytes), so no JSON is parsed and 1,000,000 events take
# a few seconds. Why not a live server with redis-benchmark: that needs
# a free port, minutes, and gives a different file each run; this one is
# the same every time.
set -euo pipefail

EVENTS=${1:-1000000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${2:-$ROOT/build/big-trace.jsonl}
GOLDEN=${3:-$ROOT/tests/golden/05-pipeline-50.jsonl}
mkdir -p "$(dirname "$OUT")"

exec /usr/bin/python3 - "$EVENTS" "$OUT" "$GOLDEN" <<'PYEOF'
import re
import sys

events, out, golden = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(golden, 'rb') as f:
    lines = f.read().split(b'\n')
header = lines[0]
body = [l for l in lines[1:] if l and b'"cat":"footer"' not in l]
prefix = re.compile(rb'^\{"tid":(\d+),"ts":(\d+),')
parsed = []
for l in body:
    m = prefix.match(l)
    parsed.append((int(m.group(1)), l[m.end():]))

ts = 0
copy = 0
with open(out, 'wb', buffering=1 << 22) as f:
    f.write(header + b'\n')
    while ts < events:
        chunk = []
        for tid, rest in parsed:
            if ts >= events:
                break
            ts += 1
            # Client ids must not repeat across copies (a second "created"
            # for id 3 would be a new client reusing an id); tid 0 stays 0.
            ntid = tid + copy * 1000 if tid else 0
            chunk.append(b'{"tid":%d,"ts":%d,' % (ntid, ts) + rest)
        f.write(b'\n'.join(chunk) + b'\n')
        copy += 1
    f.write(b'{"tid":0,"ts":%d,"pid":1,"ph":"i","s":"t","name":"traceClose",'
            b'"cat":"footer","args":{"src":"trace.c:1","fd":-1,"wall_us":0,'
            b'"events":%d,"reason":"shutdown"}}\n' % (ts + 1, ts))
print(f'gen-big-trace: {out}: {ts} events, {copy} copies of {golden}')
PYEOF
