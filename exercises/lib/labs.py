"""labs.py - find a lab, its regions in the source, and make its handout.

A lab is a directory exercises/NN-name/ holding lab.py (its tests, see
grader.py), README.md (the student's handout text), stubs/REGION.c (what
replaces each removed region), bad/*.patch + bad/*.expect (known-bad
solutions and the message the grader must give) and good/*.patch (correct
but different solutions that must score full marks).

A region is marked in the source, each marker alone on its line:

    /* LAB 1 BEGIN inline-parse */
    ...the reference code the student writes...
    /* LAB 1 END inline-parse */

The book's quotes, Doxygen and check-anchors ignore these lines. A handout
keeps the two markers (so the student sees where to work) and puts the
stub's lines between them.
"""

import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
MARK = re.compile(r'^\s*/\*\s*LAB\s+(\d+)\s+(BEGIN|END)\s+([a-z0-9-]+)\s*\*/\s*$')
SCANNED = ('src', 'trace-tool', 'trace-viewer')


class LabError(Exception):
    """A problem the user must fix (bad LAB=, broken marker...)."""


def lab_dir(root, lab):
    """exercises/NN-name for LAB ('1', '01', '1-inline'...)."""
    m = re.match(r'^0*(\d+)', str(lab))
    if not m:
        raise LabError('LAB=%r: give a number, e.g. LAB=1 or LAB=01' % lab)
    n = int(m.group(1))
    base = os.path.join(root, 'exercises')
    for d in sorted(os.listdir(base)):
        if re.match(r'^%02d-' % n, d) and os.path.isdir(os.path.join(base, d)):
            return n, os.path.join(base, d)
    raise LabError('LAB=%s: no exercises/%02d-*/ directory' % (lab, n))


def source_files(root):
    for top in SCANNED:
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if name.endswith(('.c', '.h')):
                    yield os.path.join(dirpath, name)


def regions(root, n=None):
    """[(path, lab, name, begin_index, end_index, body_lines)] of the tree."""
    found = []
    for path in source_files(root):
        with open(path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        open_ = None
        for i, ln in enumerate(lines):
            m = MARK.match(ln)
            if not m:
                if 'LAB ' in ln and re.search(r'/\*\s*LAB\s+\d+\s+(BEGIN|END)', ln):
                    raise LabError('%s:%d: a LAB marker must be alone on its '
                                   'line' % (path, i + 1))
                continue
            lab, kind, name = int(m.group(1)), m.group(2), m.group(3)
            if kind == 'BEGIN':
                if open_:
                    raise LabError('%s:%d: LAB region %s opened inside %s'
                                   % (path, i + 1, name, open_[1]))
                open_ = (lab, name, i)
            else:
                if not open_ or open_[:2] != (lab, name):
                    raise LabError('%s:%d: LAB %d END %s without its BEGIN'
                                   % (path, i + 1, lab, name))
                found.append((path, lab, name, open_[2], i,
                              lines[open_[2] + 1:i]))
                open_ = None
        if open_:
            raise LabError('%s: LAB %d BEGIN %s has no END'
                           % (path, open_[0], open_[1]))
    return [r for r in found if n is None or r[1] == n]


def stub_lines(ldir, name):
    path = os.path.join(ldir, 'stubs', name + '.c')
    if not os.path.isfile(path):
        raise LabError('no stub %s for region %s' % (os.path.relpath(path, ROOT), name))
    with open(path, encoding='utf-8') as f:
        text = f.read()
    return text[:-1].split('\n') if text.endswith('\n') else text.split('\n')


def lab_module(ldir):
    """The lab's lab.py as a dict of its globals."""
    g = {'__file__': os.path.join(ldir, 'lab.py')}
    with open(g['__file__'], encoding='utf-8') as f:
        exec(compile(f.read(), g['__file__'], 'exec'), g)
    return g


def tracked_files(root):
    """Files of the tree: git's list if ROOT is a checkout, else a walk."""
    try:
        out = subprocess.run(['git', '-C', root, 'ls-files', '-z'],
                             capture_output=True, check=True).stdout
        files = [f for f in out.decode().split('\0') if f]
        # plus files not yet committed (lab-start, a student's new file)
        out = subprocess.run(['git', '-C', root, 'ls-files', '-z', '-o',
                              '--exclude-standard'], capture_output=True,
                             check=True).stdout
        files += [f for f in out.decode().split('\0') if f]
        return sorted(f for f in set(files) if os.path.isfile(os.path.join(root, f)))
    except (subprocess.CalledProcessError, FileNotFoundError):
        pass
    files = []
    for dirpath, dirs, names in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        dirs[:] = [d for d in dirs if not (rel == '.' and d in ('build', 'bin', '.git'))]
        for name in names:
            files.append(os.path.normpath(os.path.join(rel, name)))
    return sorted(files)


def text_files(root, exts):
    """(rel, path, text) of every tracked file of ROOT ending in EXTS."""
    for rel in tracked_files(root):
        if rel.endswith(exts):
            p = os.path.join(root, rel)
            with open(p, encoding='utf-8', errors='replace') as f:
                yield rel, p, f.read()


def scratch_copy(src, dest, skip=()):
    """A copy of SRC's files in DEST, with build/ and bin/ (so a make there
    only recompiles what a patch touches), without the big build outputs
    a grade does not need (and SKIP). tests/labs/ uses it."""
    for rel in tracked_files(src):
        d = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(d), exist_ok=True)
        shutil.copy2(os.path.join(src, rel), d)
    for d in ('build', 'bin'):
        shutil.copytree(os.path.join(src, d), os.path.join(dest, d), symlinks=True,
                        ignore=shutil.ignore_patterns('sanitize', 'book*', 'docs', 'grade',
                                                      'fuzz', 'notrace', *skip))


def replace_block(lines, old, new):
    """Replace every run of lines equal to OLD in LINES by NEW; count."""
    if not old:
        return lines, 0
    out, i, count = [], 0, 0
    while i < len(lines):
        if lines[i:i + len(old)] == old:
            out += new
            i += len(old)
            count += 1
        else:
            out.append(lines[i])
            i += 1
    return out, count


ANCHOR_MARK = re.compile(r'^\s*/\*\s*(ANCHOR|ANCHOR_END):\s*([A-Za-z0-9_-]+)\s*\*/\s*$')


def kept_anchor_markers(body):
    """The book-anchor marker lines of a region's BODY whose partner lies
    outside it. An anchor wholly inside the region goes with the code (the
    book's quote of it becomes a note, see regenerate_quotes); one that
    crosses the region's edge keeps its marker, so the handout's anchors
    stay balanced: (END markers to put before the stub, BEGIN markers after).
    """
    begins, ends = {}, {}
    for ln in body:
        m = ANCHOR_MARK.match(ln)
        if m:
            (begins if m.group(1) == 'ANCHOR' else ends)[m.group(2)] = ln
    before = [ln for name, ln in ends.items() if name not in begins]
    after = [ln for name, ln in begins.items() if name not in ends]
    return before, after


def rewrite_blocks(root, fn):
    """Walk the book blocks (scripts/book.py's markers) of ROOT's Markdown
    files: FN(rel, block, book) returns the block's new body lines, or None
    to keep it; when it changes a block, a `note` attribute FN set on the
    block (a line) goes just above it. Files are rewritten only when a
    block changed. Returns the files changed."""
    sys.path.insert(0, os.path.join(root, 'scripts'))
    try:
        import book
    finally:
        sys.path.pop(0)
    changed = []
    for rel, p, text in text_files(root, '.md'):
        if 'book:' not in text:
            continue
        try:
            items = book.parse(text, rel)
        except book.BookError:
            continue
        bodies, out = {}, []
        for it in items:
            if isinstance(it, book.Block):
                body = fn(rel, it, book)
                bodies[id(it)] = list(it.body) if body is None else body
                if body is not None and body != list(it.body) and getattr(it, 'note', None):
                    out += [it.note, '']
            out.append(it)
        new = book.unparse(out, bodies)
        if new != text:
            with open(p, 'w', encoding='utf-8') as f:
                f.write(new)
            changed.append(rel)
    return changed


def regenerate_quotes(root, n, ldir):
    """Every book:code block of ROOT's Markdown files quoted again from
    ROOT's (stubbed) source, so the book shows the stub where the lab's
    region was, nested anchors included, with a note above each quote that
    changed. An anchor removed with the region becomes a short note instead
    of the code. Returns the files changed."""
    readme = os.path.relpath(os.path.join(ldir, 'README.md'), root)

    def quote(rel, it, book):
        if it.kind != 'code':
            return None
        try:
            body = book.gen_code(root, it, rel)
            it.note = ('> **Lab %d:** in your tree the quote below shows the stub you '
                       'replace (%s); the text around it describes the reference code '
                       'you are writing.' % (n, readme))
            return body
        except book.BookError:
            lang = 'c' if it.args and it.args[0].endswith(('.c', '.h')) else 'text'
            return ['```' + lang, '/* Lab %d removes this code: you write it. */' % n,
                    '/* See %s. */' % readme, '```']
    return rewrite_blocks(root, quote)


def map_line(moves, base, line):
    """Line LINE of file BASE in the reference -> its line once the regions
    of MOVES [(base, begin index, end index, new body length)] are stubbed,
    in the order they were. A line inside a region maps to the stub's first
    line (the TODO the student fills in)."""
    for mbase, b, e, newlen in moves:
        if mbase != base:
            continue
        first, last = b + 2, e          # 1-based lines of the old body
        if first <= line <= last:
            line = first
        elif line > last:
            line += newlen - (e - b - 1)
    return line


SRC_REF = re.compile(r'\b([a-z_]+\.[ch]):(\d+)\b')


def move_src_lines(root, moves):
    """Reference traces (*.jsonl: each step's `src`) and the book's frames
    (*.md) name lines of the reference source; in a tree with stubs those
    lines moved. Rewrite every FILE.c:N of a stubbed file to its line in
    the stubbed file, so the viewer opens the student's source at the
    right place. Returns the files changed."""
    bases = {m[0] for m in moves}
    changed = []
    if not bases:
        return changed

    def sub(m):
        if m.group(1) not in bases:
            return m.group(0)
        return '%s:%d' % (m.group(1), map_line(moves, m.group(1), int(m.group(2))))
    for rel, p, text in text_files(root, ('.jsonl', '.md')):
        new = SRC_REF.sub(sub, text)
        if new != text:
            with open(p, 'w', encoding='utf-8') as f:
                f.write(new)
            changed.append(rel)
    return changed


def hide_screens(root, n, ldir, sol):
    """Every non-code book block (a book:view screen shows the source pane
    around its step) that holds a line of the removed solution SOL becomes
    a short note: a handout cannot draw the viewer again before the student
    has built it. Returns the files changed."""
    readme = os.path.relpath(os.path.join(ldir, 'README.md'), root)

    def hide(rel, it, book):
        if it.kind == 'code' or not any(s in ln for ln in it.body for s in sol):
            return None
        cmd = 'the command in the comment above this block'
        if it.kind == 'view' and len(it.args) >= 2:
            # <!-- book:view NAME STEP [WxH] -->: a frame of a golden trace
            size = it.args[2].split('x') if len(it.args) > 2 else []
            cmd = 'bin/minired-view --dump %s %stests/golden/%s.jsonl' % (
                it.args[1], '--width %s --height %s ' % tuple(size) if len(size) == 2
                else '', it.args[0])
        return ['```text', '(Lab %d: this screen showed code you write. Once your '
                'code works, run: %s)' % (n, cmd), '(See %s.)' % readme, '```']
    return rewrite_blocks(root, hide)


def apply_stubs(root, n, ldir):
    """In ROOT (a copy or the student's tree): every LAB N region's body
    becomes its stub; the book's quotes (book:code blocks) are generated
    again from the stubbed source, the same lines quoted anywhere else
    in Markdown become the stub too, and viewer frames kept as text lose
    the solution's lines (scrub_frames). Returns [(region, files changed)]."""
    done = []
    regs = regions(root, n)
    sol = solution_lines(root, n)
    if not regs and not lab_module(ldir).get('SOLUTION_FILES'):
        raise LabError('lab %d has no LAB %d regions in the source' % (n, n))
    bodies = []
    moves = []
    # bottom-up, so earlier regions' indexes in the same file stay right
    for path, _, name, b, e, body in sorted(regs, key=lambda r: (r[0], -r[3])):
        stub = stub_lines(ldir, name)
        before, after = kept_anchor_markers(body)
        with open(path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        lines[b + 1:e] = before + stub + after
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines))
        bodies.append((name, path, [ln for ln in body if not ANCHOR_MARK.match(ln)],
                       stub))
        moves.append((os.path.basename(path), b, e, len(before + stub + after)))
    quoted = regenerate_quotes(root, n, ldir) if regs else []
    quoted += hide_screens(root, n, ldir, sol) if regs else []
    quoted += scrub_frames(root, n, sol) if regs else []
    moved = move_src_lines(root, moves)
    for name, path, body, stub in sorted(bodies):
        changed = [os.path.relpath(path, root)]
        for rel in tracked_files(root):
            if not rel.endswith('.md'):
                continue
            p = os.path.join(root, rel)
            with open(p, encoding='utf-8', errors='replace') as f:
                text = f.read().split('\n')
            new, count = replace_block(text, body, stub)
            if count:
                with open(p, 'w', encoding='utf-8') as f:
                    f.write('\n'.join(new))
            if count or rel in quoted:
                changed.append(rel)
        done.append((name, ['stub in ' + ', '.join(changed)]))
    scrub_listings(root, n, sol)
    if moved:
        done.append(('source lines', ['renumbered in %d reference traces and chapters' % len(moved)]))
    # Solution files (lab 0's answers): removed, or replaced by a blank
    # form from the lab's stubs/.
    files = lab_module(ldir).get('SOLUTION_FILES', {})
    for rel in sorted(files):
        p = os.path.join(ldir, rel)
        if os.path.exists(p):
            os.remove(p)
        if files[rel]:
            shutil.copy2(os.path.join(ldir, files[rel]), p)
        done.append((rel, [os.path.relpath(p, root)]))
    return done


def scrub_listings(root, n, sol):
    """A solution line SOL still in ROOT's Markdown after the quotes were
    regenerated sits in a listing no tool can regenerate from the stubbed
    source, such as the source pane of a viewer dump (book:view: the line
    of reply.c at a step): it becomes a one-line comment there."""
    gone = '/* lab %d removes this line */' % n
    for rel, p, text in text_files(root, '.md'):
        new = text
        for s in sorted(set(sol), key=len, reverse=True):
            new = new.replace(s, gone)
        if new != text:
            with open(p, 'w', encoding='utf-8') as f:
                f.write(new)


# Instructor-only parts of exercises/: never in a handout. The workshop kit
# goes too: its steps are lab 1's function, written out.
INSTRUCTOR_ONLY = re.compile(r'^(exercises/[^/]+/(bad|good)/|exercises/workshop/|tests/labs/)')


def make_handout(n, ldir, dest):
    """Write the student tree for lab N into DEST (which must not exist)."""
    if os.path.exists(dest) and os.listdir(dest):
        raise LabError('DEST=%s exists and is not empty' % dest)
    os.makedirs(dest, exist_ok=True)
    for rel in tracked_files(ROOT):
        if INSTRUCTOR_ONLY.match(rel) or rel.startswith(('build/', 'bin/')):
            continue
        d = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(d), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, rel), d)
    ldest = os.path.join(dest, os.path.relpath(ldir, ROOT))
    # `make grade` with no LAB= and scripts/grade-batch read this.
    with open(os.path.join(dest, 'exercises', 'HANDOUT'), 'w') as f:
        f.write('%d\n' % n)
    return apply_stubs(dest, n, ldest)


def solution_lines(root, n):
    """Lines of LAB N's regions that appear nowhere else in the source, not
    even inside a longer line (`traceEvent(c, "need-more");` is in many):
    the text a handout must not contain (long enough to be telling)."""
    regs = regions(root, n)
    inside = {}
    for path, _, _, b, e, _ in regs:
        inside.setdefault(path, set()).update(range(b, e + 1))
    elsewhere = set()
    # the fuzz and test programs are C too: a line they share with a
    # region (`if (c->bufpos > 0) {`) tells nothing
    others = [os.path.join(d, f) for top in ('fuzz', 'tests')
              for d, _, fs in os.walk(os.path.join(root, top)) for f in sorted(fs)
              if f.endswith(('.c', '.h'))]
    for path in list(source_files(root)) + others:
        with open(path, encoding='utf-8') as f:
            for i, ln in enumerate(f.read().split('\n')):
                if i not in inside.get(path, ()):
                    elsewhere.add(ln.strip())
    # inside a longer line elsewhere (`if (clientHasPendingReplies(c)) {
    # pending = c; break; }`) it tells nothing either
    every = '\n'.join(elsewhere)
    out = []
    for _, _, _, _, _, body in regs:
        for ln in body:
            s = ln.strip()
            # an anchor marker crossing the region's edge stays in the
            # handout (kept_anchor_markers): not solution text
            if len(s) >= 20 and s not in every and not ANCHOR_MARK.match(ln):
                out.append(s)
    return out


# A source line in a viewer frame (`--dump`): "  1265   code" or "> 1272   code".
FRAME_SRC = re.compile(r'^([> ] *\d+ )(.*)$')


def scrub_frames(root, n, sol):
    """Viewer frames kept as text (the book's book:view screens, lab 0's
    answers/frame.txt) list source lines by number: in ROOT, every such
    line that holds one of SOL (LAB N's solution_lines, taken before the
    stubs went in) loses its code. Returns the files changed."""
    changed = []
    for rel in tracked_files(root):
        if not rel.endswith(('.md', '.txt')) or rel.startswith(SCANNED):
            continue
        p = os.path.join(root, rel)
        with open(p, encoding='utf-8', errors='replace') as f:
            lines = f.read().split('\n')
        hit = False
        for i, ln in enumerate(lines):
            m = FRAME_SRC.match(ln)
            if m and any(s in m.group(2) for s in sol):
                lines[i] = m.group(1) + '    (lab %d removes this line)' % n
                hit = True
        if hit:
            with open(p, 'w', encoding='utf-8') as f:
                f.write('\n'.join(lines))
            changed.append(rel)
    return changed
