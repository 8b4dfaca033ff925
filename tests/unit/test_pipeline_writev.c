/**
 * @file test_pipeline_writev.c
 * @brief Option writev-replies: _writevToClient() sends c->buf and the
 *        reply blocks in one writev(2) and moves sentlen, bufpos and the
 *        list past what the socket took.
 *
 * Where it sits: writeToClient() (reply.c) calls _writevToClient() when
 * server.writev_replies is on and c->reply holds a block. A fake client's
 * writev(2) is clientWritev(): the pieces, copied into one buffer, go to
 * the harness's fake write hook in ONE call, so `write_calls` counts
 * writev(2) calls and `write_max_per_call` makes them partial.
 *
 * What is checked, with output buffers built by hand (put_buf(),
 * add_block()) so every byte and size is known: one call for c->buf and
 * three blocks; partial writes that stop inside c->buf, inside a block, at
 * a block's end; the resume from sentlen in the head block; the IOV_MAX
 * (1,024 pieces) and 64 KB (NET_MAX_WRITES_PER_EVENT) bounds of one
 * gathering; an empty block freed, not left behind; EAGAIN; and the
 * default (option off), one write(2) per piece as in Redis 5.0.14.
 * Lab 8 (exercises/08-writev) grades these cases.
 */
#include "pipeline_harness.c"

/**
 * @brief Fixture: switch the option on for every test of the case.
 */
static void writev_on(void) {
    server.writev_replies = 1;
}

/**
 * @brief Put @p s in c->buf as if the addReply family had (bufpos grows).
 * @param c The client (its buffers empty or holding only c->buf bytes).
 * @param s The bytes.
 */
static void put_buf(client *c, const char *s) {
    size_t len = strlen(s);

    memcpy(c->buf + c->bufpos, s, len);
    c->bufpos += (int)len;
}

/**
 * @brief Append a block of @p size bytes holding @p used copies of @p ch
 *        to c->reply, accounted in reply_bytes as _addReplyStringToList
 *        does.
 * @param c    The client.
 * @param ch   The byte repeated.
 * @param used Bytes held (0 makes an empty block).
 * @param size Bytes allocated (at least @p used).
 */
static void add_block(client *c, char ch, size_t used, size_t size) {
    clientReplyBlock *b = zmalloc(sizeof(*b) + size);

    b->size = size;
    b->used = used;
    memset(b->buf, ch, used);
    listAddNodeTail(c->reply, b);
    c->reply_bytes += size;
}

/**
 * @brief The bytes @p n copies of @p ch, as an sds, for comparisons.
 */
static sds rep(char ch, size_t n) {
    char one[1] = {ch};

    return sds_repeat(one, 1, n);
}

/**
 * @brief @p s with @p n copies of @p ch appended (the copies freed).
 */
static sds cat_rep(sds s, char ch, size_t n) {
    sds r = rep(ch, n);

    s = sdscatsds(s, r);
    sdsfree(r);
    return s;
}

/* "+OK\r\n" in c->buf and blocks of 100 'a', 200 'b', 300 'c': one writev(2)
 * (one call of the fake hook) takes all 605 bytes in order; bufpos, sentlen,
 * the list and reply_bytes are all back to 0. */
START_TEST(test_writev_one_call) {
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);
    sds want = sdsnew("+OK\r\n");

    put_buf(c, "+OK\r\n");
    add_block(c, 'a', 100, 16384);
    add_block(c, 'b', 200, 16384);
    add_block(c, 'c', 300, 16384);
    ck_assert_int_eq(writeToClient(c->fd, c, 0), C_OK);
    ck_assert_uint_eq(fc->write_calls, 1);
    want = cat_rep(want, 'a', 100);
    want = cat_rep(want, 'b', 200);
    want = cat_rep(want, 'c', 300);
    ASSERT_BYTES(collect(c->id), want, sdslen(want));
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(c->sentlen, 0);
    ck_assert_uint_eq(listLength(c->reply), 0);
    ck_assert_uint_eq(c->reply_bytes, 0);
    sdsfree(want);
}
END_TEST

/* The socket takes 3 bytes of "+OK\r\n" + 100 'a' + 200 'b': they come from
 * c->buf ("+OK"), so bufpos stays 5, sentlen is 3, and every block is
 * still there. Then the other 302 bytes, in order. */
START_TEST(test_writev_partial_in_buf) {
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);
    ssize_t n = 0;

    put_buf(c, "+OK\r\n");
    add_block(c, 'a', 100, 16384);
    add_block(c, 'b', 200, 16384);
    fc->write_max_per_call = 3;
    ck_assert_int_eq(_writevToClient(c, &n), C_OK);
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(c->bufpos, 5);
    ck_assert_uint_eq(c->sentlen, 3);
    ck_assert_uint_eq(listLength(c->reply), 2);
    ck_assert_uint_eq(c->reply_bytes, 2 * 16384);
    ASSERT_LIT(sdsdup(fc->out), "+OK");
    /* The next call resumes in c->buf ("\r\n") and offers each block from
     * its first byte: sentlen counts into c->buf, not into block 0. */
    fc->write_max_per_call = 0;
    ck_assert_int_eq(_writevToClient(c, &n), C_OK);
    ck_assert_int_eq(n, 302);
    ck_assert_uint_eq(listLength(c->reply), 0);
    sds want = sdsnew("+OK\r\n");
    want = cat_rep(want, 'a', 100);
    want = cat_rep(want, 'b', 200);
    ASSERT_BYTES(sdsdup(fc->out), want, sdslen(want));
    sdsfree(want);
}
END_TEST

/* The socket takes 155 of "+OK\r\n" + 100 'a' + 200 'b': c->buf's 5 bytes
 * (bufpos and sentlen back to 0), all of block 0 (freed: reply_bytes loses
 * its 16,384), and 50 bytes of block 1 (the new head: sentlen 50). */
START_TEST(test_writev_partial_across_blocks) {
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);
    clientReplyBlock *head;
    ssize_t n = 0;

    put_buf(c, "+OK\r\n");
    add_block(c, 'a', 100, 16384);
    add_block(c, 'b', 200, 20000);
    fc->write_max_per_call = 155;
    ck_assert_int_eq(_writevToClient(c, &n), C_OK);
    ck_assert_int_eq(n, 155);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(c->sentlen, 50);
    ck_assert_uint_eq(listLength(c->reply), 1);
    ck_assert_uint_eq(c->reply_bytes, 20000);
    head = listNodeValue(listFirst(c->reply));
    ck_assert_uint_eq(head->used, 200);
    ck_assert_int_eq(head->buf[0], 'b');
}
END_TEST

/* A write that ends exactly at a block's end: "+OK\r\n" and 100 'a' are 105
 * bytes; block 0 is freed and sentlen is 0 (not 100) for block 1. */
START_TEST(test_writev_partial_at_block_end) {
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);
    ssize_t n = 0;

    put_buf(c, "+OK\r\n");
    add_block(c, 'a', 100, 16384);
    add_block(c, 'b', 200, 16384);
    fc->write_max_per_call = 105;
    ck_assert_int_eq(_writevToClient(c, &n), C_OK);
    ck_assert_int_eq(n, 105);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(c->sentlen, 0);
    ck_assert_uint_eq(listLength(c->reply), 1);
    ck_assert_uint_eq(c->reply_bytes, 16384);
}
END_TEST

/* Partial writes of 70 bytes each through 100 'a' and 200 'b' with c->buf
 * empty: each call resumes at sentlen in the head block; the client gets
 * every byte once, in order ("a" x 100 then "b" x 200), in 5 calls. */
START_TEST(test_writev_resume_head_block) {
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);
    sds want = rep('a', 100);
    ssize_t n = 0;

    add_block(c, 'a', 100, 16384);
    add_block(c, 'b', 200, 16384);
    fc->write_max_per_call = 70;
    ck_assert_int_eq(_writevToClient(c, &n), C_OK);
    ck_assert_uint_eq(c->sentlen, 70);
    ck_assert_int_eq(_writevToClient(c, &n), C_OK);
    /* 30 'a' end block 0, 40 'b' go from block 1. */
    ck_assert_uint_eq(c->sentlen, 40);
    ck_assert_uint_eq(listLength(c->reply), 1);
    want = cat_rep(want, 'b', 200);
    ASSERT_BYTES(collect(c->id), want, sdslen(want));
    ck_assert_uint_eq(fc->write_calls, 5);
    ck_assert_uint_eq(c->reply_bytes, 0);
    sdsfree(want);
}
END_TEST

/* 2,000 blocks of 10 bytes (20,000 bytes, under 64 KB): one writev(2) may
 * carry at most IOV_MAX = 1,024 pieces, so the first call offers 10,240
 * bytes and frees 1,024 blocks; 976 are left. */
START_TEST(test_writev_iov_max) {
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);
    ssize_t n = 0;
    int j;

    for (j = 0; j < 2000; j++) add_block(c, 'x', 10, 16);
    ck_assert_int_eq(_writevToClient(c, &n), C_OK);
    ck_assert_int_eq(n, 10240);
    ck_assert_uint_eq(sdslen(fc->out), 10240);
    ck_assert_uint_eq(listLength(c->reply), 976);
    ck_assert_uint_eq(c->reply_bytes, 976 * 16);
}
END_TEST

/* Eight full 16 KB blocks (131,072 bytes): gathering stops once the pieces
 * hold 64 KB or more. 3 blocks are 49,152 (under 65,536), so a 4th joins:
 * 65,536, not under it: one call offers 4 blocks, 65,536 bytes. */
START_TEST(test_writev_64k_gather) {
    client *c = new_client();
    ssize_t n = 0;
    int j;

    for (j = 0; j < 8; j++) add_block(c, 'a' + j, 16384, 16384);
    ck_assert_int_eq(_writevToClient(c, &n), C_OK);
    ck_assert_int_eq(n, 65536);
    ck_assert_uint_eq(listLength(c->reply), 4);
    ck_assert_int_eq(((clientReplyBlock *)listNodeValue(listFirst(c->reply)))->buf[0],
                     'e');
}
END_TEST

/* writeToClient's own 64 KB cap still holds with writev: 8 blocks of 16 KB
 * go out as 65,536 (not over the cap: the loop goes on) then 65,536 more
 * (131,072, over it): two writev(2) calls in one writeToClient call. With
 * 12 blocks, 4 are left for the next one. */
START_TEST(test_writev_cap_per_call) {
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);
    int j;

    for (j = 0; j < 12; j++) add_block(c, 'a', 16384, 16384);
    ck_assert_int_eq(writeToClient(c->fd, c, 0), C_OK);
    ck_assert_uint_eq(fc->write_calls, 2);
    ck_assert_uint_eq(sdslen(fc->out), 131072);
    ck_assert_uint_eq(listLength(c->reply), 4);
}
END_TEST

/* An empty block (used 0) between two others, and one at the end: freed
 * (its size leaves reply_bytes), never left behind: after one writeToClient
 * nothing is pending and reply_bytes is 0. */
START_TEST(test_writev_empty_block) {
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);

    add_block(c, 'a', 100, 16384);
    add_block(c, 'z', 0, 16384);
    add_block(c, 'b', 100, 16384);
    add_block(c, 'z', 0, 16384);
    ck_assert_int_eq(writeToClient(c->fd, c, 0), C_OK);
    ck_assert_uint_eq(sdslen(fc->out), 200);
    ck_assert_uint_eq(listLength(c->reply), 0);
    ck_assert_uint_eq(c->reply_bytes, 0);
    ck_assert(!clientHasPendingReplies(c));
}
END_TEST

/* A full socket: writev(2) answers -1/EAGAIN. The client stays alive, and
 * nothing moves: bufpos 5, sentlen 0, both blocks queued. */
START_TEST(test_writev_eagain) {
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);
    uint64_t id = c->id;

    put_buf(c, "+OK\r\n");
    add_block(c, 'a', 100, 16384);
    add_block(c, 'b', 100, 16384);
    fc->write_budget_per_event = 1;
    fc->write_budget_left = 0;
    ck_assert_int_eq(writeToClient(c->fd, c, 0), C_OK);
    ck_assert(client_alive(id));
    ck_assert_int_eq(c->bufpos, 5);
    ck_assert_uint_eq(c->sentlen, 0);
    ck_assert_uint_eq(listLength(c->reply), 2);
    ck_assert_uint_eq(c->reply_bytes, 2 * 16384);
}
END_TEST

/* Option off (the default, Redis 5.0.14): one write(2) per piece, so
 * "+OK\r\n" and three blocks take 4 calls, and the bytes are the same. */
START_TEST(test_writev_off_writes_each) {
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);
    sds want = sdsnew("+OK\r\n");

    server.writev_replies = 0;
    put_buf(c, "+OK\r\n");
    add_block(c, 'a', 100, 16384);
    add_block(c, 'b', 200, 16384);
    add_block(c, 'c', 300, 16384);
    ck_assert_int_eq(writeToClient(c->fd, c, 0), C_OK);
    ck_assert_uint_eq(fc->write_calls, 4);
    want = cat_rep(want, 'a', 100);
    want = cat_rep(want, 'b', 200);
    want = cat_rep(want, 'c', 300);
    ASSERT_BYTES(collect(c->id), want, sdslen(want));
    sdsfree(want);
}
END_TEST

/* The whole pipeline with the option on: three pipelined GETs of a
 * 20,000-byte value through a socket taking 7,000 bytes per call; the
 * client gets exactly the three bulk replies. */
START_TEST(test_writev_pipeline_get) {
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);
    sds val = rep('v', 20000), in, want = sdsempty();
    int j;

    in = mbulk(3, "SET", "big", val);
    feed(c, in, sdslen(in), 0);
    ASSERT_LIT(collect(c->id), "+OK\r\n");
    sdsfree(in);
    in = sdsempty();
    for (j = 0; j < 3; j++) {
        sds one = mbulk(2, "GET", "big");

        in = sdscatsds(in, one);
        sdsfree(one);
        want = sdscatfmt(want, "$20000\r\n%S\r\n", val);
    }
    fc->write_max_per_call = 7000;
    feed(c, in, sdslen(in), 0);
    ASSERT_BYTES(collect(c->id), want, sdslen(want));
    ck_assert_uint_eq(c->reply_bytes, 0);
    sdsfree(in);
    sdsfree(want);
    sdsfree(val);
}
END_TEST

/* CONFIG GET/SET writev-replies: "no" by default (the fixture is not run
 * here: it is switched off first, as a fresh server has it), "yes"
 * accepted, "maybe" refused with Redis's CONFIG SET error text. */
START_TEST(test_writev_config) {
    client *c = new_client();

    server.writev_replies = CONFIG_DEFAULT_WRITEV_REPLIES;
    EXPECT(c, "CONFIG GET writev-replies\r\n",
           "*2\r\n$14\r\nwritev-replies\r\n$2\r\nno\r\n");
    EXPECT(c, "CONFIG SET writev-replies yes\r\n", "+OK\r\n");
    ck_assert_int_eq(server.writev_replies, 1);
    EXPECT(c, "CONFIG GET writev-replies\r\n",
           "*2\r\n$14\r\nwritev-replies\r\n$3\r\nyes\r\n");
    EXPECT(c, "CONFIG SET writev-replies maybe\r\n",
           "-ERR Invalid argument 'maybe' for CONFIG SET 'writev-replies'\r\n");
    ck_assert_int_eq(server.writev_replies, 1);
}
END_TEST

/**
 * @brief The suite: every test with the option on (the fixture), the last
 *        but one switching it off itself.
 * @return The suite.
 */
static Suite *writev_suite(void) {
    Suite *s = suite_create("pipeline_writev");
    TCase *tc = tcase_create("writev");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, writev_on, NULL);
    tcase_add_test(tc, test_writev_one_call);
    tcase_add_test(tc, test_writev_partial_in_buf);
    tcase_add_test(tc, test_writev_partial_across_blocks);
    tcase_add_test(tc, test_writev_partial_at_block_end);
    tcase_add_test(tc, test_writev_resume_head_block);
    tcase_add_test(tc, test_writev_iov_max);
    tcase_add_test(tc, test_writev_64k_gather);
    tcase_add_test(tc, test_writev_cap_per_call);
    tcase_add_test(tc, test_writev_empty_block);
    tcase_add_test(tc, test_writev_eagain);
    tcase_add_test(tc, test_writev_off_writes_each);
    tcase_add_test(tc, test_writev_pipeline_get);
    tcase_add_test(tc, test_writev_config);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the writev tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(writev_suite());
}
