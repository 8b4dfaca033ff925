/**
 * @file expire.c
 * @brief Keys with a time to live: setting and reading TTLs, deleting keys
 *        whose time has come (lazily on access, actively from the cron),
 *        and the EXPIRE / TTL / PTTL commands.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Two paths lead here:
 *
 *   - every key access: lookupKeyRead / lookupKeyWrite (db.c) call
 *     expireIfNeeded() before looking at the value, so a key whose TTL
 *     has passed is deleted on first touch and never seen (lazy expiry);
 *   - the timer: serverCron (server.c, 10 times a second) calls
 *     activeExpireCycle(), which samples keys with a TTL and deletes the
 *     dead ones, so keys nobody reads again do not stay in memory forever
 *     (active expiry).
 *
 * What flows in: a db, a key, an absolute expire time in unix
 * milliseconds. What flows out: deleted keys, server.stat_expiredkeys,
 * and the replies of EXPIRE (":1\r\n" / ":0\r\n") and TTL/PTTL
 * (":-2\r\n" missing, ":-1\r\n" no TTL, else the time left).
 *
 * Where TTLs live: db->expires maps the key sds (the same pointer as in
 * db->dict) to an int64 unix time in ms, stored in the entry itself
 * (dictSetSignedIntegerVal), not as an object.
 *
 * Which clock
 * -----------
 * Every "now" in this file is server.mstime, the millisecond time cached
 * by updateCachedTime() (server.c). One cached value per event loop turn
 * means that SET ... PX, PTTL and the expiry check of one batch of
 * commands all agree, and it lets the unit tests move time: set
 * server.mstime forward by 1000 and a 1-second TTL is over, no sleeping.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's keyIsExpired() and expireIfNeeded() (db.c), activeExpireCycle() (expire.c):
 * Redis 5.0.14's keyIsExpired() (db.c, called by expireIfNeeded()) uses
 * server.mstime while a command runs (server.fixed_time_expire, raised by
 * call(), which also refreshes the cache with updateCachedTime(0); added
 * in 5.0.7), the script's start time inside Lua, and mstime(), the
 * system clock, otherwise (the active cycle's checks, for one). EXPIRE
 * (expireCommand() passes mstime() as the base) and TTL
 * (ttlGenericCommand()) read the system clock. minired reads the cached
 * time everywhere, so that traces and unit tests can move time. Redis
 * keeps expireIfNeeded/getExpire/setExpire in
 * db.c and the active cycle in expire.c; minired puts all TTL code here.
 */
#include "server.h"

/** EXPIRE takes seconds; the stored time is milliseconds. */
#define UNIT_SECONDS 0
/** PEXPIRE takes milliseconds (not in minired; kept for the generic code). */
#define UNIT_MILLISECONDS 1

/** Keys sampled per database per loop of activeExpireCycle (Redis 5.0's value). */
#define ACTIVE_EXPIRE_CYCLE_LOOKUPS_PER_LOOP 20
/** A fast cycle's time budget, microseconds; fast cycles start at most
 *  once per twice this (Redis 5.0's value). */
#define ACTIVE_EXPIRE_CYCLE_FAST_DURATION 1000
/** A slow cycle may use this percentage of one serverCron period: 25% of
 *  100 ms = 25,000 us at hz 10 (Redis 5.0's value). */
#define ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC 25

/* ------------------------------------------------------------------------
 * Reading and writing TTLs
 * ---------------------------------------------------------------------- */

/**
 * @brief The absolute expire time of @p key.
 *
 * @param db  The database.
 * @param key The key (must exist in db->dict if it has a TTL).
 * @return Unix time in milliseconds, or -1 if the key has no TTL
 *         (or does not exist).
 *
 * Called by: expireIfNeeded, ttlCommand / pttlCommand, tests.
 */
long long getExpire(redisDb *db, robj *key) {
    dictEntry *de;

    /* Most databases have no TTLs at all: skip hashing the key. */
    if (dictSize(db->expires) == 0 ||
        (de = dictFind(db->expires, key->ptr)) == NULL) return -1;

    /* An expire entry without its key would mean dbDelete skipped it. */
    serverAssert(dictFind(db->dict, key->ptr) != NULL);
    return dictGetSignedIntegerVal(de);
}

/**
 * @brief Give an existing key an absolute expire time.
 *
 * @param c    The client doing it (NULL when none); unused by minired.
 * @param db   The database.
 * @param key  The key (must exist).
 * @param when Unix time in milliseconds.
 *
 * Called by: setGenericCommand (SET ... EX/PX) in t_string.c,
 * expireGenericCommand, tests.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's setExpire() (db.c):
 * Redis uses @p c to remember keys with a TTL written directly on a
 * writable replica, so that the replica can expire them itself.
 */
void setExpire(client *c, redisDb *db, robj *key, long long when) {
    dictEntry *kde, *de;

    kde = dictFind(db->dict, key->ptr);
    serverAssert(kde != NULL);
    /* Key the expires entry with the dict's own sds: no second copy of
     * the key bytes, and dictAddOrFind reuses the entry on a second
     * EXPIRE so the new time simply replaces the old one. */
    de = dictAddOrFind(db->expires, dictGetKey(kde));
    dictSetSignedIntegerVal(de, when);
}

/**
 * @brief Make a key persistent again.
 *
 * @param db  The database.
 * @param key The key (must exist).
 * @return 1 if a TTL was removed, 0 if the key had none.
 *
 * Called by: setKey (db.c): a plain SET drops an earlier TTL.
 */
int removeExpire(redisDb *db, robj *key) {
    serverAssert(dictFind(db->dict, key->ptr) != NULL);
    return dictDelete(db->expires, key->ptr) == DICT_OK;
}

/* ------------------------------------------------------------------------
 * Lazy expiry
 * ---------------------------------------------------------------------- */

/* ANCHOR: expire-lazy */
/**
 * @brief True when @p key has a TTL that is over.
 *
 * "Over" means now > when: a key set to expire at 1000 is still alive
 * at 1000 and gone at 1001.
 *
 * @param db  The database.
 * @param key The key.
 * @return 1 if expired, 0 if it has no TTL or time is left.
 *
 * Called by: expireIfNeeded, keysCommand (db.c: lists only live keys,
 * deletes nothing).
 *
 * @par Redis 5.0:
 * keyIsExpired() in db.c (5.0.14) uses the Lua script's start time inside
 * a script, server.mstime while a command runs (fixed_time_expire), else
 * mstime(); and returns 0 while loading. minired always uses
 * server.mstime (see "Which clock" at the top of this file).
 */
int keyIsExpired(redisDb *db, robj *key) {
    long long when = getExpire(db, key);

    if (when < 0) return 0;
    return server.mstime > when;
}

/**
 * @brief Delete @p key now if its TTL is over (lazy expiry).
 *
 * @param db  The database.
 * @param key The key.
 * @return 1 if the key was expired and deleted, 0 otherwise.
 *
 * Called by: lookupKeyReadWithFlags, lookupKeyWrite, delCommand,
 * keysCommand (db.c).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's expireIfNeeded() and keyIsExpired() (db.c):
 * Redis uses the cached server.mstime inside a command and mstime()
 * outside one (see "Which clock" at the top of this file).
 * On a replica it only reports the key as expired and waits for the
 * master's DEL; on a master it propagates a DEL to replicas and the AOF
 * and fires the "expired" keyspace event. minired has none of those.
 */
int expireIfNeeded(redisDb *db, robj *key) {
    if (!keyIsExpired(db, key)) return 0;
    server.stat_expiredkeys++;
    return dbDelete(db, key);
}
/* ANCHOR_END: expire-lazy */

/* ------------------------------------------------------------------------
 * Active expiry
 * ---------------------------------------------------------------------- */

/**
 * @brief Delete the key of a db->expires entry if its time is over.
 * @param db  The database.
 * @param de  An entry of db->expires (key sds, expire time).
 * @param now Current unix time in ms.
 * @return 1 if the key was expired and deleted, 0 otherwise.
 * Called by: activeExpireCycle.
 * @par Redis 5.0:
 * activeExpireCycleTryExpire() in expire.c (5.0.14), which also
 * propagates a DEL to replicas/AOF and fires the "expired" keyspace event.
 */
static int activeExpireCycleTryExpire(redisDb *db, dictEntry *de,
                                      long long now) {
    long long t = dictGetSignedIntegerVal(de);
    sds key;
    robj *keyobj;

    if (now <= t) return 0;
    /* Build the key object before deleting: dbDelete frees the sds the
     * entry points to. */
    key = dictGetKey(de);
    keyobj = createStringObject(key, sdslen(key));
    dbDelete(db, keyobj);
    decrRefCount(keyobj);
    server.stat_expiredkeys++;
    return 1;
}

/* ANCHOR: expire-active-cycle */
/**
 * @brief Delete expired keys nobody touches any more (active expiry).
 *
 * Databases are visited in turn, CRON_DBS_PER_CALL per call, resuming
 * after the last one visited. In each: sample 20 keys with a TTL, delete
 * the dead ones, and while more than a quarter (5 of 20) were dead, the
 * database probably holds many more: sample again. The work is bounded
 * by time, checked every 16 samplings: a slow cycle (serverCron, hz
 * times a second) may use 25% of a cron period (25 ms at hz 10), a fast
 * one 1 ms.
 *
 * When a fast cycle runs: only when the previous cycle stopped on its
 * time limit (timelimit_exit), i.e. when expired keys are piling up
 * faster than the slow cycle removes them, and not within 2 ms of the
 * last fast cycle. Normally, then, keys expire in serverCron's slow
 * cycle, at most 1000/hz ms after their time (or at first access), no
 * matter how often the event loop turns.
 *
 * Determinism: the time limit is only read after 16 samplings in one call,
 * so a cycle over fewer than 16 x 20 expiring keys never times out and a
 * fast cycle never follows it. The trace scenarios never run a slow cycle
 * (their `cron` line is clientsCron only), so their fast cycles in
 * beforeSleep return at once: expiry in a scenario is lazy only.
 *
 * @param type ACTIVE_EXPIRE_CYCLE_SLOW or ACTIVE_EXPIRE_CYCLE_FAST.
 *
 * Called by: databasesCron() (slow cycle, from serverCron()) and
 * beforeSleep() (fast cycle), both in cron.c.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's activeExpireCycle() (expire.c): the same
 * static state (current_db, timelimit_exit, last_fast_cycle), the same
 * order of checks and limits, and the same 1% fill check. Differences:
 * "now" is server.mstime, read once per call (Redis calls mstime() per
 * sampling); Redis keeps stat_expired_time_cap_reached_count,
 * stat_expired_stale_perc and the "expire-cycle" latency sample, which
 * minired does not report. Like Redis, it returns at once while clients
 * are paused (CLIENT PAUSE).
 */
void activeExpireCycle(int type) {
    static unsigned int current_db = 0;   /* next db to visit */
    static int timelimit_exit = 0;        /* last call ran out of time? */
    static long long last_fast_cycle = 0; /* when the last fast one ran */
    int j, iteration = 0;
    int dbs_per_call = CRON_DBS_PER_CALL;
    long long start = ustime(), timelimit, elapsed;
    long long now = server.mstime;

    /* CLIENT PAUSE freezes the dataset: no key may vanish by expiry while
     * clients wait (Redis 5.0.14's activeExpireCycle has the same check,
     * first; lookups of an expired key still delete it lazily). */
    if (clientsArePaused()) return;

    if (type == ACTIVE_EXPIRE_CYCLE_FAST) {
        /* The slow cycle kept up last time: nothing for a fast one to do. */
        if (!timelimit_exit) return;
        /* At most one fast cycle per 2 ms. */
        if (start < last_fast_cycle + ACTIVE_EXPIRE_CYCLE_FAST_DURATION * 2)
            return;
        last_fast_cycle = start;
    }

    /* Behind on expiry last time: visit every database this time. */
    if (dbs_per_call > server.dbnum || timelimit_exit)
        dbs_per_call = server.dbnum;

    /* 1000000 us / hz = one cron period; 25% of it. hz 10 -> 25000. */
    timelimit = 1000000 * ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC / server.hz / 100;
    timelimit_exit = 0;
    if (timelimit <= 0) timelimit = 1;
    if (type == ACTIVE_EXPIRE_CYCLE_FAST)
        timelimit = ACTIVE_EXPIRE_CYCLE_FAST_DURATION;

    for (j = 0; j < dbs_per_call && timelimit_exit == 0; j++) {
        int expired;
        redisDb *db = server.db + (current_db % server.dbnum);

        /* Move on now, so that a time-out in this db resumes at the next
         * one: every db gets its turn. */
        current_db++;
        do {
            unsigned long num, slots;
            long long ttl_sum = 0;
            int ttl_samples = 0;

            iteration++;
            if ((num = dictSize(db->expires)) == 0) {
                db->avg_ttl = 0;
                break;
            }
            /* Under 1% of the slots used: random sampling would mostly
             * hit empty buckets. Wait for the cron to shrink the table. */
            slots = dictSlots(db->expires);
            if (num && slots > DICT_HT_INITIAL_SIZE && (num * 100 / slots < 1))
                break;

            expired = 0;
            if (num > ACTIVE_EXPIRE_CYCLE_LOOKUPS_PER_LOOP)
                num = ACTIVE_EXPIRE_CYCLE_LOOKUPS_PER_LOOP;
            while (num--) {
                dictEntry *de = dictGetRandomKey(db->expires);
                long long ttl;

                if (de == NULL) break;
                /* Unsigned: a wrapped "SET k v EX 9223372036854775" keeps
                 * an expire near LLONG_MIN, and 5.0.14's signed when - now
                 * (and the sum below) would overflow there; its gcc build
                 * wraps, and so does this, without undefined behaviour. */
                ttl = (long long)((unsigned long long)
                                  dictGetSignedIntegerVal(de) -
                                  (unsigned long long)now);
                if (activeExpireCycleTryExpire(db, de, now)) expired++;
                if (ttl > 0) {
                    ttl_sum = (long long)((unsigned long long)ttl_sum +
                                          (unsigned long long)ttl);
                    ttl_samples++;
                }
            }
            /* avg_ttl (INFO keyspace) moves 2% towards each sampling's
             * average: a running estimate that needs no full scan. */
            if (ttl_samples) {
                long long avg_ttl = ttl_sum / ttl_samples;

                if (db->avg_ttl == 0) db->avg_ttl = avg_ttl;
                db->avg_ttl = (db->avg_ttl / 50) * 49 + (avg_ttl / 50);
            }
            /* Reading the clock costs: only every 16 samplings. */
            if ((iteration & 0xf) == 0) {
                elapsed = ustime() - start;
                if (elapsed > timelimit) {
                    timelimit_exit = 1;
                    break;
                }
            }
        } while (expired > ACTIVE_EXPIRE_CYCLE_LOOKUPS_PER_LOOP / 4);
    }
}
/* ANCHOR_END: expire-active-cycle */

/* ------------------------------------------------------------------------
 * Commands
 * ---------------------------------------------------------------------- */

/**
 * @brief Shared body of EXPIRE (and, in Redis, PEXPIRE/EXPIREAT/PEXPIREAT).
 *
 * "EXPIRE k 100" on an existing key -> ":1\r\n", TTL 100 s from now;
 * on a missing key -> ":0\r\n"; "EXPIRE k 0" or "EXPIRE k -1" -> the key
 * is deleted at once and the reply is still ":1\r\n";
 * "EXPIRE k abc" -> "-ERR value is not an integer or out of range\r\n".
 *
 * @param c        The client; argv[1] key, argv[2] the time.
 * @param basetime Added to the time: now for relative forms, 0 for *AT.
 * @param unit     UNIT_SECONDS or UNIT_MILLISECONDS.
 *
 * Called by: expireCommand.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's expireGenericCommand() (expire.c):
 * 5.0 does not check the seconds-to-ms multiplication or the addition
 * for overflow: "EXPIRE k 9223372036854775807" wraps around to a time
 * in the past and deletes the key (6.2.0's expireGenericCommand() is the
 * first to reply "invalid expire time in expire"). minired reproduces the wrap-around with unsigned arithmetic,
 * where it is well defined C rather than signed overflow.
 */
static void expireGenericCommand(client *c, long long basetime, int unit) {
    robj *key = c->argv[1], *param = c->argv[2];
    long long when;

    if (getLongLongFromObjectOrReply(c, param, &when, NULL) != C_OK) return;
    if (unit == UNIT_SECONDS)
        when = (long long)((unsigned long long)when * 1000ULL);
    when = (long long)((unsigned long long)when + (unsigned long long)basetime);

    /* The key must exist (and not be expired already) to get a TTL. */
    if (lookupKeyWrite(c->db, key) == NULL) {
        addReply(c, shared.czero);
        return;
    }

    if (when <= server.mstime) {
        /* A time already in the past: storing it would only have the
         * next access delete the key, so delete it now. */
        int deleted = dbDelete(c->db, key);

        serverAssert(deleted);
        server.dirty++;
        signalModifiedKey(c->db, key);
        addReply(c, shared.cone);
        return;
    }
    setExpire(c, c->db, key, when);
    addReply(c, shared.cone);
    signalModifiedKey(c->db, key);
    server.dirty++;
}

/**
 * @brief EXPIRE key seconds
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void expireCommand(client *c) {
    expireGenericCommand(c, server.mstime, UNIT_SECONDS);
}

/**
 * @brief Shared body of TTL and PTTL.
 *
 * Replies ":-2\r\n" for a missing key, ":-1\r\n" for a key without a TTL,
 * else the time left: PTTL in ms; TTL in seconds rounded to the nearest
 * (1499 ms left -> 1, 1500 ms -> 2), so "SET k v EX 100" then TTL at
 * once shows 100, not 99.
 *
 * @param c         The client; argv[1] is the key.
 * @param output_ms 1 for PTTL, 0 for TTL.
 *
 * Called by: ttlCommand, pttlCommand.
 */
static void ttlGenericCommand(client *c, int output_ms) {
    long long expire, ttl = -1;

    /* LOOKUP_NOTOUCH: asking how long a key has left is not a use of it. */
    if (lookupKeyReadWithFlags(c->db, c->argv[1], LOOKUP_NOTOUCH) == NULL) {
        addReplyLongLong(c, -2);
        return;
    }
    expire = getExpire(c->db, c->argv[1]);
    if (expire != -1) {
        /* expire can be anything a wrapped "SET k v EX 9223372036854775"
         * stored, down to about LLONG_MIN: 5.0.14's expire - mstime() then
         * overflows (undefined behaviour that its gcc build wraps). minired
         * computes the same wrap in unsigned arithmetic, so the reply is
         * Redis's and there is no undefined behaviour. */
        ttl = (long long)((unsigned long long)expire -
                          (unsigned long long)server.mstime);
        if (ttl < 0) ttl = 0;
    }
    if (ttl == -1)
        addReplyLongLong(c, -1);
    else
        addReplyLongLong(c, output_ms ? ttl : ((ttl + 500) / 1000));
}

/**
 * @brief TTL key
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void ttlCommand(client *c) {
    ttlGenericCommand(c, 0);
}

/**
 * @brief PTTL key
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void pttlCommand(client *c) {
    ttlGenericCommand(c, 1);
}
