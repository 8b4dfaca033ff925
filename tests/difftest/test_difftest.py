#!/usr/bin/python3
"""test_difftest.py - tests of the differential tester itself.

Where this sits: the `difftest` suite of tests/run-all.sh runs it before
the random sessions (tests/difftest/difftest.py), so a tester that cannot
find a difference, cannot reproduce a seed, or excuses more than its
known.txt names is caught first.  Line protocol: PASS/FAIL per case.

  seed-reproduces     the same seed gives the same bytes, in this process
                      and in a fresh one (--print-session); other seeds
                      give other bytes
  shrinker-shrinks    two fake servers (fake_server.py) that differ only
                      on ECHO: a 5+ request session with chop points
                      shrinks to the single request "ECHO", no chop points
  known-rule-precise  a known.txt rule matches the requests it names and
                      nothing else; a rule that would match every use of
                      a command is refused; every line of known.txt parses
  known-needs-replay  judge() counts a session as known only if it stops
                      differing once the matched requests are dropped
  normalise-context   contextual 7.0->5.0 rules fire only on the reply of
                      the command they name (SELECT, MSET), and exact mode
                      rewrites nothing but the KEYS order
  crash-reported      a candidate that dies: a FAIL naming the session
                      (its bytes printed), then the run goes on
  corpus-text-roundtrip  the repro printed as a tests/corpus session parses
                      (tests/sidebyside/sidebyside.py Session) back to the
                      same pieces of bytes
"""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import difftest              # noqa: E402
import gen                   # noqa: E402
import normalise             # noqa: E402
from normalise import harness   # noqa: E402

rep = harness.Reporter()
PY = "/usr/bin/python3"


def check(cond, msg):
    if not cond:
        raise harness.TestFailure(msg)


with rep.case("difftest/self/seed-reproduces"):
    a = gen.session_bytes(gen.make_session(12345))
    b = gen.session_bytes(gen.make_session(12345))
    check(a == b and a, "same seed, different bytes in one process")
    check(gen.pieces(gen.make_session(12345)) ==
          gen.pieces(gen.make_session(12345)), "same seed, other chops")
    others = set(gen.session_bytes(gen.make_session(s)) for s in range(20))
    check(len(others) >= 18, "20 seeds gave only %d distinct sessions"
          % len(others))
    outs = [subprocess.run([PY, os.path.join(HERE, "difftest.py"),
                            "--print-session", "--seed", "7", "--only", "3"],
                           capture_output=True, timeout=harness.guard(30),
                           env=dict(os.environ, PYTHONHASHSEED=str(n))).stdout
            for n in (1, 2)]
    check(outs[0] == outs[1] and b"bytes:" in outs[0],
          "--print-session differs between two processes: %r / %r"
          % (outs[0][:80], outs[1][:80]))


with rep.case("difftest/self/shrinker-shrinks"):
    # A session with ECHO among at least 4 other requests, chopped.
    seed = next(s for s in range(10 ** 6)
                if len(gen.make_session(s).items) >= 5
                and not gen.make_session(s).terminal()
                and all(i.kind == "cmd" for i in gen.make_session(s).items)
                and sum(i.name() == "echo"
                        for i in gen.make_session(s).items) == 1
                and gen.make_session(s).chops)
    s = gen.make_session(seed)
    fake = os.path.join(HERE, "fake_server.py")
    runner = difftest.Runner(fake, fake, False, difftest.SESSION_GUARD)
    runner.cand_args = ["--differ-on", "echo"]
    try:
        runner.start()
        check(runner.differs(s) is not None,
              "fakes that differ on ECHO agree on seed %d" % seed)
        small = difftest.shrink(runner, s)
        check(len(small.items) == 1 and small.items[0].name() == "echo",
              "shrunk to %d requests: %s" % (len(small.items),
                                             gen.describe(small)))
        check(small.items[0].argv[1:] == [] and not small.chops,
              "arguments or chop points left: %s" % gen.describe(small))
        same = gen.make_session(seed)
        same.items = [i for i in same.items if i.name() != "echo"]
        same.chops = set()
        check(runner.differs(same) is None,
              "fakes differ without ECHO: the test proves nothing")
    finally:
        runner.stop()


with rep.case("difftest/self/known-rule-precise"):
    rule = difftest.KnownRule(
        "t | any | set | (?i)(?:.* )?(?:get|keepttl)(?: .*)? | r | d"
        .split(" | "), "test")
    yes = [[b"SET", b"k", b"v", b"GET"], [b"set", b"k", b"v", b"EX", b"1",
                                          b"keepttl"]]
    no = [[b"SET", b"k", b"GET"[:2]], [b"SET", b"k", b"vGET"],
          [b"GET", b"k"], [b"SET", b"k", b"a get"], [b"SET", b"k", b"v"]]
    for argv in yes:
        check(rule.matches(gen.Item("cmd", argv)), "does not match %r" % argv)
    for argv in no:
        check(not rule.matches(gen.Item("cmd", argv)), "matches %r" % argv)
    check(not rule.matches(gen.Item("raw", raw=b"SET k v GET\r\n")),
          "a command rule matched a raw request")
    raw = difftest.KnownRule(r"t | 7.0 | raw | \*1048577\\r\\n | r | d"
                             .split(" | "), "test")
    check(raw.matches(gen.Item("raw", raw=b"*1048577\r\n")) and
          not raw.matches(gen.Item("raw", raw=b"*1048576\r\n")),
          "raw rule imprecise")
    check(raw.applies_to("7.0") and not raw.applies_to("5.0"),
          "ref=7.0 rule applies to a 5.0 reference")
    for bad in ("t | any | set | .* | r | d", "t | any | * | x | r | d",
                "t | any | get | (.*) | r | d", "t | 6.0 | get | x | r | d",
                "t | any | get | x | r"):
        try:
            difftest.KnownRule(bad.split(" | "), "test")
        except ValueError:
            continue
        raise harness.TestFailure("accepted %r" % bad)
    rules = difftest.load_known()
    check(rules and all(r.reason and r.doc for r in rules),
          "known.txt: a rule without reason or documentation")


with rep.case("difftest/self/known-needs-replay"):
    class FakeRunner:
        """differs() iff the session still holds a request named BAD."""
        def __init__(self, bad):
            self.bad = bad

        def differs(self, s):
            return (1,) if any(i.name() == self.bad for i in s.items) \
                else None
    rule = difftest.KnownRule("k | any | echo | x | r | d".split(" | "), "t")
    s = gen.Session(1, [gen.Item("cmd", [b"ECHO", b"x"]),
                        gen.Item("cmd", [b"GET", b"k"])], {(1, 3)}, b"1")
    verdict, extra = difftest.judge(FakeRunner("echo"), s, [rule])
    check(verdict == "known" and extra == ["k"], "got %s %r" % (verdict,
                                                               extra))
    verdict, extra = difftest.judge(FakeRunner("get"), s, [rule])
    check(verdict == "diff" and [i.name() for i in extra.items] == ["get"]
          and extra.chops == {(0, 3)},
          "a difference elsewhere was excused: %s %r" % (verdict, extra))


with rep.case("difftest/self/normalise-context"):
    gen_items = [gen.Item("cmd", a) for a in
                 ([b"SELECT", b"x"], [b"INCRBY", b"k", b"x"])]
    seven = (b"-ERR value is not an integer or out of range\r\n" * 2)
    got = normalise.normalise(seven, gen_items, "7.0")
    check(got == b"-ERR invalid DB index\r\n"
          b"-ERR value is not an integer or out of range\r\n",
          "select rule: %r" % got)
    mset = b"-ERR wrong number of arguments for 'mset' command\r\n"
    for argv, want in (([b"MSET", b"k"], mset),
                       ([b"MSET", b"a", b"1", b"b"],
                        b"-ERR wrong number of arguments for MSET\r\n")):
        got = normalise.normalise(mset, [gen.Item("cmd", argv)], "7.0")
        check(got == want, "mset %r: %r" % (argv, got))
    got = normalise.normalise(seven, gen_items, "exact")
    check(got == seven, "exact mode rewrote an error: %r" % got)
    keys = b"*2\r\n$2\r\nk2\r\n$2\r\nk1\r\n"
    got = normalise.normalise(keys, [gen.Item("cmd", [b"KEYS", b"*"])],
                              "exact")
    check(got == b"*2\r\n$2\r\nk1\r\n$2\r\nk2\r\n", "keys order: %r" % got)
    got = normalise.normalise(b"*2\r\n$2\r\nHZ\r\n$2\r\n10\r\n",
                              [gen.Item("cmd", [b"CONFIG", b"GET", b"HZ"])],
                              "7.0")
    check(got == b"*2\r\n$2\r\nhz\r\n$2\r\n10\r\n", "config get: %r" % got)

with rep.case("difftest/self/crash-reported"):
    # A candidate that dies on ECHO: the run must print a FAIL naming the
    # session, restart the server and go on to the next batch.
    fake = os.path.join(HERE, "fake_server.py")
    seed = next(sd for sd in range(10 ** 6)
                if any(i.name() == "echo"
                       for i in gen.make_session(sd * 1000003).items))
    out = subprocess.run(
        [PY, os.path.join(HERE, "difftest.py"), "--suite", "--seed",
         str(seed), "--sessions", "3", "--candidate", fake, "--reference",
         fake, "--candidate-arg=--crash-on", "--candidate-arg=echo"],
        capture_output=True, text=True, timeout=harness.guard(120))
    fails = [l for l in out.stdout.splitlines() if l.startswith("FAIL ")]
    check(out.returncode == 1 and fails and "server died" in fails[0]
          and "exited with status 3" in fails[0]
          and "--only 0" in fails[0],
          "exit %d, output: %s" % (out.returncode, out.stdout[-600:]))
    check("# session that killed it" in out.stdout and "3 sessions" in
          out.stdout, "no session printed / run stopped: %s"
          % out.stdout[-600:])

with rep.case("difftest/self/corpus-text-roundtrip"):
    import tempfile
    from normalise import sidebyside
    tmp = tempfile.mkdtemp(prefix="difftest-self.")
    try:
        for seed in range(200):
            s = gen.make_session(seed)
            path = os.path.join(tmp, "t.session")
            with open(path, "w", encoding="utf-8") as f:
                f.write(difftest.corpus_text(s, "why", set()) + "\n")
            parsed = sidebyside.Session(path)
            got = [bytes(c.data) for c in parsed.chunks[1:]]
            check(got == gen.pieces(s), "seed %d: the printed corpus session "
                  "does not parse back to the same pieces" % seed)
            check(parsed.expect_close == s.terminal(),
                  "seed %d: @expect-close wrong" % seed)
    finally:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)

sys.exit(rep.exit_code())
