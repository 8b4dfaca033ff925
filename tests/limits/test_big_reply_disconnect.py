#!/usr/bin/python3
"""test_big_reply_disconnect.py - a client vanishes in the middle of a big
reply.

A 50 MB value is stored; a client GETs it, reads 1 MB of the reply and
closes its socket. The server notices in one of three ways, all logged at
verbose level (the server runs with --loglevel verbose), and in each it
frees the client and goes on:
  - unread reply bytes were waiting in the client's socket, so the kernel
    answered the close with a reset: the next read(2) fails, "Reading from
    client: Connection reset by peer" (the usual case);
  - or the next write(2) fails first: "Error writing to client: ...";
  - or the client had read every byte that had arrived when it closed (a
    slow server, e.g. under ASan, and a quick reader): the kernel sent a
    plain FIN, read(2) returns 0, "Client closed connection".
Which one happens depends on timing, not on the server's correctness;
Redis 5.0 and 7.0 log the same three lines in the same cases. Another client is
served all along; the client count returns to what it was and the memory
the reply held is given back (used_memory back near its level before the
GET).
"""
import sys
import time

from limitslib import harness, info_field, log_text, wait_until, ping_ms
from harness import Reporter, Server, check, resp

SIZE = 50 * 1024 * 1024


def main():
    rep = Reporter()
    srv = harness.start_or_fail(rep, 'big-reply-disconnect',
                                Server(['--loglevel', 'verbose']))
    if srv is None:
        return 1
    try:
        # Stored from a connection of its own, closed at once, so its
        # 50 MB query buffer is gone before memory is measured.
        with srv.connect(timeout=20.0) as setter:
            setter.send(resp('SET', 'huge', b'h' * SIZE))
            check(setter.read_reply() == b'+OK\r\n', 'SET of 50 MB failed')
        c = srv.connect(timeout=20.0)
        time.sleep(0.3)
        clients = int(info_field(c, 'connected_clients', 'clients'))
        mem = int(info_field(c, 'used_memory', 'memory'))
        with rep.case('big-reply-disconnect-midway', srv):
            # Only log lines written after this point are this client's.
            log_before = len(log_text(srv).splitlines())
            g = srv.connect()
            g.send(resp('GET', 'huge'))
            got = 0
            while got < 1 << 20:
                chunk = g.sock.recv(1 << 16)
                check(chunk, 'closed after %d bytes' % got)
                got += len(chunk)
            g.close()
            # Usually a reset (unread bytes), seen by read(2) or write(2);
            # a plain FIN when nothing was unread (see the file's top).
            line = wait_until(lambda: [
                l for l in log_text(srv).splitlines()[log_before:]
                if 'Reading from client: Connection reset' in l or
                'Error writing to client' in l or
                'Client closed connection' in l], timeout=10,
                what='the close noticed and logged')[0]
            print('    log: ' + line.split('# ', 1)[-1].split('* ', 1)[-1])
        with rep.case('big-reply-disconnect-server-goes-on', srv):
            print('    PING answered in %.1f ms' % ping_ms(c))
            c.expect(('STRLEN', 'huge'), b':%d\r\n' % SIZE)
        with rep.case('big-reply-disconnect-no-leak', srv):
            wait_until(lambda: int(info_field(c, 'connected_clients',
                                              'clients')) == clients,
                       what='connected_clients back to %d' % clients)
            now = wait_until(
                lambda: (lambda m: m if m - mem < (1 << 20) else None)(
                    int(info_field(c, 'used_memory', 'memory'))),
                what='used_memory back within 1 MB of %d' % mem)
            print('    used_memory before GET %d, after %d' % (mem, now))
        c.close()
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
