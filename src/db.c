/**
 * @file db.c
 * @brief The keyspace: numbered databases of key -> value, the lookup
 *        functions every command goes through, and the keyspace commands
 *        (SELECT, DEL, EXISTS, KEYS, DBSIZE, FLUSHDB, FLUSHALL).
 *
 * Where it sits in the pipeline
 * -----------------------------
 * A command reaches this file after the whole front of the pipeline has
 * run: readQueryFromClient -> processMultibulkBuffer -> processCommand ->
 * call -> the command's proc. "GET greeting" arrives as
 * c->argv = {"GET", "greeting"} and c->db = &server.db[0]; getCommand
 * calls lookupKeyRead(c->db, c->argv[1]), which
 *
 *   1. asks expireIfNeeded (expire.c) whether "greeting" has a TTL in the
 *      past, and if so deletes it first (lazy expiry);
 *   2. finds the value in db->dict, refreshes its LRU clock;
 *   3. counts a keyspace hit or miss for INFO stats.
 *
 * What flows in: a redisDb, a key robj (its ptr is an sds), a value robj.
 * What flows out: the value robj (borrowed: the dict owns it) or NULL;
 * for the commands, replies added with addReply*.
 *
 * Ownership, the one rule to remember: db->dict owns its keys (an sds
 * COPY of the argument, made by dbAdd) and one reference to each value.
 * db->expires uses the very same key sds as its keys (no copy, no
 * destructor), so an expire entry must always go before its dict entry.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's db.c (lookupKey(), dbAdd(), delCommand(), keysCommand() ...):
 * Redis's db.c also has RENAME, MOVE, SWAPDB, RANDOMKEY, SCAN, TYPE,
 * the cluster slot index, keyspace notifications, WATCH signalling,
 * lazy freeing (UNLINK, FLUSHALL ASYNC) and key extraction for every
 * command. minired keeps the commands listed above and the C API they
 * need. Redis keeps expireIfNeeded and the TTL getters in db.c; minired
 * moves them to expire.c so each file has one job.
 */
#include "server.h"

/* ------------------------------------------------------------------------
 * C-level DB API: looking keys up
 * ---------------------------------------------------------------------- */

/**
 * @brief Find @p key in @p db, with no expiry check and no statistics.
 *
 * Refreshes the value's LRU clock unless @p flags has LOOKUP_NOTOUCH
 * (TTL and PTTL look but do not count as a use).
 *
 * @param db    The database.
 * @param key   The key (string object).
 * @param flags LOOKUP_NONE or LOOKUP_NOTOUCH.
 * @return The value (owned by the dict), or NULL.
 *
 * Called by: lookupKeyReadWithFlags, lookupKeyWrite.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's lookupKey() (db.c):
 * Redis skips the LRU update while a BGSAVE/BGREWRITEAOF child exists
 * (writing to the page would copy it), and updates an LFU counter under
 * an LFU maxmemory-policy. minired has neither.
 */
robj *lookupKey(redisDb *db, robj *key, int flags) {
    dictEntry *de = dictFind(db->dict, key->ptr);
    robj *val;

    if (de == NULL) return NULL;
    val = dictGetVal(de);
    if (!(flags & LOOKUP_NOTOUCH)) val->lru = LRU_CLOCK();
    return val;
}

/* ANCHOR: db-lookup-read */
/**
 * @brief Look a key up for reading: lazy expiry, LRU, hit/miss stats.
 *
 * @param db    The database.
 * @param key   The key.
 * @param flags LOOKUP_NONE or LOOKUP_NOTOUCH.
 * @return The value, or NULL if the key is missing or just expired.
 *
 * Called by: lookupKeyRead, ttlCommand / pttlCommand (expire.c, with
 * LOOKUP_NOTOUCH).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's lookupKeyReadWithFlags() (db.c):
 * On a replica Redis does not delete an expired key (the master will
 * send a DEL) but still answers NULL for read commands; minired has no
 * replication, so an expired key is always deleted here.
 */
robj *lookupKeyReadWithFlags(redisDb *db, robj *key, int flags) {
    robj *val;

    /* "SET k v PX 100", 150 ms later "GET k": the key is still in the
     * dict, nobody has removed it yet. expireIfNeeded compares its TTL
     * with the clock, deletes it, and returns 1: the reader sees a miss,
     * exactly as if the key had vanished at the 100 ms mark. */
    if (expireIfNeeded(db, key) == 1) {
        server.stat_keyspace_misses++;
        return NULL;
    }
    val = lookupKey(db, key, flags);
    if (val == NULL)
        server.stat_keyspace_misses++;
    else
        server.stat_keyspace_hits++;
    return val;
}

/**
 * @brief Look a key up for a read-only command (GET, MGET, STRLEN, EXISTS).
 *
 * @param db  The database.
 * @param key The key.
 * @return The value, or NULL if missing or expired.
 *
 * Called by: getGenericCommand, mgetCommand, strlenCommand (t_string.c)
 * through lookupKeyReadOrReply, existsCommand.
 */
robj *lookupKeyRead(redisDb *db, robj *key) {
    return lookupKeyReadWithFlags(db, key, LOOKUP_NONE);
}
/* ANCHOR_END: db-lookup-read */

/**
 * @brief Look a key up before modifying it: lazy expiry, LRU, no stats.
 *
 * Expiring first matters: "SET k v NX" on a key whose TTL has passed must
 * see no key and succeed.
 *
 * @param db  The database.
 * @param key The key.
 * @return The value, or NULL if missing or expired.
 *
 * Called by: setKey, setGenericCommand (NX/XX), incrDecrCommand,
 * appendCommand (t_string.c), expireCommand (expire.c).
 */
robj *lookupKeyWrite(redisDb *db, robj *key) {
    expireIfNeeded(db, key);
    return lookupKey(db, key, LOOKUP_NONE);
}

/**
 * @brief lookupKeyRead, adding @p reply to @p c when the key is missing.
 *
 * @param c     The client (its db is searched).
 * @param key   The key.
 * @param reply What to send for a missing key: shared.nullbulk for GET
 *              ("$-1\r\n"), shared.czero for STRLEN (":0\r\n").
 * @return The value, or NULL after @p reply was added.
 *
 * Called by: getGenericCommand, strlenCommand (t_string.c).
 */
robj *lookupKeyReadOrReply(client *c, robj *key, robj *reply) {
    robj *o = lookupKeyRead(c->db, key);

    if (!o) addReply(c, reply);
    return o;
}

/**
 * @brief lookupKeyWrite, adding @p reply to @p c when the key is missing.
 *
 * @param c     The client (its db is searched).
 * @param key   The key.
 * @param reply What to send for a missing key.
 * @return The value, or NULL after @p reply was added.
 *
 * Called by: write commands that fail on a missing key.
 */
robj *lookupKeyWriteOrReply(client *c, robj *key, robj *reply) {
    robj *o = lookupKeyWrite(c->db, key);

    if (!o) addReply(c, reply);
    return o;
}

/* ------------------------------------------------------------------------
 * C-level DB API: adding, replacing, deleting
 * ---------------------------------------------------------------------- */

/**
 * @brief Add a key that does not exist yet.
 *
 * The dict gets its own copy of the key bytes: the argument object
 * belongs to the client's argv and is freed after the command.
 * The value is stored as is: the caller decides whether the dict's
 * reference is a new one (incrRefCount) or the caller's own.
 *
 * @param db  The database.
 * @param key The key; only its bytes are used.
 * @param val The value; the dict takes over one reference.
 *
 * Called by: setKey, incrDecrCommand and appendCommand (t_string.c),
 *            pushGenericCommand and rpoplpushHandlePush (t_list.c).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's dbAdd() (db.c): it signals lists (and
 * sorted sets, which minired does not have) as ready the same way, and
 * also indexes the key's cluster slot.
 */
void dbAdd(redisDb *db, robj *key, robj *val) {
    sds copy = sdsdup(key->ptr);
    int retval = dictAdd(db->dict, copy, val);

    /* A caller that adds an existing key has a logic error: it should
     * have used dbOverwrite. Stop rather than leak. */
    serverAssert(retval == DICT_OK);
    /* A new list is the only way a waiting BLPOP can get data: "LPUSH q a"
     * on a missing q comes here, and a push onto an existing list cannot
     * have waiters (they would have taken its elements). */
    if (val->type == OBJ_LIST) signalKeyAsReady(db, key);
}

/**
 * @brief Replace the value of an existing key, keeping its TTL.
 *
 * The old value is released only after the new one is in place.
 *
 * @param db  The database.
 * @param key The key (must exist).
 * @param val The new value; the dict takes over one reference.
 *
 * Called by: setKey, incrDecrCommand, dbUnshareStringValue.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's dbOverwrite() (db.c):
 * Redis copies the old LFU counter to the new value under an LFU policy
 * and may free the old value in a background thread (lazyfree).
 */
void dbOverwrite(redisDb *db, robj *key, robj *val) {
    dictEntry *de = dictFind(db->dict, key->ptr);
    dictEntry auxentry;

    serverAssert(de != NULL);
    /* Keep a copy of the entry so the dict's value destructor can run on
     * the OLD value after the entry already points at the new one. */
    auxentry = *de;
    dictSetVal(db->dict, de, val);
    dictFreeVal(db->dict, &auxentry);
}

/**
 * @brief The high-level SET: add or overwrite, take a reference, drop the
 *        TTL.
 *
 * "SET k v" after "SET k old EX 100" leaves k without a TTL: a plain SET
 * makes a key persistent again.
 *
 * @param db  The database.
 * @param key The key.
 * @param val The value; setKey takes its own reference, so the caller
 *            keeps (and later releases) its own.
 *
 * Called by: setGenericCommand, getsetCommand, msetCommand (t_string.c).
 */
void setKey(redisDb *db, robj *key, robj *val) {
    if (lookupKeyWrite(db, key) == NULL)
        dbAdd(db, key, val);
    else
        dbOverwrite(db, key, val);
    incrRefCount(val);
    removeExpire(db, key);
    signalModifiedKey(db, key);
}

/**
 * @brief True if @p key is in @p db, with no expiry check.
 *
 * @param db  The database.
 * @param key The key.
 * @return 1 if present, 0 otherwise.
 *
 * Called by: tests and code that already ran expireIfNeeded.
 */
int dbExists(redisDb *db, robj *key) {
    return dictFind(db->dict, key->ptr) != NULL;
}

/**
 * @brief Delete a key, its value and its TTL.
 *
 * The expires entry goes first: it shares the key sds with the dict
 * entry and has no destructor, so deleting it frees nothing; deleting
 * the dict entry afterwards frees the key sds and releases the value.
 * The other order would leave db->expires holding a freed key.
 *
 * @param db  The database.
 * @param key The key.
 * @return 1 if the key existed and was deleted, 0 otherwise.
 *
 * Called by: delCommand, expireIfNeeded, expireCommand, activeExpireCycle.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's dbDelete() (db.c):
 * dbDelete picks dbSyncDelete or dbAsyncDelete (lazyfree-lazy-server-del);
 * minired always deletes synchronously, as dbSyncDelete does.
 */
int dbDelete(redisDb *db, robj *key) {
    if (dictSize(db->expires) > 0) dictDelete(db->expires, key->ptr);
    return dictDelete(db->dict, key->ptr) == DICT_OK;
}

/**
 * @brief Make a key's string value safe to modify in place.
 *
 * A value may be shared (refcount > 1: shared.integers[5], or an object
 * also queued in a MULTI) or not RAW (EMBSTR cannot grow, INT has no
 * bytes). In those cases a private RAW copy replaces it in the keyspace.
 *
 * @param db  The database.
 * @param key The key holding @p o.
 * @param o   The key's current value.
 * @return The object to modify: @p o itself or its replacement.
 *
 * Called by: appendCommand (t_string.c).
 */
robj *dbUnshareStringValue(redisDb *db, robj *key, robj *o) {
    serverAssert(o->type == OBJ_STRING);
    if (o->refcount != 1 || o->encoding != OBJ_ENCODING_RAW) {
        robj *decoded = getDecodedObject(o);

        o = createRawStringObject(decoded->ptr, sdslen(decoded->ptr));
        decrRefCount(decoded);
        dbOverwrite(db, key, o);
    }
    return o;
}

/**
 * @brief Remove every key of one database, or of all of them.
 *
 * @param dbnum    Database index, or -1 for every database.
 * @param flags    EMPTYDB_NO_FLAGS (the only mode minired has).
 * @param callback Called now and then by dictEmpty during long frees
 *                 (NULL for none).
 * @return Number of keys removed, or -1 with errno = EINVAL for a bad
 *         @p dbnum.
 *
 * Called by: flushdbCommand, flushallCommand, tests.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's emptyDb() (db.c):
 * With EMPTYDB_ASYNC Redis swaps in fresh dicts and frees the old ones in
 * a background thread; it also empties the cluster slot index.
 */
long long emptyDb(int dbnum, int flags, void (*callback)(void *)) {
    long long removed = 0;
    int startdb, enddb, j;

    if (dbnum < -1 || dbnum >= server.dbnum) {
        errno = EINVAL;
        return -1;
    }
    if (dbnum == -1) {
        startdb = 0;
        enddb = server.dbnum - 1;
    } else {
        startdb = enddb = dbnum;
    }
    for (j = startdb; j <= enddb; j++) {
        removed += dictSize(server.db[j].dict);
        /* expires first, for the same shared-key reason as dbDelete. */
        dictEmpty(server.db[j].expires, callback);
        dictEmpty(server.db[j].dict, callback);
        server.db[j].avg_ttl = 0;
    }
    return removed;
}

/**
 * @brief Number of keys in all databases together.
 *
 * @return The sum of every db's dict size (expired but not yet deleted
 *         keys included, as in Redis).
 *
 * Called by: INFO / logging in server.c, tests.
 */
long long dbTotalServerKeyCount(void) {
    long long total = 0;
    int j;

    for (j = 0; j < server.dbnum; j++) total += dictSize(server.db[j].dict);
    return total;
}

/**
 * @brief Hook called every time a key is modified.
 *
 * @param db  The database.
 * @param key The modified key.
 *
 * Called by: setKey, delCommand, incrDecrCommand, appendCommand,
 * expireCommand.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's signalModifiedKey() (db.c):
 * Redis calls touchWatchedKey here, which flags every client that
 * WATCHes the key with CLIENT_DIRTY_CAS so its EXEC fails. WATCH is not
 * in minired, so there is nothing to signal; the calls stay where Redis
 * has them so WATCH can be added without hunting for the places.
 */
void signalModifiedKey(redisDb *db, robj *key) {
    (void)db;
    (void)key;
}

/**
 * @brief Switch client @p c to database @p id.
 *
 * @param c  The client.
 * @param id Database index.
 * @return C_OK, or C_ERR if @p id is not 0 .. databases-1.
 *
 * Called by: selectCommand; createClient (networking.c) selects db 0.
 */
int selectDb(client *c, int id) {
    if (id < 0 || id >= server.dbnum) return C_ERR;
    c->db = &server.db[id];
    return C_OK;
}

/* ------------------------------------------------------------------------
 * Keyspace commands
 * ---------------------------------------------------------------------- */

/**
 * @brief SELECT index
 *
 * "SELECT 1" -> "+OK\r\n"; "SELECT abc" -> "-ERR invalid DB index\r\n";
 * "SELECT 16" (with 16 databases) -> "-ERR DB index is out of range\r\n".
 *
 * @param c The client; c->argv[1] is the index.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's selectCommand() (db.c): the same, quirk
 * included. Redis parses a long and passes it to selectDb()'s int
 * parameter, so "SELECT 4294967296" wraps around to database 0 and
 * replies +OK (and "SELECT 4294967297" selects db 1); a client can see
 * it, so minired does the same, with the conversion written out. Redis
 * also refuses any index but 0 in cluster mode.
 */
void selectCommand(client *c) {
    long id;

    if (getLongFromObjectOrReply(c, c->argv[1], &id, "invalid DB index") != C_OK)
        return;
    /* long -> int keeps the low 32 bits (gcc's documented conversion, as
     * in 5.0.14's implicit one): 4294967296 -> 0, -4294967295 -> 1. */
    if (selectDb(c, (int)id) == C_ERR)
        addReplyError(c, "DB index is out of range");
    else
        addReply(c, shared.ok);
}

/**
 * @brief DEL key [key ...]
 *
 * "DEL a b nosuch" with a and b present -> ":2\r\n". A key whose TTL has
 * passed is expired first and so does not count as deleted.
 *
 * @param c The client; c->argv[1..] are the keys.
 *
 * Called by: call (server.c) through the command table.
 */
void delCommand(client *c) {
    int numdel = 0, j;

    for (j = 1; j < c->argc; j++) {
        expireIfNeeded(c->db, c->argv[j]);
        if (dbDelete(c->db, c->argv[j])) {
            signalModifiedKey(c->db, c->argv[j]);
            server.dirty++;
            numdel++;
        }
    }
    addReplyLongLong(c, numdel);
}

/**
 * @brief EXISTS key [key ...]
 *
 * Counts arguments, not distinct keys: "EXISTS a a a" with a present
 * replies ":3\r\n".
 *
 * @param c The client; c->argv[1..] are the keys.
 *
 * Called by: call (server.c) through the command table.
 */
void existsCommand(client *c) {
    long long count = 0;
    int j;

    for (j = 1; j < c->argc; j++)
        if (lookupKeyRead(c->db, c->argv[j])) count++;
    addReplyLongLong(c, count);
}

/* ANCHOR: db-keys-scan */
/**
 * @brief KEYS pattern
 *
 * Walks the whole db->dict (O(N), which is why production code uses
 * SCAN) and replies a multibulk of the names matching the glob pattern.
 * The count is not known before the walk, so the reply starts with a
 * placeholder that is filled in at the end:
 *
 *     "*" placeholder ... "$5\r\nhello\r\n" "$5\r\nworld\r\n"  -> "*2\r\n"
 *
 * @param c The client; c->argv[1] is the pattern.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * keysCommand() in db.c (5.0.14). Two details changed within 5.0: 5.0.0
 * deleted the expired keys it met (expireIfNeeded), 5.0.1 and later only
 * skip them (keyIsExpired); 5.0.0-5.0.7 took any pattern starting "*\0"
 * as "all keys", 5.0.8 and later only the 1-byte pattern "*".
 */
void keysCommand(client *c) {
    dictIterator *di;
    dictEntry *de;
    sds pattern = c->argv[1]->ptr;
    int plen = sdslen(pattern), allkeys;
    unsigned long numkeys = 0;
    void *replylen = addDeferredMultiBulkLength(c);

    /* Safe iterator, as Redis: nothing is deleted during the walk any
     * more (see below), but the code reads the same. */
    di = dictGetSafeIterator(c->db->dict);
    /* "KEYS *" is common enough to skip the matcher altogether. The test
     * is on the length: "$2\r\n*\x00\r\n" is the pattern '*' then a NUL
     * byte, which matches only keys that end with a NUL, not all keys
     * (pattern[1] == '\0' would have said "all": Redis 5.0.0-5.0.7 did). */
    allkeys = (pattern[0] == '*' && plen == 1);
    while ((de = dictNext(di)) != NULL) {
        sds key = dictGetKey(de);
        robj *keyobj;

        if (!allkeys && !stringmatchlen(pattern, plen, key, sdslen(key), 0))
            continue;
        /* A key past its TTL is still in the dict until someone deletes
         * it. KEYS does not list it, and does not delete it either: it
         * only reads (keyIsExpired). "SET k v PX 5", 6 ms later "KEYS *"
         * -> "*0\r\n", then "DBSIZE" -> ":1\r\n" until an access or the
         * active cycle removes k. */
        keyobj = createStringObject(key, sdslen(key));
        if (!keyIsExpired(c->db, keyobj)) {
            addReplyBulk(c, keyobj);
            numkeys++;
        }
        decrRefCount(keyobj);
    }
    dictReleaseIterator(di);
    setDeferredMultiBulkLength(c, replylen, numkeys);
}
/* ANCHOR_END: db-keys-scan */

/**
 * @brief DBSIZE
 *
 * @param c The client; replies ":<keys in its db>\r\n".
 *
 * Called by: call (server.c) through the command table.
 */
void dbsizeCommand(client *c) {
    addReplyLongLong(c, dictSize(c->db->dict));
}

/**
 * @brief Parse the optional ASYNC argument of FLUSHDB / FLUSHALL.
 *
 * "FLUSHDB", "FLUSHDB async" and "FLUSHDB ASYNC" are fine; "FLUSHDB foo"
 * and "FLUSHALL async extra" get "-ERR syntax error\r\n".
 *
 * @param c     The client.
 * @param flags Set to the emptyDb flags to use.
 * @return C_OK, or C_ERR after the syntax error reply.
 *
 * Called by: flushdbCommand, flushallCommand.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's getFlushCommandFlags() (db.c):
 * ASYNC sets EMPTYDB_ASYNC (free in a background thread). minired
 * accepts the word and flushes synchronously: the reply is the same.
 */
static int getFlushCommandFlags(client *c, int *flags) {
    if (c->argc > 1) {
        if (c->argc > 2 || strcasecmp(c->argv[1]->ptr, "async")) {
            addReply(c, shared.syntaxerr);
            return C_ERR;
        }
    }
    *flags = EMPTYDB_NO_FLAGS;
    return C_OK;
}

/**
 * @brief FLUSHDB [ASYNC]: delete every key of the selected database.
 *
 * @param c The client; replies "+OK\r\n".
 *
 * Called by: call (server.c) through the command table.
 */
void flushdbCommand(client *c) {
    int flags;

    if (getFlushCommandFlags(c, &flags) == C_ERR) return;
    server.dirty += emptyDb(c->db->id, flags, NULL);
    addReply(c, shared.ok);
}

/**
 * @brief FLUSHALL [ASYNC]: delete every key of every database.
 *
 * @param c The client; replies "+OK\r\n".
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's flushallCommand() (db.c):
 * Redis also kills a running BGSAVE child and, when save points are
 * configured, writes an empty RDB file right away.
 */
void flushallCommand(client *c) {
    int flags;

    if (getFlushCommandFlags(c, &flags) == C_ERR) return;
    server.dirty += emptyDb(-1, flags, NULL);
    addReply(c, shared.ok);
    /* Like Redis, one extra change so that a save point notices the flush
     * even when the databases were already empty. */
    server.dirty++;
}

/**
 * @brief TYPE key: "+none\r\n", "+string\r\n" or "+list\r\n".
 *
 * A status reply, not a bulk. The lookup does not touch the key's LRU
 * time (LOOKUP_NOTOUCH), as OBJECT IDLETIME would otherwise be reset by
 * merely asking for the type.
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, typeCommand() in db.c also names set, zset, hash, stream
 * and module types; minired stores only strings and lists.
 */
void typeCommand(client *c) {
    robj *o = lookupKeyReadWithFlags(c->db, c->argv[1], LOOKUP_NOTOUCH);
    char *type;

    if (o == NULL) {
        type = "none";
    } else {
        switch (o->type) {
        case OBJ_STRING: type = "string"; break;
        case OBJ_LIST: type = "list"; break;
        default: type = "unknown"; break;
        }
    }
    addReplyStatus(c, type);
}
