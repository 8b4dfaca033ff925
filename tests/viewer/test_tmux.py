#!/usr/bin/python3
"""test_tmux.py - bin/minired-view driven with real keys inside tmux.

Each group opens a private tmux server (`tmux -L minired-test-PID-N`,
never the user's), a 100x30 window running a plain bash, starts the
viewer there through a /bin/sh wrapper that reports the exit status and
whether the termios settings came back unchanged, sends keys with
`tmux send-keys`, reads the screen with `tmux capture-pane -p`, and kills
the tmux server whatever happens. What each screen must say is computed
from the trace file itself (tests/viewer/viewerlib.Steps), not taken from
the viewer.

    keys/step           -> l Space move one step forward, <- h p back:
                        "step n of N" follows
    keys/first-last     G goes to step N, g to step 1
    keys/jump           :41 Enter goes to step 41; a bad number or Esc
                        leaves the step alone
    keys/same-client    Down/j and Up/k go to the next / previous step of
                        the client on screen (two-client trace)
    keys/filter         Tab cycles the client filter: with client K
                        selected, -> only lands on client K's steps; after
                        the last client Tab comes back to all clients
    keys/search         /writeToClient lands on the next step whose
                        function is writeToClient; n and . repeat
                        forward, N and , backward
    keys/field          f q, f b, f s, f r land on the next step where
                        qb_pos, bufpos, sentlen, the reply list changed
    keys/violation      v on a trace with one broken event lands on it;
                        on a good trace it stays and says so
    keys/help           ? shows the help below the status line, which
                        stays; Space turns its pages while the bottom
                        row says "more" (two pages at 80x24 and at
                        100x30); every key and the legend (rulers, "just
                        written", the status line) are reachable; PgUp
                        goes back; any other key closes it
    screen/resize       resize-window to 80x24, 160x45 (the wide layout),
                        30x7 (below the minimum: "terminal too small:
                        need 80x24", no panes, alive), 100x30:
                        each time the pane, but for its bottom hint
                        line, is exactly `--dump STEP --width W --height
                        H-1` (so nothing of the previous size is left)
    screen/too-small-help
                        ? at 30x7 keeps the message; back at 80x24 the
                        step is drawn again
    keys/step-option    --step 288 opens at step 288; --step past the
                        end opens at step 1 with a message naming it
    memory/rss-after-open
                        a 200,000-event trace (scripts/gen-big-trace.sh):
                        after the first screen RssFile is under a quarter
                        of the file and VmHWM under half (the mapped pages
                        are released after indexing)
    screen/mono         TERM=vt100 (no colour), NO_COLOR=1 and --mono
                        still show the step
    screen/bad-term     TERM=nosuchterm: a message, no crash, tty intact
    exit/q              q: exit 0, termios as before, main screen back,
                        cursor visible, keypad mode off, prompt shown
    exit/ctrl-c         Ctrl-C: same restoration, no crash status
    exit/sigterm        kill -TERM PID: same
    screen/damaged-trace
                        a trace with a non-event line 7: the viewer warns
                        naming line 7 and still steps to the end
    exit/crash          kill -SEGV PID (a crash): the terminal is still
                        restored (the shell reports the signal)
    exit/bad-file       an unreadable trace: message, terminal untouched
    follow/live         bin/minired-server --trace F on a free loopback
                        port, bin/minired-view -f F, redis-cli commands:
                        the step count grows while the viewer runs; the
                        server is stopped, the footer shows up, q quits
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import viewerlib as vl
from viewerlib import TestFailure, check

rep = vl.harness.Reporter()

G = vl.GOLDEN_TRACES
PIPE50 = os.path.join(G, '05-pipeline-50.jsonl')
SLOW = os.path.join(G, '09-slow-reader.jsonl')
SETGET = os.path.join(G, '01-set-get.jsonl')


def rel(path):
    return os.path.relpath(path, vl.REPO)


def open_viewer(t, trace, args=(), env=None, step=1):
    """Start the viewer on trace and wait for "step STEP of N"."""
    total = vl.Steps(trace).total
    vl.launch(t, list(args) + [rel(trace)], env)
    return t.wait_status(step, total)


def press(t, key, want_step, total=None, literal=False):
    """Send one key (tmux key name, or literal text) and wait for the
    status line to say step want_step."""
    if literal:
        t.literal(key)
    else:
        t.keys(key)
    return t.wait_status(want_step, total)


def quit_viewer(t):
    t.keys('q')
    return vl.wait_exit(t)


# ---------------------------------------------------------------------------

def keys_group():
    steps = vl.Steps(PIPE50)
    N = steps.total
    with vl.Tmux(100, 30) as t:
        with rep.case('keys/step'):
            open_viewer(t, PIPE50)
            n = 1
            for key in ('Right', 'l', 'Space'):
                n += 1
                press(t, key, n, N)
            for key in ('Left', 'h', 'p'):
                n -= 1
                press(t, key, n, N)
            press(t, 'Left', 1, N)
            press(t, 'Left', 1, N)      # at step 1, stays at 1

        with rep.case('keys/first-last'):
            press(t, 'G', N, N)
            press(t, 'Right', N, N)     # at the end, stays there
            press(t, 'g', 1, N)
            press(t, 'End', N, N)
            press(t, 'Home', 1, N)

        with rep.case('keys/jump'):
            t.keys(':')
            t.literal('41')
            press(t, 'Enter', 41, N)
            t.keys(':')
            t.literal('abc')
            t.keys('Enter')
            s = t.settle()
            check(vl.status(s)[0] == 41, ':abc moved the step to %s'
                  % (vl.status(s)[0],))
            t.keys(':')
            t.literal('7')
            t.keys('Escape')
            s = t.settle()
            check(vl.status(s)[0] == 41, ':7 Esc moved the step to %s'
                  % (vl.status(s)[0],))
            t.keys(':')
            t.literal(str(N + 1000))
            t.keys('Enter')
            s = t.settle()
            n = vl.status(s)[0]
            check(n in (41, N), ':%d (past the end) went to step %s'
                  % (N + 1000, n))

        with rep.case('keys/search'):
            press(t, 'g', 1, N)
            want = steps.first(lambda e: 'writeToClient' in e['name'], 2)
            check(want, 'no writeToClient step in %s' % rel(PIPE50))
            t.keys('/')
            t.literal('writeToClient')
            s = press(t, 'Enter', want, N)
            check('writeToClient' in s, 'function name not on screen')
            want2 = steps.first(lambda e: 'writeToClient' in e['name'],
                                want + 1)
            press(t, '.', want2, N)
            press(t, ',', want, N)
            # n / N as in less and vim (issue 11); N is a capital.
            press(t, 'n', want2, N)
            press(t, 'N', want, N)

        with rep.case('exit/q'):
            rc, same, screen = quit_viewer(t)
            check(rc == 0, 'q: exit status %d' % rc)
            vl.check_restored(t, screen, same)


def field_group():
    steps = vl.Steps(PIPE50)
    N = steps.total
    with vl.Tmux(100, 30) as t:
        with rep.case('keys/help'):
            open_viewer(t, PIPE50)
            check_help(t)

        with rep.case('keys/field'):
            for letter, field in (('q', 'qb_pos'), ('b', 'bufpos'),
                                  ('s', 'sentlen'), ('r', 'reply')):
                press(t, 'g', 1, N)
                cur = 1
                for _ in range(2):   # twice: from step 1, then onwards
                    want = next_change(steps, cur, field)
                    t.keys('f')
                    t.keys(letter)
                    if want is None:
                        s = t.settle()
                        check(vl.status(s)[0] == cur,
                              'f %s with no further change of %s moved '
                              'to %s' % (letter, field, vl.status(s)[0]))
                        break
                    t.wait_status(want, N)
                    cur = want
            quit_viewer(t)


def next_change(steps, cur, field):
    """The step the viewer's `f` must land on: the first step after cur,
    of the same client as the one on screen at cur (any client when the
    step at cur is a server event), whose client state's FIELD differs
    from that client's previous state (a client's first state counts as
    a change only if the field is not at its initial value)."""
    tid = steps.ev[cur]['tid']
    last = {}
    for n in range(1, len(steps.ev)):
        e = steps.ev[n]
        c = e.get('args', {}).get('c')
        if c is None:
            continue
        if field == 'reply':
            v = (c['reply'], c['reply_bytes'])
        else:
            v = c[field]
        prev = last.get(e['tid'])
        last[e['tid']] = v
        if n <= cur or (tid != 0 and e['tid'] != tid):
            continue
        if prev is not None and v != prev:
            return n
    return None


HELP_KEYS = ['->', '<-', 'Down', 'Up', 'g', 'G', ':', 'Tab', '/', 'f',
             'v', '?', 'q', 'PgDn', 'PgUp', 'n', 'N', 'e', 'E', 'm', 'c',
             'w', 'H', '<', '>']
# Each key in the help must sit in a help line that also says what it does.
HELP_WORDS = ['next step', 'previous step', 'first step', 'last step',
              'jump', 'filter', 'search', 'qb_pos', 'bufpos', 'sentlen',
              'violation', 'quit', 'help', 'explain', 'glossary', 'compare',
              'why', 'hide', 'scroll the reply list']


LEGEND = ['consumed (before qb_pos)', "'|' = bufpos", 'just written',
          'Status line']


def check_help(t):
    """? opens the help below the status line; Space turns its pages
    while a "more" hint says there are more; every key and the legend
    are on some page; x closes it."""
    before = vl.status(t.capture())
    t.keys('?')
    t.wait_for(lambda s: 'minired-view keys' in s, what='help')
    # The first sight of the title is not the whole page: under load (an
    # ASan build, a busy machine) the "more" hint on the last row may come
    # a moment later. Read the page once it has stopped changing.
    s = t.settle()
    pages = [s]
    while 'more' in s.split('\n')[t.rows - 1] and len(pages) < 6:
        t.keys('Space')
        t.wait_for(lambda s, prev=s: s != prev, what='the next help page')
        s = t.settle()      # the whole page, not a frame in the making
        pages.append(s)
    for p in pages:
        check(vl.status(p) == before, 'the help covers the status line '
              '(%dx%d): %r' % (t.cols, t.rows, p.split('\n')[0]))
    s = '\n'.join(pages)
    missing = [w for w in LEGEND if w not in s]
    check(not missing, 'help at %dx%d: legend %s not reachable'
          % (t.cols, t.rows, ', '.join(missing)))
    print('    help at %dx%d: %d page(s)' % (t.cols, t.rows, len(pages)))
    if len(pages) > 1:
        t.keys('PPage')
        t.wait_for(lambda x: x == pages[-2], what='PgUp to the previous '
                   'help page')
    missing = [w for w in HELP_WORDS if w not in s]
    check(not missing, 'help screen at %dx%d lacks %s'
          % (t.cols, t.rows, ', '.join(missing)))
    # The keys themselves, each as the start of a word (":NUMBER" is ":").
    missing = [k for k in HELP_KEYS
               if not re.search(r'(?:^|[\s|])' + re.escape(k), s, re.M)]
    check(not missing, 'help screen at %dx%d does not list key(s) %s'
          % (t.cols, t.rows, ', '.join(missing)))
    t.keys('x')
    t.wait_for(lambda s: vl.status(s) == before, what='help to close')


def same_client_group():
    steps = vl.Steps(SLOW)
    N = steps.total
    clients = steps.clients()
    with vl.Tmux(100, 30) as t:
        with rep.case('keys/same-client'):
            check(len(clients) >= 2, '%s has %d clients, want 2'
                  % (rel(SLOW), len(clients)))
            open_viewer(t, SLOW)
            # From the first step of client 2, j walks client 2's steps.
            c2 = clients[1]
            s2 = steps.first(lambda e: e['tid'] == c2)
            t.keys(':')
            t.literal(str(s2))
            t.keys('Enter')
            t.wait_status(s2, N)
            mine = [n for n in range(1, N + 1) if steps.ev[n]['tid'] == c2]
            for want in mine[1:4]:
                press(t, 'j', want, N)
            for want in reversed(mine[1:3]):
                press(t, 'k', want, N)
            press(t, 'Down', mine[2], N)
            press(t, 'Up', mine[1], N)

        with rep.case('keys/filter'):
            press(t, 'g', 1, N)
            seen_clients = []
            for k, cid in enumerate(clients):
                t.keys('Tab')
                s = t.wait_for(lambda s, cid=cid: re.search(
                    r'client\s*[:=]?\s*%d\b' % cid, s), what='filter on '
                    'client %d' % cid)
                n0 = vl.status(s)[0]
                mine = [n for n in range(1, N + 1)
                        if steps.ev[n]['tid'] == cid]
                # Stepping forward under the filter visits only cid's steps.
                after = [n for n in mine if n > n0][:3]
                for want in after:
                    press(t, 'Right', want, N)
                seen_clients.append(cid)
            t.keys('Tab')   # past the last client: all clients again
            s = t.settle()
            n0 = vl.status(s)[0]
            if n0 is not None and n0 < N:
                press(t, 'Right', n0 + 1, N)

        with rep.case('exit/ctrl-c'):
            t.keys('C-c')
            rc, same, screen = vl.wait_exit(t)
            # 130 (128 + SIGINT) is what the viewer returns on purpose, so
            # the shell sees an interrupt; a real death by signal would
            # also be 130 here, but then termios would not be restored.
            check(rc in (0, 130), 'Ctrl-C: exit status %d' % rc)
            vl.check_restored(t, screen, same)


def violation_group(tmp):
    # One broken event: qb_pos beyond qlen at step 10 of 01-set-get.
    with open(SETGET, 'rb') as f:
        lines = f.read().split(b'\n')
    target = None
    for i in range(9, len(lines)):
        if b'"qb_pos":' in lines[i] and b'"qlen":' in lines[i]:
            target = i
            break
    broken = os.path.join(tmp, 'broken.jsonl')
    bad = re.sub(rb'"qb_pos":\d+', b'"qb_pos":9999', lines[target], count=1)
    lines[target] = bad
    with open(broken, 'wb') as f:
        f.write(b'\n'.join(lines))
    want = target   # line target+1 holds ts target: step target
    N = vl.Steps(broken).total
    with vl.Tmux(100, 30) as t:
        with rep.case('keys/violation'):
            open_viewer(t, broken)
            s = press(t, 'v', want, N)
            check(re.search(r'qb_pos|violat', s, re.I),
                  'the violation is not explained on screen')
            t.keys('v')             # no second violation after it
            s = t.settle()
            check(vl.status(s)[0] == want, 'second v moved to %s'
                  % (vl.status(s)[0],))
            quit_viewer(t)
            open_viewer(t, SETGET)
            t.keys('v')
            s = t.wait_for(lambda s: re.search(
                r'no (invariant )?violation|no more', s, re.I),
                what='a "no violation" message')
            check(vl.status(s)[0] == 1, 'v on a good trace moved to %s'
                  % (vl.status(s)[0],))
            quit_viewer(t)


def resize_group():
    steps = vl.Steps(PIPE50)
    N = steps.total
    step = steps.first(lambda e: e['cat'] == 'write') or 20
    with vl.Tmux(100, 30) as t:
        with rep.case('screen/resize'):
            open_viewer(t, PIPE50)
            t.keys(':')
            t.literal(str(step))
            press(t, 'Enter', step, N)
            for cols, rows in ((80, 24), (160, 45), (30, 7), (100, 30)):
                t.resize(cols, rows)
                check(t.size() == (cols, rows), 'tmux did not resize to '
                      '%dx%d: %s' % (cols, rows, t.size()))
                if cols < 80:
                    # Below the supported 80x24: a message instead of
                    # overlapping panes, alive, and the next size must
                    # be drawn cleanly.
                    s = t.wait_for(lambda s: 'terminal too small' in s and
                                   'need 80x24' in s,
                                   what='"terminal too small" at %dx%d'
                                   % (cols, rows))
                    check(vl.status(s)[0] is None and 'querybuf' not in s,
                          'panes drawn at %dx%d' % (cols, rows))
                    vl.viewer_pid(t, timeout=1.0)
                    continue
                t.wait_status(step, N)
                screen = t.settle()
                # --dump has no bottom hint line: a dump one row shorter
                # is the pane without its last row.
                p = vl.dump(rel(PIPE50), step, cols, rows - 1)
                check(p.returncode == 0, '--dump %d at %dx%d exited %d: %s'
                      % (step, cols, rows, p.returncode, p.stderr[:200]))
                want = [l.rstrip() for l in p.stdout.rstrip('\n')
                        .split('\n')]
                got = [l.rstrip() for l in screen.split('\n')][:rows - 1]
                while want and not want[-1]:
                    want.pop()
                while got and not got[-1]:
                    got.pop()
                if got != want:
                    for i in range(max(len(got), len(want))):
                        a = got[i] if i < len(got) else '<none>'
                        b = want[i] if i < len(want) else '<none>'
                        if a != b:
                            print('    pane:\n' + vl.indent(screen))
                            raise TestFailure(
                                'after resize to %dx%d the pane differs '
                                'from --dump %d at line %d: pane %r, dump '
                                '%r' % (cols, rows, step, i + 1, a[:90],
                                        b[:90]))
        with rep.case('keys/help-80x24'):
            t.resize(80, 24)
            t.wait_status(step, N)
            check_help(t)

        with rep.case('screen/too-small-help'):
            # ? below 80x24: the message still, and back at 80x24 the
            # step (the help closed by the next key) is drawn again.
            t.resize(30, 7)
            t.wait_for(lambda s: 'terminal too small' in s,
                       what='"terminal too small" at 30x7')
            t.keys('?')
            s = t.settle()
            check('terminal too small' in s, 'help drawn over 30x7: %r' % s)
            t.keys('x')
            t.resize(80, 24)
            t.wait_status(step, N)

        with rep.case('exit/sigterm'):
            pid = vl.viewer_pid(t)
            os.kill(pid, signal.SIGTERM)
            rc, same, screen = vl.wait_exit(t)
            check(rc in (0, 130, 128 + signal.SIGTERM),
                  'SIGTERM: exit status %d' % rc)
            vl.check_restored(t, screen, same)


def step_group(tmp):
    steps = vl.Steps(PIPE50)
    N = steps.total
    with vl.Tmux(100, 30) as t:
        with rep.case('keys/step-option'):
            open_viewer(t, PIPE50, ['--step', '288'], step=288)
            press(t, 'Right', 289, N)
            quit_viewer(t)
            # Past the end: said on the bottom line, the viewer opens.
            vl.launch(t, ['--step', str(N + 5), rel(PIPE50)])
            s = t.wait_status(1, N)
            s = t.wait_for(lambda s: '--step %d' % (N + 5) in s,
                           what='a message about --step past the end')
            quit_viewer(t)

        with rep.case('memory/rss-after-open'):
            # The index walk touches every page of the mapping; after it
            # the pages must be out of the viewer's resident set (RssFile
            # near the binary and libraries, not the trace's 80 MB).
            big = os.path.join(tmp, 'big.jsonl')
            subprocess.run(['bash', os.path.join(vl.REPO, 'scripts',
                                                 'gen-big-trace.sh'),
                            '200000', big], check=True,
                           capture_output=True, timeout=120)
            size_kb = os.path.getsize(big) // 1024
            vl.launch(t, [big])
            t.wait_status(1, timeout=30)
            pid = vl.viewer_pid(t)
            time.sleep(0.3)
            with open('/proc/%d/status' % pid) as f:
                st = dict(l.split(':', 1) for l in f if ':' in l)
            kb = {k: int(st[k].split()[0]) for k in
                  ('RssFile', 'RssAnon', 'VmHWM')}
            print('    200,000 events (%d KB): RssFile %d KB, RssAnon %d KB,'
                  ' VmHWM %d KB' % (size_kb, kb['RssFile'], kb['RssAnon'],
                                    kb['VmHWM']))
            check(kb['RssFile'] < size_kb // 4,
                  'RssFile %d KB after opening a %d KB trace: the mapped '
                  'pages were not released' % (kb['RssFile'], size_kb))
            check(kb['VmHWM'] < size_kb // 2,
                  'VmHWM %d KB: the whole %d KB trace was resident at '
                  'once while indexing' % (kb['VmHWM'], size_kb))
            t.keys('G')
            t.wait_for(lambda s: vl.status(s)[0] not in (None, 1),
                       what='G')
            quit_viewer(t)


def mono_group(tmp):
    with vl.Tmux(100, 30) as t:
        for name, args, env in (('screen/mono-vt100', [], {'TERM': 'vt100'}),
                                ('screen/mono-no-color', [],
                                 {'NO_COLOR': '1'}),
                                ('screen/mono-flag', ['--mono'], {})):
            with rep.case(name):
                open_viewer(t, SETGET, args, env)
                press(t, 'Right', 2)
                rc, same, screen = quit_viewer(t)
                check(rc == 0, 'exit status %d' % rc)
                vl.check_restored(t, screen, same)

        with rep.case('screen/bad-term'):
            vl.launch(t, [rel(SETGET)], {'TERM': 'nosuchterm'})
            rc, same, screen = vl.wait_exit(t)
            check(0 < rc < 128, 'TERM=nosuchterm: exit status %d' % rc)
            check(re.search(r'TERM=nosuchterm',
                            screen.split('VIEWER-EXIT')[0]),
                  'no message naming the terminal type')
            check(same, 'termios changed')

        with rep.case('exit/bad-file'):
            vl.launch(t, ['/nonexistent/trace.jsonl'])
            rc, same, screen = vl.wait_exit(t)
            check(0 < rc < 128, 'missing file: exit status %d' % rc)
            check('/nonexistent/trace.jsonl' in
                  screen.split('VIEWER-EXIT')[0], 'no message naming '
                  'the file')
            vl.check_restored(t, screen, same)

        with rep.case('screen/damaged-trace'):
            # Line 7 is not an event: the viewer skips it, says so on the
            # bottom line, and works (--dump refuses the same file).
            with open(SETGET, 'rb') as f:
                lines = f.read().split(b'\n')
            lines[6] = b'{"this is": "not an event"}'
            damaged = os.path.join(tmp, 'damaged.jsonl')
            with open(damaged, 'wb') as f:
                f.write(b'\n'.join(lines))
            vl.launch(t, [damaged])
            s = t.wait_status(1)
            check(re.search(r'(line 7\b|:7:)', s),
                  'no warning naming line 7 on the screen')
            press(t, 'G', vl.status(s)[1])
            rc, same, screen = quit_viewer(t)
            check(rc == 0, 'exit status %d' % rc)
            vl.check_restored(t, screen, same)

        with rep.case('exit/crash'):
            open_viewer(t, SETGET)
            pid = vl.viewer_pid(t)
            os.kill(pid, signal.SIGSEGV)
            rc, same, screen = vl.wait_exit(t)
            check(rc == 128 + signal.SIGSEGV,
                  'after SIGSEGV the status is %d, want %d (re-raised)'
                  % (rc, 128 + signal.SIGSEGV))
            vl.check_restored(t, screen, same)


def follow_group(tmp):
    trace = os.path.join(tmp, 'live.jsonl')
    srv = vl.harness.Server(['--trace', trace])
    with rep.case('follow/live', srv):
        check(os.path.isfile(vl.SERVER), '%s not built' % vl.SERVER)
        srv.start()
        cli = lambda *a: subprocess.run(  # noqa: E731
            [vl.CLI, '-p', str(srv.port)] + list(a), capture_output=True,
            timeout=20, check=True)
        cli('SET', 'a', '1')
        with vl.Tmux(100, 30) as t:
            vl.launch(t, ['-f', trace])
            s = t.wait_status()
            n0, total0 = vl.status(s)
            print('    follow: opened at step %d of %d' % (n0, total0))
            for i in range(3):
                cli('SET', 'key:%d' % i, 'value %d' % i)
                cli('GET', 'key:%d' % i)
                s = t.wait_for(lambda s, b=total0: (vl.status(s)[1] or 0) > b,
                               what='the step count to grow past %d'
                               % total0)
                n1, total1 = vl.status(s)
                print('    follow: after SET/GET %d: step %d of %d'
                      % (i, n1, total1))
                total0 = total1
            # Wait until the viewer has caught up with the file, then
            # compare with an independent count.
            time.sleep(0.5)
            want = vl.Steps(trace).total
            s = t.wait_status(None, want)
            n1, _ = vl.status(s)
            check(n1 == want, 'follow mode is not at the last step: '
                  'step %d of %d' % (n1, want))
            srv.stop()          # SIGTERM: the footer is written
            want = vl.Steps(trace).total
            s = t.wait_status(want, want)
            check('traceClose' in s or 'footer' in s,
                  'the footer step is not shown at the end')
            rc, same, screen = quit_viewer(t)
            check(rc == 0, 'exit status %d' % rc)
            vl.check_restored(t, screen, same)
    srv.stop()


def main():
    ok = vl.require_view(rep, 'tmux/all') & vl.require_tmux(rep, 'tmux/all')
    if not ok:
        return 1
    tmp = tempfile.mkdtemp(prefix='minired-view-tmux.')
    try:
        for group in (keys_group, field_group, same_client_group,
                      lambda: violation_group(tmp), resize_group,
                      lambda: step_group(tmp),
                      lambda: mono_group(tmp), lambda: follow_group(tmp)):
            try:
                group()
            except TestFailure as e:
                # A failure outside any case (tmux itself): one FAIL line.
                rep.emit('FAIL', 'tmux/setup', str(e))
    finally:
        vl._kill_all_tmux()
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
