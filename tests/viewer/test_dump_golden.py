#!/usr/bin/python3
"""test_dump_golden.py - `bin/minired-view --dump STEP` against golden text.

For each tests/golden/NAME.jsonl (the scenario traces), a few steps worth
looking at are picked from the trace itself, without the viewer:

    first   step 1
    read    the first `read` (bytes landing in querybuf)
    reply   the first reply append (`buf-append`, else `block-new`)
    write   the first `write` with bytes (sentlen moving)
    last    the last step

and their `--dump` screens, each under a header line, make up
tests/viewer/golden/NAME.txt:

    === bin/minired-view --width 80 --height 24 --src tests/viewer/no-such-src
        --dump 3 tests/golden/01-set-get.jsonl (read)   (one line)
    <the screen, 80x24>

One test per trace:
    dump/NAME   the dumps equal tests/viewer/golden/NAME.txt (the first
                differing line is shown); each dump also says
                "step S of N" with the right S and N
plus
    dump/no-stale  every golden .txt has its trace (no leftovers)

Regenerate after a deliberate change of the screen (or of the traces,
`make golden`) with `make viewer-golden`, which runs this file with
--regenerate, and read the diff before committing.
"""

import os
import sys

import viewerlib as vl
from viewerlib import TestFailure, check

rep = vl.harness.Reporter()

# The screen size of the goldens: the smallest the viewer supports, so a
# golden is also the proof that everything fits in 80x24.
COLS, ROWS = 80, 24
# The source pane shows src/*.c as it is now, while a golden trace's
# "src":"networking.c:611" is frozen when the trace was made: every edit of
# src/ would churn the goldens. So the goldens are dumped with a source
# directory that does not exist (the pane then says so, one line), and
# test_source.py checks the source pane on a freshly made trace instead.
NO_SRC = 'tests/viewer/no-such-src'


def picks(steps):
    """[(step, label)] for one trace, in step order, without duplicates."""
    want = [
        (1, 'first'),
        (steps.first(lambda e: e['cat'] == 'read'), 'read'),
        (steps.first(lambda e: e['cat'] == 'buf-append') or
         steps.first(lambda e: e['cat'] == 'block-new'), 'reply'),
        (steps.first(lambda e: e['cat'] == 'write' and
                     e['args'].get('nwritten', 0) > 0), 'write'),
        (steps.total, 'last'),
    ]
    out, seen = [], set()
    for n, label in want:
        if n is None or n in seen:
            continue
        seen.add(n)
        out.append((n, label))
    return sorted(out)


def render(name):
    """The golden text for tests/golden/NAME.jsonl, made by the viewer."""
    trace = os.path.join(vl.GOLDEN_TRACES, name + '.jsonl')
    rel = os.path.relpath(trace, vl.REPO)
    steps = vl.Steps(trace)
    parts = []
    for n, label in picks(steps):
        p = vl.dump(rel, n, COLS, ROWS, ['--src', NO_SRC])
        why = vl.crashed(p)
        if why:
            raise TestFailure('--dump %d crashed: %s' % (n, why))
        if p.returncode != 0:
            raise TestFailure('--dump %d exited %d: %s'
                              % (n, p.returncode, p.stderr.strip()[:300]))
        got_n, got_total = vl.status(p.stdout)
        check(got_n == n and got_total == steps.total,
              '--dump %d: status says step %s of %s, want %d of %d'
              % (n, got_n, got_total, n, steps.total))
        lines = p.stdout.split('\n')
        if lines and lines[-1] == '':
            lines.pop()
        check(len(lines) <= ROWS, '--dump %d: %d lines, screen has %d'
              % (n, len(lines), ROWS))
        wide = [l for l in lines if len(l) > COLS]
        check(not wide, '--dump %d: a line of %d columns (screen %d): %r'
              % (n, len(wide[0]) if wide else 0, COLS, wide[:1]))
        parts.append('=== bin/minired-view --width %d --height %d --src %s '
                     '--dump %d %s (%s)\n' % (COLS, ROWS, NO_SRC, n, rel,
                                              label))
        parts.append(p.stdout if p.stdout.endswith('\n') or not p.stdout
                     else p.stdout + '\n')
    return ''.join(parts)


def first_difference(got, want):
    g, w = got.split('\n'), want.split('\n')
    section = '?'
    for i in range(max(len(g), len(w))):
        a = g[i] if i < len(g) else '<end>'
        b = w[i] if i < len(w) else '<end>'
        if b.startswith('=== '):
            section = b[4:]
        if a != b:
            return ('line %d (in "%s"): got %r, golden %r'
                    % (i + 1, section, a[:100], b[:100]))
    return 'no difference?'


def names():
    return sorted(f[:-6] for f in os.listdir(vl.GOLDEN_TRACES)
                  if f.endswith('.jsonl'))


def regenerate():
    if not os.path.isfile(vl.VIEW):
        print('make viewer-golden: %s not built' % vl.VIEW, file=sys.stderr)
        return 1
    os.makedirs(vl.VIEW_GOLDEN, exist_ok=True)
    for name in names():
        text = render(name)
        path = os.path.join(vl.VIEW_GOLDEN, name + '.txt')
        with open(path + '.tmp', 'w') as f:
            f.write(text)
        os.replace(path + '.tmp', path)
        print('  %s: %d dumps, %d lines'
              % (os.path.relpath(path, vl.REPO), text.count('\n=== ') + 1,
                 text.count('\n')))
    for f in sorted(os.listdir(vl.VIEW_GOLDEN)):
        if f.endswith('.txt') and f[:-4] not in names():
            print('  removing %s (no trace)' % f)
            os.unlink(os.path.join(vl.VIEW_GOLDEN, f))
    return 0


def main():
    if '--regenerate' in sys.argv[1:]:
        try:
            return regenerate()
        except TestFailure as e:
            print('make viewer-golden: %s' % e, file=sys.stderr)
            return 1
    if not vl.require_view(rep, 'dump/all'):
        return 1
    for name in names():
        with rep.case('dump/' + name):
            path = os.path.join(vl.VIEW_GOLDEN, name + '.txt')
            check(os.path.isfile(path),
                  '%s missing (make viewer-golden)'
                  % os.path.relpath(path, vl.REPO))
            with open(path) as f:
                want = f.read()
            got = render(name)
            if got != want:
                raise TestFailure('differs from %s at %s (after a deliberate '
                                  'change of the screen or of '
                                  'tests/golden/*.jsonl: make viewer-golden)'
                                  % (os.path.relpath(path, vl.REPO),
                                     first_difference(got, want)))
    with rep.case('dump/no-stale'):
        stale = [f for f in os.listdir(vl.VIEW_GOLDEN)
                 if f.endswith('.txt') and f[:-4] not in names()] \
            if os.path.isdir(vl.VIEW_GOLDEN) else []
        check(not stale, 'goldens without a trace: %s (make viewer-golden '
              'removes them)' % ', '.join(sorted(stale)))
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
