/**
 * @file dict.h
 * @brief Hash table with incremental rehashing (Redis's "dict").
 *
 * Where it sits: behind every key lookup. The keyspace (db->dict) maps sds
 * keys to objects; the command table maps "set"/"get" to redisCommand
 * structs, so processCommand() -> lookupCommand() is one dictFetchValue().
 * In: keys and values as `void *` plus a dictType saying how to hash,
 * compare, copy and free them. Out: entries found in O(1) on average.
 *
 * Teaching point: a dict owns TWO tables, ht[0] and ht[1]. When ht[0] gets
 * full it allocates a bigger ht[1] and then moves buckets one at a time,
 * a little on every lookup/insert/delete (rehashidx says which bucket is
 * next), so no single command ever pays for copying a million keys.
 */
#ifndef __DICT_H
#define __DICT_H

#include <stdint.h>

#define DICT_OK 0   /**< Success. */
#define DICT_ERR 1  /**< Failure (key exists, key missing, resize refused...). */

/** Silence unused-variable warnings in callbacks. @param V The variable. */
#define DICT_NOTUSED(V) ((void) V)

/** @brief One key/value pair; entries in the same bucket form a chain. */
typedef struct dictEntry {
    void *key;                  /**< The key (owned per dictType). */
    /** @brief The value: a pointer, or a number stored in place. */
    union {
        void *val;              /**< Pointer value (keyspace: robj *). */
        uint64_t u64;           /**< Unsigned integer value. */
        int64_t s64;            /**< Signed integer value (expires: ms time). */
        double d;               /**< Floating point value. */
    } v;
    struct dictEntry *next;     /**< Next entry in the same bucket. */
} dictEntry;

/** @brief How a dict treats its keys and values. Any method may be NULL. */
typedef struct dictType {
    uint64_t (*hashFunction)(const void *key);                      /**< Hash a key (required). */
    void *(*keyDup)(void *privdata, const void *key);               /**< Copy a key on insert; NULL stores the pointer. */
    void *(*valDup)(void *privdata, const void *obj);               /**< Copy a value on insert; NULL stores the pointer. */
    int (*keyCompare)(void *privdata, const void *key1, const void *key2); /**< Non-zero if equal; NULL compares pointers. */
    void (*keyDestructor)(void *privdata, void *key);               /**< Free a key on delete. */
    void (*valDestructor)(void *privdata, void *obj);               /**< Free a value on delete/replace. */
} dictType;

/** @brief One hash table: a power-of-two array of bucket chains. */
typedef struct dictht {
    dictEntry **table;       /**< size buckets, each a chain or NULL. */
    unsigned long size;      /**< Number of buckets (0 or a power of two >= 4). */
    unsigned long sizemask;  /**< size-1: bucket index = hash & sizemask. */
    unsigned long used;      /**< Number of entries stored. */
} dictht;

/** @brief The dictionary: two tables plus the rehash cursor. */
typedef struct dict {
    dictType *type;          /**< Key/value methods. */
    void *privdata;          /**< Passed to every dictType method. */
    dictht ht[2];            /**< ht[1] is only used while rehashing. */
    long rehashidx;          /**< Next ht[0] bucket to move; -1 if not rehashing. */
    unsigned long iterators; /**< Safe iterators alive; while > 0 no rehash steps. */
} dict;

/**
 * @brief Iterator state.
 *
 * A safe iterator (dictGetSafeIterator) allows dictDelete()/dictAdd() while
 * iterating, because it stops the incremental rehash that would otherwise
 * move entries under its feet. An unsafe one allows only dictNext(); it
 * records a fingerprint of the dict and asserts at release that nothing
 * changed.
 */
typedef struct dictIterator {
    dict *d;                  /**< Dict being walked. */
    long index;               /**< Current bucket; -1 before the first dictNext(). */
    int table;                /**< 0 or 1: which ht[] we are in. */
    int safe;                 /**< 1 for a safe iterator. */
    dictEntry *entry;         /**< Entry last returned. */
    dictEntry *nextEntry;     /**< Saved successor, so entry may be deleted. */
    long long fingerprint;    /**< For unsafe iterators: dict state at start. */
} dictIterator;

/** Callback for dictScan(), called once per entry. */
typedef void (dictScanFunction)(void *privdata, const dictEntry *de);
/** Callback for dictScan(), called once per visited bucket. */
typedef void (dictScanBucketFunction)(void *privdata, dictEntry **bucketref);

/** Size of a freshly created hash table (buckets). */
#define DICT_HT_INITIAL_SIZE     4

/* ------------------------------- Macros ------------------------------------*/
/**
 * @brief Run the value destructor on an entry's value, if any.
 * @param d The dict.
 * @param entry The entry.
 */
#define dictFreeVal(d, entry) \
    if ((d)->type->valDestructor) \
        (d)->type->valDestructor((d)->privdata, (entry)->v.val)

/**
 * @brief Store a value in an entry, through valDup if set.
 * @param d The dict.
 * @param entry The entry.
 * @param _val_ The value.
 */
#define dictSetVal(d, entry, _val_) do { \
    if ((d)->type->valDup) \
        (entry)->v.val = (d)->type->valDup((d)->privdata, _val_); \
    else \
        (entry)->v.val = (_val_); \
} while(0)

/**
 * @brief Store a signed integer in the entry itself.
 * @param entry The entry.
 * @param _val_ The integer.
 */
#define dictSetSignedIntegerVal(entry, _val_) \
    do { (entry)->v.s64 = _val_; } while(0)

/**
 * @brief Store an unsigned integer in the entry itself.
 * @param entry The entry.
 * @param _val_ The integer.
 */
#define dictSetUnsignedIntegerVal(entry, _val_) \
    do { (entry)->v.u64 = _val_; } while(0)

/**
 * @brief Store a double in the entry itself.
 * @param entry The entry.
 * @param _val_ The double.
 */
#define dictSetDoubleVal(entry, _val_) \
    do { (entry)->v.d = _val_; } while(0)

/**
 * @brief Run the key destructor on an entry's key, if any.
 * @param d The dict.
 * @param entry The entry.
 */
#define dictFreeKey(d, entry) \
    if ((d)->type->keyDestructor) \
        (d)->type->keyDestructor((d)->privdata, (entry)->key)

/**
 * @brief Store a key in an entry, through keyDup if set.
 * @param d The dict.
 * @param entry The entry.
 * @param _key_ The key.
 */
#define dictSetKey(d, entry, _key_) do { \
    if ((d)->type->keyDup) \
        (entry)->key = (d)->type->keyDup((d)->privdata, _key_); \
    else \
        (entry)->key = (_key_); \
} while(0)

/**
 * @brief Compare two keys with keyCompare, or by pointer.
 * @param d The dict.
 * @param key1 First key.
 * @param key2 Second key.
 */
#define dictCompareKeys(d, key1, key2) \
    (((d)->type->keyCompare) ? \
        (d)->type->keyCompare((d)->privdata, key1, key2) : \
        (key1) == (key2))

/**
 * @brief Hash a key with the dict's hash function.
 * @param d The dict.
 * @param key The key.
 */
#define dictHashKey(d, key) (d)->type->hashFunction(key)
/** @brief Key of an entry. @param he The entry. */
#define dictGetKey(he) ((he)->key)
/** @brief Pointer value of an entry. @param he The entry. */
#define dictGetVal(he) ((he)->v.val)
/** @brief Signed integer value of an entry. @param he The entry. */
#define dictGetSignedIntegerVal(he) ((he)->v.s64)
/** @brief Unsigned integer value of an entry. @param he The entry. */
#define dictGetUnsignedIntegerVal(he) ((he)->v.u64)
/** @brief Double value of an entry. @param he The entry. */
#define dictGetDoubleVal(he) ((he)->v.d)
/** @brief Total buckets in both tables. @param d The dict. */
#define dictSlots(d) ((d)->ht[0].size+(d)->ht[1].size)
/** @brief Total entries in both tables. @param d The dict. */
#define dictSize(d) ((d)->ht[0].used+(d)->ht[1].used)
/** @brief Non-zero while a rehash is in progress. @param d The dict. */
#define dictIsRehashing(d) ((d)->rehashidx != -1)

/* API */
dict *dictCreate(dictType *type, void *privDataPtr);
int dictExpand(dict *d, unsigned long size);
int dictAdd(dict *d, void *key, void *val);
dictEntry *dictAddRaw(dict *d, void *key, dictEntry **existing);
dictEntry *dictAddOrFind(dict *d, void *key);
int dictReplace(dict *d, void *key, void *val);
int dictDelete(dict *d, const void *key);
dictEntry *dictUnlink(dict *ht, const void *key);
void dictFreeUnlinkedEntry(dict *d, dictEntry *he);
void dictRelease(dict *d);
dictEntry * dictFind(dict *d, const void *key);
void *dictFetchValue(dict *d, const void *key);
int dictResize(dict *d);
dictIterator *dictGetIterator(dict *d);
dictIterator *dictGetSafeIterator(dict *d);
dictEntry *dictNext(dictIterator *iter);
void dictReleaseIterator(dictIterator *iter);
dictEntry *dictGetRandomKey(dict *d);
uint64_t dictGenHashFunction(const void *key, int len);
uint64_t dictGenCaseHashFunction(const unsigned char *buf, int len);
void dictEmpty(dict *d, void (*callback)(void*));
void dictEnableResize(void);
void dictDisableResize(void);
int dictRehash(dict *d, int n);
int dictRehashMilliseconds(dict *d, int ms);
void dictSetHashFunctionSeed(uint8_t *seed);
uint8_t *dictGetHashFunctionSeed(void);
unsigned long dictScan(dict *d, unsigned long v, dictScanFunction *fn, dictScanBucketFunction *bucketfn, void *privdata);

/* siphash.c */
uint64_t siphash(const uint8_t *in, const size_t inlen, const uint8_t *k);
uint64_t siphash_nocase(const uint8_t *in, const size_t inlen, const uint8_t *k);

#endif /* __DICT_H */
