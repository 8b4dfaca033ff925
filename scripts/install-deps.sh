#!/usr/bin/env bash
# install-deps.sh - make sure every Debian package minired's build and tests
# need is installed; install only the missing ones.
#
# Run by `make test` and `make demo` before anything else (with --fuzz by
# `make fuzz`, with --book by `make book`), and safe to run by hand at any
# time. When everything is already there it prints one line and
# exits 0 in well under a second (one dpkg-query call, no network).
#
# How it installs:
#   - as root (CI runs as root): apt-get directly;
#   - as another user: through sudo if sudo exists;
#   - otherwise: prints the exact apt-get command to run and exits 1.
# It never needs a terminal (DEBIAN_FRONTEND=noninteractive, -y).
#
# Installing redis-server on Debian enables and starts a system service on
# port 6379. minired's tests never use that server, and a project rule is
# "never leave a server running", so if this script's install started one it
# stops it again (and leaves alone a service that was already running before).
set -euo pipefail

PACKAGES=(
    gcc make pkg-config            # the compiler and build driver
    check libsubunit-dev           # Check unit-test framework (tests/unit)
    libhiredis-dev                 # C client used by tests/integration/hiredis_client.c
    redis-server redis-tools       # reference server, redis-cli, redis-benchmark
    python3 python3-redis          # /usr/bin/python3 + redis-py for the integration suite
    doxygen                        # `make docs`
    iproute2                       # `ip netns` for the protected-mode test
    tmux procps                    # workshop sessions; ps/pkill-free process checks
    valgrind                       # the valgrind suite: servers under memcheck
    jq                             # the trace suite runs docs/trace-format.md's jq one-liners
    libjansson-dev                 # JSON parsing in bin/minired-trace (trace-tool/)
    libncurses-dev                 # the screen of bin/minired-view (trace-viewer/)
    pandoc                         # `make book`: Markdown -> HTML (scripts/book.py render)
    graphviz                       # `make book`: the ```dot figures -> SVG at build time
)

# `install-deps.sh --fuzz` (run by `make fuzz` only): also the libFuzzer
# toolchain, so `make test` never needs clang.
if [ "${1:-}" = "--fuzz" ]; then
    PACKAGES+=(
        clang libclang-rt-14-dev   # clang -fsanitize=fuzzer,address,undefined (fuzz/)
    )
fi

# `install-deps.sh --book` (run by `make book`) is kept as a no-op alias:
# pandoc and graphviz are in the default list since `make test` renders the
# book (tests/book/test_render.py and the docs suite's `make book`).

# Ask dpkg which packages are not fully installed. dpkg-query prints
# "install ok installed" for a good package; anything else (or an unknown
# package, reported on stderr) means we must install it.
missing=()
status_lines=$(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)
for pkg in "${PACKAGES[@]}"; do
    if ! grep -qx "$pkg install ok installed" <<<"$status_lines"; then
        missing+=("$pkg")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#PACKAGES[@]} packages present"
    exit 0
fi

echo "install-deps: missing: ${missing[*]}"

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "install-deps: not root and no sudo; please run as root:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

# Remember whether the system's redis-server service was running before we
# touched anything, so we only stop the one our install started. The service
# is recognised by the pid file Debian's /etc/redis/redis.conf names; test
# servers started by hand (ours or anyone's) have no pid file and are never
# touched by this script.
SERVICE_PIDFILE=/run/redis/redis-server.pid
service_running() {
    [ -r "$SERVICE_PIDFILE" ] && kill -0 "$(cat "$SERVICE_PIDFILE")" 2>/dev/null
}
redis_was_running=no
if service_running; then
    redis_was_running=yes
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"

# The Debian package's postinst starts redis-server (via systemd, or via the
# init script where there is no systemd, e.g. in containers). Stop it.
if [ "$redis_was_running" = no ]; then
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        "${SUDO[@]}" systemctl stop redis-server >/dev/null 2>&1 || true
    fi
    if [ -x /etc/init.d/redis-server ]; then
        "${SUDO[@]}" /etc/init.d/redis-server stop >/dev/null 2>&1 || true
    fi
    # Last resort (no init system answered): the service's own pid file.
    if service_running; then
        pid=$(cat "$SERVICE_PIDFILE")
        echo "install-deps: stopping redis-server service pid $pid started by the install"
        "${SUDO[@]}" kill "$pid" 2>/dev/null || true
    fi
fi

echo "install-deps: installed ${missing[*]}"
