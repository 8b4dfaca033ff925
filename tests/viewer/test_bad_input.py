#!/usr/bin/python3
"""test_bad_input.py - bin/minired-view on files that are not good traces.

Every case runs `bin/minired-view --dump 1 FILE` (no terminal) and
requires: no crash (exit status below 128, no signal, no "Segmentation
fault" / sanitizer banner on stderr), no hang (20 s), and then either

    refused   a non-zero exit with a message on stderr that says what is
              wrong, naming the line where there is one, or
    warned    exit 0, the screen of step 1 on stdout ("step 1 of N") and
              a warning on stderr naming the line that was ignored.

    bad/not-json          "hello world" - line 1 named
    bad/binary            NUL and 0xff bytes - line 1 named
    bad/json-not-trace    {"a":1} - line 1 named
    bad/json-array        [1,2,3] - line 1 named
    bad/no-header         a golden trace without its header line
    bad/schema-2          the header says "schema":2 - refused, says schema
    bad/malformed-middle  line 10 of a golden cut in half (its
                          {"tid":N,"ts":N, prefix intact) - refused or
                          warned naming line 10, or, since lines are
                          parsed only when shown, named by the --dump of
                          the steps around it
    bad/event-not-object  line 7 is a JSON number - the same, line 7
    bad/garbage-middle    line 12 is binary garbage - the same, line 12
    bad/truncated-last    the last line cut in the middle (a crashed
                          server) - warned naming that line, step 1 shown
    bad/empty             an empty file - refused
    bad/header-only       just a header (no event yet): refused or shown,
                          never a crash
    bad/missing-file      a path that does not exist - refused, says why
    bad/directory         a directory - refused
    bad/step-range        --dump 0, --dump N+1, --dump abc on a good trace:
                          refused with a message (not a crash, not step 1)
    bad/filtered          the output of `minired-trace filter --client 4`
                          (gaps in ts, no footer) is still a trace: shown
    bad/no-footer         a trace cut at a line boundary: shown
"""

import os
import shutil
import subprocess
import sys
import tempfile

import viewerlib as vl
from viewerlib import TestFailure, check

rep = vl.harness.Reporter()
GOLD = os.path.join(vl.GOLDEN_TRACES, '01-set-get.jsonl')


def golden_lines(name='01-set-get'):
    with open(os.path.join(vl.GOLDEN_TRACES, name + '.jsonl'), 'rb') as f:
        return f.read().split(b'\n')[:-1]


def write(tmp, name, data):
    path = os.path.join(tmp, name)
    with open(path, 'wb') as f:
        f.write(data)
    return path


def run(path, step='1'):
    try:
        return vl.run_view(['--dump', str(step), path], timeout=20)
    except subprocess.TimeoutExpired:
        raise TestFailure('--dump %s %s did not finish in 20 s (hang)'
                          % (step, os.path.basename(path)))


def no_crash(p, what):
    why = vl.crashed(p)
    if why:
        raise TestFailure('%s: crashed (%s); stderr: %s'
                          % (what, why, p.stderr.strip()[-300:]))


def refused(path, *words):
    """Exit non-zero (< 128) with a message on stderr containing every
    word (case-insensitive)."""
    p = run(path)
    no_crash(p, os.path.basename(path))
    err = p.stderr.strip()
    check(p.returncode != 0,
          'exit 0: expected a refusal; stdout starts %r, stderr %r'
          % (p.stdout[:120], err[:200]))
    check(err, 'exit %d with nothing on stderr' % p.returncode)
    for w in words:
        check(w.lower() in err.lower(),
              'message does not mention %r: %r' % (w, err[:300]))
    print('    exit %d: %s' % (p.returncode, err.splitlines()[0][:150]))
    return p


def shown(path, *warn_words, step=1):
    """Exit 0, "step STEP of" on stdout; if warn_words, stderr has each."""
    p = run(path, step)
    no_crash(p, os.path.basename(path))
    check(p.returncode == 0, 'exit %d: %s' % (p.returncode,
                                              p.stderr.strip()[:300]))
    n, total = vl.status(p.stdout)
    check(n == step, 'no "step %d of N" on stdout: %r'
          % (step, p.stdout[:200]))
    err = p.stderr.strip()
    for w in warn_words:
        check(w.lower() in err.lower(),
              'no warning mentioning %r on stderr: %r' % (w, err[:300]))
    if err:
        print('    stderr: %s' % err.splitlines()[0][:150])
    return p, total


def bad_line(path, lineno):
    """A trace whose line LINENO is broken. The viewer indexes lines by
    their prefix and parses a line only when it is shown, so either
    --dump 1 refuses or warns naming the line, or it shows step 1 and
    then dumping every step around the bad line names it (on the screen
    or on stderr) - never a crash, never silence."""
    p = run(path)
    no_crash(p, '--dump 1')
    where = 'line %d' % lineno
    if p.returncode != 0:
        check(where in p.stderr or ':%d:' % lineno in p.stderr,
              'refused without naming %s: %r' % (where, p.stderr[:300]))
        print('    refused: %s' % p.stderr.strip().splitlines()[0][:150])
        return
    if where in p.stderr or ':%d:' % lineno in p.stderr:
        print('    warned: %s' % p.stderr.strip().splitlines()[0][:150])
        return
    # Silent at step 1: the bad line must be named when it is reached.
    n, total = vl.status(p.stdout)
    said = []
    for step in range(max(1, lineno - 3), min(total, lineno + 1) + 1):
        q = run(path, step)
        no_crash(q, '--dump %d' % step)
        text = q.stdout + q.stderr
        if where in text or ':%d:' % lineno in text:
            said.append(step)
    check(said, 'line %d is broken but neither --dump 1 nor --dump %d..%d '
          'says so' % (lineno, max(1, lineno - 3), lineno + 1))
    print('    named at --dump %s' % ', '.join(map(str, said)))


def main():
    if not vl.require_view(rep, 'bad/all'):
        return 1
    tmp = tempfile.mkdtemp(prefix='minired-view-bad.')
    try:
        cases(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.exit_code()


def cases(tmp):
    lines = golden_lines()

    with rep.case('bad/not-json'):
        refused(write(tmp, 'not-json.jsonl', b'hello world\n'), 'line 1')

    with rep.case('bad/binary'):
        refused(write(tmp, 'binary.jsonl',
                      b'\x00\xff\xfe\x01garbage\x00\n\x89PNG\r\n'), 'line 1')

    with rep.case('bad/json-not-trace'):
        refused(write(tmp, 'not-trace.jsonl', b'{"a":1}\n{"b":2}\n'),
                'line 1')

    with rep.case('bad/json-array'):
        refused(write(tmp, 'array.jsonl', b'[1,2,3]\n'), 'line 1')

    with rep.case('bad/no-header'):
        refused(write(tmp, 'no-header.jsonl', b'\n'.join(lines[1:]) + b'\n'),
                'line 1')

    with rep.case('bad/schema-2'):
        head = lines[0].replace(b'"schema":1,', b'"schema":2,')
        check(head != lines[0], 'golden header has no "schema":1')
        refused(write(tmp, 'schema2.jsonl',
                      b'\n'.join([head] + lines[1:]) + b'\n'), 'schema')

    with rep.case('bad/malformed-middle'):
        bad = list(lines)
        bad[9] = bad[9][:len(bad[9]) // 2]      # line 10: a cut object
        bad_line(write(tmp, 'middle.jsonl', b'\n'.join(bad) + b'\n'), 10)

    with rep.case('bad/event-not-object'):
        bad = list(lines)
        bad[6] = b'42'                          # line 7
        bad_line(write(tmp, 'number.jsonl', b'\n'.join(bad) + b'\n'), 7)

    with rep.case('bad/garbage-middle'):
        bad = list(lines)
        bad[11] = b'\x00\xffnot json at all'  # line 12
        bad_line(write(tmp, 'garbage.jsonl', b'\n'.join(bad) + b'\n'), 12)

    with rep.case('bad/truncated-last'):
        whole = b'\n'.join(lines) + b'\n'
        cut = whole[:-40]                       # inside the footer line
        p, total = shown(write(tmp, 'cut.jsonl', cut),
                         'line %d' % len(lines))
        check(total == len(lines) - 2,
              'step count %s, want %d (the whole events only)'
              % (total, len(lines) - 2))

    with rep.case('bad/empty'):
        refused(write(tmp, 'empty.jsonl', b''))

    with rep.case('bad/header-only'):
        p = run(write(tmp, 'header-only.jsonl', lines[0] + b'\n'))
        no_crash(p, 'header-only')
        if p.returncode == 0:
            check(p.stdout.strip(), 'exit 0 but nothing printed')
        else:
            check(p.stderr.strip(), 'exit %d, no message' % p.returncode)
        print('    exit %d: %s' % (p.returncode,
                                   (p.stderr.strip() or p.stdout.strip())
                                   .splitlines()[0][:150]))

    with rep.case('bad/missing-file'):
        refused(os.path.join(tmp, 'no-such-trace.jsonl'), 'no-such-trace')

    with rep.case('bad/directory'):
        refused(tmp)

    with rep.case('bad/step-range'):
        p, total = shown(GOLD)
        for step in ('0', str(total + 1), '-3', 'abc', ''):
            q = run(GOLD, step)
            no_crash(q, '--dump %r' % step)
            check(q.returncode != 0,
                  '--dump %r exited 0 (stdout %r)' % (step, q.stdout[:100]))
            check(q.stderr.strip(), '--dump %r: no message' % step)

    with rep.case('bad/filtered'):
        tool = os.path.join(vl.REPO, 'bin', 'minired-trace')
        src = os.path.join(vl.GOLDEN_TRACES, '09-slow-reader.jsonl')
        out = os.path.join(tmp, 'filtered.jsonl')
        with open(out, 'wb') as f:
            r = subprocess.run([tool, 'filter', src, '--client', '4'],
                               stdout=f, stderr=subprocess.PIPE, timeout=30)
        check(r.returncode == 0, 'minired-trace filter exited %d'
              % r.returncode)
        shown(out)

    with rep.case('bad/no-footer'):
        shown(write(tmp, 'no-footer.jsonl', b'\n'.join(lines[:-1]) + b'\n'))


if __name__ == '__main__':
    sys.exit(main())
