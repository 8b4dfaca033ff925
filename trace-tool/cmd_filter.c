/**
 * @file cmd_filter.c
 * @brief `minired-trace filter`: the lines of a trace that match, printed
 *        byte for byte, so the output is still a trace.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server: a 100,000-event trace of redis-benchmark is cut down
 * to one client (--client 7), one function (--function writeToClient),
 * one step (--step write) or a ts window (--from 500 --to 800). The
 * header is always printed, so every other subcommand (and jq, and
 * Perfetto after wrapping in [ ]) still reads the result; `check` will
 * report the gaps in ts, since those are what filtering makes. What flows
 * in: a trace. What flows out: a subset of its lines, unchanged.
 */

#include "tool.h"

#include <stdlib.h>
#include <string.h>

/** Most values one option may be given (each repetition is an OR). */
#define FILTER_MAX 32

/** The parsed command line of filter. */
typedef struct filterSpec {
    unsigned long long clients[FILTER_MAX]; /**< --client values. */
    int nclients;                 /**< How many. */
    const char *funcs[FILTER_MAX]; /**< --function values. */
    int nfuncs;                   /**< How many. */
    const char *steps[FILTER_MAX]; /**< --step values. */
    int nsteps;                   /**< How many. */
    long long from;               /**< --from, or -1. */
    long long to;                 /**< --to, or -1. */
} filterSpec;

/**
 * @brief Parse a non-negative decimal number, all of the string.
 * @param s   The text.
 * @param out Where to store the value.
 * @return 1 when @p s is a number, 0 otherwise.
 *
 * Called by: parseFilterArgs().
 */
static int parseNumber(const char *s, long long *out) {
    char *end;

    if (*s < '0' || *s > '9') return 0;
    *out = strtoll(s, &end, 10);
    return *end == '\0';
}

/**
 * @brief Read the options of filter into @p f.
 * @param argc Arguments (argv[0] is "filter", argv[1] the file).
 * @param argv The arguments.
 * @param f    The spec to fill.
 * @return 0, or -1 after printing what is wrong.
 *
 * Called by: cmdFilter().
 */
static int parseFilterArgs(int argc, char **argv, filterSpec *f) {
    int j;

    memset(f, 0, sizeof(*f));
    f->from = f->to = -1;
    for (j = 2; j < argc; j++) {
        const char *opt = argv[j], *val = j + 1 < argc ? argv[j + 1] : NULL;
        long long n;

        if (val == NULL) {
            fprintf(stderr, "minired-trace filter: %s needs a value\n", opt);
            return -1;
        }
        j++;
        if (!strcmp(opt, "--client") && parseNumber(val, &n) &&
            f->nclients < FILTER_MAX) {
            f->clients[f->nclients++] = (unsigned long long)n;
        } else if (!strcmp(opt, "--function") && f->nfuncs < FILTER_MAX) {
            f->funcs[f->nfuncs++] = val;
        } else if (!strcmp(opt, "--step") && f->nsteps < FILTER_MAX) {
            f->steps[f->nsteps++] = val;
        } else if (!strcmp(opt, "--from") && parseNumber(val, &n)) {
            f->from = n;
        } else if (!strcmp(opt, "--to") && parseNumber(val, &n)) {
            f->to = n;
        } else {
            fprintf(stderr, "minired-trace filter: bad option '%s %s'\n",
                    opt, val);
            return -1;
        }
    }
    return 0;
}

/**
 * @brief Whether an event passes every given option.
 * @param f  The spec.
 * @param ev The event.
 * @return 1 to print the line, 0 to drop it.
 *
 * Different options combine with AND; repeated values of one option with
 * OR (--step read --step write: reads and writes).
 *
 * Called by: cmdFilter().
 */
static int filterMatch(const filterSpec *f, json_t *ev) {
    long long ts = evTs(ev);
    int j, ok;

    if (f->from >= 0 && ts < f->from) return 0;
    if (f->to >= 0 && ts > f->to) return 0;
    if (f->nclients) {
        uint64_t tid = evTid(ev);

        for (ok = 0, j = 0; j < f->nclients; j++)
            if (f->clients[j] == tid) ok = 1;
        if (!ok) return 0;
    }
    if (f->nfuncs) {
        const char *name = jsonStr(ev, "name");

        for (ok = 0, j = 0; j < f->nfuncs; j++)
            if (!strcmp(f->funcs[j], name)) ok = 1;
        if (!ok) return 0;
    }
    if (f->nsteps) {
        const char *cat = jsonStr(ev, "cat");

        for (ok = 0, j = 0; j < f->nsteps; j++)
            if (!strcmp(f->steps[j], cat)) ok = 1;
        if (!ok) return 0;
    }
    return 1;
}

/**
 * @brief `filter FILE [options]`.
 * @param argc Argument count (argv[0] is "filter").
 * @param argv Arguments.
 * @return 0, 1 on a malformed trace, 2 on bad usage.
 *
 * Called by: main().
 */
int cmdFilter(int argc, char **argv) {
    traceReader r;
    filterSpec f;
    int rc, status = TOOL_EXIT_OK;

    if (argc < 2 || parseFilterArgs(argc, argv, &f) != 0) {
        if (argc < 2) fprintf(stderr, "minired-trace filter: no file\n");
        usage(stderr);
        return TOOL_EXIT_USAGE;
    }
    if (trOpen(&r, argv[1]) != 0) {
        fprintf(stderr, "minired-trace: %s\n", r.err);
        trClose(&r);
        return TOOL_EXIT_FAIL;
    }
    /* The header line goes out as it was read, newline included. */
    fwrite(r.line, 1, r.len, stdout);
    while ((rc = trNext(&r)) == TR_EVENT)
        if (filterMatch(&f, r.ev)) fwrite(r.line, 1, r.len, stdout);
    if (rc == TR_ERR) {
        fprintf(stderr, "minired-trace: %s\n", r.err);
        status = TOOL_EXIT_FAIL;
    }
    trClose(&r);
    if (fflush(stdout) != 0) {
        perror("minired-trace filter: stdout");
        status = TOOL_EXIT_FAIL;
    }
    return status;
}
