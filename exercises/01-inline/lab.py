# Lab 1: processInlineBuffer. The tests `make grade LAB=1` runs (grader.py
# says what each kind does); README.md's grading table lists them too.
from grader import Unit, Resp, Cli, PyRedis, Trace, Random, Fail

TITLE = 'processInlineBuffer (inline commands, quotes, the size limit)'
U = 'test_pipeline_inline'
BIG = b'a' * 70000


def check_py(r):
    r.set('lab1:py', 'a "b" c')
    got = r.get('lab1:py')
    if got != b'a "b" c':
        raise Fail('SET then GET lab1:py gave %r' % got)

TESTS = [
    Unit('unit-quotes', 6, U, ['test_inline_double_quotes', 'test_inline_escapes',
                               'test_inline_single_quotes', 'test_inline_empty_args_kept'],
         'quotes, escapes or empty "" arguments are not split like sdssplitargs does'),
    Unit('unit-line-ends', 4, U, ['test_inline_empty_lines', 'test_inline_lf_only'],
         'a line ending in "\\n" alone, or an empty line, is handled wrongly'),
    Unit('unit-errors', 5, U, ['test_inline_unbalanced_double',
                               'test_inline_unbalanced_single_and_glued',
                               'test_inline_unbalanced_pipelined'],
         'unbalanced quotes must give Redis 5.0\'s protocol error and close'),
    Unit('unit-size-limit', 5, U, ['test_inline_too_big', 'test_inline_64k_boundary',
                                   'test_inline_over_64k_depends_on_reads',
                                   'test_inline_nul_waits'],
         'the 64 KB limit (PROTO_INLINE_MAX_SIZE) is checked at the wrong place '
         'or with the wrong bound'),
    Resp('resp-ping', 3, b'PING\r\n', b'+PONG\r\n',
         'a plain inline PING got no +PONG: is the line parsed into argv at all?'),
    Resp('resp-lf-only', 2, b'PING\n', b'+PONG\r\n',
         'an inline line ending in "\\n" alone (no "\\r") must work too'),
    Resp('resp-split-line', 3, [b'SET k hel', b'lo\r\nGET k\r\n'],
         b'+OK\r\n$5\r\nhello\r\n',
         'a request that arrives in two reads must wait for its "\\n", then parse'),
    Resp('resp-crlf-split', 2, [b'PING\r', b'\nPING\r\n'], b'+PONG\r\n+PONG\r\n',
         '"\\r" in one read and "\\n" in the next must still be one line ending'),
    Resp('resp-pipeline', 3, b'SET a 1\r\nSET b 2\r\nGET a\r\nGET b\r\n',
         b'+OK\r\n+OK\r\n$1\r\n1\r\n$1\r\n2\r\n',
         'pipelined inline requests: qb_pos must move past each line and its ending'),
    Resp('resp-quotes', 3, b'SET "my key" \'a b\'\r\nGET "my key"\r\n',
         b'+OK\r\n$3\r\na b\r\n', 'quoted arguments must keep their spaces'),
    Resp('resp-empty-arg', 2, b'SET e ""\r\nSTRLEN e\r\n', b'+OK\r\n:0\r\n',
         'an empty "" argument is an argument: SET e "" sets an empty string'),
    Resp('resp-unbalanced', 3, b'SET k "v\r\n',
         b'-ERR Protocol error: unbalanced quotes in request\r\n',
         'unbalanced quotes: the reply must be Redis 5.0\'s exact error text'),
    Resp('resp-too-big', 3, BIG,
         b'-ERR Protocol error: too big inline request\r\n',
         '64 KB without a "\\n" must be refused with "too big inline request"'),
    Cli('cli-still-works', 1, ['SET', 'x', 'y z'], 'OK\n',
        'redis-cli (multibulk) must still work: do not break the other parser'),
    PyRedis('redis-py-still-works', 1, lambda r: check_py(r),
            'redis-py (multibulk) must still work: do not break the other parser'),
    Trace('trace-quotes', 4, 'tests/scenarios/04-inline-quotes.scn',
          'tests/golden/04-inline-quotes.jsonl',
          'your pipeline\'s buffers differ from the reference on the book\'s '
          'inline scenario'),
    Trace('trace-split', 4, 'exercises/01-inline/scenarios/inline-split.scn',
          'exercises/01-inline/golden/inline-split.jsonl',
          'byte-at-a-time reads, "\\n"-only lines and empty lines: your buffers '
          '(qb_pos, argv) differ from the reference'),
    Trace('trace-errors', 3, 'exercises/01-inline/scenarios/inline-errors.scn',
          'exercises/01-inline/golden/inline-errors.jsonl',
          'the two protocol errors must reply, close the client and leave a '
          '"protocol-error" step in the trace, as the reference does'),
    Random('random-chops', 5, [
        (b'PING\r\n', b'+PONG\r\n'),
        (b'PING\n', b'+PONG\r\n'),
        (b'\r\n', b''),
        (b'ECHO "a b"\r\n', b'$3\r\na b\r\n'),
        (b"ECHO 'x\"y'\r\n", b'$3\r\nx"y\r\n'),
        (b'ECHO "\\x41\\t"\r\n', b'$2\r\nA\t\r\n'),
        (b'SET k ""\r\n', b'+OK\r\n'),
        (b'EXISTS  nokey   nokey2\r\n', b':0\r\n'),
    ], 25, 'the same inline requests, read a few bytes at a time, gave other '
       'replies or broke a buffer invariant'),
]
