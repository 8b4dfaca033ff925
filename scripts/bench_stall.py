#!/usr/bin/python3
"""bench_stall.py - how fast a server answers one client while another
client stalls with tens of megabytes of replies waiting (`make bench`,
part "stall"; scripts/bench.sh runs it against redis-server and minired).

The situation is tests/integration/test_slow_reader.py's, measured instead
of asserted: client A sets an 8 MB key, asks for it 8 times in one write
and never reads (64 MB of replies for a socket whose receive buffer is
64 KB), and client B sends PING every 20 ms, ROUNDS times, timing each
round trip. The first PING waits while the server runs A's 8 GETs (one
processInputBuffer loop builds 64 MB of reply), so the report gives it
apart from the steady state.

Usage: bench_stall.py PORT NAME [ROUNDS]
Prints one markdown row:
  | NAME | first PING ms | median ms | p99 ms | worst after the first ms |
"""
import socket
import statistics
import sys
import time

SIZE = 8 << 20
COPIES = 8


def resp(*args):
    out = [b'*%d\r\n' % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b'$%d\r\n%s\r\n' % (len(a), a))
    return b''.join(out)


def read_line(sock):
    buf = b''
    while not buf.endswith(b'\r\n'):
        chunk = sock.recv(1)
        if not chunk:
            raise SystemExit('connection closed')
        buf += chunk
    return buf


def main():
    port, name = int(sys.argv[1]), sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    setter = socket.create_connection(('127.0.0.1', port), timeout=60)
    setter.sendall(resp('SET', 'bigkey', b'x' * SIZE))
    if read_line(setter) != b'+OK\r\n':
        raise SystemExit('SET failed')
    setter.close()
    a = socket.create_connection(('127.0.0.1', port), timeout=60)
    a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    b = socket.create_connection(('127.0.0.1', port), timeout=60)
    a.sendall(resp('GET', 'bigkey') * COPIES)
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        b.sendall(b'*1\r\n$4\r\nPING\r\n')
        if read_line(b) != b'+PONG\r\n':
            raise SystemExit('bad PING reply')
        times.append((time.perf_counter() - t0) * 1000.0)
        time.sleep(0.02)
    a.close()
    b.close()
    rest = sorted(times[1:])
    p99 = rest[min(len(rest) - 1, int(len(rest) * 0.99))]
    print('| %s | %.2f | %.3f | %.3f | %.3f |'
          % (name, times[0], statistics.median(rest), p99, rest[-1]))


if __name__ == '__main__':
    main()
