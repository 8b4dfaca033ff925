"""gen.py - the seeded session generator of the differential tester.

Where this sits: tests/difftest/difftest.py asks this module for sessions
(one per seed-derived integer), plays each against minired and a reference
redis-server, and compares the replies.  Nothing here talks to a server.

What flows out: a Session, i.e. a list of Items (one request each: a
command in multibulk or inline framing, or a deliberately malformed piece
of protocol) plus a list of chop points (where the byte stream is cut into
separate send() calls with a short pause, so the server's reads split
anywhere: inside "$3\\r\\n", between "\\r" and "\\n", ...).

Determinism: a session is a pure function of its integer seed
(random.Random(seed)); `session_bytes(make_session(s))` is the same bytes
on every run and every machine (tests/difftest/test_difftest.py checks it).

The command table mirrors src/server.c's redisCommandTable (only the
commands minired has; INFO, TIME, COMMAND, DEBUG, SHUTDOWN, CLIENT LIST/ID
and CONFIG GET of port-like values are left out: their replies differ by
design, by time, or would stop the server; so is PTTL: the milliseconds
left of a key set a moment ago depend on the machine's speed, while TTL
rounds them to seconds, 5.0.14 expire.c ttlGenericCommand).  The values are chosen to hit
the edges: int64 limits and one past them, "+1", " 1", "1.0", "0x10",
NUL/CR/LF inside bulk strings, SET options in odd combinations.
"""

import random

# ---------------------------------------------------------------------------
# Value pools
# ---------------------------------------------------------------------------

#: Keys: a small pool so commands meet each other's keys; one binary key
#: (NUL, CR, LF inside) and the empty key, which Redis accepts.
KEYS = [b"k1", b"k2", b"k3", b"n", b"k\x00\r\nz", b""]

#: Integers at and around the int64 edges, and strings string2ll() rejects
#: ("+1", " 1", "1.0", "0x10", "", "-0", "00", "1 ").
INT_EDGES = [b"0", b"1", b"-1", b"10", b"100", b"-100",
             b"9223372036854775807", b"-9223372036854775808",
             b"9223372036854775808", b"-9223372036854775809",
             b"9223372036854775806", b"-9223372036854775807",
             b"18446744073709551616", b"+1", b" 1", b"1 ", b"1.0", b"0x10",
             b"", b"-0", b"00", b"007", b"1e3", b"abc", b"-"]

#: Values: integers (so INCR has something to work on), binary bytes,
#: bytes that look like RESP, and a 300-byte value.
VALUES = INT_EDGES[:12] + [
    b"v", b"hello world", b"a\x00b", b"\r\n", b"\n", b"\r", b"$3\r\nfoo",
    b"*1\r\n$4\r\nPING\r\n", b"-ERR not an error", b"+OK", b":1",
    b"\xff\xfe\x80", b"\x00", b"x" * 300, b"\"quoted\"", b"a b"]

#: Expire times in seconds: never small positive ones (those race the
#: active expiry cycle and measure the machine, not the server), but 0 and
#: negatives (delete at once) and values that overflow when turned into
#: milliseconds.
EXPIRES = [b"0", b"-1", b"-100", b"100", b"1000", b"100000",
           b"9223372036854775807", b"-9223372036854775808",
           b"9223372036854775808", b"9223372036854775", b"abc", b"1.5",
           b"+100", b" 100", b""]

#: Keyspace patterns for KEYS: exact names, classes, escapes, and the
#: "*\0" pattern the earlier difftest run found matching every key.
PATTERNS = [b"k1", b"k[1]", b"k[^1]", b"?", b"k\\1", b"n", b"nomatch",
            b"k[", b"[", b"\\", b"*\x00", b"k*\x00", b"k\x00*", b"*",
            b"k?"]

#: CONFIG parameters minired answers the same way as redis-server does in
#: this harness (both started with the same options); port/pid-like ones
#: are left out.
CONFIG_GET = [b"timeout", b"hz", b"tcp-keepalive", b"proto-max-bulk-len",
              b"client-query-buffer-limit", b"databases", b"loglevel",
              b"appendonly", b"requirepass", b"nosuchparam", b"HZ",
              b"maxclients"]

#: CONFIG SET name -> values worth trying.  difftest.py resets every one of
#: them before each session, so a session never sees another's settings.
#: requirepass only ever to "" (a password would lock out the control
#: connection), maxclients only to large values.
CONFIG_SET = {
    b"timeout": [b"0", b"100", b"-1", b"abc", b"9223372036854775807"],
    b"hz": [b"10", b"1", b"0", b"500", b"501", b"-1", b"abc"],
    b"tcp-keepalive": [b"300", b"0", b"-1", b"abc"],
    b"proto-max-bulk-len": [b"536870912", b"1048576", b"1024", b"0",
                            b"-1", b"abc", b"1mb"],
    b"client-query-buffer-limit": [b"1073741824", b"1048576", b"1gb",
                                   b"abc"],
    b"loglevel": [b"notice", b"warning", b"verbose", b"nonsense"],
    b"requirepass": [b""],
    b"maxclients": [b"10000", b"abc"],
    b"client-output-buffer-limit": [
        b"normal 0 0 0", b"pubsub 32mb 8mb 60", b"normal 1 2", b"foo 0 0 0",
        b"normal -1 0 0", b"normal abc 0 0"],
    b"nosuchparam": [b"1"],
}

SUBCOMMANDS_CLIENT = [b"getname", b"setname", b"nosuch", b"kill"]
NAMES = [b"app", b"a b", b"", b"x\ny", b"n-1"]


class Item:
    """One request of a session.

    kind "cmd": argv (list of bytes) sent with `framing` "multibulk" or
    "inline" (inline lines end with "\\r\\n" or, when `lf_only`, "\\n").
    kind "raw": `raw` bytes sent as they are (malformed protocol, empty
    inline lines); `desc` says what they are.  `terminal` marks a request
    after which the server is expected to close the connection: the
    generator puts it last.
    """

    def __init__(self, kind, argv=None, framing="multibulk", raw=b"",
                 terminal=False, desc="", lf_only=False):
        self.kind = kind
        self.argv = list(argv or [])
        self.framing = framing
        self.raw = raw
        self.terminal = terminal
        self.desc = desc
        self.lf_only = lf_only

    def copy(self):
        return Item(self.kind, self.argv, self.framing, self.raw,
                    self.terminal, self.desc, self.lf_only)

    def encode(self):
        """The bytes this request puts on the wire."""
        if self.kind == "raw":
            return self.raw
        if self.framing == "inline":
            line = b" ".join(inline_quote(a) for a in self.argv)
            return line + (b"\n" if self.lf_only else b"\r\n")
        out = b"*%d\r\n" % len(self.argv)
        for a in self.argv:
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        return out

    def name(self):
        """Lower-case command name, or "" for raw items."""
        if self.kind != "cmd" or not self.argv:
            return ""
        return self.argv[0].lower().decode("latin-1")


def inline_quote(arg):
    """One argument in inline syntax: bare if it is plain, else a
    double-quoted string with \\xHH escapes (which Redis's sdssplitargs
    turns back into the same bytes)."""
    plain = arg and all(33 <= b < 127 and b not in b"\"'\\" for b in arg)
    if plain:
        return arg
    out = b'"'
    for b in arg:
        if b in b'"\\':
            out += b"\\" + bytes([b])
        elif 32 <= b < 127:
            out += bytes([b])
        else:
            out += b"\\x%02x" % b
    return out + b'"'


def inline_safe(argv):
    """True if argv can be sent inline and come back as the same argv."""
    return len(argv) > 0 and len(argv[0]) > 0


class Session:
    """A generated session: items, chop points, the seed that made it.

    chops is a set of (item index, byte offset inside that item's bytes):
    the stream is cut before that byte.  Keeping chop points relative to
    items lets the shrinker drop an item together with its chops.
    """

    def __init__(self, seed, items, chops, channel_tag):
        self.seed = seed
        self.items = items
        self.chops = set(chops)
        self.channel_tag = channel_tag

    def copy(self):
        return Session(self.seed, [i.copy() for i in self.items],
                       set(self.chops), self.channel_tag)

    def terminal(self):
        """True if the last item is expected to close the connection."""
        return bool(self.items) and self.items[-1].terminal


def session_bytes(s):
    """Every byte the session sends, in order (without the sentinel)."""
    return b"".join(i.encode() for i in s.items)


def pieces(s):
    """The session's bytes cut at its chop points: a list of bytes."""
    out = []
    cur = b""
    for idx, item in enumerate(s.items):
        data = item.encode()
        cuts = sorted(off for (i, off) in s.chops
                      if i == idx and 0 < off < len(data))
        prev = 0
        for off in cuts:
            cur += data[prev:off]
            if cur:
                out.append(cur)
            cur = b""
            prev = off
        cur += data[prev:]
    if cur:
        out.append(cur)
    return out


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------

def _case(r, name):
    """The command name in random letter case (Redis ignores case)."""
    pick = r.random()
    if pick < 0.6:
        return name.upper()
    if pick < 0.8:
        return name.lower()
    return bytes(c ^ 0x20 if 97 <= (c | 0x20) <= 122 and r.random() < 0.5
                 else c for c in name)


def _set_options(r):
    """SET options in odd combinations: repeated, conflicting, missing
    values, values at the edges, lower case."""
    opts = []
    for _ in range(r.choice([0, 1, 1, 1, 2, 2, 3])):
        o = r.choice([b"EX", b"PX", b"NX", b"XX", b"ex", b"px", b"nx",
                      b"xx", b"Ex", b"KEEPTTL", b"GET", b"EXAT", b"FOO"])
        opts.append(o)
        if o.upper() in (b"EX", b"PX", b"EXAT"):
            if r.random() < 0.9:   # sometimes the value is missing
                v = r.choice(EXPIRES)
                if o.upper() == b"PX" and v in (b"100", b"1000"):
                    v = v + b"000"   # never a short PX: timing
                opts.append(v)
    return opts


def _command(r, tag):
    """One well-formed-ish command (argv); tag makes channel names unique
    to the session."""
    k = lambda: r.choice(KEYS)
    v = lambda: r.choice(VALUES)
    ch = lambda: b"ch." + tag + r.choice([b".a", b".b", b".c"])
    kind = r.choice([
        "get", "set", "set", "set", "append", "strlen", "del", "exists",
        "incr", "decr", "incrby", "decrby", "getset", "mget", "mset",
        "select", "expire", "ttl", "keys", "dbsize", "ping", "echo",
        "multi", "exec", "discard", "flushdb", "auth", "config_get",
        "config_set", "client", "subscribe", "unsubscribe", "publish",
        "unknown", "quit"])
    if kind == "get":
        argv = [b"GET", k()]
    elif kind == "set":
        argv = [b"SET", k(), v()] + _set_options(r)
    elif kind == "append":
        argv = [b"APPEND", k(), v()]
    elif kind in ("strlen", "incr", "decr", "ttl"):
        argv = [kind.encode(), k()]
    elif kind in ("del", "exists", "mget"):
        argv = [kind.encode()] + [k() for _ in range(r.randint(1, 4))]
    elif kind in ("incrby", "decrby"):
        argv = [kind.encode(), k(), r.choice(INT_EDGES)]
    elif kind == "getset":
        argv = [b"GETSET", k(), v()]
    elif kind == "mset":
        argv = [b"MSET"]
        for _ in range(r.randint(1, 3)):
            argv += [k(), v()]
        if r.random() < 0.2:
            argv.append(k())          # a key without a value
    elif kind == "select":
        argv = [b"SELECT", r.choice([b"0", b"1", b"15", b"16", b"-1",
                                     b"abc", b"4294967296", b"1.0", b"+1",
                                     b"9223372036854775807", b""])]
    elif kind == "expire":
        argv = [b"EXPIRE", k(), r.choice(EXPIRES)]
    elif kind == "keys":
        argv = [b"KEYS", r.choice(PATTERNS)]
    elif kind == "dbsize":
        argv = [b"DBSIZE"]
    elif kind == "ping":
        argv = [b"PING"] + [v() for _ in range(r.choice([0, 0, 1, 2]))]
    elif kind == "echo":
        argv = [b"ECHO", v()]
    elif kind == "multi":
        argv = [b"MULTI"]
    elif kind == "exec":
        argv = [b"EXEC"]
    elif kind == "discard":
        argv = [b"DISCARD"]
    elif kind == "flushdb":
        argv = [b"FLUSHDB"] + ([r.choice([b"ASYNC", b"async", b"x"])]
                               if r.random() < 0.3 else [])
    elif kind == "auth":
        argv = [b"AUTH", r.choice([b"secret", b"", b"a\x00b"])]
    elif kind == "config_get":
        argv = [b"CONFIG", r.choice([b"GET", b"get"]),
                r.choice(CONFIG_GET)]
    elif kind == "config_set":
        name = r.choice(sorted(CONFIG_SET))
        argv = [b"CONFIG", r.choice([b"SET", b"set"]), name,
                r.choice(CONFIG_SET[name])]
    elif kind == "client":
        sub = r.choice(SUBCOMMANDS_CLIENT)
        if sub == b"setname":
            argv = [b"CLIENT", sub, r.choice(NAMES)]
        elif sub == b"kill":
            argv = [b"CLIENT", sub] + r.choice([
                [b"127.0.0.1:1"], [b"addr", b"127.0.0.1:1"],
                [b"id", b"abc"], [b"type", b"nosuch"],
                [b"skipme", b"maybe"], [b"id"]])
        else:
            argv = [b"CLIENT", sub]
    elif kind == "subscribe":
        argv = [b"SUBSCRIBE"] + [ch() for _ in range(r.randint(1, 2))]
    elif kind == "unsubscribe":
        argv = [b"UNSUBSCRIBE"] + [ch() for _ in range(r.choice([0, 1]))]
    elif kind == "publish":
        argv = [b"PUBLISH", ch(), v()]
    elif kind == "unknown":
        argv = [r.choice([b"FOO", b"get2", b"x"])] + \
            [r.choice([b"a", b"1", b"b\x00"]) for _ in range(r.randint(0, 2))]
    else:   # quit: only ever the last item (see make_session)
        argv = [b"QUIT"]
    # Wrong arity now and then: one argument fewer or one more.
    if len(argv) > 1 and r.random() < 0.08:
        argv = argv[:-1]
    elif r.random() < 0.05:
        argv = argv + [v()]
    argv[0] = _case(r, argv[0])
    return argv


def _follow_up(r, argv):
    """Sometimes a request that looks at what the one before changed
    (CONFIG GET after CONFIG SET, TTL/GET/KEYS after a write): a wrong
    bound or an expiry that went wrong only shows when read back."""
    if r.random() < 0.5 or len(argv) < 2:
        return None
    name = argv[0].lower()
    if name == b"config" and len(argv) >= 3 and argv[1].lower() == b"set":
        return [b"CONFIG", b"GET", argv[2]]
    if name in (b"set", b"expire", b"getset", b"append", b"incr", b"decr",
                b"incrby", b"decrby", b"mset"):
        key = argv[1]
        return r.choice([[b"GET", key], [b"TTL", key],
                         [b"KEYS", b"*"], [b"DBSIZE"], [b"EXISTS", key],
                         [b"STRLEN", key]])
    if name == b"select":
        return r.choice([[b"DBSIZE"], [b"GET", b"k1"]])
    return None


def _malformed(r):
    """A piece of malformed (or merely odd) protocol.

    Returns (bytes, terminal, description).  terminal: Redis 5.0 answers
    with a protocol error and closes (processMultibulkBuffer /
    processInlineBuffer call setProtocolError), so nothing may follow it.
    """
    return r.choice([
        (b"*-1\r\n", False, "negative multibulk count (ignored)"),
        (b"*0\r\n", False, "zero multibulk count (ignored)"),
        (b"\r\n", False, "empty inline line"),
        (b"\n", False, "bare LF"),
        (b"*abc\r\n", True, "non-numeric multibulk count"),
        (b"*1048577\r\n", True, "multibulk count over 1024*1024"),
        (b"*2147483648\r\n", True, "multibulk count over INT_MAX"),
        (b"*1\r\n$-1\r\n", True, "$-1 inside a request"),
        (b"*1\r\n$-5\r\n", True, "negative bulk length"),
        (b"*1\r\n$abc\r\n", True, "non-numeric bulk length"),
        (b"*1\r\n$600000000\r\n", True, "bulk length over proto-max-bulk-len"),
        (b"*2\r\n$3\r\nGET\r\n:1\r\n", True, "':' where '$' belongs"),
        (b"*1\r\n$4\r\nPINGxx", False, "bulk followed by 2 bytes that are "
         "not CRLF"),
        (b"*3\r\n$3\r\nSET\r\n", True, "truncated multibulk (the next "
         "request's '*' lands where '$' belongs)"),
        (b'ECHO "abc\r\n', True, "unbalanced quotes in an inline request"),
        (b"ECHO 'a'b\r\n", True, "closing quote followed by a character"),
        (b"$-1\r\n", False, "$-1 as an inline command"),
        (b"*" + b"1" * 70000, True, "multibulk count line without CRLF "
         "over 64k"),
        (b"PING" + b" " * 70000, True, "inline request without newline "
         "over 64k"),
    ])


def make_session(seed, max_items=10):
    """Build the session for one integer seed (pure function of seed)."""
    r = random.Random(seed)
    tag = b"%d" % seed
    items = []
    n = r.randint(1, max_items)
    for i in range(n):
        last = (i == n - 1)
        pick = r.random()
        if pick < 0.1:
            raw, terminal, desc = _malformed(r)
            if terminal and not last:
                continue
            items.append(Item("raw", raw=raw, terminal=terminal, desc=desc))
            continue
        argv = _command(r, tag)
        lname = argv[0].lower()
        if lname == b"quit" and not last:
            argv = [b"PING"]
            lname = b"ping"
        item = Item("cmd", argv)
        if inline_safe(argv) and r.random() < 0.25:
            item.framing = "inline"
            item.lf_only = r.random() < 0.3
        # Redis 5.0 processCommand answers QUIT before any other check
        # (arity, MULTI queueing): it always closes.
        item.terminal = (lname == b"quit")
        items.append(item)
        follow = None if last else _follow_up(r, argv)
        if follow is not None:
            items.append(Item("cmd", follow))
    s = Session(seed, items, set(), tag)
    # Chop points: a few random cuts, sometimes every byte of one item.
    for idx, item in enumerate(items):
        size = len(item.encode())
        if size < 2:
            continue
        roll = r.random()
        if roll < 0.1 and size < 80:
            s.chops.update((idx, off) for off in range(1, size))
        elif roll < 0.6:
            for _ in range(r.randint(1, 3)):
                s.chops.add((idx, r.randint(1, size - 1)))
    return s


#: CONFIG SET values that would make the run itself unreliable: a query
#: buffer limit or a client count the control connection cannot live with,
#: a password it does not know, an idle timeout short enough to race the
#: session.  (name, lowest safe number); the generator never draws them,
#: and the shrinker must not make them (its "1" for "1073741824").
UNSAFE_CONFIG = {b"client-query-buffer-limit": 1048576, b"maxclients": 100,
                 b"timeout": 100}


def locks_out(s):
    """True if session s would set one of UNSAFE_CONFIG below its safe
    number, or set a non-empty requirepass."""
    for item in s.items:
        a = item.argv
        if item.kind != "cmd" or len(a) < 4 or a[0].lower() != b"config" \
                or a[1].lower() != b"set":
            continue
        name = a[2].lower()
        if name == b"requirepass" and a[3] != b"":
            return True
        low = UNSAFE_CONFIG.get(name)
        if low is not None and a[3].isdigit() and 0 < int(a[3]) < low:
            return True
    return False


def describe(s):
    """A short human-readable listing of a session, one line per item."""
    lines = []
    for idx, item in enumerate(s.items):
        cuts = sorted(off for (i, off) in s.chops if i == idx)
        if item.kind == "raw":
            text = "raw %r (%s)" % (item.raw[:60], item.desc)
        else:
            text = "%s %s" % (item.framing, " ".join(
                repr(a)[2:-1] for a in item.argv))
        if cuts:
            text += "  [chops at %s]" % ",".join(map(str, cuts[:12]))
        lines.append("  %2d. %s" % (idx + 1, text))
    return "\n".join(lines)
