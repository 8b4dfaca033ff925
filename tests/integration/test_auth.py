#!/usr/bin/python3
"""test_auth.py - AUTH over raw RESP, exact reply bytes.

With --requirepass secret (Redis 5.0 texts; Redis 7.0's variants are in
harness.VARIANTS and used when MINIRED_SERVER is a 7.0 redis-server):

    GET a          -> -NOAUTH Authentication required.\\r\\n
    AUTH wrong     -> -ERR invalid password\\r\\n
    AUTH secret    -> +OK\\r\\n
    GET a          -> $-1\\r\\n

and on a server with no password, AUTH is refused with
-ERR Client sent AUTH, but no password is set\\r\\n.
"""
import sys

import harness
from harness import Reporter, Server, expected


def main():
    rep = Reporter()
    srv = harness.start_or_fail(rep, 'auth',
                                Server(['--requirepass', 'secret']))
    if srv is None:
        return 1
    try:
        with rep.case('auth-noauth-before-auth', srv), srv.connect() as c:
            c.expect(('GET', 'a'), expected('noauth'))
            c.expect(('SET', 'a', '1'), expected('noauth'))
            # Inline commands are refused the same way.
            c.expect(b'GET a\r\n', expected('noauth'), 'inline GET a')

        with rep.case('auth-wrong-password', srv), srv.connect() as c:
            c.expect(('AUTH', 'wrong'), expected('auth-wrong'))
            c.expect(('GET', 'a'), expected('noauth'), 'GET after bad AUTH')

        with rep.case('auth-right-password', srv), srv.connect() as c:
            c.expect(('AUTH', 'secret'), b'+OK\r\n')
            c.expect(('GET', 'a'), b'$-1\r\n')
            c.expect(('SET', 'a', 'x'), b'+OK\r\n')
            c.expect(('GET', 'a'), b'$1\r\nx\r\n')

        with rep.case('auth-ping-needs-auth', srv), srv.connect() as c:
            c.expect(('PING',), expected('noauth'))
            c.expect(('AUTH', 'secret'), b'+OK\r\n')
            c.expect(('PING',), b'+PONG\r\n')

        with rep.case('auth-wrong-arity', srv), srv.connect() as c:
            c.expect(('AUTH',),
                     b"-ERR wrong number of arguments for 'auth' command\r\n")
    finally:
        srv.stop()

    srv = harness.start_or_fail(rep, 'auth-nopass', Server())
    if srv is None:
        return 1
    try:
        with rep.case('auth-no-password-set', srv), srv.connect() as c:
            c.expect(('AUTH', 'secret'), expected('auth-no-password-set'))
            c.expect(('PING',), b'+PONG\r\n')
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
