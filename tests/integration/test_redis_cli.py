#!/usr/bin/python3
"""test_redis_cli.py - the real redis-cli (7.0, Debian redis-tools) against
the server: one-shot commands with exact stdout, --pipe with 10,000 raw RESP
SETs, and the read-commands-from-stdin mode with no terminal.

With stdout not a terminal redis-cli prints replies "raw": a status or bulk
as its text, an integer as digits, a nil as an empty line, an array as one
element per line. That is what the expected strings below are.
"""
import sys

import harness
from harness import Reporter, Server, check, check_eq, run

CLI = '/usr/bin/redis-cli'


def cli(srv, *args, db=None, stdin=None):
    """Run redis-cli -p PORT [-n db] args...; return stdout (bytes), failing
    on a non-zero exit or anything on stderr."""
    cmd = [CLI, '-p', str(srv.port)]
    if db is not None:
        cmd += ['-n', str(db)]
    p = run(cmd + list(args), input=stdin, timeout=30)
    check(p.returncode == 0, 'redis-cli %s exited %d: %s'
          % (' '.join(args), p.returncode, harness.short(p.stderr)))
    check(p.stderr == b'', 'redis-cli %s wrote to stderr: %s'
          % (' '.join(args), harness.short(p.stderr)))
    return p.stdout


def expect(srv, args, want, db=None):
    check_eq(cli(srv, *args, db=db), want, 'stdout of redis-cli %s'
             % ' '.join(args))


def main():
    rep = Reporter()
    if not harness.require_tool(CLI, rep, 'redis-cli'):
        return 1
    srv = harness.start_or_fail(rep, 'redis-cli', Server())
    if srv is None:
        return 1
    try:
        # Each case runs exact commands in order; the keys are per case so
        # one failing case does not poison the next.
        with rep.case('redis-cli-set-get', srv):
            expect(srv, ['SET', 'k', 'v'], b'OK\n')
            expect(srv, ['GET', 'k'], b'v\n')
            expect(srv, ['GET', 'nosuchkey'], b'\n')
            expect(srv, ['SET', 'spaced', 'hello world'], b'OK\n')
            expect(srv, ['GET', 'spaced'], b'hello world\n')

        with rep.case('redis-cli-incr', srv):
            expect(srv, ['INCR', 'counter'], b'1\n')
            expect(srv, ['INCR', 'counter'], b'2\n')
            expect(srv, ['INCRBY', 'counter', '40'], b'42\n')
            expect(srv, ['DECR', 'counter'], b'41\n')
            # An error reply: redis-cli 7.0 in raw mode prints "ERR ..." on
            # stdout followed by an empty line, and still exits 0.
            expect(srv, ['SET', 'notnum', 'abc'], b'OK\n')
            expect(srv, ['INCR', 'notnum'],
                   b'ERR value is not an integer or out of range\n\n')

        with rep.case('redis-cli-mset-mget', srv):
            expect(srv, ['MSET', 'm1', 'a', 'm2', 'b', 'm3', 'c'], b'OK\n')
            expect(srv, ['MGET', 'm1', 'm2', 'nokey', 'm3'],
                   b'a\nb\n\nc\n')

        with rep.case('redis-cli-del-exists', srv):
            expect(srv, ['MSET', 'd1', '1', 'd2', '2'], b'OK\n')
            expect(srv, ['EXISTS', 'd1', 'd2', 'dnone'], b'2\n')
            expect(srv, ['DEL', 'd1', 'd2', 'dnone'], b'2\n')
            expect(srv, ['EXISTS', 'd1'], b'0\n')

        with rep.case('redis-cli-expire-ttl', srv):
            expect(srv, ['SET', 'e', 'x'], b'OK\n')
            expect(srv, ['TTL', 'e'], b'-1\n')
            expect(srv, ['TTL', 'enone'], b'-2\n')
            expect(srv, ['EXPIRE', 'e', '100'], b'1\n')
            ttl = int(cli(srv, 'TTL', 'e'))
            check(99 <= ttl <= 100, 'TTL after EXPIRE 100 is %d' % ttl)
            expect(srv, ['EXPIRE', 'enone', '100'], b'0\n')

        with rep.case('redis-cli-append-strlen', srv):
            expect(srv, ['APPEND', 'ap', 'Hello'], b'5\n')
            expect(srv, ['APPEND', 'ap', ' World'], b'11\n')
            expect(srv, ['STRLEN', 'ap'], b'11\n')
            expect(srv, ['GET', 'ap'], b'Hello World\n')
            expect(srv, ['STRLEN', 'apnone'], b'0\n')

        with rep.case('redis-cli-keys-dbsize', srv):
            # A database of its own, so the other cases' keys do not count.
            expect(srv, ['FLUSHDB'], b'OK\n', db=5)
            expect(srv, ['MSET', 'user:1', 'a', 'user:2', 'b', 'other', 'c'],
                   b'OK\n', db=5)
            keys = sorted(cli(srv, 'KEYS', 'user:*', db=5).splitlines())
            check_eq(keys, [b'user:1', b'user:2'], 'KEYS user:*')
            keys = sorted(cli(srv, 'KEYS', '*', db=5).splitlines())
            check_eq(keys, [b'other', b'user:1', b'user:2'], 'KEYS *')
            expect(srv, ['DBSIZE'], b'3\n', db=5)

        with rep.case('redis-cli-select-n', srv):
            # -n 3 makes redis-cli send SELECT 3 first: the key lives in db 3
            # only.
            expect(srv, ['SET', 'only3', 'three'], b'OK\n', db=3)
            expect(srv, ['GET', 'only3'], b'three\n', db=3)
            expect(srv, ['GET', 'only3'], b'\n', db=0)
            expect(srv, ['EXISTS', 'only3'], b'0\n', db=4)

        with rep.case('redis-cli-client-list', srv):
            out = cli(srv, 'CLIENT', 'LIST').decode()
            lines = out.splitlines()
            check(len(lines) == 1, 'CLIENT LIST from one client gave %d '
                  'lines: %r' % (len(lines), out))
            fields = dict(f.split('=', 1) for f in lines[0].split(' ')
                          if '=' in f)
            for name in ('id', 'addr', 'fd', 'age', 'idle', 'flags', 'db',
                         'qbuf', 'qbuf-free', 'obl', 'oll', 'omem', 'cmd'):
                check(name in fields, 'CLIENT LIST has no %s=: %r'
                      % (name, out))
            check(fields['addr'].startswith('127.0.0.1:'),
                  'addr=%s' % fields['addr'])
            check(fields['cmd'].startswith('client'), 'cmd=%s' % fields['cmd'])

        with rep.case('redis-cli-config-get-port', srv):
            expect(srv, ['CONFIG', 'GET', 'port'],
                   b'port\n%d\n' % srv.port)

        with rep.case('redis-cli-info-server', srv):
            out = cli(srv, 'INFO', 'server')
            check(out.startswith(b'# Server'), 'INFO server starts %s'
                  % harness.short(out[:40]))
            check(b'redis_version:' in out, 'no redis_version: in INFO')
            check(b'tcp_port:%d' % srv.port in out,
                  'INFO server has no tcp_port:%d' % srv.port)

        with rep.case('redis-cli-pipe-10000', srv):
            # 10,000 SETs as raw RESP on stdin. --pipe appends an ECHO of 20
            # random bytes to learn when the last reply has come back.
            data = b''.join(harness.resp('SET', 'pipe:%d' % i, 'v%d' % i)
                            for i in range(10000))
            out = cli(srv, '--pipe', stdin=data)
            check(b'errors: 0, replies: 10000' in out,
                  '--pipe summary missing: %s' % harness.short(out, 300))
            expect(srv, ['GET', 'pipe:9999'], b'v9999\n')
            expect(srv, ['GET', 'pipe:0'], b'v0\n')

        with rep.case('redis-cli-stdin-no-tty', srv):
            # No command arguments and stdin not a terminal: redis-cli reads
            # one command per line from stdin and prints each reply.
            out = cli(srv, stdin=b'SET a 1\nGET a\nINCR a\nGET nokey\n'
                                 b'MGET a nokey\n')
            check_eq(out, b'OK\n1\n2\n\n2\n\n', 'stdout')

        with rep.case('redis-cli-server-still-up', srv):
            check(srv.alive(), 'server process exited')
            expect(srv, ['PING'], b'PONG\n')
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
