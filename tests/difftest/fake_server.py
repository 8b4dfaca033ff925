#!/usr/bin/python3
"""fake_server.py - a tiny RESP server for the difftest self-test only.

Where this sits: tests/difftest/test_difftest.py starts two of these as the
"candidate" and the "reference" of difftest.py's Runner, to prove that the
shrinker shrinks: they answer every request the same way except, with
--differ-on NAME, the command NAME, which the candidate answers with
"+DIFFERENT".  It knows just enough for difftest's control connection
(FLUSHALL, CONFIG GET/SET, CLIENT LIST) and for the sentinel (PING x); any
other command gets "+OK".  Malformed multibulk framing gets a protocol
error and a close, like Redis.  Not a model of Redis: never compare it
with one.

With --crash-on NAME it exits (status 3) on NAME instead.

Usage: fake_server.py --port N [--bind ADDR] [--differ-on NAME]
                      [--crash-on NAME]
"""

import selectors
import socket
import sys


def parse(buf):
    """(argv or None, bytes consumed, error) for the first request."""
    if buf.startswith(b"*"):
        eol = buf.find(b"\r\n")
        if eol < 0:
            return None, 0, None
        try:
            n = int(buf[1:eol])
        except ValueError:
            return None, 0, b"-ERR Protocol error: invalid multibulk length"
        pos = eol + 2
        if n <= 0:
            return [], pos, None
        argv = []
        for _ in range(n):
            eol = buf.find(b"\r\n", pos)
            if eol < 0:
                return None, 0, None
            if buf[pos:pos + 1] != b"$":
                return None, 0, b"-ERR Protocol error: expected '$'"
            try:
                blen = int(buf[pos + 1:eol])
            except ValueError:
                blen = -1
            if blen < 0:
                return None, 0, b"-ERR Protocol error: invalid bulk length"
            start = eol + 2
            if len(buf) < start + blen + 2:
                return None, 0, None
            argv.append(buf[start:start + blen])
            pos = start + blen + 2
        return argv, pos, None
    eol = buf.find(b"\n")
    if eol < 0:
        return None, 0, None
    return buf[:eol].rstrip(b"\r").split(), eol + 1, None


def bulk(b):
    return b"$%d\r\n%s\r\n" % (len(b), b)


def main():
    args = sys.argv[1:]
    port = int(args[args.index("--port") + 1])
    differ = crash = None
    if "--differ-on" in args:
        differ = args[args.index("--differ-on") + 1].lower().encode()
    if "--crash-on" in args:
        crash = args[args.index("--crash-on") + 1].lower().encode()
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", port))
    lsock.listen(64)
    sel = selectors.DefaultSelector()
    sel.register(lsock, selectors.EVENT_READ)
    clients = {}
    config = {b"hz": b"10"}
    while True:
        for key, _ in sel.select():
            if key.fileobj is lsock:
                conn, _ = lsock.accept()
                clients[conn] = bytearray()
                sel.register(conn, selectors.EVENT_READ)
                continue
            conn = key.fileobj
            try:
                data = conn.recv(65536)
            except OSError:
                data = b""
            if not data:
                sel.unregister(conn)
                del clients[conn]
                conn.close()
                continue
            buf = clients[conn]
            buf += data
            out = b""
            close = False
            while buf and not close:
                argv, used, err = parse(bytes(buf))
                if err:
                    out += err + b"\r\n"
                    close = True
                    break
                if argv is None:
                    break
                del buf[:used]
                if not argv:
                    continue
                name = argv[0].lower()
                if name == crash:
                    sys.exit(3)       # a "crash": the process is gone
                if differ is not None and name == differ:
                    out += b"+DIFFERENT\r\n"
                elif name == b"ping":
                    out += bulk(argv[1]) if len(argv) > 1 else b"+PONG\r\n"
                elif name == b"client" and len(argv) > 1 and \
                        argv[1].lower() == b"list":
                    out += bulk(b"".join(b"id=%d addr=x cmd=client\n" % i
                                         for i in range(len(clients))))
                elif name == b"config" and len(argv) == 3 and \
                        argv[1].lower() == b"get":
                    v = config.get(argv[2].lower())
                    out += (b"*2\r\n" + bulk(argv[2].lower()) + bulk(v)
                            if v is not None else b"*0\r\n")
                elif name == b"quit":
                    out += b"+OK\r\n"
                    close = True
                else:
                    out += b"+OK\r\n"
            if out:
                conn.sendall(out)
            if close:
                sel.unregister(conn)
                del clients[conn]
                conn.close()


if __name__ == "__main__":
    main()
