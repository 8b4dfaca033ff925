#!/usr/bin/python3
"""test_book.py - scripts/book.py's checker fails on every kind of drift.

Run by tests/run-all.sh's docs suite (line protocol: PASS/FAIL/SKIP). Each
case copies the repository (without .git and build/; bin/ included) into a
scratch directory, keeps only the fixture chapter tests/book/fixtures/
fixture.md as the book there, breaks one thing in the copy, and runs the
real scripts/book.py with --root on it. The real tree is never written.

    book/fixture-passes        the untouched fixture checks OK, and it has
                               blocks of all four kinds (so "OK" is not an
                               empty check)
    book/anchor-line-edited    one line inside the anchor the fixture quotes
                               (src/adlist.c adlist-next) edited: fails,
                               naming the file, the block and both lines
    book/golden-changed        a step of tests/golden/01-set-get.jsonl
                               changed: the trace block fails
    book/view-golden-changed   a step of tests/golden/06-big-reply.jsonl
                               changed: the viewer frame fails
    book/broken-link           a link to a missing chapter, and one to a
                               missing heading: each fails, naming the link
    book/planned-chapter-link  a link to a planned chapter not written yet
                               is a NOTE (an error with --strict); once the
                               file exists, a missing heading in it fails
    book/line-number-link      src/adlist.c#L10 is refused (line numbers
                               drift), src/adlist.c#adlist-next accepted
    book/run-output-changed    a book:run block's shown output differs
                               from what the command prints: fails
    book/varies-command-fails  a `varies` block whose command exits 1 fails
                               (varies skips the comparison, not the run)
    book/bad-markers           an unknown marker, an unclosed one, a stray
                               closing one, a missing anchor, golden and
                               step: each is an error naming the line
    book/fenced-marker-is-text a marker shown inside a code fence (the
                               syntax documented in a chapter) is not a
                               block
    book/update-restores       book.py update on the fixture with every
                               body emptied gives back the checked-in file
                               byte for byte, and a second update changes
                               nothing
    book/run-leaves-nothing    a server-like background process a block
                               starts (sleep &) is gone when the block ends
    book/run-server-free-port  a block starts bin/minired-server on
                               $(scripts/free-port), talks to it with
                               redis-cli (its replies become the shown
                               output), and the server is gone afterwards
    book/lab-markers-not-quoted  LAB region markers inside an anchor are left
                               out of the quote (exercises/README.md)
    book/check-anchors-marker  scripts/check-anchors.sh counts a
                               <!-- book:code --> reference and fails on
                               one naming a missing anchor
    book/seeds                 book.py seeds finds the seed's functions a
                               chapter explains (a heading names it, or a
                               quote of code inside it) and lists those
                               only mentioned; without the seed it reads
                               docs/seed-map.md
    book/every-seed-function-explained
                               the real chapters explain every function
                               of the seed (`make book-seeds`)
    book/complete              the real book: every planned chapter and
                               appendix exists, none says "not written
                               yet"/TODO/TBD/FIXME, book.md's links all
                               resolve with --strict
    book/trace-narrow          an excerpt's shared args/state are printed
                               once above the rows; a single step keeps
                               them in its row
    book/terminal-independent  a block updated in one environment checks
                               OK under COLUMNS=40 LINES=10, another TZ and
                               locale (minired-view --dump takes $COLUMNS
                               as its width: the checker unsets it)
    book/slugs-fences-continuations
                               heading ids are the ones pandoc's gfm reader
                               and GitHub make (code, &, _emphasis_,
                               Chinese, setext, duplicates); a quote holding
                               ``` gets a longer fence; a command continued
                               with \\ runs as one; an empty varies block is
                               filled by update
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, 'tests', 'integration'))
import harness  # noqa: E402
from harness import check  # noqa: E402

BOOK = os.path.join(REPO, 'scripts', 'book.py')
PY = '/usr/bin/python3'
FIXTURE = 'tests/book/fixtures/fixture.md'
rep = harness.Reporter()


def scratch():
    """A copy of the repository whose only book file is the fixture."""
    d = tempfile.mkdtemp(prefix='test-book-')
    root = os.path.join(d, 'repo')
    shutil.copytree(REPO, root, symlinks=True, ignore=lambda p, names: [
        n for n in names if n in ('.git', 'build')
        and os.path.samefile(p, REPO)])
    for extra in ('book.md', 'chapters'):
        p = os.path.join(root, extra)
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)
    return d, root


def book(root, *args):
    """Run the real scripts/book.py on ROOT; CompletedProcess (text)."""
    return subprocess.run([PY, BOOK] + list(args) + ['--root', root],
                          capture_output=True, text=True,
                          timeout=harness.guard(600))


def read(root, rel):
    with open(os.path.join(root, rel), encoding='utf-8') as f:
        return f.read()


def write(root, rel, text):
    with open(os.path.join(root, rel), 'w', encoding='utf-8') as f:
        f.write(text)


def line_of(text, needle):
    """1-based line number of the first line containing NEEDLE."""
    for i, ln in enumerate(text.split('\n'), 1):
        if needle in ln:
            return i
    raise harness.TestFailure(f'fixture has no line with {needle!r}')


def expect_fail(p, *needles):
    """P failed (exit 1) and its stderr contains every needle."""
    check(p.returncode == 1, f'exit {p.returncode}, want 1; stdout '
          f'{p.stdout[-300:]!r} stderr {p.stderr[-500:]!r}')
    for n in needles:
        check(n in p.stderr, f'{n!r} not in stderr: {p.stderr[-800:]!r}')


class Scratch:
    """with Scratch() as root: a scratch repository, removed afterwards."""

    def __enter__(self):
        self.dir, root = scratch()
        return root

    def __exit__(self, *exc):
        shutil.rmtree(self.dir, ignore_errors=True)
        return False


with rep.case('book/fixture-passes'):
    with Scratch() as root:
        p = book(root, 'check')
        check(p.returncode == 0, f'exit {p.returncode}: {p.stderr[-800:]}')
        check('book-check: OK' in p.stdout, p.stdout)
        m = re.search(r'blocks: (\d+) code, (\d+) trace, (\d+) view, '
                      r'(\d+) run', p.stdout)
        check(m and all(int(x) > 0 for x in m.groups()),
              f'want every block kind in the fixture: {p.stdout}')
        check(FIXTURE in p.stdout, f'fixture not checked: {p.stdout}')

with rep.case('book/anchor-line-edited'):
    with Scratch() as root:
        src = read(root, 'src/adlist.c')
        old = '            iter->next = current->next;'
        check(src.count(old) == 1, 'the adlist-next anchor changed: update '
              'this test with the fixture')
        write(root, 'src/adlist.c', src.replace(old, old + ' /* edited */'))
        fx = read(root, FIXTURE)
        ln = line_of(fx, '<!-- book:code src/adlist.c adlist-next -->')
        p = book(root, 'check')
        expect_fail(p, f'{FIXTURE}:{ln}: block "<!-- book:code src/adlist.c '
                    f'adlist-next -->" differs', 'checked in: ' + old,
                    'generated:  ' + old + ' /* edited */')

with rep.case('book/golden-changed'):
    with Scratch() as root:
        g = 'tests/golden/01-set-get.jsonl'
        text = read(root, g)
        check('"nread":35' in text, 'golden 01-set-get has no nread 35')
        write(root, g, text.replace('"nread":35', '"nread":36', 1))
        fx = read(root, FIXTURE)
        ln = line_of(fx, '<!-- book:trace 01-set-get 1-6 -->')
        p = book(root, 'check')
        expect_fail(p, f'{FIXTURE}:{ln}: block "<!-- book:trace 01-set-get '
                    f'1-6 -->" differs', 'nread=36')

with rep.case('book/view-golden-changed'):
    with Scratch() as root:
        g = 'tests/golden/06-big-reply.jsonl'
        lines = read(root, g).split('\n')
        # step 38's qb_pos: the frame shows it ("qb_pos=22").
        i = next(k for k, ln in enumerate(lines) if '"ts":38,' in ln)
        check('"qb_pos":22' in lines[i], 'step 38 has no qb_pos 22')
        lines[i] = lines[i].replace('"qb_pos":22', '"qb_pos":21')
        write(root, g, '\n'.join(lines))
        fx = read(root, FIXTURE)
        ln = line_of(fx, '<!-- book:view 06-big-reply 38 80x24 -->')
        p = book(root, 'check')
        expect_fail(p, f'{FIXTURE}:{ln}: block "<!-- book:view 06-big-reply '
                    f'38 80x24 -->" differs')

with rep.case('book/broken-link'):
    with Scratch() as root:
        fx = read(root, FIXTURE)
        write(root, FIXTURE, fx + '\nSee [chapter 99](../../../chapters/'
              '99-nope.md) and [this](#no-such-heading).\n')
        n = len(fx.split('\n')) + 1
        p = book(root, 'check')
        expect_fail(p, f'{FIXTURE}:{n}: link to ../../../chapters/99-nope.md',
                    'chapters/99-nope.md does not exist',
                    f'{FIXTURE}:{n}: link to #no-such-heading: no heading')

with rep.case('book/planned-chapter-link'):
    with Scratch() as root:
        fx = read(root, FIXTURE)
        write(root, FIXTURE, fx + '\nLater: [writing](../../../chapters/'
              '09-writing.md#the-write-handler).\n')
        p = book(root, 'check')
        check(p.returncode == 0 and 'NOTE' in p.stdout and 'planned, not '
              'written yet' in p.stdout, f'{p.returncode} {p.stdout[-300:]} '
              f'{p.stderr[-300:]}')
        p = book(root, 'check', '--strict')
        expect_fail(p, 'chapters/09-writing.md does not exist')
        # once the chapter exists, its headings are checked
        os.makedirs(os.path.join(root, 'chapters'))
        write(root, 'chapters/09-writing.md', '# 9. Writing\n')
        p = book(root, 'check', FIXTURE)
        expect_fail(p, 'no heading "the-write-handler" in '
                    'chapters/09-writing.md')

with rep.case('book/line-number-link'):
    with Scratch() as root:
        fx = read(root, FIXTURE)
        write(root, FIXTURE, fx + '\n[x](../../../src/adlist.c#L10)\n')
        p = book(root, 'check')
        expect_fail(p, 'link to ../../../src/adlist.c#L10', 'line numbers')
        # the fixture's own src/adlist.c#adlist-next link is the good case
        check('adlist.c#adlist-next' not in p.stderr, p.stderr)

with rep.case('book/run-output-changed'):
    with Scratch() as root:
        fx = read(root, FIXTURE)
        cmd = "$ grep -c '\"cat\":\"read\"' tests/golden/01-set-get.jsonl\n"
        check(cmd in fx, 'fixture lost its grep command')
        shown = fx.split(cmd, 1)[1].split('\n', 1)[0]
        check(shown.isdigit(), f'shown output {shown!r}')
        write(root, FIXTURE, fx.replace(cmd + shown + '\n',
                                        cmd + str(int(shown) + 1) + '\n'))
        ln = line_of(fx, '<!-- book:run -->')
        p = book(root, 'check')
        expect_fail(p, f'{FIXTURE}:{ln}: block "<!-- book:run -->" differs',
                    f'checked in: {int(shown) + 1}', f'generated:  {shown}')

with rep.case('book/varies-command-fails'):
    with Scratch() as root:
        fx = read(root, FIXTURE)
        write(root, FIXTURE, fx + '\n<!-- book:run varies -->\n```console\n'
              '$ echo before\nbefore\n$ grep -q nothing-like-this README.md\n'
              '```\n<!-- /book:run -->\n')
        n = len(fx.split('\n')) + 1
        p = book(root, 'check')
        expect_fail(p, f'{FIXTURE}:{n}: <!-- book:run varies -->: command 2',
                    'exited 1')
        # and a varies block that succeeds with other output is fine
        write(root, FIXTURE, fx + '\n<!-- book:run varies -->\n```console\n'
              '$ echo now\nsomething else\n```\n<!-- /book:run -->\n')
        p = book(root, 'check')
        check(p.returncode == 0, f'varies compared? {p.stderr[-500:]}')

with rep.case('book/bad-markers'):
    cases = [
        ('<!-- book:cod src/adlist.c adlist-next -->\n<!-- /book:cod -->',
         'unknown marker book:cod'),
        ('<!-- book:code src/adlist.c adlist-next -->\n```c\n```',
         'is never closed'),
        ('<!-- /book:trace -->', 'without an opening marker'),
        ('<!-- book:code src/adlist.c no-such-anchor -->\n<!-- /book:code -->',
         'no anchor "no-such-anchor" in src/adlist.c'),
        ('<!-- book:code src/nope.c x -->\n<!-- /book:code -->',
         'file src/nope.c not found'),
        ('<!-- book:trace 99-no-such 1-2 -->\n<!-- /book:trace -->',
         'no golden tests/golden/99-no-such.jsonl'),
        ('<!-- book:trace 01-set-get 1-99999 -->\n<!-- /book:trace -->',
         'has no step 99999'),
        ('<!-- book:view 01-set-get 99999 80x24 -->\n<!-- /book:view -->',
         'has no step 99999'),
        ('<!-- book:code src/adlist.c adlist-next -->\n<!-- /book:trace -->',
         'closes "<!-- book:code src/adlist.c adlist-next -->" (line {n})'),
        ('text <!-- book:run --> text', 'must be alone on its line'),
    ]
    with Scratch() as root:
        fx = read(root, FIXTURE)
        n = len(fx.split('\n')) + 1
        for add, want in cases:
            write(root, FIXTURE, fx + '\n' + add + '\n')
            p = book(root, 'check')
            expect_fail(p, want.format(n=n), f'{FIXTURE}:')
            # the error is on the marker's line (a wrong closing marker: on
            # the closing line, naming the opening one's)
            at = n + 1 if 'closes' in want else n
            check(re.search(re.escape(FIXTURE) + r':(\d+)', p.stderr)
                  .group(1) == str(at), f'{add!r}: line not {at}: {p.stderr}')

with rep.case('book/fenced-marker-is-text'):
    with Scratch() as root:
        fx = read(root, FIXTURE)
        write(root, FIXTURE, fx + '\n````markdown\n<!-- book:code src/adlist.'
              'c no-such -->\n<!-- /book:code -->\n````\n')
        p = book(root, 'check')
        check(p.returncode == 0, f'exit {p.returncode}: {p.stderr[-500:]}')

with rep.case('book/update-restores'):
    with Scratch() as root:
        fx = read(root, FIXTURE)
        # Empty every non-varies body (varies keeps its output once it has
        # one, so that block keeps its body here too).
        emptied = re.sub(r'(<!-- book:(?:code|trace|view)[^\n]*-->\n)'
                         r'.*?(<!-- /book:)', r'\1\2', fx, flags=re.S)
        emptied = emptied.replace('$ bin/minired-trace run tests/scenarios/'
                                  '01-set-get.scn | wc -l\n50\n',
                                  '$ bin/minired-trace run tests/scenarios/'
                                  '01-set-get.scn | wc -l\n')
        check(emptied != fx and emptied.count('```text') == 0,
              'emptying did not empty')
        write(root, FIXTURE, emptied)
        p = book(root, 'update')
        check(p.returncode == 0, f'update exit {p.returncode}: {p.stderr}')
        check(read(root, FIXTURE) == fx, 'update did not give back the '
              'checked-in fixture (run make book-update and read the diff)')
        p = book(root, 'update')
        check('unchanged' in p.stdout and 'rewritten' not in p.stdout,
              f'second update rewrote: {p.stdout}')

with rep.case('book/run-leaves-nothing'):
    with Scratch() as root:
        pidfile = os.path.join(os.path.dirname(root), 'bg.pid')
        fx = read(root, FIXTURE)
        write(root, FIXTURE, fx + '\n<!-- book:run -->\n```console\n'
              f'$ sleep 1000 >/dev/null 2>&1 & echo $! > {pidfile}\n'
              '$ echo started\nstarted\n```\n<!-- /book:run -->\n')
        p = book(root, 'check')
        check(p.returncode == 0, f'exit {p.returncode}: {p.stderr[-500:]}')
        pid = int(open(pidfile).read())

        def gone():
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return True
            # a zombie not yet reaped by init also counts as ended
            try:
                with open(f'/proc/{pid}/stat') as f:
                    return f.read().split(')')[-1].split()[0] == 'Z'
            except OSError:
                return True
            return False
        harness.wait_for(gone, 10, f'the block\'s sleep (pid {pid}) to end')

with rep.case('book/run-server-free-port'):
    with Scratch() as root:
        pidfile = os.path.join(os.path.dirname(root), 'server.pid')
        fx = read(root, FIXTURE)
        # The wait loop is a hang guard (60 s), not a speed bound.
        write(root, FIXTURE, fx + '\n<!-- book:run -->\n```console\n'
              '$ port=$(scripts/free-port)\n'
              '$ bin/minired-server --port $port >/dev/null 2>&1 &\n'
              f'$ echo $! > {pidfile}\n'
              '$ for i in $(seq 600); do redis-cli -p $port ping 2>/dev/null '
              '| grep -q PONG && break; sleep 0.1; done\n'
              '$ redis-cli -p $port set greet hello\n'
              '$ redis-cli -p $port get greet\n'
              '```\n<!-- /book:run -->\n')
        p = book(root, 'update', FIXTURE)
        check(p.returncode == 0, p.stderr[-500:])
        check('$ redis-cli -p $port set greet hello\nOK\n$ redis-cli -p '
              '$port get greet\nhello\n```' in read(root, FIXTURE),
              read(root, FIXTURE)[-400:])
        pid = int(open(pidfile).read())

        def server_gone():
            try:
                with open(f'/proc/{pid}/stat') as f:
                    return f.read().split(')')[-1].split()[0] == 'Z'
            except OSError:
                return True
        harness.wait_for(server_gone, 30, f'the block\'s server (pid {pid}) '
                         f'to end')

with rep.case('book/check-anchors-marker'):
    with Scratch() as root:
        fx = read(root, FIXTURE)
        script = os.path.join(REPO, 'scripts', 'check-anchors.sh')
        p = subprocess.run(['bash', script, root], capture_output=True,
                           text=True, timeout=harness.guard(120))
        check(p.returncode == 0, p.stderr[-500:])
        m = re.search(r'(\d+) references', p.stdout)
        check(m and int(m.group(1)) >= 1, f'book:code not counted: '
              f'{p.stdout[:300]}')
        write(root, FIXTURE, fx + '\n<!-- book:code src/adlist.c gone -->\n'
              '<!-- /book:code -->\n')
        p = subprocess.run(['bash', script, root], capture_output=True,
                           text=True, timeout=harness.guard(120))
        check(p.returncode == 1 and 'no anchor "gone" in src/adlist.c'
              in p.stderr, f'exit {p.returncode}: {p.stderr[-500:]}')

with rep.case('book/seeds'):
    with Scratch() as root:
        seed = os.path.join(os.path.dirname(root), 'seed.txt')
        with open(seed, 'w') as f:
            f.write('void acceptTcpHandler(aeEventLoop *el, int fd) {\n'
                    '    if (x) {\n}\n'
                    'static void acceptCommonHandler(int fd, int flags, '
                    'char *ip) {\n'
                    'void createClient(int fd) {\n'
                    'int processMultibulkBuffer(client *c) {\n'
                    'void prototypeOnly(int x);\n')
        os.makedirs(os.path.join(root, 'chapters'))
        # acceptTcpHandler: a heading names it (explained); createClient:
        # named, and a quote of code inside it (explained);
        # acceptCommonHandler: named, but the quote is from another function
        # (not explained); processMultibulkBuffer: named only.
        write(root, 'chapters/02-accepting.md', '# Accepting\n\n'
              '## The loop of `acceptTcpHandler`\n\n'
              '`acceptCommonHandler` refuses; `createClient` builds; '
              '`processMultibulkBuffer` parses.\n\n'
              '<!-- book:code src/networking.c networking-create-client -->\n'
              '<!-- /book:code -->\n')
        p = book(root, 'update', 'chapters/02-accepting.md')
        check(p.returncode == 0, p.stderr)
        p = subprocess.run([PY, BOOK, 'seeds', '--root', root, '--seed',
                            seed], capture_output=True, text=True,
                           timeout=harness.guard(60))
        check(p.returncode == 1, f'exit {p.returncode}: {p.stdout}')
        check('missing: acceptCommonHandler processMultibulkBuffer'
              in p.stderr, p.stderr)
        check(re.search(r'acceptTcpHandler +chapters/02-accepting.md '
                        r'\(heading\)', p.stdout), p.stdout)
        check(re.search(r'createClient +chapters/02-accepting.md '
                        r'\(quote\)', p.stdout), p.stdout)
        check('4 functions' in p.stdout and 'prototypeOnly' not in p.stdout,
              p.stdout)
        # Without the seed, the names come from docs/seed-map.md.
        p = subprocess.run([PY, BOOK, 'seeds', '--root', root, '--seed', ''],
                           capture_output=True, text=True,
                           timeout=harness.guard(60))
        check('functions in docs/seed-map.md' in p.stdout
              and 'writeToClient' in p.stdout, p.stdout + p.stderr)

with rep.case('book/every-seed-function-explained'):
    # The real book: every function of the seed (docs/seed-map.md's list,
    # kept equal to the seed by tests/trace/test_seed_map.py) is explained
    # by a chapter: a heading names it or the chapter quotes its code.
    p = subprocess.run([PY, BOOK, 'seeds', '--seed', ''],
                       capture_output=True, text=True,
                       timeout=harness.guard(60))
    check(p.returncode == 0, p.stdout[-1500:] + p.stderr[-500:])

with rep.case('book/complete'):
    # The real book: book.md, chapters 0-13 and the three appendices exist,
    # every planned link resolves (--strict), and no file says a part of it
    # is missing ("not written yet", "TODO", "TBD", "FIXME").
    planned = ['00-a-request', '01-event-loop', '02-accepting', '03-reading',
               '04-inline', '05-multibulk', '06-input-loop',
               '07-processcommand', '08-replies', '09-writing',
               '10-defending', '11-client-states', '12-end-of-client',
               '13-from-5-to-today', 'appendix-a-trace', 'appendix-b-viewer',
               'appendix-c-glossary']
    absent = [n for n in planned
              if not os.path.isfile(os.path.join(REPO, 'chapters', n + '.md'))]
    check(not absent, f'chapters missing: {absent}')
    bad = re.compile(r'not written yet|\bTODO\b|\bTBD\b|\bFIXME\b',
                     re.I)
    for rel in ['book.md'] + [f'chapters/{n}.md' for n in planned]:
        text = read(REPO, rel)
        for i, ln in enumerate(text.split('\n'), 1):
            check(not bad.search(ln), f'{rel}:{i}: {ln.strip()[:100]}')
    p = subprocess.run([PY, BOOK, 'check', '--strict', 'book.md'],
                       capture_output=True, text=True,
                       timeout=harness.guard(600))
    check(p.returncode == 0 and 'NOTE' not in p.stdout + p.stderr,
          p.stdout[-800:] + p.stderr[-800:])

with rep.case('book/trace-narrow'):
    # A trace excerpt prints what every step shares (fd=7, qlen=35...) once,
    # above the table, and only what moves in the rows.
    with Scratch() as root:
        os.makedirs(os.path.join(root, 'chapters'))
        write(root, 'chapters/00-a-request.md', '# T\n\n'
              '<!-- book:trace 01-set-get 6-8 -->\n<!-- /book:trace -->\n\n'
              '<!-- book:trace 01-set-get 6 -->\n<!-- /book:trace -->\n')
        p = book(root, 'update', 'chapters/00-a-request.md')
        check(p.returncode == 0, p.stderr)
        lines = read(root, 'chapters/00-a-request.md').split('\n')
        first = lines[lines.index('<!-- book:trace 01-set-get 6-8 -->') + 2]
        check(first.startswith('in every step below: args fd=7; state qlen=35')
              and 'bufpos=0' in first, first)
        rows = [ln for ln in lines if re.match(r'^ +[678] +3 ', ln)]
        check(len(rows) == 4, rows)           # three, and the single step
        check(all('fd=7' not in r and 'qlen=' not in r for r in rows[:3]),
              rows)
        check('qb_pos=4' in rows[0] and 'qb_pos=13' in rows[2], rows)
        check('fd=7' in rows[3] and 'qlen=35' in rows[3], rows[3])

with rep.case('book/terminal-independent'):
    with Scratch() as root:
        fx = read(root, FIXTURE)
        write(root, FIXTURE, fx + '\n<!-- book:run -->\n```console\n'
              '$ bin/minired-view --dump 3 tests/golden/01-set-get.jsonl | '
              'wc -L\n```\n<!-- /book:run -->\n')
        env = {k: v for k, v in os.environ.items()
               if k not in ('COLUMNS', 'LINES')}
        p = subprocess.run([PY, BOOK, 'update', '--root', root, FIXTURE],
                           capture_output=True, text=True, env=env,
                           timeout=harness.guard(300))
        check(p.returncode == 0, p.stderr)
        env.update(COLUMNS='40', LINES='10', TZ='Asia/Shanghai', LC_ALL='C')
        p = subprocess.run([PY, BOOK, 'check', '--root', root, FIXTURE],
                           capture_output=True, text=True, env=env,
                           timeout=harness.guard(300))
        check(p.returncode == 0, f'output depends on the terminal: '
              f'{p.stderr[-400:]}')

with rep.case('book/slugs-fences-continuations'):
    sys.path.insert(0, os.path.join(REPO, 'scripts'))
    import book as bk
    # The slugs pandoc 2.17's gfm reader gives these headings (and GitHub).
    got = bk.headings('# 3. Reading: from the socket into `querybuf`\n'
                      '## The _emph_ of qb_pos & co\n## 读取 请求（querybuf）\n'
                      '\npara\nline\n---\n\n## Dup\n\n## Dup\n')
    want = {'3-reading-from-the-socket-into-querybuf', 'the-emph-of-qb_pos--co',
            '读取-请求querybuf', 'para-line', 'dup', 'dup-1'}
    check(got == want, f'slugs {sorted(got)}')
    with Scratch() as root:
        # A quoted anchor holding a ``` line gets a longer fence.
        write(root, 'src/fence.py', '# ANCHOR: fence-demo\n"""\n```c\n'
              'x\n```\n"""\n# ANCHOR_END: fence-demo\n')
        fx = read(root, FIXTURE)
        write(root, FIXTURE, fx + '\n<!-- book:code src/fence.py fence-demo '
              '-->\n<!-- /book:code -->\n\n<!-- book:run varies -->\n'
              '```console\n$ echo a \\\n  b\n```\n<!-- /book:run -->\n'
              '\n<!-- book:run -->\n```console\n$ echo c \\\n  d\n```\n'
              '<!-- /book:run -->\n')
        p = book(root, 'update', FIXTURE)
        check(p.returncode == 0, p.stderr)
        new = read(root, FIXTURE)
        check('````python\n"""\n```c\nx\n```\n"""\n````\n' in new,
              new[-300:])
        # the continued command ran as one (a b), and the varies block
        # without output got its output filled in
        check('$ echo a \\\n  b\na b\n```' in new, new[-200:])
        # a compared (not varies) continued command checks OK after update
        check('$ echo c \\\n  d\nc d\n```' in new, new[-200:])
        p = book(root, 'check', FIXTURE)
        check(p.returncode == 0, p.stderr)

with rep.case('book/lab-markers-not-quoted'):
    # A lab region (exercises/README.md) inside a quoted anchor: the quote
    # shows the code, never the `/* LAB N BEGIN|END name */` lines.
    with Scratch() as root:
        write(root, 'src/labdemo.c', '/* ANCHOR: lab-demo */\nint a;\n'
              '    /* LAB 3 BEGIN demo-part */\nint b;\n'
              '    /* LAB 3 END demo-part */\nint c;\n/* ANCHOR_END: lab-demo */\n')
        fx = read(root, FIXTURE)
        write(root, FIXTURE, fx + '\n<!-- book:code src/labdemo.c lab-demo -->\n'
              '<!-- /book:code -->\n')
        p = book(root, 'update', FIXTURE)
        check(p.returncode == 0, p.stderr)
        new = read(root, FIXTURE)
        check('```c\nint a;\nint b;\nint c;\n```' in new, new[-200:])
        check('LAB 3' not in new, 'a LAB marker line was quoted')

sys.exit(rep.exit_code())
