/**
 * @file test_dict.c
 * @brief Check unit tests for dict.c and siphash.c: basic operations,
 *        incremental rehashing observed step by step, safe iterators
 *        pausing rehash, SCAN cursors across resizes, hashing.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "dict.h"
#include "sds.h"
#include "zmalloc.h"

/* ---------------------------- a dictType for sds keys ---------------------------- */

/** Number of values passed to val_destructor(). */
static int val_frees;

/**
 * @brief Hash an sds key.
 * @param key sds.
 * @return SipHash of its bytes.
 */
static uint64_t sds_hash(const void *key) {
    return dictGenHashFunction(key, sdslen((sds)key));
}

/**
 * @brief Compare two sds keys.
 * @param privdata Unused.
 * @param a First key.
 * @param b Second key.
 * @return 1 if equal.
 */
static int sds_compare(void *privdata, const void *a, const void *b) {
    return sdslen((sds)a) == sdslen((sds)b) && memcmp(a, b, sdslen((sds)a)) == 0;
}

/**
 * @brief Free an sds key.
 * @param privdata Unused.
 * @param key sds.
 */
static void sds_destructor(void *privdata, void *key) {
    sdsfree(key);
}

/**
 * @brief Count value destructions (values are small integers cast to pointers).
 * @param privdata Unused.
 * @param val Value.
 */
static void val_destructor(void *privdata, void *val) {
    val_frees++;
}

/** sds keys owned by the dict, integer values. */
static dictType sdsDictType = {
    sds_hash, NULL, NULL, sds_compare, sds_destructor, val_destructor
};

/**
 * @brief Key "key:<n>" as a new sds.
 * @param n Number.
 * @return sds.
 */
static sds key(long n) {
    return sdscatprintf(sdsempty(), "key:%ld", n);
}

/**
 * @brief Look up "key:<n>" without keeping the temporary key.
 * @param d Dict.
 * @param n Number.
 * @return Entry or NULL.
 */
static dictEntry *find(dict *d, long n) {
    sds k = key(n);
    dictEntry *de = dictFind(d, k);
    sdsfree(k);
    return de;
}

/**
 * @brief Add "key:<n>" -> n.
 * @param d Dict.
 * @param n Number.
 * @return DICT_OK or DICT_ERR.
 */
static int add(dict *d, long n) {
    sds k = key(n);
    int rv = dictAdd(d, k, (void*)n);
    if (rv != DICT_OK) sdsfree(k);
    return rv;
}

/**
 * @brief Finish any rehash in progress.
 * @param d Dict.
 */
static void finish_rehash(dict *d) {
    while (dictRehash(d, 1000));
}

/** @brief Fixed, known seed so tests are reproducible. */
static void setup(void) {
    uint8_t seed[16];
    int j;

    for (j = 0; j < 16; j++) seed[j] = (uint8_t)(j * 7 + 1);
    dictSetHashFunctionSeed(seed);
    dictEnableResize();
    val_frees = 0;
}

/* ---------------------------- hashing ---------------------------- */

/** @brief SipHash-2-4 reference vectors and the case-insensitive variant. */
START_TEST(test_siphash)
{
    uint8_t k[16], in[64];
    int j;

    for (j = 0; j < 16; j++) k[j] = j;
    for (j = 0; j < 64; j++) in[j] = j;
    /* Vectors from the SipHash paper / reference implementation. */
    ck_assert_uint_eq(siphash(in, 15, k), 0xa129ca6149be45e5ULL);
    ck_assert_uint_eq(siphash(in, 0, k), 0x726fdb47dd0e0e31ULL);
    ck_assert_uint_eq(siphash(in, 8, k), 0x93f5f5799a932462ULL);

    ck_assert_uint_eq(siphash_nocase((const uint8_t*)"SeT", 3, k),
                      siphash((const uint8_t*)"set", 3, k));
    ck_assert_uint_eq(dictGenCaseHashFunction((const unsigned char*)"GET", 3),
                      dictGenCaseHashFunction((const unsigned char*)"get", 3));
    ck_assert_uint_ne(dictGenHashFunction("GET", 3), dictGenHashFunction("get", 3));

    /* Different seed, different hash. */
    {
        uint64_t h1 = dictGenHashFunction("abc", 3);
        uint8_t seed[16] = {0};
        dictSetHashFunctionSeed(seed);
        ck_assert_int_eq(memcmp(dictGetHashFunctionSeed(), seed, 16), 0);
        ck_assert_uint_ne(h1, dictGenHashFunction("abc", 3));
    }
}
END_TEST

/* ---------------------------- basic operations ---------------------------- */

/** @brief Add, duplicate add, find, fetch, delete, replace. */
START_TEST(test_basic)
{
    dict *d = dictCreate(&sdsDictType, NULL);
    sds k;

    ck_assert_uint_eq(dictSize(d), 0);
    ck_assert_uint_eq(dictSlots(d), 0);
    ck_assert_ptr_null(find(d, 1));
    ck_assert_int_eq(add(d, 1), DICT_OK);
    ck_assert_int_eq(add(d, 1), DICT_ERR);
    ck_assert_uint_eq(dictSize(d), 1);
    ck_assert_uint_eq(dictSlots(d), DICT_HT_INITIAL_SIZE);

    k = key(1);
    ck_assert_ptr_eq(dictFetchValue(d, k), (void*)1);
    ck_assert_str_eq(dictGetKey(dictFind(d, k)), "key:1");

    /* Replace: 0 when overwriting, old value destroyed after the set. */
    ck_assert_int_eq(dictReplace(d, k, (void*)7), 0);
    ck_assert_int_eq(val_frees, 1);
    ck_assert_ptr_eq(dictFetchValue(d, k), (void*)7);
    sdsfree(k);
    k = key(2);
    ck_assert_int_eq(dictReplace(d, k, (void*)2), 1); /* dict owns k now */

    k = key(1);
    ck_assert_int_eq(dictDelete(d, k), DICT_OK);
    ck_assert_int_eq(dictDelete(d, k), DICT_ERR);
    ck_assert_int_eq(val_frees, 2);
    ck_assert_ptr_null(dictFetchValue(d, k));
    sdsfree(k);
    ck_assert_uint_eq(dictSize(d), 1);
    dictRelease(d);
}
END_TEST

/** @brief dictAddRaw/dictAddOrFind with in-place integer values. */
START_TEST(test_addraw_integers)
{
    dict *d = dictCreate(&sdsDictType, NULL);
    dictEntry *de, *existing;
    sds k = key(5);

    de = dictAddRaw(d, k, &existing);
    ck_assert_ptr_nonnull(de);
    ck_assert_ptr_null(existing);
    dictSetSignedIntegerVal(de, -12345);
    ck_assert_int_eq(dictGetSignedIntegerVal(dictFind(d, k)), -12345);

    k = key(5);
    ck_assert_ptr_null(dictAddRaw(d, k, &existing));
    ck_assert_ptr_eq(existing, de);
    ck_assert_ptr_eq(dictAddOrFind(d, k), de);
    sdsfree(k);

    de = dictAddOrFind(d, key(6));
    dictSetUnsignedIntegerVal(de, 18446744073709551615ULL);
    ck_assert_uint_eq(dictGetUnsignedIntegerVal(de), 18446744073709551615ULL);
    dictSetDoubleVal(de, 1.5);
    ck_assert(dictGetDoubleVal(de) == 1.5);

    /* val_destructor only counts, so numbers in v are safe to "free". */
    dictRelease(d);
}
END_TEST

/** @brief dictUnlink returns the entry intact; dictFreeUnlinkedEntry frees it. */
START_TEST(test_unlink)
{
    dict *d = dictCreate(&sdsDictType, NULL);
    sds k = key(3);
    dictEntry *de;

    add(d, 3);
    de = dictUnlink(d, k);
    ck_assert_ptr_nonnull(de);
    ck_assert_uint_eq(dictSize(d), 0);
    ck_assert_str_eq(dictGetKey(de), "key:3");
    ck_assert_ptr_eq(dictGetVal(de), (void*)3);
    ck_assert_int_eq(val_frees, 0);
    dictFreeUnlinkedEntry(d, de);
    ck_assert_int_eq(val_frees, 1);
    dictFreeUnlinkedEntry(d, NULL);
    ck_assert_ptr_null(dictUnlink(d, k));
    sdsfree(k);
    dictRelease(d);
}
END_TEST

/* ---------------------------- rehashing ---------------------------- */

/** @brief The 5th key into 4 buckets starts a rehash to 8; steps finish it. */
START_TEST(test_rehash_starts_and_finishes)
{
    dict *d = dictCreate(&sdsDictType, NULL);
    long j;

    for (j = 0; j < 4; j++) add(d, j);
    ck_assert(!dictIsRehashing(d));
    ck_assert_uint_eq(d->ht[0].size, 4);

    add(d, 4);
    ck_assert(dictIsRehashing(d));
    ck_assert_uint_eq(d->ht[1].size, 8);
    ck_assert_uint_eq(dictSlots(d), 12);
    ck_assert_uint_eq(dictSize(d), 5);
    ck_assert_uint_ge(d->ht[1].used, 1); /* the new key went to ht[1] */

    /* Lookups move buckets; each one advances rehashidx. */
    for (j = 0; j < 5 && dictIsRehashing(d); j++) {
        long before = d->rehashidx;
        ck_assert_ptr_nonnull(find(d, j));
        ck_assert(!dictIsRehashing(d) || d->rehashidx > before);
    }
    finish_rehash(d);
    ck_assert(!dictIsRehashing(d));
    ck_assert_uint_eq(d->ht[0].size, 8);
    ck_assert_uint_eq(d->ht[1].size, 0);
    ck_assert_ptr_null(d->ht[1].table);
    for (j = 0; j < 5; j++) ck_assert_ptr_nonnull(find(d, j));
    dictRelease(d);
}
END_TEST

/** @brief Every key stays findable at every moment of repeated growth. */
START_TEST(test_rehash_all_findable)
{
    dict *d = dictCreate(&sdsDictType, NULL);
    long j, i;
    int saw_rehash = 0;

    for (j = 0; j < 300; j++) {
        ck_assert_int_eq(add(d, j), DICT_OK);
        if (dictIsRehashing(d)) saw_rehash++;
        if (j % 17 == 0) {
            for (i = 0; i <= j; i++)
                ck_assert_ptr_eq(dictGetVal(find(d, i)), (void*)i);
        }
    }
    ck_assert_int_gt(saw_rehash, 0);
    ck_assert_uint_eq(dictSize(d), 300);
    dictRelease(d);
}
END_TEST

/**
 * @brief Build a dict of @p n keys caught in the middle of a rehash:
 *        both tables hold entries.
 * @param n Number of keys.
 * @return The dict.
 */
static dict *half_rehashed(long n) {
    dict *d = dictCreate(&sdsDictType, NULL);
    long j;

    for (j = 0; j < n; j++) add(d, j);
    finish_rehash(d);
    ck_assert_int_eq(dictExpand(d, 1024), DICT_OK);
    ck_assert(dictIsRehashing(d));
    ck_assert_int_eq(dictExpand(d, 4096), DICT_ERR); /* one at a time */
    dictRehash(d, 10);
    ck_assert(dictIsRehashing(d));
    ck_assert_uint_gt(d->ht[0].used, 0);
    ck_assert_uint_gt(d->ht[1].used, 0);
    return d;
}

/** @brief Add, find and delete while a rehash is in progress. */
START_TEST(test_ops_during_rehash)
{
    dict *d = half_rehashed(100);
    long j, in_old = -1, in_new = -1;
    unsigned long b;

    /* Pick one key still in ht[0] and one already in ht[1]. */
    for (b = d->rehashidx; b < d->ht[0].size && in_old < 0; b++)
        if (d->ht[0].table[b]) in_old = (long)dictGetVal(d->ht[0].table[b]);
    for (b = 0; b < d->ht[1].size && in_new < 0; b++)
        if (d->ht[1].table[b]) in_new = (long)dictGetVal(d->ht[1].table[b]);
    ck_assert_int_ge(in_old, 0);
    ck_assert_int_ge(in_new, 0);

    /* New keys land in ht[1] even while ht[0] still has entries. */
    {
        unsigned long used1 = d->ht[1].used;
        ck_assert_int_eq(add(d, 1000), DICT_OK);
        ck_assert_uint_ge(d->ht[1].used, used1 + 1);
        ck_assert_int_eq(add(d, 1000), DICT_ERR); /* duplicate seen across tables */
    }

    /* Delete from both tables. */
    {
        sds k1 = key(in_old), k2 = key(in_new);
        ck_assert_int_eq(dictDelete(d, k1), DICT_OK);
        ck_assert_int_eq(dictDelete(d, k2), DICT_OK);
        ck_assert_ptr_null(dictFind(d, k1));
        ck_assert_ptr_null(dictFind(d, k2));
        sdsfree(k1);
        sdsfree(k2);
    }
    ck_assert_uint_eq(dictSize(d), 99);
    for (j = 0; j < 100; j++) {
        if (j == in_old || j == in_new) continue;
        ck_assert_ptr_eq(dictGetVal(find(d, j)), (void*)j);
    }
    ck_assert_ptr_nonnull(find(d, 1000));
    finish_rehash(d);
    ck_assert_uint_eq(d->ht[0].size, 1024);
    ck_assert_uint_eq(dictSize(d), 99);
    dictRelease(d);
}
END_TEST

/** @brief A safe iterator pauses rehashing, allows deletes, sees each key once. */
START_TEST(test_safe_iterator_pauses_rehash)
{
    dict *d = half_rehashed(200);
    dictIterator *it = dictGetSafeIterator(d);
    dictEntry *de;
    char seen[200];
    long idx_before;
    int count = 0;

    memset(seen, 0, sizeof(seen));
    de = dictNext(it);
    ck_assert_ptr_nonnull(de);
    ck_assert_uint_eq(d->iterators, 1);
    idx_before = d->rehashidx;

    /* Lookups would normally each move a bucket; not now. */
    ck_assert_ptr_nonnull(find(d, 5));
    ck_assert_ptr_nonnull(find(d, 6));
    ck_assert_int_eq(d->rehashidx, idx_before);

    /* Delete every key as we see it: the iterator keeps going. */
    do {
        long v = (long)dictGetVal(de);
        ck_assert_int_eq(seen[v], 0);
        seen[v] = 1;
        count++;
        ck_assert_int_eq(dictDelete(d, dictGetKey(de)), DICT_OK);
    } while ((de = dictNext(it)) != NULL);
    ck_assert_int_eq(count, 200);
    ck_assert_int_eq(d->rehashidx, idx_before);
    dictReleaseIterator(it);
    ck_assert_uint_eq(d->iterators, 0);
    ck_assert_uint_eq(dictSize(d), 0);

    /* With the iterator gone, operations step the rehash again. */
    add(d, 1);
    ck_assert(!dictIsRehashing(d) || d->rehashidx != idx_before);
    dictRelease(d);
}
END_TEST

/** @brief An unsafe iterator over a rehashing dict visits each key once. */
START_TEST(test_unsafe_iterator)
{
    dict *d = half_rehashed(150);
    dictIterator *it = dictGetIterator(d);
    dictEntry *de;
    char seen[150];
    int count = 0;

    memset(seen, 0, sizeof(seen));
    while ((de = dictNext(it)) != NULL) {
        long v = (long)dictGetVal(de);
        ck_assert_int_eq(seen[v], 0);
        seen[v] = 1;
        count++;
    }
    dictReleaseIterator(it); /* fingerprint unchanged: no assert */
    ck_assert_int_eq(count, 150);

    /* Iterator released without any dictNext(). */
    dictReleaseIterator(dictGetIterator(d));
    dictReleaseIterator(dictGetSafeIterator(d));
    ck_assert_uint_eq(d->iterators, 0);
    dictRelease(d);

    /* Empty dict: the walk ends at once. */
    d = dictCreate(&sdsDictType, NULL);
    it = dictGetIterator(d);
    ck_assert_ptr_null(dictNext(it));
    dictReleaseIterator(it);
    dictRelease(d);
}
END_TEST

/** @brief Resize disabled: growth waits for used/size > 5, then resumes. */
START_TEST(test_resize_policy)
{
    dict *d = dictCreate(&sdsDictType, NULL);
    long j;

    dictDisableResize();
    for (j = 0; j < 24; j++) add(d, j);
    ck_assert(!dictIsRehashing(d));
    ck_assert_uint_eq(dictSlots(d), 4); /* 24 keys in 4 buckets */
    add(d, 24); /* 24/4 = 6 > 5: forced */
    ck_assert(dictIsRehashing(d));
    ck_assert_uint_eq(d->ht[1].size, 64);
    ck_assert_int_eq(dictResize(d), DICT_ERR); /* disabled */
    dictEnableResize();
    finish_rehash(d);

    /* Shrink after deleting most keys. */
    for (j = 0; j < 22; j++) {
        sds k = key(j);
        dictDelete(d, k);
        sdsfree(k);
    }
    ck_assert_int_eq(dictResize(d), DICT_OK);
    finish_rehash(d);
    ck_assert_uint_eq(dictSlots(d), 4);
    ck_assert_uint_eq(dictSize(d), 3);
    ck_assert_int_eq(dictResize(d), DICT_ERR); /* already that size */
    dictRelease(d);
}
END_TEST

/** @brief dictRehashMilliseconds completes a large rehash in batches of 100. */
START_TEST(test_rehash_milliseconds)
{
    dict *d = dictCreate(&sdsDictType, NULL);
    long j;
    int total = 0, n;

    for (j = 0; j < 5000; j++) add(d, j);
    finish_rehash(d);
    ck_assert_int_eq(dictExpand(d, 65536), DICT_OK);
    while ((n = dictRehashMilliseconds(d, 100)) > 0) {
        ck_assert_int_eq(n % 100, 0);
        total += n;
    }
    ck_assert(!dictIsRehashing(d));
    ck_assert_int_gt(total, 0);
    ck_assert_uint_eq(d->ht[0].size, 65536);
    ck_assert_ptr_nonnull(find(d, 4999));
    dictRelease(d);
}
END_TEST

/** @brief dictGetRandomKey returns stored keys, also during rehash. */
START_TEST(test_random_key)
{
    dict *d = dictCreate(&sdsDictType, NULL);
    int j;

    ck_assert_ptr_null(dictGetRandomKey(d));
    dictRelease(d);

    d = half_rehashed(50);
    for (j = 0; j < 200; j++) {
        dictEntry *de = dictGetRandomKey(d);
        long v;
        ck_assert_ptr_nonnull(de);
        v = (long)dictGetVal(de);
        ck_assert(v >= 0 && v < 50);
    }
    dictRelease(d);
}
END_TEST

/**
 * @brief dictScan callback marking each key seen.
 * @param privdata char array indexed by value.
 * @param de Entry.
 */
static void scan_cb(void *privdata, const dictEntry *de) {
    char *seen = privdata;
    seen[(long)de->v.val] = 1;
}

/** Buckets visited by count_bucket(). */
static int buckets;

/**
 * @brief dictScan bucket callback counting visits.
 * @param privdata Unused.
 * @param bucketref Bucket.
 */
static void count_bucket(void *privdata, dictEntry **bucketref) {
    buckets++;
}

/** @brief A full SCAN returns every key, with and without a rehash in progress,
 *         and across a resize happening in the middle of the scan. */
START_TEST(test_scan)
{
    dict *d = dictCreate(&sdsDictType, NULL);
    char seen[2000];
    unsigned long cursor = 0;
    long j;
    int calls = 0;

    ck_assert_uint_eq(dictScan(d, 0, scan_cb, NULL, seen), 0);

    for (j = 0; j < 100; j++) add(d, j);
    finish_rehash(d);
    memset(seen, 0, sizeof(seen));
    buckets = 0;
    do {
        cursor = dictScan(d, cursor, scan_cb, count_bucket, seen);
        calls++;
    } while (cursor != 0);
    ck_assert_int_eq(calls, (int)d->ht[0].size); /* one bucket per call */
    ck_assert_int_eq(buckets, (int)d->ht[0].size);
    for (j = 0; j < 100; j++) ck_assert_int_eq(seen[j], 1);
    dictRelease(d);

    /* During a rehash. */
    d = half_rehashed(300);
    memset(seen, 0, sizeof(seen));
    cursor = 0;
    do {
        cursor = dictScan(d, cursor, scan_cb, NULL, seen);
    } while (cursor != 0);
    for (j = 0; j < 300; j++) ck_assert_int_eq(seen[j], 1);
    dictRelease(d);

    /* The table grows (16 -> 4096 buckets) halfway through the scan. */
    d = dictCreate(&sdsDictType, NULL);
    for (j = 0; j < 10; j++) add(d, j);
    finish_rehash(d);
    memset(seen, 0, sizeof(seen));
    cursor = 0;
    calls = 0;
    do {
        cursor = dictScan(d, cursor, scan_cb, NULL, seen);
        if (++calls == 3)
            for (j = 10; j < 2000; j++) add(d, j);
    } while (cursor != 0);
    for (j = 0; j < 10; j++) ck_assert_int_eq(seen[j], 1);
    dictRelease(d);
}
END_TEST

/** Times empty_cb() ran. */
static int empty_calls;

/**
 * @brief dictEmpty progress callback.
 * @param privdata Unused.
 */
static void empty_cb(void *privdata) {
    empty_calls++;
}

/** @brief dictEmpty frees everything, calls back, leaves a usable dict; no leaks. */
START_TEST(test_empty_and_memory)
{
    size_t before = zmalloc_used_memory();
    dict *d = half_rehashed(500);

    empty_calls = 0;
    dictEmpty(d, empty_cb);
    ck_assert_int_gt(empty_calls, 0);
    ck_assert_int_eq(val_frees, 500);
    ck_assert_uint_eq(dictSize(d), 0);
    ck_assert_uint_eq(dictSlots(d), 0);
    ck_assert(!dictIsRehashing(d));
    add(d, 1);
    ck_assert_ptr_nonnull(find(d, 1));
    dictRelease(d);
    ck_assert_uint_eq(zmalloc_used_memory(), before);
}
END_TEST

/**
 * @brief The suite of this file.
 * @return A Suite with all dict test cases.
 */
static Suite *dict_suite(void) {
    Suite *s = suite_create("dict");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_siphash);
    tcase_add_test(tc, test_basic);
    tcase_add_test(tc, test_addraw_integers);
    tcase_add_test(tc, test_unlink);
    tcase_add_test(tc, test_rehash_starts_and_finishes);
    tcase_add_test(tc, test_rehash_all_findable);
    tcase_add_test(tc, test_ops_during_rehash);
    tcase_add_test(tc, test_safe_iterator_pauses_rehash);
    tcase_add_test(tc, test_unsafe_iterator);
    tcase_add_test(tc, test_resize_policy);
    tcase_add_test(tc, test_rehash_milliseconds);
    tcase_add_test(tc, test_random_key);
    tcase_add_test(tc, test_scan);
    tcase_add_test(tc, test_empty_and_memory);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the suite.
 * @return 0 if every test passed, 1 otherwise.
 */
int main(void) {
    SRunner *sr = srunner_create(dict_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
