# Lab 4: the reply buffers. The tests `make grade LAB=4` runs (grader.py
# says what each kind does); README.md's grading table lists them too.
from grader import Unit, Resp, Cli, PyRedis, Trace, Random, Fail

TITLE = '_addReplyToBuffer, _addReplyStringToList, deferred lengths'
U = 'test_pipeline_buffers'
V = b'v' * 20000                      # a value bigger than c->buf
ECHOS = b'ECHO ab\r\n' * 2049         # 2,048 x 8 bytes fill c->buf exactly


def check_py(r):
    big = b'%09d|' % 0 * 10000        # 100,000 bytes, several blocks
    r.set('lab4:py:big', big)
    got = r.get('lab4:py:big')
    if got != big:
        raise Fail('SET then GET of a 100,000-byte value gave %d bytes%s'
                   % (len(got or b''), '' if got is None or len(got) != len(big)
                      else ', not the same bytes'))
    keys = ['lab4:py:%d' % i for i in range(600)]
    # 100 bytes, no two alike and no repeating pattern, so a fragment
    # copied twice or cut at the wrong place shows
    want = [bytes(97 + (i * 7 + j * j) % 26 for j in range(100)) for i in range(600)]
    r.mset(dict(zip(keys, want)))
    vals = r.mget(keys)
    if vals != want:
        raise Fail('MGET of 600 values of 100 bytes (64,806 bytes: c->buf, '
                   'then blocks) gave other values')
    found = sorted(r.keys('lab4:py:*'))
    if len(found) != 601:
        raise Fail('KEYS lab4:py:* gave %d keys, expected 601' % len(found))


TESTS = [
    Unit('unit-buf', 5, U, ['test_buf_fill_exactly_then_spill',
                            'test_buf_big_get_after_small'],
         'c->buf must take every fragment that fits, up to exactly 16,384 bytes, '
         'and refuse the first one that does not'),
    Unit('unit-order', 5, U, ['test_reply_order_list_first',
                              'test_buf_big_get_goes_to_list'],
         'once c->reply holds a block, c->buf must refuse every fragment, or a '
         'small reply overtakes a big one'),
    Unit('unit-blocks', 6, U, ['test_reply_tail_fill_split', 'test_reply_block_sizes'],
         'the tail block must be filled up to its size, the rest go to a new '
         'block of max(len, 16 KB)'),
    Unit('unit-reply-bytes', 4, U, ['test_buf_client_list_fields',
                                    'test_reply_tail_fill_split'],
         'c->reply_bytes must grow by each new block\'s size (CLIENT LIST omem '
         'and the output buffer limits read it)'),
    Unit('unit-closing', 3, U, ['test_reply_closing_drops'],
         'with CLIENT_CLOSE_AFTER_REPLY both functions must drop the bytes '
         '(and _addReplyToBuffer answer C_OK)'),
    Unit('unit-deferred', 6, U, ['test_buf_deferred_len_empty',
                                 'test_buf_deferred_len_placement',
                                 'test_reply_deferred_next_full',
                                 'test_reply_deferred_nested'],
         'the deferred "*<count>" header must be glued in front of the next '
         'block when it fits, or get a block of its own'),
    Resp('resp-ping', 2, b'PING\r\n', b'+PONG\r\n',
         'a plain PING got no +PONG: does any reply reach c->buf or c->reply?'),
    Resp('resp-big-then-small', 3,
         [b'*3\r\n$3\r\nSET\r\n$8\r\nlab4:big\r\n$20000\r\n' + V + b'\r\n',
          b'GET lab4:big\r\nPING\r\n'],
         b'+OK\r\n$20000\r\n' + V + b'\r\n+PONG\r\n',
         'a 20,000-byte reply then "+PONG": PONG came out in the wrong place '
         '(c->buf used while the list held bytes?)'),
    Resp('resp-exact-fill', 3, ECHOS + b'PING\r\n', b'$2\r\nab\r\n' * 2049 + b'+PONG\r\n',
         '2,049 replies of 8 bytes then +PONG (c->buf full to the last byte, '
         'then the list): bytes lost, doubled or reordered'),
    Resp('resp-keys', 3, b'SET lab4:k1 1\r\nKEYS lab4:k*\r\nKEYS lab4:none*\r\nPING\r\n',
         b'+OK\r\n*1\r\n$7\r\nlab4:k1\r\n*0\r\n+PONG\r\n',
         'KEYS must answer "*<count>\\r\\n" before its elements: the deferred '
         'length is missing, misplaced or wrong'),
    Resp('resp-keys-after-spill', 3, ECHOS + b'SET lab4:s1 1\r\nKEYS lab4:s*\r\n',
         b'$2\r\nab\r\n' * 2049 + b'+OK\r\n*1\r\n$7\r\nlab4:s1\r\n',
         'a KEYS reply behind a full c->buf and a block: the "*1" header must '
         'still come first'),
    Cli('cli-config-get', 1, ['CONFIG', 'GET', 'maxclients'], 'maxclients\n10000\n',
        'redis-cli CONFIG GET (a deferred length of 2) printed something else'),
    PyRedis('redis-py-values', 2, check_py,
            'redis-py: a 100,000-byte value, MGET of 600 values or KEYS came back '
            'wrong'),
    Trace('trace-big-reply', 3, 'tests/scenarios/06-big-reply.scn',
          'tests/golden/06-big-reply.jsonl',
          'a 20,000-byte GET: your c->buf, blocks or reply_bytes differ from the '
          'reference (the book\'s scenario)'),
    Trace('trace-exact-spill', 3, 'tests/scenarios/07-buf-exact-spill.scn',
          'tests/golden/07-buf-exact-spill.jsonl',
          '16 replies of 1,024 bytes fill c->buf exactly, the 17th spills: your '
          'steps differ from the reference'),
    Trace('trace-blocks', 4, 'exercises/04-reply-buffers/scenarios/reply-blocks.scn',
          'exercises/04-reply-buffers/golden/reply-blocks.jsonl',
          'a value split between a block\'s free room and a new block, a '
          'placeholder, a glued header: your blocks differ from the reference'),
    Trace('trace-deferred', 4, 'tests/scenarios/34-deferred-len.scn',
          'tests/golden/34-deferred-len.jsonl',
          'KEYS\' placeholder, the header glued or in its own block: your steps '
          'differ from the reference'),
    Trace('trace-closing', 3, 'tests/scenarios/35-closing-drop.scn',
          'tests/golden/35-closing-drop.jsonl',
          'a PUBLISH to a client that sent QUIT: its bytes must be dropped '
          '(reply-closing), not queued'),
    Random('random-chops', 4, [
        (b'PING\r\n', b'+PONG\r\n'),
        (b'ECHO ' + b'e' * 3000 + b'\r\n', b'$3000\r\n' + b'e' * 3000 + b'\r\n'),
        (b'ECHO ' + b'f' * 9000 + b'\r\n', b'$9000\r\n' + b'f' * 9000 + b'\r\n'),
        (b'KEYS nomatch*\r\n', b'*0\r\n'),
        (b'GET nokey\r\n', b'$-1\r\n'),
        (b'CONFIG GET hz\r\n', b'*2\r\n$2\r\nhz\r\n$2\r\n10\r\n'),
    ], 15, 'the same requests, read a few bytes at a time, gave other replies '
       'or broke a buffer invariant (reply_bytes, used <= size)', max_read=700),
]
