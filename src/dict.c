/**
 * @file dict.c
 * @brief Hash tables with incremental rehashing.
 *
 * Where it sits: lookupCommand() finds "SET" in server.commands with
 * dictFetchValue(); lookupKey() finds "mykey" in db->dict with dictFind();
 * SET adds with dictAdd(), DEL removes with dictDelete(). In: keys, values
 * and a dictType. Out: entries.
 *
 * How growth works, with numbers. A dict starts with ht[0].size = 4. When
 * the 5th key arrives (used 4 >= size 4), dictExpand() allocates ht[1]
 * with 8 buckets and sets rehashidx = 0. From then on every dictAdd,
 * dictFind, dictDelete and dictGetRandomKey first calls _dictRehashStep(),
 * which moves the entries of ONE ht[0] bucket into ht[1] and advances
 * rehashidx. New keys go straight into ht[1]; lookups check ht[0] then
 * ht[1]. When ht[0] is empty, ht[1] becomes ht[0] and rehashidx returns
 * to -1. The server's cron also calls dictRehashMilliseconds() to finish
 * idle dicts. The cost of a resize is thus spread over many operations.
 */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <assert.h>
#include <sys/time.h>

#include "dict.h"
#include "zmalloc.h"

/* Resizing policy. While a child process exists (BGSAVE), Redis calls
 * dictDisableResize() so that copy-on-write does not duplicate memory pages
 * just to move entries around; a table is then only grown once it holds
 * dict_force_resize_ratio (5) times more entries than buckets. */
/** 1 if dicts may grow as soon as used >= size. */
static int dict_can_resize = 1;
/** Growth is forced, even when disabled, past this used/size ratio. */
static unsigned int dict_force_resize_ratio = 5;

/* ----------------------------- Private prototypes ------------------------ */

static int _dictExpandIfNeeded(dict *ht);
static unsigned long _dictNextPower(unsigned long size);
static long _dictKeyIndex(dict *ht, const void *key, uint64_t hash, dictEntry **existing);
static int _dictInit(dict *ht, dictType *type, void *privDataPtr);

/* ----------------------------- Hash functions ---------------------------- */

/** The 16-byte SipHash key; the server fills it with random bytes at startup. */
static uint8_t dict_hash_function_seed[16];

/**
 * @brief Set the secret SipHash key.
 * @param seed 16 bytes, copied.
 *
 * Called by: main() at startup with bytes from getRandomBytes(), before any
 * dict is filled (changing it later would make existing keys unfindable).
 */
void dictSetHashFunctionSeed(uint8_t *seed) {
    memcpy(dict_hash_function_seed,seed,sizeof(dict_hash_function_seed));
}

/**
 * @brief The current SipHash key.
 * @return Pointer to the 16 seed bytes.
 *
 * Called by: debugging code and tests.
 */
uint8_t *dictGetHashFunctionSeed(void) {
    return dict_hash_function_seed;
}

/**
 * @brief Default hash: SipHash-2-4 of @p len bytes under the server seed.
 * @param key Bytes to hash.
 * @param len Length.
 * @return 64-bit hash; the bucket is hash & sizemask.
 *
 * Called by: dictType.hashFunction callbacks for sds keys.
 */
uint64_t dictGenHashFunction(const void *key, int len) {
    return siphash(key,len,dict_hash_function_seed);
}

/**
 * @brief Case-insensitive hash ("SET", "set" and "SeT" collide on purpose).
 * @param buf Bytes to hash.
 * @param len Length.
 * @return 64-bit hash.
 *
 * Called by: the command table's dictType, so lookupCommand("sEt") works.
 */
uint64_t dictGenCaseHashFunction(const unsigned char *buf, int len) {
    return siphash_nocase(buf,len,dict_hash_function_seed);
}

/* ----------------------------- API implementation ------------------------- */

/**
 * @brief Make a hash table empty and table-less.
 * @param ht The table.
 *
 * Called by: _dictInit(), _dictClear(), dictRehash() when a rehash ends.
 */
static void _dictReset(dictht *ht) {
    ht->table = NULL;
    ht->size = 0;
    ht->sizemask = 0;
    ht->used = 0;
}

/**
 * @brief Create an empty dict (no buckets are allocated until the first add).
 * @param type Key/value methods; must outlive the dict.
 * @param privDataPtr Passed to every method.
 * @return The new dict.
 *
 * Called by: initServer() for db->dict, db->expires, server.commands.
 */
dict *dictCreate(dictType *type, void *privDataPtr) {
    dict *d = zmalloc(sizeof(*d));

    _dictInit(d,type,privDataPtr);
    return d;
}

/**
 * @brief Initialise the fields of a dict.
 * @param d The dict.
 * @param type Key/value methods.
 * @param privDataPtr Private data for the methods.
 * @return DICT_OK.
 *
 * Called by: dictCreate().
 */
static int _dictInit(dict *d, dictType *type, void *privDataPtr) {
    _dictReset(&d->ht[0]);
    _dictReset(&d->ht[1]);
    d->type = type;
    d->privdata = privDataPtr;
    d->rehashidx = -1;
    d->iterators = 0;
    return DICT_OK;
}

/**
 * @brief Shrink the table to the smallest power of two >= used (min 4).
 * @param d The dict.
 * @return DICT_OK, or DICT_ERR if resizing is disabled or a rehash runs.
 *
 * Called by: the server cron when a dict is less than 10% full
 * (htNeedsResize), e.g. after deleting most keys.
 */
int dictResize(dict *d) {
    unsigned long minimal;

    if (!dict_can_resize || dictIsRehashing(d)) return DICT_ERR;
    minimal = d->ht[0].used;
    if (minimal < DICT_HT_INITIAL_SIZE)
        minimal = DICT_HT_INITIAL_SIZE;
    return dictExpand(d, minimal);
}

/* ANCHOR: dict-expand */
/**
 * @brief Create a table of at least @p size buckets and start rehashing into it.
 * @param d The dict.
 * @param size Wanted capacity; rounded up to a power of two (5 gives 8).
 * @return DICT_OK; DICT_ERR if a rehash is already running, if @p size is
 *         smaller than the number of entries, or if the size would not change.
 *
 * If the dict has no table yet, the new one simply becomes ht[0]. Otherwise
 * it becomes ht[1] and rehashidx = 0 starts the incremental move.
 * Called by: _dictExpandIfNeeded() (growth), dictResize() (shrink), and
 * code that knows how many keys are coming (DEBUG RELOAD, RDB loading).
 */
int dictExpand(dict *d, unsigned long size) {
    dictht n;
    unsigned long realsize = _dictNextPower(size);

    /* Refuse while a rehash runs (a third table does not exist), and refuse
     * a table too small to hold what is already stored. */
    if (dictIsRehashing(d) || d->ht[0].used > size)
        return DICT_ERR;

    /* Same size: rehashing would move every entry for nothing. */
    if (realsize == d->ht[0].size) return DICT_ERR;

    n.size = realsize;
    n.sizemask = realsize-1;
    n.table = zcalloc(realsize*sizeof(dictEntry*));
    n.used = 0;

    /* First allocation: nothing to move. */
    if (d->ht[0].table == NULL) {
        d->ht[0] = n;
        return DICT_OK;
    }

    /* Otherwise park the new table in ht[1] and let rehash steps fill it. */
    d->ht[1] = n;
    d->rehashidx = 0;
    return DICT_OK;
}
/* ANCHOR_END: dict-expand */

/* ANCHOR: dict-rehash */
/**
 * @brief Move up to @p n buckets from ht[0] to ht[1].
 * @param d The dict.
 * @param n Number of non-empty buckets to move.
 * @return 1 if entries remain to be moved, 0 if the rehash is complete.
 *
 * Empty buckets are skipped, but at most n*10 of them per call so that a
 * sparse table (after mass deletions) cannot make one call run long.
 * Called by: _dictRehashStep() (n = 1, on each dict operation) and
 * dictRehashMilliseconds() (n = 100, from the server cron).
 */
int dictRehash(dict *d, int n) {
    int empty_visits = n*10;
    if (!dictIsRehashing(d)) return 0;

    while(n-- && d->ht[0].used != 0) {
        dictEntry *de, *nextde;

        /* rehashidx cannot run past the end: used != 0 guarantees a
         * non-empty bucket at or after it. */
        assert(d->ht[0].size > (unsigned long)d->rehashidx);
        while(d->ht[0].table[d->rehashidx] == NULL) {
            d->rehashidx++;
            if (--empty_visits == 0) return 1;
        }
        de = d->ht[0].table[d->rehashidx];
        /* Re-bucket each entry of the chain: its index in the bigger table
         * uses one more bit of the same hash (size 4 -> 8: mask 3 -> 7). */
        while(de) {
            uint64_t h;

            nextde = de->next;
            h = dictHashKey(d, de->key) & d->ht[1].sizemask;
            de->next = d->ht[1].table[h];
            d->ht[1].table[h] = de;
            d->ht[0].used--;
            d->ht[1].used++;
            de = nextde;
        }
        d->ht[0].table[d->rehashidx] = NULL;
        d->rehashidx++;
    }

    /* All moved: the new table takes the place of the old one. */
    if (d->ht[0].used == 0) {
        zfree(d->ht[0].table);
        d->ht[0] = d->ht[1];
        _dictReset(&d->ht[1]);
        d->rehashidx = -1;
        return 0;
    }

    return 1;
}
/* ANCHOR_END: dict-rehash */

/**
 * @brief Wall-clock time in milliseconds.
 * @return Milliseconds since the Unix epoch.
 *
 * Called by: dictRehashMilliseconds().
 */
static long long timeInMilliseconds(void) {
    struct timeval tv;

    gettimeofday(&tv,NULL);
    return (((long long)tv.tv_sec)*1000)+(tv.tv_usec/1000);
}

/**
 * @brief Rehash in batches of 100 buckets for about @p ms milliseconds.
 * @param d The dict.
 * @param ms Time budget.
 * @return Number of buckets moved (a multiple of 100).
 *
 * Called by: the server cron's incrementallyRehash() (1 ms per db per tick),
 * so that a dict nobody touches still finishes its rehash.
 */
int dictRehashMilliseconds(dict *d, int ms) {
    long long start = timeInMilliseconds();
    int rehashes = 0;

    while(dictRehash(d,100)) {
        rehashes += 100;
        if (timeInMilliseconds()-start > ms) break;
    }
    return rehashes;
}

/**
 * @brief Move one bucket, unless a safe iterator is walking the dict.
 * @param d The dict.
 *
 * A safe iterator remembers (table, index, nextEntry); moving entries
 * between tables under it would make it skip or repeat entries, so rehash
 * pauses while d->iterators > 0.
 * Called by: dictAddRaw(), dictFind(), dictGenericDelete(), dictGetRandomKey().
 */
static void _dictRehashStep(dict *d) {
    if (d->iterators == 0) dictRehash(d,1);
}

/**
 * @brief Add a key/value pair; fail if the key exists.
 * @param d The dict.
 * @param key Key (stored through keyDup if set).
 * @param val Value (stored through valDup if set).
 * @return DICT_OK, or DICT_ERR if the key was already there.
 *
 * Called by: dbAdd() (SET of a new key), populateCommandTable().
 */
int dictAdd(dict *d, void *key, void *val) {
    dictEntry *entry = dictAddRaw(d,key,NULL);

    if (!entry) return DICT_ERR;
    dictSetVal(d, entry, val);
    return DICT_OK;
}

/* ANCHOR: dict-add-raw */
/**
 * @brief Insert @p key with no value yet, or report the existing entry.
 * @param d The dict.
 * @param key Key to insert.
 * @param existing If not NULL and the key exists, receives its entry.
 * @return The new entry (caller sets its value), or NULL if the key exists.
 *
 * During a rehash, new entries go to ht[1] only: ht[0] is being emptied.
 * The entry is put at the head of its chain because recently added keys
 * tend to be accessed again soon.
 * Called by: dictAdd(), dictReplace(), dictAddOrFind(), and code storing
 * integers in v.s64 (setExpire).
 */
dictEntry *dictAddRaw(dict *d, void *key, dictEntry **existing) {
    long index;
    dictEntry *entry;
    dictht *ht;

    if (dictIsRehashing(d)) _dictRehashStep(d);

    /* -1 means the key is already present (or the table could not grow). */
    if ((index = _dictKeyIndex(d, key, dictHashKey(d,key), existing)) == -1)
        return NULL;

    ht = dictIsRehashing(d) ? &d->ht[1] : &d->ht[0];
    entry = zmalloc(sizeof(*entry));
    entry->next = ht->table[index];
    ht->table[index] = entry;
    ht->used++;

    dictSetKey(d, entry, key);
    return entry;
}
/* ANCHOR_END: dict-add-raw */

/**
 * @brief Add or overwrite.
 * @param d The dict.
 * @param key Key.
 * @param val New value.
 * @return 1 if the key was added, 0 if an existing value was replaced.
 *
 * The new value is set before the old one is destroyed: if both are the
 * same refcounted object, freeing first would free what we are storing.
 * Called by: setKey()-style overwrites, CONFIG SET tables.
 */
int dictReplace(dict *d, void *key, void *val) {
    dictEntry *entry, *existing, auxentry;

    entry = dictAddRaw(d,key,&existing);
    if (entry) {
        dictSetVal(d, entry, val);
        return 1;
    }

    auxentry = *existing;
    dictSetVal(d, existing, val);
    dictFreeVal(d, &auxentry);
    return 0;
}

/**
 * @brief Return the entry for @p key, creating it (with no value) if absent.
 * @param d The dict.
 * @param key Key.
 * @return The entry, new or existing.
 *
 * Called by: code that increments counters stored in v.s64.
 */
dictEntry *dictAddOrFind(dict *d, void *key) {
    dictEntry *entry, *existing;

    entry = dictAddRaw(d,key,&existing);
    return entry ? entry : existing;
}

/**
 * @brief Find and unlink @p key; free it unless @p nofree.
 * @param d The dict.
 * @param key Key to remove.
 * @param nofree 1 to return the unlinked entry untouched (dictUnlink).
 * @return The removed entry (already freed if !nofree: only test for NULL),
 *         or NULL if not found.
 *
 * Called by: dictDelete(), dictUnlink().
 */
static dictEntry *dictGenericDelete(dict *d, const void *key, int nofree) {
    uint64_t h, idx;
    dictEntry *he, *prevHe;
    int table;

    if (d->ht[0].used == 0 && d->ht[1].used == 0) return NULL;

    if (dictIsRehashing(d)) _dictRehashStep(d);
    h = dictHashKey(d, key);

    for (table = 0; table <= 1; table++) {
        idx = h & d->ht[table].sizemask;
        he = d->ht[table].table[idx];
        prevHe = NULL;
        while(he) {
            if (key==he->key || dictCompareKeys(d, key, he->key)) {
                /* Unlink: either from the bucket head or from prevHe. */
                if (prevHe)
                    prevHe->next = he->next;
                else
                    d->ht[table].table[idx] = he->next;
                if (!nofree) {
                    dictFreeKey(d, he);
                    dictFreeVal(d, he);
                    zfree(he);
                }
                d->ht[table].used--;
                return he;
            }
            prevHe = he;
            he = he->next;
        }
        /* Not rehashing: ht[1] is empty, no need to look there. */
        if (!dictIsRehashing(d)) break;
    }
    return NULL;
}

/**
 * @brief Remove @p key, freeing key and value.
 * @param ht The dict.
 * @param key Key.
 * @return DICT_OK if removed, DICT_ERR if absent.
 *
 * Called by: dbDelete() (DEL, expiry), removeExpire(),
 * pubsubUnsubscribeChannel() (also on freeClient()).
 */
int dictDelete(dict *ht, const void *key) {
    return dictGenericDelete(ht,key,0) ? DICT_OK : DICT_ERR;
}

/**
 * @brief Remove @p key from the table without freeing it.
 * @param ht The dict.
 * @param key Key.
 * @return The entry (still owning key and value), or NULL.
 *
 * Lets a caller use the value after unlinking and then release it with
 * dictFreeUnlinkedEntry(), saving a second lookup.
 * Called by: dbAsyncDelete() (UNLINK), code moving entries elsewhere.
 */
dictEntry *dictUnlink(dict *ht, const void *key) {
    return dictGenericDelete(ht,key,1);
}

/**
 * @brief Free an entry returned by dictUnlink().
 * @param d The dict it came from (for its destructors).
 * @param he The entry; NULL is ignored.
 *
 * Called by: after dictUnlink().
 */
void dictFreeUnlinkedEntry(dict *d, dictEntry *he) {
    if (he == NULL) return;
    dictFreeKey(d, he);
    dictFreeVal(d, he);
    zfree(he);
}

/**
 * @brief Free every entry of one table, then the bucket array.
 * @param d The dict.
 * @param ht Which of its tables.
 * @param callback Called every 65536 buckets (may be NULL), so the server
 *        can keep serving events while FLUSHALL frees a huge dict.
 * @return DICT_OK.
 *
 * Called by: dictRelease(), dictEmpty().
 */
static int _dictClear(dict *d, dictht *ht, void (*callback)(void *)) {
    unsigned long i;

    for (i = 0; i < ht->size && ht->used > 0; i++) {
        dictEntry *he, *nextHe;

        if (callback && (i & 65535) == 0) callback(d->privdata);

        if ((he = ht->table[i]) == NULL) continue;
        while(he) {
            nextHe = he->next;
            dictFreeKey(d, he);
            dictFreeVal(d, he);
            zfree(he);
            ht->used--;
            he = nextHe;
        }
    }
    zfree(ht->table);
    _dictReset(ht);
    return DICT_OK;
}

/**
 * @brief Free the dict, all entries, keys and values.
 * @param d The dict.
 *
 * Called by: shutdown paths, temporary dicts.
 */
void dictRelease(dict *d) {
    _dictClear(d,&d->ht[0],NULL);
    _dictClear(d,&d->ht[1],NULL);
    zfree(d);
}

/* ANCHOR: dict-find */
/**
 * @brief Look up @p key.
 * @param d The dict.
 * @param key Key.
 * @return Its entry, or NULL.
 *
 * While rehashing, a key may still be in ht[0] (its bucket index >=
 * rehashidx) or already in ht[1], so both tables are searched.
 * Called by: lookupKey() (GET), dictFetchValue().
 */
dictEntry *dictFind(dict *d, const void *key) {
    dictEntry *he;
    uint64_t h, idx, table;

    if (d->ht[0].used + d->ht[1].used == 0) return NULL; /* nothing stored, no hash needed */
    if (dictIsRehashing(d)) _dictRehashStep(d);
    h = dictHashKey(d, key);
    for (table = 0; table <= 1; table++) {
        idx = h & d->ht[table].sizemask;
        he = d->ht[table].table[idx];
        while(he) {
            if (key==he->key || dictCompareKeys(d, key, he->key))
                return he;
            he = he->next;
        }
        if (!dictIsRehashing(d)) return NULL;
    }
    return NULL;
}
/* ANCHOR_END: dict-find */

/**
 * @brief Look up @p key and return its pointer value.
 * @param d The dict.
 * @param key Key.
 * @return The value, or NULL if absent.
 *
 * Called by: lookupCommand() ("set" -> struct redisCommand *).
 */
void *dictFetchValue(dict *d, const void *key) {
    dictEntry *he;

    he = dictFind(d,key);
    return he ? dictGetVal(he) : NULL;
}

/**
 * @brief Summarise the dict's layout in one number.
 * @param d The dict.
 * @return A 64-bit mix of both tables' pointers, sizes and counts.
 *
 * An unsafe iterator stores this at its first dictNext() and compares at
 * release: if a caller added or deleted (or a rehash step ran) during the
 * walk, the numbers differ and we assert instead of silently returning
 * duplicate or missing entries.
 * Called by: dictNext(), dictReleaseIterator().
 */
static long long dictFingerprint(dict *d) {
    uint64_t parts[6], hash = 0;
    int j;

    parts[0] = (uint64_t)(uintptr_t)d->ht[0].table;
    parts[1] = d->ht[0].size;
    parts[2] = d->ht[0].used;
    parts[3] = (uint64_t)(uintptr_t)d->ht[1].table;
    parts[4] = d->ht[1].size;
    parts[5] = d->ht[1].used;

    /* Fold each part in with a multiply/xor-shift mix so that the order
     * matters: (size 4, used 8) and (size 8, used 4) give different sums. */
    for (j = 0; j < 6; j++) {
        hash ^= parts[j];
        hash *= 0x9e3779b97f4a7c15ULL;
        hash ^= hash >> 29;
    }
    return (long long)hash;
}

/**
 * @brief Create an unsafe iterator: only dictNext() is allowed while it lives.
 * @param d The dict.
 * @return The iterator.
 *
 * Called by: read-only walks (KEYS uses a safe one; INFO-style counts do not).
 */
dictIterator *dictGetIterator(dict *d) {
    dictIterator *iter = zmalloc(sizeof(*iter));

    iter->d = d;
    iter->table = 0;
    iter->index = -1;
    iter->safe = 0;
    iter->entry = NULL;
    iter->nextEntry = NULL;
    return iter;
}

/**
 * @brief Create a safe iterator: the dict may be modified during the walk.
 * @param d The dict.
 * @return The iterator.
 *
 * Called by: KEYS, FLUSH-like walks that delete what they visit.
 */
dictIterator *dictGetSafeIterator(dict *d) {
    dictIterator *i = dictGetIterator(d);

    i->safe = 1;
    return i;
}

/* ANCHOR: dict-next */
/**
 * @brief Return the next entry, or NULL when the walk is over.
 * @param iter The iterator.
 * @return An entry; the caller may delete it (with a safe iterator).
 *
 * The walk goes bucket by bucket through ht[0], then through ht[1] if a
 * rehash is in progress. nextEntry is saved before returning, so deleting
 * the returned entry does not lose our place in the chain.
 * Called by: every dict walk.
 */
dictEntry *dictNext(dictIterator *iter) {
    while (1) {
        if (iter->entry == NULL) {
            dictht *ht = &iter->d->ht[iter->table];
            if (iter->index == -1 && iter->table == 0) {
                /* First call: a safe iterator pauses rehashing from now
                 * on; an unsafe one takes a snapshot to check later. */
                if (iter->safe)
                    iter->d->iterators++;
                else
                    iter->fingerprint = dictFingerprint(iter->d);
            }
            iter->index++;
            if (iter->index >= (long) ht->size) {
                if (dictIsRehashing(iter->d) && iter->table == 0) {
                    iter->table++;
                    iter->index = 0;
                    ht = &iter->d->ht[1];
                } else {
                    break;
                }
            }
            iter->entry = ht->table[iter->index];
        } else {
            iter->entry = iter->nextEntry;
        }
        if (iter->entry) {
            iter->nextEntry = iter->entry->next;
            return iter->entry;
        }
    }
    return NULL;
}
/* ANCHOR_END: dict-next */

/**
 * @brief Free an iterator; resume rehashing or verify the fingerprint.
 * @param iter The iterator.
 *
 * Called by: every dict walk when done (also when stopped early).
 */
void dictReleaseIterator(dictIterator *iter) {
    /* index == -1 && table == 0: dictNext() was never called, so neither
     * the counter nor the fingerprint were set. */
    if (!(iter->index == -1 && iter->table == 0)) {
        if (iter->safe)
            iter->d->iterators--;
        else
            assert(iter->fingerprint == dictFingerprint(iter->d));
    }
    zfree(iter);
}

/**
 * @brief Return a random entry, or NULL if the dict is empty.
 * @param d The dict.
 * @return An entry.
 *
 * First a random non-empty bucket, then a random element of its chain.
 * Not perfectly uniform (keys in short chains are favoured) but O(1) on
 * average. During a rehash, buckets of ht[0] below rehashidx are known to
 * be empty and are skipped.
 * Called by: RANDOMKEY, eviction and expire sampling.
 */
dictEntry *dictGetRandomKey(dict *d) {
    dictEntry *he, *orighe;
    unsigned long h;
    int listlen, listele;

    if (dictSize(d) == 0) return NULL;
    if (dictIsRehashing(d)) _dictRehashStep(d);
    if (dictIsRehashing(d)) {
        do {
            /* Pick among buckets rehashidx..size0-1 of ht[0] and all of ht[1]. */
            h = d->rehashidx + (random() % (d->ht[0].size +
                                            d->ht[1].size -
                                            d->rehashidx));
            he = (h >= d->ht[0].size) ? d->ht[1].table[h - d->ht[0].size] :
                                      d->ht[0].table[h];
        } while(he == NULL);
    } else {
        do {
            h = random() & d->ht[0].sizemask;
            he = d->ht[0].table[h];
        } while(he == NULL);
    }

    /* Count the chain, then pick one of its elements. */
    listlen = 0;
    orighe = he;
    while(he) {
        he = he->next;
        listlen++;
    }
    listele = random() % listlen;
    he = orighe;
    while(listele--) he = he->next;
    return he;
}

/**
 * @brief Reverse the bits of an unsigned long.
 * @param v Value.
 * @return v with bit 0 swapped with bit 63, 1 with 62, and so on.
 *
 * Called by: dictScan().
 */
static unsigned long rev(unsigned long v) {
    unsigned long s = 8 * sizeof(v);
    unsigned long mask = ~0UL;

    /* Swap halves, then quarters, ... down to single bits (log2(64) = 6 steps). */
    while ((s >>= 1) > 0) {
        mask ^= (mask << s);
        v = ((v >> s) & mask) | ((v << s) & ~mask);
    }
    return v;
}

/**
 * @brief Call the scan callbacks for bucket (v & sizemask) of @p t.
 * @param t Table.
 * @param v Cursor.
 * @param fn Per-entry callback.
 * @param bucketfn Per-bucket callback, or NULL.
 * @param privdata Passed to both.
 *
 * The next pointer is read before calling fn, so fn may free the entry.
 * Called by: dictScan().
 */
static void dictScanBucket(dictht *t, unsigned long v, dictScanFunction *fn,
                           dictScanBucketFunction *bucketfn, void *privdata) {
    dictEntry **bucket = &t->table[v & t->sizemask];
    const dictEntry *de = *bucket;

    if (bucketfn) bucketfn(privdata, bucket);
    while (de) {
        const dictEntry *next = de->next;
        fn(privdata, de);
        de = next;
    }
}

/**
 * @brief Advance a SCAN cursor by one in reversed-bit order.
 * @param v Current cursor.
 * @param mask sizemask of the table being walked.
 * @return Next cursor (0 after the last bucket).
 *
 * With mask 7: 0 -> 4 -> 2 -> 6 -> 1 -> 5 -> 3 -> 7 -> 0. Setting all bits
 * above the mask first makes the +1 carry run straight out of the top,
 * which is what brings the cursor back to 0 at the end.
 * Called by: dictScan().
 */
static unsigned long dictScanNextCursor(unsigned long v, unsigned long mask) {
    v |= ~mask;
    v = rev(v);
    v++;
    return rev(v);
}

/* ANCHOR: dict-scan */
/**
 * @brief Visit the buckets designated by cursor @p v; return the next cursor.
 * @param d The dict.
 * @param v Cursor: 0 to start; the return value of the previous call after.
 * @param fn Called for each entry found.
 * @param bucketfn Called for each bucket visited (may be NULL).
 * @param privdata Passed to both callbacks.
 * @return Next cursor; 0 when the scan is complete.
 *
 * The trick behind SCAN: the cursor is incremented in *reversed* bit order
 * (0, 4, 2, 6, 1, 5, 3, 7 for 8 buckets). Counting from the high bits means
 * that when the table doubles (8 -> 16), bucket b splits into b and b+8,
 * which the reversed counter has not visited yet, and when it halves,
 * visited buckets merge with visited ones. So every element present for
 * the whole scan is returned at least once, even across resizes; some may
 * be returned twice. During a rehash both tables are visited: the small
 * one at v, the big one at every index that expands v.
 * Called by: SCAN, HSCAN, SSCAN, ZSCAN.
 */
unsigned long dictScan(dict *d,
                       unsigned long v,
                       dictScanFunction *fn,
                       dictScanBucketFunction* bucketfn,
                       void *privdata)
{
    dictht *small, *big;

    if (dictSize(d) == 0) return 0;

    if (!dictIsRehashing(d)) {
        dictScanBucket(&d->ht[0], v, fn, bucketfn, privdata);
        return dictScanNextCursor(v, d->ht[0].sizemask);
    }

    /* Rehashing: entries may sit in either table. */
    small = &d->ht[0];
    big = &d->ht[1];
    if (small->size > big->size) { /* shrinking: ht[1] is the small one */
        small = &d->ht[1];
        big = &d->ht[0];
    }
    dictScanBucket(small, v, fn, bucketfn, privdata);

    /* Bucket (v & small mask) of the small table corresponds to every big
     * bucket whose low bits equal it: with sizes 8 and 32, bucket 5 maps to
     * 5, 13, 21, 29. Walk them by stepping the cursor while the bits that
     * exist only in the big mask keep changing. */
    do {
        dictScanBucket(big, v, fn, bucketfn, privdata);
        v = dictScanNextCursor(v, big->sizemask);
    } while (v & (small->sizemask ^ big->sizemask));

    return v;
}
/* ANCHOR_END: dict-scan */

/* ------------------------- private functions ------------------------------ */

/**
 * @brief Grow the table if it is full (or create it if missing).
 * @param d The dict.
 * @return DICT_OK, or DICT_ERR if the expansion failed.
 *
 * Rule: grow to the power of two >= used*2 once used >= size (load factor
 * 1), unless resizing is disabled, in which case wait for used/size > 5.
 * Called by: _dictKeyIndex() before every insertion.
 */
static int _dictExpandIfNeeded(dict *d) {
    /* A rehash is already under way: it will finish first. */
    if (dictIsRehashing(d)) return DICT_OK;

    /* Empty dict: allocate the initial 4 buckets. */
    if (d->ht[0].size == 0) return dictExpand(d, DICT_HT_INITIAL_SIZE);

    if (d->ht[0].used >= d->ht[0].size &&
        (dict_can_resize ||
         d->ht[0].used/d->ht[0].size > dict_force_resize_ratio))
    {
        return dictExpand(d, d->ht[0].used*2);
    }
    return DICT_OK;
}

/**
 * @brief Smallest power of two >= @p size, at least DICT_HT_INITIAL_SIZE.
 * @param size Wanted size.
 * @return 4, 8, 16, ...; LONG_MAX+1 for absurd requests.
 *
 * Powers of two let the bucket index be hash & (size-1) instead of a
 * division.
 * Called by: dictExpand().
 */
static unsigned long _dictNextPower(unsigned long size) {
    unsigned long i = DICT_HT_INITIAL_SIZE;

    if (size >= LONG_MAX) return LONG_MAX + 1LU;
    while(1) {
        if (i >= size)
            return i;
        i *= 2;
    }
}

/**
 * @brief Bucket where @p key should be inserted, or -1 if it exists.
 * @param d The dict.
 * @param key Key.
 * @param hash dictHashKey(d, key), computed once by the caller.
 * @param existing If not NULL and the key exists, receives its entry.
 * @return Bucket index in the table that receives inserts (ht[1] during
 *         a rehash), or -1.
 *
 * Called by: dictAddRaw().
 */
static long _dictKeyIndex(dict *d, const void *key, uint64_t hash, dictEntry **existing) {
    unsigned long idx, table;
    dictEntry *he;

    if (existing) *existing = NULL;

    if (_dictExpandIfNeeded(d) == DICT_ERR)
        return -1;
    for (table = 0; table <= 1; table++) {
        idx = hash & d->ht[table].sizemask;
        he = d->ht[table].table[idx];
        while(he) {
            if (key==he->key || dictCompareKeys(d, key, he->key)) {
                if (existing) *existing = he;
                return -1;
            }
            he = he->next;
        }
        /* After the loop idx refers to ht[1] if rehashing: the right
         * table for a new key. */
        if (!dictIsRehashing(d)) break;
    }
    return idx;
}

/**
 * @brief Remove every entry but keep the dict usable.
 * @param d The dict.
 * @param callback Called every 65536 buckets with d->privdata (may be NULL).
 *
 * Called by: FLUSHDB / FLUSHALL (emptyDb()).
 */
void dictEmpty(dict *d, void (*callback)(void*)) {
    _dictClear(d,&d->ht[0],callback);
    _dictClear(d,&d->ht[1],callback);
    d->rehashidx = -1;
    d->iterators = 0;
}

/**
 * @brief Allow tables to grow at load factor 1 (the default).
 *
 * Called by: the server when no child process is running.
 */
void dictEnableResize(void) {
    dict_can_resize = 1;
}

/**
 * @brief Forbid growth until a table is 5x overfull (copy-on-write friendly).
 *
 * Called by: the server while a BGSAVE/BGREWRITEAOF child exists.
 */
void dictDisableResize(void) {
    dict_can_resize = 0;
}
