#!/usr/bin/python3
"""test_maxclients.py - a server started with --maxclients 5 accepts five
clients; the sixth gets exactly

    -ERR max number of clients reached\\r\\n

written straight to its socket at accept time (before it sends anything),
and then the server closes it. When one of the five leaves, a new client
is accepted again.
"""
import sys
import time

import harness
from harness import Reporter, Server, check_eq, expected


def main():
    rep = Reporter()
    srv = harness.start_or_fail(rep, 'maxclients',
                                Server(['--maxclients', '5']))
    if srv is None:
        return 1
    conns = []
    try:
        # Let the server notice the harness's readiness probe has gone, so
        # it does not count as one of the five.
        time.sleep(0.3)
        with rep.case('maxclients-five-accepted', srv):
            for i in range(5):
                c = srv.connect()
                conns.append(c)
                c.expect(('PING',), b'+PONG\r\n', 'PING on client %d' % (i + 1))

        with rep.case('maxclients-sixth-rejected', srv):
            with srv.connect() as sixth:
                got = sixth.read_until_close()
                check_eq(got, expected('maxclients'), 'sixth client got')

        with rep.case('maxclients-five-still-served', srv):
            for i, c in enumerate(conns):
                c.expect(('PING',), b'+PONG\r\n', 'PING on client %d' % (i + 1))

        with rep.case('maxclients-slot-freed', srv):
            conns.pop().close()
            time.sleep(0.3)  # the server must see the close first
            c = srv.connect()
            conns.append(c)
            c.expect(('PING',), b'+PONG\r\n', 'PING on the replacement client')
    finally:
        for c in conns:
            c.close()
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
