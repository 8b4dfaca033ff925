#!/usr/bin/python3
"""test_security.py - Redis 5.0.14's security checks and maxmemory
noeviction over raw sockets, exact bytes.

With --requirepass secret, a client that has not authenticated:

    "*10\\r\\n" + 10 arguments   -> parsed, then -NOAUTH (connection stays)
    "*11\\r\\n"                  -> -ERR Protocol error: unauthenticated
                                   multibulk length, connection closed
    "$16384" argument           -> read, AUTH answers invalid password
    "$16385\\r\\n"               -> -ERR Protocol error: unauthenticated
                                   bulk length, connection closed
    the same "*11" one byte per write: refused at its '\\n'
and after AUTH both limits are gone (an 11-argument MSET, a 16385-byte
value). Without a password: "POST / HTTP/1.1" (and "Host:") close the
connection with no reply and the request body never runs; the server
logs "Possible SECURITY ATTACK detected". With --maxmemory 1: SET gets
-OOM, GET is served; CONFIG SET maxmemory switches it at run time; INFO
memory shows maxmemory, maxmemory_human, maxmemory_policy; "maxmemory
100mb" in the configuration is 104857600, and a maxmemory-policy other
than noeviction stops start-up with a fatal config error naming the one
policy minired has (an unknown word: "Invalid maxmemory policy", as
Redis). KEYS with the
2-byte pattern "*\\0" lists no key; KEYS skips an expired key and leaves
it for DBSIZE (the whole sequence sent as one pipeline with DEBUG SLEEP
inside, so no serverCron can run between expiry and KEYS).

Runs against MINIRED_SERVER=/usr/bin/redis-server too (7.0 has the same
limits and texts; the cases whose bytes differ in 7.0 are skipped there).
"""
import subprocess
import sys
import time

import harness
from harness import Reporter, Server, check, check_eq, expected

UNAUTH_MBULK = b'-ERR Protocol error: unauthenticated multibulk length\r\n'
UNAUTH_BULK = b'-ERR Protocol error: unauthenticated bulk length\r\n'
OOM = b"-OOM command not allowed when used memory > 'maxmemory'.\r\n"


def mset(n_pairs):
    """MSET k0 v0 k1 v1 ...: 1 + 2 * n_pairs arguments."""
    args = ['MSET']
    for i in range(n_pairs):
        args += ['k%d' % i, 'v%d' % i]
    return args


def debug_args():
    """Redis 7.0 refuses DEBUG unless enabled; minired always has it."""
    if harness.is_real_redis() and harness.flavor() == '7.0':
        return ['--enable-debug-command', 'yes']
    return []


def requirepass_cases(rep):
    srv = harness.start_or_fail(rep, 'security-requirepass',
                                Server(['--requirepass', 'secret']))
    if srv is None:
        return
    try:
        with rep.case('unauth-mbulk-10-parsed', srv), srv.connect() as c:
            # 9 arguments + MSET = *10: within the limit, refused by AUTH.
            c.expect(tuple(mset(4)) + ('k4',), expected('noauth'))
            c.expect(('PING',), expected('noauth'), 'the connection stays')

        with rep.case('unauth-mbulk-11-closed', srv), srv.connect() as c:
            c.send(b'*11\r\n')
            check_eq(c.read_until_close(), UNAUTH_MBULK)

        with rep.case('unauth-mbulk-11-one-byte-writes', srv), \
                srv.connect() as c:
            for b in b'*1048576\r\n':
                c.send(bytes([b]))
                time.sleep(0.002)
            check_eq(c.read_until_close(), UNAUTH_MBULK)

        with rep.case('unauth-bulk-16384-read', srv), srv.connect() as c:
            c.expect(('AUTH', 'p' * 16384), expected('auth-wrong'))
            c.expect(('PING',), expected('noauth'), 'the connection stays')

        with rep.case('unauth-bulk-16385-closed', srv), srv.connect() as c:
            c.send(b'*2\r\n$4\r\nAUTH\r\n$16385\r\n')
            check_eq(c.read_until_close(), UNAUTH_BULK)

        with rep.case('unauth-bulk-big-arg-closed', srv), srv.connect() as c:
            # A big-argument size (>= 32 KB): refused before room is made.
            c.send(b'*1\r\n$536870912\r\n')
            check_eq(c.read_until_close(), UNAUTH_BULK)

        with rep.case('unauth-limits-gone-after-auth', srv), \
                srv.connect() as c:
            c.expect(('AUTH', 'secret'), b'+OK\r\n')
            c.expect(tuple(mset(5)), b'+OK\r\n', 'an 11-argument MSET')
            c.expect(('SET', 'big', 'v' * 16385), b'+OK\r\n')
            c.expect(('STRLEN', 'big'), b':16385\r\n')
    finally:
        srv.stop()


def post_cases(rep):
    srv = harness.start_or_fail(rep, 'security-post', Server())
    if srv is None:
        return
    try:
        with rep.case('post-closes-without-reply', srv), srv.connect() as c:
            c.send(b'POST / HTTP/1.1\r\nHost: localhost\r\n'
                   b'Content-Length: 9\r\n\r\nSET k v\r\n')
            check_eq(c.read_until_close(), b'', 'bytes before the close')
            with srv.connect() as d:
                d.expect(('EXISTS', 'k'), b':0\r\n', 'the body never ran')
            harness.wait_for(
                lambda: 'Possible SECURITY ATTACK detected' in
                srv.log_tail(200), 5, 'the security warning in the log')

        with rep.case('host-closes-without-reply', srv), srv.connect() as c:
            c.send(b'Host: localhost\r\nPING\r\n')
            check_eq(c.read_until_close(), b'', 'bytes before the close')

        with rep.case('post-multibulk-closes', srv), srv.connect() as c:
            c.send(b'*1\r\n$4\r\npost\r\n*1\r\n$4\r\nPING\r\n')
            check_eq(c.read_until_close(), b'', 'bytes before the close')
    finally:
        srv.stop()


def oom_cases(rep):
    srv = harness.start_or_fail(rep, 'security-oom',
                                Server(['--maxmemory', '1']))
    if srv is None:
        return
    try:
        with rep.case('oom-denyoom-refused', srv), srv.connect() as c:
            c.expect(('SET', 'k', 'v'), OOM)
            c.expect(('INCR', 'n'), OOM)
            c.expect(('GET', 'k'), b'$-1\r\n')
            c.expect(('DEL', 'k'), b':0\r\n')
            c.expect(('PING',), b'+PONG\r\n')

        with rep.case('oom-info-memory', srv), srv.connect() as c:
            info = c.call('INFO', 'memory')
            for want in (b'\r\nmaxmemory:1\r\n', b'\r\nmaxmemory_human:1B\r\n',
                         b'\r\nmaxmemory_policy:noeviction\r\n'):
                check(want in info, '%r not in INFO memory' % want)

        with rep.case('oom-config-set-maxmemory', srv), srv.connect() as c:
            c.expect(('CONFIG', 'SET', 'maxmemory', '0'), b'+OK\r\n')
            c.expect(('SET', 'k', 'v'), b'+OK\r\n')
            c.expect(('CONFIG', 'SET', 'maxmemory', '1'), b'+OK\r\n')
            c.expect(('SET', 'k', 'w'), OOM)
            c.expect(('CONFIG', 'GET', 'maxmemory'),
                     b'*2\r\n$9\r\nmaxmemory\r\n$1\r\n1\r\n')

        with rep.case('oom-multi-5.0', srv), srv.connect() as c:
            if harness.flavor() != '5.0':
                raise harness.Skip('Redis 7.0 queues GET inside MULTI')
            c.send(b'MULTI\r\nGET k\r\nEXEC\r\n')
            check_eq(c.read_reply(), b'+OK\r\n')
            check_eq(c.read_reply(), OOM)
            check_eq(c.read_reply(), b'-EXECABORT Transaction discarded '
                     b'because of previous errors.\r\n')
    finally:
        srv.stop()


def keys_cases(rep):
    srv = harness.start_or_fail(rep, 'security-keys', Server(debug_args()))
    if srv is None:
        return
    try:
        with rep.case('keys-star-nul', srv), srv.connect() as c:
            c.expect(('SET', 'a', '1'), b'+OK\r\n')
            c.expect(b'*2\r\n$4\r\nKEYS\r\n$2\r\n*\x00\r\n', b'*0\r\n')
            c.expect(('KEYS', '*'), b'*1\r\n$1\r\na\r\n')

        with rep.case('keys-skips-expired-keeps-it', srv), srv.connect() as c:
            c.expect(('FLUSHALL',), b'+OK\r\n')
            # One read: no serverCron between the expiry and KEYS/DBSIZE.
            c.send(harness.resp('SET', 'k', 'v', 'PX', '5') +
                   harness.resp('DEBUG', 'SLEEP', '0.05') +
                   harness.resp('KEYS', '*') + harness.resp('DBSIZE') +
                   harness.resp('GET', 'k') + harness.resp('DBSIZE'))
            for want in (b'+OK\r\n', b'+OK\r\n', b'*0\r\n', b':1\r\n',
                         b'$-1\r\n', b':0\r\n'):
                check_eq(c.read_reply(), want)
    finally:
        srv.stop()


def config_cases(rep):
    srv = harness.start_or_fail(rep, 'security-config', Server())
    if srv is None:
        return
    try:
        with rep.case('config-bounds-5.0', srv), srv.connect() as c:
            if harness.flavor() != '5.0':
                raise harness.Skip('Redis 7.0 words CONFIG SET errors '
                                   'differently')
            for name, value in (('proto-max-bulk-len', ''),
                                ('proto-max-bulk-len', '0'),
                                ('proto-max-bulk-len', '10'),
                                ('proto-max-bulk-len', '1048575'),
                                ('hz', '2147483648'),
                                ('timeout', '2147483648'),
                                ('tcp-keepalive', '2147483648')):
                c.expect(('CONFIG', 'SET', name, value),
                         b"-ERR Invalid argument '%s' for CONFIG SET '%s'\r\n"
                         % (value.encode(), name.encode()))
            # The connection still parses multibulk requests normally.
            c.expect(('CONFIG', 'SET', 'proto-max-bulk-len', '1mb'),
                     b'+OK\r\n')
            c.expect(('ECHO', 'x' * 1000), b'$1000\r\n' + b'x' * 1000 +
                     b'\r\n')
    finally:
        srv.stop()


def config_file_cases(rep):
    srv = harness.start_or_fail(rep, 'security-config-file',
                                Server(['--maxmemory', '100mb',
                                        '--maxmemory-policy', 'noeviction']))
    if srv is None:
        return
    try:
        with rep.case('config-file-maxmemory-units', srv), srv.connect() as c:
            c.expect(('CONFIG', 'GET', 'maxmemory'),
                     b'*2\r\n$9\r\nmaxmemory\r\n$9\r\n104857600\r\n')
            c.expect(('SET', 'k', 'v'), b'+OK\r\n', 'well under 100 MB')
    finally:
        srv.stop()
    for policy, want in (('allkeys-lru', 'minired implements only '
                          'maxmemory-policy noeviction'),
                         ('foo', 'Invalid maxmemory policy'
                          if harness.flavor() == '5.0' else
                          'argument(s) must be one of the following')):
        with rep.case('config-file-policy-' + policy):
            if harness.is_real_redis() and policy != 'foo':
                raise harness.Skip('Redis evicts with %s' % policy)
            p = subprocess.run([harness.server_binary(), '--port', '0',
                                '--maxmemory-policy', policy],
                               capture_output=True, text=True,
                               timeout=harness.guard(10))
            check(p.returncode == 1, 'exit status %d, want 1'
                  % p.returncode)
            check(want in p.stdout + p.stderr, '%r not in the output: %s'
                  % (want, harness.short((p.stdout + p.stderr).encode())))


def main():
    rep = Reporter()
    requirepass_cases(rep)
    post_cases(rep)
    oom_cases(rep)
    keys_cases(rep)
    config_cases(rep)
    config_file_cases(rep)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
