# Lab 5: writeToClient and handleClientsWithPendingWrites. The tests
# `make grade LAB=5` runs (grader.py says what each kind does); README.md's
# grading table lists them too.
import json
import os
import socket
import time

import harness
from grader import Unit, Resp, PyRedis, Trace, Random, Check, Fail, recv_upto

TITLE = 'writeToClient and handleClientsWithPendingWrites (sentlen, blocks, EAGAIN, the 64 KB cap)'
W = 'test_pipeline_write'
B = 'test_pipeline_burst'

BIG = b'0123456789' * 30000            # 300,000 bytes: c->buf, then blocks
SET_BIG = (b'*3\r\n$3\r\nSET\r\n$8\r\nlab5:big\r\n$300000\r\n' + BIG + b'\r\n')
GET_BIG = b'*2\r\n$3\r\nGET\r\n$8\r\nlab5:big\r\n'
BULK_BIG = b'$300000\r\n' + BIG + b'\r\n'


def check_mget(r):
    """50 values of 10,000 bytes: one 500 KB MGET reply (many blocks, the
    cap, the write handler), read by redis-py."""
    vals = {'lab5:k%d' % i: (b'%05d' % i) * 2000 for i in range(50)}
    r.mset(vals)
    got = r.mget(list(vals))
    for (k, v), g in zip(vals.items(), got):
        if g != v:
            raise Fail('MGET: %s came back as %d bytes starting %r, want %d bytes '
                       'starting %r' % (k, len(g or b''), (g or b'')[:20], len(v), v[:20]))


def recv_exact(s, n):
    """N bytes from S, or fewer if none come for a second (a reply on
    loopback, or none)."""
    return recv_upto(s, n, harness.guard(1.0), exact=True)


def client_id(s):
    s.sendall(b'CLIENT ID\r\n')
    line = b''
    while not line.endswith(b'\r\n'):
        data = s.recv(1)
        if not data:
            raise Fail('CLIENT ID got no reply')
        line += data
    return int(line[1:-2])


def live_handler(ctx):
    """A live server records a trace (CONFIG SET trace-file) while client S
    gets ten small replies and client G one 300,011-byte reply; 0.2 s later
    the trace stops. S must have had no write handler at all; every handler
    call of G (the 64 KB cap leaves bytes for it) must write something."""
    port = ctx.server_port()
    path = os.path.join(ctx.out, 'live-write-handler.jsonl')
    ctl = socket.create_connection(('127.0.0.1', port), timeout=5)
    small = socket.create_connection(('127.0.0.1', port), timeout=5)
    big = socket.create_connection(('127.0.0.1', port), timeout=5)
    try:
        ctl.sendall(SET_BIG)
        if recv_exact(ctl, 5) != b'+OK\r\n':
            raise Fail('SET of a 300,000-byte value did not answer +OK')
        sid, gid = client_id(small), client_id(big)
        cmd = ('CONFIG SET trace-file %s\r\n' % path).encode()
        ctl.sendall(cmd)
        if recv_exact(ctl, 5) != b'+OK\r\n':
            raise Fail('CONFIG SET trace-file failed')
        for i in range(10):
            small.sendall(b'PING\r\n')
            if recv_exact(small, 7) != b'+PONG\r\n':
                raise Fail('PING number %d got no +PONG' % (i + 1))
        big.sendall(GET_BIG)
        got = recv_exact(big, len(BULK_BIG))
        if got != BULK_BIG:
            raise Fail('GET of the 300,000-byte value: got %d bytes, want %d'
                       % (len(got), len(BULK_BIG)))
        time.sleep(0.2)
        ctl.sendall(b'CONFIG SET trace-file ""\r\n')
        recv_exact(ctl, 5)
    finally:
        for s in (ctl, small, big):
            s.close()
    count, empty, last = {}, 0, None
    with open(path, encoding='utf-8') as f:
        for ln in f:
            ev = json.loads(ln)
            key = (ev.get('tid'), ev.get('cat'))
            count[key] = count.get(key, 0) + 1
            if ev.get('tid') == gid and key[1] in ('writable', 'write'):
                # a handler call that wrote nothing: the previous writable
                # was not followed by any write
                if key[1] == 'writable' and last == 'writable':
                    empty += 1
                last = key[1]
    if last == 'writable':
        empty += 1
    rel = os.path.relpath(path, ctx.root)
    if count.get((sid, 'write-handler'), 0):
        raise Fail('client %d got ten replies of 7 bytes, each written whole '
                   'by the direct write, yet the trace shows %d "write-handler" '
                   'steps (installing sendReplyToClient): only bytes left over '
                   'need the handler\ntrace: %s'
                   % (sid, count[(sid, 'write-handler')], rel))
    # The reference's handler is called only while bytes are pending, so
    # each call writes something (a socket reported writable has room).
    # Allow two calls that wrote nothing; a handler never removed makes
    # thousands in 0.2 s.
    if empty > 2:
        raise Fail('client %d: after its 300,011-byte reply was out the '
                   'handler kept firing: %d "writable" steps wrote nothing '
                   '(%d in all); it must be removed with the last byte (a '
                   'busy loop otherwise)\ntrace: %s'
                   % (gid, empty, count.get((gid, 'writable'), 0), rel))


TESTS = [
    Unit('unit-buf-sentlen', 4, W, ['test_write_buf_partial_sentlen'],
         'a write cut short: sentlen must grow by what write() took, the next '
         'write must start at c->buf + sentlen, and bufpos must stay until all '
         'of c->buf is out'),
    Unit('unit-buf-reset', 3, W, ['test_write_buf_reset'],
         'once all of c->buf is written, bufpos and sentlen must both go back '
         'to 0, so the next reply starts at c->buf + 0'),
    Unit('unit-blocks', 5, W, ['test_write_block_freed'],
         'a reply block fully sent must leave the list, its size must leave '
         'reply_bytes, and sentlen must start again at 0 for the next block'),
    Unit('unit-eagain', 3, W, ['test_write_eagain_keeps_client'],
         'EAGAIN (the socket is full) is not an error: the client must stay, '
         'its reply still queued'),
    Unit('unit-write-error', 3, W, ['test_write_epipe_frees_client'],
         'a real write error (EPIPE: the peer is gone) must free the client '
         'and return C_ERR'),
    Unit('unit-close-after-reply', 3, W, ['test_write_close_after_reply'],
         'after QUIT the client must be freed once the last byte of its '
         'replies is out: not before, and not never'),
    Unit('unit-cap', 4, B, ['test_burst_write_cap', 'test_burst_write_cap_big_replies'],
         'one writeToClient call must stop, between two writes, once it has '
         'written more than 64 KB (NET_MAX_WRITES_PER_EVENT)'),
    Unit('unit-cap-exempt', 3, W, ['test_write_cap_lifted_over_maxmemory',
                                   'test_write_cap_lifted_for_slave'],
         'over maxmemory, and for a CLIENT_SLAVE client (a replica or MONITOR), '
         'the 64 KB cap must be lifted (Redis 5.0.14): one call writes everything'),
    Unit('unit-direct-write', 3, W, ['test_handle_direct_no_handler',
                                     'test_handle_pending_list'],
         'handleClientsWithPendingWrites must take every client off the '
         'list, skip protected ones, write directly, and install no write '
         'handler when everything went out'),
    Unit('unit-handler', 3, W, ['test_handle_handler_installed_then_removed'],
         'bytes left after the direct write need sendReplyToClient as the '
         'AE_WRITABLE handler, and once everything is sent it must be removed'),
    Resp('resp-pipeline', 2, b'INCR lab5:n\r\n' * 200,
         b''.join(b':%d\r\n' % i for i in range(1, 201)),
         '200 pipelined replies in c->buf: not all of them came back, in order'),
    Resp('resp-big-reply', 3, SET_BIG + GET_BIG, b'+OK\r\n' + BULK_BIG,
         'a 300,011-byte reply (c->buf, then blocks, the cap, the handler) did '
         'not arrive byte-exact'),
    PyRedis('redis-py-mget', 3, check_mget,
            'redis-py: a 500 KB MGET reply of 50 values came back wrong or not '
            'at all'),
    Check('live-write-handler', 3, live_handler,
          'on a live server the write handler must be installed only when '
          'bytes are left after the direct write, and removed once all is sent'),
    Trace('trace-short-writes', 2, 'tests/scenarios/08-short-writes.scn',
          'tests/golden/08-short-writes.jsonl',
          'a socket taking 7 bytes per write: your sentlen, bufpos or write '
          'steps differ from the reference'),
    Trace('trace-partial-blocks', 3, 'tests/scenarios/36-partial-blocks.scn',
          'tests/golden/36-partial-blocks.jsonl',
          '20,010 bytes through a 6,000-byte window: c->buf, then two blocks, '
          'EAGAIN, the handler; your steps differ from the reference'),
    Trace('trace-write-cap', 3, 'tests/scenarios/37-write-cap.scn',
          'tests/golden/37-write-cap.jsonl',
          '80,020 bytes on a socket that takes everything: the reference stops '
          'at the 64 KB cap ("cap" step) and finishes with the handler'),
    Trace('trace-slow-reader', 2, 'tests/scenarios/09-slow-reader.scn',
          'tests/golden/09-slow-reader.jsonl',
          'a client that never reads (EAGAIN every time) must keep its reply '
          'and its handler while another client is served'),
    Trace('trace-write-mix', 3, 'exercises/05-writing/scenarios/write-mix.scn',
          'exercises/05-writing/golden/write-mix.jsonl',
          'three sockets (fast, 5,000 bytes per write, never read) and a QUIT '
          'behind a big reply: your steps differ from the reference'),
    Random('random-big-echo', 3, [
        (b'PING\r\n', b'+PONG\r\n'),
        (b'ECHO ' + b'a' * 17000 + b'\r\n', b'$17000\r\n' + b'a' * 17000 + b'\r\n'),
        (b'ECHO ' + b'b' * 16376 + b'\r\n', b'$16376\r\n' + b'b' * 16376 + b'\r\n'),
        (b'ECHO xyz\r\n', b'$3\r\nxyz\r\n'),
    ], 6, 'replies of 7 bytes to 17 KB, pipelined in a random order, came back '
       'wrong or out of order, or broke a buffer invariant', max_read=5000),
]
