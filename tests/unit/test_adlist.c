/**
 * @file test_adlist.c
 * @brief Check unit tests for adlist.c: insertion at both ends and in the
 *        middle, deletion during iteration, dup/match/free methods, rotate,
 *        join, index.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "adlist.h"
#include "zmalloc.h"

/** Number of times count_free() ran. */
static int frees;

/**
 * @brief Free method that counts its calls and frees the value.
 * @param p Value.
 */
static void count_free(void *p) {
    frees++;
    zfree(p);
}

/**
 * @brief Dup method copying a C string.
 * @param p C string.
 * @return Copy.
 */
static void *dup_str(void *p) {
    return zstrdup(p);
}

/**
 * @brief Dup method that fails on "bad".
 * @param p C string.
 * @return Copy, or NULL for "bad".
 */
static void *dup_fail(void *p) {
    if (strcmp(p, "bad") == 0) return NULL;
    return zstrdup(p);
}

/**
 * @brief Match method comparing C strings.
 * @param a Value in the list.
 * @param b Key searched.
 * @return 1 if equal.
 */
static int match_str(void *a, void *b) {
    return strcmp(a, b) == 0;
}

/**
 * @brief Concatenate the single-char values of @p l in iteration order.
 * @param l List of C strings.
 * @param dir AL_START_HEAD or AL_START_TAIL.
 * @param out Buffer of at least listLength(l)+1 bytes.
 */
static void collect(list *l, int dir, char *out) {
    listIter *it = listGetIterator(l, dir);
    listNode *n;

    while ((n = listNext(it)) != NULL) *out++ = ((char*)listNodeValue(n))[0];
    *out = '\0';
    listReleaseIterator(it);
}

/** @brief Head/tail insertion, order, prev/next links. */
START_TEST(test_add_order)
{
    list *l = listCreate();
    char buf[16];

    ck_assert_uint_eq(listLength(l), 0);
    ck_assert_ptr_null(listFirst(l));
    ck_assert_ptr_null(listLast(l));

    listAddNodeTail(l, "b");
    listAddNodeTail(l, "c");
    listAddNodeHead(l, "a");
    ck_assert_uint_eq(listLength(l), 3);
    collect(l, AL_START_HEAD, buf);
    ck_assert_str_eq(buf, "abc");
    collect(l, AL_START_TAIL, buf);
    ck_assert_str_eq(buf, "cba");
    ck_assert_ptr_null(listPrevNode(listFirst(l)));
    ck_assert_ptr_null(listNextNode(listLast(l)));
    ck_assert_str_eq(listNodeValue(listNextNode(listFirst(l))), "b");
    ck_assert_str_eq(listNodeValue(listPrevNode(listLast(l))), "b");
    listRelease(l);

    /* First insertion at the head sets both ends. */
    l = listCreate();
    listAddNodeHead(l, "x");
    ck_assert_ptr_eq(listFirst(l), listLast(l));
    listRelease(l);
}
END_TEST

/** @brief listInsertNode before/after, at the ends and in the middle. */
START_TEST(test_insert)
{
    list *l = listCreate();
    char buf[16];

    listAddNodeTail(l, "b");
    listInsertNode(l, listFirst(l), "a", 0); /* before head */
    listInsertNode(l, listLast(l), "d", 1);  /* after tail */
    listInsertNode(l, listIndex(l, 1), "c", 1); /* middle */
    collect(l, AL_START_HEAD, buf);
    ck_assert_str_eq(buf, "abcd");
    collect(l, AL_START_TAIL, buf);
    ck_assert_str_eq(buf, "dcba");
    ck_assert_str_eq(listNodeValue(listFirst(l)), "a");
    ck_assert_str_eq(listNodeValue(listLast(l)), "d");
    ck_assert_uint_eq(listLength(l), 4);
    listRelease(l);
}
END_TEST

/** @brief listIndex with positive, negative, out-of-range indexes. */
START_TEST(test_index)
{
    list *l = listCreate();

    listAddNodeTail(l, "a");
    listAddNodeTail(l, "b");
    listAddNodeTail(l, "c");
    ck_assert_str_eq(listNodeValue(listIndex(l, 0)), "a");
    ck_assert_str_eq(listNodeValue(listIndex(l, 2)), "c");
    ck_assert_str_eq(listNodeValue(listIndex(l, -1)), "c");
    ck_assert_str_eq(listNodeValue(listIndex(l, -3)), "a");
    ck_assert_ptr_null(listIndex(l, 3));
    ck_assert_ptr_null(listIndex(l, -4));
    listRelease(l);
}
END_TEST

/** @brief Deleting the node just returned by listNext() keeps iterating. */
START_TEST(test_delete_while_iterating)
{
    list *l = listCreate();
    listIter li;
    listNode *n;
    char buf[16];
    const char *vals = "abcdef";
    int j;

    frees = 0;
    listSetFreeMethod(l, count_free);
    ck_assert_ptr_eq(listGetFree(l), count_free);
    for (j = 0; j < 6; j++) {
        char *v = zmalloc(2);
        v[0] = vals[j];
        v[1] = '\0';
        listAddNodeTail(l, v);
    }
    /* Delete positions 0, 2 and 4 (a, c, e) as the walk reaches them. */
    listRewind(l, &li);
    j = 0;
    while ((n = listNext(&li)) != NULL) {
        if (j++ % 2 == 0) listDelNode(l, n);
    }
    ck_assert_int_eq(frees, 3);
    collect(l, AL_START_HEAD, buf);
    ck_assert_str_eq(buf, "bdf");

    /* Backwards, deleting everything, head and tail included. */
    listRewindTail(l, &li);
    while ((n = listNext(&li)) != NULL) listDelNode(l, n);
    ck_assert_uint_eq(listLength(l), 0);
    ck_assert_ptr_null(listFirst(l));
    ck_assert_ptr_null(listLast(l));
    ck_assert_int_eq(frees, 6);
    listRelease(l);
}
END_TEST

/** @brief listDup with and without a dup method, and a failing dup. */
START_TEST(test_dup)
{
    list *l = listCreate(), *c;
    char buf[16];

    listAddNodeTail(l, "a");
    listAddNodeTail(l, "b");

    /* No dup method: values are shared. */
    c = listDup(l);
    ck_assert_uint_eq(listLength(c), 2);
    ck_assert_ptr_eq(listNodeValue(listFirst(c)), listNodeValue(listFirst(l)));
    listRelease(c);

    /* With a dup method: fresh copies, freed by the copied free method. */
    listSetDupMethod(l, dup_str);
    ck_assert_ptr_eq(listGetDupMethod(l), dup_str);
    c = listDup(l);
    listSetFreeMethod(c, zfree);
    ck_assert_ptr_ne(listNodeValue(listFirst(c)), listNodeValue(listFirst(l)));
    collect(c, AL_START_HEAD, buf);
    ck_assert_str_eq(buf, "ab");
    listRelease(c);

    /* A failing dup releases the partial copy and returns NULL. */
    listAddNodeTail(l, "bad");
    listSetDupMethod(l, dup_fail);
    listSetFreeMethod(l, zfree); /* copied to the partial list */
    c = listDup(l);
    ck_assert_ptr_null(c);
    listSetFreeMethod(l, NULL);  /* l's own values are literals */
    listRelease(l);
}
END_TEST

/** @brief listSearchKey by pointer and by match method. */
START_TEST(test_search)
{
    list *l = listCreate();
    char key[] = "b";
    char *b = "b";

    listAddNodeTail(l, "a");
    listAddNodeTail(l, b);
    /* By pointer: a different buffer with the same text is not found. */
    ck_assert_ptr_null(listSearchKey(l, key));
    ck_assert_ptr_eq(listNodeValue(listSearchKey(l, b)), b);

    listSetMatchMethod(l, match_str);
    ck_assert_ptr_eq(listGetMatchMethod(l), match_str);
    ck_assert_ptr_nonnull(listSearchKey(l, key));
    ck_assert_ptr_null(listSearchKey(l, "z"));
    listRelease(l);
}
END_TEST

/** @brief listRotateTailToHead moves the tail to the head; no-op on 0/1 nodes. */
START_TEST(test_rotate)
{
    list *l = listCreate();
    char buf[16];

    listRotateTailToHead(l);
    listAddNodeTail(l, "a");
    listRotateTailToHead(l);
    collect(l, AL_START_HEAD, buf);
    ck_assert_str_eq(buf, "a");
    listAddNodeTail(l, "b");
    listAddNodeTail(l, "c");
    listRotateTailToHead(l);
    collect(l, AL_START_HEAD, buf);
    ck_assert_str_eq(buf, "cab");
    collect(l, AL_START_TAIL, buf);
    ck_assert_str_eq(buf, "bac");
    listRelease(l);
}
END_TEST

/** @brief listJoin in all empty/non-empty combinations. */
START_TEST(test_join)
{
    list *a = listCreate(), *b = listCreate();
    char buf[16];

    listAddNodeTail(a, "a");
    listAddNodeTail(b, "b");
    listAddNodeTail(b, "c");
    listJoin(a, b);
    ck_assert_uint_eq(listLength(a), 3);
    ck_assert_uint_eq(listLength(b), 0);
    ck_assert_ptr_null(listFirst(b));
    ck_assert_ptr_null(listLast(b));
    collect(a, AL_START_HEAD, buf);
    ck_assert_str_eq(buf, "abc");
    collect(a, AL_START_TAIL, buf);
    ck_assert_str_eq(buf, "cba");

    /* Joining an empty list changes nothing. */
    listJoin(a, b);
    ck_assert_uint_eq(listLength(a), 3);
    ck_assert_str_eq(listNodeValue(listLast(a)), "c");

    /* Joining into an empty list moves everything. */
    listJoin(b, a);
    ck_assert_uint_eq(listLength(b), 3);
    ck_assert_uint_eq(listLength(a), 0);
    collect(b, AL_START_TAIL, buf);
    ck_assert_str_eq(buf, "cba");
    listRelease(a);
    listRelease(b);
}
END_TEST

/** @brief listEmpty frees values and leaves a usable list; no leaks. */
START_TEST(test_empty_and_memory)
{
    size_t before = zmalloc_used_memory();
    list *l = listCreate();
    int j;

    frees = 0;
    listSetFreeMethod(l, count_free);
    for (j = 0; j < 10; j++) listAddNodeHead(l, zmalloc(8));
    listEmpty(l);
    ck_assert_int_eq(frees, 10);
    ck_assert_uint_eq(listLength(l), 0);
    listAddNodeTail(l, zmalloc(8));
    listRelease(l);
    ck_assert_int_eq(frees, 11);
    ck_assert_uint_eq(zmalloc_used_memory(), before);
}
END_TEST

/**
 * @brief The suite of this file.
 * @return A Suite with all adlist test cases.
 */
static Suite *adlist_suite(void) {
    Suite *s = suite_create("adlist");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_add_order);
    tcase_add_test(tc, test_insert);
    tcase_add_test(tc, test_index);
    tcase_add_test(tc, test_delete_while_iterating);
    tcase_add_test(tc, test_dup);
    tcase_add_test(tc, test_search);
    tcase_add_test(tc, test_rotate);
    tcase_add_test(tc, test_join);
    tcase_add_test(tc, test_empty_and_memory);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the suite.
 * @return 0 if every test passed, 1 otherwise.
 */
int main(void) {
    SRunner *sr = srunner_create(adlist_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
