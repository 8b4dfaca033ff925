#!/usr/bin/python3
"""test_lists.py - lists and blocking pops with real clients: raw RESP
(a pipeline behind BLPOP, CLIENT PAUSE, CLIENT UNBLOCK, a blocked client
that disconnects), redis-py (blpop, brpop, brpoplpush with and without
timeouts, client_unblock), redis-cli, and redis-benchmark's list tests.

Every wait is a hang guard (harness.guard / wait_for / Conn timeouts); the
only time bound that is asserted is a lower one (a 1 s BLPOP must not
answer before ~1 s), which does not depend on the machine's speed.
"""
import sys
import threading
import time

import harness
from harness import Reporter, Server, check, check_eq, run

try:
    import redis
except ImportError:
    redis = None

CLI = '/usr/bin/redis-cli'
BENCH = '/usr/bin/redis-benchmark'


def blocked_clients(srv):
    """INFO blocked_clients, read over a fresh connection."""
    with srv.connect() as c:
        info = c.call('INFO', 'clients')
    for line in info.split(b'\r\n'):
        if line.startswith(b'blocked_clients:'):
            return int(line.split(b':')[1])
    raise harness.TestFailure('no blocked_clients in %r' % info)


def wait_blocked(srv, n):
    harness.wait_for(lambda: blocked_clients(srv) == n, 5,
                     '%d blocked client(s)' % n)


def raw_cases(rep, srv):
    with rep.case('lists-raw-pipeline-behind-blpop', srv):
        # One send: BLPOP (blocks), then PING and ECHO, which must wait in
        # querybuf and run after the LPUSH, in order, after the BLPOP reply.
        with srv.connect() as a, srv.connect() as b:
            a.send(b'*3\r\n$5\r\nBLPOP\r\n$2\r\nrq\r\n$1\r\n0\r\n'
                   b'*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n')
            wait_blocked(srv, 1)
            a.nothing_more(0.1)
            b.expect(('LPUSH', 'rq', 'x'), b':1\r\n')
            check_eq(a.read_reply(), b'*2\r\n$2\r\nrq\r\n$1\r\nx\r\n', 'BLPOP')
            check_eq(a.read_reply(), b'+PONG\r\n', 'pipelined PING')
            check_eq(a.read_reply(), b'$2\r\nhi\r\n', 'pipelined ECHO')
            b.expect(('EXISTS', 'rq'), b':0\r\n')

    with rep.case('lists-raw-timeout-errors', srv):
        with srv.connect() as a:
            a.expect(('BLPOP', 'q', 'x'), harness.expected('blpop-timeout-not-number'))
            a.expect(('BLPOP', 'q', '-1'), b'-ERR timeout is negative\r\n')
            a.expect(('CLIENT', 'PAUSE', '-5'), b'-ERR timeout is negative\r\n')
            a.expect(('SET', 'rs', 'v'), b'+OK\r\n')
            a.expect(('LPUSH', 'rs', 'a'), b'-WRONGTYPE Operation against a '
                     b'key holding the wrong kind of value\r\n')
            a.expect(('TYPE', 'rs'), b'+string\r\n')

    with rep.case('lists-raw-blpop-timeout', srv):
        with srv.connect() as a:
            t0 = time.time()
            a.send(b'BLPOP rt 1\r\nPING\r\n')
            check_eq(a.read_reply(), b'*-1\r\n', 'BLPOP timeout reply')
            check(time.time() - t0 >= 0.9, 'BLPOP rt 1 answered after %.3f s'
                  % (time.time() - t0))
            check_eq(a.read_reply(), b'+PONG\r\n', 'PING after the timeout')

    with rep.case('lists-raw-client-unblock', srv):
        with srv.connect() as a, srv.connect() as b:
            aid = int(a.call('CLIENT', 'ID')[1:-2])
            a.send(b'BRPOP ru1 ru2 0\r\nPING\r\n')
            wait_blocked(srv, 1)
            check(b'flags=b ' in b.call('CLIENT', 'LIST'), 'flags=b in CLIENT LIST')
            b.expect(('CLIENT', 'UNBLOCK', str(aid), 'ERROR'), b':1\r\n')
            check_eq(a.read_reply(), b'-UNBLOCKED client unblocked via CLIENT '
                     b'UNBLOCK\r\n', 'unblocked with ERROR')
            check_eq(a.read_reply(), b'+PONG\r\n', 'PING after the unblock')
            a.send(b'BLPOP ru1 0\r\n')
            wait_blocked(srv, 1)
            b.expect(('CLIENT', 'UNBLOCK', str(aid)), b':1\r\n')
            check_eq(a.read_reply(), b'*-1\r\n', 'unblocked as a timeout')
            b.expect(('CLIENT', 'UNBLOCK', str(aid)), b':0\r\n')
            b.expect(('CLIENT', 'UNBLOCK', str(aid), 'foo'), b'-ERR CLIENT '
                     b'UNBLOCK reason should be TIMEOUT or ERROR\r\n')

    with rep.case('lists-raw-blocked-client-disconnects', srv):
        with srv.connect() as b:
            a = srv.connect()
            a.send(b'BLPOP rd 0\r\n')
            wait_blocked(srv, 1)
            a.close()
            wait_blocked(srv, 0)
            b.expect(('RPUSH', 'rd', 'v'), b':1\r\n')
            b.expect(('LRANGE', 'rd', '0', '-1'), b'*1\r\n$1\r\nv\r\n')

    with rep.case('lists-raw-client-pause-pipeline', srv):
        with srv.connect() as a, srv.connect() as b:
            a.expect(('CLIENT', 'PAUSE', '300'), b'+OK\r\n')
            t0 = time.time()
            b.send(b'PING\r\nINCR rp\r\n')
            check_eq(b.read_reply(), b'+PONG\r\n', 'PING after the pause')
            check(time.time() - t0 >= 0.2, 'PING answered %.3f s into a 300 '
                  'ms pause' % (time.time() - t0))
            check_eq(b.read_reply(), b':1\r\n', 'INCR after the pause')

    with rep.case('lists-raw-multi', srv):
        with srv.connect() as a:
            a.send(b'MULTI\r\nBLPOP rm 0\r\nBRPOPLPUSH rm rn 0\r\nEXEC\r\n')
            for want in (b'+OK\r\n', b'+QUEUED\r\n', b'+QUEUED\r\n'):
                check_eq(a.read_reply(), want, 'MULTI')
            check_eq(a.read_reply(), b'*2\r\n*-1\r\n$-1\r\n', 'EXEC')


def py_cases(rep, srv):
    r = redis.Redis(host='127.0.0.1', port=srv.port,
                    socket_timeout=harness.guard(10), socket_connect_timeout=5)
    r2 = redis.Redis(host='127.0.0.1', port=srv.port,
                     socket_timeout=harness.guard(10), socket_connect_timeout=5)

    with rep.case('lists-py-basic', srv):
        check_eq(r.rpush('pl', 'a', 'b', 'c'), 3, 'rpush')
        check_eq(r.lpush('pl', 'z'), 4, 'lpush')
        check_eq(r.lrange('pl', 0, -1), [b'z', b'a', b'b', b'c'], 'lrange')
        check_eq(r.llen('pl'), 4, 'llen')
        check_eq(r.lindex('pl', -1), b'c', 'lindex')
        check_eq(r.lpop('pl'), b'z', 'lpop')
        check_eq(r.rpop('pl'), b'c', 'rpop')
        check_eq(r.type('pl'), b'list', 'type')
        check_eq(r.rpoplpush('pl', 'pl2'), b'b', 'rpoplpush')
        check_eq(r.lrange('pl2', 0, -1), [b'b'], 'lrange destination')
        try:
            r.set('pstr', 'x')
            r.lpush('pstr', 'a')
            raise harness.TestFailure('LPUSH on a string did not raise')
        except redis.ResponseError as e:
            check(str(e).startswith('WRONGTYPE'), 'error %s' % e)

    with rep.case('lists-py-blpop-data', srv):
        r.rpush('pb1', 'v1')
        check_eq(r.blpop(['pb0', 'pb1'], timeout=1), (b'pb1', b'v1'), 'blpop')
        check_eq(r.exists('pb1'), 0, 'key deleted')

    with rep.case('lists-py-blpop-timeout', srv):
        t0 = time.time()
        check_eq(r.blpop('pbt', timeout=1), None, 'blpop timeout')
        check(time.time() - t0 >= 0.9, 'blpop returned after %.3f s'
              % (time.time() - t0))
        check_eq(r.brpop('pbt', timeout=1), None, 'brpop timeout')
        check_eq(r.brpoplpush('pbt', 'pbd', timeout=1), None,
                 'brpoplpush timeout')

    def later(fn):
        def go():
            try:
                wait_blocked(srv, 1)
            except harness.TestFailure:
                return
            fn()
        t = threading.Thread(target=go)
        t.start()
        return t

    with rep.case('lists-py-brpop-served', srv):
        t = later(lambda: r2.rpush('pw', 'a', 'b'))
        check_eq(r.brpop('pw', timeout=0), (b'pw', b'b'), 'brpop')
        t.join(harness.guard(10))
        check_eq(r.lrange('pw', 0, -1), [b'a'], 'what is left')

    with rep.case('lists-py-brpoplpush-served', srv):
        t = later(lambda: r2.lpush('ps', 'm'))
        check_eq(r.brpoplpush('ps', 'pd', timeout=5), b'm', 'brpoplpush')
        t.join(harness.guard(10))
        check_eq(r.lrange('pd', 0, -1), [b'm'], 'destination')

    with rep.case('lists-py-client-unblock', srv):
        rid = r.client_id()
        t = later(lambda: r2.client_unblock(rid))
        check_eq(r.blpop('pu', timeout=0), None, 'blpop unblocked')
        t.join(harness.guard(10))


def cli_cases(rep, srv):
    if not harness.require_tool(CLI, rep, 'lists-redis-cli'):
        return
    with rep.case('lists-redis-cli', srv):
        p = run([CLI, '-p', str(srv.port), 'rpush', 'cl', 'a', 'b c'])
        check_eq(p.stdout, b'2\n', 'rpush (no tty: bare integer)')
        p = run([CLI, '-p', str(srv.port), 'lrange', 'cl', '0', '-1'])
        check_eq(p.stdout, b'a\nb c\n', 'lrange (no tty: raw lines)')
        p = run([CLI, '-p', str(srv.port), 'type', 'cl'])
        check_eq(p.stdout, b'list\n', 'type')
        p = run([CLI, '-p', str(srv.port), 'blpop', 'clnone', '1'])
        check_eq(p.stdout, b'\n', 'blpop timeout (nil, no tty)')


def bench_cases(rep, srv):
    if not harness.require_tool(BENCH, rep, 'lists-redis-benchmark'):
        return
    with rep.case('lists-redis-benchmark', srv):
        p = run([BENCH, '-p', str(srv.port), '-n', '2000', '-c', '10', '-q',
                 '-t', 'lpush,rpush,lpop,rpop,lrange'], timeout=300)
        out = p.stdout.decode('utf-8', 'replace')
        check(p.returncode == 0 and p.stderr.strip() == b'',
              'exit %d, stderr %r' % (p.returncode, p.stderr[:300]))
        for name in ('LPUSH', 'RPUSH', 'LPOP', 'RPOP', 'LRANGE_100',
                     'LRANGE_300', 'LRANGE_500', 'LRANGE_600'):
            check(name + ' ' in out or name + ':' in out,
                  'no %s result in %r' % (name, out[-500:]))
        check('rror' not in out and 'ERR' not in out, 'error in %r' % out[-500:])


def main():
    rep = Reporter()
    if redis is None:
        rep.emit('FAIL', 'lists-python-redis-import', 'import redis failed: '
                 'run under /usr/bin/python3 with python3-redis installed')
        return 1
    srv = harness.start_or_fail(rep, 'lists', Server())
    if srv is None:
        return 1
    try:
        raw_cases(rep, srv)
        py_cases(rep, srv)
        cli_cases(rep, srv)
        bench_cases(rep, srv)
        with rep.case('lists-server-still-up', srv):
            check(srv.alive(), 'server process exited')
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
