/**
 * @file test_list.c
 * @brief The list commands (t_list.c) through the whole pipeline: raw RESP
 *        in, Redis 5.0.14's exact reply bytes out.
 *
 * Where it sits: like test_pipeline_commands.c, bytes enter through
 * readQueryFromClient (fake read) and replies leave through writeToClient
 * (fake write), so every test also covers lookup, arity and the command
 * table flags. Expected bytes are 5.0.14's (t_list.c, tag 5.0.14).
 */
#include "pipeline_harness.c"

/* "RPUSH q a b c" -> ":3\r\n", LRANGE 0 -1 in push order; LPUSH reverses. */
START_TEST(test_push_range) {
    client *c = new_client();
    EXPECT(c, "RPUSH q a b c\r\n", ":3\r\n");
    EXPECT(c, "LRANGE q 0 -1\r\n", "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    EXPECT(c, "LPUSH q x y\r\n", ":5\r\n");
    EXPECT(c, "LRANGE q 0 1\r\n", "*2\r\n$1\r\ny\r\n$1\r\nx\r\n");
    EXPECT(c, "LRANGE q -2 -1\r\n", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
    EXPECT(c, "LRANGE q -100 0\r\n", "*1\r\n$1\r\ny\r\n");
    EXPECT(c, "LRANGE q 3 1\r\n", "*0\r\n");
    EXPECT(c, "LRANGE q 5 10\r\n", "*0\r\n");
    EXPECT(c, "LRANGE q 4 100\r\n", "*1\r\n$1\r\nc\r\n");
    EXPECT(c, "LRANGE nokey 0 -1\r\n", "*0\r\n");
    /* Indexes are parsed before the key is looked up. */
    EXPECT(c, "LRANGE nokey a 1\r\n",
           "-ERR value is not an integer or out of range\r\n");
    EXPECT(c, "LLEN q\r\nLLEN nokey\r\n", ":5\r\n:0\r\n");
}
END_TEST

/* Integers and binary elements come back as the same bytes. */
START_TEST(test_push_binary_and_ints) {
    client *c = new_client();
    EXPECT(c, "*4\r\n$5\r\nRPUSH\r\n$1\r\nq\r\n$3\r\na\0b\r\n$5\r\n12345\r\n", ":2\r\n");
    EXPECT(c, "LRANGE q 0 -1\r\n", "*2\r\n$3\r\na\0b\r\n$5\r\n12345\r\n");
    EXPECT(c, "LINDEX q 1\r\nLINDEX q -2\r\nLINDEX q 2\r\nLINDEX q -3\r\n",
           "$5\r\n12345\r\n$3\r\na\0b\r\n$-1\r\n$-1\r\n");
    EXPECT(c, "LINDEX nokey x\r\n", "$-1\r\n"); /* key before index */
    EXPECT(c, "LINDEX q x\r\n", "-ERR value is not an integer or out of range\r\n");
    EXPECT(c, "LINDEX q -9223372036854775808\r\n", "$-1\r\n");
}
END_TEST

/* LPOP/RPOP; the last pop deletes the key (EXISTS 0, TYPE none). */
START_TEST(test_pop_deletes_empty) {
    client *c = new_client();
    EXPECT(c, "RPUSH q a b\r\nTYPE q\r\n", ":2\r\n+list\r\n");
    EXPECT(c, "LPOP q\r\nRPOP q\r\nLPOP q\r\n", "$1\r\na\r\n$1\r\nb\r\n$-1\r\n");
    EXPECT(c, "EXISTS q\r\nTYPE q\r\nKEYS *\r\n", ":0\r\n+none\r\n*0\r\n");
    EXPECT(c, "RPOP nokey\r\n", "$-1\r\n");
}
END_TEST

/* WRONGTYPE both ways: list commands on a string, string commands on a list. */
START_TEST(test_wrongtype) {
    client *c = new_client();
#define WT "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
    EXPECT(c, "SET s x\r\nRPUSH q a\r\n", "+OK\r\n:1\r\n");
    EXPECT(c, "LPUSH s a\r\n", WT);
    EXPECT(c, "RPUSH s a\r\n", WT);
    EXPECT(c, "LPOP s\r\nLLEN s\r\nLRANGE s 0 1\r\nLINDEX s 0\r\n", WT WT WT WT);
    EXPECT(c, "BLPOP s 0\r\n", WT);
    EXPECT(c, "BRPOPLPUSH s q 0\r\n", WT);
    EXPECT(c, "RPOPLPUSH q s\r\n", WT);
    EXPECT(c, "LRANGE q 0 -1\r\n", "*1\r\n$1\r\na\r\n"); /* nothing popped */
    EXPECT(c, "GET q\r\nAPPEND q x\r\nINCR q\r\nSTRLEN q\r\n", WT WT WT WT);
    EXPECT(c, "MGET q s\r\n", "*2\r\n$-1\r\n$1\r\nx\r\n");
    EXPECT(c, "TYPE s\r\nTYPE q\r\n", "+string\r\n+list\r\n");
    /* SET replaces a list: the old value is freed through decrRefCount. */
    EXPECT(c, "SET q v\r\nGET q\r\n", "+OK\r\n$1\r\nv\r\n");
    EXPECT(c, "RPUSH l a\r\nDEL l\r\nEXISTS l\r\n", ":1\r\n:1\r\n:0\r\n");
}
END_TEST

/* Arity as 5.0.14's command table. */
START_TEST(test_arity) {
    client *c = new_client();
    EXPECT(c, "LPUSH q\r\n", "-ERR wrong number of arguments for 'lpush' command\r\n");
    EXPECT(c, "LPOP\r\n", "-ERR wrong number of arguments for 'lpop' command\r\n");
    EXPECT(c, "LPOP a b\r\n", "-ERR wrong number of arguments for 'lpop' command\r\n");
    EXPECT(c, "LRANGE q 0\r\n", "-ERR wrong number of arguments for 'lrange' command\r\n");
    EXPECT(c, "BLPOP q\r\n", "-ERR wrong number of arguments for 'blpop' command\r\n");
    EXPECT(c, "BRPOPLPUSH a b\r\n", "-ERR wrong number of arguments for 'brpoplpush' command\r\n");
    EXPECT(c, "TYPE\r\n", "-ERR wrong number of arguments for 'type' command\r\n");
}
END_TEST

/* LPUSHX/RPUSHX, LSET, LTRIM, LREM, RPOPLPUSH. */
START_TEST(test_other_commands) {
    client *c = new_client();
    EXPECT(c, "LPUSHX q a\r\nEXISTS q\r\n", ":0\r\n:0\r\n");
    EXPECT(c, "RPUSH q a\r\nRPUSHX q b\r\nLPUSHX q z\r\n", ":1\r\n:2\r\n:3\r\n");
    EXPECT(c, "LSET q 1 A\r\nLSET q -1 B\r\nLRANGE q 0 -1\r\n",
           "+OK\r\n+OK\r\n*3\r\n$1\r\nz\r\n$1\r\nA\r\n$1\r\nB\r\n");
    EXPECT(c, "LSET q 3 x\r\n", "-ERR index out of range\r\n");
    EXPECT(c, "LSET nokey 0 x\r\n", "-ERR no such key\r\n");
    EXPECT(c, "RPUSH r a b a c a\r\nLREM r -2 a\r\nLRANGE r 0 -1\r\n",
           ":5\r\n:2\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    EXPECT(c, "LREM r 0 a\r\nLREM r 0 zz\r\nLREM nokey 1 a\r\n", ":1\r\n:0\r\n:0\r\n");
    EXPECT(c, "LTRIM r 1 -1\r\nLRANGE r 0 -1\r\n", "+OK\r\n*1\r\n$1\r\nc\r\n");
    EXPECT(c, "LTRIM r 5 10\r\nEXISTS r\r\nLTRIM nokey 0 1\r\n", "+OK\r\n:0\r\n+OK\r\n");
    EXPECT(c, "RPUSH s 1 2 3\r\nRPOPLPUSH s d\r\nRPOPLPUSH s s\r\n", ":3\r\n$1\r\n3\r\n$1\r\n2\r\n");
    EXPECT(c, "LRANGE s 0 -1\r\nLRANGE d 0 -1\r\n",
           "*2\r\n$1\r\n2\r\n$1\r\n1\r\n*1\r\n$1\r\n3\r\n");
    EXPECT(c, "RPOPLPUSH nokey d\r\n", "$-1\r\n");
}
END_TEST

/* LINSERT: before/after the first pivot from the head, -1 without pivot,
 * 0 without key, syntax error before anything else. */
START_TEST(test_linsert) {
    client *c = new_client();
    EXPECT(c, "RPUSH q a b a\r\nLINSERT q BEFORE a x\r\nLINSERT q after b y\r\n",
           ":3\r\n:4\r\n:5\r\n");
    EXPECT(c, "LRANGE q 0 -1\r\n",
           "*5\r\n$1\r\nx\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\ny\r\n$1\r\na\r\n");
    EXPECT(c, "LINSERT q BEFORE zz v\r\nLINSERT nokey BEFORE a v\r\n", ":-1\r\n:0\r\n");
    EXPECT(c, "LINSERT nokey MIDDLE a v\r\n", "-ERR syntax error\r\n");
    EXPECT(c, "SET s v\r\nLINSERT s BEFORE a v\r\n", "+OK\r\n" WT);
    EXPECT(c, "LINSERT q BEFORE a\r\n",
           "-ERR wrong number of arguments for 'linsert' command\r\n");
}
END_TEST

/* A list with a TTL expires like a string; FLUSHDB frees lists. */
START_TEST(test_expire_and_flush) {
    client *c = new_client();
    /* As the trace replayer does: updateCachedTime() leaves mstime alone,
     * so the test moves time itself. */
    server.clock_frozen = 1;
    server.mstime = 1700000000000LL;
    server.unixtime = server.mstime / 1000;
    EXPECT(c, "RPUSH q a\r\nEXPIRE q 100\r\nTTL q\r\n", ":1\r\n:1\r\n:100\r\n");
    server.mstime += 101000; /* the cached clock lookups compare against */
    server.unixtime = server.mstime / 1000;
    EXPECT(c, "LLEN q\r\nEXISTS q\r\n", ":0\r\n:0\r\n");
    EXPECT(c, "RPUSH q a b\r\nFLUSHDB\r\nLLEN q\r\n", ":2\r\n+OK\r\n:0\r\n");
}
END_TEST

/**
 * @brief The list suite.
 * @return The Check suite.
 */
static Suite *list_suite(void) {
    Suite *s = suite_create("list");
    TCase *tc = tcase_create("commands");
    tcase_add_test(tc, test_push_range);
    tcase_add_test(tc, test_push_binary_and_ints);
    tcase_add_test(tc, test_pop_deletes_empty);
    tcase_add_test(tc, test_wrongtype);
    tcase_add_test(tc, test_arity);
    tcase_add_test(tc, test_other_commands);
    tcase_add_test(tc, test_expire_and_flush);
    tcase_add_test(tc, test_linsert);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the list tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(list_suite());
}
