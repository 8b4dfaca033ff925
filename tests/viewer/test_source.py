#!/usr/bin/python3
"""test_source.py - the source pane shows the line that wrote the event.

The golden dumps leave the source pane out (their traces' "src" line
numbers are frozen while src/ keeps changing, see test_dump_golden.py), so
this file checks it on traces made now, from the current src/:

    source/found-beside-binary
                  a scenario trace written to /tmp by `bin/minired-trace
                  run` (far from the repository): for a read, a reply
                  append and a write step, `--dump` shows the text of the
                  src/FILE:LINE named by the event (the viewer finds src/
                  next to its own binary)
    source/src-option
                  the same with --src src given explicitly
    source/missing
                  --src pointing nowhere: the pane says the file was not
                  found and how to pass --src; no crash
"""

import os
import shutil
import subprocess
import sys
import tempfile

import viewerlib as vl
from viewerlib import TestFailure, check

rep = vl.harness.Reporter()
TOOL = os.environ.get('MINIRED_TRACE') or os.path.join(vl.REPO, 'bin',
                                                      'minired-trace')
SCN = os.path.join(vl.REPO, 'tests', 'scenarios', '06-big-reply.scn')


def src_line(src):
    """The text of "file.c:LINE" in src/, stripped."""
    name, line = src.rsplit(':', 1)
    with open(os.path.join(vl.REPO, 'src', name), encoding='utf-8',
              errors='replace') as f:
        lines = f.read().split('\n')
    return lines[int(line) - 1].strip()


def shows_source(trace, steps, n, extra=()):
    e = steps.ev[n]
    src = e['args']['src']
    text = src_line(src)
    check(text, '%s is an empty line in src/' % src)
    p = vl.dump(trace, n, 120, 40, extra)
    why = vl.crashed(p)
    check(why is None, '--dump %d crashed: %s' % (n, why))
    check(p.returncode == 0, '--dump %d exited %d: %s'
          % (n, p.returncode, p.stderr[:200]))
    # The pane may cut a long line: its first 30 characters must be there.
    want = ' '.join(text.split())[:30]
    screen = '\n'.join(' '.join(l.split()) for l in p.stdout.split('\n'))
    if want not in screen:
        print(vl.indent(p.stdout))
        raise TestFailure('step %d (%s %s): the source pane does not show '
                          '%s, %r' % (n, e['name'], e['cat'], src, want))


def main():
    if not vl.require_view(rep, 'source/all'):
        return 1
    tmp = tempfile.mkdtemp(prefix='minired-view-src.')
    try:
        trace = os.path.join(tmp, 'big-reply.jsonl')
        with rep.case('source/found-beside-binary'):
            with open(trace, 'wb') as f:
                r = subprocess.run([TOOL, 'run', SCN], stdout=f,
                                   stderr=subprocess.PIPE, timeout=60,
                                   cwd=vl.REPO)
            check(r.returncode == 0, 'minired-trace run exited %d: %s'
                  % (r.returncode, r.stderr[-300:]))
            steps = vl.Steps(trace)
            picks = [steps.first(lambda e, c=c: e['cat'] == c)
                     for c in ('read', 'buf-append', 'block-new', 'write')]
            picks = [n for n in picks if n]
            check(len(picks) >= 3, 'scenario trace lacks read/reply/write')
            for n in picks:
                shows_source(trace, steps, n)
        with rep.case('source/src-option'):
            for n in picks:
                shows_source(trace, steps, n,
                             ['--src', os.path.join(vl.REPO, 'src')])
        with rep.case('source/missing'):
            p = vl.dump(trace, picks[0], 100, 30,
                        ['--src', os.path.join(tmp, 'nowhere')])
            check(vl.crashed(p) is None, 'crashed: %s' % vl.crashed(p))
            check(p.returncode == 0, 'exited %d' % p.returncode)
            check('--src' in p.stdout and 'not found' in p.stdout,
                  'the pane does not say the source was not found and '
                  'how to pass --src')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
