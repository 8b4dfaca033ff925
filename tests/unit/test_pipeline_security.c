/**
 * @file test_pipeline_security.c
 * @brief Redis 5.0.14's security checks and maxmemory noeviction, with raw
 *        bytes: the unauthenticated multibulk/bulk limits (CVE-2021-32675),
 *        POST / "Host:" closing the connection, the -OOM refusal, the write
 *        cap lifted over maxmemory; and the differences random testing
 *        found (KEYS "*\0", KEYS and expired keys, CONFIG SET bounds, the
 *        fast expire cycle).
 *
 * Where it sits: processMultibulkBuffer (the limits), processCommand (OOM,
 * NOAUTH before POST), securityWarningCommand, writeToClient (the cap),
 * keysCommand, configSetCommand, activeExpireCycle. Every test runs in its
 * own forked process (Check), so server settings changed by one test do not
 * leak into the next.
 */
#include "pipeline_harness.c"

/** The error a protocol error test expects, then the client gone. */
static void expect_closed_with(client *c, const char *in, size_t inlen,
                               const char *err) {
    uint64_t id = c->id;

    feed(c, in, inlen, 0);
    ASSERT_BYTES(collect(id), err, strlen(err));
    ck_assert_msg(!client_alive(id), "client not freed after the error");
}

/* requirepass set: "*10\r\n" is accepted and waits for its arguments; "*11\r\n" -> unauthenticated multibulk length, closed. */
START_TEST(test_unauth_mbulk_count) {
    server.requirepass = zstrdup("pw");
    client *c = new_client();
    feed_str(c, "*10\r\n");
    ck_assert_int_eq(c->multibulklen, 10);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert(!(c->flags & CLIENT_CLOSE_AFTER_REPLY));

    client *d = new_client();
    client *other = new_client();
    expect_closed_with(d, "*11\r\n", 5,
        "-ERR Protocol error: unauthenticated multibulk length\r\n");
    /* The same, one byte per read: refused when the '\n' arrives. */
    client *e = new_client();
    uint64_t eid = e->id;
    feed(e, "*1048576\r\n", 10, 1);
    ASSERT_LIT(collect(eid),
        "-ERR Protocol error: unauthenticated multibulk length\r\n");
    ck_assert(!client_alive(eid));
    /* Others are not affected: still unauthenticated, still NOAUTH. */
    EXPECT(other, "PING\r\n", "-NOAUTH Authentication required.\r\n");
}
END_TEST

/* "*1048577\r\n" unauthenticated -> invalid multibulk length: that check comes first. */
START_TEST(test_unauth_mbulk_order) {
    server.requirepass = zstrdup("pw");
    client *c = new_client();
    expect_closed_with(c, "*1048577\r\n", 10,
        "-ERR Protocol error: invalid multibulk length\r\n");
}
END_TEST

/* requirepass set: a 16384-byte argument is read ("-ERR invalid password"), "$16385" -> unauthenticated bulk length, closed. */
START_TEST(test_unauth_bulk_len) {
    server.requirepass = zstrdup("pw");
    client *c = new_client();
    sds pw = sds_repeat("p", 1, 16384);
    sds req = mbulk(2, "AUTH", pw);
    feed(c, req, sdslen(req), 0);
    ASSERT_LIT(collect_output(c), "-ERR invalid password\r\n");
    ck_assert(!(c->flags & CLIENT_CLOSE_AFTER_REPLY));

    client *d = new_client();
    expect_closed_with(d, "*2\r\n$4\r\nAUTH\r\n$16385\r\n", 22,
        "-ERR Protocol error: unauthenticated bulk length\r\n");
    /* A big-arg size is refused before any room is made for it. */
    client *e = new_client();
    uint64_t eid = e->id;
    feed_str(e, "*1\r\n$536870912\r\n");
    ck_assert_uint_lt(sdsalloc(find_client(eid)->querybuf), 1024 * 1024);
    ASSERT_LIT(collect(eid),
        "-ERR Protocol error: unauthenticated bulk length\r\n");
    ck_assert(!client_alive(eid));
    /* Over proto-max-bulk-len: the older error wins. */
    client *f = new_client();
    expect_closed_with(f, "*1\r\n$536870913\r\n", 16,
        "-ERR Protocol error: invalid bulk length\r\n");
    sdsfree(pw); sdsfree(req);
}
END_TEST

/* After AUTH: MSET with 11 arguments and a 16385-byte value both work; a wrong AUTH brings the limits back. */
START_TEST(test_unauth_limits_after_auth) {
    server.requirepass = zstrdup("pw");
    client *c = new_client();
    EXPECT(c, "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n", "+OK\r\n");
    EXPECT(c, "*11\r\n$4\r\nMSET\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"
              "$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n",
           "+OK\r\n");
    sds v = sds_repeat("v", 1, 16385);
    sds req = mbulk(3, "SET", "big", v);
    feed(c, req, sdslen(req), 0);
    ASSERT_LIT(collect_output(c), "+OK\r\n");
    EXPECT(c, "STRLEN big\r\n", ":16385\r\n");
    /* A failed AUTH logs the client out (authenticated = 0). */
    EXPECT(c, "AUTH nope\r\n", "-ERR invalid password\r\n");
    expect_closed_with(c, "*11\r\n", 5,
        "-ERR Protocol error: unauthenticated multibulk length\r\n");
    sdsfree(v); sdsfree(req);
}
END_TEST

/* Without requirepass there is no such limit: "*11" MSET -> "+OK". */
START_TEST(test_unauth_no_requirepass) {
    client *c = new_client();
    EXPECT(c, "*11\r\n$4\r\nMSET\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"
              "$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n",
           "+OK\r\n");
}
END_TEST

/* "POST / HTTP/1.1" + headers + "SET k v": no reply byte, SET never runs, the client is freed by the async queue. */
START_TEST(test_security_post) {
    client *c = new_client();
    uint64_t id = c->id;
    client *other = new_client();
    feed_str(c, "POST / HTTP/1.1\r\nHost: localhost:6379\r\n"
                "Content-Length: 9\r\n\r\nSET k v\r\n");
    ck_assert(client_alive(id));
    ck_assert(find_client(id)->flags & CLIENT_CLOSE_ASAP);
    ASSERT_LIT(collect(id), "");
    freeClientsInAsyncFreeQueue();
    ck_assert(!client_alive(id));
    EXPECT(other, "EXISTS k\r\n", ":0\r\n");
}
END_TEST

/* "Host:" (any case) as a multibulk command closes too; "POST" needs no arguments (arity -1). */
START_TEST(test_security_host) {
    client *c = new_client();
    uint64_t id = c->id;
    feed_str(c, "*2\r\n$5\r\nHOST:\r\n$1\r\nx\r\n*1\r\n$4\r\nPING\r\n");
    ck_assert(find_client(id)->flags & CLIENT_CLOSE_ASAP);
    ASSERT_LIT(collect(id), "");
    freeClientsInAsyncFreeQueue();
    ck_assert(!client_alive(id));

    client *d = new_client();
    uint64_t did = d->id;
    feed_str(d, "post\r\n");
    ASSERT_LIT(collect(did), "");
    freeClientsInAsyncFreeQueue();
    ck_assert(!client_alive(did));
}
END_TEST

/* requirepass set, unauthenticated: POST is refused by the AUTH check before it runs -> -NOAUTH, connection open. */
START_TEST(test_security_post_noauth) {
    server.requirepass = zstrdup("pw");
    client *c = new_client();
    EXPECT(c, "POST / HTTP/1.1\r\n", "-NOAUTH Authentication required.\r\n");
    ck_assert(!(c->flags & (CLIENT_CLOSE_ASAP | CLIENT_CLOSE_AFTER_REPLY)));
    EXPECT(c, "AUTH pw\r\n", "+OK\r\n");
    uint64_t id = c->id;
    feed_str(c, "POST / HTTP/1.1\r\n");
    ASSERT_LIT(collect(id), "");
    ck_assert(find_client(id)->flags & CLIENT_CLOSE_ASAP);
}
END_TEST

/* maxmemory 1 (always over): SET, INCR, APPEND -> -OOM; GET, DEL, EXISTS, PING, INFO still answer. */
START_TEST(test_oom_denyoom) {
    client *c = new_client();
    EXPECT(c, "SET k v\r\n", "+OK\r\n");
    server.maxmemory = 1;
    EXPECT(c, "SET k w\r\n",
           "-OOM command not allowed when used memory > 'maxmemory'.\r\n");
    EXPECT(c, "INCR n\r\n",
           "-OOM command not allowed when used memory > 'maxmemory'.\r\n");
    EXPECT(c, "APPEND k x\r\n",
           "-OOM command not allowed when used memory > 'maxmemory'.\r\n");
    EXPECT(c, "GET k\r\n", "$1\r\nv\r\n");
    EXPECT(c, "EXISTS k n\r\n", ":1\r\n");
    EXPECT(c, "PING\r\n", "+PONG\r\n");
    EXPECT(c, "DEL k\r\n", ":1\r\n");
    feed_str(c, "INFO memory\r\n");
    sds out = collect_output(c);
    ck_assert_ptr_nonnull(strstr(out, "\r\nmaxmemory:1\r\nmaxmemory_human:1B\r\n"
                                 "maxmemory_policy:noeviction\r\n"));
    sdsfree(out);
    /* A limit far above use: nothing refused. */
    server.maxmemory = 1ULL << 40;
    EXPECT(c, "SET k v\r\n", "+OK\r\n");
}
END_TEST

/* Over maxmemory inside MULTI: even GET is refused (-OOM) and EXEC aborts; EXEC itself is let through. */
START_TEST(test_oom_multi) {
    client *c = new_client();
    server.maxmemory = 1;
    EXPECT(c, "MULTI\r\nGET k\r\nEXEC\r\n",
           "+OK\r\n-OOM command not allowed when used memory > 'maxmemory'.\r\n"
           "-EXECABORT Transaction discarded because of previous errors.\r\n");
    server.maxmemory = 0;
    EXPECT(c, "MULTI\r\nGET k\r\nEXEC\r\n", "+OK\r\n+QUEUED\r\n*1\r\n$-1\r\n");
}
END_TEST

/* requirepass and maxmemory: an unauthenticated SET gets -NOAUTH, not -OOM (AUTH is checked first). */
START_TEST(test_oom_after_auth_check) {
    server.requirepass = zstrdup("pw");
    server.maxmemory = 1;
    client *c = new_client();
    EXPECT(c, "SET k v\r\n", "-NOAUTH Authentication required.\r\n");
    EXPECT(c, "AUTH pw\r\nSET k v\r\n", "+OK\r\n"
           "-OOM command not allowed when used memory > 'maxmemory'.\r\n");
}
END_TEST

/** Fill a client's output with 20,000 "+PONG\r\n" and make one
 *  writeToClient call; return the bytes it wrote in that call. */
static size_t one_write_call_of_pongs(uint64_t *idp) {
    client *c = new_client();
    uint64_t id = c->id;
    fakeConn *fc = conn_of(id);
    sds pings = sds_repeat("PING\r\n", 6, 20000);

    feed(c, pings, sdslen(pings), 0);
    sdsfree(pings);
    mark_write_event(id);
    writeToClient(c->fd, c, 0);
    *idp = id;
    return fc->event_written;
}

/* 140,000 bytes of replies: under maxmemory one writeToClient stops past 64 KB; over it, all is written at once. */
START_TEST(test_oom_write_cap_lifted) {
    uint64_t id;
    size_t n;

    server.maxmemory = 1ULL << 40; /* set, but not reached: cap applies */
    n = one_write_call_of_pongs(&id);
    ck_assert_uint_gt(n, NET_MAX_WRITES_PER_EVENT);
    ck_assert_uint_lt(n, 7 * 20000);
    ck_assert(clientHasPendingReplies(find_client(id)));

    server.maxmemory = 1; /* over: the cap is lifted */
    n = one_write_call_of_pongs(&id);
    ck_assert_uint_eq(n, 7 * 20000);
    ck_assert(!clientHasPendingReplies(find_client(id)));
}
END_TEST

/* "KEYS" with the 2-byte pattern "*\0" matches only keys ending in NUL, not all keys; "*" matches all. */
START_TEST(test_keys_star_nul) {
    client *c = new_client();
    EXPECT(c, "SET a 1\r\n", "+OK\r\n");
    EXPECT(c, "*2\r\n$4\r\nKEYS\r\n$2\r\n*\0\r\n", "*0\r\n");
    EXPECT(c, "*3\r\n$3\r\nSET\r\n$2\r\nb\0\r\n$1\r\n2\r\n", "+OK\r\n");
    EXPECT(c, "*2\r\n$4\r\nKEYS\r\n$2\r\n*\0\r\n", "*1\r\n$2\r\nb\0\r\n");
    feed_str(c, "KEYS *\r\n");
    sds out = collect_output(c);
    ck_assert(!strncmp(out, "*2\r\n", 4));
    sdsfree(out);
}
END_TEST

/* "SET k v PX 5", 6 ms later: KEYS * -> "*0", DBSIZE -> ":1" (KEYS deletes nothing), GET -> nil, then DBSIZE ":0". */
START_TEST(test_keys_skips_expired) {
    server.clock_frozen = 1; /* call() must not reset the clock we move */
    client *c = new_client();
    EXPECT(c, "SET k v PX 5\r\nSET p v\r\n", "+OK\r\n+OK\r\n");
    server.mstime += 6;
    EXPECT(c, "KEYS k\r\n", "*0\r\n");
    EXPECT(c, "KEYS *\r\n", "*1\r\n$1\r\np\r\n");
    EXPECT(c, "DBSIZE\r\n", ":2\r\n");
    ck_assert_int_eq(server.stat_expiredkeys, 0);
    EXPECT(c, "GET k\r\n", "$-1\r\n");
    EXPECT(c, "DBSIZE\r\n", ":1\r\n");
}
END_TEST

/* CONFIG SET proto-max-bulk-len: "", "0", "10", "1048575" and LONG_MAX/2+1 refused; "1048576" and "1mb" accepted. */
START_TEST(test_config_proto_max_bulk_len) {
    client *c = new_client();
    EXPECT(c, "CONFIG SET proto-max-bulk-len \"\"\r\n",
           "-ERR Invalid argument '' for CONFIG SET 'proto-max-bulk-len'\r\n");
    EXPECT(c, "CONFIG SET proto-max-bulk-len 0\r\n",
           "-ERR Invalid argument '0' for CONFIG SET 'proto-max-bulk-len'\r\n");
    EXPECT(c, "CONFIG SET proto-max-bulk-len 10\r\n",
           "-ERR Invalid argument '10' for CONFIG SET 'proto-max-bulk-len'\r\n");
    EXPECT(c, "CONFIG SET proto-max-bulk-len 1048575\r\n",
           "-ERR Invalid argument '1048575' for CONFIG SET 'proto-max-bulk-len'\r\n");
    EXPECT(c, "CONFIG SET proto-max-bulk-len 4611686018427387904\r\n",
           "-ERR Invalid argument '4611686018427387904' for CONFIG SET "
           "'proto-max-bulk-len'\r\n");
    ck_assert_int_eq(server.proto_max_bulk_len, 512ll * 1024 * 1024);
    EXPECT(c, "CONFIG SET proto-max-bulk-len 4611686018427387903\r\n", "+OK\r\n");
    EXPECT(c, "CONFIG SET proto-max-bulk-len 1mb\r\n", "+OK\r\n");
    ck_assert_int_eq(server.proto_max_bulk_len, 1024 * 1024);
    EXPECT(c, "CONFIG SET proto-max-bulk-len 1048576\r\n", "+OK\r\n");
    /* The connection still parses multibulk requests. */
    EXPECT(c, "*1\r\n$4\r\nPING\r\n", "+PONG\r\n");
}
END_TEST

/* CONFIG SET hz: 2147483648 and -1 refused; 2147483647 accepted and clamped to 500; 0 -> 1. */
START_TEST(test_config_hz) {
    client *c = new_client();
    EXPECT(c, "CONFIG SET hz 2147483648\r\n",
           "-ERR Invalid argument '2147483648' for CONFIG SET 'hz'\r\n");
    EXPECT(c, "CONFIG SET hz -1\r\n",
           "-ERR Invalid argument '-1' for CONFIG SET 'hz'\r\n");
    EXPECT(c, "CONFIG SET hz 2147483647\r\nCONFIG GET hz\r\n",
           "+OK\r\n*2\r\n$2\r\nhz\r\n$3\r\n500\r\n");
    EXPECT(c, "CONFIG SET hz 0\r\nCONFIG GET hz\r\n",
           "+OK\r\n*2\r\n$2\r\nhz\r\n$1\r\n1\r\n");
}
END_TEST

/* timeout / tcp-keepalive: INT_MAX accepted, INT_MAX+1 refused. */
START_TEST(test_config_int_max_bounds) {
    client *c = new_client();
    EXPECT(c, "CONFIG SET timeout 2147483647\r\n", "+OK\r\n");
    EXPECT(c, "CONFIG SET timeout 2147483648\r\n",
           "-ERR Invalid argument '2147483648' for CONFIG SET 'timeout'\r\n");
    EXPECT(c, "CONFIG SET tcp-keepalive 2147483647\r\n", "+OK\r\n");
    EXPECT(c, "CONFIG SET tcp-keepalive 2147483648\r\n",
           "-ERR Invalid argument '2147483648' for CONFIG SET 'tcp-keepalive'\r\n");
}
END_TEST

/* client-output-buffer-limit soft seconds go through an int: 2147483648 reads back as -2147483648, 4294967297 as 1. */
START_TEST(test_config_obuf_soft_seconds_int) {
    client *c = new_client();
    EXPECT(c, "CONFIG SET client-output-buffer-limit \"normal 0 0 2147483648\"\r\n",
           "+OK\r\n");
    ck_assert_int_eq(server.client_obuf_limits[CLIENT_TYPE_NORMAL].soft_limit_seconds,
                     -2147483648LL);
    EXPECT(c, "CONFIG SET client-output-buffer-limit \"normal 0 0 4294967297\"\r\n",
           "+OK\r\n");
    ck_assert_int_eq(server.client_obuf_limits[CLIENT_TYPE_NORMAL].soft_limit_seconds, 1);
}
END_TEST

/* CONFIG SET/GET maxmemory with units, maxmemory-policy: noeviction only, other known policies refused by name. */
START_TEST(test_config_maxmemory) {
    client *c = new_client();
    EXPECT(c, "CONFIG GET maxmemory\r\n", "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n");
    EXPECT(c, "CONFIG SET maxmemory 100mb\r\nCONFIG GET maxmemory\r\n",
           "+OK\r\n*2\r\n$9\r\nmaxmemory\r\n$9\r\n104857600\r\n");
    EXPECT(c, "CONFIG SET maxmemory 1k\r\n", "+OK\r\n");
    ck_assert_uint_eq(server.maxmemory, 1000);
    EXPECT(c, "CONFIG SET maxmemory -1\r\n",
           "-ERR Invalid argument '-1' for CONFIG SET 'maxmemory'\r\n");
    EXPECT(c, "CONFIG SET maxmemory 1xb\r\n",
           "-ERR Invalid argument '1xb' for CONFIG SET 'maxmemory'\r\n");
    EXPECT(c, "CONFIG SET maxmemory 0\r\n", "+OK\r\n");
    EXPECT(c, "CONFIG GET maxmemory-policy\r\n",
           "*2\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n");
    EXPECT(c, "CONFIG SET maxmemory-policy NOEVICTION\r\n", "+OK\r\n");
    EXPECT(c, "CONFIG SET maxmemory-policy lru\r\n",
           "-ERR Invalid argument 'lru' for CONFIG SET 'maxmemory-policy'\r\n");
    feed_str(c, "CONFIG SET maxmemory-policy allkeys-lru\r\n");
    sds out = collect_output(c);
    ck_assert_msg(!strncmp(out, "-ERR Unsupported maxmemory-policy 'allkeys-lru': "
                           "minired implements only maxmemory-policy noeviction", 97),
                  "%s", out);
    sdsfree(out);
    ck_assert_int_eq(server.maxmemory_policy, MAXMEMORY_NO_EVICTION);
}
END_TEST

/* The fast cycle does nothing unless the previous cycle stopped on its time limit; the slow one expires. */
START_TEST(test_fast_expire_cycle_gated) {
    server.clock_frozen = 1;
    client *c = new_client();
    redisDb *db = &server.db[0];
    EXPECT(c, "SET a 1 PX 5\r\nSET b 1 PX 5\r\nSET c 1 PX 5\r\n",
           "+OK\r\n+OK\r\n+OK\r\n");
    server.mstime += 6;
    /* 3 keys in one db: far fewer than 16 samplings, so the time limit is
     * never even read and cannot have been hit. */
    activeExpireCycle(ACTIVE_EXPIRE_CYCLE_FAST);
    beforeSleep(server.el);
    ck_assert_int_eq(dictSize(db->dict), 3);
    activeExpireCycle(ACTIVE_EXPIRE_CYCLE_SLOW);
    ck_assert_int_eq(dictSize(db->dict), 0);
    ck_assert_int_eq(server.stat_expiredkeys, 3);
}
END_TEST

/**
 * @brief Build the suite.
 * @return The suite.
 */
static Suite *security_suite(void) {
    Suite *s = suite_create("pipeline_security");
    TCase *tc = tcase_create("security");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_unauth_mbulk_count);
    tcase_add_test(tc, test_unauth_mbulk_order);
    tcase_add_test(tc, test_unauth_bulk_len);
    tcase_add_test(tc, test_unauth_limits_after_auth);
    tcase_add_test(tc, test_unauth_no_requirepass);
    tcase_add_test(tc, test_security_post);
    tcase_add_test(tc, test_security_host);
    tcase_add_test(tc, test_security_post_noauth);
    tcase_add_test(tc, test_oom_denyoom);
    tcase_add_test(tc, test_oom_multi);
    tcase_add_test(tc, test_oom_after_auth_check);
    tcase_add_test(tc, test_oom_write_cap_lifted);
    tcase_add_test(tc, test_keys_star_nul);
    tcase_add_test(tc, test_keys_skips_expired);
    tcase_add_test(tc, test_config_proto_max_bulk_len);
    tcase_add_test(tc, test_config_hz);
    tcase_add_test(tc, test_config_int_max_bounds);
    tcase_add_test(tc, test_config_obuf_soft_seconds_int);
    tcase_add_test(tc, test_config_maxmemory);
    tcase_add_test(tc, test_fast_expire_cycle_gated);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the security tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(security_suite());
}
