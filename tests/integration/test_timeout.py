#!/usr/bin/python3
"""test_timeout.py - `--timeout 1`: a connection idle for more than 1 s is
closed by the server (clientsCron checks c->lastinteraction against
server.maxidletime; it looks at every client about once a second, so the
close comes between 1 and ~3 s), while a client that keeps sending, even
one slow byte-group at a time in the middle of a command, is kept.
"""
import socket
import sys
import time

import harness
from harness import Reporter, Server, TestFailure, check


def main():
    rep = Reporter()
    srv = harness.start_or_fail(rep, 'timeout', Server(['--timeout', '1']))
    if srv is None:
        return 1
    try:
        with rep.case('timeout-idle-closed', srv), srv.connect(6) as idle:
            idle.expect(('PING',), b'+PONG\r\n')
            t0 = time.time()
            try:
                data = idle.sock.recv(100)
            except socket.timeout:
                raise TestFailure('idle connection still open after 6 s')
            except ConnectionResetError:
                data = b''
            took = time.time() - t0
            check(data == b'', 'idle connection got bytes %r' % data)
            # timeout 1 s: clientsCron visits every client at least once a
            # second, so the close comes 1-3 s after the last byte. The
            # upper bound is a hang guard, scaled for slow builds.
            check(took >= 0.9, 'idle connection closed after only %.2f s'
                  % took)
            check(took <= harness.guard(4.0), 'idle connection closed '
                  'after %.1f s, want <= %.0f s' % (took, harness.guard(4.0)))
            print('    idle connection closed after %.2f s' % took)

        with rep.case('timeout-active-kept', srv), srv.connect(5) as busy:
            # "SET slow value" sent in 6 pieces 0.5 s apart: 3 s in total,
            # more than the timeout, but never idle for 1 s.
            pieces = [b'*3\r\n', b'$3\r\nSET\r\n', b'$4\r\n', b'slow\r\n',
                      b'$5\r\nva', b'lue\r\n']
            for piece in pieces:
                busy.send(piece)
                time.sleep(0.5)
            busy.expect(b'', b'+OK\r\n', 'reply to the slowly sent SET')
            # And PINGs every 0.5 s for another 2 s.
            for _ in range(4):
                time.sleep(0.5)
                busy.expect(('PING',), b'+PONG\r\n')
            busy.expect(('GET', 'slow'), b'$5\r\nvalue\r\n')
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
