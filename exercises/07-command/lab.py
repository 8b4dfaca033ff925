# Lab 7: LRANGE end to end, its row in the command table and its body.
# The tests `make grade LAB=7` runs (grader.py says what each kind does);
# README.md's grading table lists them too. Expected bytes are Redis
# 5.0.14's (t_list.c lrangeCommand, server.c redisCommandTable and
# processCommand at tag 5.0.14); where 7.0.15 answers the same, it was
# checked against Debian's redis-server 7.0.15 too.
from grader import Unit, Resp, Cli, PyRedis, Trace, Random, Fail

TITLE = 'LRANGE end to end (command table row, arity, errors, multibulk reply)'
U = 'test_list'
ARITY = b"-ERR wrong number of arguments for 'lrange' command\r\n"
NOTINT = b'-ERR value is not an integer or out of range\r\n'
WRONGTYPE = b'-WRONGTYPE Operation against a key holding the wrong kind of value\r\n'
OOM = b"-OOM command not allowed when used memory > 'maxmemory'.\r\n"


def bulks(*items):
    """The array reply LRANGE sends for ITEMS (bytes)."""
    return b'*%d\r\n' % len(items) + b''.join(b'$%d\r\n%s\r\n' % (len(i), i)
                                               for i in items)


def mbulk(*args):
    """ARGS as one multibulk request, as redis-cli and redis-py send."""
    return bulks(*args)


def check_py(r):
    import redis
    k = 'lab7:py'
    r.delete(k)
    r.rpush(k, 'a', 'b', 'c', 'd', 'e')
    for start, end, want in ((0, -1, 'abcde'), (1, -2, 'bcd'), (-2, -1, 'de'),
                             (-100, 100, 'abcde'), (3, 1, ''), (5, 9, '')):
        got = r.lrange(k, start, end)
        if got != [x.encode() for x in want]:
            raise Fail('r.lrange(%r, %d, %d) gave %r, want %r'
                       % (k, start, end, got, [x.encode() for x in want]))
    got = r.lrange('lab7:py-missing', 0, -1)
    if got != []:
        raise Fail('r.lrange on a missing key gave %r, want [] ("*0\\r\\n")' % got)
    r.set('lab7:py-str', 'v')
    try:
        got = r.lrange('lab7:py-str', 0, -1)
    except redis.ResponseError as e:
        if not str(e).startswith('WRONGTYPE'):
            raise Fail('r.lrange on a string raised %r, want WRONGTYPE' % str(e))
    else:
        raise Fail('r.lrange on a string gave %r, want a WRONGTYPE error' % got)


TESTS = [
    Unit('unit-row', 4, U, ['test_lrange_table_row'],
         'LRANGE\'s row in redisCommandTable is missing or differs from Redis '
         '5.0.14\'s: name, function, arity, flags or key positions'),
    Unit('unit-indexes', 6, U, ['test_lrange_indexes'],
         'negative indexes, or indexes past either end of the list, select '
         'the wrong elements'),
    Unit('unit-empty', 4, U, ['test_lrange_empty'],
         'a range with no element, or a missing key, must reply the empty '
         'array "*0\\r\\n"'),
    Unit('unit-errors', 4, U, ['test_lrange_errors'],
         'the errors (arity, not an integer, WRONGTYPE) differ from Redis '
         '5.0.14\'s texts or come in another order'),
    Resp('resp-lookup', 2, b'lrange lab7:case 0 -1\r\nLrAnGe lab7:case 0 -1\r\n',
         b'*0\r\n*0\r\n',
         'LRANGE is not found in the command table, in any case of its letters: '
         'without its row it gets "-ERR unknown command"'),
    Resp('resp-basic', 3, b'RPUSH lab7:basic a b c\r\nLRANGE lab7:basic 0 -1\r\n',
         b':3\r\n' + bulks(b'a', b'b', b'c'),
         'LRANGE key 0 -1 must reply every element, in order, as an array '
         'of bulk strings'),
    Resp('resp-negative', 3,
         b'RPUSH lab7:neg a b c\r\nLRANGE lab7:neg -2 -1\r\nLRANGE lab7:neg -100 0\r\n',
         b':3\r\n' + bulks(b'b', b'c') + bulks(b'a'),
         'a negative index counts from the end (-1 is the last element), and a '
         'start still below 0 after that becomes 0'),
    Resp('resp-clamp', 3,
         b'RPUSH lab7:clamp a b c\r\nLRANGE lab7:clamp 1 100\r\n'
         b'LRANGE lab7:clamp 3 9\r\nLRANGE lab7:clamp 2 1\r\n',
         b':3\r\n' + bulks(b'b', b'c') + b'*0\r\n*0\r\n',
         'a stop past the end is cut to the last element; a start at or past '
         'the end, or after stop, gives "*0\\r\\n"'),
    Resp('resp-missing-key', 2, b'LRANGE lab7:missing 0 -1\r\n', b'*0\r\n',
         'a missing key is an empty list: "*0\\r\\n", not a nil ("$-1" or "*-1")'),
    Resp('resp-arity', 3, b'LRANGE lab7:a 0\r\nLRANGE lab7:a 0 1 2\r\n', ARITY * 2,
         'LRANGE takes exactly 4 words: 3 and 5 must both be refused by the '
         'arity check (arity 4, not -4)'),
    Resp('resp-not-integer', 3,
         b'LRANGE lab7:missing a 1\r\nLRANGE lab7:missing 0 1.5\r\n'
         b'SET lab7:nint v\r\nLRANGE lab7:nint x 0\r\n',
         NOTINT * 2 + b'+OK\r\n' + NOTINT,
         'start and stop must be parsed as integers, with Redis 5.0.14\'s error, '
         'before the key is looked up'),
    Resp('resp-wrongtype', 2, b'SET lab7:str v\r\nLRANGE lab7:str 0 -1\r\n',
         b'+OK\r\n' + WRONGTYPE,
         'LRANGE on a key that holds a string must reply -WRONGTYPE'),
    Resp('resp-binary', 2,
         mbulk(b'RPUSH', b'lab7:bin', b'a\r\nb', b'', b'\x00z') +
         mbulk(b'LRANGE', b'lab7:bin', b'0', b'-1'),
         b':3\r\n' + bulks(b'a\r\nb', b'', b'\x00z'),
         'elements with "\\r\\n", NUL bytes or no bytes at all must come back '
         'as bulk strings of their exact length'),
    Resp('resp-command-info', 3, b'COMMAND INFO lrange\r\n',
         b'*1\r\n*6\r\n$6\r\nlrange\r\n:4\r\n*1\r\n+readonly\r\n:1\r\n:1\r\n:1\r\n',
         'COMMAND INFO lrange prints LRANGE\'s table row (a nil if there is '
         'none): its name, arity, flags or key positions differ from Redis 5.0.14\'s'),
    Resp('resp-oom', 3,
         b'CONFIG SET maxmemory 1\r\nLRANGE lab7:missing 0 -1\r\n'
         b'RPUSH lab7:oom a\r\nCONFIG SET maxmemory 0\r\n',
         b'+OK\r\n*0\r\n' + OOM + b'+OK\r\n',
         'over maxmemory LRANGE must still run: only commands flagged \'m\' '
         '(RPUSH) are refused with -OOM'),
    Cli('cli-arity', 2, ['lrange', 'lab7:cli', '0'],
        "ERR wrong number of arguments for 'lrange' command\n\n",
        'redis-cli: LRANGE with a missing index must get the arity error'),
    PyRedis('redis-py', 3, check_py,
            'redis-py\'s lrange() got other elements than the list\'s (a missing '
            'key must give [], a string a WRONGTYPE error)'),
    Trace('trace-ranges', 5, 'exercises/07-command/scenarios/lrange-ranges.scn',
          'exercises/07-command/golden/lrange-ranges.jsonl',
          'your LRANGE differs from the reference on six ranges: the "range" '
          'step (start, end, llen) or the reply fragments'),
    Trace('trace-refused', 3, 'exercises/07-command/scenarios/lrange-refused.scn',
          'exercises/07-command/golden/lrange-refused.jsonl',
          'the refusals (OOM, arity, not an integer, unknown command) differ '
          'from the reference\'s steps'),
    Random('random-chops', 4, [
        (b'RPUSH lab7:r1 a b c\r\nLRANGE lab7:r1 -2 -1\r\nDEL lab7:r1\r\n',
         b':3\r\n' + bulks(b'b', b'c') + b':1\r\n'),
        (mbulk(b'RPUSH', b'lab7:r2', b'x\r\ny') + mbulk(b'LRANGE', b'lab7:r2', b'0', b'-1')
         + mbulk(b'DEL', b'lab7:r2'), b':1\r\n' + bulks(b'x\r\ny') + b':1\r\n'),
        (b'RPUSH lab7:r3 a b c d\r\nLRANGE lab7:r3 1 100\r\nLRANGE lab7:r3 4 9\r\n'
         b'DEL lab7:r3\r\n', b':4\r\n' + bulks(b'b', b'c', b'd') + b'*0\r\n:1\r\n'),
        (b'LRANGE lab7:none 0 -1\r\n', b'*0\r\n'),
        (b'LRANGE lab7:none a 1\r\n', NOTINT),
        (b'LRANGE lab7:none 0\r\n', ARITY),
    ], 20, 'LRANGE requests read a few bytes at a time gave other replies, or '
       'broke a buffer invariant (minired-trace check)'),
]
