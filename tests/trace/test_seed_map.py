#!/usr/bin/python3
"""test_seed_map.py - docs/seed-map.md names only real code, and covers the
whole seed.

No server is started; the C sources and the map are read as text.

    seedmap/functions-exist   every `src/FILE.c:NAME` written in the map is
                              a C function *defined* in that file: a line
                              starting at column 0 whose declarator is
                              NAME( and whose next '{' comes before any ';'
                              (a prototype or a mention in a comment does
                              not count)
    seedmap/seed-covered      every function the seed
                              (../shared/seed/networking-pipeline-annotated.txt,
                              or $MINIRED_SEED) defines has a "## NAME"
                              section in the map (SKIP when the seed file
                              is not on this machine)
    seedmap/rows-well-formed  every table row has a minired cell of the form
                              src/FILE.c:NAME and a status that starts with
                              "kept" or "left out: "
    comments/par-names-release every `@par Redis 5.0:` paragraph in src/
                              names the release and the function it compares
                              with: it contains "5.0.14" and a "name()"
    seedmap/left-out-explained for every "left out: why" row, the named
                              function (its Doxygen block and body) says
                              what Redis 5.0 does there: it mentions the
                              reason's subject (replication: replica /
                              master; Lua; module; cluster; persistence:
                              AOF / RDB / loading / disk; WATCH)

On the issue-10 facts branch alone, seedmap/functions-exist fails for the
rows naming functions that the other branches of issue 10 add
(src/blocked.c:clientsArePaused, src/blocked.c:handleClientsBlockedOnKeys,
src/evict.c:freeMemoryIfNeededAndSafe): the map is written for the merged
tree.
"""

import os
import re
import sys

import tracelib as tl
from tracelib import check

rep = tl.harness.Reporter()
MAP = os.path.join(tl.REPO, 'docs', 'seed-map.md')
SEED = os.environ.get('MINIRED_SEED') or os.path.join(
    tl.REPO, '..', 'shared', 'seed', 'networking-pipeline-annotated.txt')

REF = re.compile(r'\bsrc/([A-Za-z0-9_]+\.c):([A-Za-z_][A-Za-z0-9_]*)')
# A definition or prototype at column 0: type words, then NAME(.
DECL = r'^[A-Za-z_][A-Za-z0-9_ \t\*]*[ \t\*]%s[ \t]*\('
# The subjects a "left out" reason must be explained with, in the code.
SUBJECTS = [
    ('replication', r'replica|master|replication'),
    ('lua', r'\bLua\b'),
    ('module', r'\bmodule'),
    ('cluster', r'\bcluster'),
    ('persistence', r'\bAOF\b|\bRDB\b|persistence|loading|disk'),
    ('watch', r'\bWATCH\b'),
]


def read(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        return f.read()


def definition(text, name):
    """(start, end) of the definition of name in C text, or None. end is
    the closing brace at column 0; start includes the Doxygen block just
    above, if any."""
    for m in re.finditer(DECL % re.escape(name), text, re.M):
        rest = text[m.end():]
        brace, semi = rest.find('{'), rest.find(';')
        if brace == -1 or (semi != -1 and semi < brace):
            continue  # a prototype
        close = text.find('\n}', m.end())
        end = len(text) if close == -1 else close + 2
        start = m.start()
        doc = text.rfind('/**', 0, start)
        if doc != -1 and text[doc:start].rstrip().endswith('*/') and \
                '\n}' not in text[doc:start]:
            start = doc
        return start, end
    return None


def rows(md):
    """(section, cells) for every table row of the map, header and
    separator rows left out."""
    section = None
    for line in md.splitlines():
        if line.startswith('## '):
            section = line[3:].split()[0]
        elif line.startswith('|') and section:
            # "\|" is a pipe inside a cell (C's ||, |=), not a border.
            cells = [c.strip().replace('\\|', '|') for c in
                     re.split(r'(?<!\\)\|', line.strip()[1:-1])]
            if cells and cells[0] in ('#', '') or set(line) <= set('|-: '):
                continue
            yield section, cells


def main():
    md = read(MAP)
    cache = {}

    def source(fname):
        if fname not in cache:
            path = os.path.join(tl.REPO, 'src', fname)
            cache[fname] = read(path) if os.path.isfile(path) else None
        return cache[fname]

    with rep.case('seedmap/functions-exist'):
        missing = []
        refs = sorted(set(REF.findall(md)))
        check(len(refs) >= 15, 'only %d src/FILE.c:NAME references' %
              len(refs))
        for fname, name in refs:
            text = source(fname)
            if text is None:
                missing.append('src/%s:%s (no such file)' % (fname, name))
            elif definition(text, name) is None:
                missing.append('src/%s:%s (no definition)' % (fname, name))
        for m in missing:
            print('    not found: ' + m)
        check(not missing, '%d of %d references name no definition: %s'
              % (len(missing), len(refs), ', '.join(missing)))

    if not os.path.isfile(SEED):
        rep.emit('SKIP', 'seedmap/seed-covered',
                 'no seed at %s (set MINIRED_SEED)' % SEED)
    else:
        with rep.case('seedmap/seed-covered'):
            seed = read(SEED)
            defined = re.findall(
                r'^(?:static\s+)?[A-Za-z_][A-Za-z0-9_ \t\*]*?[ \t\*]'
                r'([A-Za-z_][A-Za-z0-9_]*)\s*\([^;{]*\)\s*\{', seed, re.M)
            check(len(defined) >= 10, 'only %d functions found in the seed'
                  % len(defined))
            sections = set(re.findall(r'^## (\S+)', md, re.M))
            absent = [f for f in defined if f not in sections]
            check(not absent, 'seed functions without a "## NAME" section: '
                  '%s' % ', '.join(absent))

    all_rows = list(rows(md))
    with rep.case('seedmap/rows-well-formed'):
        check(len(all_rows) >= 50, 'only %d rows' % len(all_rows))
        bad = []
        for section, cells in all_rows:
            if len(cells) != 4 or not REF.fullmatch(cells[2]) or \
                    not re.match(r'kept\b|left out: \S', cells[3]):
                bad.append('%s %s' % (section, cells[0]))
        check(not bad, 'malformed rows: %s' % ', '.join(bad))

    with rep.case('seedmap/left-out-explained'):
        unexplained = []
        for section, cells in all_rows:
            if len(cells) != 4 or not cells[3].startswith('left out: '):
                continue
            m = REF.fullmatch(cells[2])
            text = source(m.group(1)) if m else None
            span = definition(text, m.group(2)) if text else None
            if span is None:
                unexplained.append('%s %s: no definition' %
                                   (section, cells[0]))
                continue
            body = text[span[0]:span[1]]
            reason = cells[3][len('left out: '):].lower()
            for subject, pattern in SUBJECTS:
                if subject in reason and not re.search(pattern, body):
                    unexplained.append('%s %s: %s never mentions %s' % (
                        section, cells[0], cells[2], subject))
            if 'Redis 5.0' not in body:
                unexplained.append('%s %s: %s has no "Redis 5.0" comment' %
                                   (section, cells[0], cells[2]))
        check(not unexplained, '; '.join(unexplained))
    with rep.case('comments/par-names-release'):
        bad = []
        count = 0
        for path in sorted(os.listdir(os.path.join(tl.REPO, 'src'))):
            if not path.endswith(('.c', '.h')):
                continue
            text = read(os.path.join(tl.REPO, 'src', path))
            for m in re.finditer(r'@par Redis 5\.0:\n((?:\s*\*(?!/)[^\n@]*\n)*)',
                                 text):
                count += 1
                para = m.group(1)
                # The paragraph ends at the first empty " *" line.
                para = re.split(r'\n\s*\*\s*\n', '\n' + para, 1)[0]
                if '5.0.14' not in para or not re.search(r'\w\(\)', para):
                    line = text.count('\n', 0, m.start()) + 1
                    bad.append('src/%s:%d' % (path, line))
        check(count >= 100, 'only %d @par Redis 5.0 paragraphs found' % count)
        check(not bad, 'paragraphs not naming 5.0.14 and a function: %s'
              % ', '.join(bad))
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
