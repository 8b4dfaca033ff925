#!/usr/bin/python3
"""test_slow_reader.py - one client that does not read must not stall the
others, and must still get every byte once it reads.

Client A writes `GET bigkey` (bigkey = 8 MB) 8 times in one go and then
reads nothing for 2 s: 64 MB of replies pile up in the server's reply list
for A (the kernel socket buffers hold only a few MB). Meanwhile client B
sends PING every 50 ms; each must come back as "+PONG\\r\\n" well under a
second, proving the event loop keeps serving B while A's socket is full
(writeToClient stops on EAGAIN instead of blocking). Then A reads all
8 x ("$8388608\\r\\n" + value + "\\r\\n") and every byte is compared.
"""
import socket
import sys
import time

import harness
from harness import Reporter, Server, TestFailure, bulk, check, resp

SIZE = 8 << 20
COPIES = 8
MAX_PING_SECONDS = 0.5 * harness.TIME_FACTOR   # 1.5 s under ASan


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
            a.send(resp('GET', 'bigkey') * COPIES)
            latencies = []
            with srv.connect(5) as b:
                end = time.time() + 2.0
                while time.time() < end:
                    t0 = time.time()
                    b.expect(('PING',), b'+PONG\r\n', 'PING from B')
                    latencies.append(time.time() - t0)
                    time.sleep(0.05)
            worst = max(latencies)
            check(worst < MAX_PING_SECONDS, 'slowest of %d PINGs took %.3f s '
                  'while A was not reading' % (len(latencies), worst))
            print('    %d PINGs while A stalled, slowest %.1f ms'
                  % (len(latencies), worst * 1000))
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
