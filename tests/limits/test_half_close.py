#!/usr/bin/python3
"""test_half_close.py - a client that sends "PING\\r\\n" and then
shutdown(SHUT_WR).

What Redis 5.0 does (and 7.0, checked with MINIRED_SERVER=/usr/bin/
redis-server): the read that brings "PING\\r\\n" runs the command and
queues "+PONG\\r\\n"; beforeSleep writes it before the event loop waits
again; the next read returns 0 (end of stream) and the client is freed.
So the half-closed client receives exactly "+PONG\\r\\n" and then the
end of the stream. Also with a pipeline (three commands, multibulk) and
when the FIN arrives in the same segment train as the request.
"""
import socket
import sys

from limitslib import harness, info_field, wait_until
from harness import Reporter, Server, check_eq, resp


def half_close(srv, payload):
    """Send payload, shut the write side, return everything until close."""
    c = srv.connect()
    c.send(payload)
    c.sock.shutdown(socket.SHUT_WR)
    got = c.read_until_close()
    c.close()
    return got


def main():
    rep = Reporter()
    srv = harness.start_or_fail(rep, 'half-close', Server())
    if srv is None:
        return 1
    try:
        other = srv.connect()
        before = int(info_field(other, 'connected_clients', 'clients'))
        with rep.case('half-close-inline-ping', srv):
            check_eq(half_close(srv, b'PING\r\n'), b'+PONG\r\n')
        with rep.case('half-close-pipeline', srv):
            got = half_close(srv, resp('SET', 'k', 'v') + resp('GET', 'k') +
                             resp('PING'))
            check_eq(got, b'+OK\r\n$1\r\nv\r\n+PONG\r\n')
        with rep.case('half-close-partial-request', srv):
            # An unfinished request and then EOF: nothing to answer.
            check_eq(half_close(srv, b'*2\r\n$3\r\nGET\r\n'), b'')
        with rep.case('half-close-others-unaffected', srv):
            other.expect(('PING',), b'+PONG\r\n')
            wait_until(lambda: int(info_field(other, 'connected_clients',
                                              'clients')) == before,
                       what='connected_clients back to %d' % before)
        other.close()
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
