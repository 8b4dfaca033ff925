#!/usr/bin/python3
"""test_sigterm.py - SIGTERM while redis-benchmark is hammering the server.

The signal handler only sets shutdown_asap; serverCron notices it on its
next tick, prepareForShutdown() runs, and the process exits with status 0
after logging "Redis is now ready to exit, bye bye...". Checked twice:
  - plain: 50 benchmark clients running PING/SET/GET;
  - with --trace (2 clients for 0.3 s: a traced server writes about
    100 MB of trace per second under full load): the trace file then ends with its footer (cat "footer",
    reason "shutdown", events == ts - 1), even though clients were in the
    middle of requests.
The benchmark is stopped afterwards whatever happens.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

from limitslib import harness, log_text
from harness import Reporter, Server, check, TestFailure

BENCH = '/usr/bin/redis-benchmark'


def sigterm_under_load(rep, name, args, clients, load_s, trace_path=None):
    srv = harness.start_or_fail(rep, name, Server(args))
    if srv is None:
        return
    bench = None
    try:
        with rep.case(name + '-clean-exit', srv):
            bench = subprocess.Popen(
                [BENCH, '-h', '127.0.0.1', '-p', str(srv.port),
                 '-c', str(clients), '-n', '100000000', '-t', 'ping,set,get',
                 '-q', '--csv'],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(load_s)
            check(bench.poll() is None, 'redis-benchmark ended early')
            srv.proc.send_signal(signal.SIGTERM)
            try:
                rc = srv.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                raise TestFailure('server still running 10 s after SIGTERM')
            log = log_text(srv)
            check(rc == 0, 'exit status %d' % rc)
            check('bye bye' in log, 'no "bye bye" in the log')
        if trace_path is not None:
            with rep.case(name + '-trace-footer', srv):
                with open(trace_path, 'rb') as f:
                    f.seek(max(0, os.path.getsize(trace_path) - 65536))
                    tail = f.read().splitlines()
                check(tail, 'empty trace')
                last = json.loads(tail[-1])
                check(last.get('cat') == 'footer', 'last line: %s'
                      % tail[-1][:200])
                check(last['args']['reason'] == 'shutdown',
                      'reason %s' % last['args'].get('reason'))
                check(last['args']['events'] == last['ts'] - 1,
                      'events %s, ts %s' % (last['args']['events'], last['ts']))
                print('    trace: %d events, %d bytes'
                      % (last['args']['events'], os.path.getsize(trace_path)))
    finally:
        if bench is not None and bench.poll() is None:
            bench.terminate()
            try:
                bench.wait(timeout=5)
            except subprocess.TimeoutExpired:
                bench.kill()
                bench.wait()
        srv.stop()


def main():
    rep = Reporter()
    if not harness.require_tool(BENCH, rep, 'sigterm-redis-benchmark'):
        return 1
    sigterm_under_load(rep, 'sigterm-load', [], 50, 1.0)
    if not harness.is_real_redis():
        fd, trace_path = tempfile.mkstemp(prefix='minired-sigterm-',
                                          suffix='.jsonl')
        os.close(fd)
        try:
            sigterm_under_load(rep, 'sigterm-load-traced',
                               ['--trace', trace_path], 2, 0.3,
                               trace_path)
        finally:
            os.unlink(trace_path)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
