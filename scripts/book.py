#!/usr/bin/python3
"""book.py - generate, check and render the minired book (issue 12).

The book is book.md (the reader's entry, at the top of the repository) and
chapters/*.md. Every quote of code, every trace excerpt, every viewer frame
and every command's output in it sits between two HTML comments that say
what generated it (the marker spec: docs/book-build.md), and its body is
checked in, so a chapter reads complete on GitHub or in `less`:

    <!-- book:code src/networking.c networking-input-loop -->   an anchor
    <!-- book:trace 06-big-reply 36-40 [client=3] -->           a golden
    <!-- book:view 06-big-reply 38 80x24 [--explain] [--mark N] [--client N] -->
    <!-- book:run -->  or  <!-- book:run varies -->              commands

each closed by <!-- /book:KIND -->.

Usage (all from the repository root; ROOT defaults to it):

  scripts/book.py update [--root ROOT] [FILE...]   rewrite every generated
        block's body in place (`make book-update`)
  scripts/book.py check  [--root ROOT] [--strict] [FILE...]   regenerate into
        build/book-check/ and fail on the first differing line of each block,
        on a marker, anchor, golden or step that does not exist, on a link
        that does not resolve, and on a command that fails (`make book-check`)
  scripts/book.py render [--root ROOT] [--out DIR] build/book/ with pandoc
        (`make book`)
  scripts/book.py seeds  [--root ROOT] [--seed FILE]   every function the
        seed excerpt defines (or, without the seed, every function
        docs/seed-map.md has a section for) and the chapter that explains
        it: a heading naming it, or a quote of code from inside it
        (`make book-seeds`, in `make test`)

FILE... restricts update/check to those Markdown files (paths relative to
ROOT). Without it: book.md, chapters/*.md and tests/book/fixtures/*.md (the
checker's own fixture chapter, so `make book-check` checks something real
even before the first chapter exists).

Python 3 standard library only; the generators call the tree's built
bin/minired-view. Exit status: 0 ok, 1 a problem (each printed on stderr as
FILE:LINE: message), 2 bad usage.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata

# A `book:run` block's hang guard: a command that has not finished after
# this many seconds is a failure (a hang, never a slow machine: the commands
# a chapter shows run in well under a second each).
RUN_GUARD_SECONDS = 300

KINDS = ('code', 'trace', 'view', 'run')

# A marker is an HTML comment alone on its line (outside any code fence).
MARKER = re.compile(r'^<!--\s*(/?)book:([A-Za-z_-]+)((?:\s+[^\s]+)*)\s*-->$')
LOOSE = re.compile(r'<!--\s*/?book:')
FENCE = re.compile(r'^ {0,3}(`{3,}|~{3,})(.*)$')

# The source-file anchor markers (the same forms scripts/check-anchors.sh
# accepts).
ANCHOR_LINE = re.compile(
    r'^(?:/\*\s*(ANCHOR|ANCHOR_END):\s*(\S+)\s*\*/'
    r'|//\s*(ANCHOR|ANCHOR_END):\s*(\S+)'
    r'|#\s*(ANCHOR|ANCHOR_END):\s*(\S+)'
    r'|<!--\s*(ANCHOR|ANCHOR_END):\s*(\S+)\s*-->)$')
# A lab region marker (exercises/README.md): `/* LAB 1 BEGIN inline-parse */`
# ... `/* LAB 1 END inline-parse */`. The handout tool replaces what lies
# between by the lab's stub; a quote shows the code without the markers.
LAB_LINE = re.compile(r'^/\*\s*LAB\s+\d+\s+(BEGIN|END)\s+[a-z0-9-]+\s*\*/$')

FENCE_LANG = {'.c': 'c', '.h': 'c', '.py': 'python', '.sh': 'bash',
              '.md': 'markdown', '.scn': 'text', '.def': 'c',
              '.jsonl': 'json', '.json': 'json'}


class BookError(Exception):
    """A problem in one block or marker; printed as FILE:LINE: message."""


# --------------------------------------------------------------------------
# Parsing a Markdown file into text and generated blocks
# --------------------------------------------------------------------------

class Block:
    """One generated block: its opening marker, arguments and body."""

    def __init__(self, kind, args, open_line, lineno):
        self.kind = kind
        self.args = args            # the marker's words after book:KIND
        self.open_line = open_line  # the marker line as written
        self.lineno = lineno        # 1-based line of the opening marker
        self.body = []              # lines between the markers (no '\n')
        self.close_line = None

    def label(self):
        return self.open_line.strip()


def fence_step(line, fence):
    """Track code fences: return the fence open after LINE (None if none).

    FENCE is the fence open before the line: (char, length) or None.
    """
    m = FENCE.match(line)
    if not m:
        return fence
    run = m.group(1)
    if fence is None:
        return (run[0], len(run))
    if run[0] == fence[0] and len(run) >= fence[1] and not m.group(2).strip():
        return None
    return fence


def parse(text, doc):
    """Split TEXT into a list of str (plain lines) and Block items.

    Markers inside a code fence that is not a block's body are text (a
    chapter may show the marker syntax itself). Raises BookError for an
    unknown, stray, unclosed or mismatched marker.
    """
    items = []
    block = None
    fence = None
    lines = text.split('\n')
    for i, line in enumerate(lines, 1):
        if fence is None:
            m = MARKER.match(line.strip())
            if m:
                closing, kind, rest = m.group(1), m.group(2), m.group(3)
                if kind not in KINDS:
                    raise BookError(f'{doc}:{i}: unknown marker book:{kind} '
                                    f'(known: {", ".join(KINDS)})')
                if closing:
                    if rest.strip():
                        raise BookError(f'{doc}:{i}: a closing marker takes '
                                        f'no arguments: {line.strip()}')
                    if block is None:
                        raise BookError(f'{doc}:{i}: <!-- /book:{kind} --> '
                                        f'without an opening marker')
                    if block.kind != kind:
                        raise BookError(
                            f'{doc}:{i}: <!-- /book:{kind} --> closes '
                            f'"{block.label()}" (line {block.lineno})')
                    block.close_line = line
                    items.append(block)
                    block = None
                    continue
                if block is not None:
                    raise BookError(
                        f'{doc}:{i}: "{line.strip()}" opened inside '
                        f'"{block.label()}" (line {block.lineno}), which '
                        f'has no <!-- /book:{block.kind} --> before it')
                block = Block(kind, rest.split(), line, i)
                continue
            if LOOSE.search(re.sub(r'(`+).*?\1', '', line)):
                raise BookError(f'{doc}:{i}: a book marker must be alone on '
                                f'its line: {line.strip()}')
        fence = fence_step(line, fence)
        if block is not None:
            block.body.append(line)
        else:
            items.append(line)
    if block is not None:
        raise BookError(f'{doc}:{block.lineno}: "{block.label()}" is never '
                        f'closed by <!-- /book:{block.kind} -->')
    return items


def unparse(items, bodies):
    """Join ITEMS back into text, each block's body taken from BODIES."""
    out = []
    for it in items:
        if isinstance(it, Block):
            out.append(it.open_line)
            out.extend(bodies[id(it)])
            out.append(it.close_line)
        else:
            out.append(it)
    return '\n'.join(out)


# --------------------------------------------------------------------------
# Generators: one per block kind
# --------------------------------------------------------------------------

def gen_code(root, block, doc):
    """book:code FILE NAME -> the anchor's lines in a fence."""
    if len(block.args) != 2:
        raise BookError(f'{doc}:{block.lineno}: book:code takes FILE NAME: '
                        f'{block.label()}')
    rel, name = block.args
    path = os.path.join(root, rel)
    if not os.path.isfile(path):
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: file {rel} '
                        f'not found')
    with open(path, encoding='utf-8', errors='replace') as f:
        lines = f.read().split('\n')
    inside = False
    found = False
    quoted = []
    for line in lines:
        m = ANCHOR_LINE.match(line.strip())
        if m:
            kind = m.group(1) or m.group(3) or m.group(5) or m.group(7)
            aname = m.group(2) or m.group(4) or m.group(6) or m.group(8)
            if aname == name and kind == 'ANCHOR':
                if inside:
                    raise BookError(f'{doc}:{block.lineno}: anchor {name} '
                                    f'opened twice in {rel}')
                inside = found = True
            elif aname == name and inside:
                inside = False
                break
            continue            # every marker line is left out of the quote
        if LAB_LINE.match(line.strip()):
            continue            # so is every lab region marker
        if inside:
            quoted.append(line)
    if not found:
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: no anchor '
                        f'"{name}" in {rel}')
    if inside:
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: anchor '
                        f'"{name}" in {rel} has no ANCHOR_END')
    base = os.path.basename(rel)
    lang = 'make' if base == 'Makefile' else \
        FENCE_LANG.get(os.path.splitext(base)[1], 'text')
    # A fence longer than any backtick fence inside the quote (a quoted
    # Markdown or Python docstring may hold ```), so the quote cannot end it.
    longest = max([len(m.group(1)) for m in
                   (FENCE.match(q) for q in quoted) if m and
                   m.group(1)[0] == '`'] + [2])
    fence = '`' * (longest + 1)
    return [fence + lang] + quoted + [fence]


def load_golden(root, name, block, doc):
    """The events of tests/golden/NAME.jsonl, or a BookError."""
    path = os.path.join(root, 'tests', 'golden', name + '.jsonl')
    if not os.path.isfile(path):
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: no golden '
                        f'tests/golden/{name}.jsonl')
    events = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    events.append(json.loads(line))
                except ValueError as e:
                    raise BookError(f'{doc}:{block.lineno}: tests/golden/'
                                    f'{name}.jsonl:{n}: not JSON: {e}')
    return events


def parse_range(spec, block, doc):
    """"36-40" -> (36, 40); "38" -> (38, 38)."""
    m = re.match(r'^(\d+)(?:-(\d+))?$', spec)
    if not m:
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: step range '
                        f'"{spec}" is not N or FIRST-LAST')
    first = int(m.group(1))
    last = int(m.group(2) or first)
    if last < first:
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: step range '
                        f'{spec} ends before it starts')
    return first, last


def c_escape(data, cut=32):
    """"data" as a C string: \\r \\n \\t \\\\ \\" \\xNN, cut at CUT bytes."""
    raw = data.encode('latin-1', errors='replace') if isinstance(data, str) \
        else bytes(data)
    out = []
    for b in raw[:cut]:
        ch = chr(b)
        if ch == '\r':
            out.append('\\r')
        elif ch == '\n':
            out.append('\\n')
        elif ch == '\t':
            out.append('\\t')
        elif ch in '\\"':
            out.append('\\' + ch)
        elif 32 <= b < 127:
            out.append(ch)
        else:
            out.append('\\x%02x' % b)
    return '"' + ''.join(out) + ('..."' if len(raw) > cut else '"')


def fmt_value(v):
    """One arg's value, compact and on one line."""
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, str):
        if v and re.match(r'^[\x21-\x7e]+$', v) and '"' not in v:
            return v
        return c_escape(v, cut=1 << 30)
    return json.dumps(v, separators=(',', ':'), ensure_ascii=False)


STATE_FIELDS = ('qlen', 'qb_pos', 'reqtype', 'multibulklen', 'bulklen',
                'argc', 'bufpos', 'sentlen', 'reply', 'reply_bytes', 'flags')


def state_parts(c):
    """The client fields the spec lists, when present, as (key, "key=value")."""
    if not isinstance(c, dict):
        return []
    parts = []
    for k in STATE_FIELDS:
        if k not in c:
            continue
        v = c[k]
        if k == 'reply':
            # null: a deferred-length placeholder (docs/trace-format.md)
            v = '[' + ','.join('deferred' if b is None else f'{b[0]}/{b[1]}'
                               for b in v) + ']'
        elif k == 'flags':
            v = '[' + ','.join(v) + ']'
        parts.append((k, f'{k}={v}'))
    return parts


def constant_parts(rows):
    """The "key=value" items every row has, identical: [(key, text)], in the
    first row's order. Only worth factoring out when there are two rows."""
    if len(rows) < 2:
        return []
    first = rows[0]
    return [(k, t) for k, t in first if all((k, t) in r for r in rows[1:])]


def gen_trace(root, block, doc):
    """book:trace NAME FIRST-LAST [client=N] -> one line per step."""
    args = list(block.args)
    client = None
    for a in list(args):
        if a.startswith('client='):
            try:
                client = int(a[len('client='):])
            except ValueError:
                raise BookError(f'{doc}:{block.lineno}: {block.label()}: '
                                f'bad {a}')
            args.remove(a)
    if len(args) != 2:
        raise BookError(f'{doc}:{block.lineno}: book:trace takes NAME '
                        f'FIRST-LAST [client=N]: {block.label()}')
    name, spec = args
    first, last = parse_range(spec, block, doc)
    events = load_golden(root, name, block, doc)
    steps = {e.get('ts'): e for e in events if e.get('ph') != 'M'}
    for n in (first, last):
        if n not in steps:
            top = max(steps) if steps else 0
            raise BookError(f'{doc}:{block.lineno}: {block.label()}: '
                            f'tests/golden/{name}.jsonl has no step {n} '
                            f'(steps 1..{top})')
    picked = []
    for ts in range(first, last + 1):
        e = steps.get(ts)
        if e is None or (client is not None and e.get('tid') != client):
            continue
        a = e.get('args') or {}
        own = []
        for k, v in a.items():
            if k in ('c', 'src') or k.startswith('wall_'):
                continue
            own.append((k, f'{k}={c_escape(v) if k == "data" else fmt_value(v)}'))
        picked.append((e, own, state_parts(a.get('c'))))
    if not picked:
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: no step of '
                        f'client {client} in {first}-{last}')
    # Narrow the excerpt: an argument (fd=7) or a state field (qlen=28) that
    # is the same in every step of the excerpt is printed once, on a line
    # above the table, instead of in every row. Server steps (no client
    # state) take no part in the state comparison.
    same_args = constant_parts([p[1] for p in picked])
    with_state = [p[2] for p in picked if p[2]]
    same_state = constant_parts(with_state) if len(with_state) == len(
        [p for p in picked if p[0].get('tid')]) else []
    rows = []
    for e, own, state in picked:
        rows.append((str(e.get('ts')), str(e.get('tid', 0)), e.get('name', ''),
                     e.get('cat', ''),
                     ' '.join(t for kt, t in own if (kt, t) not in same_args),
                     ' '.join(t for kt, t in state
                              if (kt, t) not in same_state)))
    head = ('step', 'cl', 'function', 'step-kind', 'args', 'state')
    w = [max(len(r[i]) for r in rows + [head]) for i in range(5)]
    out = ['```text']
    if same_args or same_state:
        said = []
        if same_args:
            said.append('args ' + ' '.join(t for _, t in same_args))
        if same_state:
            said.append('state ' + ' '.join(t for _, t in same_state))
        out.append('in every step below: ' + '; '.join(said))
    for r in [head] + rows:
        line = (f'{r[0]:>{w[0]}} {r[1]:>{w[1]}} {r[2]:<{w[2]}} '
                f'{r[3]:<{w[3]}} {r[4]:<{w[4]}} | {r[5]}')
        out.append(line.rstrip())
    out.append('```')
    return out


def tool_env(**extra):
    """The environment of the viewer and of book:run commands: the caller's,
    made independent of the terminal it runs in (no colour, no $COLUMNS /
    $LINES, which minired-view --dump would take as its size), with a fixed
    locale and time zone so sorting and dates print the same everywhere."""
    env = dict(os.environ, NO_COLOR='1', TERM='dumb', LC_ALL='C.UTF-8',
               TZ='UTC', **extra)
    for k in ('COLUMNS', 'LINES'):
        env.pop(k, None)
    return env


def gen_view(root, block, doc):
    """book:view NAME STEP WxH [--explain] [--mark N] [--client N]."""
    args = list(block.args)
    if len(args) < 3:
        raise BookError(f'{doc}:{block.lineno}: book:view takes NAME STEP '
                        f'WxH [--explain] [--mark N] [--client N]: '
                        f'{block.label()}')
    name, step, size = args[:3]
    extra = args[3:]
    m = re.match(r'^(\d+)x(\d+)$', size)
    if not step.isdigit() or not m:
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: want STEP '
                        f'as a number and the size as WIDTHxHEIGHT')
    opts = []
    i = 0
    while i < len(extra):
        if extra[i] == '--explain':
            opts.append('--explain')
            i += 1
        elif extra[i] in ('--mark', '--client') and i + 1 < len(extra) \
                and extra[i + 1].isdigit():
            opts += extra[i:i + 2]
            i += 2
        else:
            raise BookError(f'{doc}:{block.lineno}: {block.label()}: unknown '
                            f'option {extra[i]}')
    events = load_golden(root, name, block, doc)
    tss = {e.get('ts') for e in events if e.get('ph') != 'M'}
    for n in [int(step)] + ([int(opts[opts.index('--mark') + 1])]
                            if '--mark' in opts else []):
        if n not in tss:
            raise BookError(f'{doc}:{block.lineno}: {block.label()}: '
                            f'tests/golden/{name}.jsonl has no step {n}')
    view = os.path.join(root, 'bin', 'minired-view')
    if not os.access(view, os.X_OK):
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: '
                        f'bin/minired-view not built (run make)')
    cmd = [view, '--dump', step, '--width', m.group(1), '--height',
           m.group(2)] + opts + [f'tests/golden/{name}.jsonl']
    p = subprocess.run(cmd, cwd=root, env=tool_env(), stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=60)
    if p.returncode != 0:
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: '
                        f'minired-view exited {p.returncode}: '
                        f'{p.stderr.decode(errors="replace").strip()}')
    text = p.stdout.decode('utf-8', errors='replace').rstrip('\n')
    return ['```text'] + [ln.rstrip() for ln in text.split('\n')] + ['```']


def end_group(proc):
    """SIGTERM the process group of PROC (a book:run block's shell and all
    it started), wait until it is gone; SIGKILL what is left after 10 s.
    Both waits are hang guards (a server shuts down in milliseconds); after
    15 s it gives up (e.g. zombies no init reaps), never loops forever."""
    sig = signal.SIGTERM
    start = time.monotonic()
    while time.monotonic() - start < 15:
        proc.poll()                     # reap the shell itself
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        if time.monotonic() - start > 10:
            sig = signal.SIGKILL
        time.sleep(0.02)


def split_run(body):
    """A book:run body -> (commands, shown output of each command).

    Fence lines are dropped; a line starting with "$ " is a command (a
    trailing backslash joins the next line to it); every other line is
    output of the command before it (lines before the first command are
    ignored).
    """
    cmds, outs = [], []
    cont = False
    for ln in body:
        if cont:
            cmds[-1] += '\n' + ln
        elif FENCE.match(ln):
            continue
        elif ln.startswith('$ '):
            cmds.append(ln[2:])
            outs.append([])
        else:
            if outs:
                outs[-1].append(ln)
            continue
        cont = ln.endswith('\\')
    return cmds, outs


def run_commands(body, block, doc, root):
    """Split a book:run body, run its commands; return (cmds, outputs).

    BODY is the lines inside the markers (a ```console fence around them).
    Commands are the lines starting with "$ " (a trailing backslash joins
    the next line). They run in order in one bash, cwd a fresh scratch copy
    of ROOT (build/ and .git left out, bin/ included), stdout and stderr
    together. Raises BookError when one exits non-zero or hangs.
    """
    cmds, _ = split_run(body)
    if not cmds:
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: no command '
                        f'(a line starting with "$ ")')
    scratch = tempfile.mkdtemp(prefix='book-run-')
    try:
        repo = os.path.join(scratch, 'repo')
        shutil.copytree(root, repo, symlinks=True,
                        ignore=lambda d, names: [n for n in names if n in (
                            '.git', 'build') and os.path.samefile(d, root)])
        tag = 'BOOK-RUN-%d-%d' % (os.getpid(), time.monotonic_ns())
        script = ['cd "$BOOK_REPO" || exit 99']
        for i, c in enumerate(cmds):
            script.append(f"printf '\\n{tag} {i}\\n'")
            script.append(c)
            script.append(f"__rc=$?; if [ $__rc -ne 0 ]; then printf "
                          f"'\\n{tag} fail {i} %d\\n' $__rc; exit 98; fi")
        script.append(f"printf '\\n{tag} end\\n'")
        outpath = os.path.join(scratch, 'out')
        env = tool_env(BOOK_REPO=repo)
        with open(outpath, 'wb') as out:
            p = subprocess.Popen(['bash', '-c', '\n'.join(script)],
                                 stdin=subprocess.DEVNULL, stdout=out,
                                 stderr=subprocess.STDOUT, env=env,
                                 start_new_session=True)
            try:
                p.wait(timeout=RUN_GUARD_SECONDS)
                hung = False
            except subprocess.TimeoutExpired:
                hung = True
            # Whatever the commands left behind (a server started with &)
            # is in this process group, and only that: end it.
            end_group(p)
            p.wait()
        with open(outpath, 'rb') as f:
            raw = f.read().decode('utf-8', errors='replace')
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    raw = raw.replace(repo, '.')
    outputs = [[] for _ in cmds]
    cur = None
    failed = None
    for ln in raw.split('\n'):
        if ln.startswith(tag + ' '):
            word = ln[len(tag) + 1:].split()
            if word[0] == 'fail':
                failed = (int(word[1]), int(word[2]))
            elif word[0] != 'end':
                cur = int(word[0])
            continue
        if cur is not None:
            outputs[cur].append(ln)
    # Each sentinel is preceded by a newline so it starts its own line: drop
    # that one empty line (and the one the command's last \n leaves).
    for o in outputs:
        while o and o[-1] == '':
            o.pop()
    if hung:
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: still '
                        f'running after {RUN_GUARD_SECONDS} s (hang guard); '
                        f'output so far: {raw[-300:]!r}')
    if failed is not None:
        i, rc = failed
        shown = '\n'.join(outputs[i][-10:])
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: command '
                        f'{i + 1} "$ {cmds[i]}" exited {rc}; its output:\n'
                        f'{shown}')
    if p.returncode != 0:
        raise BookError(f'{doc}:{block.lineno}: {block.label()}: the shell '
                        f'exited {p.returncode} (a command ran "exit"?)')
    return cmds, outputs


def gen_run(root, block, doc):
    """book:run [varies] -> the commands and what they print now.

    A `varies` block is run (every command must exit 0) but keeps its
    checked-in output, unless it has none yet (a new block is filled in).
    """
    args = block.args
    if args not in ([], ['varies']):
        raise BookError(f'{doc}:{block.lineno}: book:run takes nothing or '
                        f'"varies": {block.label()}')
    cmds, outputs = run_commands(block.body, block, doc, root)
    if args == ['varies']:
        _, shown = split_run(block.body)
        if any(any(ln.strip() for ln in o) for o in shown):
            return list(block.body)
    out = ['```console']
    for c, o in zip(cmds, outputs):
        # A command continued with a backslash is one string with its
        # newlines; the body is a list of lines, as the checked-in file's.
        out.extend(('$ ' + c).split('\n'))
        out.extend(o)
    out.append('```')
    return out


GENERATORS = {'code': gen_code, 'trace': gen_trace, 'view': gen_view,
              'run': gen_run}


# --------------------------------------------------------------------------
# Links and headings
# --------------------------------------------------------------------------

def github_slug(text):
    """A heading's id as GitHub (and pandoc's gfm_auto_identifiers) makes it.

    The rendered text (code spans, links and emphasis stars removed),
    lowercased; every character that is not a letter, digit, mark, space,
    '-' or '_' dropped; each space made a '-'.
    """
    t = re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', text)
    t = re.sub(r'<[^>]+>', '', t)
    t = t.replace('`', '').replace('*', '')
    # _emphasis_ loses its underscores; qb_pos keeps its own.
    t = re.sub(r'(?<![0-9A-Za-z])_+|_+(?![0-9A-Za-z])', '', t)
    t = t.strip().lower()
    keep = []
    for ch in t:
        cat = unicodedata.category(ch)
        if ch in '-_ ' or cat[0] in 'LNM':
            keep.append(ch)
    return ''.join(keep).replace(' ', '-')


HEADING = re.compile(r'^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$')
SETEXT = re.compile(r'^ {0,3}(=+|-+)\s*$')
HTML_ID = re.compile(r'<a\s+(?:id|name)="([^"]+)"')


def headings(text):
    """The set of link targets (#id) a Markdown text defines."""
    ids = set()
    seen = {}
    fence = None
    prev = ''           # the previous line, if it was paragraph text

    def add(title):
        slug = github_slug(title)
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        ids.add(slug if n == 0 else f'{slug}-{n}')

    for line in text.split('\n'):
        if fence is None:
            m = HEADING.match(line)
            if m:
                add(m.group(2))
                prev = ''
            elif prev and SETEXT.match(line):
                add(prev.strip())       # "Title" over "=====" or "-----"
                prev = ''
            else:
                para = line if line.strip() and not FENCE.match(line) and \
                    not re.match(r'^\s*([-*+]|\d+[.)])\s', line) and \
                    not line.lstrip().startswith(('<', '|', '>')) else ''
                prev = (prev + ' ' + para if prev else para) if para else ''
            ids.update(HTML_ID.findall(line))
        fence = fence_step(line, fence)
    return ids


LINK = re.compile(r'!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)')
REFDEF = re.compile(r'^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$')


def link_targets(text):
    """(line, target) of every link and image outside code."""
    fence = None
    for i, line in enumerate(text.split('\n'), 1):
        was = fence
        fence = fence_step(line, fence)
        if was is not None or fence is not None:
            continue
        bare = re.sub(r'(`+).*?\1', '', line)
        for m in LINK.finditer(bare):
            yield i, m.group(1)
        m = REFDEF.match(bare)
        if m:
            yield i, m.group(1)


# The chapters the book plans (docs/book-build.md). While the book is being
# written, a link to one of these that does not exist yet is a NOTE, not an
# error, so `make book-check` passes on whatever chapters exist; --strict
# (and `make book`) make it an error. Once a chapter exists, every link into
# it, and every heading named, is checked in full.
PLANNED = ['00-a-request', '01-event-loop', '02-accepting', '03-reading',
           '04-inline', '05-multibulk', '06-input-loop', '07-processcommand',
           '08-replies', '09-writing', '10-defending', '11-client-states',
           '12-end-of-client', '13-from-5-to-today', 'appendix-a-trace',
           'appendix-b-viewer', 'appendix-c-glossary']
PLANNED_FILES = {f'chapters/{n}.md' for n in PLANNED}


def check_links(root, doc, text, cache, notes=None):
    """Every link of DOC resolves: file, heading, or anchor in a file.

    A link to a planned chapter not written yet goes to NOTES (a list)
    when NOTES is given, else it is an error like any other.
    """
    errors = []
    here = os.path.dirname(doc)
    for lineno, target in link_targets(text):
        if re.match(r'^[a-z][a-z0-9+.-]*:', target, re.I):
            continue                # http:, https:, mailto:: not checked
        path, _, frag = target.partition('#')
        if path:
            rel = os.path.normpath(os.path.join(here, path))
            full = os.path.join(root, rel)
            if notes is not None and rel in PLANNED_FILES \
                    and not os.path.exists(full):
                notes.append(f'{doc}:{lineno}: link to {target}: {rel} is '
                             f'planned, not written yet')
                continue
            if rel.startswith('..') or not os.path.exists(full):
                errors.append(f'{doc}:{lineno}: link to {target}: {rel} does '
                              f'not exist')
                continue
        else:
            rel = doc
            full = os.path.join(root, doc)
        if not frag:
            continue
        if os.path.isdir(full):
            errors.append(f'{doc}:{lineno}: link to {target}: #{frag} on a '
                          f'directory')
            continue
        if rel not in cache:
            with open(full, encoding='utf-8', errors='replace') as f:
                body = f.read()
            if rel.endswith('.md'):
                cache[rel] = headings(body)
            else:
                names = set()
                for ln in body.split('\n'):
                    m = ANCHOR_LINE.match(ln.strip())
                    if m and (m.group(1) or m.group(3) or m.group(5) or
                              m.group(7)) == 'ANCHOR':
                        names.add(m.group(2) or m.group(4) or m.group(6) or
                                  m.group(8))
                cache[rel] = names
        if frag not in cache[rel]:
            what = 'heading' if rel.endswith('.md') else 'ANCHOR'
            if re.match(r'^L\d+', frag) and not rel.endswith('.md'):
                what = 'ANCHOR (line numbers drift: link an anchor)'
            errors.append(f'{doc}:{lineno}: link to {target}: no {what} '
                          f'"{frag}" in {rel}')
    return errors


# --------------------------------------------------------------------------
# update / check
# --------------------------------------------------------------------------

def book_files(root):
    """book.md, chapters/*.md and the checker's fixtures, as ROOT paths."""
    files = []
    if os.path.isfile(os.path.join(root, 'book.md')):
        files.append('book.md')
    for d in ('chapters', os.path.join('tests', 'book', 'fixtures')):
        full = os.path.join(root, d)
        if os.path.isdir(full):
            files += [os.path.join(d, f) for f in sorted(os.listdir(full))
                      if f.endswith('.md')]
    return files


def regenerate(root, doc, text):
    """(items, bodies, errors): every block of DOC generated again."""
    items = parse(text, doc)
    bodies = {}
    errors = []
    for it in items:
        if not isinstance(it, Block):
            continue
        try:
            bodies[id(it)] = GENERATORS[it.kind](root, it, doc)
        except BookError as e:
            errors.append(str(e))
            bodies[id(it)] = list(it.body)
        except subprocess.TimeoutExpired as e:
            errors.append(f'{doc}:{it.lineno}: {it.label()}: {e}')
            bodies[id(it)] = list(it.body)
    return items, bodies, errors


def first_difference(old, new):
    """(index, old line, new line) of the first differing line, or None."""
    for i in range(max(len(old), len(new))):
        a = old[i] if i < len(old) else '<no line>'
        b = new[i] if i < len(new) else '<no line>'
        if a != b:
            return i, a, b
    return None


def cmd_update(root, files):
    """Rewrite each generated block in place; 1 if any block failed."""
    bad = 0
    for doc in files:
        path = os.path.join(root, doc)
        with open(path, encoding='utf-8') as f:
            text = f.read()
        try:
            items, bodies, errors = regenerate(root, doc, text)
        except BookError as e:
            print(f'book-update: ERROR {e}', file=sys.stderr)
            bad += 1
            continue
        for e in errors:
            print(f'book-update: ERROR {e}', file=sys.stderr)
        bad += len(errors)
        new = unparse(items, bodies)
        nblocks = sum(isinstance(it, Block) for it in items)
        if new != text:
            with open(path + '.tmp', 'w', encoding='utf-8') as f:
                f.write(new)
            os.replace(path + '.tmp', path)
            print(f'book-update: {doc}: {nblocks} blocks, rewritten')
        else:
            print(f'book-update: {doc}: {nblocks} blocks, unchanged')
    if bad:
        print(f'book-update: {bad} problem(s); those blocks were left as '
              f'they were', file=sys.stderr)
        return 1
    return 0


def cmd_check(root, files, strict=False):
    """Regenerate into build/book-check/, compare, check links.

    STRICT: a link to a planned chapter not written yet is an error too.
    """
    out_dir = os.path.join(root, 'build', 'book-check')
    problems = []
    notes = None if strict else []
    counts = {k: 0 for k in KINDS}
    cache = {}
    for doc in files:
        path = os.path.join(root, doc)
        with open(path, encoding='utf-8') as f:
            text = f.read()
        try:
            items, bodies, errors = regenerate(root, doc, text)
        except BookError as e:
            problems.append(str(e))
            continue
        problems += errors
        failed = {e.split(':')[1] for e in errors}
        for it in items:
            if not isinstance(it, Block):
                continue
            counts[it.kind] += 1
            if str(it.lineno) in failed:
                continue
            d = first_difference(it.body, bodies[id(it)])
            if d:
                i, a, b = d
                problems.append(
                    f'{doc}:{it.lineno}: block "{it.label()}" differs from '
                    f'the tree at its line {i + 1} (file line '
                    f'{it.lineno + 1 + i}):\n    checked in: {a}\n    '
                    f'generated:  {b}\n    (run `make book-update` and read '
                    f'the diff)')
        new = unparse(items, bodies)
        dest = os.path.join(out_dir, doc)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, 'w', encoding='utf-8') as f:
            f.write(new)
        problems += check_links(root, doc, text, cache, notes)
    summary = ', '.join(f'{n} {k}' for k, n in counts.items())
    print(f'book-check: {len(files)} files ({", ".join(files) or "none"}); '
          f'blocks: {summary}; regenerated copy in build/book-check/')
    for n in notes or []:
        print(f'book-check: NOTE {n}')
    if notes:
        print(f'book-check: {len(notes)} link(s) to chapters not written yet '
              f'(errors with --strict)')
    if problems:
        for p in problems:
            print(f'book-check: ERROR {p}', file=sys.stderr)
        print(f'book-check: FAILED, {len(problems)} problem(s) (the whole '
              f'difference of a file: diff -u FILE build/book-check/FILE)',
              file=sys.stderr)
        return 1
    print('book-check: OK')
    return 0


# --------------------------------------------------------------------------
# seeds
# --------------------------------------------------------------------------

SEED_DEF = re.compile(
    r'^(?:static\s+|inline\s+)*[A-Za-z_][\w \t]*?[\s*]+\**([A-Za-z_]\w*)\s*'
    r'\([^;{]*\)?\s*\{?\s*(?://.*)?$')
DEFAULT_SEED = os.path.join('..', 'shared', 'seed',
                            'networking-pipeline-annotated.txt')
NOT_FUNCS = {'if', 'while', 'for', 'switch', 'return', 'sizeof', 'else'}


def seed_functions(seed):
    """Names of the functions SEED defines (a C definition at column 0)."""
    names = []
    with open(seed, encoding='utf-8', errors='replace') as f:
        for line in f:
            if not line or line[0] in ' \t#/*}':
                continue
            m = SEED_DEF.match(line.rstrip('\n'))
            if m and m.group(1) not in NOT_FUNCS and '(' in line \
                    and not line.rstrip().endswith(';') \
                    and m.group(1) not in names:
                names.append(m.group(1))
    return names


def seed_map_functions(path):
    """The functions docs/seed-map.md has a section for: "## name (...)"."""
    names = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = re.match(r'^## ([A-Za-z_]\w*)\b', line)
            if m and m.group(1) not in names:
                names.append(m.group(1))
    return names


C_DEF = re.compile(r'^[A-Za-z_][\w \t*]*?\b([A-Za-z_]\w*)\s*\([^;]*$')


def quoted_functions(root, text, cache):
    """The C functions a chapter quotes code from: for each book:code block
    on a .c file, the function whose body holds the anchor's first line,
    plus every function defined inside the anchored region."""
    found = set()
    for m in re.finditer(r'^<!-- book:code (\S+) (\S+) -->$', text, re.M):
        rel, name = m.group(1), m.group(2)
        if not rel.endswith('.c'):
            continue
        if rel not in cache:
            try:
                with open(os.path.join(root, rel), encoding='utf-8') as f:
                    cache[rel] = f.read().split('\n')
            except OSError:
                cache[rel] = []
        lines = cache[rel]
        start = end = None
        for i, ln in enumerate(lines):
            if re.search(r'ANCHOR: ' + re.escape(name) + r'\b', ln):
                start = i
            elif start is not None and re.search(
                    r'ANCHOR_END: ' + re.escape(name) + r'\b', ln):
                end = i
                break
        if start is None or end is None:
            continue
        for i in range(start, -1, -1):     # the definition above the start
            d = C_DEF.match(lines[i])
            if d and d.group(1) not in NOT_FUNCS:
                if i == start or not lines[i].startswith('}'):
                    found.add(d.group(1))
                break
            if lines[i].startswith('}') and i != start:
                break                      # the start is between functions
        for ln in lines[start:end]:
            d = C_DEF.match(ln)
            if d and d.group(1) not in NOT_FUNCS:
                found.add(d.group(1))
    return found


def explains(root, text, name, cache):
    """How a chapter explains NAME: 'heading' when a heading names it,
    'quote' when it names it and quotes code from inside it through a
    book:code block, '' otherwise (a mere mention does not count)."""
    word = re.compile(r'\b' + re.escape(name) + r'\b')
    for line in text.split('\n'):
        if re.match(r'^#{1,6} ', line) and word.search(line):
            return 'heading'
    if word.search(text) and name in quoted_functions(root, text, cache):
        return 'quote'
    return ''


def cmd_seeds(root, seed):
    """Each seed function and the chapter that explains it.

    The names come from SEED (the annotated excerpt, when given and
    present) or else from docs/seed-map.md, which tests/trace/
    test_seed_map.py keeps equal to the seed's functions; a clone without
    ../shared/ still has the map. A function counts as explained by a
    chapter (chapters/*.md; book.md only points) that has a heading naming
    it, or names it and quotes code from inside it through a book:code
    block; a mere mention is listed but does not count."""
    if seed == DEFAULT_SEED:               # beside the repository, if there
        seed = os.path.join(root, DEFAULT_SEED)
        if not os.path.isfile(seed):
            seed = ''
    if seed and os.path.isfile(seed):
        names, source = seed_functions(seed), seed
    else:
        mp = os.path.join(root, 'docs', 'seed-map.md')
        if seed:
            print(f'book-seeds: seed file {seed} not found', file=sys.stderr)
            return 2
        names, source = seed_map_functions(mp), 'docs/seed-map.md'
    docs = [f for f in book_files(root) if f.startswith('chapters/')]
    text = {}
    for d in docs:
        with open(os.path.join(root, d), encoding='utf-8') as f:
            text[d] = f.read()
    missing, cache = [], {}
    for n in names:
        how = [(d, explains(root, text[d], n, cache)) for d in docs]
        where = [f'{d} ({h})' for d, h in how if h]
        named = [d for d in docs if re.search(r'\b' + re.escape(n) + r'\b',
                                             text[d])]
        if where:
            print(f'  {n:32s} {", ".join(where)}')
        else:
            print(f'  {n:32s} NOT EXPLAINED' + (
                f' (only named in {", ".join(named)})' if named else ''))
            missing.append(n)
    print(f'book-seeds: {len(names)} functions in {source}, '
          f'{len(names) - len(missing)} explained in {len(docs)} chapters')
    if missing:
        print('book-seeds: missing: ' + ' '.join(missing), file=sys.stderr)
        return 1
    print('book-seeds: OK')
    return 0


def main():
    ap = argparse.ArgumentParser(description='minired book: update, check, '
                                 'render, seeds (see the file header)')
    ap.add_argument('command', choices=('update', 'check', 'render', 'seeds'))
    ap.add_argument('files', nargs='*')
    ap.add_argument('--root', default=os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    ap.add_argument('--out', default=None)
    ap.add_argument('--strict', action='store_true',
                    help='check: a link to a planned chapter that does not '
                    'exist yet is an error')
    ap.add_argument('--seed', default=DEFAULT_SEED)
    a = ap.parse_intermixed_args()
    root = os.path.abspath(a.root)
    files = a.files or book_files(root)
    for f in files:
        if not os.path.isfile(os.path.join(root, f)):
            print(f'book: {f}: no such file under {root}', file=sys.stderr)
            return 2
    if a.command == 'update':
        return cmd_update(root, files)
    if a.command == 'check':
        return cmd_check(root, files, a.strict)
    if a.command == 'seeds':
        return cmd_seeds(root, a.seed)
    import book_render
    return book_render.render(root, a.out or os.path.join(root, 'build',
                                                          'book'))


if __name__ == '__main__':
    sys.exit(main())
