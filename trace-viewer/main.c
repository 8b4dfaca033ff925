/**
 * @file main.c
 * @brief bin/minired-view: walk a minired trace step by step in a
 *        terminal, or print one step as text (--dump).
 *
 *     bin/minired-view tests/golden/06-big-reply.jsonl
 *     bin/minired-view -f /tmp/session.jsonl          # follow a live server
 *     bin/minired-view --dump 12 --client 3 trace.jsonl
 *     bin/minired-view --step 288 trace.jsonl         # open at step 288
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After it. The server (bin/minired-server --trace FILE) or a replay
 * (bin/minired-trace replay / run) writes a trace; this program reads it
 * through the model (model.h, no curses), renders a step with screen.c,
 * and shows it with term.c. What flows in: a trace file and key presses.
 * What flows out: the picture of one client's buffers at one step.
 *
 * The loop is the classic one: render, wait for a key (at most 200 ms,
 * so follow mode can poll the file and Ctrl-C is noticed), act, repeat.
 * Every move goes through viewMove(), which also decides whether follow
 * mode keeps sticking to the end: it does while you are on the last step.
 *
 * Step numbers shown and typed are 1-based positions in the file: step 1
 * is the first event after the header. In a trace straight from the
 * server or a replay that is exactly the event's ts, so "step 41" here
 * is `"ts":41` in the file and in jq's output.
 */
#include <curses.h>   /* key codes only (KEY_ENTER, ERR...): term.c draws */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canvas.h"
#include "explain.h"
#include "keys.h"
#include "model.h"
#include "screen.h"
#include "source.h"
#include "term.h"
#include "view.h"

/** Follow mode polls the file this often (ms); also the key timeout. */
#define VIEW_POLL_MS 200
/** What `f` asks. */
#define FIELD_PROMPT "f: q qb_pos  b bufpos  s sentlen  r reply  " \
                     "l qlen  a argc  (Esc cancels)"
/** PgUp / PgDn distance in steps. */
#define VIEW_PAGE 20

/** Set by searchProgress() when the user cancelled the running search,
 *  so "not found" and "cancelled" (both MV_NONE) get different words. */
static int search_cancelled = 0;

/** State of the one-line prompt (":", "/" or "f"). */
typedef struct prompt {
    char kind;        /**< ':' jump, '/' search, 'f' field, 'w' why; 0 = none */
    char text[64];    /**< typed so far */
} prompt;

/** Progress drawing state for the loading screen. */
typedef struct loading {
    const char *path;  /**< the file being indexed */
    int last_pct;      /**< last percentage drawn (-1: none yet) */
} loading;

/**
 * @brief Print the usage (and the key list) to @p fp.
 * @param fp stdout for --help, stderr for a usage error
 * Called by: main().
 */
static void usage(FILE *fp)
{
    const char **lines;
    int n = keyHelpLines(&lines);

    fprintf(fp,
        "usage: minired-view [options] TRACE.jsonl\n"
        "       minired-view [--dump STEP] --diff EXPECTED.jsonl ACTUAL.jsonl\n"
        "       minired-view --predict QUESTIONS.txt TRACE.jsonl\n"
        "\n"
        "Walk a minired trace (docs/trace-format.md) step by step: querybuf\n"
        "and qb_pos, c->buf with bufpos and sentlen, the reply list, the\n"
        "source line of each step, and every client's fields.\n"
        "\n"
        "  -f, --follow      follow a trace a running server is writing\n"
        "  --src DIR         minired's src/ directory (default: found next to\n"
        "                    the trace, or next to this binary)\n"
        "  --mono            no colour (also when NO_COLOR is set)\n"
        "  --step N          open the viewer at step N (1-based; = ts)\n"
        "  --dump STEP       print step STEP (1-based; = ts) as plain text\n"
        "                    and exit; no terminal needed\n"
        "  --client ID       with --dump: show client ID's buffers\n"
        "  --width N         with --dump: columns (default $COLUMNS, else 100)\n"
        "  --height N        with --dump: rows (default $LINES, else 40)\n"
        "  --explain         with --dump: the explain pane (key e) instead\n"
        "                    of the source\n"
        "  --mark M          with --dump: compare step M with STEP (keys m,\n"
        "                    c) instead of the source\n"
        "  --diff A B        (instead of TRACE) two traces side by side,\n"
        "                    EXPECTED A and ACTUAL B, stepping together; the\n"
        "                    first divergence (as minired-trace diff) and\n"
        "                    every differing field marked '!'; opens at the\n"
        "                    divergence (or --step N); keys d n N; with\n"
        "                    --dump STEP prints that frame. Exit 0 same, 1\n"
        "                    different\n"
        "  --predict Q.txt   predict mode: before step N is shown, ask for a\n"
        "                    field's value (docs/predict-format.md), then\n"
        "                    reveal it, say right/wrong, score at the end\n"
        "  -h, --help        this text\n"
        "\n");
    for (int i = 0; i < n; i++)
        fprintf(fp, "%s\n", lines[i]);
}

/**
 * @brief Parse a whole decimal number.
 * @param s the text
 * @param v receives the value
 * @return 0 if @p s is a number, -1 otherwise.
 * Called by: parseArgs(), the ':' prompt.
 */
static int parseNumber(const char *s, long long *v)
{
    char *end;

    if (s == NULL || *s == 0)
        return -1;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return (errno || *end) ? -1 : 0;
}

/**
 * @brief Parse the command line into @p o.
 * @param argc argument count
 * @param argv arguments
 * @param o receives the options
 * @return 0 ok, 1 --help was printed, 2 usage error (message printed).
 * Called by: main().
 */
static int parseArgs(int argc, char **argv, viewOptions *o)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        long long v;
        /* Options taking a value: --dump 12 or --dump=12. */
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        char name[32];

        if (a[0] == '-' && a[1] == '-' && eq && eq - a < (long)sizeof(name)) {
            snprintf(name, sizeof(name), "%.*s", (int)(eq - a), a);
            val = eq + 1;
            a = name;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 1;
        } else if (!strcmp(a, "-f") || !strcmp(a, "--follow")) {
            o->follow = 1;
        } else if (!strcmp(a, "--mono")) {
            o->mono = 1;
        } else if (!strcmp(a, "--explain")) {
            o->explain = 1;
        } else if (!strcmp(a, "--diff")) {
            o->diff = 1;
        } else if (!strcmp(a, "--src") || !strcmp(a, "--dump") ||
                   !strcmp(a, "--client") || !strcmp(a, "--width") ||
                   !strcmp(a, "--height") || !strcmp(a, "--step") ||
                   !strcmp(a, "--mark") || !strcmp(a, "--predict")) {
            if (val == NULL && i + 1 < argc)
                val = argv[++i];
            if (val == NULL) {
                fprintf(stderr, "minired-view: %s needs a value\n", a);
                return 2;
            }
            if (!strcmp(a, "--src")) {
                o->src = val;
                continue;
            }
            if (!strcmp(a, "--predict")) {
                o->predict = val;
                continue;
            }
            if (parseNumber(val, &v) != 0 || v < 1) {
                fprintf(stderr, "minired-view: %s: '%s' is not a positive "
                        "number\n", a, val);
                return 2;
            }
            if (!strcmp(a, "--dump")) o->dump_step = v;
            else if (!strcmp(a, "--client")) o->client = (uint64_t)v;
            else if (!strcmp(a, "--step")) o->start_step = v;
            else if (!strcmp(a, "--mark")) o->mark = v;
            else if (!strcmp(a, "--width")) o->width = v > 1000 ? 1000 : (int)v;
            else o->height = v > 1000 ? 1000 : (int)v;
        } else if (a[0] == '-' && a[1] != 0) {
            fprintf(stderr, "minired-view: unknown option %s (try --help)\n",
                    argv[i]);
            return 2;
        } else if (o->path == NULL) {
            o->path = a;
        } else if (o->path2 == NULL && o->diff) {
            o->path2 = a;       /* --diff EXPECTED ACTUAL */
        } else {
            fprintf(stderr, "minired-view: one trace file at a time (%s, %s)\n",
                    o->path, a);
            return 2;
        }
    }
    if (o->path == NULL) {
        usage(stderr);
        return 2;
    }
    if (o->diff && o->path2 == NULL) {
        fprintf(stderr, "minired-view: --diff needs two traces: EXPECTED "
                "ACTUAL\n");
        return 2;
    }
    if (o->diff && o->predict) {
        fprintf(stderr, "minired-view: --diff and --predict are two modes; "
                "pick one\n");
        return 2;
    }
    if ((o->diff || o->predict) && (o->client || o->explain || o->mark ||
                                    o->follow)) {
        fprintf(stderr, "minired-view: --client, --explain, --mark and -f "
                "do not go with --diff or --predict\n");
        return 2;
    }
    if (o->predict && o->dump_step) {
        fprintf(stderr, "minired-view: --predict is interactive (it asks); "
                "--dump goes with a trace or --diff\n");
        return 2;
    }
    if (o->client && !o->dump_step) {
        fprintf(stderr, "minired-view: --client goes with --dump (in the "
                "viewer, Tab picks a client)\n");
        return 2;
    }
    if ((o->explain || o->mark) && !o->dump_step) {
        fprintf(stderr, "minired-view: --explain and --mark go with --dump "
                "(in the viewer: e, m and c)\n");
        return 2;
    }
    if (o->start_step && o->dump_step) {
        fprintf(stderr, "minired-view: --step opens the viewer at a step; "
                "--dump takes its step itself (--dump %lld)\n",
                o->dump_step);
        return 2;
    }
    const char *nc = getenv("NO_COLOR");
    if (nc != NULL && nc[0] != 0)   /* no-color.org: set and non-empty */
        o->mono = 1;
    return 0;
}

/* ANCHOR: main-loading-progress */
/**
 * @brief Model progress callback while indexing: a full-screen bar.
 *
 * A 1,000,000-event trace is a few hundred MB; indexing it takes about a
 * second, long enough that a blank screen looks like a hang. Redrawn only
 * when the percentage changes. q, Esc or Ctrl-C cancel.
 * @param priv the loading state
 * @param done bytes indexed so far
 * @param total bytes in the file
 * @return non-zero to cancel the open.
 * Called by: mvOpen() / mvRefresh(), every few MB.
 */
static int loadingProgress(void *priv, uint64_t done, uint64_t total)
{
    loading *ld = priv;
    int pct = total ? (int)(done * 100 / total) : 100;
    int w, h, barw, key;
    canvas *cv;

    key = termGetKey(0);
    if (key == 'q' || key == 27 || termQuitRequested())
        return 1;
    if (pct == ld->last_pct)
        return 0;
    ld->last_pct = pct;
    termSize(&w, &h);
    cv = canvasNew(w, h);
    if (cv == NULL)
        return 0;
    barw = w - 20 > 60 ? 60 : w - 20;
    if (barw < 10)
        barw = 10;
    canvasPutf(cv, h / 2 - 2, 2, VA_TITLE, "Indexing %s", ld->path);
    canvasPut(cv, h / 2, 2, "[", VA_NORMAL);
    canvasFill(cv, h / 2, 3, barw * pct / 100, '#', VA_BAR);
    canvasFill(cv, h / 2, 3 + barw * pct / 100, barw - barw * pct / 100,
               '.', VA_DIM);
    canvasPutf(cv, h / 2, 3 + barw, VA_NORMAL, "] %3d%%", pct);
    canvasPutf(cv, h / 2 + 2, 2, VA_DIM, "%.1f of %.1f MB   (q cancels)",
               done / 1048576.0, total / 1048576.0);
    termShow(cv);
    canvasFree(cv);
    return 0;
}
/* ANCHOR_END: main-loading-progress */

/**
 * @brief Model progress callback for searches (/, f, v) on big traces:
 *        a percentage on the bottom line; Esc cancels.
 * @param priv unused
 * @param done steps scanned
 * @param total steps to scan
 * @return non-zero to cancel the search.
 * Called by: mvFindName(), mvFindChange(), mvFindViolation().
 */
static int searchProgress(void *priv, uint64_t done, uint64_t total)
{
    char line[80];
    int key = termGetKey(0);

    if (key == 27 || key == 'q' || termQuitRequested()) {
        search_cancelled = 1;
        return 1;
    }
    snprintf(line, sizeof(line), " searching... %d%%  (Esc cancels)",
             total ? (int)(done * 100 / total) : 100);
    termBottomLine(line);
    return 0;
}

/**
 * @brief Set a one-shot message for the bottom line.
 * @param vs the view
 * @param error non-zero to draw it as an error
 * @param fmt printf format
 * @param ... arguments
 * Called by: viewAct() and friends.
 */
static void __attribute__((format(printf, 3, 4)))
viewMessage(viewState *vs, int error, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(vs->message, sizeof(vs->message), fmt, ap);
    va_end(ap);
    vs->message_error = error;
}

/**
 * @brief Go to @p step (MV_NONE: stay, and say @p why_not).
 *
 * Follow mode sticks to the end exactly while the user is on the last
 * step: moving back pauses it, G (or reaching the end) resumes it.
 * @param vs the view
 * @param step the new step, or MV_NONE
 * @param why_not message when @p step is MV_NONE
 * Called by: viewAct(), viewPrompt().
 */
static void viewMove(viewState *vs, size_t step, const char *why_not)
{
    size_t n = mvEventCount(vs->t);

    if (step == MV_NONE || step >= n) {
        viewMessage(vs, 0, "%s", why_not);
        return;
    }
    vs->step = step;
    vs->following = vs->follow && step == n - 1;
    vs->blocks_top = 0;     /* the reply list follows the new step again */
    screenFocusFromStep(vs);
}

/**
 * @brief One step forward or back, within the filter when Tab set one.
 * @param vs the view
 * @param client the client to stay on (0: any step)
 * @param dir MV_FORWARD or MV_BACKWARD
 * @return the step, or MV_NONE at either end.
 * Called by: viewAct().
 */
static size_t viewStep(viewState *vs, uint64_t client, int dir)
{
    size_t s = vs->step, n = mvEventCount(vs->t);

    if (client != 0)
        return mvClientStep(vs->t, client, vs->step, dir);
    /* H: skip the server's own steps (tid 0: before-sleep, cron, clock). */
    do {
        if (dir == MV_FORWARD)
            s = s + 1 < n ? s + 1 : MV_NONE;
        else
            s = s > 0 ? s - 1 : MV_NONE;
    } while (s != MV_NONE && vs->hide_server && mvTidOf(vs->t, s) == 0);
    return s;
}

/**
 * @brief Repeat the last search from the current step.
 * @param vs the view
 * @param dir MV_FORWARD or MV_BACKWARD
 * Called by: viewAct() ('.' and ','), viewPrompt() ('/').
 */
static void viewSearch(viewState *vs, int dir)
{
    size_t s;

    if (vs->search[0] == 0) {
        viewMessage(vs, 0, "no search yet: / then a function name");
        return;
    }
    search_cancelled = 0;
    s = mvFindName(vs->t, vs->step, dir, vs->search,
                   vs->filter ? vs->filter : MV_ANY_CLIENT);
    if (s == MV_NONE && search_cancelled) {
        viewMessage(vs, 0, "search cancelled");
        return;
    }
    if (s == MV_NONE) {
        viewMessage(vs, 1, "'%s': no %s match", vs->search,
                    dir == MV_FORWARD ? "later" : "earlier");
        return;
    }
    viewMove(vs, s, "");
    viewMessage(vs, 0, "'%s' at step %zu  (n next, N previous)",
                vs->search, s + 1);
}

/**
 * @brief Cycle the client filter: all clients, then each client by id.
 *
 * The step does not move (issue 11: Tab moved 40 -> 38 on 12-pubsub):
 * the buffers below switch to the chosen client as of this step, and the
 * message says when the step itself is another client's, so the student
 * knows the next j / -> goes to the chosen client's next step.
 * @param vs the view
 * Called by: viewAct() (Tab).
 */
static void viewCycleFilter(viewState *vs)
{
    size_t nc = mvClientCount(vs->t), k = 0;

    if (nc == 0) {
        viewMessage(vs, 0, "no clients in this trace");
        return;
    }
    if (vs->filter != 0) {
        while (k < nc && mvClientAt(vs->t, k)->id != vs->filter)
            k++;
        k++;
    }
    if (vs->filter != 0 && k >= nc) {
        vs->filter = 0;
        viewMessage(vs, 0, "filter: all clients");
        return;
    }
    const mvClient *c = mvClientAt(vs->t, k);
    uint64_t tid = mvTidOf(vs->t, vs->step);

    vs->filter = c->id;
    screenFocusFromStep(vs);
    if (tid == c->id)
        viewMessage(vs, 0, "filter: client %llu (%zu events; Tab: next)",
                    (unsigned long long)c->id, c->nevents);
    else
        viewMessage(vs, 0, "filter: client %llu; step %zu is %s, shown as "
                    "client %llu there (-> its next step)",
                    (unsigned long long)c->id, vs->step + 1,
                    tid ? "another client's" : "the server's",
                    (unsigned long long)c->id);
}

/**
 * @brief `f` then a key: run to the next change of a field of the step's
 *        client (the filtered client with Tab; any client at a server
 *        event).
 * @param vs the view
 * @param key q qb_pos, b bufpos, s sentlen, r reply list, l qlen, a argc
 * Called by: viewPrompt().
 */
static void viewFieldChange(viewState *vs, int key)
{
    static const struct { int key; mvWatch w; const char *name; } m[] = {
        { 'q', MV_WATCH_QB_POS, "qb_pos" }, { 'b', MV_WATCH_BUFPOS, "bufpos" },
        { 's', MV_WATCH_SENTLEN, "sentlen" }, { 'r', MV_WATCH_REPLY, "reply" },
        { 'l', MV_WATCH_QLEN, "qlen" }, { 'a', MV_WATCH_ARGC, "argc" },
    };
    uint64_t who = vs->filter ? vs->filter : mvTidOf(vs->t, vs->step);
    size_t s = MV_NONE;

    search_cancelled = 0;
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        if (m[i].key != key)
            continue;
        if (who != 0) {
            s = mvFindChange(vs->t, who, vs->step, MV_FORWARD, m[i].w);
        } else {
            /* A server event (before-sleep, cron): no client is "the"
             * client here, so the first change of any client wins. */
            for (size_t k = 0; k < mvClientCount(vs->t); k++) {
                size_t c = mvFindChange(vs->t, mvClientAt(vs->t, k)->id,
                                        vs->step, MV_FORWARD, m[i].w);
                if (c != MV_NONE && (s == MV_NONE || c < s))
                    s = c;
            }
        }
        if (s == MV_NONE && search_cancelled) {
            viewMessage(vs, 0, "search cancelled");
            return;
        }
        if (s == MV_NONE) {
            viewMessage(vs, 0, "%s does not change again%s", m[i].name,
                        who ? " for this client" : "");
            return;
        }
        viewMove(vs, s, "");
        viewMessage(vs, 0, "%s changed at step %zu", m[i].name, s + 1);
        return;
    }
    viewMessage(vs, 1, "f: q qb_pos, b bufpos, s sentlen, r reply, "
                "l qlen, a argc");
}

/**
 * @brief `w` then a key: go to the step that last changed a field of the
 *        client on screen, at or before this step ("why is this 7?").
 * @param vs the view
 * @param key the field's key (explain.c's table: q qb_pos, l qlen...)
 * Called by: viewPrompt().
 */
static void viewWhy(viewState *vs, int key)
{
    const explainField *fld = explainFieldByKey(key);
    size_t s;

    if (fld == NULL) {
        viewMessage(vs, 1, "%s", explainWhyPrompt());
        return;
    }
    if (vs->focus == 0) {
        viewMessage(vs, 0, "no client on screen (Tab picks one)");
        return;
    }
    s = explainLastChange(vs->t, vs->focus, vs->step, fld->bit);
    if (s == MV_NONE) {
        viewMessage(vs, 0, "%s: client %llu has no step yet", fld->name,
                    (unsigned long long)vs->focus);
        return;
    }
    viewMove(vs, s, "");
    viewMessage(vs, 0, "%s of client %llu last changed at step %zu "
                "(the source pane shows the line)", fld->name,
                (unsigned long long)vs->focus, s + 1);
}

/**
 * @brief `v`: the next step that breaks one of check's rules.
 * @param vs the view
 * Called by: viewAct().
 */
static void viewViolation(viewState *vs)
{
    char msg[256] = "";
    uint64_t who = vs->filter ? vs->filter : MV_ANY_CLIENT;
    size_t s;

    search_cancelled = 0;
    s = mvFindViolation(vs->t, vs->step, MV_FORWARD, who, msg, sizeof(msg));
    if (s == MV_NONE && search_cancelled) {
        viewMessage(vs, 0, "search cancelled (at Esc)");
        return;
    }
    if (s == MV_NONE) {
        viewMessage(vs, 0, "no violation after step %zu%s", vs->step + 1,
                    vs->filter ? " for this client" : "");
        return;
    }
    viewMove(vs, s, "");
    vs->viol_step = s;
    /* Bound the message so "VIOLATION: " plus it always fits viol_msg. */
    snprintf(vs->viol_msg, sizeof(vs->viol_msg), "VIOLATION: %.*s",
             (int)(sizeof(vs->viol_msg) - sizeof("VIOLATION: ")), msg);
    viewMessage(vs, 1, "violation at step %zu", s + 1);
}

/**
 * @brief A key while a prompt is open: edit it, or run it on Enter.
 * @param vs the view
 * @param p the prompt
 * @param key the key
 * Called by: viewLoop().
 */
static void viewPrompt(viewState *vs, prompt *p, int key)
{
    size_t len = strlen(p->text);
    long long n;

    if (key == 27) {                          /* Esc */
        p->kind = 0;
    } else if (p->kind == 'f') {
        p->kind = 0;
        viewFieldChange(vs, key);
    } else if (p->kind == 'w') {
        p->kind = 0;
        viewWhy(vs, key);
    } else if (key == '\r' || key == '\n' || key == KEY_ENTER) {
        char kind = p->kind;

        p->kind = 0;
        if (kind == ':') {
            if (parseNumber(p->text, &n) != 0 || n < 1 ||
                (size_t)n > mvEventCount(vs->t))
                viewMessage(vs, 1, "step must be 1..%zu",
                            mvEventCount(vs->t));
            else
                viewMove(vs, (size_t)n - 1, "");
        } else if (p->text[0]) {
            snprintf(vs->search, sizeof(vs->search), "%s", p->text);
            viewSearch(vs, MV_FORWARD);
        }
    } else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
        if (len > 0)
            p->text[len - 1] = 0;
        else
            p->kind = 0;
    } else if (key >= 0x20 && key < 0x7f && len + 1 < sizeof(p->text)) {
        p->text[len] = (char)key;
        p->text[len + 1] = 0;
    }
    if (p->kind)
        snprintf(vs->prompt, sizeof(vs->prompt), "%c%s", p->kind, p->text);
    else
        vs->prompt[0] = 0;
}

/* ANCHOR: main-act */
/**
 * @brief Act on one key outside a prompt.
 * @param vs the view
 * @param p the prompt (opened by : / f)
 * @param key the key
 * @return 1 to quit, else 0.
 * Called by: viewLoop().
 */
static int viewAct(viewState *vs, prompt *p, int key)
{
    size_t n = mvEventCount(vs->t), s;
    uint64_t same = vs->focus;

    if (vs->help) {
        /* Space / PgDn / J turn to the next page, PgUp / K back; any
         * other key (and Space on the last page) closes the help. */
        int w, h;

        termSize(&w, &h);
        if ((key == ' ' || key == KEY_NPAGE || key == 'J') &&
            vs->help_page + 1 < screenHelpPages(h)) {
            vs->help_page++;
            return 0;
        }
        if (key == KEY_PPAGE || key == 'K') {
            if (vs->help_page > 0)
                vs->help_page--;
            return 0;
        }
        vs->help = 0;
        return key == 'q';
    }
    if (vs->glossary) {
        /* The glossary pages like the help. */
        int w, h;

        termSize(&w, &h);
        if ((key == ' ' || key == KEY_NPAGE || key == 'J') &&
            vs->gloss_page + 1 < explainGlossaryPages(w, h)) {
            vs->gloss_page++;
            return 0;
        }
        if (key == KEY_PPAGE || key == 'K') {
            if (vs->gloss_page > 0)
                vs->gloss_page--;
            return 0;
        }
        vs->glossary = 0;
        return key == 'q';
    }
    switch (keyLookup(key)) {
    case KA_QUIT:
        return 1;
    case KA_HELP:
        vs->help = 1;
        vs->help_page = 0;
        break;
    case KA_NEXT:
        viewMove(vs, viewStep(vs, vs->filter, MV_FORWARD), "last step");
        break;
    case KA_PREV:
        viewMove(vs, viewStep(vs, vs->filter, MV_BACKWARD), "first step");
        break;
    case KA_NEXT_SAME:
        viewMove(vs, viewStep(vs, same, MV_FORWARD),
                 "no later step of this client");
        break;
    case KA_PREV_SAME:
        viewMove(vs, viewStep(vs, same, MV_BACKWARD),
                 "no earlier step of this client");
        break;
    case KA_PAGE_DOWN:
    case KA_PAGE_UP: {
        int dir = keyLookup(key) == KA_PAGE_DOWN ? MV_FORWARD : MV_BACKWARD;
        size_t to = vs->step;
        for (int i = 0; i < VIEW_PAGE; i++) {
            size_t save = vs->step;
            vs->step = to;
            s = viewStep(vs, vs->filter, dir);
            vs->step = save;
            if (s == MV_NONE)
                break;
            to = s;
        }
        viewMove(vs, to, "");
        break;
    }
    case KA_FIRST:
        viewMove(vs, vs->filter ? mvClientStep(vs->t, vs->filter, MV_NONE,
                                               MV_FORWARD) : 0, "");
        break;
    case KA_LAST:
        s = n - 1;
        if (vs->filter && mvClientById(vs->t, vs->filter) != NULL)
            s = mvClientById(vs->t, vs->filter)->last;
        viewMove(vs, s, "");
        break;
    case KA_JUMP:
    case KA_SEARCH:
        p->kind = keyLookup(key) == KA_JUMP ? ':' : '/';
        p->text[0] = 0;
        snprintf(vs->prompt, sizeof(vs->prompt), "%c", p->kind);
        break;
    case KA_FIELD:
        p->kind = 'f';
        p->text[0] = 0;
        snprintf(vs->prompt, sizeof(vs->prompt), "%s", FIELD_PROMPT);
        break;
    case KA_SEARCH_NEXT:
        viewSearch(vs, MV_FORWARD);
        break;
    case KA_SEARCH_PREV:
        viewSearch(vs, MV_BACKWARD);
        break;
    case KA_FILTER:
        viewCycleFilter(vs);
        break;
    case KA_VIOLATION:
        viewViolation(vs);
        break;
    case KA_REDRAW:
        termRedraw();
        break;
    case KA_EXPLAIN:
        vs->explain = !vs->explain;
        vs->compare = 0;
        break;
    case KA_ITEM_NEXT:
    case KA_ITEM_PREV: {
        /* Walk the fields, marks and bars of the glossary; the e pane
         * opens if it was closed, since that is where the text goes. */
        int nitems = explainItemCount();

        vs->explain = 1;
        vs->compare = 0;
        if (keyLookup(key) == KA_ITEM_NEXT)
            vs->explain_item = vs->explain_item % nitems + 1;
        else
            vs->explain_item = vs->explain_item > 1 ? vs->explain_item - 1
                                                    : nitems;
        break;
    }
    case KA_GLOSSARY:
        vs->glossary = 1;
        vs->gloss_page = 0;
        break;
    case KA_MARK:
        vs->mark = vs->step;
        viewMessage(vs, 0, "marked step %zu: c compares it with the step on "
                    "screen", vs->step + 1);
        break;
    case KA_COMPARE:
        if (vs->mark == MV_NONE) {
            viewMessage(vs, 0, "no mark yet: m marks this step");
            break;
        }
        vs->compare = !vs->compare;
        vs->explain = 0;
        break;
    case KA_WHY:
        p->kind = 'w';
        p->text[0] = 0;
        snprintf(vs->prompt, sizeof(vs->prompt), "%s", explainWhyPrompt());
        break;
    case KA_HIDE_SERVER:
        vs->hide_server = !vs->hide_server;
        viewMessage(vs, 0, vs->hide_server
                    ? "server steps hidden: -> and <- skip before-sleep, "
                      "cron, clock (H shows them)"
                    : "server steps shown");
        break;
    case KA_BLOCKS_UP:
    case KA_BLOCKS_DOWN:
        /* From the first block the last frame showed; drawBlocks()
         * clamps to the blocks there are. */
        s = vs->blocks_drawn ? vs->blocks_drawn : 1;
        if (keyLookup(key) == KA_BLOCKS_DOWN)
            s++;
        else if (s > 1)
            s--;
        vs->blocks_top = s;
        break;
    case KA_NONE:
        if (key != ERR)
            viewMessage(vs, 0, "key not bound: ? lists the keys");
        break;
    }
    return 0;
}
/* ANCHOR_END: main-act */

/**
 * @brief Follow mode: index what the server appended since last time.
 *
 * A file that shrank was restarted (a new server run, or `CONFIG SET
 * trace-file` to the same name): it is opened again from the start.
 * @param vs the view
 * @param o the options (for the path)
 * @return 1 if the screen must be redrawn.
 * Called by: viewLoop() on each key timeout.
 */
static int viewPoll(viewState *vs, const viewOptions *o)
{
    size_t added = 0;
    char err[256];

    if (mvRefresh(vs->t, &added, err, sizeof(err)) != 0) {
        mvTrace *t = mvOpen(o->path, MV_OPEN_FOLLOW, NULL, NULL, err,
                            sizeof(err));
        if (t == NULL) {
            viewMessage(vs, 1, "%s", err);
            return 1;
        }
        mvClose(vs->t);
        vs->t = t;
        mvSetProgress(t, searchProgress, NULL);
        vs->step = 0;
        vs->focus = vs->filter = 0;
        vs->mark = MV_NONE;     /* a step of the old file */
        vs->compare = 0;
        vs->blocks_top = 0;
        vs->following = 1;
        viewMessage(vs, 0, "trace restarted: reopened %s", o->path);
        added = mvEventCount(t);
    }
    if (added == 0)
        return 0;
    if (vs->following && mvEventCount(vs->t) > 0) {
        const mvClient *c = vs->filter ? mvClientById(vs->t, vs->filter)
                                       : NULL;
        size_t last = c ? c->last : mvEventCount(vs->t) - 1;
        if (last != MV_NONE) {
            vs->step = last;
            screenFocusFromStep(vs);
        }
    }
    return 1;
}

/**
 * @brief The interactive loop: render, wait for a key, act.
 * @param vs the view
 * @param o the options
 * Called by: viewInteractive().
 */
static void viewLoop(viewState *vs, const viewOptions *o)
{
    prompt p = { 0 };
    int dirty = 1;

    for (;;) {
        int w, h, key;

        if (dirty) {
            termSize(&w, &h);
            canvas *cv = canvasNew(w, h);
            if (cv != NULL) {
                screenRender(cv, vs);
                termShow(cv);
                canvasFree(cv);
            }
            dirty = 0;
        }
        key = termGetKey(VIEW_POLL_MS);
        if (termQuitRequested())
            return;
        if (key == ERR) {
            if (o->follow)
                dirty = viewPoll(vs, o);
            continue;
        }
        dirty = 1;
        if (key == KEY_RESIZE)
            continue;          /* curses already knows the new size */
        vs->message[0] = 0;
        if (p.kind) {
            viewPrompt(vs, &p, key);
            continue;
        }
        if (viewAct(vs, &p, key))
            return;
    }
}

/**
 * @brief Run the curses viewer on @p o->path.
 * @param o the options
 * @return the exit status.
 * Called by: main().
 */
static int viewInteractive(const viewOptions *o)
{
    viewState vs;
    loading ld = { o->path, -1 };
    char err[512] = "";
    mvTrace *t;
    size_t nwarn;

    /* Curses needs a terminal both ways: keys in, screen out. */
    if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
        fprintf(stderr,
                "minired-view: not a terminal: the viewer needs one to draw "
                "on.\nTo print a step as text, use --dump STEP, e.g.\n"
                "  minired-view --dump %ld %s\n",
                o->start_step > 0 ? (long)o->start_step : 1L, o->path);
        return 2;
    }
    if (termStart(o->mono) != 0) {
        fprintf(stderr, "minired-view: cannot initialise the terminal "
                "(TERM=%s); try --dump STEP\n",
                getenv("TERM") ? getenv("TERM") : "(unset)");
        return 1;
    }
    t = mvOpen(o->path, o->follow ? MV_OPEN_FOLLOW : 0, loadingProgress, &ld,
               err, sizeof(err));
    if (t == NULL) {
        termStop();
        fprintf(stderr, "minired-view: %s\n", err);
        return 1;
    }
    mvSetProgress(t, searchProgress, NULL);

    memset(&vs, 0, sizeof(vs));
    vs.t = t;
    vs.follow = o->follow;
    vs.viol_step = MV_NONE;
    vs.mark = MV_NONE;
    vs.srcdir = sourceFindDir(o->src, o->path, mvGetHeader(t)->src_dir);
    if (o->follow && mvEventCount(t) > 0) {
        vs.step = mvEventCount(t) - 1;
        vs.following = 1;
    } else {
        vs.following = o->follow;
    }
    nwarn = mvWarningCount(t);
    if (nwarn > 0)
        viewMessage(&vs, 1, "%s%s", mvWarning(t, 0),
                    nwarn > 1 ? "  (and more: see --dump's stderr)" : "");
    /* --step N: open where the lab sheet (or scripts/demo.sh) points. A
     * step past the end is said on the bottom line, not fatal: in follow
     * mode it may simply not be written yet. */
    if (o->start_step > 0 && (size_t)o->start_step <= mvEventCount(t)) {
        vs.step = (size_t)o->start_step - 1;
        vs.following = o->follow && vs.step + 1 == mvEventCount(t);
    } else if (o->start_step > 0) {
        viewMessage(&vs, 1, "--step %lld: the trace has %zu steps (1..%zu)",
                    o->start_step, mvEventCount(t), mvEventCount(t));
    }
    screenFocusFromStep(&vs);
    viewLoop(&vs, o);
    termStop();
    mvClose(vs.t);
    sourceFreeAll();
    /* Ctrl-C is a normal way out of a viewer, but the shell should still
     * see it as an interrupt: 128 + SIGINT. */
    return termQuitRequested() ? 130 : 0;
}

/**
 * @brief Entry point: parse options, then --dump or the viewer.
 * @param argc argument count
 * @param argv arguments
 * @return 0 ok, 1 error (bad trace...), 2 usage error / no terminal.
 * Called by: the C runtime.
 */
int main(int argc, char **argv)
{
    viewOptions o;
    int rc = parseArgs(argc, argv, &o);

    if (rc == 1)
        return 0;
    if (rc != 0)
        return 2;
    if (o.diff)
        return diffRun(&o);
    if (o.predict)
        return predictRun(&o);
    if (o.dump_step > 0)
        return dumpRun(&o);
    return viewInteractive(&o);
}
