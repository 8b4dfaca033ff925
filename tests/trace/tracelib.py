"""tracelib.py - shared helpers for the trace suite (tests/trace/test_*).

The trace suite checks the trace a server writes with --trace and what
bin/minired-trace does with it. Every test_* script here prints one line
per test in the line protocol tests/run-all.sh counts (PASS / FAIL / SKIP),
through the Reporter of tests/integration/harness.py, and starts servers
with harness.Server, which never leaves one running.

What lives here:
    tool(args)            run bin/minired-trace, return CompletedProcess
    strip_wall(data)      a trace with every wall-clock field set to 0,
                          for byte-for-byte comparisons (wall_us and any
                          field whose name starts with "wall_" may differ
                          between two runs; nothing else may)
    events(path)          the trace's whole lines parsed as JSON
    decode_data(s)        the bytes behind a "data" string (one code point
                          per byte, the format's rule)
    record_session(...)   start a traced server, drive it with a mix of
                          traffic (redis-cli, a pipelined burst, a big
                          reply, a protocol error, a slow reader), stop it
                          with SIGTERM so the footer is written
Run with /usr/bin/python3 (Debian's, which has redis-py).
"""

import json
import os
import re
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'integration'))

import harness  # noqa: E402  (path set just above)

REPO = harness.REPO
# MINIRED_TRACE=/path/to/minired-trace tests another build of the tool (the
# sanitized one of `make sanitize`); MINIRED_SERVER picks the server, as in
# the integration suite.
TOOL = os.environ.get('MINIRED_TRACE') or os.path.join(REPO, 'bin',
                                                      'minired-trace')
SERVER = harness.server_binary()
SCENARIOS = os.path.join(REPO, 'tests', 'scenarios')
GOLDEN = os.path.join(REPO, 'tests', 'golden')
CLI = '/usr/bin/redis-cli'
BENCH = '/usr/bin/redis-benchmark'
# Requests per redis-benchmark test in record_session: run-all.sh's sanitize
# mode sets 200, as the ASan build of minired-trace takes minutes to replay
# and check the 200 MB trace of the default 2000.
BENCH_REQUESTS = os.environ.get('MINIRED_LIVE_BENCH_REQUESTS') or '2000'

TestFailure = harness.TestFailure
check = harness.check

# "wall_us":1700000000123456 or "wall_duration_us":17 -> value 0. Wall
# fields are always plain integers in schema 1.
_WALL = re.compile(rb'("wall_[A-Za-z0-9_]*":)-?[0-9]+(?:\.[0-9]+)?')


def strip_wall(data):
    """data (bytes) with the value of every wall_* field replaced by 0."""
    return _WALL.sub(rb'\g<1>0', data)


def tool(args, timeout=300, stdin=None):
    """Run bin/minired-trace ARGS; return the CompletedProcess (bytes)."""
    return subprocess.run([TOOL] + list(args), capture_output=True,
                          timeout=timeout, cwd=REPO, stdin=stdin)


def tool_out(args, out_path, timeout=300):
    """Run bin/minired-trace ARGS with stdout into out_path; returns the
    CompletedProcess (its stdout is empty, stderr captured)."""
    with open(out_path, 'wb') as out:
        return subprocess.run([TOOL] + list(args), stdout=out,
                              stderr=subprocess.PIPE, timeout=timeout,
                              cwd=REPO)


def tail(proc, n=6):
    """The last lines of a tool's stderr+stdout, one line, for a FAIL
    reason."""
    text = (proc.stderr or b'') + b'\n' + (proc.stdout or b'')[-2000:]
    lines = [l for l in text.decode('utf-8', 'replace').splitlines()
             if l.strip()]
    return ' | '.join(lines[-n:])


def require_ok(proc, what):
    """Fail unless a tool run exited 0."""
    if proc.returncode != 0:
        raise TestFailure('%s exited %d: %s' % (what, proc.returncode,
                                                tail(proc)))


def require_tool(rep, name):
    """FAIL (never a silent skip) when bin/minired-trace is not built."""
    if os.path.isfile(TOOL) and os.access(TOOL, os.X_OK):
        return True
    rep.emit('FAIL', name, '%s not built (make bin/minired-trace)' % TOOL)
    return False


def events(path):
    """Every whole line of a trace, parsed. A cut last line is skipped."""
    out = []
    with open(path, 'rb') as f:
        for raw in f:
            if not raw.endswith(b'\n'):
                break
            out.append(json.loads(raw))
    return out


def decode_data(s):
    """The bytes a "data" string stands for: each code point is one byte
    (json.loads already turned \\u00XX, \\" and \\\\ into code points)."""
    return bytes(ord(ch) for ch in s)


def scenarios():
    """The scenario names (file stem), in order."""
    return sorted(f[:-4] for f in os.listdir(SCENARIOS) if f.endswith('.scn'))


# ---------------------------------------------------------------------------
# A traced live session
# ---------------------------------------------------------------------------

def cli(port, *args, input=None):
    """redis-cli -p PORT ARGS; fail on a non-zero exit."""
    p = subprocess.run([CLI, '-p', str(port)] + list(args), input=input,
                       capture_output=True, timeout=60)
    if p.returncode != 0:
        raise TestFailure('redis-cli %s exited %d: %s'
                          % (' '.join(args), p.returncode,
                             p.stderr.decode(errors='replace')))
    return p.stdout


def pipe_sets(port, n, prefix='pipe'):
    """n SET commands as raw RESP through redis-cli --pipe."""
    cmds = b''.join(harness.resp('SET', '%s:%d' % (prefix, i), str(i))
                    for i in range(n))
    out = cli(port, '--pipe', input=cmds)
    check(b'replies: %d' % n in out, 'redis-cli --pipe: %r' % out[-200:])


def protocol_error(port):
    """A raw client whose second request is a bad multibulk header: it
    must get the 5.0 error text, then the server closes the connection."""
    with socket.create_connection(('127.0.0.1', port), timeout=5) as s:
        s.sendall(harness.resp('PING'))
        buf = b''
        while not buf.endswith(b'\r\n'):
            buf += s.recv(64)
        check(buf == b'+PONG\r\n', 'PING got %r' % buf)
        s.sendall(b'*x\r\n')
        got = b''
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
        check(got == b'-ERR Protocol error: invalid multibulk length\r\n',
              'protocol error reply %r' % got)


def slow_reader(port, value_len=100000, gets=32):
    """A raw client with a small receive buffer (16 KB, set before the
    connection so the TCP window is small from the start) asks for a big
    value several times and reads nothing for a while: the server's writes
    come back short, then EAGAIN, and it keeps the rest in reply blocks
    until the socket drains. Then the client reads every byte and checks
    them. (Values stay under 128 KB: see the report about reply block
    sizes and malloc's mmap threshold.)"""
    value = b''.join(b'%08d|' % i
                     for i in range(0, value_len, 9))[:value_len]
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        s.settimeout(10)
        s.connect(('127.0.0.1', port))
        s.sendall(harness.resp('SET', 'slow', value))
        check(s.recv(16) == b'+OK\r\n', 'SET slow')
        s.sendall(harness.resp('GET', 'slow') * gets)
        time.sleep(0.3)   # the server fills the socket, then gets EAGAIN
        want = harness.bulk(value) * gets
        got = bytearray()
        while len(got) < len(want):
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            got += chunk
        check(bytes(got) == want, 'slow reader got %d of %d bytes'
              % (len(got), len(want)))
    finally:
        s.close()


def start_traced(trace_path, extra=()):
    """A started harness.Server writing its trace to trace_path."""
    srv = harness.Server(['--trace', trace_path] + list(extra))
    return srv.start()


def record_session(trace_path, benchmark=False, slow=(100000, 32)):
    """Record a live trace with a bit of everything; the server is stopped
    with SIGTERM before returning (footer written). slow: the slow
    reader's (value length, number of GETs)."""
    srv = start_traced(trace_path)
    try:
        port = srv.port
        cli(port, 'SET', 'greeting', 'hello, world')
        cli(port, 'GET', 'greeting')
        cli(port, 'INCR', 'visits')
        cli(port, 'MSET', 'a', '1', 'b', '2')
        cli(port, 'MGET', 'a', 'b', 'nosuchkey')
        cli(port, 'SET', 'big', 'x' * 20000)
        cli(port, 'GET', 'big')
        pipe_sets(port, 1000)
        protocol_error(port)
        slow_reader(port, *slow)
        if benchmark:
            for extra in ([], ['-P', '16']):
                p = subprocess.run(
                    [BENCH, '-p', str(port), '-n', BENCH_REQUESTS, '-c', '10',
                     '-t', 'set,get,incr,mset', '-q'] + extra,
                    capture_output=True, timeout=120)
                check(p.returncode == 0, 'redis-benchmark %s exited %d: %s'
                      % (extra, p.returncode, p.stderr[-300:]))
        cli(port, 'DBSIZE')
    finally:
        srv.stop()
    return srv
