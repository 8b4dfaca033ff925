/**
 * @file screen.c
 * @brief Lay one step of a trace out on the screen: status, querybuf,
 *        c->buf, the reply list, the source line that emitted the event,
 *        and every client's fields.
 *
 * Where it sits
 * -------------
 * main.c (interactive) and dump.c (--dump) call screenRender() with a
 * viewState; this file asks the model (model.h) for the step's event and
 * the focused client's rebuilt buffers, and writes a canvas. It never
 * touches curses, which is why --dump can print exactly what a terminal
 * shows.
 *
 * The picture, top to bottom (80x24 shown; more rows go to the byte
 * strips, the reply blocks, the client list and the source pane):
 *
 *     step 9/44  client 3  processMultibulkBuffer arg  networking.c:1312
 *     arg  index=0 len=3
 *     querybuf qlen=31 qb_pos=13* ... reqtype=2 multibulklen=2* argc=1*
 *     *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n
 *     ----------------------^
 *     c->buf bufpos=0 | sentlen=0 ^
 *     (empty)
 *     reply list: 0 blocks reply_bytes=0
 *     src/networking.c:1312
 *     ...source lines, the trace point highlighted...
 *     clients ...one row per client...
 *     ? help  q quit  <- -> step ...
 *
 * Layout decisions (the book shows this screen, so they are explained):
 *  - The order follows a request through the pipeline: bytes arrive in
 *    querybuf, the parser walks them, the reply lands in c->buf, spills
 *    into the reply list, and sentlen catches up. Reading down the screen
 *    is reading the pipeline.
 *  - Each byte strip has a ruler line under it ('-' consumed/sent, '+'
 *    just read/appended, '^' qb_pos or sentlen, '|' bufpos). Colour says
 *    the same, but the ruler survives a monochrome terminal, --dump, a
 *    printed page and a colour-blind reader.
 *  - A changed value is followed by '*' for the same reason. It compares
 *    with the same client's previous step (mvChangedFields()), not with
 *    the screen shown before; the help, the `e` pane and the glossary say
 *    so.
 *  - The pane a step changed is never hidden: the reply list scrolls to
 *    the block the step touched, and at 80x24 a changed reply list gets
 *    rows before the source pane (layout.c). `e` / `c` put the
 *    explanation or the comparison where the source is (explain.c).
 *  - Fields are laid out left to right and wrap, instead of fixed
 *    columns: on 80 columns everything still fits, on 200 it takes one
 *    line and leaves the rows to the bytes.
 *  - At 150 columns or more the source pane and the client list move to
 *    a right-hand column, so the byte strips get the full height.
 *  - A buffer longer than its strip is shown as a window that keeps the
 *    interesting byte (qb_pos, the bytes just read, sentlen) a third of
 *    the way in, so you see what was consumed just before it.
 */
#include "screen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "keys.h"
#include "layout.h"
#include "source.h"

/** A rectangle of the canvas. */
typedef struct rect {
    int y;   /**< top row */
    int x;   /**< left column */
    int w;   /**< columns */
    int h;   /**< rows */
} rect;

/** Everything one frame needs from the model, fetched once. */
typedef struct frame {
    canvas *cv;          /**< where to draw */
    viewState *vs;       /**< what to draw */
    mvEvent ev;          /**< the current step's event */
    int ev_ok;           /**< ev parsed */
    mvEvent sev;         /**< the focused client's event holding its state */
    int sev_ok;          /**< sev was fetched (and must be freed) */
    const mvState *st;   /**< the focused client's state, or NULL */
    unsigned changed;    /**< MV_F_* bits changed at this step (focus only) */
    mvBuffers b;         /**< the focused client's rebuilt buffers */
    int b_ok;            /**< b filled */
} frame;

/** Left-to-right placement of "key=value" items that wraps in a rect. */
typedef struct flow {
    canvas *cv;   /**< canvas */
    rect r;       /**< the area */
    int y;        /**< current row */
    int x;        /**< current column */
} flow;

/** Byte strip parameters: what to show and what to mark. */
typedef struct stripSpec {
    const char *bytes;   /**< the buffer */
    size_t len;          /**< its length */
    size_t dim_end;      /**< bytes [0, dim_end) are consumed / sent */
    size_t hi_off;       /**< first highlighted byte (just read/appended) */
    size_t hi_len;       /**< highlighted bytes */
    size_t mark1;        /**< position marked with mark1c (SIZE_MAX: none) */
    char mark1c;         /**< its ruler character */
    size_t mark2;        /**< a second marked position (SIZE_MAX: none) */
    char mark2c;         /**< its ruler character */
    size_t focus;        /**< byte to keep in view */
} stripSpec;

/**
 * @brief Start a flow in @p r.
 * @param f the flow
 * @param cv the canvas
 * @param r the area it may fill
 * Called by: the section drawers.
 */
static void flowInit(flow *f, canvas *cv, rect r)
{
    f->cv = cv;
    f->r = r;
    f->y = r.y;
    f->x = r.x;
}

/**
 * @brief Place one item, wrapping to the next row if it does not fit.
 * @param f the flow
 * @param text the item
 * @param a its attribute
 * Called by: flowField(), the section drawers (titles).
 */
static void flowText(flow *f, const char *text, viewAttr a)
{
    int len = (int)strlen(text);

    if (f->x > f->r.x && f->x + len > f->r.x + f->r.w) {
        f->y++;
        f->x = f->r.x;
    }
    if (f->y >= f->r.y + f->r.h)
        return;
    canvasPut(f->cv, f->y, f->x, text, a);
    f->x += len + 1;
}

/**
 * @brief Place "key=value", the value highlighted and starred if it
 *        changed at this step.
 * @param f the flow
 * @param key the field name
 * @param val its value as text
 * @param changed non-zero if it changed
 * Called by: the section drawers.
 */
static void flowField(flow *f, const char *key, const char *val, int changed)
{
    int klen = (int)strlen(key), vlen = (int)strlen(val);
    int len = klen + 1 + vlen + (changed ? 1 : 0);

    if (f->x > f->r.x && f->x + len > f->r.x + f->r.w) {
        f->y++;
        f->x = f->r.x;
    }
    if (f->y >= f->r.y + f->r.h)
        return;
    canvasPut(f->cv, f->y, f->x, key, VA_NORMAL);
    canvasPut(f->cv, f->y, f->x + klen, "=", VA_NORMAL);
    canvasPut(f->cv, f->y, f->x + klen + 1, val,
              changed ? VA_CHANGED : VA_NORMAL);
    if (changed)
        canvasPut(f->cv, f->y, f->x + klen + 1 + vlen, "*", VA_CHANGED);
    f->x += len + 1;
}

/**
 * @brief flowField() for a number.
 * @param f the flow
 * @param key the field name
 * @param v its value
 * @param changed non-zero if it changed
 * Called by: the section drawers.
 */
static void flowNum(flow *f, const char *key, long long v, int changed)
{
    char tmp[32];

    snprintf(tmp, sizeof(tmp), "%lld", v);
    flowField(f, key, tmp, changed);
}

/**
 * @brief Escape up to @p max display characters of @p s into @p out.
 * @param out receives the text
 * @param outlen size of @p out
 * @param s bytes
 * @param n how many
 * @param max display width limit ("..." is appended when cut)
 * Called by: screenArgv(), drawBlocks().
 */
static void escapeInto(char *out, size_t outlen, const char *s, size_t n,
                       size_t max)
{
    size_t o = 0;

    if (outlen == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        char tok[5];
        size_t tl = (size_t)escapeByte((unsigned char)s[i], tok);

        if (o + tl > max || o + tl + 4 > outlen) {
            if (o + 4 <= outlen) {
                memcpy(out + o, "...", 3);
                o += 3;
            }
            break;
        }
        memcpy(out + o, tok, tl);
        o += tl;
    }
    out[o] = 0;
}

/**
 * @brief Spell argv as "[SET k(1) hello...(300)]": each value escaped, its
 *        real length in brackets when it is not all shown or is empty, and
 *        in double quotes when it holds a space ([SET "my key" "a b"]), so
 *        three arguments never read as five words.
 * @param st the client state
 * @param out receives the text
 * @param outlen size of @p out
 * Called by: drawQuery().
 */
static void screenArgv(const mvState *st, char *out, size_t outlen)
{
    size_t o = 0;

    o += (size_t)snprintf(out, outlen, "[");
    for (size_t i = 0; i < st->nargv && o + 1 < outlen; i++) {
        char val[64];

        const char *q = memchr(st->argv[i].val, ' ', st->argv[i].vlen)
                            ? "\"" : "";

        escapeInto(val, sizeof(val), st->argv[i].val, st->argv[i].vlen, 20);
        if ((long long)st->argv[i].vlen == st->argv[i].len && val[0])
            o += (size_t)snprintf(out + o, outlen - o, "%s%s%s%s",
                                  i ? " " : "", q, val, q);
        else
            o += (size_t)snprintf(out + o, outlen - o, "%s%s%s%s(%lld)",
                                  i ? " " : "", q, val, q, st->argv[i].len);
        if (o >= outlen)
            o = outlen - 1;
    }
    if (o + 2 <= outlen)
        snprintf(out + o, outlen - o, "]");
}

/* ANCHOR: screen-strip */
/**
 * @brief The first byte a strip shows: a third of the strip before
 *        @c focus, further back when the tail would leave rows empty.
 * @param r the strip's area (rows in pairs)
 * @param s the strip
 * @return the index of the first byte shown.
 * Called by: drawStrip(), stripRange().
 */
static size_t stripStart(rect r, const stripSpec *s)
{
    int lines = r.h / 2;
    size_t cap, start, i, fwd = 0;

    if (lines < 1 || r.w < 8 || s->len == 0)
        return 0;
    /* Each row loses up to 3 cells when a 4-wide "\xNN" does not fit at
     * its end; budget for that so the focus byte really is on screen. */
    cap = (size_t)lines * (size_t)(r.w - 3);
    start = s->focus > s->len ? s->len : s->focus;
    for (size_t back = 0; start > 0;) {
        size_t w = (size_t)escapeWidth((unsigned char)s->bytes[start - 1]);
        if (back + w > cap / 3)
            break;
        back += w;
        start--;
    }
    /* Fill the strip: if the tail from start is short, show more of the
     * head instead of blank rows (a 30-byte querybuf is shown whole). */
    for (i = start; i < s->len && fwd <= cap; i++)
        fwd += (size_t)escapeWidth((unsigned char)s->bytes[i]);
    while (start > 0 && fwd + (size_t)escapeWidth(
               (unsigned char)s->bytes[start - 1]) <= cap) {
        start--;
        fwd += (size_t)escapeWidth((unsigned char)s->bytes[start]);
    }

    return start;
}

/**
 * @brief "bytes 19713..20002 of 20002" when a strip cannot show the
 *        whole buffer, else "". Same arithmetic as drawStrip(), without
 *        drawing, so a title above the strip can say it first.
 * @param r the strip's area
 * @param s the strip
 * @param out receives the text
 * @param outlen size of @p out
 * Called by: drawQuery(), drawReplyBuf().
 */
static void stripRange(rect r, const stripSpec *s, char *out, size_t outlen)
{
    size_t start = stripStart(r, s), i;
    int lines = r.h / 2, line = 0, col = 0;

    out[0] = 0;
    if (lines < 1 || r.w < 8 || s->len == 0)
        return;
    for (i = start; i < s->len; i++) {
        int tw = escapeWidth((unsigned char)s->bytes[i]);
        if (col + tw > r.w) {
            line++;
            col = 0;
        }
        if (line >= lines)
            break;
        col += tw;
    }
    if (start > 0 || i < s->len)
        snprintf(out, outlen, "bytes %zu..%zu of %zu", start, i, s->len);
}

/**
 * @brief Draw a buffer as escaped bytes with a ruler line under each row.
 *
 * Only a window of the buffer is drawn when it does not fit: it starts a
 * third of the strip before @c focus, and moves further back when the
 * end of the buffer would leave the strip half empty.
 * @param cv the canvas
 * @param r the area; rows go in pairs (bytes, ruler)
 * @param s what to draw and mark
 * @param first receives the first byte shown
 * @param last receives one past the last byte shown
 * Called by: drawQuery(), drawReplyBuf().
 */
static void drawStrip(canvas *cv, rect r, const stripSpec *s,
                      size_t *first, size_t *last)
{
    size_t start, i;
    int lines = r.h / 2, line = 0, col = 0;

    *first = *last = 0;
    if (lines < 1 || r.w < 8)
        return;
    if (s->len == 0) {
        canvasPut(cv, r.y, r.x, "(empty)", VA_DIM);
        if (s->mark1 == 0)
            canvasPut(cv, r.y + 1, r.x, (char[]){ s->mark1c, 0 }, VA_MARK);
        return;
    }
    start = stripStart(r, s);
    for (i = start; i <= s->len; i++) {
        char tok[5] = "";
        int tw = 0;
        viewAttr a = VA_NORMAL;
        char rule = ' ';

        if (i < s->len) {
            tw = escapeByte((unsigned char)s->bytes[i], tok);
            if (i >= s->hi_off && i < s->hi_off + s->hi_len) {
                a = VA_READ;
                rule = '+';
            } else if (i < s->dim_end) {
                a = VA_DIM;
                rule = '-';
            }
        } else if (i == s->mark1 || i == s->mark2) {
            tw = 1;     /* a mark just past the last byte */
        } else {
            break;
        }
        if (col + tw > r.w) {
            line++;
            col = 0;
        }
        if (line >= lines)
            break;
        canvasPut(cv, r.y + 2 * line, r.x + col, tok, a);
        canvasFill(cv, r.y + 2 * line + 1, r.x + col, tw, rule,
                   a == VA_NORMAL ? VA_NORMAL : a);
        if (i == s->mark1 || i == s->mark2)
            canvasPut(cv, r.y + 2 * line + 1, r.x + col,
                      (char[]){ i == s->mark1 ? s->mark1c : s->mark2c, 0 },
                      VA_MARK);
        col += tw;
        if (i < s->len)
            *last = i + 1;
    }
    *first = start;
}
/* ANCHOR_END: screen-strip */

/** Most parts the status line is made of. */
#define STATUS_PARTS 10

/** One part of the status line and how much it matters. */
typedef struct statusPart {
    char text[160];  /**< what it says */
    int prio;        /**< 0: always shown; higher numbers are dropped first */
    int right;       /**< 1: in the right-aligned group */
    int glue;        /**< 1: one space from the part before, not two */
} statusPart;

/**
 * @brief Append a part to the status line's list.
 * @param p the list
 * @param n entries used (incremented)
 * @param prio 0 to always keep; higher numbers go first when short of room
 * @param right 1 for the right-aligned group
 * @param glue 1 to sit one space after the previous part
 * @param fmt printf format
 * @param ... its arguments
 * Called by: drawStatus().
 */
static void __attribute__((format(printf, 6, 7)))
statusAdd(statusPart *p, int *n, int prio, int right, int glue,
          const char *fmt, ...)
{
    va_list ap;

    if (*n >= STATUS_PARTS)
        return;
    va_start(ap, fmt);
    vsnprintf(p[*n].text, sizeof(p[*n].text), fmt, ap);
    va_end(ap);
    p[*n].prio = prio;
    p[*n].right = right;
    p[*n].glue = glue;
    (*n)++;
}

/**
 * @brief Columns the kept parts need: a leading space, the left parts
 *        with their separators, two spaces, the right group, a space.
 * @param p the parts
 * @param n how many
 * @param keep keep[i] is non-zero when part i is shown
 * @return the width.
 * Called by: drawStatus().
 */
static int statusWidth(const statusPart *p, int n, const int *keep)
{
    int w = 1, first_left = 1, first_right = 1;

    for (int i = 0; i < n; i++) {
        if (!keep[i])
            continue;
        int *first = p[i].right ? &first_right : &first_left;
        if (!*first)
            w += p[i].glue ? 1 : 2;
        else if (p[i].right)
            w += 2;     /* the gap between the left and right groups */
        *first = 0;
        w += (int)strlen(p[i].text);
    }
    return w + 1;
}

/**
 * @brief Does a "|"-joined flags string (mvState.flags) hold one flag?
 * @param flags e.g. "BLOCKED|PENDING_WRITE"
 * @param name  e.g. "BLOCKED" (whole names only: not "UNBLOCKED")
 * @return 1 or 0.
 * Called by: drawStatus().
 */
static int flagsHave(const char *flags, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = flags; (p = strstr(p, name)) != NULL; p += n)
        if ((p == flags || p[-1] == '|') && (p[n] == '\0' || p[n] == '|'))
            return 1;
    return 0;
}

/* ANCHOR: screen-status */
/**
 * @brief The status line: where we are, whose event, which function.
 *
 * Its parts have priorities, because a long client id or function name
 * can make it longer than 80 columns, and what gets cut must not be what
 * a student is reading it for. Always shown, in full: "step n of N", the
 * client (or "server"), the function and its src file:line. Dropped
 * first when there is no room: "all clients" (the default, says
 * nothing), then "ts N", the step kind (also the title of the next line),
 * "(showing client N)", a Tab filter, and last the follow indicator. Only
 * if the four essential parts alone do not fit is the function name cut,
 * with "...".
 * @param f the frame
 * @param r one row
 * Called by: screenRender().
 */
static void drawStatus(frame *f, rect r)
{
    viewState *vs = f->vs;
    size_t n = mvEventCount(vs->t);
    statusPart p[STATUS_PARTS];
    int np = 0, keep[STATUS_PARTS], fn = -1, x = r.x + 1;

    canvasFill(f->cv, r.y, r.x, r.w, ' ', VA_STATUS);
    if (n == 0) {
        canvasPut(f->cv, r.y, r.x + 1, vs->follow
                  ? "waiting for the first event (following)..."
                  : "no events in this trace", VA_STATUS);
        return;
    }
    statusAdd(p, &np, 0, 0, 0, "step %zu of %zu", vs->step + 1, n);
    if (!f->ev_ok)
        statusAdd(p, &np, 0, 0, 0, "line %ld", mvLineOf(vs->t, vs->step));
    else if (f->ev.tid == 0)
        statusAdd(p, &np, 0, 0, 0, "server");
    else
        statusAdd(p, &np, 0, 0, 0, "client %llu",
                  (unsigned long long)f->ev.tid);
    /* The buffers below belong to another client than this event's (a
     * server event, or --client): say whose they are. */
    if (f->ev_ok && vs->focus != 0 && vs->focus != f->ev.tid)
        statusAdd(p, &np, 4, 0, 1, "(showing client %llu)",
                  (unsigned long long)vs->focus);
    if (f->ev_ok) {
        fn = np;
        statusAdd(p, &np, 0, 0, 0, "%s", f->ev.name);
        statusAdd(p, &np, 5, 0, 1, "%s", f->ev.cat);
        if (f->ev.src_file[0])
            statusAdd(p, &np, 0, 0, 0, "%s:%d", f->ev.src_file,
                      f->ev.src_line);
        /* Why this client's input is not being parsed: BLOCKED (BLPOP,
         * from "blocked" to "unblocked") or PAUSED (CLIENT PAUSE: the loop
         * stopped at this "paused" step). */
        if (f->ev.has_state && flagsHave(f->ev.st.flags, "BLOCKED"))
            statusAdd(p, &np, 1, 0, 0, "BLOCKED");
        else if (!strcmp(f->ev.cat, "paused"))
            statusAdd(p, &np, 1, 0, 0, "PAUSED");
        /* ts normally equals the step; a filtered trace has gaps. */
        if (f->ev.ts != (long long)vs->step + 1)
            statusAdd(p, &np, 6, 0, 0, "ts %lld", f->ev.ts);
    }
    if (vs->filter)
        statusAdd(p, &np, 3, 1, 0, "filter: client %llu",
                  (unsigned long long)vs->filter);
    else
        statusAdd(p, &np, 7, 1, 0, "all clients");
    if (vs->mark != MV_NONE)    /* m: what c compares with */
        statusAdd(p, &np, 6, 1, 0, "mark %zu", vs->mark + 1);
    if (vs->follow)
        statusAdd(p, &np, 2, 1, 0, "%s",
                  vs->following ? "FOLLOW" : "follow paused (G)");

    /* Drop the least important part until the rest fits. */
    for (int i = 0; i < np; i++)
        keep[i] = 1;
    while (statusWidth(p, np, keep) > r.w) {
        int worst = -1;
        for (int i = 0; i < np; i++)
            if (keep[i] && p[i].prio > 0 &&
                (worst < 0 || p[i].prio > p[worst].prio))
                worst = i;
        if (worst < 0)
            break;
        keep[worst] = 0;
    }
    /* Still too long (a 60-character function name at 80 columns): cut
     * the function, keeping at least its first 8 characters. */
    int over = statusWidth(p, np, keep) - r.w;
    if (over > 0 && fn >= 0) {
        int len = (int)strlen(p[fn].text), cut = len - over - 3;
        if (cut >= 8)
            memcpy(p[fn].text + cut, "...", 4);
    }

    /* Left group from column 1, right group flush right. */
    for (int i = 0, first = 1; i < np; i++) {
        if (!keep[i] || p[i].right)
            continue;
        if (!first)
            x += p[i].glue ? 1 : 2;
        x = canvasPut(f->cv, r.y, x, p[i].text, VA_STATUS);
        first = 0;
    }
    int rw = 0;
    for (int i = 0; i < np; i++)
        if (keep[i] && p[i].right)
            rw += (rw ? 2 : 0) + (int)strlen(p[i].text);
    int rx = r.x + r.w - rw - 1;
    if (rw > 0 && rx >= x + 2) {
        for (int i = 0, first = 1; i < np; i++) {
            if (!keep[i] || !p[i].right)
                continue;
            rx = canvasPut(f->cv, r.y, rx + (first ? 0 : 2), p[i].text,
                           VA_STATUS);
            first = 0;
        }
    }
}
/* ANCHOR_END: screen-status */

/**
 * @brief The step's own fields ("nread=35"), then any note: a violation
 *        found by `v`, a buffer the model could not rebuild exactly.
 * @param f the frame
 * @param r the area (1 row)
 * Called by: screenRender().
 */
static void drawEventLine(frame *f, rect r)
{
    flow fl;
    char tmp[48];

    flowInit(&fl, f->cv, r);
    if (!f->ev_ok) {
        flowText(&fl, f->ev.error[0] ? f->ev.error : "unreadable line",
                 VA_ERROR);
        return;
    }
    flowText(&fl, f->ev.cat, VA_TITLE);
    for (size_t i = 0; i < f->ev.nfields; i++)
        flowField(&fl, f->ev.fields[i].key, f->ev.fields[i].value, 0);
    if (f->ev.has_data) {
        snprintf(tmp, sizeof(tmp), "%zu bytes", f->ev.datalen);
        flowField(&fl, "data", tmp, 0);
    }
    /* A trim's "c" is the state after the cut: say the before too, from
     * its args (qlen_before, n = the old qb_pos). A free's "c" is the
     * last state before release. */
    if (f->ev.has_state && !strcmp(f->ev.cat, "trim")) {
        const char *qb = "?", *n = "?";

        for (size_t i = 0; i < f->ev.nfields; i++) {
            if (!strcmp(f->ev.fields[i].key, "qlen_before"))
                qb = f->ev.fields[i].value;
            else if (!strcmp(f->ev.fields[i].key, "n"))
                n = f->ev.fields[i].value;
        }
        snprintf(tmp, sizeof(tmp), "(before: qlen=%s qb_pos=%s)", qb, n);
        flowText(&fl, tmp, VA_MARK);
    } else if (f->ev.has_state && !strcmp(f->ev.cat, "free")) {
        flowText(&fl, "(c: before release)", VA_MARK);
    }
    if (f->vs->viol_step == f->vs->step && f->vs->viol_msg[0])
        flowText(&fl, f->vs->viol_msg, VA_ERROR);
    if (f->b_ok && f->b.note[0])
        flowText(&fl, f->b.note, VA_ERROR);
}

/**
 * @brief A one-line placeholder where a client section would be.
 * @param f the frame
 * @param r the area
 * @param title the section title
 * Called by: drawQuery(), drawReplyBuf(), drawBlocks().
 */
static void drawNoClient(frame *f, rect r, const char *title)
{
    if (r.h < 1)
        return;
    int x = canvasPut(f->cv, r.y, r.x, title, VA_TITLE);
    canvasPut(f->cv, r.y, x + 1, f->vs->focus
              ? "(no event of this client yet)"
              : "(server event; no client selected yet: Tab picks one)",
              VA_DIM);
}

/* ANCHOR: screen-querybuf */
/**
 * @brief The query buffer: its fields, argv, and its bytes with qb_pos.
 *
 * Consumed bytes (before qb_pos) are dim, the bytes this step read are
 * highlighted, and '^' sits under the byte at qb_pos: the next byte the
 * parser will look at.
 * @param f the frame
 * @param r the area: 2 title rows, then byte/ruler row pairs
 * Called by: screenRender().
 */
static void drawQuery(frame *f, rect r)
{
    const mvState *st = f->st;
    unsigned ch = f->changed;
    static const char *reqnames[] = { "unknown", "inline", "multibulk" };
    char tmp[512];
    stripSpec s;
    size_t first, last;
    flow fl;
    rect sr;

    if (st == NULL || !f->b_ok) {
        drawNoClient(f, r, "querybuf");
        return;
    }
    memset(&s, 0, sizeof(s));
    s.bytes = f->b.querybuf;
    s.len = f->b.qlen;
    /* qb_pos from the state (a trim's state is already after the cut),
     * never past the bytes we have. */
    s.dim_end = st->qb_pos > 0 ? (size_t)st->qb_pos : 0;
    if (s.dim_end > s.len)
        s.dim_end = s.len;
    s.hi_off = f->b.new_off;
    s.hi_len = f->b.new_len;
    s.mark1 = s.dim_end;
    s.mark1c = '^';
    s.mark2 = SIZE_MAX;
    /* Keep the fresh bytes in view after a read, else the parser. */
    s.focus = f->b.new_len ? f->b.new_off : s.dim_end;
    /* Two title rows always, even when the fields fit in one: the strip
     * must not jump up and down a row while you step. */
    sr = (rect){ r.y + 2, r.x, r.w, r.h - 2 };

    flowInit(&fl, f->cv, (rect){ r.y, r.x, r.w, 2 });
    flowText(&fl, "querybuf", VA_TITLE);
    flowNum(&fl, "qlen", st->qlen, ch & MV_F_QLEN);
    flowNum(&fl, "qb_pos", st->qb_pos, ch & MV_F_QB_POS);
    flowNum(&fl, "peak", st->querybuf_peak, ch & MV_F_PEAK);
    snprintf(tmp, sizeof(tmp), "%lld(%s)", st->reqtype,
             st->reqtype >= 0 && st->reqtype <= 2 ? reqnames[st->reqtype]
                                                  : "?");
    flowField(&fl, "reqtype", tmp, ch & MV_F_REQTYPE);
    flowNum(&fl, "multibulklen", st->multibulklen, ch & MV_F_MULTIBULKLEN);
    flowNum(&fl, "bulklen", st->bulklen, ch & MV_F_BULKLEN);
    flowNum(&fl, "argc", st->argc, ch & MV_F_ARGC);
    screenArgv(st, tmp, sizeof(tmp) < (size_t)r.w ? sizeof(tmp)
                                                  : (size_t)r.w);
    flowField(&fl, "argv", tmp, ch & MV_F_ARGV);
    stripRange(sr, &s, tmp, sizeof(tmp));
    if (tmp[0])
        flowText(&fl, tmp, VA_DIM);
    drawStrip(f->cv, sr, &s, &first, &last);
}
/* ANCHOR_END: screen-querybuf */

/**
 * @brief The static reply buffer c->buf with sentlen '^' and bufpos '|';
 *        after a write that emptied it, the bytes just written.
 * @param f the frame
 * @param r the area: 1 title row, then byte/ruler row pairs
 * Called by: screenRender().
 */
static void drawReplyBuf(frame *f, rect r)
{
    const mvState *st = f->st;
    int just;
    stripSpec s;
    size_t first, last;
    char tmp[64];
    flow fl;
    rect sr;

    if (st == NULL || !f->b_ok) {
        drawNoClient(f, r, "c->buf");
        return;
    }
    memset(&s, 0, sizeof(s));
    /* A write that left c->buf empty (all of it sent, or a reply block
     * written) would show "(empty)" and "wrote 710": the bytes that just
     * went out are the interesting part, so they take the strip's place,
     * dim and ruled '-' like any sent bytes, after a "just written" label. */
    just = f->b.wrote > 0 && f->b.bufpos == 0 && f->ev_ok &&
           f->ev.has_data && f->ev.datalen > 0 &&
           f->ev.tid == f->vs->focus && (strcmp(f->ev.cat, "write") == 0 ||
                                         strcmp(f->ev.cat, "writev") == 0);
    if (just) {
        s.bytes = f->ev.data;
        s.len = f->ev.datalen;
        s.dim_end = s.len;
        s.mark1 = s.mark2 = SIZE_MAX;
    } else {
        s.bytes = f->b.buf;
        s.len = f->b.bufpos;
        s.dim_end = f->b.bufpos > 0 ? f->b.sentlen : 0;
        if (f->b.app_where == MV_WHERE_BUF) {
            s.hi_off = f->b.app_off;
            s.hi_len = f->b.app_len;
        }
        s.mark1 = f->b.bufpos > 0 ? f->b.sentlen : SIZE_MAX;
        s.mark1c = '^';
        s.mark2 = f->b.bufpos > 0 ? f->b.bufpos : SIZE_MAX;
        s.mark2c = '|';
        s.focus = s.hi_len ? s.hi_off : s.dim_end;
    }
    sr = (rect){ r.y + 1, r.x, r.w, r.h - 1 };

    flowInit(&fl, f->cv, (rect){ r.y, r.x, r.w, 1 });
    flowText(&fl, "c->buf", VA_TITLE);
    flowNum(&fl, "bufpos", st->bufpos, f->changed & MV_F_BUFPOS);
    flowText(&fl, "|", VA_MARK);
    flowNum(&fl, "sentlen", st->sentlen, f->changed & MV_F_SENTLEN);
    /* sentlen counts into c->buf only while it holds bytes; after that
     * it is the head reply block's, which the reply list marks. */
    if (st->bufpos > 0)
        flowText(&fl, "^", VA_MARK);
    else if (f->b.nblocks > 0)
        flowText(&fl, "(of the head block)", VA_DIM);
    if (f->b.wrote) {
        snprintf(tmp, sizeof(tmp), "wrote %zu", f->b.wrote);
        flowText(&fl, tmp, VA_READ);
    }
    /* The label goes in front of the bytes, not in the title row, where
     * a long "sentlen=20000* (of the head block)" could push it out. */
    if (just && sr.h >= 2 && sr.w > 40) {
        canvasPut(f->cv, sr.y, sr.x, "just written:", VA_READ);
        sr.x += 14;
        sr.w -= 14;
    }
    stripRange(sr, &s, tmp, sizeof(tmp));
    if (tmp[0])
        flowText(&fl, tmp, VA_DIM);
    drawStrip(f->cv, sr, &s, &first, &last);
}

/* ANCHOR: screen-reply-list */
/**
 * @brief The reply list: one row per block, a used/size bar, and the
 *        start of its bytes (the head block's sent part dim).
 * @param f the frame
 * @param r the area: 1 title row, then one row per block
 * Called by: screenRender().
 */
static void drawBlocks(frame *f, rect r)
{
    const mvState *st = f->st;
    const int barw = 12;
    size_t nb, shown, top = 0;
    flow fl;

    if (st == NULL || !f->b_ok) {
        drawNoClient(f, r, "reply list");
        return;
    }
    nb = f->b.nblocks;
    flowInit(&fl, f->cv, (rect){ r.y, r.x, r.w, 1 });
    flowText(&fl, "reply list", VA_TITLE);
    flowNum(&fl, "blocks", (long long)nb, f->changed & MV_F_REPLY);
    flowNum(&fl, "reply_bytes", st->reply_bytes,
            f->changed & MV_F_REPLY_BYTES);
    shown = (size_t)(r.h - 1);
    if (nb > shown && shown > 0) {
        shown--;    /* the last row says how many are not shown */
        /* The block this step touched is never hidden (it is the last
         * row shown); < and > scroll (blocks_top), until the next step. */
        if (f->vs->blocks_top > 0)
            top = f->vs->blocks_top - 1;
        else if (f->b.app_where >= 0 && (size_t)f->b.app_where >= shown)
            top = (size_t)f->b.app_where - shown + 1;
        if (top + shown > nb)
            top = nb - shown;
    }
    f->vs->blocks_drawn = top + 1;
    for (size_t i = top; i < nb && i < top + shown; i++) {
        const mvBlock *bl = &f->b.blocks[i];
        int y = r.y + 1 + (int)(i - top), x = r.x;
        /* The head block's sent bytes, once c->buf is empty. */
        size_t sent = (i == 0 && f->b.bufpos == 0) ? f->b.sentlen : 0;

        x = canvasPutf(f->cv, y, x, VA_NORMAL, "[%zu] ", i);
        if (bl->placeholder) {
            canvasPut(f->cv, y, x, "placeholder for a deferred *<n> length",
                      VA_DIM);
            continue;
        }
        int fill = bl->size > 0 ? (int)((long long)barw * (long long)bl->used
                                        / bl->size) : 0;
        if (fill == 0 && bl->used > 0)
            fill = 1;   /* 1 byte in 16 KB still deserves a mark */
        if (fill > barw)
            fill = barw;
        canvasFill(f->cv, y, x, fill, '#', VA_BAR);
        canvasFill(f->cv, y, x + fill, barw - fill, '.', VA_DIM);
        x = canvasPutf(f->cv, y, x + barw + 1, VA_NORMAL, "%zu/%lld", bl->used,
                       bl->size);
        if (sent)
            x = canvasPutf(f->cv, y, x + 1, VA_MARK, "sent=%zu", sent);
        /* Said in text too, not only in colour: a dump has no colour. */
        if ((int)i == f->b.app_where && f->b.app_len)
            x = canvasPutf(f->cv, y, x + 1, VA_READ, "+%zu", f->b.app_len);
        x += 1;
        /* Preview: from the first unsent byte, so a half-written block
         * shows what goes out next. */
        for (size_t k = sent; k < bl->used && x < r.x + r.w; k++) {
            char tok[5];
            int tw = escapeByte((unsigned char)bl->bytes[k], tok);
            viewAttr a = VA_NORMAL;

            if ((int)i == f->b.app_where && k >= f->b.app_off &&
                k < f->b.app_off + f->b.app_len)
                a = VA_READ;
            if (x + tw > r.x + r.w)
                break;
            x = canvasPut(f->cv, y, x, tok, a);
        }
    }
    if (nb > shown)
        canvasPutf(f->cv, r.y + 1 + (int)shown, r.x, VA_DIM,
                   "... %zu more blocks (%zu above, %zu below; < > scroll)",
                   nb - shown, top, nb - shown - top);
}
/* ANCHOR_END: screen-reply-list */

/**
 * @brief Draw one source line, comments in their own attribute.
 *
 * @p in_comment carries "inside a block comment" from line to line; the
 * caller scans from the top of the file so a line in the middle of a
 * long Doxygen block is still shown as comment.
 * @param cv the canvas
 * @param y row
 * @param x first column
 * @param w columns
 * @param line the text
 * @param in_comment in: state at the line start; out: at its end
 * @param base attribute for code (VA_CURLINE for the current line)
 * Called by: drawSource().
 */
static void drawSourceLine(canvas *cv, int y, int x, int w, const char *line,
                           int *in_comment, viewAttr base)
{
    int col = 0;

    for (const char *p = line; *p; p++) {
        char c = *p;
        int line_comment = 0;

        if (!*in_comment && p[0] == '/' && p[1] == '*')
            *in_comment = 1;
        else if (!*in_comment && p[0] == '/' && p[1] == '/')
            line_comment = 1;
        if (line_comment) {
            /* the rest of the line is a // comment */
            for (; *p && col < w; p++, col++)
                canvasPut(cv, y, x + col, (char[]){ *p == '\t' ? ' ' : *p, 0 },
                          base == VA_CURLINE ? base : VA_COMMENT);
            return;
        }
        viewAttr a = (*in_comment && base != VA_CURLINE) ? VA_COMMENT : base;
        if (c == '\t') {
            /* tabs to the next multiple of 8, as an editor shows them */
            do {
                if (col < w)
                    canvasPut(cv, y, x + col, " ", a);
                col++;
            } while (col % 8);
        } else {
            if (col < w)
                canvasPut(cv, y, x + col, (char[]){ c, 0 }, a);
            col++;
        }
        if (*in_comment && p[0] == '*' && p[1] == '/' && p > line) {
            if (col < w)
                canvasPut(cv, y, x + col, "/", a);
            col++;
            p++;
            *in_comment = 0;
        }
    }
}

/**
 * @brief The source pane: the lines around the trace point of the step.
 * @param f the frame
 * @param r the area: 1 title row, then source lines
 * Called by: screenRender().
 */
static void drawSource(frame *f, rect r)
{
    const char **lines;
    int n, first, in_comment = 0;

    if (r.h < 1 || !f->ev_ok || f->ev.src_file[0] == 0) {
        if (r.h >= 1)
            canvasPut(f->cv, r.y, r.x, "source", VA_TITLE);
        return;
    }
    canvasPutf(f->cv, r.y, r.x, VA_TITLE, "src/%s:%d", f->ev.src_file,
               f->ev.src_line);
    n = sourceLines(f->vs->srcdir, f->ev.src_file, &lines);
    if (n == 0) {
        canvasPutf(f->cv, r.y + (r.h > 1), r.x, VA_DIM,
                   f->vs->srcdir ? "(%s not found in %s; use --src DIR)"
                                 : "(source not found%s%s: use --src DIR)",
                   f->vs->srcdir ? f->ev.src_file : "",
                   f->vs->srcdir ? f->vs->srcdir : "");
        return;
    }
    /* The trace point a third of the way down: the code leading to it
     * matters less than what it does next, except for the function
     * header, which a wider window shows anyway. */
    first = f->ev.src_line - (r.h - 1) / 3;
    if (first + r.h - 1 > n + 1)
        first = n + 1 - (r.h - 1);
    if (first < 1)
        first = 1;
    for (int k = 1; k < first && k <= n; k++) {
        const char *p = lines[k - 1];
        for (; *p; p++) {
            if (!in_comment && p[0] == '/' && p[1] == '/')
                break;
            if (!in_comment && p[0] == '/' && p[1] == '*') {
                in_comment = 1;
                p++;
            } else if (in_comment && p[0] == '*' && p[1] == '/') {
                in_comment = 0;
                p++;
            }
        }
    }
    for (int row = 1; row < r.h; row++) {
        int ln = first + row - 1;
        int cur = ln == f->ev.src_line;

        if (ln > n)
            break;
        canvasPutf(f->cv, r.y + row, r.x, cur ? VA_CURLINE : VA_DIM,
                   "%c%5d ", cur ? '>' : ' ', ln);
        if (cur)
            canvasFill(f->cv, r.y + row, r.x + 7, r.w - 7, ' ', VA_CURLINE);
        drawSourceLine(f->cv, r.y + row, r.x + 7, r.w - 7, lines[ln - 1],
                       &in_comment, cur ? VA_CURLINE : VA_NORMAL);
    }
}

/**
 * @brief Is client @p c connected at step @p step (created, not yet freed)?
 * @param c the client
 * @param step the step
 * @return 1 if it should be listed.
 * Called by: drawClients().
 */
static int clientLive(const mvClient *c, size_t step)
{
    return c->first <= step && !(c->freed && c->last < step);
}

/* ANCHOR: screen-clients */
/**
 * @brief The client list: every client connected at this step, with its
 *        state as of its last event at or before the step.
 * @param f the frame
 * @param r the area: 1 title row, 1 header row, then one row per client
 * Called by: screenRender().
 */
static void drawClients(frame *f, rect r)
{
    viewState *vs = f->vs;
    size_t nc = mvClientCount(vs->t), live = 0, seen = 0, focus_idx = 0;
    size_t skip = 0;
    int rows = r.h - 2, row = 0;

    if (r.h < 1)
        return;
    for (size_t k = 0; k < nc; k++) {
        const mvClient *c = mvClientAt(vs->t, k);
        /* Counts as of this step: a client created later is not "seen". */
        seen += c->first <= vs->step;
        if (!clientLive(c, vs->step))
            continue;
        if (c->id == vs->focus)
            focus_idx = live;
        live++;
    }
    canvasPutf(f->cv, r.y, r.x, VA_TITLE, "clients: %zu connected, %zu seen",
               live, seen);
    if (r.h < 2)
        return;
    canvasPut(f->cv, r.y + 1, r.x,
              "    id   fd   qlen qb_pos bufpos sentlen blk reply_bytes flags",
              VA_DIM);
    /* Scroll so the focused client's row is visible. */
    if (rows > 0 && focus_idx >= (size_t)rows)
        skip = focus_idx - (size_t)rows + 1;
    for (size_t k = 0, idx = 0; k < nc && row < rows; k++) {
        const mvClient *c = mvClientAt(vs->t, k);
        size_t at;
        mvEvent e;
        int y = r.y + 2 + row;

        if (!clientLive(c, vs->step) || idx++ < skip)
            continue;
        at = mvClientLastAt(vs->t, c->id, vs->step);
        memset(&e, 0, sizeof(e));
        if (at == MV_NONE || mvEventGet(vs->t, at, &e) != 0 ||
            !e.has_state) {
            canvasPutf(f->cv, y, r.x, VA_DIM, "%c %4llu (no state)",
                       c->id == vs->focus ? '>' : ' ',
                       (unsigned long long)c->id);
        } else {
            const mvState *s = &e.st;
            /* Only the client this step belongs to can have changed. */
            int mine = at == vs->step;
            viewAttr a = mine ? VA_CHANGED : VA_NORMAL;
            unsigned chg = mine ? f->changed : 0;

            canvasPutf(f->cv, y, r.x, c->id == vs->focus ? VA_MARK
                                                         : VA_NORMAL,
                       "%c %4llu %4lld", c->id == vs->focus ? '>' : ' ',
                       (unsigned long long)c->id, c->fd);
            canvasPutf(f->cv, y, r.x + 12, chg & MV_F_QLEN ? a : VA_NORMAL,
                       "%6lld", s->qlen);
            canvasPutf(f->cv, y, r.x + 19, chg & MV_F_QB_POS ? a : VA_NORMAL,
                       "%6lld", s->qb_pos);
            canvasPutf(f->cv, y, r.x + 26, chg & MV_F_BUFPOS ? a : VA_NORMAL,
                       "%6lld", s->bufpos);
            canvasPutf(f->cv, y, r.x + 33, chg & MV_F_SENTLEN ? a
                                                              : VA_NORMAL,
                       "%7lld", s->sentlen);
            canvasPutf(f->cv, y, r.x + 41, chg & MV_F_REPLY ? a : VA_NORMAL,
                       "%3zu", s->nreply);
            canvasPutf(f->cv, y, r.x + 45, chg & MV_F_REPLY_BYTES ? a
                                                                  : VA_NORMAL,
                       "%11lld", s->reply_bytes);
            canvasPutf(f->cv, y, r.x + 57, chg & MV_F_FLAGS ? a : VA_NORMAL,
                       "%s%s", s->flags,
                       c->freed && c->last == at ? " (freed)" : "");
        }
        mvEventFree(&e);
        row++;
    }
    if (live > skip + (size_t)rows && rows > 0)
        canvasPutf(f->cv, r.y, r.x + r.w - 12, VA_DIM, "(+%zu more)",
                   live - skip - (size_t)rows);
}
/* ANCHOR_END: screen-clients */

/**
 * @brief The bottom line: a prompt being typed, a message, or key hints.
 * @param f the frame
 * @param r one row
 * Called by: screenRender() (not in --dump).
 */
static void drawHint(frame *f, rect r)
{
    viewState *vs = f->vs;

    if (vs->prompt[0]) {
        int x = canvasPut(f->cv, r.y, r.x, vs->prompt, VA_NORMAL);
        canvasPut(f->cv, r.y, x, "_", VA_MARK);
        return;
    }
    if (vs->message[0]) {
        canvasPut(f->cv, r.y, r.x, vs->message,
                  vs->message_error ? VA_ERROR : VA_NORMAL);
        return;
    }
    /* 79 columns at most: the 80x24 screen shows it whole. */
    canvasPut(f->cv, r.y, r.x, r.w >= 118
              ? "? help  q quit  <- -> step  jk same client  Tab filter"
                "  / n N search  e explain  m mark  c compare  H hide"
              : "? help  q quit  <- -> step  Tab filter  / n N search"
                "  e explain  c compare", VA_HINT);
}

/** Most pages the help can be split into. */
#define HELP_MAX_PAGES 8

/**
 * @brief Split the help text into pages of @p rows lines.
 *
 * A page ends early at its last blank line rather than split a paragraph
 * (the ruler legend reads as one), and never leaves a continuation line
 * (one starting with a space) for the top of the next page.
 * @param rows lines a page may hold
 * @param starts receives the first help line of each page
 * @param ends receives one past the last help line of each page
 * @return the number of pages (at least 1).
 * Called by: screenHelpPages(), drawHelp().
 */
static int helpPaginate(int rows, int *starts, int *ends)
{
    const char **lines;
    int n = keyHelpLines(&lines), np = 0, s = 1;   /* line 0: the title */

    if (rows < 1)
        rows = 1;
    while (s < n && np < HELP_MAX_PAGES) {
        int e = s + rows;

        if (e < n) {
            int k = e - 1;
            while (k > s && lines[k][0] != 0)
                k--;
            if (k > s)
                e = k;
            else if (lines[e][0] == ' ' && e - 1 > s)
                e--;
        } else {
            e = n;
        }
        starts[np] = s;
        ends[np++] = e;
        s = e;
        while (s < n && lines[s][0] == 0)
            s++;        /* no page starts with a blank line */
    }
    if (np == 0) {
        starts[0] = ends[0] = 1;
        np = 1;
    }
    return np;
}

/**
 * @brief How many pages the help has on a screen @p h rows high.
 * @param h the screen's rows
 * @return the number of pages.
 * Called by: main.c (Space / PgDn in the help), drawHelp().
 */
int screenHelpPages(int h)
{
    int starts[HELP_MAX_PAGES], ends[HELP_MAX_PAGES];

    /* Row 0 keeps the status line, row 1 is the title, the last row is
     * the hint: h - 3 rows of help. */
    return helpPaginate(h - 3, starts, ends);
}

/* ANCHOR: screen-help */
/**
 * @brief The help: the key table's text over the frame, below the
 *        status line, one page at a time.
 *
 * The status line stays visible (the help is about the screen you were
 * on), the bottom row says how to turn the page or close the help. At
 * 80x24 that leaves 21 rows, so the keys make one page and the legend of
 * the screen a second one; at 100x30 too (the keys of issue 11 made the
 * help longer than 27 rows).
 * @param cv the canvas (the frame already drawn into it)
 * @param vs the view (help_page is clamped to the pages there are)
 * Called by: screenRender() when viewState.help is set.
 */
static void drawHelp(canvas *cv, viewState *vs)
{
    const char **lines;
    int starts[HELP_MAX_PAGES], ends[HELP_MAX_PAGES];
    int np = helpPaginate(cv->h - 3, starts, ends), pg;

    keyHelpLines(&lines);
    if (vs->help_page >= np)
        vs->help_page = np - 1;
    if (vs->help_page < 0)
        vs->help_page = 0;
    pg = vs->help_page;
    for (int y = 1; y < cv->h; y++)
        canvasFill(cv, y, 0, cv->w, ' ', VA_NORMAL);
    int x = canvasPut(cv, 1, 1, lines[0], VA_TITLE);
    if (np > 1)
        canvasPutf(cv, 1, x + 2, VA_TITLE, "(page %d of %d)", pg + 1, np);
    for (int i = starts[pg], y = 2; i < ends[pg] && y < cv->h - 1; i++, y++)
        canvasPut(cv, y, 1, lines[i], VA_NORMAL);
    if (np > 1 && pg + 1 < np)
        canvasPut(cv, cv->h - 1, 0, "-- more: Space/PgDn next page, PgUp "
                  "back, other keys close the help --", VA_HINT);
    else if (np > 1)
        canvasPut(cv, cv->h - 1, 0, "-- last page: PgUp back, any other "
                  "key closes the help --", VA_HINT);
    else
        canvasPut(cv, cv->h - 1, 0, "-- any key closes the help --",
                  VA_HINT);
}
/* ANCHOR_END: screen-help */

/**
 * @brief Below the smallest supported size: one clear message instead
 *        of panes drawn over each other.
 *
 * The message is split into short lines so that even a 20-column pane
 * shows it whole, and centred. Keys still work (q quits), and the next
 * resize to 80x24 or more draws the step again.
 * @param cv the canvas
 * @param plain 1 for --dump (no hint row: 80x23 is enough, and the size
 *        comes from --width / --height, not from a terminal)
 * Called by: screenRender().
 */
static void drawTooSmall(canvas *cv, int plain)
{
    char size[48], need[48];
    const char *msg[4];
    int n = 4, y0;

    snprintf(need, sizeof(need), "need %dx%d,", VIEW_MIN_W,
             plain ? VIEW_MIN_H - 1 : VIEW_MIN_H);
    snprintf(size, sizeof(size), "this one is %dx%d", cv->w, cv->h);
    msg[0] = plain ? "screen too small:" : "terminal too small:";
    msg[1] = need;
    msg[2] = size;
    msg[3] = plain ? "(--width / --height)" : "(resize it; q quits)";
    y0 = (cv->h - n) / 2;
    if (y0 < 0)
        y0 = 0;
    for (int i = 0; i < n; i++) {
        int len = (int)strlen(msg[i]);
        int x = (cv->w - len) / 2;

        canvasPut(cv, y0 + i, x < 0 ? 0 : x, msg[i],
                  i == 0 ? VA_ERROR : VA_NORMAL);
    }
}

/**
 * @brief Fetch what the frame needs: the event, the focused client's
 *        state event, its changed fields and its rebuilt buffers.
 * @param f the frame to fill (cv and vs already set)
 * Called by: screenRender().
 */
static void frameLoad(frame *f)
{
    viewState *vs = f->vs;
    size_t at;

    f->ev_ok = mvEventGet(vs->t, vs->step, &f->ev) == 0;
    if (vs->focus == 0)
        return;
    if (mvBuffersAt(vs->t, vs->focus, vs->step, &f->b) == 0)
        f->b_ok = 1;
    else
        mvBuffersFree(&f->b);
    at = mvClientLastAt(vs->t, vs->focus, vs->step);
    if (at == MV_NONE)
        return;
    if (at == vs->step) {
        if (f->ev_ok && f->ev.has_state) {
            f->st = &f->ev.st;
            f->changed = mvChangedFields(vs->t, at);
        }
    } else {
        /* sev_ok: sev must be released, whether or not it parsed. */
        f->sev_ok = 1;
        if (mvEventGet(vs->t, at, &f->sev) == 0 && f->sev.has_state) {
            f->st = &f->sev.st;
        }
    }
}

/**
 * @brief Pick the client to show after the step changed: the step's own
 *        client, or, for a server event, whoever was shown before.
 * @param vs the view
 * Called by: main.c after every move, dump.c.
 */
void screenFocusFromStep(viewState *vs)
{
    uint64_t tid;

    if (vs->filter) {
        vs->focus = vs->filter;
        return;
    }
    if (mvEventCount(vs->t) == 0)
        return;
    tid = mvTidOf(vs->t, vs->step);
    if (tid != 0)
        vs->focus = tid;
}

/* ANCHOR: screen-render */
/**
 * @brief Render the current step into @p cv (80x24 and up; a smaller
 *        canvas gets a "too small" message, never a crash).
 * @param cv the canvas (its size is the screen size)
 * @param vs the view state
 * Called by: main.c for each frame, dump.c once.
 */
void screenRender(canvas *cv, viewState *vs)
{
    frame f;
    int hint = vs->plain ? 0 : 1, h[5], y;
    size_t nclients = 0;

    memset(&f, 0, sizeof(f));
    f.cv = cv;
    f.vs = vs;
    canvasClear(cv);
    /* Under 80x24 the sections would overlap: say so instead. */
    if (cv->w < VIEW_MIN_W || cv->h + (vs->plain ? 1 : 0) < VIEW_MIN_H) {
        drawTooSmall(cv, vs->plain);
        return;
    }
    if (mvEventCount(vs->t) == 0) {
        drawStatus(&f, (rect){ 0, 0, cv->w, 1 });
        if (hint)
            drawHint(&f, (rect){ cv->h - 1, 0, cv->w, 1 });
        if (vs->help && !vs->plain)
            drawHelp(cv, vs);
        return;
    }
    frameLoad(&f);
    for (size_t k = 0; k < mvClientCount(vs->t); k++)
        if (clientLive(mvClientAt(vs->t, k), vs->step))
            nclients++;

    drawStatus(&f, (rect){ 0, 0, cv->w, 1 });
    drawEventLine(&f, (rect){ 1, 0, cv->w, 1 });
    if (cv->w >= 150) {
        /* Wide: buffers left, source and clients right. The right column
         * is 88 wide, enough for minired's 80-column source lines plus
         * the line numbers, and grows to 40% on very wide screens; the
         * byte strips get the rest, because they wrap and the source
         * does not. */
        int rw = cv->w * 2 / 5 > 88 ? cv->w * 2 / 5 : 88;
        int lw = cv->w - rw - 1, avail = cv->h - 2 - hint;
        int clh = 2 + (int)(nclients < 10 ? nclients : 10);

        int blh = 2 + (int)(f.b_ok && f.b.nblocks > 1
                            ? (f.b.nblocks < 8 ? f.b.nblocks : 8) : 1);
        int rest = avail - blh;
        int bp = rest / 8 < 1 ? 1 : rest / 8 > 4 ? 4 : rest / 8;
        int qp = (rest - 2 - (1 + 2 * bp)) / 2;

        if (qp < 1)
            qp = 1;
        if (qp > 12)
            qp = 12;
        h[0] = 2 + 2 * qp;
        h[1] = 1 + 2 * bp;
        y = 2;
        drawQuery(&f, (rect){ y, 0, lw, h[0] });
        y += h[0];
        drawReplyBuf(&f, (rect){ y, 0, lw, h[1] });
        y += h[1];
        drawBlocks(&f, (rect){ y, 0, lw, cv->h - hint - y });
        for (int yy = 2; yy < cv->h - hint; yy++)
            canvasPut(cv, yy, lw, "|", VA_DIM);
        if (!explainPane(cv, vs, 2, lw + 2, rw - 2, avail - clh))
            drawSource(&f, (rect){ 2, lw + 2, rw - 2, avail - clh });
        drawClients(&f, (rect){ 2 + avail - clh, lw + 2, rw - 2, clh });
    } else {
        int need[3] = { f.b_ok ? layoutStripNeed(f.b.querybuf, f.b.qlen, cv->w) : 1,
                        f.b_ok ? layoutStripNeed(f.b.buf, f.b.bufpos, cv->w) : 1,
                        f.b_ok && (f.b.app_where >= 0 ||
                                   (f.changed & MV_F_REPLY) ||
                                   (f.b.wrote && f.b.bufpos == 0)) };

        layoutHeights(cv->h - 2 - hint, f.b_ok ? f.b.nblocks : 0, nclients,
                      need, h);
        y = 2;
        drawQuery(&f, (rect){ y, 0, cv->w, h[0] });
        y += h[0];
        drawReplyBuf(&f, (rect){ y, 0, cv->w, h[1] });
        y += h[1];
        drawBlocks(&f, (rect){ y, 0, cv->w, h[2] });
        y += h[2];
        if (!explainPane(cv, vs, y, 0, cv->w, h[3]))
            drawSource(&f, (rect){ y, 0, cv->w, h[3] });
        y += h[3];
        drawClients(&f, (rect){ y, 0, cv->w, h[4] });
    }
    if (hint)
        drawHint(&f, (rect){ cv->h - 1, 0, cv->w, 1 });
    if (vs->help && !vs->plain)
        drawHelp(cv, vs);
    if (vs->glossary && !vs->plain)
        explainGlossary(cv, vs);

    mvEventFree(&f.ev);
    if (f.sev_ok)
        mvEventFree(&f.sev);
    if (f.b_ok)
        mvBuffersFree(&f.b);
}
/* ANCHOR_END: screen-render */
