/**
 * @file object.c
 * @brief Redis objects (robj): creating them, choosing their encoding,
 *        counting references, and reading numbers out of them.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Every argument the parser cuts out of the query buffer becomes an robj
 * here. For "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nhello\r\n" the parser
 * calls createStringObject() three times and gets three EMBSTR objects
 * (each 64 bytes or less, one allocation each). Commands then:
 *
 *   - read numbers out of them (getLongLongFromObjectOrReply: INCRBY's
 *     increment, EXPIRE's seconds, SELECT's index);
 *   - store them as values after tryObjectEncoding() has picked the
 *     cheapest representation ("123" becomes the shared integer 123,
 *     "12345678901234567890" stays a string because it overflows a long);
 *   - share them: the keyspace, the MULTI queue and the pub/sub tables
 *     take a reference with incrRefCount() instead of copying.
 *
 * What flows in: byte strings and long longs. What flows out: robj
 * pointers with a refcount of 1 (or a shared object with refcount
 * OBJ_SHARED_REFCOUNT), and C_OK / C_ERR for the number readers.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's object.c (createObject(), decrRefCount(), tryObjectEncoding()):
 * Redis's object.c also creates lists, sets, sorted sets, hashes, streams
 * and module values, implements OBJECT and MEMORY, and keeps an LFU
 * counter in robj.lru when maxmemory-policy is an LFU policy. minired
 * stores only strings and never evicts, so only the string half is here.
 */
#include "server.h"

/* ------------------------------------------------------------------------
 * Creating objects
 * ---------------------------------------------------------------------- */

/**
 * @brief Allocate a new object of @p type that points at @p ptr.
 *
 * The object starts RAW encoded with one reference (the caller's) and
 * the current LRU clock, so OBJECT IDLETIME-style ageing starts now.
 *
 * @param type OBJ_STRING (the only type minired stores).
 * @param ptr  The value: an sds for strings. Ownership passes to the object.
 * @return The new object, refcount 1.
 *
 * Called by: createRawStringObject, createStringObjectFromLongLong,
 * dupStringObject, createSharedObjects (server.c).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's createObject() (object.c):
 * Under an LFU maxmemory-policy Redis stores an LFU counter in lru instead
 * (minired has no maxmemory).
 */
robj *createObject(int type, void *ptr) {
    robj *o = zmalloc(sizeof(*o));

    o->type = type;
    o->encoding = OBJ_ENCODING_RAW;
    o->ptr = ptr;
    o->refcount = 1;
    o->lru = LRU_CLOCK();
    return o;
}

/**
 * @brief Turn @p o into a shared object that reference counting ignores.
 *
 * A shared object has refcount OBJ_SHARED_REFCOUNT (INT_MAX):
 * incrRefCount and decrRefCount leave it alone, so it lives for the whole
 * run and may be handed to any number of keys or replies.
 *
 * @param o A freshly created object (refcount must be 1).
 * @return @p o itself.
 *
 * Called by: createSharedObjects (server.c) for shared.ok, shared.integers...
 */
robj *makeObjectShared(robj *o) {
    serverAssert(o->refcount == 1);
    o->refcount = OBJ_SHARED_REFCOUNT;
    return o;
}

/**
 * @brief Create a RAW string object: the robj and the sds are two
 *        separate allocations.
 *
 * @param ptr Bytes to copy (may contain '\0'); NULL gives @p len zero bytes.
 * @param len How many bytes.
 * @return A new OBJ_STRING object, encoding OBJ_ENCODING_RAW.
 *
 * Called by: createStringObject (strings longer than 44 bytes),
 * dupStringObject, dbUnshareStringValue (db.c, before APPEND modifies).
 */
robj *createRawStringObject(const char *ptr, size_t len) {
    return createObject(OBJ_STRING, sdsnewlen(ptr, len));
}

/* ANCHOR: object-embstr-layout */
/**
 * @brief Create an EMBSTR string object: robj, sds header and bytes in
 *        ONE allocation.
 *
 * The single block, for the 5-byte string "hello":
 *
 *     +------------------------------+-----+-----+-----+-----------+----+
 *     | robj (16 bytes)              | len |alloc|flags| h e l l o | \0 |
 *     | type|enc|lru|refcount|ptr ---+-->5 |  5  |  1  |           |    |
 *     +------------------------------+-----+-----+-----+-----------+----+
 *       o                             o+1 = struct sdshdr8 (3 bytes)
 *                                            ptr points at 'h' --^
 *
 * 16 + 3 + len + 1 bytes: with len = 44 that is exactly 64, one
 * allocator size class, which is where OBJ_ENCODING_EMBSTR_SIZE_LIMIT
 * comes from. One malloc instead of two, one free instead of two, and the
 * bytes sit in the same cache line as the header that points at them.
 * The price: the string cannot grow in place (APPEND first converts it
 * to RAW with dbUnshareStringValue).
 *
 * @param ptr Bytes to copy; SDS_NOINIT leaves them uninitialised; NULL
 *            gives @p len zero bytes.
 * @param len How many bytes; must fit the 8-bit len of an sdshdr8, and
 *            callers keep it <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT.
 * @return A new OBJ_STRING object, encoding OBJ_ENCODING_EMBSTR.
 *
 * Called by: createStringObject, tryObjectEncoding, dupStringObject.
 */
robj *createEmbeddedStringObject(const char *ptr, size_t len) {
    robj *o = zmalloc(sizeof(robj) + sizeof(struct sdshdr8) + len + 1);
    struct sdshdr8 *sh = (void *)(o + 1);

    o->type = OBJ_STRING;
    o->encoding = OBJ_ENCODING_EMBSTR;
    o->ptr = sh + 1; /* the sds starts right after its 3-byte header */
    o->refcount = 1;
    o->lru = LRU_CLOCK();

    /* alloc == len: there is no spare room, the block ends at the '\0'. */
    sh->len = len;
    sh->alloc = len;
    sh->flags = SDS_TYPE_8;
    if (ptr == SDS_NOINIT) {
        sh->buf[len] = '\0';
    } else if (ptr) {
        memcpy(sh->buf, ptr, len);
        sh->buf[len] = '\0';
    } else {
        memset(sh->buf, 0, len + 1);
    }
    return o;
}
/* ANCHOR_END: object-embstr-layout */

/**
 * @brief Create a string object, EMBSTR when it is short, RAW otherwise.
 *
 * "hello" (5 bytes) and a 44-byte string become EMBSTR; a 45-byte string
 * becomes RAW, because 16 + 3 + 45 + 1 = 65 would spill past 64 bytes.
 *
 * @param ptr Bytes to copy (binary safe).
 * @param len How many bytes.
 * @return A new string object with refcount 1.
 *
 * Called by: processMultibulkBuffer (networking.c) for an argument it
 * copies (processInlineBuffer wraps its sds pieces with createObject()
 * instead), keysCommand (db.c), getDecodedObject, and anyone else that
 * needs an robj from bytes.
 */
robj *createStringObject(const char *ptr, size_t len) {
    if (len <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT)
        return createEmbeddedStringObject(ptr, len);
    else
        return createRawStringObject(ptr, len);
}

/**
 * @brief Create a string object holding the number @p value.
 *
 * 0..9999 return the shared object shared.integers[value] with one more
 * reference (it is never really counted); other values get a fresh
 * OBJ_ENCODING_INT object whose ptr field holds the number itself.
 *
 * @param value The number.
 * @return An INT encoded object (possibly shared).
 *
 * Called by: incrDecrCommand (t_string.c), tryObjectEncoding.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's createStringObjectFromLongLong() (object.c):
 * Redis goes through createStringObjectFromLongLongWithOptions, which
 * refuses shared integers when maxmemory is set with an LRU/LFU policy
 * (each key then needs its own lru field), and INCR uses the
 * ...ForValue variant for that reason. minired has no maxmemory, so
 * sharing is always allowed and one function is enough.
 */
robj *createStringObjectFromLongLong(long long value) {
    robj *o;

    if (value >= 0 && value < OBJ_SHARED_INTEGERS) {
        incrRefCount(shared.integers[value]);
        o = shared.integers[value];
    } else if (value >= LONG_MIN && value <= LONG_MAX) {
        /* The number fits the pointer-sized ptr field: no sds at all. */
        o = createObject(OBJ_STRING, NULL);
        o->encoding = OBJ_ENCODING_INT;
        o->ptr = (void *)((long)value);
    } else {
        /* Only on platforms where long is 32 bits. */
        o = createObject(OBJ_STRING, sdsfromlonglong(value));
    }
    return o;
}

/**
 * @brief Copy a string object, keeping its encoding.
 *
 * Even a shared integer is copied into a private INT object, so the
 * result can always be modified: its refcount is 1.
 *
 * @param o The string object to copy.
 * @return A new, unshared object with the same value and encoding.
 *
 * Called by: code that must modify a value it does not own alone.
 */
robj *dupStringObject(const robj *o) {
    robj *d;

    serverAssert(o->type == OBJ_STRING);
    switch (o->encoding) {
    case OBJ_ENCODING_RAW:
        return createRawStringObject(o->ptr, sdslen(o->ptr));
    case OBJ_ENCODING_EMBSTR:
        return createEmbeddedStringObject(o->ptr, sdslen(o->ptr));
    case OBJ_ENCODING_INT:
        d = createObject(OBJ_STRING, NULL);
        d->encoding = OBJ_ENCODING_INT;
        d->ptr = o->ptr;
        return d;
    default:
        serverPanic("Wrong encoding.");
    }
}

/* ------------------------------------------------------------------------
 * Reference counting
 * ---------------------------------------------------------------------- */

/**
 * @brief Free what a string object owns besides itself.
 *
 * Only RAW strings own a separate sds; an EMBSTR's bytes live inside the
 * robj block and an INT keeps the number in ptr.
 *
 * @param o The string object about to be freed.
 *
 * Called by: decrRefCount when the last reference goes.
 */
static void freeStringObject(robj *o) {
    if (o->encoding == OBJ_ENCODING_RAW) sdsfree(o->ptr);
}

/**
 * @brief Take one more reference to @p o.
 *
 * @param o The object; shared objects (OBJ_SHARED_REFCOUNT) are untouched.
 *
 * Called by: setKey/dbAdd callers (db.c, t_string.c), queueMultiCommand
 * (multi.c), the pub/sub tables (pubsub.c), createStringObjectFromLongLong.
 */
void incrRefCount(robj *o) {
    if (o->refcount != OBJ_SHARED_REFCOUNT) o->refcount++;
}

/**
 * @brief Drop one reference to @p o, freeing it when it was the last.
 *
 * A refcount of 0 or below means somebody released an object twice:
 * the server stops with "decrRefCount against refcount <= 0" rather
 * than corrupt the heap.
 *
 * @param o The object.
 *
 * Called by: freeClientArgv (networking.c) after every command, the
 * keyspace dict's value destructor (dbDelete, dbOverwrite, emptyDb),
 * freeClientMultiState, the pub/sub tables, and tryObjectEncoding.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's decrRefCount() (object.c):
 * Redis dispatches on the type to free lists, sets, hashes, sorted sets,
 * streams and module values too; minired has strings and lists.
 */
void decrRefCount(robj *o) {
    if (o->refcount == 1) {
        switch (o->type) {
        case OBJ_STRING: freeStringObject(o); break;
        case OBJ_LIST: freeListObject(o); break; /* t_list.c */
        default: serverPanic("Unknown object type"); break;
        }
        zfree(o);
    } else {
        if (o->refcount <= 0) serverPanic("decrRefCount against refcount <= 0");
        if (o->refcount != OBJ_SHARED_REFCOUNT) o->refcount--;
    }
}

/**
 * @brief decrRefCount with a void * argument, for use as a free callback.
 *
 * @param o The object, as void *.
 *
 * Called by: dict and list types whose values are robj (dbDictType's
 * value destructor in server.c).
 */
void decrRefCountVoid(void *o) {
    decrRefCount(o);
}

/* ------------------------------------------------------------------------
 * Encodings
 * ---------------------------------------------------------------------- */

/* ANCHOR: object-try-encoding */
/**
 * @brief Re-encode a string value in the cheapest form before it is stored.
 *
 * The rules, in order:
 *   1. Only RAW and EMBSTR strings are candidates (INT is already minimal).
 *   2. An object with more than one reference is left alone: some other
 *      owner (a MULTI queue, a pub/sub table) holds the same pointer.
 *   3. Up to 20 bytes that parse as a long ("123", "-5",
 *      "9223372036854775807"): 0..9999 become the shared integer (this
 *      object is released), others become OBJ_ENCODING_INT.
 *      "12345678901234567890" (20 bytes) overflows, "007" and " 1" are not
 *      canonical: those stay strings.
 *   4. Up to 44 bytes: EMBSTR (a RAW one is copied into a new EMBSTR).
 *   5. Longer: stays RAW, but if more than 10% of the sds is unused
 *      spare room (a 1000-byte value in a 1200-byte buffer), the spare
 *      room is given back.
 *
 * @param o The string object (the caller owns its reference).
 * @return The object to use instead of @p o: @p o itself or a replacement.
 *         When a replacement is returned, @p o has been released.
 *
 * Called by: setCommand, getsetCommand, msetCommand, appendCommand
 * (t_string.c), always as `c->argv[i] = tryObjectEncoding(c->argv[i])`.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's tryObjectEncoding() (object.c):
 * Redis skips the shared integers when maxmemory is set with an
 * LRU/LFU policy; minired has no maxmemory, so rule 3 always shares.
 */
robj *tryObjectEncoding(robj *o) {
    long value;
    sds s = o->ptr;
    size_t len;

    serverAssert(o->type == OBJ_STRING);

    /* Rule 1: an INT object has nothing left to gain. */
    if (!sdsEncodedObject(o)) return o;

    /* Rule 2: a second owner may not expect the pointer to change. The
     * parser's argument objects have refcount 1, so SET's value passes. */
    if (o->refcount > 1) return o;

    /* Rule 3: a long has at most 20 characters ("-9223372036854775808"),
     * so longer strings are not even tried. string2l is strict: it
     * refuses "+1", "01", " 1", "1 " and "", so the value prints back to
     * exactly the same bytes (GET must return what SET stored). */
    len = sdslen(s);
    if (len <= 20 && string2l(s, len, &value)) {
        if (value >= 0 && value < OBJ_SHARED_INTEGERS) {
            decrRefCount(o);
            incrRefCount(shared.integers[value]);
            return shared.integers[value];
        } else if (o->encoding == OBJ_ENCODING_RAW) {
            /* Reuse the robj, drop the sds: ptr now IS the number. */
            sdsfree(o->ptr);
            o->encoding = OBJ_ENCODING_INT;
            o->ptr = (void *)value;
            return o;
        } else {
            /* An EMBSTR's bytes are part of its own block: a new object
             * is needed. */
            decrRefCount(o);
            return createStringObjectFromLongLong(value);
        }
    }

    /* Rule 4: short strings go in one allocation. */
    if (len <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT) {
        robj *emb;

        if (o->encoding == OBJ_ENCODING_EMBSTR) return o;
        emb = createEmbeddedStringObject(s, len);
        decrRefCount(o);
        return emb;
    }

    /* Rule 5: a long RAW string keeps its encoding, but spare room left
     * by the reader (a big bulk read into a bigger buffer) is trimmed. */
    if (o->encoding == OBJ_ENCODING_RAW && sdsavail(s) > len / 10)
        o->ptr = sdsRemoveFreeSpace(o->ptr);
    return o;
}
/* ANCHOR_END: object-try-encoding */

/**
 * @brief Get a version of @p o whose ptr is an sds.
 *
 * RAW and EMBSTR objects are returned as they are with one more reference;
 * an INT object is printed into a new string object ("123").
 *
 * @param o A string object.
 * @return An sds-encoded object the caller must decrRefCount.
 *
 * Called by: dbUnshareStringValue (db.c), anyone who needs the bytes.
 */
robj *getDecodedObject(robj *o) {
    char buf[LONG_STR_SIZE];
    int len;

    if (sdsEncodedObject(o)) {
        incrRefCount(o);
        return o;
    }
    if (o->type == OBJ_STRING && o->encoding == OBJ_ENCODING_INT) {
        len = ll2string(buf, sizeof(buf), (long)o->ptr);
        return createStringObject(buf, len);
    }
    serverPanic("Unknown encoding type");
}

/**
 * @brief Name of an encoding, as OBJECT ENCODING would print it.
 *
 * @param encoding An OBJ_ENCODING_* value.
 * @return "raw", "int", "embstr", or "unknown".
 *
 * Called by: debugging and logging code (DEBUG OBJECT in debug.c).
 */
char *strEncoding(int encoding) {
    switch (encoding) {
    case OBJ_ENCODING_RAW: return "raw";
    case OBJ_ENCODING_INT: return "int";
    case OBJ_ENCODING_EMBSTR: return "embstr";
    case OBJ_ENCODING_LINKEDLIST: return "linkedlist";
    case OBJ_ENCODING_QUICKLIST: return "quicklist";
    default: return "unknown";
    }
}

/* ------------------------------------------------------------------------
 * Comparing and measuring strings
 * ---------------------------------------------------------------------- */

/**
 * @brief Find the bytes of a string object, printing an INT object into
 *        the caller's scratch buffer @p tmp.
 *
 * @param o    A string object.
 * @param tmp  Scratch space of at least LONG_STR_SIZE bytes.
 * @param len  Set to the number of bytes.
 * @return A pointer to the bytes (o->ptr or @p tmp).
 *
 * Called by: compareStringObjects.
 */
static const char *stringObjectBytes(robj *o, char *tmp, size_t *len) {
    if (sdsEncodedObject(o)) {
        *len = sdslen(o->ptr);
        return o->ptr;
    }
    *len = ll2string(tmp, LONG_STR_SIZE, (long)o->ptr);
    return tmp;
}

/**
 * @brief Compare two string objects byte by byte (binary safe).
 *
 * INT objects are compared as their decimal text, so the INT 10 and the
 * string "10" are equal and "10" sorts before "9".
 *
 * @param a First string object.
 * @param b Second string object.
 * @return < 0, 0 or > 0 as with memcmp; when one is a prefix of the
 *         other, the shorter one is smaller.
 *
 * Called by: equalStringObjects.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's compareStringObjects() (object.c):
 * Redis implements this as compareStringObjectsWithFlags with a
 * REDIS_COMPARE_BINARY / _COLL choice (strcoll for SORT ... ALPHA);
 * minired has no SORT and only the binary comparison.
 */
int compareStringObjects(robj *a, robj *b) {
    char bufa[LONG_STR_SIZE], bufb[LONG_STR_SIZE];
    const char *astr, *bstr;
    size_t alen, blen;
    int cmp;

    serverAssert(a->type == OBJ_STRING && b->type == OBJ_STRING);
    if (a == b) return 0;
    astr = stringObjectBytes(a, bufa, &alen);
    bstr = stringObjectBytes(b, bufb, &blen);
    cmp = memcmp(astr, bstr, alen < blen ? alen : blen);
    if (cmp != 0) return cmp;
    if (alen == blen) return 0;
    return alen < blen ? -1 : 1;
}

/**
 * @brief True when two string objects hold the same bytes.
 *
 * @param a First string object.
 * @param b Second string object.
 * @return 1 if equal, 0 otherwise.
 *
 * Called by: the robj dict types' key comparison (server.c), tests.
 */
int equalStringObjects(robj *a, robj *b) {
    /* Two INT objects: compare the numbers, no printing needed. */
    if (a->encoding == OBJ_ENCODING_INT && b->encoding == OBJ_ENCODING_INT)
        return a->ptr == b->ptr;
    return compareStringObjects(a, b) == 0;
}

/**
 * @brief Length in bytes of a string object's value.
 *
 * @param o A string object.
 * @return sdslen for RAW/EMBSTR; the number of decimal characters for INT
 *         (-123 has 4).
 *
 * Called by: strlenCommand and appendCommand (t_string.c).
 */
size_t stringObjectLen(robj *o) {
    serverAssert(o->type == OBJ_STRING);
    if (sdsEncodedObject(o)) return sdslen(o->ptr);
    return sdigits10((long)o->ptr);
}

/* ------------------------------------------------------------------------
 * Reading numbers out of objects
 * ---------------------------------------------------------------------- */

/**
 * @brief Parse a string object as a long long.
 *
 * Strict: "123" and "-9223372036854775808" parse; "+1", "01", " 1",
 * "1.5", "" and "9223372036854775808" do not. A NULL object reads as 0,
 * which is how INCR treats a missing key.
 *
 * @param o      A string object, or NULL.
 * @param target Where to store the value (may be NULL to only test).
 * @return C_OK, or C_ERR if the bytes are not a long long.
 *
 * Called by: getLongLongFromObjectOrReply, incrDecrCommand through it.
 */
int getLongLongFromObject(robj *o, long long *target) {
    long long value;

    if (o == NULL) {
        value = 0;
    } else {
        serverAssert(o->type == OBJ_STRING);
        if (sdsEncodedObject(o)) {
            if (string2ll(o->ptr, sdslen(o->ptr), &value) == 0) return C_ERR;
        } else if (o->encoding == OBJ_ENCODING_INT) {
            value = (long)o->ptr;
        } else {
            serverPanic("Unknown string encoding");
        }
    }
    if (target) *target = value;
    return C_OK;
}

/**
 * @brief Parse a long long, replying with an error to @p c when it fails.
 *
 * @param c      The client to reply to.
 * @param o      A string object, or NULL (reads as 0).
 * @param target Where to store the value on success.
 * @param msg    Error text, or NULL for "value is not an integer or out
 *               of range" ("-ERR value is not an integer or out of range\r\n").
 * @return C_OK, or C_ERR after the error reply was added.
 *
 * Called by: incrDecrCommand, incrbyCommand, decrbyCommand,
 * setGenericCommand (t_string.c), expireCommand (expire.c).
 */
int getLongLongFromObjectOrReply(client *c, robj *o, long long *target, const char *msg) {
    long long value;

    if (getLongLongFromObject(o, &value) != C_OK) {
        if (msg != NULL)
            addReplyError(c, msg);
        else
            addReplyError(c, "value is not an integer or out of range");
        return C_ERR;
    }
    *target = value;
    return C_OK;
}

/**
 * @brief Parse a long long that must lie in [@p min, @p max], replying with
 *        an error when it does not parse or does not fit.
 *
 * The shared body of getLongFromObjectOrReply and getIntFromObjectOrReply:
 * "4294967296" parses as a long long but is outside an int's range.
 *
 * @param c      The client to reply to.
 * @param o      A string object.
 * @param min    Smallest accepted value.
 * @param max    Largest accepted value.
 * @param target Where to store the value on success.
 * @param msg    Error text for both failures, or NULL for the defaults
 *               ("value is not an integer or out of range", then
 *               "value is out of range").
 * @return C_OK, or C_ERR after the error reply was added.
 *
 * Called by: getLongFromObjectOrReply(), getIntFromObjectOrReply().
 */
static int getRangedLongLongFromObjectOrReply(client *c, robj *o, long long min,
                                              long long max, long long *target,
                                              const char *msg) {
    long long value;

    if (getLongLongFromObjectOrReply(c, o, &value, msg) != C_OK) return C_ERR;
    if (value < min || value > max) {
        addReplyError(c, msg != NULL ? msg : "value is out of range");
        return C_ERR;
    }
    *target = value;
    return C_OK;
}

/**
 * @brief Parse a long, replying with an error when it fails or does not fit.
 *
 * @param c      The client to reply to.
 * @param o      A string object.
 * @param target Where to store the value on success.
 * @param msg    Error text for both failures, or NULL for the defaults
 *               ("value is not an integer or out of range", then
 *               "value is out of range").
 * @return C_OK, or C_ERR after the error reply was added.
 *
 * Called by: commands taking a long argument.
 */
int getLongFromObjectOrReply(client *c, robj *o, long *target, const char *msg) {
    long long value;

    /* The range check only bites where long is 32 bits: on LP64 every long
     * long fits. */
    if (getRangedLongLongFromObjectOrReply(c, o, LONG_MIN, LONG_MAX, &value, msg) != C_OK)
        return C_ERR;
    *target = (long)value;
    return C_OK;
}

/**
 * @brief Parse an int, replying with an error when it fails or does not fit.
 *
 * "4294967296" is a valid long long but not an int: with a @p msg that
 * text is the error, without one "value is out of range".
 *
 * @param c      The client to reply to.
 * @param o      A string object.
 * @param target Where to store the value on success.
 * @param msg    Error text for both failures, or NULL for the defaults.
 * @return C_OK, or C_ERR after the error reply was added.
 *
 * Called by: selectCommand (db.c).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's object.c (getLongLongFromObjectOrReply(), getLongFromObjectOrReply()):
 * 5.0's object.c only has the long long and long readers; an int reader
 * with this contract first appears in 6.2.0's object.c. minired uses it so an
 * index that does not fit an int is refused instead of truncated.
 */
int getIntFromObjectOrReply(client *c, robj *o, int *target, const char *msg) {
    long long value;

    if (getRangedLongLongFromObjectOrReply(c, o, INT_MIN, INT_MAX, &value, msg) != C_OK)
        return C_ERR;
    *target = (int)value;
    return C_OK;
}

/**
 * @brief Reply WRONGTYPE when @p o is not of the expected @p type.
 *
 * @param c    The client to reply to.
 * @param o    The value found in the keyspace.
 * @param type The type the command works on (OBJ_STRING).
 * @return 1 after replying shared.wrongtypeerr ("-WRONGTYPE Operation
 *         against a key holding the wrong kind of value\r\n"), else 0.
 *
 * Called by: incrDecrCommand, appendCommand, strlenCommand (t_string.c).
 * In minired every value is a string, so this never fires; it stays so
 * the commands read like Redis's.
 */
int checkType(client *c, robj *o, int type) {
    if (o->type != type) {
        addReply(c, shared.wrongtypeerr);
        return 1;
    }
    return 0;
}
