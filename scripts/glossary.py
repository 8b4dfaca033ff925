#!/usr/bin/python3
"""scripts/glossary.py - the one glossary table, turned into what reads it.

trace-viewer/glossary.def holds every explanation the viewer shows (a
field of the trace's "c" object, a step kind, a ruler mark, a bar), as
GLOSS("kind", "name", "Redis name", "text") lines: the viewer compiles it
as an X-macro (trace-viewer/glossary.c), and this script reads the same
lines to write the docs, so there is one table and no copy to drift:

    glossary.py --docs     rewrite the section of docs/trace-format.md
                           between the glossary markers (make glossary)
    glossary.py --check    exit 1 when that section differs from the table
                           (tests/viewer/test_glossary.py)
    glossary.py --list     print the table, one tab-separated row a line

Run with /usr/bin/python3 from anywhere.
"""

import ast
import os
import re
import sys

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(
    __file__)), '..'))
DEF = os.path.join(REPO, 'trace-viewer', 'glossary.def')
DOC = os.path.join(REPO, 'docs', 'trace-format.md')
BEGIN = '<!-- glossary:begin (generated from trace-viewer/glossary.def by ' \
        '`make glossary`; edit the table, not this section) -->'
END = '<!-- glossary:end -->'
KINDS = ('field', 'step', 'mark', 'bar')
TITLES = {'field': 'Fields', 'step': 'Step kinds ("cat")',
          'mark': 'Marks on the screen', 'bar': 'Strips, bars and panes'}


def load(path=DEF):
    """The table's rows as (kind, name, redis, text); errors name the line.

    Each GLOSS( ... ) may span lines; its four arguments are C string
    literals, whose escapes (\\" and \\\\ only) Python reads alike."""
    text = open(path, encoding='utf-8').read()
    # Skip the file's comments, then take every GLOSS(...) in order.
    body = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'),
                  text, flags=re.S)
    rows = []
    for m in re.finditer(r'GLOSS\((.*?)\)\s*$', body, flags=re.S | re.M):
        line = body.count('\n', 0, m.start()) + 1
        try:
            cols = ast.literal_eval('(' + m.group(1) + ')')
        except (SyntaxError, ValueError) as e:
            sys.exit('%s:%d: not four string literals: %s' % (path, line, e))
        if len(cols) != 4 or not all(isinstance(c, str) and c for c in cols):
            sys.exit('%s:%d: want 4 non-empty strings' % (path, line))
        if cols[0] not in KINDS:
            sys.exit('%s:%d: kind %r is not one of %s'
                     % (path, line, cols[0], ', '.join(KINDS)))
        rows.append(tuple(cols))
    seen = set()
    for r in rows:
        if (r[0], r[1]) in seen:
            sys.exit('%s: %s %r twice' % (path, r[0], r[1]))
        seen.add((r[0], r[1]))
    return rows


def md_cell(s):
    return s.replace('|', '\\|')


def section(rows):
    out = [BEGIN, '']
    for kind in KINDS:
        out += ['### Glossary: %s' % TITLES[kind], '',
                '| name | Redis 5.0.14 | meaning |', '|---|---|---|']
        for r in rows:
            if r[0] == kind:
                out.append('| `%s` | `%s` | %s |'
                           % (md_cell(r[1]), md_cell(r[2]), md_cell(r[3])))
        out.append('')
    out.append(END)
    return '\n'.join(out)


def split_doc(text):
    b, e = text.find(BEGIN), text.find(END)
    if b < 0 or e < b:
        sys.exit('%s: glossary markers missing' % DOC)
    return text[:b], text[b:e + len(END)], text[e + len(END):]


def main(argv):
    rows = load()
    if argv[1:] == ['--list']:
        for r in rows:
            print('\t'.join(r))
        return 0
    text = open(DOC, encoding='utf-8').read()
    head, old, tail = split_doc(text)
    new = section(rows)
    if argv[1:] == ['--docs']:
        if old != new:
            with open(DOC, 'w', encoding='utf-8') as f:
                f.write(head + new + tail)
            print('docs/trace-format.md: glossary section regenerated')
        return 0
    if argv[1:] == ['--check']:
        if old != new:
            print('docs/trace-format.md: the glossary section differs from '
                  'trace-viewer/glossary.def (run make glossary)')
            return 1
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
