/**
 * @file test_object.c
 * @brief Check unit tests for src/object.c: string encodings, the EMBSTR
 *        layout, shared integers, tryObjectEncoding's rules, reference
 *        counting and the strict number readers.
 *
 * Where it sits: beside the pipeline, not in it. Every argument the parser
 * makes is an object from object.c, so these tests pin down what the
 * parser and the commands can rely on: "123" stored by SET is the shared
 * integer 123, a 44-byte argument is one 64-byte allocation, "01" is not a
 * number. The server is initialised without sockets (port 0), which
 * creates shared.integers and the databases.
 */
#include <check.h>
#include <sys/wait.h>

#include "server.h"

/**
 * @brief Make a string of @p len copies of @p ch in a static buffer.
 * @param ch  The byte to repeat.
 * @param len How many (at most 255).
 * @return The buffer (NUL terminated).
 */
static const char *repeat(char ch, size_t len) {
    static char buf[256];

    memset(buf, ch, len);
    buf[len] = '\0';
    return buf;
}

/** "123" is made EMBSTR by createStringObject, and becomes the shared
 *  integer 123 once tryObjectEncoding runs (the SET path). */
START_TEST(test_encoding_small_integer) {
    robj *o = createStringObject("123", 3);

    ck_assert_int_eq(o->encoding, OBJ_ENCODING_EMBSTR);
    ck_assert_int_eq(o->refcount, 1);
    o = tryObjectEncoding(o);
    ck_assert_ptr_eq(o, shared.integers[123]);
    ck_assert_int_eq(o->encoding, OBJ_ENCODING_INT);
    ck_assert_int_eq(o->refcount, OBJ_SHARED_REFCOUNT);
    ck_assert_int_eq((long)o->ptr, 123);
    decrRefCount(o); /* no-op on a shared object */
    ck_assert_int_eq(shared.integers[123]->refcount, OBJ_SHARED_REFCOUNT);
}
END_TEST

/** 20 digits that overflow a long stay a string (EMBSTR, <= 44 bytes);
 *  the 64-bit limits themselves become INT objects, not shared. */
START_TEST(test_encoding_twenty_digits) {
    robj *o = createStringObject("12345678901234567890", 20);

    o = tryObjectEncoding(o);
    ck_assert_int_eq(o->encoding, OBJ_ENCODING_EMBSTR);
    ck_assert_str_eq(o->ptr, "12345678901234567890");
    decrRefCount(o);

    o = tryObjectEncoding(createStringObject("9223372036854775807", 19));
    ck_assert_int_eq(o->encoding, OBJ_ENCODING_INT);
    ck_assert_int_eq(o->refcount, 1);
    ck_assert(o->ptr == (void *)LONG_MAX);
    decrRefCount(o);

    o = tryObjectEncoding(createStringObject("-9223372036854775808", 20));
    ck_assert_int_eq(o->encoding, OBJ_ENCODING_INT);
    ck_assert(o->ptr == (void *)LONG_MIN);
    decrRefCount(o);

    o = tryObjectEncoding(createStringObject("9223372036854775808", 19));
    ck_assert_int_eq(o->encoding, OBJ_ENCODING_EMBSTR);
    decrRefCount(o);
}
END_TEST

/** 44 bytes: EMBSTR, header and bytes right after the robj, 64 bytes in
 *  all. 45 bytes: RAW. */
START_TEST(test_encoding_44_45) {
    robj *o44 = createStringObject(repeat('a', 44), 44);
    robj *o45 = createStringObject(repeat('b', 45), 45);
    struct sdshdr8 *sh;

    ck_assert_int_eq(o44->encoding, OBJ_ENCODING_EMBSTR);
    sh = (struct sdshdr8 *)(o44 + 1);
    ck_assert_ptr_eq(o44->ptr, (char *)(o44 + 1) + sizeof(struct sdshdr8));
    ck_assert_int_eq(sizeof(robj) + sizeof(struct sdshdr8) + 44 + 1, 64);
    ck_assert_int_eq(sh->len, 44);
    ck_assert_int_eq(sh->alloc, 44);
    ck_assert_int_eq(sh->flags, SDS_TYPE_8);
    ck_assert_int_eq(sdslen(o44->ptr), 44);
    ck_assert_int_eq(((char *)o44->ptr)[44], '\0');
    ck_assert_int_eq(memcmp(o44->ptr, repeat('a', 44), 44), 0);

    ck_assert_int_eq(o45->encoding, OBJ_ENCODING_RAW);
    ck_assert_int_eq(sdslen(o45->ptr), 45);
    ck_assert_str_eq(strEncoding(o44->encoding), "embstr");
    ck_assert_str_eq(strEncoding(o45->encoding), "raw");

    /* Both stay as they are through tryObjectEncoding. */
    ck_assert_ptr_eq(tryObjectEncoding(o44), o44);
    ck_assert_ptr_eq(tryObjectEncoding(o45), o45);
    decrRefCount(o44);
    decrRefCount(o45);
}
END_TEST

/** Binary bytes survive EMBSTR: "a\0b" keeps its 3 bytes. */
START_TEST(test_embstr_binary) {
    robj *o = createStringObject("a\0b", 3);

    ck_assert_int_eq(sdslen(o->ptr), 3);
    ck_assert_int_eq(memcmp(o->ptr, "a\0b", 3), 0);
    o = tryObjectEncoding(o);
    ck_assert_int_eq(o->encoding, OBJ_ENCODING_EMBSTR);
    decrRefCount(o);
}
END_TEST

/** createStringObjectFromLongLong: 0 and 9999 shared, 10000 and -1 not. */
START_TEST(test_shared_integers) {
    robj *a = createStringObjectFromLongLong(0);
    robj *b = createStringObjectFromLongLong(9999);
    robj *c = createStringObjectFromLongLong(10000);
    robj *d = createStringObjectFromLongLong(-1);

    ck_assert_ptr_eq(a, shared.integers[0]);
    ck_assert_ptr_eq(b, shared.integers[9999]);
    ck_assert_int_eq(a->refcount, OBJ_SHARED_REFCOUNT);
    incrRefCount(a);
    ck_assert_int_eq(a->refcount, OBJ_SHARED_REFCOUNT);
    ck_assert_int_eq(c->encoding, OBJ_ENCODING_INT);
    ck_assert_int_eq(c->refcount, 1);
    ck_assert_int_eq((long)c->ptr, 10000);
    ck_assert_int_eq(d->refcount, 1);
    ck_assert_int_eq((long)d->ptr, -1);
    decrRefCount(a);
    decrRefCount(b);
    decrRefCount(c);
    decrRefCount(d);
}
END_TEST

/** tryObjectEncoding: non-canonical numbers stay strings; an object with
 *  two owners is untouched; a RAW number keeps its robj; a short RAW
 *  becomes EMBSTR; a long RAW loses its spare room. */
START_TEST(test_try_encoding_rules) {
    const char *not_numbers[] = {"007", " 1", "1 ", "+1", "1.5", "", "-0", "0x10"};
    robj *o, *r;
    size_t j;

    for (j = 0; j < sizeof(not_numbers) / sizeof(*not_numbers); j++) {
        o = tryObjectEncoding(createStringObject(not_numbers[j], strlen(not_numbers[j])));
        ck_assert_msg(o->encoding == OBJ_ENCODING_EMBSTR, "%s", not_numbers[j]);
        ck_assert_int_eq(sdslen(o->ptr), strlen(not_numbers[j]));
        decrRefCount(o);
    }

    /* Two owners: left exactly as it is. */
    o = createRawStringObject("42", 2);
    incrRefCount(o);
    ck_assert_ptr_eq(tryObjectEncoding(o), o);
    ck_assert_int_eq(o->encoding, OBJ_ENCODING_RAW);
    decrRefCount(o);
    decrRefCount(o);

    /* RAW "10000": the same robj, now INT. */
    o = createRawStringObject("10000", 5);
    r = tryObjectEncoding(o);
    ck_assert_ptr_eq(r, o);
    ck_assert_int_eq(r->encoding, OBJ_ENCODING_INT);
    ck_assert_int_eq((long)r->ptr, 10000);
    decrRefCount(r);

    /* RAW "hello": replaced by an EMBSTR copy. */
    o = createRawStringObject("hello", 5);
    r = tryObjectEncoding(o);
    ck_assert_int_eq(r->encoding, OBJ_ENCODING_EMBSTR);
    ck_assert_str_eq(r->ptr, "hello");
    decrRefCount(r);

    /* RAW of 100 bytes in a 1100-byte buffer: trimmed to no spare room. */
    o = createRawStringObject(repeat('x', 100), 100);
    o->ptr = sdsMakeRoomFor(o->ptr, 1000);
    ck_assert(sdsavail(o->ptr) > 10);
    r = tryObjectEncoding(o);
    ck_assert_ptr_eq(r, o);
    ck_assert_int_eq(r->encoding, OBJ_ENCODING_RAW);
    ck_assert_int_eq(sdsavail(r->ptr), 0);
    ck_assert_int_eq(sdslen(r->ptr), 100);
    decrRefCount(r);

    /* An INT object is returned as it is. */
    o = createStringObjectFromLongLong(123456);
    ck_assert_ptr_eq(tryObjectEncoding(o), o);
    decrRefCount(o);
}
END_TEST

/** getLongLongFromObject: the 64-bit limits parse, one past them and
 *  every non-canonical spelling does not; NULL reads as 0. */
START_TEST(test_get_long_long) {
    struct { const char *s; int ok; long long v; } cases[] = {
        {"0", 1, 0},
        {"-1", 1, -1},
        {"9223372036854775807", 1, LLONG_MAX},
        {"-9223372036854775808", 1, LLONG_MIN},
        {"9223372036854775808", 0, 0},
        {"-9223372036854775809", 0, 0},
        {"", 0, 0},
        {" 1", 0, 0},
        {"1 ", 0, 0},
        {"+1", 0, 0},
        {"01", 0, 0},
        {"1.5", 0, 0},
        {"abc", 0, 0},
        {"1\0002", 0, 0},
    };
    size_t j;
    long long v;

    for (j = 0; j < sizeof(cases) / sizeof(*cases); j++) {
        size_t len = (j == sizeof(cases) / sizeof(*cases) - 1) ? 3 : strlen(cases[j].s);
        robj *o = createStringObject(cases[j].s, len);
        int rc = getLongLongFromObject(o, &v);

        ck_assert_msg((rc == C_OK) == cases[j].ok, "case %zu", j);
        if (cases[j].ok) ck_assert_msg(v == cases[j].v, "case %zu", j);
        decrRefCount(o);
    }
    v = 99;
    ck_assert_int_eq(getLongLongFromObject(NULL, &v), C_OK);
    ck_assert(v == 0);
    ck_assert_int_eq(getLongLongFromObject(shared.integers[77], &v), C_OK);
    ck_assert(v == 77);
    ck_assert_int_eq(getLongLongFromObject(shared.integers[77], NULL), C_OK);
}
END_TEST

/** getDecodedObject, comparisons and lengths across encodings. */
START_TEST(test_decode_compare_len) {
    robj *i = createStringObjectFromLongLong(-123);
    robj *s = createStringObject("-123", 4);
    robj *d = getDecodedObject(i);
    robj *ten = createStringObject("10", 2), *nine = createStringObject("9", 1);
    robj *ab = createStringObject("ab", 2), *abc = createStringObject("abc", 3);

    ck_assert_int_eq(d->encoding, OBJ_ENCODING_EMBSTR);
    ck_assert_str_eq(d->ptr, "-123");
    ck_assert_int_eq(stringObjectLen(i), 4);
    ck_assert_int_eq(stringObjectLen(s), 4);
    ck_assert(equalStringObjects(i, s));
    ck_assert(equalStringObjects(s, i));
    ck_assert_int_eq(compareStringObjects(i, s), 0);
    ck_assert(compareStringObjects(ten, nine) < 0);
    ck_assert(compareStringObjects(ab, abc) < 0);
    ck_assert(compareStringObjects(abc, ab) > 0);
    ck_assert(!equalStringObjects(ab, abc));
    /* getDecodedObject of a string: the same object, one more reference. */
    ck_assert_ptr_eq(getDecodedObject(s), s);
    ck_assert_int_eq(s->refcount, 2);
    decrRefCount(s);
    decrRefCount(s);
    decrRefCount(d);
    decrRefCount(i);
    decrRefCount(ten);
    decrRefCount(nine);
    decrRefCount(ab);
    decrRefCount(abc);
}
END_TEST

/** dupStringObject keeps the encoding and always returns refcount 1. */
START_TEST(test_dup) {
    robj *e = createStringObject("emb", 3);
    robj *r = createRawStringObject(repeat('r', 50), 50);
    robj *de = dupStringObject(e), *dr = dupStringObject(r);
    robj *di = dupStringObject(shared.integers[5]);

    ck_assert_int_eq(de->encoding, OBJ_ENCODING_EMBSTR);
    ck_assert_int_eq(dr->encoding, OBJ_ENCODING_RAW);
    ck_assert_int_eq(di->encoding, OBJ_ENCODING_INT);
    ck_assert_int_eq(di->refcount, 1);
    ck_assert_ptr_ne(di, shared.integers[5]);
    ck_assert(equalStringObjects(de, e));
    ck_assert(equalStringObjects(dr, r));
    decrRefCount(e);
    decrRefCount(r);
    decrRefCount(de);
    decrRefCount(dr);
    decrRefCount(di);
}
END_TEST

/** Releasing an object whose refcount is already 0 stops the process
 *  (in a child, so the test itself survives). */
START_TEST(test_decr_refcount_panic) {
    pid_t pid = fork();
    int status;

    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        robj *o = createStringObject("x", 1);

        /* The panic prints a bug report: keep the test output clean. */
        if (freopen("/dev/null", "w", stdout) == NULL) _exit(2);
        if (freopen("/dev/null", "w", stderr) == NULL) _exit(2);
        o->refcount = 0;
        decrRefCount(o);
        _exit(0); /* not reached if the panic works */
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFSIGNALED(status));
}
END_TEST

/**
 * @brief Build the object.c suite.
 * @return The suite.
 */
static Suite *object_suite(void) {
    Suite *s = suite_create("object");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_encoding_small_integer);
    tcase_add_test(tc, test_encoding_twenty_digits);
    tcase_add_test(tc, test_encoding_44_45);
    tcase_add_test(tc, test_embstr_binary);
    tcase_add_test(tc, test_shared_integers);
    tcase_add_test(tc, test_try_encoding_rules);
    tcase_add_test(tc, test_get_long_long);
    tcase_add_test(tc, test_decode_compare_len);
    tcase_add_test(tc, test_dup);
    tcase_add_test(tc, test_decr_refcount_panic);
    suite_add_tcase(s, tc);
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

    sr = srunner_create(object_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
