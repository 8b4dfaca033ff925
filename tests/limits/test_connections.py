#!/usr/bin/python3
"""test_connections.py - many concurrent connections.

maxclients itself (the sixth client of --maxclients 5 gets
"-ERR max number of clients reached\\r\\n") is tested by
tests/integration/test_maxclients.py; this script does not repeat it.

Here: the test process raises its RLIMIT_NOFILE (the server, started by
it, inherits the higher limit), starts the server with --maxclients 10000,
and opens 10,000 connections at once. Every one sends PING and every one
gets exactly "+PONG\\r\\n". Then all are closed; the server counts one
client again and still answers. Budget: well under 30 s.
"""
import selectors
import socket
import sys
import time

from limitslib import harness, info_field, raise_nofile, wait_until
from harness import Reporter, Server, check, TestFailure

N = 10000


def main():
    rep = Reporter()
    # 10,000 client sockets here, 10,000 + 32 reserved in the server.
    if not raise_nofile(N + 1024):
        rep.emit('SKIP', 'connections-10000',
                 'hard RLIMIT_NOFILE below %d' % (N + 1024))
        return 0
    srv = harness.start_or_fail(rep, 'connections',
                                Server(['--maxclients', str(N)]))
    if srv is None:
        return 1
    socks = []
    t0 = time.time()
    try:
        with rep.case('connections-10000-connect', srv):
            for i in range(N):
                try:
                    s = socket.create_connection(('127.0.0.1', srv.port),
                                                 timeout=10.0)
                except OSError as e:
                    raise TestFailure('connection %d failed: %s' % (i + 1, e))
                socks.append(s)
        with rep.case('connections-10000-ping', srv):
            check(len(socks) == N, 'only %d connections' % len(socks))
            for s in socks:
                s.sendall(b'*1\r\n$4\r\nPING\r\n')
            sel = selectors.DefaultSelector()
            got = {}
            for s in socks:
                s.setblocking(False)
                sel.register(s, selectors.EVENT_READ)
                got[s] = b''
            pending = N
            deadline = time.time() + harness.guard(20)   # hang guard
            while pending and time.time() < deadline:
                for key, _ in sel.select(timeout=1.0):
                    s = key.fileobj
                    data = s.recv(64)
                    if not data:
                        raise TestFailure('a connection was closed: %r'
                                          % got[s])
                    got[s] += data
                    if len(got[s]) >= 7:
                        sel.unregister(s)
                        pending -= 1
            sel.close()
            check(pending == 0, '%d connections got no reply' % pending)
            bad = [v for v in got.values() if v != b'+PONG\r\n']
            check(not bad, '%d wrong replies, e.g. %r' % (len(bad), bad[:1]))
        with rep.case('connections-10000-close-responsive', srv):
            for s in socks:
                s.close()
            socks = []
            with srv.connect() as c:
                c.expect(('PING',), b'+PONG\r\n')
                wait_until(lambda: info_field(c, 'connected_clients',
                                              'clients') == '1',
                           timeout=10.0, what='connected_clients 1')
            print('    10000 connections, PING each, closed: %.1f s'
                  % (time.time() - t0))
    finally:
        for s in socks:
            s.close()
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
