/**
 * @file predictview.c
 * @brief `minired-view --predict QUESTIONS.txt TRACE`: before a step is
 *        shown, ask for a field's value; then reveal the step, say right
 *        or wrong with the true value and the feedback; score at the end.
 *
 * Where it sits
 * -------------
 * After the pipeline. "Predict, then check" is how the book's chapters
 * end and how a workshop keeps a room awake: the screen shows the
 * client's buffers *before* step N (the main viewer's own screen,
 * screenRender()), a panel below asks "what is bufpos after this step?",
 * the learner (or the room) types a number and Enter, and only then does
 * step N appear. predict.c reads the questions; this file draws and
 * reads keys. What flows in: a question set, a trace, keys. What flows
 * out: frames, and on exit "predict: score R/N" on stdout.
 *
 * Projector layout: the panel's text is wrapped at 72 columns or the
 * terminal width minus 4, whichever is less, starting in column 2, so a
 * large font (a 64 x 20 terminal) still shows the whole question and
 * nothing essential sits in the last columns. Below 80 x 32 the main
 * screen does not fit above the panel; a card of the client's querybuf
 * and fields takes its place (pvCard()).
 */
#include <curses.h>   /* key codes only: term.c draws */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canvas.h"
#include "model.h"
#include "predict.h"
#include "screen.h"
#include "source.h"
#include "term.h"
#include "view.h"

/** Rows of the question panel at the bottom. */
#define PV_PANEL_H 9
/** Longest panel line, for a projector's large font. */
#define PV_WRAP 72

/** Where the session is. */
typedef struct pvState {
    pqSet *set;          /**< the questions */
    mvTrace *t;          /**< the trace */
    const char *srcdir;  /**< for the source pane */
    size_t cur;          /**< current question */
    int revealed;        /**< 0 asking, 1 showing the step and the verdict */
    int done;            /**< 1: the score screen */
    char answer[64];     /**< typed so far */
    int right[PQ_MAX];   /**< per question: 1 right, 0 wrong */
    char given[PQ_MAX][64]; /**< per question: what was answered */
    size_t score;        /**< right answers */
    size_t answered;     /**< questions answered */
} pvState;

/**
 * @brief Write @p text word-wrapped from row @p y, column 2.
 * @param cv the canvas
 * @param y first row
 * @param ymax last row allowed (inclusive)
 * @param text the text
 * @param a its attribute
 * @return the row after the last one written.
 * Called by: pvRender().
 */
static int pvWrap(canvas *cv, int y, int ymax, const char *text, viewAttr a)
{
    int width = cv->w - 4 < PV_WRAP ? cv->w - 4 : PV_WRAP;
    const char *p = text;
    char line[PV_WRAP + 1];

    if (width < 10)
        width = 10;
    while (*p && y <= ymax) {
        int n = (int)strlen(p), cut = n;

        if (n > width) {
            cut = width;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = width;
        }
        snprintf(line, sizeof(line), "%.*s", cut, p);
        canvasPut(cv, y++, 2, line, a);
        p += cut;
        while (*p == ' ')
            p++;
    }
    return y;
}

/**
 * @brief A compact card of one client at one step, for terminals too
 *        small for the main screen (a projector's large font): the
 *        step, the querybuf bytes, and the fields questions ask about.
 * @param cv the canvas
 * @param h rows available from the top
 * @param ps the session
 * @param step the step (0-based)
 * @param client the client (0: the step's own)
 * Called by: pvRender().
 */
static void pvCard(canvas *cv, int h, pvState *ps, size_t step,
                   uint64_t client)
{
    mvEvent ev;
    mvBuffers b;
    char line[256], e[5];
    size_t o = 0, at = step;
    int y = 0;

    memset(&b, 0, sizeof(b));
    if (client == 0)
        client = mvTidOf(ps->t, step);
    if (client != 0 && mvClientLastAt(ps->t, client, step) != MV_NONE)
        at = mvClientLastAt(ps->t, client, step);
    if (mvEventGet(ps->t, at, &ev) != 0) {
        mvEventFree(&ev);
        return;
    }
    snprintf(line, sizeof(line), "step %zu  %s  %s  client %llu", step + 1,
             ev.name, ev.cat, (unsigned long long)client);
    canvasPut(cv, y++, 2, line, VA_TITLE);
    if (ev.has_state && y < h) {
        const mvState *c = &ev.st;

        if (client != 0 && mvBuffersAt(ps->t, client, step, &b) == 0) {
            o = (size_t)snprintf(line, sizeof(line), "querybuf ");
            for (size_t i = 0; i < b.qlen && o + 8 < sizeof(line) &&
                               (int)o + 8 < cv->w - 2; i++) {
                int k = escapeByte((unsigned char)b.querybuf[i], e);
                memcpy(line + o, e, (size_t)k);
                o += (size_t)k;
            }
            line[o] = 0;
            canvasPut(cv, y++, 2, line, VA_NORMAL);
        }
        mvBuffersFree(&b);
        if (y < h)
            canvasPutf(cv, y++, 2, VA_NORMAL, "qlen %lld  qb_pos %lld  "
                       "argc %lld", c->qlen, c->qb_pos, c->argc);
        if (y < h)
            canvasPutf(cv, y++, 2, VA_NORMAL, "multibulklen %lld  "
                       "bulklen %lld", c->multibulklen, c->bulklen);
        if (y < h)
            canvasPutf(cv, y++, 2, VA_NORMAL, "bufpos %lld  sentlen %lld  "
                       "reply_bytes %lld", c->bufpos, c->sentlen,
                       c->reply_bytes);
    }
    mvEventFree(&ev);
}

/**
 * @brief Draw the step screen (top) and the question panel (bottom).
 * @param cv the canvas
 * @param ps the session
 * Called by: pvLoop().
 */
static void pvRender(canvas *cv, pvState *ps)
{
    const pqQuestion *q = &ps->set->q[ps->cur];
    int top_h = cv->h - PV_PANEL_H, y = top_h;
    char line[700];

    canvasClear(cv);
    if (ps->done) {
        canvasPutf(cv, 1, 2, VA_TITLE, "Score: %zu/%zu", ps->score,
                   ps->set->n);
        for (size_t i = 0; i < ps->set->n && 3 + (int)i < cv->h - 2; i++)
            canvasPutf(cv, 3 + (int)i, 2, ps->right[i] ? VA_NORMAL
                       : VA_ERROR, "%2zu. step %-5lld %-12s %-5s %s", i + 1,
                       ps->set->q[i].step, ps->set->q[i].field,
                       i >= ps->answered ? "-" : ps->right[i] ? "right"
                                                              : "wrong",
                       ps->set->q[i].truth);
        canvasPut(cv, cv->h - 1, 2, "q or Enter: quit", VA_HINT);
        return;
    }
    /* Top: the main viewer's screen, before step N while asking, at
     * step N once revealed. */
    if (top_h >= 4 && top_h < VIEW_MIN_H - 1) {
        size_t step = (size_t)q->step - 1;

        if (ps->revealed || step > 0)
            pvCard(cv, top_h - 1, ps, ps->revealed ? step : step - 1,
                   q->client);
        else
            canvasPut(cv, 1, 2, "(before the first step)", VA_DIM);
    } else if (top_h >= VIEW_MIN_H - 1) {
        size_t step = (size_t)q->step - 1;
        canvas *top = canvasNew(cv->w, top_h);

        if (top != NULL && (ps->revealed || step > 0)) {
            viewState vs;

            memset(&vs, 0, sizeof(vs));
            vs.t = ps->t;
            vs.step = ps->revealed ? step : step - 1;
            vs.plain = 1;
            vs.mark = MV_NONE;
            vs.viol_step = MV_NONE;
            vs.srcdir = ps->srcdir;
            screenFocusFromStep(&vs);
            if (q->client)
                vs.focus = q->client;
            screenRender(top, &vs);
            memcpy(cv->ch, top->ch, (size_t)cv->w * top_h);
            memcpy(cv->at, top->at, (size_t)cv->w * top_h);
        } else if (top != NULL) {
            canvasPut(cv, 1, 2, "(before the first step)", VA_DIM);
        }
        canvasFree(top);
    } else {
        y = 0;
    }
    canvasFill(cv, y, 0, cv->w, ' ', VA_STATUS);
    snprintf(line, sizeof(line), " Question %zu/%zu  step %lld%s  score "
             "%zu/%zu", ps->cur + 1, ps->set->n, q->step,
             ps->revealed ? " (shown)" : " (next)", ps->score, ps->answered);
    canvasPut(cv, y++, 0, line, VA_STATUS);
    if (!ps->revealed) {
        y = pvWrap(cv, y, cv->h - 3, q->ask, VA_NORMAL);
        if (q->client)
            snprintf(line, sizeof(line), "%s of client %llu = %s_", q->field,
                     (unsigned long long)q->client, ps->answer);
        else
            snprintf(line, sizeof(line), "%s = %s_", q->field, ps->answer);
        canvasPut(cv, cv->h - 2, 2, line, VA_TITLE);
        canvasPut(cv, cv->h - 1, 2, "type the value, Enter: check  Esc: "
                  "end", VA_HINT);
        return;
    }
    if (ps->right[ps->cur])
        snprintf(line, sizeof(line), "RIGHT: %s = %s", q->field, q->truth);
    else
        snprintf(line, sizeof(line), "WRONG: you said %s; %s = %s",
                 ps->given[ps->cur][0] ? ps->given[ps->cur] : "(nothing)",
                 q->field, q->truth);
    y = pvWrap(cv, y, cv->h - 2, line,
               ps->right[ps->cur] ? VA_TITLE : VA_ERROR);
    pvWrap(cv, y, cv->h - 2, ps->right[ps->cur] ? q->right : q->wrong,
           VA_NORMAL);
    canvasPut(cv, cv->h - 1, 2, ps->cur + 1 < ps->set->n
              ? "Enter: next question  Esc: end" : "Enter: the score",
              VA_HINT);
}

/**
 * @brief Act on one key.
 * @param ps the session
 * @param key the key
 * @return 1 to quit.
 * Called by: pvLoop().
 */
static int pvKey(pvState *ps, int key)
{
    size_t len = strlen(ps->answer);
    int enter = key == '\r' || key == '\n' || key == KEY_ENTER;

    if (ps->done)
        return key == 'q' || key == 'Q' || enter || key == 27;
    if (key == 27) {                 /* Esc: straight to the score */
        ps->done = 1;
        return 0;
    }
    if (ps->revealed) {
        if (enter || key == ' ' || key == KEY_RIGHT) {
            ps->revealed = 0;
            ps->answer[0] = 0;
            if (++ps->cur >= ps->set->n) {
                ps->cur = ps->set->n - 1;
                ps->done = 1;
            }
        }
        return 0;
    }
    if (enter) {
        const pqQuestion *q = &ps->set->q[ps->cur];

        if (len == 0)
            return 0;                /* nothing typed yet */
        ps->right[ps->cur] = pqCheckAnswer(q, ps->answer);
        snprintf(ps->given[ps->cur], sizeof(ps->given[0]), "%s", ps->answer);
        ps->score += (size_t)ps->right[ps->cur];
        ps->answered++;
        ps->revealed = 1;
    } else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
        if (len > 0)
            ps->answer[len - 1] = 0;
    } else if (key >= 0x20 && key < 0x7f && len + 1 < sizeof(ps->answer)) {
        ps->answer[len] = (char)key;
        ps->answer[len + 1] = 0;
    }
    return 0;
}

/**
 * @brief termFrameKey()'s draw callback for the predict screen.
 * @param cv  the canvas to draw on
 * @param arg the pvState
 * Called by: termFrameKey() from pvLoop().
 */
static void pvDrawFrame(canvas *cv, void *arg)
{
    pvRender(cv, arg);
}

/**
 * @brief The loop: render, key, act.
 * @param ps the session
 * Called by: predictRun().
 */
static void pvLoop(pvState *ps)
{
    for (;;) {
        int key = termFrameKey(pvDrawFrame, ps);

        if (key < 0)
            return;
        if (key == KEY_RESIZE)
            continue;
        if (pvKey(ps, key))
            return;
    }
}

/**
 * @brief `--predict QUESTIONS.txt TRACE`.
 * @param o the options (predict, path)
 * @return 0 after a session (the score is printed), 1 unreadable trace,
 *         2 bad question file or no terminal.
 * Called by: main().
 */
int predictRun(const viewOptions *o)
{
    static pqSet set;     /* ~100 KB: not on the stack */
    pvState ps;
    char err[700];
    mvTrace *t = mvOpen(o->path, 0, NULL, NULL, err, sizeof(err));

    if (t == NULL) {
        fprintf(stderr, "minired-view: %s\n", err);
        return 1;
    }
    if (pqLoad(&set, o->predict, t, err, sizeof(err)) != 0) {
        fprintf(stderr, "minired-view: %s\n", err);
        mvClose(t);
        return 2;
    }
    if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
        fprintf(stderr, "minired-view: not a terminal: predict mode asks "
                "questions (%zu in %s, all valid)\n", set.n, o->predict);
        mvClose(t);
        return 2;
    }
    if (termStart(o->mono) != 0) {
        fprintf(stderr, "minired-view: cannot initialise the terminal\n");
        mvClose(t);
        return 1;
    }
    memset(&ps, 0, sizeof(ps));
    ps.set = &set;
    ps.t = t;
    ps.srcdir = sourceFindDir(o->src, o->path, mvGetHeader(t)->src_dir);
    pvLoop(&ps);
    termStop();
    printf("predict: score %zu/%zu (%zu answered)\n", ps.score, set.n,
           ps.answered);
    mvClose(t);
    sourceFreeAll();
    return termQuitRequested() ? 130 : 0;
}
