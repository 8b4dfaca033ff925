/**
 * @file explain.c
 * @brief The viewer explains itself: the `e` pane (this step's kind and
 *        every field it changed, in words), the `E` glossary screen, and
 *        the `m` / `c` comparison of a marked step with the current one,
 *        with `w` ("why is this 7?") finding the step that last changed a
 *        field (issue 11).
 *
 * Where it sits
 * -------------
 * screen.c calls explainPane() where it would draw the source pane: with
 * `e` or `c` on, that pane explains or compares instead (the source is
 * one key away, and the byte strips and the client list stay on screen,
 * so the student reads the words next to the bytes they describe).
 * explainGlossary() draws the `E` screen over the frame, as the help is.
 * main.c calls explainLastChange() for `w`. What flows in: the view, the
 * model (model.h) and the one table of texts (glossary.h). What flows
 * out: text on a canvas, a step number.
 *
 * Design decisions a reader may wonder about:
 *  - The texts are never written here: they come from glossary.def, the
 *    table that also makes docs/trace-format.md's glossary. A step kind
 *    the table does not know (a newer trace) is still named, with "no
 *    glossary row yet", never hidden.
 *  - "changed" is the model's mvChangedFields(): this step's "c" against
 *    the same client's previous event. That is what the '*' marks too,
 *    and the pane says so.
 *  - The comparison uses each client's state as of its last event at or
 *    before each step (a trim seen from a later step already cut), the
 *    same rule as the client list.
 */
#include "explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glossary.h"

/* ANCHOR: explain-fields */
/**
 * @brief An integer field of the step's own args ("n", "qlen_before"...).
 * @param ev  The event.
 * @param key The field name.
 * @param dflt What to return when the event has no such integer field.
 * @return Its value, or dflt.
 * Called by: the explain pane (trim's before -> after line).
 */
static long long eventFieldInt(const mvEvent *ev, const char *key,
                               long long dflt)
{
    for (size_t i = 0; i < ev->nfields; i++) {
        char *end;
        long long v;

        if (strcmp(ev->fields[i].key, key) != 0)
            continue;
        v = strtoll(ev->fields[i].value, &end, 10);
        return (end != ev->fields[i].value && *end == '\0') ? v : dflt;
    }
    return dflt;
}

/** The fields of "c", in the trace's order, with their `w` keys. */
static const explainField explain_fields[] = {
    { MV_F_QLEN, "qlen", 'l' },
    { MV_F_QB_POS, "qb_pos", 'q' },
    { MV_F_PEAK, "querybuf_peak", 'p' },
    { MV_F_REQTYPE, "reqtype", 't' },
    { MV_F_MULTIBULKLEN, "multibulklen", 'm' },
    { MV_F_BULKLEN, "bulklen", 'u' },
    { MV_F_ARGC, "argc", 'a' },
    { MV_F_ARGV, "argv", 'v' },
    { MV_F_BUFPOS, "bufpos", 'b' },
    { MV_F_SENTLEN, "sentlen", 's' },
    { MV_F_REPLY, "reply", 'r' },
    { MV_F_REPLY_BYTES, "reply_bytes", 'y' },
    { MV_F_FLAGS, "flags", 'f' },
    { MV_F_DB, "db", 'd' },
    { MV_F_MSTIME, "mstime", 'c' },
};
/* ANCHOR_END: explain-fields */

/** Entries in explain_fields. */
#define EXPLAIN_NFIELDS (sizeof(explain_fields) / sizeof(explain_fields[0]))

/**
 * @brief The field `w` asks for with @p key.
 * @param key the key typed after `w`
 * @return the field, NULL when no field has that key.
 * Called by: main.c (the `w` prompt).
 */
const explainField *explainFieldByKey(int key)
{
    for (size_t i = 0; i < EXPLAIN_NFIELDS; i++)
        if (explain_fields[i].key == key)
            return &explain_fields[i];
    return NULL;
}

/**
 * @brief The `w` prompt: every field's key, built from the same table
 *        explainFieldByKey() reads, so it cannot offer a key that does
 *        nothing.
 * @return a static string ("w: q qb_pos l qlen ...").
 * Called by: main.c.
 */
const char *explainWhyPrompt(void)
{
    static char buf[200];
    size_t o;

    if (buf[0])
        return buf;
    o = (size_t)snprintf(buf, sizeof(buf), "why? ");
    /* The ones a student asks about first; the rest are in the help. */
    static const char order[] = "qlbsrautm";
    for (const char *k = order; *k && o < sizeof(buf); k++) {
        const explainField *f = explainFieldByKey(*k);
        if (f != NULL)
            o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%c %s ",
                                  f->key, f->name);
    }
    return buf;
}

/**
 * @brief A field's value as text, as the screen shows it.
 * @param s the state
 * @param bit the field's MV_F_* bit
 * @param out receives the text
 * @param n size of @p out
 * Called by: explainChanged(), explainCompare().
 */
static void fieldValue(const mvState *s, unsigned bit, char *out, size_t n)
{
    switch (bit) {
    case MV_F_QLEN: snprintf(out, n, "%lld", s->qlen); break;
    case MV_F_QB_POS: snprintf(out, n, "%lld", s->qb_pos); break;
    case MV_F_PEAK: snprintf(out, n, "%lld", s->querybuf_peak); break;
    case MV_F_REQTYPE: snprintf(out, n, "%lld", s->reqtype); break;
    case MV_F_MULTIBULKLEN: snprintf(out, n, "%lld", s->multibulklen); break;
    case MV_F_BULKLEN: snprintf(out, n, "%lld", s->bulklen); break;
    case MV_F_ARGC: snprintf(out, n, "%lld", s->argc); break;
    case MV_F_ARGV: snprintf(out, n, "%zu args", s->nargv); break;
    case MV_F_BUFPOS: snprintf(out, n, "%lld", s->bufpos); break;
    case MV_F_SENTLEN: snprintf(out, n, "%lld", s->sentlen); break;
    case MV_F_REPLY: snprintf(out, n, "%zu blocks", s->nreply); break;
    case MV_F_REPLY_BYTES: snprintf(out, n, "%lld", s->reply_bytes); break;
    case MV_F_FLAGS: snprintf(out, n, "%.60s", s->flags[0] ? s->flags : "-");
        break;
    case MV_F_DB: snprintf(out, n, "%lld", s->db); break;
    case MV_F_MSTIME: snprintf(out, n, "%lld", s->mstime); break;
    default: snprintf(out, n, "?"); break;
    }
}

/**
 * @brief Write @p text from row @p y, wrapped at spaces to @p w columns,
 *        every row after the first indented by @p indent.
 * @param cv the canvas (NULL: only count the rows)
 * @param y first row
 * @param x first column
 * @param w columns
 * @param maxy first row it may not write
 * @param text the text
 * @param indent columns of indent for the continuation rows
 * @param a attribute
 * @return the row after the last one written.
 * Called by: the pane drawers, explainGlossary() (through glossLayout()).
 */
static int putWrapped(canvas *cv, int y, int x, int w, int maxy,
                      const char *text, int indent, viewAttr a)
{
    const char *p = text;
    int first = 1;

    while (*p && y < maxy) {
        int room = w - (first ? 0 : indent), len = (int)strlen(p), cut;

        if (room < 10)
            room = 10;
        cut = len;
        if (len > room) {
            cut = room;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = room;     /* one word longer than the row */
        }
        if (cv != NULL)
            canvasPutf(cv, y, x + (first ? 0 : indent), a, "%.*s", cut, p);
        p += cut;
        while (*p == ' ')
            p++;
        y++;
        first = 0;
    }
    return y;
}

/**
 * @brief A client's state as of step @p at (its last event at or before
 *        it; a trim seen from a later step already cut, as the client
 *        list shows it).
 * @param t the trace
 * @param client the client
 * @param at the step
 * @param e receives the event (release with mvEventFree)
 * @return 1 when e.st is usable.
 * Called by: explainCompare().
 */
static int stateAt(mvTrace *t, uint64_t client, size_t at, mvEvent *e)
{
    size_t s = mvClientLastAt(t, client, at);

    memset(e, 0, sizeof(*e));
    if (s == MV_NONE || mvEventGet(t, s, e) != 0 || !e->has_state)
        return 0;
    if (s != at && !strcmp(e->cat, "trim")) {
        e->st.qlen -= e->st.qb_pos;
        e->st.qb_pos = 0;
    }
    return 1;
}

/**
 * @brief The step (<= @p at) at which @p client's field @p bit last
 *        changed: the answer to "why is this 7?".
 *
 * Walks the client's events backwards from its last one at or before
 * @p at, asking the model which fields each changed (the same bits the
 * '*' marks). A client's first event counts as changing every field.
 * A qlen or qb_pos change first seen just after a "trim" is the trim's
 * (its "c" is taken before the cut).
 * @param t the trace
 * @param client the client
 * @param at the step on screen
 * @param bit one MV_F_* bit
 * @return the step, MV_NONE when the client has no event by then.
 * Called by: main.c (`w`), explainCompare().
 */
size_t explainLastChange(mvTrace *t, uint64_t client, size_t at,
                         unsigned bit)
{
    size_t s = mvClientLastAt(t, client, at);

    while (s != MV_NONE) {
        size_t prev = mvClientStep(t, client, s, MV_BACKWARD);

        if (mvChangedFields(t, s) & bit) {
            /* A trim's "c" is the state before its cut, so the cut shows
             * up as a change at the client's next step: name the trim. */
            mvEvent e;
            int trim = 0;

            memset(&e, 0, sizeof(e));
            if (prev != MV_NONE && (bit & (MV_F_QLEN | MV_F_QB_POS)) &&
                mvEventGet(t, prev, &e) == 0)
                trim = !strcmp(e.cat, "trim");
            mvEventFree(&e);
            return trim ? prev : s;
        }
        s = prev;
    }
    return MV_NONE;
}

/**
 * @brief Is glossary row @p g one `[` / `]` can pick (a field, a mark or
 *        a bar: what is on screen, as opposed to a step kind)?
 * @param g the row
 * @return 1 or 0.
 * Called by: explainItemCount(), explainItem().
 */
static int isItem(const glossEntry *g)
{
    return strcmp(g->kind, "step") != 0;
}

/**
 * @brief How many rows `[` and `]` walk through.
 * @return the count (at least 1: the table has fields).
 * Called by: main.c.
 */
int explainItemCount(void)
{
    int n = 0;

    for (size_t i = 0; i < glossCount(); i++)
        n += isItem(glossAt(i));
    return n > 0 ? n : 1;
}

/**
 * @brief The @p k-th (1-based) row `[` / `]` walk through.
 * @param k 1 .. explainItemCount()
 * @return the row, NULL when out of range.
 * Called by: explainStep().
 */
static const glossEntry *explainItem(int k)
{
    for (size_t i = 0; i < glossCount(); i++)
        if (isItem(glossAt(i)) && --k == 0)
            return glossAt(i);
    return NULL;
}

/**
 * @brief The `e` pane: the step kind in words, then every field the step
 *        changed with its meaning, then the marks.
 * @param cv the canvas
 * @param vs the view
 * @param y top row
 * @param x left column
 * @param w columns
 * @param h rows
 * Called by: explainPane().
 */
static void explainStep(canvas *cv, viewState *vs, int y, int x, int w,
                        int h)
{
    int maxy = y + h;
    mvEvent ev;
    const glossEntry *g;
    unsigned changed = 0;

    memset(&ev, 0, sizeof(ev));
    canvasPutf(cv, y++, x, VA_TITLE, "explain step %zu  (e: back to the "
               "source, E: glossary, ? keys)", vs->step + 1);
    if (mvEventGet(vs->t, vs->step, &ev) != 0) {
        putWrapped(cv, y, x, w, maxy, ev.error, 2, VA_ERROR);
        mvEventFree(&ev);
        return;
    }
    g = glossFind("step", ev.cat);
    canvasPut(cv, y, x, ev.cat, VA_CHANGED);
    canvasPutf(cv, y, x + (int)strlen(ev.cat) + 1, VA_DIM, "(%s%s%s)",
               g ? g->redis : ev.name, g ? "" : ", ", g ? "" :
               "no glossary row yet: see docs/trace-format.md");
    y++;
    if (g != NULL)
        y = putWrapped(cv, y, x + 2, w - 2, maxy, g->text, 0, VA_NORMAL);
    /* A trim's c is the state after the cut; its args n (the old qb_pos)
     * and qlen_before give the state before it. A free's c is the last
     * state: after it the client is gone. */
    if (ev.has_state && !strcmp(ev.cat, "trim") && y < maxy)
        canvasPutf(cv, y++, x + 2, VA_MARK, "before -> after: qlen %lld -> "
                   "%lld, qb_pos %lld -> %lld",
                   eventFieldInt(&ev, "qlen_before", ev.st.qlen),
                   ev.st.qlen, eventFieldInt(&ev, "n", 0), ev.st.qb_pos);
    else if (ev.has_state && !strcmp(ev.cat, "free") && y < maxy)
        canvasPutf(cv, y++, x + 2, VA_MARK, "before -> after: qlen %lld, "
                   "bufpos %lld, %zu blocks -> the client is gone",
                   ev.st.qlen, ev.st.bufpos, ev.st.nreply);
    /* [ / ]: the one field, mark or bar the student asked about. */
    const glossEntry *it = explainItem(vs->explain_item);
    if (it != NULL && y < maxy) {
        char now[80] = "";

        for (size_t i = 0; i < EXPLAIN_NFIELDS; i++)
            if (ev.has_state && ev.tid == vs->focus &&
                !strcmp(explain_fields[i].name, it->name)) {
                char v[64];
                fieldValue(&ev.st, explain_fields[i].bit, v, sizeof(v));
                snprintf(now, sizeof(now), " = %s here", v);
            }
        int cx = canvasPutf(cv, y, x, VA_MARK, "[%s]%s", it->name, now);
        canvasPutf(cv, y++, cx + 1, VA_DIM, "(%s; [ ] other items)",
                   it->redis);
        y = putWrapped(cv, y, x + 2, w - 2, maxy, it->text, 0, VA_NORMAL);
    }
    if (ev.tid != 0 && ev.tid == vs->focus && ev.has_state)
        changed = mvChangedFields(vs->t, vs->step);
    if (changed == MV_F_ALL && y < maxy) {
        canvasPut(cv, y++, x, "the client's first step: every field is "
                  "new", VA_DIM);
    } else if (changed != 0 && y < maxy) {
        canvasPut(cv, y++, x, "changed ('*': against this client's "
                  "previous step):", VA_DIM);
        for (size_t i = 0; i < EXPLAIN_NFIELDS && y < maxy; i++) {
            char v[64];
            const glossEntry *fg;

            if (!(changed & explain_fields[i].bit))
                continue;
            fieldValue(&ev.st, explain_fields[i].bit, v, sizeof(v));
            fg = glossFind("field", explain_fields[i].name);
            int cx = canvasPutf(cv, y, x + 2, VA_CHANGED, "%s=%s*",
                                explain_fields[i].name, v);
            if (fg != NULL)
                canvasPutf(cv, y, cx + 1, VA_DIM, "(%s)", fg->redis);
            y++;
            if (fg != NULL)
                y = putWrapped(cv, y, x + 4, w - 4, maxy, fg->text, 0,
                               VA_NORMAL);
        }
    } else if (y < maxy) {
        canvasPut(cv, y++, x, ev.tid == 0 ? "a server step: no client "
                  "field changes" : "no field of this client changed",
                  VA_DIM);
    }
    /* What is left: the marks of the strips above. */
    static const char *marks[] = { "^", "+", "-", "|", "*" };
    for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]) && y < maxy;
         i++) {
        const glossEntry *mg = glossFind("mark", marks[i]);
        if (mg != NULL)
            y = putWrapped(cv, y, x, w, maxy, mg->text, 2, VA_DIM);
    }
    mvEventFree(&ev);
}

/**
 * @brief First offset where two byte ranges differ.
 * @param a first bytes (may be NULL when @p na is 0)
 * @param na their length
 * @param b second bytes
 * @param nb their length
 * @return the offset, or (size_t)-1 when they are equal.
 * Called by: compareBytes().
 */
static size_t firstDiff(const char *a, size_t na, const char *b, size_t nb)
{
    size_t n = na < nb ? na : nb, i = 0;

    while (i < n && a[i] == b[i])
        i++;
    return (i == n && na == nb) ? (size_t)-1 : i;
}

/**
 * @brief One row comparing a buffer at the mark and now.
 * @param cv the canvas
 * @param y row
 * @param x column
 * @param name "querybuf" or "c->buf"
 * @param a bytes at the mark
 * @param na their length
 * @param b bytes now
 * @param nb their length
 * Called by: explainCompare().
 */
static void compareBytes(canvas *cv, int y, int x, const char *name,
                         const char *a, size_t na, const char *b, size_t nb)
{
    size_t d = firstDiff(a, na, b, nb);

    if (d == (size_t)-1)
        canvasPutf(cv, y, x, VA_DIM, "%-9s same %zu bytes", name, na);
    else
        canvasPutf(cv, y, x, VA_CHANGED, "%-9s %zu -> %zu bytes, first "
                   "difference at byte %zu", name, na, nb, d);
}

/**
 * @brief The `c` pane: which fields and buffer bytes of the client on
 *        screen differ between the marked step and this one, each with
 *        the step that last changed it.
 * @param cv the canvas
 * @param vs the view (vs->mark is set)
 * @param y top row
 * @param x left column
 * @param w columns
 * @param h rows
 * Called by: explainPane().
 */
static void explainCompare(canvas *cv, viewState *vs, int y, int x, int w,
                           int h)
{
    int maxy = y + h;
    mvEvent ea, eb;
    mvBuffers ba, bb;
    int oka, okb;

    canvasPutf(cv, y++, x, VA_TITLE, "compare client %llu: step %zu (mark) "
               "-> step %zu  (c: back, w: why)",
               (unsigned long long)vs->focus, vs->mark + 1, vs->step + 1);
    if (vs->focus == 0) {
        canvasPut(cv, y, x, "no client on screen (Tab picks one)", VA_DIM);
        return;
    }
    oka = stateAt(vs->t, vs->focus, vs->mark, &ea);
    okb = stateAt(vs->t, vs->focus, vs->step, &eb);
    if (!oka || !okb) {
        canvasPutf(cv, y, x, VA_DIM, "client %llu has no state at step %zu",
                   (unsigned long long)vs->focus,
                   (oka ? vs->step : vs->mark) + 1);
        mvEventFree(&ea);
        mvEventFree(&eb);
        return;
    }
    unsigned diff = mvStateDiff(&ea.st, &eb.st);
    for (size_t i = 0; i < EXPLAIN_NFIELDS && y < maxy; i++) {
        char va[64], vb[64];
        unsigned bit = explain_fields[i].bit;

        if (!(diff & bit))
            continue;
        fieldValue(&ea.st, bit, va, sizeof(va));
        fieldValue(&eb.st, bit, vb, sizeof(vb));
        size_t why = explainLastChange(vs->t, vs->focus, vs->step, bit);
        int cx = canvasPutf(cv, y, x, VA_CHANGED, "%-13s %s -> %s",
                            explain_fields[i].name, va, vb);
        if (why != MV_NONE) {
            mvEvent we;
            memset(&we, 0, sizeof(we));
            if (mvEventGet(vs->t, why, &we) == 0)
                canvasPutf(cv, y, cx + 2, VA_DIM, "set at step %zu %s %s:%d "
                           "(w %c)", why + 1, we.cat, we.src_file,
                           we.src_line, explain_fields[i].key);
            mvEventFree(&we);
        }
        y++;
    }
    if (diff == 0 && y < maxy)
        canvasPut(cv, y++, x, "no field differs", VA_DIM);
    memset(&ba, 0, sizeof(ba));
    memset(&bb, 0, sizeof(bb));
    if (y + 2 < maxy && mvBuffersAt(vs->t, vs->focus, vs->mark, &ba) == 0 &&
        mvBuffersAt(vs->t, vs->focus, vs->step, &bb) == 0) {
        size_t ua = 0, ub = 0;

        compareBytes(cv, y++, x, "querybuf", ba.querybuf, ba.qlen,
                     bb.querybuf, bb.qlen);
        compareBytes(cv, y++, x, "c->buf", ba.buf, ba.bufpos, bb.buf,
                     bb.bufpos);
        for (size_t k = 0; k < ba.nblocks; k++)
            ua += ba.blocks[k].used;
        for (size_t k = 0; k < bb.nblocks; k++)
            ub += bb.blocks[k].used;
        canvasPutf(cv, y++, x, ba.nblocks != bb.nblocks || ua != ub
                   ? VA_CHANGED : VA_DIM, "%-9s %zu -> %zu blocks, %zu -> "
                   "%zu bytes used", "reply", ba.nblocks, bb.nblocks, ua, ub);
    }
    mvBuffersFree(&ba);
    mvBuffersFree(&bb);
    (void)w;
    mvEventFree(&ea);
    mvEventFree(&eb);
}

/**
 * @brief Draw the explain (`e`) or compare (`c`) pane in the source
 *        pane's place, if one is on.
 * @param cv the canvas
 * @param vs the view
 * @param y top row
 * @param x left column
 * @param w columns
 * @param h rows
 * @return 1 when it drew (the caller skips the source), 0 when neither
 *         is on.
 * Called by: screenRender().
 */
int explainPane(canvas *cv, viewState *vs, int y, int x, int w, int h)
{
    if (h < 1)
        return 0;
    if (vs->compare && vs->mark != MV_NONE) {
        explainCompare(cv, vs, y, x, w, h);
        return 1;
    }
    if (vs->explain) {
        explainStep(cv, vs, y, x, w, h);
        return 1;
    }
    return 0;
}

/** Titles of the glossary's kinds, in the order the screen lists them. */
static const char *const gloss_kinds[][2] = {
    { "field", "Fields (\"c\" and the client list)" },
    { "step", "Step kinds (the event's cat)" },
    { "mark", "Marks" },
    { "bar", "Strips, bars and panes" },
};

/**
 * @brief Lay the glossary out in pages of @p per rows at width @p w, and
 *        draw page @p page (when @p cv is not NULL).
 *
 * A row of the table is never split across two pages (a page ends early
 * instead), so each page reads on its own.
 * @param cv the canvas, NULL to only count the pages
 * @param w columns
 * @param per rows a page holds
 * @param page the page to draw
 * @param y0 canvas row of a page's first row
 * @return the number of pages (at least 1).
 * Called by: explainGlossary(), explainGlossaryPages().
 */
static int glossLayout(canvas *cv, int w, int per, int page, int y0)
{
    int pg = 0, row = 0;
    char line[512];

    if (per < 2)
        per = 2;
    for (size_t k = 0; k < sizeof(gloss_kinds) / sizeof(gloss_kinds[0]);
         k++) {
        for (size_t i = (size_t)-1; i == (size_t)-1 || i < glossCount();
             i++) {
            const glossEntry *g = i == (size_t)-1 ? NULL : glossAt(i);
            int n = 1, x = 1;

            if (g != NULL && strcmp(g->kind, gloss_kinds[k][0]) != 0)
                continue;
            if (g != NULL) {
                snprintf(line, sizeof(line), "%s (%s): %s", g->name,
                         g->redis, g->text);
                n = putWrapped(NULL, 0, 0, w - 4, 1000, line, 4, VA_NORMAL);
                x = 2;
            }
            /* A title keeps its first row with it on the page. */
            if (row > 0 && row + n + (g == NULL) > per) {
                pg++;
                row = 0;
            }
            if (cv != NULL && pg == page) {
                if (g == NULL)
                    canvasPut(cv, y0 + row, 1, gloss_kinds[k][1], VA_TITLE);
                else
                    putWrapped(cv, y0 + row, x, w - 4, y0 + per, line, 4,
                               VA_NORMAL);
            }
            row += n;
        }
    }
    return pg + 1;
}

/**
 * @brief Pages the glossary screen has at a @p w x @p h screen.
 * @param w columns
 * @param h rows
 * @return at least 1.
 * Called by: main.c (Space / PgDn on the glossary), explainGlossary().
 */
int explainGlossaryPages(int w, int h)
{
    return glossLayout(NULL, w, h - 3, 0, 0);
}

/**
 * @brief The `E` screen: every row of the glossary, paged like the help.
 * @param cv the canvas (the frame already drawn into it)
 * @param vs the view (gloss_page is clamped to the pages there are)
 * Called by: screenRender() when viewState.glossary is set.
 */
void explainGlossary(canvas *cv, viewState *vs)
{
    int np = explainGlossaryPages(cv->w, cv->h);

    if (vs->gloss_page >= np)
        vs->gloss_page = np - 1;
    if (vs->gloss_page < 0)
        vs->gloss_page = 0;
    for (int y = 1; y < cv->h; y++)
        canvasFill(cv, y, 0, cv->w, ' ', VA_NORMAL);
    canvasPutf(cv, 1, 1, VA_TITLE, "glossary (page %d of %d; the same "
               "table as docs/trace-format.md)", vs->gloss_page + 1, np);
    glossLayout(cv, cv->w, cv->h - 3, vs->gloss_page, 2);
    canvasPut(cv, cv->h - 1, 0, vs->gloss_page + 1 < np
              ? "-- Space/PgDn next page, PgUp back, other keys close --"
              : "-- last page: PgUp back, any other key closes --", VA_HINT);
}
