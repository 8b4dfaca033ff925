/**
 * @file test_pipeline_buffers.c
 * @brief Where reply bytes are kept before they are written, and what the
 *        client's buffers look like from CLIENT LIST; query buffer trimming
 *        and the client-query-buffer-limit.
 *
 * Where it sits: the output side of addReply (c->buf, 16 KB, then the
 * c->reply list of clientReplyBlock), inspected BEFORE writeToClient runs;
 * addDeferredMultiBulkLength / setDeferredMultiBulkLength (KEYS, which
 * does not know its count in advance); catClientInfoString; and the input
 * side's limits in readQueryFromClient.
 *
 * A block's size is the size minired asked for (max(len, 16 KB)); Redis
 * 5.0.14 stores the allocator's usable size instead (zmalloc_usable() in
 * _addReplyStringToList, networking.c), a few bytes more. The older tests
 * here compute what depends on it from clientReplyBlock.size, with bounds;
 * the newer ones (lab 4's) expect minired's exact sizes.
 */
#include "pipeline_harness.c"

/**
 * @brief Store a value of @p len 'x' bytes under @p key through the
 *        protocol and drain the "+OK\r\n".
 * @param c The client.
 * @param key Key name.
 * @param len Value length.
 * @return The value (new sds).
 */
static sds store_value(client *c, const char *key, size_t len) {
    sds v = sds_repeat("x", 1, len);
    sds req = sdscatprintf(sdsempty(), "*3\r\n$3\r\nSET\r\n$%zu\r\n%s\r\n$%zu\r\n",
                           strlen(key), key, len);
    req = sdscatsds(req, v);
    req = sdscat(req, "\r\n");
    feed(c, req, sdslen(req), 0);
    ASSERT_LIT(collect_output(c), "+OK\r\n");
    sdsfree(req);
    return v;
}

/**
 * @brief Sum of the used bytes of every block in c->reply, checking that
 *        reply_bytes is the sum of their sizes.
 * @param c The client.
 * @return Bytes waiting in the list.
 */
static size_t list_used(client *c) {
    listIter li;
    listNode *ln;
    size_t used = 0;
    unsigned long long sizes = 0;
    listRewind(c->reply, &li);
    while ((ln = listNext(&li)) != NULL) {
        clientReplyBlock *b = listNodeValue(ln);
        ck_assert_ptr_nonnull(b);
        used += b->used;
        sizes += b->size;
    }
    ck_assert_uint_eq(c->reply_bytes, sizes);
    return used;
}

/* GET of a 20,000-byte value: "$20000\r\n" (8 bytes) goes to c->buf, the value does not fit and opens a block. */
START_TEST(test_buf_big_get_goes_to_list) {
    client *c = new_client();
    sds v = store_value(c, "big", 20000);
    feed_str(c, "GET big\r\n");
    ck_assert_int_eq(c->bufpos, 8);
    ck_assert(memcmp(c->buf, "$20000\r\n", 8) == 0);
    ck_assert_uint_ge(listLength(c->reply), 1);
    clientReplyBlock *b = listNodeValue(listFirst(c->reply));
    /* One block sized for the value (>= 20000, more than 16 KB); the final
     * "\r\n" joins it when the allocator left 2 spare bytes, else opens a
     * second block of 16 KB. */
    ck_assert_uint_ge(b->size, 20000);
    ck_assert(memcmp(b->buf, v, 20000) == 0);
    ck_assert_uint_eq(listLength(c->reply), b->size >= 20002 ? 1 : 2);
    ck_assert_uint_eq(list_used(c), 20002);
    if (listLength(c->reply) == 1) ck_assert_uint_eq(c->reply_bytes, b->size);
    sds exp = sdscatprintf(sdsempty(), "$20000\r\n%s\r\n", v);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(listLength(c->reply), 0);
    ck_assert_uint_eq(c->reply_bytes, 0);
    sdsfree(v); sdsfree(exp);
}
END_TEST

/* "PING\r\nGET big\r\n": "+PONG\r\n" and "$20000\r\n" share c->buf (bufpos 15), the value is in the list. */
START_TEST(test_buf_big_get_after_small) {
    client *c = new_client();
    sds v = store_value(c, "big", 20000);
    feed_str(c, "PING\r\nGET big\r\n");
    ck_assert_int_eq(c->bufpos, 15);
    ck_assert(memcmp(c->buf, "+PONG\r\n$20000\r\n", 15) == 0);
    ck_assert_uint_eq(list_used(c), 20002);
    sds exp = sdscatprintf(sdsempty(), "+PONG\r\n$20000\r\n%s\r\n", v);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    sdsfree(v); sdsfree(exp);
}
END_TEST

/* 2,048 x "ECHO ab" -> 2,048 x "$2\r\nab\r\n" (8 bytes) = exactly 16,384 in c->buf; the 2,049th opens the list. */
START_TEST(test_buf_fill_exactly_then_spill) {
    client *c = new_client();
    sds reqs = sds_repeat("ECHO ab\r\n", 9, 2048);
    feed(c, reqs, sdslen(reqs), 0);
    ck_assert_int_eq(c->bufpos, PROTO_REPLY_CHUNK_BYTES);
    ck_assert_uint_eq(listLength(c->reply), 0);
    ck_assert_uint_eq(c->reply_bytes, 0);
    feed_str(c, "ECHO ab\r\n");
    ck_assert_int_eq(c->bufpos, PROTO_REPLY_CHUNK_BYTES);
    ck_assert_uint_eq(listLength(c->reply), 1);
    clientReplyBlock *b = listNodeValue(listFirst(c->reply));
    ck_assert_uint_ge(b->size, PROTO_REPLY_CHUNK_BYTES);
    ck_assert_uint_eq(b->used, 8);
    ck_assert(memcmp(b->buf, "$2\r\nab\r\n", 8) == 0);
    ck_assert_uint_eq(c->reply_bytes, b->size);
    sds exp = sds_repeat("$2\r\nab\r\n", 8, 2049);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    sdsfree(reqs); sdsfree(exp);
}
END_TEST

/* "KEYS nomatch*" -> "*0\r\n": the deferred length becomes its own 4-byte block (nothing followed it); c->buf untouched. */
START_TEST(test_buf_deferred_len_empty) {
    client *c = new_client();
    feed_str(c, "KEYS nomatch*\r\n");
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(listLength(c->reply), 1);
    clientReplyBlock *b = listNodeValue(listFirst(c->reply));
    ck_assert_uint_eq(b->used, 4);
    ck_assert(memcmp(b->buf, "*0\r\n", 4) == 0);
    ck_assert_uint_eq(c->reply_bytes, b->size);
    /* A reply after it cannot share that full block: a second block. */
    feed_str(c, "PING\r\n");
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(listLength(c->reply), 2);
    ck_assert_uint_eq(list_used(c), 11);
    ASSERT_LIT(collect_output(c), "*0\r\n+PONG\r\n");
}
END_TEST

/* "SET one 1\r\nKEYS o*\r\nPING\r\n": "+OK" in c->buf; "*1\r\n" is put in front of "$3\r\none\r\n" in one list block; "+PONG" follows it. */
START_TEST(test_buf_deferred_len_placement) {
    client *c = new_client();
    feed_str(c, "SET one 1\r\nKEYS o*\r\n");
    ck_assert_int_eq(c->bufpos, 5);
    ck_assert_uint_eq(listLength(c->reply), 1);
    clientReplyBlock *b = listNodeValue(listFirst(c->reply));
    ck_assert_uint_eq(b->used, 13);
    ck_assert(memcmp(b->buf, "*1\r\n$3\r\none\r\n", 13) == 0);
    ck_assert_uint_ge(b->size, PROTO_REPLY_CHUNK_BYTES);
    ck_assert_uint_eq(c->reply_bytes, b->size);
    feed_str(c, "PING\r\n");
    ck_assert_int_eq(c->bufpos, 5);
    ck_assert_uint_eq(listLength(c->reply), 1);
    ck_assert_uint_eq(b->used, 20);
    ASSERT_LIT(collect_output(c), "+OK\r\n*1\r\n$3\r\none\r\n+PONG\r\n");
}
END_TEST

/* CLIENT LIST after "GET big" (not yet written): qbuf=13 ("CLIENT LIST\r\n") qbuf-free obl=8 oll omem as Redis 5.0 computes them. */
START_TEST(test_buf_client_list_fields) {
    /* age and idle are whole seconds of server.unixtime: freeze the clock
     * (as the trace replayer does) so that a second boundary passing
     * during the test (an ASan build is slow) cannot turn age=0 into 1. */
    server.clock_frozen = 1;
    server.mstime = 1700000000000LL;
    server.unixtime = 1700000000;
    client *c = new_client();
    sds v = store_value(c, "big", 20000);
    feed_str(c, "GET big\r\n");
    /* State at the time CLIENT LIST will run: nothing written yet. */
    int obl = c->bufpos;
    unsigned long oll = listLength(c->reply);
    /* Redis 5.0 omem: reply_bytes plus, per block, a list node and a
     * block header (getClientOutputBufferMemoryUsage). */
    unsigned long long omem = c->reply_bytes +
        (unsigned long long)oll * (sizeof(listNode) + sizeof(clientReplyBlock));
    ck_assert_int_eq(obl, 8);
    feed_str(c, "CLIENT LIST\r\n");
    /* The query buffer is not trimmed before the command runs: qbuf is the
     * 13 bytes of "CLIENT LIST\r\n"; the trim afterwards does not
     * reallocate, so qbuf-free was the allocation minus those 13. With
     * reusable-querybuf off (the default, as Redis 5.0.14) the client read
     * into its own buffer, which keeps that allocation. */
    size_t qfree = sdsalloc(c->querybuf) - 13;
    sds line = sdscatprintf(sdsempty(),
        "id=%llu addr=?:0 fd=-1 name= age=0 idle=0 flags=N db=0 sub=0 psub=0 "
        "multi=-1 qbuf=13 qbuf-free=%zu obl=%d oll=%lu omem=%llu events= cmd=client\n",
        (unsigned long long)c->id, qfree, obl, oll, omem);
    sds exp = sdscatprintf(sdsempty(), "$20000\r\n%s\r\n$%zu\r\n%s\r\n",
                           v, sdslen(line), line);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    sdsfree(v); sdsfree(line); sdsfree(exp);
    server.clock_frozen = 0;
}
END_TEST

/* Default (reusable-querybuf no, as 5.0.14): "*1\r\n$4\r\nPING\r\n" is read into the client's own querybuf, which keeps its 16 KB+ room after the trim; the peak, taken before the read, stays 0. */
START_TEST(test_buf_querybuf_own_by_default) {
    client *c = new_client();
    ck_assert_int_eq(server.reusable_querybuf, 0);
    EXPECT(c, "*1\r\n$4\r\nPING\r\n", "+PONG\r\n");
    ck_assert_uint_eq(sdslen(c->querybuf), 0);
    ck_assert_uint_ge(sdsalloc(c->querybuf), PROTO_IOBUF_LEN);
    ck_assert(!(c->flags & CLIENT_REUSABLE_QUERYBUFFER));
    ck_assert_uint_eq(c->querybuf_peak, 0);
}
END_TEST

/* "*1\r\n$4\r\nPI" then "NG\r\n": the trim leaves "PI" (2 bytes); the second read records peak 2, the length before it (after it, it would be 6). */
START_TEST(test_buf_querybuf_peak_before_read) {
    client *c = new_client();
    feed_str(c, "*1\r\n$4\r\nPI");
    ck_assert_uint_eq(sdslen(c->querybuf), 2);
    ck_assert_uint_eq(c->querybuf_peak, 0);
    feed_str(c, "NG\r\n");
    ASSERT_LIT(collect_output(c), "+PONG\r\n");
    ck_assert_uint_eq(c->querybuf_peak, 2);
}
END_TEST

/* An idle client after PING: CLIENT LIST shows "qbuf=0 qbuf-free=<room>" until clientsCronResizeQueryBuffer (peak 0: alloc / 1 > 2) shrinks it; then "qbuf=0 qbuf-free=0", Redis 5.0.14's output for idle clients. */
START_TEST(test_buf_querybuf_cron_shrinks_idle) {
    client *idle = new_client();
    client *c = new_client();
    EXPECT(idle, "PING\r\n", "+PONG\r\n");
    size_t room = sdsavail(idle->querybuf);
    ck_assert_uint_gt(room, 4096);
    feed_str(c, "CLIENT LIST\r\n");
    sds out = collect_output(c);
    sds want = sdscatprintf(sdsempty(), "id=%llu ", (unsigned long long)idle->id);
    sds fields = sdscatprintf(sdsempty(), " qbuf=0 qbuf-free=%zu ", room);
    char *line = strstr(out, want);
    ck_assert_ptr_nonnull(line);
    ck_assert_ptr_nonnull(strstr(line, fields));
    sdsfree(out);
    /* The cron visit: 32 KB > PROTO_MBULK_BIG_ARG, 32768 / (0 + 1) > 2, and
     * over 4 KB free -> sdsRemoveFreeSpace(). */
    clientsCronResizeQueryBuffer(idle);
    ck_assert_uint_eq(sdsalloc(idle->querybuf), 0);
    feed_str(c, "CLIENT LIST\r\n");
    out = collect_output(c);
    line = strstr(out, want);
    ck_assert_ptr_nonnull(line);
    ck_assert_ptr_nonnull(strstr(line, " qbuf=0 qbuf-free=0 "));
    sdsfree(out); sdsfree(want); sdsfree(fields);
}
END_TEST

/* CONFIG GET/SET reusable-querybuf: "no" by default, "yes" accepted, "maybe" refused with Redis's CONFIG SET error. */
START_TEST(test_buf_reusable_querybuf_config) {
    client *c = new_client();
    EXPECT(c, "CONFIG GET reusable-querybuf\r\n",
           "*2\r\n$17\r\nreusable-querybuf\r\n$2\r\nno\r\n");
    EXPECT(c, "CONFIG SET reusable-querybuf yes\r\n", "+OK\r\n");
    ck_assert_int_eq(server.reusable_querybuf, 1);
    EXPECT(c, "CONFIG GET reusable-querybuf\r\n",
           "*2\r\n$17\r\nreusable-querybuf\r\n$3\r\nyes\r\n");
    EXPECT(c, "CONFIG SET reusable-querybuf maybe\r\n",
           "-ERR Invalid argument 'maybe' for CONFIG SET 'reusable-querybuf'\r\n");
    ck_assert_int_eq(server.reusable_querybuf, 1);
}
END_TEST

/* CLIENT LIST after SETNAME lab, SELECT 3 and a finished MULTI/EXEC: " name=lab ", " flags=N db=3 ... multi=-1 ". */
START_TEST(test_buf_client_list_flags) {
    client *c = new_client();
    EXPECT(c, "CLIENT SETNAME lab\r\nSELECT 3\r\nMULTI\r\nPING\r\n",
           "+OK\r\n+OK\r\n+OK\r\n+QUEUED\r\n");
    feed_str(c, "EXEC\r\n");
    sds out = collect_output(c);
    ck_assert_str_eq(out, "*1\r\n+PONG\r\n");
    sdsfree(out);
    feed_str(c, "CLIENT LIST\r\n");
    out = collect_output(c);
    ck_assert_ptr_nonnull(strstr(out, " name=lab "));
    ck_assert_ptr_nonnull(strstr(out, " flags=N db=3 sub=0 psub=0 multi=-1 "));
    ck_assert_ptr_nonnull(strstr(out, " cmd=client\n"));
    sdsfree(out);
}
END_TEST

/* "PING\r\nPI": after processing, qb_pos is back to 0 and querybuf holds only "PI". */
START_TEST(test_buf_querybuf_trimmed) {
    client *c = new_client();
    feed_str(c, "PING\r\nPING\r\nPI");
    ck_assert_uint_eq(c->qb_pos, 0);
    ck_assert_uint_eq(sdslen(c->querybuf), 2);
    ck_assert(memcmp(c->querybuf, "PI", 2) == 0);
    feed_str(c, "NG\r\n");
    ck_assert_uint_eq(c->qb_pos, 0);
    ck_assert_uint_eq(sdslen(c->querybuf), 0);
    ASSERT_LIT(collect_output(c), "+PONG\r\n+PONG\r\n+PONG\r\n");
}
END_TEST

/* client-query-buffer-limit 1000: 900 bytes pending is fine; 1,100 -> the client is freed at once, no reply, SET never runs. */
START_TEST(test_buf_querybuf_limit) {
    server.client_max_querybuf_len = 1000;
    client *c = new_client();
    client *other = new_client();
    uint64_t id = c->id;
    sds v = sds_repeat("x", 1, 1100);
    sds req = sdscatprintf(sdsempty(), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$%zu\r\n", sdslen(v));
    req = sdscatsds(req, v);
    req = sdscat(req, "\r\n");
    /* First 900 bytes: below the limit, waiting for the rest. */
    ck_assert_int_eq(feed(c, req, 900, 0), 1);
    ck_assert_uint_le(sdslen(c->querybuf), 1000);
    /* The rest: querybuf would hold over 1000 bytes -> closed before any
     * parsing, so even the now complete SET does not run. */
    ck_assert_int_eq(feed(c, req + 900, sdslen(req) - 900, 0), 0);
    ck_assert(!client_alive(id));
    ASSERT_LIT(collect(id), "");
    EXPECT(other, "EXISTS k\r\n", ":0\r\n");
    /* Small complete requests never grow querybuf: it is trimmed each time. */
    for (int i = 0; i < 200; i++) feed_str(other, "SET k 1234567890\r\n");
    ck_assert(client_alive(other->id));
    sdsfree(v); sdsfree(req);
}
END_TEST

/* One read bigger than the limit, even if complete: "SET k <2000 bytes>" in one read -> freed, no reply. */
START_TEST(test_buf_querybuf_limit_single_read) {
    server.client_max_querybuf_len = 1000;
    client *c = new_client();
    client *other = new_client();
    uint64_t id = c->id;
    sds v = sds_repeat("y", 1, 2000);
    sds req = sdscatprintf(sdsempty(), "SET k %s\r\n", v);
    ck_assert_int_eq(feed(c, req, sdslen(req), 0), 0);
    ck_assert(!client_alive(id));
    ASSERT_LIT(collect(id), "");
    EXPECT(other, "EXISTS k\r\nPING\r\n", ":0\r\n+PONG\r\n");
    sdsfree(v); sdsfree(req);
}
END_TEST

/* ---- Lab 4: the two places for reply bytes, called directly ---------- */

/**
 * @brief Queue @p len copies of byte @p ch as one fragment (addReplyString).
 * @param c The client.
 * @param ch The byte.
 * @param len How many.
 * @return The fragment (new sds), for comparing with the output.
 */
static sds add_fragment(client *c, char ch, size_t len) {
    sds f = sds_repeat(&ch, 1, len);
    addReplyString(c, f, len);
    return f;
}

/**
 * @brief The @p i th block of c->reply (0 = head), asserting it exists.
 * @param c The client.
 * @param i The index.
 * @return The block.
 */
static clientReplyBlock *block_at(client *c, unsigned long i) {
    listNode *ln = listIndex(c->reply, (long)i);
    ck_assert_ptr_nonnull(ln);
    ck_assert_ptr_nonnull(listNodeValue(ln));
    return listNodeValue(ln);
}

/* A 20,000-byte fragment (list, c->buf empty), then "+PONG\r\n": c->buf has 16,384 free bytes but the list is not empty, so PONG goes behind the big one, bufpos stays 0. */
START_TEST(test_reply_order_list_first) {
    client *c = new_client();
    sds big = add_fragment(c, 'a', 20000);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(listLength(c->reply), 1);
    addReplyString(c, "+PONG\r\n", 7);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(list_used(c), 20007);
    sds exp = sdscatlen(sdsdup(big), "+PONG\r\n", 7);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    /* Everything written: c->buf is used again. */
    addReplyString(c, "+OK\r\n", 5);
    ck_assert_int_eq(c->bufpos, 5);
    ck_assert_uint_eq(listLength(c->reply), 0);
    ASSERT_LIT(collect_output(c), "+OK\r\n");
    sdsfree(big); sdsfree(exp);
}
END_TEST

/* c->buf filled by one fragment of exactly 16,384 bytes; then 16,344 bytes open block 0 (size 16,384: 40 free); a 100-byte fragment puts 40 bytes in block 0 and 60 in a new block 1 of 16,384. */
START_TEST(test_reply_tail_fill_split) {
    client *c = new_client();
    sds f1 = add_fragment(c, 'b', PROTO_REPLY_CHUNK_BYTES);
    ck_assert_int_eq(c->bufpos, PROTO_REPLY_CHUNK_BYTES);
    ck_assert_uint_eq(listLength(c->reply), 0);
    sds f2 = add_fragment(c, 'c', 16344);
    ck_assert_uint_eq(listLength(c->reply), 1);
    ck_assert_uint_eq(block_at(c, 0)->size, PROTO_REPLY_CHUNK_BYTES);
    ck_assert_uint_eq(block_at(c, 0)->used, 16344);
    sds f3 = sdsnewlen(NULL, 100);
    /* 26 letters: the 60 bytes after the first 40 differ from the first 60. */
    for (int i = 0; i < 100; i++) f3[i] = (char)('A' + i % 26);
    addReplyString(c, f3, 100);
    ck_assert_uint_eq(listLength(c->reply), 2);
    ck_assert_uint_eq(block_at(c, 0)->used, PROTO_REPLY_CHUNK_BYTES);
    ck_assert(memcmp(block_at(c, 0)->buf + 16344, f3, 40) == 0);
    ck_assert_uint_eq(block_at(c, 1)->size, PROTO_REPLY_CHUNK_BYTES);
    ck_assert_uint_eq(block_at(c, 1)->used, 60);
    ck_assert(memcmp(block_at(c, 1)->buf, f3 + 40, 60) == 0);
    ck_assert_uint_eq(c->reply_bytes, 2 * PROTO_REPLY_CHUNK_BYTES);
    sds exp = sdscatsds(sdscatsds(sdsdup(f1), f2), f3);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    ck_assert_uint_eq(c->reply_bytes, 0);
    sdsfree(f1); sdsfree(f2); sdsfree(f3); sdsfree(exp);
}
END_TEST

/* After c->buf is full, three "+OK\r\n" share one block of 16,384 (used 15), not three blocks of 5; a 40,000-byte fragment then gets a block of exactly 40,000 after 16,369 bytes filled block 0. */
START_TEST(test_reply_block_sizes) {
    client *c = new_client();
    sds f1 = add_fragment(c, 'd', PROTO_REPLY_CHUNK_BYTES);
    for (int i = 0; i < 3; i++) addReplyString(c, "+OK\r\n", 5);
    ck_assert_int_eq(c->bufpos, PROTO_REPLY_CHUNK_BYTES);
    ck_assert_uint_eq(listLength(c->reply), 1);
    ck_assert_uint_eq(block_at(c, 0)->size, PROTO_REPLY_CHUNK_BYTES);
    ck_assert_uint_eq(block_at(c, 0)->used, 15);
    ck_assert_uint_eq(c->reply_bytes, PROTO_REPLY_CHUNK_BYTES);
    sds f2 = add_fragment(c, 'e', 40000);
    /* 16,384 - 15 = 16,369 fill block 0, the other 23,631 open block 1:
     * max(23631, 16384) = 23,631 bytes, exactly full. */
    ck_assert_uint_eq(listLength(c->reply), 2);
    ck_assert_uint_eq(block_at(c, 0)->used, PROTO_REPLY_CHUNK_BYTES);
    ck_assert_uint_eq(block_at(c, 1)->size, 23631);
    ck_assert_uint_eq(block_at(c, 1)->used, 23631);
    ck_assert_uint_eq(c->reply_bytes, PROTO_REPLY_CHUNK_BYTES + 23631);
    /* A fresh list: one fragment of 40,000 gets one block of 40,000. */
    sds exp = sdscatsds(sdscat(sdsdup(f1), "+OK\r\n+OK\r\n+OK\r\n"), f2);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    addReplyString(c, "$5\r\n", 4);
    sds f3 = add_fragment(c, 'f', 40000);
    ck_assert_int_eq(c->bufpos, 4);
    ck_assert_uint_eq(listLength(c->reply), 1);
    ck_assert_uint_eq(block_at(c, 0)->size, 40000);
    ck_assert_uint_eq(c->reply_bytes, 40000);
    sdsfree(f1); sdsfree(f2); sdsfree(f3); sdsfree(exp);
}
END_TEST

/* CLIENT_CLOSE_AFTER_REPLY: with "+OK\r\n" in c->buf, a small and a big fragment are both dropped (bufpos 5, no block); with a block queued, a fragment is dropped too. */
START_TEST(test_reply_closing_drops) {
    client *c = new_client();
    addReplyString(c, "+OK\r\n", 5);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
    addReplyString(c, ":1\r\n", 4);
    ck_assert_int_eq(c->bufpos, 5);
    ck_assert_uint_eq(listLength(c->reply), 0);
    ck_assert_int_eq(_addReplyToBuffer(c, ":1\r\n", 4), C_OK);
    sds big = sds_repeat("g", 1, 20000);
    addReplyString(c, big, sdslen(big));
    ck_assert_int_eq(c->bufpos, 5);
    ck_assert_uint_eq(listLength(c->reply), 0);
    ck_assert_uint_eq(c->reply_bytes, 0);
    /* Closing with a block already queued: nothing joins it. */
    client *d = new_client();
    addReplyString(d, big, sdslen(big));
    d->flags |= CLIENT_CLOSE_AFTER_REPLY;
    addReplyString(d, "+PONG\r\n", 7);
    ck_assert_int_eq(d->bufpos, 0);
    ck_assert_uint_eq(list_used(d), 20000);
    _addReplyStringToList(d, "+PONG\r\n", 7);
    ck_assert_uint_eq(list_used(d), 20000);
    /* Both are written (and freed) by the first collect: use the ids. */
    uint64_t cid = c->id, did = d->id;
    ASSERT_LIT(collect(cid), "+OK\r\n");
    ASSERT_BYTES(collect(did), big, sdslen(big));
    sdsfree(big);
}
END_TEST

/* A deferred length whose next block is full (a 20,000-byte element in a 20,000-byte block) cannot be glued: "*1\r\n" gets a block of its own, size 4, before it. */
START_TEST(test_reply_deferred_next_full) {
    client *c = new_client();
    void *node = addDeferredMultiBulkLength(c);
    ck_assert_ptr_nonnull(node);
    ck_assert_uint_eq(listLength(c->reply), 1);
    ck_assert_ptr_null(listNodeValue(listFirst(c->reply)));
    sds big = add_fragment(c, 'h', 20000);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(listLength(c->reply), 2);
    ck_assert_uint_eq(block_at(c, 1)->size, 20000);
    setDeferredMultiBulkLength(c, node, 1);
    ck_assert_uint_eq(listLength(c->reply), 2);
    ck_assert_uint_eq(block_at(c, 0)->size, 4);
    ck_assert_uint_eq(block_at(c, 0)->used, 4);
    ck_assert(memcmp(block_at(c, 0)->buf, "*1\r\n", 4) == 0);
    ck_assert_uint_eq(list_used(c), 20004);
    ck_assert_uint_eq(c->reply_bytes, 20004);
    sds exp = sdscatsds(sdsnew("*1\r\n"), big);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    sdsfree(big); sdsfree(exp);
}
END_TEST

/* Two deferred lengths, one inside the other ("*2\r\n*1\r\n:7\r\n:8\r\n"): the inner one is glued in front of ":7\r\n", the outer one then in front of the inner header, one block of 16,384 holding all 16 bytes. */
START_TEST(test_reply_deferred_nested) {
    client *c = new_client();
    void *outer = addDeferredMultiBulkLength(c);
    void *inner = addDeferredMultiBulkLength(c);
    ck_assert_uint_eq(listLength(c->reply), 2);
    addReplyString(c, ":7\r\n", 4);
    setDeferredMultiBulkLength(c, inner, 1);
    addReplyString(c, ":8\r\n", 4);
    setDeferredMultiBulkLength(c, outer, 2);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(listLength(c->reply), 1);
    ck_assert_uint_eq(block_at(c, 0)->size, PROTO_REPLY_CHUNK_BYTES);
    ck_assert_uint_eq(block_at(c, 0)->used, 16);
    ck_assert_uint_eq(c->reply_bytes, PROTO_REPLY_CHUNK_BYTES);
    ASSERT_LIT(collect_output(c), "*2\r\n*1\r\n:7\r\n:8\r\n");
}
END_TEST

/**
 * @brief Build the suite.
 * @return The suite.
 */
static Suite *buffers_suite(void) {
    Suite *s = suite_create("pipeline_buffers");
    TCase *tc = tcase_create("buffers");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_buf_big_get_goes_to_list);
    tcase_add_test(tc, test_buf_big_get_after_small);
    tcase_add_test(tc, test_buf_fill_exactly_then_spill);
    tcase_add_test(tc, test_buf_deferred_len_empty);
    tcase_add_test(tc, test_buf_deferred_len_placement);
    tcase_add_test(tc, test_buf_client_list_fields);
    tcase_add_test(tc, test_buf_client_list_flags);
    tcase_add_test(tc, test_buf_querybuf_trimmed);
    tcase_add_test(tc, test_buf_querybuf_limit);
    tcase_add_test(tc, test_buf_querybuf_limit_single_read);
    tcase_add_test(tc, test_buf_querybuf_own_by_default);
    tcase_add_test(tc, test_buf_querybuf_peak_before_read);
    tcase_add_test(tc, test_buf_querybuf_cron_shrinks_idle);
    tcase_add_test(tc, test_buf_reusable_querybuf_config);
    tcase_add_test(tc, test_reply_order_list_first);
    tcase_add_test(tc, test_reply_tail_fill_split);
    tcase_add_test(tc, test_reply_block_sizes);
    tcase_add_test(tc, test_reply_closing_drops);
    tcase_add_test(tc, test_reply_deferred_next_full);
    tcase_add_test(tc, test_reply_deferred_nested);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the buffer tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(buffers_suite());
}
