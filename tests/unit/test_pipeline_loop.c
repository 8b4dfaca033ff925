/**
 * @file test_pipeline_loop.c
 * @brief processInputBuffer() and resetClient(), one rule per test: every
 *        complete request of a read runs, in order; the consumed bytes are
 *        cut once per call; each request starts from a reset client; the
 *        loop stops where Redis 5.0.14's does.
 *
 * Where it sits: readQueryFromClient() appends one read to c->querybuf and
 * calls processInputBuffer(), which picks the parser by the first byte of
 * a request ('*' multibulk, anything else inline), runs the command,
 * resets the client and goes on until the bytes run out or a state stops
 * it; then sdsrange() cuts bytes 0..qb_pos-1 and qb_pos becomes 0. These
 * tests look at the client right after one such call (before anything is
 * written: a reply is still in c->buf) and at the bytes it then receives.
 *
 * Lab 3 (exercises/03-input-loop) grades its students with these cases.
 */
#include "pipeline_harness.c"

/** The client's unconsumed input: querybuf from qb_pos on. */
static sds unconsumed(client *c) {
    return sdsnewlen(c->querybuf + c->qb_pos, sdslen(c->querybuf) - c->qb_pos);
}

/** A client with no request in progress, as resetClient() leaves it. */
#define ASSERT_RESET(c) do {                                                 \
        ck_assert_int_eq((c)->argc, 0);                                      \
        ck_assert_int_eq((c)->reqtype, 0);                                   \
        ck_assert_int_eq((c)->multibulklen, 0);                              \
        ck_assert_int_eq((c)->bulklen, -1);                                  \
    } while (0)

/* Three requests in one read, multibulk, multibulk, inline (14 + 24 + 6
 * bytes): three replies, in order, and the read fully consumed. */
START_TEST(test_loop_runs_every_request) {
    client *c = new_client();
    feed_str(c, "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nPING\r\n");
    ck_assert_uint_eq(c->qb_pos, 0);
    ck_assert_uint_eq(sdslen(c->querybuf), 0);
    ASSERT_RESET(c);
    ASSERT_LIT(collect_output(c), "+PONG\r\n$2\r\nhi\r\n+PONG\r\n");
}
END_TEST

/* Chapter 6's 44 bytes: "PING\r\n" (6) "*0\r\n" (4) "\r\n" (2) ECHO hi (22)
 * then "*1\r\n$4\r\nPI" (10). The parser consumes "*1\r\n$4\r\n" too, so
 * the loop stops at qb_pos 42 and the trim keeps "PI" at offset 0. The
 * next read appends "NG\r\n" and the multibulk request resumes. */
START_TEST(test_loop_trim_keeps_unconsumed) {
    client *c = new_client();
    feed_str(c, "PING\r\n*0\r\n\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n*1\r\n$4\r\nPI");
    ck_assert_uint_eq(c->qb_pos, 0);
    ck_assert_uint_eq(sdslen(c->querybuf), 2);
    ck_assert(memcmp(c->querybuf, "PI", 2) == 0);
    ck_assert_int_eq(c->reqtype, PROTO_REQ_MULTIBULK);
    ck_assert_int_eq(c->multibulklen, 1);
    ck_assert_int_eq(c->bulklen, 4);
    ck_assert_int_eq(c->argc, 0);
    ASSERT_LIT(collect_output(c), "+PONG\r\n$2\r\nhi\r\n");
    feed_str(c, "NG\r\n");
    ck_assert_uint_eq(c->qb_pos, 0);
    ck_assert_uint_eq(sdslen(c->querybuf), 0);
    ASSERT_RESET(c);
    ASSERT_LIT(collect_output(c), "+PONG\r\n");
}
END_TEST

/* 300 inline PINGs in one read (1,800 bytes): qb_pos must come back to 0
 * after every call, and querybuf must not keep what was already run. Then
 * one more PING: exactly one more reply, querybuf empty again. */
START_TEST(test_loop_querybuf_does_not_grow) {
    client *c = new_client();
    sds many = sds_repeat("PING\r\n", 6, 300);
    feed(c, many, sdslen(many), 0);
    sdsfree(many);
    ck_assert_uint_eq(c->qb_pos, 0);
    ck_assert_uint_eq(sdslen(c->querybuf), 0);
    sds out = collect_output(c);
    ck_assert_uint_eq(sdslen(out), 7 * 300);
    sdsfree(out);
    feed_str(c, "PING\r\n");
    ck_assert_uint_eq(c->qb_pos, 0);
    ck_assert_uint_eq(sdslen(c->querybuf), 0);
    ASSERT_LIT(collect_output(c), "+PONG\r\n");
}
END_TEST

/* Requests with no arguments: "*0\r\n", "*-1\r\n", "\r\n" and "\n" give
 * argc 0. Each is reset with no reply and the loop goes on to PING. */
START_TEST(test_loop_empty_requests_continue) {
    client *c = new_client();
    feed_str(c, "*0\r\n*-1\r\n\r\n\nPING\r\n");
    ck_assert_uint_eq(sdslen(c->querybuf), 0);
    ASSERT_RESET(c);
    ASSERT_LIT(collect_output(c), "+PONG\r\n");
    feed_str(c, "\r\n");
    ck_assert_uint_eq(sdslen(c->querybuf), 0);
    ASSERT_RESET(c);
    ASSERT_LIT(collect_output(c), "");
}
END_TEST

/* After a command (inline or multibulk) the client is reset: argc 0,
 * reqtype 0, multibulklen 0, bulklen -1, so the next request's arguments
 * do not pile onto the last one's. */
START_TEST(test_loop_reset_after_command) {
    client *c = new_client();
    feed_str(c, "SET k v\r\n");
    ASSERT_RESET(c);
    feed_str(c, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv2\r\n");
    ASSERT_RESET(c);
    feed_str(c, "*2\r\n$3\r\nGET\r\n$1\r\nk\r\nGET k\r\n");
    ASSERT_RESET(c);
    ASSERT_LIT(collect_output(c), "+OK\r\n+OK\r\n$2\r\nv2\r\n$2\r\nv2\r\n");
}
END_TEST

/* The request type is chosen again for each request: inline after
 * multibulk and multibulk after inline, in one read. */
START_TEST(test_loop_type_per_request) {
    client *c = new_client();
    feed_str(c, "*1\r\n$4\r\nPING\r\nECHO a\r\n*2\r\n$4\r\nECHO\r\n$1\r\nb\r\nPING\r\n");
    ASSERT_RESET(c);
    ASSERT_LIT(collect_output(c), "+PONG\r\n$1\r\na\r\n$1\r\nb\r\n+PONG\r\n");
}
END_TEST

/* ... but a request resumed in a later read keeps its type: after
 * "*1\r\n$4\r\nPI" the next read starts with 'N', and it is still the
 * argument of a multibulk request, not an inline command "NG". */
START_TEST(test_loop_resume_keeps_type) {
    client *c = new_client();
    feed_str(c, "*1\r\n$4\r\nPI");
    ck_assert_int_eq(c->reqtype, PROTO_REQ_MULTIBULK);
    ASSERT_LIT(collect_output(c), "");
    feed_str(c, "NG\r\n");
    ASSERT_RESET(c);
    ASSERT_LIT(collect_output(c), "+PONG\r\n");
    feed_str(c, "*2\r\n$4\r\nECHO\r\n$5\r\nhel");
    feed_str(c, "lo\r\n");
    ASSERT_LIT(collect_output(c), "$5\r\nhello\r\n");
}
END_TEST

/* QUIT sets CLOSE_AFTER_REPLY: the loop stops before the next request.
 * "SET after 1\r\n" is left unparsed (the trim cut only "QUIT\r\n", 6
 * bytes), only "+OK\r\n" is queued, and the key is never set. */
START_TEST(test_loop_quit_stops) {
    client *c = new_client();
    client *other = new_client();
    uint64_t id = c->id;
    feed_str(c, "QUIT\r\nSET after 1\r\nPING\r\n");
    ck_assert(client_alive(id));
    ck_assert(c->flags & CLIENT_CLOSE_AFTER_REPLY);
    ck_assert_uint_eq(c->qb_pos, 0);
    sds rest = unconsumed(c);
    ASSERT_LIT(rest, "SET after 1\r\nPING\r\n");
    ASSERT_LIT(collect(id), "+OK\r\n");
    ck_assert(!client_alive(id));
    EXPECT(other, "EXISTS after\r\n", ":0\r\n");
}
END_TEST

/* BLPOP on an empty list blocks: the PING behind it stays in querybuf,
 * trimmed to offset 0, with no reply, until the client is unblocked. */
START_TEST(test_loop_blocked_stops) {
    client *c = new_client();
    feed_str(c, "BLPOP q 0\r\nPING\r\n");
    ck_assert(c->flags & CLIENT_BLOCKED);
    ck_assert_uint_eq(c->qb_pos, 0);
    sds rest = unconsumed(c);
    ASSERT_LIT(rest, "PING\r\n");
    ASSERT_RESET(c);
    ASSERT_LIT(collect_output(c), "");
}
END_TEST

/**
 * @brief Build the suite.
 * @return The suite.
 */
static Suite *loop_suite(void) {
    Suite *s = suite_create("pipeline_loop");
    TCase *tc = tcase_create("loop");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_loop_runs_every_request);
    tcase_add_test(tc, test_loop_trim_keeps_unconsumed);
    tcase_add_test(tc, test_loop_querybuf_does_not_grow);
    tcase_add_test(tc, test_loop_empty_requests_continue);
    tcase_add_test(tc, test_loop_reset_after_command);
    tcase_add_test(tc, test_loop_type_per_request);
    tcase_add_test(tc, test_loop_resume_keeps_type);
    tcase_add_test(tc, test_loop_quit_stops);
    tcase_add_test(tc, test_loop_blocked_stops);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the input-loop tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(loop_suite());
}
