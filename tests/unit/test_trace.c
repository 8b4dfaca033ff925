/**
 * @file test_trace.c
 * @brief Check unit tests of the trace emitter (src/trace.c): the byte
 *        escaping of "data" strings, the client-state serialiser, and the
 *        sequence of steps a fake client's commands produce.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Beside it, like trace.c. The fake client of pipeline_harness.c stands in
 * for a socket: bytes go in through server.fake_io.read, replies come out
 * through server.fake_io.write. With a trace stream opened on an in-memory
 * FILE (open_memstream), every traceEvent() the pipeline code passes lands
 * in that memory, and the tests read the lines back. What flows in: bytes
 * and client state. What flows out: PASS/FAIL of each Check test.
 *
 * The decoding used here is the one docs/trace-format.md documents: a
 * "data" string is a JSON string whose every code point is one byte
 * (\\" and \\\\ for the two specials, \\u00XX for anything outside
 * 0x20..0x7e), so decode(escape(b)) == b for every byte string b.
 */
#include "pipeline_harness.c"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================== The documented decoding ======================== */

/**
 * @brief Decode the inside of a "data" string back to bytes, as a reader
 *        of the trace would (one code point = one byte).
 * @param src    Escaped text (no surrounding quotes).
 * @param srclen Its length.
 * @param dst    Output, at least @p srclen bytes.
 * @return Bytes decoded, or -1 if the text is not a valid escaping
 *         (unknown escape, a code point above 0xff, a raw control byte or
 *         a raw '"').
 *
 * Called by: the escaping tests.
 */
static long decodeData(const char *src, size_t srclen, unsigned char *dst) {
    size_t i = 0;
    long n = 0;

    while (i < srclen) {
        unsigned char ch = (unsigned char)src[i];

        if (ch == '"' || ch < 0x20 || ch > 0x7e) return -1;
        if (ch != '\\') {
            dst[n++] = ch;
            i++;
            continue;
        }
        /* An escape: \" \\ or \u00XX. Nothing else is ever written. */
        if (i + 1 >= srclen) return -1;
        if (src[i + 1] == '"' || src[i + 1] == '\\') {
            dst[n++] = (unsigned char)src[i + 1];
            i += 2;
            continue;
        }
        if (src[i + 1] != 'u' || i + 6 > srclen) return -1;
        unsigned int cp;
        char hex[5] = {src[i + 2], src[i + 3], src[i + 4], src[i + 5], 0};
        if (strspn(hex, "0123456789abcdef") != 4) return -1; /* lower case */
        cp = (unsigned int)strtoul(hex, NULL, 16);
        if (cp > 0xff) return -1;
        dst[n++] = (unsigned char)cp;
        i += 6;
    }
    return n;
}

/* ======================== Escaping ======================== */

/**
 * @brief Every byte value 0..255 alone: the exact escaped form the format
 *        prescribes, and decoding gives the byte back.
 */
START_TEST(test_escape_each_byte) {
    for (int b = 0; b < 256; b++) {
        char in = (char)b, out[16], want[16];
        unsigned char back[16];
        size_t n = traceEscapeBytes(out, &in, 1);

        if (b == '"') strcpy(want, "\\\"");
        else if (b == '\\') strcpy(want, "\\\\");
        else if (b >= 0x20 && b <= 0x7e) snprintf(want, sizeof(want), "%c", b);
        else snprintf(want, sizeof(want), "\\u%04x", b);
        ck_assert_msg(n == strlen(want) && memcmp(out, want, n) == 0,
                      "byte 0x%02x escaped as \"%.*s\", want \"%s\"", b,
                      (int)n, out, want);
        ck_assert_msg(decodeData(out, n, back) == 1 && back[0] == b,
                      "byte 0x%02x does not decode back", b);
    }
}
END_TEST

/**
 * @brief All 256 byte values in one string, then in reverse order with
 *        "\r\n" pairs: the escaped text is printable JSON-string content
 *        and decodes to exactly the input.
 */
START_TEST(test_escape_all_bytes_round_trip) {
    char in[512 + 64];
    size_t len = 0;

    for (int b = 0; b < 256; b++) in[len++] = (char)b;
    for (int b = 255; b >= 0; b--) in[len++] = (char)b;
    memcpy(in + len, "*3\r\n$3\r\nSET\r\n\"quoted\\\"\r\n", 24);
    len += 24;

    char *out = malloc(len * 6);
    unsigned char *back = malloc(len);
    size_t n = traceEscapeBytes(out, in, len);

    ck_assert_uint_le(n, len * 6);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(out[i] >= 0x20 && out[i] <= 0x7e,
                      "escaped text has raw byte 0x%02x at %zu",
                      (unsigned char)out[i], i);
    ck_assert_int_eq(decodeData(out, n, back), (long)len);
    ck_assert(memcmp(back, in, len) == 0);
    free(out);
    free(back);
}
END_TEST

/**
 * @brief A 100,000-byte pseudo-random value is escaped whole (bytes are
 *        never cut in "data") and round-trips.
 */
START_TEST(test_escape_large_never_cut) {
    size_t len = 100000;
    char *in = malloc(len), *out = malloc(len * 6);
    unsigned char *back = malloc(len);
    unsigned int x = 12345;

    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;  /* a fixed LCG: same bytes each run */
        in[i] = (char)(x >> 16);
    }
    size_t n = traceEscapeBytes(out, in, len);
    ck_assert_int_eq(decodeData(out, n, back), (long)len);
    ck_assert(memcmp(back, in, len) == 0);
    free(in);
    free(out);
    free(back);
}
END_TEST

/* ======================== Client state ======================== */

/**
 * @brief The top-level keys of a JSON object, in order, joined by ','.
 * @param json The object text.
 * @param len  Its length.
 * @return A new sds "qlen,qb_pos,...".
 *
 * Called by: the state serialiser tests.
 */
static sds topLevelKeys(const char *json, size_t len) {
    sds keys = sdsempty();
    int depth = 0, instr = 0, expect_key = 0;

    for (size_t i = 0; i < len; i++) {
        char ch = json[i];

        if (instr) {
            if (ch == '\\') i++;
            else if (ch == '"') instr = 0;
            continue;
        }
        if (ch == '"') {
            if (depth == 1 && expect_key) {
                size_t end = i + 1;
                while (end < len && json[end] != '"') end++;
                if (sdslen(keys)) keys = sdscat(keys, ",");
                keys = sdscatlen(keys, json + i + 1, end - i - 1);
                i = end;
                expect_key = 0;
                continue;
            }
            instr = 1;
        } else if (ch == '{' || ch == '[') {
            depth++;
            expect_key = (ch == '{' && depth == 1);
        } else if (ch == '}' || ch == ']') {
            depth--;
        } else if (ch == ',' && depth == 1) {
            expect_key = 1;
        }
    }
    return keys;
}

/** The "c" keys in the documented order. */
static const char *STATE_KEYS =
    "qlen,qb_pos,querybuf_peak,reqtype,multibulklen,bulklen,argc,argv,"
    "bufpos,sentlen,reply,reply_bytes,flags,db,mstime";

/**
 * @brief Serialise @p c into a new sds (the "c" object alone).
 * @param c The client.
 * @return The JSON text.
 *
 * Called by: the state serialiser tests.
 */
static sds stateOf(client *c) {
    char *buf = NULL;
    size_t len = 0, cap = 0;

    traceCatClientState(c, &buf, &len, &cap);
    sds s = sdsnewlen(buf, len);
    free(buf);
    return s;
}

/**
 * @brief A fresh client and one half-parsed SET: keys in the documented
 *        order, the parse state as the numbers say, argv as
 *        [value,length] pairs.
 */
START_TEST(test_state_key_order_mid_parse) {
    client *c = new_client();
    /* "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n": two arguments complete,
     * the third announced as 1 byte but not there yet. */
    const char *in = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n";

    feed(c, in, strlen(in), 0);
    sds s = stateOf(c);
    sds keys = topLevelKeys(s, sdslen(s));
    ck_assert_msg(strcmp(keys, STATE_KEYS) == 0, "keys %s\nwant %s", keys,
                  STATE_KEYS);
    ck_assert_msg(s[0] == '{' && s[sdslen(s) - 1] == '}', "not an object: %s",
                  s);
    ck_assert_msg(strstr(s, "\"reqtype\":2,\"multibulklen\":1,\"bulklen\":1,"
                            "\"argc\":2,\"argv\":[[\"SET\",3],[\"k\",1]],")
                      != NULL, "parse state: %s", s);
    ck_assert_msg(strstr(s, "\"bufpos\":0,\"sentlen\":0,\"reply\":[],"
                            "\"reply_bytes\":0,\"flags\":[],\"db\":0,")
                      != NULL, "output state: %s", s);
    sdsfree(keys);
    sdsfree(s);
}
END_TEST

/**
 * @brief argv values longer than 32 bytes are cut to 32 and followed by
 *        their real length; binary bytes in argv are escaped.
 */
START_TEST(test_state_argv_cut_and_escaped) {
    client *c = new_client();
    /* SET and a 40-byte key complete, the value announced but not there:
     * the command has not run, so argv still holds both arguments. */
    sds in = sdsnew("*3\r\n$3\r\nSET\r\n$40\r\n");
    for (int i = 0; i < 4; i++) in = sdscat(in, "0123456789");
    in = sdscat(in, "\r\n$2\r\n");
    feed(c, in, sdslen(in), 0);
    sds s = stateOf(c);
    ck_assert_msg(strstr(s, "\"argv\":[[\"SET\",3],"
                            "[\"01234567890123456789012345678901\",40]]")
                      != NULL, "argv: %s", s);
    sdsfree(s);
    sdsfree(in);

    /* An argument holding CR LF and a quote: escaped as the format says. */
    client *d = new_client();
    const char *in2 = "*3\r\n$3\r\nSET\r\n$4\r\n\"\r\n\\\r\n$1\r\n";
    feed(d, in2, strlen(in2), 0);
    s = stateOf(d);
    ck_assert_msg(strstr(s, "[\"\\\"\\u000d\\u000a\\\\\",4]") != NULL,
                  "escaped argv: %s", s);
    sdsfree(s);
}
END_TEST

/**
 * @brief Flags are listed by name in bit order (MULTI before
 *        CLOSE_AFTER_REPLY before PUBSUB), and FAKE_IO is never listed.
 */
START_TEST(test_state_flags_bit_order) {
    client *c = new_client();
    int saved = c->flags;

    c->flags |= CLIENT_PUBSUB | CLIENT_CLOSE_AFTER_REPLY | CLIENT_MULTI;
    sds s = stateOf(c);
    ck_assert_msg(strstr(s, "\"flags\":[\"MULTI\",\"CLOSE_AFTER_REPLY\","
                            "\"PUBSUB\"],") != NULL, "flags: %s", s);
    ck_assert_msg(strstr(s, "FAKE_IO") == NULL, "FAKE_IO listed: %s", s);
    ck_assert_str_eq(traceFlagName(3), "MULTI");
    ck_assert_str_eq(traceFlagName(18), "PUBSUB");
    ck_assert_ptr_null(traceFlagName(64));
    c->flags = saved;
    sdsfree(s);
}
END_TEST

/**
 * @brief A 20,000-byte GET reply left unwritten: c->buf holds "$20000\r\n"
 *        (8 bytes), the value goes to a reply block of at least 20,000
 *        bytes, and "reply_bytes" is the sum of the blocks' sizes. Written
 *        out, everything drops back to zero.
 *
 * A block takes over malloc's slack (its size is the usable size of the
 * allocation, 20,008 with glibc), so the final "\r\n" may share the
 * value's block or open a second one: both are accepted, the sums must
 * agree either way.
 */
START_TEST(test_state_reply_blocks) {
    client *c = new_client();
    sds big = sds_repeat("x", 1, 20000);
    sds set = mbulk(3, "SET", "big", big);
    uint64_t id = c->id;
    size_t size1 = 0, used1 = 0, size2 = 0, used2 = 0;
    unsigned long long rb = 0;
    int bufpos = -1;

    feed(c, set, sdslen(set), 0);
    sdsfree(collect(id));
    feed_str(c, "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n");
    sds s = stateOf(c);
    const char *p = strstr(s, "\"bufpos\":");
    ck_assert_ptr_nonnull(p);
    int one = sscanf(p, "\"bufpos\":%d,\"sentlen\":0,\"reply\":[[%zu,%zu]],"
                        "\"reply_bytes\":%llu,", &bufpos, &size1, &used1, &rb);
    int two = sscanf(p, "\"bufpos\":%d,\"sentlen\":0,\"reply\":[[%zu,%zu],"
                        "[%zu,%zu]],\"reply_bytes\":%llu,", &bufpos, &size1,
                     &used1, &size2, &used2, &rb);
    ck_assert_msg(one == 4 || two == 6, "reply state: %.300s", s);
    ck_assert_int_eq(bufpos, 8);
    ck_assert_uint_ge(size1, 20000);
    ck_assert_uint_le(used1, size1);
    ck_assert_uint_le(used2, size2);
    ck_assert_uint_eq(used1 + used2, 20002);
    ck_assert_uint_eq(rb, size1 + size2);
    sdsfree(s);
    sdsfree(collect(id));
    s = stateOf(c);
    ck_assert_msg(strstr(s, "\"bufpos\":0,\"sentlen\":0,\"reply\":[],"
                            "\"reply_bytes\":0,") != NULL,
                  "after the write: %.300s", s);
    sdsfree(s);
    sdsfree(big);
    sdsfree(set);
}
END_TEST

/* ======================== Steps of a fake client ======================== */

static char *mem_buf;   /**< open_memstream's buffer. */
static size_t mem_len;  /**< Its length. */
static FILE *mem_fp;    /**< The trace stream. */

/**
 * @brief Start tracing into memory.
 *
 * Called by: the step tests.
 */
static void traceToMemory(void) {
    mem_fp = open_memstream(&mem_buf, &mem_len);
    ck_assert_ptr_nonnull(mem_fp);
    traceOpenStream(mem_fp, 0);
}

/**
 * @brief Stop tracing; return the steps ("cat") of client @p id in order,
 *        space separated, and check every line's ts follows the last.
 * @param id The client id (tid).
 * @return A new sds "read loop-turn ...".
 *
 * Called by: the step tests.
 */
static sds stepsOf(uint64_t id) {
    sds steps = sdsempty();
    char tidkey[64];
    unsigned long long want_ts = 0;

    traceClose("config");
    fclose(mem_fp);
    snprintf(tidkey, sizeof(tidkey), "{\"tid\":%llu,", (unsigned long long)id);
    for (char *line = mem_buf, *nl; line < mem_buf + mem_len; line = nl + 1) {
        unsigned long long ts;

        nl = memchr(line, '\n', mem_buf + mem_len - line);
        ck_assert_msg(nl != NULL, "last line not terminated");
        ck_assert_msg(sscanf(line, "{\"tid\":%*u,\"ts\":%llu,", &ts) == 1,
                      "line does not start with tid, ts: %.80s", line);
        ck_assert_msg(ts == want_ts, "ts %llu, want %llu", ts, want_ts);
        want_ts++;
        if (strncmp(line, tidkey, strlen(tidkey)) != 0) continue;
        char *cat = strstr(line, "\"cat\":\"");
        ck_assert_ptr_nonnull(cat);
        cat += 7;
        if (sdslen(steps)) steps = sdscat(steps, " ");
        steps = sdscatlen(steps, cat, strchr(cat, '"') - cat);
    }
    free(mem_buf);
    return steps;
}

/**
 * @brief PING in one read, then the write: every step of the story, in
 *        the order the pipeline takes them.
 */
START_TEST(test_steps_ping) {
    traceToMemory();
    client *c = new_client();
    uint64_t id = c->id;

    feed_str(c, "*1\r\n$4\r\nPING\r\n");
    ASSERT_LIT(collect(id), "+PONG\r\n");
    sds steps = stepsOf(id);
    ck_assert_str_eq(steps,
        "created read loop-turn reqtype mbulk-len bulk-len arg lookup call "
        "pending-write buf-append done reset loop-drained trim handle write "
        "emptied");
    sdsfree(steps);
}
END_TEST

/**
 * @brief A command cut short: the parser says need-more and the consumed
 *        header is trimmed; the rest completes it in a second read.
 */
START_TEST(test_steps_need_more) {
    traceToMemory();
    client *c = new_client();
    uint64_t id = c->id;

    feed_str(c, "*1\r\n$4\r\nPI");
    feed_str(c, "NG\r\n");
    ASSERT_LIT(collect(id), "+PONG\r\n");
    sds steps = stepsOf(id);
    ck_assert_str_eq(steps,
        "created read loop-turn reqtype mbulk-len bulk-len need-more trim "
        "read loop-turn arg lookup call "
        "pending-write buf-append done reset loop-drained trim handle write "
        "emptied");
    sdsfree(steps);
}
END_TEST

/**
 * @brief Two inline commands in one read, the second unknown: two loop
 *        turns, a parsed step each, a refusal at lookup. The error goes
 *        out as three appends ("-ERR ", the message, "\r\n") and the
 *        "refused" event follows them (its state is the state after the
 *        step, reply included).
 */
START_TEST(test_steps_inline_unknown) {
    traceToMemory();
    client *c = new_client();
    uint64_t id = c->id;

    feed_str(c, "PING\r\nNOPE\r\n");
    ASSERT_LIT(collect(id), "+PONG\r\n-ERR unknown command `NOPE`, with args "
                            "beginning with: \r\n");
    sds steps = stepsOf(id);
    ck_assert_str_eq(steps,
        "created read loop-turn reqtype parsed lookup call pending-write "
        "buf-append done reset loop-turn reqtype parsed lookup "
        "already-pending buf-append already-pending buf-append "
        "already-pending buf-append refused reset loop-drained trim handle "
        "write emptied");
    sdsfree(steps);
}
END_TEST

/**
 * @brief A reply for a client that is closing: A subscribed, then sent
 *        QUIT ("+OK\r\n" queued, CLOSE_AFTER_REPLY set, not written yet);
 *        B's PUBLISH to A's channel reaches A's addReply, which must drop
 *        every fragment with a "reply-closing" step (bytes already pending:
 *        "already-pending" first). A receives only "+OK\r\n".
 */
START_TEST(test_steps_reply_closing) {
    client *a = new_client(), *b = new_client();
    uint64_t ida = a->id, idb = b->id;

    feed_str(a, "*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nch\r\n");
    sdsfree(collect(ida));
    traceToMemory();
    feed_str(a, "*1\r\n$4\r\nQUIT\r\n");
    feed_str(b, "*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$1\r\nm\r\n");
    ASSERT_LIT(collect(idb), ":1\r\n");
    ASSERT_LIT(collect(ida), "+OK\r\n");
    sds steps = stepsOf(ida);
    /* QUIT: +OK into c->buf, then the flag; the PUBLISH frame ("*3\r\n",
     * "$7\r\nmessage\r\n", "$2\r\nch\r\n", "$1\r\nm\r\n": addReply
     * fragments) each asks prepareClientToWrite and is dropped. */
    ck_assert_msg(strstr(steps, "quit loop-drained trim ") != NULL &&
                  strstr(steps, "already-pending reply-closing "
                                "already-pending reply-closing") != NULL,
                  "steps: %s", steps);
    sdsfree(steps);
}
END_TEST

/**
 * @brief The decisions of the reply path for a 20,000-byte GET: "$20000\r\n"
 *        goes to c->buf, the value is refused by c->buf ("buf-refuse"
 *        why=full, avail 16376) and gets a block of its own ("block-new"
 *        why=no-block), the "\r\n" is refused because the list is not
 *        empty (why=list) and, the block being full, gets a second block
 *        (why=tail-full).
 */
START_TEST(test_steps_buf_refuse) {
    client *c = new_client();
    uint64_t id = c->id;
    sds val = sds_repeat("v", 1, 20000);
    sds set = mbulk(3, "SET", "k", val);

    feed(c, set, sdslen(set), 0);
    sdsfree(collect(id));
    traceToMemory();
    feed_str(c, "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
    sds out = collect(id);
    ck_assert_uint_eq(sdslen(out), 8 + 20000 + 2);
    sdsfree(out);
    traceClose("config");
    fclose(mem_fp);
    ck_assert_msg(strstr(mem_buf, "\"cat\":\"buf-refuse\"") != NULL &&
                  strstr(mem_buf, "\"why\":\"full\",\"len\":20000,"
                                  "\"avail\":16376") != NULL &&
                  strstr(mem_buf, "\"size\":20000,\"why\":\"no-block\"") &&
                  strstr(mem_buf, "\"why\":\"list\",\"len\":2,") &&
                  strstr(mem_buf, "\"size\":16384,\"why\":\"tail-full\""),
                  "trace: %.2000s", mem_buf);
    free(mem_buf);
    sdsfree(set);
    sdsfree(val);
}
END_TEST

/**
 * @brief The unit's test cases.
 * @return The suite.
 *
 * Called by: main().
 */
static Suite *traceSuite(void) {
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("escape");
    tcase_add_test(tc, test_escape_each_byte);
    tcase_add_test(tc, test_escape_all_bytes_round_trip);
    tcase_add_test(tc, test_escape_large_never_cut);
    suite_add_tcase(s, tc);
    tc = tcase_create("state");
    tcase_add_test(tc, test_state_key_order_mid_parse);
    tcase_add_test(tc, test_state_argv_cut_and_escaped);
    tcase_add_test(tc, test_state_flags_bit_order);
    tcase_add_test(tc, test_state_reply_blocks);
    suite_add_tcase(s, tc);
    tc = tcase_create("steps");
    tcase_add_test(tc, test_steps_ping);
    tcase_add_test(tc, test_steps_need_more);
    tcase_add_test(tc, test_steps_inline_unknown);
    tcase_add_test(tc, test_steps_reply_closing);
    tcase_add_test(tc, test_steps_buf_refuse);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the trace unit tests.
 * @return 0 if every test passed.
 */
int main(void) {
    return run_suite(traceSuite());
}
