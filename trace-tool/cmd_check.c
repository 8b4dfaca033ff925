/**
 * @file cmd_check.c
 * @brief `minired-trace check`: the rules one event proves alone, the
 *        order of events, and the driver that feeds each client's events
 *        to the byte models of check_model.c.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server (and after every replay and scenario run, in the test
 * suite). Per event it checks:
 *   - ts: the header is ts 0 on line 1, then 1, 2, 3... with no gap;
 *   - key order: {"tid","ts","pid","ph","s","name","cat","args"}, args
 *     starting with "src","fd","wall_us", "c" in the schema's order;
 *   - pid is 1; tid 0 events carry no "c", client events do;
 *   - qb_pos <= qlen;
 *   - sentlen <= bufpos while bufpos > 0 (it counts into c->buf), else
 *     sentlen <= the head block's used (or 0 with no block);
 *   - used <= size for every block; reply_bytes == the sum of the sizes;
 *   - bufpos <= proto_reply_chunk_bytes (16384, from the header);
 *   - argc == the length of argv;
 *   - the footer is last and its "events" is its ts - 1;
 *   - the 5.0.14 security steps (checkSecurityStep()): "unauth-limit"
 *     names a count above 10 or a length above 16384, the client is
 *     already CLOSE_AFTER_REPLY and nothing of it is parsed afterwards;
 *     "security-warning" is followed at once by that client's
 *     "free-async"; "oom" names a maxmemory above 0;
 * (the state rules are checkState() in check_rules.c), then the
 * conservation rules (check_model.c). The first violation is
 * printed as "check: violation at ts N (line L): RULE: details" and check
 * exits 1. What flows in: a trace. What flows out: OK or one violation.
 */

#include "check.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/** Keys of an event, in the order the schema fixes. */
static const char *event_keys[] = {
    "tid", "ts", "pid", "ph", "s", "name", "cat", "args", NULL
};
/** Keys every event's args start with (the header's excepted). */
static const char *args_keys[] = { "src", "fd", "wall_us", NULL };
/** Keys of the client state "c", in order. */
static const char *state_keys[] = {
    "qlen", "qb_pos", "querybuf_peak", "reqtype", "multibulklen", "bulklen",
    "argc", "argv", "bufpos", "sentlen", "reply", "reply_bytes", "flags",
    "db", "mstime", NULL
};

/* vioStart() and checkState() live in check_rules.c, shared with
 * bin/minired-view (trace-viewer/), which checks the same rules. */

/**
 * @brief Check that an object's keys come in a given order.
 * @param x      Where we are.
 * @param obj    The object.
 * @param keys   The expected keys, NULL-terminated.
 * @param what   Which object, for the message ("event", "args", "c").
 * @param prefix 1: @p obj may have more keys after these (args).
 * @return 0, or -1 after a violation.
 *
 * The order is part of the format: a reader can take tid and ts from the
 * first bytes of a line without parsing it.
 *
 * Called by: checkEventShape().
 */
static int checkKeyOrder(checkCtx *x, json_t *obj, const char **keys,
                         const char *what, int prefix) {
    void *it = json_object_iter(obj);
    int j;

    for (j = 0; keys[j]; j++, it = json_object_iter_next(obj, it)) {
        if (it == NULL || strcmp(json_object_iter_key(it), keys[j]) != 0) {
            fprintf(vioStart(x, "key-order"), "%s: expected \"%s\" as key %d, "
                    "found %s%s%s\n", what, keys[j], j + 1, it ? "\"" : "",
                    it ? json_object_iter_key(it) : "nothing",
                    it ? "\"" : "");
            return -1;
        }
    }
    if (!prefix && it != NULL) {
        fprintf(vioStart(x, "key-order"), "%s: unexpected key \"%s\" after "
                "\"%s\"\n", what, json_object_iter_key(it), keys[j - 1]);
        return -1;
    }
    return 0;
}

/**
 * @brief The rules on an event's shape: key order, pid, tid/c pairing.
 * @param x  Where we are.
 * @param ev The event.
 * @return 0, or -1 after a violation.
 *
 * Called by: cmdCheck().
 */
static int checkEventShape(checkCtx *x, json_t *ev) {
    json_t *args = evArgs(ev), *c = json_object_get(args, "c");
    long long pid = 0;

    if (checkKeyOrder(x, ev, event_keys, "event", 0) ||
        checkKeyOrder(x, args, args_keys, "args", 1))
        return -1;
    if (!jsonInt(ev, "pid", &pid) || pid != 1) {
        fprintf(vioStart(x, "pid"), "pid is %lld, must be 1\n", pid);
        return -1;
    }
    if (evTid(ev) == 0 && c != NULL) {
        fprintf(vioStart(x, "state"), "a tid 0 (server) event carries a "
                "client state \"c\"\n");
        return -1;
    }
    if (evTid(ev) != 0 && !json_is_object(c)) {
        fprintf(vioStart(x, "state"), "client %llu's event has no client "
                "state \"c\"\n", (unsigned long long)evTid(ev));
        return -1;
    }
    if (c) return checkKeyOrder(x, c, state_keys, "c", 0);
    return 0;
}


/**
 * @brief The rules of Redis 5.0.14's security steps.
 *
 * - "unauth-limit": what is "mbulk" with len > 10, or "bulk" with len >
 *   16384 (processMultibulkBuffer's limits for a client that has not
 *   authenticated); setProtocolError already ran, so CLOSE_AFTER_REPLY is
 *   in flags; afterwards the client parses and runs nothing (no
 *   mbulk-len, bulk-len, arg, big-arg, parsed, lookup, call).
 * - "security-warning" (POST / Host:): the very next event is the same
 *   client's "free-async" (securityWarningCommand queues it).
 * - "oom": its maxmemory is above 0 (no limit, no refusal).
 *
 * @param x       Where we are.
 * @param m       The client's model (its unauth_refused is updated).
 * @param ev      The event.
 * @param pending In/out: the tid whose free-async must come next, or 0.
 * @return 0, or -1 after a violation.
 *
 * Called by: checkClientEvent().
 */
static int checkSecurityStep(checkCtx *x, clientModel *m, json_t *ev,
                             uint64_t *pending) {
    const char *cat = jsonStr(ev, "cat");
    json_t *args = evArgs(ev);
    uint64_t tid = evTid(ev);
    static const char *parsing[] = {"mbulk-len", "bulk-len", "arg", "big-arg",
                                    "parsed", "lookup", "call", NULL};
    int j;

    if (*pending) {
        if (tid != *pending || strcmp(cat, "free-async") != 0) {
            fprintf(vioStart(x, "security-warning"), "client %llu's "
                    "security-warning is followed by \"%s\" of client %llu, "
                    "not its free-async\n", (unsigned long long)*pending,
                    cat, (unsigned long long)tid);
            return -1;
        }
        *pending = 0;
    }
    if (m->unauth_refused) {
        for (j = 0; parsing[j]; j++) {
            if (strcmp(cat, parsing[j]) != 0) continue;
            fprintf(vioStart(x, "unauth-limit"), "client %llu: \"%s\" after "
                    "its unauth-limit refusal\n", (unsigned long long)tid, cat);
            return -1;
        }
    }
    if (!strcmp(cat, "unauth-limit")) {
        const char *what = jsonStr(args, "what");
        long long len = -1;

        jsonInt(args, "len", &len);
        if (!((!strcmp(what, "mbulk") && len > 10) ||
              (!strcmp(what, "bulk") && len > 16384))) {
            fprintf(vioStart(x, "unauth-limit"), "what \"%s\" len %lld is "
                    "within the limits (mbulk > 10, bulk > 16384)\n", what, len);
            return -1;
        }
        if (!stateHasFlag(evState(ev), "CLOSE_AFTER_REPLY")) {
            fprintf(vioStart(x, "unauth-limit"), "client %llu is not "
                    "CLOSE_AFTER_REPLY\n", (unsigned long long)tid);
            return -1;
        }
        m->unauth_refused = 1;
    } else if (!strcmp(cat, "security-warning")) {
        *pending = tid;
    } else if (!strcmp(cat, "oom")) {
        long long maxmemory = 0;

        if (!jsonInt(args, "maxmemory", &maxmemory) || maxmemory <= 0) {
            fprintf(vioStart(x, "oom"), "an oom refusal with maxmemory "
                    "%lld\n", maxmemory);
            return -1;
        }
    }
    return 0;
}

/**
 * @brief Feed one client event to the client's model and compare.
 * @param x       Where we are.
 * @param clients The models.
 * @param ev      The event (tid != 0).
 * @param pending checkSecurityStep()'s expected free-async, or 0.
 * @return 0, or -1 after a violation.
 *
 * Called by: cmdCheck().
 */
static int checkClientEvent(checkCtx *x, clientTable *clients, json_t *ev,
                            uint64_t *pending) {
    uint64_t tid = evTid(ev);
    clientModel *m = ctGet(clients, tid, 1);
    const char *cat = jsonStr(ev, "cat");

    if (m == NULL) {
        perror("minired-trace check");
        exit(TOOL_EXIT_FAIL);
    }
    if (m->freed) {
        fprintf(vioStart(x, "freed-client"), "event \"%s\" for client %llu "
                "after its \"free\"\n", cat, (unsigned long long)tid);
        return -1;
    }
    if (!strcmp(cat, "created") && m->known) {
        fprintf(vioStart(x, "created"), "client id %llu created twice\n",
                (unsigned long long)tid);
        return -1;
    }
    if (checkReplySilence(x, cat, evState(ev)) != 0) return -1;
    if (checkSecurityStep(x, m, ev, pending) != 0) return -1;
    if (checkBlocked(x, m, cat) != 0) return -1;
    /* Before the byte models: a state that lags its step is named by its
     * own lag-<step> rule rather than by a conservation rule. */
    if (checkAfterState(x, m, cat, evArgs(ev), evState(ev), x->chunk) != 0)
        return -1;
    if (modelApply(x, m, ev) != 0) return -1;
    if (modelMirror(x, m, evState(ev), 1) != 0) return -1;
    if (!strcmp(cat, "free")) {
        if (modelFinish(x, tid, m, "at its free") != 0) return -1;
        m->freed = 1;
        modelFree(m);
    }
    return 0;
}

/**
 * @brief The footer's own rules: tid 0, and "events" == its ts - 1 (the
 *        events before it, header excluded).
 * @param x  Where we are.
 * @param ev The footer.
 * @return 0, or -1 after a violation.
 *
 * Called by: cmdCheck().
 */
static int checkFooter(checkCtx *x, json_t *ev) {
    long long events = -1;

    if (evTid(ev) != 0 || !jsonInt(evArgs(ev), "events", &events) ||
        events != x->ts - 1) {
        fprintf(vioStart(x, "footer"), "\"events\" is %lld, the footer's ts "
                "is %lld (want events == ts - 1, tid 0)\n", events, x->ts);
        return -1;
    }
    return 0;
}

/**
 * @brief The end of the trace: clients still connected must satisfy the
 *        conservation rules with what they still hold.
 * @param x       Where we are (the last event).
 * @param clients The models.
 * @return 0, or -1 after a violation.
 *
 * Called by: cmdCheck().
 */
static int checkEnd(checkCtx *x, clientTable *clients) {
    uint64_t *ids = ctSortedIds(clients);
    size_t j;
    int rc = 0;

    for (j = 0; j < clients->count && rc == 0; j++) {
        clientModel *m = ctGet(clients, ids[j], 0);

        if (!m->freed) rc = modelFinish(x, ids[j], m, "at the end of the trace");
    }
    free(ids);
    return rc;
}

/**
 * @brief Walk every event after the header through the rules.
 * @param r       The open trace, positioned after its header.
 * @param x       Where we are (updated).
 * @param clients The models.
 * @param chunk   proto_reply_chunk_bytes from the header.
 * @param events  Set to the number of events read.
 * @return 0 (all good), 1 (violation printed), -1 (malformed line).
 *
 * Called by: cmdCheck().
 */
static int checkEvents(traceReader *r, checkCtx *x, clientTable *clients,
                       long long chunk, long long *events) {
    long long expect = 1;
    int footer = 0, rc;
    uint64_t pending_free_async = 0;

    while ((rc = trNext(r)) == TR_EVENT) {
        json_t *ev = r->ev;

        (*events)++;
        x->ts = evTs(ev);
        x->lineno = r->lineno;
        if (x->ts != expect) {
            fprintf(vioStart(x, "ts"), "expected ts %lld (each event is the "
                    "previous + 1), got %lld\n", expect, x->ts);
            return 1;
        }
        expect++;
        if (footer) {
            fprintf(vioStart(x, "footer"), "an event after the footer\n");
            return 1;
        }
        if (checkEventShape(x, ev)) return 1;
        if (!strcmp(jsonStr(ev, "cat"), "footer")) {
            footer = 1;
            if (checkFooter(x, ev)) return 1;
            continue;
        }
        if (evTid(ev) == 0) {
            if (pending_free_async) {
                fprintf(vioStart(x, "security-warning"), "client %llu's "
                        "security-warning is followed by a server event, not "
                        "its free-async\n",
                        (unsigned long long)pending_free_async);
                return 1;
            }
            continue;
        }
        if (checkState(x, evState(ev), chunk) ||
            checkClientEvent(x, clients, ev, &pending_free_async))
            return 1;
    }
    return rc == TR_ERR ? -1 : 0;
}

/**
 * @brief `check FILE`.
 * @param argc Argument count (argv[0] is "check").
 * @param argv Arguments.
 * @return 0 (OK), 1 (a violation, or a malformed or unreadable trace), 2
 *         (bad usage).
 *
 * Called by: main().
 */
int cmdCheck(int argc, char **argv) {
    traceReader r;
    clientTable clients;
    checkCtx x = {0, 1};
    long long chunk = 16384, events = 0;
    int rc;

    if (argc != 2) {
        usage(stderr);
        return TOOL_EXIT_USAGE;
    }
    if (trOpen(&r, argv[1]) != 0) {
        if (r.header_error) fprintf(vioStart(&x, "header"), "%s\n", r.err);
        else fprintf(stderr, "minired-trace: %s\n", r.err);
        trClose(&r);
        return TOOL_EXIT_FAIL;
    }
    jsonInt(evArgs(r.ev), "proto_reply_chunk_bytes", &chunk);
    x.chunk = chunk;
    ctInit(&clients, sizeof(clientModel));
    rc = checkEvents(&r, &x, &clients, chunk, &events);
    if (rc == 0) rc = checkEnd(&x, &clients) ? 1 : 0;
    if (rc == -1) fprintf(stderr, "minired-trace: %s\n", r.err);
    else if (rc == 0)
        printf("check: OK, %lld events, %zu clients\n", events, clients.count);
    ctFree(&clients, modelFree);
    trClose(&r);
    return rc == 0 ? TOOL_EXIT_OK : TOOL_EXIT_FAIL;
}
