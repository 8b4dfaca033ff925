/**
 * @file diff_core.h
 * @brief The one notion of "two trace events differ" shared by
 *        `minired-trace diff` (cmd_diff.c) and `minired-view --diff`
 *        (trace-viewer/diffview.c).
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After it: both tools compare traces the server or the replay engine
 * wrote. An event is compared as parsed JSON, key by key and element by
 * element; "wall_us" and every other "wall_*" key is ignored at every
 * level; a different key order counts (the order is part of the format).
 * What flows in: two parsed events. What flows out: one callback per
 * differing leaf, with its path ("args.c.qb_pos") and both values.
 */
#ifndef __MINIRED_TRACE_DIFF_CORE_H
#define __MINIRED_TRACE_DIFF_CORE_H

#include <stddef.h>
#include <jansson.h>

/**
 * Called once per differing field.
 * @p path is its path ("args.c.reply[0]", "" for the line itself, a
 * ".(key order)" suffix for a reordered object); @p a / @p b the two
 * values, NULL when the field is missing on that side (both NULL for a
 * key-order difference).
 */
typedef void (*diffFieldFn)(void *priv, const char *path, json_t *a,
                            json_t *b);

int diffEvents(json_t *a, json_t *b, diffFieldFn fn, void *priv);
void diffFormatValue(json_t *v, char *out, size_t outlen);

#endif /* __MINIRED_TRACE_DIFF_CORE_H */
