/**
 * @file test_pipeline_protocol.c
 * @brief Multibulk protocol errors and edge cases: exact error bytes, the
 *        client closed once the error is written, other clients untouched;
 *        binary-safe arguments and the big-argument path.
 *
 * Where it sits: processMultibulkBuffer. A protocol error there adds its
 * reply with addReplyError and calls setProtocolError, which sets
 * CLIENT_CLOSE_AFTER_REPLY: processInputBuffer stops (later requests in the
 * same read never run), nothing more is added to the reply, and
 * writeToClient frees the client after the last byte of the error is out.
 *
 * The big-argument path: a "$<n>" with n >= PROTO_MBULK_BIG_ARG (32768)
 * makes the parser move the argument to the start of querybuf and make room
 * for n+2 bytes; readQueryFromClient then reads no more than the bytes still
 * missing, so querybuf ends exactly at the argument's "\r\n" and becomes the
 * argument object itself; the client gets a fresh querybuf.
 */
#include "pipeline_harness.c"

/**
 * @brief Send @p in to a new client, expect exactly @p err back and the
 *        client freed, and check that another client still works.
 * @param in Request bytes.
 * @param inlen Their length.
 * @param err The error line Redis 5.0 sends.
 */
static void expect_protocol_error(const char *in, size_t inlen, const char *err) {
    client *c = new_client();
    client *other = new_client();
    uint64_t id = c->id;
    feed(c, in, inlen, 0);
    ck_assert_msg(client_alive(id), "freed before its error reply was written");
    ck_assert(c->flags & CLIENT_CLOSE_AFTER_REPLY);
    ASSERT_BYTES(collect(id), err, strlen(err));
    ck_assert_msg(!client_alive(id), "client not freed after the protocol error reply");
    EXPECT(other, "PING\r\n", "+PONG\r\n");
}

/** expect_protocol_error for a string literal request. */
#define PROTO_ERR(in, err) expect_protocol_error((in), sizeof(in) - 1, (err))

/* "*abc\r\n" -> "-ERR Protocol error: invalid multibulk length\r\n" and close. */
START_TEST(test_proto_mbulk_len_not_number) {
    PROTO_ERR("*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
    PROTO_ERR("*+1\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
    PROTO_ERR("*01\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
    PROTO_ERR("*\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
}
END_TEST

/* "*1048577\r\n" (over 1024*1024) -> invalid multibulk length; "*1048576\r\n" is accepted and waits. */
START_TEST(test_proto_mbulk_len_limit) {
    PROTO_ERR("*1048577\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
    client *c = new_client();
    feed_str(c, "*1048576\r\n");
    ck_assert_int_eq(c->multibulklen, 1048576);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert(!(c->flags & CLIENT_CLOSE_AFTER_REPLY));
}
END_TEST

/* "*-1\r\n" and "*0\r\n" -> no reply, no error; the next "PING" -> "+PONG\r\n". */
START_TEST(test_proto_mbulk_zero_negative) {
    client *c = new_client();
    static const char *const reqs[] = {"*-1\r\n", "*0\r\n", "*-100\r\n"};
    for (int i = 0; i < 3; i++) {
        feed_str(c, reqs[i]);
        ck_assert_int_eq(c->bufpos, 0);
        ck_assert_uint_eq(listLength(c->reply), 0);
        ck_assert_int_eq(c->multibulklen, 0);
        ck_assert_int_eq(c->reqtype, 0);
        ck_assert_uint_eq(sdslen(c->querybuf), 0);
        ck_assert(!(c->flags & CLIENT_CLOSE_AFTER_REPLY));
    }
    EXPECT(c, "*0\r\n*-1\r\nPING\r\n", "+PONG\r\n");
}
END_TEST

/* "*1\r\nx" waits (no "\r\n" after x yet); "*1\r\nx\r\n" -> "-ERR Protocol error: expected '$', got 'x'\r\n". */
START_TEST(test_proto_expected_dollar) {
    client *c = new_client();
    feed_str(c, "*1\r\nx");
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert(!(c->flags & CLIENT_CLOSE_AFTER_REPLY));
    uint64_t id = c->id;
    feed_str(c, "\r\n");
    ASSERT_LIT(collect(id), "-ERR Protocol error: expected '$', got 'x'\r\n");
    ck_assert(!client_alive(id));
    PROTO_ERR("*1\r\n:5\r\n", "-ERR Protocol error: expected '$', got ':'\r\n");
    PROTO_ERR("*2\r\n$4\r\nECHO\r\n*1\r\n", "-ERR Protocol error: expected '$', got '*'\r\n");
}
END_TEST

/* "$abc", "$-1", "$01" and "$536870913" (over proto-max-bulk-len 512 MB) -> "-ERR Protocol error: invalid bulk length\r\n". */
START_TEST(test_proto_invalid_bulk_len) {
    PROTO_ERR("*1\r\n$abc\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    PROTO_ERR("*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    PROTO_ERR("*1\r\n$01\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    PROTO_ERR("*1\r\n$\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    ck_assert_int_eq(server.proto_max_bulk_len, 512ll * 1024 * 1024);
    PROTO_ERR("*1\r\n$536870913\r\n", "-ERR Protocol error: invalid bulk length\r\n");
}
END_TEST

/* proto_max_bulk_len 100: "$100" is accepted ("+OK"), "$101" -> invalid bulk length. */
START_TEST(test_proto_max_bulk_len_boundary) {
    server.proto_max_bulk_len = 100;
    client *c = new_client();
    sds v = sds_repeat("v", 1, 100);
    sds req = sdscatprintf(sdsempty(), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\n%s\r\n", v);
    feed(c, req, sdslen(req), 0);
    ASSERT_LIT(collect_output(c), "+OK\r\n");
    PROTO_ERR("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$101\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    sdsfree(v); sdsfree(req);
}
END_TEST

/* "*" + 65,536 digits with no '\r' -> still waiting at 65,536 unconsumed bytes, error at 65,537: too big mbulk count string. */
START_TEST(test_proto_too_big_mbulk_count) {
    client *c = new_client();
    sds s = sdscat(sdsempty(), "*");
    sds digits = sds_repeat("1", 1, PROTO_INLINE_MAX_SIZE - 1);
    s = sdscatsds(s, digits);
    uint64_t id = c->id;
    feed(c, s, sdslen(s), 0);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert(!(c->flags & CLIENT_CLOSE_AFTER_REPLY));
    feed_str(c, "1");
    ASSERT_LIT(collect(id), "-ERR Protocol error: too big mbulk count string\r\n");
    ck_assert(!client_alive(id));
    sdsfree(s); sdsfree(digits);
}
END_TEST

/* "*1\r\n$" + 65,535 digits -> waiting; one more digit (65,537 unconsumed) -> too big bulk count string. */
START_TEST(test_proto_too_big_bulk_count) {
    client *c = new_client();
    client *other = new_client();
    uint64_t id = c->id;
    sds s = sdscat(sdsempty(), "*1\r\n$");
    sds digits = sds_repeat("1", 1, PROTO_INLINE_MAX_SIZE - 1);
    s = sdscatsds(s, digits);
    feed(c, s, sdslen(s), 0);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_int_eq(c->multibulklen, 1);
    ck_assert_uint_eq(sdslen(c->querybuf), PROTO_INLINE_MAX_SIZE);
    feed_str(c, "1");
    ASSERT_LIT(collect(id), "-ERR Protocol error: too big bulk count string\r\n");
    ck_assert(!client_alive(id));
    EXPECT(other, "PING\r\n", "+PONG\r\n");
    sdsfree(s); sdsfree(digits);
}
END_TEST

/* "*abc\r\nSET k v\r\n" -> only the error; SET never runs (another client sees EXISTS k = ":0"). */
START_TEST(test_proto_error_stops_pipeline) {
    PROTO_ERR("*abc\r\nSET k v\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
    client *c = new_client();
    EXPECT(c, "EXISTS k\r\n", ":0\r\n");
    /* Requests before the error still run and reply first. */
    PROTO_ERR("SET a 1\r\n*1\r\n$x\r\nSET b 1\r\n",
              "+OK\r\n-ERR Protocol error: invalid bulk length\r\n");
    EXPECT(c, "EXISTS a b\r\n", ":1\r\n");
}
END_TEST

/* After the error, nothing more is queued: a PUBLISH to the closing subscriber adds no message. */
START_TEST(test_proto_no_reply_after_error) {
    client *sub = new_client();
    client *pub = new_client();
    uint64_t id = sub->id;
    EXPECT(sub, "SUBSCRIBE ch\r\n", "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
    feed_str(sub, "*x\r\n");
    EXPECT(pub, "PUBLISH ch hello\r\n", ":1\r\n");
    ASSERT_LIT(collect(id), "-ERR Protocol error: invalid multibulk length\r\n");
    ck_assert(!client_alive(id));
}
END_TEST

/* "$3\r\nabcde\r\n": Redis takes "abc" and skips two bytes it assumes are "\r\n" -> unknown command `abc`; "\r\n" left is an empty inline line. */
START_TEST(test_proto_bulk_longer_than_declared) {
    client *c = new_client();
    EXPECT(c, "*1\r\n$3\r\nabcde\r\n",
           "-ERR unknown command `abc`, with args beginning with: \r\n");
    ck_assert(client_alive(c->id));
    EXPECT(c, "PING\r\n", "+PONG\r\n");
}
END_TEST

/* NUL bytes in key and value: SET "k\0y" "a\0b\0c" -> "+OK"; GET -> "$5\r\na\0b\0c\r\n"; "k" alone does not exist. */
START_TEST(test_proto_nul_bytes) {
    client *c = new_client();
    EXPECT(c, "*3\r\n$3\r\nSET\r\n$3\r\nk\0y\r\n$5\r\na\0b\0c\r\n", "+OK\r\n");
    EXPECT(c, "*2\r\n$3\r\nGET\r\n$3\r\nk\0y\r\n", "$5\r\na\0b\0c\r\n");
    EXPECT(c, "*2\r\n$6\r\nEXISTS\r\n$1\r\nk\r\n", ":0\r\n");
    EXPECT(c, "*2\r\n$6\r\nSTRLEN\r\n$3\r\nk\0y\r\n", ":5\r\n");
    /* NUL at every position of a split request. */
    static const char req[] = "*2\r\n$4\r\nECHO\r\n$4\r\n\0\0\0\0\r\n";
    for (size_t cut = 1; cut < sizeof(req) - 1; cut++) {
        feed(c, req, cut, 0);
        feed(c, req + cut, sizeof(req) - 1 - cut, 0);
        ASSERT_LIT(collect_output(c), "$4\r\n\0\0\0\0\r\n");
    }
}
END_TEST

/**
 * @brief SET k to @p len bytes (a pattern, so a misplaced byte shows),
 *        sent in @p chunk-sized reads, then GET it back and compare.
 * @param len Value length.
 * @param chunk Read size for feed() (0 = whole).
 * @return The client, for further checks.
 */
static client *set_get_value(size_t len, size_t chunk) {
    client *c = new_client();
    sds v = sdsempty();
    v = sdsMakeRoomFor(v, len);
    for (size_t i = 0; i < len; i++) v = sdscatlen(v, &"0123456789abcdefghijklmnopqrstuvwxyz"[i % 36], 1);
    sds req = sdscatprintf(sdsempty(), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$%zu\r\n", len);
    req = sdscatsds(req, v);
    req = sdscat(req, "\r\n");
    feed(c, req, sdslen(req), chunk);
    ASSERT_LIT(collect_output(c), "+OK\r\n");
    /* The request is fully consumed; the next one starts a clean buffer. */
    ck_assert_uint_eq(sdslen(c->querybuf), 0);
    ck_assert_uint_eq(c->qb_pos, 0);
    ck_assert_int_eq(c->bulklen, -1);
    ck_assert_int_eq(c->multibulklen, 0);
    feed_str(c, "GET k\r\n");
    sds exp = sdscatprintf(sdsempty(), "$%zu\r\n", len);
    exp = sdscatsds(exp, v);
    exp = sdscat(exp, "\r\n");
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    sdsfree(v); sdsfree(req); sdsfree(exp);
    return c;
}

/* Values of 32,767 (copy path), 32,768 (big-arg path) and 1 MB: SET then GET returns every byte. */
START_TEST(test_proto_big_args_intact) {
    set_get_value(PROTO_MBULK_BIG_ARG - 1, 0);
    set_get_value(PROTO_MBULK_BIG_ARG, 0);
    set_get_value(1024 * 1024, 0);
    set_get_value(PROTO_MBULK_BIG_ARG, 1000);
    set_get_value(PROTO_MBULK_BIG_ARG + 1, 4097);
}
END_TEST

/* SET k <40,000 bytes> + "PING\r\n" as one chunk: reads of 16384, 16384, then exactly the 7,262 missing bytes, then "PING". */
START_TEST(test_proto_big_arg_read_sizing) {
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);
    sds v = sds_repeat("z", 1, 40000);
    sds req = sdscat(sdsempty(), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$40000\r\n");
    size_t header = sdslen(req);
    req = sdscatsds(req, v);
    req = sdscat(req, "\r\nPING\r\n");
    feed(c, req, sdslen(req), 0);
    /* Read 1: 16384 bytes = 28 header + 16356 value bytes; the value is
     * moved to the start of querybuf. Read 2: 16384 more (32740 of the
     * 40002 bytes "value\r\n"). Read 3: only the 7262 missing bytes, so
     * querybuf ends at the value's "\r\n". Read 4: "PING\r\n". */
    ck_assert_uint_eq(header, 28);
    ck_assert_uint_eq(fc->read_calls, 4);
    ck_assert_uint_eq(fc->read_lens[0], PROTO_IOBUF_LEN);
    ck_assert_uint_eq(fc->read_lens[1], PROTO_IOBUF_LEN);
    ck_assert_uint_eq(fc->read_lens[2], 40002 - (2 * PROTO_IOBUF_LEN - header));
    ck_assert_uint_eq(fc->read_lens[3], PROTO_IOBUF_LEN);
    ASSERT_LIT(collect_output(c), "+OK\r\n+PONG\r\n");
    EXPECT(c, "STRLEN k\r\n", ":40000\r\n");
    sdsfree(v); sdsfree(req);
}
END_TEST

/* Mid-way through a 40,000-byte argument: querybuf holds only argument bytes, qb_pos 0, bulklen 40000, argc 2. */
START_TEST(test_proto_big_arg_partial_state) {
    client *c = new_client();
    sds v = sds_repeat("z", 1, 20000);
    sds req = sdscat(sdsempty(), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$40000\r\n");
    req = sdscatsds(req, v);
    feed(c, req, sdslen(req), 0);
    ck_assert_int_eq(c->argc, 2);
    ck_assert_int_eq(c->multibulklen, 1);
    ck_assert_int_eq(c->bulklen, 40000);
    ck_assert_uint_eq(c->qb_pos, 0);
    ck_assert_uint_eq(sdslen(c->querybuf), 20000);
    /* Room was made for the whole argument and its "\r\n" at once. */
    ck_assert_uint_ge(sdsalloc(c->querybuf), 40002);
    feed(c, v, sdslen(v), 0);
    feed_str(c, "\r\n");
    ASSERT_LIT(collect_output(c), "+OK\r\n");
    EXPECT(c, "STRLEN k\r\n", ":40000\r\n");
    sdsfree(v); sdsfree(req);
}
END_TEST

/* The error reply written 7 bytes per write() still arrives whole, and only then is the client freed. */
START_TEST(test_proto_error_short_writes) {
    client *c = new_client();
    uint64_t id = c->id;
    conn_of(id)->write_max_per_call = 7;
    feed_str(c, "PING\r\n*1\r\n$-5\r\n");
    ASSERT_LIT(collect(id), "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
    ck_assert(!client_alive(id));
}
END_TEST

/* EOF in the middle of a request: the client is freed without a reply; the keyspace is untouched. */
START_TEST(test_proto_eof_mid_request) {
    client *c = new_client();
    client *other = new_client();
    uint64_t id = c->id;
    feed_str(c, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n");
    ck_assert_int_eq(feed_eof(c), 0);
    ck_assert(!client_alive(id));
    ASSERT_LIT(collect(id), "");
    EXPECT(other, "EXISTS k\r\n", ":0\r\n");
}
END_TEST

/**
 * @brief Build the suite.
 * @return The suite.
 */
static Suite *protocol_suite(void) {
    Suite *s = suite_create("pipeline_protocol");
    TCase *tc = tcase_create("protocol");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_proto_mbulk_len_not_number);
    tcase_add_test(tc, test_proto_mbulk_len_limit);
    tcase_add_test(tc, test_proto_mbulk_zero_negative);
    tcase_add_test(tc, test_proto_expected_dollar);
    tcase_add_test(tc, test_proto_invalid_bulk_len);
    tcase_add_test(tc, test_proto_max_bulk_len_boundary);
    tcase_add_test(tc, test_proto_too_big_mbulk_count);
    tcase_add_test(tc, test_proto_too_big_bulk_count);
    tcase_add_test(tc, test_proto_error_stops_pipeline);
    tcase_add_test(tc, test_proto_no_reply_after_error);
    tcase_add_test(tc, test_proto_bulk_longer_than_declared);
    tcase_add_test(tc, test_proto_nul_bytes);
    tcase_add_test(tc, test_proto_big_args_intact);
    tcase_add_test(tc, test_proto_big_arg_read_sizing);
    tcase_add_test(tc, test_proto_big_arg_partial_state);
    tcase_add_test(tc, test_proto_error_short_writes);
    tcase_add_test(tc, test_proto_eof_mid_request);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the protocol tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(protocol_suite());
}
