#!/usr/bin/python3
"""test_python_redis.py - redis-py 4.3 (Debian python3-redis, so this runs
under /usr/bin/python3) against the server: plain commands, pipelines with
and without MULTI/EXEC, pub/sub, expiry, CLIENT LIST, CONFIG GET, and AUTH
on a second server started with --requirepass.

redis-py parses every reply into Python values, so a wrong reply type
(a status where an integer belongs) shows up here as a wrong value type.
"""
import sys
import time

import harness
from harness import Reporter, Server, check, check_eq

try:
    import redis
except ImportError:
    redis = None


def client(srv, **kw):
    return redis.Redis(host='127.0.0.1', port=srv.port, socket_timeout=5,
                       socket_connect_timeout=5, **kw)


def main():
    rep = Reporter()
    if redis is None:
        rep.emit('FAIL', 'python-redis-import', 'import redis failed: run '
                 'under /usr/bin/python3 with python3-redis installed')
        return 1
    srv = harness.start_or_fail(rep, 'python-redis', Server())
    if srv is None:
        return 1
    try:
        r = client(srv)

        with rep.case('python-redis-set-get', srv):
            check_eq(r.set('pk', 'pv'), True, 'set')
            check_eq(r.get('pk'), b'pv', 'get')
            check_eq(r.get('pknone'), None, 'get missing')
            check_eq(r.set('pbin', b'\x00\r\n\xff'), True, 'set binary')
            check_eq(r.get('pbin'), b'\x00\r\n\xff', 'get binary')

        with rep.case('python-redis-incr', srv):
            check_eq(r.incr('pctr'), 1, 'incr')
            check_eq(r.incr('pctr', 41), 42, 'incrby')
            check_eq(r.decr('pctr'), 41, 'decr')
            try:
                r.set('pstr', 'abc')
                r.incr('pstr')
                raise harness.TestFailure('INCR of "abc" did not raise')
            except redis.ResponseError as e:
                check_eq(str(e), 'value is not an integer or out of range',
                         'INCR error')

        with rep.case('python-redis-mset-mget', srv):
            check_eq(r.mset({'pm1': '1', 'pm2': '2'}), True, 'mset')
            check_eq(r.mget(['pm1', 'pmnone', 'pm2']), [b'1', None, b'2'],
                     'mget')

        with rep.case('python-redis-pipeline-no-transaction', srv):
            p = r.pipeline(transaction=False)
            for i in range(100):
                p.set('pp:%d' % i, i)
            p.incr('ppctr').incr('ppctr').get('pp:42').mget('pp:1', 'pp:2')
            res = p.execute()
            check_eq(res[:100], [True] * 100, 'pipelined SET results')
            check_eq(res[100:], [1, 2, b'42', [b'1', b'2']],
                     'pipelined INCR/GET/MGET results')

        with rep.case('python-redis-pipeline-transaction', srv):
            # transaction=True wraps the batch in MULTI ... EXEC: the server
            # answers +QUEUED to each command and the real replies come back
            # as one array from EXEC.
            p = r.pipeline(transaction=True)
            p.set('pt', 'x').append('pt', 'yz').strlen('pt').get('pt')
            check_eq(p.execute(), [True, 3, 3, b'xyz'], 'MULTI/EXEC results')
            # A command error inside MULTI is reported per command.
            p = r.pipeline(transaction=True)
            p.set('pt2', 'abc').incr('pt2').get('pt2')
            res = p.execute(raise_on_error=False)
            check_eq(res[0], True, 'EXEC result 0')
            check(isinstance(res[1], redis.ResponseError),
                  'EXEC result 1 is %r, want an error' % (res[1],))
            check_eq(res[2], b'abc', 'EXEC result 2')

        with rep.case('python-redis-pubsub', srv):
            sub = client(srv)
            ps = sub.pubsub()
            ps.subscribe('pchan')
            msg = ps.get_message(timeout=2)
            check_eq(msg, {'type': 'subscribe', 'pattern': None,
                           'channel': b'pchan', 'data': 1},
                     'subscribe confirmation')
            check_eq(r.publish('pchan', 'hello'), 1, 'publish receivers')
            check_eq(r.publish('pnobody', 'x'), 0, 'publish to no one')
            msg = ps.get_message(timeout=2)
            check_eq(msg, {'type': 'message', 'pattern': None,
                           'channel': b'pchan', 'data': b'hello'},
                     'published message')
            ps.unsubscribe('pchan')
            msg = ps.get_message(timeout=2)
            check_eq(msg and msg['type'], 'unsubscribe', 'unsubscribe reply')
            ps.close()
            sub.close()

        with rep.case('python-redis-expire-ttl', srv):
            r.set('pe', 'v')
            check_eq(r.ttl('pe'), -1, 'ttl without expire')
            check_eq(r.expire('pe', 100), True, 'expire')
            ttl = r.ttl('pe')
            check(99 <= ttl <= 100, 'ttl %r' % ttl)
            check_eq(r.ttl('penone'), -2, 'ttl of missing key')
            check_eq(r.expire('pe2', 1) if r.set('pe2', 'v') else None,
                     True, 'expire 1')
            time.sleep(1.3)
            check_eq(r.get('pe2'), None, 'get after expiry')

        with rep.case('python-redis-client-list', srv):
            lst = r.client_list()
            check(isinstance(lst, list) and lst, 'client_list %r' % (lst,))
            mine = [c for c in lst if c.get('cmd', '').startswith('client')]
            check(len(mine) == 1, 'no single client with cmd=client: %r' % lst)
            for field in ('id', 'addr', 'fd', 'age', 'idle', 'flags', 'db',
                          'qbuf', 'qbuf-free', 'obl', 'oll', 'omem'):
                check(field in mine[0], 'no %s in %r' % (field, mine[0]))

        with rep.case('python-redis-config-get', srv):
            check_eq(r.config_get('port'), {'port': str(srv.port)},
                     'config_get port')
            check_eq(r.config_get('nosuchparameter'), {},
                     'config_get unknown')
        r.close()
    finally:
        srv.stop()

    # AUTH: a second server with a password.
    srv = harness.start_or_fail(rep, 'python-redis-auth',
                                Server(['--requirepass', 'secret']))
    if srv is None:
        return 1
    try:
        with rep.case('python-redis-auth', srv):
            noauth = client(srv)
            try:
                noauth.get('a')
                raise harness.TestFailure('GET without AUTH succeeded')
            except redis.AuthenticationError as e:
                check_eq(str(e), 'Authentication required.', 'NOAUTH text')
            noauth.close()
            bad = client(srv, password='wrong')
            try:
                bad.ping()
                raise harness.TestFailure('wrong password accepted')
            except redis.AuthenticationError:
                pass
            except redis.ResponseError as e:  # redis-py maps some texts so
                check('invalid' in str(e), 'wrong password: %s' % e)
            bad.close()
            good = client(srv, password='secret')
            check_eq(good.set('a', '1'), True, 'set after auth')
            check_eq(good.get('a'), b'1', 'get after auth')
            good.close()
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
