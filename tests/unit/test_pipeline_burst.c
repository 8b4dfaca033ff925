/**
 * @file test_pipeline_burst.c
 * @brief Pipelined bursts: many requests per read, replies in order, the
 *        16 KB static buffer spilling into the reply list, short writes and
 *        the 64 KB per-event write cap.
 *
 * Where it sits: the whole loop of processInputBuffer over one querybuf
 * (many commands per read), then the output side: _addReplyToBuffer (16 KB
 * c->buf), _addReplyStringToList (blocks of at least PROTO_REPLY_CHUNK_BYTES
 * in c->reply, reply_bytes = sum of the blocks' sizes) and writeToClient
 * (stops once it has written more than NET_MAX_WRITES_PER_EVENT bytes).
 *
 * Block sizes: Redis 5.0 records in clientReplyBlock.size what the
 * allocator really gave (zmalloc_usable), so a block can be a little bigger
 * than asked. The tests therefore check "at least 16 KB" and "reply_bytes =
 * sum of sizes", and compute everything else from the reply bytes.
 */
#include "pipeline_harness.c"

/**
 * @brief Build N pipelined requests cycling SET k<i> v<i> / GET k<i-1> /
 *        INCR counter, and the exact replies Redis gives them.
 * @param n Number of requests.
 * @param inl 1: inline requests ("SET k0 v0\r\n"), 0: multibulk.
 * @param exp Out: the expected reply stream (new sds).
 * @return The request stream (new sds).
 */
static sds build_burst(int n, int inl, sds *exp) {
    sds in = sdsempty();
    *exp = sdsempty();
    long long counter = 0;
    char key[32], val[32];
    for (int i = 0; i < n; i++) {
        switch (i % 3) {
        case 0: /* "SET k0 v0" -> "+OK\r\n" */
            snprintf(key, sizeof(key), "k%d", i);
            snprintf(val, sizeof(val), "v%d", i);
            if (inl) in = sdscatprintf(in, "SET %s %s\r\n", key, val);
            else { sds r = mbulk(3, "SET", key, val); in = sdscatsds(in, r); sdsfree(r); }
            *exp = sdscat(*exp, "+OK\r\n");
            break;
        case 1: /* "GET k0" -> "$2\r\nv0\r\n" */
            snprintf(key, sizeof(key), "k%d", i - 1);
            snprintf(val, sizeof(val), "v%d", i - 1);
            if (inl) in = sdscatprintf(in, "GET %s\r\n", key);
            else { sds r = mbulk(2, "GET", key); in = sdscatsds(in, r); sdsfree(r); }
            *exp = sdscatprintf(*exp, "$%zu\r\n%s\r\n", strlen(val), val);
            break;
        default: /* "INCR counter" -> ":1\r\n", ":2\r\n", ... */
            if (inl) in = sdscat(in, "INCR counter\r\n");
            else { sds r = mbulk(2, "INCR", "counter"); in = sdscatsds(in, r); sdsfree(r); }
            *exp = sdscatprintf(*exp, ":%lld\r\n", ++counter);
            break;
        }
    }
    return in;
}

/* 1,000 inline SET/GET/INCR (< 16 KB) in ONE read -> all 1,000 replies, in order. */
START_TEST(test_burst_1000_one_read) {
    sds exp;
    sds in = build_burst(1000, 1, &exp);
    ck_assert_uint_lt(sdslen(in), PROTO_IOBUF_LEN);
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);
    feed(c, in, sdslen(in), 0);
    /* One read (plus nothing else): the loop in processInputBuffer ran all
     * 1,000 commands from a single querybuf, and trimmed it to empty. */
    ck_assert_uint_eq(fc->read_calls, 1);
    ck_assert_uint_eq(sdslen(c->querybuf), 0);
    ck_assert_uint_eq(c->qb_pos, 0);
    /* The replies are well under 16 KB: all in c->buf, no list. */
    ck_assert_int_eq(c->bufpos, (int)sdslen(exp));
    ck_assert_uint_eq(listLength(c->reply), 0);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    sdsfree(in); sdsfree(exp);
}
END_TEST

/* 1,000 multibulk SET/GET/INCR (> 16 KB) as one chunk, read 16 KB at a time -> same 1,000 replies. */
START_TEST(test_burst_1000_mbulk_whole) {
    sds exp;
    sds in = build_burst(1000, 0, &exp);
    ck_assert_uint_gt(sdslen(in), PROTO_IOBUF_LEN);
    client *c = new_client();
    feed(c, in, sdslen(in), 0);
    /* 16384 bytes per read: ceil(len / 16384) reads. */
    ck_assert_uint_eq(conn_of(c->id)->read_calls,
                      (sdslen(in) + PROTO_IOBUF_LEN - 1) / PROTO_IOBUF_LEN);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    sdsfree(in); sdsfree(exp);
}
END_TEST

/* 1,000 multibulk requests in odd chunk sizes (1, 7, 13, 4099, 16383, list) -> same replies each time. */
START_TEST(test_burst_1000_odd_chunks) {
    sds exp;
    sds in = build_burst(1000, 0, &exp);
    static const size_t fixed[] = {1, 7, 13, 4099, 16383};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        client *c = new_client();
        feed(c, in, sdslen(in), fixed[i]);
        /* INCR counter keeps counting across runs: compare without it by
         * starting each run from an empty keyspace. */
        ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
        feed_eof(c);
        client *f = new_client();
        EXPECT(f, "FLUSHALL\r\n", "+OK\r\n");
        feed_eof(f);
    }
    static const size_t sizes[] = {3, 1, 17, 250, 5, 9000};
    client *c = new_client();
    feed_sizes(c, in, sdslen(in), sizes, 6);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    sdsfree(in); sdsfree(exp);
}
END_TEST

/* 1,000 inline requests, written back between reads of 100 bytes (like beforeSleep) -> same stream. */
START_TEST(test_burst_interleaved_writes) {
    sds exp;
    sds in = build_burst(1000, 1, &exp);
    client *c = new_client();
    sds got = sdsempty();
    for (size_t off = 0; off < sdslen(in); off += 100) {
        size_t n = sdslen(in) - off < 100 ? sdslen(in) - off : 100;
        feed(c, in + off, n, 0);
        sds out = collect_output(c);
        got = sdscatsds(got, out);
        sdsfree(out);
    }
    ASSERT_BYTES(got, exp, sdslen(exp));
    sdsfree(in); sdsfree(exp);
}
END_TEST

/**
 * @brief Check the reply list invariants of Redis 5.0's
 *        _addReplyStringToList and return the bytes it holds.
 * @param c The client.
 * @return Sum of the blocks' used bytes.
 *
 * Every block is at least PROTO_REPLY_CHUNK_BYTES (small replies share
 * one), every block but the last is full (a reply first fills the tail,
 * then opens a new block), and reply_bytes is the sum of the sizes.
 */
static size_t check_reply_list(client *c) {
    listIter li;
    listNode *ln;
    unsigned long long sizes = 0;
    size_t used = 0;
    listRewind(c->reply, &li);
    while ((ln = listNext(&li)) != NULL) {
        clientReplyBlock *b = listNodeValue(ln);
        ck_assert_ptr_nonnull(b);
        ck_assert_uint_ge(b->size, PROTO_REPLY_CHUNK_BYTES);
        if (ln != listLast(c->reply)) ck_assert_uint_eq(b->used, b->size);
        sizes += b->size;
        used += b->used;
    }
    ck_assert_uint_eq(c->reply_bytes, sizes);
    return used;
}

/* N x "PING\r\n" -> N x "+PONG\r\n" (7 bytes): 2,340 fit c->buf (16380 bytes), the 2,341st opens the list. */
START_TEST(test_burst_spill_point) {
    client *c = new_client();
    /* 16384 / 7 = 2340 replies (16380 bytes); 4 bytes stay free in c->buf. */
    sds pings = sds_repeat("PING\r\n", 6, 2340);
    feed(c, pings, sdslen(pings), 0);
    ck_assert_int_eq(c->bufpos, 16380);
    ck_assert_uint_eq(listLength(c->reply), 0);
    ck_assert_uint_eq(c->reply_bytes, 0);
    /* The next "+PONG\r\n" does not fit the 4 free bytes: it goes whole to
     * a new block, and c->buf is never touched again until written. */
    feed_str(c, "PING\r\n");
    ck_assert_int_eq(c->bufpos, 16380);
    ck_assert_uint_eq(listLength(c->reply), 1);
    clientReplyBlock *b = listNodeValue(listFirst(c->reply));
    ck_assert_uint_eq(b->used, 7);
    ck_assert(memcmp(b->buf, "+PONG\r\n", 7) == 0);
    ck_assert_uint_eq(check_reply_list(c), 7);
    /* A reply that would fit c->buf's 4 free bytes still goes to the list:
     * once the list is not empty, order demands it (":1\r\n" is 4 bytes). */
    feed_str(c, "INCR x\r\n");
    ck_assert_int_eq(c->bufpos, 16380);
    ck_assert_uint_eq(listLength(c->reply), 1);
    ck_assert_uint_eq(b->used, 11);
    sds exp = sds_repeat("+PONG\r\n", 7, 2341);
    exp = sdscat(exp, ":1\r\n");
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(listLength(c->reply), 0);
    ck_assert_uint_eq(c->reply_bytes, 0);
    sdsfree(pings); sdsfree(exp);
}
END_TEST

/* 20,000 x "+PONG\r\n" (140,000 bytes): buf 16,380, the rest in full >= 16 KB blocks, reply_bytes = sum of sizes. */
START_TEST(test_burst_list_growth) {
    client *c = new_client();
    sds pings = sds_repeat("PING\r\n", 6, 20000);
    feed(c, pings, sdslen(pings), 0);
    ck_assert_int_eq(c->bufpos, 16380);
    ck_assert_uint_eq(check_reply_list(c), 140000 - 16380);
    ck_assert_uint_ge(listLength(c->reply), 2);
    sds exp = sds_repeat("+PONG\r\n", 7, 20000);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    sdsfree(pings); sdsfree(exp);
}
END_TEST

/* Short writes: a socket taking 7 bytes per write() still gets the exact 140,000-byte stream. */
START_TEST(test_burst_short_writes) {
    client *c = new_client();
    conn_of(c->id)->write_max_per_call = 7;
    sds pings = sds_repeat("PING\r\nECHO abcdefghij\r\n", 23, 10000);
    feed(c, pings, sdslen(pings), 0);
    sds exp = sds_repeat("+PONG\r\n$10\r\nabcdefghij\r\n", 24, 10000);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    sdsfree(pings); sdsfree(exp);
}
END_TEST

/* Writes that stop (EAGAIN) after 1,000 bytes per event, 13 bytes a call: sentlen resumes mid-reply, stream exact. */
START_TEST(test_burst_eagain_resume) {
    client *c = new_client();
    fakeConn *fc = conn_of(c->id);
    fc->write_max_per_call = 13;
    fc->write_budget_per_event = 1000;
    sds pings = sds_repeat("ECHO abcdefghij\r\n", 17, 3000);
    feed(c, pings, sdslen(pings), 0);
    sds exp = sds_repeat("$10\r\nabcdefghij\r\n", 17, 3000);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    ck_assert_int_eq(c->sentlen, 0);
    sdsfree(pings); sdsfree(exp);
}
END_TEST

/* One writeToClient call stops after the write that takes it past 64 KB: written - last write <= 65536 < written. */
START_TEST(test_burst_write_cap) {
    client *c = new_client();
    uint64_t id = c->id;
    fakeConn *fc = conn_of(id);
    sds pings = sds_repeat("PING\r\n", 6, 20000);
    feed(c, pings, sdslen(pings), 0);
    mark_write_event(id);
    writeToClient(c->fd, c, 0);
    ck_assert_uint_gt(fc->event_written, NET_MAX_WRITES_PER_EVENT);
    ck_assert_uint_le(fc->event_before_last, NET_MAX_WRITES_PER_EVENT);
    ck_assert(clientHasPendingReplies(c));
    /* Each write is c->buf or one block: at most max(16380, block) bytes. */
    ck_assert_uint_le(fc->event_written, NET_MAX_WRITES_PER_EVENT + fc->event_max_single);
    sds exp = sds_repeat("+PONG\r\n", 7, 20000);
    ASSERT_BYTES(collect(id), exp, sdslen(exp));
    sdsfree(pings); sdsfree(exp);
}
END_TEST

/* Big replies: 3 x GET of a 100,000-byte value; one writeToClient writes > 64 KB then stops; stream exact. */
START_TEST(test_burst_write_cap_big_replies) {
    client *c = new_client();
    uint64_t id = c->id;
    fakeConn *fc = conn_of(id);
    sds val = sds_repeat("x", 1, 100000);
    sds set = sdscatprintf(sdsempty(), "*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$%zu\r\n", sdslen(val));
    set = sdscatsds(set, val);
    set = sdscat(set, "\r\n");
    feed(c, set, sdslen(set), 0);
    ASSERT_LIT(collect(id), "+OK\r\n");
    feed_str(c, "GET big\r\nGET big\r\nGET big\r\n");
    mark_write_event(id);
    writeToClient(c->fd, c, 0);
    ck_assert_uint_gt(fc->event_written, NET_MAX_WRITES_PER_EVENT);
    ck_assert_uint_le(fc->event_before_last, NET_MAX_WRITES_PER_EVENT);
    ck_assert(clientHasPendingReplies(c));
    sds one = sdscatprintf(sdsempty(), "$100000\r\n%s\r\n", val);
    sds exp = sds_repeat(one, sdslen(one), 3);
    /* What was written already plus the rest = three full bulk replies. */
    sds first = sdsdup(fc->out);
    sdsclear(fc->out);
    sds rest = collect(id);
    first = sdscatsds(first, rest);
    ASSERT_BYTES(first, exp, sdslen(exp));
    sdsfree(rest); sdsfree(val); sdsfree(set); sdsfree(one); sdsfree(exp);
}
END_TEST

/**
 * @brief Build the suite.
 * @return The suite.
 */
static Suite *burst_suite(void) {
    Suite *s = suite_create("pipeline_burst");
    TCase *tc = tcase_create("burst");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_burst_1000_one_read);
    tcase_add_test(tc, test_burst_1000_mbulk_whole);
    tcase_add_test(tc, test_burst_1000_odd_chunks);
    tcase_add_test(tc, test_burst_interleaved_writes);
    tcase_add_test(tc, test_burst_spill_point);
    tcase_add_test(tc, test_burst_list_growth);
    tcase_add_test(tc, test_burst_short_writes);
    tcase_add_test(tc, test_burst_eagain_resume);
    tcase_add_test(tc, test_burst_write_cap);
    tcase_add_test(tc, test_burst_write_cap_big_replies);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the burst tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(burst_suite());
}
