/**
 * @file hiredis_client.c
 * @brief An integration test client written against hiredis 0.14, the C
 *        library most C programs use to talk to Redis.
 *
 * Where it sits: outside the server, at the far end of the socket. It is
 * built by `make test-bins` into build/tests/hiredis_client and run by
 * tests/integration/test_hiredis.py, which starts the server and passes
 * its port:
 *
 *     build/tests/hiredis_client 127.0.0.1 PORT
 *
 * What flows in: replies, parsed by hiredis's own reader into redisReply
 * trees. What flows out: one line per check, in the suite's line protocol
 * (`PASS name` or `FAIL name: reason`); exit status 1 if anything failed.
 *
 * Every reply is checked for its type (status, string, integer, nil,
 * array, error) as well as its value: a server that answered `+1\r\n`
 * where Redis answers `:1\r\n` would fool redis-cli's raw output, but not
 * this client.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <hiredis/hiredis.h>

/** Number of FAIL lines printed so far; non-zero means exit status 1. */
static int failures;

/** Why the current test case failed; empty while it has not. */
static char why[512];

/**
 * @brief Record the first failure reason of the current test case.
 *
 * Later calls in the same case are ignored, so the printed reason is the
 * first thing that went wrong rather than its consequences.
 *
 * @param fmt printf-style format of the reason.
 * @param ... arguments for @p fmt.
 *
 * Called by: the expect* helpers below.
 */
static void fail(const char *fmt, ...) {
    va_list ap;
    if (why[0]) return;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
}

/**
 * @brief Print the PASS or FAIL line of a finished test case and reset the
 *        failure reason for the next one.
 *
 * @param name test case name printed after PASS/FAIL.
 *
 * Called by: main() after each case.
 */
static void report(const char *name) {
    if (why[0]) {
        printf("FAIL %s: %s\n", name, why);
        failures++;
    } else {
        printf("PASS %s\n", name);
    }
    fflush(stdout);
    why[0] = '\0';
}

/**
 * @brief Name of a hiredis reply type, for failure messages.
 *
 * @param type a REDIS_REPLY_* constant.
 * @return a static string such as "integer".
 *
 * Called by: expectType().
 */
static const char *typeName(int type) {
    switch (type) {
    case REDIS_REPLY_STRING: return "string";
    case REDIS_REPLY_ARRAY: return "array";
    case REDIS_REPLY_INTEGER: return "integer";
    case REDIS_REPLY_NIL: return "nil";
    case REDIS_REPLY_STATUS: return "status";
    case REDIS_REPLY_ERROR: return "error";
    default: return "unknown";
    }
}

/**
 * @brief Check that a reply exists and has the expected type.
 *
 * A NULL reply means hiredis lost the connection or could not parse the
 * bytes (its error text is in the context).
 *
 * @param ctx the connection, for its error text.
 * @param r the reply to check (may be NULL).
 * @param type the REDIS_REPLY_* type wanted.
 * @param what which command this reply answers, for the message.
 * @return 1 if the type matches, 0 after recording a failure.
 *
 * Called by: every expect* helper.
 */
static int expectType(redisContext *ctx, redisReply *r, int type,
                      const char *what) {
    if (r == NULL) {
        fail("%s: no reply (%s)", what, ctx->errstr[0] ? ctx->errstr : "?");
        return 0;
    }
    if (r->type != type) {
        fail("%s: reply type %s, want %s%s%.80s", what, typeName(r->type),
             typeName(type), r->type == REDIS_REPLY_ERROR ? ": " : "",
             r->type == REDIS_REPLY_ERROR ? r->str : "");
        return 0;
    }
    return 1;
}

/**
 * @brief Check a status reply (`+OK\r\n` parses to type status, str "OK").
 *
 * @param ctx the connection.
 * @param r the reply.
 * @param want expected status text, without the '+'.
 * @param what which command, for the message.
 *
 * Called by: main().
 */
static void expectStatus(redisContext *ctx, redisReply *r, const char *want,
                         const char *what) {
    if (expectType(ctx, r, REDIS_REPLY_STATUS, what) && strcmp(r->str, want))
        fail("%s: status \"%s\", want \"%s\"", what, r->str, want);
}

/**
 * @brief Check a bulk string reply byte for byte (binary safe, uses len).
 *
 * @param ctx the connection.
 * @param r the reply.
 * @param want expected bytes.
 * @param len length of @p want.
 * @param what which command, for the message.
 *
 * Called by: main(), checkPipeline(), checkBigValue().
 */
static void expectString(redisContext *ctx, redisReply *r, const char *want,
                         size_t len, const char *what) {
    if (!expectType(ctx, r, REDIS_REPLY_STRING, what)) return;
    if (r->len != len) {
        fail("%s: string of %zu bytes, want %zu", what, r->len, len);
    } else if (memcmp(r->str, want, len) != 0) {
        size_t i = 0;
        while (r->str[i] == want[i]) i++;
        fail("%s: string differs at byte %zu", what, i);
    }
}

/**
 * @brief Check an integer reply (`:42\r\n`).
 *
 * @param ctx the connection.
 * @param r the reply.
 * @param want expected value.
 * @param what which command, for the message.
 *
 * Called by: main(), checkPipeline().
 */
static void expectInteger(redisContext *ctx, redisReply *r, long long want,
                          const char *what) {
    if (expectType(ctx, r, REDIS_REPLY_INTEGER, what) && r->integer != want)
        fail("%s: integer %lld, want %lld", what, r->integer, want);
}

/**
 * @brief Run one command with redisCommand, check it with a status
 *        expectation, and free the reply.
 *
 * @param ctx the connection.
 * @param want expected status text.
 * @param cmd the command, already formatted (no % arguments).
 *
 * Called by: main().
 */
static void commandStatus(redisContext *ctx, const char *want,
                          const char *cmd) {
    redisReply *r = redisCommand(ctx, cmd);
    expectStatus(ctx, r, want, cmd);
    if (r) freeReplyObject(r);
}

/**
 * @brief Send 1,000 commands in one batch, then read the 1,000 replies.
 *
 * redisAppendCommand only formats into hiredis's output buffer; the first
 * redisGetReply writes the whole batch (about 30 KB) and then replies are
 * parsed in order. Even commands are `SET pipe:N vN` (status OK), odd ones
 * `INCR pipectr` (integers 1..500), and a final GET of every 100th key
 * checks the SETs landed.
 *
 * @param ctx the connection.
 *
 * Called by: main().
 */
static void checkPipeline(redisContext *ctx) {
    char what[64], want[32];
    int i;
    redisReply *r;

    for (i = 0; i < 1000; i++) {
        if (i % 2 == 0)
            redisAppendCommand(ctx, "SET pipe:%d v%d", i, i);
        else
            redisAppendCommand(ctx, "INCR pipectr");
    }
    for (i = 0; i < 1000; i++) {
        void *reply = NULL;
        if (redisGetReply(ctx, &reply) != REDIS_OK) {
            fail("pipelined reply %d: %s", i, ctx->errstr);
            return;
        }
        r = reply;
        snprintf(what, sizeof(what), "pipelined reply %d", i);
        if (i % 2 == 0)
            expectStatus(ctx, r, "OK", what);
        else
            expectInteger(ctx, r, (i + 1) / 2, what);
        freeReplyObject(r);
    }
    for (i = 0; i < 1000; i += 100) {
        r = redisCommand(ctx, "GET pipe:%d", i);
        snprintf(what, sizeof(what), "GET pipe:%d", i);
        snprintf(want, sizeof(want), "v%d", i);
        expectString(ctx, r, want, strlen(want), what);
        if (r) freeReplyObject(r);
    }
}

/**
 * @brief Round-trip a 100 KB binary value (every byte value 0..255, CR and
 *        LF included) through SET and GET.
 *
 * At 102,400 bytes the argument is above PROTO_MBULK_BIG_ARG (32 KB) and
 * the reply is above the 16 KB static reply buffer, so both the big-argument
 * read path and the reply list are used.
 *
 * @param ctx the connection.
 *
 * Called by: main().
 */
static void checkBigValue(redisContext *ctx) {
    size_t len = 100 * 1024, i;
    char *val = malloc(len);
    redisReply *r;

    if (val == NULL) {
        fail("out of memory");
        return;
    }
    for (i = 0; i < len; i++) val[i] = (char)((i * 7 + i / 256) & 0xff);
    r = redisCommand(ctx, "SET bigvalue %b", val, len);
    expectStatus(ctx, r, "OK", "SET bigvalue (100 KB)");
    if (r) freeReplyObject(r);
    r = redisCommand(ctx, "GET bigvalue");
    expectString(ctx, r, val, len, "GET bigvalue (100 KB)");
    if (r) freeReplyObject(r);
    r = redisCommand(ctx, "STRLEN bigvalue");
    expectInteger(ctx, r, (long long)len, "STRLEN bigvalue");
    if (r) freeReplyObject(r);
    free(val);
}

/**
 * @brief Connect, run every test case, print one line per case.
 *
 * @param argc must be 3.
 * @param argv program name, server host, server port.
 * @return 0 if every case passed, 1 otherwise, 2 on bad usage.
 *
 * Called by: tests/integration/test_hiredis.py.
 */
int main(int argc, char **argv) {
    struct timeval tv = {5, 0};
    redisContext *ctx;
    redisReply *r;

    if (argc != 3) {
        fprintf(stderr, "usage: %s HOST PORT\n", argv[0]);
        return 2;
    }
    ctx = redisConnectWithTimeout(argv[1], atoi(argv[2]), tv);
    if (ctx == NULL || ctx->err) {
        printf("FAIL hiredis-connect: %s\n", ctx ? ctx->errstr : "no memory");
        return 1;
    }
    /* Every blocking read gives up after 5 s instead of hanging the suite. */
    redisSetTimeout(ctx, tv);
    report("hiredis-connect");

    commandStatus(ctx, "OK", "SET hkey hvalue");
    r = redisCommand(ctx, "GET hkey");
    expectString(ctx, r, "hvalue", 6, "GET hkey");
    if (r) freeReplyObject(r);
    r = redisCommand(ctx, "GET hnokey");
    expectType(ctx, r, REDIS_REPLY_NIL, "GET hnokey");
    if (r) freeReplyObject(r);
    report("hiredis-set-get");

    r = redisCommand(ctx, "INCR hcounter");
    expectInteger(ctx, r, 1, "INCR hcounter");
    if (r) freeReplyObject(r);
    r = redisCommand(ctx, "INCRBY hcounter %lld", 9999999999LL);
    expectInteger(ctx, r, 10000000000LL, "INCRBY hcounter 9999999999");
    if (r) freeReplyObject(r);
    report("hiredis-incr");

    commandStatus(ctx, "OK", "MSET hm1 one hm2 two");
    r = redisCommand(ctx, "MGET hm1 hnone hm2");
    if (expectType(ctx, r, REDIS_REPLY_ARRAY, "MGET hm1 hnone hm2")) {
        if (r->elements != 3) {
            fail("MGET: %zu elements, want 3", r->elements);
        } else {
            expectString(ctx, r->element[0], "one", 3, "MGET element 0");
            expectType(ctx, r->element[1], REDIS_REPLY_NIL, "MGET element 1");
            expectString(ctx, r->element[2], "two", 3, "MGET element 2");
        }
    }
    if (r) freeReplyObject(r);
    report("hiredis-mset-mget");

    r = redisCommand(ctx, "DEL hm1 hm2 hnone");
    expectInteger(ctx, r, 2, "DEL hm1 hm2 hnone");
    if (r) freeReplyObject(r);
    r = redisCommand(ctx, "EXISTS hm1");
    expectInteger(ctx, r, 0, "EXISTS hm1");
    if (r) freeReplyObject(r);
    report("hiredis-del");

    /* An unknown command must come back as an error reply, and the
     * connection must stay usable afterwards. */
    r = redisCommand(ctx, "NOSUCHCOMMAND a b");
    if (expectType(ctx, r, REDIS_REPLY_ERROR, "NOSUCHCOMMAND") &&
        strncmp(r->str, "ERR unknown command", 19) != 0)
        fail("NOSUCHCOMMAND: error \"%s\"", r->str);
    if (r) freeReplyObject(r);
    commandStatus(ctx, "PONG", "PING");
    report("hiredis-error-reply");

    checkPipeline(ctx);
    report("hiredis-pipeline-1000");

    checkBigValue(ctx);
    report("hiredis-big-value-100k");

    redisFree(ctx);
    return failures ? 1 : 0;
}
