/**
 * @file test_sds.c
 * @brief Check unit tests for sds.c: header types, growth policy, editing,
 *        formatting, splitting and sdssplitargs() quoting rules.
 *
 * Build: gcc -Isrc tests/unit/test_sds.c src/sds.c src/zmalloc.c
 *        $(pkg-config --cflags --libs check)
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>

#include "sds.h"
#include "zmalloc.h"

/**
 * @brief Header type of @p s (SDS_TYPE_5 .. SDS_TYPE_64).
 * @param s String.
 * @return The low 3 bits of the flags byte.
 */
static int sdsType(sds s) {
    return s[-1] & SDS_TYPE_MASK;
}

/* ---------------------------- creation ---------------------------- */

/** @brief sdsnew/sdsnewlen/sdsempty lengths, terminators and header types. */
START_TEST(test_create)
{
    sds s = sdsnew("foo");
    ck_assert_uint_eq(sdslen(s), 3);
    ck_assert_str_eq(s, "foo");
    ck_assert_int_eq(sdsType(s), SDS_TYPE_5);
    ck_assert_uint_eq(sdsavail(s), 0);
    ck_assert_uint_eq(sdsalloc(s), 3);
    sdsfree(s);

    /* Binary safe: the NUL in the middle counts. */
    s = sdsnewlen("a\0b", 3);
    ck_assert_uint_eq(sdslen(s), 3);
    ck_assert_int_eq(memcmp(s, "a\0b\0", 4), 0);
    sdsfree(s);

    /* NULL init: zero-filled. */
    s = sdsnewlen(NULL, 5);
    ck_assert_uint_eq(sdslen(s), 5);
    ck_assert_int_eq(memcmp(s, "\0\0\0\0\0\0", 6), 0);
    sdsfree(s);

    /* SDS_NOINIT: right length, terminated. */
    s = sdsnewlen(SDS_NOINIT, 40);
    ck_assert_uint_eq(sdslen(s), 40);
    ck_assert_int_eq(s[40], '\0');
    ck_assert_int_eq(sdsType(s), SDS_TYPE_8);
    sdsfree(s);

    /* Empty strings skip sdshdr5: they will be appended to. */
    s = sdsempty();
    ck_assert_uint_eq(sdslen(s), 0);
    ck_assert_int_eq(sdsType(s), SDS_TYPE_8);
    sdsfree(s);

    s = sdsnew(NULL);
    ck_assert_uint_eq(sdslen(s), 0);
    sdsfree(s);

    /* Initial header type follows the length: 31 -> 5, 32 -> 8,
     * 255 -> 8, 256 -> 16, 65535 -> 16, 65536 -> 32. */
    s = sdsnewlen(NULL, 31);    ck_assert_int_eq(sdsType(s), SDS_TYPE_5);  sdsfree(s);
    s = sdsnewlen(NULL, 32);    ck_assert_int_eq(sdsType(s), SDS_TYPE_8);  sdsfree(s);
    s = sdsnewlen(NULL, 255);   ck_assert_int_eq(sdsType(s), SDS_TYPE_8);  sdsfree(s);
    s = sdsnewlen(NULL, 256);   ck_assert_int_eq(sdsType(s), SDS_TYPE_16); sdsfree(s);
    s = sdsnewlen(NULL, 65535); ck_assert_int_eq(sdsType(s), SDS_TYPE_16); sdsfree(s);
    s = sdsnewlen(NULL, 65536); ck_assert_int_eq(sdsType(s), SDS_TYPE_32); sdsfree(s);

    sdsfree(NULL); /* must be a no-op */
}
END_TEST

/** @brief sdsdup copies binary data; sdsfree releases every byte. */
START_TEST(test_dup_and_memory)
{
    size_t before = zmalloc_used_memory();
    sds a = sdsnewlen("x\0y", 3);
    sds b = sdsdup(a);

    ck_assert_ptr_ne(a, b);
    ck_assert_uint_eq(sdslen(b), 3);
    ck_assert_int_eq(memcmp(b, "x\0y", 3), 0);
    sdsfree(a);
    sdsfree(b);
    ck_assert_uint_eq(zmalloc_used_memory(), before);
}
END_TEST

/* ---------------------------- growth ---------------------------- */

/** @brief Greedy doubling below 1 MB, +1 MB above, and header promotion. */
START_TEST(test_make_room_growth)
{
    sds s = sdsempty();

    /* 10 bytes wanted on an empty string: alloc = 2*10. */
    s = sdscatlen(s, "0123456789", 10);
    ck_assert_uint_eq(sdslen(s), 10);
    ck_assert_uint_eq(sdsalloc(s), 20);
    ck_assert_int_eq(sdsType(s), SDS_TYPE_8);

    /* Enough room: no reallocation, pointer unchanged. */
    {
        sds same = sdsMakeRoomFor(s, 10);
        ck_assert_ptr_eq(same, s);
    }
    sdsfree(s);

    /* sdshdr5 -> sdshdr8 on the first growth. */
    s = sdsnew("x");
    ck_assert_int_eq(sdsType(s), SDS_TYPE_5);
    s = sdsMakeRoomFor(s, 10);
    ck_assert_int_eq(sdsType(s), SDS_TYPE_8);
    ck_assert_uint_eq(sdsalloc(s), 22);
    ck_assert_str_eq(s, "x");
    sdsfree(s);

    /* sdshdr8 -> sdshdr16: 200 bytes + 1 asks for 402 > 255. */
    s = sdsnewlen(NULL, 200);
    ck_assert_int_eq(sdsType(s), SDS_TYPE_8);
    s = sdscatlen(s, "a", 1);
    ck_assert_int_eq(sdsType(s), SDS_TYPE_16);
    ck_assert_uint_eq(sdsalloc(s), 402);
    ck_assert_uint_eq(sdslen(s), 201);
    ck_assert_int_eq(s[200], 'a');
    ck_assert_int_eq(s[0], 0);

    /* sdshdr16 -> sdshdr32: growing to 40000 asks for 80000 > 65535. */
    s = sdsMakeRoomFor(s, 40000-201);
    ck_assert_int_eq(sdsType(s), SDS_TYPE_32);
    ck_assert_uint_eq(sdsalloc(s), 80000);
    ck_assert_uint_eq(sdslen(s), 201);
    ck_assert_int_eq(s[200], 'a');
    sdsfree(s);

    /* Past SDS_MAX_PREALLOC: exact need + 1 MB instead of doubling. */
    s = sdsempty();
    s = sdsMakeRoomFor(s, 600000);
    ck_assert_uint_eq(sdsalloc(s), 1200000);
    s = sdsgrowzero(s, 2000000);
    ck_assert_uint_eq(sdslen(s), 2000000);
    ck_assert_uint_eq(sdsalloc(s), 2000000 + SDS_MAX_PREALLOC);
    ck_assert_int_eq(s[1999999], 0);
    ck_assert_int_eq(s[2000000], 0);
    sdsfree(s);
}
END_TEST

/** @brief The read-into-spare-room pattern: MakeRoomFor + write + sdsIncrLen. */
START_TEST(test_incr_len)
{
    sds s = sdsnew("abc");
    s = sdsMakeRoomFor(s, 16);
    memcpy(s+sdslen(s), "defg", 4);
    sdsIncrLen(s, 4);
    ck_assert_uint_eq(sdslen(s), 7);
    ck_assert_str_eq(s, "abcdefg");
    /* Negative: drop bytes from the end. */
    sdsIncrLen(s, -3);
    ck_assert_str_eq(s, "abcd");
    sdsfree(s);

    /* sdshdr5 can shrink too. */
    s = sdsnew("hello");
    sdsIncrLen(s, -2);
    ck_assert_str_eq(s, "hel");
    ck_assert_uint_eq(sdslen(s), 3);
    sdsfree(s);
}
END_TEST

/** @brief sdsRemoveFreeSpace shrinks alloc and may demote the header. */
START_TEST(test_remove_free_space)
{
    sds s = sdsnewlen(NULL, 200);
    s = sdscatlen(s, "a", 1);   /* sdshdr16, alloc 402 */
    ck_assert_int_eq(sdsType(s), SDS_TYPE_16);
    s = sdsRemoveFreeSpace(s);
    ck_assert_int_eq(sdsType(s), SDS_TYPE_8);
    ck_assert_uint_eq(sdsalloc(s), 201);
    ck_assert_uint_eq(sdsavail(s), 0);
    ck_assert_int_eq(s[200], 'a');
    ck_assert_uint_eq(sdsAllocSize(s), sizeof(struct sdshdr8)+201+1);
    ck_assert_ptr_eq(sdsAllocPtr(s), s - sizeof(struct sdshdr8));
    sdsfree(s);

    /* Large string keeps its header, only loses spare room. */
    s = sdsnewlen(NULL, 1000);
    s = sdsMakeRoomFor(s, 1000);
    s = sdsRemoveFreeSpace(s);
    ck_assert_int_eq(sdsType(s), SDS_TYPE_16);
    ck_assert_uint_eq(sdsalloc(s), 1000);
    sdsfree(s);
}
END_TEST

/* ---------------------------- appending and copying ---------------------------- */

/** @brief sdscat/sdscatsds/sdscpy/sdscpylen. */
START_TEST(test_cat_and_cpy)
{
    sds s = sdsnew("fo");
    sds t = sdsnewlen("o\0!", 3);

    s = sdscat(s, "o");
    ck_assert_str_eq(s, "foo");
    s = sdscatsds(s, t);
    ck_assert_uint_eq(sdslen(s), 6);
    ck_assert_int_eq(memcmp(s, "fooo\0!", 6), 0);

    s = sdscpy(s, "a");
    ck_assert_uint_eq(sdslen(s), 1);
    ck_assert_str_eq(s, "a");

    s = sdscpy(s, "xyzxxxxxxxxxxyyyyyyyyyykkkkkkkkkk");
    ck_assert_uint_eq(sdslen(s), 33);
    ck_assert_str_eq(s, "xyzxxxxxxxxxxyyyyyyyyyykkkkkkkkkk");

    s = sdscpylen(s, "ab\0cd", 5);
    ck_assert_uint_eq(sdslen(s), 5);
    ck_assert_int_eq(memcmp(s, "ab\0cd\0", 6), 0);
    sdsfree(s);
    sdsfree(t);
}
END_TEST

/** @brief sdsclear keeps the buffer; sdsupdatelen follows a manual '\0'. */
START_TEST(test_clear_updatelen)
{
    sds s = sdsnew("foobar");
    s = sdscat(s, "baz"); /* now sdshdr8 with spare room */
    size_t alloc = sdsalloc(s);

    s[2] = '\0';
    sdsupdatelen(s);
    ck_assert_uint_eq(sdslen(s), 2);
    ck_assert_str_eq(s, "fo");

    sdsclear(s);
    ck_assert_uint_eq(sdslen(s), 0);
    ck_assert_str_eq(s, "");
    ck_assert_uint_eq(sdsalloc(s), alloc);
    sdsfree(s);
}
END_TEST

/* ---------------------------- formatting ---------------------------- */

/** @brief sdscatprintf, including output longer than any small buffer. */
START_TEST(test_catprintf)
{
    sds s = sdscatprintf(sdsempty(), "%d", 123);
    ck_assert_str_eq(s, "123");
    s = sdscatprintf(s, "-%s-%c", "x", 'y');
    ck_assert_str_eq(s, "123-x-y");
    sdsfree(s);

    {
        char big[3000];
        memset(big, 'z', sizeof(big)-1);
        big[sizeof(big)-1] = '\0';
        s = sdscatprintf(sdsnew("<"), "%s>", big);
        ck_assert_uint_eq(sdslen(s), 3001);
        ck_assert_int_eq(s[0], '<');
        ck_assert_int_eq(s[3000], '>');
        sdsfree(s);
    }

    s = sdscatprintf(sdsnew("a"), "%s", "");
    ck_assert_str_eq(s, "a");
    sdsfree(s);
}
END_TEST

/** @brief Every sdscatfmt verb, including extremes. */
START_TEST(test_catfmt)
{
    sds sv = sdsnewlen("S\0S", 3);
    sds s = sdscatfmt(sdsempty(), "%s|%S|%i|%I|%u|%U|%%|%x",
                      "str", sv, -5, LLONG_MIN, 4000000000u, ULLONG_MAX);
    const char want[] = "str|S\0S|-5|-9223372036854775808|4000000000|"
                        "18446744073709551615|%|x";

    ck_assert_uint_eq(sdslen(s), sizeof(want)-1);
    ck_assert_int_eq(memcmp(s, want, sizeof(want)-1), 0);
    sdsfree(s);
    sdsfree(sv);

    s = sdscatfmt(sdsnew("--"), "Hello %s World %I,%I--", "Hi!", LLONG_MIN, LLONG_MAX);
    ck_assert_str_eq(s, "--Hello Hi! World -9223372036854775808,9223372036854775807--");
    sdsfree(s);

    s = sdscatfmt(sdsempty(), "%u,%U--", UINT_MAX, ULLONG_MAX);
    ck_assert_str_eq(s, "4294967295,18446744073709551615--");
    sdsfree(s);

    s = sdscatfmt(sdsempty(), "*%i\r\n", 3);
    ck_assert_str_eq(s, "*3\r\n");
    sdsfree(s);

    /* Trailing lone '%' is copied. */
    s = sdscatfmt(sdsempty(), "50%");
    ck_assert_str_eq(s, "50%");
    sdsfree(s);
}
END_TEST

/** @brief sdsfromlonglong, sdsll2str, sdsull2str. */
START_TEST(test_numbers)
{
    char buf[SDS_LLSTR_SIZE];
    sds s;

    s = sdsfromlonglong(0);          ck_assert_str_eq(s, "0"); sdsfree(s);
    s = sdsfromlonglong(-42);        ck_assert_str_eq(s, "-42"); sdsfree(s);
    s = sdsfromlonglong(LLONG_MAX);  ck_assert_str_eq(s, "9223372036854775807"); sdsfree(s);
    s = sdsfromlonglong(LLONG_MIN);  ck_assert_str_eq(s, "-9223372036854775808"); sdsfree(s);

    ck_assert_int_eq(sdsll2str(buf, 12345), 5);
    ck_assert_str_eq(buf, "12345");
    ck_assert_int_eq(sdsll2str(buf, LLONG_MIN), 20);
    ck_assert_int_eq(sdsull2str(buf, ULLONG_MAX), 20);
    ck_assert_str_eq(buf, "18446744073709551615");
    ck_assert_int_eq(sdsull2str(buf, 0), 1);
    ck_assert_str_eq(buf, "0");
}
END_TEST

/* ---------------------------- editing ---------------------------- */

/** @brief sdstrim on both ends, everything, nothing. */
START_TEST(test_trim)
{
    sds s = sdsnew("xxciaoyyy");
    s = sdstrim(s, "xy");
    ck_assert_str_eq(s, "ciao");
    ck_assert_uint_eq(sdslen(s), 4);
    sdsfree(s);

    s = sdsnew("AA...AA.a.aa.aHelloWorld     :::");
    s = sdstrim(s, "Aa. :");
    ck_assert_str_eq(s, "HelloWorld");
    sdsfree(s);

    s = sdsnew("xxx");
    s = sdstrim(s, "x");
    ck_assert_str_eq(s, "");
    ck_assert_uint_eq(sdslen(s), 0);
    sdsfree(s);

    s = sdsnew("ciao");
    s = sdstrim(s, " ");
    ck_assert_str_eq(s, "ciao");
    sdsfree(s);

    s = sdsnew("  \r\n");
    s = sdstrim(s, " \r\n");
    ck_assert_uint_eq(sdslen(s), 0);
    sdsfree(s);
}
END_TEST

/**
 * @brief Run sdsrange on a fresh copy of @p in and compare with @p want.
 * @param in Input C string.
 * @param start Start index.
 * @param end End index.
 * @param want Expected result.
 */
static void check_range(const char *in, ssize_t start, ssize_t end, const char *want) {
    sds s = sdsnew(in);
    sdsrange(s, start, end);
    ck_assert_msg(strcmp(s, want) == 0 && sdslen(s) == strlen(want),
                  "sdsrange(\"%s\", %zd, %zd) = \"%s\", want \"%s\"",
                  in, start, end, s, want);
    sdsfree(s);
}

/** @brief sdsrange with positive, negative and out-of-range indexes. */
START_TEST(test_range)
{
    check_range("ciao", 1, 1, "i");
    check_range("ciao", 1, -1, "iao");
    check_range("ciao", -2, -1, "ao");
    check_range("ciao", 2, 1, "");
    check_range("ciao", 1, 100, "iao");
    check_range("ciao", 100, 100, "");
    check_range("ciao", 0, 0, "c");
    check_range("ciao", -100, 1, "ci");
    check_range("ciao", -100, -100, "c");
    check_range("ciao", 0, -1, "ciao");
    check_range("ciao", 4, -1, "");
    check_range("ciao", -1, 0, "");
    check_range("", 0, -1, "");
    check_range("Hello World", -5, -1, "World");
}
END_TEST

/** @brief sdscmp: content, then length. */
START_TEST(test_cmp)
{
    sds a = sdsnew("foo"), b = sdsnew("foa");
    ck_assert_int_gt(sdscmp(a, b), 0);
    sdsfree(a); sdsfree(b);

    a = sdsnew("bar"); b = sdsnew("bar");
    ck_assert_int_eq(sdscmp(a, b), 0);
    sdsfree(a); sdsfree(b);

    a = sdsnew("aar"); b = sdsnew("bar");
    ck_assert_int_lt(sdscmp(a, b), 0);
    sdsfree(a); sdsfree(b);

    a = sdsnew("abc"); b = sdsnew("abcd");
    ck_assert_int_lt(sdscmp(a, b), 0);
    ck_assert_int_gt(sdscmp(b, a), 0);
    sdsfree(a); sdsfree(b);

    a = sdsnewlen("a\0b", 3); b = sdsnewlen("a\0c", 3);
    ck_assert_int_lt(sdscmp(a, b), 0);
    sdsfree(a); sdsfree(b);
}
END_TEST

/** @brief sdstolower/sdstoupper/sdsmapchars. */
START_TEST(test_case_and_map)
{
    sds s = sdsnew("SeT KeY");
    sdstolower(s);
    ck_assert_str_eq(s, "set key");
    sdstoupper(s);
    ck_assert_str_eq(s, "SET KEY");
    sdsfree(s);

    s = sdsnew("hello");
    s = sdsmapchars(s, "ho", "01", 2);
    ck_assert_str_eq(s, "0ell1");
    sdsfree(s);

    s = sdsnew("a\r\nb");
    s = sdsmapchars(s, "\r\n", "  ", 2);
    ck_assert_str_eq(s, "a  b");
    sdsfree(s);
}
END_TEST

/* ---------------------------- split / join / repr ---------------------------- */

/** @brief sdssplitlen with one- and multi-byte separators. */
START_TEST(test_splitlen)
{
    int count = -1;
    sds *t;

    t = sdssplitlen("a,,b", 4, ",", 1, &count);
    ck_assert_int_eq(count, 3);
    ck_assert_str_eq(t[0], "a");
    ck_assert_str_eq(t[1], "");
    ck_assert_str_eq(t[2], "b");
    sdsfreesplitres(t, count);

    t = sdssplitlen("foo--bar--", 10, "--", 2, &count);
    ck_assert_int_eq(count, 3);
    ck_assert_str_eq(t[0], "foo");
    ck_assert_str_eq(t[1], "bar");
    ck_assert_str_eq(t[2], "");
    sdsfreesplitres(t, count);

    t = sdssplitlen("nosep", 5, ",", 1, &count);
    ck_assert_int_eq(count, 1);
    ck_assert_str_eq(t[0], "nosep");
    sdsfreesplitres(t, count);

    t = sdssplitlen("", 0, ",", 1, &count);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(count, 0);
    sdsfreesplitres(t, count);

    /* Many tokens: the token array must grow past its first 5 slots. */
    t = sdssplitlen("1 2 3 4 5 6 7 8 9 10 11 12", 26, " ", 1, &count);
    ck_assert_int_eq(count, 12);
    ck_assert_str_eq(t[11], "12");
    sdsfreesplitres(t, count);

    ck_assert_ptr_null(sdssplitlen("a", 1, "", 0, &count));
    ck_assert_ptr_null(sdssplitlen("a", -1, ",", 1, &count));
    sdsfreesplitres(NULL, 0);
}
END_TEST

/** @brief sdsjoin and sdsjoinsds. */
START_TEST(test_join)
{
    char *argv[] = {"a", "b", "c"};
    sds sargv[2];
    sds s = sdsjoin(argv, 3, ", ");

    ck_assert_str_eq(s, "a, b, c");
    sdsfree(s);
    s = sdsjoin(argv, 0, ",");
    ck_assert_str_eq(s, "");
    sdsfree(s);

    sargv[0] = sdsnewlen("x\0", 2);
    sargv[1] = sdsnew("y");
    s = sdsjoinsds(sargv, 2, "\0|", 2);
    ck_assert_uint_eq(sdslen(s), 5);
    ck_assert_int_eq(memcmp(s, "x\0\0|y", 5), 0);
    sdsfree(s);
    sdsfree(sargv[0]);
    sdsfree(sargv[1]);
}
END_TEST

/** @brief sdscatrepr escapes exactly like Redis. */
START_TEST(test_catrepr)
{
    sds s = sdscatrepr(sdsempty(), "\a\n\0foo\r", 7);
    ck_assert_str_eq(s, "\"\\a\\n\\x00foo\\r\"");
    sdsfree(s);

    s = sdscatrepr(sdsempty(), "\\\"\t\b\x01\xff~ ", 8);
    ck_assert_str_eq(s, "\"\\\\\\\"\\t\\b\\x01\\xff~ \"");
    sdsfree(s);

    s = sdscatrepr(sdsnew("x="), "", 0);
    ck_assert_str_eq(s, "x=\"\"");
    sdsfree(s);

    s = sdscatrepr(sdsempty(), "*1\r\n$4\r\nPING\r\n", 14);
    ck_assert_str_eq(s, "\"*1\\r\\n$4\\r\\nPING\\r\\n\"");
    sdsfree(s);
}
END_TEST

/* ---------------------------- sdssplitargs ---------------------------- */

/**
 * @brief Split @p line and compare with the expected arguments.
 * @param line Input line.
 * @param n Expected argc, or -1 to expect NULL (unbalanced quotes).
 * @param want Expected arguments (n entries).
 * @param wantlen Their lengths (so NUL bytes can be expected).
 */
static void check_args(const char *line, int n, const char **want, const size_t *wantlen) {
    int argc = 12345, j;
    sds *argv = sdssplitargs(line, &argc);

    if (n == -1) {
        ck_assert_msg(argv == NULL, "sdssplitargs(\"%s\") should be NULL", line);
        ck_assert_int_eq(argc, 0);
        return;
    }
    ck_assert_msg(argv != NULL, "sdssplitargs(\"%s\") returned NULL", line);
    ck_assert_msg(argc == n, "sdssplitargs(\"%s\"): argc %d, want %d", line, argc, n);
    for (j = 0; j < n; j++) {
        size_t l = wantlen ? wantlen[j] : strlen(want[j]);
        ck_assert_msg(sdslen(argv[j]) == l && memcmp(argv[j], want[j], l) == 0,
                      "sdssplitargs(\"%s\"): arg %d is \"%s\"", line, j, argv[j]);
    }
    sdsfreesplitres(argv, argc);
}

/** @brief Plain words, blanks, empty input. */
START_TEST(test_splitargs_plain)
{
    const char *w1[] = {"set", "foo", "bar"};
    const char *w2[] = {"PING"};

    check_args("", 0, NULL, NULL);
    check_args("   ", 0, NULL, NULL);
    check_args("\t\r\n", 0, NULL, NULL);
    check_args("set foo bar", 3, w1, NULL);
    check_args("  set   foo\tbar \r\n", 3, w1, NULL);
    check_args("PING\r\n", 1, w2, NULL);
    {
        /* Vertical tab separates arguments only between words. */
        const char *w3[] = {"a\vb", "c"};
        check_args("\va\vb c", 2, w3, NULL);
    }
}
END_TEST

/** @brief Double quotes: escapes, hex, empty string, glued words. */
START_TEST(test_splitargs_double_quotes)
{
    const char *a1[] = {"A"};
    const char *a2[] = {"a\nb\r\t\b\a"};
    const char *a3[] = {"\""};
    const char *a4[] = {"\\"};
    const char *a5[] = {""};
    const char *a6[] = {"foo", "bar"};
    const char *a7[] = {"foobar baz"};
    const char *a8[] = {"a\0b"};
    const size_t l8[] = {3};
    const char *a9[] = {"x4"};
    const char *a10[] = {"xZZ"};
    const char *a11[] = {"set", "k", "hello world"};
    const char *a12[] = {"\xff\x01"};
    const char *a13[] = {"q"};
    const char *a14[] = {"AB"};

    check_args("\"\\x41\"", 1, a1, NULL);
    check_args("\"a\\nb\\r\\t\\b\\a\"", 1, a2, NULL);
    check_args("\"\\\"\"", 1, a3, NULL);
    check_args("\"\\\\\"", 1, a4, NULL);
    check_args("\"\"", 1, a5, NULL);
    check_args("\"foo\" bar", 2, a6, NULL);
    check_args("\"foo\"\tbar", 2, a6, NULL);
    check_args("foo\"bar baz\"", 1, a7, NULL);
    check_args("\"a\\x00b\"", 1, a8, l8);
    /* Not two hex digits: backslash-x is just 'x'. */
    check_args("\"\\x4\"", 1, a9, NULL);
    check_args("\"\\xZZ\"", 1, a10, NULL);
    check_args("set k \"hello world\"", 3, a11, NULL);
    check_args("\"\\xfF\\x01\"", 1, a12, NULL);
    /* Backslash before an ordinary letter: the letter. */
    check_args("\"\\q\"", 1, a13, NULL);
    check_args("\"\\x41\\x42\"\r\n", 1, a14, NULL);
}
END_TEST

/** @brief Single quotes: only \' is an escape. */
START_TEST(test_splitargs_single_quotes)
{
    const char *a1[] = {"a'b"};
    const char *a2[] = {"\\n"};
    const char *a3[] = {"\\x41"};
    const char *a4[] = {"set", "k", "v"};
    const char *a5[] = {""};
    const char *a6[] = {"it's \"ok\""};

    check_args("'a\\'b'", 1, a1, NULL);
    check_args("'\\n'", 1, a2, NULL);
    check_args("'\\x41'", 1, a3, NULL);
    check_args("set 'k' 'v'", 3, a4, NULL);
    check_args("''", 1, a5, NULL);
    check_args("'it\\'s \"ok\"'", 1, a6, NULL);
}
END_TEST

/** @brief Every way quotes can be unbalanced returns NULL. */
START_TEST(test_splitargs_unbalanced)
{
    check_args("\"foo\"bar", -1, NULL, NULL);
    check_args("'foo'bar", -1, NULL, NULL);
    check_args("\"unterminated", -1, NULL, NULL);
    check_args("'unterminated", -1, NULL, NULL);
    check_args("set k \"v", -1, NULL, NULL);
    check_args("\"ab\\", -1, NULL, NULL);
    check_args("\"", -1, NULL, NULL);
    check_args("'", -1, NULL, NULL);
    check_args("a \"b\"c d", -1, NULL, NULL);
    check_args("\"a\"\"b\"", -1, NULL, NULL);
}
END_TEST

/**
 * @brief sdsMakeRoomFor() with an addlen that wraps len+addlen past
 *        SIZE_MAX aborts (Redis 5.0.14's overflow checks) instead of
 *        returning a buffer far smaller than the room asked for.
 */
START_TEST(test_make_room_overflow_aborts)
{
    sds s = sdsnew("abc");
    s = sdsMakeRoomFor(s, SIZE_MAX - 1);     /* 3 + SIZE_MAX-1 wraps to 1 */
    ck_abort_msg("sdsMakeRoomFor returned for SIZE_MAX-1 more bytes");
}
END_TEST

/**
 * @brief The same at creation: sdsnewlen() with a length whose header and
 *        terminator would wrap the allocation size aborts.
 */
START_TEST(test_newlen_overflow_aborts)
{
    sds s = sdsnewlen(SDS_NOINIT, SIZE_MAX - 1);
    (void)s;
    ck_abort_msg("sdsnewlen returned for SIZE_MAX-1 bytes");
}
END_TEST

/**
 * @brief The suite of this file.
 * @return A Suite with all sds test cases.
 */
static Suite *sds_suite(void) {
    Suite *s = suite_create("sds");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_create);
    tcase_add_test(tc, test_dup_and_memory);
    tcase_add_test(tc, test_make_room_growth);
    tcase_add_test(tc, test_incr_len);
    tcase_add_test(tc, test_remove_free_space);
    tcase_add_test(tc, test_cat_and_cpy);
    tcase_add_test(tc, test_clear_updatelen);
    tcase_add_test(tc, test_catprintf);
    tcase_add_test(tc, test_catfmt);
    tcase_add_test(tc, test_numbers);
    tcase_add_test(tc, test_trim);
    tcase_add_test(tc, test_range);
    tcase_add_test(tc, test_cmp);
    tcase_add_test(tc, test_case_and_map);
    tcase_add_test(tc, test_splitlen);
    tcase_add_test(tc, test_join);
    tcase_add_test(tc, test_catrepr);
    tcase_add_test(tc, test_splitargs_plain);
    tcase_add_test(tc, test_splitargs_double_quotes);
    tcase_add_test(tc, test_splitargs_single_quotes);
    tcase_add_test(tc, test_splitargs_unbalanced);
    tcase_add_test_raise_signal(tc, test_make_room_overflow_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, test_newlen_overflow_aborts, SIGABRT);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the suite.
 * @return 0 if every test passed, 1 otherwise.
 */
int main(void) {
    SRunner *sr = srunner_create(sds_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
