/**
 * @file pipeline_harness.c
 * @brief The fake kernel and event loop behind the pipeline unit tests.
 *
 * Where it sits in the pipeline: in front of readQueryFromClient (it is the
 * read(2) the server calls for a CLIENT_FAKE_IO client) and behind
 * writeToClient (it is the write(2)). What flows in: the byte strings a
 * test sends, cut into reads. What flows out: per-client sds strings with
 * every byte the server wrote, plus counters (how many reads, how big each
 * write was) that let a test check I/O sizing.
 *
 * Built by #include from each tests/unit/test_pipeline_*.c (see
 * pipeline_harness.h), never on its own.
 */
#include <stdarg.h>
#include <errno.h>

#include "pipeline_harness.h"

/** One slot per fake client opened by the running test. */
static fakeConn fake_conns[FAKE_MAX_CONNS];

/**
 * @brief Find the fake socket state of a client id.
 * @param id client.id given by createClient.
 * @return The slot, or NULL when the id was never opened by new_client.
 *
 * Called by: the fake read/write hooks, feed, collect, tests.
 */
fakeConn *conn_of(uint64_t id) {
    for (int i = 0; i < FAKE_MAX_CONNS; i++)
        if (fake_conns[i].id == id) return &fake_conns[i];
    return NULL;
}

/**
 * @brief server.fake_io.read: serve the current chunk like a non-blocking
 *        socket would.
 * @param c The client reading.
 * @param buf Where to copy the bytes (c->querybuf + its length).
 * @param len How much readQueryFromClient asks for (16384, or less on the
 *            big-argument path).
 * @return Bytes copied; 0 after feed_eof(); -1 with errno EAGAIN once the
 *         chunk is consumed, so one readQueryFromClient call = one read.
 *
 * Called by: clientRead (networking.c) for CLIENT_FAKE_IO clients.
 */
static ssize_t fake_read(client *c, void *buf, size_t len) {
    fakeConn *fc = conn_of(c->id);
    if (fc == NULL) { errno = EBADF; return -1; }
    if (fc->read_calls < FAKE_READ_LOG) fc->read_lens[fc->read_calls] = len;
    fc->read_calls++;
    fc->last_read_len = len;
    if (fc->eof) return 0;
    if (fc->inpos >= fc->inlen) { errno = EAGAIN; return -1; }
    size_t n = fc->inlen - fc->inpos;
    if (n > len) n = len;
    memcpy(buf, fc->in + fc->inpos, n);
    fc->inpos += n;
    return (ssize_t)n;
}

/**
 * @brief server.fake_io.write: take reply bytes like a socket with a
 *        limited send buffer.
 * @param c The client being written to.
 * @param buf Reply bytes offered by writeToClient.
 * @param len How many are offered.
 * @return Bytes accepted (at most write_max_per_call, at most what is left
 *         of the per-event budget), or -1/EAGAIN when the budget is spent.
 *
 * Called by: clientWrite (reply.c) for CLIENT_FAKE_IO clients.
 */
static ssize_t fake_write(client *c, const void *buf, size_t len) {
    fakeConn *fc = conn_of(c->id);
    if (fc == NULL) { errno = EBADF; return -1; }
    size_t n = len;
    if (fc->write_max_per_call && n > fc->write_max_per_call)
        n = fc->write_max_per_call;
    if (fc->write_budget_per_event) {
        if (fc->write_budget_left == 0) { errno = EAGAIN; return -1; }
        if (n > fc->write_budget_left) n = fc->write_budget_left;
        fc->write_budget_left -= n;
    }
    fc->out = sdscatlen(fc->out, buf, n);
    fc->write_calls++;
    fc->event_before_last = fc->event_written;
    fc->event_written += n;
    if (n > fc->event_max_single) fc->event_max_single = n;
    return (ssize_t)n;
}

/**
 * @brief Start a server with no listening socket and install the hooks.
 *
 * initServer() listens only when port != 0, exactly as Redis treats
 * "port 0": the tests need the keyspace, the command table and the shared
 * objects, never a socket.
 *
 * Called by: run_suite, once, before Check forks the tests.
 */
void harness_init(void) {
    initServerConfig();
    server.port = 0;
    server.verbosity = LL_WARNING;
    initServer();
    server.fake_io.read = fake_read;
    server.fake_io.write = fake_write;
    memset(fake_conns, 0, sizeof(fake_conns));
}

/**
 * @brief Open a fake connection: an fd -1 client, CLIENT_FAKE_IO, linked
 *        into server.clients so CLIENT LIST and find_client see it.
 * @return The client.
 *
 * Called by: tests.
 */
client *new_client(void) {
    client *c = createClient(-1);
    c->flags |= CLIENT_FAKE_IO;
    linkClient(c);
    for (int i = 0; i < FAKE_MAX_CONNS; i++) {
        /* A slot is free if never used or if its client has been freed. */
        if (fake_conns[i].id == 0 || !client_alive(fake_conns[i].id)) {
            if (fake_conns[i].out) sdsfree(fake_conns[i].out);
            memset(&fake_conns[i], 0, sizeof(fakeConn));
            fake_conns[i].id = c->id;
            fake_conns[i].out = sdsempty();
            return c;
        }
    }
    ck_abort_msg("more than %d fake clients in one test", FAKE_MAX_CONNS);
    return NULL;
}

/**
 * @brief Look a client up by id in server.clients.
 * @param id client.id.
 * @return The live client, or NULL once it has been freed (its memory is
 *         never touched after that).
 *
 * Called by: feed, collect, tests that check a client was closed.
 */
client *find_client(uint64_t id) {
    return lookupClientByID(id);
}

/**
 * @brief True while the client with this id is still in server.clients.
 * @param id client.id.
 * @return 1 alive, 0 freed.
 *
 * Called by: tests.
 */
int client_alive(uint64_t id) {
    return find_client(id) != NULL;
}

/**
 * @brief Offer one chunk to the server and let it read until the chunk is
 *        consumed, one readQueryFromClient call per read.
 * @param id Client id (the pointer may die during the call).
 * @param p First byte of the chunk.
 * @param n Chunk length; at most 16384 bytes are taken per read, fewer on
 *          the big-argument path.
 * @return 1 if the client is still alive, 0 if the server freed it.
 *
 * Called by: feed, feed_sizes.
 */
static int feed_one_chunk(uint64_t id, const char *p, size_t n) {
    fakeConn *fc = conn_of(id);
    ck_assert_ptr_nonnull(fc);
    fc->in = p;
    fc->inlen = n;
    fc->inpos = 0;
    while (fc->inpos < fc->inlen) {
        client *c = find_client(id);
        if (c == NULL) return 0;
        size_t before = fc->inpos;
        readQueryFromClient(server.el, c->fd, c, AE_READABLE);
        /* A live client that did not take a byte would loop forever. */
        if (fc->inpos == before && find_client(id) != NULL)
            ck_abort_msg("readQueryFromClient read nothing (read len %zu)",
                         fc->last_read_len);
    }
    fc->in = NULL;
    fc->inlen = fc->inpos = 0;
    return find_client(id) != NULL;
}

/**
 * @brief Send bytes cut into reads of @p chunk bytes (0 = one chunk).
 * @param c The client (may be freed by the call).
 * @param bytes What the client sends.
 * @param len How many bytes.
 * @param chunk Read size: 0 whole, 1 one byte per read, N fixed size.
 * @return 1 if the client is still alive afterwards, 0 if freed.
 *
 * Called by: tests.
 */
int feed(client *c, const char *bytes, size_t len, size_t chunk) {
    uint64_t id = c->id;
    if (chunk == 0) chunk = len ? len : 1;
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        if (!feed_one_chunk(id, bytes + off, n)) return 0;
    }
    return find_client(id) != NULL;
}

/**
 * @brief Send bytes cut into the listed chunk sizes, cycling through the
 *        list until every byte is sent.
 * @param c The client (may be freed by the call).
 * @param bytes What the client sends.
 * @param len How many bytes.
 * @param sizes Chunk sizes, each > 0.
 * @param nsizes Entries in @p sizes.
 * @return 1 if the client is still alive afterwards, 0 if freed.
 *
 * Called by: tests.
 */
int feed_sizes(client *c, const char *bytes, size_t len,
               const size_t *sizes, int nsizes) {
    uint64_t id = c->id;
    size_t off = 0;
    for (int i = 0; off < len; i = (i + 1) % nsizes) {
        size_t n = sizes[i] < len - off ? sizes[i] : len - off;
        if (!feed_one_chunk(id, bytes + off, n)) return 0;
        off += n;
    }
    return find_client(id) != NULL;
}

/**
 * @brief feed() a NUL-terminated string as one read.
 * @param c The client.
 * @param s The bytes (no NUL inside).
 * @return As feed().
 *
 * Called by: tests.
 */
int feed_str(client *c, const char *s) {
    return feed(c, s, strlen(s), 0);
}

/**
 * @brief Make the next read return 0 (the peer closed) and run one read.
 * @param c The client (freed by the server, as Redis does on EOF).
 * @return 1 if the client is still alive afterwards, 0 if freed.
 *
 * Called by: tests.
 */
int feed_eof(client *c) {
    uint64_t id = c->id;
    conn_of(id)->eof = 1;
    readQueryFromClient(server.el, c->fd, c, AE_READABLE);
    return find_client(id) != NULL;
}

/**
 * @brief Reset the per-event write counters (and the per-event budget) of
 *        a connection before one writable event.
 * @param id Client id.
 *
 * Called by: collect, tests that measure one writeToClient call.
 */
void mark_write_event(uint64_t id) {
    fakeConn *fc = conn_of(id);
    fc->write_budget_left = fc->write_budget_per_event;
    fc->event_written = 0;
    fc->event_max_single = 0;
    fc->event_before_last = 0;
}

/**
 * @brief Run the write side like beforeSleep and the writable handler
 *        would, then hand over everything written to this client.
 * @param id Client id (the client may be freed: CLOSE_AFTER_REPLY).
 * @return A new sds with the bytes written since the last collect; the
 *         caller frees it.
 *
 * handleClientsWithPendingWrites() writes every pending client once (to
 * their own sinks); while this client still has bytes left (a short write,
 * or the 64 KB per-event cap) sendReplyToClient() plays the writable
 * events a real socket would get.
 *
 * Called by: tests, EXPECT.
 */
sds collect(uint64_t id) {
    fakeConn *fc = conn_of(id);
    ck_assert_ptr_nonnull(fc);
    mark_write_event(id);
    handleClientsWithPendingWrites();
    client *c;
    long guard = 0;
    while ((c = find_client(id)) != NULL && clientHasPendingReplies(c)) {
        if (++guard > 10000000L) ck_abort_msg("output never drains");
        mark_write_event(id);
        sendReplyToClient(server.el, c->fd, c, AE_WRITABLE);
    }
    sds out = fc->out;
    fc->out = sdsempty();
    return out;
}

/**
 * @brief collect() for a client pointer that is alive now.
 * @param c The client.
 * @return As collect().
 *
 * Called by: tests.
 */
sds collect_output(client *c) {
    return collect(c->id);
}

/**
 * @brief Describe two differing byte strings for a failure message.
 * @param got Bytes the server produced.
 * @param gotlen Their length.
 * @param exp Bytes Redis 5.0 produces.
 * @param explen Their length.
 * @return "first difference at N: expected ... got ..." with escaped
 *         bytes around that offset (whole strings when short).
 *
 * Called by: ASSERT_BYTES.
 */
sds repr_diff(const char *got, size_t gotlen, const char *exp, size_t explen) {
    size_t i = 0;
    while (i < gotlen && i < explen && got[i] == exp[i]) i++;
    size_t from = i > 40 ? i - 40 : 0;
    size_t glen = gotlen > from ? gotlen - from : 0;
    size_t elen = explen > from ? explen - from : 0;
    if (glen > 200) glen = 200;
    if (elen > 200) elen = 200;
    sds s = sdscatprintf(sdsempty(),
        "bytes differ at offset %zu (expected %zu bytes, got %zu) from offset %zu:\n  expected ",
        i, explen, gotlen, from);
    s = sdscatrepr(s, exp + from, elen);
    s = sdscat(s, "\n  got      ");
    s = sdscatrepr(s, got + from, glen);
    return s;
}

/**
 * @brief A string made of @p times copies of @p len bytes at @p s.
 * @param s Bytes to repeat.
 * @param len Their length.
 * @param times How many copies.
 * @return New sds.
 *
 * Called by: tests building pipelines and big values.
 */
sds sds_repeat(const char *s, size_t len, size_t times) {
    sds r = sdsMakeRoomFor(sdsempty(), len * times);
    for (size_t i = 0; i < times; i++) r = sdscatlen(r, s, len);
    return r;
}

/**
 * @brief Encode a request the way every client library does:
 *        "*<argc>\r\n" then "$<len>\r\n<arg>\r\n" per argument.
 * @param argc Number of arguments that follow.
 * @param ... argc NUL-terminated C strings.
 * @return New sds, e.g. mbulk(2, "GET", "k") = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n".
 *
 * Called by: tests.
 */
sds mbulk(int argc, ...) {
    va_list ap;
    sds r = sdscatprintf(sdsempty(), "*%d\r\n", argc);
    va_start(ap, argc);
    for (int i = 0; i < argc; i++) {
        const char *a = va_arg(ap, const char *);
        r = sdscatprintf(r, "$%zu\r\n", strlen(a));
        r = sdscat(r, a);
        r = sdscat(r, "\r\n");
    }
    va_end(ap);
    return r;
}

/**
 * @brief Start the server once, then run a suite with one forked process
 *        per test (each test starts from the freshly initialised server).
 * @param s The suite.
 * @return 0 when every test passed, 1 otherwise (the program's exit code).
 *
 * Called by: main() of each test_pipeline_*.c.
 */
int run_suite(Suite *s) {
    harness_init();
    SRunner *sr = srunner_create(s);
    /* Tests rely on a fresh keyspace and client list: fork each one even
     * when CK_FORK=no is in the environment. */
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
