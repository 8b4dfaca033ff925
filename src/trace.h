/**
 * @file trace.h
 * @brief The pipeline trace (issue 3): the traceEvent() macro every
 *        pipeline file uses, and the emitter's entry points (trace.c).
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Beside it. Each decisive point of the request pipeline (a read, a loop
 * turn of processInputBuffer, a parsed length, an argument, a reply
 * appended to c->buf, a write...) has one line
 *
 *     traceEvent(c, "arg", "index=%d len=%l", c->argc - 1, ll);
 *
 * which, when tracing is off, costs one well-predicted branch on
 * server.trace_fp. When it is on, trace.c writes one JSON line (schema 1,
 * docs/trace-format.md) with the function, file:line, the client's whole
 * scalar state and the extra fields. What flows in: a client and a few
 * values. What flows out: lines in the trace file.
 *
 * @par Deviations from the contract (brief-trace.md), for TB and TC
 *  - "c" is the client state AFTER the step, except "free" (state before
 *    the client is released) and "trim" (emitted just before the cut:
 *    qb_pos is the number of bytes about to be cut, "n" and "data" are
 *    those bytes; after the event querybuf = querybuf[n:], qb_pos = 0).
 *  - "flags" never lists FAKE_IO (bit 29): it is how the replayer drives
 *    a client, not client state, and a replay must equal the live trace.
 *  - Placeholder nodes of a deferred length appear in "reply" as null.
 *  - "clock" events are emitted lazily: just before the first event that
 *    follows a change of server.mstime (so an idle server writes nothing
 *    at all). name "traceSetClock", tid 0, fd -1, field "mstime".
 *  - "cron" (tid 0, fd -1) is emitted by the function that acts:
 *    clientsCronHandleTimeout ("action":"timeout", then "timeout" on the
 *    client; "action":"block-timeout" for a BLPOP past its timeout, then
 *    "unblocked" on the client), clientsCronResizeQueryBuffer ("action":"resize", then
 *    "resize" on the client with "resized":bool; emitted only when the
 *    peak was non-zero or the buffer shrank) and serverCron
 *    ("action":"free-async"). Fields: "client" (id, 0 for free-async),
 *    "action", "now_ms" (timeout only).
 *  - Extra steps: addDeferredMultiBulkLength "deferred-add" ("block"
 *    index of the placeholder); handleClientsWithPendingWrites
 *    "write-handler" (bytes left: the AE_WRITABLE handler is installed);
 *    writeToClient "block-sent" (the head block was fully written and
 *    freed; its "write" event came just before, with sentlen == used);
 *    createClient "created" has no extra field; acceptCommonHandler
 *    "accepted" has "ip" (null for unix), "port", "unix" AFTER "c".
 *  - "listening": tid 0, fd = the listening socket, "addr" ("::" and
 *    "0.0.0.0" for the wildcard) and "port", or "unixsocket".
 *  - footer "events" = number of events before the footer, header
 *    excluded (so footer ts == events + 1).
 *  - header "src_dir" is MINIRED_SRC_DIR when the build defines it
 *    (-DMINIRED_SRC_DIR='"$(CURDIR)/src"'), otherwise "".
 *  - Replay copies "listening" events from the input (ts renumbered,
 *    wall_us refreshed): a replay opens no socket. Every other event of a
 *    replay, "created", "accepted" and "refused" included, is emitted by
 *    the pipeline code itself (the accept path runs with
 *    server.fake_io.accepting set).
 */
#ifndef __MINIRED_TRACE_H
#define __MINIRED_TRACE_H

#include <stdio.h>

/** Schema version written in the header event. */
#define TRACE_SCHEMA 1
/** argv values are cut to this many bytes in the client state. */
#define TRACE_ARGV_MAX 32

#ifndef MINIRED_NO_TRACE
/**
 * Emit one trace event for client @p c (NULL for a server-level event,
 * tid 0). The optional third argument is a field format: space-separated
 * "key=%X" items, where %X is one of
 *   %d int, %l long long, %z size_t, %U unsigned long long,
 *   %s C string (NULL -> null), %b bytes (const char *, size_t) -> "data"
 *   escaping, %B int as true/false, %n null (no argument).
 * Off: one branch on server.trace_fp, predicted not taken.
 */
#define traceEvent(c, step, ...) do {                                    \
        if (__builtin_expect(server.trace_fp != NULL, 0))                \
            traceEmit((c), -1, __FILE__, __LINE__, __func__, (step),     \
                      "" __VA_ARGS__);                                   \
    } while (0)

/** 1 while a trace is being written: lets a trace point prepare what it
 *  will show (a copy of bytes about to be cut) only when it will be
 *  shown. */
#define traceActive() (__builtin_expect(server.trace_fp != NULL, 0))

/** traceEvent() for a tid 0 event about a file descriptor (a listening
 *  socket, a refused connection). */
#define traceEventFd(fd, step, ...) do {                                 \
        if (__builtin_expect(server.trace_fp != NULL, 0))                \
            traceEmit(NULL, (fd), __FILE__, __LINE__, __func__, (step),  \
                      "" __VA_ARGS__);                                   \
    } while (0)
#else
/* ANCHOR: trace-compiled-out */
/*
 * Built with -DMINIRED_NO_TRACE (`make notrace` builds such a server in
 * build/notrace/bin/minired-server): every trace point compiles to no code
 * at all, not even the branch on server.trace_fp. It exists to measure
 * what the branch costs (scripts/bench-trace.sh runs this build beside the
 * normal one). The call stays under `if (0)` rather than vanishing from
 * the text, so the compiler still checks its arguments and a variable
 * read only by a trace point does not become "unused" under -Werror; the
 * dead call is dropped (`objdump -dr build/notrace/obj/reply.o` names no
 * traceEmit). In this build
 * traceOpen() fails with ENOTSUP, so `--trace FILE` stops the server at
 * start-up with "Can't open the trace file ...: Operation not supported"
 * instead of writing a header and nothing else.
 */
/** Compiled out: never tracing. */
#define traceActive() 0
/** Compiled out: no code (see above). */
#define traceEvent(c, step, ...) do {                                    \
        if (0) traceEmit((c), -1, __FILE__, __LINE__, __func__, (step),  \
                         "" __VA_ARGS__);                                \
    } while (0)
/** Compiled out: no code (see above). */
#define traceEventFd(fd, step, ...) do {                                 \
        if (0) traceEmit(NULL, (fd), __FILE__, __LINE__, __func__,       \
                         (step), "" __VA_ARGS__);                        \
    } while (0)
/* ANCHOR_END: trace-compiled-out */
#endif /* MINIRED_NO_TRACE */

struct client;

void traceEmit(struct client *c, int fd, const char *file, int line,
               const char *func, const char *step, const char *fmt, ...);
int traceOpen(const char *path);
void traceOpenStream(FILE *fp, int owned);
void traceClose(const char *reason);
void traceFlush(void);
void traceEmitRawLine(const char *line, size_t len);
void traceSetClock(long long ms);
size_t traceEscapeBytes(char *dst, const char *src, size_t len);
void traceCatClientState(struct client *c, char **buf, size_t *len,
                         size_t *cap);
const char *traceFlagName(int bit);
unsigned long long traceEventCount(void);
void traceClockFrozenTick(void);

#endif /* __MINIRED_TRACE_H */
