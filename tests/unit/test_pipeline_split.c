/**
 * @file test_pipeline_split.c
 * @brief The parser must not care where the kernel cuts the byte stream:
 *        whole, split at every byte position, one byte per read, fixed
 *        chunk sizes -- identical replies, and between reads exactly the
 *        partial state Redis 5.0 keeps.
 *
 * Where it sits: between readQueryFromClient (one call per read) and
 * processInputBuffer / processMultibulkBuffer / processInlineBuffer. After
 * a read that does not complete a request, these tests look at the client
 * BEFORE anything is written: no reply (bufpos 0, empty reply list) and the
 * parser's bookkeeping.
 *
 * What Redis 5.0 holds after a partial read (and why qb_pos is always 0):
 * the parser advances qb_pos over every complete line ("*3\r\n", "$3\r\n")
 * and every complete argument ("SET\r\n"); when it needs more bytes it
 * stops, and the end of processInputBuffer trims the consumed bytes with
 * sdsrange(querybuf, qb_pos, -1) and sets qb_pos = 0. So between reads
 * querybuf holds exactly the bytes of the unit being read (an incomplete
 * "*<n>\r\n" or "$<n>\r\n" line, or an incomplete argument), multibulklen
 * counts the arguments still missing, bulklen is the length of the argument
 * being read (-1 while its "$<n>\r\n" line is incomplete) and argc counts
 * the arguments already turned into objects.
 */
#include "pipeline_harness.c"

/** The 27-byte request used by the state table below. */
static const char SET_KV[] = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n";

/** Parser state expected after reading only the first `cut` bytes. */
typedef struct partialState {
    int cut;            /**< Bytes read so far. */
    int multibulklen;   /**< Arguments still to read (0: "*<n>" not parsed yet). */
    long bulklen;       /**< "$<n>" of the argument in progress, -1 if none. */
    int argc;           /**< Arguments already complete. */
    const char *qbuf;   /**< querybuf after the trim: the unconsumed bytes. */
} partialState;

/* Offsets in SET_KV: "*3\r\n" 0-3, "$3\r\n" 4-7, "SET\r\n" 8-12,
 * "$1\r\n" 13-16, "k\r\n" 17-19, "$1\r\n" 20-23, "v\r\n" 24-26. */
static const partialState SET_KV_STATES[] = {
    /* "*", "*3", "*3\r": no complete "*<n>\r\n" line yet (a '\r' needs the
     * '\n' after it too), nothing consumed. */
    {1, 0, -1, 0, "*"}, {2, 0, -1, 0, "*3"}, {3, 0, -1, 0, "*3\r"},
    /* "*3\r\n": multibulklen 3, the line is consumed and trimmed. */
    {4, 3, -1, 0, ""}, {5, 3, -1, 0, "$"}, {6, 3, -1, 0, "$3"},
    {7, 3, -1, 0, "$3\r"},
    /* "$3\r\n": bulklen 3; "SET\r\n" (5 bytes) not all there yet. */
    {8, 3, 3, 0, ""}, {9, 3, 3, 0, "S"}, {10, 3, 3, 0, "SE"},
    {11, 3, 3, 0, "SET"}, {12, 3, 3, 0, "SET\r"},
    /* "SET\r\n" complete: argc 1, two arguments to go. */
    {13, 2, -1, 1, ""}, {14, 2, -1, 1, "$"}, {15, 2, -1, 1, "$1"},
    {16, 2, -1, 1, "$1\r"}, {17, 2, 1, 1, ""}, {18, 2, 1, 1, "k"},
    {19, 2, 1, 1, "k\r"},
    /* "k\r\n" complete: argc 2, one argument to go. */
    {20, 1, -1, 2, ""}, {21, 1, -1, 2, "$"}, {22, 1, -1, 2, "$1"},
    {23, 1, -1, 2, "$1\r"}, {24, 1, 1, 2, ""}, {25, 1, 1, 2, "v"},
    {26, 1, 1, 2, "v\r"},
};

/**
 * @brief Assert the "no reply yet, request reset or in progress" state
 *        common to every partial read.
 * @param c The client, right after a read.
 */
static void assert_no_reply(client *c) {
    ck_assert_int_eq(c->bufpos, 0);
    ck_assert_uint_eq(listLength(c->reply), 0);
    ck_assert_uint_eq(c->reply_bytes, 0);
    ck_assert_uint_eq(c->qb_pos, 0);
}

/* SET_KV cut after each of 1..26 bytes: state after read 1 as in SET_KV_STATES, then "+OK\r\n". */
START_TEST(test_split_mbulk_state_table) {
    client *c = new_client();
    int n = (int)(sizeof(SET_KV_STATES) / sizeof(SET_KV_STATES[0]));
    ck_assert_int_eq(n, (int)sizeof(SET_KV) - 2);
    for (int i = 0; i < n; i++) {
        const partialState *st = &SET_KV_STATES[i];
        feed(c, SET_KV, st->cut, 0);
        assert_no_reply(c);
        ck_assert_msg(c->reqtype == PROTO_REQ_MULTIBULK, "cut %d: reqtype %d", st->cut, c->reqtype);
        ck_assert_msg(c->multibulklen == st->multibulklen, "cut %d: multibulklen %d, expected %d",
                      st->cut, c->multibulklen, st->multibulklen);
        ck_assert_msg(c->bulklen == st->bulklen, "cut %d: bulklen %ld, expected %ld",
                      st->cut, c->bulklen, st->bulklen);
        ck_assert_msg(c->argc == st->argc, "cut %d: argc %d, expected %d",
                      st->cut, c->argc, st->argc);
        ck_assert_msg(sdslen(c->querybuf) == strlen(st->qbuf) &&
                      memcmp(c->querybuf, st->qbuf, strlen(st->qbuf)) == 0,
                      "cut %d: querybuf has %zu bytes, expected \"%s\"",
                      st->cut, sdslen(c->querybuf), st->qbuf);
        /* Completed arguments are already objects: "SET", then "k". */
        if (c->argc >= 1) ck_assert_str_eq(c->argv[0]->ptr, "SET");
        if (c->argc >= 2) ck_assert_str_eq(c->argv[1]->ptr, "k");
        feed(c, SET_KV + st->cut, sizeof(SET_KV) - 1 - st->cut, 0);
        ASSERT_LIT(collect_output(c), "+OK\r\n");
        /* resetClient after the command: ready for the next "*". */
        ck_assert_int_eq(c->argc, 0);
        ck_assert_int_eq(c->multibulklen, 0);
        ck_assert_int_eq(c->bulklen, -1);
        ck_assert_int_eq(c->reqtype, 0);
        ck_assert_uint_eq(c->qb_pos, 0);
        ck_assert_uint_eq(sdslen(c->querybuf), 0);
    }
}
END_TEST

/* "SET k v\r\n" cut after 1..8 bytes: inline, nothing consumed until '\n'; then "+OK\r\n". */
START_TEST(test_split_inline_state) {
    static const char req[] = "SET k v\r\n";
    client *c = new_client();
    for (int cut = 1; cut < (int)sizeof(req) - 1; cut++) {
        feed(c, req, cut, 0);
        assert_no_reply(c);
        /* processInlineBuffer only acts on a full line: querybuf keeps the
         * whole prefix, e.g. "SET k v\r" for cut 8 (split inside "\r\n"). */
        ck_assert_int_eq(c->reqtype, PROTO_REQ_INLINE);
        ck_assert_int_eq(c->argc, 0);
        ck_assert_int_eq(c->multibulklen, 0);
        ck_assert_int_eq(c->bulklen, -1);
        ck_assert_uint_eq(sdslen(c->querybuf), (size_t)cut);
        ck_assert(memcmp(c->querybuf, req, cut) == 0);
        feed(c, req + cut, sizeof(req) - 1 - cut, 0);
        ASSERT_LIT(collect_output(c), "+OK\r\n");
        ck_assert_uint_eq(sdslen(c->querybuf), 0);
        ck_assert_int_eq(c->reqtype, 0);
    }
}
END_TEST

/** A pipeline mixing both request types, with its replies and request ends. */
static const char MIXED[] =
    "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n"  /* ends at 31 */
    "GET k\r\n"                                      /* ends at 38 */
    "*2\r\n$4\r\nECHO\r\n$2\r\n\r\n\r\n"             /* arg "\r\n", ends at 60 */
    "EXISTS k\n"                                     /* LF only, ends at 69 */
    "\r\n"                                           /* empty line, no reply, 71 */
    "*1\r\n$4\r\nPING\r\n";                          /* ends at 85 */

/** End offset of each request of MIXED (the empty line has no reply). */
static const size_t MIXED_ENDS[] = {31, 38, 60, 69, 85};
/** Reply of each request of MIXED, in order. */
static const char *const MIXED_REPLIES[] = {
    "+OK\r\n", "$5\r\nhello\r\n", "$2\r\n\r\n\r\n", ":1\r\n", "+PONG\r\n"};
/** Every reply of MIXED together. */
static const char MIXED_OUT[] = "+OK\r\n$5\r\nhello\r\n$2\r\n\r\n\r\n:1\r\n+PONG\r\n";

/**
 * @brief The replies Redis sends after the first @p upto bytes of MIXED:
 *        those of the requests that end within them.
 * @param upto Bytes of MIXED read so far.
 * @return New sds.
 */
static sds mixed_replies_upto(size_t upto) {
    sds s = sdsempty();
    for (size_t i = 0; i < sizeof(MIXED_ENDS) / sizeof(MIXED_ENDS[0]); i++)
        if (MIXED_ENDS[i] <= upto) s = sdscat(s, MIXED_REPLIES[i]);
    return s;
}

/* MIXED fed whole -> MIXED_OUT. */
START_TEST(test_split_mixed_whole) {
    ck_assert_uint_eq(sizeof(MIXED) - 1, 85);
    client *c = new_client();
    feed(c, MIXED, sizeof(MIXED) - 1, 0);
    ASSERT_LIT(collect_output(c), MIXED_OUT);
}
END_TEST

/* MIXED split in two reads at every position 1..84: after read 1 only the finished requests replied; total = MIXED_OUT. */
START_TEST(test_split_mixed_every_cut) {
    client *c = new_client();
    for (size_t cut = 1; cut < sizeof(MIXED) - 1; cut++) {
        sds first_exp = mixed_replies_upto(cut);
        feed(c, MIXED, cut, 0);
        /* Nothing written yet: bufpos holds exactly the finished replies. */
        ck_assert_msg((size_t)c->bufpos == sdslen(first_exp),
                      "cut %zu: bufpos %d, expected %zu", cut, c->bufpos, sdslen(first_exp));
        ck_assert_uint_eq(c->qb_pos, 0);
        ASSERT_BYTES(collect_output(c), first_exp, sdslen(first_exp));
        feed(c, MIXED + cut, sizeof(MIXED) - 1 - cut, 0);
        sds rest = collect_output(c);
        sds all = sdscatsds(sdsdup(first_exp), rest);
        ASSERT_BYTES(all, MIXED_OUT, sizeof(MIXED_OUT) - 1);
        sdsfree(rest);
        sdsfree(first_exp);
        ck_assert_uint_eq(sdslen(c->querybuf), 0);
    }
}
END_TEST

/* MIXED one byte per read: after each byte, output so far = replies of finished requests. */
START_TEST(test_split_mixed_one_byte_reads) {
    client *c = new_client();
    sds got = sdsempty();
    for (size_t i = 0; i < sizeof(MIXED) - 1; i++) {
        feed(c, MIXED + i, 1, 0);
        sds out = collect_output(c);
        got = sdscatsds(got, out);
        sdsfree(out);
        sds exp = mixed_replies_upto(i + 1);
        ASSERT_BYTES(sdsdup(got), exp, sdslen(exp));
        sdsfree(exp);
    }
    ASSERT_LIT(got, MIXED_OUT);
}
END_TEST

/* MIXED in fixed chunks of 2, 3, 5, 7, 13, 16 bytes and in a list of sizes -> MIXED_OUT each time. */
START_TEST(test_split_mixed_chunk_sizes) {
    static const size_t fixed[] = {2, 3, 5, 7, 13, 16};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        client *c = new_client();
        feed(c, MIXED, sizeof(MIXED) - 1, fixed[i]);
        ASSERT_LIT(collect_output(c), MIXED_OUT);
        feed_eof(c);
    }
    static const size_t sizes[] = {1, 4, 2, 9, 3, 30};
    client *c = new_client();
    feed_sizes(c, MIXED, sizeof(MIXED) - 1, sizes, 6);
    ASSERT_LIT(collect_output(c), MIXED_OUT);
}
END_TEST

/* "PING\r" then "\n": split inside an inline "\r\n" -> nothing, then "+PONG\r\n". */
START_TEST(test_split_inside_crlf_inline) {
    client *c = new_client();
    feed_str(c, "PING\r");
    assert_no_reply(c);
    ck_assert_uint_eq(sdslen(c->querybuf), 5);
    feed_str(c, "\n");
    ASSERT_LIT(collect_output(c), "+PONG\r\n");
}
END_TEST

/* "*1\r\n$4\r\nPING\r" then "\n": the argument needs its "\r\n" too -> bulklen 4, querybuf "PING\r". */
START_TEST(test_split_inside_crlf_mbulk) {
    client *c = new_client();
    feed_str(c, "*1\r\n$4\r\nPING\r");
    assert_no_reply(c);
    ck_assert_int_eq(c->multibulklen, 1);
    ck_assert_int_eq(c->bulklen, 4);
    ck_assert_int_eq(c->argc, 0);
    ck_assert_str_eq(c->querybuf, "PING\r");
    feed_str(c, "\n");
    ASSERT_LIT(collect_output(c), "+PONG\r\n");
}
END_TEST

/* Two requests in one read with the second cut: "PING\r\n*2\r\n$4\r\nECHO\r\n$3\r\nab" -> "+PONG\r\n" now, "$3\r\nabc\r\n" later. */
START_TEST(test_split_second_request_partial) {
    client *c = new_client();
    feed_str(c, "PING\r\n*2\r\n$4\r\nECHO\r\n$3\r\nab");
    /* PING is answered; ECHO is parsed up to its second argument. */
    ck_assert_int_eq(c->bufpos, 7);
    ck_assert_int_eq(c->argc, 1);
    ck_assert_int_eq(c->multibulklen, 1);
    ck_assert_int_eq(c->bulklen, 3);
    ck_assert_str_eq(c->querybuf, "ab");
    ASSERT_LIT(collect_output(c), "+PONG\r\n");
    feed_str(c, "c\r\n");
    ASSERT_LIT(collect_output(c), "$3\r\nabc\r\n");
}
END_TEST

/**
 * @brief Build the suite.
 * @return The suite.
 */
static Suite *split_suite(void) {
    Suite *s = suite_create("pipeline_split");
    TCase *tc = tcase_create("split");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_split_mbulk_state_table);
    tcase_add_test(tc, test_split_inline_state);
    tcase_add_test(tc, test_split_mixed_whole);
    tcase_add_test(tc, test_split_mixed_every_cut);
    tcase_add_test(tc, test_split_mixed_one_byte_reads);
    tcase_add_test(tc, test_split_mixed_chunk_sizes);
    tcase_add_test(tc, test_split_inside_crlf_inline);
    tcase_add_test(tc, test_split_inside_crlf_mbulk);
    tcase_add_test(tc, test_split_second_request_partial);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the split tests.
 * @return 0 if all passed, 1 otherwise.
 */
int main(void) {
    return run_suite(split_suite());
}
