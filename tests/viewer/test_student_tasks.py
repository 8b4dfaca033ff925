#!/usr/bin/python3
"""test_student_tasks.py - the five tasks of issue 11, replayed as the key
sequences a student who has never read Redis would press, at 80x24 and
120x40; each asserts that the answer is on screen (the numbers computed
from the trace, never from the viewer).

    task/06-spill        06-big-reply: /block-new Enter lands on the spill
                         (the first block-new): "size=20000", the block row
                         "[0] ############ 20000/20000", c->buf still
                         holding "$20000\\r\\n" (bufpos=8); e says what a
                         block's size is; n goes to the second block-new
                         with "[1]" and "2/16384 +2" on screen
    task/05-trim         05-pipeline-50: /trim Enter: "trim n=N" and
                         "qb_pos=0"; e shows "before -> after: qlen Q -> 0,
                         qb_pos N -> 0" (Q, N from the trace's qlen_before
                         and n)
    task/08-short-write  08-short-writes: /write Enter, n until a write
                         with nwritten < asked ("asked=33 nwritten=7");
                         -> eagain, explained; -> write-handler, explained;
                         -> writable
    task/02-split-crlf   02-split-crlf: /read Enter n: the read whose data
                         ends in "\\r" (nread=7, querybuf ends "$3\\r");
                         -> need-more, explained; n: the next read
                         (nread=13) whose bytes start with "\\n"
    task/live-follow     a running server, viewer -f: after SET the last
                         step is on screen; e explains it; after GET the
                         explain pane follows the new last step
Run with /usr/bin/python3.
"""

import os
import re
import subprocess
import sys
import tempfile
import shutil

import viewerlib as vl
from viewerlib import check

rep = vl.harness.Reporter()
G = vl.GOLDEN_TRACES
SIZES = ((80, 24), (120, 40))


def search(t, text, want):
    t.keys('/')
    t.literal(text)
    t.keys('Enter')
    return t.wait_status(want)


def expect(t, wants, what):
    """Wait until every string of wants is on screen (the status line is
    drawn before the rest, so one capture may be a frame in the making);
    return the screen."""
    return t.wait_for(lambda s: all(w in s for w in wants), what=what)


def quit_viewer(t):
    t.keys('q')
    rc, _, _ = vl.wait_exit(t)
    check(rc == 0, 'q: exit status %d' % rc)


def task_spill(t):
    path = os.path.join(G, '06-big-reply.jsonl')
    st = vl.Steps(path)
    spill = st.first(lambda e: e['cat'] == 'block-new')
    size = st.ev[spill]['args']['size']
    vl.launch(t, [path])
    t.wait_status(1)
    search(t, 'block-new', spill)
    expect(t, ('size=%d' % size, '[0] ############ %d/%d' % (size, size),
               'bufpos=8', r'$20000\r\n'), 'the spill (step %d): block 0 '
           'and its size, c->buf still holding $20000' % spill)
    t.keys('e')
    s = t.wait_for(lambda s: 'explain step %d' % spill in s, what='e')
    check('size is max(16384, bytes left)' in s, 'block size not explained')
    t.keys('n')
    second = st.first(lambda e: e['cat'] == 'block-new', spill + 1)
    s = t.wait_status(second)
    t.keys('e')
    expect(t, ('src/reply.c', '[1]', '2/16384 +2'), 'the source back and '
           'the second block (step %d)' % second)
    quit_viewer(t)


def task_trim(t):
    path = os.path.join(G, '05-pipeline-50.jsonl')
    st = vl.Steps(path)
    trim = st.first(lambda e: e['cat'] == 'trim')
    n = st.ev[trim]['args']['n']
    c = st.c(trim)
    vl.launch(t, [path])
    t.wait_status(1)
    search(t, 'trim', trim)
    expect(t, ('trim n=%d' % n, 'qb_pos=%d' % c['qb_pos']),
           'trim n and qb_pos at step %d' % trim)
    t.keys('e')
    # The trim's c is the state after the cut; its args carry the before
    # (qlen_before, and n = the old qb_pos).
    args = st.ev[trim]['args']
    want = 'before -> after: qlen %d -> %d, qb_pos %d -> %d' % (
        args['qlen_before'], c['qlen'], n, c['qb_pos'])
    s = t.wait_for(lambda s: want in s, what=repr(want))
    quit_viewer(t)


def task_short_write(t):
    path = os.path.join(G, '08-short-writes.jsonl')
    st = vl.Steps(path)
    first = st.first(lambda e: e['cat'] == 'write')
    short = st.first(lambda e: e['cat'] == 'write' and
                     e['args']['nwritten'] < e['args']['asked'])
    vl.launch(t, [path])
    t.wait_status(1)
    search(t, 'writeToClient', st.first(
        lambda e: e['name'] == 'writeToClient'))
    # n repeats the search until the short write.
    cur = vl.status(t.capture())[0]
    while cur < short:
        cur = st.first(lambda e: e['name'] == 'writeToClient', cur + 1)
        t.keys('n')
        t.wait_status(cur)
    a = st.ev[short]['args']
    expect(t, ('asked=%d nwritten=%d' % (a['asked'], a['nwritten']),),
           'the short write at step %d' % short)
    t.keys('e')
    t.wait_for(lambda s: 'explain step %d' % short in s, what='e')
    for k in (1, 2, 3):
        cat = st.ev[short + k]['cat']
        t.keys('Right')
        s = t.wait_for(lambda s, k=k: 'explain step %d' % (short + k) in s,
                       what='explain step %d' % (short + k))
        check(cat in s, 'step %d (%s) not named' % (short + k, cat))
        check('no glossary row' not in s, 'step %s not explained' % cat)
    check(first <= short, 'no write')
    quit_viewer(t)


def task_split_crlf(t):
    path = os.path.join(G, '02-split-crlf.jsonl')
    st = vl.Steps(path)
    split = st.first(lambda e: e['cat'] == 'read' and
                     e['args']['data'].endswith('\r'))
    nxt = st.first(lambda e: e['cat'] == 'read', split + 1)
    first = st.first(lambda e: e['cat'] == 'read')
    check(split and nxt and
          st.ev[nxt]['args']['data'].startswith('\n'),
          'the trace has no CRLF split across reads')
    vl.launch(t, [path])
    t.wait_status(1)
    search(t, 'read', first)
    cur = first
    while cur < split:
        cur = st.first(lambda e: 'read' in e['name'].lower() or
                       'read' in e['cat'], cur + 1)
        t.keys('n')
        t.wait_status(cur)
    expect(t, ('nread=%d' % st.ev[split]['args']['nread'], r'$3\r'),
           'the read ending in \\r (step %d)' % split)
    need = st.first(lambda e: e['cat'] == 'need-more', split)
    t.keys('e')
    while vl.status(t.capture())[0] < need:
        n0 = vl.status(t.capture())[0]
        t.keys('Right')
        t.wait_status(n0 + 1)
    s = t.wait_for(lambda s: 'explain step %d' % need in s, what='e')
    check('not complete in querybuf' in s, 'need-more not explained:\n'
          + vl.indent(s))
    t.keys('e')
    while vl.status(t.capture())[0] < nxt:
        cur = st.first(lambda e: 'read' in e['name'].lower() or
                       'read' in e['cat'], vl.status(t.capture())[0] + 1)
        t.keys('n')
        t.wait_status(cur)
    expect(t, ('nread=%d' % st.ev[nxt]['args']['nread'], r'\nGET\r\n'),
           'the read starting with \\n (step %d)' % nxt)
    quit_viewer(t)


def task_live(tmp, cols, rows):
    trace = os.path.join(tmp, 'live-%d.jsonl' % cols)
    srv = vl.harness.Server(['--trace', trace])
    with rep.case('task/live-follow %dx%d' % (cols, rows), srv):
        srv.start()
        cli = lambda *a: subprocess.run(  # noqa: E731
            [vl.CLI, '-p', str(srv.port)] + list(a), capture_output=True,
            timeout=20, check=True)
        cli('SET', 'k', 'v')
        with vl.Tmux(cols, rows) as t:
            vl.launch(t, ['-f', trace])
            s = t.wait_status()
            total = vl.status(s)[1]
            t.keys('e')
            s = t.wait_for(lambda s, n=total: 'explain step %d' % n in s,
                           what='the explain pane at the last step')
            cli('GET', 'k')
            s = t.wait_for(lambda s, n=total: (vl.status(s)[1] or 0) > n,
                           what='the trace to grow')
            # The server may append more (a clock step): whatever the
            # last step is, the pane explains that one.
            want = vl.Steps(trace).total

            def at_end(s):
                n, tot = vl.status(s)
                return n is not None and n == tot and tot >= want and \
                    'explain step %d' % n in s
            s = t.wait_for(at_end, what='explain following the last step')
            last = vl.Steps(trace).ev[vl.status(s)[0]]['cat']
            check(last in s, 'the last step kind %r is not named' % last)
            quit_viewer(t)
    srv.stop()


def main():
    ok = vl.require_view(rep, 'task/all') & vl.require_tmux(rep, 'task/all')
    if not ok:
        return 1
    tmp = tempfile.mkdtemp(prefix='minired-view-tasks.')
    try:
        for cols, rows in SIZES:
            for name, fn in (('06-spill', task_spill),
                             ('05-trim', task_trim),
                             ('08-short-write', task_short_write),
                             ('02-split-crlf', task_split_crlf)):
                with vl.Tmux(cols, rows) as t:
                    with rep.case('task/%s %dx%d' % (name, cols, rows)):
                        fn(t)
            task_live(tmp, cols, rows)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
