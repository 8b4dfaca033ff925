/**
 * @file test_pipeline_reusable_qb.c
 * @brief The reusable query buffer: an idle client reads into the server's
 *        buffer (server.reusable_qb) and gives it back once every byte was
 *        consumed; a client left with half a request keeps it.
 *
 * Where it sits: borrowReusableQueryBuf() before the read in
 * readQueryFromClient, resetReusableQueryBuf() after the trim in
 * processInputBuffer (and on the EAGAIN / EOF / error paths), and the
 * big-argument path of processMultibulkBuffer, which makes the client the
 * owner of a buffer it sized for one argument.
 *
 * What is checked: who owns which buffer after a complete request, after
 * half of one, after a big argument, after end of stream and after the
 * query buffer limit; and that replies stay byte-exact however the input is
 * cut (1-byte reads, pipelines across reads, two clients interleaving half
 * requests), so no client ever sees another's bytes.
 *
 * A client that kept the buffer for half a request still owns it, empty,
 * once the rest arrived: clientsCronResizeQueryBuffer shrinks it as in
 * Redis 5.0, and after that the client borrows like any other.
 *
 * "Small" below means the 4-byte sdsempty() a client owns while idle:
 * sdsalloc() 0. "Big" means the read room: at least PROTO_IOBUF_LEN.
 *
 * The reusable query buffer is minired's option `reusable-querybuf`, off by
 * default (Redis 5.0.14 has none; the idea is Redis 8.0-m01's): every test
 * here runs with it switched on by reusable_qb_on(), a checked fixture. The
 * default (off, 5.0.14's own buffers) is tested in test_pipeline_buffers.c.
 */
#include "pipeline_harness.c"

/** An sds allocation no larger than this is a client's idle empty sds. */
#define SMALL_ALLOC 64

/**
 * @brief Check the idle state: the client owns a small empty sds, the
 *        server's slot holds the read room, and the loan flag is clear.
 * @param c A live client that just finished a read.
 */
static void assert_given_back(client *c) {
    ck_assert_uint_eq(sdslen(c->querybuf), 0);
    ck_assert_uint_le(sdsalloc(c->querybuf), SMALL_ALLOC);
    ck_assert_uint_ge(sdsalloc(server.reusable_qb), PROTO_IOBUF_LEN);
    ck_assert_uint_eq(sdslen(server.reusable_qb), 0);
    ck_assert(!(c->flags & CLIENT_REUSABLE_QUERYBUFFER));
}

/**
 * @brief Check a client that kept the buffer for half a request and has
 *        since consumed the rest without borrowing: it owns an empty buffer
 *        with the read room (as every client does in Redis 5.0) until
 *        clientsCronResizeQueryBuffer shrinks it; from then on it borrows.
 * @param c A live client whose last request was split across reads.
 */
static void assert_kept_until_cron(client *c) {
    ck_assert_uint_eq(sdslen(c->querybuf), 0);
    ck_assert_uint_ge(sdsalloc(c->querybuf), PROTO_IOBUF_LEN);
    ck_assert(!(c->flags & CLIENT_REUSABLE_QUERYBUFFER));
    /* The cron's rule (Redis 5.0's): over 32 KB and peak much smaller. */
    clientsCronResizeQueryBuffer(c);
    ck_assert_uint_le(sdsalloc(c->querybuf), SMALL_ALLOC);
    EXPECT(c, "PING\r\n", "+PONG\r\n");
    assert_given_back(c);
}

/* A new client owns only sdsempty(); the slot starts empty too. */
START_TEST(test_rqb_new_client_owns_nothing) {
    client *c = new_client();
    ck_assert_ptr_nonnull(server.reusable_qb);
    ck_assert_uint_le(sdsalloc(c->querybuf), SMALL_ALLOC);
    ck_assert_uint_le(sdsalloc(server.reusable_qb), SMALL_ALLOC);
    ck_assert(!(c->flags & CLIENT_REUSABLE_QUERYBUFFER));
}
END_TEST

/* "*1\r\n$4\r\nPING\r\n" in one read: +PONG, then the client is back on its small sds and the slot has the read room. */
START_TEST(test_rqb_complete_request_gives_back) {
    client *c = new_client();
    EXPECT(c, "*1\r\n$4\r\nPING\r\n", "+PONG\r\n");
    assert_given_back(c);
    /* The same buffer serves the next read: no new allocation. */
    sds slot = server.reusable_qb;
    EXPECT(c, "PING\r\n", "+PONG\r\n");
    ck_assert_ptr_eq(server.reusable_qb, slot);
    assert_given_back(c);
}
END_TEST

/* "*1\r\n$4\r\nPI": the client keeps the buffer holding "PI"; the next client borrows a fresh one; "NG\r\n" completes the first. */
START_TEST(test_rqb_half_request_keeps_buffer) {
    client *a = new_client();
    client *b = new_client();
    sds kept;

    EXPECT(a, "PING\r\n", "+PONG\r\n"); /* the slot now has 32 KB of room */
    feed_str(a, "*1\r\n$4\r\nPI");
    ck_assert_uint_eq(sdslen(a->querybuf), 2);
    ck_assert(memcmp(a->querybuf, "PI", 2) == 0);
    ck_assert_uint_ge(sdsalloc(a->querybuf), PROTO_IOBUF_LEN);
    ck_assert(!(a->flags & CLIENT_REUSABLE_QUERYBUFFER));
    /* Ownership moved with the pointer: the slot has a's small sds. */
    ck_assert_uint_le(sdsalloc(server.reusable_qb), SMALL_ALLOC);
    kept = a->querybuf;

    /* b borrows the small sds, grows it to the read room, gives it back. */
    EXPECT(b, "*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n", "$2\r\nhi\r\n");
    assert_given_back(b);
    ck_assert_ptr_ne(server.reusable_qb, kept);
    ck_assert_ptr_eq(a->querybuf, kept);

    /* a had bytes pending: it reads into its own buffer, no borrowing. */
    EXPECT(a, "NG\r\n", "+PONG\r\n");
    ck_assert_ptr_eq(a->querybuf, kept);
    ck_assert_uint_eq(sdslen(a->querybuf), 0);
    ck_assert(!(a->flags & CLIENT_REUSABLE_QUERYBUFFER));
}
END_TEST

/* A request whose bytes are all consumed but whose argv is incomplete ("*3\r\n$3\r\nSET\r\n") gives the buffer back: the parser's place is in argv. */
START_TEST(test_rqb_consumed_half_request_gives_back) {
    client *c = new_client();
    feed_str(c, "*3\r\n$3\r\nSET\r\n");
    ck_assert_int_eq(c->argc, 1);
    ck_assert_int_eq(c->multibulklen, 2);
    assert_given_back(c);
    feed_str(c, "$1\r\nk\r\n");
    assert_given_back(c);
    EXPECT(c, "$3\r\nval\r\n", "+OK\r\n");
    assert_given_back(c);
    EXPECT(c, "GET k\r\n", "$3\r\nval\r\n");
}
END_TEST

/* Three commands, one byte per read: exact replies, and between reads the buffer changes hands as the bytes demand. */
START_TEST(test_rqb_one_byte_reads) {
    client *c = new_client();
    const char *in = "SET k v\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n";
    ck_assert_int_eq(feed(c, in, strlen(in), 1), 1);
    ASSERT_LIT(collect_output(c), "+OK\r\n$1\r\nv\r\n+PONG\r\n");
    /* "S" borrowed, was left pending, so the client kept that buffer. */
    assert_kept_until_cron(c);
}
END_TEST

/* 200 pipelined PINGs (inline and multibulk) cut into reads of 5, 13 and 100 bytes: 200 PONGs in order. */
START_TEST(test_rqb_pipeline_across_reads) {
    client *c = new_client();
    const size_t sizes[] = {5, 13, 100};
    sds in = sdsempty(), exp = sdsempty();
    for (int i = 0; i < 100; i++) {
        in = sdscat(in, "PING\r\n*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n");
        exp = sdscat(exp, "+PONG\r\n$3\r\nabc\r\n");
    }
    ck_assert_int_eq(feed_sizes(c, in, sdslen(in), sizes, 3), 1);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    assert_kept_until_cron(c);
    sdsfree(in); sdsfree(exp);
}
END_TEST

/**
 * @brief SET a 40,000-byte value (a big argument: at least
 *        PROTO_MBULK_BIG_ARG) cut into reads of @p chunk bytes, then read
 *        it back; check the buffer the client adopted stays the client's.
 * @param chunk Read size (0: everything offered at once).
 */
static void big_arg_roundtrip(size_t chunk) {
    client *c = new_client();
    client *other = new_client();
    sds v = sds_repeat("x", 1, 40000);
    sds req = sdscatprintf(sdsempty(), "*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$%zu\r\n",
                           sdslen(v));
    req = sdscatsds(req, v);
    req = sdscat(req, "\r\n");

    EXPECT(other, "PING\r\n", "+PONG\r\n"); /* slot has its read room */
    ck_assert_int_eq(feed(c, req, sdslen(req), chunk), 1);
    ASSERT_LIT(collect_output(c), "+OK\r\n");
    /* The argument took a buffer of 40,002 bytes' room; the fresh
     * replacement of the same size is the client's, never the slot's. */
    ck_assert(!(c->flags & CLIENT_REUSABLE_QUERYBUFFER));
    ck_assert_uint_eq(sdslen(c->querybuf), 0);
    ck_assert_uint_lt(sdsalloc(server.reusable_qb), 40000);
    ck_assert_uint_eq(sdslen(server.reusable_qb), 0);

    /* The value is intact, whoever reads it. */
    sds exp = sdscatprintf(sdsempty(), "$%zu\r\n%s\r\n", sdslen(v), v);
    feed_str(other, "GET big\r\n");
    ASSERT_BYTES(collect_output(other), exp, sdslen(exp));
    EXPECT(c, "STRLEN big\r\n", ":40000\r\n");
    sdsfree(v); sdsfree(req); sdsfree(exp);
}

/* SET big <40000 bytes> in one go, in 1000-byte reads and 7-byte reads: "+OK", GET returns it whole. */
START_TEST(test_rqb_big_argument) {
    big_arg_roundtrip(0);
    big_arg_roundtrip(1000);
    big_arg_roundtrip(7);
}
END_TEST

/* A and B interleave half requests, byte runs "AAA"/"BBB" in each other's reads: each SET stores only its own bytes. */
START_TEST(test_rqb_two_clients_interleave) {
    client *a = new_client();
    client *b = new_client();
    feed_str(a, "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$6\r\nAAA");
    feed_str(b, "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$6\r\nBBB");
    ck_assert_ptr_ne(a->querybuf, b->querybuf);
    ck_assert_ptr_ne(a->querybuf, server.reusable_qb);
    ck_assert_ptr_ne(b->querybuf, server.reusable_qb);
    /* A third client uses the slot in between. */
    client *c = new_client();
    EXPECT(c, "SET c CCCCCC\r\n", "+OK\r\n");
    EXPECT(b, "BBB\r\n", "+OK\r\n");
    EXPECT(a, "AAA\r\n", "+OK\r\n");
    EXPECT(c, "MGET a b c\r\n",
           "*3\r\n$6\r\nAAAAAA\r\n$6\r\nBBBBBB\r\n$6\r\nCCCCCC\r\n");
    assert_kept_until_cron(a);
    assert_kept_until_cron(b);
}
END_TEST

/* A borrowed read that brings nothing (EAGAIN) gives the buffer back at once. */
START_TEST(test_rqb_eagain_gives_back) {
    client *c = new_client();
    EXPECT(c, "PING\r\n", "+PONG\r\n");
    readQueryFromClient(server.el, c->fd, c, AE_READABLE); /* nothing offered */
    assert_given_back(c);
}
END_TEST

/* End of stream on an idle client: the client is freed with its own small sds, the slot keeps the read room. */
START_TEST(test_rqb_eof_keeps_slot) {
    client *c = new_client();
    client *other = new_client();
    uint64_t id = c->id;
    EXPECT(c, "PING\r\n", "+PONG\r\n");
    sds slot = server.reusable_qb;
    ck_assert_int_eq(feed_eof(c), 0);
    ck_assert(!client_alive(id));
    ck_assert_ptr_eq(server.reusable_qb, slot);
    EXPECT(other, "PING\r\n", "+PONG\r\n");
    assert_given_back(other);
}
END_TEST

/* client-query-buffer-limit 100 hit by one borrowed read: the client is freed with the buffer, the slot stays a valid sds and serves the next client. */
START_TEST(test_rqb_querybuf_limit_during_loan) {
    server.client_max_querybuf_len = 100;
    client *c = new_client();
    client *other = new_client();
    uint64_t id = c->id;
    sds v = sds_repeat("y", 1, 200);
    sds req = sdscatprintf(sdsempty(), "SET k %s\r\n", v);
    ck_assert_int_eq(feed(c, req, sdslen(req), 0), 0);
    ck_assert(!client_alive(id));
    ck_assert_uint_eq(sdslen(server.reusable_qb), 0);
    EXPECT(other, "EXISTS k\r\n", ":0\r\n");
    assert_given_back(other);
    sdsfree(v); sdsfree(req);
}
END_TEST

/* CLIENT LIST: an idle client shows qbuf=0 qbuf-free=0; the caller shows its request in the borrowed buffer's room. */
START_TEST(test_rqb_client_list_idle) {
    client *idle = new_client();
    client *c = new_client();
    EXPECT(idle, "PING\r\n", "+PONG\r\n");
    feed_str(c, "CLIENT LIST\r\n");
    sds out = collect_output(c);
    sds want_idle = sdscatprintf(sdsempty(), "id=%llu ",
                                 (unsigned long long)idle->id);
    char *line = strstr(out, want_idle);
    ck_assert_ptr_nonnull(line);
    ck_assert_ptr_nonnull(strstr(line, " qbuf=0 qbuf-free=0 "));
    /* The caller: 13 bytes in the slot's buffer, the rest of it free. */
    sds want_self = sdscatprintf(sdsempty(), " qbuf=13 qbuf-free=%zu ",
                                 sdsalloc(server.reusable_qb) - 13);
    ck_assert_ptr_nonnull(strstr(out, want_self));
    sdsfree(out); sdsfree(want_idle); sdsfree(want_self);
}
END_TEST

/**
 * @brief Switch option reusable-querybuf on, as `CONFIG SET
 *        reusable-querybuf yes` would, in each forked test process.
 *
 * Called by: Check, before each test (checked fixture).
 */
static void reusable_qb_on(void) {
    server.reusable_querybuf = 1;
}

/* Option off (the default): nothing is lent, the client reads into its own buffer and keeps its room. */
START_TEST(test_rqb_off_lends_nothing) {
    client *c = new_client();
    server.reusable_querybuf = 0;
    EXPECT(c, "*1\r\n$4\r\nPING\r\n", "+PONG\r\n");
    ck_assert_uint_ge(sdsalloc(c->querybuf), PROTO_IOBUF_LEN);
    ck_assert_uint_le(sdsalloc(server.reusable_qb), SMALL_ALLOC);
    ck_assert(!(c->flags & CLIENT_REUSABLE_QUERYBUFFER));
}
END_TEST

/**
 * @brief Build the suite.
 * @return The suite.
 */
static Suite *reusable_qb_suite(void) {
    Suite *s = suite_create("pipeline_reusable_qb");
    TCase *tc = tcase_create("reusable_qb");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, reusable_qb_on, NULL);
    tcase_add_test(tc, test_rqb_new_client_owns_nothing);
    tcase_add_test(tc, test_rqb_complete_request_gives_back);
    tcase_add_test(tc, test_rqb_half_request_keeps_buffer);
    tcase_add_test(tc, test_rqb_consumed_half_request_gives_back);
    tcase_add_test(tc, test_rqb_one_byte_reads);
    tcase_add_test(tc, test_rqb_pipeline_across_reads);
    tcase_add_test(tc, test_rqb_big_argument);
    tcase_add_test(tc, test_rqb_two_clients_interleave);
    tcase_add_test(tc, test_rqb_eagain_gives_back);
    tcase_add_test(tc, test_rqb_eof_keeps_slot);
    tcase_add_test(tc, test_rqb_querybuf_limit_during_loan);
    tcase_add_test(tc, test_rqb_client_list_idle);
    tcase_add_test(tc, test_rqb_off_lends_nothing);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the reusable query buffer tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(reusable_qb_suite());
}
