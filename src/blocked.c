/**
 * @file blocked.c
 * @brief Blocking operations (BLPOP & co.), the unblocked-clients queue,
 *        and CLIENT PAUSE's pauseClients() / clientsArePaused().
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Between processCommand and the next processInputBuffer. A client that
 * sends, in ONE read,
 *
 *   "*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n"
 *
 * runs BLPOP on an empty q: blockingPopGenericCommand() calls blockForKeys()
 * (here), which records q -> client in c->db->blocking_keys and sets
 * CLIENT_BLOCKED. BLPOP returns with no reply; processInputBuffer's next
 * turn sees CLIENT_BLOCKED and stops, leaving "*1\r\n$4\r\nPING\r\n" in
 * querybuf. Later bytes are read and appended there, never parsed.
 *
 * When another client runs "LPUSH q a", dbAdd() calls signalKeyAsReady(),
 * which queues q on server.ready_keys; processCommand, right after call(),
 * runs handleClientsBlockedOnKeys(): pop "a", unblockClient() (which puts
 * the client on server.unblocked_clients with CLIENT_UNBLOCKED), reply
 * "*2\r\n$1\r\nq\r\n$1\r\na\r\n". In the same event-loop turn, beforeSleep()
 * calls processUnblockedClients(), which re-runs processInputBuffer on the
 * waiting "*1\r\n$4\r\nPING\r\n": "+PONG\r\n" follows the BLPOP reply in
 * the same write.
 *
 * A timeout takes the other way out: clientsCronHandleTimeout() (cron.c)
 * sees bpop.timeout passed, replyToBlockedClientTimedOut() sends "*-1\r\n"
 * and unblockClient() queues the client the same way.
 *
 * CLIENT PAUSE stops every normal client the same way without blocking
 * them: processInputBuffer checks clientsArePaused() first. When the pause
 * is over, clientsArePaused() itself queues every client for reprocessing.
 *
 * What flows in: clients and keys. What flows out: replies to blocked
 * clients, and clients on server.unblocked_clients.
 *
 * @par Redis 5.0:
 * blocked.c (5.0.14) also blocks for WAIT (BLOCKED_WAIT), modules
 * (BLOCKED_MODULE), XREAD (BLOCKED_STREAM) and BZPOPMIN/MAX
 * (BLOCKED_ZSET), and has disconnectAllBlockedClients() for a master
 * turning into a replica; minired has none of those, so only BLOCKED_LIST
 * exists here. pauseClients() and clientsArePaused() are in 5.0.14's
 * networking.c; minired's networking.c is at its size limit (~1,500
 * lines), and they are the other half of "why processInputBuffer stops
 * and who restarts it", so they live here next to
 * queueClientForReprocessing().
 */
#include "server.h"

/**
 * What a blocked client keeps for each key it waits on (the value in
 * c->bpop.keys): its node in db->blocking_keys[key], so that unblocking
 * removes it in O(1) without searching the list.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14 the bkinfo that blockForKeys() (blocked.c) allocates
 * also has stream_id (XREAD).
 */
typedef struct bkinfo {
    listNode *listnode; /**< This client's node in db->blocking_keys[key]. */
} bkinfo;

/**
 * @brief Parse a timeout argument into an absolute unix time in ms.
 *
 * "0" stays 0 (wait forever). "5" with UNIT_SECONDS becomes
 * mstime() + 5000. "-1" is refused with "-ERR timeout is negative", "1.5"
 * and "x" with "-ERR timeout is not an integer or out of range".
 *
 * @param c       The client to reply to on error.
 * @param object  The argument.
 * @param timeout Where to store the absolute time (or 0).
 * @param unit    UNIT_SECONDS (BLPOP...) or UNIT_MILLISECONDS (CLIENT PAUSE).
 * @return C_OK, or C_ERR after replying with the error.
 *
 * Called by: blockingPopGenericCommand(), brpoplpushCommand() (t_list.c),
 *            clientCommand() PAUSE (client_cmd.c).
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, getTimeoutFromObjectOrReply() in blocked.c: integer
 * seconds only (Redis 6.0 accepts decimals), same two error texts. It adds
 * the wall clock mstime(), not the cached server.mstime; minired adds
 * server.mstime so that the trace replayer's frozen clock (the `clock` lines
 * of a scenario) decides when a timeout fires. The cached clock is at most
 * one event-loop turn old.
 */
int getTimeoutFromObjectOrReply(client *c, robj *object, mstime_t *timeout,
                                int unit) {
    long long tval;

    if (getLongLongFromObjectOrReply(c, object, &tval,
            "timeout is not an integer or out of range") != C_OK)
        return C_ERR;
    if (tval < 0) {
        addReplyError(c, "timeout is negative");
        return C_ERR;
    }
    if (tval > 0) {
        /* "BLPOP q 5" at 1700000000000 -> timeout 1700000005000. A huge
         * value overflows as it does in 5.0 (then it is just far away or
         * already past). */
        if (unit == UNIT_SECONDS) tval *= 1000;
        tval += server.mstime;
    }
    *timeout = tval;
    return C_OK;
}

/**
 * @brief Mark a client blocked: from now on processInputBuffer leaves its
 *        input in querybuf.
 * @param c     The client.
 * @param btype BLOCKED_LIST (the only kind minired has).
 *
 * Called by: blockForKeys().
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, blockClient() in blocked.c, the same three updates.
 */
void blockClient(client *c, int btype) {
    c->flags |= CLIENT_BLOCKED;
    c->btype = btype;
    server.blocked_clients++;
    server.blocked_clients_by_type[btype]++;
    /* The keys themselves are in the event's argv ("BLPOP q 0"). */
    if (c->bpop.target)
        traceEvent(c, "blocked", "btype=%s keys=%U timeout=%l target=%b",
                   btype == BLOCKED_LIST ? "list" : "other",
                   (unsigned long long)dictSize(c->bpop.keys),
                   c->bpop.timeout, (char *)c->bpop.target->ptr,
                   sdslen(c->bpop.target->ptr));
    else
        traceEvent(c, "blocked", "btype=%s keys=%U timeout=%l target=%n",
                   btype == BLOCKED_LIST ? "list" : "other",
                   (unsigned long long)dictSize(c->bpop.keys),
                   c->bpop.timeout);
}

/**
 * @brief Re-run the input of every client on server.unblocked_clients.
 *
 * Each client leaves the queue (CLIENT_UNBLOCKED cleared) and, unless it
 * blocked again meanwhile, gets processInputBuffer on what waited in its
 * querybuf: after "BLPOP q 0\r\nPING\r\n" was unblocked, the PING runs
 * now, without waiting for the client to send another byte.
 *
 * Called by: beforeSleep() (cron.c), once per event-loop turn.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, processUnblockedClients() in blocked.c, called from
 * beforeSleep() in server.c after the WAIT and module unblocking.
 */
/* ANCHOR: blocked-process-unblocked */
void processUnblockedClients(void) {
    listNode *ln;
    client *c;

    while (listLength(server.unblocked_clients)) {
        ln = listFirst(server.unblocked_clients);
        serverAssert(ln != NULL);
        c = ln->value;
        listDelNode(server.unblocked_clients, ln);
        c->flags &= ~CLIENT_UNBLOCKED;

        /* A client can be blocked again by now (a BLPOP run by... nothing
         * in minired, but 5.0 keeps the check): leave its input alone.
         * An empty querybuf: nothing waited, nothing to do. */
        if (!(c->flags & CLIENT_BLOCKED)) {
            if (c->querybuf && sdslen(c->querybuf) > 0) {
                traceEvent(c, "reprocess", "pending=%z",
                           sdslen(c->querybuf) - c->qb_pos);
                processInputBufferAndReplicate(c);
            }
        }
    }
}
/* ANCHOR_END: blocked-process-unblocked */

/**
 * @brief Put a client on server.unblocked_clients (once).
 *
 * Its readable handler never stopped: while blocked or paused, new bytes
 * were appended to querybuf but not parsed. Without this queue a complete
 * request waiting there would run only when the client sends more bytes.
 *
 * @param c The client.
 *
 * Called by: unblockClient(), clientsArePaused().
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, queueClientForReprocessing() in blocked.c.
 */
void queueClientForReprocessing(client *c) {
    if (!(c->flags & CLIENT_UNBLOCKED)) {
        c->flags |= CLIENT_UNBLOCKED;
        listAddNodeTail(server.unblocked_clients, c);
    }
}

/**
 * @brief Undo a block: leave the waiting lists, clear CLIENT_BLOCKED and
 *        queue the client for reprocessing. Sends no reply.
 *
 * The caller has already replied (data, "*-1\r\n", -UNBLOCKED) or the
 * client is being freed. Each caller then emits the "unblocked" trace
 * step saying why.
 *
 * @param c A CLIENT_BLOCKED client.
 *
 * Called by: handleClientsBlockedOnKeys(), clientsCronHandleTimeout()
 *            (cron.c), clientCommand() UNBLOCK (client_cmd.c),
 *            freeClient() (networking.c).
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, unblockClient() in blocked.c also dispatches BLOCKED_WAIT
 * and BLOCKED_MODULE to their own functions.
 */
/* ANCHOR: blocked-unblock-client */
void unblockClient(client *c) {
    if (c->btype == BLOCKED_LIST) {
        unblockClientWaitingData(c);
    } else {
        serverPanic("Unknown btype in unblockClient().");
    }
    server.blocked_clients--;
    server.blocked_clients_by_type[c->btype]--;
    c->flags &= ~CLIENT_BLOCKED;
    c->btype = BLOCKED_NONE;
    queueClientForReprocessing(c);
}
/* ANCHOR_END: blocked-unblock-client */

/**
 * @brief The reply of a blocking command that ran out of time.
 * @param c The blocked client.
 *
 * Called by: clientsCronHandleTimeout() (cron.c),
 *            clientCommand() UNBLOCK ... TIMEOUT (client_cmd.c).
 *
 * @par Redis 5.0:
 * replyToBlockedClientTimedOut() in blocked.c: BLOCKED_LIST, _ZSET and
 * _STREAM get "*-1\r\n" (the null multibulk, for BRPOPLPUSH too: 5.0.14
 * does not special-case it), WAIT the number of acks, modules their
 * callback.
 */
void replyToBlockedClientTimedOut(client *c) {
    if (c->btype == BLOCKED_LIST) {
        addReply(c, shared.nullmultibulk);
    } else {
        serverPanic("Unknown btype in replyToBlockedClientTimedOut().");
    }
}

/**
 * @brief Serve the clients blocked on keys that got data.
 *
 * For each key in server.ready_keys (in push order), and for each client
 * blocked on it (in the order they blocked), pop one element and give it
 * to the client, until the list is empty or nobody waits. Loops while new
 * keys become ready: a served BRPOPLPUSH pushes onto its destination,
 * which may wake a BLPOP there.
 *
 * "LPUSH q a b" with two BLPOP q clients: q is [b, a]; the first blocked
 * client gets b, the second a, and q is deleted.
 *
 * Called by: processCommand() (server.c) right after call(), when
 * server.ready_keys is not empty.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, handleClientsBlockedOnKeys() in blocked.c; it also serves
 * sorted sets and streams, skips (rotates) waiters of another btype, and
 * wraps each key in server.fixed_time_expire++ / updateCachedTime() so that
 * a key cannot expire between two lookups in one pass. minired's lookups use
 * the cached server.mstime, which does not move during a command anyway.
 */
void handleClientsBlockedOnKeys(void) {
    while (listLength(server.ready_keys) != 0) {
        list *l;

        /* Swap in a fresh list: serving a BRPOPLPUSH may signal more
         * keys, which go to the new list for the next outer turn. */
        l = server.ready_keys;
        server.ready_keys = listCreate();

        while (listLength(l) != 0) {
            listNode *ln = listFirst(l);
            readyList *rl = ln->value;
            robj *o;

            /* Out of db->ready_keys first, so a push below can signal this
             * same key again. */
            dictDelete(rl->db->ready_keys, rl->key);

            o = lookupKeyWrite(rl->db, rl->key);
            if (o != NULL && o->type == OBJ_LIST) {
                dictEntry *de = dictFind(rl->db->blocking_keys, rl->key);

                if (de) {
                    list *clients = dictGetVal(de);
                    int numclients = listLength(clients);

                    while (numclients--) {
                        listNode *clientnode = listFirst(clients);
                        client *receiver = clientnode->value;
                        robj *dstkey = receiver->bpop.target;
                        /* lastcmd is the BLPOP/BRPOP/BRPOPLPUSH that
                         * blocked (call() set it; nothing ran since). */
                        int where = (receiver->lastcmd &&
                                     receiver->lastcmd->proc == blpopCommand) ?
                                    LIST_HEAD : LIST_TAIL;
                        robj *value = listTypePop(o, where);

                        if (value == NULL) break; /* list drained */

                        /* unblockClient frees bpop.target: keep it. It
                         * also removes clientnode, and may free the
                         * clients list itself (last waiter), which is why
                         * the loop counts instead of walking nodes. */
                        if (dstkey) incrRefCount(dstkey);
                        unblockClient(receiver);
                        traceEvent(receiver, "unblocked", "why=%s", "data");
                        if (serveClientBlockedOnList(receiver, rl->key, dstkey,
                                rl->db, value, where) == C_ERR) {
                            /* BRPOPLPUSH onto a non-list: it got WRONGTYPE,
                             * the element goes back where it was. */
                            listTypePush(o, value, where);
                        }
                        if (dstkey) decrRefCount(dstkey);
                        decrRefCount(value);
                    }
                }
                /* The last element went to a waiter: no empty list stays. */
                if (listTypeLength(o) == 0) dbDelete(rl->db, rl->key);
            }

            decrRefCount(rl->key);
            zfree(rl);
            listDelNode(l, ln);
        }
        listRelease(l);
    }
}

/**
 * @brief Block a client on keys until data, a timeout, CLIENT UNBLOCK or
 *        its disconnection.
 *
 * @param c       The client running BLPOP/BRPOP/BRPOPLPUSH.
 * @param btype   BLOCKED_LIST.
 * @param keys    The keys (argv objects; each gets a reference per map).
 * @param numkeys How many; a key given twice is recorded once.
 * @param timeout Absolute unix ms, 0 for none.
 * @param target  BRPOPLPUSH's destination (referenced), or NULL.
 *
 * Called by: blockingPopGenericCommand(), brpoplpushCommand() (t_list.c).
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, blockForKeys() in blocked.c also takes the stream IDs of
 * XREAD (a last `streamID *ids` parameter, dropped here).
 */
void blockForKeys(client *c, int btype, robj **keys, int numkeys,
                  mstime_t timeout, robj *target) {
    dictEntry *de;
    list *l;
    int j;

    c->bpop.timeout = timeout;
    c->bpop.target = target;
    if (target != NULL) incrRefCount(target);

    for (j = 0; j < numkeys; j++) {
        bkinfo *bki = zmalloc(sizeof(*bki));

        /* "BLPOP q q 0": the second q is already there. */
        if (dictAdd(c->bpop.keys, keys[j], bki) != DICT_OK) {
            zfree(bki);
            continue;
        }
        incrRefCount(keys[j]);

        /* The other direction, key -> clients, in blocking order. */
        de = dictFind(c->db->blocking_keys, keys[j]);
        if (de == NULL) {
            int retval;

            l = listCreate();
            retval = dictAdd(c->db->blocking_keys, keys[j], l);
            incrRefCount(keys[j]);
            serverAssert(retval == DICT_OK);
        } else {
            l = dictGetVal(de);
        }
        listAddNodeTail(l, c);
        bki->listnode = listLast(l);
    }
    blockClient(c, btype);
}

/**
 * @brief Take a BLOCKED_LIST client out of every key's waiting list and
 *        empty its bpop state.
 * @param c The client.
 *
 * Called by: unblockClient() only.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, unblockClientWaitingData() in blocked.c also releases
 * XREADGROUP's group and consumer names.
 */
void unblockClientWaitingData(client *c) {
    dictEntry *de;
    dictIterator *di;
    list *l;

    serverAssert(dictSize(c->bpop.keys) != 0);
    di = dictGetIterator(c->bpop.keys);
    while ((de = dictNext(di)) != NULL) {
        robj *key = dictGetKey(de);
        bkinfo *bki = dictGetVal(de);

        l = dictFetchValue(c->db->blocking_keys, key);
        serverAssert(l != NULL);
        listDelNode(l, bki->listnode);
        /* Last waiter gone: drop the entry (dictListDestructor frees l). */
        if (listLength(l) == 0) dictDelete(c->db->blocking_keys, key);
        /* 5.0's bpop.keys dict type (objectKeyHeapPointerValueDictType)
         * frees the values itself; minired's objectKeyPointerValueDictType
         * does not, so each bkinfo is freed here. */
        zfree(bki);
    }
    dictReleaseIterator(di);

    dictEmpty(c->bpop.keys, NULL); /* drops the key references */
    if (c->bpop.target) {
        decrRefCount(c->bpop.target);
        c->bpop.target = NULL;
    }
}

/**
 * @brief Note that key got data, if a client waits on it.
 *
 * db->ready_keys makes it once per key however many pushes a command (or
 * EXEC) makes; handleClientsBlockedOnKeys() consumes the list.
 *
 * @param db  The database.
 * @param key The key that just became a list.
 *
 * Called by: dbAdd() (db.c) for every new list value.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, signalKeyAsReady() in blocked.c; dbAdd calls it for lists
 * and sorted sets, and stream commands call it directly.
 */
void signalKeyAsReady(redisDb *db, robj *key) {
    readyList *rl;

    if (dictFind(db->blocking_keys, key) == NULL) return; /* nobody waits */
    if (dictFind(db->ready_keys, key) != NULL) return;    /* already queued */

    rl = zmalloc(sizeof(*rl));
    rl->key = key;
    rl->db = db;
    incrRefCount(key);
    listAddNodeTail(server.ready_keys, rl);

    incrRefCount(key); /* the dict's own reference */
    serverAssert(dictAdd(db->ready_keys, key, NULL) == DICT_OK);
}

/* ------------------------------------------------------------------------
 * CLIENT PAUSE (networking.c in Redis 5.0.14, see the file top)
 * ---------------------------------------------------------------------- */

/**
 * @brief Stop processing commands of normal and pub/sub clients until
 *        the unix time end (ms). Extends a running pause, never shortens.
 * @param end Absolute unix time in ms.
 *
 * Called by: clientCommand() PAUSE (client_cmd.c).
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, pauseClients() in networking.c; also used by CLUSTER
 * FAILOVER.
 */
void pauseClients(mstime_t end) {
    if (!server.clients_paused || end > server.clients_pause_end_time)
        server.clients_pause_end_time = end;
    server.clients_paused = 1;
    traceEvent(NULL, "pause", "end=%l", server.clients_pause_end_time);
}

/**
 * @brief Are clients paused? Ends the pause once its time has passed.
 *
 * When it ends, every client except replicas and blocked clients goes on
 * server.unblocked_clients: their requests, read while paused, run in the
 * next beforeSleep() (processUnblockedClients) instead of waiting for
 * more bytes.
 *
 * @return Non-zero while paused.
 *
 * Called by: processInputBuffer() (networking.c) on every loop turn,
 *            serverCron() (cron.c) for the side effect,
 *            activeExpireCycle() (expire.c): no expiry while paused.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, clientsArePaused() in networking.c, the same test against
 * the cached server.mstime (strictly less: the pause ends 1 ms after end);
 * 5.0 also calls it from freeMemoryIfNeeded() and the cluster/replication
 * crons.
 */
/* ANCHOR: blocked-clients-are-paused */
int clientsArePaused(void) {
    if (server.clients_paused &&
        server.clients_pause_end_time < server.mstime) {
        listNode *ln;
        listIter li;
        client *c;
        int queued = 0;

        server.clients_paused = 0;
        listRewind(server.clients, &li);
        while ((ln = listNext(&li)) != NULL) {
            c = listNodeValue(ln);
            /* A blocked client's pending input runs when it is unblocked. */
            if (c->flags & (CLIENT_SLAVE | CLIENT_BLOCKED)) continue;
            queueClientForReprocessing(c);
            queued++;
        }
        traceEvent(NULL, "unpause", "queued=%d", queued);
    }
    return server.clients_paused;
}
/* ANCHOR_END: blocked-clients-are-paused */
