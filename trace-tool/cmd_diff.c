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
 * `args.c.qb_pos: 14 | 9`. What flows in: two traces. What flows out:
 * "identical" (exit 0) or the first difference (exit 1).
 */

#include "tool.h"

#include <stdlib.h>
#include <string.h>

/** Most differing fields listed for one event. */
#define DIFF_MAX_FIELDS 20

/** 0 while counting the differences of an event, 1 while printing them
 *  (under the heading line that needs the count). */
static int diff_printing = 0;

/**
 * @brief Whether a key is a wall-clock field, ignored by diff.
 * @param key The key.
 * @return 1 for "wall_us" and every "wall_*" name.
 *
 * Called by: diffValues().
 */
static int isWallKey(const char *key) {
    return strncmp(key, "wall_", 5) == 0;
}

/**
 * @brief Print a value for a difference line: strings in the trace's byte
 *        escaping, everything else as compact JSON, cut to 80 characters.
 * @param v The value, or NULL for a missing field.
 *
 * Called by: reportField().
 */
static void printValue(json_t *v) {
    char *s, *p;
    size_t n;

    if (v == NULL) {
        printf("(missing)");
    } else if (json_is_string(v) && decodeData(v, &p, &n) == 0) {
        putchar('"');
        printEscaped(stdout, p, n, 80);
        putchar('"');
        free(p);
    } else {
        s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (s && strlen(s) > 80) printf("%.80s...", s);
        else printf("%s", s ? s : "?");
        free(s);
    }
}

/**
 * @brief Print one differing field.
 * @param path  Its path, e.g. "args.c.reply[0]".
 * @param a     A's value (NULL if absent).
 * @param b     B's value (NULL if absent).
 * @param count Fields reported so far (updated); after DIFF_MAX_FIELDS
 *              nothing more is printed. Nothing is printed at all unless
 *              diff_printing is set.
 *
 * Called by: diffValues().
 */
static void reportField(const char *path, json_t *a, json_t *b, int *count) {
    if (!diff_printing) {
        ++*count;
        return;
    }
    if (++*count > DIFF_MAX_FIELDS) {
        if (*count == DIFF_MAX_FIELDS + 1) printf("  ...\n");
        return;
    }
    printf("  %s: ", path[0] ? path : "(line)");
    printValue(a);
    printf(" | ");
    printValue(b);
    putchar('\n');
}

/**
 * @brief Compare the keys of two objects in order (wall_* left out), so a
 *        reordered line counts as different: the order is part of the
 *        format.
 * @param a One object.
 * @param b The other.
 * @return 1 when the non-wall keys come in the same order.
 *
 * Called by: diffValues().
 */
static int sameKeyOrder(json_t *a, json_t *b) {
    void *ia = json_object_iter(a), *ib = json_object_iter(b);

    for (;;) {
        while (ia && isWallKey(json_object_iter_key(ia)))
            ia = json_object_iter_next(a, ia);
        while (ib && isWallKey(json_object_iter_key(ib)))
            ib = json_object_iter_next(b, ib);
        if (!ia || !ib) return ia == ib;
        if (strcmp(json_object_iter_key(ia), json_object_iter_key(ib)))
            return 0;
        ia = json_object_iter_next(a, ia);
        ib = json_object_iter_next(b, ib);
    }
}

/**
 * @brief Compare two values recursively and report each differing leaf.
 * @param path  The path of these values ("" for the event itself).
 * @param a     A's value.
 * @param b     B's value.
 * @param count Differences found so far (updated).
 *
 * Objects are compared key by key (A's keys, then B's extra ones), arrays
 * element by element; anything else with json_equal. wall_* keys are
 * skipped at every level.
 *
 * Called by: cmdDiff(), itself.
 */
static void diffValues(const char *path, json_t *a, json_t *b, int *count) {
    char sub[512];
    const char *key;
    json_t *va;
    size_t j;

    if (json_is_object(a) && json_is_object(b)) {
        json_object_foreach(a, key, va) {
            if (isWallKey(key)) continue;
            snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", key);
            diffValues(sub, va, json_object_get(b, key), count);
        }
        json_object_foreach(b, key, va) {
            if (isWallKey(key) || json_object_get(a, key)) continue;
            snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", key);
            reportField(sub, NULL, va, count);
        }
        if (!sameKeyOrder(a, b)) {
            snprintf(sub, sizeof(sub), "%s%s(key order)", path,
                     path[0] ? "." : "");
            reportField(sub, NULL, NULL, count);
        }
    } else if (json_is_array(a) && json_is_array(b) &&
               json_array_size(a) == json_array_size(b)) {
        for (j = 0; j < json_array_size(a); j++) {
            snprintf(sub, sizeof(sub), "%s[%zu]", path, j);
            diffValues(sub, json_array_get(a, j), json_array_get(b, j), count);
        }
    } else if (a == NULL || b == NULL || !json_equal(a, b)) {
        reportField(path, a, b, count);
    }
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
        count = 0;
        diffValues("", ra.ev, rb.ev, &count);
        if (count) {
            /* Counted first, so the heading can say how many; then the
             * same walk again, printing. */
            printf("diff: first difference at ts %lld (A line %ld, B line "
                   "%ld): %d field%s\n", evTs(ra.ev), ra.lineno, rb.lineno,
                   count, count == 1 ? "" : "s");
            count = 0;
            diff_printing = 1;
            diffValues("", ra.ev, rb.ev, &count);
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
