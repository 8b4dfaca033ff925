#!/usr/bin/env bash
# check-anchors.sh - verify the named code regions the book quotes.
#
# Usage: scripts/check-anchors.sh [ROOT]      (ROOT defaults to the repo root)
# Run by `make check-anchors` and by tests/run-all.sh.
#
# Code marks a region a chapter walks through like this, each marker alone
# on its line:
#
#     /* ANCHOR: networking-read-sizing */
#     ...code...
#     /* ANCHOR_END: networking-read-sizing */
#
# and a chapter (book.md, chapters/*.md) pulls it in with
#
#     {{#anchor src/networking.c:networking-read-sizing}}
#
# or, in the generated-block syntax of scripts/book.py (docs/book-build.md),
#
#     <!-- book:code src/networking.c networking-read-sizing -->
#
# This script fails (exit 1, one line per problem) when:
#   - an ANCHOR has no ANCHOR_END in the same file, or the reverse;
#   - a region is opened again inside itself (same name nested);
#   - the same name is used for two regions anywhere in the tree;
#   - a name is not lowercase-with-dashes, or a marker shares its line
#     with other text (the quoted region would swallow or lose that text);
#   - a {{#anchor FILE:name}} or <!-- book:code FILE name --> reference
#     names a file that does not exist or an anchor that file does not
#     define.
# A missing reference is an error, not a warning: printed books with stale
# line numbers are what this check exists to prevent.
#
# Scanned: every file under ROOT/src/, ROOT/trace-tool/ and, if present, ROOT/trace-viewer/;
# references in ROOT/book.md, ROOT/chapters/*.md and ROOT/tests/book/fixtures/*.md
# (scripts/book.py's own fixture chapter) if present.
set -euo pipefail

ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
PY=/usr/bin/python3
if [ ! -x "$PY" ]; then
    echo "check-anchors: $PY not found (run scripts/install-deps.sh)" >&2
    exit 2
fi

exec "$PY" - "$ROOT" <<'PYEOF'
import os
import re
import sys

root = sys.argv[1]
errors = []

# A marker line, stripped, must be exactly one of these comment forms.
MARKER = re.compile(
    r'^(?:/\*\s*(ANCHOR|ANCHOR_END):\s*(\S+)\s*\*/'
    r'|//\s*(ANCHOR|ANCHOR_END):\s*(\S+)'
    r'|<!--\s*(ANCHOR|ANCHOR_END):\s*(\S+)\s*-->)$')
# Anything that looks like a marker, wherever it is on the line.
LOOSE = re.compile(r'(?:/\*|//|<!--)\s*(ANCHOR|ANCHOR_END):')
NAME = re.compile(r'^[a-z0-9]+(?:-[a-z0-9]+)*$')
REF = re.compile(r'\{\{#anchor\s+([^:}\s]+):([^}\s]+)\s*\}\}')
# The book's generated-block marker (docs/book-build.md), alone on its line:
#     <!-- book:code src/networking.c networking-read-sizing -->
BOOK_REF = re.compile(r'^\s*<!--\s*book:code\s+(\S+)\s+(\S+)\s*-->\s*$')


def scan_dirs():
    """Yield every regular text file under src/, trace-tool/ and trace-viewer/."""
    for top in ('src', 'trace-tool', 'trace-viewer'):
        base = os.path.join(root, top)
        if not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames
                                 if d not in ('node_modules', '.git'))
            for fn in sorted(filenames):
                yield os.path.join(dirpath, fn)


# anchors[relpath] = set of names defined in that file
anchors = {}
# where[name] = "relpath:line" of the first definition, for duplicate reports
where = {}
files_scanned = 0

for path in scan_dirs():
    rel = os.path.relpath(path, root)
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError as e:
        errors.append(f'{rel}: cannot read: {e}')
        continue
    if b'\0' in data:
        continue  # binary file: no anchors in it
    files_scanned += 1
    text = data.decode('utf-8', errors='replace')
    open_regions = {}  # name -> line it was opened on
    defined = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        if not LOOSE.search(line):
            continue
        m = MARKER.match(line.strip())
        if not m:
            errors.append(f'{rel}:{lineno}: anchor marker must be alone on '
                          f'its line: {line.strip()}')
            continue
        kind = m.group(1) or m.group(3) or m.group(5)
        name = m.group(2) or m.group(4) or m.group(6)
        if not NAME.match(name):
            errors.append(f'{rel}:{lineno}: anchor name "{name}" is not '
                          f'lowercase-with-dashes')
        if kind == 'ANCHOR':
            if name in open_regions:
                errors.append(f'{rel}:{lineno}: anchor "{name}" opened again '
                              f'inside itself (opened at line '
                              f'{open_regions[name]})')
                continue
            if name in where:
                errors.append(f'{rel}:{lineno}: anchor "{name}" duplicated '
                              f'(first defined at {where[name]})')
            else:
                where[name] = f'{rel}:{lineno}'
            open_regions[name] = lineno
            defined.add(name)
        else:
            if name not in open_regions:
                errors.append(f'{rel}:{lineno}: ANCHOR_END "{name}" without '
                              f'a matching ANCHOR before it')
                continue
            del open_regions[name]
    for name, lineno in sorted(open_regions.items(), key=lambda kv: kv[1]):
        errors.append(f'{rel}:{lineno}: ANCHOR "{name}" never closed by '
                      f'ANCHOR_END')
    if defined:
        anchors[rel] = defined

n_anchors = sum(len(v) for v in anchors.values())

# References from the book.
docs = []
if os.path.isfile(os.path.join(root, 'book.md')):
    docs.append('book.md')
chapters = os.path.join(root, 'chapters')
if os.path.isdir(chapters):
    docs += ['chapters/' + fn for fn in sorted(os.listdir(chapters))
             if fn.endswith('.md')]
fixtures = os.path.join(root, 'tests', 'book', 'fixtures')
if os.path.isdir(fixtures):
    docs += ['tests/book/fixtures/' + fn for fn in sorted(os.listdir(fixtures))
             if fn.endswith('.md')]

n_refs = 0
for doc in docs:
    with open(os.path.join(root, doc), encoding='utf-8',
              errors='replace') as f:
        for lineno, line in enumerate(f, 1):
            refs = list(REF.finditer(line))
            m = BOOK_REF.match(line)
            if m:
                refs.append(m)
            for m in refs:
                n_refs += 1
                target, name = os.path.normpath(m.group(1)), m.group(2)
                if not os.path.isfile(os.path.join(root, target)):
                    errors.append(f'{doc}:{lineno}: {m.group(0).strip()}'
                                  f': file {m.group(1)} not found')
                elif name not in anchors.get(target, ()):
                    hint = ''
                    if name in where:
                        hint = f' (it is defined in {where[name]})'
                    errors.append(f'{doc}:{lineno}: {m.group(0).strip()}'
                                  f': no anchor "{name}" in '
                                  f'{m.group(1)}{hint}')

print(f'check-anchors: {files_scanned} files scanned, {n_anchors} anchors '
      f'in {len(anchors)} files, {n_refs} references in {len(docs)} '
      f'book files')
for name in sorted(where):
    print(f'  anchor {name:40s} {where[name]}')
if errors:
    for e in errors:
        print(f'check-anchors: ERROR {e}', file=sys.stderr)
    print(f'check-anchors: FAILED, {len(errors)} problem(s)', file=sys.stderr)
    sys.exit(1)
print('check-anchors: OK')
PYEOF
