# Lab 8 (challenge): _writevToClient, option writev-replies. The tests
# `make grade LAB=8` runs (grader.py says what each kind does); README.md's
# grading table lists them too. Every live test first switches the option
# on with CONFIG SET (the default is off, as in Redis 5.0.14).
import json
import os
import random
import socket
import subprocess
import time

from grader import Unit, Resp, PyRedis, Trace, Check, Fail, show, replies_of, recv_upto
import harness

TITLE = '_writevToClient (c->buf and the reply blocks in one writev)'
U = 'test_pipeline_writev'
D = 'exercises/08-writev/'
ON = b'*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$14\r\nwritev-replies\r\n$3\r\nyes\r\n'


def mb(*args):
    """A multibulk request."""
    out = b'*%d\r\n' % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else a.encode()
        out += b'$%d\r\n%s\r\n' % (len(a), a)
    return out


def bulk(v):
    return b'$%d\r\n%s\r\n' % (len(v), v)


def value(n, seed):
    """N bytes of letters, different per SEED, so a byte out of place shows."""
    rng = random.Random(seed)
    return bytes(rng.choice(b'abcdefghijklmnopqrstuvwxyz') for _ in range(64)) \
        * (n // 64) + b'z' * (n % 64)


V100K = value(100000, 1)
V20K = value(20000, 2)


def check_py(r):
    r.config_set('writev-replies', 'yes')
    v = value(50000, 3)
    r.set('lab8:py', v)
    p = r.pipeline(transaction=False)
    for _ in range(30):
        p.get('lab8:py')
    got = p.execute()
    bad = [i for i, g in enumerate(got) if g != v]
    if bad:
        raise Fail('pipelined GET %d of 30 gave %d bytes, expected the %d '
                   'stored' % (bad[0] + 1, len(got[bad[0]] or b''), len(v)))


def slow_reader(ctx):
    """8 GETs of 1 MB pipelined, from a socket whose receive buffer is
    64 KB (SO_RCVBUF, set before connect: no autotuning up to 32 MB);
    nothing is read for 0.3 s, so the server's socket fills: writev(2)
    calls that take part of a 1 MB block, for real. (EAGAIN itself is rare
    here: the write handler runs when the socket has room again; the unit
    and trace tests make it happen.)"""
    v = value(1 << 20, 4)
    want = b'+OK\r\n+OK\r\n' + bulk(v) * 8
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    s.settimeout(5)
    s.connect(('127.0.0.1', ctx.server_port()))
    got = b''
    try:
        s.sendall(ON + mb('SET', 'lab8:slow', v) + mb('GET', 'lab8:slow') * 8)
        time.sleep(0.3)
        got = recv_upto(s, len(want), harness.guard(3.0))
    finally:
        s.close()
    if got != want:
        at = next((i for i in range(min(len(got), len(want)))
                   if got[i] != want[i]), min(len(got), len(want)))
        raise Fail('expected %d bytes, got %d; first difference at byte %d:\n'
                   'expected %s\ngot      %s' % (len(want), len(got), at,
                                                 show(want[at:at + 40]),
                                                 show(got[at:at + 40])))


def run_scn(ctx, scn, name):
    trace = os.path.join(ctx.out, name + '.jsonl')
    with open(trace, 'w') as o:
        p = subprocess.run([ctx.tool, 'run', scn], stdout=o, stderr=subprocess.PIPE,
                           text=True, timeout=harness.guard(60))
    if p.returncode != 0:
        raise Fail('minired-trace run %s failed: %s'
                   % (os.path.relpath(scn, ctx.root), p.stderr[-300:]))
    return trace


def count_calls(ctx):
    """The property writev is for: fewer calls. Counted in the trace."""
    want = {'writev-partial': (1, [3, 2, 2, 2]),
            'writev-cap': (0, [4, 1])}
    for name, (writes, iovcnts) in want.items():
        trace = run_scn(ctx, os.path.join(ctx.root, D, 'scenarios', name + '.scn'),
                        'count-' + name)
        w, iov = 0, []
        with open(trace, encoding='utf-8') as f:
            for ln in f:
                ev = json.loads(ln)
                if ev.get('tid') != 3:
                    continue
                if ev.get('cat') == 'write':
                    w += 1
                elif ev.get('cat') == 'writev':
                    iov.append(ev['args'].get('iovcnt'))
        if w != writes or iov != iovcnts:
            raise Fail('%s.scn: expected %d write and %d writev calls (iovcnt '
                       '%s), got %d write and %d writev (iovcnt %s)\nsee it:  '
                       'bin/minired-view %s' % (name, writes, len(iovcnts), iovcnts,
                                                w, len(iov), iov,
                                                os.path.relpath(trace, ctx.root)))


def random_partial(ctx):
    """Pipelines of SET/GET/PING with values of 1 to 70,000 bytes, through
    sockets that take a random number of bytes per call (seeded)."""
    rng = random.Random('%s/random-partial' % ctx.seed)
    for r in range(12):
        vals = {}
        lines = ['# random-partial round %d, GRADE_SEED=%s' % (r, ctx.seed),
                 'config writev-replies yes', 'client A',
                 'A writes %d' % rng.choice([1000, 3333, 6000, 16384, 40000, 100000])]
        req, want = b'', b''
        for _ in range(rng.randint(2, 8)):
            op = rng.choice(['set', 'get', 'get', 'ping'])
            k = 'k%d' % rng.randint(1, 3)
            if op == 'set' or (op == 'get' and k not in vals):
                vals[k] = value(rng.choice([1, 100, 16380, 20000, 70000]),
                                '%s/%d/%s' % (ctx.seed, r, len(req)))
                req += mb('SET', k, vals[k])
                want += b'+OK\r\n'
            if op == 'get':
                req += mb('GET', k)
                want += bulk(vals[k])
            elif op == 'ping':
                req += mb('PING')
                want += b'+PONG\r\n'
        lines.append('A send "%s"' % req.decode().replace('\r', '\\r')
                     .replace('\n', '\\n'))
        lines.append('run')
        scn = os.path.join(ctx.out, 'random-partial-%d.scn' % r)
        with open(scn, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        trace = run_scn(ctx, scn, 'random-partial-%d' % r)
        got = replies_of(trace)
        rel = os.path.relpath(scn, ctx.root)
        if got != want:
            at = next((i for i in range(min(len(got), len(want)))
                       if got[i] != want[i]), min(len(got), len(want)))
            raise Fail('round %d (%s): expected %d bytes of replies, got %d; '
                       'first difference at byte %d:\nexpected %s\ngot      %s\n'
                       'see it:  bin/minired-view %s'
                       % (r, lines[3], len(want), len(got), at,
                          show(want[at:at + 40]), show(got[at:at + 40]),
                          os.path.relpath(trace, ctx.root)))
        c = subprocess.run([ctx.tool, 'check', trace], capture_output=True,
                           text=True, timeout=harness.guard(60))
        if c.returncode != 0:
            raise Fail('round %d: minired-trace check %s: %s\nscenario: %s'
                       % (r, os.path.relpath(trace, ctx.root),
                          (c.stdout + c.stderr).strip()[:400], rel))


TESTS = [
    Unit('unit-one-call', 4, U, ['test_writev_one_call'],
         'c->buf and three blocks must leave in ONE clientWritev call, in '
         'order, and leave bufpos, sentlen, the list and reply_bytes at 0'),
    Unit('unit-partial-buf', 4, U, ['test_writev_partial_in_buf'],
         'a writev that takes only part of c->buf must only move sentlen '
         '(bufpos stays, no block is freed); the next one resumes in c->buf '
         'and offers the head block from its first byte'),
    Unit('unit-partial-blocks', 5, U, ['test_writev_partial_across_blocks',
                                       'test_writev_partial_at_block_end'],
         'after a partial writev, the bytes taken must be spent across '
         'c->buf and whole blocks (freed, reply_bytes down) before sentlen '
         'is set in the next block'),
    Unit('unit-resume', 4, U, ['test_writev_resume_head_block'],
         'with c->buf empty, the head block must be offered from sentlen, '
         'and sentlen must be 0 again once a block is freed'),
    Unit('unit-iov-max', 4, U, ['test_writev_iov_max'],
         'one writev may carry at most IOV_MAX (1,024) pieces'),
    Unit('unit-64k', 4, U, ['test_writev_64k_gather', 'test_writev_cap_per_call'],
         'gathering must stop once the pieces hold 64 KB '
         '(NET_MAX_WRITES_PER_EVENT) or more'),
    Unit('unit-empty-block', 3, U, ['test_writev_empty_block'],
         'a block with used 0 must be freed while gathering, not offered '
         'and left behind in the list'),
    Unit('unit-eagain', 3, U, ['test_writev_eagain'],
         'when writev takes nothing (-1, EAGAIN) nothing may move and the '
         'client must stay alive'),
    Unit('unit-pipeline', 3, U, ['test_writev_pipeline_get',
                                 'test_writev_off_writes_each'],
         'three pipelined 20,000-byte GETs through 7,000-byte writes must '
         'arrive whole and in order'),
    Resp('resp-big-get', 3, [ON + mb('SET', 'lab8:big', V100K), mb('GET', 'lab8:big')],
         b'+OK\r\n+OK\r\n' + bulk(V100K),
         'a 100,000-byte GET with the option on must arrive byte for byte'),
    Resp('resp-pipeline', 3,
         [ON + mb('SET', 'lab8:v', V20K) + mb('PING') + mb('GET', 'lab8:v') * 5 +
          mb('PING')],
         b'+OK\r\n+OK\r\n+PONG\r\n' + bulk(V20K) * 5 + b'+PONG\r\n',
         'pipelined replies in c->buf and in blocks must keep their order'),
    PyRedis('redis-py-pipeline', 2, check_py,
            'redis-py: 30 pipelined GETs of a 50,000-byte value gave another value'),
    Check('slow-reader', 4, slow_reader,
          'a client that reads late (the socket fills: writev takes part of '
          'a 1 MB block) did not get its 8 MB of replies exactly'),
    Trace('trace-partial', 4, D + 'scenarios/writev-partial.scn',
          D + 'golden/writev-partial.jsonl',
          'a 20,010-byte reply through 6,000-byte writes: your sentlen, bufpos '
          'or blocks differ from the reference after some writev'),
    Trace('trace-cap', 4, D + 'scenarios/writev-cap.scn', D + 'golden/writev-cap.jsonl',
          'an 80,020-byte reply: the first writev must gather 4 pieces (80,018 '
          'bytes, stopping once 64 KB is reached), the second the last block'),
    Check('count-calls', 3, count_calls,
          'the reply must go out in as few calls as the reference: one '
          'writev per turn, with c->buf and the blocks as its pieces'),
    Check('random-partial', 6, random_partial,
          'random pipelines through sockets taking a few bytes per call gave '
          'other replies or broke a buffer invariant (minired-trace check)'),
]
