#!/usr/bin/python3
"""test_server_lifecycle.py - start-up, configuration and shutdown, seen from
outside: a config file in redis.conf syntax with --option overrides on top,
the FATAL CONFIG FILE ERROR report (file line and reason) for bad input,
CONFIG GET/SET round trips and their error replies, the unix socket listener,
INFO sections, and a clean exit on SIGTERM and SIGINT.

Exact 5.0 texts are checked against minired only; with
MINIRED_SERVER=/usr/bin/redis-server the structure is checked (7.0 words
some of these messages differently).
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

import harness
from harness import Reporter, Server, TestFailure, check, check_eq


def start_fails(args, input_text=None):
    """Run the server with args that must stop start-up; return (rc, output)."""
    cmd = [harness.server_binary()] + args
    try:
        p = subprocess.run(cmd, input=input_text, capture_output=True,
                           timeout=10, cwd=harness.REPO)
    except subprocess.TimeoutExpired:
        raise TestFailure('server started (still running after 10 s) '
                          'with %r' % (args,))
    return p.returncode, (p.stdout + p.stderr).decode('utf-8', 'replace')


def expect_fatal(args, line_no, line_text, reason_50):
    """A config error: exit 1 and the 5.0 report naming line and reason."""
    rc, out = start_fails(args)
    check(rc == 1, 'exit code %s, want 1; output: %s' % (rc, out[-300:]))
    # 7.0 adds its version inside the banner: "ERROR (Redis 7.0.15) ***".
    banner = ('*** FATAL CONFIG FILE ERROR' if harness.is_real_redis()
              else '\n*** FATAL CONFIG FILE ERROR ***\n')
    check(banner in out, 'no FATAL banner: %s' % out[-300:])
    if line_no is not None:
        check('at line %d' % line_no in out, 'no "at line %d": %s'
              % (line_no, out[-300:]))
    check(">>> '%s'" % line_text in out, "no \">>> '%s'\": %s"
          % (line_text, out[-300:]))
    if not harness.is_real_redis():
        check(reason_50 in out, 'reason %r missing: %s' % (reason_50,
                                                           out[-300:]))


def main():
    rep = Reporter()
    tmp = tempfile.mkdtemp(prefix='minired-life-')
    conf = os.path.join(tmp, 'minired.conf')

    # A config file, then an override on the command line: the override
    # wins because its line comes after the file's text.
    with open(conf, 'w') as f:
        f.write('# minired test configuration\n'
                'timeout 7\n'
                '\n'
                'maxclients 40\n'
                'requirepass "pw"\n')
    srv = Server(['--maxclients', '50'])
    base_command = srv.command
    srv.command = lambda port: ([base_command(port)[0], conf]
                                + base_command(port)[1:])
    with rep.case('config-file-and-overrides', None):
        with srv:
            with srv.connect() as c:
                c.expect(('AUTH', 'pw'), b'+OK\r\n')
                c.expect(('CONFIG', 'GET', 'timeout'),
                         b'*2\r\n$7\r\ntimeout\r\n$1\r\n7\r\n')
                c.expect(('CONFIG', 'GET', 'maxclients'),
                         b'*2\r\n$10\r\nmaxclients\r\n$2\r\n50\r\n')

    with rep.case('config-error-bad-directive', None):
        with open(conf, 'w') as f:
            f.write('timeout 7\nnosuchdirective 1\n')
        expect_fatal([conf], 2, 'nosuchdirective 1',
                     'Bad directive or wrong number of arguments')

    with rep.case('config-error-bad-port', None):
        expect_fatal(['--port', '70000'], None, 'port "70000"',
                     'Invalid port')

    with rep.case('config-error-yes-no', None):
        expect_fatal(['--protected-mode', 'maybe'], None,
                     'protected-mode "maybe"',
                     "argument must be 'yes' or 'no'")

    with rep.case('config-error-missing-file', None):
        rc, out = start_fails([os.path.join(tmp, 'absent.conf')])
        check(rc == 1, 'exit code %s, want 1' % rc)
        check("can't open config file" in out, 'no clear message: %s'
              % out[-300:])

    srv = harness.start_or_fail(rep, 'config-set', Server())
    if srv is not None:
        try:
            with rep.case('config-set-get-round-trip', srv), \
                    srv.connect() as c:
                for name, value in (('timeout', '30'), ('tcp-keepalive', '60'),
                                    ('maxclients', '123'), ('hz', '20'),
                                    ('loglevel', 'verbose'),
                                    ('protected-mode', 'no'),
                                    ('client-query-buffer-limit', '2097152')):
                    c.expect(('CONFIG', 'SET', name, value), b'+OK\r\n')
                    c.expect(('CONFIG', 'GET', name),
                             harness.resp(name, value))
            with rep.case('config-set-errors', srv), srv.connect() as c:
                if not harness.is_real_redis():
                    c.expect(('CONFIG', 'SET', 'maxclients', 'abc'),
                             b"-ERR Invalid argument 'abc' for CONFIG SET "
                             b"'maxclients'\r\n")
                    c.expect(('CONFIG', 'SET', 'nosuch', '1'),
                             b'-ERR Unsupported CONFIG parameter: nosuch\r\n')
                c.expect(('CONFIG', 'GET', 'nosuch*'), b'*0\r\n')
            with rep.case('info-sections', srv), srv.connect() as c:
                c.send(harness.resp('INFO', 'server'))
                info = c.read_reply()
                check(b'# Server\r\n' in info, 'no "# Server" header')
                if not harness.is_real_redis():
                    check(b'redis_version:5.0.14\r\n' in info,
                          'redis_version is not 5.0.14')
                check(b'tcp_port:%d\r\n' % srv.port in info, 'no tcp_port')
                c.send(harness.resp('INFO', 'clients'))
                check(b'connected_clients:1\r\n' in c.read_reply(),
                      'connected_clients is not 1')
                c.send(harness.resp('INFO', 'stats'))
                check(b'total_commands_processed:' in c.read_reply(),
                      'no total_commands_processed')
        finally:
            srv.stop()

    # The unix socket: a second listener beside TCP; its clients carry the
    # U flag in CLIENT LIST; the file is removed at shutdown.
    sock_path = os.path.join(tmp, 'minired.sock')
    srv = harness.start_or_fail(rep, 'unixsocket', Server(
        ['--unixsocket', sock_path, '--unixsocketperm', '700']))
    if srv is not None:
        try:
            with rep.case('unixsocket-serves', srv):
                check(harness.require_tool('/usr/bin/redis-cli', rep,
                                           'unixsocket-redis-cli'),
                      'redis-cli missing')
                p = harness.run(['/usr/bin/redis-cli', '-s', sock_path,
                                 'PING'])
                check_eq(p.stdout, b'PONG\n', 'redis-cli -s PING')
                p = harness.run(['/usr/bin/redis-cli', '-s', sock_path,
                                 'CLIENT', 'LIST'])
                check(b'flags=U' in p.stdout, 'unix client has no U flag: %r'
                      % p.stdout)
                mode = os.stat(sock_path).st_mode & 0o777
                check(mode == 0o700, 'socket mode %o, want 700' % mode)
            with rep.case('unixsocket-removed-at-shutdown', srv):
                srv.proc.send_signal(signal.SIGTERM)
                srv.proc.wait(timeout=5)
                check(not os.path.exists(sock_path), 'socket file left behind')
        finally:
            srv.stop()

    for signame in ('SIGTERM', 'SIGINT'):
        srv = harness.start_or_fail(rep, 'shutdown-' + signame.lower(),
                                    Server())
        if srv is None:
            continue
        try:
            with rep.case('clean-exit-on-' + signame.lower(), srv):
                srv.proc.send_signal(getattr(signal, signame))
                try:
                    rc = srv.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    raise TestFailure('still running 5 s after %s' % signame)
                check(rc == 0, 'exit code %s after %s' % (rc, signame))
                log = srv.log_tail(10)
                check('Received %s scheduling shutdown' % signame in log,
                      'no "Received %s scheduling shutdown" in log' % signame)
                check('ready to exit, bye bye' in log, 'no bye bye in log')
        finally:
            srv.stop()

    for name in os.listdir(tmp):
        os.unlink(os.path.join(tmp, name))
    os.rmdir(tmp)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
