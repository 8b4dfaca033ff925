#!/usr/bin/python3
"""test_glossary.py - the one glossary table (trace-viewer/glossary.def)
against the docs, the traces and the viewer's screen (issue 11).

    glossary/docs-section   the "Glossary" section of docs/trace-format.md
                            is exactly what scripts/glossary.py makes from
                            the table (else: make glossary)
    glossary/drift-caught   the same check fails on a copy of the docs with
                            one row changed (the check can fail)
    glossary/step-kinds     every "cat" emitted by any tests/golden trace
                            has a "step" row
    glossary/c-fields       every key of the "c" object in those traces has
                            a "field" row
    glossary/explain-dump   for one step of every kind in the goldens,
                            `--dump N --explain` shows the kind's row text
                            (the viewer compiled the same table), at 80x24
                            and 120x40
    glossary/unknown-kind   a trace with a step kind the table does not
                            know: --explain names it and says "no glossary
                            row yet", exit 0
Run with /usr/bin/python3.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import viewerlib as vl
from viewerlib import check

rep = vl.harness.Reporter()
SCRIPT = os.path.join(vl.REPO, 'scripts', 'glossary.py')
DOC = os.path.join(vl.REPO, 'docs', 'trace-format.md')
sys.path.insert(0, os.path.join(vl.REPO, 'scripts'))
import glossary  # noqa: E402  (scripts/glossary.py)


def golden_events():
    """(trace path, event) for every event of every golden trace."""
    for name in sorted(os.listdir(vl.GOLDEN_TRACES)):
        if not name.endswith('.jsonl'):
            continue
        path = os.path.join(vl.GOLDEN_TRACES, name)
        with open(path) as f:
            for line in f:
                yield path, json.loads(line)


def main():
    if not vl.require_view(rep, 'glossary/all'):
        return 1
    rows = glossary.load()
    steps = {r[1]: r for r in rows if r[0] == 'step'}
    fields = {r[1] for r in rows if r[0] == 'field'}

    with rep.case('glossary/docs-section'):
        r = subprocess.run([sys.executable, SCRIPT, '--check'],
                           capture_output=True, text=True, timeout=30)
        check(r.returncode == 0, 'glossary.py --check: %s'
              % (r.stdout + r.stderr).strip())

    with rep.case('glossary/drift-caught'):
        tmp = tempfile.mkdtemp(prefix='minired-gloss.')
        try:
            text = open(DOC).read()
            head, sect, tail = glossary.split_doc(text)
            bad = sect.replace('| `qb_pos` |', '| `qb_pos_renamed` |', 1)
            check(bad != sect, 'no qb_pos row in the docs section')
            check(glossary.section(rows) != bad,
                  'a changed docs row compares equal to the table')
        finally:
            shutil.rmtree(tmp)

    first_of = {}      # cat -> (trace, step)
    ckeys = set()
    for path, e in golden_events():
        cat = e.get('cat')
        if cat and cat not in first_of and e.get('ts', 0) > 0:
            first_of[cat] = (path, e['ts'])
        c = (e.get('args') or {}).get('c')
        if isinstance(c, dict):
            ckeys |= set(c)

    with rep.case('glossary/step-kinds'):
        missing = sorted(c for c in first_of if c not in steps)
        check(not missing, 'step kinds with no glossary row: %s'
              % ', '.join(missing))
        print('    %d step kinds in the goldens, %d step rows'
              % (len(first_of), len(steps)))

    with rep.case('glossary/c-fields'):
        missing = sorted(k for k in ckeys if k not in fields)
        check(not missing, 'keys of "c" with no glossary row: %s'
              % ', '.join(missing))

    with rep.case('glossary/explain-dump'):
        bad = []
        for cat, (path, step) in sorted(first_of.items()):
            if cat == 'footer':
                continue
            want = steps[cat][3]
            for cols, lines in ((80, 24), (120, 40)):
                out = vl.dump(path, step, cols, lines, ('--explain',))
                screen = out.stdout
                # The text is wrapped: its first three words are on the
                # first row.
                words = ' '.join(want.split()[:3])
                if words not in screen or 'explain step %d' % step \
                        not in screen:
                    bad.append('%s (step %d of %s at %dx%d)'
                               % (cat, step, os.path.basename(path), cols,
                                  lines))
        check(not bad, 'the explain pane does not show the row of: %s'
              % '; '.join(bad[:5]))

    with rep.case('glossary/unknown-kind'):
        tmp = tempfile.mkdtemp(prefix='minired-gloss.')
        try:
            src = os.path.join(vl.GOLDEN_TRACES, '01-set-get.jsonl')
            lines = open(src).read().split('\n')
            e = json.loads(lines[2])
            e['cat'] = 'brand-new-kind'
            lines[2] = json.dumps(e, separators=(',', ':'))
            path = os.path.join(tmp, 'new.jsonl')
            with open(path, 'w') as f:
                f.write('\n'.join(lines))
            r = vl.run_view(['--dump', '2', '--explain', '--width', '80',
                             '--height', '24', path])
            check(r.returncode == 0, 'exit %d: %s' % (r.returncode,
                                                      r.stderr))
            check('brand-new-kind' in r.stdout and
                  'no glossary row yet' in r.stdout,
                  'an unknown kind is not named with "no glossary row '
                  'yet":\n' + vl.indent(r.stdout))
        finally:
            shutil.rmtree(tmp)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
