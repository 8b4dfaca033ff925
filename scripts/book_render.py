"""book_render.py - `make book`: the book as HTML in build/book/ (issue 12).

Called by scripts/book.py render (which `make book` runs after
scripts/install-deps.sh --book has installed pandoc and graphviz).

What it writes (docs/book-build.md, "The HTML edition"):
  build/book/index.html          book.md
  build/book/NN-name.html        chapters/NN-name.md, in file-name order
  build/book/minired-book.html   every page in one file
Each page has previous / contents / next links at the top and the bottom.

How: each Markdown file is read by pandoc's GitHub reader (`-f gfm`, so
heading ids are GitHub's, the slugs scripts/book.py check resolves) into
pandoc's JSON tree; this script rewrites that tree (links between chapters
to the .html pages or, in the one-file edition, to ids inside the file;
links to repository files to ../../PATH, i.e. the file next to build/;
```dot code blocks to inline SVG drawn by graphviz's dot; the navigation)
and hands it back to pandoc for HTML5 with pandoc's own highlighter. The
CSS (scripts/book.css) and the highlighter's CSS are embedded in every
page: no network, no CDN, and a page works copied anywhere.

Fails (exit 1) on any pandoc or dot warning (stderr output or a non-zero
exit; pandoc runs with --fail-if-warnings), and when the result does not
pass verify(): every page present, every internal link resolving to an id
of its page, no reference to anything outside (http, //).
"""

import copy
import html
import json
import os
import re
import shutil
import subprocess
import sys

PANDOC = 'pandoc'
DOT = 'dot'
# Every subprocess here is a local conversion of a few hundred KB: a hang
# guard, never a speed bound.
GUARD_SECONDS = 300


class RenderError(Exception):
    """A warning or failure of pandoc, dot or the result's check."""


def run(cmd, data, what):
    """Run CMD with DATA (bytes) on stdin; stdout, or RenderError."""
    p = subprocess.run(cmd, input=data, capture_output=True,
                       timeout=GUARD_SECONDS)
    err = p.stderr.decode('utf-8', errors='replace').strip()
    if p.returncode != 0 or err:
        raise RenderError(f'{what}: {" ".join(cmd[:3])}... exited '
                          f'{p.returncode}{": " + err if err else ""}')
    return p.stdout


def pages(root):
    """[(source path from ROOT, output name, stem)] in reading order."""
    out = []
    if os.path.isfile(os.path.join(root, 'book.md')):
        out.append(('book.md', 'index.html', 'book'))
    ch = os.path.join(root, 'chapters')
    if os.path.isdir(ch):
        for f in sorted(os.listdir(ch)):
            if f.endswith('.md'):
                stem = f[:-3]
                out.append((f'chapters/{f}', stem + '.html', stem))
    return out


def stringify(inlines):
    """The plain text of a list of pandoc inlines."""
    parts = []
    for el in inlines:
        t = el.get('t')
        c = el.get('c')
        if t == 'Str':
            parts.append(c)
        elif t in ('Space', 'SoftBreak', 'LineBreak'):
            parts.append(' ')
        elif t == 'Code':
            parts.append(c[1])
        elif t in ('Emph', 'Strong', 'Strikeout', 'SmallCaps', 'Underline',
                   'Superscript', 'Subscript'):
            parts.append(stringify(c))
        elif t in ('Link', 'Span', 'Image'):
            parts.append(stringify(c[1]))
        elif t == 'Quoted':
            parts.append(stringify(c[1]))
    return ''.join(parts)


def walk(node, fn):
    """Call FN on every dict element of a pandoc tree (depth first)."""
    if isinstance(node, dict):
        fn(node)
        for v in node.values():
            walk(v, fn)
    elif isinstance(node, list):
        for v in node:
            walk(v, fn)


def read_tree(root, src):
    """pandoc's JSON tree of SRC (GitHub-flavoured Markdown)."""
    data = run([PANDOC, '-f', 'gfm', '-t', 'json', '--fail-if-warnings',
                os.path.join(root, src)], b'', src)
    return json.loads(data)


def title_of(tree, src):
    """The text of the page's first level-1 heading (its <title>)."""
    for b in tree['blocks']:
        if b['t'] == 'Header' and b['c'][0] == 1:
            return stringify(b['c'][2])
    raise RenderError(f'{src}: no "# Title" heading (a page needs a title)')


def draw_dot(tree, src):
    """Each ```dot code block -> a <figure> with dot's SVG inline."""
    n = [0]

    def fn(el):
        if el.get('t') == 'CodeBlock' and 'dot' in el['c'][0][1]:
            n[0] += 1
            svg = run([DOT, '-Tsvg'], el['c'][1].encode(),
                      f'{src}: dot figure {n[0]}').decode('utf-8')
            svg = svg[svg.index('<svg'):]        # drop the XML prolog
            el['t'] = 'RawBlock'
            el['c'] = ['html', f'<figure class="dot">\n{svg}</figure>']
    walk(tree, fn)
    return n[0]


def rewrite_links(tree, src, page_of, one_file, stem):
    """Links to book pages -> their .html (or #ids); repo files -> ../../.

    PAGE_OF maps a book Markdown path (from ROOT) to (html name, stem).
    In the one-file edition heading ids are prefixed with STEM + '--'.
    """
    here = os.path.dirname(src)

    def fix(url):
        if re.match(r'^[a-z][a-z0-9+.-]*:', url, re.I):
            return url
        path, hashmark, frag = url.partition('#')
        if not path:
            target = src
        else:
            target = os.path.normpath(os.path.join(here, path))
        if target in page_of:
            html_name, tstem = page_of[target]
            if one_file:
                return '#' + (f'{tstem}--{frag}' if frag else tstem)
            return html_name + (('#' + frag) if frag else '')
        # A repository file: build/book/ is two levels below the root.
        return '../../' + target + (('#' + frag) if hashmark else '')

    def fn(el):
        t = el.get('t')
        if t in ('Link', 'Image'):
            url, title = el['c'][2]
            el['c'][2] = [fix(url), title]
        if one_file and t == 'Header' and el['c'][1][0]:
            el['c'][1][0] = f'{stem}--{el["c"][1][0]}'
    walk(tree, fn)


def nav(order, i, where):
    """The previous / contents / next bar of page I (WHERE: top, bottom)."""
    def a(j, rel):
        if j is None or j < 0 or j >= len(order):
            return f'<span class="nav-{rel} none"></span>'
        o = order[j]
        arrow = {'prev': '&larr; ', 'next': ''}[rel]
        after = ' &rarr;' if rel == 'next' else ''
        return (f'<a class="nav-{rel}" rel="{rel}" href="{o["html"]}">'
                f'{arrow}{html.escape(o["title"])}{after}</a>')
    return (f'<nav class="book-nav {where}">{a(i - 1, "prev")}'
            f'<a class="nav-contents" href="index.html">Contents</a>'
            f'{a(i + 1, "next")}</nav>')


def to_html(tree, out_path, title, css, toc=False):
    """pandoc JSON tree -> standalone HTML5 at OUT_PATH."""
    cmd = [PANDOC, '-f', 'json', '-t', 'html5', '-s', '--fail-if-warnings',
           '--highlight-style=pygments', '--metadata', f'pagetitle={title}',
           '--metadata', 'lang=en',
           '-H', css, '-o', out_path]
    if toc:
        cmd += ['--toc', '--toc-depth=2', '--metadata',
                'toc-title=Contents']
    run(cmd, json.dumps(tree).encode(), os.path.basename(out_path))


def verify(root, out_dir, names):
    """Every page exists; links resolve (ids, repository files); nothing
    is fetched from the network."""
    problems = []
    ids = {}
    texts = {}
    for n in names:
        p = os.path.join(out_dir, n)
        if not os.path.isfile(p):
            problems.append(f'{n}: not written')
            continue
        with open(p, encoding='utf-8') as f:
            texts[n] = f.read()
        ids[n] = set(re.findall(r'\sid="([^"]+)"', texts[n]))
    for n, text in texts.items():
        for m in re.finditer(r'<(?:script|link|img)\b[^>]*\s(?:src|href)='
                             r'"((?:https?:)?//[^"]*)"', text):
            problems.append(f'{n}: loads {m.group(1)} (must work offline)')
        for m in re.finditer(r'<a\b[^>]*\shref="([^"]*)"', text):
            url = html.unescape(m.group(1))
            if re.match(r'^[a-z][a-z0-9+.-]*:', url, re.I):
                continue
            if url.startswith('../../'):
                target = url[len('../../'):].partition('#')[0]
                if not os.path.exists(os.path.join(root, target)):
                    problems.append(f'{n}: link to {url}: {target} is not '
                                    f'in the repository')
                continue
            page, _, frag = url.partition('#')
            page = page or n
            if page not in ids:
                problems.append(f'{n}: link to {url}: no page {page}')
            elif frag and frag not in ids[page]:
                problems.append(f'{n}: link to {url}: no id "{frag}" in '
                                f'{page}')
    return problems


def render(root, out_dir):
    """Write the whole HTML book; 0 on success, 1 on any problem."""
    for tool in (PANDOC, DOT):
        if shutil.which(tool) is None:
            print(f'book: {tool} not found (run scripts/install-deps.sh '
                  f'--book)', file=sys.stderr)
            return 1
    order = [{'src': s, 'html': h, 'stem': st} for s, h, st in pages(root)]
    if not order:
        print('book: no book.md and no chapters/*.md: nothing to render',
              file=sys.stderr)
        return 1
    os.makedirs(out_dir, exist_ok=True)
    css_src = os.path.join(root, 'scripts', 'book.css')
    css_head = os.path.join(out_dir, '.book-css.html')
    with open(css_src, encoding='utf-8') as f:
        css = f.read()
    with open(css_head, 'w', encoding='utf-8') as f:
        f.write('<style>\n' + css + '\n</style>\n')
    page_of = {o['src']: (o['html'], o['stem']) for o in order}
    try:
        figures = 0
        for o in order:
            o['tree'] = read_tree(root, o['src'])
            o['title'] = title_of(o['tree'], o['src'])
            figures += draw_dot(o['tree'], o['src'])
        whole_blocks = []
        for i, o in enumerate(order):
            one = copy.deepcopy(o['tree'])
            rewrite_links(o['tree'], o['src'], page_of, False, o['stem'])
            o['tree']['blocks'] = (
                [{'t': 'RawBlock', 'c': ['html', nav(order, i, 'top')]}] +
                o['tree']['blocks'] +
                [{'t': 'RawBlock', 'c': ['html', nav(order, i, 'bottom')]}])
            to_html(o['tree'], os.path.join(out_dir, o['html']),
                    o['title'] + ' - minired', css_head)
            rewrite_links(one, o['src'], page_of, True, o['stem'])
            # The page's id on an empty Div before its blocks, not a Div
            # around them: pandoc's --toc only sees top-level headings.
            whole_blocks.append({'t': 'Div', 'c': [
                [o['stem'], ['book-page'], []], []]})
            whole_blocks += one['blocks']
        whole = {'pandoc-api-version': order[0]['tree']['pandoc-api-version'],
                 'meta': {}, 'blocks': whole_blocks}
        to_html(whole, os.path.join(out_dir, 'minired-book.html'),
                order[0]['title'], css_head, toc=True)
    except RenderError as e:
        print(f'book: ERROR {e}', file=sys.stderr)
        return 1
    finally:
        os.remove(css_head)
    names = [o['html'] for o in order] + ['minired-book.html']
    problems = verify(root, out_dir, names)
    for p in problems:
        print(f'book: ERROR {p}', file=sys.stderr)
    if problems:
        return 1
    rel = os.path.relpath(out_dir, root)
    print(f'book: {len(order)} pages and minired-book.html in {rel}/, '
          f'{figures} dot figures, no warnings')
    return 0
