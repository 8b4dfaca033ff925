/**
 * @file t_list.c
 * @brief The list type and its commands: LPUSH, RPUSH, LPUSHX, RPUSHX,
 *        LINSERT, LPOP, RPOP, LLEN, LINDEX, LRANGE, LSET, LTRIM, LREM,
 *        RPOPLPUSH,
 *        and the blocking pops BLPOP, BRPOP, BRPOPLPUSH.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * The last stop of a request, like t_string.c: call() jumps here with
 * c->argv filled,
 *
 *   "*3\r\n$5\r\nLPUSH\r\n$1\r\nq\r\n$1\r\na\r\n"
 *        -> lpushCommand(c), argv = {"LPUSH","q","a"}, reply ":1\r\n"
 *
 * What flows in: c->argv. What flows out: keyspace changes, one reply, and
 * for a push onto a key someone waits on, an entry in server.ready_keys
 * (dbAdd -> signalKeyAsReady, blocked.c) that processCommand turns into
 * replies to the waiting clients right after this command.
 *
 * A blocking pop that finds data behaves as LPOP/RPOP with a two-element
 * reply ("*2\r\n$1\r\nq\r\n$1\r\na\r\n"). If every key is empty it calls
 * blockForKeys() and returns with NO reply: the client gets CLIENT_BLOCKED,
 * processInputBuffer stops, and the reply comes later from
 * serveClientBlockedOnList() (data), replyToBlockedClientTimedOut()
 * ("*-1\r\n", timeout) or CLIENT UNBLOCK.
 *
 * The encoding
 * ------------
 * A list value is an robj of type OBJ_LIST, encoding OBJ_ENCODING_LINKEDLIST,
 * whose ptr is an adlist (adlist.c) with one node per element, each node's
 * value a string robj with its own reference (so LPUSH stores argv[2]
 * itself, refcount + 1, and no bytes are copied).
 *
 * @par Redis 5.0:
 * t_list.c (5.0.14) stores every list as OBJ_ENCODING_QUICKLIST: a
 * quicklist (quicklist.c) is a doubly linked list of ziplists, each a
 * packed byte array of up to list-max-ziplist-size entries (default -2:
 * 8 KB per node), optionally LZF-compressed except list-compress-depth
 * nodes at each end. Elements are copied into the ziplist (small integers
 * as integers), so a value that comes out is a new object. minired keeps
 * Redis 3.0's old "linkedlist" layout because it needs no packing code and
 * every step of a push or a pop is an adlist call a reader can follow; the
 * price is ~40 bytes per element. The listType* helpers keep 5.0's names,
 * so the commands read like 5.0's. Keyspace notifications
 * (notifyKeyspaceEvent "lpush", "del"...) and propagation to AOF/replicas
 * (5.0 rewrites a served BLPOP as LPOP with rewriteClientCommandVector,
 * and serveClientBlockedOnList calls propagate()) are not in minired.
 */
#include "server.h"

/** The longest element a list accepts: 4 GB - 1024, as Redis 5.0.14's
 *  LIST_MAX_ITEM_SIZE (server.h). Only reachable with proto-max-bulk-len
 *  raised past 4 GB: the default 512 MB refuses such an argument earlier. */
#define LIST_MAX_ITEM_SIZE ((1ull << 32) - 1024)

/* ------------------------------------------------------------------------
 * The list type
 * ---------------------------------------------------------------------- */

/**
 * @brief Create an empty list value (refcount 1).
 * @return A new robj, type OBJ_LIST, encoding OBJ_ENCODING_LINKEDLIST.
 *
 * Called by: pushGenericCommand(), rpoplpushHandlePush(), unit tests.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, createQuicklistObject() (object.c) with
 * quicklistSetOptions() for list-max-ziplist-size and list-compress-depth;
 * Redis 3.0's createListObject() made exactly this adlist (see the file
 * top).
 */
robj *createListObject(void) {
    list *l = listCreate();
    robj *o;

    /* Each node's value is an robj reference: releasing the list (DEL,
     * last LPOP, FLUSHDB) drops one reference per element. */
    listSetFreeMethod(l, decrRefCountVoid);
    o = createObject(OBJ_LIST, l);
    o->encoding = OBJ_ENCODING_LINKEDLIST;
    return o;
}

/**
 * @brief Free the adlist of a list value whose refcount reached 0.
 * @param o The list object (the robj itself is freed by the caller).
 *
 * Called by: decrRefCount() (object.c).
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, freeListObject() (object.c) calls quicklistRelease().
 */
void freeListObject(robj *o) {
    if (o->encoding != OBJ_ENCODING_LINKEDLIST)
        serverPanic("Unknown list encoding type");
    listRelease(o->ptr);
}

/**
 * @brief Add one element at the head or the tail.
 * @param subject The list.
 * @param value   A string robj; the list takes a new reference to it.
 * @param where   LIST_HEAD or LIST_TAIL.
 *
 * Called by: pushGenericCommand(), pushxGenericCommand(),
 *            rpoplpushHandlePush(), handleClientsBlockedOnKeys() (undo).
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, listTypePush() copies the bytes into the head or tail
 * ziplist (quicklistPush); minired shares the object instead.
 */
void listTypePush(robj *subject, robj *value, int where) {
    if (subject->encoding != OBJ_ENCODING_LINKEDLIST)
        serverPanic("Unknown list encoding");
    /* An INT-encoded argument is stored as such: listTypeGet-style readers
     * use addReplyBulk, which prints it back as the same decimal bytes. */
    incrRefCount(value);
    if (where == LIST_HEAD)
        listAddNodeHead(subject->ptr, value);
    else
        listAddNodeTail(subject->ptr, value);
}

/**
 * @brief Remove and return the head or tail element.
 * @param subject The list.
 * @param where   LIST_HEAD or LIST_TAIL.
 * @return The element with one reference owned by the caller, or NULL if
 *         the list is empty.
 *
 * Called by: popGenericCommand(), rpoplpushCommand(),
 *            blockingPopGenericCommand(), handleClientsBlockedOnKeys().
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, listTypePop() pops from the quicklist and builds a new
 * string object.
 */
robj *listTypePop(robj *subject, int where) {
    list *l = subject->ptr;
    listNode *ln;
    robj *value;

    if (subject->encoding != OBJ_ENCODING_LINKEDLIST)
        serverPanic("Unknown list encoding");
    ln = (where == LIST_HEAD) ? listFirst(l) : listLast(l);
    if (ln == NULL) return NULL;
    /* The node's reference becomes the caller's: take it out of the node
     * first, or listDelNode's free method would drop it. */
    value = listNodeValue(ln);
    ln->value = NULL;
    listSetFreeMethod(l, NULL);
    listDelNode(l, ln);
    listSetFreeMethod(l, decrRefCountVoid);
    return value;
}

/**
 * @brief Number of elements.
 * @param subject The list.
 * @return Its length.
 *
 * Called by: every list command, handleClientsBlockedOnKeys().
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, listTypeLength() returns quicklistCount().
 */
unsigned long listTypeLength(const robj *subject) {
    return listLength((list *)subject->ptr);
}

/**
 * @brief Delete a list key that became empty, as every 5.0 pop does.
 * @param c   The client (for its db).
 * @param key The key.
 * @param o   Its list value.
 *
 * Called by: popGenericCommand(), ltrimCommand(), lremCommand(),
 *            rpoplpushCommand(), blockingPopGenericCommand().
 *
 * @par Redis 5.0:
 * In Redis 5.0.14 (popGenericCommand(), lremCommand(), ltrimCommand(),
 * rpoplpushCommand() and blockingPopGenericCommand() in t_list.c) each
 * command spells out `if (listTypeLength(o) == 0) dbDelete(...)`
 * followed by a "del" keyspace notification; minired has one helper.
 */
static void listDeleteIfEmpty(client *c, robj *key, robj *o) {
    /* "RPUSH q a" then "LPOP q": no empty list is ever left in the
     * keyspace, EXISTS q says 0 and a later BLPOP q blocks. */
    if (listTypeLength(o) == 0) dbDelete(c->db, key);
}

/**
 * @brief Is index (negative = from the tail) inside the list?
 * @param o     The list.
 * @param index As given to LINDEX / LSET.
 * @return 1 if -len <= index < len.
 *
 * Called by: lindexCommand(), lsetCommand().
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, quicklistIndex() answers "not found" for such an index
 * itself.
 */
static int listIndexInRange(robj *o, long index) {
    long len = (long)listTypeLength(o);
    return index < len && index >= -len;
}

/* ------------------------------------------------------------------------
 * Commands
 * ---------------------------------------------------------------------- */

/**
 * @brief LPUSH / RPUSH key element [element ...]
 * @param c     The client.
 * @param where LIST_HEAD (LPUSH) or LIST_TAIL (RPUSH).
 *
 * Called by: lpushCommand(), rpushCommand().
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, pushGenericCommand() in t_list.c, same checks in the same
 * order.
 */
static void pushGenericCommand(client *c, int where) {
    int j, pushed = 0;
    robj *lobj;

    for (j = 2; j < c->argc; j++) {
        if (sdsEncodedObject(c->argv[j]) &&
            sdslen(c->argv[j]->ptr) > LIST_MAX_ITEM_SIZE) {
            addReplyError(c, "Element too large");
            return;
        }
    }

    lobj = lookupKeyWrite(c->db, c->argv[1]);
    /* "SET s x" then "LPUSH s a": "-WRONGTYPE Operation against a key
     * holding the wrong kind of value\r\n", nothing pushed. */
    if (lobj && lobj->type != OBJ_LIST) {
        addReply(c, shared.wrongtypeerr);
        return;
    }

    for (j = 2; j < c->argc; j++) {
        if (!lobj) {
            /* First element of a new key: dbAdd also signals the key as
             * ready if a BLPOP waits on it (signalKeyAsReady). */
            lobj = createListObject();
            dbAdd(c->db, c->argv[1], lobj);
        }
        listTypePush(lobj, c->argv[j], where);
        pushed++;
    }
    /* "LPUSH q a b c" -> ":3\r\n": the length after all the pushes. */
    addReplyLongLong(c, (lobj ? listTypeLength(lobj) : 0));
    if (pushed) signalModifiedKey(c->db, c->argv[1]);
    server.dirty += pushed;
}

/**
 * @brief LPUSH key element [element ...]: "LPUSH q a b" leaves b, a.
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void lpushCommand(client *c) {
    pushGenericCommand(c, LIST_HEAD);
}

/**
 * @brief RPUSH key element [element ...]: "RPUSH q a b" leaves a, b.
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void rpushCommand(client *c) {
    pushGenericCommand(c, LIST_TAIL);
}

/**
 * @brief LPUSHX / RPUSHX key element [element ...]: push only onto an
 *        existing list.
 * @param c     The client.
 * @param where LIST_HEAD or LIST_TAIL.
 *
 * Called by: lpushxCommand(), rpushxCommand().
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, pushxGenericCommand() in t_list.c. A missing key replies
 * ":0\r\n".
 */
static void pushxGenericCommand(client *c, int where) {
    int j, pushed = 0;
    robj *subject;

    if ((subject = lookupKeyWriteOrReply(c, c->argv[1], shared.czero)) == NULL ||
        checkType(c, subject, OBJ_LIST)) return;

    for (j = 2; j < c->argc; j++) {
        listTypePush(subject, c->argv[j], where);
        pushed++;
    }
    addReplyLongLong(c, listTypeLength(subject));
    if (pushed) signalModifiedKey(c->db, c->argv[1]);
    server.dirty += pushed;
}

/**
 * @brief LPUSHX key element [element ...]
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void lpushxCommand(client *c) {
    pushxGenericCommand(c, LIST_HEAD);
}

/**
 * @brief RPUSHX key element [element ...]
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void rpushxCommand(client *c) {
    pushxGenericCommand(c, LIST_TAIL);
}

/**
 * @brief LINSERT key BEFORE|AFTER pivot element
 *
 * List a, b, c: "LINSERT q BEFORE b x" -> ":4\r\n", list a, x, b, c.
 * No such pivot -> ":-1\r\n"; missing key -> ":0\r\n"; a third word
 * other than BEFORE/AFTER -> "-ERR syntax error\r\n" (checked first).
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, linsertCommand() in t_list.c, same order of checks; the
 * pivot is searched from the head, the first match wins.
 */
void linsertCommand(client *c) {
    int after;
    robj *subject;
    listIter li;
    listNode *ln;

    if (strcasecmp(c->argv[2]->ptr, "after") == 0) {
        after = 1;
    } else if (strcasecmp(c->argv[2]->ptr, "before") == 0) {
        after = 0;
    } else {
        addReply(c, shared.syntaxerr);
        return;
    }
    if (sdsEncodedObject(c->argv[4]) &&
        sdslen(c->argv[4]->ptr) > LIST_MAX_ITEM_SIZE) {
        addReplyError(c, "Element too large");
        return;
    }
    if ((subject = lookupKeyWriteOrReply(c, c->argv[1], shared.czero)) == NULL ||
        checkType(c, subject, OBJ_LIST)) return;

    listRewind(subject->ptr, &li);
    while ((ln = listNext(&li)) != NULL) {
        if (equalStringObjects(listNodeValue(ln), c->argv[3])) {
            incrRefCount(c->argv[4]); /* the new node's reference */
            listInsertNode(subject->ptr, ln, c->argv[4], after);
            signalModifiedKey(c->db, c->argv[1]);
            server.dirty++;
            addReplyLongLong(c, listTypeLength(subject));
            return;
        }
    }
    addReply(c, shared.cnegone); /* the pivot is not in the list */
}

/**
 * @brief LLEN key: ":0\r\n" for a missing key.
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, llenCommand() in t_list.c.
 */
void llenCommand(client *c) {
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.czero);
    if (o == NULL || checkType(c, o, OBJ_LIST)) return;
    addReplyLongLong(c, listTypeLength(o));
}

/**
 * @brief LINDEX key index: the element, "$-1\r\n" if out of range.
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, lindexCommand(): the key (and its type) is checked before
 * the index, so "LINDEX missing x" is "$-1\r\n", not an integer error.
 */
void lindexCommand(client *c) {
    robj *o = lookupKeyReadOrReply(c, c->argv[1], shared.nullbulk);
    long index;
    listNode *ln;

    if (o == NULL || checkType(c, o, OBJ_LIST)) return;
    /* "LINDEX q x" -> "-ERR value is not an integer or out of range". */
    if (getLongFromObjectOrReply(c, c->argv[2], &index, NULL) != C_OK)
        return;
    /* adlist's listIndex counts from the tail for a negative index, as
     * Redis does: -1 is the last element. Out of range (-4 or 3 on a
     * 3-element list, or LONG_MIN, which listIndex could not negate) is
     * answered before the walk. */
    ln = listIndexInRange(o, index) ? listIndex(o->ptr, index) : NULL;
    if (ln)
        addReplyBulk(c, listNodeValue(ln));
    else
        addReply(c, shared.nullbulk);
}

/**
 * @brief LSET key index element
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, lsetCommand(): a missing key is "-ERR no such key", an
 * index outside the list "-ERR index out of range".
 */
void lsetCommand(client *c) {
    robj *o = lookupKeyWriteOrReply(c, c->argv[1], shared.nokeyerr);
    long index;
    listNode *ln;

    if (o == NULL || checkType(c, o, OBJ_LIST)) return;
    if (getLongFromObjectOrReply(c, c->argv[2], &index, NULL) != C_OK)
        return;
    if (sdsEncodedObject(c->argv[3]) &&
        sdslen(c->argv[3]->ptr) > LIST_MAX_ITEM_SIZE) {
        addReplyError(c, "Element too large");
        return;
    }
    ln = listIndexInRange(o, index) ? listIndex(o->ptr, index) : NULL;
    if (ln == NULL) {
        addReply(c, shared.outofrangeerr);
        return;
    }
    /* Swap the node's reference: the old element loses one. */
    incrRefCount(c->argv[3]);
    decrRefCount(listNodeValue(ln));
    ln->value = c->argv[3];
    addReply(c, shared.ok);
    signalModifiedKey(c->db, c->argv[1]);
    server.dirty++;
}

/**
 * @brief LPOP / RPOP key: the element, or "$-1\r\n".
 * @param c     The client.
 * @param where LIST_HEAD or LIST_TAIL.
 *
 * Called by: lpopCommand(), rpopCommand().
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, popGenericCommand() in t_list.c.
 */
static void popGenericCommand(client *c, int where) {
    robj *o = lookupKeyWriteOrReply(c, c->argv[1], shared.nullbulk);
    robj *value;

    if (o == NULL || checkType(c, o, OBJ_LIST)) return;
    value = listTypePop(o, where);
    if (value == NULL) {
        addReply(c, shared.nullbulk);
        return;
    }
    addReplyBulk(c, value);
    decrRefCount(value);
    listDeleteIfEmpty(c, c->argv[1], o);
    signalModifiedKey(c->db, c->argv[1]);
    server.dirty++;
}

/**
 * @brief LPOP key
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void lpopCommand(client *c) {
    popGenericCommand(c, LIST_HEAD);
}

/**
 * @brief RPOP key
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void rpopCommand(client *c) {
    popGenericCommand(c, LIST_TAIL);
}

/**
 * @brief LRANGE key start stop (inclusive, negative = from the end).
 *
 * On the list a,b,c: "LRANGE q 0 -1" -> "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
 * "LRANGE q 5 9" -> "*0\r\n", a missing key -> "*0\r\n" too. Traced as
 * the step "range" (the indexes resolved against the length). Lab 7
 * (exercises/07-command) has students write this body and its table row.
 *
 * @param c The client; argv[1] the key, argv[2] start, argv[3] stop.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, lrangeCommand(): unlike LINDEX the indexes are parsed
 * before the key is looked up, so "LRANGE missing a 1" is an integer error.
 * 5.0.14 walks a quicklist (addReplyBulkCBuffer, or addReplyBulkLongLong
 * for an element stored as an integer); minired's list is an adlist of
 * string objects, so each element is one addReplyBulk. The "range" trace
 * step is minired's.
 */
void lrangeCommand(client *c) {
    /* LAB 7 BEGIN lrange-body */
    robj *o;
    long start, end, llen, rangelen;
    listNode *ln;

    if ((getLongFromObjectOrReply(c, c->argv[2], &start, NULL) != C_OK) ||
        (getLongFromObjectOrReply(c, c->argv[3], &end, NULL) != C_OK)) return;
    if ((o = lookupKeyReadOrReply(c, c->argv[1], shared.emptymultibulk)) == NULL ||
        checkType(c, o, OBJ_LIST)) return;
    llen = listTypeLength(o);

    /* List a,b,c (llen 3), "LRANGE q -2 -1" -> start 1, end 2 -> b, c.
     * "LRANGE q -100 0" -> start clamps to 0 -> a. */
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    /* The indexes as the list sees them: "LRANGE q -2 -1" on a,b,c shows
     * start=1 end=2 llen=3; end is clamped to llen-1 only below. */
    traceEvent(c, "range", "start=%l end=%l llen=%l", (long long)start,
               (long long)end, (long long)llen);

    /* start >= 0 now, so end < 0 lands here too: "*0\r\n". */
    if (start > end || start >= llen) {
        addReply(c, shared.emptymultibulk);
        return;
    }
    if (end >= llen) end = llen - 1;
    rangelen = (end - start) + 1;

    addReplyMultiBulkLen(c, rangelen);
    ln = listIndex(o->ptr, start);
    while (rangelen--) {
        addReplyBulk(c, listNodeValue(ln));
        ln = listNextNode(ln);
    }
    /* LAB 7 END lrange-body */
}

/**
 * @brief LTRIM key start stop: keep only that range.
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, ltrimCommand(): "+OK\r\n" even for a missing key; an
 * empty result deletes the key.
 */
void ltrimCommand(client *c) {
    robj *o;
    long start, end, llen, ltrim, rtrim;
    list *l;

    if ((getLongFromObjectOrReply(c, c->argv[2], &start, NULL) != C_OK) ||
        (getLongFromObjectOrReply(c, c->argv[3], &end, NULL) != C_OK)) return;
    if ((o = lookupKeyWriteOrReply(c, c->argv[1], shared.ok)) == NULL ||
        checkType(c, o, OBJ_LIST)) return;
    llen = listTypeLength(o);

    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) {
        ltrim = llen; /* out of range: everything goes */
        rtrim = 0;
    } else {
        if (end >= llen) end = llen - 1;
        ltrim = start;
        rtrim = llen - end - 1;
    }

    /* Drop ltrim nodes from the head and rtrim from the tail; the free
     * method releases each element's reference. */
    l = o->ptr;
    while (ltrim--) listDelNode(l, listFirst(l));
    while (rtrim--) listDelNode(l, listLast(l));

    listDeleteIfEmpty(c, c->argv[1], o);
    signalModifiedKey(c->db, c->argv[1]);
    server.dirty++;
    addReply(c, shared.ok);
}

/**
 * @brief LREM key count element: remove up to |count| equal elements
 *        (count > 0 from the head, < 0 from the tail, 0 all).
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, lremCommand(): checks the element size, then count, then
 * the key.
 */
void lremCommand(client *c) {
    robj *subject, *obj = c->argv[3];
    long toremove, removed = 0;
    listIter li;
    listNode *ln;

    if (sdsEncodedObject(obj) && sdslen(obj->ptr) > LIST_MAX_ITEM_SIZE) {
        addReplyError(c, "Element too large");
        return;
    }
    if (getLongFromObjectOrReply(c, c->argv[2], &toremove, NULL) != C_OK)
        return;
    subject = lookupKeyWriteOrReply(c, c->argv[1], shared.czero);
    if (subject == NULL || checkType(c, subject, OBJ_LIST)) return;

    if (toremove < 0) {
        toremove = -toremove;
        listRewindTail(subject->ptr, &li);
    } else {
        listRewind(subject->ptr, &li);
    }
    /* listNext has already moved past ln, so deleting ln is safe. */
    while ((ln = listNext(&li)) != NULL) {
        if (equalStringObjects(listNodeValue(ln), obj)) {
            listDelNode(subject->ptr, ln);
            server.dirty++;
            removed++;
            if (toremove && removed == toremove) break;
        }
    }
    if (removed) signalModifiedKey(c->db, c->argv[1]);
    listDeleteIfEmpty(c, c->argv[1], subject);
    addReplyLongLong(c, removed);
}

/**
 * @brief The push half of RPOPLPUSH / a served BRPOPLPUSH: LPUSH value
 *        onto dstkey (creating it) and reply with value.
 * @param c      The client that gets the reply.
 * @param dstkey The destination key.
 * @param dstobj Its list, or NULL to create it.
 * @param value  The element.
 *
 * Called by: rpoplpushCommand(), serveClientBlockedOnList().
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, rpoplpushHandlePush() in t_list.c.
 */
static void rpoplpushHandlePush(client *c, robj *dstkey, robj *dstobj,
                                robj *value) {
    if (!dstobj) {
        dstobj = createListObject();
        /* May signal dstkey as ready: a BRPOPLPUSH can feed a BLPOP. */
        dbAdd(c->db, dstkey, dstobj);
    }
    signalModifiedKey(c->db, dstkey);
    listTypePush(dstobj, value, LIST_HEAD);
    addReplyBulk(c, value);
}

/**
 * @brief RPOPLPUSH source destination
 * @param c The client.
 *
 * Called by: call (server.c) through the command table,
 *            brpoplpushCommand() when the source has elements.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, rpoplpushCommand(): the destination type is checked only
 * once the source is known to be a non-empty list. Called from BRPOPLPUSH,
 * 5.0 then rewrites argv as RPOPLPUSH for propagation (not in minired).
 */
void rpoplpushCommand(client *c) {
    robj *sobj, *dobj, *value, *touchedkey;

    if ((sobj = lookupKeyWriteOrReply(c, c->argv[1], shared.nullbulk)) == NULL ||
        checkType(c, sobj, OBJ_LIST)) return;
    if (listTypeLength(sobj) == 0) {
        /* Cannot happen: empty lists are deleted. 5.0 keeps it for RDB
         * files written by very old versions. */
        addReply(c, shared.nullbulk);
        return;
    }
    dobj = lookupKeyWrite(c->db, c->argv[2]);
    if (dobj && checkType(c, dobj, OBJ_LIST)) return;

    value = listTypePop(sobj, LIST_TAIL);
    /* "RPOPLPUSH q q" rotates: the key must survive its own push. */
    touchedkey = c->argv[1];
    incrRefCount(touchedkey);
    rpoplpushHandlePush(c, c->argv[2], dobj, value);
    decrRefCount(value);
    listDeleteIfEmpty(c, touchedkey, sobj);
    signalModifiedKey(c->db, touchedkey);
    decrRefCount(touchedkey);
    server.dirty++;
}

/* ------------------------------------------------------------------------
 * Blocking pops (the blocking machinery itself is in blocked.c)
 * ---------------------------------------------------------------------- */

/**
 * @brief Give an element to a client that was blocked on key.
 *
 * For BLPOP/BRPOP the reply is "*2\r\n$<n>\r\n<key>\r\n$<n>\r\n<value>\r\n";
 * for BRPOPLPUSH the value is also pushed onto dstkey and the reply is
 * the bulk value.
 *
 * @param receiver The client being served (already unblocked).
 * @param key      The key the element came from.
 * @param dstkey   BRPOPLPUSH's destination, or NULL.
 * @param db       The database of key.
 * @param value    The element, already popped.
 * @param where    LIST_HEAD or LIST_TAIL (where it was popped).
 * @return C_OK, or C_ERR if dstkey holds a non-list (the receiver got
 *         WRONGTYPE and the caller pushes value back).
 *
 * Called by: handleClientsBlockedOnKeys() (blocked.c).
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, serveClientBlockedOnList() in t_list.c, which also
 * propagates the pop (and the push) as LPOP/RPOP/LPUSH to AOF and replicas.
 */
int serveClientBlockedOnList(client *receiver, robj *key, robj *dstkey,
                             redisDb *db, robj *value, int where) {
    robj *dstobj;

    (void)db; /* 5.0 uses it only to propagate */
    (void)where;
    if (dstkey == NULL) {
        addReplyMultiBulkLen(receiver, 2);
        addReplyBulk(receiver, key);
        addReplyBulk(receiver, value);
        return C_OK;
    }
    dstobj = lookupKeyWrite(receiver->db, dstkey);
    /* checkType already sent "-WRONGTYPE ..." to the receiver. */
    if (dstobj && checkType(receiver, dstobj, OBJ_LIST)) return C_ERR;
    rpoplpushHandlePush(receiver, dstkey, dstobj, value);
    return C_OK;
}

/**
 * @brief BLPOP / BRPOP key [key ...] timeout
 *
 * The first non-empty key is popped at once. Otherwise the client blocks
 * on all the keys (blockForKeys) and no reply is sent now.
 *
 * @param c     The client.
 * @param where LIST_HEAD (BLPOP) or LIST_TAIL (BRPOP).
 *
 * Called by: blpopCommand(), brpopCommand().
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, blockingPopGenericCommand() in t_list.c: the timeout is
 * parsed first, so "BLPOP q x" is "-ERR timeout is not an integer or out of
 * range" even if q has data; a WRONGTYPE key stops the scan where it is met.
 */
static void blockingPopGenericCommand(client *c, int where) {
    robj *o, *value;
    mstime_t timeout;
    int j;

    if (getTimeoutFromObjectOrReply(c, c->argv[c->argc - 1], &timeout,
                                    UNIT_SECONDS) != C_OK) return;

    for (j = 1; j < c->argc - 1; j++) {
        o = lookupKeyWrite(c->db, c->argv[j]);
        if (o == NULL) continue;
        if (o->type != OBJ_LIST) {
            addReply(c, shared.wrongtypeerr);
            return;
        }
        if (listTypeLength(o) != 0) {
            /* "BLPOP a b 0" with b = [x]: a missing, b popped now:
             * "*2\r\n$1\r\nb\r\n$1\r\nx\r\n". */
            value = listTypePop(o, where);
            serverAssert(value != NULL);
            addReplyMultiBulkLen(c, 2);
            addReplyBulk(c, c->argv[j]);
            addReplyBulk(c, value);
            decrRefCount(value);
            listDeleteIfEmpty(c, c->argv[j], o);
            signalModifiedKey(c->db, c->argv[j]);
            server.dirty++;
            return;
        }
    }

    /* Inside MULTI/EXEC nobody else can run before EXEC ends, so waiting
     * could never end: an empty BLPOP answers as a timeout would,
     * "*-1\r\n", even with timeout 0. */
    if (c->flags & CLIENT_MULTI) {
        addReply(c, shared.nullmultibulk);
        return;
    }

    /* Every key empty or missing: block. argv[1..argc-2] are the keys. */
    blockForKeys(c, BLOCKED_LIST, c->argv + 1, c->argc - 2, timeout, NULL);
}

/**
 * @brief BLPOP key [key ...] timeout
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void blpopCommand(client *c) {
    blockingPopGenericCommand(c, LIST_HEAD);
}

/**
 * @brief BRPOP key [key ...] timeout
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void brpopCommand(client *c) {
    blockingPopGenericCommand(c, LIST_TAIL);
}

/**
 * @brief BRPOPLPUSH source destination timeout
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, brpoplpushCommand() in t_list.c: a missing source blocks
 * (or, inside MULTI, answers "$-1\r\n": the null bulk, not BLPOP's null
 * array); a non-empty one is a plain RPOPLPUSH.
 */
void brpoplpushCommand(client *c) {
    mstime_t timeout;
    robj *key;

    if (getTimeoutFromObjectOrReply(c, c->argv[3], &timeout, UNIT_SECONDS)
        != C_OK) return;

    key = lookupKeyWrite(c->db, c->argv[1]);
    if (key == NULL) {
        if (c->flags & CLIENT_MULTI) {
            addReply(c, shared.nullbulk);
        } else {
            /* Blocks on the source only; argv[2] is remembered as
             * bpop.target for the push when data arrives. */
            blockForKeys(c, BLOCKED_LIST, c->argv + 1, 1, timeout, c->argv[2]);
        }
    } else if (key->type != OBJ_LIST) {
        addReply(c, shared.wrongtypeerr);
    } else {
        serverAssert(listTypeLength(key) > 0);
        rpoplpushCommand(c);
    }
}
