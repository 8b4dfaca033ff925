#!/usr/bin/python3
"""test_obuf_limit.py - clients that never read their replies, and
client-output-buffer-limit.

 1. CONFIG GET client-output-buffer-limit gives Redis 5.0's defaults:
    "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";
    CONFIG SET takes "<class> <hard> <soft> <seconds>" groups, all or
    nothing.
 2. Limit off (the default for normal clients): one client pipelines 3,000
    GETs of a 16 KB value (about 48 MB of replies) and never reads. The
    server keeps serving another client (every PING well under 100 ms) and
    memory grows only by that client's reply list (CLIENT LIST omem).
    Closing it gives the memory back.
 3. Limit on, "normal 1mb 0 0": the same client is closed; the log says
    "Client id=... scheduled to be closed ASAP for overcoming of output
    buffer limits."; with a trace, the decision is the "obuf-limit" event.
 4. Soft limit, "normal 0 512kb 1": closed only once 512 KB has been
    held for more than a second.
 5. Pub/sub defaults (32 MB hard): a subscriber that stops reading while
    1 MB messages are published is closed once 32 MB wait for it; PUBLISH
    then counts 0 receivers.
"""
import json
import os
import sys
import tempfile
import time

from limitslib import (harness, client_list, info_field, wait_log,
                       wait_until, ping_ms)
from harness import Reporter, Server, check, check_eq, resp

VALUE = b'v' * 16384
GETS = 3000
DEFAULTS = (b'normal 0 0 0 slave 268435456 67108864 60 '
            b'pubsub 33554432 8388608 60')
SCHEDULED = 'scheduled to be closed ASAP for overcoming of output buffer limits'


def config_get(conn, name):
    reply = conn.call('CONFIG', 'GET', name)
    parts = reply.split(b'\r\n')
    # *2 $len name $len value
    return parts[4] if len(parts) > 4 else None


def omem_of(conn, name):
    for d in client_list(conn):
        if d.get('name') == name:
            return int(d['omem'])
    return None


def start_slow_client(srv, name):
    """A client that pipelines GETS GETs of VALUE and never reads."""
    slow = srv.connect()
    slow.expect(('CLIENT', 'SETNAME', name), b'+OK\r\n')
    slow.send(resp('GET', 'big') * GETS)
    return slow


def case_config(rep, srv, c):
    with rep.case('obuf-config-get-defaults', srv):
        check_eq(config_get(c, 'client-output-buffer-limit'), DEFAULTS,
                 'CONFIG GET client-output-buffer-limit')
    with rep.case('obuf-config-set', srv):
        c.expect(('CONFIG', 'SET', 'client-output-buffer-limit',
                  'normal 1mb 512kb 10 pubsub 64mb 16mb 30'), b'+OK\r\n')
        check_eq(config_get(c, 'client-output-buffer-limit'),
                 b'normal 1048576 524288 10 slave 268435456 67108864 60 '
                 b'pubsub 67108864 16777216 30', 'after CONFIG SET')
        for bad in ('normal 1mb 0', 'master 1 2 3', 'normal x 0 0',
                    'normal 1mb 0 0 bogus 1 1 1', 'normal -1 0 0'):
            got = c.call('CONFIG', 'SET', 'client-output-buffer-limit', bad)
            if harness.flavor() == '5.0':
                check_eq(got, b"-ERR Invalid argument '" + bad.encode() +
                         b"' for CONFIG SET 'client-output-buffer-limit'\r\n",
                         'CONFIG SET %r' % bad)
            else:  # 7.0 words it "CONFIG SET failed (possibly related...)"
                check(got.startswith(b'-ERR '), 'CONFIG SET %r: %r'
                      % (bad, got))
        check_eq(config_get(c, 'client-output-buffer-limit'),
                 b'normal 1048576 524288 10 slave 268435456 67108864 60 '
                 b'pubsub 67108864 16777216 30', 'after refused SETs')
        c.expect(('CONFIG', 'SET', 'client-output-buffer-limit',
                  DEFAULTS.decode().replace('slave', 'replica')), b'+OK\r\n')
        check_eq(config_get(c, 'client-output-buffer-limit'), DEFAULTS,
                 'back to defaults')


def set_defaults(c):
    c.expect(('CONFIG', 'SET', 'client-output-buffer-limit',
              DEFAULTS.decode()), b'+OK\r\n')


def case_never_reads(rep, srv, c):
    with rep.case('obuf-no-limit-others-served', srv):
        set_defaults(c)
        base = int(info_field(c, 'used_memory', 'memory'))
        slow = start_slow_client(srv, 'slow')
        worst = 0.0
        # While the server queues ~48 MB for "slow", PINGs are answered
        # (how fast is printed, and measured by `make bench`).
        for _ in range(20):
            worst = max(worst, ping_ms(c))
            time.sleep(0.02)
        omem = wait_until(lambda: (omem_of(c, 'slow') or 0) > 30 << 20 and
                          omem_of(c, 'slow'), timeout=10,
                          what='slow client omem > 30 MB')
        for _ in range(10):
            worst = max(worst, ping_ms(c))
        check(omem_of(c, 'slow') is not None,
              'the never-reading client is gone (limit off!)')
        print('    omem of the never-reading client: %d bytes; worst PING '
              '%.1f ms' % (omem, worst))
    with rep.case('obuf-no-limit-memory-is-that-client', srv):
        time.sleep(0.2)
        omem = omem_of(c, 'slow')
        grown = int(info_field(c, 'used_memory', 'memory')) - base
        check(omem is not None, 'slow client gone (limit off!)')
        check(grown >= omem * 0.9 and grown <= omem + (4 << 20),
              'used_memory grew %d for omem %d' % (grown, omem))
        slow.close()
        wait_until(lambda: omem_of(c, 'slow') is None, what='slow client gone')
        now = int(info_field(c, 'used_memory', 'memory'))
        check(now - base < (2 << 20), 'memory not returned: %d over base'
              % (now - base))


def case_limit_on(rep, srv, c):
    with rep.case('obuf-limit-normal-closes', srv):
        c.expect(('CONFIG', 'SET', 'client-output-buffer-limit',
                  'normal 1mb 0 0'), b'+OK\r\n')
        slow = start_slow_client(srv, 'slow2')
        line = wait_log(srv, 'name=slow2 ')
        check(SCHEDULED in line and line.split('# ', 1)[-1].startswith(
              'Client id='), 'log line: %s' % line)
        wait_until(lambda: omem_of(c, 'slow2') is None, timeout=5,
                   what='slow2 freed')
        # Whatever had reached its socket, then the end of the stream.
        slow.sock.settimeout(5)
        total = 0
        while True:
            try:
                chunk = slow.sock.recv(1 << 20)
            except ConnectionResetError:
                break
            if not chunk:
                break
            total += len(chunk)
        check(total < GETS * len(VALUE) // 2,
              'got %d bytes: not cut short' % total)
        slow.close()
    with rep.case('obuf-limit-others-fine', srv):
        print('    PING answered in %.1f ms' % ping_ms(c))
        c.expect(('GET', 'big'), b'$16384\r\n' + VALUE + b'\r\n')
        set_defaults(c)


def case_trace(rep):
    """minired only: a server with --trace and "normal 64kb 0 0" closes a
    client that pipelines 100 GETs of 16 KB; the trace holds exactly one
    obuf-limit event for it, followed by its free-async. (Kept small: the
    trace writes every reply byte and the client state at each event.)"""
    fd, trace_path = tempfile.mkstemp(prefix='minired-obuf-', suffix='.jsonl')
    os.close(fd)
    srv = harness.start_or_fail(
        rep, 'obuf-trace',
        Server(['--trace', trace_path,
                '--client-output-buffer-limit', 'normal', '64kb', '0', '0']))
    if srv is None:
        os.unlink(trace_path)
        return
    try:
        _case_trace(rep, srv, trace_path)
    finally:
        srv.stop()
        os.unlink(trace_path)


def _case_trace(rep, srv, trace_path):
    with rep.case('obuf-limit-config-file-directive', srv):
        with srv.connect() as c:
            check_eq(config_get(c, 'client-output-buffer-limit'),
                     DEFAULTS.replace(b'normal 0 0 0', b'normal 65536 0 0'),
                     'CONFIG GET after --client-output-buffer-limit')
            c.expect(('SET', 'big', VALUE), b'+OK\r\n')
            slow = srv.connect()
            slow.send(resp('GET', 'big') * 100)
            wait_log(srv, SCHEDULED)
            c.expect(('PING',), b'+PONG\r\n')
            time.sleep(0.3)  # serverCron frees it
            slow.close()
    with rep.case('obuf-limit-trace-event', srv):
        events = []
        with open(trace_path, 'rb') as f:
            for raw in f:
                try:
                    events.append(json.loads(raw))
                except ValueError:
                    pass  # a line still being written
        hits = [e for e in events if e.get('cat') == 'obuf-limit']
        check(len(hits) == 1, '%d obuf-limit events' % len(hits))
        e = hits[0]
        check(e['name'] == 'asyncCloseClientOnOutputBufferLimitReached',
              'name %s' % e['name'])
        check(e['args']['class'] == 'normal' and
              e['args']['omem'] >= 65536, 'args %s' % e['args'])
        nxt = [x for x in events if x.get('ts', 0) > e['ts'] and
               x.get('tid') == e['tid']]
        check(nxt and nxt[0]['cat'] == 'free-async',
              'next event of that client: %s' % (nxt[:1],))


def case_soft_limit(rep, srv, c):
    """Soft limit "normal 0 512kb 1": reaching 512 KB starts the clock
    (obuf_soft_limit_reached_time); the client is closed by the first
    append seen more than 1 s later, not before. The check runs only when
    the reply list grows, so the client keeps asking, one GET per 100 ms."""
    with rep.case('obuf-soft-limit-held', srv):
        c.expect(('CONFIG', 'SET', 'client-output-buffer-limit',
                  'normal 0 512kb 1'), b'+OK\r\n')
        slow = srv.connect()
        slow.expect(('CLIENT', 'SETNAME', 'soft'), b'+OK\r\n')
        # 1,000 x 16 KB: more than the sockets' buffers can absorb, so
        # the reply list passes 512 KB.
        slow.send(resp('GET', 'big') * 1000)
        t0 = time.time()
        closed_at = None
        while time.time() - t0 < harness.guard(5):
            time.sleep(0.1)
            if omem_of(c, 'soft') is None:
                closed_at = time.time() - t0
                break
            try:
                slow.send(resp('GET', 'big'))
            except OSError:
                pass
        slow.close()
        check(closed_at is not None, 'still connected after %.0f s'
              % harness.guard(5))
        # unixtime has 1 s resolution: "more than 1 s" is 1 < elapsed <= 3.
        check(closed_at > 0.9, 'closed after only %.2f s' % closed_at)
        line = wait_log(srv, 'name=soft ')
        # 7.0 also checks from its cron and may then say "closed for
        # overcoming..."; 5.0 (and minired) only schedule, from appends.
        want = (SCHEDULED if harness.flavor() == '5.0'
                else 'for overcoming of output buffer limits')
        check(want in line, 'log line: %s' % line)
        print('    soft limit: closed %.2f s after it was reached' % closed_at)
        set_defaults(c)


def case_pubsub(rep, srv, c):
    with rep.case('obuf-limit-pubsub-default', srv):
        set_defaults(c)
        sub = srv.connect()
        sub.expect(('CLIENT', 'SETNAME', 'sub'), b'+OK\r\n')
        sub.expect(('SUBSCRIBE', 'ch'),
                   b'*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n')
        msg = b'm' * (1 << 20)
        receivers = []
        # 32 MB hard limit plus what the sockets buffer: 64 x 1 MB is plenty.
        for _ in range(64):
            r = c.call('PUBLISH', 'ch', msg)
            receivers.append(r)
            if r == b':0\r\n':
                break
        check(receivers[0] == b':1\r\n', 'first PUBLISH: %r' % receivers[0])
        # The close happens at the next serverCron tick: wait for it.
        wait_until(lambda: omem_of(c, 'sub') is None, timeout=5,
                   what='subscriber freed')
        c.expect(('PUBLISH', 'ch', 'late'), b':0\r\n')
        line = wait_log(srv, 'name=sub ')
        check(SCHEDULED in line and 'flags=P' in line, 'log line: %s' % line)
        sub.close()
        print('    PING answered in %.1f ms' % ping_ms(c))


def main():
    rep = Reporter()
    srv = harness.start_or_fail(rep, 'obuf', Server())
    if srv is None:
        return 1
    try:
        c = srv.connect(timeout=10.0)
        c.expect(('SET', 'big', VALUE), b'+OK\r\n')
        case_config(rep, srv, c)
        case_never_reads(rep, srv, c)
        case_limit_on(rep, srv, c)
        case_soft_limit(rep, srv, c)
        case_pubsub(rep, srv, c)
        c.close()
    finally:
        srv.stop()
    if not harness.is_real_redis():
        case_trace(rep)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
