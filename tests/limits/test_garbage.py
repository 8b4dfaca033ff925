#!/usr/bin/python3
"""test_garbage.py - bad bytes on the wire: exact Redis replies, a close
exactly where Redis closes, and a server that stays up for everyone else.

Redis 5.0's rules, as minired reproduces them:
  *-5             a multibulk count <= 0 is an empty request: skipped,
                  no reply, the connection stays usable
  *99999999999    count > 1024*1024: "Protocol error: invalid multibulk
                  length", then close
  *1 $-5 / *1 $99999999999
                  "Protocol error: invalid bulk length" (negative, or
                  above proto-max-bulk-len 512 MB), then close
  *1 X            "Protocol error: expected '$', got 'X'", then close
  $-5 / $99999999999 at the start of a request
                  not '*': an inline command named "$-5": unknown
                  command, connection stays open
  NUL bytes       an inline request starting with NUL never shows its
                  newline (strchr stops at the NUL): no reply until
                  64 KB have piled up, then "Protocol error: too big
                  inline request" and close
Then 30 connections of seeded random bytes: whatever each gets, the
server must still be running and a bystander connection must still get
+PONG. Passes unchanged with MINIRED_SERVER=/usr/bin/redis-server (the
unknown-command wording of 7.0 is taken into account).
"""
import random
import socket
import sys

from limitslib import harness
from harness import Reporter, Server, check, check_eq, resp, TestFailure

PONG = b'+PONG\r\n'


def unknown(name):
    """The unknown-command error for an inline command without arguments."""
    if harness.flavor() == '5.0':
        return b'-ERR unknown command `%s`, with args beginning with: \r\n' % name
    return b"-ERR unknown command '%s', with args beginning with: \r\n" % name


def closes_with(srv, payload, want):
    """Send payload: the reply must be exactly want, then the close."""
    with srv.connect() as c:
        c.send(payload)
        check_eq(c.read_until_close(), want, 'bytes before close')


def stays_open(srv, payload, want):
    """Send payload + PING: exactly want + "+PONG", connection still open."""
    with srv.connect() as c:
        c.send(payload + resp('PING'))
        got = c.read_exact(len(want) + len(PONG))
        check_eq(got, want + PONG)
        c.nothing_more()
        c.expect(('PING',), PONG, 'connection still usable')


def main():
    rep = Reporter()
    srv = harness.start_or_fail(rep, 'garbage', Server())
    if srv is None:
        return 1
    bystander = None
    try:
        bystander = srv.connect()
        with rep.case('garbage-negative-mbulk-count', srv):
            stays_open(srv, b'*-5\r\n', b'')
        with rep.case('garbage-zero-mbulk-count', srv):
            stays_open(srv, b'*0\r\n', b'')
        with rep.case('garbage-huge-mbulk-count', srv):
            closes_with(srv, b'*99999999999\r\n',
                        b'-ERR Protocol error: invalid multibulk length\r\n')
        with rep.case('garbage-negative-bulk-len', srv):
            closes_with(srv, b'*1\r\n$-5\r\n',
                        b'-ERR Protocol error: invalid bulk length\r\n')
        with rep.case('garbage-huge-bulk-len', srv):
            closes_with(srv, b'*1\r\n$99999999999\r\n',
                        b'-ERR Protocol error: invalid bulk length\r\n')
        with rep.case('garbage-expected-dollar', srv):
            closes_with(srv, b'*1\r\nX\r\n',
                        b"-ERR Protocol error: expected '$', got 'X'\r\n")
        with rep.case('garbage-reply-before-error-kept', srv):
            # Commands before the bad one are answered, nothing after it.
            closes_with(srv, resp('PING') + b'*1\r\n$-1\r\n' + resp('PING'),
                        PONG + b'-ERR Protocol error: invalid bulk length\r\n')
        with rep.case('garbage-inline-dollar-minus', srv):
            stays_open(srv, b'$-5\r\n', unknown(b'$-5'))
        with rep.case('garbage-inline-dollar-huge', srv):
            stays_open(srv, b'$99999999999\r\n', unknown(b'$99999999999'))
        with rep.case('garbage-nul-bytes', srv):
            # The inline parser looks for '\n' with strchr(), which stops
            # at the first NUL: "\0\0\0\r\n" never shows a newline, so
            # the request looks unfinished. No reply, no close...
            with srv.connect() as c:
                c.send(b'\x00\x00\x00\r\n' + resp('PING'))
                c.nothing_more(0.3)
                # ...until 64 KB (PROTO_INLINE_MAX_SIZE) pile up.
                c.send(b'\x00' * (64 * 1024))
                check_eq(c.read_until_close(),
                         b'-ERR Protocol error: too big inline request\r\n',
                         'after 64 KB of NULs')
        with rep.case('garbage-random-bytes', srv):
            rng = random.Random(20261127)
            for i in range(30):
                blob = bytes(rng.getrandbits(8)
                             for _ in range(rng.randint(1, 4096)))
                try:
                    with srv.connect(timeout=0.3) as c:
                        c.send(blob)
                        try:
                            c.read_until_close()
                        except TestFailure:
                            pass  # still open, waiting for more: fine
                except (ConnectionResetError, BrokenPipeError):
                    pass
                check(srv.alive(), 'server died on random blob %d' % i)
        with rep.case('garbage-bystander-unaffected', srv):
            check(srv.alive(), 'server not running')
            bystander.expect(('PING',), PONG)
            bystander.expect(('ECHO', 'ok'), b'$2\r\nok\r\n')
    finally:
        if bystander is not None:
            bystander.close()
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
