#!/usr/bin/python3
"""test_check_broken.py - `bin/minired-trace check` catches broken traces.

A good trace (scenario 06-big-reply: reads, a 20,000-byte block and a 16 KB
block, writes from buf and from blocks) is broken one way at a time, by
editing the text of one or a few lines so everything else stays valid
JSON in the schema's exact form. Each broken copy must make check exit 1
and name the rule it broke (the rule's field appears in its message):

    broken/qb-pos-past-qlen     one state with qb_pos = qlen + 1
    broken/block-used-gt-size   one reply block with used = size + 1
    broken/reply-bytes          one state with reply_bytes off by one
    broken/duplicate-write      one "write" event twice (ts renumbered so
                                only the bytes are wrong)
    broken/write-byte-dropped   one byte removed from a write's "data"
    broken/write-byte-changed   one byte of a write's "data" replaced (same
                                length: only the rebuilt buffer tells)
    broken/ts-gap               ts jumps by 2 half way through
    broken/reply-off-append     a buf-append for a client whose flags say
                                REPLY_OFF (CLIENT REPLY OFF lets nothing
                                into c->buf)
and, on the traces of the security scenarios (25-unauth-limits, 26-oom,
27-http-post):
    broken/unauth-limit-len     an unauth-limit naming "*10", within the
                                limit
    broken/unauth-then-parse    an event after the unauth-limit of that
                                client turned into a "lookup"
    broken/security-no-free     the free-async after a security-warning
                                turned into a "reset"
    broken/oom-no-maxmemory     an oom refusal with maxmemory 0

and a trace with a blocked client (scenario 15-blpop-pipeline: BLPOP, two
requests waiting behind it, an LPUSH that unblocks it) broken so that the
blocked-client rule (check_rules.c checkBlocked) must fire:

    broken/unblocked-dropped    the "unblocked" step removed: the pipelined
                                PING then runs while the client is blocked
    broken/blocked-dropped      the "blocked" step removed: the loop stops
                                as blocked for a client that never blocked
broken/control and broken/control-blocked check that the unbroken traces
pass.
"""

import os
import re
import sys
import tempfile

import tracelib as tl
from tracelib import TestFailure, check

rep = tl.harness.Reporter()
TS = re.compile(rb'^(\{"tid":[0-9]+,"ts":)([0-9]+)(,)')


def find(lines, pred):
    """Index of the first line (after the header) for which pred(line)."""
    for i, line in enumerate(lines):
        if i > 0 and pred(line):
            return i
    raise TestFailure('no line fits the mutation')


def renumber(lines, start, delta):
    """ts += delta on lines[start:], and the footer's event count."""
    out = lines[:start]
    for line in lines[start:]:
        line = TS.sub(lambda m: m.group(1) + b'%d' % (int(m.group(2)) + delta)
                      + m.group(3), line)
        if b'"cat":"footer"' in line:
            line = re.sub(rb'"events":([0-9]+)',
                          lambda m: b'"events":%d' % (int(m.group(1)) + delta),
                          line)
        out.append(line)
    return out


def bump(line, field, fn):
    """line with the first integer value of "field" replaced by fn(value)
    (fn also gets the line, for fields defined by others)."""
    pat = re.compile(rb'("' + field + rb'":)([0-9]+)')
    return pat.sub(lambda m: m.group(1) + b'%d' % fn(int(m.group(2)), line),
                   line, count=1)


def qb_pos_past_qlen(lines):
    i = find(lines, lambda l: re.search(rb'"c":\{"qlen":[1-9]', l))
    qlen = int(re.search(rb'"qlen":([0-9]+)', lines[i]).group(1))
    lines[i] = bump(lines[i], b'qb_pos', lambda v, l: qlen + 1)
    return lines, (b'qb_pos',)


def block_used_gt_size(lines):
    i = find(lines, lambda l: b'"reply":[[' in l)
    lines[i] = re.sub(rb'"reply":\[\[([0-9]+),([0-9]+)\]',
                      lambda m: b'"reply":[[%s,%d]' % (
                          m.group(1), int(m.group(1)) + 1),
                      lines[i], count=1)
    return lines, (b'used', b'size')


def reply_bytes_wrong(lines):
    i = find(lines, lambda l: re.search(rb'"reply_bytes":[1-9]', l))
    lines[i] = bump(lines[i], b'reply_bytes', lambda v, l: v + 1)
    return lines, (b'reply_bytes',)


def duplicate_write(lines):
    i = find(lines, lambda l: b'"cat":"write"' in l and b'"tid":3,' in l)
    head = lines[:i + 1]
    dup = TS.sub(lambda m: m.group(1) + b'%d' % (int(m.group(2)) + 1)
                 + m.group(3), lines[i])
    rest = renumber(lines[i + 1:], 0, 1)
    return head + [dup] + rest, (b'write', b'sentlen', b'nwritten', b'data',
                                 b'bufpos')


def write_byte_dropped(lines):
    i = find(lines, lambda l: b'"cat":"write"' in l
             and re.search(rb'"data":"[^"\\]{2}', l))
    lines[i] = re.sub(rb'"data":"[^"\\]', b'"data":"', lines[i], count=1)
    return lines, (b'data', b'nwritten', b'write')


def write_byte_changed(lines):
    """Same length, one byte different: only a check that rebuilds the
    buffers from the appends can see it."""
    i = find(lines, lambda l: b'"cat":"write"' in l
             and re.search(rb'"data":"[A-Za-z0-9+$:*-]', l))
    lines[i] = re.sub(rb'"data":"([A-Za-z0-9+$:*-])',
                      lambda m: b'"data":"' + (b'#' if m.group(1) != b'#'
                                               else b'@'),
                      lines[i], count=1)
    return lines, (b'data', b'write', b'bytes', b'content')


def ts_gap(lines):
    return renumber(lines, len(lines) // 2, 1), (b'ts',)


def reply_off_append(lines):
    i = find(lines, lambda l: b'"cat":"buf-append"' in l)
    line = re.sub(rb'"flags":\[([^\]]*)\]',
                  lambda m: b'"flags":[' + m.group(1) +
                  (b',' if m.group(1) else b'') + b'"REPLY_OFF"]', lines[i],
                  count=1)
    lines[i] = line
    return lines, (b'reply-silence',)


def unauth_limit_len(lines):
    i = find(lines, lambda l: b'"cat":"unauth-limit"' in l and
             b'"what":"mbulk"' in l)
    lines[i] = bump(lines[i], b'len', lambda v, l: 10)
    return lines, (b'unauth-limit',)


def unauth_then_parse(lines):
    i = find(lines, lambda l: b'"cat":"unauth-limit"' in l)
    tid = re.match(rb'\{"tid":([0-9]+)', lines[i]).group(1)
    j = next(k for k in range(i + 1, len(lines))
             if lines[k].startswith(b'{"tid":' + tid + b',') and
             b'"cat":"emptied"' in lines[k])
    lines[j] = lines[j].replace(b'"cat":"emptied"', b'"cat":"lookup"', 1)
    return lines, (b'unauth-limit',)


def security_no_free(lines):
    i = find(lines, lambda l: b'"cat":"free-async"' in l)
    lines[i] = lines[i].replace(b'"cat":"free-async"', b'"cat":"reset"', 1)
    return lines, (b'security-warning',)


def oom_no_maxmemory(lines):
    i = find(lines, lambda l: b'"cat":"oom"' in l)
    lines[i] = bump(lines[i], b'maxmemory', lambda v, l: 0)
    return lines, (b'oom',)


# (name, mutation, scenario whose trace it breaks)
SECURITY_MUTATIONS = [
    ('unauth-limit-len', unauth_limit_len, '25-unauth-limits'),
    ('unauth-then-parse', unauth_then_parse, '25-unauth-limits'),
    ('security-no-free', security_no_free, '27-http-post'),
    ('oom-no-maxmemory', oom_no_maxmemory, '26-oom'),
]


def drop(lines, cat):
    """Remove client A's (id 3) first event of step cat, renumbering the
    rest."""
    i = find(lines, lambda l: (b'"cat":"%s"' % cat) in l and b'"tid":3,' in l)
    return lines[:i] + renumber(lines[i + 1:], 0, -1)


def unblocked_dropped(lines):
    return drop(lines, b'unblocked'), (b'blocked',)


def blocked_dropped(lines):
    return drop(lines, b'blocked'), (b'blocked',)


BLOCK_MUTATIONS = [
    ('unblocked-dropped', unblocked_dropped),
    ('blocked-dropped', blocked_dropped),
]

MUTATIONS = [
    ('qb-pos-past-qlen', qb_pos_past_qlen),
    ('block-used-gt-size', block_used_gt_size),
    ('reply-bytes', reply_bytes_wrong),
    ('duplicate-write', duplicate_write),
    ('write-byte-dropped', write_byte_dropped),
    ('write-byte-changed', write_byte_changed),
    ('ts-gap', ts_gap),
    ('reply-off-append', reply_off_append),
]


def main():
    if not tl.require_tool(rep, 'broken'):
        return 1
    tmp = tempfile.mkdtemp(prefix='minired-broken-')
    good = os.path.join(tmp, 'good.jsonl')
    try:
        with rep.case('broken/control'):
            p = tl.tool_out(['run', os.path.join(tl.SCENARIOS,
                                                 '06-big-reply.scn')], good)
            tl.require_ok(p, 'run 06-big-reply')
            tl.require_ok(tl.tool(['check', good]), 'check on the good trace')
        if not os.path.exists(good) or os.path.getsize(good) == 0:
            rep.emit('FAIL', 'broken', 'no good trace to break')
            return 1
        with open(good, 'rb') as f:
            data = f.read()
        base = data.rstrip(b'\n').split(b'\n')
        todo = [(name, mutate, base) for name, mutate in MUTATIONS]
        for name, mutate, scn in SECURITY_MUTATIONS:
            trace = os.path.join(tmp, scn + '.jsonl')
            if not os.path.exists(trace):
                tl.tool_out(['run', os.path.join(tl.SCENARIOS, scn + '.scn')],
                            trace)
            with open(trace, 'rb') as f:
                todo.append((name, mutate, f.read().rstrip(b'\n')
                             .split(b'\n')))
        blocked = os.path.join(tmp, 'blocked.jsonl')
        with rep.case('broken/control-blocked'):
            p = tl.tool_out(['run', os.path.join(tl.SCENARIOS,
                                                 '15-blpop-pipeline.scn')],
                            blocked)
            tl.require_ok(p, 'run 15-blpop-pipeline')
            tl.require_ok(tl.tool(['check', blocked]),
                          'check on the good blocked trace')
        with open(blocked, 'rb') as f:
            bbase = f.read().rstrip(b'\n').split(b'\n')
        todo += [(n, m, bbase) for n, m in BLOCK_MUTATIONS]
        for name, mutate, src in todo:
            with rep.case('broken/' + name):
                lines, words = mutate(list(src))
                check(lines != src, 'the mutation changed nothing')
                bad = os.path.join(tmp, name + '.jsonl')
                with open(bad, 'wb') as f:
                    f.write(b'\n'.join(lines) + b'\n')
                p = tl.tool(['check', bad])
                msg = (p.stdout + p.stderr)
                print('    check: ' + ' '.join(
                    msg.decode(errors='replace').split())[:200])
                check(p.returncode == 1, 'check exited %d, want 1'
                      % p.returncode)
                check(any(w in msg for w in words), 'check did not name the '
                      'rule (none of %s in its output)'
                      % b'/'.join(words).decode())
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
