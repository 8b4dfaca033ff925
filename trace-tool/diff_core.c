/**
 * @file diff_core.c
 * @brief The event comparison behind `minired-trace diff` and
 *        `minired-view --diff`: every differing leaf of two parsed
 *        events, wall-clock fields ignored.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After it. A replay must reproduce its input exactly except for
 * "wall_us" and the other "wall_*" fields, a scenario run must reproduce
 * its golden trace, and a student's server must reproduce the
 * reference's. Both tools call diffEvents() on the same pair of lines, so
 * "the first divergence" the grader prints (through `minired-trace diff`)
 * and the one the viewer marks are the same step and the same fields,
 * e.g. `args.c.qb_pos: 14 | 9`. What flows in: two events. What flows
 * out: a callback per differing field.
 */

#include "diff_core.h"
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Callback and its data, carried down the recursion. */
typedef struct diffCtx {
    diffFieldFn fn;  /**< Called per differing field (may be NULL). */
    void *priv;      /**< Its data. */
    int count;       /**< Fields found so far. */
} diffCtx;

/**
 * @brief Whether a key is a wall-clock field, ignored by diff.
 * @param key The key.
 * @return 1 for "wall_us" and every "wall_*" name.
 *
 * Called by: diffValues(), sameKeyOrder().
 */
static int isWallKey(const char *key) {
    return strncmp(key, "wall_", 5) == 0;
}

/**
 * @brief Count one differing field and hand it to the callback.
 * @param ctx  The walk.
 * @param path Its path.
 * @param a    A's value (NULL if absent).
 * @param b    B's value (NULL if absent).
 *
 * Called by: diffValues().
 */
static void reportField(diffCtx *ctx, const char *path, json_t *a,
                        json_t *b) {
    ctx->count++;
    if (ctx->fn) ctx->fn(ctx->priv, path, a, b);
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
 * @param ctx  The walk (callback, count).
 * @param path The path of these values ("" for the event itself).
 * @param a    A's value.
 * @param b    B's value.
 *
 * Objects are compared key by key (A's keys, then B's extra ones), arrays
 * element by element when their lengths match; anything else with
 * json_equal. wall_* keys are skipped at every level.
 *
 * Called by: diffEvents(), itself.
 */
static void diffValues(diffCtx *ctx, const char *path, json_t *a,
                       json_t *b) {
    char sub[512];
    const char *key;
    json_t *va;
    size_t j;

    if (json_is_object(a) && json_is_object(b)) {
        json_object_foreach(a, key, va) {
            if (isWallKey(key)) continue;
            snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", key);
            diffValues(ctx, sub, va, json_object_get(b, key));
        }
        json_object_foreach(b, key, va) {
            if (isWallKey(key) || json_object_get(a, key)) continue;
            snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", key);
            reportField(ctx, sub, NULL, va);
        }
        if (!sameKeyOrder(a, b)) {
            snprintf(sub, sizeof(sub), "%s%s(key order)", path,
                     path[0] ? "." : "");
            reportField(ctx, sub, NULL, NULL);
        }
    } else if (json_is_array(a) && json_is_array(b) &&
               json_array_size(a) == json_array_size(b)) {
        for (j = 0; j < json_array_size(a); j++) {
            snprintf(sub, sizeof(sub), "%s[%zu]", path, j);
            diffValues(ctx, sub, json_array_get(a, j), json_array_get(b, j));
        }
    } else if (a == NULL || b == NULL || !json_equal(a, b)) {
        reportField(ctx, path, a, b);
    }
}

/**
 * @brief Compare two events; call @p fn for every differing field.
 * @param a    One event (a parsed trace line).
 * @param b    The other.
 * @param fn   Called per differing field, in walk order (NULL: only count).
 * @param priv Passed to @p fn.
 * @return How many fields differ (0: the events are the same for diff).
 *
 * Called by: cmdDiff() (minired-trace), diffLoad() (minired-view).
 */
int diffEvents(json_t *a, json_t *b, diffFieldFn fn, void *priv) {
    diffCtx ctx = { fn, priv, 0 };

    diffValues(&ctx, "", a, b);
    return ctx.count;
}

/**
 * @brief A value as a difference line shows it: strings in the trace's
 *        byte escaping ("*1\r\n" stays readable), everything else as
 *        compact JSON, cut to 80 characters.
 * @param v      The value, or NULL for a missing field.
 * @param out    Receives the text (always NUL-terminated).
 * @param outlen Its size.
 *
 * Called by: cmdDiff()'s printer, the viewer's diff screen.
 */
void diffFormatValue(json_t *v, char *out, size_t outlen) {
    char *s = NULL, *p;
    size_t n, len = 0;
    FILE *fp;

    if (outlen == 0) return;
    if (v == NULL) {
        snprintf(out, outlen, "(missing)");
    } else if (json_is_string(v) && decodeData(v, &p, &n) == 0) {
        fp = open_memstream(&s, &len);
        if (fp == NULL) {
            snprintf(out, outlen, "?");
            free(p);
            return;
        }
        fputc('"', fp);
        printEscaped(fp, p, n, 80);
        fputc('"', fp);
        fclose(fp);
        snprintf(out, outlen, "%s", s ? s : "?");
        free(s);
        free(p);
    } else {
        s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (s && strlen(s) > 80) snprintf(out, outlen, "%.80s...", s);
        else snprintf(out, outlen, "%s", s ? s : "?");
        free(s);
    }
}
