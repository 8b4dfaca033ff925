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

/* Lab 7 (exercises/07-command) grades its LRANGE with the four tests
 * below: the table row, the index arithmetic, the replies without a range
 * and the errors, each in Redis 5.0.14's order and bytes. */

/* The row of 5.0.14's redisCommandTable (server.c):
 * {"lrange",lrangeCommand,4,"r",0,NULL,1,1,1,0,0}. */
START_TEST(test_lrange_table_row) {
    struct redisCommand *cmd = lookupCommandByCString("lrange");

    ck_assert_msg(cmd != NULL, "no row named \"lrange\" in redisCommandTable: "
                  "LRANGE gets \"-ERR unknown command `LRANGE`...\"");
    ck_assert_msg(strcmp(cmd->name, "lrange") == 0, "the row's name is \"%s\"; "
                  "error texts and COMMAND INFO print it: want \"lrange\"", cmd->name);
    ck_assert_msg(cmd->proc == lrangeCommand, "the row does not call lrangeCommand");
    ck_assert_msg(cmd->arity == 4, "arity %d, want 4: exactly LRANGE key start "
                  "stop (-4 would let \"LRANGE q 0 1 2\" through)", cmd->arity);
    ck_assert_msg(cmd->flags == CMD_READONLY, "flags 0x%x (sflags \"%s\"), want "
                  "CMD_READONLY alone (\"r\"): no 'w', no 'm' (LRANGE must still "
                  "run over maxmemory), no 'F' (it is O(N))", cmd->flags, cmd->sflags);
    ck_assert_msg(cmd->firstkey == 1 && cmd->lastkey == 1 && cmd->keystep == 1,
                  "keys %d,%d,%d, want 1,1,1: the one key is argv[1]",
                  cmd->firstkey, cmd->lastkey, cmd->keystep);
}
END_TEST

/* a b c d e (llen 5): every way an index can be negative, past either
 * end, or both. */
START_TEST(test_lrange_indexes) {
    client *c = new_client();
#define A "$1\r\na\r\n"
#define B "$1\r\nb\r\n"
#define C "$1\r\nc\r\n"
#define D "$1\r\nd\r\n"
#define E "$1\r\ne\r\n"
    EXPECT(c, "RPUSH q a b c d e\r\n", ":5\r\n");
    EXPECT(c, "LRANGE q 0 -1\r\n", "*5\r\n" A B C D E);
    EXPECT(c, "LRANGE q 1 3\r\n", "*3\r\n" B C D);
    EXPECT(c, "LRANGE q 0 0\r\n", "*1\r\n" A);
    EXPECT(c, "LRANGE q 4 4\r\n", "*1\r\n" E);
    EXPECT(c, "LRANGE q -1 -1\r\n", "*1\r\n" E);     /* start 4, end 4 */
    EXPECT(c, "LRANGE q -3 -2\r\n", "*2\r\n" C D);   /* start 2, end 3 */
    EXPECT(c, "LRANGE q -5 -1\r\n", "*5\r\n" A B C D E);
    EXPECT(c, "LRANGE q -6 -1\r\n", "*5\r\n" A B C D E); /* start -1 -> 0 */
    EXPECT(c, "LRANGE q -100 -5\r\n", "*1\r\n" A);   /* start 0, end 0 */
    EXPECT(c, "LRANGE q 1 -2\r\n", "*3\r\n" B C D);  /* end 3 */
    EXPECT(c, "LRANGE q 3 10\r\n", "*2\r\n" D E);    /* end clamped to 4 */
    /* The widest longs: start becomes 5 + LONG_MIN (still < 0, so 0),
     * end is clamped to 4 before end - start + 1 is computed. */
    EXPECT(c, "LRANGE q -9223372036854775808 9223372036854775807\r\n",
           "*5\r\n" A B C D E);
#undef A
#undef B
#undef C
#undef D
#undef E
}
END_TEST

/* No element in the range, or no list at all: "*0\r\n", an empty array,
 * never the nil "*-1\r\n" or "$-1\r\n". */
START_TEST(test_lrange_empty) {
    client *c = new_client();
    EXPECT(c, "RPUSH q a b c d e\r\n", ":5\r\n");
    EXPECT(c, "LRANGE q 5 10\r\n", "*0\r\n");      /* start == llen */
    EXPECT(c, "LRANGE q 2 1\r\n", "*0\r\n");       /* start > end */
    EXPECT(c, "LRANGE q 0 -6\r\n", "*0\r\n");      /* end -1 < start 0 */
    EXPECT(c, "LRANGE q -100 -6\r\n", "*0\r\n");
    EXPECT(c, "LRANGE q 3 -3\r\n", "*0\r\n");      /* start 3 > end 2 */
    EXPECT(c, "LRANGE nokey 0 -1\r\n", "*0\r\n");
    EXPECT(c, "EXISTS nokey\r\n", ":0\r\n");       /* reading creates nothing */
}
END_TEST

/* Errors, in 5.0.14's order: arity (processCommand), then start, then
 * stop (getLongFromObjectOrReply), then the key's type (checkType). */
START_TEST(test_lrange_errors) {
#define ARITY "-ERR wrong number of arguments for 'lrange' command\r\n"
#define NOTINT "-ERR value is not an integer or out of range\r\n"
    client *c = new_client();
    EXPECT(c, "LRANGE\r\nLRANGE q\r\nLRANGE q 0\r\n", ARITY ARITY ARITY);
    EXPECT(c, "LRANGE q 0 1 2\r\n", ARITY);
    EXPECT(c, "LRANGE nokey a 1\r\nLRANGE nokey 0 b\r\n", NOTINT NOTINT);
    EXPECT(c, "LRANGE nokey 1.5 2\r\nLRANGE nokey \"\" 2\r\n", NOTINT NOTINT);
    EXPECT(c, "LRANGE nokey 0 99999999999999999999\r\n", NOTINT);
    EXPECT(c, "SET s x\r\n", "+OK\r\n");
    EXPECT(c, "LRANGE s a 1\r\n", NOTINT);         /* indexes before type */
    EXPECT(c, "LRANGE s 0 1\r\n", WT);
    EXPECT(c, "GET s\r\n", "$1\r\nx\r\n");
#undef ARITY
#undef NOTINT
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
    tcase_add_test(tc, test_lrange_table_row);
    tcase_add_test(tc, test_lrange_indexes);
    tcase_add_test(tc, test_lrange_empty);
    tcase_add_test(tc, test_lrange_errors);
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
