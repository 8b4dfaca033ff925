# Lab 6: client-output-buffer-limit. The tests `make grade LAB=6` runs
# (grader.py says what each kind does); README.md's grading table lists
# them too.
import os
import re
import socket
import time

from grader import Unit, Resp, Trace, Check, Fail, recv_upto
import harness

TITLE = ('client-output-buffer-limit (omem, the hard and soft limits, the '
         'class, the asynchronous close)')
U = 'test_pipeline_obuf'
D = 'exercises/06-defending/'
VALUE = b'v' * 20000
LOG_LINE = 'scheduled to be closed ASAP for overcoming of output buffer limits.'


def _connect(ctx):
    """A raw socket with a small receive buffer (4 KB asked): the kernel
    then holds little of what the server sends, so a client that does not
    read fills the server's reply list soon (no autotuning to megabytes)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(harness.guard(5))
    s.connect(('127.0.0.1', ctx.server_port()))
    return s


def _recv_exact(s, n):
    """Up to N bytes: fewer only if the server closed the connection (or
    stayed silent for the socket's timeout)."""
    return recv_upto(s, n, exact=True)


def _redis(ctx):
    import redis
    return redis.Redis(port=ctx.server_port(), socket_timeout=harness.guard(10))


def _named(r, names):
    """The CLIENT LIST entries whose name is one of NAMES."""
    return [c for c in r.client_list() if c.get('name') in names]


def _wait_gone(r, names, not_marked):
    """Poll CLIENT LIST until no client bears one of NAMES: 'gone'. A
    marked client (flags A, CLIENT_CLOSE_ASAP) is freed at the next cron
    tick, 100 ms; not_marked(entry) says when a listed client can no
    longer be marked ('never': fail now, with no waiting). The 5 s bound
    only stops a grader that would wait forever."""
    deadline = time.time() + harness.guard(5)
    while time.time() < deadline:
        listed = _named(r, names)
        if not listed:
            return 'gone'
        if any(not_marked(c) for c in listed):
            return 'never'
        time.sleep(0.02)
    return 'timeout'


def _until_closed(s):
    """Read what the server sent until it closes the connection: (bytes
    received, True), or (bytes, False) if it stays open 5 s."""
    got = 0
    try:
        while True:
            b = s.recv(65536)
            if not b:
                return got, True
            got += len(b)
    except ConnectionResetError:
        return got, True
    except socket.timeout:
        return got, False


def slow_reader(ctx):
    """Once per grade: with "normal 1mb 0 0", a client named lab6-reader
    pipelines 1,000 "GET lab6:big" (16,384 bytes each: 16,394,000 bytes of
    replies), then "CLIENT SETNAME lab6-done", and reads nothing. The limit
    must mark it long before it renames itself, and the cron must free
    it. Returns a dict; 'log' holds the server's log lines written
    meanwhile that carry Redis 5.0's warning."""
    if getattr(ctx, 'lab6_reader', None) is not None:
        return ctx.lab6_reader
    import redis
    res = {'error': None, 'end': None, 'closed': False, 'got': 0, 'log': []}
    r = _redis(ctx)  # starts the shared server if no test did
    log = ctx._server.log_path
    s = None
    try:
        start = os.path.getsize(log)
        r.config_set('client-output-buffer-limit', 'normal 1mb 0 0')
        r.set('lab6:big', b'v' * 16384)
        s = _connect(ctx)
        # Named first (and its +OK read), so CLIENT LIST shows it from now on.
        s.sendall(b'CLIENT SETNAME lab6-reader\r\n')
        if _recv_exact(s, 5) != b'+OK\r\n':
            raise OSError('CLIENT SETNAME lab6-reader got no +OK')
        s.sendall(b'*2\r\n$3\r\nGET\r\n$8\r\nlab6:big\r\n' * 1000
                  + b'CLIENT SETNAME lab6-done\r\n')
        res['end'] = _wait_gone(r, ('lab6-reader', 'lab6-done'),
                                lambda c: c.get('name') == 'lab6-done')
        if res['end'] == 'gone':
            res['got'], res['closed'] = _until_closed(s)
        with open(log, encoding='utf-8', errors='replace') as f:
            f.seek(start)
            res['log'] = [ln.rstrip('\n') for ln in f if LOG_LINE in ln]
    except (redis.RedisError, OSError) as e:
        res['error'] = '%s: %s' % (type(e).__name__, e)
    finally:
        if s is not None:
            s.close()
        try:
            r.config_set('client-output-buffer-limit', 'normal 0 0 0')
        except redis.RedisError:
            pass
        r.close()
    ctx.lab6_reader = res
    return res


def check_reader_closed(ctx):
    res = slow_reader(ctx)
    if res['error']:
        raise Fail('the server stopped answering (crashed?): %s\nits log:\n%s'
                   % (res['error'], ctx._server.log_tail(10)))
    if res['end'] == 'never':
        raise Fail('with "normal 1mb 0 0", a client that read none of its 16,394,000 '
                   'bytes of replies ran all 1,000 GETs and the CLIENT SETNAME after '
                   'them: it was never marked CLOSE_ASAP')
    if res['end'] != 'gone':
        raise Fail('the client was still in CLIENT LIST 5 s later')
    if not res['closed']:
        raise Fail('the client left CLIENT LIST but its connection stayed open')


def check_reader_log(ctx):
    res = slow_reader(ctx)
    if res['error']:
        raise Fail('the server stopped answering (crashed?): %s' % res['error'])
    mine = [ln for ln in res['log'] if ' name=lab6-reader ' in ln]
    if len(mine) != 1:
        raise Fail('expected exactly one log line "Client id=... name=lab6-reader ... %s"'
                   '\ngot %d such lines%s' % (LOG_LINE, len(mine),
                                              ''.join('\n  ' + ln[:300] for ln in mine[:3])))
    ln = mine[0]
    m = re.search(r'# Client (id=\d+ addr=127\.0\.0\.1:\d+ fd=\d+ name=lab6-reader .*) '
                  + re.escape(LOG_LINE) + '$', ln)
    if not m:
        raise Fail('the log line is not "Client <CLIENT LIST line> %s":\n  %s'
                   % (LOG_LINE, ln[:300]))
    if ' flags=N ' not in m.group(1):
        raise Fail('the CLIENT LIST line in the log must be the client as it was when '
                   'the limit was reached (flags=N), not after marking it:\n  %s'
                   % ln[:300])


def check_pubsub_closed(ctx):
    """"pubsub 256kb 0 0": a subscriber named lab6-sub stops reading while
    500 messages of 20,000 bytes (10 MB) are published to its channel."""
    import redis
    r = _redis(ctx)
    s = None
    try:
        r.config_set('client-output-buffer-limit', 'pubsub 256kb 0 0')
        s = _connect(ctx)
        s.sendall(b'CLIENT SETNAME lab6-sub\r\nSUBSCRIBE lab6:ch\r\n')
        want = b'+OK\r\n*3\r\n$9\r\nsubscribe\r\n$7\r\nlab6:ch\r\n:1\r\n'
        got = _recv_exact(s, len(want))
        if got != want:
            raise Fail('SETNAME and SUBSCRIBE: expected %r, got %r' % (want, got))
        p = r.pipeline(transaction=False)
        for _ in range(500):
            p.publish('lab6:ch', VALUE)
        p.execute()
        # Every PUBLISH has run: the subscriber is marked (flags A) by now,
        # or it never will be.
        end = _wait_gone(r, ('lab6-sub',), lambda c: 'A' not in c.get('flags', ''))
        if end == 'never':
            raise Fail('with "pubsub 256kb 0 0" (and "normal 0 0 0"), a subscriber '
                       'that read none of 10 MB of messages was not marked CLOSE_ASAP')
        if end != 'gone':
            raise Fail('the subscriber, marked, was still in CLIENT LIST 5 s later')
    except (redis.RedisError, OSError) as e:
        raise Fail('the server stopped answering (crashed?): %s: %s'
                   % (type(e).__name__, e))
    finally:
        if s is not None:
            s.close()
        try:
            r.config_set('client-output-buffer-limit', 'pubsub 32mb 8mb 60')
        except redis.RedisError:
            pass
        r.close()


BIG_SET = (b'*3\r\n$3\r\nSET\r\n$6\r\nlab6:u\r\n$20000\r\n' + VALUE + b'\r\n')
BIG_GET = b'*2\r\n$3\r\nGET\r\n$6\r\nlab6:u\r\n'

TESTS = [
    Unit('unit-usage', 5, U, ['test_obuf_usage_counts_blocks', 'test_obuf_usage_ignores_buf'],
         'omem is wrong: count reply_bytes plus a listNode and a clientReplyBlock '
         'header per block, and not c->buf'),
    Unit('unit-hard', 5, U, ['test_obuf_hard_at_limit', 'test_obuf_zero_is_off'],
         'the hard limit must close when omem REACHES it (>=), and a limit of 0 '
         'must be off'),
    Unit('unit-soft-clock', 6, U, ['test_obuf_soft_first_sighting', 'test_obuf_soft_held'],
         'the soft limit: the first sighting only starts the clock, and the '
         'client is over only MORE than soft_limit_seconds later'),
    Unit('unit-soft-reset', 4, U, ['test_obuf_soft_reset_below'],
         'a check under the soft limit must set obuf_soft_limit_reached_time '
         'back to 0'),
    Unit('unit-class', 5, U, ['test_obuf_class_pubsub', 'test_obuf_class_monitor_master'],
         'the wrong line of client-output-buffer-limit is used: the class is '
         'getClientType(), with a master limited as normal'),
    Unit('unit-close', 5, U, ['test_obuf_close_marks_async', 'test_obuf_close_only_when_over',
                              'test_obuf_close_once'],
         'a client over its limit must be marked (freeClientAsync), once, and '
         'never freed on the spot; fd -1 clients never'),
    Resp('resp-normal-unlimited', 3, [BIG_SET, BIG_GET * 3],
         b'+OK\r\n' + (b'$20000\r\n' + VALUE + b'\r\n') * 3,
         'with Redis 5.0\'s default "normal 0 0 0", a normal client must get '
         'every reply, however big'),
    Trace('trace-obuf-limit', 5, 'tests/scenarios/38-obuf-limit.scn',
          'tests/golden/38-obuf-limit.jsonl',
          'your pipeline differs from the reference on the book\'s scenario: '
          'the soft limit\'s 10 s, the hard limit, one obuf-limit step per client'),
    Trace('trace-boundary', 4, D + 'scenarios/obuf-boundary.scn',
          D + 'golden/obuf-boundary.jsonl',
          'a hard limit equal to omem (36,464) must close, one byte more must '
          'not: check the comparison and what omem counts'),
    Trace('trace-soft-reset', 4, D + 'scenarios/obuf-soft-reset.scn',
          D + 'golden/obuf-soft-reset.jsonl',
          'a client that dropped under the soft limit starts a new clock, and '
          'exactly soft_limit_seconds is still allowed'),
    Trace('trace-pubsub', 4, D + 'scenarios/obuf-pubsub.scn',
          D + 'golden/obuf-pubsub.jsonl',
          'a subscriber must be limited by the pubsub line (obuf-limit '
          'class=pubsub), a normal client by the normal line'),
    Check('live-slow-reader', 4, check_reader_closed,
          'on a live server, a client that does not read its 16 MB of replies '
          'was not closed by "normal 1mb 0 0" (or the server crashed)'),
    Check('live-log', 3, check_reader_log,
          'the server must log Redis 5.0\'s warning once, with the client\'s '
          'CLIENT LIST line taken before marking it'),
    Check('live-pubsub', 4, check_pubsub_closed,
          'on a live server, a subscriber that stopped reading was not closed '
          'by "pubsub 256kb 0 0"'),
]
