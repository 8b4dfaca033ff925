/**
 * @file test_zmalloc.c
 * @brief Check unit tests for zmalloc.c: the used_memory counter follows
 *        every allocation, zcalloc zeroes, zrealloc edge cases, RSS probe.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zmalloc.h"

/** @brief used_memory grows by the usable size and returns to its start. */
START_TEST(test_counter)
{
    size_t before = zmalloc_used_memory();
    char *p = zmalloc(100);
    size_t sz = zmalloc_size(p);

    ck_assert_uint_ge(sz, 100);
    ck_assert_uint_eq(zmalloc_used_memory(), before + sz);
    p = zrealloc(p, 5000);
    ck_assert_uint_eq(zmalloc_used_memory(), before + zmalloc_size(p));
    zfree(p);
    ck_assert_uint_eq(zmalloc_used_memory(), before);
    zfree(NULL);
    ck_assert_uint_eq(zmalloc_used_memory(), before);
}
END_TEST

/** @brief zcalloc zeroes; zstrdup copies; zrealloc(NULL)/zrealloc(p,0). */
START_TEST(test_variants)
{
    size_t before = zmalloc_used_memory();
    unsigned char *z = zcalloc(64);
    char *s = zstrdup("hello");
    char *r;
    int j;

    for (j = 0; j < 64; j++) ck_assert_int_eq(z[j], 0);
    ck_assert_str_eq(s, "hello");
    r = zrealloc(NULL, 10);
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_null(zrealloc(r, 0));
    zfree(z);
    zfree(s);
    ck_assert_uint_eq(zmalloc_used_memory(), before);
    ck_assert_str_eq(ZMALLOC_LIB, "libc");
}
END_TEST

/** @brief RSS from /proc/self/stat agrees with /proc/self/statm. */
START_TEST(test_rss)
{
    size_t rss = zmalloc_get_rss();
    long pages = 0, size = 0;
    FILE *fp = fopen("/proc/self/statm", "r");

    ck_assert_uint_gt(rss, 0);
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(fscanf(fp, "%ld %ld", &size, &pages), 2);
    fclose(fp);
    /* Both read the same kernel counter, a moment apart (under valgrind
     * RSS moves fast): same order of magnitude is what we can demand. */
    ck_assert_uint_le(rss, (size_t)pages * 2 * sysconf(_SC_PAGESIZE));
    ck_assert_uint_ge(rss * 2, (size_t)pages * sysconf(_SC_PAGESIZE));
}
END_TEST

/**
 * @brief The suite of this file.
 * @return A Suite with all zmalloc test cases.
 */
static Suite *zmalloc_suite(void) {
    Suite *s = suite_create("zmalloc");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_counter);
    tcase_add_test(tc, test_variants);
    tcase_add_test(tc, test_rss);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the suite.
 * @return 0 if every test passed, 1 otherwise.
 */
int main(void) {
    SRunner *sr = srunner_create(zmalloc_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
