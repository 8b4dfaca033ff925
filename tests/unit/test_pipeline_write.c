/**
 * @file test_pipeline_write.c
 * @brief The write side, state by state: writeToClient() through c->buf
 *        (bufpos, sentlen) and the reply blocks (reply_bytes), EAGAIN, a
 *        write error, CLIENT_CLOSE_AFTER_REPLY, the 64 KB cap lifted over
 *        maxmemory and for CLIENT_SLAVE, and handleClientsWithPendingWrites() with its write
 *        handler (lab 5, exercises/05-writing/).
 *
 * Where it sits: requests enter through the fake read of pipeline_harness.c
 * and their replies wait in c->buf / c->reply; each test then plays the
 * event loop by hand (handleClientsWithPendingWrites() once, as beforeSleep
 * does, then sendReplyToClient() as the write handler) and checks the
 * client's fields after every step. Two kernels are used:
 *  - the fake write of the harness, with write_budget_per_event: the
 *    socket takes that many bytes per event, then answers EAGAIN;
 *  - a real AF_UNIX socketpair, for what only a real fd shows: EPIPE from
 *    a closed peer, and the AE_WRITABLE event (aeGetFileEvents) that
 *    handleClientsWithPendingWrites installs and writeToClient removes.
 *
 * Expected behaviour is Redis 5.0.14's writeToClient() and
 * handleClientsWithPendingWrites() (src/networking.c at tag 5.0.14).
 */
#include "pipeline_harness.c"

#include <sys/socket.h>

/** A fake write that never takes a byte: a peer that does not read. */
static ssize_t full_write(client *c, const void *buf, size_t len) {
    (void)c; (void)buf; (void)len;
    errno = EAGAIN;
    return -1;
}

/**
 * @brief One writable event for fake client @p id: a fresh budget, then
 *        the write handler.
 * @param id The client's id.
 */
static void writable(uint64_t id) {
    mark_write_event(id);
    client *c = find_client(id);
    ck_assert_ptr_nonnull(c);
    sendReplyToClient(server.el, c->fd, c, AE_WRITABLE);
}

/** The 33-byte reply of scenario 08: "$26\r\nabc...xyz\r\n". */
#define ALPHA_REPLY "$26\r\nabcdefghijklmnopqrstuvwxyz\r\n"

/* A socket that takes 7 bytes per event: after each event sentlen has grown
 * by exactly 7 while bufpos stays 33 and the bytes received are the first
 * 7, 14, 21, 28 of the reply; the fifth event takes the last 5 and both
 * fields return to 0. */
START_TEST(test_write_buf_partial_sentlen) {
    client *c = new_client();
    uint64_t id = c->id;
    fakeConn *fc = conn_of(id);
    feed_str(c, "SET alpha abcdefghijklmnopqrstuvwxyz\r\n");
    ASSERT_LIT(collect(id), "+OK\r\n");
    fc->write_budget_per_event = 7;
    feed_str(c, "GET alpha\r\n");
    ck_assert_int_eq(c->bufpos, 33);
    mark_write_event(id);
    handleClientsWithPendingWrites();
    for (int ev = 1; ev <= 4; ev++) {
        if (ev > 1) writable(id);
        c = find_client(id);
        ck_assert_msg(c != NULL, "event %d: the client was freed (EAGAIN is "
                      "not an error)", ev);
        ck_assert_msg(c->bufpos == 33 && (int)c->sentlen == 7 * ev,
                      "after event %d: bufpos %d sentlen %zu, want 33 and %d",
                      ev, c->bufpos, c->sentlen, 7 * ev);
        ASSERT_BYTES(sdsdup(fc->out), ALPHA_REPLY, (size_t)(7 * ev));
    }
    writable(id);
    c = find_client(id);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(c->sentlen, 0);
    ASSERT_LIT(collect(id), ALPHA_REPLY);
}
END_TEST

/* Once c->buf is all written it is empty again (bufpos 0, sentlen 0), so
 * the next reply starts at c->buf + 0: "$2\r\nhi\r\n", bufpos 8. */
START_TEST(test_write_buf_reset) {
    client *c = new_client();
    uint64_t id = c->id;
    feed_str(c, "PING\r\n");
    mark_write_event(id);
    handleClientsWithPendingWrites();
    ASSERT_LIT(sdsdup(conn_of(id)->out), "+PONG\r\n");
    c = find_client(id);
    ck_assert_ptr_nonnull(c);
    ck_assert_msg(c->bufpos == 0 && c->sentlen == 0, "all 7 bytes of c->buf "
                  "written, yet bufpos %d sentlen %zu (want 0 and 0)",
                  c->bufpos, c->sentlen);
    feed_str(c, "ECHO hi\r\n");
    c = find_client(id);
    ck_assert_int_eq(c->bufpos, 8);
    ck_assert(memcmp(c->buf, "$2\r\nhi\r\n", 8) == 0);
    mark_write_event(id);
    handleClientsWithPendingWrites();
    ASSERT_LIT(sdsdup(conn_of(id)->out), "+PONG\r\n$2\r\nhi\r\n");
    ck_assert_int_eq(find_client(id)->bufpos, 0);
}
END_TEST

/* GET of a 20,000-byte value: "$20000\r\n" in c->buf (8), block 0 holds
 * the value (used 20,000), block 1 the "\r\n" (used 2). 5,002 bytes per
 * event: the fourth event ends exactly at byte 20,008, the end of block 0.
 * Then block 0 is gone, reply_bytes lost exactly its size, sentlen is 0
 * for block 1; the fifth event sends block 1 and reply_bytes is 0. */
START_TEST(test_write_block_freed) {
    client *c = new_client();
    uint64_t id = c->id;
    fakeConn *fc = conn_of(id);
    sds val = sds_repeat("0123456789", 10, 2000);
    sds set = mbulk(3, "SET", "big", val);
    feed(c, set, sdslen(set), 0);
    ASSERT_LIT(collect(id), "+OK\r\n");
    feed_str(c, "GET big\r\n");
    c = find_client(id);
    ck_assert_int_eq(c->bufpos, 8);
    ck_assert_int_eq(listLength(c->reply), 2);
    clientReplyBlock *b0 = listNodeValue(listFirst(c->reply));
    clientReplyBlock *b1 = listNodeValue(listLast(c->reply));
    ck_assert_uint_eq(b0->used, 20000);
    ck_assert_uint_eq(b1->used, 2);
    size_t s1 = b1->size;
    ck_assert_uint_eq(c->reply_bytes, b0->size + s1);
    size_t both = c->reply_bytes;

    fc->write_budget_per_event = 5002;
    mark_write_event(id);
    handleClientsWithPendingWrites();
    c = find_client(id);
    ck_assert_ptr_nonnull(c);
    /* 8 bytes of c->buf, then 4,994 of block 0. */
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(c->sentlen, 4994);
    ck_assert_uint_eq(c->reply_bytes, both);
    writable(id);
    writable(id);
    c = find_client(id);
    ck_assert_uint_eq(c->sentlen, 14998);
    ck_assert_int_eq(listLength(c->reply), 2);
    writable(id);
    c = find_client(id);
    ck_assert_msg(listLength(c->reply) == 1, "block 0 fully sent but still "
                  "in the list (%lu blocks)", (unsigned long)listLength(c->reply));
    ck_assert_msg(c->reply_bytes == s1, "reply_bytes %lu after block 0 was "
                  "freed, want %zu (block 1's size)", (unsigned long)c->reply_bytes, s1);
    ck_assert_msg(c->sentlen == 0, "sentlen %zu at the start of block 1, want 0",
                  c->sentlen);
    writable(id);
    c = find_client(id);
    ck_assert_int_eq(listLength(c->reply), 0);
    ck_assert_uint_eq(c->reply_bytes, 0);
    ck_assert(!clientHasPendingReplies(c));
    sds exp = sdscatprintf(sdsempty(), "$20000\r\n%s\r\n", val);
    ASSERT_BYTES(collect(id), exp, sdslen(exp));
    sdsfree(val); sdsfree(set); sdsfree(exp);
}
END_TEST

/* EAGAIN on the very first write: not an error. The client stays, with
 * its 7 bytes untouched (bufpos 7, sentlen 0) and its reply still pending;
 * when the socket takes bytes again, "+PONG\r\n" arrives whole. */
START_TEST(test_write_eagain_keeps_client) {
    client *c = new_client();
    uint64_t id = c->id;
    feed_str(c, "PING\r\n");
    server.fake_io.write = full_write;
    handleClientsWithPendingWrites();
    writable(id);
    server.fake_io.write = fake_write;
    c = find_client(id);
    ck_assert_msg(c != NULL, "EAGAIN freed the client");
    ck_assert_int_eq(c->bufpos, 7);
    ck_assert_uint_eq(c->sentlen, 0);
    ck_assert(clientHasPendingReplies(c));
    ASSERT_LIT(collect(id), "+PONG\r\n");
}
END_TEST

/* A real socket whose peer has closed: write(2) fails with EPIPE (SIGPIPE
 * is ignored by initServer). writeToClient frees the client and returns
 * C_ERR; it is gone from the client list. */
START_TEST(test_write_epipe_frees_client) {
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    client *c = createClient(sv[0]);
    ck_assert_ptr_nonnull(c);
    uint64_t id = c->id;
    addReply(c, shared.ok);
    close(sv[1]);
    ck_assert_msg(writeToClient(c->fd, c, 0) == C_ERR,
                  "a write error (EPIPE) must free the client and return C_ERR");
    ck_assert_msg(find_client(id) == NULL, "the client is still in the list "
                  "after a write error");
}
END_TEST

/* QUIT sets CLIENT_CLOSE_AFTER_REPLY. Through a socket taking 3 bytes per
 * event, "+PONG\r\n+OK\r\n" (12 bytes) takes four events: the client lives
 * until the last byte is out, then it is freed. */
START_TEST(test_write_close_after_reply) {
    client *c = new_client();
    uint64_t id = c->id;
    fakeConn *fc = conn_of(id);
    fc->write_budget_per_event = 3;
    feed_str(c, "PING\r\nQUIT\r\n");
    mark_write_event(id);
    handleClientsWithPendingWrites();
    for (int ev = 2; ev <= 4; ev++) {
        ck_assert_msg(find_client(id) != NULL, "freed after %d of 12 bytes",
                      3 * (ev - 1));
        writable(id);
    }
    ck_assert_msg(find_client(id) == NULL, "all 12 bytes out, QUIT: the "
                  "client must be freed");
    ASSERT_LIT(sdsdup(fc->out), "+PONG\r\n+OK\r\n");
}
END_TEST

/* Over maxmemory the 64 KB cap is lifted (Redis 5.0.14): one writeToClient
 * call writes all 140,000 bytes of 20,000 +PONG replies. */
START_TEST(test_write_cap_lifted_over_maxmemory) {
    client *c = new_client();
    uint64_t id = c->id;
    sds pings = sds_repeat("PING\r\n", 6, 20000);
    feed(c, pings, sdslen(pings), 0);
    c = find_client(id);
    server.maxmemory = 1; /* any real use is over one byte */
    mark_write_event(id);
    writeToClient(c->fd, c, 0);
    server.maxmemory = 0;
    c = find_client(id);
    ck_assert_msg(!clientHasPendingReplies(c), "over maxmemory one call must "
                  "write everything (no 64 KB cap); %zu bytes written",
                  conn_of(id)->event_written);
    ck_assert_uint_eq(conn_of(id)->event_written, 140000);
    sdsfree(pings);
}
END_TEST

/* A CLIENT_SLAVE client (a replica, or MONITOR, which Redis 5.0 flags as
 * a slave too) is never capped: its stream must not fall behind. */
START_TEST(test_write_cap_lifted_for_slave) {
    client *c = new_client();
    uint64_t id = c->id;
    sds pings = sds_repeat("PING\r\n", 6, 20000);
    feed(c, pings, sdslen(pings), 0);
    c = find_client(id);
    c->flags |= CLIENT_SLAVE;
    mark_write_event(id);
    writeToClient(c->fd, c, 0);
    c = find_client(id);
    ck_assert_msg(!clientHasPendingReplies(c), "a CLIENT_SLAVE client must "
                  "not be capped; %zu bytes written", conn_of(id)->event_written);
    ck_assert_uint_eq(conn_of(id)->event_written, 140000);
    c->flags &= ~CLIENT_SLAVE;
    sdsfree(pings);
}
END_TEST

/** Read everything the peer @p fd has waiting into @p acc (non-blocking). */
static sds drain_peer(int fd, sds acc) {
    char tmp[65536];
    ssize_t n;
    while ((n = recv(fd, tmp, sizeof(tmp), MSG_DONTWAIT)) > 0)
        acc = sdscatlen(acc, tmp, (size_t)n);
    return acc;
}

/* A small reply to a real socket: handleClientsWithPendingWrites writes it
 * directly ("+OK\r\n" is at the peer at once), takes the client off
 * clients_pending_write, and installs no AE_WRITABLE event. */
START_TEST(test_handle_direct_no_handler) {
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    client *c = createClient(sv[0]);
    addReply(c, shared.ok);
    ck_assert(c->flags & CLIENT_PENDING_WRITE);
    ck_assert_int_eq(handleClientsWithPendingWrites(), 1);
    sds got = drain_peer(sv[1], sdsempty());
    ASSERT_LIT(got, "+OK\r\n");
    ck_assert_msg(!(aeGetFileEvents(server.el, sv[0]) & AE_WRITABLE),
                  "everything was written directly: no write handler wanted");
    ck_assert(!(c->flags & CLIENT_PENDING_WRITE));
    ck_assert_int_eq(listLength(server.clients_pending_write), 0);
    freeClient(c);
    close(sv[1]);
}
END_TEST

/* A 300,000-byte reply to a real socket: the direct write stops at the
 * 64 KB cap (or a full socket), so the AE_WRITABLE handler is installed;
 * the peer reads, the handler writes, and once the last byte is out the
 * handler is removed. The peer got every byte, in order. */
START_TEST(test_handle_handler_installed_then_removed) {
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    client *c = createClient(sv[0]);
    sds val = sds_repeat("0123456789", 10, 30000);
    addReplyBulkCBuffer(c, val, sdslen(val));
    sds exp = sdscatprintf(sdsempty(), "$300000\r\n%s\r\n", val);
    handleClientsWithPendingWrites();
    ck_assert(clientHasPendingReplies(c));
    ck_assert_msg(aeGetFileEvents(server.el, sv[0]) & AE_WRITABLE,
                  "bytes are left after the direct write: the write handler "
                  "must be installed");
    sds got = sdsempty();
    int turns = 0;
    while (clientHasPendingReplies(c)) {
        ck_assert_msg(++turns < 10000, "the reply never drains");
        got = drain_peer(sv[1], got);
        sendReplyToClient(server.el, sv[0], c, AE_WRITABLE);
    }
    got = drain_peer(sv[1], got);
    ck_assert_msg(!(aeGetFileEvents(server.el, sv[0]) & AE_WRITABLE),
                  "everything is sent: the write handler must be removed");
    ASSERT_BYTES(got, exp, sdslen(exp));
    freeClient(c);
    close(sv[1]);
    sdsfree(val); sdsfree(exp);
}
END_TEST

/* Three clients on clients_pending_write: one answered PING, one QUIT
 * (freed by writeToClient), one CLIENT_PROTECTED (skipped: nothing
 * written). The call returns 3, the list is empty and no client keeps
 * CLIENT_PENDING_WRITE. */
START_TEST(test_handle_pending_list) {
    client *a = new_client(), *q = new_client(), *p = new_client();
    uint64_t ida = a->id, idq = q->id, idp = p->id;
    feed_str(a, "PING\r\n");
    feed_str(q, "QUIT\r\n");
    feed_str(p, "PING\r\n");
    p = find_client(idp);
    p->flags |= CLIENT_PROTECTED;
    ck_assert_int_eq(handleClientsWithPendingWrites(), 3);
    ck_assert_int_eq(listLength(server.clients_pending_write), 0);
    ASSERT_LIT(sdsdup(conn_of(ida)->out), "+PONG\r\n");
    ASSERT_LIT(sdsdup(conn_of(idq)->out), "+OK\r\n");
    ck_assert_msg(find_client(idq) == NULL, "QUIT's client not freed");
    a = find_client(ida);
    ck_assert(!(a->flags & CLIENT_PENDING_WRITE));
    p = find_client(idp);
    ck_assert_msg(sdslen(conn_of(idp)->out) == 0 && p->bufpos == 7,
                  "a CLIENT_PROTECTED client must not be written to");
    ck_assert(!(p->flags & CLIENT_PENDING_WRITE));
}
END_TEST

/**
 * @brief Build the suite.
 * @return The suite.
 */
static Suite *write_suite(void) {
    Suite *s = suite_create("pipeline_write");
    TCase *tc = tcase_create("write");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_write_buf_partial_sentlen);
    tcase_add_test(tc, test_write_buf_reset);
    tcase_add_test(tc, test_write_block_freed);
    tcase_add_test(tc, test_write_eagain_keeps_client);
    tcase_add_test(tc, test_write_epipe_frees_client);
    tcase_add_test(tc, test_write_close_after_reply);
    tcase_add_test(tc, test_write_cap_lifted_over_maxmemory);
    tcase_add_test(tc, test_write_cap_lifted_for_slave);
    tcase_add_test(tc, test_handle_direct_no_handler);
    tcase_add_test(tc, test_handle_handler_installed_then_removed);
    tcase_add_test(tc, test_handle_pending_list);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the write tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(write_suite());
}
