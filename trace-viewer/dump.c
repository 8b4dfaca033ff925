/**
 * @file dump.c
 * @brief `minired-view --dump STEP [--client ID]`: the screen of one step
 *        as plain text, without curses.
 *
 * Where it sits
 * -------------
 * main() calls dumpRun() instead of the interactive loop. It opens the
 * trace with the same model, renders with the same screenRender() into a
 * canvas of --width x --height (100 x 40 by default: wider than 80 so a
 * book page shows a whole request line, and a fixed width so tests can
 * compare output byte for byte; $COLUMNS and $LINES when set, so a dump
 * can be compared with a terminal of that size), and prints the canvas's characters.
 * What flows in: a trace and a step number. What flows out: text on
 * stdout; warnings about the trace on stderr.
 *
 * It exists for the test suite, for the book's figures (colour cannot be
 * printed, which is why the screen has rulers and '*' marks), and for
 * anyone without a terminal (a CI log, an editor buffer).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canvas.h"
#include "model.h"
#include "screen.h"
#include "source.h"
#include "view.h"

/**
 * @brief For a server (tid 0) event with no --client: the client of the
 *        nearest earlier client event, so the buffers shown are the ones
 *        the server event is about in the common case (before-sleep right
 *        after a client's command).
 * @param t the trace
 * @param step the step being dumped
 * @return a client id, or 0 if no client event precedes the step.
 * Called by: dumpRun().
 */
static uint64_t dumpNearestClient(mvTrace *t, size_t step)
{
    size_t s = step;

    for (;;) {
        uint64_t tid = mvTidOf(t, s);

        if (tid != 0)
            return tid;
        if (s == 0)
            return 0;
        s--;
    }
}

/**
 * @brief Print the canvas, right-trimmed, without trailing blank rows.
 * @param cv the canvas
 * Called by: dumpRun(), diffRun() and predictRun() (--dump of the diff
 * screen).
 */
void dumpCanvas(const canvas *cv)
{
    int last = cv->h - 1;

    /* Rows below the last non-blank one would be noise in a test file
     * or a figure. */
    for (; last >= 0; last--) {
        int x = 0;
        while (x < cv->w && cv->ch[last * cv->w + x] == ' ')
            x++;
        if (x < cv->w)
            break;
    }
    for (int y = 0; y <= last; y++) {
        int end = cv->w;

        while (end > 0 && cv->ch[y * cv->w + end - 1] == ' ')
            end--;
        fwrite(cv->ch + y * cv->w, 1, (size_t)end, stdout);
        fputc('\n', stdout);
    }
}

/**
 * @brief Refuse a trace with a malformed whole line anywhere: every whole
 *        line must look like one JSON object, '{' ... '}'.
 *
 * The model skips such lines with a warning, which suits the interactive
 * viewer (the rest of a damaged trace is still worth reading). A dump is
 * a test's or a figure's input, so it refuses instead, naming the line:
 * a figure silently drawn from a damaged trace is worse than none. This
 * is one pass over the bytes, not a JSON parse, so a 1,000,000-event
 * trace (400 MB) costs a fraction of a second. The cut last line
 * (no '\n') is left to the model's warning.
 * @param path the trace
 * @param err receives "PATH:N: ..." for the first bad line
 * @param errlen size of @p err
 * @return 0 when every whole line is an object, -1 otherwise.
 * Called by: dumpRun().
 */
static int dumpCheckLines(const char *path, char *err, size_t errlen)
{
    enum { CHUNK = 1 << 20 };
    int fd = open(path, O_RDONLY);
    char *buf;
    ssize_t n;
    long line = 1;
    int rc = 0;
    /* State carried across chunks: are we at a line start, was the
     * previous byte '}', is the line empty so far. */
    int at_start = 1, prev_close = 0, bad = 0;
    const char *why = "";

    if (fd < 0)
        return 0;   /* mvOpen() already said why */
    buf = malloc(CHUNK);
    if (buf == NULL) {
        close(fd);
        return 0;
    }
    /* read(), not mmap(): the pages stay in the page cache instead of
     * counting in this process's resident size, which measure-scale.sh
     * reports as the viewer's memory. */
    while (!bad && (n = read(fd, buf, CHUNK)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            char c = buf[i];

            if (c == '\n') {
                if (at_start || !prev_close) {
                    why = at_start ? "empty" : "does not end with '}': cut "
                                               "short?";
                    bad = 1;
                    break;
                }
                line++;
                at_start = 1;
                prev_close = 0;
                continue;
            }
            if (at_start && c != '{') {
                why = "does not start with '{'";
                bad = 1;
                break;
            }
            at_start = 0;
            prev_close = c == '}';
        }
    }
    if (bad) {
        snprintf(err, errlen, "%s:%ld: malformed line: not one JSON object "
                 "(%s)", path, line, why);
        rc = -1;
    }
    free(buf);
    close(fd);
    return rc;
}

/**
 * @brief The dump's size: --width/--height, else $COLUMNS/$LINES (so a
 *        dump can be compared with a terminal of that size), else 100x40.
 * @param o the options
 * @param w receives the columns
 * @param h receives the rows
 * Called by: dumpRun().
 */
static void dumpSize(const viewOptions *o, int *w, int *h)
{
    const char *c = getenv("COLUMNS"), *l = getenv("LINES");

    *w = o->width > 0 ? o->width : (c && atoi(c) > 0) ? atoi(c) : 100;
    *h = o->height > 0 ? o->height : (l && atoi(l) > 0) ? atoi(l) : 40;
    if (*w > 1000) *w = 1000;
    if (*h > 1000) *h = 1000;
}

/* ANCHOR: dump-run */
/**
 * @brief Open the trace, render step @p o->dump_step, print it.
 * @param o the options (path, dump_step, client, width, height, src)
 * @return 0 ok, 1 the trace cannot be opened or the step/client does not
 *         exist (message on stderr).
 * Called by: main() when --dump is given.
 */
int dumpRun(const viewOptions *o)
{
    char err[512] = "";
    mvTrace *t = mvOpen(o->path, 0, NULL, NULL, err, sizeof(err));
    viewState vs;
    canvas *cv;
    size_t n;
    int w, h;

    if (t == NULL) {
        fprintf(stderr, "minired-view: %s\n", err);
        return 1;
    }
    /* A cut last line or a skipped malformed line: the rest of the trace
     * is still worth showing, so these are warnings, on stderr. */
    for (size_t k = 0; k < mvWarningCount(t) && k < MV_MAX_WARNINGS; k++)
        fprintf(stderr, "%s\n", mvWarning(t, k));
    if (mvSkippedCount(t) > 0 || dumpCheckLines(o->path, err,
                                                sizeof(err)) != 0) {
        if (mvSkippedCount(t) > 0)
            snprintf(err, sizeof(err), "%s: %zu malformed line(s), see "
                     "above", o->path, mvSkippedCount(t));
        fprintf(stderr, "minired-view: %s; --dump refuses a damaged "
                "trace (the interactive viewer skips such lines)\n", err);
        mvClose(t);
        return 1;
    }
    n = mvEventCount(t);
    if (n == 0) {
        fprintf(stderr, "minired-view: %s: no events yet (just the "
                "header)\n", o->path);
        mvClose(t);
        return 1;
    }
    if (o->dump_step < 1 || (size_t)o->dump_step > n) {
        fprintf(stderr, "minired-view: %s: no step %lld (the trace has %zu "
                "steps: 1..%zu)\n", o->path, o->dump_step, n, n);
        mvClose(t);
        return 1;
    }
    if (o->client && mvClientById(t, o->client) == NULL) {
        fprintf(stderr, "minired-view: %s: no client %llu in this trace\n",
                o->path, (unsigned long long)o->client);
        mvClose(t);
        return 1;
    }
    memset(&vs, 0, sizeof(vs));
    vs.t = t;
    vs.step = (size_t)o->dump_step - 1;
    vs.plain = 1;
    vs.viol_step = MV_NONE;
    vs.mark = MV_NONE;
    /* --explain / --mark M: the `e` and `c` panes, for lab sheets and
     * the tests (the same drawing as the keys). */
    vs.explain = o->explain;
    if (o->mark > 0 && (size_t)o->mark <= mvEventCount(t)) {
        vs.mark = (size_t)o->mark - 1;
        vs.compare = 1;
    }
    vs.srcdir = sourceFindDir(o->src, o->path, mvGetHeader(t)->src_dir);
    vs.focus = o->client ? o->client : dumpNearestClient(t, vs.step);
    dumpSize(o, &w, &h);
    cv = canvasNew(w, h);
    if (cv == NULL) {
        fprintf(stderr, "minired-view: out of memory\n");
        mvClose(t);
        return 1;
    }
    screenRender(cv, &vs);
    dumpCanvas(cv);
    canvasFree(cv);
    mvClose(t);
    sourceFreeAll();
    return 0;
}
/* ANCHOR_END: dump-run */
