#!/usr/bin/python3
"""test_screen.py - parts of the viewer's screen checked through --dump.

    screen/status-priority  a trace whose client id is 1517001 and whose
                            write function has a 30-character name: at 80
                            columns the status line still shows "step n of
                            N", "client 1517001", the whole function name
                            and the src file:line, each in full; the
                            footer (a server event shown with --client)
                            shows "server", traceClose and trace.c:N
    screen/too-small        --dump at 30x7 (and 79x24): the message
                            "screen too small" with the size needed, no
                            panes, exit 0; 80x23 (the smallest dump) draws
                            the step
    screen/just-written     a write step that empties c->buf (05, the
                            first write; 06, a write from a reply block):
                            "just written:" and the first bytes of the
                            event's "data", escaped, where the c->buf
                            strip would be
    args/step-with-dump     --step goes with the interactive viewer only:
                            --step 3 --dump 2 is a usage error (exit 2)
                            naming --step; --step 0 / abc are refused
"""

import os
import sys
import tempfile
import shutil

import viewerlib as vl
from viewerlib import check

rep = vl.harness.Reporter()
PIPE50 = os.path.join(vl.GOLDEN_TRACES, '05-pipeline-50.jsonl')
BIG = os.path.join(vl.GOLDEN_TRACES, '06-big-reply.jsonl')
NO_SRC = 'tests/viewer/no-such-src'
LONG_ID = 1517001
# 30 characters: step + client + this + file:line fill 80 columns.
LONG_NAME = 'writeToClientWithLongName_0030'


def escaped(data, n):
    """The first n display characters of data as the viewer escapes
    bytes (\\r \\n \\t \\xNN, printable ASCII as is)."""
    out = ''
    for ch in data:
        b = ord(ch)
        if ch == '\r':
            t = '\\r'
        elif ch == '\n':
            t = '\\n'
        elif ch == '\t':
            t = '\\t'
        elif 0x20 <= b < 0x7f and ch != '\\':
            t = ch
        elif ch == '\\':
            t = '\\\\'
        else:
            t = '\\x%02x' % b
        if len(out) + len(t) > n:
            break
        out += t
    return out


def long_trace(tmp):
    """05-pipeline-50 with client 3 renamed 1517001 and writeToClient
    renamed LONG_NAME (only the tid prefix and "name" change)."""
    assert len(LONG_NAME) == 30
    out = os.path.join(tmp, 'long.jsonl')
    with open(PIPE50, 'rb') as f, open(out, 'wb') as g:
        for raw in f:
            raw = raw.replace(b'{"tid":3,', b'{"tid":%d,' % LONG_ID, 1)
            raw = raw.replace(b'"name":"writeToClient"',
                              b'"name":"%s"' % LONG_NAME.encode(), 1)
            g.write(raw)
    return out


def status_priority(tmp):
    trace = long_trace(tmp)
    steps = vl.Steps(trace)
    n = steps.first(lambda e: e['name'] == LONG_NAME)
    check(n, 'no renamed write step')
    src = steps.ev[n]['args']['src']
    p = vl.dump(trace, n, 80, 24, ['--src', NO_SRC])
    check(p.returncode == 0, '--dump %d exited %d: %s'
          % (n, p.returncode, p.stderr[:200]))
    line = p.stdout.split('\n')[0]
    print('    80 columns: %r' % line)
    for want in ('step %d of %d' % (n, steps.total), 'client %d' % LONG_ID,
                 LONG_NAME, src):
        check(want in line, 'status line at 80 columns lacks %r: %r'
              % (want, line))
    check(len(line) <= 80, 'status line wider than 80: %r' % line)
    # The footer: a server event, shown with the client's buffers.
    last = steps.total
    p = vl.dump(trace, last, 80, 24, ['--src', NO_SRC, '--client',
                                      str(LONG_ID)])
    check(p.returncode == 0, '--dump %d exited %d' % (last, p.returncode))
    line = p.stdout.split('\n')[0]
    print('    footer:     %r' % line)
    src = steps.ev[last]['args']['src']
    for want in ('step %d of %d' % (last, last), 'server', 'traceClose',
                 src):
        check(want in line, 'footer status line lacks %r: %r'
              % (want, line))
    # 100 columns: room for everything, "(showing client N)" included.
    p = vl.dump(trace, last, 100, 24, ['--src', NO_SRC, '--client',
                                       str(LONG_ID)])
    line = p.stdout.split('\n')[0]
    check('(showing client %d)' % LONG_ID in line and src in line,
          'at 100 columns the footer status is cut: %r' % line)


def too_small():
    for cols, rows in ((30, 7), (79, 24), (80, 22)):
        p = vl.dump(PIPE50, 5, cols, rows)
        why = vl.crashed(p)
        check(why is None, '%dx%d: %s' % (cols, rows, why))
        check(p.returncode == 0, '%dx%d: exit %d' % (cols, rows,
                                                     p.returncode))
        text = p.stdout
        check('too small' in text and 'need 80x23' in text,
              '%dx%d: no "too small ... need 80x23" message:\n%s'
              % (cols, rows, text))
        check(vl.status(text)[0] is None and 'querybuf' not in text,
              '%dx%d: panes drawn under the message' % (cols, rows))
        check(all(len(l) <= cols for l in text.split('\n')),
              '%dx%d: a line is wider than the screen' % (cols, rows))
    p = vl.dump(PIPE50, 5, 80, 23)
    check(vl.status(p.stdout)[0] == 5 and 'too small' not in p.stdout,
          '80x23 (the smallest dump) does not show step 5')


def just_written():
    for trace, pick in ((PIPE50, lambda e: e['cat'] == 'write' and
                         e['args']['c']['bufpos'] == 0 and
                         e['args'].get('from') == 'buf'),
                        (BIG, lambda e: e['cat'] == 'write' and
                         e['args'].get('from') == 'block')):
        steps = vl.Steps(trace)
        n = steps.first(pick)
        check(n, 'no such write step in %s' % trace)
        data = steps.ev[n]['args']['data']
        p = vl.dump(trace, n, 80, 24, ['--src', NO_SRC])
        check(p.returncode == 0, '--dump %d: exit %d' % (n, p.returncode))
        rows = p.stdout.split('\n')
        hit = [r for r in rows if r.startswith('just written: ')]
        check(hit, '%s step %d: no "just written:" row:\n%s'
              % (os.path.basename(trace), n, p.stdout))
        want = escaped(data, 20)
        check(hit[0][len('just written: '):].startswith(want),
              '%s step %d: "just written" row %r does not start with the '
              'written bytes %r' % (os.path.basename(trace), n, hit[0],
                                    want))


def state_flags():
    """The clients table's flags column names the CLIENT REPLY and MONITOR
    flags (scenarios 20 and 21), at the step where they are set."""
    for name, pick, want in (
            ('20-client-reply', lambda e: e['cat'] == 'reply-off',
             'REPLY_OFF'),
            ('20-client-reply', lambda e: e['cat'] == 'reply-skip',
             'REPLY_SKIP'),
            ('21-monitor', lambda e: e['cat'] == 'monitor-feed',
             'SLAVE|MONITOR')):
        trace = os.path.join(vl.GOLDEN_TRACES, name + '.jsonl')
        steps = vl.Steps(trace)
        n = steps.first(pick)
        check(n, 'no such step in %s' % name)
        p = vl.dump(trace, n, 100, 24, ['--src', NO_SRC])
        check(p.returncode == 0, '--dump %d: exit %d' % (n, p.returncode))
        rows = [r for r in p.stdout.split('\n') if r.startswith('>')]
        check(rows and want in rows[0], '%s step %d: the current client\'s '
              'row does not show %s: %r' % (name, n, want, rows[:1]))


def step_args():
    p = vl.run_view(['--step', '3', '--dump', '2', PIPE50])
    check(p.returncode == 2 and '--step' in p.stderr,
          '--step with --dump: exit %d, stderr %r' % (p.returncode,
                                                      p.stderr))
    for bad in ('0', 'abc', '-5'):
        p = vl.run_view(['--step', bad, PIPE50])
        check(p.returncode == 2 and '--step' in p.stderr,
              '--step %s: exit %d, stderr %r' % (bad, p.returncode,
                                                 p.stderr))
    p = vl.run_view(['--help'])
    check('--step N' in p.stdout, '--help does not list --step N')


def main():
    if not vl.require_view(rep, 'screen/all'):
        return 1
    tmp = tempfile.mkdtemp(prefix='minired-view-screen.')
    try:
        with rep.case('screen/status-priority'):
            status_priority(tmp)
        with rep.case('screen/too-small'):
            too_small()
        with rep.case('screen/just-written'):
            just_written()
        with rep.case('screen/state-flags'):
            state_flags()
        with rep.case('args/step-with-dump'):
            step_args()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
