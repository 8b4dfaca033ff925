"""grader.py - the test kinds a lab's lab.py declares, and `make grade`.

A lab's lab.py sets TITLE and TESTS, a list built from these kinds:

  Unit(name, points, binary, cases, why)   Check cases (by function name) of
                                           build/tests/BINARY
  Resp(name, points, send, expect, why)    raw bytes to a live server on a
                                           free port; the reply must be
                                           EXPECT exactly (send may be a list
                                           of chunks, sent one at a time)
  Cli(name, points, args, expect, why)     redis-cli ARGS; stdout == EXPECT
  PyRedis(name, points, fn, why)           fn(redis.Redis) raises Fail
  Trace(name, points, scenario, golden, why)
                                           bin/minired-trace run SCENARIO vs
                                           the reference GOLDEN (src lines
                                           and wall_* ignored)
  Random(name, points, cases, rounds, why) CASES [(request, reply)] sent in a
                                           random order, chopped at random
                                           read sizes (seeded); replies and
                                           `minired-trace check` must hold
  Check(name, points, fn, why)             fn(ctx) raises Fail (lab 0)

Resp, Cli and PyRedis share one server, started once it accepts a
connection; if it sends nothing back to a multibulk PING within 1 s (a
stub that leaves multibulk mute), they fail at once instead of each
waiting for its own timeout.

WHY is what a student reads on a failure: what their code does wrong, in
words. Every test prints one line, `PASS name p/p` or `FAIL name 0/p: WHY`,
then indented details (expected vs got, the commands that open the viewer);
bad/NAME.expect files are these lines (the golden of a known-bad patch).
"""

import json
import os
import random
import re
import socket
import subprocess
import sys
import time

LIB = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(LIB, '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'integration'))
import harness  # noqa: E402  (free ports, server lifetime, guard())


class Fail(Exception):
    """A failed test: str(self) is the detail shown under the FAIL line."""


ESCAPES = {0x0d: '\\r', 0x0a: '\\n', 0x09: '\\t', 0x00: '\\0', 0x22: '\\"',
           0x5c: '\\\\'}


def show(b):
    """Bytes as a student reads them, in C's notation: "SET \\"my key\\"\\r\\n"
    (\\r \\n \\t \\0 \\" \\\\ and \\xHH escaped, the rest as is)."""
    if isinstance(b, str):
        b = b.encode()
    s = ''.join(ESCAPES.get(ch, chr(ch) if 32 <= ch < 127 else '\\x%02x' % ch)
                for ch in bytes(b))
    return '"' + (s if len(s) <= 200 else s[:200] + '...') + '"'


def differ_at(want, got):
    """For two long byte strings that show() cuts alike: where they part,
    and both around that offset."""
    i = 0
    while i < len(want) and i < len(got) and want[i] == got[i]:
        i += 1
    if i < 150 or want == got:
        return ''
    lo = max(0, i - 40)
    return ('\nthey differ from byte %d on (expected %d bytes, got %d); from byte %d:'
            '\nexpected %s\ngot      %s' % (i, len(want), len(got), lo,
                                            show(want[lo:lo + 120]), show(got[lo:lo + 120])))


def recv_upto(s, n, timeout=None, exact=False):
    """Bytes from socket S until N have come, the peer closes, or nothing
    comes for TIMEOUT seconds (None: the socket's own timeout). Without
    EXACT it reads in 64 KB pieces and may return more than N, so a test
    that compares sees any extra bytes; with EXACT it never reads past N
    (the next reply stays in the socket for the next call)."""
    if timeout is not None:
        s.settimeout(timeout)
    got = b''
    while len(got) < n:
        try:
            data = s.recv(min(65536, n - len(got)) if exact else 65536)
        except socket.timeout:
            break
        if not data:
            break
        got += data
    return got


class Test:
    kind = 'test'

    def __init__(self, name, points, why):
        self.name, self.points, self.why = name, points, why


class Check(Test):
    kind = 'check'

    def __init__(self, name, points, fn, why):
        super().__init__(name, points, why)
        self.fn = fn

    def run(self, ctx):
        return self.fn(ctx)


class Unit(Test):
    kind = 'unit'

    def __init__(self, name, points, binary, cases, why):
        super().__init__(name, points, why)
        self.binary, self.cases = binary, list(cases)

    def run(self, ctx):
        res = ctx.unit_results(self.binary)
        bad = []
        for case in self.cases:
            if case not in res:
                bad.append('%s: did not run (crashed or missing)' % case)
            elif res[case] is not True:
                bad.append('%s: %s' % (case, res[case]))
        if bad:
            raise Fail('\n'.join(bad) + '\nrun it: make test-bins && build/tests/%s (`make` '
                       'alone does not rebuild the tests; one line per test in '
                       'build/grade/%s.log)' % (self.binary, self.binary))


class Resp(Test):
    kind = 'resp'

    def __init__(self, name, points, send, expect, why):
        super().__init__(name, points, why)
        self.send = send if isinstance(send, list) else [send]
        self.expect = expect

    def run(self, ctx):
        port = ctx.server_port()
        s = socket.create_connection(('127.0.0.1', port), timeout=5)
        got = b''
        try:
            for i, chunk in enumerate(self.send):
                s.sendall(chunk)
                if i + 1 < len(self.send):
                    time.sleep(0.05)  # separate reads, usually; either way
                    #                   the reply must be the same
            # a reply on loopback, or none
            got = recv_upto(s, len(self.expect), harness.guard(1.0))
        finally:
            s.close()
        if got != self.expect:
            sent = ' then '.join(show(c) for c in self.send)
            if len(self.send) > 1:
                sent += '  (%d writes, 50 ms apart: usually %d reads)' % (
                    len(self.send), len(self.send))
            raise Fail('sent     %s\nexpected %s\ngot      %s%s'
                       % (sent, show(self.expect), show(got),
                          '  (nothing: no reply came)' if not got else '')
                       + differ_at(self.expect, got))


class Cli(Test):
    kind = 'redis-cli'

    def __init__(self, name, points, args, expect, why):
        super().__init__(name, points, why)
        self.args, self.expect = args, expect

    def run(self, ctx):
        cmd = ['redis-cli', '-p', str(ctx.server_port())] + self.args
        try:
            p = subprocess.run(cmd, capture_output=True, text=True,
                               timeout=harness.guard(5))
            out = p.stdout
        except subprocess.TimeoutExpired:
            out = '(redis-cli got no answer)'
        if out != self.expect:
            raise Fail('%s\nexpected %r\ngot      %r' % (' '.join(cmd), self.expect, out))


class PyRedis(Test):
    kind = 'redis-py'

    def __init__(self, name, points, fn, why):
        super().__init__(name, points, why)
        self.fn = fn

    def run(self, ctx):
        try:
            import redis
        except ImportError:
            raise Fail('redis-py is not installed for %s: run `make grade` '
                       '(it uses /usr/bin/python3, which has python3-redis)'
                       % sys.executable)
        r = redis.Redis(port=ctx.server_port(), socket_timeout=harness.guard(3))
        try:
            self.fn(r)
        except redis.RedisError as e:
            raise Fail('redis-py: %s: %s' % (type(e).__name__, e))
        finally:
            r.close()


def normalise(src, dst):
    """Copy a trace without src line numbers (a student's code has other
    line numbers than the reference's)."""
    with open(src, encoding='utf-8') as f, open(dst, 'w', encoding='utf-8') as o:
        for ln in f:
            ev = json.loads(ln)
            ev.get('args', {}).pop('src', None)
            if ev.get('cat') == 'header':
                ev['args'].pop('src_dir', None)
            o.write(json.dumps(ev, separators=(',', ':')) + '\n')


def trace_diff(ctx, name, expected, got):
    """None if equal, else the student's explanation of the first step
    where GOT's buffers differ from EXPECTED."""
    exp_n = os.path.join(ctx.out, name + '.expected.jsonl')
    got_n = os.path.join(ctx.out, name + '.got.jsonl')
    normalise(expected, exp_n)
    normalise(got, got_n)
    p = subprocess.run([ctx.tool, 'diff', exp_n, got_n], capture_output=True,
                       text=True, timeout=harness.guard(30))
    if p.returncode == 0:
        return None
    m = re.search(r'first difference at ts (\d+)', p.stdout + p.stderr)
    ts = int(m.group(1)) if m else 1
    fn = '?'
    with open(exp_n, encoding='utf-8') as f:
        for ln in f:
            ev = json.loads(ln)
            if ev.get('ts') == ts:
                fn = '%s (%s)' % (ev.get('name'), ev.get('cat'))
                break
        else:
            fn = '(the reference trace ends before this step)'
    fields = [ln.strip() for ln in p.stdout.split('\n')[1:] if ln.strip()][:6]
    rel = lambda q: os.path.relpath(q, ctx.root)
    lines = []
    for f in fields:
        if f.startswith('args.(key order)'):
            lines.append('  the step\'s fields come in another order (its traceEvent() '
                         'call has another format than the reference\'s)')
        else:
            lines.append('  ' + re.sub(r'^(\S+): (.*) \| (.*)$', r'\1: expected \2, got \3', f))
    if fields and all(f.startswith('args.c.') for f in fields):
        # same step, same arguments: only the client's state differs
        lines.append('  (a step records the client\'s state at its traceEvent() call: if '
                     'your bytes are right, check that the call comes where the TODO '
                     'says, e.g. after a reset, not before)')
    return ('first divergent step: %d, in %s\n' % (ts, fn)
            + '\n'.join(lines)
            + '\nsee it:  bin/minired-view --step %d %s' % (ts, rel(got))
            + '\n         (no terminal: bin/minired-view --dump %d %s)' % (ts, rel(got))
            + '\nside by side:  bin/minired-view --diff %s %s'
            % (rel(exp_n), rel(got_n))
            + '\n         (no terminal: bin/minired-view --dump %d --diff %s %s)'
            % (ts, rel(exp_n), rel(got_n)))


class Trace(Test):
    kind = 'trace'

    def __init__(self, name, points, scenario, golden, why):
        super().__init__(name, points, why)
        self.scenario, self.golden = scenario, golden

    def run(self, ctx):
        got = os.path.join(ctx.out, self.name + '.jsonl')
        for old in (got, os.path.join(ctx.out, self.name + '.expected.jsonl'),
                    os.path.join(ctx.out, self.name + '.got.jsonl')):
            if os.path.exists(old):     # a crash below must not leave the
                os.remove(old)          # last run's trace to be compared
        with open(got, 'w') as o:
            p = subprocess.run([ctx.tool, 'run', os.path.join(ctx.root, self.scenario)],
                               stdout=o, stderr=subprocess.PIPE, text=True,
                               timeout=harness.guard(60))
        if p.returncode != 0:
            raise Fail('minired-trace run %s failed: %s' % (self.scenario, crash_text(p)))
        d = trace_diff(ctx, self.name, os.path.join(ctx.root, self.golden), got)
        if d:
            raise Fail(d)


CRASH_WHY = re.compile(r'==> .* is not true|crashed by signal|ASSERTION FAILED|'
                       r'AddressSanitizer|runtime error')


def crash_text(p):
    """What a student needs from a failed `minired-trace run`: the lines
    that say why (a signal, an assertion, an error), then the end."""
    lines = p.stderr.strip().split('\n')
    why = [ln for ln in lines if CRASH_WHY.search(ln) or
           re.search(r'signal|assert|error|crash', ln, re.I)][:3]
    tail = p.stderr.strip()[-300:]
    head = '\n'.join(ln for ln in why if ln not in tail)
    code = 'exit %d' % p.returncode if p.returncode > 0 else 'killed by signal %d' % -p.returncode
    return '%s\n%s%s' % (code, head + '\n...\n' if head else '', tail)


def scn_bytes(b):
    """Bytes as a scenario "string" (tests/scenarios/README.md escapes)."""
    out = []
    for ch in b:
        c = chr(ch)
        if c in '"\\':
            out.append('\\' + c)
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append('\\x%02x' % ch)
    return '"' + ''.join(out) + '"'


def replies_of(trace, tid=3):
    """The bytes the server wrote to client TID, in order."""
    out = b''
    with open(trace, encoding='utf-8') as f:
        for ln in f:
            ev = json.loads(ln)
            if ev.get('tid') == tid and ev.get('cat') in ('write', 'writev'):
                out += ev['args'].get('data', '').encode('latin-1', 'replace') \
                    if all(ord(c) < 256 for c in ev['args'].get('data', '')) \
                    else ev['args']['data'].encode('utf-8')
    return out


class Random(Test):
    kind = 'random'

    def __init__(self, name, points, cases, rounds, why, max_read=16):
        super().__init__(name, points, why)
        self.cases, self.rounds, self.max_read = cases, rounds, max_read

    def run(self, ctx):
        rng = random.Random('%s/%s' % (ctx.seed, self.name))
        for r in range(self.rounds):
            picked = [rng.choice(self.cases) for _ in range(rng.randint(1, 6))]
            reads = [rng.randint(1, self.max_read) for _ in range(rng.randint(1, 4))]
            req = b''.join(q for q, _ in picked)
            want = b''.join(a for _, a in picked)
            scn = os.path.join(ctx.out, '%s-%d.scn' % (self.name, r))
            with open(scn, 'w') as f:
                f.write('# %s round %d, GRADE_SEED=%s\nclient A\nA reads %s\n'
                        'A send %s\nrun\n' % (self.name, r, ctx.seed,
                                             ','.join(map(str, reads)), scn_bytes(req)))
            trace = scn[:-4] + '.jsonl'
            with open(trace, 'w') as o:
                p = subprocess.run([ctx.tool, 'run', scn], stdout=o,
                                   stderr=subprocess.PIPE, text=True,
                                   timeout=harness.guard(60))
            rel = os.path.relpath(scn, ctx.root)
            if p.returncode != 0:
                raise Fail('round %d: minired-trace run %s failed: %s'
                           % (r, rel, crash_text(p)))
            got = replies_of(trace)
            if got != want:
                raise Fail('round %d: requests %s read %s bytes at a time\n'
                           'expected %s\ngot      %s\nscenario: %s\n'
                           'see it:  bin/minired-view %s'
                           % (r, show(req), ','.join(map(str, reads)), show(want),
                              show(got), rel, os.path.relpath(trace, ctx.root))
                           + differ_at(want, got))
            c = subprocess.run([ctx.tool, 'check', trace], capture_output=True,
                               text=True, timeout=harness.guard(60))
            if c.returncode != 0:
                raise Fail('round %d: minired-trace check %s: %s'
                           % (r, os.path.relpath(trace, ctx.root),
                              (c.stdout + c.stderr).strip()[:400]))


def _accepts(port):
    """True once the server at PORT accepts a TCP connection."""
    socket.create_connection(('127.0.0.1', port), timeout=1.0).close()
    return True


class Ctx:
    """What the tests share: the tree, the seed, one server, unit results."""

    def __init__(self, root, seed):
        self.root, self.seed = root, seed
        self.out = os.path.join(root, 'build', 'grade')
        os.makedirs(self.out, exist_ok=True)
        self.tool = os.path.join(root, 'bin', 'minired-trace')
        self._server = None
        self._server_error = None
        self._units = {}

    def server_port(self):
        # The server counts as started once it accepts a connection: the
        # harness's own check wants +PONG to a multibulk PING, which a lab's
        # half-written parser may not give, and the live tests must then
        # show what it does give. One PING decides whether they can run at
        # all: no byte back within 1 s (a stub that leaves multibulk mute)
        # fails them at once, not each after its own timeout.
        if self._server_error:
            raise Fail(self._server_error)
        if self._server is None:
            os.environ.setdefault('MINIRED_SERVER',
                                  os.path.join(self.root, 'bin', 'minired-server'))

            def accepts(port):
                socket.create_connection(('127.0.0.1', port), timeout=1).close()
                return True
            try:
                self._server = harness.Server(ready=accepts).start()
            except harness.ServerError as e:
                self._server_error = 'the server did not start:\n%s' % str(e)[-600:]
                raise Fail(self._server_error)
            try:
                with socket.create_connection(('127.0.0.1', self._server.port),
                                              timeout=harness.guard(1)) as s:
                    s.sendall(b'*1\r\n$4\r\nPING\r\n')
                    first = s.recv(64)
            except OSError:
                first = b''
            if not first:
                self._server_error = (
                    'the server accepted a connection but sent nothing back '
                    'within 1 s for a PING sent as multibulk '
                    '("*1\\r\\n$4\\r\\nPING\\r\\n", what every client sends): '
                    'no live test can run')
                raise Fail(self._server_error)
        if not self._server.alive():
            raise Fail('the server is not running any more (it crashed?); '
                       'its log:\n' + self._server.log_tail(10))
        return self._server.port

    def unit_results(self, binary):
        """{test function: True | failure message} of build/tests/BINARY."""
        if binary not in self._units:
            path = os.path.join(self.root, 'build', 'tests', binary)
            log = os.path.join(self.out, binary + '.log')
            if os.path.exists(log):
                os.remove(log)
            # CK_LOG_FILE_NAME: Check writes one line per test there, passes
            # included (the binaries print only a summary).
            env = dict(os.environ, CK_LOG_FILE_NAME=log, CK_FORK='yes',
                       CK_DEFAULT_TIMEOUT=str(harness.guard(20)))
            run = subprocess.run([path], capture_output=True, text=True, env=env,
                                 cwd=self.root, timeout=harness.guard(300))
            res = {}
            text = open(log, encoding='utf-8', errors='replace').read() \
                if os.path.exists(log) else ''
            last = None
            for ln in text.split('\n'):
                m = re.match(r'^[^:]+:\d+:([PFE]):[^:]*:([A-Za-z0-9_]+):\d+:\s*(.*)$', ln)
                if m:
                    last = m.group(2)
                    res[last] = True if m.group(1) == 'P' else m.group(3)
                elif last and res[last] is not True and ln.strip() and \
                        not ln.startswith(('Results for all suites', 'Running suite')):
                    # a failure message of several lines ("expected ...",
                    # "got ..." under "bytes differ at offset N")
                    res[last] += '\n    ' + ln.strip()
            # A case that crashed ("Received signal 6") says why only on the
            # binary's own stderr: the server's assertion line, "==> file:line
            # 'cond' is not true" (serverAssert), goes with the first such case.
            why = [ln.strip() for ln in (run.stdout + run.stderr).split('\n')
                   if CRASH_WHY.search(ln)][:2]
            for case in res:
                if why and res[case] is not True and 'signal' in res[case]:
                    res[case] += '\n    the crash: ' + '\n    '.join(why)
                    break
            self._units[binary] = res
        return self._units[binary]

    def close(self):
        if self._server is not None:
            self._server.stop()


def grade(root, n, lab, only=None, seed=None, out=sys.stdout):
    """Run LAB's tests (ONLY: names) in ROOT; print; write results.json.
    Returns (score, max)."""
    seed = seed if seed is not None else int(os.environ.get('GRADE_SEED', '20261202'))
    tests = [t for t in lab['TESTS'] if not only or t.name in only]
    if only:
        unknown = set(only) - {t.name for t in lab['TESTS']}
        if unknown:
            raise SystemExit('grade: no test named %s' % ', '.join(sorted(unknown)))
    ctx = Ctx(root, seed)
    print('lab %d: %s   (seed %d; GRADE_SEED=N to change it)'
          % (n, lab['TITLE'], seed), file=out, flush=True)
    results, score, total = [], 0, 0
    try:
        for t in tests:
            try:
                detail = t.run(ctx) or ''
                ok = True
            except Fail as e:
                ok, detail = False, str(e)
            except Exception as e:  # a grader bug must cost points, not the run
                ok, detail = False, 'the test itself failed: %s: %s' % (type(e).__name__, e)
            got = t.points if ok else 0
            score += got
            total += t.points
            line = '%s %s %d/%d' % ('PASS' if ok else 'FAIL', t.name, got, t.points)
            if not ok:
                line += ': ' + t.why
            print(line, file=out, flush=True)
            for d in detail.split('\n') if detail else []:
                print('      ' + d, file=out)
            results.append({'name': '%s (%s)' % (t.name, t.kind), 'score': got,
                            'max_score': t.points,
                            'output': (('' if ok else t.why + '\n') + detail).strip()})
    finally:
        ctx.close()
    print('total %d/%d%s' % (score, total, '' if score == total else
                              '   (not full marks)'), file=out, flush=True)
    with open(os.path.join(ctx.out, 'results.json'), 'w') as f:
        json.dump({'score': score, 'max_score': total, 'tests': results,
                   'output': 'lab %d, seed %d' % (n, seed)}, f, indent=1)
    return score, total
