/**
 * @file test_db.c
 * @brief Check unit tests for src/db.c and src/expire.c (and a few string,
 *        transaction and pub/sub commands driven through a fake client).
 *
 * Where it sits: the keyspace is the last stop of the pipeline. These
 * tests call the C API directly (setKey, lookupKeyRead, dbDelete,
 * setExpire, expireIfNeeded, emptyDb, activeExpireCycle) and check the
 * ownership rules: the dict owns a copy of the key and one reference to
 * the value, a TTL lives in db->expires under the same key sds.
 *
 * Time: expire.c reads server.mstime, the cached clock, never the system
 * clock. The tests set server.mstime themselves, so a 500 ms TTL is over
 * the moment the test moves the clock 501 ms forward, without sleeping.
 *
 * The command tests at the end create a CLIENT_FAKE_IO client, hand it
 * raw RESP through server.fake_io.read, run readQueryFromClient and
 * handleClientsWithPendingWrites, and compare the exact reply bytes
 * collected by server.fake_io.write. call() (server.c) refreshes
 * server.mstime from the system clock before every command, so those
 * tests cannot freeze time; they move a key's expire time instead.
 */
#include <check.h>

#include "server.h"

/* ------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------- */

/**
 * @brief Make a string object from a C string.
 * @param s The bytes (NUL terminated).
 * @return A new object (refcount 1).
 */
static robj *str(const char *s) {
    return createStringObject(s, strlen(s));
}

/** Bytes the fake read hook hands out next. */
static const char *fake_in;
/** How many bytes of fake_in are left. */
static size_t fake_inlen;
/** Most fake clients alive at once in one test. */
#define FAKE_CLIENTS 4
/** Client ids owning the output buffers below (0 = free slot). */
static uint64_t fake_ids[FAKE_CLIENTS];
/** What the server wrote to each fake client, not yet collected. */
static sds fake_out[FAKE_CLIENTS];

/**
 * @brief The output buffer of client @p c, claiming a slot if needed.
 * @param c The client.
 * @return Its slot index.
 */
static int fakeSlot(client *c) {
    int j;

    for (j = 0; j < FAKE_CLIENTS; j++)
        if (fake_ids[j] == c->id) return j;
    for (j = 0; j < FAKE_CLIENTS; j++) {
        if (fake_ids[j] == 0) {
            fake_ids[j] = c->id;
            if (fake_out[j] == NULL) fake_out[j] = sdsempty();
            sdsclear(fake_out[j]);
            return j;
        }
    }
    ck_abort_msg("too many fake clients");
    return 0;
}

/**
 * @brief server.fake_io.read: give the client the pending test bytes.
 * @param c   The client reading.
 * @param buf Destination.
 * @param len Room in @p buf.
 * @return Bytes copied, or -1 with EAGAIN when nothing is pending.
 */
static ssize_t fakeRead(client *c, void *buf, size_t len) {
    size_t n = fake_inlen < len ? fake_inlen : len;

    if (n == 0) {
        errno = EAGAIN;
        return -1;
    }
    memcpy(buf, fake_in, n);
    fake_in += n;
    fake_inlen -= n;
    return n;
}

/**
 * @brief server.fake_io.write: keep every byte of the reply, per client.
 * @param c   The client written to.
 * @param buf The bytes.
 * @param len How many.
 * @return @p len (all accepted).
 */
static ssize_t fakeWrite(client *c, const void *buf, size_t len) {
    int j = fakeSlot(c);

    fake_out[j] = sdscatlen(fake_out[j], buf, len);
    return len;
}

/**
 * @brief A new socket-less client whose I/O goes through the hooks above.
 * @return The client.
 */
static client *fakeClient(void) {
    client *c = createClient(-1);

    c->flags |= CLIENT_FAKE_IO;
    server.fake_io.read = fakeRead;
    server.fake_io.write = fakeWrite;
    fakeSlot(c);
    return c;
}

/**
 * @brief Free a fake client and its output slot.
 * @param c The client.
 */
static void fakeFree(client *c) {
    fake_ids[fakeSlot(c)] = 0;
    freeClient(c);
}

/**
 * @brief Take (and forget) what the server wrote to @p c so far.
 * @param c The client.
 * @return The bytes, as a static sds valid until the next call.
 */
static sds collected(client *c) {
    static sds copy = NULL;
    int j = fakeSlot(c);

    if (copy == NULL) copy = sdsempty();
    sdsclear(copy);
    copy = sdscatsds(copy, fake_out[j]);
    sdsclear(fake_out[j]);
    return copy;
}

/**
 * @brief Send raw RESP/inline bytes as client @p c and return its reply.
 * @param c     The client.
 * @param bytes What the client "sends".
 * @return The bytes written back to @p c (valid until the next call).
 */
static sds sendBytes(client *c, const char *bytes) {
    fake_in = bytes;
    fake_inlen = strlen(bytes);
    while (fake_inlen > 0)
        readQueryFromClient(server.el, c->fd, c, AE_READABLE);
    handleClientsWithPendingWrites();
    return collected(c);
}

/** Assert that sending @p in to @p c replies exactly @p out. */
#define ck_reply(c, in, out) ck_assert_str_eq(sendBytes((c), (in)), (out))

/* ------------------------------------------------------------------------
 * Keyspace API
 * ---------------------------------------------------------------------- */

/** setKey stores a copy of the key and one more reference to the value;
 *  lookupKeyRead counts hits and misses; dbDelete releases both. */
START_TEST(test_setkey_lookup_delete) {
    redisDb *db = &server.db[0];
    robj *key = str("greeting"), *val = str("hello");
    long long hits = server.stat_keyspace_hits;
    long long misses = server.stat_keyspace_misses;
    dictEntry *de;

    emptyDb(-1, EMPTYDB_NO_FLAGS, NULL);
    setKey(db, key, val);
    ck_assert_int_eq(val->refcount, 2);
    de = dictFind(db->dict, key->ptr);
    ck_assert_ptr_nonnull(de);
    ck_assert_ptr_ne(dictGetKey(de), key->ptr); /* a copy of the bytes */
    ck_assert_ptr_eq(lookupKeyRead(db, key), val);
    ck_assert_int_eq(server.stat_keyspace_hits, hits + 1);
    ck_assert(dbExists(db, key));

    ck_assert_int_eq(dbDelete(db, key), 1);
    ck_assert_int_eq(val->refcount, 1);
    ck_assert_ptr_null(lookupKeyRead(db, key));
    ck_assert_int_eq(server.stat_keyspace_misses, misses + 1);
    ck_assert_int_eq(dbDelete(db, key), 0);
    decrRefCount(key);
    decrRefCount(val);
}
END_TEST

/** Overwriting releases the old value; SET makes a key persistent. */
START_TEST(test_setkey_overwrite_clears_ttl) {
    redisDb *db = &server.db[1];
    robj *key = str("k"), *v1 = str("one"), *v2 = str("two");

    emptyDb(-1, EMPTYDB_NO_FLAGS, NULL);
    server.mstime = 1000000;
    setKey(db, key, v1);
    setExpire(NULL, db, key, 2000000);
    ck_assert_int_eq(getExpire(db, key), 2000000);
    setKey(db, key, v2);
    ck_assert_int_eq(v1->refcount, 1); /* the dict let go of it */
    ck_assert_int_eq(v2->refcount, 2);
    ck_assert_int_eq(getExpire(db, key), -1);
    ck_assert_int_eq(dictSize(db->expires), 0);
    ck_assert_ptr_eq(lookupKeyWrite(db, key), v2);
    decrRefCount(key);
    decrRefCount(v1);
    decrRefCount(v2);
}
END_TEST

/** A TTL is alive at its exact millisecond and gone one later, deleted by
 *  expireIfNeeded (counted in stat_expiredkeys) or by lookupKeyRead. */
START_TEST(test_expire_lazy) {
    redisDb *db = &server.db[0];
    robj *key = str("ttlkey"), *val = str("v");
    long long expired = server.stat_expiredkeys;

    emptyDb(-1, EMPTYDB_NO_FLAGS, NULL);
    server.mstime = 5000000;
    setKey(db, key, val);
    ck_assert_int_eq(getExpire(db, key), -1);
    setExpire(NULL, db, key, server.mstime + 500);
    ck_assert_int_eq(getExpire(db, key), 5000500);

    server.mstime = 5000500;
    ck_assert_int_eq(expireIfNeeded(db, key), 0);
    ck_assert(dbExists(db, key));

    server.mstime = 5000501;
    ck_assert_int_eq(expireIfNeeded(db, key), 1);
    ck_assert(!dbExists(db, key));
    ck_assert_int_eq(dictSize(db->expires), 0);
    ck_assert_int_eq(server.stat_expiredkeys, expired + 1);
    ck_assert_int_eq(getExpire(db, key), -1);

    /* The same through a read: the reader only ever sees a miss. */
    setKey(db, key, val);
    setExpire(NULL, db, key, server.mstime + 10);
    ck_assert_ptr_eq(lookupKeyRead(db, key), val);
    server.mstime += 11;
    ck_assert_ptr_null(lookupKeyRead(db, key));
    ck_assert(!dbExists(db, key));
    ck_assert_int_eq(val->refcount, 1);
    decrRefCount(key);
    decrRefCount(val);
}
END_TEST

/** removeExpire reports whether there was a TTL. */
START_TEST(test_remove_expire) {
    redisDb *db = &server.db[0];
    robj *key = str("p"), *val = str("v");

    emptyDb(-1, EMPTYDB_NO_FLAGS, NULL);
    setKey(db, key, val);
    ck_assert_int_eq(removeExpire(db, key), 0);
    setExpire(NULL, db, key, 123456789);
    ck_assert_int_eq(removeExpire(db, key), 1);
    ck_assert_int_eq(getExpire(db, key), -1);
    decrRefCount(key);
    decrRefCount(val);
}
END_TEST

/** emptyDb returns how many keys it removed: one db, then all of them. */
START_TEST(test_empty_db_counts) {
    const char *names[] = {"a", "b", "c", "d", "e"};
    robj *val = str("v");
    int j;

    emptyDb(-1, EMPTYDB_NO_FLAGS, NULL);
    for (j = 0; j < 5; j++) {
        robj *key = str(names[j]);
        redisDb *db = &server.db[j < 3 ? 0 : 1];

        setKey(db, key, val);
        if (j >= 3) setExpire(NULL, db, key, 99999999999LL);
        decrRefCount(key);
    }
    ck_assert_int_eq(dbTotalServerKeyCount(), 5);
    ck_assert_int_eq(emptyDb(0, EMPTYDB_NO_FLAGS, NULL), 3);
    ck_assert_int_eq(dbTotalServerKeyCount(), 2);
    ck_assert_int_eq(dictSize(server.db[1].expires), 2);
    ck_assert_int_eq(emptyDb(-1, EMPTYDB_NO_FLAGS, NULL), 2);
    ck_assert_int_eq(dictSize(server.db[1].expires), 0);
    ck_assert_int_eq(dbTotalServerKeyCount(), 0);
    ck_assert_int_eq(emptyDb(-1, EMPTYDB_NO_FLAGS, NULL), 0);
    errno = 0;
    ck_assert_int_eq(emptyDb(server.dbnum, EMPTYDB_NO_FLAGS, NULL), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(val->refcount, 1);
    decrRefCount(val);
}
END_TEST

/** activeExpireCycle deletes every dead key of a db full of them and
 *  leaves the living ones. */
START_TEST(test_active_expire) {
    redisDb *db = &server.db[2];
    robj *val = str("v");
    char name[32];
    int j;

    emptyDb(-1, EMPTYDB_NO_FLAGS, NULL);
    server.mstime = 7000000;
    for (j = 0; j < 100; j++) {
        robj *key;

        snprintf(name, sizeof(name), "dead:%d", j);
        key = str(name);
        setKey(db, key, val);
        setExpire(NULL, db, key, server.mstime + 10);
        decrRefCount(key);
    }
    for (j = 0; j < 3; j++) {
        robj *key;

        snprintf(name, sizeof(name), "alive:%d", j);
        key = str(name);
        setKey(db, key, val);
        setExpire(NULL, db, key, server.mstime + 100000);
        decrRefCount(key);
    }
    server.mstime += 11;
    /* One cycle keeps sampling while more than 5 of 20 samples are dead,
     * so most of the 100 go at once; the last few may stay until later
     * cycles happen to sample them (as in Redis). */
    activeExpireCycle(ACTIVE_EXPIRE_CYCLE_SLOW);
    ck_assert_int_lt(dictSize(db->dict), 3 + 30);
    for (j = 0; j < 200 && dictSize(db->dict) > 3; j++)
        activeExpireCycle(ACTIVE_EXPIRE_CYCLE_SLOW);
    ck_assert_int_eq(dictSize(db->dict), 3);
    ck_assert_int_eq(dictSize(db->expires), 3);
    ck_assert(db->avg_ttl > 0);
    /* A fast cycle never touches living keys. */
    activeExpireCycle(ACTIVE_EXPIRE_CYCLE_FAST);
    ck_assert_int_eq(dictSize(db->dict), 3);
    emptyDb(-1, EMPTYDB_NO_FLAGS, NULL);
    ck_assert_int_eq(val->refcount, 1);
    decrRefCount(val);
}
END_TEST

/** dbUnshareStringValue: a shared integer value becomes a private RAW. */
START_TEST(test_unshare) {
    redisDb *db = &server.db[0];
    robj *key = str("n"), *o;

    emptyDb(-1, EMPTYDB_NO_FLAGS, NULL);
    setKey(db, key, shared.integers[42]);
    o = dbUnshareStringValue(db, key, lookupKeyWrite(db, key));
    ck_assert_ptr_ne(o, shared.integers[42]);
    ck_assert_int_eq(o->encoding, OBJ_ENCODING_RAW);
    ck_assert_int_eq(o->refcount, 1);
    ck_assert_str_eq(o->ptr, "42");
    ck_assert_ptr_eq(lookupKeyRead(db, key), o);
    ck_assert_ptr_eq(dbUnshareStringValue(db, key, o), o);
    decrRefCount(key);
}
END_TEST

/* ------------------------------------------------------------------------
 * Commands through a fake client
 * ---------------------------------------------------------------------- */

/** Keyspace commands: exact reply bytes. */
START_TEST(test_cmd_keyspace) {
    client *c = fakeClient();

    ck_reply(c, "FLUSHALL\r\n", "+OK\r\n");
    ck_reply(c, "SET a 1\r\nSET b 2\r\n", "+OK\r\n+OK\r\n");
    ck_reply(c, "EXISTS a a nosuch b\r\n", ":3\r\n");
    ck_reply(c, "DBSIZE\r\n", ":2\r\n");
    ck_reply(c, "KEYS a\r\n", "*1\r\n$1\r\na\r\n");
    ck_reply(c, "KEYS z*\r\n", "*0\r\n");
    ck_reply(c, "DEL a nosuch\r\n", ":1\r\n");
    ck_reply(c, "SELECT abc\r\n", "-ERR invalid DB index\r\n");
    ck_reply(c, "SELECT 16\r\n", "-ERR DB index is out of range\r\n");
    ck_reply(c, "SELECT 1\r\nDBSIZE\r\n", "+OK\r\n:0\r\n");
    ck_reply(c, "FLUSHDB foo\r\n", "-ERR syntax error\r\n");
    ck_reply(c, "SELECT 0\r\nFLUSHDB ASYNC\r\nDBSIZE\r\n", "+OK\r\n+OK\r\n:0\r\n");
    fakeFree(c);
}
END_TEST

/** String commands and their 5.0 error texts. */
START_TEST(test_cmd_strings) {
    client *c = fakeClient();

    ck_reply(c, "FLUSHALL\r\n", "+OK\r\n");
    ck_reply(c, "SET k v NX XX\r\n", "-ERR syntax error\r\n");
    ck_reply(c, "SET k v EX 0\r\n", "-ERR invalid expire time in set\r\n");
    ck_reply(c, "SET k v EX abc\r\n", "-ERR value is not an integer or out of range\r\n");
    ck_reply(c, "SET k v XX\r\n", "$-1\r\n");
    ck_reply(c, "SET k 10\r\nINCRBY k 5\r\nGET k\r\n", "+OK\r\n:15\r\n$2\r\n15\r\n");
    ck_reply(c, "SET k 9223372036854775807\r\nINCR k\r\n",
             "+OK\r\n-ERR increment or decrement would overflow\r\n");
    ck_reply(c, "APPEND s Hello\r\nAPPEND s World\r\nSTRLEN s\r\n", ":5\r\n:10\r\n:10\r\n");
    ck_reply(c, "GETSET s x\r\n", "$10\r\nHelloWorld\r\n");
    ck_reply(c, "MSET a 1 b\r\n", "-ERR wrong number of arguments for MSET\r\n");
    ck_reply(c, "MSET a 1 b 2\r\nMGET a nosuch b\r\n",
             "+OK\r\n*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n");
    fakeFree(c);
}
END_TEST

/** EXPIRE / TTL / PTTL. call() refreshes server.mstime from the system
 *  clock before every command, so the clock cannot be frozen here: the
 *  time-dependent replies are checked as ranges, and "time passes" is
 *  simulated by moving the key's expire time into the past instead. */
START_TEST(test_cmd_expire) {
    client *c = fakeClient();
    robj *key = str("k");
    long long pttl;
    sds r;

    ck_reply(c, "FLUSHALL\r\n", "+OK\r\n");
    ck_reply(c, "TTL nokey\r\nPTTL nokey\r\nEXPIRE nokey 10\r\n", ":-2\r\n:-2\r\n:0\r\n");
    ck_reply(c, "SET k v\r\nTTL k\r\nPTTL k\r\n", "+OK\r\n:-1\r\n:-1\r\n");
    ck_reply(c, "EXPIRE k 100\r\nTTL k\r\n", ":1\r\n:100\r\n");
    r = sendBytes(c, "PTTL k\r\n");
    ck_assert_int_eq(r[0], ':');
    pttl = strtoll(r + 1, NULL, 10);
    /* At most 100,000 ms left; the lower bound only says "the TTL was
     * set to 100 s, not 10 s" (no claim on how fast the two calls run). */
    ck_assert(pttl > 10000 && pttl <= 100000);

    /* TTL rounds to the nearest second ((ttl+500)/1000 in expire.c, as in
     * 5.0.14's ttlGenericCommand): 2,400 ms left answers 2 for any delay
     * under 900 ms between these two lines; past the end the key is gone
     * for every reader. */
    setExpire(NULL, c->db, key, mstime() + 2400);
    ck_reply(c, "TTL k\r\n", ":2\r\n");
    setExpire(NULL, c->db, key, mstime() - 1);
    ck_reply(c, "TTL k\r\nGET k\r\nEXISTS k\r\n", ":-2\r\n$-1\r\n:0\r\n");

    ck_reply(c, "SET k v EX 100\r\nSET k w\r\nTTL k\r\n", "+OK\r\n+OK\r\n:-1\r\n");
    ck_reply(c, "EXPIRE k -1\r\nEXISTS k\r\n", ":1\r\n:0\r\n");
    ck_reply(c, "SET k v\r\nEXPIRE k 0\r\nGET k\r\n", "+OK\r\n:1\r\n$-1\r\n");
    ck_reply(c, "SET k v\r\nEXPIRE k abc\r\n",
             "+OK\r\n-ERR value is not an integer or out of range\r\n");
    ck_reply(c, "SET p v PX 100000\r\nTTL p\r\n", "+OK\r\n:100\r\n");

    /* A TTL so large that now + 9223372036854775000 ms wraps negative
     * (5.0.14 has no overflow check before 6.2): the key counts as having
     * no expiry for lookups (keyIsExpired: when < 0), and PTTL's
     * expire - now wraps back. With the clock frozen the reply is exact,
     * as 5.0.14's gcc build prints it; the sanitizer build checks that
     * minired gets there without signed overflow. */
    server.clock_frozen = 1;
    server.mstime = 1700000000000LL;
    server.unixtime = 1700000000;
    ck_reply(c, "SET w v EX 9223372036854775\r\nPTTL w\r\nTTL w\r\nEXISTS w\r\n",
             "+OK\r\n:9223372036854775000\r\n:9223372036854775\r\n:1\r\n");
    server.clock_frozen = 0;
    decrRefCount(key);
    fakeFree(c);
}
END_TEST

/** MULTI/EXEC: queueing, the reply array, EXECABORT, nesting. */
START_TEST(test_cmd_multi) {
    client *c = fakeClient();

    ck_reply(c, "FLUSHALL\r\n", "+OK\r\n");
    ck_reply(c, "EXEC\r\n", "-ERR EXEC without MULTI\r\n");
    ck_reply(c, "DISCARD\r\n", "-ERR DISCARD without MULTI\r\n");
    ck_reply(c, "MULTI\r\nSET k 1\r\nINCR k\r\nMULTI\r\nEXEC\r\n",
             "+OK\r\n+QUEUED\r\n+QUEUED\r\n-ERR MULTI calls can not be nested\r\n"
             "*2\r\n+OK\r\n:2\r\n");
    ck_reply(c, "MULTI\r\nSET k\r\nEXEC\r\n",
             "+OK\r\n-ERR wrong number of arguments for 'set' command\r\n"
             "-EXECABORT Transaction discarded because of previous errors.\r\n");
    ck_reply(c, "MULTI\r\nEXEC\r\n", "+OK\r\n*0\r\n");
    ck_reply(c, "MULTI\r\nSET k 5\r\nDISCARD\r\nGET k\r\n",
             "+OK\r\n+QUEUED\r\n+OK\r\n$1\r\n2\r\n");
    fakeFree(c);
}
END_TEST

/** SUBSCRIBE / PUBLISH / UNSUBSCRIBE between two fake clients. */
START_TEST(test_cmd_pubsub) {
    client *sub = fakeClient(), *pub = fakeClient();

    ck_reply(sub, "SUBSCRIBE news\r\n",
             "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
    ck_assert(sub->flags & CLIENT_PUBSUB);
    /* One command, two clients' output: the publisher gets the count,
     * the subscriber the message. */
    ck_reply(pub, "PUBLISH news hi\r\n", ":1\r\n");
    ck_assert_str_eq(collected(sub),
                     "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
    ck_reply(pub, "PUBLISH nobody hi\r\n", ":0\r\n");
    ck_reply(sub, "UNSUBSCRIBE\r\n",
             "*3\r\n$11\r\nunsubscribe\r\n$4\r\nnews\r\n:0\r\n");
    ck_assert(!(sub->flags & CLIENT_PUBSUB));
    ck_reply(sub, "UNSUBSCRIBE\r\n",
             "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
    ck_reply(sub, "SUBSCRIBE a b\r\n",
             "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"
             "*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n");
    ck_assert_int_eq(dictSize(server.pubsub_channels), 2);
    fakeFree(sub); /* freeClient unsubscribes silently */
    ck_assert_int_eq(dictSize(server.pubsub_channels), 0);
    ck_reply(pub, "PUBLISH a x\r\n", ":0\r\n");
    fakeFree(pub);
}
END_TEST

/**
 * @brief Build the db/expire suite.
 * @return The suite.
 */
static Suite *db_suite(void) {
    Suite *s = suite_create("db");
    TCase *api = tcase_create("api");
    TCase *cmd = tcase_create("commands");

    tcase_add_test(api, test_setkey_lookup_delete);
    tcase_add_test(api, test_setkey_overwrite_clears_ttl);
    tcase_add_test(api, test_expire_lazy);
    tcase_add_test(api, test_remove_expire);
    tcase_add_test(api, test_empty_db_counts);
    tcase_add_test(api, test_active_expire);
    tcase_add_test(api, test_unshare);
    suite_add_tcase(s, api);

    tcase_add_test(cmd, test_cmd_keyspace);
    tcase_add_test(cmd, test_cmd_strings);
    tcase_add_test(cmd, test_cmd_expire);
    tcase_add_test(cmd, test_cmd_multi);
    tcase_add_test(cmd, test_cmd_pubsub);
    suite_add_tcase(s, cmd);
    return s;
}

/**
 * @brief Initialise a socket-free server and run the suite.
 * @return 0 if every test passed, 1 otherwise.
 */
int main(void) {
    SRunner *sr;
    int failed;

    initServerConfig();
    server.port = 0;
    server.verbosity = LL_WARNING;
    initServer();

    sr = srunner_create(db_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
