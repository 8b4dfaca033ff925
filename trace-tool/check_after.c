/**
 * @file check_after.c
 * @brief The "state after the step" rules of `minired-trace check`: one
 *        rule per step kind, each proving that the event's "c" already
 *        shows the change the step reports (no lag behind its own
 *        assignment, no lead on the next step's).
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server, reading its trace. docs/trace-format.md promises that
 * an event's "c" is the client's state AFTER the step. A trace point
 * written one line too early (before `c->multibulklen = ll;`, as
 * `mbulk-len` once was) still passes the byte models of check_model.c,
 * which know nothing of multibulklen. These rules compare each step's own
 * fields with its "c" and with the "c" of the same client's previous
 * event: `mbulk-len`'s count is multibulklen, `arg`'s index is argc - 1,
 * `read`'s nread is what qlen grew by, `buf-append`'s bytes are what
 * bufpos grew by, and so on. Each rule is named `lag-<step>`.
 * What flows in: one client event and that client's previous "c". What
 * flows out: 0, or the first violation on checkVioOut.
 *
 * Only `check` runs these rules: the viewer's violation search
 * (trace-viewer/model.c, mvFindViolation) uses check_rules.c and the byte
 * models, and would need each client's previous "c" to run these too.
 */

#include "check.h"

#include <string.h>

/**
 * @brief An integer of a client state, or @p dflt when absent.
 * @param c    A "c" object (may be NULL).
 * @param key  The field.
 * @param dflt Returned when @p c or the field is missing.
 * @return The value.
 *
 * Called by: checkAfterState() and its helpers.
 */
static long long stInt(json_t *c, const char *key, long long dflt) {
    long long v;

    return c && jsonInt(c, key, &v) ? v : dflt;
}

/**
 * @brief Bytes in a "data" field: one code point is one byte.
 * @param args The event's args.
 * @return The number of bytes, or -1 when there is no "data".
 *
 * Called by: checkAfterState().
 */
static long long dataLen(json_t *args) {
    char *p;
    size_t n;

    if (decodeData(json_object_get(args, "data"), &p, &n) != 0) return -1;
    free(p);
    return (long long)n;
}

/**
 * @brief "used" of block @p j of a state's "reply", or -1 (no such block,
 *        or a deferred placeholder).
 * @param c A "c" object.
 * @param j The block index.
 * @return used, or -1.
 *
 * Called by: checkAfterState().
 */
static long long blockUsed(json_t *c, long long j) {
    json_t *reply = json_object_get(c, "reply"), *b;

    if (j < 0 || (size_t)j >= json_array_size(reply)) return -1;
    b = json_array_get(reply, (size_t)j);
    if (!json_is_array(b)) return -1;
    return json_integer_value(json_array_get(b, 1));
}

/**
 * @brief Length recorded in argv[@p j] of a state (its real length, the
 *        second item of the pair), or -1.
 * @param c A "c" object.
 * @param j The argument index.
 * @return The length, or -1.
 *
 * Called by: checkAfterState().
 */
static long long argLen(json_t *c, long long j) {
    json_t *argv = json_object_get(c, "argv"), *a;

    if (j < 0 || (size_t)j >= json_array_size(argv)) return -1;
    a = json_array_get(argv, (size_t)j);
    return json_integer_value(json_array_get(a, 1));
}

/**
 * @brief Print a lag violation: "lag-<step>: <what> (c is the state after
 *        the step)".
 * @param x    Where we are.
 * @param cat  The step.
 * @param what What does not hold.
 * @return -1.
 *
 * Called by: checkAfterState().
 */
static int lag(checkCtx *x, const char *cat, const char *what) {
    char rule[64];

    snprintf(rule, sizeof(rule), "lag-%s", cat);
    fprintf(vioStart(x, rule), "%s (\"c\" must be the state after the "
            "step)\n", what);
    return -1;
}

/**
 * @brief The per-step "state after" rules.
 *
 * @param x    Where we are.
 * @param m    The client's model: m->prev is the "c" of its previous event
 *             (NULL before the first), updated here.
 * @param cat  The event's step.
 * @param args The event's args.
 * @param c    The event's "c".
 * @param chunk proto_reply_chunk_bytes from the header (16384).
 * @return 0, or -1 after a violation.
 *
 * Called by: checkClientEvent() (cmd_check.c), before the byte models, so
 * that a lagging state is reported by its own rule.
 */
int checkAfterState(checkCtx *x, clientModel *m, const char *cat,
                    json_t *args, json_t *c, long long chunk) {
    json_t *p = m->prev;
    long long v, n, len;
    int rc = 0;

    if (c == NULL) return 0;
    if (!strcmp(cat, "read")) {
        /* "PING\r\n" read into an empty querybuf: qlen 0 -> 6. */
        if (p && jsonInt(args, "nread", &n) &&
            stInt(c, "qlen", -1) != stInt(p, "qlen", 0) + n)
            rc = lag(x, cat, "qlen is not the previous qlen + nread");
    } else if (!strcmp(cat, "trim")) {
        if (!jsonInt(args, "n", &n) || !jsonInt(args, "qlen_before", &v))
            rc = lag(x, cat, "no \"n\" or \"qlen_before\"");
        else if (stInt(c, "qb_pos", -1) != 0)
            rc = lag(x, cat, "qb_pos is not 0 after the cut");
        else if (stInt(c, "qlen", -1) != v - n)
            rc = lag(x, cat, "qlen is not qlen_before - n");
        else if (p && stInt(p, "qlen", -1) != v)
            rc = lag(x, cat, "qlen_before is not the previous qlen");
    } else if (!strcmp(cat, "reqtype")) {
        const char *t = jsonStr(args, "type");

        if (stInt(c, "reqtype", -1) !=
            (t && !strcmp(t, "multibulk") ? 2 : 1))
            rc = lag(x, cat, "reqtype does not match \"type\"");
    } else if (!strcmp(cat, "mbulk-len")) {
        /* "*3\r\n": multibulklen 3, bulklen -1, argc 0. "*0\r\n": 0. */
        if (!jsonInt(args, "count", &n))
            rc = lag(x, cat, "no \"count\"");
        else if (stInt(c, "multibulklen", -1) != (n > 0 ? n : 0))
            rc = lag(x, cat, "multibulklen is not the count");
        else if (stInt(c, "argc", -1) != 0 || stInt(c, "bulklen", 0) != -1)
            rc = lag(x, cat, "argc is not 0 or bulklen not -1");
    } else if (!strcmp(cat, "bulk-len")) {
        if (!jsonInt(args, "len", &n) || stInt(c, "bulklen", -2) != n)
            rc = lag(x, cat, "bulklen is not the len");
    } else if (!strcmp(cat, "arg")) {
        /* "SET\r\n" complete: index 0, argc 1, bulklen -1. */
        if (!jsonInt(args, "index", &v) || !jsonInt(args, "len", &len) ||
            stInt(c, "argc", -1) != v + 1)
            rc = lag(x, cat, "index is not argc - 1");
        else if (argLen(c, v) != len)
            rc = lag(x, cat, "argv[index] does not have the len");
        else if (stInt(c, "bulklen", 0) != -1)
            rc = lag(x, cat, "bulklen is not -1");
        else if (p && stInt(p, "multibulklen", 0) > 0 &&
                 stInt(c, "multibulklen", -1) !=
                 stInt(p, "multibulklen", 0) - 1)
            rc = lag(x, cat, "multibulklen is not the previous one - 1");
    } else if (!strcmp(cat, "big-arg")) {
        if (!jsonInt(args, "index", &v) || !jsonInt(args, "len", &len) ||
            stInt(c, "argc", -1) != v + 1 || argLen(c, v) != len)
            rc = lag(x, cat, "index is not argc - 1 or argv[index] not len");
        else if (stInt(c, "qlen", -1) != 0)
            rc = lag(x, cat, "qlen is not 0 (querybuf became the argument)");
    } else if (!strcmp(cat, "parsed")) {
        if (!jsonInt(args, "argc", &n) || stInt(c, "argc", -1) != n ||
            stInt(c, "reqtype", -1) != 1)
            rc = lag(x, cat, "argc is not the parsed argc (or not inline)");
    } else if (!strcmp(cat, "reset")) {
        if (stInt(c, "argc", -1) != 0 || stInt(c, "reqtype", -1) != 0 ||
            stInt(c, "multibulklen", -1) != 0 || stInt(c, "bulklen", 0) != -1)
            rc = lag(x, cat, "argc, reqtype, multibulklen not 0 or bulklen "
                     "not -1");
    } else if (!strcmp(cat, "loop-drained")) {
        if (stInt(c, "qb_pos", -1) != stInt(c, "qlen", -2))
            rc = lag(x, cat, "qb_pos is not qlen");
    } else if (!strcmp(cat, "buf-append")) {
        /* "+OK\r\n" into an empty c->buf: bufpos 0 -> 5. */
        if (p && (len = dataLen(args)) >= 0 &&
            stInt(c, "bufpos", -1) != stInt(p, "bufpos", 0) + len)
            rc = lag(x, cat, "bufpos is not the previous bufpos + the bytes");
    } else if (!strcmp(cat, "buf-refuse")) {
        const char *why = jsonStr(args, "why");

        if (!jsonInt(args, "len", &len) || !jsonInt(args, "avail", &v) ||
            v != chunk - stInt(c, "bufpos", 0))
            rc = lag(x, cat, "avail is not the room left in c->buf");
        else if (why && !strcmp(why, "full") && len <= v)
            rc = lag(x, cat, "\"full\" but the bytes fit");
        else if (why && !strcmp(why, "list") &&
                 json_array_size(json_object_get(c, "reply")) == 0)
            rc = lag(x, cat, "\"list\" but the reply list is empty");
    } else if (!strcmp(cat, "block-fill")) {
        if (p && jsonInt(args, "block", &v) && (len = dataLen(args)) >= 0 &&
            blockUsed(c, v) != blockUsed(p, v) + len)
            rc = lag(x, cat, "the block's used did not grow by the bytes");
    } else if (!strcmp(cat, "block-new")) {
        json_t *reply = json_object_get(c, "reply");

        if (!jsonInt(args, "block", &v) || !jsonInt(args, "size", &n) ||
            (len = dataLen(args)) < 0 ||
            json_array_size(reply) != (size_t)v + 1 || blockUsed(c, v) != len)
            rc = lag(x, cat, "block is not the last one, or its used is not "
                     "the bytes");
        else if (p && stInt(c, "reply_bytes", -1) !=
                 stInt(p, "reply_bytes", 0) + n)
            rc = lag(x, cat, "reply_bytes did not grow by size");
    } else if (!strcmp(cat, "deferred-add")) {
        json_t *reply = json_object_get(c, "reply");

        if (!jsonInt(args, "block", &v) ||
            json_array_size(reply) != (size_t)v + 1 ||
            !json_is_null(json_array_get(reply, (size_t)v)))
            rc = lag(x, cat, "the last block is not the placeholder");
    } else if (!strcmp(cat, "write") && p) {
        const char *from = jsonStr(args, "from");
        long long ps = stInt(p, "sentlen", 0), pb = stInt(p, "bufpos", 0);
        long long s = stInt(c, "sentlen", -1), b = stInt(c, "bufpos", -1);

        if (!jsonInt(args, "nwritten", &n))
            rc = lag(x, cat, "no \"nwritten\"");
        else if (from && !strcmp(from, "buf")) {
            /* Part of c->buf: sentlen grew; all of it: both back to 0. */
            if (!((s == ps + n && b == pb) ||
                  (s == 0 && b == 0 && ps + n == pb)))
                rc = lag(x, cat, "sentlen/bufpos do not show the bytes "
                         "written from c->buf");
        } else if (s != ps + n) {
            rc = lag(x, cat, "sentlen is not the previous sentlen + "
                     "nwritten");
        }
    } else if (!strcmp(cat, "writev") && p) {
        /* The blocks it finished are gone from the list already. */
        if (!jsonInt(args, "blocks_sent", &v) ||
            json_array_size(json_object_get(c, "reply")) + (size_t)v !=
            json_array_size(json_object_get(p, "reply")))
            rc = lag(x, cat, "the list did not lose blocks_sent blocks");
    } else if (!strcmp(cat, "block-sent")) {
        if (stInt(c, "sentlen", -1) != 0 ||
            (p && json_array_size(json_object_get(c, "reply")) + 1 !=
                  json_array_size(json_object_get(p, "reply"))))
            rc = lag(x, cat, "the head block is still there (or sentlen is "
                     "not 0)");
    } else if (!strcmp(cat, "emptied")) {
        if (stInt(c, "bufpos", -1) != 0 || stInt(c, "sentlen", -1) != 0 ||
            json_array_size(json_object_get(c, "reply")) != 0)
            rc = lag(x, cat, "bytes are still pending");
    } else if (!strcmp(cat, "pending-write")) {
        if (!stateHasFlag(c, "PENDING_WRITE"))
            rc = lag(x, cat, "flags do not have PENDING_WRITE");
    } else if (!strcmp(cat, "blocked")) {
        if (!stateHasFlag(c, "BLOCKED"))
            rc = lag(x, cat, "flags do not have BLOCKED");
    } else if (!strcmp(cat, "unblocked")) {
        if (stateHasFlag(c, "BLOCKED"))
            rc = lag(x, cat, "flags still have BLOCKED");
    } else if (!strcmp(cat, "queued")) {
        if (!stateHasFlag(c, "MULTI"))
            rc = lag(x, cat, "flags do not have MULTI");
    } else if (!strcmp(cat, "quit")) {
        if (!stateHasFlag(c, "CLOSE_AFTER_REPLY"))
            rc = lag(x, cat, "flags do not have CLOSE_AFTER_REPLY");
    } else if (!strcmp(cat, "free-async")) {
        if (!stateHasFlag(c, "CLOSE_ASAP"))
            rc = lag(x, cat, "flags do not have CLOSE_ASAP");
    }
    if (m->prev) json_decref(m->prev);
    m->prev = json_incref(c);
    return rc;
}
