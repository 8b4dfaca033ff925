#!/usr/bin/python3
"""test_redis_benchmark.py - the real redis-benchmark (7.0) against the
server: 2,000 requests from 10 clients for PING (inline and multibulk), SET,
GET, INCR and MSET, first one command per round trip, then 16 pipelined
(-P 16), then a --csv run parsed as CSV.

redis-benchmark fails loudly on a protocol error or an unexpected reply
type, so a complete run is itself a check of the reply path. With -q and no
terminal it still draws progress with "\\r"; the final figure for each test
is the last "\\r"-separated piece of its line:
    PING_INLINE: 153846.16 requests per second, p50=0.039 msec
"""
import csv
import io
import re
import sys

import harness
from harness import Reporter, Server, check, run

BENCH = '/usr/bin/redis-benchmark'
TESTS = 'ping,set,get,incr,mset'
# The test names redis-benchmark prints for -t ping,set,get,incr,mset.
NAMES = ['PING_INLINE', 'PING_MBULK', 'SET', 'GET', 'INCR', 'MSET (10 keys)']
# "inf" is what redis-benchmark prints when a whole test took under its 1 ms
# clock resolution (2,000 pipelined PINGs with -P 16 can): the requests all
# completed, so it counts as a result, and float('inf') > 0.
LINE = re.compile(r'^(.+?): ([0-9.]+|inf) requests per second')


def bench(srv, *extra):
    p = run([BENCH, '-p', str(srv.port), '-n', '2000', '-c', '10'] +
            list(extra), timeout=120)
    check(p.returncode == 0, 'redis-benchmark %s exited %d: %s'
          % (' '.join(extra), p.returncode, harness.short(p.stderr, 300)))
    check(p.stderr.strip() == b'', 'redis-benchmark %s wrote to stderr: %s'
          % (' '.join(extra), harness.short(p.stderr, 300)))
    return p.stdout.decode('utf-8', errors='replace')


def check_quiet(out, what):
    results = {}
    for line in re.split(r'[\r\n]', out):
        m = LINE.match(line.strip())
        if m:
            results[m.group(1)] = float(m.group(2))
    for name in NAMES:
        check(name in results, '%s: no "%s: N requests per second" line in '
              '%r' % (what, name, out[-400:]))
        check(results[name] > 0, '%s: %s at %s requests per second'
              % (what, name, results[name]))
    check(not re.search(r'error|ERR', out), '%s: error in output: %r'
          % (what, out[-400:]))


def main():
    rep = Reporter()
    if not harness.require_tool(BENCH, rep, 'redis-benchmark'):
        return 1
    srv = harness.start_or_fail(rep, 'redis-benchmark', Server())
    if srv is None:
        return 1
    try:
        with rep.case('redis-benchmark-q', srv):
            check_quiet(bench(srv, '-t', TESTS, '-q'), '-q')

        with rep.case('redis-benchmark-q-P16', srv):
            check_quiet(bench(srv, '-t', TESTS, '-q', '-P', '16'), '-P 16')

        with rep.case('redis-benchmark-csv', srv):
            out = bench(srv, '-t', 'set,get,incr', '--csv')
            rows = list(csv.reader(io.StringIO(out)))
            check(rows and rows[0][:2] == ['test', 'rps'],
                  'CSV header is %r' % (rows[0] if rows else None))
            got = {r[0]: r for r in rows[1:] if r}
            for name in ('SET', 'GET', 'INCR'):
                check(name in got, 'no CSV row for %s in %r' % (name, out))
                check(len(got[name]) == len(rows[0]),
                      'CSV row %r has %d fields, header %d'
                      % (got[name], len(got[name]), len(rows[0])))
                check(float(got[name][1]) > 0, 'rps %s' % got[name][1])

        with rep.case('redis-benchmark-server-still-up', srv):
            check(srv.alive(), 'server process exited')
            with srv.connect() as c:
                c.expect(('PING',), b'+PONG\r\n')
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
