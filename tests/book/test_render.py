#!/usr/bin/python3
"""test_render.py - `make book`'s renderer (scripts/book_render.py) on a
tiny book in a scratch directory.

Run by tests/run-all.sh's docs suite (with the real book's `make book`
before it); pandoc and graphviz come from scripts/install-deps.sh's default
list. By hand:

    /usr/bin/python3 tests/book/test_render.py

Line protocol (PASS/FAIL/SKIP), as the suites. Cases:

    render/pages          index.html, one page per chapter and
                          minired-book.html are written, exit 0, no output
                          on stderr
    render/navigation     each chapter page links previous / contents /
                          next by page name and title; the first page has
                          no previous, the last no next
    render/links          a chapter link with a heading becomes
                          PAGE.html#id on a page and #stem--id in the one-
                          file edition, and that id exists there; a link to
                          a repository file becomes ../../PATH
    render/one-file-toc   the one-file edition opens with a table of
                          contents listing every page's headings
    render/highlight      a ```c block comes out highlighted (pandoc's
                          token spans and their CSS)
    render/dot            a ```dot block becomes an inline <svg>
    render/offline        no page loads anything from the network (no
                          http(s):// or // src/href on script, link, img)
    render/dot-error      a dot block with a syntax error fails the build,
                          naming the chapter
    render/bad-link       a link to a chapter that does not exist fails
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, 'tests', 'integration'))
import harness  # noqa: E402
from harness import check  # noqa: E402

rep = harness.Reporter()

BOOK_MD = """# A tiny book

Start with [chapter one](chapters/01-one.md) or jump to
[its figure](chapters/01-one.md#a-figure).
"""
ONE = """# 1. One

## A figure

```dot
digraph { querybuf -> argv }
```

```c
int processInputBuffer(client *c) { return C_OK; }
```

See [the code](../src/networking.c) and [two](02-two.md).
"""
TWO = """# 2. Two

Back to [the figure](01-one.md#a-figure).
"""


def make_book(extra_one=''):
    d = tempfile.mkdtemp(prefix='render-test-')
    root = os.path.join(d, 'repo')
    os.makedirs(os.path.join(root, 'chapters'))
    os.makedirs(os.path.join(root, 'scripts'))
    os.makedirs(os.path.join(root, 'src'))
    shutil.copy(os.path.join(REPO, 'scripts', 'book.css'),
                os.path.join(root, 'scripts'))
    open(os.path.join(root, 'src', 'networking.c'), 'w').close()
    for rel, text in (('book.md', BOOK_MD), ('chapters/01-one.md',
                                             ONE + extra_one),
                      ('chapters/02-two.md', TWO)):
        with open(os.path.join(root, rel), 'w') as f:
            f.write(text)
    return d, root


def render(root):
    return subprocess.run(['/usr/bin/python3',
                           os.path.join(REPO, 'scripts', 'book.py'),
                           'render', '--root', root],
                          capture_output=True, text=True,
                          timeout=harness.guard(300))


def page(root, name):
    with open(os.path.join(root, 'build', 'book', name)) as f:
        return f.read()


if shutil.which('pandoc') is None or shutil.which('dot') is None:
    with rep.case('render/pages'):
        raise harness.TestFailure('pandoc or dot missing: '
                                  'scripts/install-deps.sh installs both')
    sys.exit(0)

d, root = make_book()
try:
    p = render(root)
    with rep.case('render/pages'):
        check(p.returncode == 0 and not p.stderr,
              f'exit {p.returncode}: {p.stderr[-600:]}')
        for n in ('index.html', '01-one.html', '02-two.html',
                  'minired-book.html'):
            check(os.path.isfile(os.path.join(root, 'build', 'book', n)),
                  f'{n} not written')
    with rep.case('render/navigation'):
        one = page(root, '01-one.html')
        check('rel="prev" href="index.html">&larr; A tiny book' in one, one)
        check('rel="next" href="02-two.html">2. Two' in one, 'no next')
        check('href="index.html">Contents' in one, 'no contents link')
        check('rel="prev"' not in page(root, 'index.html'), 'index has prev')
        check('rel="next"' not in page(root, '02-two.html'), 'last has next')
    with rep.case('render/links'):
        idx = page(root, 'index.html')
        check('href="01-one.html#a-figure"' in idx, 'page link not rewritten')
        check('id="a-figure"' in page(root, '01-one.html'), 'heading id')
        whole = page(root, 'minired-book.html')
        check('href="#01-one--a-figure"' in whole, 'one-file link')
        check('id="01-one--a-figure"' in whole, 'one-file id')
        check('href="#02-two"' in whole and 'id="02-two"' in whole,
              'one-file chapter link')
        check('href="../../src/networking.c"' in one, 'repo file link')
    with rep.case('render/one-file-toc'):
        toc = whole.split('<nav id="TOC"', 1)
        check(len(toc) == 2, 'no table of contents in minired-book.html')
        toc = toc[1].split('</nav>', 1)[0]
        check('href="#01-one--a-figure"' in toc and 'href="#02-two--2-two"'
              in toc, f'toc misses headings: {toc[:300]}')
    with rep.case('render/highlight'):
        check(re.search(r'<code class="sourceCode c">.*<span class="dt">int'
                        r'</span>', one, re.S), 'c block not highlighted')
        check('code span.dt' in one, 'no highlighting CSS')
    with rep.case('render/dot'):
        check('<figure class="dot">' in one and '<svg' in one, 'no svg')
        check('querybuf' in one.split('<svg', 1)[1], 'svg lacks the node')
    with rep.case('render/offline'):
        for n in ('index.html', '01-one.html', 'minired-book.html'):
            bad = re.findall(r'<(?:script|link|img)\b[^>]*(?:src|href)="'
                             r'(?:https?:)?//', page(root, n))
            check(not bad, f'{n}: {bad}')
finally:
    shutil.rmtree(d, ignore_errors=True)

def expect_render_fails(case, extra, needle):
    """A book whose chapter 1 ends with EXTRA fails to render, naming NEEDLE."""
    with rep.case(case):
        d, root = make_book(extra)
        try:
            p = render(root)
            check(p.returncode == 1 and needle in p.stderr,
                  f'exit {p.returncode}: {p.stderr[-400:]}')
        finally:
            shutil.rmtree(d, ignore_errors=True)


expect_render_fails('render/dot-error', '\n```dot\ndigraph { a -> }\n```\n',
                    'chapters/01-one.md: dot figure 2')
expect_render_fails('render/bad-link', '\n[gone](03-gone.md)\n',
                    'chapters/03-gone.md')

sys.exit(rep.exit_code())
