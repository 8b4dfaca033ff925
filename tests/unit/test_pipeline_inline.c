/**
 * @file test_pipeline_inline.c
 * @brief The inline protocol (what telnet and `redis-cli` scripts send):
 *        quoting, escapes, empty lines, "\n"-only endings, unbalanced
 *        quotes and the 64 KB line limit, with exact reply bytes.
 *
 * Where it sits: processInputBuffer picks the inline parser when a request
 * does not start with '*'; processInlineBuffer finds the '\n' (a '\r'
 * before it is dropped), splits the line with sdssplitargs and turns every
 * token into an argument, empty ones included ("" or ''): since Redis
 * 5.0.8, `ECHO ""` is a two-argument ECHO of the empty string (older
 * releases silently dropped empty tokens). With no '\n' after more than
 * PROTO_INLINE_MAX_SIZE (65536) unconsumed bytes, the request is refused.
 */
#include "pipeline_harness.c"

/* `SET "my key" "a b"` then `GET "my key"` -> "+OK\r\n$3\r\na b\r\n". */
START_TEST(test_inline_double_quotes) {
    client *c = new_client();
    EXPECT(c, "SET \"my key\" \"a b\"\r\nGET \"my key\"\r\n", "+OK\r\n$3\r\na b\r\n");
    EXPECT(c, "EXISTS my\r\n", ":0\r\n");
}
END_TEST

/* `ECHO "\x41\x42"` -> "$2\r\nAB\r\n"; "\n" "\t" "\"" "\\" escapes; unknown "\q" -> "q"; "\x4g" -> "x4g". */
START_TEST(test_inline_escapes) {
    client *c = new_client();
    EXPECT(c, "ECHO \"\\x41\\x42\"\r\n", "$2\r\nAB\r\n");
    EXPECT(c, "ECHO \"a\\nb\"\r\n", "$3\r\na\nb\r\n");
    EXPECT(c, "ECHO \"\\t\\r\"\r\n", "$2\r\n\t\r\r\n");
    EXPECT(c, "ECHO \"\\\"\"\r\n", "$1\r\n\"\r\n");
    EXPECT(c, "ECHO \"\\\\\"\r\n", "$1\r\n\\\r\n");
    EXPECT(c, "ECHO \"\\q\"\r\n", "$1\r\nq\r\n");
    EXPECT(c, "ECHO \"\\x4g\"\r\n", "$3\r\nx4g\r\n");
    EXPECT(c, "ECHO \"\\xff\\x00z\"\r\n", "$3\r\n\xff\0z\r\n");
}
END_TEST

/* `ECHO 'a b'` -> "$3\r\na b\r\n"; only \' is an escape in single quotes: 'a\nb' is 4 bytes. */
START_TEST(test_inline_single_quotes) {
    client *c = new_client();
    EXPECT(c, "ECHO 'a b'\r\n", "$3\r\na b\r\n");
    EXPECT(c, "ECHO 'it\\'s'\r\n", "$4\r\nit's\r\n");
    EXPECT(c, "ECHO 'a\\nb'\r\n", "$4\r\na\\nb\r\n");
    EXPECT(c, "ECHO 'say \"hi\"'\r\n", "$8\r\nsay \"hi\"\r\n");
}
END_TEST

/* Empty tokens are arguments: `ECHO ""` -> "$0\r\n\r\n"; `SET k "" v` is SET with 3 args after
 * the key -> "-ERR syntax error"; `CLIENT SETNAME ''` clears the name -> "+OK". */
START_TEST(test_inline_empty_args_kept) {
    client *c = new_client();
    EXPECT(c, "ECHO \"\"\r\n", "$0\r\n\r\n");
    EXPECT(c, "ECHO ''\r\n", "$0\r\n\r\n");
    EXPECT(c, "SET k \"\" v\r\n", "-ERR syntax error\r\n");
    EXPECT(c, "SET k \"\"\r\nSTRLEN k\r\nEXISTS k\r\n", "+OK\r\n:0\r\n:1\r\n");
    EXPECT(c, "CLIENT SETNAME ''\r\nCLIENT GETNAME\r\n", "+OK\r\n$-1\r\n");
}
END_TEST

/* "\r\n", "\n" and "   \r\n" -> no reply at all, argc 0, client reset; then "PING" -> "+PONG\r\n". */
START_TEST(test_inline_empty_lines) {
    client *c = new_client();
    static const char *const empties[] = {"\r\n", "\n", "   \r\n", "\t \n"};
    for (int i = 0; i < 4; i++) {
        feed_str(c, empties[i]);
        ck_assert_int_eq(c->bufpos, 0);
        ck_assert_uint_eq(listLength(c->reply), 0);
        ck_assert_int_eq(c->argc, 0);
        ck_assert_msg(c->reqtype == 0, "after the empty line %s, reqtype is %d, "
                      "not 0: the empty request was not reset (argc 0 must be "
                      "C_OK, and the line consumed)", i == 0 ? "\"\\r\\n\"" :
                      i == 1 ? "\"\\n\"" : "of blanks", c->reqtype);
        ck_assert_uint_eq(sdslen(c->querybuf), 0);
        ck_assert(!(c->flags & CLIENT_PENDING_WRITE));
    }
    EXPECT(c, "\r\n\r\n\nPING\r\n\r\n", "+PONG\r\n");
}
END_TEST

/* "\n"-only endings: "PING\nPING\n" -> two "+PONG\r\n"; "SET k v\n" stores "v" (no '\r' kept). */
START_TEST(test_inline_lf_only) {
    client *c = new_client();
    EXPECT(c, "PING\nPING\n", "+PONG\r\n+PONG\r\n");
    EXPECT(c, "SET k v\nSTRLEN k\n", "+OK\r\n:1\r\n");
    /* Only one '\r' before '\n' belongs to the line end; the other one is
     * a separator for sdssplitargs: "ECHO a\r" is ["ECHO", "a"]. */
    EXPECT(c, "ECHO a\r\r\n", "$1\r\na\r\n");
    /* '\r' and '\t' inside the line separate tokens like spaces. */
    EXPECT(c, "SET\tk2\tv2\r\nGET k2\r\n", "+OK\r\n$2\r\nv2\r\n");
    EXPECT(c, "EC\rHO x\r\n",
           "-ERR unknown command `EC`, with args beginning with: `HO`, `x`, \r\n");
}
END_TEST

/* `ECHO "abc` -> "-ERR Protocol error: unbalanced quotes in request\r\n", then the client is closed. */
START_TEST(test_inline_unbalanced_double) {
    client *c = new_client();
    client *other = new_client();
    uint64_t id = c->id;
    feed_str(c, "ECHO \"abc\r\n");
    ck_assert_msg(c->flags & CLIENT_CLOSE_AFTER_REPLY, "CLIENT_CLOSE_AFTER_REPLY "
                  "is not set after an unbalanced quote: setProtocolError() "
                  "was not called");
    ASSERT_LIT(collect(id), "-ERR Protocol error: unbalanced quotes in request\r\n");
    ck_assert(!client_alive(id));
    EXPECT(other, "PING\r\n", "+PONG\r\n");
}
END_TEST

/* `ECHO 'abc` and `ECHO "a"b` (closing quote not followed by a space) -> the same error and close. */
START_TEST(test_inline_unbalanced_single_and_glued) {
    client *c = new_client();
    uint64_t id = c->id;
    EXPECT(c, "ECHO 'abc\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n");
    ck_assert(!client_alive(id));
    client *d = new_client();
    id = d->id;
    EXPECT(d, "ECHO \"a\"b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n");
    ck_assert(!client_alive(id));
}
END_TEST

/* "PING\r\nECHO \"x\r\nSET k v\r\n" -> "+PONG\r\n" + the error; SET is never run. */
START_TEST(test_inline_unbalanced_pipelined) {
    client *c = new_client();
    client *other = new_client();
    uint64_t id = c->id;
    EXPECT(c, "PING\r\nECHO \"x\r\nSET k v\r\n",
           "+PONG\r\n-ERR Protocol error: unbalanced quotes in request\r\n");
    ck_assert(!client_alive(id));
    EXPECT(other, "EXISTS k\r\n", ":0\r\n");
}
END_TEST

/* 65,536 bytes with no '\n' -> still waiting; one more byte -> "-ERR Protocol error: too big inline request\r\n", closed. */
START_TEST(test_inline_too_big) {
    client *c = new_client();
    client *other = new_client();
    uint64_t id = c->id;
    sds a = sds_repeat("a", 1, PROTO_INLINE_MAX_SIZE);
    /* Four reads of 16384: the limit is "more than 65536 unconsumed". */
    ck_assert_int_eq(feed(c, a, sdslen(a), 0), 1);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(sdslen(c->querybuf), PROTO_INLINE_MAX_SIZE);
    ck_assert_msg(!(c->flags & CLIENT_CLOSE_AFTER_REPLY), "exactly 65536 bytes "
                  "without a newline closed the client: the limit is MORE than "
                  "PROTO_INLINE_MAX_SIZE");
    feed_str(c, "a");
    ASSERT_LIT(collect(id), "-ERR Protocol error: too big inline request\r\n");
    ck_assert(!client_alive(id));
    EXPECT(other, "PING\r\n", "+PONG\r\n");
    sdsfree(a);
}
END_TEST

/* A 65,536-byte line whose "\r\n" arrives in the next read is fine: "ECHO " + 65,531 'a' -> "$65531\r\n...". */
START_TEST(test_inline_64k_boundary) {
    client *c = new_client();
    sds line = sdscat(sdsempty(), "ECHO ");
    sds a = sds_repeat("a", 1, PROTO_INLINE_MAX_SIZE - 5);
    line = sdscatsds(line, a);
    ck_assert_uint_eq(sdslen(line), PROTO_INLINE_MAX_SIZE);
    feed(c, line, sdslen(line), 0);
    feed_str(c, "\r\n");
    sds exp = sdscatprintf(sdsempty(), "$%zu\r\n%s\r\n", sdslen(a), a);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    sdsfree(line); sdsfree(a); sdsfree(exp);
}
END_TEST

/* "ECHO " + 70,000 'a' + "\r\n": whole (the '\n' arrives in the read that crosses 64 KB) -> echoed; in 1,000-byte reads -> too big. */
START_TEST(test_inline_over_64k_depends_on_reads) {
    sds line = sdscat(sdsempty(), "ECHO ");
    sds a = sds_repeat("a", 1, 70000);
    line = sdscatsds(line, a);
    line = sdscat(line, "\r\n");
    client *c = new_client();
    feed(c, line, sdslen(line), 0);
    sds exp = sdscatprintf(sdsempty(), "$70000\r\n%s\r\n", a);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    client *d = new_client();
    uint64_t id = d->id;
    feed(d, line, sdslen(line), 1000);
    ASSERT_LIT(collect(id), "-ERR Protocol error: too big inline request\r\n");
    ck_assert(!client_alive(id));
    sdsfree(line); sdsfree(a); sdsfree(exp);
}
END_TEST

/* "ECHO a\0b\r\n": the '\n' search stops at the NUL, so Redis 5.0 waits for more bytes: no reply, client open. */
START_TEST(test_inline_nul_waits) {
    client *c = new_client();
    static const char req[] = "ECHO a\0b\r\n";
    ck_assert_int_eq(feed(c, req, sizeof(req) - 1, 0), 1);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(listLength(c->reply), 0);
    ck_assert_uint_eq(sdslen(c->querybuf), sizeof(req) - 1);
    ASSERT_LIT(collect_output(c), "");
}
END_TEST

/**
 * @brief Build the suite.
 * @return The suite.
 */
static Suite *inline_suite(void) {
    Suite *s = suite_create("pipeline_inline");
    TCase *tc = tcase_create("inline");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_inline_double_quotes);
    tcase_add_test(tc, test_inline_escapes);
    tcase_add_test(tc, test_inline_single_quotes);
    tcase_add_test(tc, test_inline_empty_args_kept);
    tcase_add_test(tc, test_inline_empty_lines);
    tcase_add_test(tc, test_inline_lf_only);
    tcase_add_test(tc, test_inline_unbalanced_double);
    tcase_add_test(tc, test_inline_unbalanced_single_and_glued);
    tcase_add_test(tc, test_inline_unbalanced_pipelined);
    tcase_add_test(tc, test_inline_too_big);
    tcase_add_test(tc, test_inline_64k_boundary);
    tcase_add_test(tc, test_inline_over_64k_depends_on_reads);
    tcase_add_test(tc, test_inline_nul_waits);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the inline tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(inline_suite());
}
