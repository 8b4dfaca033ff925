/**
 * @file cmd_diff.c
 * @brief `minired-trace diff A B`: the first event where two traces
 *        differ, field by field, wall-clock fields ignored.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server and the replay engine: a replay must reproduce its
 * input exactly except for "wall_us" and the other "wall_*" fields, and a
 * scenario run must reproduce its golden trace. diff reads both files one
 * line at a time, compares the parsed events (so key order and every
 * value count, wall_* fields do not) and at the first difference prints
 * its ts, both line numbers and every differing field path, e.g.
 * `args.c.qb_pos: 14 | 9`. The comparison itself is diff_core.c's,
 * shared with `minired-view --diff`. What flows in: two traces. What flows out:
 * "identical" (exit 0) or the first difference (exit 1).
 */

#include "diff_core.h"
#include "tool.h"

#include <stdlib.h>
#include <string.h>

/** Most differing fields listed for one event. */
#define DIFF_MAX_FIELDS 20

/**
 * @brief Print one differing field (diffEvents()' callback), at most
 *        DIFF_MAX_FIELDS of them, then "...".
 * @param priv  An int: fields printed so far (updated).
 * @param path  Its path, e.g. "args.c.reply[0]".
 * @param a     A's value (NULL if absent).
 * @param b     B's value (NULL if absent).
 *
 * Called by: diffEvents() (diff_core.c), from cmdDiff().
 */
static void printField(void *priv, const char *path, json_t *a, json_t *b) {
    int *count = priv;
    char va[512], vb[512];

    if (++*count > DIFF_MAX_FIELDS) {
        if (*count == DIFF_MAX_FIELDS + 1) printf("  ...\n");
        return;
    }
    diffFormatValue(a, va, sizeof(va));
    diffFormatValue(b, vb, sizeof(vb));
    printf("  %s: %s | %s\n", path[0] ? path : "(line)", va, vb);
}

/**
 * @brief Report that one trace ended before the other.
 * @param ra The trace that goes on (its current line is the extra event).
 * @param rb The trace that ended.
 * @param na "A" or "B": the one that goes on.
 *
 * Called by: cmdDiff().
 */
static void reportLonger(traceReader *ra, traceReader *rb, const char *na) {
    printf("diff: first difference at ts %lld: %s has an event at line %ld "
           "(%s, cat \"%s\"), %s ends after line %ld\n", evTs(ra->ev), na,
           ra->lineno, jsonStr(ra->ev, "name"), jsonStr(ra->ev, "cat"),
           na[0] == 'A' ? "B" : "A", rb->lineno);
}

/**
 * @brief `diff A B`.
 * @param argc Argument count (argv[0] is "diff").
 * @param argv Arguments.
 * @return 0 identical, 1 different (or a trace is malformed), 2 bad usage.
 *
 * Called by: main().
 */
int cmdDiff(int argc, char **argv) {
    traceReader ra, rb;
    long long events = 0;
    int rc = TOOL_EXIT_OK, ka, kb, count;

    if (argc != 3) {
        usage(stderr);
        return TOOL_EXIT_USAGE;
    }
    ka = trOpen(&ra, argv[1]);
    kb = ka == 0 ? trOpen(&rb, argv[2]) : -1;
    if (ka != 0 || kb != 0) {
        fprintf(stderr, "minired-trace: %s\n", ka != 0 ? ra.err : rb.err);
        trClose(&ra);
        if (ka == 0) trClose(&rb);
        return TOOL_EXIT_FAIL;
    }
    /* The headers are events too (ts 0); then both files in step. */
    ka = kb = TR_EVENT;
    for (;;) {
        if (ka == TR_ERR || kb == TR_ERR) {
            fprintf(stderr, "minired-trace: %s\n", ka == TR_ERR ? ra.err
                                                               : rb.err);
            rc = TOOL_EXIT_FAIL;
            break;
        }
        if (ka == TR_EOF || kb == TR_EOF) {
            if (ka != kb) {
                if (ka == TR_EVENT) reportLonger(&ra, &rb, "A");
                else reportLonger(&rb, &ra, "B");
                rc = TOOL_EXIT_FAIL;
            }
            break;
        }
        count = diffEvents(ra.ev, rb.ev, NULL, NULL);
        if (count) {
            /* Counted first, so the heading can say how many; then the
             * same walk again, printing. */
            printf("diff: first difference at ts %lld (A line %ld, B line "
                   "%ld): %d field%s\n", evTs(ra.ev), ra.lineno, rb.lineno,
                   count, count == 1 ? "" : "s");
            count = 0;
            diffEvents(ra.ev, rb.ev, printField, &count);
            rc = TOOL_EXIT_FAIL;
            break;
        }
        if (ra.lineno > 1) events++;
        ka = trNext(&ra);
        kb = trNext(&rb);
    }
    if (rc == TOOL_EXIT_OK) printf("diff: identical, %lld events\n", events);
    trClose(&ra);
    trClose(&rb);
    return rc;
}
