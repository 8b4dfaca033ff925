# Lab 3: processInputBuffer (and resetClient's four fields). The tests
# `make grade LAB=3` runs (grader.py says what each kind does); README.md's
# grading table lists them too.
import socket

from grader import Unit, Resp, PyRedis, Trace, Random, Check, Fail, show
import harness

TITLE = 'processInputBuffer (the input loop, resetClient, the trim)'

# The stub leaves the input loop empty: bytes pile up in querybuf and no
# request is ever parsed, so the handout's server accepts connections but
# answers nothing.
HANDOUT_ANSWERS_PING = False

L = 'test_pipeline_loop'


def raw_until_close(port, data):
    """Send DATA on a new connection; (bytes received, closed by the server?)
    once it closes it or after 1 s of silence."""
    s = socket.create_connection(('127.0.0.1', port), timeout=5)
    got, closed = b'', False
    try:
        s.sendall(data)
        s.settimeout(harness.guard(1.0))
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                closed = True
                break
            got += chunk
    finally:
        s.close()
    return got, closed


def check_quit(ctx):
    """QUIT, then INCR in the same packet: "+OK\r\n", the server closes,
    and the INCR never ran (a second connection finds no key)."""
    port = ctx.server_port()
    sent = b'QUIT\r\nINCR lab3:after-quit\r\n'
    got, closed = raw_until_close(port, sent)
    if got != b'+OK\r\n' or not closed:
        raise Fail('sent     %s\nexpected %s and the connection closed\ngot      %s%s'
                   % (show(sent), show(b'+OK\r\n'), show(got),
                      '' if closed else ' and the connection still open after 1 s'))
    got, _ = raw_until_close(port, b'EXISTS lab3:after-quit\r\nQUIT\r\n')
    if got != b':0\r\n+OK\r\n':
        raise Fail('sent     %s\nthen, on a new connection, EXISTS lab3:after-quit\n'
                   'expected %s (the INCR after QUIT never runs)\ngot      %s'
                   % (show(sent), show(b':0\r\n'), show(got[:-5] if got.endswith(
                       b'+OK\r\n') else got)))


def check_py_pipeline(r):
    # 200 replies on loopback take milliseconds: wait 1 s for them, not the
    # grader's 3 s (a mute handout would spend it on every grade).
    r.connection_pool.connection_kwargs['socket_timeout'] = harness.guard(1.0)
    p = r.pipeline(transaction=False)
    for i in range(200):
        p.incr('lab3:n')
    p.get('lab3:n')
    res = p.execute()
    if res[:200] != list(range(1, 201)) or res[200] != b'200':
        raise Fail('200 pipelined INCRs then GET: got %r ... %r' % (res[:3], res[-3:]))


TESTS = [
    Unit('unit-every-request', 4, L, ['test_loop_runs_every_request'],
         'a read holding several requests must run them all, in order, in '
         'the same call: a loop over querybuf, not one request per read'),
    Unit('unit-trim', 5, L, ['test_loop_trim_keeps_unconsumed',
                             'test_loop_querybuf_does_not_grow'],
         'after each call querybuf must hold only the unconsumed bytes, from '
         'offset 0: cut bytes 0..qb_pos-1 (sdsrange) and set qb_pos to 0'),
    Unit('unit-empty-requests', 4, L, ['test_loop_empty_requests_continue'],
         'a request with no argument ("*0\\r\\n", an empty line) must be reset '
         'with no reply, and the loop must go on to the next request'),
    Unit('unit-reset', 5, L, ['test_loop_reset_after_command',
                              'test_loop_type_per_request'],
         'after each request the client must be reset (argv freed, argc 0, '
         'reqtype 0, multibulklen 0, bulklen -1) before the next one is parsed'),
    Unit('unit-resume', 4, L, ['test_loop_resume_keeps_type'],
         'a request cut between two reads must resume with the parser it '
         'started with: choose reqtype only when it is 0'),
    Unit('unit-stops', 5, L, ['test_loop_quit_stops', 'test_loop_blocked_stops'],
         'the loop must stop for a closing client (QUIT) and for a blocked one '
         '(BLPOP), leaving the rest of querybuf unparsed'),
    Resp('resp-ping', 2, b'*1\r\n$4\r\nPING\r\n', b'+PONG\r\n',
         'one multibulk PING got no +PONG: does the loop choose the parser, '
         'call it and then processCommand?'),
    Resp('resp-pipeline', 3,
         b'*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n*1\r\n$4\r\nPING\r\n',
         b'+PONG\r\n$2\r\nhi\r\n+PONG\r\n',
         'three pipelined requests in one read were not all answered'),
    Resp('resp-mixed-types', 3, b'*1\r\n$4\r\nPING\r\nECHO x\r\n*1\r\n$4\r\nPING\r\n',
         b'+PONG\r\n$1\r\nx\r\n+PONG\r\n',
         'an inline request after a multibulk one (or the reverse) was '
         'misparsed: each new request must choose its parser afresh'),
    Resp('resp-empty-requests', 2, b'*0\r\n\r\n*-1\r\nPING\r\n', b'+PONG\r\n',
         'requests with no argument must get no reply and must not stop the '
         'PING behind them'),
    Resp('resp-resume', 3, [b'*2\r\n$4\r\nECHO\r\n$2\r\nh', b'i\r\n*1\r\n$4\r\nPI',
                            b'NG\r\n'],
         b'$2\r\nhi\r\n+PONG\r\n',
         'requests cut across reads must resume where they stopped, with the '
         'same parser'),
    Check('quit-closes', 3, check_quit,
          'after QUIT the loop must stop (CLIENT_CLOSE_AFTER_REPLY): a command '
          'pipelined behind QUIT must not run, even though its reply would be '
          'dropped'),
    PyRedis('redis-py-pipeline', 2, check_py_pipeline,
            'redis-py\'s pipeline of 200 INCRs (sent in big writes) lost or '
            'mixed up replies'),
    Trace('trace-pipeline-50', 4, 'tests/scenarios/05-pipeline-50.scn',
          'tests/golden/05-pipeline-50.jsonl',
          'fifty requests in one read: your loop turns, resets or trim differ '
          'from the reference (one trim per call, after the loop)'),
    Trace('trace-pipeline-mixed', 4, 'tests/scenarios/30-pipeline-mixed.scn',
          'tests/golden/30-pipeline-mixed.jsonl',
          'chapter 6\'s five requests in one read: your steps (reqtype, reset, '
          'trim) differ from the reference'),
    Trace('trace-resets', 3, 'exercises/03-input-loop/scenarios/loop-resets.scn',
          'exercises/03-input-loop/golden/loop-resets.jsonl',
          'eight mixed requests read 5 bytes at a time: your loop\'s steps '
          '(reqtype, reset, trim) differ from the reference'),
    Trace('trace-quit', 3, 'tests/scenarios/14-quit.scn', 'tests/golden/14-quit.jsonl',
          'after QUIT the loop must stop with a "loop-closing" step and leave '
          'the pipelined PING unparsed'),
    Trace('trace-blpop', 3, 'tests/scenarios/15-blpop-pipeline.scn',
          'tests/golden/15-blpop-pipeline.jsonl',
          'behind a blocked BLPOP the loop must stop with a "loop-blocked" step '
          'and run the rest only after the client is unblocked'),
    Trace('trace-pause', 2, 'tests/scenarios/17-client-pause.scn',
          'tests/golden/17-client-pause.jsonl',
          'while clients are paused the loop must stop with a "paused" step, '
          'before parsing anything'),
    Random('random-chops', 4, [
        (b'PING\r\n', b'+PONG\r\n'),
        (b'*1\r\n$4\r\nPING\r\n', b'+PONG\r\n'),
        (b'*0\r\n', b''),
        (b'*-1\r\n', b''),
        (b'\r\n', b''),
        (b'ECHO ab\r\n', b'$2\r\nab\r\n'),
        (b'*2\r\n$4\r\nECHO\r\n$3\r\nxyz\r\n', b'$3\r\nxyz\r\n'),
        (b'*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n', b'+OK\r\n'),
    ], 25, 'inline and multibulk requests, empty ones among them, read a few '
       'bytes at a time, gave other replies or broke a buffer invariant'),
]
