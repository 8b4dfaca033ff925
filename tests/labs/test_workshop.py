#!/usr/bin/python3
"""test_workshop.py - the live-coding workshop kit (exercises/workshop/).

  workshop/plan            steps.py: every step has its file, scenario,
                           golden, question and card; the minutes fit in 90
  workshop/predict-sets     predict/stepN.txt: valid question sets for the
                           steps' golden traces (minired-view --predict)
  workshop/last-is-reference
                           the last step is region inline-parse of src/,
                           line for line (so the last step restores the tree)
  workshop/step-N          in a scratch copy: `scripts/workshop step N`
                           builds; step N's scenario gives exactly the
                           step's replies, its golden trace (src lines and
                           wall times ignored) and passes `minired-trace
                           check`; for N > 0 the same scenario on step N-1
                           gives another trace (every step shows)
  workshop/catch-up        a learner's broken region: `step 2` saves it
                           under build/workshop/saved/ and puts a building
                           step 2 in; `where` says step 2
  workshop/tmux            the layout on a private tmux server: a line
                           typed in the client pane reaches the server,
                           the reply comes back, the viewer pane follows the
                           live trace; `step 3` restarts the three panes on
                           the new build; the client pane reconnects
                           after a close; `run` rebuilds typed code and
                           restarts; `flood` gets "too big inline request";
                           `stop` ends the server and the session
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(REPO, 'tests', 'integration'))
sys.path.insert(0, os.path.join(REPO, 'exercises', 'lib'))
import harness  # noqa: E402
from harness import check  # noqa: E402
import labs  # noqa: E402
import grader  # noqa: E402

rep = harness.Reporter()
PY = '/usr/bin/python3'
g = {}
with open(os.path.join(REPO, 'exercises', 'workshop', 'steps.py')) as f:
    exec(f.read(), g)
STEPS = g['STEPS']


def step_file(root, s):
    return os.path.join(root, 'exercises', 'workshop', 'steps', '%d-%s.c' % (s['n'], s['name']))


def ws(root, *args, timeout=300):
    p = subprocess.run([PY, os.path.join(root, 'scripts', 'workshop')] + list(args),
                       cwd=root, capture_output=True, text=True,
                       timeout=harness.guard(timeout))
    return p.returncode, p.stdout + p.stderr


def scratch_copy(dest):
    labs.scratch_copy(REPO, dest, ('workshop',))


class Ctx:
    def __init__(self, root):
        self.root, self.out = root, os.path.join(root, 'build', 'wstest')
        self.tool = os.path.join(root, 'bin', 'minired-trace')
        os.makedirs(self.out, exist_ok=True)


def run_trace(root, s, tag):
    out = os.path.join(root, 'build', 'wstest', '%s.jsonl' % tag)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, 'w') as o:
        p = subprocess.run([os.path.join(root, 'bin', 'minired-trace'), 'run',
                            os.path.join(root, s['scenario'])], stdout=o,
                           stderr=subprocess.PIPE, text=True, timeout=harness.guard(60))
    check(p.returncode == 0, 'minired-trace run %s: %s' % (s['scenario'], p.stderr[-300:]))
    return out


def replies(trace):
    out = {}
    with open(trace) as f:
        for ln in f:
            ev = json.loads(ln)
            if ev.get('cat') == 'accepted':
                out.setdefault(ev['tid'], b'')
    for tid in out:
        out[tid] = grader.replies_of(trace, tid)
    return out


tmp = tempfile.mkdtemp(prefix='minired-ws-')
try:
    with rep.case('workshop/plan'):
        total = 0
        for i, s in enumerate(STEPS):
            check(s['n'] == i, 'step %d is numbered %d' % (i, s['n']))
            for k in ('name', 'title', 'scenario', 'ask', 'show', 'try_'):
                check(s.get(k), 'step %d has no %s' % (i, k))
            check(os.path.isfile(step_file(REPO, s)), 'no %s' % step_file(REPO, s))
            check(os.path.isfile(os.path.join(REPO, s['scenario'])), 'no ' + s['scenario'])
            check(os.path.isfile(os.path.join(REPO, 'exercises', 'workshop', 'golden',
                                              'step%d.jsonl' % i)), 'no golden of step %d' % i)
            check(s['replies'], 'step %d: no expected replies' % i)
            total += s['minutes']
        check(60 <= total <= 80, 'the steps take %d min; the plan has 90 with '
              '10 to open and 5 to close' % total)

    with rep.case('workshop/predict-sets'):
        pdir = os.path.join(REPO, 'exercises', 'workshop', 'predict')
        sets = sorted(f for f in os.listdir(pdir) if f.endswith('.txt'))
        check(len(sets) >= 3, 'fewer than three question sets: %s' % sets)
        for f in sets:
            trace = os.path.join(REPO, 'exercises', 'workshop', 'golden', f[:-4] + '.jsonl')
            check(os.path.exists(trace), '%s: no golden/%s.jsonl' % (f, f[:-4]))
            p = subprocess.run([os.path.join(REPO, 'bin', 'minired-view'), '--predict',
                                os.path.join(pdir, f), trace], capture_output=True,
                               text=True, stdin=subprocess.DEVNULL)
            check('all valid' in p.stderr, '%s: %s' % (f, p.stderr.strip()))

    with rep.case('workshop/last-is-reference'):
        body = [r for r in labs.regions(REPO) if r[2] == 'inline-parse'][0][5]
        with open(step_file(REPO, STEPS[-1])) as f:
            last = f.read().rstrip('\n').split('\n')
        check(last == body, 'the last step differs from src/networking.c\'s region '
              'inline-parse: write the change into steps/%d-%s.c too'
              % (STEPS[-1]['n'], STEPS[-1]['name']))

    work = os.path.join(tmp, 'tree')
    scratch_copy(work)
    ctx = Ctx(work)
    for s in STEPS:
        with rep.case('workshop/step-%d' % s['n']):
            if s['n'] > 0:
                # still at step N-1: step N's scenario must look different
                before = run_trace(work, s, 'before-%d' % s['n'])
                d = grader.trace_diff(ctx, 'vis-%d' % s['n'], os.path.join(
                    work, 'exercises', 'workshop', 'golden', 'step%d.jsonl' % s['n']), before)
                check(d, 'step %d changes nothing its scenario shows' % s['n'])
            rc, out = ws(work, 'step', str(s['n']))
            check(rc == 0, 'scripts/workshop step %d failed:\n%s' % (s['n'], out[-800:]))
            check('ask the room first' in out, 'no card printed:\n' + out[-400:])
            got = run_trace(work, s, 'step-%d' % s['n'])
            r = replies(got)
            check(r == s['replies'], 'replies %r, the plan says %r' % (r, s['replies']))
            d = grader.trace_diff(ctx, 'step-%d' % s['n'], os.path.join(
                work, 'exercises', 'workshop', 'golden', 'step%d.jsonl' % s['n']), got)
            check(d is None, 'trace differs from golden/step%d.jsonl:\n%s' % (s['n'], d))
            c = subprocess.run([ctx.tool, 'check', got], capture_output=True, text=True)
            check(c.returncode == 0, 'minired-trace check: ' + (c.stdout + c.stderr)[-300:])
            rc, out = ws(work, 'show', str(s['n']))
            check(rc == 0 and 'as at step %d' % s['n'] in out, 'show: ' + out[-400:])

    with rep.case('workshop/catch-up'):
        path, _, _, b, e, _ = [r for r in labs.regions(work) if r[2] == 'inline-parse'][0]
        with open(path) as f:
            lines = f.read().split('\n')
        lines[b + 1:e] = ['    newline = strchr(c->querybuf  /* half typed */']
        with open(path, 'w') as f:
            f.write('\n'.join(lines))
        rc, out = ws(work, 'step', '2')
        check(rc == 0, 'catch-up to step 2 failed:\n' + out[-600:])
        saved = os.listdir(os.path.join(work, 'build', 'workshop', 'saved'))
        check(len(saved) == 1, 'saved: %s' % saved)
        with open(os.path.join(work, 'build', 'workshop', 'saved', saved[0])) as f:
            check('half typed' in f.read(), 'the learner\'s code was not saved')
        rc, out = ws(work, 'where')
        check(out.startswith('step 2 (words)'), 'where: ' + out)

    with rep.case('workshop/tmux'):
        if not shutil.which('tmux'):
            raise harness.Skip('tmux not installed')
        sock = 'minired-test-%d-ws' % os.getpid()
        env = dict(os.environ)
        env.pop('TMUX', None)

        def tm(*a):
            return subprocess.run(['tmux', '-L', sock] + list(a), capture_output=True,
                                  text=True, env=env)

        def pane(i):
            return tm('capture-pane', '-p', '-J', '-t', 'minired-ws:0.%d' % i).stdout

        def wait_for(i, text, secs=20):
            end = time.time() + harness.guard(secs)
            while time.time() < end:
                if text in pane(i):
                    return True
                time.sleep(0.2)
            return False
        try:
            rc, out = ws(work, 'tmux', '--socket', sock, '--detached')
            check(rc == 0, 'scripts/workshop tmux: ' + out[-600:])
            check(wait_for(1, 'connected to'), 'client pane:\n' + pane(1))
            tm('send-keys', '-t', 'minired-ws:0.1', 'SET "my key" \'a b\'', 'Enter')
            check(wait_for(1, '<- +OK\\r\\n'), 'no +OK in the client pane:\n' + pane(1))
            # following: the newest step is shown, and the typed request's
            # steps (read, parse, reply, write) are in the trace it follows
            check(wait_for(2, 'FOLLOW'), 'the viewer pane is not following:\n' + pane(2))

            def at_end():
                m = re.search(r'step (\d+) of (\d+)', pane(2))
                return m and int(m.group(2)) >= 8 and m.group(1) == m.group(2)
            end = time.time() + harness.guard(20)
            while not at_end() and time.time() < end:
                time.sleep(0.2)
            check(at_end(), 'the viewer pane does not show the live trace\'s '
                  'last step:\n' + pane(2))
            rc, out = ws(work, 'step', '3')
            check(rc == 0 and 'panes restarted' in out, 'step 3 in tmux: ' + out[-600:])
            check(wait_for(1, 'connected to'), 'client pane after step 3:\n' + pane(1))
            tm('send-keys', '-t', 'minired-ws:0.1', 'SET k "v', 'Enter')
            check(wait_for(1, 'unbalanced quotes in request'),
                  'step 3 is not what the restarted server runs:\n' + pane(1))
            check(wait_for(1, 'the server closed the connection'), pane(1))
            tm('send-keys', '-t', 'minired-ws:0.1', 'PING', 'Enter')
            check(wait_for(1, '<- +PONG\\r\\n'), 'the client pane does not '
                  'reconnect after a close:\n' + pane(1))
            # the typed code: `run` builds what is in src/ and restarts
            rc, out = ws(work, 'run')
            check(rc == 0 and 'building step 3' in out and 'panes restarted' in out,
                  'scripts/workshop run: ' + out[-600:])
            check(wait_for(1, 'connected to'), 'client pane after run:\n' + pane(1))
            rc, out = ws(work, 'step', '4')
            check(rc == 0 and wait_for(1, 'connected to'), 'step 4: ' + out[-400:])
            rc, out = ws(work, 'flood', '70000')
            check(rc == 0 and 'too big inline request' in out, 'flood: ' + out[-400:])
            rc, out = ws(work, 'stop')
            pidfile = os.path.join(work, 'build', 'workshop', 'server.pid')
            check(rc == 0 and not os.path.exists(pidfile), 'stop: ' + out)
            check(tm('has-session', '-t', 'minired-ws').returncode != 0,
                  'stop left the tmux session')
        finally:
            tm('kill-server')
            pidfile = os.path.join(work, 'build', 'workshop', 'server.pid')
            if os.path.exists(pidfile):   # it ignores SIGHUP, as Redis does
                subprocess.run(['kill', open(pidfile).read().strip()])
finally:
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(rep.exit_code())
