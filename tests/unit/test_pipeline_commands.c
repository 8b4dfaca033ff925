/**
 * @file test_pipeline_commands.c
 * @brief Every command minired supports, driven through the whole pipeline
 *        without a socket: raw RESP in, exact Redis 5.0 reply bytes out.
 *
 * Where it sits: bytes enter through readQueryFromClient (fake read), run
 * through the parser, processCommand and the command implementation, and
 * leave through writeToClient (fake write). Nothing here calls a command
 * function directly, so each test also checks lookup, arity and flags.
 *
 * Expected bytes are Redis 5.0.14's wire output. Where Redis 7.0 words an
 * error differently, the 5.0 text is used and the test says so.
 */
#include "pipeline_harness.c"

/* ---- PING / ECHO ---- */

/* "PING\r\n" -> "+PONG\r\n"; "PING hi" -> "$2\r\nhi\r\n"; 3 args -> arity error. */
START_TEST(test_ping) {
    client *c = new_client();
    EXPECT(c, "PING\r\n", "+PONG\r\n");
    EXPECT(c, "*2\r\n$4\r\nPING\r\n$2\r\nhi\r\n", "$2\r\nhi\r\n");
    EXPECT(c, "ping a b\r\n",
           "-ERR wrong number of arguments for 'ping' command\r\n");
}
END_TEST

/* "ECHO hello" -> "$5\r\nhello\r\n"; binary "a\0b" echoed intact; no arg -> arity. */
START_TEST(test_echo) {
    client *c = new_client();
    EXPECT(c, "ECHO hello\r\n", "$5\r\nhello\r\n");
    EXPECT(c, "*2\r\n$4\r\nECHO\r\n$3\r\na\0b\r\n", "$3\r\na\0b\r\n");
    EXPECT(c, "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", "$0\r\n\r\n");
    EXPECT(c, "ECHO\r\n",
           "-ERR wrong number of arguments for 'echo' command\r\n");
}
END_TEST

/* ---- SET / GET / GETSET ---- */

/* "SET k v" -> "+OK\r\n", "GET k" -> "$1\r\nv\r\n", missing key -> "$-1\r\n". */
START_TEST(test_set_get) {
    client *c = new_client();
    EXPECT(c, "SET k v\r\nGET k\r\n", "+OK\r\n$1\r\nv\r\n");
    EXPECT(c, "GET nokey\r\n", "$-1\r\n");
    EXPECT(c, "get k\r\nGeT k\r\n", "$1\r\nv\r\n$1\r\nv\r\n");
    EXPECT(c, "SET k 12345\r\nGET k\r\n", "+OK\r\n$5\r\n12345\r\n");
}
END_TEST

/* SET NX on a new key "+OK", on an existing one "$-1"; XX the opposite. */
START_TEST(test_set_nx_xx) {
    client *c = new_client();
    EXPECT(c, "SET k v NX\r\n", "+OK\r\n");
    EXPECT(c, "SET k w NX\r\n", "$-1\r\n");
    EXPECT(c, "GET k\r\n", "$1\r\nv\r\n");
    EXPECT(c, "SET k w XX\r\n", "+OK\r\n");
    EXPECT(c, "SET m w XX\r\n", "$-1\r\n");
    EXPECT(c, "GET k\r\nEXISTS m\r\n", "$1\r\nw\r\n:0\r\n");
    EXPECT(c, "set k v nx xx\r\n", "-ERR syntax error\r\n");
}
END_TEST

/* "SET k v EX 100" then "TTL k" -> ":100\r\n"; PX 100000 likewise; plain SET clears it. */
START_TEST(test_set_ex_px) {
    client *c = new_client();
    EXPECT(c, "SET k v EX 100\r\nTTL k\r\n", "+OK\r\n:100\r\n");
    EXPECT(c, "SET k v PX 100000\r\nTTL k\r\n", "+OK\r\n:100\r\n");
    EXPECT(c, "SET k v\r\nTTL k\r\n", "+OK\r\n:-1\r\n");
    EXPECT(c, "SET k v EX 0\r\n", "-ERR invalid expire time in set\r\n");
    EXPECT(c, "SET k v PX -5\r\n", "-ERR invalid expire time in set\r\n");
    EXPECT(c, "SET k v EX abc\r\n",
           "-ERR value is not an integer or out of range\r\n");
    EXPECT(c, "SET k v EX\r\n", "-ERR syntax error\r\n");
    EXPECT(c, "SET k v EX 10 PX 100\r\n", "-ERR syntax error\r\n");
    EXPECT(c, "SET k v FOO\r\n", "-ERR syntax error\r\n");
    EXPECT(c, "SET k\r\n",
           "-ERR wrong number of arguments for 'set' command\r\n");
}
END_TEST

/* "GETSET k a" on a new key -> "$-1\r\n", then "GETSET k b" -> "$1\r\na\r\n". */
START_TEST(test_getset) {
    client *c = new_client();
    EXPECT(c, "GETSET k a\r\n", "$-1\r\n");
    EXPECT(c, "GETSET k b\r\n", "$1\r\na\r\n");
    EXPECT(c, "GET k\r\n", "$1\r\nb\r\n");
    /* GETSET stores a new value: the old TTL goes with the old value. */
    EXPECT(c, "SET t v EX 100\r\nGETSET t w\r\nTTL t\r\n",
           "+OK\r\n$1\r\nv\r\n:-1\r\n");
    EXPECT(c, "GETSET k\r\n",
           "-ERR wrong number of arguments for 'getset' command\r\n");
}
END_TEST

/* ---- DEL / EXISTS ---- */

/* "DEL a b c" with a, b set -> ":2\r\n"; again -> ":0\r\n". */
START_TEST(test_del) {
    client *c = new_client();
    EXPECT(c, "MSET a 1 b 2\r\nDEL a b c\r\n", "+OK\r\n:2\r\n");
    EXPECT(c, "DEL a b c\r\n", ":0\r\n");
    EXPECT(c, "DEL\r\n",
           "-ERR wrong number of arguments for 'del' command\r\n");
}
END_TEST

/* "EXISTS a a b" with only a set -> ":2\r\n" (each name counts). */
START_TEST(test_exists) {
    client *c = new_client();
    EXPECT(c, "SET a 1\r\nEXISTS a a b\r\n", "+OK\r\n:2\r\n");
    EXPECT(c, "EXISTS b\r\n", ":0\r\n");
}
END_TEST

/* ---- INCR family ---- */

/* INCR/DECR/INCRBY/DECRBY on "n": ":1" ":2" ":1" ":11" ":-9". */
START_TEST(test_incr_decr) {
    client *c = new_client();
    EXPECT(c, "INCR n\r\n", ":1\r\n");
    EXPECT(c, "INCR n\r\n", ":2\r\n");
    EXPECT(c, "DECR n\r\n", ":1\r\n");
    EXPECT(c, "INCRBY n 10\r\n", ":11\r\n");
    EXPECT(c, "DECRBY n 20\r\n", ":-9\r\n");
    EXPECT(c, "GET n\r\n", "$2\r\n-9\r\n");
    EXPECT(c, "DECR fresh\r\n", ":-1\r\n");
}
END_TEST

/* INCR of "abc" or " 1" -> "-ERR value is not an integer or out of range\r\n"; overflow error. */
START_TEST(test_incr_errors) {
    client *c = new_client();
    EXPECT(c, "SET s abc\r\nINCR s\r\n",
           "+OK\r\n-ERR value is not an integer or out of range\r\n");
    EXPECT(c, "SET s \" 1\"\r\nINCR s\r\n",
           "+OK\r\n-ERR value is not an integer or out of range\r\n");
    EXPECT(c, "INCRBY n x\r\n",
           "-ERR value is not an integer or out of range\r\n");
    EXPECT(c, "SET big 9223372036854775807\r\nINCR big\r\n",
           "+OK\r\n-ERR increment or decrement would overflow\r\n");
    EXPECT(c, "SET small -9223372036854775808\r\nDECR small\r\n",
           "+OK\r\n-ERR increment or decrement would overflow\r\n");
    EXPECT(c, "INCR\r\n",
           "-ERR wrong number of arguments for 'incr' command\r\n");
}
END_TEST

/* ---- APPEND / STRLEN ---- */

/* "APPEND a hello" -> ":5", "APPEND a \" world\"" -> ":11", STRLEN ":11", missing ":0". */
START_TEST(test_append_strlen) {
    client *c = new_client();
    EXPECT(c, "APPEND a hello\r\n", ":5\r\n");
    EXPECT(c, "APPEND a \" world\"\r\n", ":11\r\n");
    EXPECT(c, "STRLEN a\r\n", ":11\r\n");
    EXPECT(c, "GET a\r\n", "$11\r\nhello world\r\n");
    EXPECT(c, "STRLEN nokey\r\n", ":0\r\n");
    /* "12" is stored as an integer; APPEND works on its decimal text. */
    EXPECT(c, "SET n 12\r\nAPPEND n 3\r\nGET n\r\nSTRLEN n\r\n",
           "+OK\r\n:3\r\n$3\r\n123\r\n:3\r\n");
}
END_TEST

/* ---- MSET / MGET ---- */

/* "MSET a 1 b 2" -> "+OK"; "MGET a b c" -> "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n". */
START_TEST(test_mset_mget) {
    client *c = new_client();
    EXPECT(c, "MSET a 1 b 2\r\n", "+OK\r\n");
    EXPECT(c, "MGET a b c\r\n", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
    /* Redis 5.0's own text (7.0 says "wrong number of arguments for 'mset' command"). */
    EXPECT(c, "MSET a 1 b\r\n", "-ERR wrong number of arguments for MSET\r\n");
    EXPECT(c, "MGET\r\n",
           "-ERR wrong number of arguments for 'mget' command\r\n");
}
END_TEST

/* ---- KEYS / DBSIZE / FLUSHDB / FLUSHALL ---- */

/* "KEYS o*" -> "*1\r\n$3\r\none\r\n"; no match -> "*0\r\n"; "KEYS *" has all 3. */
START_TEST(test_keys) {
    client *c = new_client();
    EXPECT(c, "MSET one 1 two 2 three 3\r\n", "+OK\r\n");
    EXPECT(c, "KEYS o*\r\n", "*1\r\n$3\r\none\r\n");
    EXPECT(c, "KEYS nomatch*\r\n", "*0\r\n");
    EXPECT(c, "KEYS t?o\r\n", "*1\r\n$3\r\ntwo\r\n");
    feed_str(c, "KEYS *\r\n");
    sds out = collect_output(c);
    /* The order is the hash table's: check the header and each element. */
    ck_assert_uint_eq(sdslen(out), 4 + 9 + 9 + 11);
    ck_assert(memcmp(out, "*3\r\n", 4) == 0);
    ck_assert_ptr_nonnull(strstr(out, "$3\r\none\r\n"));
    ck_assert_ptr_nonnull(strstr(out, "$3\r\ntwo\r\n"));
    ck_assert_ptr_nonnull(strstr(out, "$5\r\nthree\r\n"));
    sdsfree(out);
}
END_TEST

/* "DBSIZE" -> ":0\r\n", after MSET of 3 keys ":3\r\n". */
START_TEST(test_dbsize) {
    client *c = new_client();
    EXPECT(c, "DBSIZE\r\n", ":0\r\n");
    EXPECT(c, "MSET a 1 b 2 c 3\r\nDBSIZE\r\n", "+OK\r\n:3\r\n");
    EXPECT(c, "DBSIZE x\r\n",
           "-ERR wrong number of arguments for 'dbsize' command\r\n");
}
END_TEST

/* FLUSHDB empties only the selected db ("+OK\r\n"); FLUSHALL empties all. */
START_TEST(test_flushdb_flushall) {
    client *c = new_client();
    EXPECT(c, "SET a 1\r\nSELECT 1\r\nSET b 2\r\nFLUSHDB\r\nDBSIZE\r\n",
           "+OK\r\n+OK\r\n+OK\r\n+OK\r\n:0\r\n");
    EXPECT(c, "SELECT 0\r\nDBSIZE\r\n", "+OK\r\n:1\r\n");
    EXPECT(c, "SELECT 2\r\nSET z 1\r\nFLUSHALL\r\nDBSIZE\r\nSELECT 0\r\nDBSIZE\r\n",
           "+OK\r\n+OK\r\n+OK\r\n:0\r\n+OK\r\n:0\r\n");
}
END_TEST

/* ---- EXPIRE / TTL ---- */

/* "EXPIRE k 100" -> ":1", "TTL k" -> ":100"; missing key ":0" / ":-2"; no TTL ":-1". */
START_TEST(test_expire_ttl) {
    client *c = new_client();
    EXPECT(c, "SET k v\r\nEXPIRE k 100\r\nTTL k\r\n", "+OK\r\n:1\r\n:100\r\n");
    EXPECT(c, "EXPIRE nokey 10\r\n", ":0\r\n");
    EXPECT(c, "TTL nokey\r\n", ":-2\r\n");
    EXPECT(c, "SET p v\r\nTTL p\r\n", "+OK\r\n:-1\r\n");
    /* A TTL in the past deletes the key at once and still answers ":1". */
    EXPECT(c, "EXPIRE k -1\r\nEXISTS k\r\n", ":1\r\n:0\r\n");
    EXPECT(c, "EXPIRE p abc\r\n",
           "-ERR value is not an integer or out of range\r\n");
    EXPECT(c, "TTL\r\n",
           "-ERR wrong number of arguments for 'ttl' command\r\n");
}
END_TEST

/* ---- SELECT ---- */

/* "SELECT 1" -> "+OK"; keys are per db; 16 -> out of range; "abc" -> invalid DB index; 4294967297 -> db 1 (5.0.14's wrap). */
START_TEST(test_select) {
    client *c = new_client();
    EXPECT(c, "SELECT 1\r\nSET k 1\r\nSELECT 0\r\nGET k\r\n",
           "+OK\r\n+OK\r\n+OK\r\n$-1\r\n");
    EXPECT(c, "SELECT 1\r\nGET k\r\n", "+OK\r\n$1\r\n1\r\n");
    EXPECT(c, "SELECT 16\r\n", "-ERR DB index is out of range\r\n");
    EXPECT(c, "SELECT -1\r\n", "-ERR DB index is out of range\r\n");
    /* Redis 5.0 text (7.0: "value is not an integer or out of range"). */
    EXPECT(c, "SELECT abc\r\n", "-ERR invalid DB index\r\n");
    /* The failed SELECTs left db 1 selected. */
    EXPECT(c, "GET k\r\n", "$1\r\n1\r\n");
    /* 5.0.14's long -> int wrap: 2^32 + 1 selects db 1, 2^32 db 0, and a
     * value past LONG_MAX is not a long at all. */
    EXPECT(c, "SELECT 0\r\nSELECT 4294967297\r\nGET k\r\n",
           "+OK\r\n+OK\r\n$1\r\n1\r\n");
    EXPECT(c, "SELECT 4294967296\r\nGET k\r\n", "+OK\r\n$-1\r\n");
    EXPECT(c, "SELECT 4294967312\r\n", "-ERR DB index is out of range\r\n");
    EXPECT(c, "SELECT 99999999999999999999\r\n", "-ERR invalid DB index\r\n");
}
END_TEST

/* ---- MULTI / EXEC / DISCARD ---- */

/* "MULTI SET k 1 INCR k EXEC" -> "+OK +QUEUED +QUEUED *2 +OK :2". */
START_TEST(test_multi_exec) {
    client *c = new_client();
    EXPECT(c, "MULTI\r\nSET k 1\r\nINCR k\r\nEXEC\r\n",
           "+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n:2\r\n");
    EXPECT(c, "MULTI\r\nEXEC\r\n", "+OK\r\n*0\r\n");
    /* A runtime error inside EXEC is one element of the array. */
    EXPECT(c, "MULTI\r\nSET s abc\r\nINCR s\r\nEXEC\r\n",
           "+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n"
           "-ERR value is not an integer or out of range\r\n");
    ck_assert_int_eq(c->flags & CLIENT_MULTI, 0);
}
END_TEST

/* "MULTI SET k 1 DISCARD GET k" -> "+OK +QUEUED +OK $-1"; EXEC/DISCARD without MULTI, nested MULTI. */
START_TEST(test_multi_discard_errors) {
    client *c = new_client();
    EXPECT(c, "MULTI\r\nSET k 1\r\nDISCARD\r\nGET k\r\n",
           "+OK\r\n+QUEUED\r\n+OK\r\n$-1\r\n");
    EXPECT(c, "EXEC\r\n", "-ERR EXEC without MULTI\r\n");
    EXPECT(c, "DISCARD\r\n", "-ERR DISCARD without MULTI\r\n");
    EXPECT(c, "MULTI\r\nMULTI\r\nSET k 2\r\nEXEC\r\n",
           "+OK\r\n-ERR MULTI calls can not be nested\r\n+QUEUED\r\n*1\r\n+OK\r\n");
}
END_TEST

/* Unknown command and wrong arity inside MULTI -> EXEC replies "-EXECABORT ...", nothing runs. */
START_TEST(test_multi_execabort) {
    client *c = new_client();
    EXPECT(c, "MULTI\r\nSET k 1\r\nNOSUCH\r\nGET\r\nEXEC\r\nGET k\r\n",
           "+OK\r\n+QUEUED\r\n"
           "-ERR unknown command `NOSUCH`, with args beginning with: \r\n"
           "-ERR wrong number of arguments for 'get' command\r\n"
           "-EXECABORT Transaction discarded because of previous errors.\r\n"
           "$-1\r\n");
    ck_assert_int_eq(c->flags & (CLIENT_MULTI | CLIENT_DIRTY_EXEC), 0);
}
END_TEST

/* ---- Pub/Sub between two fake clients ---- */

/* SUBSCRIBE ch -> "*3 subscribe ch :1"; PUBLISH ch hi -> ":1" and the subscriber gets "*3 message ch hi". */
START_TEST(test_pubsub_publish) {
    client *sub = new_client();
    client *pub = new_client();
    EXPECT(sub, "SUBSCRIBE ch\r\n", "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
    EXPECT(pub, "PUBLISH ch hi\r\n", ":1\r\n");
    ASSERT_LIT(collect_output(sub), "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
    EXPECT(pub, "PUBLISH other hi\r\n", ":0\r\n");
    ASSERT_LIT(collect_output(sub), "");
    EXPECT(sub, "SUBSCRIBE a b\r\n",
           "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n"
           "*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:3\r\n");
}
END_TEST

/* "SUBSCRIBE a a" -> two replies, both counting 1 channel: ":1\r\n" twice. */
START_TEST(test_pubsub_subscribe_twice) {
    client *sub = new_client();
    EXPECT(sub, "SUBSCRIBE a a\r\n",
           "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"
           "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
    client *pub = new_client();
    EXPECT(pub, "PUBLISH a m\r\n", ":1\r\n");
    ASSERT_LIT(collect_output(sub), "*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$1\r\nm\r\n");
}
END_TEST

/* In subscribed state: GET -> "-ERR only (P)SUBSCRIBE / ..."; PING -> "*2 pong ''"; UNSUBSCRIBE leaves it. */
START_TEST(test_pubsub_context) {
    client *sub = new_client();
    client *pub = new_client();
    EXPECT(sub, "SUBSCRIBE ch\r\n", "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
    EXPECT(sub, "GET k\r\n",
           "-ERR only (P)SUBSCRIBE / (P)UNSUBSCRIBE / PING / QUIT allowed in this context\r\n");
    EXPECT(sub, "PING\r\n", "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    EXPECT(sub, "PING x\r\n", "*2\r\n$4\r\npong\r\n$1\r\nx\r\n");
    EXPECT(sub, "UNSUBSCRIBE ch\r\n",
           "*3\r\n$11\r\nunsubscribe\r\n$2\r\nch\r\n:0\r\n");
    EXPECT(sub, "GET k\r\n", "$-1\r\n");
    /* UNSUBSCRIBE with nothing subscribed: one reply with a null channel. */
    EXPECT(sub, "UNSUBSCRIBE\r\n", "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
    EXPECT(pub, "PUBLISH ch x\r\n", ":0\r\n");
}
END_TEST

/* A subscriber that disconnects no longer counts: PUBLISH -> ":0\r\n". */
START_TEST(test_pubsub_subscriber_gone) {
    client *sub = new_client();
    client *pub = new_client();
    EXPECT(sub, "SUBSCRIBE ch\r\n", "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
    uint64_t id = sub->id;
    ck_assert_int_eq(feed_eof(sub), 0);
    ck_assert(!client_alive(id));
    EXPECT(pub, "PUBLISH ch x\r\n", ":0\r\n");
}
END_TEST

/* ---- AUTH ---- */

/* No requirepass: "AUTH x" -> "-ERR Client sent AUTH, but no password is set\r\n". */
START_TEST(test_auth_unset) {
    client *c = new_client();
    /* Redis 5.0 text (7.0 words it differently). */
    EXPECT(c, "AUTH x\r\n", "-ERR Client sent AUTH, but no password is set\r\n");
    EXPECT(c, "AUTH\r\n", "-ERR wrong number of arguments for 'auth' command\r\n");
    EXPECT(c, "PING\r\n", "+PONG\r\n");
}
END_TEST

/* requirepass set: GET -> "-NOAUTH Authentication required.\r\n"; wrong -> "-ERR invalid password"; right -> "+OK". */
START_TEST(test_auth_set) {
    server.requirepass = zstrdup("secret");
    client *c = new_client();
    EXPECT(c, "GET k\r\n", "-NOAUTH Authentication required.\r\n");
    EXPECT(c, "PING\r\n", "-NOAUTH Authentication required.\r\n");
    EXPECT(c, "AUTH bad\r\n", "-ERR invalid password\r\n");
    EXPECT(c, "GET k\r\n", "-NOAUTH Authentication required.\r\n");
    EXPECT(c, "AUTH secret\r\n", "+OK\r\n");
    EXPECT(c, "GET k\r\n", "$-1\r\n");
    /* Unauthenticated QUIT still works: it is handled before the AUTH check. */
    client *d = new_client();
    uint64_t id = d->id;
    EXPECT(d, "QUIT\r\n", "+OK\r\n");
    ck_assert(!client_alive(id));
}
END_TEST

/* ---- QUIT ---- */

/* "QUIT\r\n" -> "+OK\r\n", then the client is freed once the reply is written. */
START_TEST(test_quit) {
    client *c = new_client();
    uint64_t id = c->id;
    feed_str(c, "QUIT\r\n");
    /* Still alive until the reply is out (CLIENT_CLOSE_AFTER_REPLY). */
    ck_assert(client_alive(id));
    ck_assert(c->flags & CLIENT_CLOSE_AFTER_REPLY);
    ASSERT_LIT(collect(id), "+OK\r\n");
    ck_assert(!client_alive(id));
}
END_TEST

/* "QUIT\r\nPING\r\n" in one read -> only "+OK\r\n": the loop stops at CLOSE_AFTER_REPLY. */
START_TEST(test_quit_pipelined) {
    client *c = new_client();
    uint64_t id = c->id;
    client *other = new_client();
    EXPECT(c, "SET before 1\r\nQUIT\r\nSET after 1\r\n", "+OK\r\n+OK\r\n");
    ck_assert(!client_alive(id));
    EXPECT(other, "EXISTS before after\r\n", ":1\r\n");
    client *d = new_client();
    EXPECT(d, "QUIT with args\r\n", "+OK\r\n");
}
END_TEST

/* "MULTI\r\nQUIT\r\n" -> "+OK\r\n+OK\r\n": QUIT is handled before MULTI queueing, and closes. */
START_TEST(test_quit_inside_multi) {
    client *c = new_client();
    uint64_t id = c->id;
    EXPECT(c, "MULTI\r\nSET k 1\r\nQUIT\r\n", "+OK\r\n+QUEUED\r\n+OK\r\n");
    ck_assert(!client_alive(id));
    client *d = new_client();
    EXPECT(d, "EXISTS k\r\n", ":0\r\n");
}
END_TEST

/* ---- CLIENT ---- */

/* CLIENT GETNAME "$-1"; SETNAME w1 "+OK"; GETNAME "$2\r\nw1"; ID ":<id>"; bad names and subcommands. */
START_TEST(test_client_cmd) {
    client *c = new_client();
    EXPECT(c, "CLIENT GETNAME\r\n", "$-1\r\n");
    EXPECT(c, "CLIENT SETNAME w1\r\n", "+OK\r\n");
    EXPECT(c, "CLIENT GETNAME\r\n", "$2\r\nw1\r\n");
    char idreply[64];
    snprintf(idreply, sizeof(idreply), ":%llu\r\n", (unsigned long long)c->id);
    feed_str(c, "CLIENT ID\r\n");
    sds out = collect_output(c);
    ck_assert_str_eq(out, idreply);
    sdsfree(out);
    EXPECT(c, "CLIENT SETNAME \"a b\"\r\n",
           "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
    /* An empty name clears it (multibulk: inline drops "" arguments). */
    EXPECT(c, "*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$0\r\n\r\nCLIENT GETNAME\r\n",
           "+OK\r\n$-1\r\n");
    /* clientCommand's own 5.0 text: no period after HELP. */
    EXPECT(c, "CLIENT foo\r\n",
           "-ERR Unknown subcommand or wrong number of arguments for 'foo'. Try CLIENT HELP\r\n");
    EXPECT(c, "CLIENT\r\n",
           "-ERR wrong number of arguments for 'client' command\r\n");
}
END_TEST

/* ---- CONFIG ---- */

/* "CONFIG GET port" with port 0 -> "*2\r\n$4\r\nport\r\n$1\r\n0\r\n"; unknown -> "*0\r\n"; bad subcommand -> "... Try CONFIG HELP.". */
START_TEST(test_config_get) {
    client *c = new_client();
    EXPECT(c, "CONFIG GET port\r\n", "*2\r\n$4\r\nport\r\n$1\r\n0\r\n");
    EXPECT(c, "CONFIG GET nosuchparam\r\n", "*0\r\n");
    EXPECT(c, "CONFIG GET databases\r\n", "*2\r\n$9\r\ndatabases\r\n$2\r\n16\r\n");
    /* addReplySubcommandSyntaxError: argv[1] as typed, the command upper-cased, a final '.'. */
    EXPECT(c, "CONFIG foo\r\n",
           "-ERR Unknown subcommand or wrong number of arguments for 'foo'. Try CONFIG HELP.\r\n");
    EXPECT(c, "config GET\r\n",
           "-ERR Unknown subcommand or wrong number of arguments for 'GET'. Try CONFIG HELP.\r\n");
}
END_TEST

/* ---- unknown commands and arity ---- */

/* "FOO a b" -> "-ERR unknown command `FOO`, with args beginning with: `a`, `b`, \r\n". */
START_TEST(test_unknown_command) {
    client *c = new_client();
    EXPECT(c, "FOO a b\r\n",
           "-ERR unknown command `FOO`, with args beginning with: `a`, `b`, \r\n");
    EXPECT(c, "FOO\r\n", "-ERR unknown command `FOO`, with args beginning with: \r\n");
    /* "\r\n" inside the name become spaces (addReplyErrorFormat). */
    EXPECT(c, "*2\r\n$5\r\nF\r\nOO\r\n$1\r\nx\r\n",
           "-ERR unknown command `F  OO`, with args beginning with: `x`, \r\n");
}
END_TEST

/* Argument text is cut at 128 bytes: one 160-byte arg shows its first 128; 39-byte args stop after 3. */
START_TEST(test_unknown_command_128) {
    client *c = new_client();
    sds digits = sdsempty();
    for (int i = 0; i < 16; i++) digits = sdscat(digits, "0123456789");
    sds in = sdscatprintf(sdsempty(), "foo %s\r\n", digits);
    sds exp = sdscatprintf(sdsempty(),
        "-ERR unknown command `foo`, with args beginning with: `%.128s`, \r\n", digits);
    feed(c, in, sdslen(in), 0);
    ASSERT_BYTES(collect_output(c), exp, sdslen(exp));
    /* "`a234...9`, " is 43 bytes: after three args the text is 129 >= 128. */
    EXPECT(c, "foo a23456789012345678901234567890123456789 b23456789012345678901234567890123456789"
              " c23456789012345678901234567890123456789 d23456789012345678901234567890123456789 e2345\r\n",
           "-ERR unknown command `foo`, with args beginning with: "
           "`a23456789012345678901234567890123456789`, `b23456789012345678901234567890123456789`, "
           "`c23456789012345678901234567890123456789`, \r\n");
    /* 116 bytes + 4 = 120 < 128: the next arg gets only 8 bytes of room, "`x`, " fits. */
    EXPECT(c, "foo 12345678901234567890123456789012345678901234567890123456789012345678901234567890"
              "123456789012345678901234567890123456 x y\r\n",
           "-ERR unknown command `foo`, with args beginning with: "
           "`12345678901234567890123456789012345678901234567890123456789012345678901234567890"
           "123456789012345678901234567890123456`, `x`, `y`, \r\n");
    sdsfree(digits); sdsfree(in); sdsfree(exp);
}
END_TEST

/* "GET\r\n" -> "-ERR wrong number of arguments for 'get' command\r\n" (name in lower case). */
START_TEST(test_wrong_arity) {
    client *c = new_client();
    EXPECT(c, "GET\r\n", "-ERR wrong number of arguments for 'get' command\r\n");
    EXPECT(c, "GET a b\r\n", "-ERR wrong number of arguments for 'get' command\r\n");
    EXPECT(c, "*1\r\n$3\r\nSET\r\n", "-ERR wrong number of arguments for 'set' command\r\n");
    EXPECT(c, "INCRBY k\r\n", "-ERR wrong number of arguments for 'incrby' command\r\n");
    EXPECT(c, "EXISTS\r\n", "-ERR wrong number of arguments for 'exists' command\r\n");
    EXPECT(c, "SELECT\r\n", "-ERR wrong number of arguments for 'select' command\r\n");
}
END_TEST

/**
 * @brief Build the suite: one test case per command group.
 * @return The suite.
 *
 * Called by: main.
 */
static Suite *commands_suite(void) {
    Suite *s = suite_create("pipeline_commands");
    TCase *tc = tcase_create("commands");
    tcase_add_test(tc, test_ping);
    tcase_add_test(tc, test_echo);
    tcase_add_test(tc, test_set_get);
    tcase_add_test(tc, test_set_nx_xx);
    tcase_add_test(tc, test_set_ex_px);
    tcase_add_test(tc, test_getset);
    tcase_add_test(tc, test_del);
    tcase_add_test(tc, test_exists);
    tcase_add_test(tc, test_incr_decr);
    tcase_add_test(tc, test_incr_errors);
    tcase_add_test(tc, test_append_strlen);
    tcase_add_test(tc, test_mset_mget);
    tcase_add_test(tc, test_keys);
    tcase_add_test(tc, test_dbsize);
    tcase_add_test(tc, test_flushdb_flushall);
    tcase_add_test(tc, test_expire_ttl);
    tcase_add_test(tc, test_select);
    tcase_add_test(tc, test_multi_exec);
    tcase_add_test(tc, test_multi_discard_errors);
    tcase_add_test(tc, test_multi_execabort);
    tcase_add_test(tc, test_pubsub_publish);
    tcase_add_test(tc, test_pubsub_subscribe_twice);
    tcase_add_test(tc, test_pubsub_context);
    tcase_add_test(tc, test_pubsub_subscriber_gone);
    tcase_add_test(tc, test_auth_unset);
    tcase_add_test(tc, test_auth_set);
    tcase_add_test(tc, test_quit);
    tcase_add_test(tc, test_quit_pipelined);
    tcase_add_test(tc, test_quit_inside_multi);
    tcase_add_test(tc, test_client_cmd);
    tcase_add_test(tc, test_config_get);
    tcase_add_test(tc, test_unknown_command);
    tcase_add_test(tc, test_unknown_command_128);
    tcase_add_test(tc, test_wrong_arity);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the command tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(commands_suite());
}
