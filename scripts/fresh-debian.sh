#!/usr/bin/env bash
# fresh-debian.sh - prove the README's two commands on a truly fresh Debian 12.
#
# For maintainers; not part of `make test` (it needs root, the network to
# Debian's mirror, and some 10 minutes a run). What it does, RUNS times:
#
#   1. debootstrap --variant=minbase bookworm: the smallest Debian 12 root
#      (no make, no compiler, no python), in a new directory under WORK;
#   2. inside it (chroot, as root): apt-get install git, and nothing else;
#   3. git clone of this repository's committed HEAD (not the work tree:
#      uncommitted changes are not tested), or of commit REF, into
#      /root/minired;
#   4. `./run demo`, then `./run test`, each with no terminal (stdin from
#      /dev/null, no controlling tty: setsid), timed, logged to
#      WORK/run-N/demo.log and test.log;
#   5. prints, per run, each command's exit status, wall time, last line,
#      and how many packages the first command installed (dpkg's count of
#      installed packages before and after it).
#
# Exit status: 0 only if every command of every run exited 0 and every
# `./run test` ended on "N passed, 0 failed".
#
# Usage (as root):
#   scripts/fresh-debian.sh [RUNS]          default RUNS=1
#   WORK=/var/tmp/x KEEP=1 scripts/fresh-debian.sh 3
#
# Environment:
#   WORK     where the roots and logs go (default /var/tmp/minired-fresh;
#            each root is ~1 GB once the packages are in; removed after its
#            run unless KEEP=1)
#   REF      a commit to check out after the clone (default: HEAD), so that
#            runs that take half an hour all test the same commit
#   MIRROR   the Debian mirror (default: the first deb.debian.org-style URI
#            of this machine's apt sources, else http://deb.debian.org/debian)
#
# Inside a chroot some things a full machine has are missing: there is no
# init system (the redis-server package starts its service through its
# init script, which scripts/install-deps.sh stops again), and creating
# network namespaces can fail; the tests that need `ip netns` say SKIP with
# the reason, as on any machine that refuses them. The chroot shares this
# machine's network: the tests' servers listen on loopback ports they pick.
set -euo pipefail

RUNS=${1:-1}
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/var/tmp/minired-fresh}
KEEP=${KEEP:-0}
REF=${REF:-$(git -C "$REPO" rev-parse HEAD)}
REF=$(git -C "$REPO" rev-parse --verify "$REF^{commit}") || {
    echo "fresh-debian: REF is not a commit of $REPO" >&2; exit 2; }

if [ "$(id -u)" -ne 0 ]; then
    echo "fresh-debian: must run as root (debootstrap, chroot, mount)" >&2
    exit 2
fi
if ! [[ $RUNS =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fresh-debian.sh [RUNS]" >&2
    exit 2
fi

if [ -z "${MIRROR:-}" ]; then
    MIRROR=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' \
                 /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
             awk '{print $2}' | head -n 1 || true)
    MIRROR=${MIRROR:-http://deb.debian.org/debian}
fi

if ! command -v debootstrap >/dev/null 2>&1; then
    echo "fresh-debian: installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
fi

mkdir -p "$WORK"
ROOTFS=
# Everything mounted inside the current root, undone in reverse order.
MOUNTS=()

# kill_inside: end every process whose root is the chroot (a server a test
# left behind would keep the mounts busy).
kill_inside() {
    local p link
    [ -n "$ROOTFS" ] || return 0
    for p in /proc/[0-9]*; do
        link=$(readlink "$p/root" 2>/dev/null) || continue
        [ "$link" = "$ROOTFS" ] && kill -KILL "${p#/proc/}" 2>/dev/null
    done
    return 0
}
unmount_all() {
    local i
    kill_inside
    for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
        umount -l "${MOUNTS[$i]}" 2>/dev/null || true
    done
    MOUNTS=()
}
cleanup() {
    unmount_all
    if [ -n "$ROOTFS" ] && [ "$KEEP" != 1 ]; then
        rm -rf --one-file-system "$ROOTFS"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mount_in() {  # mount_in TYPE-OR-BIND SOURCE TARGET
    mkdir -p "$3"
    if [ "$1" = bind ]; then
        mount --bind "$2" "$3"
    else
        mount -t "$1" "$2" "$3"
    fi
    MOUNTS+=("$3")
}

# in_root CMD...: run a shell command in the chroot, as a new root login
# would see it: a clean environment, no terminal.
in_root() {
    setsid chroot "$ROOTFS" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash -c "$1" </dev/null
}

pkg_count() {
    in_root "dpkg-query -W -f='\${Status}\n' | grep -c '^install ok installed'"
}

all_ok=1
declare -a REPORT=()
for run in $(seq 1 "$RUNS"); do
    RUNDIR=$WORK/run-$run
    rm -rf "$RUNDIR"
    mkdir -p "$RUNDIR"
    ROOTFS=$RUNDIR/root
    echo "=== run $run of $RUNS: $ROOTFS (mirror $MIRROR)"

    t0=$(date +%s)
    debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" \
        >"$RUNDIR/debootstrap.log" 2>&1 || {
        tail -n 20 "$RUNDIR/debootstrap.log"
        echo "fresh-debian: debootstrap failed (log: $RUNDIR/debootstrap.log)" >&2
        exit 1
    }
    echo "    debootstrap: $(( $(date +%s) - t0 )) s, $(pkg_count) packages"

    cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
    mount_in proc proc "$ROOTFS/proc"
    mount_in sysfs sysfs "$ROOTFS/sys"
    mount_in bind /dev "$ROOTFS/dev"
    mount_in devpts devpts "$ROOTFS/dev/pts"
    mount_in tmpfs tmpfs "$ROOTFS/dev/shm"
    mount_in tmpfs tmpfs "$ROOTFS/run"

    # "A minimal Debian 12 with only git added."
    in_root 'export DEBIAN_FRONTEND=noninteractive
             apt-get update -q && apt-get install -y -q git' \
        >"$RUNDIR/git.log" 2>&1 || {
        tail -n 20 "$RUNDIR/git.log"; echo "fresh-debian: installing git failed" >&2
        exit 1
    }
    before=$(pkg_count)
    echo "    with git: $before packages"

    # The committed HEAD, cloned the way a user would (from a path here).
    mount_in bind "$REPO" "$ROOTFS/mnt/minired-src"
    in_root 'git config --global --add safe.directory "*" &&
             git clone -q /mnt/minired-src /root/minired &&
             git -C /root/minired checkout -q '"$REF" \
        >"$RUNDIR/clone.log" 2>&1 || {
        cat "$RUNDIR/clone.log"; echo "fresh-debian: git clone failed" >&2
        exit 1
    }
    echo "    cloned $(in_root 'git -C /root/minired log -1 --format="%h %s"' | cut -c1-70)"

    for cmd in demo test; do
        t0=$(date +%s)
        rc=0
        in_root "cd /root/minired && ./run $cmd" >"$RUNDIR/$cmd.log" 2>&1 || rc=$?
        secs=$(( $(date +%s) - t0 ))
        last=$(tail -n 1 "$RUNDIR/$cmd.log")
        line="run $run: ./run $cmd -> exit $rc in $((secs / 60)) min $((secs % 60)) s; last line: $last"
        if [ "$cmd" = demo ]; then
            after=$(pkg_count)
            line="$line; installed $((after - before)) packages ($before -> $after)"
        fi
        echo "    $line"
        REPORT+=("$line")
        if [ "$rc" -ne 0 ]; then
            all_ok=0
            grep -E '^FAIL ' "$RUNDIR/$cmd.log" | head -n 20 | sed 's/^/      /'
        fi
        if [ "$cmd" = test ] && ! [[ $last =~ ^[0-9]+\ passed,\ 0\ failed ]]; then
            all_ok=0
        fi
    done
    grep -E '^SKIP ' "$RUNDIR/test.log" | sed 's/^/      /' || true
    unmount_all
    if [ "$KEEP" != 1 ]; then
        rm -rf --one-file-system "$ROOTFS"
    fi
    ROOTFS=
done

echo
echo "=== fresh-debian: $RUNS run(s), logs in $WORK/run-*/"
for line in "${REPORT[@]}"; do
    echo "  $line"
done
if [ "$all_ok" = 1 ]; then
    echo "fresh-debian: every command passed"
    exit 0
fi
echo "fresh-debian: something failed (see the logs above)"
exit 1
