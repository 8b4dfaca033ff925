#!/usr/bin/python3
"""test_states.py - connection states with real clients: redis-cli in
MONITOR mode, redis-py pattern subscriptions, CLIENT REPLY through
redis-cli --pipe, and the raw bytes of each.

    states-cli-monitor        `redis-cli monitor` prints "OK", then one line
                              per command another connection runs, exactly
                              <sec>.<usec> [0 127.0.0.1:<port>] "SET" "k" "v"
                              with that connection's own port; CLIENT LIST
                              shows the monitor with flags=O; an admin
                              command (CONFIG GET) is not printed; after
                              redis-cli is killed the server drops it from
                              the monitors and keeps serving
    states-monitor-raw        two raw monitors both get the same line; a
                              monitor's own PING is fed to it before +PONG
                              (5.0; 7.0 feeds after the command); a second
                              MONITOR gets no reply
    states-py-psubscribe      redis-py psubscribe / get_message: the
                              psubscribe confirmation, a pmessage with
                              pattern, channel and data, PUBLISH counting
                              the pattern receiver, PUBSUB NUMPAT /
                              CHANNELS / NUMSUB, punsubscribe back to 0
    states-cli-pipe-reply     redis-cli --pipe counts the replies it gets:
                              CLIENT REPLY SKIP hides one reply, OFF hides
                              every reply until ON (whose +OK is counted)
    states-reply-raw          CLIENT REPLY OFF/ON/SKIP on one raw
                              connection, pipelined and one byte per write

Works against redis-server too (MINIRED_SERVER=/usr/bin/redis-server):
every byte checked here is the same in Redis 5.0 and 7.0, except the
order of a monitor's own line and its reply (see states-monitor-raw).
"""
import re
import select
import subprocess
import sys
import time

import harness
from harness import Reporter, Server, check, check_eq, resp

try:
    import redis
except ImportError:
    redis = None

CLI = '/usr/bin/redis-cli'
# One MONITOR line as redis-cli prints it (the leading '+' of the status
# reply is not printed): "1700000000.123456 [0 127.0.0.1:50000] "SET" ...".
LINE = re.compile(rb'^(\d+)\.(\d{6}) \[0 127\.0\.0\.1:(\d+)\] (.*)$')


def read_line(proc, seconds, what):
    """One line of proc's stdout, or fail after the hang guard."""
    deadline = time.time() + harness.guard(seconds)
    buf = b''
    while not buf.endswith(b'\n'):
        left = deadline - time.time()
        check(left > 0, 'timed out waiting for %s (have %s)'
              % (what, harness.short(buf)))
        r, _, _ = select.select([proc.stdout], [], [], left)
        if not r:
            continue
        ch = proc.stdout.read(1)
        check(ch != b'', 'redis-cli exited while waiting for %s (have %s)'
              % (what, harness.short(buf)))
        buf += ch
    return buf[:-1]


def client_list(conn):
    reply = conn.call('CLIENT', 'LIST')
    return reply.split(b'\r\n', 1)[1]


def cli_monitor(srv):
    # bufsize=0: read(1) takes one byte from the pipe, so select() on it
    # never misses bytes already pulled into a Python buffer.
    proc = subprocess.Popen([CLI, '-p', str(srv.port), 'monitor'],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, bufsize=0)
    try:
        check_eq(read_line(proc, 10, 'the OK of MONITOR'), b'OK',
                 'first line of redis-cli monitor')
        with srv.connect() as c:
            port = c.sock.getsockname()[1]
            c.expect(('CONFIG', 'GET', 'port'),
                     b'*2\r\n$4\r\nport\r\n$%d\r\n%d\r\n'
                     % (len(str(srv.port)), srv.port))
            c.expect(('SET', 'mon:k', 'a b"c'), b'+OK\r\n')
            line = read_line(proc, 10, 'the MONITOR line of SET')
            m = LINE.match(line)
            check(m is not None, 'not a MONITOR line: %s'
                  % harness.short(line))
            check_eq(int(m.group(3)), port, 'port in the MONITOR line')
            # redis-cli prints the status text as is: sdscatrepr quoting.
            check_eq(m.group(4), b'"SET" "mon:k" "a b\\"c"',
                     'arguments in the MONITOR line')
            check(abs(int(m.group(1)) - time.time()) < 3600,
                  'MONITOR time %s is not now' % m.group(1).decode())
            lst = client_list(c)
            check(re.search(rb' flags=O .*cmd=monitor', lst) is not None,
                  'CLIENT LIST has no flags=O monitor: %s'
                  % harness.short(lst, 400))
        proc.kill()
        proc.wait(timeout=harness.guard(10))
        with srv.connect() as c:
            harness.wait_for(lambda: b'flags=O' not in client_list(c), 10,
                             'the killed monitor to leave CLIENT LIST')
            c.expect(('PING',), b'+PONG\r\n')
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=harness.guard(10))


def monitor_raw(srv):
    with srv.connect() as m1, srv.connect() as m2, srv.connect() as c:
        m1.expect(('MONITOR',), b'+OK\r\n')
        m2.expect(('MONITOR',), b'+OK\r\n')
        c.expect(('ECHO', 'x'), b'$1\r\nx\r\n')
        port = c.sock.getsockname()[1]
        l1, l2 = m1.read_reply(), m2.read_reply()
        check_eq(l1, l2, 'the two monitors\' lines')
        check(re.match(rb'^\+\d+\.\d{6} \[0 127\.0\.0\.1:%d\] "ECHO" "x"\r\n$'
                       % port, l1) is not None,
              'MONITOR line %s' % harness.short(l1))
        # The monitor's own command is fed to both monitors. Redis 5.0
        # feeds before the command runs (the line comes before +PONG);
        # 7.0's call() feeds after it (+PONG first).
        m1.send(resp('PING'))
        if harness.flavor() == '7.0':
            check_eq(m1.read_reply(), b'+PONG\r\n', 'PONG (7.0: first)')
        own = m1.read_reply()
        check(own.startswith(b'+') and own.endswith(b'] "PING"\r\n'),
              'own PING line %s' % harness.short(own))
        if harness.flavor() == '5.0':
            m1.expect(b'', b'+PONG\r\n', 'PONG after the own line')
        check_eq(m2.read_reply(), own, 'm2 sees m1\'s PING')
        # Already a monitor: MONITOR again is ignored, no reply at all.
        m2.send(resp('MONITOR'))
        m2.nothing_more()


def py_psubscribe(srv):
    r = redis.Redis(host='127.0.0.1', port=srv.port, socket_timeout=5,
                    socket_connect_timeout=5)
    p = r.pubsub()
    try:
        p.psubscribe('pyn.*')

        def msg():
            return harness.wait_for(lambda: p.get_message(timeout=0.1), 10,
                                    'a pub/sub message')
        check_eq(msg(), {'type': 'psubscribe', 'pattern': None,
                         'channel': b'pyn.*', 'data': 1}, 'psubscribe')
        check_eq(r.publish('pyn.x', 'hello'), 1, 'publish receivers')
        check_eq(msg(), {'type': 'pmessage', 'pattern': b'pyn.*',
                         'channel': b'pyn.x', 'data': b'hello'}, 'pmessage')
        check_eq(r.publish('other', 'x'), 0, 'publish to no match')
        check_eq(r.pubsub_numpat(), 1, 'PUBSUB NUMPAT')
        check_eq(r.pubsub_channels(), [], 'PUBSUB CHANNELS (no channel)')
        check_eq(r.pubsub_numsub('pyn.x'), [(b'pyn.x', 0)], 'PUBSUB NUMSUB')
        p.punsubscribe('pyn.*')
        check_eq(msg(), {'type': 'punsubscribe', 'pattern': None,
                         'channel': b'pyn.*', 'data': 0}, 'punsubscribe')
        check_eq(r.pubsub_numpat(), 0, 'PUBSUB NUMPAT after punsubscribe')
    finally:
        p.close()
        r.close()


def cli_pipe_reply(srv):
    def pipe(data):
        p = harness.run([CLI, '-p', str(srv.port), '--pipe'], input=data,
                        timeout=harness.guard(30))
        check(p.returncode == 0, 'redis-cli --pipe exited %d: %s'
              % (p.returncode, harness.short(p.stdout + p.stderr, 300)))
        m = re.search(rb'errors: (\d+), replies: (\d+)', p.stdout)
        check(m is not None, '--pipe summary missing: %s'
              % harness.short(p.stdout, 300))
        return int(m.group(1)), int(m.group(2))

    check_eq(pipe(resp('CLIENT', 'REPLY', 'SKIP') + resp('SET', 'rp:a', '1') +
                  resp('SET', 'rp:b', '2')), (0, 1), '(errors, replies) SKIP')
    data = resp('CLIENT', 'REPLY', 'OFF')
    data += b''.join(resp('SET', 'rp:%d' % i, 'v') for i in range(100))
    data += resp('INCR', 'rp:1')  # an error, not counted: replies are off
    data += resp('CLIENT', 'REPLY', 'ON')
    check_eq(pipe(data), (0, 1), '(errors, replies) OFF ... ON')
    with srv.connect() as c:
        c.expect(('GET', 'rp:99'), b'$1\r\nv\r\n')


def reply_raw(srv):
    with srv.connect() as c:
        data = (b'CLIENT REPLY OFF\r\nSET rr:k v\r\nGET rr:k\r\n'
                b'CLIENT REPLY ON\r\nGET rr:k\r\n'
                b'CLIENT REPLY SKIP\r\nINCR rr:n\r\nINCR rr:n\r\n')
        c.send(data)
        check_eq(c.read_exact(16), b'+OK\r\n$1\r\nv\r\n:2\r\n',
                 'replies of the OFF/ON/SKIP pipeline')
        c.nothing_more()
        # One byte per send: the skip survives split reads.
        for b in b'CLIENT REPLY SKIP\r\nINCR rr:n\r\nINCR rr:n\r\n':
            c.send(bytes([b]))
        check_eq(c.read_reply(), b':4\r\n', 'after a 1-byte-split SKIP')
        c.expect(('CLIENT', 'REPLY', 'MAYBE'), b'-ERR syntax error\r\n')
        c.nothing_more()


def main():
    rep = Reporter()
    if not harness.require_tool(CLI, rep, 'redis-cli'):
        return 1
    if redis is None:
        rep.emit('FAIL', 'states-import', 'import redis failed: run under '
                 '/usr/bin/python3 with python3-redis installed')
        return 1
    srv = harness.start_or_fail(rep, 'states', Server())
    if srv is None:
        return 1
    try:
        with rep.case('states-cli-monitor', srv):
            cli_monitor(srv)
        with rep.case('states-monitor-raw', srv):
            monitor_raw(srv)
        with rep.case('states-py-psubscribe', srv):
            py_psubscribe(srv)
        with rep.case('states-cli-pipe-reply', srv):
            cli_pipe_reply(srv)
        with rep.case('states-reply-raw', srv):
            reply_raw(srv)
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
