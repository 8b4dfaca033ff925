#!/usr/bin/python3
"""test_unauth_memory.py - what the 5.0.14 unauthenticated limits save.

Before Redis 5.0.14 (CVE-2021-32675) a client that had not authenticated
could send "*1048576\\r\\n" and make the server allocate the argv array for
1,048,576 arguments at once: 8 MB per connection, before any password
check. 5.0.14 refuses a count above 10 from such a client and closes it.

unauth-memory-1000: a server with --requirepass; 1,000 connections at once,
each sends "*1048576\\r\\n". Each must get exactly "-ERR Protocol error:
unauthenticated multibulk length\\r\\n" and be closed. INFO used_memory and
the server's VmRSS (and VmHWM, its peak RSS) from /proc are printed before
and after; used_memory must come back to within 1 MB of where it was and
the peak RSS must stay within 64 MB of the start (without the limit,
used_memory would have passed 8 GB).

unauth-memory-contrast: on a server without a password the same request is
legal: 10 connections that each send "*1048576\\r\\n" and then wait make
used_memory grow by at least 10 x 8 MB (what 1,000 unauthenticated ones
would have cost: 8 GB). minired (Redis 5.0) only: Redis 7.0 allocates the
argv in steps of at most 1,024 slots, so there the figure is only printed.

The figures are sizes, never times: no bound depends on machine speed.
"""
import selectors
import socket
import sys

from limitslib import harness, info_field, raise_nofile, wait_until
from harness import Reporter, Server, check, TestFailure

N = 1000
UNAUTH_MBULK = b'-ERR Protocol error: unauthenticated multibulk length\r\n'


def proc_status(pid, field):
    """A /proc/PID/status field in bytes (VmRSS, VmHWM), or 0."""
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith(field + ':'):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def figures(srv, conn):
    """(used_memory, VmRSS, VmHWM) of the server now."""
    return (int(info_field(conn, 'used_memory', 'memory')),
            proc_status(srv.proc.pid, 'VmRSS'),
            proc_status(srv.proc.pid, 'VmHWM'))


def mb(n):
    return '%.1f MB' % (n / 1048576.0)


def open_and_declare(port, n):
    """n connections, each sending "*1048576\\r\\n"; returns the sockets."""
    socks = []
    for i in range(n):
        try:
            s = socket.create_connection(('127.0.0.1', port), timeout=10.0)
        except OSError as e:
            for t in socks:
                t.close()
            raise TestFailure('connection %d failed: %s' % (i + 1, e))
        socks.append(s)
    for s in socks:
        s.sendall(b'*1048576\r\n')
    return socks


def read_all_until_close(socks):
    """Everything each socket gets until the server closes it."""
    sel = selectors.DefaultSelector()
    got = {}
    for s in socks:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        got[s] = b''
    open_left = len(socks)
    wait_until(lambda: _pump(sel, got) == 0, 30, step=0,
               what='the server to close all %d connections' % open_left)
    return got


def _pump(sel, got):
    """One select round; returns how many sockets are still open."""
    for key, _ in sel.select(timeout=0.5):
        s = key.fileobj
        try:
            data = s.recv(4096)
        except ConnectionResetError:
            data = b''
        if data:
            got[s] += data
        else:
            sel.unregister(s)
    return len(sel.get_map())


def main():
    rep = Reporter()
    if not raise_nofile(N + 256):
        rep.emit('SKIP', 'unauth-memory-1000',
                 'hard RLIMIT_NOFILE below %d' % (N + 256))
        return 0
    srv = harness.start_or_fail(rep, 'unauth-memory',
                                Server(['--requirepass', 'secret']))
    if srv is None:
        return 1
    try:
        with rep.case('unauth-memory-1000', srv), srv.connect() as admin:
            admin.expect(('AUTH', 'secret'), b'+OK\r\n')
            before = figures(srv, admin)
            socks = open_and_declare(srv.port, N)
            try:
                got = read_all_until_close(socks)
            finally:
                for s in socks:
                    s.close()
            bad = [g for g in got.values() if g != UNAUTH_MBULK]
            check(not bad, '%d of %d connections got %r instead'
                  % (len(bad), N, bad[0] if bad else b''))
            wait_until(lambda: int(info_field(admin, 'connected_clients',
                                              'clients')) == 1,
                       10, what='the server to count one client again')
            after = figures(srv, admin)
            print('    %d unauthenticated "*1048576": used_memory %s -> %s, '
                  'VmRSS %s -> %s, peak RSS (VmHWM) %s'
                  % (N, mb(before[0]), mb(after[0]), mb(before[1]),
                     mb(after[1]), mb(after[2])))
            check(after[0] - before[0] < 1 << 20, 'used_memory grew by %s'
                  % mb(after[0] - before[0]))
            if before[1] and after[2]:
                check(after[2] - before[1] < 64 << 20, 'peak RSS grew by %s'
                      % mb(after[2] - before[1]))
    finally:
        srv.stop()

    srv = harness.start_or_fail(rep, 'unauth-memory-contrast', Server())
    if srv is None:
        return 1
    try:
        with rep.case('unauth-memory-contrast', srv), srv.connect() as admin:
            before = figures(srv, admin)
            socks = open_and_declare(srv.port, 10)
            try:
                wait_until(lambda: int(info_field(admin, 'connected_clients',
                                                  'clients')) == 11,
                           10, what='11 clients')
                # The argv is allocated when "*1048576\r\n" is parsed.
                grown = wait_until(
                    lambda: (int(info_field(admin, 'used_memory', 'memory'))
                             - before[0]) >= 10 * 8 * 1048576
                    if harness.flavor() == '5.0' else True,
                    10, what='used_memory to grow by 80 MB')
                now = figures(srv, admin)
            finally:
                for s in socks:
                    s.close()
            print('    without requirepass, 10 x "*1048576": used_memory '
                  '%s -> %s (%s per connection)'
                  % (mb(before[0]), mb(now[0]),
                     mb((now[0] - before[0]) / 10.0)))
            check(grown, 'used_memory did not grow')
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
