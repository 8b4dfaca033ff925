/**
 * @file test_blocked.c
 * @brief Blocking pops, the unblocked-clients queue, CLIENT UNBLOCK and
 *        CLIENT PAUSE (blocked.c), through the whole pipeline with raw
 *        bytes.
 *
 * Where it sits: bytes enter through readQueryFromClient (fake read);
 * replies leave through handleClientsWithPendingWrites (collect()). The
 * harness does not run beforeSleep, so each test calls the step it is
 * about by name: processUnblockedClients() (what beforeSleep does first),
 * clientsCronHandleTimeout() (what clientsCron does per client). Time is
 * frozen (server.clock_frozen, as in the trace replayer) and moved by
 * hand, so no test depends on the machine's speed.
 *
 * Expected bytes are Redis 5.0.14's (blocked.c, t_list.c, networking.c).
 */
#include "pipeline_harness.c"

#define T0 1700000000000LL /**< The frozen clock every test starts at. */

/** Freeze the clock at T0 (call() then leaves server.mstime alone). */
static void freeze_clock(void) {
    server.clock_frozen = 1;
    server.mstime = T0;
    server.unixtime = T0 / 1000;
}

/** Bytes of c's querybuf not parsed yet, as an sds. */
static sds pending(client *c) {
    return sdsnewlen(c->querybuf + c->qb_pos, sdslen(c->querybuf) - c->qb_pos);
}

/* The example: BLPOP with two requests pipelined behind it in the
 * same read. They wait in querybuf, untouched, until an LPUSH unblocks the
 * client; processUnblockedClients then runs them without a new read. */
START_TEST(test_pipeline_behind_blpop) {
    freeze_clock();
    client *a = new_client();
    client *b = new_client();
    EXPECT(a, "*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n"
              "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n", "");
    ck_assert(a->flags & CLIENT_BLOCKED);
    ck_assert_int_eq(a->btype, BLOCKED_LIST);
    ck_assert_uint_eq(server.blocked_clients, 1);
    ck_assert_int_eq(a->argc, 0); /* reset after blocking, keys in bpop */
    ck_assert_uint_eq(dictSize(a->bpop.keys), 1);
    ASSERT_LIT(pending(a), "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n");

    /* More bytes while blocked: appended, still not parsed. */
    EXPECT(a, "PING\r\n", "");
    ASSERT_LIT(pending(a), "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nPING\r\n");

    /* B's LPUSH serves A right after call(): A gets its reply now, but its
     * pipeline waits for beforeSleep. */
    EXPECT(b, "LPUSH q x\r\n", ":1\r\n");
    ck_assert(!(a->flags & CLIENT_BLOCKED));
    ck_assert(a->flags & CLIENT_UNBLOCKED);
    ck_assert_uint_eq(listLength(server.unblocked_clients), 1);
    ck_assert_uint_eq(server.blocked_clients, 0);
    ASSERT_LIT(collect_output(a), "*2\r\n$1\r\nq\r\n$1\r\nx\r\n");
    ck_assert_uint_eq(sdslen(a->querybuf) - a->qb_pos, 14 + 22 + 6);

    processUnblockedClients();
    ck_assert(!(a->flags & CLIENT_UNBLOCKED));
    ASSERT_LIT(collect_output(a), "+PONG\r\n$2\r\nhi\r\n+PONG\r\n");
    ck_assert_uint_eq(sdslen(a->querybuf), 0);
    /* The element went to A: no empty list is left behind. */
    EXPECT(b, "EXISTS q\r\n", ":0\r\n");
    ck_assert_uint_eq(dictSize(server.db[0].blocking_keys), 0);
    ck_assert_uint_eq(dictSize(server.db[0].ready_keys), 0);
}
END_TEST

/* The same, with the bytes arriving one per read. */
START_TEST(test_pipeline_behind_blpop_one_byte_reads) {
    freeze_clock();
    client *a = new_client();
    client *b = new_client();
    const char in[] = "BLPOP q 0\r\nPING\r\n";
    feed(a, in, sizeof(in) - 1, 1);
    ASSERT_LIT(collect_output(a), "");
    ASSERT_LIT(pending(a), "PING\r\n");
    EXPECT(b, "RPUSH q v\r\n", ":1\r\n");
    processUnblockedClients();
    ASSERT_LIT(collect_output(a), "*2\r\n$1\r\nq\r\n$1\r\nv\r\n+PONG\r\n");
}
END_TEST

/* Clients are served in the order they blocked; "LPUSH q a b" makes
 * [b, a], so the first BLPOP gets b and the second a. */
START_TEST(test_fifo_order) {
    freeze_clock();
    client *a = new_client();
    client *b = new_client();
    client *p = new_client();
    EXPECT(a, "BLPOP q 0\r\n", "");
    EXPECT(b, "BLPOP q 0\r\n", "");
    EXPECT(p, "LPUSH q a b c\r\n", ":3\r\n");
    ASSERT_LIT(collect_output(a), "*2\r\n$1\r\nq\r\n$1\r\nc\r\n");
    ASSERT_LIT(collect_output(b), "*2\r\n$1\r\nq\r\n$1\r\nb\r\n");
    EXPECT(p, "LRANGE q 0 -1\r\n", "*1\r\n$1\r\na\r\n");
}
END_TEST

/* BRPOP on two keys: the second gets data; the client leaves both
 * keys' waiting lists. A key with data is popped at once, in key order. */
START_TEST(test_multiple_keys) {
    freeze_clock();
    client *a = new_client();
    client *p = new_client();
    EXPECT(a, "BRPOP k1 k2 k1 0\r\n", "");
    ck_assert_uint_eq(dictSize(a->bpop.keys), 2); /* k1 once */
    ck_assert_uint_eq(dictSize(server.db[0].blocking_keys), 2);
    EXPECT(p, "RPUSH k2 x y\r\n", ":2\r\n");
    ASSERT_LIT(collect_output(a), "*2\r\n$2\r\nk2\r\n$1\r\ny\r\n");
    ck_assert_uint_eq(dictSize(server.db[0].blocking_keys), 0);
    EXPECT(p, "RPUSH k3 z\r\n", ":1\r\n");
    EXPECT(a, "BLPOP k1 k3 k2 0\r\n", "*2\r\n$2\r\nk3\r\n$1\r\nz\r\n");
}
END_TEST

/* Timeout parsing: 5.0.14 takes integer seconds only. */
START_TEST(test_timeout_errors) {
    freeze_clock();
    client *a = new_client();
    EXPECT(a, "BLPOP q 1.5\r\n", "-ERR timeout is not an integer or out of range\r\n");
    EXPECT(a, "BLPOP q x\r\n", "-ERR timeout is not an integer or out of range\r\n");
    EXPECT(a, "BLPOP q -1\r\n", "-ERR timeout is negative\r\n");
    EXPECT(a, "BRPOPLPUSH a b -1\r\n", "-ERR timeout is negative\r\n");
    /* The timeout is checked before the keys, even a key with data. */
    EXPECT(a, "RPUSH q v\r\nBLPOP q x\r\n", ":1\r\n-ERR timeout is not an integer or out of range\r\n");
    ck_assert(!(a->flags & CLIENT_BLOCKED));
}
END_TEST

/* "BLPOP q 1": nothing before T0 + 1000 + 1 ms; then "*-1\r\n" and the
 * pipelined PING runs in the next processUnblockedClients. */
START_TEST(test_timeout_fires) {
    freeze_clock();
    client *a = new_client();
    EXPECT(a, "BLPOP q 1\r\nPING\r\n", "");
    ck_assert_int_eq(a->bpop.timeout, T0 + 1000);
    ck_assert_int_eq(clientsCronHandleTimeout(a, T0 + 1000), 0);
    ck_assert(a->flags & CLIENT_BLOCKED); /* strictly after the deadline */
    ASSERT_LIT(collect_output(a), "");
    ck_assert_int_eq(clientsCronHandleTimeout(a, T0 + 1001), 0);
    ck_assert(!(a->flags & CLIENT_BLOCKED));
    ASSERT_LIT(collect_output(a), "*-1\r\n");
    processUnblockedClients();
    ASSERT_LIT(collect_output(a), "+PONG\r\n");
    /* Timeout 0 waits forever, and the idle timeout skips blocked clients. */
    server.maxidletime = 1;
    EXPECT(a, "BLPOP q 0\r\n", "");
    ck_assert_int_eq(clientsCronHandleTimeout(a, T0 + 100000000LL), 0);
    ck_assert(a->flags & CLIENT_BLOCKED);
    /* BRPOPLPUSH times out with the null multibulk too (5.0.14). */
    client *b = new_client();
    EXPECT(b, "BRPOPLPUSH s d 2\r\n", "");
    clientsCronHandleTimeout(b, T0 + 2001);
    ASSERT_LIT(collect_output(b), "*-1\r\n");
}
END_TEST

/* Inside MULTI an empty BLPOP cannot wait: "*-1"; BRPOPLPUSH "$-1". */
START_TEST(test_multi) {
    freeze_clock();
    client *a = new_client();
    EXPECT(a, "MULTI\r\nBLPOP q 0\r\nBRPOPLPUSH q d 0\r\nRPUSH q v\r\nBLPOP q 0\r\nEXEC\r\n",
           "+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n"
           "*4\r\n*-1\r\n$-1\r\n:1\r\n*2\r\n$1\r\nq\r\n$1\r\nv\r\n");
    ck_assert(!(a->flags & CLIENT_BLOCKED));
}
END_TEST

/* A push inside another client's EXEC serves a waiter after the EXEC. */
START_TEST(test_exec_serves_waiter) {
    freeze_clock();
    client *a = new_client();
    client *b = new_client();
    EXPECT(a, "BLPOP q 0\r\n", "");
    EXPECT(b, "MULTI\r\nRPUSH q 1 2\r\nRPUSH q 3\r\nEXEC\r\n",
           "+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n:2\r\n:3\r\n");
    ASSERT_LIT(collect_output(a), "*2\r\n$1\r\nq\r\n$1\r\n1\r\n");
    EXPECT(b, "LRANGE q 0 -1\r\n", "*2\r\n$1\r\n2\r\n$1\r\n3\r\n");
}
END_TEST

/* BRPOPLPUSH served: the element is pushed onto the destination, which
 * in turn serves a BLPOP waiting there (ready_keys filled while served). */
START_TEST(test_brpoplpush_chain) {
    freeze_clock();
    client *x = new_client();
    client *y = new_client();
    client *p = new_client();
    EXPECT(x, "BLPOP d 0\r\n", "");
    EXPECT(y, "BRPOPLPUSH s d 0\r\n", "");
    ck_assert_ptr_nonnull(y->bpop.target);
    EXPECT(p, "RPUSH s v\r\n", ":1\r\n");
    ASSERT_LIT(collect_output(y), "$1\r\nv\r\n");
    ASSERT_LIT(collect_output(x), "*2\r\n$1\r\nd\r\n$1\r\nv\r\n");
    EXPECT(p, "EXISTS s d\r\n", ":0\r\n");
    ck_assert_ptr_null(y->bpop.target);
}
END_TEST

/* BRPOPLPUSH onto a string: the waiter gets WRONGTYPE and the element
 * goes back into the source. */
START_TEST(test_brpoplpush_wrongtype_target) {
    freeze_clock();
    client *y = new_client();
    client *p = new_client();
    EXPECT(y, "BRPOPLPUSH s d 0\r\nPING\r\n", "");
    EXPECT(p, "SET d str\r\nRPUSH s a b\r\n", "+OK\r\n:2\r\n");
    ASSERT_LIT(collect_output(y),
        "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    processUnblockedClients();
    ASSERT_LIT(collect_output(y), "+PONG\r\n");
    EXPECT(p, "LRANGE s 0 -1\r\n", "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
}
END_TEST

/* CLIENT UNBLOCK: TIMEOUT (default) -> "*-1", ERROR -> -UNBLOCKED; not
 * blocked or unknown -> ":0"; a bad reason before a bad id. */
START_TEST(test_client_unblock) {
    freeze_clock();
    client *a = new_client();
    client *b = new_client();
    char cmd[64];
    EXPECT(a, "BLPOP q 0\r\nPING\r\n", "");
    snprintf(cmd, sizeof(cmd), "CLIENT UNBLOCK %llu\r\n", (unsigned long long)a->id);
    feed_str(b, cmd);
    ASSERT_LIT(collect_output(b), ":1\r\n");
    ASSERT_LIT(collect_output(a), "*-1\r\n");
    processUnblockedClients();
    ASSERT_LIT(collect_output(a), "+PONG\r\n");
    feed_str(b, cmd);
    ASSERT_LIT(collect_output(b), ":0\r\n"); /* no longer blocked */

    EXPECT(a, "BRPOP q 0\r\n", "");
    snprintf(cmd, sizeof(cmd), "CLIENT UNBLOCK %llu error\r\n", (unsigned long long)a->id);
    feed_str(b, cmd);
    ASSERT_LIT(collect_output(b), ":1\r\n");
    ASSERT_LIT(collect_output(a), "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
    EXPECT(b, "CLIENT UNBLOCK 999999 TIMEOUT\r\n", ":0\r\n");
    EXPECT(b, "CLIENT UNBLOCK x foo\r\n", "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n");
    EXPECT(b, "CLIENT UNBLOCK x\r\n", "-ERR value is not an integer or out of range\r\n");
    EXPECT(b, "CLIENT UNBLOCK 1 timeout x\r\n",
           "-ERR Unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP\r\n");
}
END_TEST

/* A blocked client that disconnects leaves no trace in the waiting lists:
 * the next push stays in the list. */
START_TEST(test_free_blocked_client) {
    freeze_clock();
    client *a = new_client();
    client *p = new_client();
    EXPECT(a, "BLPOP q r 0\r\n", "");
    ck_assert_int_eq(feed_eof(a), 0);
    ck_assert_uint_eq(server.blocked_clients, 0);
    ck_assert_uint_eq(dictSize(server.db[0].blocking_keys), 0);
    EXPECT(p, "RPUSH q v\r\nLLEN q\r\n", ":1\r\n:1\r\n");
    /* Freed while queued on unblocked_clients: it leaves the queue. */
    client *b = new_client();
    EXPECT(b, "BLPOP z 0\r\n", "");
    EXPECT(p, "RPUSH z v\r\n", ":1\r\n");
    ck_assert_uint_eq(listLength(server.unblocked_clients), 1);
    ck_assert_int_eq(feed_eof(b), 0);
    ck_assert_uint_eq(listLength(server.unblocked_clients), 0);
    processUnblockedClients();
}
END_TEST

/* INFO blocked_clients and CLIENT LIST flags=b. */
START_TEST(test_info_and_client_list) {
    freeze_clock();
    client *a = new_client();
    client *b = new_client();
    EXPECT(a, "BLPOP q 0\r\n", "");
    feed_str(b, "INFO clients\r\n");
    sds out = collect_output(b);
    ck_assert_ptr_nonnull(strstr(out, "blocked_clients:1\r\n"));
    sdsfree(out);
    feed_str(b, "CLIENT LIST\r\n");
    out = collect_output(b);
    ck_assert_ptr_nonnull(strstr(out, "flags=b "));
    ck_assert_ptr_nonnull(strstr(out, "cmd=blpop"));
    sdsfree(out);
}
END_TEST

/* CLIENT PAUSE 100 with a pipeline from another client behind it: the
 * requests wait in querybuf until the pause ends, then run from
 * processUnblockedClients without a new read. */
START_TEST(test_client_pause) {
    freeze_clock();
    client *a = new_client();
    client *b = new_client();
    EXPECT(a, "CLIENT PAUSE 100\r\n", "+OK\r\n");
    ck_assert_int_eq(server.clients_paused, 1);
    ck_assert_int_eq(server.clients_pause_end_time, T0 + 100);
    EXPECT(b, "PING\r\nSET k v\r\n", "");
    ASSERT_LIT(pending(b), "PING\r\nSET k v\r\n");
    /* The pauser itself is paused too. */
    EXPECT(a, "GET k\r\n", "");
    /* A shorter pause does not shorten it. */
    ck_assert(clientsArePaused());
    pauseClients(T0 + 50);
    ck_assert_int_eq(server.clients_pause_end_time, T0 + 100);
    server.mstime = T0 + 100;
    ck_assert(clientsArePaused()); /* ends strictly after end */
    server.mstime = T0 + 101;
    ck_assert(!clientsArePaused());
    ck_assert(b->flags & CLIENT_UNBLOCKED);
    ck_assert(a->flags & CLIENT_UNBLOCKED);
    /* The queue follows server.clients: A connected first, so its GET
     * runs before B's SET and finds nothing. */
    ck_assert_ptr_eq(listNodeValue(listFirst(server.unblocked_clients)), a);
    processUnblockedClients();
    ASSERT_LIT(collect_output(b), "+PONG\r\n+OK\r\n");
    ASSERT_LIT(collect_output(a), "$-1\r\n");
}
END_TEST

/* A client blocked when the pause ends is not queued: its input runs
 * when it is unblocked. */
START_TEST(test_pause_skips_blocked) {
    freeze_clock();
    client *a = new_client();
    client *b = new_client();
    EXPECT(a, "BLPOP q 0\r\nPING\r\n", "");
    EXPECT(b, "CLIENT PAUSE 10\r\n", "+OK\r\n");
    server.mstime = T0 + 11;
    ck_assert(!clientsArePaused());
    ck_assert(!(a->flags & CLIENT_UNBLOCKED));
    ck_assert(b->flags & CLIENT_UNBLOCKED);
}
END_TEST

/* CLIENT PAUSE errors (getTimeoutFromObjectOrReply, milliseconds). */
START_TEST(test_client_pause_errors) {
    freeze_clock();
    client *a = new_client();
    EXPECT(a, "CLIENT PAUSE -1\r\n", "-ERR timeout is negative\r\n");
    EXPECT(a, "CLIENT PAUSE 1.5\r\n", "-ERR timeout is not an integer or out of range\r\n");
    EXPECT(a, "CLIENT PAUSE\r\n",
           "-ERR Unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP\r\n");
    ck_assert_int_eq(server.clients_paused, 0);
    /* "CLIENT PAUSE 0" pauses until now: over at the next millisecond. */
    EXPECT(a, "CLIENT PAUSE 0\r\n", "+OK\r\n");
    ck_assert_int_eq(server.clients_pause_end_time, 0);
    ck_assert(!clientsArePaused());
}
END_TEST

/**
 * @brief The blocked suite.
 * @return The Check suite.
 */
static Suite *blocked_suite(void) {
    Suite *s = suite_create("blocked");
    TCase *tc = tcase_create("blocking");
    tcase_add_test(tc, test_pipeline_behind_blpop);
    tcase_add_test(tc, test_pipeline_behind_blpop_one_byte_reads);
    tcase_add_test(tc, test_fifo_order);
    tcase_add_test(tc, test_multiple_keys);
    tcase_add_test(tc, test_timeout_errors);
    tcase_add_test(tc, test_timeout_fires);
    tcase_add_test(tc, test_multi);
    tcase_add_test(tc, test_exec_serves_waiter);
    tcase_add_test(tc, test_brpoplpush_chain);
    tcase_add_test(tc, test_brpoplpush_wrongtype_target);
    tcase_add_test(tc, test_client_unblock);
    tcase_add_test(tc, test_free_blocked_client);
    tcase_add_test(tc, test_info_and_client_list);
    tcase_add_test(tc, test_client_pause);
    tcase_add_test(tc, test_pause_skips_blocked);
    tcase_add_test(tc, test_client_pause_errors);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the blocked tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(blocked_suite());
}
