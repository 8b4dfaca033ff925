/**
 * @file diffview.c
 * @brief `minired-view --diff EXPECTED ACTUAL`: two traces side by side,
 *        stepping together, the first divergence found at start-up and
 *        every differing field of the current step marked.
 *
 *     bin/minired-view --diff tests/golden/01-set-get.jsonl mine.jsonl
 *     bin/minired-view --dump 5 --diff tests/golden/01-set-get.jsonl mine.jsonl
 *
 * Where it sits
 * -------------
 * After the pipeline, next to `minired-trace diff`. A grader runs the
 * student's server on a scenario and compares its trace with the
 * reference golden; when they part, the student wants to see *where*:
 * which step, which field, what the reference had. Both tools compare
 * events with the same code (trace-tool/diff_core.c), so the step this
 * screen calls "first divergence" is the one `minired-trace diff` prints
 * (its "A line L" is step L-1 here: step 0 is the header, step n the
 * n-th event, "ts":n in a server trace).
 * What flows in: two traces and keys. What flows out: a frame per step:
 * EXPECTED's fields on the left, ACTUAL's on the right (one above the
 * other below 100 columns), a differing row marked '!' and drawn
 * reversed, and a status line "first divergence at step 5: qb_pos
 * expected 35 got 34".
 *
 * Both files are read whole at start-up (the raw lines are kept, parsed
 * again when shown): diff mode is for a lab's traces, tens to thousands
 * of events, not for the 1,000,000-event traces the main viewer indexes.
 */
#include <curses.h>   /* key codes only: term.c draws */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../trace-tool/diff_core.h"
#include "../trace-tool/tool.h"
#include "canvas.h"
#include "term.h"
#include "view.h"

/** Below this width the two panes go one above the other. */
#define DIFF_SIDE_BY_SIDE_W 100
/** Width of the field-name column of a pane. */
#define DIFF_LABEL_W 16

/** One trace, every line kept as text. */
typedef struct diffTrace {
    const char *path;   /**< the file */
    char **lines;       /**< line k+1 of the file is lines[k]; lines[0] the header */
    size_t n;           /**< lines read */
} diffTrace;

/** Both traces and what start-up found. */
typedef struct diffData {
    diffTrace a;            /**< EXPECTED */
    diffTrace b;            /**< ACTUAL */
    size_t n;               /**< max(a.n, b.n): steps 0 (header) .. n-1 */
    unsigned char *differs; /**< per step: 1 when the two lines differ (or one is missing) */
    size_t first;           /**< first differing step, (size_t)-1 when none */
    char first_msg[640];    /**< "first divergence at step N: ..." or "no divergence ..." */
} diffData;

/** One row of a pane: a field's path and its value on both sides. */
typedef struct diffRow {
    char path[128];     /**< "c.qb_pos", "name", "data" ("args." dropped) */
    char full[136];     /**< the path as diff_core.c spells it ("args.c.qb_pos") */
    char va[256];       /**< EXPECTED's value, "(missing)" if absent */
    char vb[256];       /**< ACTUAL's value */
    int differs;        /**< 1 when a differing field is this row or under it */
} diffRow;

/** The rows of one step. */
typedef struct diffRows {
    diffRow *rows;      /**< malloc'ed */
    size_t n;           /**< rows used */
    size_t cap;         /**< rows allocated */
    char paths[2048];   /**< differing paths of the step, '\n'-separated */
    int ndiff;          /**< how many fields differ */
} diffRows;

/**
 * @brief The short name of a field path: "args.c.qb_pos" -> "c.qb_pos".
 * @param full the path as diff_core.c reports it
 * @return a pointer into @p full.
 * Called by: diffFirstField(), rowsAdd().
 */
static const char *diffShortPath(const char *full)
{
    return strncmp(full, "args.", 5) == 0 ? full + 5 : full;
}

/**
 * @brief A value as the diff screen shows it: a string of trace bytes
 *        spelled as the main viewer spells buffers (`*1\r\n$4\r\n`,
 *        escapeByte()), anything else as `minired-trace diff` prints it
 *        (diffFormatValue()).
 * @param v the value (NULL: missing)
 * @param out receives the text
 * @param outlen its size
 * Called by: diffFirstField(), rowsFlatten().
 */
static void diffViewValue(json_t *v, char *out, size_t outlen)
{
    char *p, e[5];
    size_t n, o = 0;

    if (v == NULL || !json_is_string(v) || decodeData(v, &p, &n) != 0) {
        diffFormatValue(v, out, outlen);
        return;
    }
    if (outlen < 8) {
        free(p);
        diffFormatValue(v, out, outlen);
        return;
    }
    out[o++] = '"';
    for (size_t i = 0; i < n; i++) {
        int k = escapeByte((unsigned char)p[i], e);

        if (o + (size_t)k + 5 >= outlen) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(out + o, e, (size_t)k);
        o += (size_t)k;
    }
    if (o + 1 < outlen)
        out[o++] = '"';
    out[o] = 0;
    free(p);
}

/**
 * @brief Read a whole trace with the trace tool's reader, keeping lines.
 * @param d receives the lines
 * @param path the file
 * @param err receives the reason on failure
 * @param errlen its size
 * @return 0, or -1 (unreadable, not a trace, a malformed line).
 * Called by: diffLoad().
 */
static int diffReadTrace(diffTrace *d, const char *path, char *err,
                         size_t errlen)
{
    traceReader r;
    size_t cap = 0;
    int k;

    memset(d, 0, sizeof(*d));
    d->path = path;
    if (trOpen(&r, path) != 0) {
        snprintf(err, errlen, "%s", r.err);
        trClose(&r);
        return -1;
    }
    for (k = TR_EVENT; k == TR_EVENT; k = trNext(&r)) {
        if (d->n == cap) {
            cap = cap ? cap * 2 : 256;
            d->lines = realloc(d->lines, cap * sizeof(char *));
            if (d->lines == NULL) {
                snprintf(err, errlen, "%s: out of memory", path);
                trClose(&r);
                return -1;
            }
        }
        d->lines[d->n++] = strndup(r.line, r.len);
    }
    if (k == TR_ERR) {
        snprintf(err, errlen, "%s", r.err);
        trClose(&r);
        return -1;
    }
    trClose(&r);
    return 0;
}

/** What diffFirstField() keeps of the first differing field. */
typedef struct firstField {
    int seen;            /**< 1 once a field was kept */
    char path[128];      /**< its short path */
    char va[160];        /**< expected */
    char vb[160];        /**< got */
} firstField;

/**
 * @brief diffEvents() callback: keep the first differing field.
 * @param priv a firstField
 * @param path the field's path
 * @param a EXPECTED's value (NULL: missing)
 * @param b ACTUAL's value (NULL: missing)
 * Called by: diffEvents(), from diffLoad().
 */
static void diffFirstField(void *priv, const char *path, json_t *a,
                           json_t *b)
{
    firstField *f = priv;

    if (f->seen)
        return;
    f->seen = 1;
    snprintf(f->path, sizeof(f->path), "%s",
             path[0] ? diffShortPath(path) : "(line)");
    diffViewValue(a, f->va, sizeof(f->va));
    diffViewValue(b, f->vb, sizeof(f->vb));
}

/**
 * @brief The "name" of a line, for messages ("(unreadable)" if none).
 * @param line the raw line
 * @param out receives the name
 * @param outlen its size
 * Called by: diffLoad(), diffRender().
 */
static void diffLineName(const char *line, char *out, size_t outlen)
{
    json_t *ev = json_loads(line, 0, NULL);
    const char *s = ev ? jsonStr(ev, "name") : NULL;

    snprintf(out, outlen, "%s", s ? s : "(unreadable)");
    json_decref(ev);
}

/**
 * @brief Read both traces and mark every differing step, the first one
 *        with its first field (the status line's text).
 * @param d receives everything
 * @param o the options (path = EXPECTED, path2 = ACTUAL)
 * @param err receives the reason on failure
 * @param errlen its size
 * @return 0, or -1.
 * Called by: diffRun().
 */
static int diffLoad(diffData *d, const viewOptions *o, char *err,
                    size_t errlen)
{
    memset(d, 0, sizeof(*d));
    d->first = (size_t)-1;
    if (diffReadTrace(&d->a, o->path, err, errlen) != 0 ||
        diffReadTrace(&d->b, o->path2, err, errlen) != 0)
        return -1;
    d->n = d->a.n > d->b.n ? d->a.n : d->b.n;
    d->differs = calloc(d->n ? d->n : 1, 1);
    if (d->differs == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t s = 0; s < d->n; s++) {
        firstField f = { 0 };
        char name[64];

        if (s >= d->a.n || s >= d->b.n) {
            d->differs[s] = 1;
            if (d->first == (size_t)-1) {
                d->first = s;
                diffLineName(s < d->a.n ? d->a.lines[s] : d->b.lines[s],
                             name, sizeof(name));
                snprintf(d->first_msg, sizeof(d->first_msg),
                         "first divergence at step %zu: event expected %s "
                         "got %s", s, s < d->a.n ? name : "(trace ended)",
                         s < d->b.n ? name : "(trace ended)");
            }
            continue;
        }
        json_t *ea = json_loads(d->a.lines[s], 0, NULL);
        json_t *eb = json_loads(d->b.lines[s], 0, NULL);
        int count = diffEvents(ea, eb, d->first == (size_t)-1
                                       ? diffFirstField : NULL, &f);
        json_decref(ea);
        json_decref(eb);
        if (count == 0)
            continue;
        d->differs[s] = 1;
        if (d->first == (size_t)-1) {
            d->first = s;
            snprintf(d->first_msg, sizeof(d->first_msg),
                     "first divergence at %s%zu: %s expected %s got %s%s",
                     s ? "step " : "the header, step ", s, f.path, f.va,
                     f.vb, count > 1 ? " (and more)" : "");
        }
    }
    if (d->first == (size_t)-1)
        snprintf(d->first_msg, sizeof(d->first_msg),
                 "no divergence: identical, %zu events (wall_* ignored)",
                 d->n ? d->n - 1 : 0);
    return 0;
}

/**
 * @brief Free what diffLoad() read.
 * @param d the data
 * Called by: diffRun().
 */
static void diffFree(diffData *d)
{
    for (size_t i = 0; i < d->a.n; i++)
        free(d->a.lines[i]);
    for (size_t i = 0; i < d->b.n; i++)
        free(d->b.lines[i]);
    free(d->a.lines);
    free(d->b.lines);
    free(d->differs);
}

/**
 * @brief The row for @p full, appended when new.
 * @param r the rows
 * @param full the path as diff_core.c spells it
 * @return the row, or NULL when out of memory.
 * Called by: rowsFlatten().
 */
static diffRow *rowsGet(diffRows *r, const char *full)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->rows[i].full, full) == 0)
            return &r->rows[i];
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        diffRow *nr = realloc(r->rows, cap * sizeof(*nr));
        if (nr == NULL)
            return NULL;
        r->rows = nr;
        r->cap = cap;
    }
    diffRow *row = &r->rows[r->n++];
    memset(row, 0, sizeof(*row));
    snprintf(row->full, sizeof(row->full), "%s", full);
    snprintf(row->path, sizeof(row->path), "%s", diffShortPath(full));
    snprintf(row->va, sizeof(row->va), "(missing)");
    snprintf(row->vb, sizeof(row->vb), "(missing)");
    return row;
}

/**
 * @brief Add one event's fields as rows: objects are walked (one row per
 *        leaf), arrays are one row (compact JSON), wall_* is left out as
 *        diff leaves it out; "pid", "ph" and "s" are constants and
 *        shown only when they differ.
 * @param r the rows
 * @param path the path of @p v ("" for the event)
 * @param v the value
 * @param side 0 EXPECTED, 1 ACTUAL
 * Called by: diffRowsAt(), itself.
 */
static void rowsFlatten(diffRows *r, const char *path, json_t *v, int side)
{
    const char *key;
    json_t *sub;
    char p[136];

    if (json_is_object(v)) {
        json_object_foreach(v, key, sub) {
            if (strncmp(key, "wall_", 5) == 0)
                continue;
            snprintf(p, sizeof(p), "%s%s%s", path, path[0] ? "." : "", key);
            rowsFlatten(r, p, sub, side);
        }
        return;
    }
    diffRow *row = rowsGet(r, path);
    if (row == NULL)
        return;
    diffViewValue(v, side ? row->vb : row->va, sizeof(row->va));
}

/**
 * @brief diffEvents() callback: remember a differing path.
 * @param priv the diffRows
 * @param path the path
 * @param a unused
 * @param b unused
 * Called by: diffEvents(), from diffRowsAt().
 */
static void rowsNoteDiff(void *priv, const char *path, json_t *a, json_t *b)
{
    diffRows *r = priv;
    size_t len = strlen(r->paths);

    r->ndiff++;
    snprintf(r->paths + len, sizeof(r->paths) - len, "%s\n", path);
}

/**
 * @brief Whether @p row is a differing path or contains one.
 * @param r the rows (with paths filled)
 * @param row the row
 * @return 1 when it differs.
 * Called by: diffRowsAt().
 */
static int rowDiffers(const diffRows *r, const diffRow *row)
{
    size_t n = strlen(row->full);

    for (const char *p = r->paths; *p; ) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);

        /* The row itself, or a field under it (args.c.reply[0].used
         * under the row args.c.reply), or a key-order note of it. */
        if (len >= n && strncmp(p, row->full, n) == 0 &&
            (len == n || p[n] == '.' || p[n] == '['))
            return 1;
        p += len + (e ? 1 : 0);
    }
    return 0;
}

/**
 * @brief The rows of step @p s: EXPECTED's fields in file order, then
 *        ACTUAL's extra ones; each marked when it differs.
 * @param d the traces
 * @param s the step
 * @param r receives the rows (free r->rows)
 * Called by: diffRender().
 */
static void diffRowsAt(const diffData *d, size_t s, diffRows *r)
{
    json_t *ea = s < d->a.n ? json_loads(d->a.lines[s], 0, NULL) : NULL;
    json_t *eb = s < d->b.n ? json_loads(d->b.lines[s], 0, NULL) : NULL;

    memset(r, 0, sizeof(*r));
    if (ea)
        rowsFlatten(r, "", ea, 0);
    if (eb)
        rowsFlatten(r, "", eb, 1);
    if (ea && eb)
        diffEvents(ea, eb, rowsNoteDiff, r);
    for (size_t i = 0; i < r->n; i++) {
        diffRow *row = &r->rows[i];
        int constant = !strcmp(row->full, "pid") ||
                       !strcmp(row->full, "ph") || !strcmp(row->full, "s");

        row->differs = (ea && eb) ? rowDiffers(r, row) : 1;
        if (constant && !row->differs) {
            memmove(row, row + 1, (r->n - i - 1) * sizeof(*row));
            r->n--;
            i--;
        }
    }
    json_decref(ea);
    json_decref(eb);
}

/**
 * @brief Draw one pane: a title and a row per field, a differing row
 *        marked '!' in the first column and drawn as VA_CHANGED.
 * @param cv the canvas
 * @param y first row
 * @param x first column
 * @param w width
 * @param h rows available (title included)
 * @param title "EXPECTED path" / "ACTUAL path"
 * @param r the rows
 * @param side 0 EXPECTED, 1 ACTUAL
 * @param present 0 when this trace has no such step
 * Called by: diffRender().
 */
static void diffPane(canvas *cv, int y, int x, int w, int h,
                     const char *title, const diffRows *r, int side,
                     int present)
{
    size_t top = 0;
    char line[512];

    snprintf(line, sizeof(line), "%-.*s", w - 1, title);
    canvasPut(cv, y, x, line, VA_TITLE);
    if (!present) {
        canvasPut(cv, y + 1, x, "! (this trace has ended: no such step)",
                  VA_CHANGED);
        return;
    }
    /* Too many rows for the pane: start a little above the first
     * differing one, so what differs is always on screen. */
    if ((int)r->n > h - 1) {
        for (size_t i = 0; i < r->n; i++)
            if (r->rows[i].differs) {
                top = i > 2 ? i - 2 : 0;
                break;
            }
        if (top + (size_t)(h - 1) > r->n)
            top = r->n - (size_t)(h - 1);
    }
    for (int i = 0; i < h - 1 && top + (size_t)i < r->n; i++) {
        const diffRow *row = &r->rows[top + (size_t)i];

        snprintf(line, sizeof(line), "%c %-*s %s", row->differs ? '!' : ' ',
                 DIFF_LABEL_W, row->path, side ? row->vb : row->va);
        if ((int)strlen(line) > w - 1)
            line[w - 1 > 0 ? w - 1 : 0] = 0;
        canvasPut(cv, y + 1 + i, x, line,
                  row->differs ? VA_CHANGED : VA_NORMAL);
    }
}

/**
 * @brief Draw step @p s of both traces.
 * @param cv the canvas
 * @param d the traces
 * @param s the step (0: header)
 * @param hints 1 to draw the key hint line (interactive)
 * @param help 1 to draw the key list instead of the panes
 * Called by: diffRun(), diffLoop().
 */
static void diffRender(canvas *cv, const diffData *d, size_t s, int hints,
                       int help)
{
    diffRows r;
    char title[512], na[64] = "", nb[64] = "";
    int bottom = cv->h - (hints ? 2 : 1), top = 3;

    canvasClear(cv);
    if (s < d->a.n)
        diffLineName(d->a.lines[s], na, sizeof(na));
    if (s < d->b.n)
        diffLineName(d->b.lines[s], nb, sizeof(nb));
    canvasFill(cv, 0, 0, cv->w, ' ', VA_STATUS);
    canvasPutf(cv, 0, 0, VA_STATUS, " diff  step %zu/%zu  %s%s%s  %s", s,
               d->n ? d->n - 1 : 0, s < d->a.n ? na : "(ended)",
               strcmp(na, nb) ? " | " : "",
               strcmp(na, nb) ? (s < d->b.n ? nb : "(ended)") : "",
               d->differs[s] ? "DIFFERS" : "same");
    canvasPut(cv, bottom, 0, d->first_msg,
              d->first == (size_t)-1 ? VA_NORMAL : VA_ERROR);
    if (hints)
        canvasPut(cv, cv->h - 1, 0, "-> <- both  d first divergence  n N "
                  "next/prev divergent  g G  ? help  q quit", VA_HINT);
    if (help) {
        static const char *lines[] = {
            "minired-view --diff keys",
            "->  l  Space  Down j   next step (both traces)",
            "<-  h  p  Bksp  Up k   previous step (both traces)",
            "d                      the first divergence",
            "n  N                   next / previous step that differs",
            "g  Home / G  End       step 0 (header) / last step",
            "?  F1                  this help (any key closes it)",
            "q  Ctrl-C              quit",
            "",
            "Rows marked '!' (drawn reversed) differ between EXPECTED",
            "(left or top) and ACTUAL; wall_* fields are ignored, as in",
            "minired-trace diff. Step n is \"ts\":n in a server trace.",
        };
        for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
            canvasPut(cv, 2 + (int)i, 2, lines[i], i ? VA_NORMAL : VA_TITLE);
        return;
    }
    diffRowsAt(d, s, &r);
    if ((s < d->a.n) != (s < d->b.n))
        canvasPutf(cv, 1, 0, VA_ERROR, "this step: only in %s (the other "
                   "trace has %zu steps)", s < d->a.n ? "EXPECTED" : "ACTUAL",
                   (s < d->a.n ? d->b.n : d->a.n) - 1);
    else if (r.ndiff > 0)
        canvasPutf(cv, 1, 0, VA_ERROR, "this step: %d field%s differ%s",
                   r.ndiff, r.ndiff == 1 ? "" : "s", r.ndiff == 1 ? "s" : "");
    else
        canvasPut(cv, 1, 0, "this step: the same in both traces",
                  VA_NORMAL);
    if (cv->w >= DIFF_SIDE_BY_SIDE_W) {
        int half = cv->w / 2;

        snprintf(title, sizeof(title), "EXPECTED %s", d->a.path);
        diffPane(cv, top, 0, half, bottom - top, title, &r, 0, s < d->a.n);
        snprintf(title, sizeof(title), "ACTUAL %s", d->b.path);
        diffPane(cv, top, half, cv->w - half, bottom - top, title, &r, 1,
                 s < d->b.n);
    } else {
        int ha = (bottom - top) / 2;

        snprintf(title, sizeof(title), "EXPECTED %s", d->a.path);
        diffPane(cv, top, 0, cv->w, ha, title, &r, 0, s < d->a.n);
        snprintf(title, sizeof(title), "ACTUAL %s", d->b.path);
        diffPane(cv, top + ha, 0, cv->w, bottom - top - ha, title, &r, 1,
                 s < d->b.n);
    }
    free(r.rows);
}

/**
 * @brief The next (dir 1) or previous (dir -1) differing step.
 * @param d the traces
 * @param s from here (exclusive)
 * @param dir 1 or -1
 * @return the step, or (size_t)-1 when none.
 * Called by: diffLoop().
 */
static size_t diffNextDiffering(const diffData *d, size_t s, int dir)
{
    while (dir > 0 ? s + 1 < d->n : s > 0) {
        s = dir > 0 ? s + 1 : s - 1;
        if (d->differs[s])
            return s;
    }
    return (size_t)-1;
}

/** What diffDrawFrame() needs: the traces, the step, the help flag. */
typedef struct {
    const diffData *d;  /**< both traces */
    size_t s;           /**< the step shown */
    int help;           /**< the help screen is up */
} diffFrame;

/**
 * @brief termFrameKey()'s draw callback for the diff screen.
 * @param cv  the canvas to draw on
 * @param arg a diffFrame
 * Called by: termFrameKey() from diffLoop().
 */
static void diffDrawFrame(canvas *cv, void *arg)
{
    const diffFrame *f = arg;

    diffRender(cv, f->d, f->s, 1, f->help);
}

/**
 * @brief The interactive loop: render, key, move both traces.
 * @param d the traces
 * @param start the step to open at
 * Called by: diffRun().
 */
static void diffLoop(const diffData *d, size_t start)
{
    size_t s = start, to;
    int help = 0;

    for (;;) {
        diffFrame f = { d, s, help };
        int key = termFrameKey(diffDrawFrame, &f);

        if (key < 0)
            return;
        if (help) {
            help = 0;
            continue;
        }
        switch (key) {
        case KEY_RIGHT: case 'l': case ' ': case KEY_DOWN: case 'j':
            if (s + 1 < d->n)
                s++;
            break;
        case KEY_LEFT: case 'h': case 'p': case KEY_UP: case 'k':
        case KEY_BACKSPACE: case 127: case 8:
            if (s > 0)
                s--;
            break;
        case 'd':
            if (d->first != (size_t)-1)
                s = d->first;
            break;
        case 'n': case 'N':
            to = diffNextDiffering(d, s, key == 'n' ? 1 : -1);
            if (to != (size_t)-1)
                s = to;
            break;
        case 'g': case KEY_HOME:
            s = 0;
            break;
        case 'G': case KEY_END:
            s = d->n ? d->n - 1 : 0;
            break;
        case '?': case KEY_F(1):
            help = 1;
            break;
        case 'q': case 'Q':
            return;
        default:
            break;
        }
    }
}

/**
 * @brief `--diff EXPECTED ACTUAL`: the interactive screen, or with
 *        --dump N the frame of step N on stdout.
 * @param o the options
 * @return with --dump: 0 when the traces are identical, 1 when they
 *         differ (as `minired-trace diff`); interactive: 0 on q. 1 when a
 *         trace cannot be read, 2 bad step / no terminal.
 * Called by: main().
 */
int diffRun(const viewOptions *o)
{
    diffData d;
    char err[600] = "";
    size_t start;
    int rc;

    if (diffLoad(&d, o, err, sizeof(err)) != 0) {
        fprintf(stderr, "minired-view: %s\n", err);
        diffFree(&d);
        return 1;
    }
    rc = d.first == (size_t)-1 ? 0 : 1;
    if (o->dump_step > 0) {
        int w = o->width, h = o->height;

        if ((size_t)o->dump_step >= d.n) {
            fprintf(stderr, "minired-view: --dump %lld: the longer trace "
                    "has %zu steps (1..%zu)\n", o->dump_step,
                    d.n ? d.n - 1 : 0, d.n ? d.n - 1 : 0);
            diffFree(&d);
            return 2;
        }
        if (w == 0)
            w = getenv("COLUMNS") ? atoi(getenv("COLUMNS")) : 0;
        if (h == 0)
            h = getenv("LINES") ? atoi(getenv("LINES")) : 0;
        canvas *cv = canvasNew(w >= 20 ? w : 100, h >= 8 ? h : 40);
        if (cv != NULL) {
            diffRender(cv, &d, (size_t)o->dump_step, 0, 0);
            dumpCanvas(cv);
            canvasFree(cv);
        }
        diffFree(&d);
        return rc;
    }
    if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
        fprintf(stderr, "minired-view: not a terminal: the viewer needs one "
                "to draw on.\nTo print a step of both as text, use --dump STEP, "
                "e.g.\n  minired-view --dump %ld --diff %s %s\n",
                o->start_step > 0 ? (long)o->start_step :
                (long)(d.first != (size_t)-1 && d.first > 0 ? d.first : 1), o->path, o->path2);
        diffFree(&d);
        return 2;
    }
    if (termStart(o->mono) != 0) {
        fprintf(stderr, "minired-view: cannot initialise the terminal\n");
        diffFree(&d);
        return 1;
    }
    /* Open where it matters: --step N, else the first divergence. */
    start = d.first != (size_t)-1 ? d.first : (d.n > 1 ? 1 : 0);
    if (o->start_step > 0 && (size_t)o->start_step < d.n)
        start = (size_t)o->start_step;
    diffLoop(&d, start);
    termStop();
    diffFree(&d);
    return termQuitRequested() ? 130 : 0;
}
