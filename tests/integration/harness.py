"""harness.py - start a server on a free loopback port, talk raw RESP to it,
report PASS/FAIL lines, and never leave the server running.

Used by every tests/integration/test_*.py (run with /usr/bin/python3, which
has the Debian python3-redis package; the pyenv python3 first in PATH does
not). Standard library only, plus redis-py where a test asks for it.

Which server
    Default: bin/minired-server from the repo. Set MINIRED_SERVER to another
    binary to run the same tests against it, e.g.

        MINIRED_SERVER=/usr/bin/redis-server tests/integration/test_auth.py

    which is how the suite itself is validated against real Redis (7.0 on
    Debian bookworm). For a redis-server binary the harness adds
    `--save "" --appendonly no` so nothing is written to disk.

Under valgrind or the sanitizers (issue 5)
    MINIRED_SERVER_WRAPPER="valgrind --leak-check=full ..." puts a command in
    front of every server this harness starts (tests/run-all.sh's valgrind
    suite sets it). The harness then waits longer for start-up and shutdown,
    sends valgrind's own output to LOG.valgrind, and at stop reads its
    summary. With ASAN_OPTIONS=...:log_path=DIR/san (run-all.sh's sanitize
    suite) a report lands in DIR/san.PID, and at stop the harness looks for
    the server's file; without log_path it looks in the server's log for
    "ERROR: AddressSanitizer", "runtime error:" and "LeakSanitizer". Any of
    these prints `FAIL <script>/server-N-<check>: reason`, so a leak or a
    memory error fails the test that started that server.

Line protocol (what tests/run-all.sh counts), one line per test:
    PASS name
    FAIL name: reason
    SKIP name: reason
Any other line (server log excerpts, notes) is indented and ignored by the
runner.

Where Redis 7.0 answers with different bytes than Redis 5.0 (the version
minired reproduces), the difference is written down once, in VARIANTS below,
and a test asks `expected("auth-wrong")` instead of hard-coding one text.
"""

import atexit
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DEFAULT_SERVER = os.path.join(REPO, 'bin', 'minired-server')

# ---------------------------------------------------------------------------
# Reply texts that differ between Redis 5.0 (minired's reference) and the
# Redis 7.0 the suite is validated against. Keys are the name a test uses.
# ---------------------------------------------------------------------------

_DENIED_HEAD_50 = (
    b"-DENIED Redis is running in protected mode because protected mode is "
    b"enabled, no bind address was specified, no authentication password is "
    b"requested to clients. ")
_DENIED_HEAD_70 = (
    b"-DENIED Redis is running in protected mode because protected mode is "
    b"enabled and no password is set for the default user. ")
_DENIED_BODY = (
    b"In this mode connections are only accepted from the loopback "
    b"interface. If you want to connect from external computers to Redis you "
    b"may adopt one of the following solutions: 1) Just disable protected "
    b"mode sending the command 'CONFIG SET protected-mode no' from the "
    b"loopback interface by connecting to Redis from the same host the "
    b"server is running, however MAKE SURE Redis is not publicly accessible "
    b"from internet if you do so. Use CONFIG REWRITE to make this change "
    b"permanent. 2) Alternatively you can just disable the protected mode by "
    b"editing the Redis configuration file, and setting the protected mode "
    b"option to 'no', and then restarting the server. 3) If you started the "
    b"server manually just for testing, restart it with the "
    b"'--protected-mode no' option. ")
_DENIED_TAIL = (
    b"NOTE: You only need to do one of the above things in order for the "
    b"server to start accepting connections from the outside.\r\n")

VARIANTS = {
    'noauth': {
        '5.0': b'-NOAUTH Authentication required.\r\n',
        '7.0': b'-NOAUTH Authentication required.\r\n',
    },
    'auth-wrong': {
        '5.0': b'-ERR invalid password\r\n',
        '7.0': b'-WRONGPASS invalid username-password pair or user is '
               b'disabled.\r\n',
    },
    'auth-no-password-set': {
        '5.0': b'-ERR Client sent AUTH, but no password is set\r\n',
        '7.0': b'-ERR AUTH <password> called without any password configured '
               b'for the default user. Are you sure your configuration is '
               b'correct?\r\n',
    },
    # BLPOP/BRPOP/BRPOPLPUSH timeout: 5.0.14 parses integer seconds
    # (getTimeoutFromObjectOrReply with getLongLongFromObjectOrReply); 6.0+
    # accepts a float and words the error for it.
    'blpop-timeout-not-number': {
        '5.0': b'-ERR timeout is not an integer or out of range\r\n',
        '7.0': b'-ERR timeout is not a float or out of range\r\n',
    },
    'maxclients': {
        '5.0': b'-ERR max number of clients reached\r\n',
        '7.0': b'-ERR max number of clients reached\r\n',
    },
    'denied': {
        '5.0': _DENIED_HEAD_50 + _DENIED_BODY +
               b'4) Setup a bind address or an authentication password. ' +
               _DENIED_TAIL,
        '7.0': _DENIED_HEAD_70 + _DENIED_BODY +
               # sic: 7.0.15 really says "Setup a an authentication".
               b'4) Setup a an authentication password for the default '
               b'user. ' +
               _DENIED_TAIL,
    },
}


def server_binary():
    """The server under test: $MINIRED_SERVER or bin/minired-server."""
    return os.environ.get('MINIRED_SERVER') or DEFAULT_SERVER


def server_wrapper():
    """The command words of $MINIRED_SERVER_WRAPPER (empty list if unset)."""
    return shlex.split(os.environ.get('MINIRED_SERVER_WRAPPER', ''))


def under_valgrind():
    """True when the servers run under valgrind (the wrapper's program)."""
    w = server_wrapper()
    return bool(w) and os.path.basename(w[0]) == 'valgrind'


# Seconds for a server to answer its first PING, and to exit after SIGTERM:
# valgrind runs the server some 20-50 times slower and checks for leaks at
# exit, so both grow under a wrapper.
START_TIMEOUT = 60.0 if server_wrapper() else 10.0
STOP_TIMEOUT = 60.0 if server_wrapper() else 5.0

# Every wait in the tests is a hang guard ("fail if nothing came after N
# seconds"), never a speed claim: speed claims live in `make bench`. The
# guards are multiplied by this so that a slower build has the same margin:
# an ASan build runs some 2-3 times slower (run-all.sh's sanitize mode sets
# MINIRED_TIME_FACTOR=3), valgrind memcheck 20-50 times (its suite sets 10,
# on top of the server's own start/stop timeouts above). Correctness checks
# never change with it.
TIME_FACTOR = float(os.environ.get('MINIRED_TIME_FACTOR') or 1)


def guard(seconds):
    """A hang guard of `seconds` on a normal build, scaled for this one."""
    return seconds * TIME_FACTOR


def wait_for(cond, seconds, what, step=0.05):
    """Poll cond() until it returns something true and return that; fail
    after the hang guard guard(seconds) with 'timed out ... waiting for
    what'."""
    deadline = time.time() + guard(seconds)
    while True:
        got = cond()
        if got:
            return got
        if time.time() > deadline:
            raise TestFailure('timed out after %.1f s waiting for %s'
                              % (guard(seconds), what))
        time.sleep(step)


def is_real_redis():
    """True when the binary under test is a redis-server, not minired."""
    return 'redis-server' in os.path.basename(server_binary())


def flavor():
    """Which column of VARIANTS applies: '5.0' for minired (always: it must
    speak 5.0 whatever it is asked), '7.0' for a Redis >= 6 binary."""
    if not is_real_redis():
        return '5.0'
    out = subprocess.run([server_binary(), '--version'],
                         capture_output=True, text=True, timeout=10).stdout
    # "Redis server v=7.0.15 sha=..."
    for word in out.split():
        if word.startswith('v='):
            major = int(word[2:].split('.')[0])
            return '5.0' if major < 6 else '7.0'
    return '7.0'


def expected(name):
    """The exact reply bytes for VARIANTS[name] on the server under test."""
    return VARIANTS[name][flavor()]


# ---------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------

class TestFailure(Exception):
    """Raised inside a test case; its message becomes the FAIL reason."""


class Skip(Exception):
    """Raised inside a test case to report SKIP with this reason."""


def short(data, limit=100):
    """A printable, bounded repr of bytes for failure messages."""
    r = repr(data)
    if len(r) > limit:
        r = r[:limit] + '...(%d bytes)' % len(data)
    return r


def check_eq(got, want, what='reply'):
    """Fail unless got == want, showing where two byte strings part."""
    if got == want:
        return
    if isinstance(got, (bytes, bytearray)) and isinstance(want, bytes):
        n = 0
        while n < min(len(got), len(want)) and got[n] == want[n]:
            n += 1
        raise TestFailure('%s differs at byte %d (got %d bytes, want %d): '
                          'got %s want %s' % (what, n, len(got), len(want),
                                              short(bytes(got[n:n + 60])),
                                              short(want[n:n + 60])))
    raise TestFailure('%s: got %s want %s' % (what, short(got), short(want)))


def check(cond, message):
    """Fail with message unless cond is true."""
    if not cond:
        raise TestFailure(message)


class Reporter:
    """Prints one PASS/FAIL/SKIP line per case and remembers failures.

    Usage:
        rep = Reporter()
        with rep.case('redis-cli-set', server):
            ...raise TestFailure / AssertionError / anything on failure...
        sys.exit(rep.exit_code())
    """

    def __init__(self):
        self.failed = 0
        self.passed = 0

    def case(self, name, server=None):
        return _Case(self, name, server)

    def exit_code(self):
        return 1 if self.failed else 0

    def emit(self, status, name, reason=None, server=None):
        line = '%s %s' % (status, name)
        if reason:
            line += ': ' + ' '.join(str(reason).split())
        print(line, flush=True)
        if status == 'FAIL':
            self.failed += 1
            if server is not None:
                server.print_log_tail()
        elif status == 'PASS':
            self.passed += 1


class _Case:
    def __init__(self, rep, name, server):
        self.rep, self.name, self.server = rep, name, server

    def __enter__(self):
        return self

    def __exit__(self, etype, exc, tb):
        if etype is None:
            self.rep.emit('PASS', self.name)
        elif issubclass(etype, Skip):
            self.rep.emit('SKIP', self.name, str(exc))
        elif issubclass(etype, KeyboardInterrupt):
            return False
        else:
            reason = str(exc) or etype.__name__
            if not issubclass(etype, TestFailure):
                reason = '%s: %s' % (etype.__name__, reason)
            self.rep.emit('FAIL', self.name, reason, self.server)
        return True  # the next case still runs


# ---------------------------------------------------------------------------
# Server lifetime
# ---------------------------------------------------------------------------

_live_servers = []


def _stop_all(*_):
    for s in list(_live_servers):
        s.stop()


def _on_signal(signum, frame):
    _stop_all()
    sys.exit(128 + signum)


atexit.register(_stop_all)
for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_sig, _on_signal)


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago (bind 0, read it,
    release it). Another process may take it before the server binds, so
    Server.start retries with a new port when the server cannot listen."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    if port == 6379:  # never the well-known port
        return free_port()
    return port


class ServerError(Exception):
    """The server could not be started."""


class Server:
    """A server process on 127.0.0.1:port, stopped on exit whatever happens.

        with Server(['--requirepass', 'secret']) as srv:
            c = srv.connect()

    args: extra --options for the server. bind: pass --bind 127.0.0.1 (the
    default; the protected-mode test turns it off). prefix: a command put in
    front (e.g. ['ip', 'netns', 'exec', NAME]). ready: a function(port) ->
    bool replacing the default PING check (for a server in a namespace).
    """

    def __init__(self, args=(), bind=True, prefix=(), ready=None,
                 port=None):
        self.args = list(args)
        self.bind = bind
        self.prefix = list(prefix)
        self.ready_fn = ready
        self.fixed_port = port
        self.proc = None
        self.port = None
        self.log_path = None

    # -- start / stop ------------------------------------------------------

    def command(self, port):
        binary = server_binary()
        cmd = self.prefix + [binary, '--port', str(port)]
        if self.bind:
            cmd += ['--bind', '127.0.0.1']
        if is_real_redis():
            cmd += ['--save', '', '--appendonly', 'no']
        return cmd + self.args

    def _wrapper(self):
        """The wrapper words; valgrind gets --log-file=LOG.valgrind so its
        report does not mix with the server log that tests read."""
        w = server_wrapper()
        if under_valgrind() and self.log_path:
            w = w[:1] + ['--log-file=%s.valgrind' % self.log_path] + w[1:]
        return w

    def start(self):
        binary = server_binary()
        if not os.path.isfile(binary) or not os.access(binary, os.X_OK):
            raise ServerError('server binary %s not found or not executable '
                              '(not built yet? run make)' % binary)
        last = ''
        for attempt in range(5):
            port = self.fixed_port or free_port()
            fd, self.log_path = tempfile.mkstemp(prefix='minired-it-',
                                                 suffix='.log')
            with os.fdopen(fd, 'wb') as log:
                # The wrapper goes between the prefix and the binary here,
                # not in command(): a test may rewrite command() and still
                # expect its own words right after the binary.
                cmd = self.command(port)
                at = len(self.prefix)
                cmd = cmd[:at] + self._wrapper() + cmd[at:]
                self.proc = subprocess.Popen(
                    cmd, stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
            self.port = port
            _live_servers.append(self)
            if self._wait_ready(START_TIMEOUT):
                return self
            last = self.log_tail(20)
            self.stop()
            if 'in use' not in last.lower():
                break  # not a port clash: retrying would not help
        raise ServerError('server did not answer PING on port %s; log:\n%s'
                          % (self.port, last))

    def _wait_ready(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                if self.ready_fn is not None:
                    if self.ready_fn(self.port):
                        return True
                elif _ping_ok(self.port):
                    return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def stop(self):
        """SIGTERM, wait up to STOP_TIMEOUT s, then SIGKILL; check the
        valgrind / sanitizer reports (a FAIL line each); remove the logs."""
        if self in _live_servers:
            _live_servers.remove(self)
        killed = False
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.terminate()
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
                killed = True
            except ProcessLookupError:
                pass
        if self.proc is not None and self.log_path:
            self._report_checks(killed)
        for path in (self.log_path, '%s.valgrind' % self.log_path):
            if self.log_path and os.path.exists(path):
                os.unlink(path)
        self.log_path = None

    def _report_checks(self, killed):
        """Print one FAIL line per problem the memory checkers found in
        this server's run. Called once per server, by stop()."""
        global _checked_servers
        _checked_servers += 1
        name = '%s/server-%d' % (os.path.basename(sys.argv[0]),
                                 _checked_servers)
        problems = sanitizer_problems(self.log_path, self.proc.pid)
        if under_valgrind():
            problems += valgrind_problems('%s.valgrind' % self.log_path,
                                          self.proc.returncode, killed)
        for what, reason, excerpt in problems:
            print('FAIL %s-%s: %s (server args %s)'
                  % (name, what, reason, ' '.join(self.args) or 'none'),
                  flush=True)
            for line in excerpt:
                print('    | ' + line)
            sys.stdout.flush()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    # -- log -----------------------------------------------------------------

    def log_tail(self, lines=30):
        if not self.log_path or not os.path.exists(self.log_path):
            return ''
        with open(self.log_path, 'rb') as f:
            data = f.read()
        text = data.decode('utf-8', errors='replace').splitlines()
        return '\n'.join(text[-lines:])

    def print_log_tail(self, lines=30):
        state = 'running' if self.alive() else (
            'exited with %s' % (self.proc.returncode if self.proc else '?'))
        print('    server (%s, port %s) %s; last log lines:'
              % (os.path.basename(server_binary()), self.port, state))
        for line in self.log_tail(lines).splitlines():
            print('    | ' + line)
        sys.stdout.flush()

    # -- clients -----------------------------------------------------------

    def connect(self, timeout=5.0):
        return Conn(('127.0.0.1', self.port), timeout)


# ---------------------------------------------------------------------------
# Memory checkers: valgrind summaries and sanitizer reports
# ---------------------------------------------------------------------------

_checked_servers = 0   # servers stopped so far: names server-1, server-2...

# Sanitizer reports start with one of these (ASan, UBSan, LeakSanitizer).
SANITIZER_MARKS = ('ERROR: AddressSanitizer', 'runtime error:',
                   'ERROR: LeakSanitizer', 'LeakSanitizer')


def _read_text(path):
    try:
        with open(path, 'rb') as f:
            return f.read().decode('utf-8', 'replace')
    except OSError:
        return None


def sanitizer_log_prefix():
    """DIR/san when ASAN_OPTIONS has log_path=DIR/san, else None."""
    for opt in os.environ.get('ASAN_OPTIONS', '').split(':'):
        if opt.startswith('log_path='):
            return opt[len('log_path='):]
    return None


def sanitizer_problems(log_path, pid):
    """[(what, reason, excerpt lines)] for a sanitizer report of process
    pid: in its server log, or in LOG_PREFIX.pid when the reports go to
    files (the sanitizer runtime names them after the pid)."""
    out = []
    texts = [('log', _read_text(log_path) or '')]
    prefix = sanitizer_log_prefix()
    report = prefix and '%s.%d' % (prefix, pid)
    if report and os.path.exists(report):
        # The runtime only creates the file to write a report into it.
        texts.append((report, _read_text(report) or '(empty report file)'))
        # Reported here, with the test's name: tests/run-all.sh's sweep
        # moves *.reported files away without counting them a second time.
        os.rename(report, report + '.reported')
    for where, text in texts:
        lines = text.splitlines()
        hits = [i for i, l in enumerate(lines)
                if any(m in l for m in SANITIZER_MARKS)]
        if hits or where != 'log':
            at = hits[0] if hits else 0
            first = lines[at].strip() if lines else ''
            out.append(('sanitizer', '%s (in %s)' % (first[:160], where),
                        lines[at:at + 25]))
    return out


def valgrind_problems(vg_path, returncode, killed):
    """[(what, reason, excerpt lines)] from valgrind's report: errors,
    definitely or indirectly lost bytes, exit code 99 (--error-exitcode),
    or no summary at all (valgrind killed before it could write one)."""
    text = _read_text(vg_path)
    if text is None:
        return [('valgrind', 'no valgrind log %s' % vg_path, [])]
    lines = [re.sub(r'^==\d+== ?', '', l) for l in text.splitlines()]
    out = []
    errors = re.search(r'ERROR SUMMARY: (\d+) errors', text)
    if errors is None:
        why = 'SIGKILLed after %gs' % STOP_TIMEOUT if killed else \
              'exit %s' % returncode
        out.append(('valgrind', 'no ERROR SUMMARY in the valgrind log (%s)'
                    % why, lines[-15:]))
        return out
    if errors.group(1) != '0':
        first = next((i for i, l in enumerate(lines)
                      if l.startswith(('Invalid', 'Conditional', 'Syscall',
                                       'Mismatched', 'Source and dest'))
                      or ' are definitely lost' in l
                      or ' are indirectly lost' in l), 0)
        out.append(('valgrind', 'ERROR SUMMARY: %s errors'
                    % errors.group(1), lines[first:first + 30]))
    for kind in ('definitely', 'indirectly'):
        m = re.search(r'%s lost: ([\d,]+) bytes' % kind, text)
        if m and m.group(1) != '0':
            out.append(('leak', '%s lost: %s bytes' % (kind, m.group(1)),
                        [l for l in lines if 'lost:' in l]))
    if returncode == 99 and not out:
        out.append(('valgrind', 'exit 99 (valgrind --error-exitcode)',
                    lines[-15:]))
    return out


def _ping_ok(port, host='127.0.0.1'):
    """True if the server answers a PING (or refuses it for lack of AUTH:
    that still proves the pipeline is up)."""
    with socket.create_connection((host, port), timeout=1.0) as s:
        s.settimeout(1.0)
        s.sendall(b'*1\r\n$4\r\nPING\r\n')
        data = s.recv(64)
        return data.startswith(b'+PONG') or data.startswith(b'-NOAUTH')


# ---------------------------------------------------------------------------
# Raw RESP
# ---------------------------------------------------------------------------

def resp(*args):
    """Encode a command the way every real client does: a multibulk.
    resp('SET', 'k', 'v') == b'*3\\r\\n$3\\r\\nSET\\r\\n$1\\r\\nk\\r\\n$1\\r\\nv\\r\\n'"""
    out = [b'*%d\r\n' % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        elif isinstance(a, int):
            a = b'%d' % a
        out.append(b'$%d\r\n%s\r\n' % (len(a), a))
    return b''.join(out)


def bulk(value):
    """The reply bytes of a bulk string: b'$3\\r\\nabc\\r\\n'."""
    if isinstance(value, str):
        value = value.encode()
    return b'$%d\r\n%s\r\n' % (len(value), value)


def reply_end(buf, pos=0):
    """Index just past one complete RESP reply starting at buf[pos], or None
    if buf does not hold all of it yet."""
    nl = buf.find(b'\r\n', pos)
    if nl < 0:
        return None
    kind = buf[pos:pos + 1]
    if kind in (b'+', b'-', b':'):
        return nl + 2
    if kind == b'$':
        n = int(buf[pos + 1:nl])
        if n < 0:
            return nl + 2
        end = nl + 2 + n + 2
        return end if len(buf) >= end else None
    if kind == b'*':
        n = int(buf[pos + 1:nl])
        p = nl + 2
        for _ in range(max(n, 0)):
            p = reply_end(buf, p)
            if p is None:
                return None
        return p
    raise TestFailure('not a RESP reply at offset %d: %s'
                      % (pos, short(bytes(buf[pos:pos + 40]))))


class Conn:
    """A raw TCP connection with a timeout on every operation."""

    def __init__(self, addr, timeout=5.0):
        # timeout is a hang guard: scaled for sanitizer/valgrind builds.
        self.timeout = guard(timeout)
        self.sock = socket.create_connection(addr, timeout=self.timeout)
        self.sock.settimeout(self.timeout)
        self.buf = bytearray()

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        try:
            chunk = self.sock.recv(1 << 16)
        except socket.timeout:
            raise TestFailure('timed out waiting for the server (have %d '
                              'bytes: %s)' % (len(self.buf),
                                              short(bytes(self.buf[:60]))))
        if not chunk:
            raise TestFailure('server closed the connection (have %d bytes: '
                              '%s)' % (len(self.buf),
                                       short(bytes(self.buf[:60]))))
        self.buf += chunk

    def read_reply(self):
        """The raw bytes of exactly one reply."""
        while True:
            end = reply_end(self.buf) if self.buf else None
            if end is not None:
                out = bytes(self.buf[:end])
                del self.buf[:end]
                return out
            self._fill()

    def read_exact(self, n):
        while len(self.buf) < n:
            self._fill()
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def call(self, *args):
        """Send one command, return the raw reply bytes."""
        self.send(resp(*args))
        return self.read_reply()

    def expect(self, args, want, what=None):
        """Send args (a tuple for a multibulk, bytes sent as they are) and
        fail unless the reply is exactly want."""
        self.send(resp(*args) if isinstance(args, tuple) else args)
        check_eq(self.read_reply(), want, what or 'reply to %s' % (args,))

    def read_until_close(self, limit=1 << 20):
        """Everything the server sends until it closes; fails on timeout."""
        while True:
            try:
                chunk = self.sock.recv(1 << 16)
            except socket.timeout:
                raise TestFailure('connection still open after timeout (got '
                                  '%s)' % short(bytes(self.buf)))
            except ConnectionResetError:
                break
            if not chunk:
                break
            self.buf += chunk
            if len(self.buf) > limit:
                raise TestFailure('more than %d bytes before close' % limit)
        out = bytes(self.buf)
        self.buf.clear()
        return out

    def nothing_more(self, wait=0.2):
        """Fail if the server sent bytes beyond the replies read so far."""
        if self.buf:
            raise TestFailure('unexpected extra bytes %s' % short(bytes(self.buf)))
        self.sock.settimeout(wait)
        try:
            extra = self.sock.recv(4096)
        except socket.timeout:
            extra = b''
        finally:
            self.sock.settimeout(self.timeout)
        if extra:
            raise TestFailure('unexpected extra bytes %s' % short(extra))


def run(cmd, input=None, timeout=60):
    """Run a client tool; return CompletedProcess with bytes output."""
    return subprocess.run(cmd, input=input, capture_output=True,
                          timeout=timeout, cwd=REPO)


def require_tool(path, rep, name):
    """Print FAIL (never a silent skip) when a client tool is missing."""
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return True
    rep.emit('FAIL', name, '%s not installed (run scripts/install-deps.sh)'
             % path)
    return False


def start_or_fail(rep, name, server):
    """Start server; on failure print `FAIL name-server-start` and return
    None so the test script can stop there."""
    try:
        return server.start()
    except ServerError as e:
        rep.emit('FAIL', '%s-server-start' % name, str(e).splitlines()[0])
        for line in str(e).splitlines()[1:]:
            print('    | ' + line)
        return None


if __name__ == '__main__':
    # Helpers run inside a network namespace by test_protected_mode.py:
    #   harness.py probe HOST PORT      exit 0 if PING answered
    #   harness.py listen-bytes HOST PORT   print hex of all bytes until close
    mode = sys.argv[1] if len(sys.argv) > 1 else ''
    if mode == 'probe':
        try:
            sys.exit(0 if _ping_ok(int(sys.argv[3]), sys.argv[2]) else 1)
        except OSError:
            sys.exit(1)
    if mode == 'listen-bytes':
        c = Conn((sys.argv[2], int(sys.argv[3])), timeout=5.0)
        try:
            data = c.read_until_close()
            print('CLOSED ' + data.hex())
        except TestFailure as e:
            print('OPEN ' + bytes(c.buf).hex() + ' ' + str(e))
        sys.exit(0)
    print('usage: harness.py probe|listen-bytes HOST PORT', file=sys.stderr)
    sys.exit(2)
