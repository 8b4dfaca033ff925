#!/usr/bin/python3
"""test_labs.py - the graders of exercises/ are tested (exercises/README.md).

For every lab exercises/NN-name/ (or only LABS="1 2"):
  labs/NN/reference       `scripts/lab grade N` on this tree scores full marks
  labs/NN/bad/NAME        bad/NAME.patch applied to a scratch copy (build/ and
                          bin/ copied, so only the patched file recompiles):
                          the grader, run with only the tests named on the
                          first line of bad/NAME.expect, exits 1 and prints
                          exactly the PASS/FAIL lines and total of the rest
                          of NAME.expect (a golden: REGEN=1 rewrites it)
  labs/NN/good/NAME       good/NAME.patch scores full marks
  labs/NN/handout         `scripts/lab handout N` builds, its grader exits 1
                          below full marks, no line of the removed solution
                          is anywhere in it, a second handout is identical
  labs/grade-batch        scripts/grade-batch on two lab 1 handouts, one with
                          the reference restored: a CSV with partial / full
  labs/lab-start-reset    make lab-start LAB=01 in a clone: branch lab-1, the
                          stub committed; make lab-reset goes back
The scratch copy of each lab is reused: every patch is reverted after use;
the reference is graded there too (unpatched), so two labs never share a
build/grade/ directory. With no LABS= the labs are split between two worker
processes (LABS_JOBS=N to change; the suite's time is the slower half) and
their lines printed lab by lab.
"""
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(REPO, 'tests', 'integration'))
sys.path.insert(0, os.path.join(REPO, 'exercises', 'lib'))
import harness  # noqa: E402
from harness import check  # noqa: E402
import labs  # noqa: E402

rep = harness.Reporter()
PY = '/usr/bin/python3'
REGEN = os.environ.get('REGEN') == '1'


def grade(root, n, *extra):
    p = subprocess.run([PY, os.path.join(root, 'scripts', 'lab'), 'grade', str(n)]
                       + list(extra), cwd=root, capture_output=True, text=True,
                       timeout=harness.guard(600))
    return p.returncode, p.stdout + p.stderr


def verdict_lines(out):
    """The golden part of a grade's output: PASS/FAIL lines and the total."""
    return [ln for ln in out.split('\n')
            if re.match(r'^(PASS|FAIL|total) ', ln)]


def scratch_copy(dest):
    labs.scratch_copy(REPO, dest, ())


def patch(root, path, reverse=False):
    p = subprocess.run(['patch', '-p1', '-s', '-d', root] + (['-R'] if reverse else [])
                       + ['-i', path], capture_output=True, text=True)
    check(p.returncode == 0, 'patch %s: %s' % (path, p.stdout + p.stderr))


def full(out):
    m = re.search(r'^total (\d+)/(\d+)', out, re.M)
    return m and m.group(1) == m.group(2)


def all_labs():
    return [d for d in sorted(os.listdir(os.path.join(REPO, 'exercises')))
            if re.match(r'^\d\d-', d) and
            os.path.isfile(os.path.join(REPO, 'exercises', d, 'lab.py'))]


def fan_out(jobs):
    """Run this script in JOBS workers, each with a share of the labs (lab 1,
    whose extra cases run grade-batch and lab-start, goes with the lightest
    share); print their lines in lab order; exit 1 if any failed."""
    names = [d[:2] for d in all_labs()]
    shares = [[] for _ in range(jobs)]
    for i, n in enumerate(reversed(names)):   # the newest labs are the biggest
        shares[i % jobs].append(n)
    # everything is built once here, not by two workers in the same tree
    b = subprocess.run(['make', '-s', '-C', REPO, 'all', 'test-bins'],
                       capture_output=True, text=True)
    if b.returncode != 0:
        print('FAIL labs/build: make failed: ' + ' '.join(b.stderr.split()[-40:]))
        return 1
    procs = [subprocess.Popen([PY, os.path.abspath(__file__)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              env=dict(os.environ, LABS=' '.join(sh)))
             for sh in shares if sh]
    outs = [p.communicate()[0] for p in procs]
    rc = 1 if any(p.returncode for p in procs) else 0
    by_lab = {}
    for out in outs:
        for ln in out.split('\n'):
            m = re.match(r'^\S+ labs/(\d\d)/', ln)
            by_lab.setdefault(m.group(1) if m else 'zz', []).append(ln)
    for k in sorted(by_lab):
        for ln in by_lab[k]:
            if ln:
                print(ln, flush=True)
    return rc


JOBS = int(os.environ.get('LABS_JOBS', '2'))
if not os.environ.get('LABS') and JOBS > 1:
    sys.exit(fan_out(JOBS))

tmp = tempfile.mkdtemp(prefix='minired-labs-')
only = os.environ.get('LABS', '').split()
try:
    for d in sorted(os.listdir(os.path.join(REPO, 'exercises'))):
        m = re.match(r'^(\d\d)-', d)
        ldir = os.path.join(REPO, 'exercises', d)
        if not m or not os.path.isfile(os.path.join(ldir, 'lab.py')):
            continue
        n = int(m.group(1))
        if only and str(n) not in only and m.group(1) not in only:
            continue
        work = os.path.join(tmp, d)
        scratch_copy(work)
        with rep.case('labs/%s/reference' % m.group(1)):
            rc, out = grade(work, n)
            check(rc == 0 and full(out), 'reference not full marks (exit %d):\n%s'
                  % (rc, out[-1500:]))
        bads = sorted(f[:-6] for f in os.listdir(os.path.join(ldir, 'bad'))
                      if f.endswith('.patch')) if os.path.isdir(os.path.join(ldir, 'bad')) else []
        with rep.case('labs/%s/known-bad-count' % m.group(1)):
            check(len(bads) >= 5, 'only %d known-bad solutions, want 5' % len(bads))
        for b in bads:
            with rep.case('labs/%s/bad/%s' % (m.group(1), b)):
                exp_path = os.path.join(ldir, 'bad', b + '.expect')
                with open(exp_path) as f:
                    want = f.read().split('\n')
                tm = re.match(r'^# tests: (\S+)$', want[0])
                check(tm, '%s: first line must be "# tests: a,b"' % exp_path)
                pf = os.path.join(ldir, 'bad', b + '.patch')
                patch(work, pf)
                try:
                    rc, out = grade(work, n, '--only', tm.group(1))
                finally:
                    patch(work, pf, reverse=True)
                got = verdict_lines(out)
                if REGEN:
                    with open(exp_path, 'w') as f:
                        f.write('\n'.join([want[0]] + got) + '\n')
                want = [w for w in want[1:] if w]
                check(rc == 1, 'the grader accepted it (exit %d):\n%s' % (rc, out[-800:]))
                check(got == want, 'grader output differs from %s:\n%s\nwant:\n%s'
                      % (os.path.relpath(exp_path, REPO), '\n'.join(got), '\n'.join(want)))
        goods = sorted(f[:-6] for f in os.listdir(os.path.join(ldir, 'good'))
                       if f.endswith('.patch')) if os.path.isdir(os.path.join(ldir, 'good')) else []
        for g in goods:
            with rep.case('labs/%s/good/%s' % (m.group(1), g)):
                pf = os.path.join(ldir, 'good', g + '.patch')
                patch(work, pf)
                try:
                    rc, out = grade(work, n)
                finally:
                    patch(work, pf, reverse=True)
                check(rc == 0 and full(out), 'a correct solution lost points:\n%s'
                      % '\n'.join(verdict_lines(out)))
        with rep.case('labs/%s/handout' % m.group(1)):
            h1, h2 = os.path.join(tmp, 'h1-' + d), os.path.join(tmp, 'h2-' + d)
            for h in (h1, h2):
                p = subprocess.run([PY, os.path.join(REPO, 'scripts', 'lab'), 'handout',
                                    str(n), h], capture_output=True, text=True,
                                   timeout=harness.guard(120))
                check(p.returncode == 0, 'handout failed: %s' % p.stderr)
            cmp = subprocess.run(['diff', '-r', h1, h2], capture_output=True, text=True)
            check(cmp.returncode == 0, 'two handouts differ:\n%s' % cmp.stdout[:800])
            check(not os.path.exists(os.path.join(h1, '.git')), 'handout has .git')
            for rel, stub in labs.lab_module(ldir).get('SOLUTION_FILES', {}).items():
                hp = os.path.join(h1, 'exercises', d, rel)
                if stub:
                    check(filecmp.cmp(hp, os.path.join(ldir, stub), shallow=False),
                          '%s in the handout is not the blank %s' % (rel, stub))
                else:
                    check(not os.path.exists(hp), '%s is in the handout' % rel)
            sol = labs.solution_lines(REPO, n)
            check(sol or n == 0, 'lab %d: no solution lines found to look for' % n)
            leaks = []
            for rel in labs.tracked_files(h1):
                with open(os.path.join(h1, rel), encoding='utf-8', errors='replace') as f:
                    text = f.read()
                leaks += ['%s: %s' % (rel, s) for s in sol if s in text]
            check(not leaks, 'the handout contains solution text:\n' + '\n'.join(leaks[:5]))
            # build it from copied objects (incremental), then grade: it must fail
            for sub in ('build', 'bin'):
                shutil.copytree(os.path.join(work, sub), os.path.join(h1, sub), symlinks=True)
            rc, out = grade(h1, n)
            check('BUILD FAILED' not in out, 'the handout does not build:\n' + out[-800:])
            check(rc == 1 and not full(out) and 'FAIL ' in out,
                  'the grader did not fail the handout (exit %d):\n%s' % (rc, out[-600:]))
            # A lab whose stub leaves the server mute (the input loop, the
            # reply buffers) sets HANDOUT_ANSWERS_PING = False in lab.py: its
            # handout's server must still start and accept a connection.
            pings = labs.lab_module(ldir).get('HANDOUT_ANSWERS_PING', True)
            probe = ('redis-cli -p $p ping 2>/dev/null | grep -q PONG' if pings else
                     'timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null')
            srv = subprocess.run(['bash', '-c', 'p=$(scripts/free-port); '
                                  'bin/minired-server --port $p --bind 127.0.0.1 & s=$!; '
                                  'for i in $(seq 50); do ' + probe +
                                  ' && kill -0 $s && { kill $s; exit 0; }; sleep 0.1; done; '
                                  'kill $s; exit 1'], cwd=h1, capture_output=True,
                                 text=True, timeout=harness.guard(30))
            check(srv.returncode == 0, 'the handout\'s server does not %s'
                  % ('answer PING' if pings else 'start and accept a connection'))
    if not only or '1' in only or '01' in only:
        with rep.case('labs/grade-batch'):
            # two students' trees of lab 1: the handout as given, and one
            # with the reference region restored. The CSV must say so.
            trees = os.path.join(tmp, 'batch')
            for st in ('ann', 'bob'):
                t = os.path.join(trees, st)
                p = subprocess.run([PY, os.path.join(REPO, 'scripts', 'lab'), 'handout',
                                    '1', t], capture_output=True, text=True)
                check(p.returncode == 0, p.stderr)
                for sub in ('build', 'bin'):
                    shutil.copytree(os.path.join(tmp, '01-inline', sub),
                                    os.path.join(t, sub), symlinks=True)
            shutil.copy2(os.path.join(REPO, 'src', 'networking.c'),
                         os.path.join(trees, 'bob', 'src', 'networking.c'))
            csv_path = os.path.join(tmp, 'scores.csv')
            p = subprocess.run([PY, os.path.join(REPO, 'scripts', 'grade-batch'), trees,
                                csv_path], capture_output=True, text=True,
                               timeout=harness.guard(600))
            check(p.returncode == 0, p.stdout + p.stderr)
            import csv
            with open(csv_path) as f:
                rows = {r['student']: r for r in csv.DictReader(f)}
            check(sorted(rows) == ['ann', 'bob'], 'rows %s' % sorted(rows))
            a, b = rows['ann'], rows['bob']
            check(b['status'] == 'full' and b['score'] == b['max_score'] and
                  int(b['max_score']) > 0, 'bob (reference) %s' % b)
            check(a['status'] == 'partial' and int(a['score']) < int(a['max_score']),
                  'ann (stub) %s' % a)
            check(a['resp-ping'] == '0' and b['resp-ping'] == '3',
                  'per-test columns: ann %s bob %s' % (a['resp-ping'], b['resp-ping']))

        with rep.case('labs/lab-start-reset'):
            clone = os.path.join(tmp, 'clone')
            subprocess.run(['git', 'clone', '-q', REPO, clone], check=True,
                           capture_output=True)
            run = lambda *a: subprocess.run(['make', '-s', '-C', clone] + list(a),
                                            capture_output=True, text=True)
            g = lambda *a: subprocess.run(['git', '-C', clone] + list(a),
                                          capture_output=True, text=True).stdout.strip()
            # detached, as a CI checkout of one commit is: lab-reset must
            # come back to that commit (a branch works the same way)
            subprocess.run(['git', '-C', clone, 'checkout', '-q', '--detach'], check=True)
            before = g('rev-parse', '--abbrev-ref', 'HEAD')
            before_sha = g('rev-parse', 'HEAD')
            p = run('lab-start', 'LAB=01')
            check(p.returncode == 0, p.stdout + p.stderr)
            check(g('rev-parse', '--abbrev-ref', 'HEAD') == 'lab-1', 'not on lab-1')
            with open(os.path.join(clone, 'src', 'networking.c')) as f:
                check('TODO (lab 1' in f.read(), 'the stub is not in place')
            check(g('status', '--porcelain', '--untracked-files=no') == '',
                  'lab-start left the tree dirty: git diff would not show only '
                  'the student\'s work')
            p = run('lab-reset')
            check(p.returncode == 0, p.stdout + p.stderr)
            check(g('rev-parse', '--abbrev-ref', 'HEAD') == before and
                  g('rev-parse', 'HEAD') == before_sha, 'not back on %s (%s): on %s'
                  % (before, before_sha[:10], g('rev-parse', '--abbrev-ref', 'HEAD')))
            with open(os.path.join(clone, 'src', 'networking.c')) as f:
                check('TODO (lab 1' not in f.read(), 'stub still there')
finally:
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(rep.exit_code())
