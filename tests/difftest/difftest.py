#!/usr/bin/python3
"""difftest.py - random differential testing: minired against redis-server.

Where this sits: the `difftest` suite of tests/run-all.sh and `make
difftest`.  gen.py makes sessions from a seed; this script starts minired
and a reference redis-server (one of each for the whole run), plays every
session on a fresh connection to each (the same bytes, cut at the same chop
points, 1 ms between pieces), compares what comes back byte for byte after
normalise.py (Redis 7.0 -> 5.0 texts; nothing but the KEYS order with
--no-normalise), and on a difference:

  1. known.txt: if the session holds requests matched by a known-departure
     rule, they are dropped and the session replayed; if the difference
     goes away it is counted as known (and named), not failed;
  2. otherwise the session is shrunk (drop requests, drop chop points,
     simplify arguments) while the difference persists, and the minimal
     repro is printed: raw bytes, both servers' replies, and a
     tests/corpus-style .session ready to paste.

Between sessions a control connection to each server runs FLUSHALL and
puts back every CONFIG value a session may change, then waits until it is
the server's only client (so an old subscriber cannot count in PUBLISH).

Each session ends with a sentinel `PING difftest-<seed>` (after DISCARD if
a MULTI is open); the replies are complete when they end with the
sentinel's, or when the server has closed.  A session whose last request
makes Redis close (protocol error, QUIT) has no sentinel and is read until
the close.  Every wait is a hang guard (harness.guard): a server that
neither answers nor closes within it is recorded as "timed out", which is
itself compared.

Usage:
  difftest.py [--seed S] [--sessions N] [--reference PATH]
              [--candidate PATH] [--no-normalise] [--suite] [--only I]
  --suite: the run-all.sh line protocol, one PASS/FAIL line per batch of
  50 sessions (a FAIL line follows the printed repro).
Environment: MINIRED_DIFFTEST_SEED (default seed), MINIRED_TIME_FACTOR
(hang guards; sanitize mode sets 3).
"""

import argparse
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import gen          # noqa: E402
import normalise    # noqa: E402
from normalise import harness, sidebyside   # noqa: E402

DEFAULT_SEED = 20261202
BATCH = 50
PIECE_PAUSE = 0.001          # seconds between two pieces of a session
SESSION_GUARD = 5.0          # hang guard per session (scaled)
KNOWN_FILE = os.path.join(HERE, "known.txt")


# ---------------------------------------------------------------------------
# Known departures
# ---------------------------------------------------------------------------

class KnownRule:
    """One line of known.txt:

        name | ref | command | args-regex | reason | documented

    ref: "any", "7.0" (only against a Redis >= 6 reference) or "5.0".
    command: a lower-case command name, or "raw" for a malformed request
    (then args-regex is matched against the request's bytes).  args-regex:
    a Python regex that must match the whole of the arguments after the
    command name, each written by arg_text() (the corpus escapes, NUL
    as \\x00, a space as \\x20) and separated by one space.  A rule
    matches a request, never a session: the session is replayed without
    the matched requests, and only if the difference then disappears is
    it counted as known.
    """

    def __init__(self, fields, where):
        if len(fields) != 6:
            raise ValueError("%s: want 6 fields separated by ' | ', got %d"
                             % (where, len(fields)))
        self.name, self.ref, self.command, args, self.reason, self.doc = \
            [f.strip() for f in fields]
        if self.ref not in ("any", "7.0", "5.0"):
            raise ValueError("%s: ref must be any, 7.0 or 5.0" % where)
        if not self.command or self.command in ("*", ".*"):
            raise ValueError("%s: a rule must name one command" % where)
        if re.fullmatch(args.strip(), "") is not None and \
                re.fullmatch(args.strip(), "any thing \\0") is not None:
            raise ValueError("%s: args-regex %r matches every use of the "
                             "command: name the arguments" % (where, args))
        self.args = re.compile(args.strip(), re.S)

    def applies_to(self, flavour):
        return self.ref == "any" or self.ref == flavour

    def matches(self, item):
        if item.kind == "raw":
            return (self.command == "raw" and
                    self.args.fullmatch(sidebyside.escape_bytes(item.raw))
                    is not None)
        if item.name() != self.command:
            return False
        text = " ".join(arg_text(a) for a in item.argv[1:])
        return self.args.fullmatch(text) is not None


def arg_text(arg):
    """One argument as known.txt's args-regex sees it: the corpus escapes,
    and a space written \\x20 so that one argument is one \\S+ word."""
    return sidebyside.escape_bytes(arg).replace(" ", "\\x20")


def load_known(path=KNOWN_FILE):
    rules = []
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            rules.append(KnownRule(line.split(" | "), "%s:%d" % (path, no)))
    return rules


# ---------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------

def version_of(binary):
    """'5.0' or '7.0' (any major >= 6) for a redis-server; 'minired' else."""
    if "redis-server" not in os.path.basename(binary):
        return "minired"
    out = subprocess.run([binary, "--version"], capture_output=True,
                         text=True, timeout=10).stdout
    m = re.search(r"v=(\d+)\.", out)
    return "5.0" if m and int(m.group(1)) < 6 else "7.0"


class DServer(harness.Server):
    """harness.Server for a given binary (harness picks the sanitizer and
    valgrind checks and the cleanup at exit)."""

    def __init__(self, binary, extra=()):
        super().__init__(args=extra)
        self.binary = binary
        self.is_redis = "redis-server" in os.path.basename(binary)

    def command(self, port):
        cmd = [self.binary, "--port", str(port), "--bind", "127.0.0.1"]
        if self.is_redis:
            cmd += ["--save", "", "--appendonly", "no"]
        return cmd + self.args


class Control:
    """The control connection to one server: reset between sessions."""

    def __init__(self, server):
        self.server = server
        self.conn = harness.Conn(("127.0.0.1", server.port))
        self.defaults = {}
        self.reconnects = 0
        for name in gen.CONFIG_SET:
            got = self.conn.call("CONFIG", "GET", name)
            elems = normalise.array_elements(got)
            if elems and len(elems) == 2:
                val = elems[1]
                self.defaults[name] = val[val.find(b"\r\n") + 2:-2]

    def reset(self):
        """FLUSHALL and every CONFIG value back to its start value.  A
        session may have killed this connection (CLIENT KILL ID 1, or a
        shrunk variant of some CLIENT KILL): then reconnect once."""
        try:
            self._reset()
        except (OSError, harness.TestFailure):
            self.reconnects += 1
            self.conn.close()
            self.conn = harness.Conn(("127.0.0.1", self.server.port))
            self._reset()

    @staticmethod
    def inline(*argv):
        """A control command in inline form: a session may have set
        proto-max-bulk-len to a few bytes, which limits multibulk requests
        only (5.0.14 networking.c processMultibulkBuffer)."""
        return gen.Item("cmd", [a.encode() if isinstance(a, str) else a
                                for a in argv], framing="inline").encode()

    def _reset(self):
        cmds = [self.inline("FLUSHALL")]
        for name, val in self.defaults.items():
            cmds.append(self.inline("CONFIG", "SET", name, val))
        self.conn.send(b"".join(cmds))
        for _ in cmds:
            r = self.conn.read_reply()
            if not r.startswith(b"+OK"):
                raise RuntimeError("reset of %s failed: %r"
                                   % (self.server.binary, r))

    def wait_alone(self):
        """Until the control connection is the only client (the previous
        session's connection is gone)."""
        last = [b""]

        def alone():
            try:
                self.conn.send(self.inline("CLIENT", "LIST"))
                r = last[0] = self.conn.read_reply()
            except (OSError, harness.TestFailure):
                # killed by the session (CLIENT KILL): a new connection
                self.reconnects += 1
                self.conn.close()
                self.conn = harness.Conn(("127.0.0.1", self.server.port))
                return False
            # one "id=N addr=... cmd=client" line per client
            return len(re.findall(rb"(?:^|\n)id=",
                                  r[r.find(b"\n") + 1:])) == 1
        try:
            harness.wait_for(alone, 5, "the previous session's connection "
                             "to close on %s" % self.server.binary,
                             step=0.002)
        except harness.TestFailure as e:
            raise harness.TestFailure("%s; CLIENT LIST: %r" % (e, last[0]))


# ---------------------------------------------------------------------------
# Playing one session
# ---------------------------------------------------------------------------

def sentinel_items(s):
    """The requests appended after the session: DISCARD if a MULTI is
    open, then PING difftest-<seed>.  None for a terminal session."""
    if s.terminal():
        return None
    multi = False
    for item in s.items:
        if item.kind == "cmd" and len(item.argv) == 1:
            if item.name() == "multi":
                multi = True
            elif item.name() in ("exec", "discard"):
                multi = False
    out = [gen.Item("cmd", [b"DISCARD"])] if multi else []
    out.append(gen.Item("cmd", [b"PING", b"difftest-%d" % s.seed]))
    return out


class Result:
    """What one server did with one session."""

    def __init__(self, data, closed, timed_out):
        self.data = data
        self.closed = closed
        self.timed_out = timed_out

    def key(self):
        return (self.data, self.closed, self.timed_out)

    def state(self):
        return ("closed the connection" if self.closed else
                "timed out (neither finished nor closed)" if self.timed_out
                else "kept the connection")


def play(s, port, guard=SESSION_GUARD):
    """Play session s on a fresh connection to port; return a Result."""
    sock = socket.create_connection(("127.0.0.1", port),
                                    timeout=harness.guard(guard))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = bytearray()
    closed = False

    def drain(wait):
        nonlocal closed
        while not closed:
            r, _, _ = select.select([sock], [], [], wait)
            if not r:
                return
            try:
                got = sock.recv(1 << 16)
            except (ConnectionResetError, BrokenPipeError):
                got = b""
            if not got:
                closed = True
                return
            buf.extend(got)
            wait = 0
    try:
        tail = sentinel_items(s)
        parts = gen.pieces(s)
        if tail:
            parts.append(b"".join(i.encode() for i in tail))
        for n, piece in enumerate(parts):
            if closed:
                break
            try:
                sock.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):
                pass
            drain(0)
            if n + 1 < len(parts):
                time.sleep(PIECE_PAUSE)
        end = b"difftest-%d\r\n" % s.seed
        deadline = time.monotonic() + harness.guard(guard)
        while not closed and time.monotonic() < deadline:
            if tail and buf.endswith(end):
                break
            drain(0.05)
        timed_out = not closed and not (tail and buf.endswith(end))
    finally:
        sock.close()
    return Result(bytes(buf), closed, timed_out)


# ---------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------

class Runner:
    """Both servers, their control connections, and the comparison."""

    def __init__(self, candidate, reference, normalise_on, guard):
        self.cand_bin = candidate
        self.ref_bin = reference
        self.flavour = version_of(reference)
        self.mode = "7.0" if (normalise_on and self.flavour == "7.0") \
            else "exact"
        self.guard = guard
        self.plays = 0
        self.cand = self.ref = None
        self.cand_args = []      # extra options (the self-test's fake)

    def start(self):
        self.cand = DServer(self.cand_bin, self.cand_args).start()
        self.ref = DServer(self.ref_bin).start()
        self.cctl = Control(self.cand)
        self.rctl = Control(self.ref)

    def stop(self):
        for srv in (self.cand, self.ref):
            if srv is not None:
                srv.stop()

    def check_alive(self):
        """Restart a server that died; return a message if one had."""
        msg = None
        for attr, ctl in (("cand", "cctl"), ("ref", "rctl")):
            srv = getattr(self, attr)
            if srv.proc.poll() is not None:
                msg = "%s exited with status %s" % (srv.binary,
                                                   srv.proc.returncode)
                tail = srv.log_tail(15)
                print("\n".join("#   " + line for line in tail.splitlines()))
                new = DServer(srv.binary, srv.args).start()
                setattr(self, attr, new)
                setattr(self, ctl, Control(new))
        return msg

    def run_both(self, s):
        """Play s on both servers at once, each freshly reset, and return
        (cand Result, ref Result)."""
        self.plays += 1
        self.cctl.reset()
        self.rctl.reset()
        out = [None, None]

        def one(n, port):
            try:
                out[n] = play(s, port, self.guard)
            except OSError as e:
                out[n] = e
        threads = [threading.Thread(target=one, args=(0, self.cand.port)),
                   threading.Thread(target=one, args=(1, self.ref.port))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for res, srv in zip(out, (self.cand, self.ref)):
            if isinstance(res, Exception):
                raise RuntimeError("%s: %s" % (srv.binary, res))
        self.cctl.wait_alone()
        self.rctl.wait_alone()
        return out[0], out[1]

    def normalised(self, s, cres, rres):
        items = s.items + (sentinel_items(s) or [])
        used = set()
        c = normalise.normalise(cres.data, items, "exact", set())
        r = normalise.normalise(rres.data, items, self.mode, used)
        return c, r, used

    def differs(self, s):
        """None if both servers agree on s, else (cand, ref, c, r)."""
        cres, rres = self.run_both(s)
        c, r, _ = self.normalised(s, cres, rres)
        if c == r and cres.closed == rres.closed and \
                cres.timed_out == rres.timed_out:
            return None
        return cres, rres, c, r


def first_difference(c, r, cres, rres):
    b = 0
    while b < min(len(c), len(r)) and c[b] == r[b]:
        b += 1
    if c != r:
        return ("replies part at byte %d: minired %s vs reference %s"
                % (b, sidebyside.window(c, b) if b < len(c) else
                   "<end, %d bytes>" % len(c),
                   sidebyside.window(r, b) if b < len(r) else
                   "<end, %d bytes>" % len(r)))
    return ("same bytes, but minired %s and the reference %s"
            % (cres.state(), rres.state()))


# ---------------------------------------------------------------------------
# Shrinking
# ---------------------------------------------------------------------------

SIMPLER_ARGS = [b"k1", b"1", b"v", b""]


def shrink(runner, s, budget=400):
    """Minimise s while runner.differs() stays true.  Returns the smallest
    session found (at most `budget` replays)."""
    best = s

    def still(cand):
        nonlocal best
        if runner.plays >= start + budget or gen.locks_out(cand):
            return False
        if runner.differs(cand):
            best = cand
            return True
        return False
    start = runner.plays

    def without(sess, drop):
        """sess minus the items whose indexes are in drop (chops follow)."""
        keep = [i for i in range(len(sess.items)) if i not in drop]
        new = sess.copy()
        new.items = [sess.items[i].copy() for i in keep]
        remap = {old: new_i for new_i, old in enumerate(keep)}
        new.chops = set((remap[i], off) for (i, off) in sess.chops
                        if i in remap)
        return new

    # 1. Drop requests: halves, quarters, ... then one at a time.
    chunk = max(1, len(best.items) // 2)
    while chunk >= 1:
        i = 0
        while i < len(best.items):
            if len(best.items) > 1 and \
                    still(without(best, set(range(i, i + chunk)))):
                continue
            i += chunk
        chunk //= 2
    # 2. Drop chop points: all, then per request, then one by one.
    if best.chops:
        trial = best.copy()
        trial.chops = set()
        if not still(trial):
            for idx in range(len(best.items)):
                trial = best.copy()
                trial.chops = set(c for c in best.chops if c[0] != idx)
                if trial.chops != best.chops:
                    still(trial)
            for c in sorted(best.chops):
                trial = best.copy()
                trial.chops = best.chops - {c}
                still(trial)
    # 3. Simplify arguments: drop one, swap for a plain one, halve a long
    #    one; then multibulk instead of inline framing.
    for idx in range(len(best.items)):
        item = best.items[idx]
        if item.kind != "cmd":
            continue
        j = len(item.argv) - 1
        while j >= 1:
            cur = best.items[idx]
            if j < len(cur.argv):
                trial = best.copy()
                trial.items[idx].argv = cur.argv[:j] + cur.argv[j + 1:]
                if not still(trial):
                    for simple in SIMPLER_ARGS:
                        arg = best.items[idx].argv[j]
                        if len(simple) >= len(arg) or simple == arg:
                            continue
                        trial = best.copy()
                        trial.items[idx].argv[j] = simple
                        if still(trial):
                            break
                    arg = best.items[idx].argv[j]
                    while len(arg) > 8:
                        trial = best.copy()
                        trial.items[idx].argv[j] = arg[:len(arg) // 2]
                        if not still(trial):
                            break
                        arg = best.items[idx].argv[j]
            j -= 1
        if best.items[idx].framing == "inline":
            trial = best.copy()
            trial.items[idx].framing = "multibulk"
            still(trial)
    return best


def corpus_text(s, why, used):
    """The shrunk session as a tests/corpus/*.session file."""
    lines = ["# difftest seed %d (shrunk): %s" % (s.seed, why[:150]),
             "> FLUSHALL\\r\\n", "--"]
    for piece in gen.pieces(s):
        lines.append("> " + sidebyside.escape_bytes(piece).replace(
            " ", "\\x20") if piece.startswith(b" ") or piece.endswith(b" ")
            else "> " + sidebyside.escape_bytes(piece))
    if s.terminal():
        lines.append("@expect-close")
    for name in sorted(used):
        if name in sidebyside.NORMALISATIONS:
            lines.append("@normalise " + name)
    return "\n".join(lines)


def report_diff(runner, s, label):
    """Shrink s, print the minimal repro; return the FAIL reason."""
    before = runner.plays
    small = shrink(runner, s)
    got = runner.differs(small)
    if got is None:
        # Could not reproduce on replay: report the original as it was.
        small = s
        got = runner.differs(s)
        if got is None:
            return None
    cres, rres, c, r = got
    _, _, used = runner.normalised(small, cres, rres)
    why = first_difference(c, r, cres, rres)
    print("# ---- difference (%s), seed %d, shrunk from %d to %d requests "
          "in %d replays" % (label, s.seed, len(s.items), len(small.items),
                             runner.plays - before))
    print("# session (--only replays it):")
    print("\n".join("#" + line for line in gen.describe(small).splitlines()))
    print("# bytes sent, '|' = chop point (1 ms pause):")
    print("#   " + "|".join(sidebyside.escape_bytes(p)
                           for p in gen.pieces(small)))
    for tag, res, norm in (("minired", cres, c), ("reference", rres, r)):
        print("# %s (%s): %s" % (tag, res.state(),
                                 sidebyside.escape_bytes(norm)[:1500]))
    if used:
        print("# normalisations applied to the reference: %s"
              % ", ".join(sorted(used)))
    print("# as a tests/corpus session:")
    print("\n".join("#   " + line for line in
                    corpus_text(small, why, used).splitlines()))
    return why


def judge(runner, s, known):
    """Play s; return ("pass", None) / ("known", names) / ("diff", s2).

    s2 is the session to shrink: s without its known-matched requests."""
    if runner.differs(s) is None:
        return "pass", None
    matched = [i for i, item in enumerate(s.items)
               if any(k.matches(item) for k in known)]
    if not matched:
        return "diff", s
    reduced = s.copy()
    reduced.items = [it.copy() for i, it in enumerate(s.items)
                     if i not in matched]
    keep = [i for i in range(len(s.items)) if i not in matched]
    remap = {old: n for n, old in enumerate(keep)}
    reduced.chops = set((remap[i], o) for (i, o) in s.chops if i in remap)
    if runner.differs(reduced) is None:
        names = sorted(set(k.name for i in matched for k in known
                           if k.matches(s.items[i])))
        return "known", names
    return "diff", reduced


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="random differential testing (see the file header)")
    ap.add_argument("--seed", type=int,
                    default=int(os.environ.get("MINIRED_DIFFTEST_SEED")
                                or DEFAULT_SEED))
    ap.add_argument("--sessions", type=int, default=300)
    ap.add_argument("--only", type=int, default=None,
                    help="play only session number I of this seed")
    ap.add_argument("--candidate",
                    default=os.path.join(ROOT, "bin", "minired-server"))
    ap.add_argument("--reference", default="/usr/bin/redis-server")
    ap.add_argument("--candidate-arg", action="append", default=[],
                    help="an extra command-line word for the candidate "
                         "(the self-test's fake server)")
    ap.add_argument("--no-normalise", action="store_true")
    ap.add_argument("--suite", action="store_true",
                    help="run-all.sh line protocol")
    ap.add_argument("--max-failures", type=int, default=5,
                    help="stop shrinking after this many differences")
    ap.add_argument("--print-session", action="store_true",
                    help="print the sessions' bytes and exit (no servers)")
    opts = ap.parse_args(argv)
    prefix = "difftest"

    indexes = [opts.only] if opts.only is not None else \
        range(opts.sessions)
    seeds = [opts.seed * 1000003 + i for i in indexes]
    if opts.print_session:
        for sd in seeds:
            s = gen.make_session(sd)
            print("session seed %d:\n%s\n  bytes: %s"
                  % (sd, gen.describe(s),
                     sidebyside.escape_bytes(gen.session_bytes(s))))
        return 0

    for b in (opts.candidate, opts.reference):
        if not os.access(b, os.X_OK):
            print("FAIL %s: %s not found or not executable" % (prefix, b))
            return 1
    known_all = load_known()
    runner = Runner(opts.candidate, opts.reference, not opts.no_normalise,
                    SESSION_GUARD)
    runner.cand_args = opts.candidate_arg
    known = [k for k in known_all if k.applies_to(runner.flavour)]
    print("difftest: seed %d (MINIRED_DIFFTEST_SEED / --seed), %d sessions; "
          "candidate %s; reference %s (%s, %s comparison); %d "
          "known-departure rules" % (opts.seed, len(seeds), opts.candidate,
                                     opts.reference,
                                     "Redis " + runner.flavour
                                     if runner.flavour != "minired"
                                     else "not a redis-server",
                                     "7.0->5.0 normalised"
                                     if runner.mode == "7.0" else "exact",
                                     len(known)))
    sys.stdout.flush()
    failed = 0
    counts = {"pass": 0, "known": 0, "diff": 0}
    known_hits = {}
    try:
        runner.start()
        batch_fail = []
        for n, sd in enumerate(seeds):
            s = gen.make_session(sd)
            try:
                verdict, extra = judge(runner, s, known)
            except (RuntimeError, OSError, harness.TestFailure):
                # A server that crashed closes its listening socket before
                # its process is gone: give a dying one a moment to exit
                # (a hang guard) before deciding that both are alive.
                deadline = time.time() + harness.guard(5)
                while (runner.cand.proc.poll() is None and
                       runner.ref.proc.poll() is None and
                       time.time() < deadline):
                    time.sleep(0.05)
                if runner.cand.proc.poll() is None and \
                        runner.ref.proc.poll() is None:
                    raise
            dead = runner.check_alive()
            if dead:
                verdict, extra = "crash", dead
                print("# session that killed it (not shrunk):")
                print("\n".join("#" + line
                                for line in gen.describe(s).splitlines()))
                print("#   bytes: " + sidebyside.escape_bytes(
                    gen.session_bytes(s))[:2000])
            counts[verdict if verdict in counts else "diff"] += 1
            if verdict == "known":
                for name in extra:
                    known_hits[name] = known_hits.get(name, 0) + 1
            elif verdict in ("diff", "crash"):
                label = "session %d of seed %d" % (indexes[n], opts.seed)
                if verdict == "crash":
                    why = "server died: %s" % extra
                elif failed < opts.max_failures:
                    why = report_diff(runner, extra, label)
                else:
                    why = "difference (not shrunk: --max-failures reached)"
                if why is not None:
                    failed += 1
                    batch_fail.append("%s (session seed %d, --only %d): %s"
                                      % (label, sd, indexes[n], why))
                    if not opts.suite:
                        print("DIFF %s" % batch_fail[-1])
                else:
                    counts["pass"] += 1
            last = (n + 1 == len(seeds))
            if opts.suite and ((n + 1) % BATCH == 0 or last):
                lo = (n // BATCH) * BATCH
                name = "%s/seed-%d/sessions-%d-%d" % (prefix, opts.seed,
                                                      lo, n)
                if batch_fail:
                    for f in batch_fail:
                        print("FAIL %s: %s" % (name, " ".join(f.split())))
                else:
                    print("PASS %s" % name)
                batch_fail = []
            sys.stdout.flush()
    except (RuntimeError, harness.ServerError, harness.TestFailure,
            OSError) as e:
        print("FAIL %s: %s" % (prefix, " ".join(str(e).split())))
        failed += 1
    finally:
        runner.stop()
    print("difftest: %d sessions: %d same, %d known departures (%s), %d "
          "differences; %d replays" %
          (len(seeds), counts["pass"], counts["known"],
           ", ".join("%s x%d" % kv for kv in sorted(known_hits.items()))
           or "none", failed, runner.plays))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
