#!/usr/bin/python3
"""test_big_replies.py - replies far larger than the 16 KB static reply
buffer (client.buf, PROTO_REPLY_CHUNK_BYTES), read over a raw socket and
compared byte for byte with the RESP the server must send:

  MGET of 50 keys x 10 KB  ->  "*50\\r\\n" + 50 x ("$10240\\r\\n" + value + "\\r\\n")
                               = 512,505 bytes
  GET of a 1 MB value      ->  "$1048576\\r\\n" + value + "\\r\\n"
                               = 1,048,588 bytes

Values are distinct per key and contain every byte value (CR and LF too),
so a reply that repeats, drops or reorders a 16 KB block cannot pass.
"""
import sys

import harness
from harness import Reporter, Server, bulk, check_eq, resp


def pattern(seed, size):
    """size bytes, different for each seed, every byte value present."""
    block = bytes((i * 31 + seed * 7 + (i >> 8)) & 0xff for i in range(4096))
    return (block * (size // 4096 + 1))[:size]


def main():
    rep = Reporter()
    srv = harness.start_or_fail(rep, 'big-replies', Server())
    if srv is None:
        return 1
    try:
        with rep.case('big-reply-mget-50x10k', srv), srv.connect(10) as c:
            vals = [pattern(k, 10240) for k in range(50)]
            args = ['MSET']
            for k, v in enumerate(vals):
                args += ['big:%d' % k, v]
            c.expect(tuple(args), b'+OK\r\n', 'MSET 50 x 10 KB')
            want = b'*50\r\n' + b''.join(bulk(v) for v in vals)
            check_eq(len(want), 512505, 'expected reply size')
            c.send(resp('MGET', *['big:%d' % k for k in range(50)]))
            check_eq(c.read_exact(len(want)), want, 'MGET reply')
            c.nothing_more()

        with rep.case('big-reply-get-1mb', srv), srv.connect(10) as c:
            v = pattern(99, 1 << 20)
            c.expect(('SET', 'big:1m', v), b'+OK\r\n', 'SET 1 MB')
            want = bulk(v)
            check_eq(len(want), 1048588, 'expected reply size')
            c.send(resp('GET', 'big:1m'))
            check_eq(c.read_exact(len(want)), want, 'GET 1 MB reply')
            c.nothing_more()
            # The same reply twice in one write: two replies back to back.
            c.send(resp('GET', 'big:1m') + resp('GET', 'big:1m'))
            check_eq(c.read_exact(2 * len(want)), want + want,
                     'two pipelined GET 1 MB replies')
            c.nothing_more()
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
