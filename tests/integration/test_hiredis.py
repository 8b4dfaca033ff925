#!/usr/bin/python3
"""test_hiredis.py - start a server and run build/tests/hiredis_client (the
hiredis 0.14 C client in hiredis_client.c) against it. The client prints the
PASS/FAIL lines itself; this script adds a FAIL if the client is missing,
crashes or prints nothing.
"""
import os
import sys

import harness
from harness import Reporter, Server, run

CLIENT = os.path.join(harness.REPO, 'build', 'tests', 'hiredis_client')


def main():
    rep = Reporter()
    if not os.path.isfile(CLIENT):
        rep.emit('FAIL', 'hiredis-client-built',
                 '%s missing (make test-bins builds it)' % CLIENT)
        return 1
    srv = harness.start_or_fail(rep, 'hiredis', Server())
    if srv is None:
        return 1
    try:
        p = run([CLIENT, '127.0.0.1', str(srv.port)], timeout=120)
        out = p.stdout.decode('utf-8', errors='replace')
        sys.stdout.write(out)
        sys.stdout.flush()
        lines = [l for l in out.splitlines() if l.startswith(('PASS ', 'FAIL '))]
        if p.returncode < 0:
            rep.emit('FAIL', 'hiredis-client-exit',
                     'killed by signal %d' % -p.returncode, srv)
        elif not lines:
            rep.emit('FAIL', 'hiredis-client-exit', 'no result lines (exit '
                     '%d): %s' % (p.returncode, harness.short(p.stderr)), srv)
        elif p.returncode != 0 and not any(l.startswith('FAIL') for l in lines):
            rep.emit('FAIL', 'hiredis-client-exit', 'exit %d without a FAIL '
                     'line' % p.returncode, srv)
        elif p.returncode != 0:
            srv.print_log_tail()
            rep.failed += 1
    finally:
        srv.stop()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
