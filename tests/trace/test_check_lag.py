#!/usr/bin/python3
"""test_check_lag.py - `bin/minired-trace check` catches a state that lags
its step (docs/trace-format.md: "c" is the state AFTER the step).

A trace point written before the assignment it reports shows the client's
previous state. That is exactly the mutation made here: in a golden trace
(tests/golden/*.jsonl), one event's "c" is replaced, byte for byte, by
the "c" of the same client's previous event, everything else untouched.
For each step kind that has a lag rule (trace-tool/check_after.c), the
first event of that kind (in the goldens, in file order) whose state
differs from its client's previous state is shifted back this way, and
check must exit 1 naming the rule "lag-<step>":

    lag/<step>       for read, trim, reqtype, mbulk-len, bulk-len, arg,
                     big-arg, parsed, reset, buf-append, block-fill,
                     block-new, write, block-sent, pending-write,
                     blocked, unblocked, quit, free-async

("emptied" and "queued" have rules too, but their state never differs
from the previous event's: the write before "emptied" already emptied the
buffers, and MULTI set its flag commands earlier. A lag cannot show there,
so there is nothing to shift back.)

The example of issue 11 is its own case: in 02-split-crlf the first
"mbulk-len" (count 3) with the state of the event before it
(multibulklen 0), which is what the trace showed before the fix:

    lag/issue-02-mbulk-len

lag/control-<golden> checks that every unbroken golden passes.
"""

import glob
import os
import re
import sys
import tempfile

import tracelib as tl
from tracelib import TestFailure, check

rep = tl.harness.Reporter()

STEPS = ['read', 'trim', 'reqtype', 'mbulk-len', 'bulk-len', 'arg',
         'big-arg', 'parsed', 'reset', 'buf-append', 'block-fill',
         'block-new', 'write', 'block-sent', 'pending-write',
         'blocked', 'unblocked', 'quit', 'free-async']
TID = re.compile(rb'^\{"tid":([0-9]+),')
CAT = re.compile(rb'"cat":"([a-z-]+)"')


def state_span(line):
    """(start, end) of the JSON object after "c": in line, or None. Scans
    strings so that braces inside argv values do not count."""
    k = line.find(b',"c":{')
    if k < 0:
        return None
    start = k + 5
    depth, j, instr = 0, start, False
    while j < len(line):
        ch = line[j:j + 1]
        if instr:
            if ch == b'\\':
                j += 1
            elif ch == b'"':
                instr = False
        elif ch == b'"':
            instr = True
        elif ch == b'{':
            depth += 1
        elif ch == b'}':
            depth -= 1
            if depth == 0:
                return start, j + 1
        j += 1
    return None


def shift_back(lines, i):
    """lines with event i's "c" replaced by its client's previous "c"; None
    when there is no previous event or the state did not change."""
    tid = TID.match(lines[i]).group(1)
    for k in range(i - 1, 0, -1):
        if TID.match(lines[k]) and TID.match(lines[k]).group(1) == tid:
            prev = state_span(lines[k])
            cur = state_span(lines[i])
            if prev is None or cur is None:
                return None
            old = lines[k][prev[0]:prev[1]]
            if old == lines[i][cur[0]:cur[1]]:
                return None
            out = list(lines)
            out[i] = lines[i][:cur[0]] + old + lines[i][cur[1]:]
            return out
    return None


def run_check(tmp, name, lines):
    bad = os.path.join(tmp, name + '.jsonl')
    with open(bad, 'wb') as f:
        f.write(b'\n'.join(lines) + b'\n')
    p = tl.tool(['check', bad])
    os.unlink(bad)
    return p, (p.stdout + p.stderr)


def main():
    if not tl.require_tool(rep, 'lag'):
        return 1
    goldens = sorted(glob.glob(os.path.join(tl.REPO, 'tests', 'golden',
                                            '*.jsonl')))
    traces = {}
    for g in goldens:
        name = os.path.basename(g)[:-len('.jsonl')]
        with open(g, 'rb') as f:
            traces[name] = f.read().rstrip(b'\n').split(b'\n')
        with rep.case('lag/control-' + name):
            tl.require_ok(tl.tool(['check', g]), 'check on ' + name)
    tmp = tempfile.mkdtemp(prefix='minired-lag-')
    try:
        with rep.case('lag/issue-02-mbulk-len'):
            lines = traces['02-split-crlf']
            i = next(j for j, l in enumerate(lines)
                     if b'"cat":"mbulk-len"' in l and b'"count":3' in l)
            bad = shift_back(lines, i)
            check(bad is not None, 'no previous state to shift back to')
            check(b'"multibulklen":0' in bad[i], 'the shifted state does not '
                  'show multibulklen 0 (as the old trace did)')
            p, msg = run_check(tmp, 'issue-02', bad)
            print('    check: ' + msg.decode(errors='replace').strip()[:200])
            check(p.returncode == 1 and b'lag-mbulk-len' in msg,
                  'check exited %d without naming lag-mbulk-len'
                  % p.returncode)
        for step in STEPS:
            with rep.case('lag/' + step):
                found = None
                for name in sorted(traces):
                    lines = traces[name]
                    for i, l in enumerate(lines):
                        m = CAT.search(l)
                        if i == 0 or not m or m.group(1) != step.encode():
                            continue
                        bad = shift_back(lines, i)
                        if bad is not None:
                            found = (name, i, bad)
                            break
                    if found:
                        break
                if found is None:
                    raise TestFailure('no golden has a "%s" whose state '
                                      'differs from the one before' % step)
                name, i, bad = found
                p, msg = run_check(tmp, step, bad)
                print('    %s line %d: %s' % (name, i + 1, ' '.join(
                    msg.decode(errors='replace').split())[:160]))
                check(p.returncode == 1, 'check exited %d, want 1'
                      % p.returncode)
                check((b'lag-' + step.encode() + b':') in msg,
                      'check did not name lag-%s' % step)
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
