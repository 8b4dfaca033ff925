/**
 * @file trace.c
 * @brief The trace emitter: opening and closing the trace file, the
 *        header and footer, and one JSON line per traceEvent().
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Beside every step of it. networking.c, reply.c, server.c and cron.c call
 * traceEvent() (trace.h) at each decisive point; when server.trace_fp is
 * set the macro calls traceEmit() here, which writes
 *
 *   {"tid":3,"ts":41,"pid":1,"ph":"i","s":"t","name":"_addReplyToBuffer",
 *    "cat":"buf-append","args":{"src":"reply.c:290","fd":8,"wall_us":...,
 *    "c":{...client state...},"data":"+OK\\r\n"}}
 *
 * (one line in the file, "\\r\\n" written as \\u000d\\u000a). What flows in: a
 * client, a step name and a few values. What flows out: lines in the trace
 * file, buffered by stdio and flushed once per event loop turn
 * (beforeSleep), so a crash loses at most the current turn and the file
 * always ends with whole lines, except possibly a cut last one.
 *
 * A write error (disk full, say) does not stop the server: it logs a
 * warning, closes the trace and goes on untraced.
 *
 * @par Redis 5.0:
 * Has nothing like it (MONITOR shows commands, not the pipeline's state).
 */

#include "server.h"

#include <stdarg.h>
#include <sys/time.h>

#ifndef MINIRED_SRC_DIR
/** Absolute path of src/ at build time, written in the header so tools can
 *  show the source line of an event. The Makefile may define it. */
#define MINIRED_SRC_DIR ""
#endif

/** The line being built: reused for every event, grown as needed. */
static char *tbuf = NULL;
static size_t tlen = 0; /**< Bytes of tbuf in use. */
static size_t tcap = 0; /**< Bytes allocated for tbuf. */

static unsigned long long trace_ts = 0;   /**< ts of the next event. */
static int trace_owned = 0;   /**< 1: trace_fp was opened by traceOpen(). */
static long long trace_clock = 0; /**< Last mstime written ("clock"). */

/* ======================== The line buffer ======================== */

/**
 * @brief Make room for @p n more bytes in a growable buffer.
 * @param buf The buffer (may be reallocated).
 * @param len Bytes in use.
 * @param cap Bytes allocated (updated).
 * @param n   Bytes about to be appended.
 *
 * Called by: every tb*() helper, traceCatClientState().
 */
static void tbReserve(char **buf, size_t len, size_t *cap, size_t n) {
    if (len + n <= *cap) return;
    /* Double, so a 1 MB "data" costs a few reallocations, not thousands. */
    while (len + n > *cap) *cap = *cap ? *cap * 2 : 4096;
    *buf = zrealloc(*buf, *cap);
}

/**
 * @brief Append @p n raw bytes to the line.
 * @param s The bytes.
 * @param n How many.
 *
 * Called by: traceEmit() and its helpers.
 */
static void tbCat(const char *s, size_t n) {
    tbReserve(&tbuf, tlen, &tcap, n);
    memcpy(tbuf + tlen, s, n);
    tlen += n;
}

/**
 * @brief Append a C string to the line.
 * @param s NUL-terminated text, written as is (no escaping).
 *
 * Called by: traceEmit() and its helpers.
 */
static void tbStr(const char *s) {
    tbCat(s, strlen(s));
}

/**
 * @brief Append a signed number to the line.
 * @param v The value.
 *
 * Called by: traceEmit() and its helpers.
 */
static void tbLL(long long v) {
    char num[32];

    tbCat(num, ll2string(num, sizeof(num), v));
}

/**
 * @brief Append an unsigned number to the line (client ids, sizes).
 * @param v The value.
 *
 * Called by: traceEmit() and its helpers.
 */
static void tbULL(unsigned long long v) {
    char num[32];

    tbCat(num, snprintf(num, sizeof(num), "%llu", v));
}

/* ======================== Byte escaping ======================== */

/* ANCHOR: trace-escape */
/**
 * @brief Escape @p len bytes as the inside of a JSON string, one code point
 *        per byte.
 *
 * 0x20..0x7e stay as they are, except '"' -> \\" and '\\' -> \\; every other
 * byte becomes \\u00XX with lower-case hex. "SET\\r\n" becomes
 * SET\\u000d\\u000a, and byte 0xe9 becomes \\u00e9 (not the UTF-8 of 'é'): a
 * decoder maps each code point back to exactly one byte, so binary values
 * survive a round trip.
 *
 * @param dst Output, at least 6 * @p len bytes (the worst case).
 * @param src The bytes.
 * @param len How many.
 * @return Bytes written to @p dst (no NUL is added).
 *
 * Called by: traceEmit() (%b and %s fields), traceCatClientState() (argv),
 * the Check unit tests.
 */
size_t traceEscapeBytes(char *dst, const char *src, size_t len) {
    static const char hex[] = "0123456789abcdef";
    char *p = dst;
    size_t j;

    for (j = 0; j < len; j++) {
        unsigned char ch = (unsigned char)src[j];

        if (ch == '"' || ch == '\\') {
            *p++ = '\\';
            *p++ = ch;
        } else if (ch >= 0x20 && ch <= 0x7e) {
            *p++ = ch;
        } else {
            /* '\r' (0x0d) -> \u000d: six bytes for one. */
            memcpy(p, "\\u00", 4);
            p[4] = hex[ch >> 4];
            p[5] = hex[ch & 0xf];
            p += 6;
        }
    }
    return p - dst;
}
/* ANCHOR_END: trace-escape */

/**
 * @brief Append a quoted, escaped JSON string to a growable buffer.
 * @param buf The buffer.
 * @param len Bytes in use (updated).
 * @param cap Bytes allocated (updated).
 * @param s   The bytes.
 * @param n   How many.
 *
 * Called by: tbQuoted(), traceCatClientState().
 */
static void catQuoted(char **buf, size_t *len, size_t *cap,
                      const char *s, size_t n) {
    tbReserve(buf, *len, cap, n * 6 + 2);
    (*buf)[(*len)++] = '"';
    *len += traceEscapeBytes(*buf + *len, s, n);
    (*buf)[(*len)++] = '"';
}

/**
 * @brief Append a quoted, escaped JSON string to the line.
 * @param s The bytes.
 * @param n How many.
 *
 * Called by: traceEmit(), traceWriteHeader().
 */
static void tbQuoted(const char *s, size_t n) {
    catQuoted(&tbuf, &tlen, &tcap, s, n);
}

/* ======================== Client state ======================== */

/** CLIENT_* flag names by bit, as they appear in the "flags" array. */
static const char *trace_flag_names[] = {
    "SLAVE", "MASTER", "MONITOR", "MULTI", "BLOCKED", "DIRTY_CAS",
    "CLOSE_AFTER_REPLY", "UNBLOCKED", "LUA", "ASKING", "CLOSE_ASAP",
    "UNIX_SOCKET", "DIRTY_EXEC", "MASTER_FORCE_REPLY", "FORCE_AOF",
    "FORCE_REPL", "PRE_PSYNC", "READONLY", "PUBSUB", "PREVENT_AOF_PROP",
    "PREVENT_REPL_PROP", "PENDING_WRITE", "REPLY_OFF", "REPLY_SKIP_NEXT",
    "REPLY_SKIP", "LUA_DEBUG", "LUA_DEBUG_SYNC", "MODULE", "PROTECTED",
    "FAKE_IO"
};

/**
 * @brief Name of client flag bit @p bit, without the CLIENT_ prefix.
 * @param bit 0..29.
 * @return "MULTI" for 3, ..., or NULL for an unknown bit.
 *
 * Called by: traceCatClientState(); the trace tool's tests.
 */
const char *traceFlagName(int bit) {
    if (bit < 0 || bit >= (int)(sizeof(trace_flag_names) / sizeof(char *)))
        return NULL;
    return trace_flag_names[bit];
}

/**
 * @brief Append one argv entry, ["SET",3]: the value cut to its first
 *        TRACE_ARGV_MAX (32) bytes, then its real length.
 * @param buf The buffer.
 * @param len Bytes in use (updated).
 * @param cap Bytes allocated (updated).
 * @param o   The argument (string object; INT-encoded after SET stored it).
 *
 * Called by: traceCatClientState().
 */
static void catArg(char **buf, size_t *len, size_t *cap, robj *o) {
    char num[32], tail[32];
    const char *p;
    size_t n;

    if (o == NULL) {
        tbReserve(buf, *len, cap, 4);
        memcpy(*buf + *len, "null", 4);
        *len += 4;
        return;
    }
    if (sdsEncodedObject(o)) {
        p = o->ptr;
        n = sdslen(o->ptr);
    } else {
        /* "SET k 12345" stores argv[2] as an INT object: print it back. */
        n = ll2string(num, sizeof(num), (long)o->ptr);
        p = num;
    }
    tbReserve(buf, *len, cap, 1);
    (*buf)[(*len)++] = '[';
    catQuoted(buf, len, cap, p, n > TRACE_ARGV_MAX ? TRACE_ARGV_MAX : n);
    n = snprintf(tail, sizeof(tail), ",%zu]", n);
    tbReserve(buf, *len, cap, n);
    memcpy(*buf + *len, tail, n);
    *len += n;
}

/* ANCHOR: trace-client-state */
/**
 * @brief Append the client's whole scalar state as the JSON object "c".
 *
 * Keys in this fixed order: qlen, qb_pos, querybuf_peak, reqtype,
 * multibulklen, bulklen, argc, argv, bufpos, sentlen, reply, reply_bytes,
 * flags, db, mstime. After "SET k v" was parsed and run:
 * @code
 * {"qlen":27,"qb_pos":27,"querybuf_peak":0,"reqtype":2,"multibulklen":0,
 *  "bulklen":-1,"argc":3,"argv":[["SET",3],["k",1],["v",1]],"bufpos":5,
 *  "sentlen":0,"reply":[],"reply_bytes":0,"flags":["PENDING_WRITE"],
 *  "db":0,"mstime":1700000000000}
 * @endcode
 *
 * @param c   The client.
 * @param buf The buffer (may be reallocated).
 * @param len Bytes in use (updated).
 * @param cap Bytes allocated (updated).
 *
 * Called by: traceEmit(); the Check unit tests.
 */
void traceCatClientState(client *c, char **buf, size_t *len, size_t *cap) {
    char num[512];
    listIter li;
    listNode *ln;
    int j, first = 1;
    size_t n;

    /* querybuf is NULL once freeClient() has released it. */
    n = snprintf(num, sizeof(num),
        "{\"qlen\":%zu,\"qb_pos\":%zu,\"querybuf_peak\":%zu,\"reqtype\":%d,"
        "\"multibulklen\":%d,\"bulklen\":%ld,\"argc\":%d,\"argv\":[",
        c->querybuf ? sdslen(c->querybuf) : 0, c->qb_pos, c->querybuf_peak,
        c->reqtype, c->multibulklen, c->bulklen, c->argc);
    tbReserve(buf, *len, cap, n);
    memcpy(*buf + *len, num, n);
    *len += n;

    /* During parsing argc counts the arguments already complete. */
    for (j = 0; j < c->argc; j++) {
        if (j) {
            tbReserve(buf, *len, cap, 1);
            (*buf)[(*len)++] = ',';
        }
        catArg(buf, len, cap, c->argv[j]);
    }

    n = snprintf(num, sizeof(num), "],\"bufpos\":%d,\"sentlen\":%zu,\"reply\":[",
                 c->bufpos, c->sentlen);
    tbReserve(buf, *len, cap, n);
    memcpy(*buf + *len, num, n);
    *len += n;

    /* One [size,used] pair per block; null for a deferred-length
     * placeholder that setDeferredMultiBulkLength has not filled yet. */
    listRewind(c->reply, &li);
    while ((ln = listNext(&li)) != NULL) {
        clientReplyBlock *b = listNodeValue(ln);

        n = b ? (size_t)snprintf(num, sizeof(num), "%s[%zu,%zu]",
                                 first ? "" : ",", b->size, b->used)
              : (size_t)snprintf(num, sizeof(num), "%snull", first ? "" : ",");
        first = 0;
        tbReserve(buf, *len, cap, n);
        memcpy(*buf + *len, num, n);
        *len += n;
    }

    n = snprintf(num, sizeof(num), "],\"reply_bytes\":%llu,\"flags\":[",
                 c->reply_bytes);
    tbReserve(buf, *len, cap, n);
    memcpy(*buf + *len, num, n);
    *len += n;

    /* FAKE_IO is left out: it says how the replayer drives the client,
     * and a replayed trace must read exactly like the live one. */
    first = 1;
    for (j = 0; j < 29; j++) {
        if (!(c->flags & (1 << j))) continue;
        n = snprintf(num, sizeof(num), "%s\"%s\"", first ? "" : ",",
                     trace_flag_names[j]);
        first = 0;
        tbReserve(buf, *len, cap, n);
        memcpy(*buf + *len, num, n);
        *len += n;
    }

    n = snprintf(num, sizeof(num), "],\"db\":%d,\"mstime\":%lld}",
                 c->db ? c->db->id : -1, server.mstime);
    tbReserve(buf, *len, cap, n);
    memcpy(*buf + *len, num, n);
    *len += n;
}
/* ANCHOR_END: trace-client-state */

/* ======================== Writing lines ======================== */

/**
 * @brief Microseconds of wall time, for "wall_us".
 * @return gettimeofday() in microseconds.
 *
 * Called by: traceEmit(), traceEmitRawLine().
 */
static long long wallMicros(void) {
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

/**
 * @brief Stop tracing after a failed write: log why, close the file,
 *        let the server go on.
 *
 * The log line reads "Error writing the trace file /dev/full: No space
 * left on device. Tracing stopped." The file keeps what was written
 * before the error (no footer: like a crash, it ends at its last whole
 * line at best). trace-file is cleared too, so CONFIG GET trace-file
 * answers "" exactly as after CONFIG SET trace-file "": the server says
 * it is not tracing, rather than naming a file it no longer writes.
 * CONFIG SET trace-file FILE starts a new trace.
 *
 * Called by: writeLine(), traceFlush().
 */
static void traceWriteFailed(void) {
    serverLog(LL_WARNING, "Error writing the trace file %s: %s. "
              "Tracing stopped.", server.trace_path ? server.trace_path : "",
              strerror(errno));
    /* fclose() tries to flush the rest of the buffer again and fails the
     * same way; the stream is released all the same. */
    if (trace_owned) fclose(server.trace_fp);
    server.trace_fp = NULL;
    zfree(server.trace_path);
    server.trace_path = NULL;
}

/**
 * @brief Write the line built in tbuf, with its '\n', and count it.
 *
 * Called by: traceEmit(), traceEmitRawLine(), traceWriteHeader().
 */
static void writeLine(void) {
    tbCat("\n", 1);
    trace_ts++;
    if (fwrite(tbuf, 1, tlen, server.trace_fp) != tlen) traceWriteFailed();
}

/**
 * @brief Start a line: the keys every event has, up to "wall_us".
 * @param tid  Client id, 0 for server events.
 * @param name The emitting C function.
 * @param step The step name ("cat").
 * @param file __FILE__ of the trace point (the basename is kept).
 * @param line __LINE__ of the trace point.
 * @param fd   The client's fd, or the fd the event is about, or -1.
 *
 * Called by: traceEmit(), emitClock().
 */
static void beginLine(unsigned long long tid, const char *name,
                      const char *step, const char *file, int line, int fd) {
    const char *base = strrchr(file, '/');

    tlen = 0;
    tbStr("{\"tid\":");
    tbULL(tid);
    tbStr(",\"ts\":");
    tbULL(trace_ts);
    tbStr(",\"pid\":1,\"ph\":\"i\",\"s\":\"t\",\"name\":\"");
    tbStr(name);
    tbStr("\",\"cat\":\"");
    tbStr(step);
    tbStr("\",\"args\":{\"src\":\"");
    tbStr(base ? base + 1 : file);
    tbStr(":");
    tbLL(line);
    tbStr("\",\"fd\":");
    tbLL(fd);
    tbStr(",\"wall_us\":");
    tbLL(wallMicros());
}

/**
 * @brief Write a "clock" event: server.mstime is now @p ms.
 * @param ms The cached time commands see from here on.
 *
 * Called by: traceEmit() (a change since the last event), traceSetClock().
 */
static void emitClock(long long ms) {
    trace_clock = ms;
    beginLine(0, "traceSetClock", "clock", __FILE__, __LINE__, -1);
    tbStr(",\"mstime\":");
    tbLL(ms);
    tbStr("}}");
    writeLine();
}

/**
 * @brief Set the cached clock (server.mstime and unixtime) and record it.
 *
 * The replayer and the scenario runner freeze the clock
 * (server.clock_frozen) and move it only through here, so the commands of
 * a replay see the recorded time: SET ... PX 100 and the idle timeout
 * behave as they did live.
 *
 * @param ms Milliseconds since the epoch.
 *
 * Called by: the trace engine (trace_replay.c).
 */
void traceSetClock(long long ms) {
    server.mstime = ms;
    server.unixtime = ms / 1000;
    if (server.trace_fp) emitClock(ms);
}

/**
 * @brief Write one event line: common keys, client state, extra fields.
 *
 * The field format is "key=%X key=%X" (see traceEvent() in trace.h). For
 * a %b field the bytes are never cut: a 1 MB reply appears whole.
 *
 * @param c    The client, or NULL for a server event (tid 0, no "c").
 * @param fd   The fd to report when @p c is NULL (-1 for none).
 * @param file __FILE__ of the trace point.
 * @param line __LINE__ of the trace point.
 * @param func __func__ of the trace point: the event's name.
 * @param step The step (the event's "cat").
 * @param fmt  Extra fields, "" for none.
 * @param ...  One value per %X (two for %b, none for %n).
 *
 * Called by: the traceEvent() and traceEventFd() macros.
 */
void traceEmit(client *c, int fd, const char *file, int line,
               const char *func, const char *step, const char *fmt, ...) {
    va_list ap;
    const char *p = fmt;
    int saved_errno = errno; /* callers log strerror(errno) after us */

    /* A clock change since the last event is told first, so the events
     * that follow carry a "mstime" the reader has already seen. */
    if (server.mstime != trace_clock) emitClock(server.mstime);
    if (server.trace_fp == NULL) {
        errno = saved_errno;
        return;
    }

    beginLine(c ? c->id : 0, func, step, file, line, c ? c->fd : fd);
    if (c) {
        tbStr(",\"c\":");
        traceCatClientState(c, &tbuf, &tlen, &tcap);
    }

    va_start(ap, fmt);
    while (*p) {
        const char *eq = strchr(p, '=');
        char conv;

        if (eq == NULL || eq[1] != '%') break; /* a bad format: stop */
        tbStr(",\"");
        tbCat(p, eq - p);
        tbStr("\":");
        conv = eq[2];
        switch (conv) {
        case 'd': tbLL(va_arg(ap, int)); break;
        case 'l': tbLL(va_arg(ap, long long)); break;
        case 'z': tbULL(va_arg(ap, size_t)); break;
        case 'U': tbULL(va_arg(ap, unsigned long long)); break;
        case 'B': tbStr(va_arg(ap, int) ? "true" : "false"); break;
        case 'n': tbStr("null"); break;
        case 's': {
            const char *s = va_arg(ap, const char *);

            if (s) tbQuoted(s, strlen(s));
            else tbStr("null");
            break;
        }
        case 'b': {
            const char *s = va_arg(ap, const char *);
            size_t n = va_arg(ap, size_t);

            tbQuoted(s, n);
            break;
        }
        default: tbStr("null"); break;
        }
        p = eq + 3;
        while (*p == ' ') p++;
    }
    va_end(ap);
    tbStr("}}");
    writeLine();
    errno = saved_errno;
}

/**
 * @brief Copy a line of another trace into this one, with this trace's ts
 *        and a fresh wall_us. The line must start with {"tid":T,"ts":N,
 *        and hold "wall_us":M.
 * @param line The line (without its '\n').
 * @param len  Its length.
 *
 * Called by: the replayer for "listening" events (a replay opens no
 * socket, so nothing else can emit them).
 */
void traceEmitRawLine(const char *line, size_t len) {
    const char *ts = strstr(line, ",\"ts\":");
    const char *wall = strstr(line, "\"wall_us\":");
    const char *after;

    if (server.trace_fp == NULL || ts == NULL || wall == NULL) return;
    tlen = 0;
    tbCat(line, ts - line);
    tbStr(",\"ts\":");
    tbULL(trace_ts);
    after = ts + 6;
    while (*after >= '0' && *after <= '9') after++;
    tbCat(after, wall - after);
    tbStr("\"wall_us\":");
    tbLL(wallMicros());
    after = wall + 10;
    while (*after == '-' || (*after >= '0' && *after <= '9')) after++;
    tbCat(after, line + len - after);
    writeLine();
}

/* ======================== Header, footer, files ======================== */

/**
 * @brief Write the header line (ts 0): schema, versions, hash seed, start
 *        time, the pipeline constants and the configuration a replay
 *        needs to rebuild the same server.
 *
 * Called by: traceOpenStream().
 */
static void traceWriteHeader(void) {
    uint8_t *seed = dictGetHashFunctionSeed();
    char hex[33];
    int j;

    for (j = 0; j < 16; j++) snprintf(hex + j * 2, 3, "%02x", seed[j]);
    tlen = 0;
    tbStr("{\"tid\":0,\"ts\":0,\"pid\":1,\"ph\":\"M\",\"s\":\"t\","
          "\"name\":\"process_name\",\"cat\":\"header\",\"args\":{"
          "\"name\":\"minired\",\"schema\":1,\"minired\":\"" MINIRED_VERSION
          "\",\"redis\":\"" REDIS_VERSION "\",\"hash_seed\":\"");
    tbStr(hex);
    tbStr("\",\"start_mstime\":");
    tbLL(server.mstime);
    tbStr(",\"proto_iobuf_len\":");
    tbLL(PROTO_IOBUF_LEN);
    tbStr(",\"proto_reply_chunk_bytes\":");
    tbLL(PROTO_REPLY_CHUNK_BYTES);
    tbStr(",\"net_max_writes_per_event\":");
    tbLL(NET_MAX_WRITES_PER_EVENT);
    tbStr(",\"src_dir\":");
    tbQuoted(MINIRED_SRC_DIR, strlen(MINIRED_SRC_DIR));
    tbStr(",\"config\":{\"port\":");
    tbLL(server.port);
    tbStr(",\"requirepass\":");
    tbStr(server.requirepass ? "true" : "false");
    tbStr(",\"maxclients\":");
    tbULL(server.maxclients);
    tbStr(",\"timeout\":");
    tbLL(server.maxidletime);
    tbStr(",\"protected_mode\":");
    tbStr(server.protected_mode ? "true" : "false");
    tbStr(",\"client_query_buffer_limit\":");
    tbULL(server.client_max_querybuf_len);
    tbStr(",\"proto_max_bulk_len\":");
    tbLL(server.proto_max_bulk_len);
    tbStr(",\"databases\":");
    tbLL(server.dbnum);
    tbStr("}}}");
    trace_ts = 0;
    writeLine();
}

/**
 * @brief Start tracing to an already open stream: write the header.
 * @param fp    The stream.
 * @param owned 1 if traceClose() must fclose() it, 0 if the caller owns
 *              it (the replayer writing to stdout).
 *
 * Called by: traceOpen(), the trace engine.
 */
void traceOpenStream(FILE *fp, int owned) {
    server.trace_fp = fp;
    trace_owned = owned;
    trace_clock = server.mstime;
    traceWriteHeader();
}

/**
 * @brief Open (truncate) @p path and start tracing into it.
 *
 * The stream gets a 64 KB buffer and is flushed by beforeSleep once per
 * loop turn, instead of one write(2) per event.
 *
 * @param path The trace file.
 * @return C_OK, or C_ERR with errno set when the file cannot be opened
 *         (always ENOTSUP in a -DMINIRED_NO_TRACE build).
 *
 * Called by: main() (--trace), configSetCommand() (CONFIG SET trace-file).
 */
int traceOpen(const char *path) {
    FILE *fp;

#ifdef MINIRED_NO_TRACE
    /* The trace points are compiled out (trace.h): a trace would hold a
     * header and a footer and nothing between, so refuse it plainly. */
    errno = ENOTSUP;
    return C_ERR;
#endif
    fp = fopen(path, "w");
    if (fp == NULL) return C_ERR;
    setvbuf(fp, NULL, _IOFBF, 64 * 1024);
    traceOpenStream(fp, 1);
    return C_OK;
}

/**
 * @brief Write the footer and stop tracing.
 * @param reason "shutdown" or "config" (CONFIG SET trace-file).
 *
 * Called by: prepareForShutdown(), configSetCommand(), the trace engine.
 */
void traceClose(const char *reason) {
    FILE *fp = server.trace_fp;

    if (fp == NULL) return;
    beginLine(0, "traceClose", "footer", __FILE__, __LINE__, -1);
    tbStr(",\"events\":");
    tbULL(trace_ts - 1);
    tbStr(",\"reason\":\"");
    tbStr(reason);
    tbStr("\"}}");
    writeLine();
    if (server.trace_fp == NULL) return; /* the footer write failed */
    if (fflush(fp) != 0)
        serverLog(LL_WARNING, "Error writing the trace file: %s",
                  strerror(errno));
    if (trace_owned) fclose(fp);
    server.trace_fp = NULL;
}

/**
 * @brief Push buffered trace lines to the file.
 *
 * Called by: beforeSleep() once per event loop turn, so that a crash
 * loses at most the turn in progress.
 */
void traceFlush(void) {
    if (server.trace_fp && fflush(server.trace_fp) != 0) traceWriteFailed();
}

/**
 * @brief Number of events written so far (the ts of the next one).
 * @return The count, header included.
 *
 * Called by: the trace engine, to know which input event comes next.
 */
unsigned long long traceEventCount(void) {
    return trace_ts;
}
