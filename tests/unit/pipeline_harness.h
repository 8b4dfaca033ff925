/**
 * @file pipeline_harness.h
 * @brief A socket-free driver for the request pipeline, shared by every
 *        tests/unit/test_pipeline_*.c Check program.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * The harness plays the part of the kernel and of the event loop. Bytes a
 * test wants "sent" are handed to readQueryFromClient() through the
 * server.fake_io.read hook, cut into the chunks the test asks for (one
 * readQueryFromClient call = one read). Replies leave through
 * handleClientsWithPendingWrites() / sendReplyToClient() and the
 * server.fake_io.write hook, which collects them per client into an sds
 * (optionally taking only N bytes per write to simulate a full socket).
 *
 *   test bytes --fake read--> querybuf --parser--> argv --command--> buf/reply
 *   buf/reply --writeToClient--> fake write --> per-client sds --> test asserts
 *
 * How to build: each test_pipeline_*.c does `#include "pipeline_harness.c"`
 * so it is one translation unit linked with build/libminired.a and Check;
 * the file name does not match the Makefile's tests/unit/test_*.c glob, so
 * the harness is never built as a program of its own.
 *
 * Freed clients: freeClient() releases the struct, so the harness never
 * keeps a client pointer across a call that may free it. Every fake client
 * is linked into server.clients and remembered by its id; find_client()
 * searches server.clients for that id (NULL once freed).
 */
#ifndef MINIRED_PIPELINE_HARNESS_H
#define MINIRED_PIPELINE_HARNESS_H

#include <check.h>
#include <stdint.h>
#include <stddef.h>

#include "server.h"

/** Most fake connections one test may open. */
#define FAKE_MAX_CONNS 16
/** How many read() sizes a connection remembers. */
#define FAKE_READ_LOG 256

/** Everything the fake kernel knows about one fake client's socket. */
typedef struct fakeConn {
    uint64_t id;        /**< client.id of the owner; 0 = slot unused. */
    const char *in;     /**< Bytes of the chunk being offered to read(). */
    size_t inlen;       /**< Length of that chunk. */
    size_t inpos;       /**< How much of it the server has read. */
    int eof;            /**< Next read returns 0 (peer closed). */
    size_t read_calls;  /**< read() calls served, EAGAIN ones included. */
    size_t last_read_len; /**< The len argument of the last read(). */
    size_t read_lens[FAKE_READ_LOG]; /**< len argument of the first reads. */
    sds out;            /**< Every byte the server wrote, not yet collected. */
    size_t write_max_per_call; /**< Accept at most this per write(); 0 = all. */
    size_t write_budget_per_event; /**< Bytes accepted per writable event; 0 = unlimited. */
    size_t write_budget_left; /**< Budget left in the current event. */
    size_t write_calls; /**< Successful write() calls so far. */
    size_t event_written; /**< Bytes accepted since the last mark_write_event(). */
    size_t event_max_single; /**< Largest single write since that mark. */
    size_t event_before_last; /**< event_written before the last write of the event. */
} fakeConn;

void harness_init(void);
client *new_client(void);
fakeConn *conn_of(uint64_t id);
client *find_client(uint64_t id);
int client_alive(uint64_t id);
int feed(client *c, const char *bytes, size_t len, size_t chunk);
int feed_sizes(client *c, const char *bytes, size_t len,
               const size_t *sizes, int nsizes);
int feed_str(client *c, const char *s);
int feed_eof(client *c);
sds collect(uint64_t id);
sds collect_output(client *c);
void mark_write_event(uint64_t id);
sds repr_diff(const char *got, size_t gotlen, const char *exp, size_t explen);
sds sds_repeat(const char *s, size_t len, size_t times);
sds mbulk(int argc, ...);
int run_suite(Suite *s);

/**
 * Assert that the sds @p got equals the @p explen bytes at @p exp; on a
 * mismatch, fail with both byte strings escaped around the first
 * difference. Frees @p got.
 */
#define ASSERT_BYTES(got, exp, explen) do {                                  \
        sds _g = (got);                                                      \
        const char *_e = (exp);                                              \
        size_t _el = (explen);                                               \
        int _ok = sdslen(_g) == _el && memcmp(_g, _e, _el) == 0;             \
        sds _d = _ok ? NULL : repr_diff(_g, sdslen(_g), _e, _el);            \
        ck_assert_msg(_ok, "%s", _d ? _d : "");                              \
        sdsfree(_g);                                                         \
    } while (0)

/** ASSERT_BYTES against a string literal (NUL bytes allowed inside). */
#define ASSERT_LIT(got, lit) ASSERT_BYTES((got), (lit), sizeof(lit) - 1)

/** Send a literal as one read, collect what the client got, compare. */
#define EXPECT(c, in, out) do {                                              \
        uint64_t _id = (c)->id;                                              \
        feed((c), (in), sizeof(in) - 1, 0);                                  \
        ASSERT_LIT(collect(_id), out);                                       \
    } while (0)

#endif /* MINIRED_PIPELINE_HARNESS_H */
