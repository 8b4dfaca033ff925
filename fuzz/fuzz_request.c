/**
 * @file fuzz_request.c
 * @brief libFuzzer target: arbitrary bytes, cut into arbitrary reads, sent
 *        by one or two socket-free clients through the whole request
 *        pipeline (read, parse, dispatch, reply, write).
 *
 * Where it sits in the pipeline
 * -----------------------------
 * In place of the kernel, like tests/unit/pipeline_harness.c: the fuzzer's
 * bytes reach readQueryFromClient() through server.fake_io.read, one read
 * per chunk; replies leave through handleClientsWithPendingWrites() and
 * sendReplyToClient() into server.fake_io.write, which accepts a
 * pseudo-random number of bytes each time (a socket whose send buffer is
 * sometimes full). After every read and every write the client's scalar
 * state is checked against the rules `minired-trace check` enforces on a
 * trace (qb_pos <= sdslen(querybuf), bufpos <= PROTO_REPLY_CHUNK_BYTES,
 * reply_bytes == sum of the blocks' sizes, sentlen within what is
 * buffered), and a client flagged CLIENT_CLOSE_AFTER_REPLY (a protocol
 * error, QUIT) must be gone once its reply is out.
 *
 * Input layout (what the fuzzer's bytes mean):
 *
 *   byte 0      settings: bit 0 requirepass "pw"; bit 1
 *               client-query-buffer-limit 1024; bit 2 two clients (the
 *               chunks alternate between them); bit 3 trace every step to
 *               /dev/null (exercises trace.c on odd states); bit 4 writes
 *               may be short or refused (EAGAIN)
 *   bytes 1..4  read sizes, cycled: 0 -> 16384, n -> n bytes
 *   byte 5      seed of the fake socket's write sizes
 *   the rest    the bytes the client(s) send
 *
 * Commands with effects on the process are taken out once, after
 * initServer(): SHUTDOWN and DEBUG are deleted from server.commands
 * (DEBUG SEGFAULT / SLEEP / RELOAD would be "crashes" or hangs by design),
 * and CONFIG goes through fuzzConfigCommand(), which refuses the SET of
 * trace-file (opens files), maxclients (setrlimit) and loglevel (floods the
 * output). Nothing in src/ knows about the fuzzer.
 *
 * Between inputs every client is freed, every database flushed and the
 * settings put back, so one input cannot leak into the next (and
 * LeakSanitizer sees no growth).
 *
 * Also built by tests/unit/test_fuzz_regressions.c (gcc, no libFuzzer)
 * with FUZZ_ENTRY renamed, to replay fuzz/regressions/fuzz_request/.
 */
#include <errno.h>
#include <stdint.h>
#include <stddef.h>

#include "server.h"

#ifndef FUZZ_ENTRY
/** The entry point's name: libFuzzer's, unless a test includes this file. */
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

/** Settings byte, bit 0: requirepass "pw" (every command but AUTH gets
 *  -NOAUTH until "AUTH pw"). */
#define FR_OPT_REQUIREPASS 0x01
/** Settings byte, bit 1: client-query-buffer-limit 1024 bytes. */
#define FR_OPT_SMALL_QBUF 0x02
/** Settings byte, bit 2: two clients, chunks alternate between them. */
#define FR_OPT_TWO_CLIENTS 0x04
/** Settings byte, bit 3: trace every pipeline step to /dev/null. */
#define FR_OPT_TRACE 0x08
/** Settings byte, bit 4: the fake socket takes short writes and EAGAINs. */
#define FR_OPT_SHORT_WRITES 0x10
/** Bytes of the input used as parameters before the payload. */
#define FR_HEADER_LEN 6
/** Most writable events one drain may take before it is a hang. */
#define FR_MAX_WRITE_TURNS 200000

/** The client currently being fed, and what is left of its chunk. */
static struct {
    const uint8_t *in;  /**< Chunk offered to the next read(). */
    size_t inlen;       /**< Its length. */
    size_t inpos;       /**< How much the server has taken. */
    uint32_t rnd;       /**< xorshift state for the write sizes. */
    int short_writes;   /**< FR_OPT_SHORT_WRITES was set. */
} fr_io;

/** /dev/null, opened once, as the trace stream of FR_OPT_TRACE inputs. */
static FILE *fr_devnull = NULL;

/**
 * @brief Next pseudo-random number of the fake socket (xorshift32).
 * @return A 32-bit value; never 0 once seeded with a non-zero state.
 *
 * Called by: fr_write().
 */
static uint32_t fr_rand(void) {
    uint32_t x = fr_io.rnd;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    fr_io.rnd = x;
    return x;
}

/**
 * @brief server.fake_io.read: hand over the current chunk, then EAGAIN.
 * @param c   The client reading (only one is fed at a time).
 * @param buf Where readQueryFromClient wants the bytes.
 * @param len How many it asks for (16384, less on the big-argument path).
 * @return Bytes copied, or -1 with errno EAGAIN once the chunk is used up.
 *
 * Called by: clientRead() (networking.c).
 */
static ssize_t fr_read(client *c, void *buf, size_t len) {
    size_t n = fr_io.inlen - fr_io.inpos;

    if (n == 0) { errno = EAGAIN; return -1; }
    if (n > len) n = len;
    memcpy(buf, fr_io.in + fr_io.inpos, n);
    fr_io.inpos += n;
    return (ssize_t)n;
}

/**
 * @brief server.fake_io.write: accept all, part, or (with short writes)
 *        none of the offered bytes, and throw them away.
 * @param c   The client written to.
 * @param buf The reply bytes.
 * @param len How many are offered.
 * @return Bytes accepted (>= 1), or -1 with errno EAGAIN.
 *
 * Called by: clientWrite() (reply.c).
 */
static ssize_t fr_write(client *c, const void *buf, size_t len) {
    uint32_t r;

    if (!fr_io.short_writes || len == 0) return (ssize_t)len;
    r = fr_rand();
    /* One write in eight finds the socket full; one in four takes at most
     * 16 bytes, so "$5\r\nhello\r\n" may leave as "$5\r" + "\nhello\r\n". */
    if ((r & 7) == 0) { errno = EAGAIN; return -1; }
    if ((r & 3) == 1) {
        size_t n = 1 + (r >> 8) % 16;
        return (ssize_t)(n < len ? n : len);
    }
    return (ssize_t)len;
}

/**
 * @brief Check the client's buffers against the pipeline's invariants;
 *        abort (a crash for libFuzzer) on the first one broken.
 * @param c A live client.
 *
 * The rules are the per-event rules of `minired-trace check`:
 * qb_pos <= sdslen(querybuf); 0 <= bufpos <= PROTO_REPLY_CHUNK_BYTES;
 * every block has used <= size; reply_bytes is the sum of the sizes;
 * sentlen counts bytes of c->buf while bufpos > 0 (so sentlen <= bufpos),
 * else of the head block (sentlen <= its used), else is 0.
 *
 * Called by: fr_check_all().
 */
static void fr_check_client(client *c) {
    unsigned long long sum = 0;
    listIter li;
    listNode *ln;

    /* ANCHOR: fuzz-request-invariants */
    serverAssert(c->qb_pos <= sdslen(c->querybuf));
    serverAssert(c->bufpos >= 0 && c->bufpos <= PROTO_REPLY_CHUNK_BYTES);
    listRewind(c->reply, &li);
    while ((ln = listNext(&li)) != NULL) {
        clientReplyBlock *b = listNodeValue(ln);

        serverAssert(b->used <= b->size);
        sum += b->size;
    }
    serverAssert(c->reply_bytes == sum);
    if (c->bufpos > 0) {
        serverAssert(c->sentlen <= (size_t)c->bufpos);
    } else if (listLength(c->reply)) {
        clientReplyBlock *head = listNodeValue(listFirst(c->reply));

        serverAssert(c->sentlen <= head->used);
    } else {
        serverAssert(c->sentlen == 0);
    }
    /* ANCHOR_END: fuzz-request-invariants */
}

/**
 * @brief fr_check_client() on every client in server.clients.
 *
 * Called by: fr_feed_chunk(), fr_drain() after each read and write.
 */
static void fr_check_all(void) {
    listIter li;
    listNode *ln;

    listRewind(server.clients, &li);
    while ((ln = listNext(&li)) != NULL) fr_check_client(listNodeValue(ln));
}


/**
 * @brief Open a fake connection: fd -1, CLIENT_FAKE_IO, linked.
 * @return The new client's id.
 *
 * Called by: FUZZ_ENTRY.
 */
static uint64_t fr_new_client(void) {
    client *c = createClient(-1);

    c->flags |= CLIENT_FAKE_IO;
    linkClient(c);
    return c->id;
}

/**
 * @brief Write every pending reply out, as beforeSleep and the writable
 *        handler would, until nothing is pending; then check that a client
 *        marked CLIENT_CLOSE_AFTER_REPLY has been freed.
 *
 * Called by: fr_feed_chunk().
 */
static void fr_drain(void) {
    int turn;

    handleClientsWithPendingWrites();
    freeClientsInAsyncFreeQueue();
    fr_check_all();
    for (turn = 0; turn < FR_MAX_WRITE_TURNS; turn++) {
        listIter li;
        listNode *ln;
        client *pending = NULL;

        listRewind(server.clients, &li);
        while ((ln = listNext(&li)) != NULL) {
            client *c = listNodeValue(ln);

            if (clientHasPendingReplies(c)) { pending = c; break; }
        }
        if (pending == NULL) break;
        /* A writable event for a client whose socket was full. */
        sendReplyToClient(server.el, pending->fd, pending, AE_WRITABLE);
        freeClientsInAsyncFreeQueue();
        fr_check_all();
    }
    serverAssert(turn < FR_MAX_WRITE_TURNS);

    /* Everything is out: "-ERR Protocol error: ...\r\n" was written, so a
     * client that had CLOSE_AFTER_REPLY must have been freed by
     * writeToClient. */
    {
        listIter li;
        listNode *ln;

        listRewind(server.clients, &li);
        while ((ln = listNext(&li)) != NULL) {
            client *c = listNodeValue(ln);

            serverAssert(!(c->flags & CLIENT_CLOSE_AFTER_REPLY));
        }
    }
}

/**
 * @brief Offer one chunk to one client and let it read until the chunk
 *        is consumed (or the client is freed), then write out the replies.
 * @param id  The client's id.
 * @param p   The chunk.
 * @param n   Its length.
 * @return 1 if the client is still alive, 0 if the server freed it.
 *
 * Called by: FUZZ_ENTRY.
 */
static int fr_feed_chunk(uint64_t id, const uint8_t *p, size_t n) {
    fr_io.in = p;
    fr_io.inlen = n;
    fr_io.inpos = 0;
    while (fr_io.inpos < fr_io.inlen) {
        client *c = lookupClientByID(id);
        size_t before = fr_io.inpos;

        if (c == NULL) break;
        readQueryFromClient(server.el, c->fd, c, AE_READABLE);
        freeClientsInAsyncFreeQueue();
        fr_check_all();
        /* A live client that takes no byte of a non-empty chunk would
         * make the event loop spin: that is a bug too. */
        serverAssert(fr_io.inpos > before || lookupClientByID(id) == NULL);
    }
    fr_io.in = NULL;
    fr_io.inlen = fr_io.inpos = 0;
    fr_drain();
    return lookupClientByID(id) != NULL;
}

/**
 * @brief CONFIG, minus the SETs that act on the process: trace-file
 *        (creates files), maxclients (setrlimit) and loglevel (floods
 *        stdout). Those get an error reply; everything else is CONFIG.
 * @param c The client; argc >= 2 (arity -2 already checked).
 *
 * Called by: call(), through the command table entry patched by
 *            fr_init().
 */
static void fuzzConfigCommand(client *c) {
    if (c->argc >= 3 && !strcasecmp(c->argv[1]->ptr, "set") &&
        (!strcasecmp(c->argv[2]->ptr, "trace-file") ||
         !strcasecmp(c->argv[2]->ptr, "maxclients") ||
         !strcasecmp(c->argv[2]->ptr, "loglevel"))) {
        addReplyError(c, "disabled in the fuzzer");
        return;
    }
    configCommand(c);
}

/**
 * @brief Remove a command from server.commands.
 * @param name Its lower-case name.
 *
 * Called by: fr_init().
 */
static void fr_remove_command(const char *name) {
    sds key = sdsnew(name);

    dictDelete(server.commands, key);
    sdsfree(key);
}

/**
 * @brief Start a socket-free server once per process and fence off the
 *        commands that act on the process.
 *
 * Called by: FUZZ_ENTRY on its first call.
 */
static void fr_init(void) {
    struct redisCommand *cfg;

    initServerConfig();
    server.port = 0;
    server.verbosity = LL_WARNING;
    zfree(server.logfile);
    server.logfile = zstrdup("/dev/null");
    initServer();
    server.fake_io.read = fr_read;
    server.fake_io.write = fr_write;
    fr_remove_command("shutdown");
    fr_remove_command("debug");
    cfg = lookupCommandByCString("config");
    if (cfg) cfg->proc = fuzzConfigCommand;
    fr_devnull = fopen("/dev/null", "w");
}

/**
 * @brief Undo everything one input did: free the clients, flush the
 *        databases, stop the trace, put the settings back.
 *
 * Called by: FUZZ_ENTRY at the end of each input.
 */
static void fr_reset(void) {
    while (listLength(server.clients))
        freeClient(listNodeValue(listFirst(server.clients)));
    freeClientsInAsyncFreeQueue();
    emptyDb(-1, EMPTYDB_NO_FLAGS, NULL);
    if (server.trace_fp) traceClose("shutdown");
    server.trace_fp = NULL;
    zfree(server.requirepass);
    server.requirepass = NULL;
    server.client_max_querybuf_len = PROTO_MAX_QUERYBUF_LEN;
    server.proto_max_bulk_len = CONFIG_DEFAULT_PROTO_MAX_BULK_LEN;
    server.maxidletime = CONFIG_DEFAULT_CLIENT_TIMEOUT;
    server.tcpkeepalive = CONFIG_DEFAULT_TCP_KEEPALIVE;
    server.protected_mode = CONFIG_DEFAULT_PROTECTED_MODE;
    server.hz = CONFIG_DEFAULT_HZ;
    server.verbosity = LL_WARNING;
    server.current_client = NULL;
}

/**
 * @brief libFuzzer's entry point: one input = one short session.
 * @param data The input (layout in the file comment).
 * @param size Its length.
 * @return 0 (libFuzzer's "keep going").
 *
 * Called by: libFuzzer; tests/unit/test_fuzz_regressions.c (renamed).
 */
int FUZZ_ENTRY(const uint8_t *data, size_t size) {
    static int initialised = 0;
    size_t sizes[4], off, k = 0;
    uint64_t ids[2];
    int nclients, j, reopened = 0;
    uint8_t opt;

    if (!initialised) { fr_init(); initialised = 1; }
    if (size < FR_HEADER_LEN) return 0;
    opt = data[0];
    /* Read sizes: 0 -> 16384 (PROTO_IOBUF_LEN, "one big read"); 1 -> one
     * byte per read, the cut that finds every "need more data" path. */
    for (j = 0; j < 4; j++) sizes[j] = data[1 + j] ? data[1 + j] : PROTO_IOBUF_LEN;
    fr_io.rnd = 0x9e3779b9u ^ (uint32_t)data[5] * 0x01000193u;
    if (fr_io.rnd == 0) fr_io.rnd = 1;
    fr_io.short_writes = (opt & FR_OPT_SHORT_WRITES) != 0;

    if (opt & FR_OPT_REQUIREPASS) server.requirepass = zstrdup("pw");
    if (opt & FR_OPT_SMALL_QBUF) server.client_max_querybuf_len = 1024;
    if ((opt & FR_OPT_TRACE) && fr_devnull) traceOpenStream(fr_devnull, 0);

    nclients = (opt & FR_OPT_TWO_CLIENTS) ? 2 : 1;
    for (j = 0; j < nclients; j++) ids[j] = fr_new_client();

    data += FR_HEADER_LEN;
    size -= FR_HEADER_LEN;
    for (off = 0; off < size; k++) {
        size_t n = sizes[k % 4];
        int who = (int)(k % nclients);

        if (n > size - off) n = size - off;
        if (!fr_feed_chunk(ids[who], data + off, n)) {
            /* Freed (protocol error, QUIT, query buffer limit, CLIENT
             * KILL): the rest of the input comes from a new connection,
             * a few times at most so one input stays short. */
            if (reopened++ >= 8) break;
            ids[who] = fr_new_client();
        }
        off += n;
    }
    fr_reset();
    return 0;
}
