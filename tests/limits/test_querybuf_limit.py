#!/usr/bin/python3
"""test_querybuf_limit.py - client-query-buffer-limit reached.

The server runs with --client-query-buffer-limit 1mb. One client announces
a 4 MB bulk argument ("*2\\r\\n$4\\r\\nECHO\\r\\n$4194304\\r\\n") and sends
its bytes: once querybuf holds more than 1 MB the server closes the
connection without a reply and logs, like Redis,

    Closing client that reached max query buffer length: id=... (qbuf
    initial bytes: "...")

Another client, connected all along, keeps getting +PONG, and the server's
client count goes back to what it was.
"""
import sys

from limitslib import harness, wait_log, wait_until, info_field
from harness import Reporter, Server, check, check_eq, TestFailure


def main():
    rep = Reporter()
    srv = harness.start_or_fail(
        rep, 'querybuf-limit',
        Server(['--client-query-buffer-limit', '1mb']))
    if srv is None:
        return 1
    try:
        other = srv.connect()
        before = int(info_field(other, 'connected_clients', 'clients'))
        with rep.case('querybuf-limit-client-closed', srv):
            big = srv.connect(timeout=10.0)
            big.send(b'*2\r\n$4\r\nECHO\r\n$4194304\r\n')
            chunk = b'x' * 65536
            closed = False
            try:
                for _ in range(64):
                    big.sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                closed = True
            if not closed:
                got = big.read_until_close()
                check_eq(got, b'', 'bytes before the close')
            big.close()
        with rep.case('querybuf-limit-logged', srv):
            line = wait_log(srv, 'Closing client that reached max query '
                                 'buffer length')
            check('qbuf initial bytes' in line,
                  'log line lacks the qbuf excerpt: %s' % line)
        with rep.case('querybuf-limit-others-unaffected', srv):
            other.expect(('PING',), b'+PONG\r\n')
            other.expect(('ECHO', 'still here'), b'$10\r\nstill here\r\n')
            wait_until(lambda: int(info_field(other, 'connected_clients',
                                              'clients')) == before,
                       what='connected_clients back to %d' % before)
        other.close()
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
