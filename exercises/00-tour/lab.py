# Lab 0: build, run, trace, view. No code to write: graded by the three
# files the student makes in exercises/00-tour/answers/ (README.md, steps).
import json
import os
import subprocess
from grader import Check, Cli, Fail

TITLE = 'build, run, trace, view (no code: graded by what you produce)'
HERE = os.path.dirname(os.path.abspath(__file__))
ANS = os.path.join(HERE, 'answers')
GOLDEN = 'tests/golden/01-set-get.jsonl'
# Removed from a handout; answers.txt becomes the blank form in stubs/.
SOLUTION_FILES = {'answers/session.jsonl': None, 'answers/frame.txt': None,
                  'answers/answers.txt': 'stubs/answers.txt'}


def events(path):
    try:
        with open(path, encoding='utf-8') as f:
            return [json.loads(ln) for ln in f if ln.strip()]
    except FileNotFoundError:
        raise Fail('%s does not exist yet (README.md, step 3)' % os.path.relpath(path, HERE))
    except ValueError as e:
        raise Fail('%s is not a trace: a line is not JSON (%s)' % (os.path.relpath(path, HERE), e))


def built(ctx):
    for b in ('minired-server', 'minired-trace', 'minired-view'):
        if not os.access(os.path.join(ctx.root, 'bin', b), os.X_OK):
            raise Fail('bin/%s is missing: run make' % b)


def session_is_trace(ctx):
    ev = events(os.path.join(ANS, 'session.jsonl'))
    if not ev or ev[0].get('cat') != 'header':
        raise Fail('the first line must be the trace header (written by --trace)')


def session_check(ctx):
    p = subprocess.run([ctx.tool, 'check', os.path.join(ANS, 'session.jsonl')],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise Fail('bin/minired-trace check answers/session.jsonl:\n'
                   + (p.stdout + p.stderr).strip()[:500])


def session_complete(ctx):
    ev = events(os.path.join(ANS, 'session.jsonl'))
    if ev[-1].get('cat') != 'footer':
        raise Fail('the last line is %s, not the footer traceClose writes at '
                   'shutdown' % ev[-1].get('name'))


def session_live(ctx):
    ev = events(os.path.join(ANS, 'session.jsonl'))
    if ev[0].get('args', {}).get('start_mstime') == 1700000000000:
        raise Fail('start_mstime is 1700000000000, the frozen clock of '
                   '`minired-trace run`: record a real server with --trace')


def session_set_get(ctx):
    ev = events(os.path.join(ANS, 'session.jsonl'))
    reads = b''.join(e['args'].get('data', '').encode('utf-8') for e in ev
                     if e.get('cat') == 'read')
    writes = b''.join(e['args'].get('data', '').encode('utf-8') for e in ev
                      if e.get('cat') == 'write')
    if b'$3\r\nSET\r\n$4\r\nlab0\r\n$5\r\nhello\r\n' not in reads:
        raise Fail('no client sent SET lab0 hello in this trace')
    if b'$3\r\nGET\r\n$4\r\nlab0\r\n' not in reads:
        raise Fail('no client sent GET lab0 in this trace')
    if b'$5\r\nhello\r\n' not in writes:
        raise Fail('the server never wrote the GET reply "$5\\r\\nhello\\r\\n"')


def golden_answers(ctx):
    ev = events(os.path.join(ctx.root, GOLDEN))
    first_read = next(e for e in ev if e.get('cat') == 'read')
    lookup = next(e for e in ev if e.get('cat') == 'lookup')
    first_write = next(e for e in ev if e.get('cat') == 'write')
    return {'steps': max(e['ts'] for e in ev),
            'first-nread': first_read['args']['nread'],
            'qb_pos-at-lookup': lookup['args']['c']['qb_pos'],
            'first-write-bytes': first_write['args']['nwritten']}


def answer(key, why):
    def fn(ctx):
        got = {}
        try:
            with open(os.path.join(ANS, 'answers.txt'), encoding='utf-8') as f:
                for ln in f:
                    if ':' in ln and not ln.startswith('#'):
                        k, v = ln.split(':', 1)
                        got[k.strip()] = v.strip()
        except FileNotFoundError:
            raise Fail('answers/answers.txt does not exist')
        want = str(golden_answers(ctx)[key])
        if got.get(key, '') == '':
            raise Fail('no answer for "%s:" in answers/answers.txt' % key)
        if got[key] != want:
            raise Fail('%s: you answered %s. %s' % (key, got[key], why))
    return fn


def frame(ctx):
    p = subprocess.run([os.path.join(ctx.root, 'bin', 'minired-view'), '--dump', '10',
                        '--width', '100', '--height', '40', os.path.join(ctx.root, GOLDEN)],
                       capture_output=True, text=True)
    try:
        with open(os.path.join(ANS, 'frame.txt'), encoding='utf-8') as f:
            got = f.read()
    except FileNotFoundError:
        raise Fail('answers/frame.txt does not exist (README.md, step 5)')
    if got != p.stdout:
        raise Fail('answers/frame.txt is not step 10 of %s at 100x40 '
                   '(its first line: %r)' % (GOLDEN, got.split('\n')[0][:80]))


TESTS = [
    Check('built', 1, built, 'the three programs must be built (make)'),
    Cli('server-answers', 1, ['PING'], 'PONG\n', 'your server must start and answer PING'),
    Check('session-is-trace', 2, session_is_trace,
          'answers/session.jsonl must be a trace written by minired-server --trace'),
    Check('session-check', 3, session_check,
          'the trace must pass bin/minired-trace check (do not edit it by hand)'),
    Check('session-complete', 1, session_complete,
          'the trace is cut short: stop the server (Ctrl-C) before you hand it in'),
    Check('session-live', 2, session_live,
          'the trace must come from a live server, not from a scenario'),
    Check('session-set-get', 3, session_set_get,
          'the trace must hold redis-cli SET lab0 hello, then GET lab0'),
    Check('answer-steps', 2, answer('steps', 'Count the steps in the viewer\'s '
          'status line: the last step number.'), 'wrong number of steps'),
    Check('answer-first-nread', 2, answer('first-nread', 'A read step shows nread: '
          'every byte of the request, "\\r\\n" included.'), 'wrong nread of the first read'),
    Check('answer-qb_pos', 2, answer('qb_pos-at-lookup', 'At the lookup step the whole '
          'request has been parsed: qb_pos is past its last "\\r\\n".'),
          'wrong qb_pos at the first lookup'),
    Check('answer-write', 2, answer('first-write-bytes', 'The first write sends the '
          'SET reply; count its bytes.'), 'wrong size of the first write'),
    Check('frame', 2, frame, 'answers/frame.txt must be the viewer\'s --dump of step 10'),
]
