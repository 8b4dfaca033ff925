/**
 * @file t_string.c
 * @brief The string commands: SET (with NX/XX/EX/PX), GET, GETSET,
 *        INCR/DECR/INCRBY/DECRBY, APPEND, STRLEN, MSET, MGET.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * The last stop of a request. processCommand (server.c) looked the name
 * up in the command table and call() jumped here with c->argv filled:
 *
 *   "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nhello\r\n"
 *        -> setCommand(c), c->argc = 3, c->argv = {"SET","key","hello"}
 *
 * A command reads its arguments (robj strings from object.c), works on
 * the keyspace through db.c (lookupKeyRead/Write, setKey, dbAdd) and
 * expire.c (setExpire), and leaves exactly one reply in the client's
 * output buffer with addReply* (reply.c): "+OK\r\n", "$5\r\nhello\r\n",
 * ":11\r\n", "$-1\r\n"...
 *
 * What flows in: c->argv. What flows out: keyspace changes, server.dirty
 * (one per change), one reply.
 *
 * Values and encodings: SET, GETSET, MSET and APPEND-on-a-new-key pass
 * the value through tryObjectEncoding first, so "SET n 123" stores the
 * shared integer 123 and "SET s hello" an EMBSTR; INCR keeps numbers INT.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's t_string.c (setGenericCommand(), getCommand(), incrDecrCommand()):
 * Redis's t_string.c also has SETNX, SETEX, PSETEX, MSETNX, GETRANGE,
 * SETRANGE and INCRBYFLOAT, and fires keyspace notifications ("set",
 * "incrby", "append"...). minired keeps the commands listed above and
 * no notifications.
 */
#include "server.h"

/** SET flag: no option given. */
#define OBJ_SET_NO_FLAGS 0
/** SET flag: NX, set only if the key does not exist. */
#define OBJ_SET_NX (1 << 0)
/** SET flag: XX, set only if the key exists. */
#define OBJ_SET_XX (1 << 1)
/** SET flag: EX seconds given. */
#define OBJ_SET_EX (1 << 2)
/** SET flag: PX milliseconds given. */
#define OBJ_SET_PX (1 << 3)

/** The expire argument of SET is in seconds (EX). */
#define UNIT_SECONDS 0
/** The expire argument of SET is in milliseconds (PX). */
#define UNIT_MILLISECONDS 1

/**
 * @brief Refuse a string that would grow past 512 MB.
 *
 * @param c    The client to reply to.
 * @param size The length the string would have.
 * @return C_OK, or C_ERR after replying
 *         "-ERR string exceeds maximum allowed size (512MB)\r\n".
 *
 * Called by: appendCommand.
 */
static int checkStringLength(client *c, long long size) {
    if (size > 512 * 1024 * 1024) {
        addReplyError(c, "string exceeds maximum allowed size (512MB)");
        return C_ERR;
    }
    return C_OK;
}

/* ------------------------------------------------------------------------
 * SET
 * ---------------------------------------------------------------------- */

/**
 * @brief The body of SET once its options are parsed.
 *
 * Order matters and is visible to clients: the expire argument is checked
 * first ("SET k v EX abc NX" on an existing key is an error, not a nil),
 * then NX/XX, then the write.
 *
 * @param c           The client.
 * @param flags       OBJ_SET_* bits.
 * @param key         The key.
 * @param val         The value (already through tryObjectEncoding).
 * @param expire      The EX/PX argument, or NULL.
 * @param unit        UNIT_SECONDS or UNIT_MILLISECONDS.
 * @param ok_reply    Reply on success, NULL for "+OK\r\n".
 * @param abort_reply Reply when NX/XX is not met, NULL for "$-1\r\n".
 *
 * Called by: setCommand.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's setGenericCommand() (t_string.c):
 * Also called by SETNX, SETEX and PSETEX (not in minired), which is why
 * the replies are parameters. The error text names the command:
 * "invalid expire time in set" (SETEX would say "in setex"). 5.0 does
 * not check "EX 9223372036854775807" for overflow (6.2.0's
 * setGenericCommand() does); the product wraps (computed here in unsigned
 * arithmetic, which is well defined C).
 */
static void setGenericCommand(client *c, int flags, robj *key, robj *val,
                              robj *expire, int unit, robj *ok_reply,
                              robj *abort_reply) {
    long long milliseconds = 0;

    if (expire) {
        if (getLongLongFromObjectOrReply(c, expire, &milliseconds, NULL) != C_OK)
            return;
        if (milliseconds <= 0) {
            addReplyErrorFormat(c, "invalid expire time in %s", c->cmd->name);
            return;
        }
        if (unit == UNIT_SECONDS)
            milliseconds = (long long)((unsigned long long)milliseconds * 1000ULL);
    }

    /* NX on an existing key, or XX on a missing one: nothing is written
     * and the reply is a null bulk, "$-1\r\n". */
    if ((flags & OBJ_SET_NX && lookupKeyWrite(c->db, key) != NULL) ||
        (flags & OBJ_SET_XX && lookupKeyWrite(c->db, key) == NULL)) {
        addReply(c, abort_reply ? abort_reply : shared.nullbulk);
        return;
    }
    setKey(c->db, key, val);
    server.dirty++;
    if (expire)
        setExpire(c, c->db, key,
                  (long long)((unsigned long long)server.mstime +
                              (unsigned long long)milliseconds));
    addReply(c, ok_reply ? ok_reply : shared.ok);
}

/* ANCHOR: t-string-set-options */
/**
 * @brief SET key value [EX seconds|PX milliseconds] [NX|XX]
 *
 * Options are matched case-insensitively and in any order. Conflicts are
 * syntax errors ("-ERR syntax error\r\n"): NX with XX, EX with PX, EX or
 * PX as the last word (no value), any unknown word. The same option
 * twice is accepted: "SET k v EX 10 EX 300" keeps 300.
 *
 * @param c The client; argv[1] key, argv[2] value, argv[3..] options.
 *
 * Called by: call (server.c) through the command table.
 */
void setCommand(client *c) {
    int j;
    robj *expire = NULL;
    int unit = UNIT_SECONDS;
    int flags = OBJ_SET_NO_FLAGS;

    for (j = 3; j < c->argc; j++) {
        char *a = c->argv[j]->ptr;
        /* The word after this one, if any: the value of EX/PX. */
        robj *next = (j == c->argc - 1) ? NULL : c->argv[j + 1];

        /* Each option is exactly two letters: a[2] must be the sds's
         * terminating '\0', so "NXX" or "E" fall through to the error. */
        if ((a[0] == 'n' || a[0] == 'N') && (a[1] == 'x' || a[1] == 'X') &&
            a[2] == '\0' && !(flags & OBJ_SET_XX)) {
            flags |= OBJ_SET_NX;
        } else if ((a[0] == 'x' || a[0] == 'X') && (a[1] == 'x' || a[1] == 'X') &&
                   a[2] == '\0' && !(flags & OBJ_SET_NX)) {
            flags |= OBJ_SET_XX;
        } else if ((a[0] == 'e' || a[0] == 'E') && (a[1] == 'x' || a[1] == 'X') &&
                   a[2] == '\0' && !(flags & OBJ_SET_PX) && next) {
            flags |= OBJ_SET_EX;
            unit = UNIT_SECONDS;
            expire = next;
            j++; /* the value was consumed too */
        } else if ((a[0] == 'p' || a[0] == 'P') && (a[1] == 'x' || a[1] == 'X') &&
                   a[2] == '\0' && !(flags & OBJ_SET_EX) && next) {
            flags |= OBJ_SET_PX;
            unit = UNIT_MILLISECONDS;
            expire = next;
            j++;
        } else {
            addReply(c, shared.syntaxerr);
            return;
        }
    }

    /* Store the value in its cheapest encoding; writing the result back
     * into argv keeps argv the owner of the one reference we hold. */
    c->argv[2] = tryObjectEncoding(c->argv[2]);
    setGenericCommand(c, flags, c->argv[1], c->argv[2], expire, unit, NULL, NULL);
}
/* ANCHOR_END: t-string-set-options */

/* ------------------------------------------------------------------------
 * GET, GETSET
 * ---------------------------------------------------------------------- */

/**
 * @brief Reply with a key's value: "$5\r\nhello\r\n", or "$-1\r\n" if missing.
 *
 * @param c The client; argv[1] is the key.
 * @return C_OK if the reply was a value or nil, C_ERR after a WRONGTYPE
 *         error (GETSET then must not write).
 *
 * Called by: getCommand, getsetCommand.
 */
static int getGenericCommand(client *c) {
    robj *o;

    if ((o = lookupKeyReadOrReply(c, c->argv[1], shared.nullbulk)) == NULL)
        return C_OK;
    if (o->type != OBJ_STRING) {
        addReply(c, shared.wrongtypeerr);
        return C_ERR;
    }
    addReplyBulk(c, o);
    return C_OK;
}

/**
 * @brief GET key
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void getCommand(client *c) {
    getGenericCommand(c);
}

/**
 * @brief GETSET key value: reply the old value, store the new one.
 *
 * The new value has no TTL, whatever the old one had.
 *
 * @param c The client; argv[1] key, argv[2] new value.
 *
 * Called by: call (server.c) through the command table.
 */
void getsetCommand(client *c) {
    if (getGenericCommand(c) == C_ERR) return;
    c->argv[2] = tryObjectEncoding(c->argv[2]);
    setKey(c->db, c->argv[1], c->argv[2]);
    server.dirty++;
}

/* ------------------------------------------------------------------------
 * INCR, DECR, INCRBY, DECRBY
 * ---------------------------------------------------------------------- */

/**
 * @brief Add @p incr to the integer stored at argv[1] (0 if missing).
 *
 * "SET n 10", "INCRBY n 5" -> ":15\r\n". Errors:
 * "-ERR value is not an integer or out of range\r\n" when the value is
 * not a strict 64-bit integer ("abc", " 1", "1.5");
 * "-ERR increment or decrement would overflow\r\n" when the result would
 * leave [-9223372036854775808, 9223372036854775807] (value unchanged).
 *
 * @param c    The client; argv[1] is the key.
 * @param incr The signed amount to add.
 *
 * Called by: incrCommand, decrCommand, incrbyCommand, decrbyCommand.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's incrDecrCommand() (t_string.c):
 * Redis creates the new object with createStringObjectFromLongLongForValue,
 * which avoids shared integers under an LRU/LFU maxmemory-policy.
 */
static void incrDecrCommand(client *c, long long incr) {
    long long value, oldvalue;
    robj *o, *new;

    o = lookupKeyWrite(c->db, c->argv[1]);
    if (o != NULL && checkType(c, o, OBJ_STRING)) return;
    if (getLongLongFromObjectOrReply(c, o, &value, NULL) != C_OK) return;

    /* Test before adding, because signed overflow cannot be tested after:
     * for value + incr > LLONG_MAX, check incr > LLONG_MAX - value. */
    oldvalue = value;
    if ((incr < 0 && oldvalue < 0 && incr < (LLONG_MIN - oldvalue)) ||
        (incr > 0 && oldvalue > 0 && incr > (LLONG_MAX - oldvalue))) {
        addReplyError(c, "increment or decrement would overflow");
        return;
    }
    value += incr;

    if (o && o->refcount == 1 && o->encoding == OBJ_ENCODING_INT &&
        (value < 0 || value >= OBJ_SHARED_INTEGERS) &&
        value >= LONG_MIN && value <= LONG_MAX) {
        /* A private INT object (not shared.integers[n]) can simply have
         * its number replaced: no allocation on a hot counter. */
        new = o;
        o->ptr = (void *)((long)value);
    } else {
        new = createStringObjectFromLongLong(value);
        if (o)
            dbOverwrite(c->db, c->argv[1], new);
        else
            dbAdd(c->db, c->argv[1], new);
    }
    signalModifiedKey(c->db, c->argv[1]);
    server.dirty++;
    /* ":" + the number + "\r\n"; addReply prints an INT object itself. */
    addReply(c, shared.colon);
    addReply(c, new);
    addReply(c, shared.crlf);
}

/**
 * @brief INCR key
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void incrCommand(client *c) {
    incrDecrCommand(c, 1);
}

/**
 * @brief DECR key
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void decrCommand(client *c) {
    incrDecrCommand(c, -1);
}

/**
 * @brief INCRBY key increment
 *
 * @param c The client; argv[2] is the increment.
 *
 * Called by: call (server.c) through the command table.
 */
void incrbyCommand(client *c) {
    long long incr;

    if (getLongLongFromObjectOrReply(c, c->argv[2], &incr, NULL) != C_OK) return;
    incrDecrCommand(c, incr);
}

/**
 * @brief DECRBY key decrement
 *
 * @param c The client; argv[2] is the decrement.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's decrbyCommand() (t_string.c):
 * 5.0 negates the decrement without a check, so "DECRBY k
 * -9223372036854775808" adds -9223372036854775808 (the negation wraps to
 * itself); 7.0.0's decrbyCommand() is the first to reply "decrement would
 * overflow". minired
 * negates in unsigned arithmetic to get 5.0's result without signed
 * overflow.
 */
void decrbyCommand(client *c) {
    long long incr;

    if (getLongLongFromObjectOrReply(c, c->argv[2], &incr, NULL) != C_OK) return;
    incrDecrCommand(c, (long long)(0ULL - (unsigned long long)incr));
}

/* ------------------------------------------------------------------------
 * APPEND, STRLEN
 * ---------------------------------------------------------------------- */

/**
 * @brief APPEND key value: reply the new length.
 *
 * "APPEND k Hello" on a missing key -> ":5\r\n"; "APPEND k World" ->
 * ":10\r\n", k is "HelloWorld".
 *
 * @param c The client; argv[1] key, argv[2] the bytes to append.
 *
 * Called by: call (server.c) through the command table.
 */
void appendCommand(client *c) {
    size_t totlen;
    robj *o, *append;

    o = lookupKeyWrite(c->db, c->argv[1]);
    if (o == NULL) {
        /* A new key: APPEND behaves like SET. */
        c->argv[2] = tryObjectEncoding(c->argv[2]);
        dbAdd(c->db, c->argv[1], c->argv[2]);
        incrRefCount(c->argv[2]);
        totlen = stringObjectLen(c->argv[2]);
    } else {
        if (checkType(c, o, OBJ_STRING)) return;
        append = c->argv[2];
        totlen = stringObjectLen(o) + sdslen(append->ptr);
        if (checkStringLength(c, totlen) != C_OK) return;

        /* The stored value may be an EMBSTR, an INT or shared: get a
         * private RAW copy that sdscatlen may grow (and move). */
        o = dbUnshareStringValue(c->db, c->argv[1], o);
        o->ptr = sdscatlen(o->ptr, append->ptr, sdslen(append->ptr));
        totlen = sdslen(o->ptr);
    }
    signalModifiedKey(c->db, c->argv[1]);
    server.dirty++;
    addReplyLongLong(c, totlen);
}

/**
 * @brief STRLEN key: ":<length>\r\n", ":0\r\n" for a missing key.
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void strlenCommand(client *c) {
    robj *o;

    if ((o = lookupKeyReadOrReply(c, c->argv[1], shared.czero)) == NULL ||
        checkType(c, o, OBJ_STRING)) return;
    addReplyLongLong(c, stringObjectLen(o));
}

/* ------------------------------------------------------------------------
 * MSET, MGET
 * ---------------------------------------------------------------------- */

/**
 * @brief MSET key value [key value ...]: always "+OK\r\n".
 *
 * The command table's arity (-3) lets "MSET a 1 b" through, so the
 * pairing is checked here: argc must be odd (name + pairs).
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's msetCommand() and msetGenericCommand() (t_string.c):
 * The body is msetGenericCommand(c, nx), shared with MSETNX; the odd
 * count error there is "wrong number of arguments for MSET" (upper
 * case, unlike the generic arity error of processCommand).
 */
void msetCommand(client *c) {
    int j;

    if ((c->argc % 2) == 0) {
        addReplyError(c, "wrong number of arguments for MSET");
        return;
    }
    for (j = 1; j < c->argc; j += 2) {
        c->argv[j + 1] = tryObjectEncoding(c->argv[j + 1]);
        setKey(c->db, c->argv[j], c->argv[j + 1]);
    }
    server.dirty += (c->argc - 1) / 2;
    addReply(c, shared.ok);
}

/**
 * @brief MGET key [key ...]: one bulk per key, "$-1\r\n" for missing ones.
 *
 * "MGET a nosuch" -> "*2\r\n$1\r\n1\r\n$-1\r\n".
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void mgetCommand(client *c) {
    int j;

    addReplyMultiBulkLen(c, c->argc - 1);
    for (j = 1; j < c->argc; j++) {
        robj *o = lookupKeyRead(c->db, c->argv[j]);

        /* A key of another type is a nil too, not an error: MGET never
         * fails half-way through its array. */
        if (o == NULL || o->type != OBJ_STRING)
            addReply(c, shared.nullbulk);
        else
            addReplyBulk(c, o);
    }
}
