#!/usr/bin/python3
"""test_slow_reader.py - one client that does not read must not stall the
others, and must still get every byte once it reads.

Client A (named "stalled") writes `GET bigkey` (bigkey = 8 MB) 8 times in
one go and then reads nothing: 64 MB of replies pile up in the server's
reply list for A (the kernel socket buffers hold only a few MB). Once
CLIENT LIST shows more than 32 MB waiting for A, client B sends 20 PINGs,
and each must come back as "+PONG\r\n"; afterwards A must *still* have
output waiting. Both together prove the event loop served B while A's
socket was full (writeToClient stops on EAGAIN instead of blocking), with
no bound on how fast: a server that blocked on A would never answer B
until A read, and A never reads during the PINGs. The waits are hang
guards (harness.guard) that scale with the build; how long B's PINGs take
while A stalls is measured by `make bench` (scripts/bench_stall.py).
Then A reads all 8 x ("$8388608\r\n" + value + "\r\n") and every byte
is compared.
"""
import socket
import sys

import harness
from harness import Reporter, Server, TestFailure, bulk, check, resp

SIZE = 8 << 20
COPIES = 8
PINGS = 20


def omem_of(conn, name):
    """omem (bytes in the reply list) of the client called name, or None."""
    body = conn.call('CLIENT', 'LIST').split(b'\r\n', 1)[1].decode()
    for line in body.split('\n'):
        fields = dict(f.split('=', 1) for f in line.split() if '=' in f)
        if fields.get('name') == name:
            return int(fields['omem'])
    return None


def main():
    rep = Reporter()
    srv = harness.start_or_fail(rep, 'slow-reader', Server())
    if srv is None:
        return 1
    try:
        with rep.case('slow-reader-others-served', srv):
            value = bytes(range(256)) * (SIZE // 256)
            with srv.connect(30) as setter:
                setter.expect(('SET', 'bigkey', value), b'+OK\r\n', 'SET 8 MB')
            a = srv.connect(10)
            # A small receive buffer on A makes the server hit EAGAIN early.
            a.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
            a.expect(('CLIENT', 'SETNAME', 'stalled'), b'+OK\r\n')
            a.send(resp('GET', 'bigkey') * COPIES)
            with srv.connect(30) as b:
                # The server has run A's GETs once their replies are queued.
                pending = harness.wait_for(
                    lambda: (lambda m: m if m > 32 << 20 else None)(
                        omem_of(b, 'stalled') or 0),
                    30, 'more than 32 MB queued for A')
                for i in range(PINGS):
                    b.expect(('PING',), b'+PONG\r\n', 'PING %d from B' % (i + 1))
                after = omem_of(b, 'stalled')
            check(after is not None and after > 0,
                  'A has no output waiting after B\'s PINGs (omem=%s): the '
                  'PINGs did not overlap the stall' % after)
            print('    %d PINGs answered while A stalled; A\'s omem %d bytes '
                  'before, %d after' % (PINGS, pending, after))
            rep.pending_a = (a, value)

        with rep.case('slow-reader-gets-every-byte', srv):
            a, value = getattr(rep, 'pending_a', (None, None))
            check(a is not None, 'previous case did not get this far')
            one = bulk(value)
            got = 0
            for i in range(COPIES):
                # Compare reply by reply so memory stays at one copy.
                chunk = a.read_exact(len(one))
                if chunk != one:
                    n = next(j for j in range(len(one)) if chunk[j] != one[j])
                    raise TestFailure('reply %d differs at byte %d' % (i, n))
                got += len(chunk)
            a.nothing_more()
            a.close()
            print('    read %d bytes, all correct' % got)
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
