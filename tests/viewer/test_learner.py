"""test_learner.py - the viewer for learners (issue 13): --diff and
--predict.

Every expected value is computed here from the trace files (JSON), or
from `bin/minired-trace diff` for the divergence, never taken from the
viewer. The altered traces are the goldens with one byte-level edit of
one line, so the test knows the step and field that must be found.

    diff/identical       --dump --diff G G: "no divergence", "same", no
                         '!' row, exit 0
    diff/one-field       G against a copy with c.qb_pos changed at step
                         K: the status names step K, the field, both
                         values; exactly two '!' rows (one per side);
                         the step before K says "same"; exit 1; the
                         step and field are the ones minired-trace diff
                         reports (one notion of divergence)
    diff/narrow          at 80 columns the panes are stacked: EXPECTED's
                         title row above ACTUAL's, each with its '!' row
    diff/lengths         a copy cut after step M: the status says "event
                         expected NAME got (trace ended)" at step M+1,
                         and the other way round; --dump of a step only
                         one trace has works
    diff/golden          --dump frames compared with
                         tests/viewer/golden-learner/*.txt (--regenerate
                         rewrites them; `make viewer-golden` does)
    diff/tmux            in tmux: opens at the divergence; -> and <- move
                         both panes (both show "ts" n); g, d, n; NO_COLOR
                         at 80x24 still marks with '!'; q exits 0 with
                         the terminal restored
    predict/bad-files    unknown field, step out of range, unknown key,
                         missing ask, unknown client, a server step with
                         no client, steps out of order, no questions:
                         exit 2, "FILE:LINE:" and the reason
    predict/shipped      every exercises/predict/NAME.txt is valid for
                         tests/golden/NAME.jsonl
    predict/projector    at 64x20 (a large font): the whole question,
                         the state card of the step before, nothing in
                         the last two columns; Esc ends with the score
    predict/score        in tmux: exercises/predict/01-set-get.txt with
                         right and wrong answers (computed from the
                         trace): RIGHT / WRONG with the true value and
                         the feedback, the final "Score: R/N", and
                         "predict: score R/N" printed on exit
Run with /usr/bin/python3.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import viewerlib as vl
from viewerlib import TestFailure, check

rep = vl.harness.Reporter()
GOLD = os.path.join(vl.GOLDEN_TRACES, '01-set-get.jsonl')
LEARNER_GOLDEN = os.path.join(vl.HERE, 'golden-learner')
PREDICT_DIR = os.path.join(vl.REPO, 'exercises', 'predict')
TOOL = os.path.join(vl.REPO, 'bin', 'minired-trace')
REGENERATE = '--regenerate' in sys.argv


def lines_of(path):
    with open(path, 'rb') as f:
        return f.read().split(b'\n')[:-1]


def write(tmp, name, lines):
    path = os.path.join(tmp, name)
    with open(path, 'wb') as f:
        f.write(b'\n'.join(lines) + b'\n')
    return path


def altered(tmp, step, field, new):
    """A copy of GOLD whose step `step` (line step+1) has c.FIELD = new,
    edited in the raw text so nothing else of the line changes. Returns
    (path, old value)."""
    lines = lines_of(GOLD)
    ev = json.loads(lines[step])
    old = ev['args']['c'][field]
    pat = ('"%s":%d' % (field, old)).encode()
    check(lines[step].count(pat) == 1, 'cannot edit %s at step %d'
          % (field, step))
    lines[step] = lines[step].replace(pat, ('"%s":%d' % (field, new))
                                      .encode())
    return write(tmp, 'alt-%s-%d.jsonl' % (field, step), lines), old


def dump_diff(a, b, step, cols=100, rows=40):
    return vl.run_view(['--dump', str(step), '--width', str(cols),
                        '--height', str(rows), '--diff', a, b])


def marked(screen):
    return [l for l in screen.split('\n') if l.startswith('!')
            or re.search(r'\s!\s\S', l)]


def tool_diff(a, b):
    p = subprocess.run([TOOL, 'diff', a, b], capture_output=True, text=True,
                       timeout=60)
    m = re.search(r'first difference at ts (\d+) \(A line (\d+)', p.stdout)
    fields = re.findall(r'^  (\S+): ', p.stdout, re.M)
    return p.returncode, m, fields


def golden_check(name, text):
    path = os.path.join(LEARNER_GOLDEN, name + '.txt')
    if REGENERATE:
        os.makedirs(LEARNER_GOLDEN, exist_ok=True)
        with open(path, 'w') as f:
            f.write(text)
        print('    wrote %s' % os.path.relpath(path, vl.REPO))
        return
    check(os.path.exists(path), '%s missing (make viewer-golden)'
          % os.path.relpath(path, vl.REPO))
    with open(path) as f:
        want = f.read()
    check(want == text, '%s differs from the frame:\n%s'
          % (os.path.relpath(path, vl.REPO), vl.indent(text)))


def diff_cases(tmp):
    K = 12                    # processMultibulkBuffer, last argument
    alt, old = altered(tmp, K, 'qb_pos', 34)
    nsteps = len(lines_of(GOLD)) - 1

    with rep.case('diff/identical'):
        p = dump_diff(GOLD, GOLD, 3)
        check(p.returncode == 0, 'exit %d: %s' % (p.returncode, p.stderr))
        check('no divergence' in p.stdout, 'no "no divergence":\n'
              + vl.indent(p.stdout))
        check(re.search(r'step 3/%d .* same' % nsteps, p.stdout.split('\n')
                        [0]), 'status line: %r' % p.stdout.split('\n')[0])
        check(not marked(p.stdout), 'rows marked on identical traces')

    with rep.case('diff/one-field'):
        rc, m, fields = tool_diff(GOLD, alt)
        check(rc == 1 and m, 'minired-trace diff did not see it')
        check(int(m.group(1)) == K and fields == ['args.c.qb_pos'],
              'minired-trace diff: ts %s fields %s' % (m.group(1), fields))
        p = dump_diff(GOLD, alt, K)
        check(p.returncode == 1, 'exit %d, want 1' % p.returncode)
        want = ('first divergence at step %d: c.qb_pos expected %d got 34'
                % (K, old))
        check(want in p.stdout, 'no %r in:\n%s' % (want, vl.indent(p.stdout)))
        rows = marked(p.stdout)
        check(len(rows) == 1 and rows[0].count('! c.qb_pos') == 2,
              'marked rows: %r' % rows)
        check('DIFFERS' in p.stdout.split('\n')[0], 'status: no DIFFERS')
        q = dump_diff(GOLD, alt, K - 1)
        check('same' in q.stdout.split('\n')[0] and not marked(q.stdout),
              'step %d is marked' % (K - 1))
        check(want in q.stdout, 'the first divergence is not said at '
              'every step')
        print('    step %d, c.qb_pos %d | 34 (minired-trace diff: ts %s, %s)'
              % (K, old, m.group(1), fields[0]))

    with rep.case('diff/narrow'):
        p = dump_diff(GOLD, alt, K, cols=80, rows=40)
        ls = p.stdout.split('\n')
        ia = [i for i, l in enumerate(ls) if l.startswith('EXPECTED ')]
        ib = [i for i, l in enumerate(ls) if l.startswith('ACTUAL ')]
        check(len(ia) == 1 and len(ib) == 1 and ia[0] < ib[0],
              'not stacked:\n' + vl.indent(p.stdout))
        rows = [i for i, l in enumerate(ls) if l.startswith('! c.qb_pos')]
        check(len(rows) == 2 and ia[0] < rows[0] < ib[0] < rows[1],
              'marked rows at %r' % rows)
        check(max(len(l) for l in ls) <= 80, 'a line wider than 80')

    with rep.case('diff/lengths'):
        M = 30
        short = write(tmp, 'short.jsonl', lines_of(GOLD)[:M + 1])
        name = json.loads(lines_of(GOLD)[M + 1])['name']
        p = dump_diff(GOLD, short, M + 1)
        want = ('first divergence at step %d: event expected %s got '
                '(trace ended)' % (M + 1, name))
        check(want in p.stdout, 'no %r in:\n%s' % (want, vl.indent(p.stdout)))
        check('this step: only in EXPECTED' in p.stdout, 'no "only in"')
        p = dump_diff(short, GOLD, nsteps)
        want = ('first divergence at step %d: event expected (trace ended) '
                'got %s' % (M + 1, name))
        check(want in p.stdout and p.returncode == 1,
              'reversed: %r not in:\n%s' % (want, vl.indent(p.stdout)))
        p = dump_diff(short, GOLD, nsteps + 1)
        check(p.returncode == 2 and 'has %d steps' % nsteps in p.stderr,
              'past both ends: exit %d %r' % (p.returncode, p.stderr))

    with rep.case('diff/golden'):
        # Fixed relative names (run in tmp), so the titles in the frames
        # do not depend on where the repository or the temp dir is.
        for name, path in (('expected.jsonl', GOLD), ('actual.jsonl', alt)):
            with open(path, 'rb') as f, \
                    open(os.path.join(tmp, name), 'wb') as g:
                g.write(f.read())

        def frame(a, b, step, cols=100, rows=40):
            p = subprocess.run([vl.VIEW, '--dump', str(step), '--width',
                                str(cols), '--height', str(rows), '--diff',
                                a, b], capture_output=True, text=True,
                               cwd=tmp, timeout=60)
            return p.stdout

        golden_check('diff-01-set-get-qb_pos-%d' % K,
                     frame('expected.jsonl', 'actual.jsonl', K))
        golden_check('diff-01-set-get-qb_pos-%d-80x24' % K,
                     frame('expected.jsonl', 'actual.jsonl', K, 80, 24))
        golden_check('diff-01-set-get-identical-3',
                     frame('expected.jsonl', 'expected.jsonl', 3))

    if REGENERATE:
        return
    with rep.case('diff/tmux'):
        if not vl.require_tmux(rep, 'diff/tmux'):
            return
        first = re.compile(r'step (\d+)/%d' % nsteps)

        def at(s):
            m = first.search(s.split('\n')[0])
            return int(m.group(1)) if m else None

        with vl.Tmux(100, 30) as t:
            vl.launch(t, ['--diff', GOLD, alt])
            s = t.wait_for(lambda s: at(s) == K, what='opens at step %d' % K)
            check('! c.qb_pos' in s, 'no marked row at the divergence')
            t.keys('Right')
            s = t.wait_for(lambda s: at(s) == K + 1, what='-> to %d' % (K + 1))
            check(len(re.findall(r'\bts\s+%d\b' % (K + 1), s)) == 2,
                  'both panes do not show ts %d:\n%s' % (K + 1, vl.indent(s)))
            t.keys('Left', 'Left')
            s = t.wait_for(lambda s: at(s) == K - 1, what='<- <- to %d' % (K - 1))
            check(len(re.findall(r'\bts\s+%d\b' % (K - 1), s)) == 2,
                  'both panes do not show ts %d' % (K - 1))
            t.keys('g')
            t.wait_for(lambda s: at(s) == 0, what='g to step 0')
            t.keys('d')
            t.wait_for(lambda s: at(s) == K, what='d to step %d' % K)
            t.keys('g', 'n')
            t.wait_for(lambda s: at(s) == K, what='g n to step %d' % K)
            t.keys('q')
            status, tty_same, screen = vl.wait_exit(t)
            check(status == 0, 'q: exit %d' % status)
            vl.check_restored(t, screen, tty_same)
        with vl.Tmux(80, 24) as t:
            vl.launch(t, ['--diff', GOLD, alt], env={'NO_COLOR': '1'})
            s = t.wait_for(lambda s: at(s) == K, what='80x24 NO_COLOR')
            check(s.count('! c.qb_pos') == 2, 'NO_COLOR 80x24: marks:\n'
                  + vl.indent(s))
            t.keys('q')
            vl.wait_exit(t)


BAD_SETS = [
    ('unknown-field', 'step: 3\nfield: qbpos\nask: ?\n', ':2: unknown field'),
    ('step-range', 'step: 900\nfield: qb_pos\nask: ?\n',
     ':1: step 900 is out of range'),
    ('unknown-key', 'step: 3\nfeild: qb_pos\nask: ?\n', ':2: unknown key'),
    ('no-ask', '# c\n\nstep: 3\nfield: qb_pos\n',
     ':3: a question needs step:, field: and ask:'),
    ('unknown-client', 'step: 3\nfield: qb_pos\nclient: 9\nask: ?\n',
     ':1: client 9 is not in the trace'),
    ('server-step', 'step: 21\nfield: bufpos\nask: ?\n',
     ':1: step 21 is a server step'),
    ('order', 'step: 9\nfield: argc\nask: ?\n\nstep: 3\nfield: argc\n'
     'ask: ?\n', ':5: step 3 comes before'),
    ('empty', '# nothing\n', ': no questions'),
]


def predict_cases(tmp):
    with rep.case('predict/bad-files'):
        for name, text, words in BAD_SETS:
            path = os.path.join(tmp, name + '.txt')
            with open(path, 'w') as f:
                f.write(text)
            p = vl.run_view(['--predict', path, GOLD])
            check(p.returncode == 2, '%s: exit %d' % (name, p.returncode))
            check(os.path.basename(path) + words in p.stderr.replace(
                  os.path.dirname(path) + '/', ''),
                  '%s: no %r in %r' % (name, words, p.stderr))
        print('    %d bad files refused, exit 2' % len(BAD_SETS))

    with rep.case('predict/shipped'):
        sets = sorted(f for f in os.listdir(PREDICT_DIR) if f.endswith('.txt'))
        check(len(sets) >= 2, 'fewer than two question sets')
        for f in sets:
            trace = os.path.join(vl.GOLDEN_TRACES, f[:-4] + '.jsonl')
            check(os.path.exists(trace), '%s: no tests/golden/%s.jsonl'
                  % (f, f[:-4]))
            p = vl.run_view(['--predict', os.path.join(PREDICT_DIR, f),
                             trace])
            check('all valid' in p.stderr, '%s: %s' % (f, p.stderr.strip()))
        print('    %s' % ', '.join(sets))

    with rep.case('predict/score'):
        if not vl.require_tmux(rep, 'predict/score'):
            return
        qfile = os.path.join(PREDICT_DIR, '01-set-get.txt')
        qs = parse_questions(qfile)
        lines = [json.loads(l) for l in lines_of(GOLD)]
        answers, right = [], 0
        for i, q in enumerate(qs):
            truth = lines[q['step']]['args']['c'][q['field']]
            if i % 2 == 0:                   # right, wrong, right ...
                answers.append(str(truth))
                right += 1
            else:
                answers.append(str(truth + 7))
        with vl.Tmux(100, 30) as t:
            vl.launch(t, ['--predict', qfile, GOLD])
            for i, (q, a) in enumerate(zip(qs, answers)):
                truth = lines[q['step']]['args']['c'][q['field']]
                t.wait_for(lambda s: 'Question %d/%d' % (i + 1, len(qs)) in s
                           and '(next)' in s, what='question %d' % (i + 1))
                t.literal(a)
                t.keys('Enter')
                if i % 2 == 0:
                    want = 'RIGHT: %s = %d' % (q['field'], truth)
                else:
                    want = 'WRONG: you said %s; %s = %d' % (a, q['field'],
                                                           truth)
                s = t.wait_for(lambda s: want in s, what=want)
                fb = q['right' if i % 2 == 0 else 'wrong'].split()[:4]
                check(' '.join(fb) in ' '.join(s.split()),
                      'feedback %r not shown' % ' '.join(fb))
                t.keys('Enter')
            want = 'Score: %d/%d' % (right, len(qs))
            t.wait_for(lambda s: want in s, what=want)
            t.keys('q')
            status, tty_same, screen = vl.wait_exit(t)
            check(status == 0, 'exit %d' % status)
            check('predict: score %d/%d (%d answered)' % (right, len(qs),
                                                         len(qs)) in screen,
                  'no score line on exit:\n' + vl.indent(screen))
            print('    %d questions, %d right: %s' % (len(qs), right, want))

    with rep.case('predict/projector'):
        if not vl.require_tmux(rep, 'predict/projector'):
            return
        qfile = os.path.join(PREDICT_DIR, '01-set-get.txt')
        q = parse_questions(qfile)[0]
        before = json.loads(lines_of(GOLD)[q['step'] - 1])['args']['c']
        with vl.Tmux(64, 20) as t:
            vl.launch(t, ['--predict', qfile, GOLD])
            s = t.wait_for(lambda s: '%s = _' % q['field'] in s,
                           what='the question at 64x20')
            words = q['ask'].split()
            flat = ' '.join(s.split())
            check(' '.join(words[-4:]) in flat, 'the end of the question '
                  'is not on screen:\n' + vl.indent(s))
            card = 'qlen %d  qb_pos %d' % (before['qlen'], before['qb_pos'])
            check(card in s, 'no %r (state before step %d):\n%s'
                  % (card, q['step'], vl.indent(s)))
            check(max(len(l) for l in s.split('\n')) <= 62,
                  'text in the last two columns at 64x20')
            t.keys('Escape')
            t.wait_for(lambda s: 'Score: 0/' in s, what='Esc: the score')
            t.keys('q')
            status, _, screen = vl.wait_exit(t)
            check(status == 0 and 'predict: score 0/' in screen,
                  'exit %d' % status)


def parse_questions(path):
    """The question file read independently of predict.c."""
    qs, cur = [], {}
    with open(path) as f:
        for line in f.read().split('\n') + ['']:
            line = line.strip()
            if not line:
                if cur:
                    qs.append(cur)
                cur = {}
                continue
            if line.startswith('#'):
                continue
            k, v = line.split(':', 1)
            cur[k.strip()] = int(v) if k.strip() == 'step' else v.strip()
    return qs


def main():
    if not vl.require_view(rep, 'learner/binary'):
        return rep.exit_code()
    with tempfile.TemporaryDirectory() as tmp:
        diff_cases(tmp)
        if not REGENERATE:
            predict_cases(tmp)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
