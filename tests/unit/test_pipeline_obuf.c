/**
 * @file test_pipeline_obuf.c
 * @brief client-output-buffer-limit, one rule per test:
 *        getClientOutputBufferMemoryUsage (what is counted),
 *        checkClientOutputBufferLimits (hard limit, soft limit and its
 *        clock, the class of the client) and
 *        asyncCloseClientOnOutputBufferLimitReached (mark, never free).
 *
 * Where it sits: a reply that does not fit c->buf goes to the reply list
 * (_addReplyStringToList), which ends with
 * asyncCloseClientOnOutputBufferLimitReached(); that asks
 * checkClientOutputBufferLimits(), which compares
 * getClientOutputBufferMemoryUsage() with the client's class's line of
 * server.client_obuf_limits. The tests fill a real reply list through the
 * whole pipeline (SET big, then "GET big" left unwritten) and call the
 * three functions directly.
 *
 * The numbers: "GET big" of a 20,000-byte value leaves "$20000\r\n" (8
 * bytes) in c->buf, the value in a block of its own (20,000/20,000) and
 * the final "\r\n" in a new 16,384-byte block (PROTO_REPLY_CHUNK_BYTES):
 * reply_bytes 36,384, two blocks. Each block also costs a listNode (three
 * pointers, 24 bytes on a 64-bit build) and a clientReplyBlock header
 * (size and used, 16 bytes): omem = 36,384 + 2 * 40 = 36,464, the number
 * scenario 38-obuf-limit's first sighting compares.
 *
 * Rules are Redis 5.0.14's (networking.c: getClientOutputBufferMemoryUsage,
 * getClientType, checkClientOutputBufferLimits,
 * asyncCloseClientOnOutputBufferLimitReached). The clock is frozen, so
 * server.unixtime is what each test sets.
 */
#include <sys/socket.h>
#include <unistd.h>

#include "pipeline_harness.c"

/** omem of a client whose only pending reply is "GET big" (20,000 bytes). */
#define BIG_OMEM 36464UL

/** Freeze the cached clock at @p t seconds. */
static void set_time(time_t t) {
    server.clock_frozen = 1;
    server.mstime = (long long)t * 1000;
    server.unixtime = t;
}

/** One class's limits, saved and restored by every test that sets them. */
static void set_limit(int class, unsigned long long hard,
                      unsigned long long soft, time_t seconds) {
    server.client_obuf_limits[class].hard_limit_bytes = hard;
    server.client_obuf_limits[class].soft_limit_bytes = soft;
    server.client_obuf_limits[class].soft_limit_seconds = seconds;
}

/**
 * SET big to 20,000 bytes through @p c. With @p written, "+OK" is
 * collected, which writes every client with pending replies (collect()
 * runs handleClientsWithPendingWrites); without, nothing is written.
 */
static void store_big(client *c, int written) {
    sds v = sds_repeat("x", 1, 20000);
    sds req = sdscatprintf(sdsempty(), "*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n"
                           "$20000\r\n%s\r\n", v);

    feed(c, req, sdslen(req), 0);
    if (written) ASSERT_LIT(collect_output(c), "+OK\r\n");
    sdsfree(req);
    sdsfree(v);
}

/** A client with "GET big" run and nothing written: omem BIG_OMEM. */
static client *client_with_big_reply(void) {
    client *c;

    set_time(1700000000);
    c = new_client();
    store_big(c, 1);
    feed_str(c, "GET big\r\n");
    ck_assert_int_eq(c->bufpos, 8);
    ck_assert_uint_eq(listLength(c->reply), 2);
    ck_assert_uint_eq(c->reply_bytes, 20000 + 16384);
    return c;
}

/* ---- getClientOutputBufferMemoryUsage ---- */

/* reply_bytes plus 40 bytes per block: 36,384 + 2 * 40 = 36,464. */
START_TEST(test_obuf_usage_counts_blocks) {
    client *c = client_with_big_reply();

    ck_assert_uint_eq(sizeof(listNode) + sizeof(clientReplyBlock), 40);
    ck_assert_uint_eq(getClientOutputBufferMemoryUsage(c), BIG_OMEM);
}
END_TEST

/* c->buf is not counted: "GET s" of a 1-byte value leaves "$1\r\nv\r\n"
 * (7 bytes) in c->buf and nothing in the list: omem 0. The 8 bytes of
 * "$20000\r\n" in c->buf are not in BIG_OMEM either. */
START_TEST(test_obuf_usage_ignores_buf) {
    client *c = new_client();

    EXPECT(c, "SET s v\r\n", "+OK\r\n");
    feed_str(c, "GET s\r\n");
    ck_assert_int_eq(c->bufpos, 7);
    ck_assert_uint_eq(getClientOutputBufferMemoryUsage(c), 0);
    ck_assert_uint_eq(getClientOutputBufferMemoryUsage(client_with_big_reply()),
                      BIG_OMEM);
}
END_TEST

/* ---- checkClientOutputBufferLimits: the hard limit ---- */

/* "Reaches" the hard limit: omem equal to it is over (>=), one byte more
 * of limit is not. */
START_TEST(test_obuf_hard_at_limit) {
    client *c = client_with_big_reply();

    set_time(1700000000);
    set_limit(CLIENT_TYPE_NORMAL, BIG_OMEM, 0, 0);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 1);
    set_limit(CLIENT_TYPE_NORMAL, BIG_OMEM + 1, 0, 0);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 0);
}
END_TEST

/* A 0 turns a limit off: "normal 0 0 0", Redis 5.0's default, never
 * closes, and a soft limit of 0 never starts the clock. */
START_TEST(test_obuf_zero_is_off) {
    client *c = client_with_big_reply();

    set_time(1700000000);
    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 0);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 10);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    ck_assert_int_eq(c->obuf_soft_limit_reached_time, 0);
    set_time(1700000100);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 0);
}
END_TEST

/* ---- checkClientOutputBufferLimits: the soft limit's clock ---- */

/* The first time omem is at or above the soft limit only starts the clock
 * (obuf_soft_limit_reached_time = now) and answers 0; a second look in
 * the same second keeps the first time. */
START_TEST(test_obuf_soft_first_sighting) {
    client *c = client_with_big_reply();

    set_limit(CLIENT_TYPE_NORMAL, 0, BIG_OMEM, 10);
    set_time(1700000000);
    ck_assert_int_eq(c->obuf_soft_limit_reached_time, 0);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    ck_assert_int_eq(c->obuf_soft_limit_reached_time, 1700000000);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    ck_assert_int_eq(c->obuf_soft_limit_reached_time, 1700000000);
    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 0);
}
END_TEST

/* Soft seconds 10: still allowed 10 s after the first sighting (10 is not
 * more than 10), over at 11 s. The clock is not moved by either look. */
START_TEST(test_obuf_soft_held) {
    client *c = client_with_big_reply();

    set_limit(CLIENT_TYPE_NORMAL, 0, 32 * 1024, 10);
    set_time(1700000000);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    set_time(1700000005);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    set_time(1700000010);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    ck_assert_int_eq(c->obuf_soft_limit_reached_time, 1700000000);
    set_time(1700000011);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 1);
    ck_assert_int_eq(c->obuf_soft_limit_reached_time, 1700000000);
    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 0);
}
END_TEST

/* The seconds must be held continuously: a look under the soft limit sets
 * the clock back to 0. Over at 1700000000; the client reads everything
 * (omem 0) and a look at +5 s resets the clock; "GET big" again, over at
 * +11 s: a first sighting again, allowed, and so is +21 s; +22 s is over. */
START_TEST(test_obuf_soft_reset_below) {
    client *c = client_with_big_reply();
    uint64_t id = c->id;

    set_limit(CLIENT_TYPE_NORMAL, 0, 32 * 1024, 10);
    set_time(1700000000);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    ck_assert_int_eq(c->obuf_soft_limit_reached_time, 1700000000);
    sdsfree(collect(id));
    ck_assert_uint_eq(getClientOutputBufferMemoryUsage(c), 0);
    set_time(1700000005);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    ck_assert_int_eq(c->obuf_soft_limit_reached_time, 0);
    feed_str(c, "GET big\r\n");
    set_time(1700000011);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    ck_assert_int_eq(c->obuf_soft_limit_reached_time, 1700000011);
    set_time(1700000021);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    set_time(1700000022);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 1);
    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 0);
}
END_TEST

/* ---- checkClientOutputBufferLimits: which line applies ---- */

/* A subscriber is limited by the pubsub line, whatever the normal line
 * says; a normal client by the normal line, whatever pubsub says. The
 * subscriber's list holds a 20,000-byte message. */
START_TEST(test_obuf_class_pubsub) {
    client *sub = new_client();
    client *pub = new_client();
    client *plain;
    sds big = sds_repeat("m", 1, 20000);
    sds req = sdscatprintf(sdsempty(), "*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n"
                           "$20000\r\n%s\r\n", big);

    set_time(1700000000);
    EXPECT(sub, "SUBSCRIBE ch\r\n", "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
    plain = client_with_big_reply();
    feed(pub, req, sdslen(req), 0);
    ck_assert_uint_ge(listLength(sub->reply), 1);
    ck_assert_uint_eq(listLength(plain->reply), 2);

    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 0);
    set_limit(CLIENT_TYPE_PUBSUB, 1024, 0, 0);
    ck_assert_int_eq(checkClientOutputBufferLimits(sub), 1);
    ck_assert_int_eq(checkClientOutputBufferLimits(plain), 0);
    set_limit(CLIENT_TYPE_NORMAL, 1024, 0, 0);
    set_limit(CLIENT_TYPE_PUBSUB, 0, 0, 0);
    ck_assert_int_eq(checkClientOutputBufferLimits(sub), 0);
    ck_assert_int_eq(checkClientOutputBufferLimits(plain), 1);
    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 0);
    set_limit(CLIENT_TYPE_PUBSUB, 32 * 1024 * 1024, 8 * 1024 * 1024, 60);
    sdsfree(big);
    sdsfree(req);
}
END_TEST

/* A MONITOR client carries CLIENT_SLAVE, but is limited as normal (the
 * slave line is for replicas); a master's link has no line and is limited
 * as normal too. */
START_TEST(test_obuf_class_monitor_master) {
    client *mon = new_client();
    client *c = new_client();

    set_time(1700000000);
    EXPECT(mon, "MONITOR\r\n", "+OK\r\n");
    store_big(c, 0);
    ck_assert(mon->flags & CLIENT_SLAVE);
    ck_assert_uint_ge(listLength(mon->reply), 1);
    set_limit(CLIENT_TYPE_SLAVE, 1024, 0, 0);
    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 0);
    ck_assert_int_eq(checkClientOutputBufferLimits(mon), 0);
    set_limit(CLIENT_TYPE_SLAVE, 0, 0, 0);
    set_limit(CLIENT_TYPE_NORMAL, 1024, 0, 0);
    ck_assert_int_eq(checkClientOutputBufferLimits(mon), 1);

    feed_str(c, "GET big\r\n");
    c->flags |= CLIENT_MASTER;
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 1);
    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 0);
    ck_assert_int_eq(checkClientOutputBufferLimits(c), 0);
    c->flags &= ~CLIENT_MASTER;
    set_limit(CLIENT_TYPE_SLAVE, 256 * 1024 * 1024, 64 * 1024 * 1024, 60);
}
END_TEST

/* ---- asyncCloseClientOnOutputBufferLimitReached ---- */

/**
 * Give the fake client @p c a real descriptor (one end of a socket pair)
 * for the length of a test: asyncCloseClientOnOutputBufferLimitReached
 * skips fd -1 clients, as Redis 5.0.14 skips its fake clients.
 * @return The other end, for closing.
 */
static int give_fd(client *c) {
    int sv[2];

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    c->fd = sv[0];
    return sv[1];
}

/** Take the descriptor back: fd -1 again, both ends closed. */
static void take_fd(client *c, int other) {
    close(c->fd);
    close(other);
    c->fd = -1;
}

/* Over the hard limit: the client is marked CLOSE_ASAP and queued on
 * server.clients_to_close, and NOT freed: the caller (addReply, inside a
 * command) still uses it. */
START_TEST(test_obuf_close_marks_async) {
    client *c = client_with_big_reply();
    uint64_t id = c->id;
    unsigned long queued = listLength(server.clients_to_close);
    int other = give_fd(c);

    set_limit(CLIENT_TYPE_NORMAL, 1024, 0, 0);
    asyncCloseClientOnOutputBufferLimitReached(c);
    ck_assert(client_alive(id));
    ck_assert(c->flags & CLIENT_CLOSE_ASAP);
    ck_assert_uint_eq(listLength(server.clients_to_close), queued + 1);
    ck_assert_ptr_eq(listNodeValue(listLast(server.clients_to_close)), c);
    take_fd(c, other);
    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 0);
}
END_TEST

/* Under every limit nothing happens; an fd -1 (fake) client is never
 * marked, even over the limit. */
START_TEST(test_obuf_close_only_when_over) {
    client *c = client_with_big_reply();
    int other = give_fd(c);

    set_limit(CLIENT_TYPE_NORMAL, BIG_OMEM + 1, 0, 0);
    asyncCloseClientOnOutputBufferLimitReached(c);
    ck_assert(!(c->flags & CLIENT_CLOSE_ASAP));
    take_fd(c, other);
    set_limit(CLIENT_TYPE_NORMAL, 1024, 0, 0);
    asyncCloseClientOnOutputBufferLimitReached(c);
    ck_assert(!(c->flags & CLIENT_CLOSE_ASAP));
    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 0);
}
END_TEST

/* A client already marked is not looked at again: its soft-limit clock
 * does not start, and it is not queued twice. */
START_TEST(test_obuf_close_once) {
    client *c = client_with_big_reply();
    int other = give_fd(c);
    unsigned long queued;

    set_time(1700000000);
    set_limit(CLIENT_TYPE_NORMAL, 1024, 0, 0);
    asyncCloseClientOnOutputBufferLimitReached(c);
    ck_assert(c->flags & CLIENT_CLOSE_ASAP);
    queued = listLength(server.clients_to_close);
    set_limit(CLIENT_TYPE_NORMAL, 0, 1024, 10);
    asyncCloseClientOnOutputBufferLimitReached(c);
    ck_assert_int_eq(c->obuf_soft_limit_reached_time, 0);
    ck_assert_uint_eq(listLength(server.clients_to_close), queued);
    take_fd(c, other);
    set_limit(CLIENT_TYPE_NORMAL, 0, 0, 0);
}
END_TEST

/**
 * @brief Build the suite.
 * @return The suite.
 *
 * Called by: main.
 */
static Suite *obuf_suite(void) {
    Suite *s = suite_create("pipeline_obuf");
    TCase *tc = tcase_create("obuf");
    tcase_add_test(tc, test_obuf_usage_counts_blocks);
    tcase_add_test(tc, test_obuf_usage_ignores_buf);
    tcase_add_test(tc, test_obuf_hard_at_limit);
    tcase_add_test(tc, test_obuf_zero_is_off);
    tcase_add_test(tc, test_obuf_soft_first_sighting);
    tcase_add_test(tc, test_obuf_soft_held);
    tcase_add_test(tc, test_obuf_soft_reset_below);
    tcase_add_test(tc, test_obuf_class_pubsub);
    tcase_add_test(tc, test_obuf_class_monitor_master);
    tcase_add_test(tc, test_obuf_close_marks_async);
    tcase_add_test(tc, test_obuf_close_only_when_over);
    tcase_add_test(tc, test_obuf_close_once);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the output-buffer-limit tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(obuf_suite());
}
