#!/bin/sh
# Side-by-side suite: replay tests/corpus/*.session against minired and
# Debian's redis-server 7.0 and compare the replies byte for byte (after the
# explicit 7.0 -> 5.0 wording table in sidebyside.py).
#
# Usage:
#   tests/sidebyside/run.sh                  all sessions
#   tests/sidebyside/run.sh cmd-ping multi-basic    only these sessions
#   tests/sidebyside/run.sh --record         write tests/corpus/*.expected
#                                            from redis-server alone
#   tests/sidebyside/run.sh --list-normalisations
#
# Environment:
#   SIDEBYSIDE_MINIRED  server to test (default: bin/minired-server). A
#                       binary whose name starts with "redis-server" gets the
#                       redis-server options and the same normalisations, so
#                       SIDEBYSIDE_MINIRED=/usr/bin/redis-server must pass
#                       every session (checks the harness and the corpus).
#   SIDEBYSIDE_REDIS    reference server (default: /usr/bin/redis-server).
#
# Output: "PASS sidebyside/<name>" or "FAIL sidebyside/<name>: ..." per
# session and a summary line; exit status 1 if anything failed.
#
# Both servers are started and stopped (SIGTERM, then SIGKILL) by the Python
# player; this wrapper only forwards INT/TERM to it so they are cleaned up.

here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3

if [ ! -x "$py" ]; then
    echo "FAIL sidebyside: $py not found"
    exit 1
fi

"$py" "$here/sidebyside.py" "$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' INT TERM HUP
# wait returns early when a trapped signal arrives: wait again for the
# player to finish stopping the servers.
wait "$child"
status=$?
while kill -0 "$child" 2>/dev/null; do
    wait "$child"
    status=$?
done
exit $status
