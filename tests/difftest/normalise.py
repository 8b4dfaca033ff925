"""normalise.py - turn a Redis 7.0 reply stream into its Redis 5.0 form.

Where this sits: tests/difftest/difftest.py plays one generated session
(tests/difftest/gen.py) against minired and a reference redis-server.  When
the reference is Debian's Redis 7.0, its replies go through this module
before the byte-for-byte comparison; against a Redis 5.0.14 reference
(`--no-normalise`) nothing here runs except the one structural rule
`keys-order` (see below).

What flows in: the reply bytes of one connection and the session's items;
what flows out: the rewritten bytes and the names of the rules that fired.

How replies are tied to requests: reply_contexts() models how many
top-level replies Redis 5.0 sends for each request (one per command, one
per channel for (UN)SUBSCRIBE, none for an empty inline line, ...) and,
for EXEC, which queued command each array element answers.  A rule that is
only right for one command (SELECT's "invalid DB index", MSET's own arity
text) fires only on a reply tied to that command.  If the model's count
does not match the replies (it does not know every corner), the contextual
rules are not applied at all and the difference is reported: nothing is
ever guessed.

Every rule is named and says which 7.0 change it undoes; most come from
the tables the other suites already use (tests/sidebyside/sidebyside.py
NORMALISATIONS, tests/integration/harness.py VARIANTS), re-keyed by
command.  Only error replies (a '-' where a reply starts) are rewritten,
never bulk data.
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sidebyside"))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

import sidebyside          # noqa: E402  (NORMALISATIONS, escape_bytes)
import harness             # noqa: E402  (VARIANTS)

#: Arity of every command minired has (src/server.c redisCommandTable;
#: the same numbers as Redis 5.0.14's table): N exact, -N at least N.
ARITY = {
    "get": 2, "set": -3, "append": 3, "strlen": 2, "del": -2, "exists": -2,
    "incr": 2, "decr": 2, "mget": -2, "incrby": 3, "decrby": 3,
    "getset": 3, "mset": -3, "select": 2, "expire": 3, "keys": 2,
    "dbsize": 1, "auth": 2, "ping": -1, "echo": 2, "shutdown": -1,
    "multi": 1, "exec": 1, "discard": 1, "flushdb": -1, "flushall": -1,
    "info": -1, "ttl": 2, "pttl": 2, "debug": -2, "config": -2,
    "subscribe": -2, "unsubscribe": -1, "publish": 3, "client": -2,
    "time": 1, "command": 0, "quit": -1,
}

#: Commands Redis 5.0 still runs on a subscribed RESP2 connection
#: (5.0.14 server.c processCommand: "only (P)SUBSCRIBE / (P)UNSUBSCRIBE /
#: PING / QUIT allowed in this context").
PUBSUB_OK = {"subscribe", "unsubscribe", "psubscribe", "punsubscribe",
             "ping", "quit"}


def arity_ok(argv):
    a = ARITY.get(argv[0].lower().decode("latin-1"))
    if a is None:
        return False
    return len(argv) == a if a > 0 else len(argv) >= -a


def reply_contexts(items):
    """Model Redis 5.0: the request each top-level reply answers.

    Returns a list with one entry per expected top-level reply: the argv
    of the command it answers, or ("exec", [argv, ...]) for the array EXEC
    returns, or None for a protocol error.  Returns None where the model
    cannot say (an EXEC whose queue holds SUBSCRIBE, whose replies do not
    fit the array header).
    """
    ctx = []
    multi = False
    dirty = False
    queued = []
    subs = set()
    for item in items:
        if item.kind == "raw":
            if item.terminal:
                ctx.append(None)
                return ctx
            if item.raw in (b"\r\n", b"\n", b"*-1\r\n", b"*0\r\n"):
                continue            # processMultibulkBuffer / inline: no reply
            if item.raw == b"*1\r\n$4\r\nPINGxx":
                ctx.append([b"PING"])  # 5.0 skips 2 bytes after a bulk
                continue              # without checking they are CRLF
            if item.raw == b"$-1\r\n":
                ctx.append([b"$-1"])  # an inline unknown command "$-1"
                continue
            return None
        argv = item.argv
        name = argv[0].lower().decode("latin-1")
        if name == "quit":
            ctx.append(argv)
            return ctx
        if name not in ARITY or not arity_ok(argv):
            ctx.append(argv)        # unknown command / arity error
            dirty = dirty or multi  # 5.0 flagTransaction: EXEC aborts
            continue
        if subs and name not in PUBSUB_OK:
            ctx.append(("pubsub", argv))   # 5.0's pubsub-context error
            continue
        if multi and name not in ("exec", "discard", "multi", "watch"):
            queued.append(argv)
            ctx.append(argv)        # +QUEUED
            continue
        if name == "multi":
            multi = True
            ctx.append(argv)
        elif name == "exec":
            if multi and dirty:
                ctx.append(argv)    # -EXECABORT, nothing of the queue runs
            elif multi:
                if any(q[0].lower() in (b"subscribe", b"unsubscribe")
                       for q in queued):
                    return None
                ctx.append(("exec", queued))
            else:
                ctx.append(argv)
            multi, queued, dirty = False, [], False
        elif name == "discard":
            multi, queued, dirty = False, [], False
            ctx.append(argv)
        elif name == "subscribe":
            for chn in argv[1:]:
                subs.add(chn)
                ctx.append(argv)
        elif name == "unsubscribe":
            if len(argv) > 1:
                for chn in argv[1:]:
                    subs.discard(chn)
                    ctx.append(argv)
            else:
                for _ in range(max(1, len(subs))):
                    ctx.append(argv)
                subs.clear()
        else:
            ctx.append(argv)
    return ctx


# ---------------------------------------------------------------------------
# Reply parsing
# ---------------------------------------------------------------------------

def reply_end(data, pos):
    """Index just past the RESP2 reply starting at data[pos], or None."""
    eol = data.find(b"\r\n", pos)
    if eol < 0:
        return None
    kind = data[pos:pos + 1]
    if kind in (b"+", b"-", b":"):
        return eol + 2
    try:
        n = int(data[pos + 1:eol])
    except ValueError:
        return None
    if kind == b"$":
        end = eol + 2 + (n + 2 if n >= 0 else 0)
        return end if end <= len(data) else None
    if kind == b"*":
        p = eol + 2
        for _ in range(max(n, 0)):
            p = reply_end(data, p)
            if p is None:
                return None
        return p
    return None


def split_replies(data):
    """(list of top-level reply byte strings, unparsed rest)."""
    out = []
    pos = 0
    while pos < len(data):
        end = reply_end(data, pos)
        if end is None:
            break
        out.append(data[pos:end])
        pos = end
    return out, data[pos:]


def array_elements(reply):
    """The elements of an array reply as byte strings (None if not one)."""
    if not reply.startswith(b"*"):
        return None
    eol = reply.find(b"\r\n")
    n = int(reply[1:eol])
    pos = eol + 2
    out = []
    for _ in range(max(n, 0)):
        end = reply_end(reply, pos)
        if end is None:
            return None
        out.append(reply[pos:end])
        pos = end
    return out


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------

def _sbs(name):
    """A sidebyside.NORMALISATIONS entry as (regex, repl)."""
    pattern, repl, _why = sidebyside.NORMALISATIONS[name]
    return pattern, repl


def _echo_arg(index, template):
    """A replacement that prints argv[index] exactly as the client sent
    it (7.0 shows subcommand names lower-cased or cut at 128 bytes; 5.0
    echoes them as they came)."""
    def repl(m, argv):
        if len(argv) <= index:
            return None
        return template % argv[index]
    return repl


def _unknown_cmd(m, argv):
    return sidebyside._unknown_command_50(m)


def _c_str(arg):
    """What printf's %s prints of an argument: up to its first NUL."""
    return arg.split(b"\x00", 1)[0]


def _c_string(line):
    """5.0 addReplyErrorFormat turns CR and LF into spaces so the error
    stays one protocol line (5.0.14 networking.c addReplyErrorFormat)."""
    return line.replace(b"\r", b" ").replace(b"\n", b" ")


def _kill_id_value(argv):
    """The value of the first ID option of CLIENT KILL <option value>...,
    where 5.0.14 clientCommand stops at the first bad value ("1" if
    none: the rule then does not fire)."""
    i = 2
    while i + 1 < len(argv):
        if argv[i].lower() == b"id":
            return argv[i + 1]
        i += 2
    return b"1"


def _plain(text):
    return lambda m, argv: text


def _expand(repl):
    return lambda m, argv: m.expand(repl)


#: name -> (commands it may fire for (None: any), 7.0 error line regex,
#:          repl(match, argv) -> 5.0 line or None, why)
RULES = {
    "pubsub-context-order": (
        "pubsub",
        rb"-ERR unknown subcommand '.*'\. Try (?:CLIENT|CONFIG) HELP\."
        rb"|-ERR wrong number of arguments for '(?:client|config)\|[a-z]+' "
        rb"command"
        rb"|-EXECABORT Transaction discarded because of: Can't execute "
        rb"'exec': only .* are allowed in this context",
        _plain(_sbs("pubsub-context")[1]),
        "A command other than (P)SUBSCRIBE/(P)UNSUBSCRIBE/PING/QUIT on a "
        "subscribed connection: 5.0.14 server.c processCommand checks the "
        "command name and arity, then the pubsub context, so CLIENT/CONFIG "
        "with a bad subcommand and EXEC get the pubsub-context error; 7.0 "
        "checks subcommands in lookup (before) and turns any rejected EXEC "
        "into EXECABORT (commit 65a3307bc, 6.2-rc1).  Only fires on a reply "
        "the model ties to a request 5.0 rejects for the pubsub context."),
    "unknown-command": (
        None, _sbs("unknown-command")[0], _unknown_cmd,
        "tests/sidebyside/sidebyside.py NORMALISATIONS['unknown-command']: "
        "7.0 quotes with ' and spaces, 5.0 processCommand with backquotes "
        "and commas."),
    "auth-no-password": (
        {"auth"},
        re.escape(harness.VARIANTS["auth-no-password-set"]["7.0"][:-2]),
        _plain(harness.VARIANTS["auth-no-password-set"]["5.0"][:-2]),
        "tests/integration/harness.py VARIANTS['auth-no-password-set']: "
        "5.0 authCommand 'Client sent AUTH, but no password is set'."),
    "pubsub-context": (
        None, _sbs("pubsub-context")[0],
        _plain(_sbs("pubsub-context")[1]),
        "sidebyside NORMALISATIONS['pubsub-context']: 5.0 processCommand's "
        "fixed text for a non-pubsub command on a subscribed connection."),
    "set-expire-time": (
        {"set"}, _sbs("set-expire-time")[0],
        _plain(_sbs("set-expire-time")[1]),
        "sidebyside NORMALISATIONS['set-expire-time']: 5.0 t_string.c "
        "setGenericCommand 'invalid expire time in %s'."),
    "mset-odd-args": (
        {"mset"}, _sbs("mset-odd-args")[0],
        lambda m, argv: (_sbs("mset-odd-args")[1]
                         if len(argv) >= 4 and len(argv) % 2 == 0 else None),
        "sidebyside NORMALISATIONS['mset-odd-args']: 5.0 msetGenericCommand "
        "'wrong number of arguments for MSET', only for an even argc >= 4."),
    "client-unknown-subcommand": (
        {"client"}, _sbs("client-unknown-subcommand")[0],
        _echo_arg(1, b"-ERR Unknown subcommand or wrong number of arguments "
                     b"for '%s'. Try CLIENT HELP"),
        "sidebyside NORMALISATIONS['client-unknown-subcommand'] (5.0 "
        "networking.c clientCommand), with the subcommand as sent."),
    "client-kill-arity": (
        {"client"},
        rb"-ERR wrong number of arguments for 'client\|kill' command",
        lambda m, argv: b"-ERR syntax error" if len(argv) == 2 else None,
        "CLIENT KILL alone: 5.0.14 networking.c clientCommand's kill branch "
        "answers an argc below 3 with shared.syntaxerr; 7.0 reports the "
        "subcommand's arity (must come before client-subcommand-arity)."),
    "client-kill-id": (
        {"client"}, rb"-ERR client-id should be greater than 0",
        lambda m, argv: (b"-ERR value is not an integer or out of range"
                         if not re.fullmatch(rb"-?[0-9]+",
                                             _kill_id_value(argv))
                         else None),
        "CLIENT KILL ID <not a number>: 5.0.14 clientCommand reads the id "
        "with getLongLongFromObjectOrReply (the generic integer error); "
        "7.0 uses getRangeLongFromObjectOrReply with its own text (commit "
        "3119a3aeb, #9853, 7.0-rc1).  Not for numbers <= 0: 7.0 rejects "
        "them, 5.0 accepts them (a behaviour change, not normalised)."),
    "client-subcommand-arity": (
        {"client"}, _sbs("client-subcommand-arity")[0],
        _echo_arg(1, b"-ERR Unknown subcommand or wrong number of arguments "
                     b"for '%s'. Try CLIENT HELP"),
        "sidebyside NORMALISATIONS['client-subcommand-arity']: 7.0 checks "
        "subcommand arity generically; 5.0 clientCommand falls through to "
        "its unknown-subcommand text, echoing the subcommand as sent."),
    "config-unknown-subcommand": (
        {"config"}, _sbs("config-unknown-subcommand")[0],
        _echo_arg(1, b"-ERR Unknown subcommand or wrong number of arguments "
                     b"for '%s'. Try CONFIG HELP."),
        "sidebyside NORMALISATIONS['config-unknown-subcommand'] (5.0 "
        "config.c configCommand -> addReplySubcommandSyntaxError)."),
    "config-subcommand-arity": (
        {"config"}, _sbs("config-subcommand-arity")[0],
        _echo_arg(1, b"-ERR Unknown subcommand or wrong number of arguments "
                     b"for '%s'. Try CONFIG HELP."),
        "sidebyside NORMALISATIONS['config-subcommand-arity'], subcommand "
        "as sent."),
    "config-set-unknown-parameter": (
        {"config"}, _sbs("config-set-unknown-parameter")[0],
        _echo_arg(2, b"-ERR Unsupported CONFIG parameter: %s"),
        "sidebyside NORMALISATIONS['config-set-unknown-parameter'] (5.0 "
        "config.c configSetCommand)."),
    "config-set-bad-value": (
        {"config"},
        rb"-ERR CONFIG SET failed \(possibly related to argument '[^']*'\)"
        rb"( - .*)?",
        lambda m, argv: (_c_string(b"-ERR Invalid argument '%s' for CONFIG "
                                   b"SET '%s'" % (_c_str(argv[3]),
                                                  _c_str(argv[2])))
                         if len(argv) == 4 else None),
        "CONFIG SET <known> <bad value>: 5.0.14 config.c configSetCommand "
        "(label badfmt) replies \"Invalid argument '%s' for CONFIG SET "
        "'%s'\" with the value and the name as sent; 7.0 words it "
        "\"CONFIG SET failed (possibly related to argument '%s') - why\" "
        "since commit a09bc5045 (#9924, first in 7.0-rc1). Not used for "
        "values 7.0 rejects and 5.0 accepts: those stay differences."),
    "config-set-arity": (
        {"config"}, rb"-ERR syntax error",
        lambda m, argv: (_c_string(b"-ERR Unknown subcommand or wrong number "
                                   b"of arguments for '%s'. Try CONFIG HELP."
                                   % _c_str(argv[1]))
                         if len(argv) > 4 and len(argv) % 2 == 1 and
                         argv[1].lower() == b"set" else None),
        "CONFIG SET name value extra (odd argc > 4): 5.0.14 config.c "
        "configCommand only takes SET with argc == 4 and otherwise calls "
        "addReplySubcommandSyntaxError; 7.0.15 configSetCommand sets "
        "several pairs and answers an odd argc with shared.syntaxerr. "
        "(An even argc > 4 sets several parameters in 7.0: a behaviour "
        "change, not normalised.)"),
    "select-invalid-index": (
        {"select"}, _sbs("select-invalid-index")[0],
        _plain(_sbs("select-invalid-index")[1]),
        "sidebyside NORMALISATIONS['select-invalid-index']: 5.0 db.c "
        "selectCommand 'invalid DB index'; only on SELECT's own reply."),
}


def _rule_applies(name, argv):
    cmds = RULES[name][0]
    if cmds == "pubsub":
        return isinstance(argv, tuple) and argv[0] == "pubsub"
    if isinstance(argv, tuple) and argv[0] == "pubsub":
        argv = argv[1]
    if cmds is None:
        return True
    if not argv or isinstance(argv, tuple):
        return False
    return argv[0].lower().decode("latin-1") in cmds


def _fix_error(line, argv, used, contextual):
    """Rewrite one error line (without CRLF) under the rules for argv."""
    for name, (cmds, pattern, repl, _why) in RULES.items():
        if cmds is not None and (not contextual or
                                 not _rule_applies(name, argv)):
            continue
        m = re.fullmatch(pattern, line, re.S)
        if not m:
            continue
        new = repl(m, argv[1] if isinstance(argv, tuple) and
                   argv[0] == "pubsub" else argv)
        if new is None:
            continue
        used.add(name)
        return new
    return line


def _fix_reply(reply, argv, used, contextual, keys_sorted):
    """Normalise one top-level reply answering argv."""
    if reply.startswith(b"-"):
        return _fix_error(reply[:-2], argv, used, contextual) + b"\r\n"
    if isinstance(argv, tuple) and argv[0] == "exec" and contextual:
        elems = array_elements(reply)
        if elems is not None and len(elems) == len(argv[1]):
            fixed = [_fix_reply(e, q, used, contextual, keys_sorted)
                     for e, q in zip(elems, argv[1])]
            return reply[:reply.find(b"\r\n") + 2] + b"".join(fixed)
        return reply
    if contextual and argv and not isinstance(argv, tuple) and \
            len(argv) == 3 and argv[0].lower() == b"config" and \
            argv[1].lower() == b"get" and not re.search(rb"[\[*?]", argv[2]):
        # config-get-name-as-sent: 7.0.15 configGetCommand looks an exact
        # name up and replies with the name as the client sent it ("HZ");
        # 5.0.14 config.c configGetCommand matches each parameter with
        # stringmatch(pattern, name, 1) and replies with its own lower-case
        # name ("hz").  7.0 commit 4a45386e3 (#10323, first in 7.0-rc3).
        elems = array_elements(reply)
        if elems and len(elems) == 2 and elems[0].lower() != elems[0] and \
                elems[0][elems[0].find(b"\r\n") + 2:-2] == argv[2]:
            used.add("config-get-name-as-sent")
            return reply[:reply.find(b"\r\n") + 2] + elems[0].lower() + \
                elems[1]
    if keys_sorted and argv and not isinstance(argv, tuple) and \
            argv[0].lower() == b"keys" and len(argv) == 2:
        elems = array_elements(reply)
        if elems is not None and len(elems) > 1:
            used.add("keys-order")
            return reply[:reply.find(b"\r\n") + 2] + b"".join(sorted(elems))
    return reply


def _sort_unsubscribe_all(replies, ctx, used):
    """unsubscribe-all-order: the replies of one argument-less UNSUBSCRIBE
    name the channels in the order of the server's pubsub_channels hash
    table, random per process in 5.0.14 too (pubsub.c
    pubsubUnsubscribeAllChannels walks c->pubsub_channels with a dict
    iterator; the hash seed comes from getRandomHexChars in server.c main).
    The channel names are sorted across the group; each reply keeps its
    own position and remaining-subscriptions count, so a wrong count or a
    missing channel still shows."""
    out = list(replies)
    i = 0
    while i < len(out):
        argv = ctx[i]
        if not (isinstance(argv, list) and len(argv) == 1 and
                argv[0].lower() == b"unsubscribe"):
            i += 1
            continue
        j = i
        while j < len(out) and ctx[j] is argv:
            j += 1
        group = [array_elements(r) for r in out[i:j]]
        if j - i > 1 and all(g and len(g) == 3 for g in group):
            names = sorted(g[1] for g in group)
            if names != [g[1] for g in group]:
                used.add("unsubscribe-all-order")
            for k, g in enumerate(group):
                out[i + k] = b"*3\r\n" + g[0] + names[k] + g[2]
        i = j
    return out


def normalise(data, items, flavour, used=None):
    """Normalise one connection's reply bytes.

    flavour "7.0": every rule of RULES plus keys-order; "exact": keys-order
    only.  keys-order sorts the elements of a KEYS reply: their order is
    the order of the server's hash table, which in Redis 5.0.14 too depends
    on a random per-process seed (server.c main: dictSetHashFunctionSeed
    with getRandomHexChars), so two real 5.0.14 servers differ there.  It
    never hides an extra or a missing key.
    """
    if used is None:
        used = set()
    replies, rest = split_replies(data)
    ctx = reply_contexts(items)
    contextual = ctx is not None and len(ctx) >= len(replies)
    if flavour != "7.0" and not contextual:
        return data
    if contextual:
        replies = _sort_unsubscribe_all(replies, ctx, used)
    out = []
    for i, reply in enumerate(replies):
        argv = ctx[i] if contextual else None
        if flavour == "7.0":
            out.append(_fix_reply(reply, argv, used, contextual, contextual))
        else:
            out.append(_fix_reply(reply, argv, used, False, True)
                       if not reply.startswith(b"-") else reply)
    return b"".join(out) + rest
