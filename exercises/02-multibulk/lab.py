# Lab 2: processMultibulkBuffer. The tests `make grade LAB=2` runs (grader.py
# says what each kind does); README.md's grading table lists them too.
from grader import Unit, Resp, Cli, PyRedis, Trace, Random, Fail

TITLE = 'processMultibulkBuffer (counts, lengths, arguments, split anywhere)'
P = 'test_pipeline_protocol'
S = 'test_pipeline_split'
# The stubs leave every multibulk request waiting, and redis-cli's PING is
# one: the handout's server starts and answers inline requests only.
HANDOUT_ANSWERS_PING = False


def check_py(r):
    big = bytes(range(256)) * 400            # 102,400 bytes: the big-arg path
    odd = b'a\r\nb\x00c\r\n'                 # "\r\n" and NUL inside a value
    r.set('lab2:big', big)
    r.set('lab2:odd', odd)
    r.set('lab2:empty', b'')
    got = r.mget('lab2:big', 'lab2:odd', 'lab2:empty')
    if got != [big, odd, b'']:
        raise Fail('SET then MGET of a 102,400-byte value, %r and "" gave '
                   'back other values (lengths %s)'
                   % (odd, [None if g is None else len(g) for g in got]))
    p = r.pipeline(transaction=False)
    p.set('lab2:big2', big)
    p.strlen('lab2:big2')
    p.echo('after')
    got = p.execute()
    if got != [True, len(big), b'after']:
        raise Fail('a pipeline SET <102,400 bytes>, STRLEN, ECHO gave %r'
                   % [g if not isinstance(g, bytes) or len(g) < 40 else g[:40]
                      for g in got])


TESTS = [
    Unit('unit-count', 5, P, ['test_proto_mbulk_len_not_number',
                              'test_proto_mbulk_len_limit',
                              'test_proto_mbulk_zero_negative'],
         'the count line: "*abc", "*+1", "*01" and over 1024 * 1024 arguments must '
         'be "invalid multibulk length"; "*1048576", "*0" and "*-1" are valid'),
    Unit('unit-bulk-len', 5, P, ['test_proto_expected_dollar',
                                 'test_proto_invalid_bulk_len',
                                 'test_proto_max_bulk_len_boundary'],
         'the length line: a missing "$", or a length that is not a number, is '
         'negative or is over proto-max-bulk-len, must get Redis 5.0\'s exact error'),
    Unit('unit-too-big', 3, P, ['test_proto_too_big_mbulk_count',
                                'test_proto_too_big_bulk_count'],
         'more than 64 KB (PROTO_INLINE_MAX_SIZE) without a "\\r" after "*" or '
         '"$" must be "too big mbulk/bulk count string", and 64 KB must still wait'),
    Unit('unit-split-state', 5, S, ['test_split_mbulk_state_table',
                                    'test_split_inside_crlf_mbulk',
                                    'test_split_second_request_partial'],
         'between two reads multibulklen, bulklen, argc and the bytes left in '
         'querybuf are not what Redis 5.0 keeps (a line or an argument is taken '
         'before all of it and its "\\r\\n" arrived, or too much is consumed)'),
    Unit('unit-big-arg', 4, P, ['test_proto_big_args_intact',
                                'test_proto_big_arg_partial_state',
                                'test_proto_big_arg_read_sizing'],
         'arguments of 32 KB (PROTO_MBULK_BIG_ARG) and more must arrive intact, '
         'with querybuf holding only the argument while it is read'),
    Resp('resp-set-get', 3,
         b'*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n',
         b'+OK\r\n$2\r\nv1\r\n',
         'SET then GET in one read: after each argument qb_pos must step over '
         'its bytes AND the two bytes of its "\\r\\n"'),
    Resp('resp-count-crlf-split', 3, [b'*1\r', b'\n$4\r\nPING\r\n'], b'+PONG\r\n',
         '"*1\\r" then "\\n...": a count line whose "\\r" is the last byte read '
         'must wait for the byte after it'),
    Resp('resp-split-arg', 3, [b'*2\r\n$4\r\nECHO\r\n$5\r\nhel', b'lo\r\n'],
         b'$5\r\nhello\r\n',
         'an argument cut between two reads: bulklen, multibulklen and argc must '
         'keep their values until the rest arrives'),
    Resp('resp-binary-arg', 2, b'*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n',
         b'$4\r\na\r\nb\r\n',
         'an argument is exactly bulklen bytes whatever they are ("\\r\\n" '
         'inside is data), and the two bytes after it are not part of it'),
    Resp('resp-empty-arg', 2, b'*2\r\n$4\r\nECHO\r\n$0\r\n\r\n', b'$0\r\n\r\n',
         '"$0\\r\\n\\r\\n" is an empty argument: ECHO "" replies "$0\\r\\n\\r\\n"'),
    Resp('resp-zero-count', 2, b'*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n', b'+PONG\r\n',
         '"*0\\r\\n" and "*-1\\r\\n" are no command: no reply, and the request '
         'after them runs'),
    Resp('resp-expected-dollar', 2, b'*1\r\nPING\r\n',
         b"-ERR Protocol error: expected '$', got 'P'\r\n",
         'a line that does not start with "$" where a length must be: the reply '
         'is "expected \'$\', got \'P\'", naming the byte found'),
    Cli('cli-echo', 1, ['ECHO', 'two words\tand a tab'], 'two words\tand a tab\n',
        'redis-cli sends multibulk: ECHO of one argument holding blanks must '
        'come back unchanged'),
    PyRedis('redis-py-values', 3, check_py,
            'redis-py: a 102,400-byte value, binary values and a pipeline must '
            'come back byte for byte'),
    Trace('trace-one-byte', 3, 'tests/scenarios/03-one-byte-reads.scn',
          'tests/golden/03-one-byte-reads.jsonl',
          'read one byte at a time, each count, length line and argument must '
          'wait ("need-more") until all of it and its "\\r\\n" are in querybuf, '
          'as in the book\'s scenario'),
    Trace('trace-split', 4, 'exercises/02-multibulk/scenarios/mbulk-split.scn',
          'exercises/02-multibulk/golden/mbulk-split.jsonl',
          'reads of 1-3 bytes over empty, binary and two-digit arguments, "*0", '
          '"*-1" and unchecked line ends: your buffers (qb_pos, multibulklen, '
          'bulklen, argc) differ from the reference'),
    Trace('trace-big-arg', 4, 'tests/scenarios/13-big-arg.scn',
          'tests/golden/13-big-arg.jsonl',
          'a 40,000-byte argument that fills querybuf exactly must be adopted '
          '(a "big-arg" step, querybuf replaced by an empty one), not copied'),
    Trace('trace-errors', 4, 'exercises/02-multibulk/scenarios/mbulk-errors.scn',
          'exercises/02-multibulk/golden/mbulk-errors.jsonl',
          'each protocol error must reply, leave a "protocol-error" step and '
          'close the client as the reference does, and 1024 * 1024 arguments '
          'must still be accepted'),
    Trace('trace-unauth', 3, 'tests/scenarios/25-unauth-limits.scn',
          'tests/golden/25-unauth-limits.jsonl',
          'with requirepass, before AUTH: "*10" must be parsed (then -NOAUTH), '
          '"*11" and "$16385" refused with an "unauth-limit" step and closed '
          '(CVE-2021-32675, after the other checks)'),
    Random('random-chops', 5, [
        (b'*1\r\n$4\r\nPING\r\n', b'+PONG\r\n'),
        (b'*2\r\n$4\r\nECHO\r\n$0\r\n\r\n', b'$0\r\n\r\n'),
        (b'*2\r\n$4\r\nECHO\r\n$4\r\n\r\n\r\n\r\n', b'$4\r\n\r\n\r\n\r\n'),
        (b'*2\r\n$4\r\nECHO\r\n$12\r\nhello world!\r\n', b'$12\r\nhello world!\r\n'),
        (b'*0\r\n', b''),
        (b'*-1\r\n', b''),
        (b'*3\r\n$6\r\nEXISTS\r\n$1\r\nx\r\n$1\r\ny\r\n', b':0\r\n'),
        (b'PING\r\n', b'+PONG\r\n'),
    ], 25, 'the same multibulk requests, read a few bytes at a time, gave other '
       'replies or broke a buffer invariant'),
]
