/**
 * @file test_pipeline_states.c
 * @brief Client states that change what a connection receives: CLIENT
 *        REPLY ON|OFF|SKIP, MONITOR, and pattern subscriptions
 *        (PSUBSCRIBE / PUNSUBSCRIBE / PUBSUB), through the whole pipeline.
 *
 * Where it sits: raw bytes enter through readQueryFromClient (fake read),
 * run through the parser, processCommand, call() and the commands, and
 * leave through writeToClient (fake write), exactly as in
 * test_pipeline_commands.c. Here the interesting part is *which* bytes
 * reach c->buf: prepareClientToWrite() refuses them for CLIENT REPLY
 * OFF/SKIP; call() adds MONITOR lines to other clients; PUBLISH adds
 * pmessage frames to pattern subscribers.
 *
 * Expected bytes are Redis 5.0.14's (networking.c clientCommand and
 * resetClient, replication.c replicationFeedMonitors, server.c
 * monitorCommand, pubsub.c). The clock is frozen at 1700000000.123 s so
 * MONITOR lines are exact; fake clients have no socket, so their peer id
 * is the one getClientPeerId() gives an fd -1 client.
 */
#include "pipeline_harness.c"

/** Freeze the cached clock: MONITOR prints it as "1700000000.123000". */
static void freeze_clock(void) {
    server.clock_frozen = 1;
    server.mstime = 1700000000123LL;
    server.unixtime = 1700000000;
}

/** "+1700000000.123000 [0 <peer of c>] " + args + "\r\n", for comparing. */
static sds monitor_line(client *c, int db, const char *args) {
    return sdscatprintf(sdsempty(), "+1700000000.123000 [%d %s] %s\r\n", db,
                        getClientPeerId(c), args);
}

/** Assert that what @p id received equals the sds @p exp (freed). */
#define ASSERT_SDS(got, exp) do {                                            \
        sds _x = (exp);                                                      \
        ASSERT_BYTES((got), _x, sdslen(_x));                                 \
        sdsfree(_x);                                                         \
    } while (0)

/* ---- CLIENT REPLY ---- */

/* OFF: nothing at all comes back, not even OFF's own reply, until ON,
 * which replies "+OK". No byte ever reaches c->buf or c->reply meanwhile. */
START_TEST(test_reply_off_on) {
    client *c = new_client();
    const char *in = "CLIENT REPLY OFF\r\nSET k v\r\nGET k\r\nNOSUCH\r\n";

    feed(c, in, strlen(in), 0);
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_int_eq(listLength(c->reply), 0);
    ck_assert(!(c->flags & CLIENT_PENDING_WRITE));
    ck_assert(c->flags & CLIENT_REPLY_OFF);
    ASSERT_LIT(collect(c->id), "");
    EXPECT(c, "CLIENT REPLY ON\r\nGET k\r\n", "+OK\r\n$1\r\nv\r\n");
    ck_assert(!(c->flags & CLIENT_REPLY_OFF));
}
END_TEST

/* SKIP drops exactly the next command's reply: INCR a twice -> ":2" only.
 * The same bytes one byte per read give the same result. */
START_TEST(test_reply_skip) {
    const char *in = "CLIENT REPLY SKIP\r\nINCR a\r\nINCR a\r\n";
    client *c = new_client();

    EXPECT(c, "FLUSHALL\r\n", "+OK\r\n");
    EXPECT(c, "CLIENT REPLY SKIP\r\nINCR a\r\nINCR a\r\n", ":2\r\n");
    ck_assert(!(c->flags & (CLIENT_REPLY_SKIP | CLIENT_REPLY_SKIP_NEXT)));
    feed(c, in, strlen(in), 1);
    ASSERT_LIT(collect(c->id), ":4\r\n");
    /* Multibulk too, split inside the skipped command. */
    const char *mb = "*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n"
                     "*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n*2\r\n$4\r\nECHO\r\n$1\r\ny\r\n";
    feed(c, mb, strlen(mb), 7);
    ASSERT_LIT(collect(c->id), "$1\r\ny\r\n");
}
END_TEST

/* The SKIP clock, Redis 5.0.14's quirks: an empty request uses the skip
 * up (resetClient runs for argc 0 too); "CLIENT REPLY ON" as the skipped
 * command still replies (it clears REPLY_SKIP before addReply); SKIP while
 * OFF does nothing, so after ON every reply flows. */
START_TEST(test_reply_skip_quirks) {
    client *c = new_client();

    EXPECT(c, "CLIENT REPLY SKIP\r\n\r\nPING\r\n", "+PONG\r\n");
    EXPECT(c, "CLIENT REPLY SKIP\r\nCLIENT REPLY ON\r\nPING\r\n",
           "+OK\r\n+PONG\r\n");
    EXPECT(c, "CLIENT REPLY OFF\r\nCLIENT REPLY SKIP\r\nPING\r\n"
              "CLIENT REPLY ON\r\nPING\r\n", "+OK\r\n+PONG\r\n");
    /* SKIP twice in a row: the second SKIP is the skipped command and
     * arms the skip again, so the first PING is dropped too. */
    EXPECT(c, "CLIENT REPLY SKIP\r\nCLIENT REPLY SKIP\r\nPING\r\nPING\r\n",
           "+PONG\r\n");
}
END_TEST

/* Bad mode: "-ERR syntax error" (dropped while OFF); no mode: the CLIENT
 * unknown-subcommand text. Case-insensitive modes. */
START_TEST(test_reply_errors) {
    client *c = new_client();

    EXPECT(c, "CLIENT REPLY FOO\r\n", "-ERR syntax error\r\n");
    EXPECT(c, "CLIENT REPLY\r\n", "-ERR Unknown subcommand or wrong number "
           "of arguments for 'REPLY'. Try CLIENT HELP\r\n");
    EXPECT(c, "CLIENT REPLY on x\r\n", "-ERR Unknown subcommand or wrong "
           "number of arguments for 'REPLY'. Try CLIENT HELP\r\n");
    EXPECT(c, "client reply Off\r\nCLIENT REPLY FOO\r\nclient reply oN\r\n",
           "+OK\r\n");
}
END_TEST

/* Messages pushed by other clients go through the same gate: a subscriber
 * with replies off receives nothing; the publisher still counts it. */
START_TEST(test_reply_off_subscriber) {
    client *sub = new_client();
    client *pub = new_client();

    EXPECT(sub, "CLIENT REPLY OFF\r\nSUBSCRIBE ch.off\r\n", "");
    EXPECT(pub, "PUBLISH ch.off hi\r\n", ":1\r\n");
    ASSERT_LIT(collect(sub->id), "");
    EXPECT(sub, "UNSUBSCRIBE\r\nCLIENT REPLY ON\r\n", "+OK\r\n");
}
END_TEST

/* ---- MONITOR ---- */

/* "+OK", flags SLAVE|MONITOR (CLIENT LIST flags=O), a normal client for
 * CLIENT LIST TYPE and output limits; a second MONITOR gets no reply. */
START_TEST(test_monitor_basic) {
    client *m = new_client();

    EXPECT(m, "MONITOR\r\n", "+OK\r\n");
    ck_assert((m->flags & (CLIENT_SLAVE | CLIENT_MONITOR)) ==
              (CLIENT_SLAVE | CLIENT_MONITOR));
    ck_assert_int_eq(listLength(server.monitors), 1);
    ck_assert_int_eq(getClientType(m), CLIENT_TYPE_NORMAL);
    sds info = catClientInfoString(sdsempty(), m);
    ck_assert_msg(strstr(info, " flags=O ") != NULL, "%s", info);
    sdsfree(info);
    EXPECT(m, "MONITOR\r\n", "");
    ck_assert_int_eq(listLength(server.monitors), 1);
}
END_TEST

/* Exact line format: arguments as sent, sdscatrepr quoting (CR LF and
 * binary bytes escaped), the db number after SELECT. */
START_TEST(test_monitor_format) {
    client *m = new_client();
    client *c = new_client();

    freeze_clock();
    EXPECT(m, "MONITOR\r\n", "+OK\r\n");
    EXPECT(c, "set k v\r\n", "+OK\r\n");
    ASSERT_SDS(collect(m->id), monitor_line(c, 0, "\"set\" \"k\" \"v\""));
    EXPECT(c, "*2\r\n$4\r\nECHO\r\n$5\r\na\r\n\x01\"\r\n",
           "$5\r\na\r\n\x01\"\r\n");
    ASSERT_SDS(collect(m->id), monitor_line(c, 0,
                                            "\"ECHO\" \"a\\r\\n\\x01\\\"\""));
    EXPECT(c, "SELECT 3\r\nGET x\r\n", "+OK\r\n$-1\r\n");
    sds exp = monitor_line(c, 0, "\"SELECT\" \"3\"");
    sds l2 = monitor_line(c, 3, "\"GET\" \"x\"");
    exp = sdscatsds(exp, l2);
    sdsfree(l2);
    ASSERT_SDS(collect(m->id), exp);
}
END_TEST

/* A unix socket client shows "[0 unix:<path>]", not its peer. */
START_TEST(test_monitor_unix) {
    client *m = new_client();
    client *c = new_client();

    freeze_clock();
    server.unixsocket = zstrdup("/tmp/minired-test.sock");
    c->flags |= CLIENT_UNIX_SOCKET;
    EXPECT(m, "MONITOR\r\n", "+OK\r\n");
    EXPECT(c, "PING\r\n", "+PONG\r\n");
    ASSERT_LIT(collect(m->id), "+1700000000.123000 "
               "[0 unix:/tmp/minired-test.sock] \"PING\"\r\n");
}
END_TEST

/* Admin commands (flag 'a': CLIENT, CONFIG, DEBUG, MONITOR) are not fed;
 * unknown commands and arity errors never reach call() so are not fed. */
START_TEST(test_monitor_skips_admin) {
    client *m = new_client();
    client *c = new_client();

    freeze_clock();
    EXPECT(m, "MONITOR\r\n", "+OK\r\n");
    EXPECT(c, "CLIENT SETNAME x\r\nCONFIG GET port\r\nMONITOR\r\n"
              "NOSUCH\r\nGET\r\n",
           "+OK\r\n*2\r\n$4\r\nport\r\n$1\r\n0\r\n+OK\r\n"
           "-ERR unknown command `NOSUCH`, with args beginning with: \r\n"
           "-ERR wrong number of arguments for 'get' command\r\n");
    ASSERT_LIT(collect(m->id), "");
}
END_TEST

/* MULTI / queued commands / EXEC are fed in the order they take effect:
 * "MULTI" when it runs, each queued command when EXEC calls it, "EXEC"
 * last (EXEC is 'M': fed by execCommand, not by call). */
START_TEST(test_monitor_exec_order) {
    client *m = new_client();
    client *c = new_client();

    freeze_clock();
    EXPECT(m, "MONITOR\r\n", "+OK\r\n");
    EXPECT(c, "MULTI\r\nINCR n\r\n", "+OK\r\n+QUEUED\r\n");
    ASSERT_SDS(collect(m->id), monitor_line(c, 0, "\"MULTI\""));
    EXPECT(c, "EXEC\r\n", "*1\r\n:1\r\n");
    sds exp = monitor_line(c, 0, "\"INCR\" \"n\"");
    sds l2 = monitor_line(c, 0, "\"EXEC\"");
    exp = sdscatsds(exp, l2);
    sdsfree(l2);
    ASSERT_SDS(collect(m->id), exp);
}
END_TEST

/* Two monitors both get the line; a monitor's own command is fed to it
 * (line first, then its reply). Freeing a monitor takes it off the list. */
START_TEST(test_monitor_fanout_and_free) {
    client *m1 = new_client();
    client *m2 = new_client();
    client *c = new_client();

    freeze_clock();
    EXPECT(m1, "MONITOR\r\n", "+OK\r\n");
    EXPECT(m2, "MONITOR\r\n", "+OK\r\n");
    EXPECT(c, "PING\r\n", "+PONG\r\n");
    ASSERT_SDS(collect(m1->id), monitor_line(c, 0, "\"PING\""));
    ASSERT_SDS(collect(m2->id), monitor_line(c, 0, "\"PING\""));

    sds exp = monitor_line(m1, 0, "\"ECHO\" \"me\"");
    uint64_t id1 = m1->id;
    feed_str(m1, "ECHO me\r\n");
    exp = sdscat(exp, "$2\r\nme\r\n");
    ASSERT_SDS(collect(id1), exp);
    ASSERT_SDS(collect(m2->id), monitor_line(m1, 0, "\"ECHO\" \"me\""));

    ck_assert_int_eq(feed_eof(m1), 0);
    ck_assert(!client_alive(id1));
    ck_assert_int_eq(listLength(server.monitors), 1);
    EXPECT(c, "PING\r\n", "+PONG\r\n");
    ASSERT_SDS(collect(m2->id), monitor_line(c, 0, "\"PING\""));
}
END_TEST

/* MONITOR inside MULTI (5.0.14 has no check): queued, its "+OK" is in
 * EXEC's array, and the client, a monitor by then, is fed "EXEC". */
START_TEST(test_monitor_inside_multi) {
    client *c = new_client();

    freeze_clock();
    EXPECT(c, "MULTI\r\nMONITOR\r\n", "+OK\r\n+QUEUED\r\n");
    feed_str(c, "EXEC\r\n");
    sds exp = sdsnew("*1\r\n+OK\r\n");
    sds l2 = monitor_line(c, 0, "\"EXEC\"");
    exp = sdscatsds(exp, l2);
    sdsfree(l2);
    ASSERT_SDS(collect(c->id), exp);
    ck_assert(c->flags & CLIENT_MONITOR);
}
END_TEST

/* Monitors are never closed for idleness (clientsCronHandleTimeout skips
 * CLIENT_SLAVE), nor are pattern-only subscribers (CLIENT_PUBSUB); a plain
 * idle client is. */
START_TEST(test_monitor_no_timeout) {
    client *m = new_client();
    client *p = new_client();
    client *c = new_client();
    uint64_t cid = c->id;

    EXPECT(m, "MONITOR\r\n", "+OK\r\n");
    EXPECT(p, "PSUBSCRIBE idle*\r\n",
           "*3\r\n$10\r\npsubscribe\r\n$5\r\nidle*\r\n:1\r\n");
    server.maxidletime = 1;
    m->lastinteraction = c->lastinteraction = server.unixtime - 100;
    p->lastinteraction = server.unixtime - 100;
    ck_assert_int_eq(clientsCronHandleTimeout(m, server.mstime), 0);
    ck_assert_int_eq(clientsCronHandleTimeout(p, server.mstime), 0);
    ck_assert_int_eq(clientsCronHandleTimeout(c, server.mstime), 1);
    ck_assert(!client_alive(cid));
    server.maxidletime = 0;
}
END_TEST

/* NET_MAX_WRITES_PER_EVENT (64 KB) does not cap a monitor, as in Redis
 * 5.0 (writeToClient skips the cap for CLIENT_SLAVE): two 70,000-byte
 * ECHOs leave in one write pass to the monitor, while the client that sent
 * them, a normal client, still has bytes pending after the same pass. */
START_TEST(test_monitor_write_not_capped) {
    client *m = new_client();
    client *c = new_client();
    uint64_t mid = m->id, cid = c->id;
    sds big = sds_repeat("y", 1, 70000);
    sds req = sdscatprintf(sdsempty(), "*2\r\n$4\r\nECHO\r\n$70000\r\n%s\r\n",
                           big);

    EXPECT(m, "MONITOR\r\n", "+OK\r\n");
    req = sdscatsds(req, req);
    feed(c, req, sdslen(req), 0);
    ck_assert_int_ge(listLength(m->reply), 2);
    mark_write_event(mid);
    mark_write_event(cid);
    handleClientsWithPendingWrites();
    ck_assert_msg(!clientHasPendingReplies(m), "monitor capped at %zu bytes",
                  conn_of(mid)->event_written);
    ck_assert_int_gt(conn_of(mid)->event_written, 140000);
    ck_assert_msg(clientHasPendingReplies(c), "normal client not capped");
    sds got = collect(cid);
    ck_assert_int_eq(sdslen(got), 2 * (70000 + 10));
    sdsfree(got);
    sdsfree(collect(mid));
    sdsfree(big);
    sdsfree(req);
}
END_TEST

/* ---- PSUBSCRIBE / PUNSUBSCRIBE / PUBSUB ---- */

/* Confirmations count channels plus patterns; PUBLISH delivers "message"
 * for the channel, then "pmessage" per matching pattern, counting each. */
START_TEST(test_psubscribe_publish) {
    client *sub = new_client();
    client *pub = new_client();

    EXPECT(sub, "SUBSCRIBE news.it\r\nPSUBSCRIBE news.* x?\r\n",
           "*3\r\n$9\r\nsubscribe\r\n$7\r\nnews.it\r\n:1\r\n"
           "*3\r\n$10\r\npsubscribe\r\n$6\r\nnews.*\r\n:2\r\n"
           "*3\r\n$10\r\npsubscribe\r\n$2\r\nx?\r\n:3\r\n");
    ck_assert_int_eq(getClientType(sub), CLIENT_TYPE_PUBSUB);
    EXPECT(pub, "PUBLISH news.it hi\r\n", ":2\r\n");
    ASSERT_LIT(collect(sub->id),
               "*3\r\n$7\r\nmessage\r\n$7\r\nnews.it\r\n$2\r\nhi\r\n"
               "*4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$7\r\nnews.it\r\n"
               "$2\r\nhi\r\n");
    EXPECT(pub, "PUBLISH xy 1\r\nPUBLISH xyz 2\r\nPUBLISH NEWS.it 3\r\n",
           ":1\r\n:0\r\n:0\r\n");
    ASSERT_LIT(collect(sub->id),
               "*4\r\n$8\r\npmessage\r\n$2\r\nx?\r\n$2\r\nxy\r\n$1\r\n1\r\n");
    /* Same pattern twice: one subscription, confirmed with the same count. */
    EXPECT(sub, "PSUBSCRIBE x?\r\n",
           "*3\r\n$10\r\npsubscribe\r\n$2\r\nx?\r\n:3\r\n");
}
END_TEST

/* PUNSUBSCRIBE compares bytes, not globs; without arguments it drops all
 * patterns (subscription order), and with none a nil pattern is replied.
 * Pub/sub mode ends when channels and patterns are both gone. */
START_TEST(test_punsubscribe) {
    client *sub = new_client();

    EXPECT(sub, "PSUBSCRIBE a* b*\r\nSUBSCRIBE c\r\n",
           "*3\r\n$10\r\npsubscribe\r\n$2\r\na*\r\n:1\r\n"
           "*3\r\n$10\r\npsubscribe\r\n$2\r\nb*\r\n:2\r\n"
           "*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:3\r\n");
    EXPECT(sub, "PUNSUBSCRIBE a\r\n",
           "*3\r\n$12\r\npunsubscribe\r\n$1\r\na\r\n:3\r\n");
    EXPECT(sub, "GET k\r\n", "-ERR only (P)SUBSCRIBE / (P)UNSUBSCRIBE / "
           "PING / QUIT allowed in this context\r\n");
    EXPECT(sub, "PUNSUBSCRIBE\r\n",
           "*3\r\n$12\r\npunsubscribe\r\n$2\r\na*\r\n:2\r\n"
           "*3\r\n$12\r\npunsubscribe\r\n$2\r\nb*\r\n:1\r\n");
    EXPECT(sub, "PUNSUBSCRIBE\r\n",
           "*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:1\r\n");
    ck_assert(sub->flags & CLIENT_PUBSUB);
    EXPECT(sub, "UNSUBSCRIBE\r\n",
           "*3\r\n$11\r\nunsubscribe\r\n$1\r\nc\r\n:0\r\n");
    ck_assert(!(sub->flags & CLIENT_PUBSUB));
    ck_assert_int_eq(listLength(server.pubsub_patterns), 0);
    EXPECT(sub, "PING\r\n", "+PONG\r\n");
}
END_TEST

/* A pattern-only subscriber is in pub/sub mode: PSUBSCRIBE/PUNSUBSCRIBE/
 * PING allowed, others refused; UNSUBSCRIBE with nothing gives ":1" left. */
START_TEST(test_psubscribe_context) {
    client *sub = new_client();

    EXPECT(sub, "PSUBSCRIBE p*\r\n",
           "*3\r\n$10\r\npsubscribe\r\n$2\r\np*\r\n:1\r\n");
    EXPECT(sub, "SET k v\r\n", "-ERR only (P)SUBSCRIBE / (P)UNSUBSCRIBE / "
           "PING / QUIT allowed in this context\r\n");
    EXPECT(sub, "UNSUBSCRIBE\r\n",
           "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:1\r\n");
    EXPECT(sub, "PUNSUBSCRIBE p*\r\nSET k v\r\n",
           "*3\r\n$12\r\npunsubscribe\r\n$2\r\np*\r\n:0\r\n+OK\r\n");
}
END_TEST

/* Freeing a pattern subscriber removes its entries: NUMPAT drops, PUBLISH
 * finds nobody (no write to freed memory). */
START_TEST(test_psubscriber_gone) {
    client *a = new_client();
    client *b = new_client();
    client *pub = new_client();
    uint64_t ida = a->id;

    EXPECT(a, "PSUBSCRIBE g*\r\n",
           "*3\r\n$10\r\npsubscribe\r\n$2\r\ng*\r\n:1\r\n");
    EXPECT(b, "PSUBSCRIBE g*\r\n",
           "*3\r\n$10\r\npsubscribe\r\n$2\r\ng*\r\n:1\r\n");
    EXPECT(pub, "PUBSUB NUMPAT\r\n", ":2\r\n");
    ck_assert_int_eq(feed_eof(a), 0);
    ck_assert(!client_alive(ida));
    EXPECT(pub, "PUBSUB NUMPAT\r\nPUBLISH go x\r\n", ":1\r\n:1\r\n");
    ASSERT_LIT(collect(b->id),
               "*4\r\n$8\r\npmessage\r\n$2\r\ng*\r\n$2\r\ngo\r\n$1\r\nx\r\n");
}
END_TEST

/* PUBSUB CHANNELS [pattern], NUMSUB (patterns not counted), NUMPAT, HELP
 * and the errors. */
START_TEST(test_pubsub_command) {
    client *sub = new_client();
    client *c = new_client();

    EXPECT(sub, "SUBSCRIBE ps.one\r\nPSUBSCRIBE ps.*\r\n",
           "*3\r\n$9\r\nsubscribe\r\n$6\r\nps.one\r\n:1\r\n"
           "*3\r\n$10\r\npsubscribe\r\n$4\r\nps.*\r\n:2\r\n");
    EXPECT(c, "PUBSUB CHANNELS\r\n", "*1\r\n$6\r\nps.one\r\n");
    EXPECT(c, "PUBSUB CHANNELS ps.o*\r\nPUBSUB CHANNELS zz*\r\n",
           "*1\r\n$6\r\nps.one\r\n*0\r\n");
    EXPECT(c, "PUBSUB NUMSUB ps.one ps.* nope\r\n",
           "*6\r\n$6\r\nps.one\r\n:1\r\n$4\r\nps.*\r\n:0\r\n$4\r\nnope\r\n:0\r\n");
    EXPECT(c, "PUBSUB NUMSUB\r\nPUBSUB NUMPAT\r\n", "*0\r\n:1\r\n");
    EXPECT(c, "PUBSUB NUMPAT x\r\n", "-ERR Unknown subcommand or wrong "
           "number of arguments for 'NUMPAT'. Try PUBSUB HELP.\r\n");
    EXPECT(c, "PUBSUB CHANNELS a b\r\n", "-ERR Unknown subcommand or wrong "
           "number of arguments for 'CHANNELS'. Try PUBSUB HELP.\r\n");
    EXPECT(c, "PUBSUB\r\n",
           "-ERR wrong number of arguments for 'pubsub' command\r\n");
    EXPECT(c, "PUBSUB help\r\n",
           "*4\r\n"
           "+PUBSUB <subcommand> arg arg ... arg. Subcommands are:\r\n"
           "+CHANNELS [<pattern>] -- Return the currently active channels "
           "matching a pattern (default: all).\r\n"
           "+NUMPAT -- Return number of subscriptions to patterns.\r\n"
           "+NUMSUB [channel-1 .. channel-N] -- Returns the number of "
           "subscribers for the specified channels (excluding patterns, "
           "default: none).\r\n");
}
END_TEST

/* client-output-buffer-limit's pubsub class covers pattern subscribers:
 * with "pubsub 1024 0 0", a 20,000-byte pmessage spills into the reply
 * list past 1 KB, over the pubsub hard limit (the normal class, unlimited,
 * would not be). The fake client has fd -1, which
 * asyncCloseClientOnOutputBufferLimitReached skips as Redis does, so the
 * check itself is asked. */
START_TEST(test_psubscriber_obuf_limit) {
    client *sub = new_client();
    clientBufferLimitsConfig saved =
        server.client_obuf_limits[CLIENT_TYPE_PUBSUB];

    EXPECT(sub, "PSUBSCRIBE big*\r\n",
           "*3\r\n$10\r\npsubscribe\r\n$4\r\nbig*\r\n:1\r\n");
    server.client_obuf_limits[CLIENT_TYPE_PUBSUB].hard_limit_bytes = 1024;
    server.client_obuf_limits[CLIENT_TYPE_PUBSUB].soft_limit_bytes = 0;
    sds big = sds_repeat("x", 1, 20000);
    robj *ch = createStringObject("bigger", 6);
    robj *msg = createObject(OBJ_STRING, big);
    ck_assert_int_eq(pubsubPublishMessage(ch, msg), 1);
    ck_assert_int_ge(sub->reply_bytes, 20000);
    ck_assert_int_eq(checkClientOutputBufferLimits(sub), 1);
    server.client_obuf_limits[CLIENT_TYPE_PUBSUB].hard_limit_bytes = 0;
    ck_assert_int_eq(checkClientOutputBufferLimits(sub), 0);
    decrRefCount(ch);
    decrRefCount(msg);
    server.client_obuf_limits[CLIENT_TYPE_PUBSUB] = saved;
}
END_TEST

/**
 * @brief Build the suite.
 * @return The suite.
 *
 * Called by: main.
 */
static Suite *states_suite(void) {
    Suite *s = suite_create("pipeline_states");
    TCase *tc = tcase_create("states");
    tcase_add_test(tc, test_reply_off_on);
    tcase_add_test(tc, test_reply_skip);
    tcase_add_test(tc, test_reply_skip_quirks);
    tcase_add_test(tc, test_reply_errors);
    tcase_add_test(tc, test_reply_off_subscriber);
    tcase_add_test(tc, test_monitor_basic);
    tcase_add_test(tc, test_monitor_format);
    tcase_add_test(tc, test_monitor_unix);
    tcase_add_test(tc, test_monitor_skips_admin);
    tcase_add_test(tc, test_monitor_exec_order);
    tcase_add_test(tc, test_monitor_fanout_and_free);
    tcase_add_test(tc, test_monitor_inside_multi);
    tcase_add_test(tc, test_monitor_no_timeout);
    tcase_add_test(tc, test_monitor_write_not_capped);
    tcase_add_test(tc, test_psubscribe_publish);
    tcase_add_test(tc, test_punsubscribe);
    tcase_add_test(tc, test_psubscribe_context);
    tcase_add_test(tc, test_psubscriber_gone);
    tcase_add_test(tc, test_pubsub_command);
    tcase_add_test(tc, test_psubscriber_obuf_limit);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the client-state tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(states_suite());
}
