#!/usr/bin/python3
"""test_live.py - traces recorded from a real server, and what the tools do
with them.

    live/record       bin/minired-server --trace FILE on a free port, driven
                      by redis-cli (a few commands), redis-cli --pipe (1,000
                      SETs), redis-benchmark (-n 2000 -c 10 -t
                      set,get,incr,mset, then again with -P 16), a raw
                      socket with a protocol error and a slow reader with a
                      4 KB receive buffer; stopped with SIGTERM
    live/footer       the last line is the footer, reason "shutdown", and
                      its "events" count matches the lines before it
    live/check        `bin/minired-trace check` says OK
    live/replay       `replay` then `diff` against the recording: identical
    live/summary      summary and filter --client run on it
    live/replay-large-blocks
                      the same session without the benchmark but with the
                      slow reader's value at 200,000 bytes: reply blocks
                      above glibc's mmap threshold (128 KB) must replay
                      with the same sizes as live
    startup/bad-path  --trace /nonexistent/dir/x: exit 1 at start-up, with a
                      message saying it is the trace file and why
    config/switch     CONFIG SET trace-file B while tracing to A: A ends
                      with a footer (reason "config"), B starts with a
                      header; CONFIG GET trace-file answers B;
                      CONFIG SET trace-file "" ends B with a footer; both
                      files pass check; A replays identically; B (which
                      starts mid-session) replays or is refused with a
                      message, without a crash
    cut/*             a smaller recording (no benchmark, no argument over
                      32 KB) cut in the middle of a line loads in
                      check, summary, filter and diff with a warning, and
                      is read up to its last whole line (check gives the
                      same verdict as on the whole lines alone, filter the
                      same lines, diff against the whole lines: identical)
"""

import json
import os
import subprocess
import sys
import tempfile

import tracelib as tl
from tracelib import TestFailure, check

rep = tl.harness.Reporter()


def lines_of(path):
    with open(path, 'rb') as f:
        return f.read().split(b'\n')


def footer_ok(path, reason):
    """First line the header, last line the footer with this reason, and
    the footer's ts / events agreeing with the number of lines (footer
    "events" = events between header and footer, so ts == events + 1)."""
    first = last = None
    n = 0
    with open(path, 'rb') as f:
        for line in f:
            if first is None:
                first = line
            last = line
            n += 1
    check(n >= 2, '%s has %d lines' % (path, n))
    check(json.loads(first).get('cat') == 'header',
          'first line is not the header')
    check(last.endswith(b'\n'), 'last line not terminated')
    last = json.loads(last)
    check(last.get('cat') == 'footer' and last.get('name') == 'traceClose',
          'last line is not a footer: %s' % json.dumps(last)[:200])
    check(last['args'].get('reason') == reason,
          'footer reason %r, want %r' % (last['args'].get('reason'), reason))
    check(last['ts'] == n - 1, 'footer ts %d, want %d' % (last['ts'], n - 1))
    check(last['args'].get('events') == n - 2,
          'footer says %r events, want %d (lines between header and footer)'
          % (last['args'].get('events'), n - 2))


def first_client(path):
    """The tid of the first client event of a trace."""
    with open(path, 'rb') as f:
        for line in f:
            if not line.startswith(b'{"tid":0,'):
                return json.loads(line)['tid']
    raise TestFailure('no client event in %s' % path)


def round_trip(path, tmp, tag):
    p = tl.tool(['check', path])
    tl.require_ok(p, 'check ' + tag)
    out = os.path.join(tmp, tag + '.replay.jsonl')
    p = tl.tool_out(['replay', path], out)
    tl.require_ok(p, 'replay ' + tag)
    p = tl.tool(['diff', path, out])
    check(p.returncode == 0, 'replay of %s differs (exit %d): %s'
          % (tag, p.returncode, tl.tail(p)))


def live(tmp):
    trace = os.path.join(tmp, 'live.jsonl')
    recorded = False
    with rep.case('live/record'):
        tl.record_session(trace, benchmark=True)
        size = os.path.getsize(trace)
        check(size > 0, 'empty trace')
        print('    live trace: %d bytes, %d lines'
              % (size, lines_of(trace).__len__() - 1))
        recorded = True
    if not recorded:
        return None
    with rep.case('live/footer'):
        footer_ok(trace, 'shutdown')
    with rep.case('live/check'):
        p = tl.tool(['check', trace])
        tl.require_ok(p, 'check')
    with rep.case('live/replay'):
        out = os.path.join(tmp, 'live.replay.jsonl')
        p = tl.tool_out(['replay', trace], out)
        tl.require_ok(p, 'replay')
        p = tl.tool(['diff', trace, out])
        check(p.returncode == 0, 'replay differs (exit %d): %s'
              % (p.returncode, tl.tail(p)))
    with rep.case('live/summary'):
        p = tl.tool(['summary', trace])
        tl.require_ok(p, 'summary')
        check(p.stdout.strip(), 'summary printed nothing')
        cid = first_client(trace)
        p = tl.tool(['filter', trace, '--client', str(cid)])
        tl.require_ok(p, 'filter --client %d' % cid)
        got = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
        check(got and all(e['tid'] in (cid, 0) for e in got)
              and any(e['tid'] == cid for e in got),
              'filter --client %d printed other clients or nothing' % cid)
    return trace


def large_blocks(tmp):
    trace = os.path.join(tmp, 'large.jsonl')
    with rep.case('live/replay-large-blocks'):
        tl.record_session(trace, slow=(200000, 8))
        out = os.path.join(tmp, 'large.replay.jsonl')
        p = tl.tool_out(['replay', trace], out)
        tl.require_ok(p, 'replay')
        p = tl.tool(['diff', trace, out])
        check(p.returncode == 0, 'replay differs (exit %d): %s'
              % (p.returncode, tl.tail(p)))


def bad_path():
    with rep.case('startup/bad-path'):
        port = tl.harness.free_port()
        p = subprocess.run([tl.SERVER, '--port', str(port), '--bind',
                            '127.0.0.1', '--trace', '/nonexistent/dir/x'],
                           capture_output=True, timeout=10,
                           stdin=subprocess.DEVNULL)
        msg = (p.stdout + p.stderr).decode(errors='replace')
        check(p.returncode == 1, 'exit status %d, want 1 (output: %s)'
              % (p.returncode, msg.strip()[-300:]))
        check('trace' in msg.lower() and 'No such file' in msg,
              'the message says neither trace file nor why: %r'
              % msg.strip()[-300:])
        print('    message: ' + msg.strip()[-200:])
        if '/nonexistent/dir/x' not in msg:
            print('    note: the message does not name the file')


def config_switch(tmp):
    a = os.path.join(tmp, 'a.jsonl')
    b = os.path.join(tmp, 'b.jsonl')
    with rep.case('config/switch'):
        srv = tl.start_traced(a)
        try:
            port = srv.port
            tl.cli(port, 'SET', 'k', 'in-a')
            out = tl.cli(port, 'CONFIG', 'SET', 'trace-file', b)
            check(out.strip() == b'OK', 'CONFIG SET trace-file B: %r' % out)
            tl.cli(port, 'SET', 'k', 'in-b')
            out = tl.cli(port, 'CONFIG', 'GET', 'trace-file')
            check(out.split(b'\n')[:2] == [b'trace-file', b.encode()],
                  'CONFIG GET trace-file: %r' % out)
            out = tl.cli(port, 'CONFIG', 'SET', 'trace-file', '')
            check(out.strip() == b'OK', 'CONFIG SET trace-file "": %r' % out)
            size_b = os.path.getsize(b)
            tl.cli(port, 'SET', 'k', 'untraced')
            out = tl.cli(port, 'CONFIG', 'GET', 'trace-file')
            check(out.split(b'\n')[:2] == [b'trace-file', b''],
                  'CONFIG GET trace-file after "": %r' % out)
        finally:
            srv.stop()
        check(os.path.getsize(b) == size_b, 'B grew after tracing stopped')
        footer_ok(a, 'config')
        footer_ok(b, 'config')
        check(b'in-a' in open(a, 'rb').read(), 'A lacks the first SET')
        check(b'in-b' in open(b, 'rb').read(), 'B lacks the second SET')
        check(b'untraced' not in open(b, 'rb').read(), 'B has a SET '
              'sent after tracing stopped')
        round_trip(a, tmp, 'a')
        tl.require_ok(tl.tool(['check', b]), 'check B')
        # B starts in the middle of a session: the client that sent CONFIG
        # SET has no "accepted" event in it. Replaying it must either work
        # or refuse with a message, never crash.
        out = os.path.join(tmp, 'b.replay.jsonl')
        p = tl.tool_out(['replay', b], out)
        check(0 <= p.returncode < 128, 'replay of B crashed (exit %d)'
              % p.returncode)
        if p.returncode != 0:
            check(p.stderr.strip(), 'replay of B failed without a message')
            print('    note: replay of a trace started by CONFIG SET: %s'
                  % tl.tail(p, 2))


def cut(trace, tmp):
    """Cut the recording in the middle of a line about half way in."""
    with open(trace, 'rb') as f:
        data = f.read()
    mid = data.index(b'\n', len(data) // 2) + 1    # start of a line
    nxt = data.index(b'\n', mid)
    cutpos = mid + (nxt - mid) // 2                 # inside that line
    cut_path = os.path.join(tmp, 'cut.jsonl')
    whole_path = os.path.join(tmp, 'whole.jsonl')
    with open(cut_path, 'wb') as f:
        f.write(data[:cutpos])
    with open(whole_path, 'wb') as f:
        f.write(data[:mid])
    nlines = data[:mid].count(b'\n')
    del data

    def warned(p):
        err = p.stderr.decode(errors='replace').lower()
        check('warn' in err, 'no warning on stderr: %r'
              % p.stderr[-300:].decode(errors='replace'))
        check(str(nlines + 1) in err or 'cut' in err or 'incomplete' in err
              or 'truncat' in err or 'partial' in err,
              'the warning says neither where nor why: %r' % err[-300:])

    with rep.case('cut/check'):
        # The cut trace reads exactly like its whole lines, plus a warning.
        whole = tl.tool(['check', whole_path])
        tl.require_ok(whole, 'check on the whole lines before the cut')
        p = tl.tool(['check', cut_path])
        check(p.returncode == 0, 'check exited %d on the cut trace: %s'
              % (p.returncode, tl.tail(p)))
        check(p.stdout == whole.stdout, 'check printed %r on the cut trace, '
              '%r on its whole lines' % (p.stdout[-100:], whole.stdout[-100:]))
        warned(p)
    with rep.case('cut/summary'):
        p = tl.tool(['summary', cut_path])
        check(p.returncode == 0 and p.stdout.strip(),
              'summary exited %d: %s' % (p.returncode, tl.tail(p)))
        warned(p)
    with rep.case('cut/filter'):
        want = [l for l in open(whole_path, 'rb').read().splitlines()
                if l.startswith(b'{"tid":3,')]
        p = tl.tool(['filter', cut_path, '--client', '3'])
        check(p.returncode == 0, 'filter exited %d: %s'
              % (p.returncode, tl.tail(p)))
        warned(p)
        got = [l for l in p.stdout.splitlines() if l.startswith(b'{"tid":3,')]
        check(got == want, 'filter --client 3 gave %d lines of client 3, '
              'the whole lines hold %d' % (len(got), len(want)))
    with rep.case('cut/diff'):
        p = tl.tool(['diff', cut_path, whole_path])
        check(p.returncode == 0, 'diff of a cut trace against its whole '
              'lines exited %d: %s' % (p.returncode, tl.tail(p)))
        warned(p)


def main():
    if not tl.require_tool(rep, 'live'):
        return 1
    for path, name in ((tl.CLI, 'live/redis-cli'),
                       (tl.BENCH, 'live/redis-benchmark')):
        if not tl.harness.require_tool(path, rep, name):
            return 1
    tmp = tempfile.mkdtemp(prefix='minired-live-')
    try:
        trace = live(tmp)
        large_blocks(tmp)
        bad_path()
        config_switch(tmp)
        # The trace to cut: a live session with no argument over 32 KB
        # (so check has nothing else to say about it), no benchmark.
        small = os.path.join(tmp, 'small.jsonl')
        try:
            tl.record_session(small, slow=(20000, 64))
        except Exception as e:  # noqa: BLE001 - reported as a FAIL line
            rep.emit('FAIL', 'cut/record', str(e))
        else:
            cut(small, tmp)
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
