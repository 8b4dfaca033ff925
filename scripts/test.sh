#!/usr/bin/env bash
# test.sh - everything `make test` and `./run test` do, in one place:
# install what is missing, build, run every suite, end on the verdict.
#
#   1. scripts/install-deps.sh: the Debian packages (a no-op when present);
#   2. make -k test-bins: the server, the tools, the unit-test binaries
#      (-k, so one file that does not compile does not hide every other
#      result);
#   3. make -k sanitize-bins: the same again with ASan+UBSan;
#   4. tests/run-all.sh, told how both builds went (a failed build is
#      counted as a failed test, not a reason to stop).
#
# The last line printed is run-all.sh's verdict, `N passed, N failed`, and
# the exit status is 0 only if nothing failed. Called through `./run test`
# that line is the last thing on the screen; called through `make test`,
# GNU make adds its own "make: *** [Makefile:...: test] Error 1" line after
# it when something failed (make always reports a failed recipe; there is
# no switch to silence it).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

bash scripts/install-deps.sh || exit $?
build_rc=0
make --no-print-directory -k test-bins || build_rc=$?
san_rc=0
make --no-print-directory -k sanitize-bins || san_rc=$?
MINIRED_BUILD_STATUS=$build_rc MINIRED_SANITIZE_BUILD_STATUS=$san_rc \
    exec bash tests/run-all.sh
