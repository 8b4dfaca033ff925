/**
 * @file check_rules.c
 * @brief The rules of `minired-trace check` that are shared with the
 *        viewer: the violation message and the buffer invariants one
 *        client state proves alone; and the blocked-client rule
 *        (checkBlocked: no command between "blocked" and "unblocked").
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server, reading its trace. cmd_check.c (the check command)
 * and trace-viewer/model.c (bin/minired-view's "next violation" search)
 * both ask, for one event's "c": qb_pos <= qlen? bufpos within c->buf?
 * argc == len(argv)? used <= size? reply_bytes == the sum of the sizes?
 * sentlen within what it counts into? Does a client with CLIENT REPLY
 * OFF/SKIP get reply bytes anyway? Keeping the rules in one file means
 * the viewer cannot call a state fine that check calls broken. What flows
 * in: one parsed "c". What flows out: 0, or a violation message on
 * checkVioOut (stdout for the check command, a memory stream for the
 * viewer, which owns the terminal through curses).
 */

#include "check.h"

#include <string.h>

/** Where violation messages go; NULL means stdout (see check.h). */
FILE *checkVioOut = NULL;

/**
 * @brief Start a violation message: "check: violation at ts N (line L):
 *        RULE: ". The caller prints the details and the newline.
 * @param x    Where we are.
 * @param rule The rule's name.
 * @return checkVioOut, or stdout when it is NULL, to print the details on.
 *
 * Called by: every rule in cmd_check.c, check_rules.c and check_model.c.
 */
FILE *vioStart(checkCtx *x, const char *rule) {
    FILE *fp = checkVioOut ? checkVioOut : stdout;

    fprintf(fp, "check: violation at ts %lld (line %ld): %s: ", x->ts,
            x->lineno, rule);
    return fp;
}

/**
 * @brief The buffer invariants one client state proves alone.
 * @param x         Where we are.
 * @param c         The state.
 * @param chunk     proto_reply_chunk_bytes from the header (16384).
 * @return 0, or -1 after a violation.
 *
 * Called by: cmdCheck() for every client event; the viewer's
 * mvFindViolation() (trace-viewer/model.c).
 */
int checkState(checkCtx *x, json_t *c, long long chunk) {
    json_t *reply = json_object_get(c, "reply"), *argv;
    long long qlen, qb_pos, bufpos, sentlen, reply_bytes, argc, sum = 0;
    long long head_used = -1;
    size_t j;

    if (!jsonInt(c, "qlen", &qlen) || !jsonInt(c, "qb_pos", &qb_pos) ||
        !jsonInt(c, "bufpos", &bufpos) || !jsonInt(c, "sentlen", &sentlen) ||
        !jsonInt(c, "reply_bytes", &reply_bytes) ||
        !jsonInt(c, "argc", &argc) || !json_is_array(reply) ||
        !json_is_array(argv = json_object_get(c, "argv"))) {
        fprintf(vioStart(x, "state"), "a field of \"c\" is missing or has "
                "the wrong type\n");
        return -1;
    }
    if (qb_pos > qlen) {
        fprintf(vioStart(x, "qb_pos"), "qb_pos %lld > qlen %lld\n", qb_pos,
                qlen);
        return -1;
    }
    if (bufpos < 0 || bufpos > chunk) {
        fprintf(vioStart(x, "bufpos"), "bufpos %lld outside 0..%lld "
                "(PROTO_REPLY_CHUNK_BYTES)\n", bufpos, chunk);
        return -1;
    }
    if ((long long)json_array_size(argv) != argc) {
        fprintf(vioStart(x, "argc"), "argc %lld but argv has %zu entries\n",
                argc, json_array_size(argv));
        return -1;
    }
    for (j = 0; j < json_array_size(reply); j++) {
        json_t *b = json_array_get(reply, j);
        long long size, used;

        if (json_is_null(b)) continue; /* a deferred-length placeholder */
        size = json_integer_value(json_array_get(b, 0));
        used = json_integer_value(json_array_get(b, 1));
        if (!json_is_array(b) || json_array_size(b) != 2 || used > size ||
            used < 0) {
            fprintf(vioStart(x, "block-used"), "block %zu: used %lld > size "
                    "%lld (or not a [size,used] pair)\n", j, used, size);
            return -1;
        }
        if (j == 0) head_used = used;
        sum += size;
    }
    if (sum != reply_bytes) {
        fprintf(vioStart(x, "reply_bytes"), "reply_bytes %lld != %lld, the "
                "sum of the block sizes\n", reply_bytes, sum);
        return -1;
    }
    /* Redis: sentlen counts into c->buf while bufpos > 0, else into the
     * head block (a placeholder head is never written: no bound). */
    if (bufpos > 0 ? sentlen > bufpos
                   : (json_array_size(reply) == 0 ? sentlen != 0
                      : (head_used >= 0 && sentlen > head_used))) {
        fprintf(vioStart(x, "sentlen"), "sentlen %lld > %s %lld\n", sentlen,
                bufpos > 0 ? "bufpos" : "the head block's used",
                bufpos > 0 ? bufpos : (head_used < 0 ? 0 : head_used));
        return -1;
    }
    return 0;
}

/**
 * @brief Does @p c have the flag called @p name in its "flags" array?
 * @param c    One event's "c".
 * @param name A flag name without CLIENT_, e.g. "REPLY_OFF".
 * @return 1 or 0.
 *
 * Called by: checkReplySilence(), checkAfterState() (check_after.c),
 * checkSecurityStep() (cmd_check.c).
 */
int stateHasFlag(json_t *c, const char *name) {
    json_t *flags = json_object_get(c, "flags");
    size_t j;

    for (j = 0; j < json_array_size(flags); j++) {
        const char *f = json_string_value(json_array_get(flags, j));

        if (f && !strcmp(f, name)) return 1;
    }
    return 0;
}

/**
 * @brief CLIENT REPLY's invariant: while a client has REPLY_OFF or
 *        REPLY_SKIP, nothing is appended to its c->buf or c->reply and it
 *        is not scheduled for writing; a "reply-off" / "reply-skip" step
 *        happens only with its flag set.
 *
 * prepareClientToWrite() (src/reply.c) is the one gate: it returns C_ERR
 * for such a client before any _addReply* can copy a byte. So a
 * buf-append, block-fill, block-new, deferred-add or pending-write event
 * whose state shows either flag means a reply path skipped the gate.
 *
 * @param x   Where we are.
 * @param cat The event's step.
 * @param c   The event's "c" (the state when it was emitted).
 * @return 0, or -1 after a violation.
 *
 * Called by: checkClientEvent() (cmd_check.c); the viewer's
 * mvFindViolation() (trace-viewer/model.c).
 */
int checkReplySilence(checkCtx *x, const char *cat, json_t *c) {
    static const char *appends[] = {
        "buf-append", "block-fill", "block-new", "deferred-add",
        "pending-write", NULL
    };
    int off, skip, j;

    if (cat == NULL || c == NULL) return 0;
    off = stateHasFlag(c, "REPLY_OFF");
    skip = stateHasFlag(c, "REPLY_SKIP");
    if ((!strcmp(cat, "reply-off") && !off) ||
        (!strcmp(cat, "reply-skip") && !skip)) {
        fprintf(vioStart(x, "reply-silence"), "\"%s\" but the client's "
                "flags do not have %s\n", cat,
                !strcmp(cat, "reply-off") ? "REPLY_OFF" : "REPLY_SKIP");
        return -1;
    }
    if (!off && !skip) return 0;
    for (j = 0; appends[j]; j++) {
        if (strcmp(cat, appends[j])) continue;
        fprintf(vioStart(x, "reply-silence"), "\"%s\" for a client with "
                "%s: prepareClientToWrite must have refused it\n", cat,
                off ? "REPLY_OFF" : "REPLY_SKIP");
        return -1;
    }
    return 0;
}

/**
 * @brief A blocked client runs no command until it is unblocked.
 *
 * Between a client's "blocked" event (blockClient, BLPOP on an empty
 * list) and its "unblocked" event, processInputBuffer must stop at the
 * top of each turn ("loop-blocked"): no request may be parsed ("parsed",
 * "mbulk-len") or run ("call"). "loop-blocked" outside that window, a
 * second "blocked", or "unblocked" without "blocked" are violations too.
 *
 * @param x   Where we are.
 * @param m   The client's model (its blocked bit is updated).
 * @param cat The event's step.
 * @return 0, or -1 after a violation.
 *
 * Called by: checkClientEvent() (cmd_check.c) for every client event.
 */
int checkBlocked(checkCtx *x, clientModel *m, const char *cat) {
    if (!strcmp(cat, "blocked")) {
        if (m->blocked) {
            fprintf(vioStart(x, "blocked"), "\"blocked\" for a client "
                    "already blocked\n");
            return -1;
        }
        m->blocked = 1;
    } else if (!strcmp(cat, "unblocked")) {
        if (!m->blocked) {
            fprintf(vioStart(x, "blocked"), "\"unblocked\" for a client "
                    "that was not blocked\n");
            return -1;
        }
        m->blocked = 0;
    } else if (!strcmp(cat, "loop-blocked") && !m->blocked) {
        fprintf(vioStart(x, "blocked"), "processInputBuffer stopped as "
                "blocked, but the client is not blocked\n");
        return -1;
    } else if (m->blocked && (!strcmp(cat, "call") || !strcmp(cat, "parsed") ||
                              !strcmp(cat, "mbulk-len"))) {
        fprintf(vioStart(x, "blocked"), "\"%s\" while the client is "
                "blocked (no command may run before \"unblocked\")\n", cat);
        return -1;
    }
    return 0;
}
