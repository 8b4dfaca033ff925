#!/usr/bin/python3
"""test_docs_steps.py - docs/trace-format.md says what the code writes.

Reads the trace points out of the C sources and the tables and examples
out of the document, and compares them; no server is started.

    docs/steps-documented   every traceEvent()/traceEventFd() in src/*.c,
                            and every line trace.c writes itself ("clock"),
                            as (C function, step, fields): the Steps tables
                            have a row naming that function and step, and
                            the row names every field of the format string
    docs/no-stale-rows      every row of the Steps tables names a function
                            and step the code really emits
    docs/header-keys        the header example has exactly the keys, in
                            the same order, of a header trace.c writes
                            (taken from `minired-trace run` of a scenario)
    docs/footer-keys        the same for the footer
    docs/event-keys         the Events key table lists the keys of an event
                            in order, and args starts with src, fd, wall_us
    docs/state-keys         the Client state table lists the keys of "c"
                            in the order trace.c writes them
The trace points are found by pattern, not by compiling: a call is
`traceEvent(c, "step", "key=%X key=%X", ...)` (the step and the format
are string literals); the enclosing function is the last definition that
starts at column 0 before the call.
"""

import glob
import json
import os
import re
import sys
import tempfile

import tracelib as tl
from tracelib import TestFailure, check

rep = tl.harness.Reporter()
SRC = os.path.join(tl.REPO, 'src')
DOC = os.path.join(tl.REPO, 'docs', 'trace-format.md')

# A function definition: at column 0, a return type, the name, the
# parameters (possibly over several lines), then "{".
FUNC = re.compile(r'^[A-Za-z_][\w \t\*]*?\b(\w+)\(([^;{}()]|\([^()]*\))*\)'
                  r'\s*\{', re.M)
CALL = re.compile(r'\btraceEvent(?:Fd)?\(\s*[^,]+,\s*"([^"]+)"'
                  r'(?:\s*,\s*"([^"]*)")?')
# trace.c writes "clock" and the footer itself: beginLine(tid, "name",
# "cat", ...), then its fields as tbStr(",\"key\":").
BEGIN = re.compile(r'\bbeginLine\(\s*\w+,\s*"(\w+)",\s*"([\w-]+)"')
TB_KEY = re.compile(r'tbStr\("[^"]*?\\"(\w+)\\":')


def functions(text):
    """[(start offset, name)] of the function definitions in a file."""
    return [(m.start(), m.group(1)) for m in FUNC.finditer(text)]


def enclosing(funcs, pos):
    name = None
    for start, fname in funcs:
        if start > pos:
            break
        name = fname
    return name


def code_points():
    """{(function, step): set(fields)} of every trace point in src/."""
    points = {}
    for path in sorted(glob.glob(os.path.join(SRC, '*.c'))):
        with open(path) as f:
            text = f.read()
        funcs = functions(text)
        for m in CALL.finditer(text):
            fn = enclosing(funcs, m.start())
            if fn is None:
                raise TestFailure('%s: a trace point outside any function '
                                  'at offset %d' % (path, m.start()))
            fields = set(re.findall(r'(\w+)=%', m.group(2) or ''))
            points.setdefault((fn, m.group(1)), set()).update(fields)
        if os.path.basename(path) == 'trace.c':
            for m in BEGIN.finditer(text):
                fn = enclosing(funcs, m.start())
                nxt = [s for s, _ in funcs if s > m.start()]
                body = text[m.start():nxt[0] if nxt else len(text)]
                points.setdefault((m.group(1), m.group(2)), set()).update(
                    TB_KEY.findall(body))
    return points


def doc_text():
    with open(DOC) as f:
        return f.read()


def section(text, title):
    """The text of the '## title' section, up to the next '## '."""
    m = re.search(r'^## ' + re.escape(title) + r'.*?$(.*?)(?=^## |\Z)',
                  text, re.M | re.S)
    if m is None:
        raise TestFailure('docs/trace-format.md has no "## %s" section'
                          % title)
    return m.group(1)


def table_rows(text):
    """The cells of every table row of a text (header and rule skipped)."""
    rows = []
    for line in text.splitlines():
        if not line.startswith('|'):
            continue
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if all(re.fullmatch(r':?-+:?', c) for c in cells):
            continue
        rows.append(cells)
    # The first row of each table is its header: drop rows whose first
    # cell is a bare column title.
    return [r for r in rows if r[0] not in ('name', 'key', 'field')]


def ticked(cell):
    return re.findall(r'`([^`]+)`', cell)


def doc_steps(text):
    """{(function, step): set(words in the fields cell)} from both Steps
    tables (driver: name|cat|tid|fields, inner: name|cat|fields)."""
    out = {}
    for cells in table_rows(section(text, 'Steps')):
        if len(cells) < 3:
            continue
        names, cats = ticked(cells[0]), ticked(cells[1])
        words = set()
        for cell in cells[2:]:
            for t in ticked(cell):
                words.update(re.findall(r'\w+', t))
        for n in names:
            for c in cats:
                out.setdefault((n, c), set()).update(words)
    return out


def key_paths(obj, prefix=''):
    """Every key of a JSON object, depth first, in order: "args.config.port"."""
    out = []
    for k, v in obj.items():
        out.append(prefix + k)
        if isinstance(v, dict):
            out.extend(key_paths(v, prefix + k + '.'))
    return out


def example(text, title):
    """The first ``` block of a section, as one JSON object (the document
    shows it folded over several lines)."""
    m = re.search(r'```\n(.*?)```', section(text, title), re.S)
    if m is None:
        raise TestFailure('no example in "## %s"' % title)
    return json.loads(''.join(l.strip() for l in m.group(1).splitlines()))


def sample_trace(tmp):
    """A real trace from the current code: the first scenario, run."""
    scn = os.path.join(tl.SCENARIOS, tl.scenarios()[0] + '.scn')
    out = os.path.join(tmp, 'sample.jsonl')
    tl.require_ok(tl.tool_out(['run', scn], out), 'run ' + scn)
    evs = tl.events(out)
    check(len(evs) > 2 and evs[0]['cat'] == 'header'
          and evs[-1]['cat'] == 'footer', 'the sample trace has no header '
          'or no footer')
    return evs


def compare_keys(doc_obj, real_obj, what):
    want, got = key_paths(real_obj), key_paths(doc_obj)
    if got != want:
        missing = [k for k in want if k not in got]
        extra = [k for k in got if k not in want]
        raise TestFailure('%s: the document shows %s; trace.c writes %s '
                          '(missing from the doc: %s; not written: %s)'
                          % (what, got, want, missing or '-', extra or '-'))


def main():
    text = doc_text()
    points = docs = None
    with rep.case('docs/steps-documented'):
        points = code_points()
        docs = doc_steps(text)
        check(len(points) > 30, 'only %d trace points found in src/: the '
              'pattern no longer matches the code' % len(points))
        problems = []
        for (fn, step), fields in sorted(points.items()):
            if step in ('header', 'footer'):
                continue   # shown by the examples, checked below
            if (fn, step) not in docs:
                problems.append('%s "%s" has no row' % (fn, step))
                continue
            missing = sorted(fields - docs[(fn, step)])
            if missing:
                problems.append('%s "%s": fields %s not in its row'
                                % (fn, step, ', '.join(missing)))
        check(not problems, '; '.join(problems))
        print('    %d trace points (function, step), all documented'
              % len(points))
    if points is not None and docs is not None:
        with rep.case('docs/no-stale-rows'):
            stale = sorted('%s "%s"' % k for k in docs if k not in points)
            check(not stale, 'rows for steps the code does not emit: %s'
                  % '; '.join(stale))
    if not tl.require_tool(rep, 'docs/sample-trace'):
        return rep.exit_code()
    tmp = tempfile.mkdtemp(prefix='minired-docs-')
    try:
        evs = None
        with rep.case('docs/sample-trace'):
            evs = sample_trace(tmp)
        if evs is None:
            return rep.exit_code()
        with rep.case('docs/header-keys'):
            compare_keys(example(text, 'The header'), evs[0], 'header')
        with rep.case('docs/footer-keys'):
            compare_keys(example(text, 'The footer'), evs[-1], 'footer')
        client_ev = next(e for e in evs if 'c' in e['args'])
        with rep.case('docs/event-keys'):
            rows = table_rows(section(text, 'Events'))
            # "`ph`, `s`" is one row for two keys.
            keys = [k for r in rows for k in ticked(r[0])]
            check(keys == list(client_ev.keys()), 'Events table lists %s, '
                  'an event has %s' % (keys, list(client_ev.keys())))
            args_row = next(r for r in rows if ticked(r[0]) == ['args'])
            named = [t for t in ticked(args_row[1])
                     if t in ('src', 'fd', 'wall_us', 'c')]
            real = list(client_ev['args'].keys())[:4]
            check(named == real == ['src', 'fd', 'wall_us', 'c'],
                  'args row names %s, an event starts args with %s'
                  % (named, real))
        with rep.case('docs/state-keys'):
            rows = table_rows(section(text, 'Client state'))
            keys = [ticked(r[0])[0] for r in rows if ticked(r[0])]
            real = list(client_ev['args']['c'].keys())
            check(keys == real, 'Client state table lists %s, trace.c '
                  'writes %s' % (keys, real))
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
