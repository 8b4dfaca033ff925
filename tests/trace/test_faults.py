#!/usr/bin/python3
"""test_faults.py - the trace under faults: a file that stops taking bytes,
and a server killed in the middle of a session.

    write-error/startup   --trace /dev/full: the open succeeds, the first
                          flush (end of the first event loop turn) fails
                          with ENOSPC. The log says, once,
                          "Error writing the trace file /dev/full: No space
                          left on device. Tracing stopped."; PING, SET, GET
                          still answer with the exact bytes; CONFIG GET
                          trace-file answers "" (tracing is off, as after
                          CONFIG SET trace-file "")
    write-error/config    the same through CONFIG SET trace-file /dev/full
                          on a running, untraced server; then CONFIG SET
                          trace-file FILE starts a good trace again (header,
                          footer "config", check OK)
    crash/record          a traced server driven by redis-cli, redis-cli
                          --pipe (500 SETs) and a raw client, then killed
                          with SIGKILL once every reply came back
    crash/no-footer       its trace ends with a whole line that is not a
                          footer (the loop flushed it, nobody closed it)
    crash/check, crash/summary, crash/filter
                          the tools load it without complaint (check: OK;
                          filter --client: exactly that client's lines)
    crash/replay          replay of it is identical (diff) to it: nothing
                          was cut, the trace just has no footer
    crash/cut-*           copies cut in the middle of a line, the way a
                          crash during a flush leaves them: check, summary
                          and filter read the whole lines before the cut
                          (same verdict as on those lines alone) and warn
    crash/replay-cut-parse
                          cut just after a "read": replay reproduces every
                          whole line, then the pipeline finishes that read
                          (parse, call, reply appended) past the end of the
                          input; exit 0, the output passes check
    crash/replay-cut-write
                          cut inside a "write": the whole lines are
                          reproduced, then the write has no recorded result:
                          replay stops with "replay diverged at ts N ...
                          the trace has (end)" and exits 1
    crash/mid-flight      SIGKILL while redis-benchmark is running: the
                          file (cut wherever the kill fell) loads in check,
                          summary and filter, with a warning if its last
                          line is cut
The replay behaviour on a cut trace is the one docs/trace-format.md
documents ("A trace cut short").
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import tracelib as tl
from tracelib import TestFailure, check

rep = tl.harness.Reporter()
resp = tl.harness.resp
WARNING = (b'Error writing the trace file /dev/full: No space left on '
           b'device. Tracing stopped.')
EMPTY_TRACE_FILE = b'*2\r\n$10\r\ntrace-file\r\n$0\r\n\r\n'


def log_bytes(srv):
    with open(srv.log_path, 'rb') as f:
        return f.read()


def wait_warning(srv, count=1, timeout=5.0):
    """Wait until the server log holds the write-error warning `count`
    times; fail if it never does or holds it more often."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        n = log_bytes(srv).count(WARNING)
        if n >= count:
            break
        time.sleep(0.05)
    n = log_bytes(srv).count(WARNING)
    check(n == count, 'the log holds the warning %d times, want %d; log '
          'tail: %s' % (n, count, srv.log_tail(5)))


def still_serves(conn, tag):
    """The pipeline answers with the exact bytes after the failure."""
    conn.expect(('PING',), b'+PONG\r\n')
    conn.expect(('SET', 'after-' + tag, 'still here'), b'+OK\r\n')
    conn.expect(('GET', 'after-' + tag), tl.harness.bulk('still here'))
    conn.expect(('CONFIG', 'GET', 'trace-file'), EMPTY_TRACE_FILE,
                'CONFIG GET trace-file after the write error')


def write_error_startup():
    with rep.case('write-error/startup') as case:
        srv = tl.harness.Server(['--trace', '/dev/full'])
        case.server = srv
        srv.start()   # its PING check already ran one loop turn
        try:
            wait_warning(srv)
            with srv.connect() as conn:
                still_serves(conn, 'startup')
                # More traffic, more loop turns: still no second warning.
                for j in range(20):
                    conn.expect(('INCR', 'n'), b':%d\r\n' % (j + 1))
            wait_warning(srv, 1, timeout=0.2)
            check(srv.alive(), 'the server exited')
            print('    log: ' + [l for l in srv.log_tail(20).splitlines()
                                 if 'trace' in l][0])
        finally:
            srv.stop()


def write_error_config(tmp):
    good = os.path.join(tmp, 'after-error.jsonl')
    with rep.case('write-error/config') as case:
        srv = tl.harness.Server()
        case.server = srv
        srv.start()
        try:
            with srv.connect() as conn:
                conn.expect(('CONFIG', 'SET', 'trace-file', '/dev/full'),
                            b'+OK\r\n', 'CONFIG SET trace-file /dev/full')
                # That command's own events fill the buffer; the flush at
                # the end of its loop turn fails.
                wait_warning(srv)
                still_serves(conn, 'config')
                # Tracing can be started again, into a good file.
                conn.expect(('CONFIG', 'SET', 'trace-file', good), b'+OK\r\n',
                            'CONFIG SET trace-file after the error')
                conn.expect(('SET', 'traced', 'again'), b'+OK\r\n')
                conn.expect(('CONFIG', 'GET', 'trace-file'),
                            b'*2\r\n$10\r\ntrace-file\r\n'
                            + tl.harness.bulk(good))
                conn.expect(('CONFIG', 'SET', 'trace-file', ''), b'+OK\r\n')
            wait_warning(srv, 1, timeout=0.2)
        finally:
            srv.stop()
        evs = tl.events(good)
        check(evs and evs[0]['cat'] == 'header', 'no header in the new trace')
        check(evs[-1]['cat'] == 'footer'
              and evs[-1]['args']['reason'] == 'config',
              'the new trace does not end with a "config" footer')
        check(any(e['cat'] == 'arg' and e['args']['c']['argv'][-1][0]
                  == 'again' for e in evs), 'the new trace lacks the SET')
        tl.require_ok(tl.tool(['check', good]), 'check of the new trace')


# ---------------------------------------------------------------------------
# Killed with SIGKILL
# ---------------------------------------------------------------------------

def kill9(srv):
    """SIGKILL the server, as a crash would end it."""
    srv.proc.kill()
    srv.proc.wait(timeout=10)
    srv.stop()   # forgets it and removes the log


def record_crash(path):
    """A traced session, every reply received, then SIGKILL."""
    srv = tl.start_traced(path)
    try:
        port = srv.port
        tl.cli(port, 'SET', 'greeting', 'hello, world')
        tl.cli(port, 'MGET', 'greeting', 'nosuchkey')
        tl.pipe_sets(port, 500)
        with srv.connect() as conn:
            conn.expect(('PING',), b'+PONG\r\n')
            conn.expect(('GET', 'pipe:7'), b'$1\r\n7\r\n')
            # A request in two reads: "$5\r\nhel" then "lo\r\n".
            conn.send(b'*2\r\n$4\r\nECHO\r\n$5\r\nhel')
            time.sleep(0.1)
            conn.expect(b'lo\r\n', b'$5\r\nhello\r\n')
        time.sleep(0.2)   # one more loop turn: the last lines are flushed
    except BaseException:
        srv.stop()
        raise
    kill9(srv)


def whole_lines(path):
    """(bytes of the whole lines, number of whole lines) of a file."""
    with open(path, 'rb') as f:
        data = f.read()
    end = data.rfind(b'\n') + 1
    return data[:end], data[:end].count(b'\n')


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def cut_after(data, pred):
    """data cut in the middle of the line that follows the first line
    (after the header) for which pred(parsed line) holds. Returns (cut
    bytes, whole-line bytes before the cut)."""
    lines = data.split(b'\n')
    for i in range(1, len(lines) - 2):
        if pred(json.loads(lines[i])):
            whole = b'\n'.join(lines[:i + 1]) + b'\n'
            nxt = lines[i + 1]
            return whole + nxt[:len(nxt) // 2], whole
    raise TestFailure('no line fits the cut')


def warned(p):
    err = p.stderr.decode(errors='replace').lower()
    # check, summary, filter: "FILE: warning: line N is incomplete (trace
    # cut short?), ignored"; replay (the engine): "FILE:N: cut last line
    # ignored".
    check(('warning' in err or 'ignored' in err)
          and ('incomplete' in err or 'cut' in err),
          'no cut-line warning on stderr: %r' % err[-300:])


def tools_load(cut_path, whole_path, tag, expect_warning=True):
    """check, summary and filter read cut_path as its whole lines."""
    with rep.case(tag + '/check'):
        want = tl.tool(['check', whole_path])
        tl.require_ok(want, 'check of the whole lines')
        p = tl.tool(['check', cut_path])
        check(p.returncode == 0, 'check exited %d: %s'
              % (p.returncode, tl.tail(p)))
        check(p.stdout == want.stdout, 'check said %r, on the whole lines %r'
              % (p.stdout.strip(), want.stdout.strip()))
        if expect_warning:
            warned(p)
    with rep.case(tag + '/summary'):
        p = tl.tool(['summary', cut_path])
        check(p.returncode == 0 and b'events' in p.stdout,
              'summary exited %d: %s' % (p.returncode, tl.tail(p)))
        if expect_warning:
            warned(p)
    with rep.case(tag + '/filter'):
        with open(whole_path, 'rb') as f:
            data = f.read()
        tids = sorted({json.loads(l)['tid'] for l in data.splitlines()} - {0})
        check(tids, 'no client event in the trace')
        tid = tids[len(tids) // 2]
        prefix = b'{"tid":%d,' % tid
        want = [l for l in data.splitlines() if l.startswith(prefix)]
        p = tl.tool(['filter', cut_path, '--client', str(tid)])
        check(p.returncode == 0, 'filter exited %d: %s'
              % (p.returncode, tl.tail(p)))
        got = [l for l in p.stdout.splitlines() if l.startswith(prefix)]
        check(got == want, 'filter --client %d: %d lines, the whole lines '
              'hold %d' % (tid, len(got), len(want)))
        if expect_warning:
            warned(p)


def replay_prefix(cut_path, whole, tmp, tag):
    """Replay a cut trace; check that its output starts with exactly the
    whole lines of the input (wall_* aside). Returns (process, output
    lines, number of whole lines)."""
    out = os.path.join(tmp, tag + '.replay.jsonl')
    p = tl.tool_out(['replay', cut_path], out)
    check(0 <= p.returncode < 128, 'replay crashed (exit %d)' % p.returncode)
    warned(p)
    with open(out, 'rb') as f:
        got = tl.strip_wall(f.read()).split(b'\n')
    want = tl.strip_wall(whole).split(b'\n')[:-1]
    n = len(want)
    check(got[:n] == want, 'the replay does not start with the %d whole '
          'lines of the input (first difference at line %d)'
          % (n, next((i + 1 for i in range(n)
                      if i >= len(got) or got[i] != want[i]), 0)))
    return p, out, n


def crash(tmp):
    trace = os.path.join(tmp, 'crash.jsonl')
    with rep.case('crash/record'):
        record_crash(trace)
    if not os.path.exists(trace):
        return
    with rep.case('crash/no-footer'):
        data, n = whole_lines(trace)
        check(data == open(trace, 'rb').read(), 'the trace of an idle '
              'server killed with SIGKILL ends with a cut line')
        last = json.loads(data.split(b'\n')[-2])
        check(last['cat'] != 'footer', 'a killed server wrote a footer?')
        check(json.loads(data.split(b'\n')[0])['cat'] == 'header',
              'line 1 is not the header')
        print('    killed trace: %d lines, last %s/%s'
              % (n, last['name'], last['cat']))
    tools_load(trace, trace, 'crash', expect_warning=False)
    with rep.case('crash/replay'):
        out = os.path.join(tmp, 'crash.replay.jsonl')
        p = tl.tool_out(['replay', trace], out)
        tl.require_ok(p, 'replay')
        p = tl.tool(['diff', trace, out])
        check(p.returncode == 0, 'replay differs (exit %d): %s'
              % (p.returncode, tl.tail(p)))

    with open(trace, 'rb') as f:
        data = f.read()
    # Cut in the line after the last "read" of the ECHO split in two reads:
    # the pipeline still has to parse, run and answer it.
    reads = [json.loads(l) for l in data.splitlines()
             if b'"cat":"read"' in l]
    check(reads, 'no read event')
    last_read_ts = reads[-1]['ts']
    cut_parse, whole_parse = cut_after(
        data, lambda e: e['ts'] == last_read_ts)
    cp = os.path.join(tmp, 'cut-parse.jsonl')
    wp = os.path.join(tmp, 'cut-parse.whole.jsonl')
    write(cp, cut_parse)
    write(wp, whole_parse)
    tools_load(cp, wp, 'crash/cut-parse')
    with rep.case('crash/replay-cut-parse'):
        p, out, n = replay_prefix(cp, whole_parse, tmp, 'cut-parse')
        check(p.returncode == 0, 'replay exited %d: %s'
              % (p.returncode, tl.tail(p)))
        evs = tl.events(out)
        check(len(evs) > n, 'the replay stopped at the cut (%d lines): the '
              'read should have been parsed and run' % len(evs))
        check(any(e['cat'] == 'done' for e in evs[n:]),
              'no command ran past the cut')
        tl.require_ok(tl.tool(['check', out]), 'check of the replay')

    # Cut inside the last "write": its result is lost with the crash.
    writes = [json.loads(l)['ts'] for l in data.splitlines()
              if b'"cat":"write"' in l]
    check(writes, 'no write event')
    cut_write, whole_write = cut_after(data, lambda e: e['ts'] ==
                                       writes[-1] - 1)
    cw = os.path.join(tmp, 'cut-write.jsonl')
    write(cw, cut_write)
    with rep.case('crash/replay-cut-write'):
        p, out, n = replay_prefix(cw, whole_write, tmp, 'cut-write')
        err = p.stderr.decode(errors='replace')
        check(p.returncode == 1, 'replay exited %d, want 1: %s'
              % (p.returncode, tl.tail(p)))
        check('replay diverged at ts %d' % n in err and '(end)' in err,
              'no "replay diverged at ts %d ... (end)" message: %r'
              % (n, err[-300:]))


def mid_flight(tmp):
    trace = os.path.join(tmp, 'mid-flight.jsonl')
    with rep.case('crash/mid-flight-record'):
        srv = tl.start_traced(trace)
        try:
            bench = subprocess.Popen(
                [tl.BENCH, '-p', str(srv.port), '-n', '1000000', '-c', '4',
                 '-t', 'set,get', '-q'], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            try:
                time.sleep(0.4)   # a few tens of MB of trace
                kill9(srv)
            finally:
                bench.kill()
                bench.wait(timeout=10)
        except BaseException:
            srv.stop()
            raise
    if not os.path.exists(trace):
        return
    data, n = whole_lines(trace)
    is_cut = os.path.getsize(trace) != len(data)
    print('    killed mid-flight: %d whole lines, %s'
          % (n, 'last line cut' if is_cut else 'ends with a whole line'))
    whole = os.path.join(tmp, 'mid-flight.whole.jsonl')
    write(whole, data)
    del data
    tools_load(trace, whole, 'crash/mid-flight', expect_warning=is_cut)


def main():
    if not tl.require_tool(rep, 'faults'):
        return 1
    for path, name in ((tl.CLI, 'faults/redis-cli'),
                       (tl.BENCH, 'faults/redis-benchmark')):
        if not tl.harness.require_tool(path, rep, name):
            return 1
    if not os.path.exists('/dev/full'):
        rep.emit('SKIP', 'write-error', '/dev/full does not exist here')
    else:
        write_error_startup()
    tmp = tempfile.mkdtemp(prefix='minired-faults-')
    try:
        if os.path.exists('/dev/full'):
            write_error_config(tmp)
        crash(tmp)
        mid_flight(tmp)
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
