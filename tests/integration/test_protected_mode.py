#!/usr/bin/python3
"""test_protected_mode.py - protected mode seen from a non-loopback address.

Protected mode (on by default) refuses clients that do not come from the
loopback interface when the server has no --bind and no password. Testing
it needs a second address, so this test builds a small private network of
its own that never leaves the machine:

    namespace mr-srv-PID                      namespace mr-cli-PID
    +-------------------------------+         +----------------------+
    | lo 127.0.0.1                  |         |                      |
    | server (no --bind)            |  veth   |  test client         |
    |   listens on 0.0.0.0:PORT     |=========|  10.213.X.2/30       |
    | 10.213.X.1/30                 |         |                      |
    +-------------------------------+         +----------------------+

The server runs inside its own namespace, so even without --bind it is
reachable from nowhere but these two namespaces. The client connects to
10.213.X.1 from 10.213.X.2 and must receive exactly the -DENIED text (Redis
5.0's wording; 7.0's is tabled in harness.VARIANTS), followed by the server
closing the connection. A client on 127.0.0.1 inside the server's namespace
is still served normally. Both namespaces (and with them the veth pair) are
deleted whatever happens.

Needs root and `ip` (iproute2); otherwise prints
`SKIP protected-mode-netns: <reason>`.
"""
import os
import shutil
import subprocess
import sys

import harness
from harness import Reporter, Server, TestFailure, check_eq, expected

IP = shutil.which('ip') or '/usr/sbin/ip'
PORT = 16390  # a fresh namespace has every port free
PY = '/usr/bin/python3'
HARNESS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       'harness.py')


def sh(*args, check=True):
    p = subprocess.run([IP] + list(args), capture_output=True, text=True,
                       timeout=20)
    if check and p.returncode != 0:
        raise RuntimeError('ip %s: %s' % (' '.join(args), p.stderr.strip()))
    return p


def in_ns(ns, *cmd, timeout=20):
    return subprocess.run([IP, 'netns', 'exec', ns] + list(cmd),
                          capture_output=True, text=True, timeout=timeout)


def main():
    rep = Reporter()
    name = 'protected-mode-netns'
    if os.geteuid() != 0:
        rep.emit('SKIP', name, 'not root: cannot create network namespaces')
        return 0
    if not os.path.exists(IP):
        rep.emit('SKIP', name, 'no ip tool (iproute2)')
        return 0

    pid = os.getpid()
    ns_srv, ns_cli = 'mr-srv-%d' % pid, 'mr-cli-%d' % pid
    veth_srv, veth_cli = 'mrs%d' % pid, 'mrc%d' % pid
    x = pid % 250 + 1
    addr_srv, addr_cli = '10.213.%d.1' % x, '10.213.%d.2' % x

    def cleanup():
        for ns in (ns_srv, ns_cli):
            sh('netns', 'del', ns, check=False)

    srv = None
    try:
        try:
            cleanup()
            sh('netns', 'add', ns_srv)
            sh('netns', 'add', ns_cli)
            sh('link', 'add', veth_srv, 'type', 'veth', 'peer', 'name',
               veth_cli)
            sh('link', 'set', veth_srv, 'netns', ns_srv)
            sh('link', 'set', veth_cli, 'netns', ns_cli)
            for ns, dev, addr in ((ns_srv, veth_srv, addr_srv),
                                  (ns_cli, veth_cli, addr_cli)):
                sh('-n', ns, 'addr', 'add', addr + '/30', 'dev', dev)
                sh('-n', ns, 'link', 'set', dev, 'up')
                sh('-n', ns, 'link', 'set', 'lo', 'up')
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            # Deleting a namespace we never made also lands here harmlessly.
            rep.emit('SKIP', name, 'cannot build the test network: %s' % e)
            return 0

        def ready(port):
            return in_ns(ns_srv, PY, HARNESS, 'probe', '127.0.0.1',
                         str(port)).returncode == 0

        srv = harness.start_or_fail(
            rep, name,
            Server(['--protected-mode', 'yes'], bind=False,
                   prefix=[IP, 'netns', 'exec', ns_srv], ready=ready,
                   port=PORT))
        if srv is None:
            return 1

        with rep.case('protected-mode-denied-remote', srv):
            p = in_ns(ns_cli, PY, HARNESS, 'listen-bytes', addr_srv,
                      str(PORT))
            out = p.stdout.strip()
            if not out.startswith(('CLOSED ', 'OPEN ')):
                raise TestFailure('client helper failed: %s %s'
                                  % (out, p.stderr.strip()[-300:]))
            state, _, rest = out.partition(' ')
            got = bytes.fromhex(rest.split(' ')[0]) if rest else b''
            check_eq(got, expected('denied'), 'bytes sent to %s' % addr_cli)
            if state != 'CLOSED':
                raise TestFailure('server did not close the connection '
                                  'after -DENIED')

        with rep.case('protected-mode-loopback-allowed', srv):
            p = in_ns(ns_srv, PY, HARNESS, 'probe', '127.0.0.1', str(PORT))
            if p.returncode != 0:
                raise TestFailure('PING over 127.0.0.1 in the server '
                                  'namespace was not answered')
    finally:
        if srv is not None:
            srv.stop()
        cleanup()
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
