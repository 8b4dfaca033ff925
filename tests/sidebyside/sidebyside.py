#!/usr/bin/python3
"""Side-by-side player: replay raw RESP sessions against minired and redis-server.

Where this sits: tests/corpus/*.session files describe byte streams a client
sends (see tests/corpus/README.md for the format).  This script starts one
minired and one reference redis-server on free loopback ports, opens a fresh
TCP connection to each server for every session, sends the same chunks to
both, records every byte that comes back after each chunk (and whether the
server closed the connection), turns the few known Redis 7.0 wordings into
their Redis 5.0 form (the NORMALISATIONS table below, opted into by each
session with "@normalise NAME") and compares the two streams byte for byte.

Output: one line per session, "PASS sidebyside/<name>" or
"FAIL sidebyside/<name>: first difference at chunk K byte B: ...", then a
summary line.  Exit status 0 only if every session passed.

Only the Python standard library is used (run with /usr/bin/python3).
"""

import argparse
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

# ---------------------------------------------------------------------------
# Normalisation table: Redis 7.0 wording -> Redis 5.0 wording.
#
# minired reproduces Redis 5.0's error texts; the reference server is Redis
# 7.0.15, whose texts changed in a few places.  Each entry below rewrites ONE
# 7.0 error line into the exact line Redis 5.0 sends for the same request,
# so the comparison stays byte-exact.  Entries only ever map a 7.0 text to a
# 5.0 text; nothing is made optional or fuzzy.  A session must name every
# entry it relies on with "@normalise NAME"; entries a session does not name
# are never applied to it.
#
# Each entry: name -> (7.0 regex over the whole error line without "\r\n",
#                       function or template producing the 5.0 line,
#                       why / where the 5.0 text comes from)
# ---------------------------------------------------------------------------


def _unknown_command_50(m):
    """Rebuild Redis 5.0's unknown-command error from Redis 7.0's.

    7.0 (processCommand): "unknown command '%.128s', with args beginning
    with: " followed by "'%.*s' " per argument, while the text built so far is
    under 128 bytes, each argument cut to 128 minus that length.
    5.0 (processCommand): "unknown command `%s`, with args beginning with: "
    followed by "`%.*s`, " per argument under the same 128-byte rule.
    A 5.0 argument costs 4 bytes of quoting against 3 in 7.0, so 5.0 never
    shows more of an argument than 7.0 did: replaying the 5.0 loop over the
    arguments recovered from the 7.0 text gives the exact 5.0 bytes (as long
    as the command name is at most 128 bytes and no argument contains the
    three bytes "' '", which the corpus avoids).
    """
    name = m.group(1)
    rest = m.group(2)
    args = []
    if rest:
        if not (rest.startswith(b"'") and rest.endswith(b"' ")):
            return None
        args = rest[1:-2].split(b"' '")
    out = b""
    for a in args:
        if len(out) >= 128:
            break
        out += b"`" + a[:128 - len(out)] + b"`, "
    return (b"-ERR unknown command `" + name +
            b"`, with args beginning with: " + out)


NORMALISATIONS = {
    "unknown-command": (
        rb"-ERR unknown command '(.*?)', with args beginning with: (.*)",
        _unknown_command_50,
        "Redis 7.0 quotes the name and arguments with ' and separates them "
        "with a space; Redis 5.0 (server.c processCommand) uses backquotes "
        "and \", \" (\"`foo`, with args beginning with: `x`, \")."),
    "auth-no-password": (
        rb"-ERR AUTH <password> called without any password configured for "
        rb"the default user\. Are you sure your configuration is correct\?",
        b"-ERR Client sent AUTH, but no password is set",
        "AUTH while requirepass is unset: Redis 5.0 authCommand replies "
        "'Client sent AUTH, but no password is set'; 7.0 (ACL era) words it "
        "differently."),
    "auth-wrong-password": (
        rb"-WRONGPASS invalid username-password pair or user is disabled\.",
        b"-ERR invalid password",
        "AUTH with a wrong password: Redis 5.0 authCommand replies "
        "'-ERR invalid password'; 7.0 uses the ACL error code WRONGPASS. "
        "(Not exercised: the runner starts servers without requirepass.)"),
    "pubsub-context": (
        rb"-ERR Can't execute '[^']*': only \(P\|S\)SUBSCRIBE / "
        rb"\(P\|S\)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this "
        rb"context",
        b"-ERR only (P)SUBSCRIBE / (P)UNSUBSCRIBE / PING / QUIT allowed in "
        b"this context",
        "A non-pubsub command on a subscribed RESP2 connection: 7.0 names "
        "the command and lists the shard/RESET commands it added; 5.0 "
        "processCommand has the shorter fixed text."),
    "set-expire-time": (
        rb"-ERR invalid expire time in 'set' command",
        b"-ERR invalid expire time in set",
        "SET with EX/PX <= 0: 5.0 t_string.c setGenericCommand formats "
        "'invalid expire time in %s' with the bare command name; 7.0 says "
        "\"in 'set' command\"."),
    "mset-odd-args": (
        rb"-ERR wrong number of arguments for 'mset' command",
        b"-ERR wrong number of arguments for MSET",
        "MSET with an even argc >= 4 (a key without a value): 5.0 "
        "msetGenericCommand has its own text 'wrong number of arguments for "
        "MSET'; 7.0 uses the generic arity text. Only valid for that case "
        "(argc 1 and 2 get the generic text in 5.0 too), so a session that "
        "names this entry must not also send MSET with fewer than 2 "
        "arguments."),
    "client-unknown-subcommand": (
        rb"-ERR unknown subcommand '(.*?)'\. Try CLIENT HELP\.",
        rb"-ERR Unknown subcommand or wrong number of arguments for '\1'. "
        rb"Try CLIENT HELP",
        "CLIENT <unknown>: 5.0 networking.c clientCommand ends with its own "
        "'Unknown subcommand or wrong number of arguments for '%s'. Try "
        "CLIENT HELP' (no final period); 7.0 rejects unknown subcommands in "
        "processCommand with 'unknown subcommand '%.128s'. Try CLIENT "
        "HELP.' (names up to 128 bytes map back exactly)."),
    "client-subcommand-arity": (
        rb"-ERR wrong number of arguments for 'client\|([a-z]+)' command",
        rb"-ERR Unknown subcommand or wrong number of arguments for '\1'. "
        rb"Try CLIENT HELP",
        "CLIENT GETNAME x / CLIENT SETNAME: 7.0 checks subcommand arity "
        "generically ('client|getname'); 5.0 clientCommand falls through to "
        "the same text as an unknown subcommand, echoing the subcommand as "
        "sent. 7.0 only reports it lower-cased, so sessions naming this "
        "entry send subcommands in lower case."),
    "config-unknown-subcommand": (
        rb"-ERR unknown subcommand '(.*?)'\. Try CONFIG HELP\.",
        rb"-ERR Unknown subcommand or wrong number of arguments for '\1'. "
        rb"Try CONFIG HELP.",
        "CONFIG <unknown>: 5.0 config.c configCommand calls "
        "addReplySubcommandSyntaxError ('Unknown subcommand or wrong number "
        "of arguments for '%s'. Try CONFIG HELP.'); 7.0 rejects it in "
        "processCommand with the shorter text."),
    "config-subcommand-arity": (
        rb"-ERR wrong number of arguments for 'config\|([a-z]+)' command",
        rb"-ERR Unknown subcommand or wrong number of arguments for '\1'. "
        rb"Try CONFIG HELP.",
        "CONFIG GET / CONFIG SET k: 5.0 configCommand only accepts GET with "
        "argc 3 and SET with argc 4 and otherwise calls "
        "addReplySubcommandSyntaxError; 7.0 reports generic subcommand "
        "arity. Subcommands in lower case (see client-subcommand-arity)."),
    "config-set-unknown-parameter": (
        rb"-ERR Unknown option or number of arguments for CONFIG SET - "
        rb"'(.*?)'",
        rb"-ERR Unsupported CONFIG parameter: \1",
        "CONFIG SET <unknown> <value>: 5.0 configSetCommand replies "
        "'Unsupported CONFIG parameter: %s'. 7.0 uses this text for unknown "
        "names (and odd argument counts, which the corpus does not send)."),
    "pubsub-unknown-subcommand": (
        rb"-ERR unknown subcommand '(.*?)'\. Try PUBSUB HELP\.",
        rb"-ERR Unknown subcommand or wrong number of arguments for '\1'. "
        rb"Try PUBSUB HELP.",
        "PUBSUB <unknown>: 5.0 pubsub.c pubsubCommand calls "
        "addReplySubcommandSyntaxError; 7.0 rejects unknown subcommands in "
        "processCommand with the shorter text."),
    "pubsub-subcommand-arity": (
        rb"-ERR wrong number of arguments for 'pubsub\|([a-z]+)' command",
        rb"-ERR Unknown subcommand or wrong number of arguments for '\1'. "
        rb"Try PUBSUB HELP.",
        "PUBSUB NUMPAT x: 5.0 pubsubCommand only accepts NUMPAT with argc 2 "
        "and otherwise calls addReplySubcommandSyntaxError; 7.0 reports "
        "generic subcommand arity. Subcommands in lower case (see "
        "client-subcommand-arity)."),
    "pubsub-syntax-case": (
        rb"-ERR unknown subcommand or wrong number of arguments for '(.*?)'"
        rb"\. Try PUBSUB HELP\.",
        rb"-ERR Unknown subcommand or wrong number of arguments for '\1'. "
        rb"Try PUBSUB HELP.",
        "PUBSUB CHANNELS a b: both call addReplySubcommandSyntaxError, whose "
        "text starts with 'Unknown' in 5.0 (networking.c) and 'unknown' in "
        "7.0."),
    "select-invalid-index": (
        rb"-ERR value is not an integer or out of range",
        b"-ERR invalid DB index",
        "SELECT abc: 5.0 db.c selectCommand passes 'invalid DB index' to "
        "getLongFromObjectOrReply; 7.0 uses the generic integer error. The "
        "7.0 text is generic, so only the SELECT session that names this "
        "entry may use it, and it sends no other command that can fail "
        "with that text."),
}


def normalise_line(line, rules, used):
    """Apply the named rules to one error line (without its CRLF).

    Returns the rewritten line; records the names of rules that fired in
    the set `used`.
    """
    for name in rules:
        pattern, repl, _why = NORMALISATIONS[name]
        m = re.fullmatch(pattern, line, re.S)
        if not m:
            continue
        if callable(repl):
            new = repl(m)
            if new is None:
                continue
        else:
            new = m.expand(repl)
        used.add(name)
        return new
    return line


def normalise_stream(data, rules, used):
    """Walk a RESP2 reply stream and normalise every error reply in it.

    Only real error replies are touched (a "-..." line found where a reply
    type byte is expected, also inside arrays); bulk payloads are skipped
    by their declared length so an ECHO of "-ERR ..." is never rewritten.
    If the stream cannot be parsed (incomplete reply), the rest is left as
    it is.
    """
    if not rules or not data:
        return data
    out = bytearray()
    pos = 0
    n = len(data)
    while pos < n:
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            break
        kind = data[pos:pos + 1]
        line = data[pos:eol]
        if kind == b"-":
            out += normalise_line(line, rules, used) + b"\r\n"
            pos = eol + 2
        elif kind in (b"+", b":", b"*"):
            out += data[pos:eol + 2]
            pos = eol + 2
        elif kind == b"$":
            try:
                blen = int(line[1:])
            except ValueError:
                break
            end = eol + 2 + (blen + 2 if blen >= 0 else 0)
            if end > n:
                break
            out += data[pos:end]
            pos = end
        else:
            break
    out += data[pos:]
    return bytes(out)


# ---------------------------------------------------------------------------
# Session files
# ---------------------------------------------------------------------------

class CorpusError(Exception):
    """A session file that does not follow tests/corpus/README.md."""


_ESCAPES = {"r": b"\r", "n": b"\n", "t": b"\t", "\\": b"\\", "0": b"\x00"}


def unescape(text, where):
    """Turn the payload of a '>' line into bytes (C-style escapes)."""
    out = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "\\":
            out += ch.encode("utf-8")
            i += 1
            continue
        if i + 1 >= len(text):
            raise CorpusError("%s: dangling backslash" % where)
        nxt = text[i + 1]
        if nxt in _ESCAPES:
            out += _ESCAPES[nxt]
            i += 2
        elif nxt == "x":
            hexpart = text[i + 2:i + 4]
            if len(hexpart) != 2 or not all(c in "0123456789abcdefABCDEF"
                                            for c in hexpart):
                raise CorpusError("%s: bad \\x escape" % where)
            out.append(int(hexpart, 16))
            i += 4
        else:
            raise CorpusError("%s: unknown escape \\%s" % (where, nxt))
    return bytes(out)


class Chunk:
    """One piece of a session: bytes sent before waiting for replies."""

    def __init__(self, lineno):
        self.data = bytearray()
        self.split = 0
        self.lineno = lineno


class Session:
    """A parsed *.session file."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[:-len(".session")]
        self.chunks = []
        self.expect_close = False
        self.quiet_ms = 100
        self.rules = []
        self._parse()

    def _parse(self):
        with open(self.path, "r", encoding="utf-8") as f:
            lines = f.read().split("\n")
        if not lines or not lines[0].startswith("#"):
            raise CorpusError("%s: first line must be a '#' comment saying "
                              "what the session exercises" % self.path)
        cur = None
        last = b""
        pending_split = 0
        for no, raw in enumerate(lines, 1):
            where = "%s:%d" % (self.path, no)
            line = raw.rstrip("\r")
            if line == "" or line.startswith("#"):
                continue
            if line.startswith(">>"):
                if cur is None:
                    raise CorpusError("%s: '>>' without a chunk" % where)
                last = self._payload(line[2:], where)
                cur.data += last
            elif line.startswith(">"):
                cur = Chunk(no)
                cur.split = pending_split
                pending_split = 0
                last = self._payload(line[1:], where)
                cur.data += last
                self.chunks.append(cur)
            elif line == "--":
                cur = None
            elif line.startswith("@"):
                words = line[1:].split()
                if not words:
                    raise CorpusError("%s: empty directive" % where)
                d, args = words[0], words[1:]
                if d == "split" and len(args) == 1 and args[0].isdigit():
                    pending_split = int(args[0])
                    cur = None
                elif d == "expect-close" and not args:
                    self.expect_close = True
                elif d == "quiet" and len(args) == 1 and args[0].isdigit():
                    self.quiet_ms = int(args[0])
                elif d == "repeat" and len(args) == 1 and args[0].isdigit():
                    # The payload of the line just above appears N times in
                    # total: pipelined bursts and big arguments without
                    # thousands of identical lines.
                    if cur is None or int(args[0]) < 1:
                        raise CorpusError("%s: @repeat needs a '>' or '>>' "
                                          "line above and N >= 1" % where)
                    cur.data += last * (int(args[0]) - 1)
                elif d == "normalise" and len(args) == 1:
                    if args[0] not in NORMALISATIONS:
                        raise CorpusError("%s: unknown normalisation %r"
                                          % (where, args[0]))
                    self.rules.append(args[0])
                else:
                    raise CorpusError("%s: unknown directive %r" % (where, line))
            else:
                raise CorpusError("%s: unrecognised line %r" % (where, line))
        if not self.chunks:
            raise CorpusError("%s: no chunks" % self.path)
        if b"FLUSHALL" not in bytes(self.chunks[0].data).upper():
            raise CorpusError("%s: the first chunk must FLUSHALL" % self.path)

    @staticmethod
    def _payload(text, where):
        # "> PING\r\n": the single space after the marker is a separator.
        if text.startswith(" "):
            text = text[1:]
        return unescape(text, where)


# ---------------------------------------------------------------------------
# Playing a session against one server
# ---------------------------------------------------------------------------

CHUNK_CAP_SECONDS = 15.0
SPLIT_PAUSE_SECONDS = 0.002


def read_until_quiet(sock, quiet_ms):
    """Read until quiet_ms without data, or until the peer closes.

    Returns (bytes, closed).
    """
    buf = bytearray()
    deadline = time.monotonic() + CHUNK_CAP_SECONDS
    while time.monotonic() < deadline:
        r, _, _ = select.select([sock], [], [], quiet_ms / 1000.0)
        if not r:
            return bytes(buf), False
        try:
            data = sock.recv(1 << 16)
        except (ConnectionResetError, BrokenPipeError):
            return bytes(buf), True
        if not data:
            return bytes(buf), True
        buf += data
    return bytes(buf), False


def play(session, port, quiet_scale=1):
    """Play a session on a fresh connection; return a list of results.

    Each result is (reply_bytes, closed, sent) for one chunk; after the
    server has closed, the remaining chunks are recorded as not sent.
    """
    results = []
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    closed = False
    try:
        for chunk in session.chunks:
            if closed:
                results.append((b"", True, False))
                continue
            data = bytes(chunk.data)
            try:
                if chunk.split > 0:
                    for i in range(0, len(data), chunk.split):
                        sock.sendall(data[i:i + chunk.split])
                        time.sleep(SPLIT_PAUSE_SECONDS)
                else:
                    sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server closed on us; read what it said first
            reply, closed = read_until_quiet(sock,
                                             session.quiet_ms * quiet_scale)
            results.append((reply, closed, True))
    finally:
        sock.close()
    return results


# ---------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------

def free_port():
    """Ask the kernel for a free loopback port (not 6379)."""
    while True:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        if port != 6379:
            return port


class Server:
    """One server process on a loopback port."""

    def __init__(self, label, argv, workdir):
        self.label = label
        self.argv = argv
        self.workdir = workdir
        self.proc = None
        self.port = None
        self.log = os.path.join(workdir, label + ".log")

    def start(self, is_redis):
        self.port = free_port()
        cmd = [self.argv]
        if is_redis:
            cmd += ["--save", "", "--appendonly", "no",
                    "--enable-debug-command", "yes"]
        cmd += ["--port", str(self.port), "--bind", "127.0.0.1"]
        with open(self.log, "wb") as logf:
            self.proc = subprocess.Popen(cmd, cwd=self.workdir, stdout=logf,
                                         stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                print_log_tail(self.log)
                raise RuntimeError("%s (%s) exited with status %s at start-up"
                                   % (self.label, self.argv,
                                      self.proc.returncode))
            try:
                s = socket.create_connection(("127.0.0.1", self.port),
                                             timeout=1)
                s.sendall(b"PING\r\n")
                s.settimeout(2)
                got = s.recv(64)
                s.close()
                if got == b"+PONG\r\n":
                    return
            except OSError:
                pass
            time.sleep(0.05)
        print_log_tail(self.log)
        self.stop()
        raise RuntimeError("%s did not answer PING on port %d within 10 s"
                           % (self.label, self.port))

    def stop(self):
        """SIGTERM, then SIGKILL after 5 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# ---------------------------------------------------------------------------
# Comparison and reporting
# ---------------------------------------------------------------------------

def window(data, at):
    """A short repr of data around byte offset `at`."""
    lo = max(0, at - 16)
    piece = data[lo:at + 48]
    prefix = "..." if lo > 0 else ""
    suffix = "..." if at + 48 < len(data) else ""
    return prefix + repr(bytes(piece)) + suffix


def compare(cand, ref):
    """Return None if equal, else a description of the first difference."""
    for k, ((cb, cc, cs), (rb, rc, rs)) in enumerate(zip(cand, ref), 1):
        if cb != rb:
            b = 0
            while b < min(len(cb), len(rb)) and cb[b] == rb[b]:
                b += 1
            return ("first difference at chunk %d byte %d: minired %s vs "
                    "redis %s" % (k, b, window(cb, b) if b < len(cb) else
                                  "<end of reply, %d bytes>" % len(cb),
                                  window(rb, b) if b < len(rb) else
                                  "<end of reply, %d bytes>" % len(rb)))
        if cc != rc:
            return ("first difference at chunk %d: minired %s the "
                    "connection, redis %s" %
                    (k, "closed" if cc else "kept",
                     "closed it" if rc else "kept it"))
    return None


def escape_bytes(data):
    """Render bytes in the corpus escape format (for *.expected files)."""
    out = []
    for byte in data:
        ch = chr(byte)
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif 32 <= byte < 127:
            out.append(ch)
        else:
            out.append("\\x%02x" % byte)
    return "".join(out)


def write_expected(session, results):
    """Write <name>.expected next to the session: the normalised reference
    replies, chunk by chunk, one reply line per line."""
    path = session.path[:-len(".session")] + ".expected"
    lines = ["# Reference replies for %s.session (redis-server, normalised "
             "to Redis 5.0 texts)." % session.name,
             "# Written by tests/sidebyside/run.sh --record; for reading "
             "only, the runner does not use it."]
    for k, (data, closed, sent) in enumerate(results, 1):
        if not sent:
            lines.append("## chunk %d: not sent (connection closed)" % k)
            continue
        lines.append("## chunk %d: %d bytes%s" %
                     (k, len(data), ", then the server closed the connection"
                      if closed else ""))
        text = escape_bytes(data)
        # One line per CRLF-terminated piece keeps replies readable.
        for piece in re.split(r"(?<=\\r\\n)", text):
            if piece:
                if len(piece) > 200:
                    piece = piece[:200] + "... (%d chars)" % len(piece)
                lines.append("< " + piece)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def print_log_tail(path, lines=20):
    """Show the end of a crashed server's log, each line prefixed by '#'."""
    try:
        with open(path, "rb") as f:
            tail = f.read().splitlines()[-lines:]
    except OSError:
        return
    for line in tail:
        print("#   " + line.decode("utf-8", "replace"))


def play_both(s, ref, cand, quiet_scale):
    """Play session s on both servers at once; return {label: results}."""
    out = {}

    def run(label, server):
        try:
            out[label] = play(s, server.port, quiet_scale)
        except Exception as e:  # connection refused, server died...
            out[label] = e
    threads = [threading.Thread(target=run, args=("redis", ref))]
    if cand is not None:
        threads.append(threading.Thread(target=run, args=("minired", cand)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def check_session(s, ref, cand, cand_is_redis, record, quiet_scale):
    """Play one session and judge it.

    Returns (verdict, line): verdict is "pass", "recorded", "diff" (the
    replies differ) or "fail" (anything else, including corpus errors).
    """
    out = play_both(s, ref, cand, quiet_scale)
    rres = out["redis"]
    if isinstance(rres, Exception):
        return "fail", "FAIL sidebyside/%s: redis-server: %s" % (s.name, rres)
    used = set()
    rres = [(normalise_stream(d, s.rules, used), c, x) for d, c, x in rres]
    # The corpus itself must behave as documented against redis-server.
    problem = None
    closed_ref = any(c for _, c, _ in rres)
    if s.expect_close and not closed_ref:
        problem = "@expect-close, but redis-server kept the connection"
    elif not s.expect_close and closed_ref:
        problem = "redis-server closed the connection (add @expect-close?)"
    unused = set(s.rules) - used
    if unused:
        problem = ("normalisation(s) named but never applied: %s"
                   % ", ".join(sorted(unused)))
    if problem:
        return "fail", "FAIL sidebyside/%s: corpus: %s" % (s.name, problem)
    if record:
        write_expected(s, rres)
        return "recorded", "RECORDED sidebyside/%s" % s.name

    cres = out["minired"]
    if isinstance(cres, Exception):
        return "fail", "FAIL sidebyside/%s: minired: %s" % (s.name, cres)
    if cand_is_redis:
        cres = [(normalise_stream(d, s.rules, set()), c, x)
                for d, c, x in cres]
    diff = compare(cres, rres)
    if diff is None:
        return "pass", "PASS sidebyside/%s" % s.name
    return "diff", "FAIL sidebyside/%s: %s" % (s.name, diff)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--record", action="store_true",
                    help="only run redis-server and write *.expected files")
    ap.add_argument("--corpus", default=os.path.join(root, "tests", "corpus"))
    ap.add_argument("--list-normalisations", action="store_true")
    ap.add_argument("sessions", nargs="*",
                    help="session names to run (default: all)")
    opts = ap.parse_args()

    if opts.list_normalisations:
        for name, (pat, repl, why) in NORMALISATIONS.items():
            print("%s\n  7.0: %s\n  5.0: %s\n  why: %s" %
                  (name, pat.decode(), repl.decode() if isinstance(repl, bytes)
                   else "(rebuilt by %s)" % repl.__name__, why))
        return 0

    redis_bin = os.environ.get("SIDEBYSIDE_REDIS", "/usr/bin/redis-server")
    minired_bin = os.environ.get("SIDEBYSIDE_MINIRED",
                                 os.path.join(root, "bin", "minired-server"))
    cand_is_redis = os.path.basename(minired_bin).startswith("redis-server")

    if not opts.record and not os.access(minired_bin, os.X_OK):
        if minired_bin == os.path.join(root, "bin", "minired-server"):
            print("FAIL sidebyside: bin/minired-server not built")
        else:
            print("FAIL sidebyside: %s not found or not executable"
                  % minired_bin)
        return 1

    try:
        names = sorted(f for f in os.listdir(opts.corpus)
                       if f.endswith(".session"))
        if opts.sessions:
            wanted = set(s[:-8] if s.endswith(".session") else s
                         for s in opts.sessions)
            names = [n for n in names if n[:-8] in wanted]
            missing = wanted - set(n[:-8] for n in names)
            if missing:
                print("FAIL sidebyside: no such session(s): %s"
                      % ", ".join(sorted(missing)))
                return 1
        sessions = [Session(os.path.join(opts.corpus, n)) for n in names]
    except CorpusError as e:
        print("FAIL sidebyside: corpus error: %s" % e)
        return 1

    workdir = tempfile.mkdtemp(prefix="sidebyside.")
    servers = []

    def on_signal(signum, frame):
        raise KeyboardInterrupt()
    signal.signal(signal.SIGTERM, on_signal)

    failed = 0
    passed = 0
    try:
        ref = Server("redis", redis_bin, workdir)
        servers.append(ref)
        ref.start(is_redis=True)
        cand = None
        if not opts.record:
            cand = Server("minired", minired_bin, workdir)
            servers.append(cand)
            cand.start(is_redis=cand_is_redis)

        for s in sessions:
            verdict, text = check_session(s, ref, cand, cand_is_redis,
                                          opts.record, 1)
            if verdict == "diff":
                # A reply slower than the quiet time lands in the next
                # chunk's bytes.  Play the session once more with a 5x
                # longer quiet time before calling it a difference; the
                # comparison itself stays byte-exact.
                verdict, text = check_session(s, ref, cand, cand_is_redis,
                                              opts.record, 5)
            if verdict in ("pass", "recorded"):
                passed += 1
            else:
                failed += 1
            print(text)
            sys.stdout.flush()
            if cand is not None and cand.proc.poll() is not None:
                print("FAIL sidebyside: minired exited with status %s during "
                      "%s; restarting it" % (cand.proc.returncode, s.name))
                print_log_tail(cand.log)
                failed += 1
                cand.start(is_redis=cand_is_redis)
    except KeyboardInterrupt:
        print("FAIL sidebyside: interrupted")
        failed += 1
    except RuntimeError as e:
        print("FAIL sidebyside: %s" % e)
        failed += 1
    finally:
        for srv in servers:
            srv.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print("sidebyside: %d passed, %d failed, %d sessions, %d chunks"
          % (passed, failed, len(sessions),
             sum(len(s.chunks) for s in sessions)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
