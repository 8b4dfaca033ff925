"""limitslib.py - small helpers shared by the tests/limits/test_*.py
scripts: import the integration harness, read INFO fields, count clients,
wait for a condition, grep the server log.

The limits suite checks how the server behaves at its edges: buffer
limits, many connections, clients that misbehave (never read, vanish in
the middle of a reply, half-close, send garbage) and shutdown under load.
Every script speaks the harness's PASS/FAIL/SKIP line protocol and can be
pointed at real Redis with MINIRED_SERVER=/usr/bin/redis-server.
"""
import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'integration'))

import harness  # noqa: E402  (path set just above)
from harness import TestFailure  # noqa: E402


def raise_nofile(need):
    """Raise the soft fd limit to at least need (up to the hard limit);
    False when the hard limit is lower."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            return False
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
    return True


def info_field(conn, field, section='all'):
    """One field of INFO as a string (e.g. 'connected_clients')."""
    reply = conn.call('INFO', section)
    for line in reply.split(b'\r\n'):
        if line.startswith(field.encode() + b':'):
            return line.split(b':', 1)[1].decode()
    raise TestFailure('INFO has no field %s' % field)


def client_list(conn):
    """CLIENT LIST as a list of dicts (one per client)."""
    reply = conn.call('CLIENT', 'LIST')
    body = reply.split(b'\r\n', 1)[1].decode(errors='replace')
    out = []
    for line in body.split('\n'):
        line = line.strip()
        if not line:
            continue
        d = {}
        for item in line.split(' '):
            if '=' in item:
                k, v = item.split('=', 1)
                d[k] = v
        out.append(d)
    return out


def wait_until(cond, timeout=5.0, step=0.05, what='condition'):
    """Poll cond() until true; fail after timeout seconds (a hang guard,
    scaled by harness.guard for sanitizer and valgrind builds)."""
    timeout = harness.guard(timeout)
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = cond()
        if last:
            return last
        time.sleep(step)
    raise TestFailure('timed out after %.1fs waiting for %s' % (timeout, what))


def log_text(server):
    """The whole server log so far, as text."""
    if not server.log_path or not os.path.exists(server.log_path):
        return ''
    with open(server.log_path, 'rb') as f:
        return f.read().decode('utf-8', errors='replace')


def wait_log(server, needle, timeout=5.0):
    """Wait until the server log contains needle; return the matching line."""
    def found():
        for line in log_text(server).splitlines():
            if needle in line:
                return line
        return None
    return wait_until(found, timeout, what='log line %r' % needle)


def ping_ms(conn):
    """Round trip of one PING in milliseconds (fails unless +PONG, or if
    nothing comes within the connection's hang guard). Tests print it as
    information only: no test bound depends on machine speed, and how fast
    the server answers while others misbehave is `make bench`'s to say
    (scripts/bench_stall.py)."""
    t0 = time.time()
    harness.check_eq(conn.call('PING'), b'+PONG\r\n', 'PING')
    return (time.time() - t0) * 1000.0
