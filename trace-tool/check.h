/**
 * @file check.h
 * @brief Shared between the two halves of `minired-trace check`: the
 *        event rules (cmd_check.c) and the per-client byte models
 *        (check_model.c).
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server, reading its trace. cmd_check.c walks the events and
 * checks what one line can prove alone (qb_pos <= qlen, used <= size,
 * reply_bytes, ts order, key order); check_model.c replays the bytes of
 * each client (read into querybuf, cut by the trim, appended to buf and
 * blocks, written) and checks that every event's state agrees with them.
 * What flows in: parsed events. What flows out: the first violation.
 */
#ifndef __MINIRED_TRACE_TOOL_CHECK_H
#define __MINIRED_TRACE_TOOL_CHECK_H

#include "tool.h"

/** Where check is in the trace, for the violation message. */
typedef struct checkCtx {
    long long ts;  /**< ts of the event being checked. */
    long lineno;   /**< Its line number. */
    long long chunk; /**< proto_reply_chunk_bytes of the header (check). */
} checkCtx;

/** A growable byte string (a model of querybuf, c->buf or a block). */
typedef struct byteBuf {
    char *p;       /**< The bytes. */
    size_t len;    /**< Bytes held. */
    size_t cap;    /**< Bytes allocated. */
} byteBuf;

/** One reply block of the model: its bytes, or a deferred placeholder. */
typedef struct modelBlock {
    byteBuf b;         /**< The bytes in the block (its "used"). */
    int placeholder;   /**< 1: addDeferredMultiBulkLength's NULL node. */
} modelBlock;

/** What check knows about one client: its bytes, as rebuilt so far. */
typedef struct clientModel {
    int known;           /**< 1 when "created" was seen: bytes are tracked. */
    int freed;           /**< 1 after "free": no event may follow. */
    byteBuf qb;          /**< querybuf, as reads and trims left it. */
    long long read;      /**< Bytes read. */
    long long trimmed;   /**< Bytes cut off the front by the trim. */
    long long adopted;   /**< Bytes taken by the big-arg path. */
    byteBuf buf;         /**< c->buf[0..bufpos]. */
    size_t sent;         /**< sentlen: into buf, or into the head block. */
    modelBlock *blocks;  /**< c->reply, in list order. */
    size_t nblocks;      /**< Blocks in the list. */
    size_t capblocks;    /**< Allocated. */
    long long appended;  /**< Reply bytes appended (all steps). */
    long long written;   /**< Reply bytes written. */
    int unauth_refused;  /**< 1 after "unauth-limit": nothing more is parsed. */
    int blocked;         /**< 1 between "blocked" and "unblocked" (BLPOP). */
    json_t *prev;        /**< "c" of the client's previous event, or NULL
                              (check_after.c's lag rules; a reference). */
} clientModel;

/** Where vioStart() prints: NULL (the default) is stdout. The viewer
 *  points it at a memory stream to show the message on screen. */
extern FILE *checkVioOut;

FILE *vioStart(checkCtx *x, const char *rule);
int checkState(checkCtx *x, json_t *c, long long chunk);
int stateHasFlag(json_t *c, const char *name);
int checkReplySilence(checkCtx *x, const char *cat, json_t *c);
int checkBlocked(checkCtx *x, clientModel *m, const char *cat);
int checkAfterState(checkCtx *x, clientModel *m, const char *cat,
                    json_t *args, json_t *c, long long chunk);
int modelApply(checkCtx *x, clientModel *m, json_t *ev);
int modelMirror(checkCtx *x, clientModel *m, json_t *c, int querybuf_too);
int modelFinish(checkCtx *x, uint64_t id, clientModel *m, const char *when);
void modelFree(void *m);

#endif /* __MINIRED_TRACE_TOOL_CHECK_H */
