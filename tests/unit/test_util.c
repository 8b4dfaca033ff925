/**
 * @file test_util.c
 * @brief Check unit tests for util.c: string2ll strictness, number
 *        printing, glob matching, memtoll, d2string, random hex.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <math.h>
#include <ctype.h>

#include "util.h"

/**
 * @brief string2ll() on a C string.
 * @param s Text.
 * @param v Out: value.
 * @return string2ll()'s result.
 */
static int s2ll(const char *s, long long *v) {
    return string2ll(s, strlen(s), v);
}

/** @brief Canonical integers are accepted with the right value. */
START_TEST(test_string2ll_accepts)
{
    long long v;

    ck_assert_int_eq(s2ll("0", &v), 1);  ck_assert_int_eq(v, 0);
    ck_assert_int_eq(s2ll("1", &v), 1);  ck_assert_int_eq(v, 1);
    ck_assert_int_eq(s2ll("-1", &v), 1); ck_assert_int_eq(v, -1);
    ck_assert_int_eq(s2ll("99", &v), 1); ck_assert_int_eq(v, 99);
    ck_assert_int_eq(s2ll("-99", &v), 1); ck_assert_int_eq(v, -99);
    ck_assert_int_eq(s2ll("9223372036854775807", &v), 1);
    ck_assert(v == LLONG_MAX);
    ck_assert_int_eq(s2ll("-9223372036854775808", &v), 1);
    ck_assert(v == LLONG_MIN);
    /* NULL value pointer is allowed. */
    ck_assert_int_eq(s2ll("123", NULL), 1);
    ck_assert_int_eq(s2ll("0", NULL), 1);
    /* Length-limited: "12" out of "123". */
    ck_assert_int_eq(string2ll("123", 2, &v), 1);
    ck_assert_int_eq(v, 12);
}
END_TEST

/** @brief Everything non-canonical or out of range is rejected. */
START_TEST(test_string2ll_rejects)
{
    static const char *bad[] = {
        "", "-", "+1", " 1", "1 ", "01", "00", "-0", "-01", "1a", "a1",
        "1.0", "0x10", "9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616",
        "99999999999999999999", "-99999999999999999999",
        "123456789012345678901", "1\r\n", "\t1", "--1", "1-"
    };
    long long v = 42;
    size_t j;

    for (j = 0; j < sizeof(bad)/sizeof(bad[0]); j++)
        ck_assert_msg(s2ll(bad[j], &v) == 0, "string2ll accepted \"%s\"", bad[j]);
    /* Rejection never writes the output. */
    ck_assert_int_eq(v, 42);
    /* Zero length, even if the buffer has digits. */
    ck_assert_int_eq(string2ll("5", 0, &v), 0);
    /* Embedded NUL. */
    ck_assert_int_eq(string2ll("1\0002", 3, &v), 0);
}
END_TEST

/** @brief string2l narrows with range checks. */
START_TEST(test_string2l)
{
    long l;

    ck_assert_int_eq(string2l("-123", 4, &l), 1);
    ck_assert_int_eq(l, -123);
    ck_assert_int_eq(string2l("01", 2, &l), 0);
    ck_assert_int_eq(string2l("9223372036854775807", 19, &l), 1);
    ck_assert(l == LONG_MAX);
    ck_assert_int_eq(string2l("x", 1, NULL), 0);
}
END_TEST

/** @brief ll2string/ull2string output, lengths and small buffers. */
START_TEST(test_ll2string)
{
    char buf[LONG_STR_SIZE];

    ck_assert_int_eq(ll2string(buf, sizeof(buf), 0), 1);
    ck_assert_str_eq(buf, "0");
    ck_assert_int_eq(ll2string(buf, sizeof(buf), -1), 2);
    ck_assert_str_eq(buf, "-1");
    ck_assert_int_eq(ll2string(buf, sizeof(buf), 1234567890), 10);
    ck_assert_str_eq(buf, "1234567890");
    ck_assert_int_eq(ll2string(buf, sizeof(buf), LLONG_MAX), 19);
    ck_assert_str_eq(buf, "9223372036854775807");
    ck_assert_int_eq(ll2string(buf, sizeof(buf), LLONG_MIN), 20);
    ck_assert_str_eq(buf, "-9223372036854775808");

    /* Needs 3 bytes for "123\0": 3 is too small, 4 is enough. */
    ck_assert_int_eq(ll2string(buf, 3, 123), 0);
    ck_assert_int_eq(ll2string(buf, 4, 123), 3);
    ck_assert_str_eq(buf, "123");

    ck_assert_int_eq(ull2string(buf, sizeof(buf), ULLONG_MAX), 20);
    ck_assert_str_eq(buf, "18446744073709551615");
    ck_assert_int_eq(ull2string(buf, 2, 10), 0);
    ck_assert_int_eq(ull2string(buf, 2, 7), 1);
    ck_assert_str_eq(buf, "7");

    /* Round trip through string2ll for a spread of values. */
    {
        long long vals[] = {0, 1, -1, 9, 10, -10, 99, 100, 123456789,
                            -987654321012LL, LLONG_MAX, LLONG_MIN};
        size_t j;
        for (j = 0; j < sizeof(vals)/sizeof(vals[0]); j++) {
            long long back;
            int len = ll2string(buf, sizeof(buf), vals[j]);
            ck_assert_int_eq(string2ll(buf, len, &back), 1);
            ck_assert(back == vals[j]);
        }
    }
}
END_TEST

/** @brief digits10 and sdigits10 at every power-of-ten boundary. */
START_TEST(test_digits10)
{
    uint64_t p = 1;
    uint32_t d;

    ck_assert_uint_eq(digits10(0), 1);
    for (d = 1; d <= 19; d++) {
        ck_assert_uint_eq(digits10(p), d);
        ck_assert_uint_eq(digits10(p*10-1), d);
        p *= 10;
    }
    ck_assert_uint_eq(digits10(UINT64_MAX), 20);
    ck_assert_uint_eq(sdigits10(0), 1);
    ck_assert_uint_eq(sdigits10(-1), 2);
    ck_assert_uint_eq(sdigits10(-100), 4);
    ck_assert_uint_eq(sdigits10(INT64_MIN), 20);
    ck_assert_uint_eq(sdigits10(INT64_MAX), 19);
}
END_TEST

/**
 * @brief stringmatch() with a readable failure message.
 * @param p Pattern.
 * @param s String.
 * @param nocase Case-insensitive flag.
 * @param want Expected result.
 */
static void check_match(const char *p, const char *s, int nocase, int want) {
    ck_assert_msg(stringmatch(p, s, nocase) == want,
                  "stringmatch(\"%s\", \"%s\", %d) != %d", p, s, nocase, want);
}

/** @brief Glob: * ? [] [^] ranges, escapes, nocase, quirks. */
START_TEST(test_stringmatch)
{
    check_match("*", "anything", 0, 1);
    check_match("*", "", 0, 0);          /* faithful quirk, see util.c */
    check_match("", "", 0, 1);
    check_match("", "a", 0, 0);
    check_match("h?llo", "hello", 0, 1);
    check_match("h?llo", "hllo", 0, 0);
    check_match("h*llo", "hllo", 0, 1);
    check_match("h*llo", "heeeello", 0, 1);
    check_match("h*llo", "heeeelo", 0, 0);
    check_match("h[ae]llo", "hello", 0, 1);
    check_match("h[ae]llo", "hallo", 0, 1);
    check_match("h[ae]llo", "hillo", 0, 0);
    check_match("h[^e]llo", "hallo", 0, 1);
    check_match("h[^e]llo", "hello", 0, 0);
    check_match("h[a-b]llo", "hbllo", 0, 1);
    check_match("h[a-b]llo", "hcllo", 0, 0);
    check_match("h[b-a]llo", "hallo", 0, 1);   /* reversed range */
    check_match("user:*", "user:1000", 0, 1);
    check_match("user:*", "users:1", 0, 0);
    check_match("a*", "a", 0, 1);               /* trailing star, empty rest */
    check_match("a**", "a", 0, 1);
    check_match("*b*", "abc", 0, 1);
    check_match("*b", "abc", 0, 0);
    check_match("a\\*b", "a*b", 0, 1);          /* escaped star */
    check_match("a\\*b", "axb", 0, 0);
    check_match("a\\?", "a?", 0, 1);
    check_match("[\\]]", "]", 0, 1);            /* escape inside class */
    check_match("[abc", "a", 0, 1);             /* unterminated class */
    check_match("a\\", "a\\", 0, 1);            /* lone trailing backslash is literal */
    check_match("HELLO", "hello", 0, 0);
    check_match("HELLO", "hello", 1, 1);
    check_match("h[A-C]llo", "hbllo", 1, 1);
    check_match("h[A-C]llo", "hbllo", 0, 0);
    check_match("[^a-z]", "5", 0, 1);
    check_match("?", "", 0, 0);

    /* Binary safe with explicit lengths. */
    ck_assert_int_eq(stringmatchlen("a?c", 3, "a\0c", 3, 0), 1);
    ck_assert_int_eq(stringmatchlen("a*", 2, "a\0\0", 3, 0), 1);
}
END_TEST

/** @brief memtoll units: b, k/kb, m/mb, g/gb; errors. */
START_TEST(test_memtoll)
{
    int err;

    ck_assert_int_eq(memtoll("1024", &err), 1024);          ck_assert_int_eq(err, 0);
    ck_assert_int_eq(memtoll("10b", &err), 10);             ck_assert_int_eq(err, 0);
    ck_assert_int_eq(memtoll("512k", &err), 512000);        ck_assert_int_eq(err, 0);
    ck_assert_int_eq(memtoll("1kb", &err), 1024);           ck_assert_int_eq(err, 0);
    ck_assert_int_eq(memtoll("1KB", &err), 1024);           ck_assert_int_eq(err, 0);
    ck_assert_int_eq(memtoll("2m", &err), 2000000);         ck_assert_int_eq(err, 0);
    ck_assert_int_eq(memtoll("10mb", &err), 10485760);      ck_assert_int_eq(err, 0);
    ck_assert_int_eq(memtoll("1g", &err), 1000000000LL);    ck_assert_int_eq(err, 0);
    ck_assert_int_eq(memtoll("1gb", &err), 1073741824LL);   ck_assert_int_eq(err, 0);
    ck_assert_int_eq(memtoll("-1", &err), -1);              ck_assert_int_eq(err, 0);
    ck_assert_int_eq(memtoll("0", &err), 0);                ck_assert_int_eq(err, 0);

    ck_assert_int_eq(memtoll("1tb", &err), 0);  ck_assert_int_eq(err, 1);
    ck_assert_int_eq(memtoll("1 mb", &err), 0); ck_assert_int_eq(err, 1);
    ck_assert_int_eq(memtoll("abc", &err), 0);  ck_assert_int_eq(err, 1);
    ck_assert_int_eq(memtoll("1.5gb", &err), 0); ck_assert_int_eq(err, 1);
    ck_assert_int_eq(memtoll("12", NULL), 12);
}
END_TEST

/** @brief d2string special values, integers and fractions. */
START_TEST(test_d2string)
{
    char buf[128];

    d2string(buf, sizeof(buf), 3.0);        ck_assert_str_eq(buf, "3");
    d2string(buf, sizeof(buf), -42.0);      ck_assert_str_eq(buf, "-42");
    d2string(buf, sizeof(buf), 0.0);        ck_assert_str_eq(buf, "0");
    d2string(buf, sizeof(buf), -0.0);       ck_assert_str_eq(buf, "-0");
    d2string(buf, sizeof(buf), 1.5);        ck_assert_str_eq(buf, "1.5");
    d2string(buf, sizeof(buf), 0.1);        ck_assert_str_eq(buf, "0.10000000000000001");
    d2string(buf, sizeof(buf), INFINITY);   ck_assert_str_eq(buf, "inf");
    d2string(buf, sizeof(buf), -INFINITY);  ck_assert_str_eq(buf, "-inf");
    d2string(buf, sizeof(buf), NAN);        ck_assert_str_eq(buf, "nan");
    d2string(buf, sizeof(buf), 1e20);       ck_assert_str_eq(buf, "1e+20");
    ck_assert_int_eq(d2string(buf, sizeof(buf), 12.0), 2);
}
END_TEST

/** @brief getRandomHexChars yields lowercase hex and differs between calls. */
START_TEST(test_random_hex)
{
    char a[41], b[41];
    int j;

    getRandomHexChars(a, 40);
    getRandomHexChars(b, 40);
    a[40] = b[40] = '\0';
    for (j = 0; j < 40; j++) {
        ck_assert(isxdigit((unsigned char)a[j]));
        ck_assert(!isupper((unsigned char)a[j]));
    }
    ck_assert_str_ne(a, b);
    getRandomHexChars(a, 0); /* no-op */
}
END_TEST

/**
 * @brief The suite of this file.
 * @return A Suite with all util test cases.
 */
static Suite *util_suite(void) {
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_string2ll_accepts);
    tcase_add_test(tc, test_string2ll_rejects);
    tcase_add_test(tc, test_string2l);
    tcase_add_test(tc, test_ll2string);
    tcase_add_test(tc, test_digits10);
    tcase_add_test(tc, test_stringmatch);
    tcase_add_test(tc, test_memtoll);
    tcase_add_test(tc, test_d2string);
    tcase_add_test(tc, test_random_hex);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the suite.
 * @return 0 if every test passed, 1 otherwise.
 */
int main(void) {
    SRunner *sr = srunner_create(util_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
