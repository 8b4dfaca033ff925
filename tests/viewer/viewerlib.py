"""viewerlib.py - shared helpers for the viewer suite (tests/viewer/test_*).

The viewer suite drives bin/minired-view from the outside: as a program
(`--dump STEP` prints the screen of one step as plain text) and as a
full-screen program inside a private tmux server, the way a student uses
it. Every test_* script prints one line per test in the line protocol
tests/run-all.sh counts (PASS / FAIL / SKIP), through the Reporter of
tests/integration/harness.py.

What lives here:
    VIEW, require_view(rep, name)
                       the binary, and a FAIL (never a silent skip) when it
                       is not built
    require_tmux(rep, name)
                       the same for tmux
    dump(trace, step)  run `bin/minired-view --dump STEP TRACE`
    Steps(trace)       the trace's events by step number (step n is the
                       n-th line after the header: ts n), to compute what
                       the screen must say without trusting the viewer
    Tmux               one private tmux server (`tmux -L minired-test-PID`)
                       holding one session; send keys, capture the pane,
                       wait for a text; always killed (context manager and
                       atexit)
    status(screen)     (step, total) parsed from "step n of N"
Run with /usr/bin/python3.
"""

import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'integration'))
sys.path.insert(0, os.path.join(HERE, '..', 'trace'))

import harness  # noqa: E402  (path set just above)

REPO = harness.REPO
# MINIRED_VIEW=/path/to/minired-view tests another build of the viewer.
VIEW = os.environ.get('MINIRED_VIEW') or os.path.join(REPO, 'bin',
                                                     'minired-view')
# MINIRED_SERVER (harness.server_binary) picks the server, as everywhere.
SERVER = harness.server_binary()
GOLDEN_TRACES = os.path.join(REPO, 'tests', 'golden')
VIEW_GOLDEN = os.path.join(HERE, 'golden')
CLI = '/usr/bin/redis-cli'
TMUX = shutil.which('tmux') or '/usr/bin/tmux'

TestFailure = harness.TestFailure
check = harness.check

# "step 41/661" (what the viewer prints) or "step 41 of 661" (the issue's
# wording) on the status line, the first line of the screen.
STATUS_RE = re.compile(r'\bstep\s+(\d+)\s*(?:/|\s+of\s+)\s*(\d+)',
                       re.IGNORECASE)


def require_view(rep, name):
    """FAIL (never a silent skip) when bin/minired-view is not built."""
    if os.path.isfile(VIEW) and os.access(VIEW, os.X_OK):
        return True
    rep.emit('FAIL', name, '%s not built (run make)' % VIEW)
    return False


def require_tmux(rep, name):
    """FAIL when tmux is missing: the suite must not pass without it."""
    if os.path.isfile(TMUX) and os.access(TMUX, os.X_OK):
        return True
    rep.emit('FAIL', name, 'tmux not found (scripts/install-deps.sh '
                           'installs it)')
    return False


def run_view(args, timeout=60, env=None):
    """Run bin/minired-view ARGS (no terminal: stdin /dev/null); return
    the CompletedProcess with text stdout/stderr."""
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run([VIEW] + list(args), capture_output=True,
                          timeout=timeout, cwd=REPO, env=e,
                          stdin=subprocess.DEVNULL, text=True,
                          errors='replace')


def dump(trace, step, cols=None, rows=None, extra=()):
    """`bin/minired-view --dump STEP TRACE`, optionally at a given screen
    size (--width / --height); returns the CompletedProcess."""
    size = []
    if cols:
        size += ['--width', str(cols)]
    if rows:
        size += ['--height', str(rows)]
    return run_view(list(extra) + size + ['--dump', str(step), trace])


def crashed(proc):
    """A reason string when a run looks like a crash, else None: killed by
    a signal (negative returncode from subprocess, or a shell's 128+N), or
    a crash banner on stderr."""
    rc = proc.returncode
    if rc < 0:
        return 'killed by signal %d' % -rc
    if rc >= 128:
        return 'exit status %d (a signal?)' % rc
    err = proc.stderr if isinstance(proc.stderr, str) else \
        proc.stderr.decode('utf-8', 'replace')
    for banner in ('Segmentation fault', 'AddressSanitizer', 'Aborted',
                   'core dumped', 'double free', 'stack smashing'):
        if banner in err:
            return 'stderr says %r' % banner
    return None


def status(screen):
    """(step, total) from the first "step n of N" on the screen, or
    (None, None)."""
    m = STATUS_RE.search(screen)
    if not m:
        return None, None
    return int(m.group(1)), int(m.group(2))


# ---------------------------------------------------------------------------
# The trace, read independently of the viewer
# ---------------------------------------------------------------------------

class Steps:
    """A trace's events, indexed by step: step n is line n + 1 of the file
    (ts n); the header is not a step, the footer is. Only whole lines."""

    def __init__(self, path):
        self.path = path
        self.ev = [None]  # ev[n] is step n; index 0 unused
        with open(path, 'rb') as f:
            first = True
            for raw in f:
                if not raw.endswith(b'\n'):
                    break
                if first:
                    first = False
                    continue
                self.ev.append(json.loads(raw))

    @property
    def total(self):
        return len(self.ev) - 1

    def c(self, n):
        """The client state "c" of step n, or None."""
        return self.ev[n].get('args', {}).get('c')

    def first(self, pred, start=1):
        """The first step >= start whose event satisfies pred, or None."""
        for n in range(start, len(self.ev)):
            if pred(self.ev[n]):
                return n
        return None

    def last(self, pred):
        for n in range(len(self.ev) - 1, 0, -1):
            if pred(self.ev[n]):
                return n
        return None

    def clients(self):
        """Client ids (tid > 0) in order of first appearance."""
        seen = []
        for e in self.ev[1:]:
            if e['tid'] > 0 and e['tid'] not in seen:
                seen.append(e['tid'])
        return seen


# ---------------------------------------------------------------------------
# tmux
# ---------------------------------------------------------------------------

_live_tmux = []


def _kill_all_tmux():
    for t in list(_live_tmux):
        t.kill()


atexit.register(_kill_all_tmux)

# A prompt nobody else prints, so "the shell is back" is unambiguous.
PROMPT = 'minired-test$ '


class Tmux:
    """One private tmux server (socket name minired-test-PID-N) running
    one session whose pane is a plain bash with PROMPT as its prompt.

        with Tmux(100, 30) as t:
            t.type_line('bin/minired-view tests/golden/01-set-get.jsonl')
            t.wait_for(lambda s: 'step 1 of' in s)

    The server is killed on exit (context manager, atexit, and the signal
    handlers harness.py installs call sys.exit, which runs atexit)."""

    _count = 0

    def __init__(self, cols=100, rows=30, env=None):
        Tmux._count += 1
        self.sock = 'minired-test-%d-%d' % (os.getpid(), Tmux._count)
        self.cols, self.rows = cols, rows
        self.env = env or {}
        self.alive = False
        self.sock_path = None

    def tmux(self, *args, check_rc=True):
        # Without $TMUX: run from inside someone's tmux, the private
        # server must still be a separate, unnested one.
        env = {k: v for k, v in os.environ.items() if k != 'TMUX'}
        p = subprocess.run([TMUX, '-L', self.sock, '-f', '/dev/null'] +
                           list(args), capture_output=True, text=True,
                           timeout=20, env=env)
        if check_rc and p.returncode != 0:
            raise TestFailure('tmux %s: exit %d: %s'
                              % (' '.join(args), p.returncode,
                                 p.stderr.strip()))
        return p.stdout

    def start(self):
        # HISTFILE empty: the pane's bash keeps no history file (HOME is
        # the repository, which must not get a .bash_history).
        envs = ['TERM=screen', 'PS1=' + PROMPT, 'HOME=' + REPO, 'HISTFILE=',
                'PATH=' + os.environ.get('PATH', '/usr/bin:/bin')]
        envs += ['%s=%s' % kv for kv in self.env.items()]
        shell = 'cd %s && exec env -i %s bash --norc --noprofile -i' % (
            _q(REPO), ' '.join(_q(e) for e in envs))
        _live_tmux.append(self)
        self.alive = True
        self.tmux('new-session', '-d', '-s', 'v', '-x', str(self.cols),
                  '-y', str(self.rows), shell)
        # The pane keeps its size only if the window size is manual
        # (detached session: no client decides it).
        self.tmux('set-option', '-g', 'window-size', 'manual',
                  check_rc=False)
        self.tmux('set-option', '-g', 'status', 'off', check_rc=False)
        self.tmux('resize-window', '-t', 'v', '-x', str(self.cols), '-y',
                  str(self.rows), check_rc=False)
        self.sock_path = self.tmux('display-message', '-p',
                                   '#{socket_path}').strip()
        self.wait_for(lambda s: PROMPT.strip() in s, what='the shell prompt')
        return self

    def kill(self):
        if self in _live_tmux:
            _live_tmux.remove(self)
        if self.alive:
            self.tmux('kill-server', check_rc=False)
            self.alive = False
            # tmux 3.3 leaves its socket file behind; it is ours, remove it.
            if self.sock_path and os.path.basename(self.sock_path) == \
                    self.sock:
                try:
                    os.unlink(self.sock_path)
                except OSError:
                    pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()
        return False

    def keys(self, *keys):
        """tmux send-keys: key names (Right, Tab, C-c, Enter) or text."""
        self.tmux('send-keys', '-t', 'v', *keys)

    def literal(self, text):
        """Type text literally (no key-name lookup)."""
        self.tmux('send-keys', '-t', 'v', '-l', text)

    def type_line(self, text):
        self.literal(text)
        self.keys('Enter')

    def capture(self):
        """The visible pane, one string, trailing blanks of each line
        removed (capture-pane -p)."""
        return self.tmux('capture-pane', '-p', '-t', 'v')

    def resize(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.tmux('resize-window', '-t', 'v', '-x', str(cols), '-y',
                  str(rows))

    def size(self):
        out = self.tmux('display-message', '-p', '-t', 'v',
                        '#{pane_width} #{pane_height}')
        w, h = out.split()
        return int(w), int(h)

    def wait_for(self, pred, timeout=8.0, what='the expected screen'):
        """Poll the pane until pred(screen) is true; return the screen.
        Fails with the last screen shown when it never happens.

        The screen returned is a whole frame: once pred holds, the pane is
        captured again until two captures 50 ms apart agree (the viewer
        draws a frame in pieces, and on a busy machine a capture can land
        between the status line and the rest; callers then check more
        strings in the same screen). If the frame that settles no longer
        satisfies pred, the wait goes on."""
        deadline = time.time() + harness.guard(timeout)  # hang guard
        screen = ''
        while True:
            screen = self.capture()
            if pred(screen):
                while time.time() <= deadline:
                    time.sleep(0.05)
                    again = self.capture()
                    if again == screen:
                        break
                    screen = again
                if pred(screen):
                    return screen
            if time.time() > deadline:
                print('    screen (%dx%d) while waiting for %s:'
                      % (self.cols, self.rows, what))
                print(indent(screen), flush=True)
                raise TestFailure('timed out after %.0fs waiting for %s '
                                  '(screen shown above)' % (timeout, what))
            time.sleep(0.05)

    def wait_status(self, step=None, total=None, timeout=8.0):
        """Wait until the status line says "step STEP of TOTAL" (either may
        be None: any); return the screen."""
        def ok(s):
            n, t = status(s)
            if n is None:
                return False
            return (step is None or n == step) and \
                (total is None or t == total)
        return self.wait_for(ok, timeout,
                             'status "step %s of %s"'
                             % (step if step is not None else 'n',
                                total if total is not None else 'N'))

    def settle(self, quiet=0.25, timeout=5.0):
        """Wait until the pane stops changing for `quiet` seconds; return
        it (after a key, to compare a whole screen)."""
        deadline = time.time() + timeout
        prev = self.capture()
        stable_since = time.time()
        while time.time() < deadline:
            time.sleep(0.05)
            cur = self.capture()
            if cur != prev:
                prev, stable_since = cur, time.time()
            elif time.time() - stable_since >= quiet:
                break
        return prev


def _q(s):
    """Single-quote s for a POSIX shell."""
    return "'" + s.replace("'", "'\\''") + "'"


def indent(text, prefix='    | '):
    return '\n'.join(prefix + l for l in text.rstrip('\n').split('\n'))


def shell_quote(s):
    return _q(s)


# ---------------------------------------------------------------------------
# The viewer inside the pane
# ---------------------------------------------------------------------------

# What the wrapper prints once the viewer is gone: whether the terminal's
# termios settings are what they were before (stty -g, compared by a
# non-interactive /bin/sh: an interactive bash would restore them itself
# after a crash and hide a viewer that did not), and the exit status.
EXIT_RE = re.compile(r'VIEWER-EXIT=(\d+) TTY=(SAME|CHANGED)')


def launch(t, args, env=None):
    """Type, in the pane's shell, a /bin/sh wrapper that runs
    bin/minired-view ARGS in the foreground and then prints
    "VIEWER-EXIT=<status> TTY=SAME|CHANGED". env: VAR=value prefixes."""
    pre = ' '.join('%s=%s' % (k, _q(v)) for k, v in (env or {}).items())
    # `trap : INT`: Ctrl-C goes to the whole foreground process group; the
    # wrapper must survive it to report (a trap with a command, unlike an
    # ignored signal, leaves SIGINT at its default in the viewer).
    cmd = ('/bin/sh -c \'trap : INT; b=$(stty -g); %s "$0" "$@"; r=$?; '
           'a=$(stty -g); '
           'if [ "$a" = "$b" ]; then s=SAME; else s=CHANGED; fi; '
           'echo "VIEWER-EXIT=$r TTY=$s"\' %s %s'
           % (pre, _q(VIEW), ' '.join(_q(a) for a in args)))
    t.type_line('clear; ' + cmd)


def viewer_pid(t, timeout=5.0):
    """The pid of the bin/minired-view running in the pane (a descendant
    of the pane's shell), found by walking the process tree by parent pid.
    """
    root = int(t.tmux('display-message', '-p', '-t', 'v',
                      '#{pane_pid}').strip())
    deadline = time.time() + harness.guard(timeout)  # hang guard
    while time.time() < deadline:
        todo, found = [root], None
        while todo and found is None:
            pid = todo.pop()
            out = subprocess.run(['ps', '-o', 'pid=,comm=', '--ppid',
                                  str(pid)], capture_output=True,
                                 text=True).stdout
            for line in out.split('\n'):
                if not line.strip():
                    continue
                cpid, comm = line.split(None, 1)
                if comm.strip() == 'minired-view':
                    found = int(cpid)
                    break
                todo.append(int(cpid))
        if found:
            return found
        time.sleep(0.05)
    raise TestFailure('no minired-view process under the pane shell')


def pane_flags(t):
    """{'alternate_on': 0/1, 'cursor_flag': 0/1, 'keypad_cursor_flag':
    0/1}: tmux's view of the terminal modes the viewer must restore."""
    names = ('alternate_on', 'cursor_flag', 'keypad_cursor_flag')
    out = t.tmux('display-message', '-p', '-t', 'v',
                 ' '.join('#{%s}' % n for n in names)).split()
    return dict(zip(names, (int(x) if x.isdigit() else -1 for x in out)))


def wait_exit(t, timeout=8.0):
    """Wait for the wrapper's VIEWER-EXIT line and the prompt after it;
    return (status, tty_same, screen)."""
    screen = t.wait_for(
        lambda s: EXIT_RE.search(s) and s.rstrip().endswith(PROMPT.strip()),
        timeout, 'the viewer to exit and the shell prompt to come back')
    m = EXIT_RE.search(screen)
    return int(m.group(1)), m.group(2) == 'SAME', screen


def check_restored(t, screen, tty_same):
    """The terminal is as the viewer found it: termios the same, main
    screen (not the alternate one), cursor visible, keypad mode off, and
    no status line left on the screen."""
    check(tty_same, 'stty -g differs after the viewer exited (echo / '
                    'canonical mode not restored)')
    f = pane_flags(t)
    check(f['alternate_on'] == 0, 'the pane is still on the alternate '
                                  'screen after exit')
    check(f['cursor_flag'] == 1, 'the cursor is still hidden after exit')
    check(f['keypad_cursor_flag'] == 0, 'keypad (application cursor) mode '
                                        'left on after exit')
    check(STATUS_RE.search(screen) is None,
          'a viewer status line is still on screen after exit')
