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
 * file, gathered in a 256 KB buffer and written once it is full and once
 * per event loop turn (beforeSleep), so a crash loses at most the current
 * turn and the file always ends with whole lines, except possibly a cut
 * last one.
 *
 * A write error (disk full, say) does not stop the server: it logs a
 * warning, closes the trace and goes on untraced.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's networking.c (MONITOR: replicationFeedMonitors() in replication.c):
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

/*
 * The output buffer. Events are formatted straight into tbuf, one line
 * after the other, and the whole lines go to the file in one write(2)
 * when TRACE_OUT_FLUSH bytes have piled up and at traceFlush() (once per
 * event loop turn). A traced SET writes ~16 lines of ~400 bytes: one
 * write per ~40 requests instead of one fwrite (stdio lock, memcpy into
 * its 64 KB buffer) per line.
 */

/** Whole lines waiting in tbuf are written out once they pass this many
 *  bytes: 256 KB, big enough that the write(2) costs little per line, small
 *  enough to stay in the CPU's L2 cache while it is filled. */
#define TRACE_OUT_FLUSH (256 * 1024)
/** tbuf's size when a trace starts: the flush mark plus room for the
 *  line that crosses it. A longer line (a 100 KB "data") grows tbuf. */
#define TRACE_OUT_INITIAL (TRACE_OUT_FLUSH + 64 * 1024)

/** Whole lines not written yet, then the line being built. */
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
 * Callers reserve the worst case of a whole bounded part at once (the
 * start of a line, the client state) and then write with the tp*()
 * appenders below, which check nothing.
 *
 * Called by: tbRoom(), catQuoted(), traceCatClientState().
 */
static void tbReserve(char **buf, size_t len, size_t *cap, size_t n) {
    if (len + n <= *cap) return;
    /* Double, so a 1 MB "data" costs a few reallocations, not thousands. */
    while (len + n > *cap) *cap = *cap ? *cap * 2 : 4096;
    *buf = zrealloc(*buf, *cap);
}

/**
 * @brief Make room for @p n more bytes at the end of tbuf.
 * @param n Bytes about to be appended (an upper bound).
 * @return Where they go: tbuf + tlen. Set tlen to the new end after.
 *
 * Called by: beginLine() and the tb*() helpers.
 */
static char *tbRoom(size_t n) {
    tbReserve(&tbuf, tlen, &tcap, n);
    return tbuf + tlen;
}

/**
 * @brief Copy @p n bytes to @p p.
 * @param p Destination, with room reserved.
 * @param s The bytes.
 * @param n How many.
 * @return @p p + @p n, where the next piece goes.
 *
 * Called by: the TP_LIT() macro and every line builder.
 */
static inline char *tpCat(char *p, const char *s, size_t n) {
    memcpy(p, s, n);
    return p + n;
}

/** Append the string literal @p lit at @p p and advance @p p. sizeof, not
 *  strlen: the length is known when compiling, so the copy becomes a few
 *  moves of constants. Only for literals (sizeof of a pointer is 8). */
#define TP_LIT(p, lit) ((p) = tpCat((p), (lit), sizeof(lit) - 1))

/** The 100 two-digit pairs "00" .. "99": a number is printed two digits
 *  per division by 100, half the divisions of one digit at a time. */
static const char trace_digit_pairs[] =
    "00010203040506070809" "10111213141516171819" "20212223242526272829"
    "30313233343536373839" "40414243444546474849" "50515253545556575859"
    "60616263646566676869" "70717273747576777879" "80818283848586878889"
    "90919293949596979899";

/** 10^0 .. 10^19: the smallest value of each number of digits. */
static const unsigned long long trace_pow10[20] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
    10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
    100000000000ULL, 1000000000000ULL, 10000000000000ULL,
    100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
    100000000000000000ULL, 1000000000000000000ULL,
    10000000000000000000ULL
};

/**
 * @brief Number of decimal digits of @p v, without a loop.
 * @param v The value.
 * @return 1 for 0..9, ..., 13 for 1700000000000, 20 for ULLONG_MAX.
 *
 * The bit length of v (64 - leading zeros) times log10(2) ~ 1233 / 4096
 * is the digit count or one less; one look-up in trace_pow10 decides.
 * util.c's digits10() divides in a loop: the same answer, but a call and
 * up to 5 divisions for each of the ~20 numbers of an event.
 *
 * Called by: tpULL().
 */
static inline uint32_t traceDigits(unsigned long long v) {
    /* v | 1: 0 has one digit like 1 (and clzll(0) is undefined); no other
     * count changes, as no 10^t - 1 is even. */
    unsigned long long w = v | 1;
    uint32_t t = ((64 - __builtin_clzll(w)) * 1233) >> 12;

    return t + (w >= trace_pow10[t]);
}

/**
 * @brief Write @p v in decimal at @p p (at most 20 bytes, no NUL).
 * @param p Destination, with 20 bytes of room reserved.
 * @param v The value.
 * @return The byte after the last digit.
 *
 * What "%llu" printed, without snprintf's format parsing and stream
 * set-up, which were a third of a traced server's time: 1700000000000
 * takes 6 steps of v /= 100 (a multiplication, for a constant divisor).
 *
 * Called by: tpLL(), beginLine(), traceCatClientState(), catArg(),
 * tbULL().
 */
static char *tpULL(char *p, unsigned long long v) {
    uint32_t n = traceDigits(v);
    char *q = p + n;

    /* Fill from the right: 1234 -> "34", then "12". */
    while (v >= 100) {
        unsigned i = (unsigned)(v % 100) * 2;

        v /= 100;
        *--q = trace_digit_pairs[i + 1];
        *--q = trace_digit_pairs[i];
    }
    if (v >= 10) {
        *--q = trace_digit_pairs[v * 2 + 1];
        *--q = trace_digit_pairs[v * 2];
    } else {
        *--q = '0' + (char)v;
    }
    return p + n;
}

/**
 * @brief Write @p v in decimal at @p p, with a '-' when negative.
 * @param p Destination, with 21 bytes of room reserved.
 * @param v The value (bulklen -1, fd -1 and timestamps are the usual).
 * @return The byte after the last digit.
 *
 * Called by: beginLine(), traceCatClientState(), tbLL().
 */
static char *tpLL(char *p, long long v) {
    if (v >= 0) return tpULL(p, (unsigned long long)v);
    *p++ = '-';
    /* Negate as unsigned: -LLONG_MIN does not fit in a long long. */
    return tpULL(p, -(unsigned long long)v);
}

/**
 * @brief Append @p n raw bytes to the line.
 * @param s The bytes.
 * @param n How many.
 *
 * Called by: traceEmit() and its helpers.
 */
static void tbCat(const char *s, size_t n) {
    tpCat(tbRoom(n), s, n);
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
    tlen = tpLL(tbRoom(21), v) - tbuf;
}

/**
 * @brief Append an unsigned number to the line (client ids, sizes).
 * @param v The value.
 *
 * Called by: traceEmit() and its helpers.
 */
static void tbULL(unsigned long long v) {
    tlen = tpULL(tbRoom(20), v) - tbuf;
}

/* ======================== Byte escaping ======================== */

/* ANCHOR: trace-escape */
/** 1 for the bytes a JSON string may hold as they are: 0x20..0x7e except
 *  '"' and '\\'. One table load per byte instead of three comparisons. */
static const unsigned char trace_plain[256] = {
    [0x20 ... 0x21] = 1, /* '"' is 0x22 */
    [0x23 ... 0x5b] = 1, /* '\\' is 0x5c */
    [0x5d ... 0x7e] = 1
};

/** A 64-bit word with byte @p b in each of its 8 bytes. */
#define TRACE_BYTES8(b) (0x0101010101010101ULL * (uint8_t)(b))

/**
 * @brief Does any of the 8 bytes of @p w need escaping?
 * @param w 8 bytes of input, loaded with memcpy (any alignment).
 * @return Non-zero if one of them is below 0x20, above 0x7e, '"' or '\\'.
 *
 * Eight bytes per test: a 100 KB GET reply is 102,400 plain 'x' bytes
 * written twice in the trace (the append and the write), and testing them
 * one at a time was the bulk of a traced 100 KB GET. The tricks, per
 * byte x (each subtraction is done in all 8 bytes at once; a borrow out of
 * a byte only happens when that byte already set its 0x80 bit, so it
 * never makes a false "no"):
 *  - x < 0x20:  x - 0x20 borrows, so (x - 0x20) & ~x has bit 7 set;
 *  - x > 0x7e:  x + 1 reaches 0x80, or x already has bit 7;
 *  - x == '"':  x ^ 0x22 is 0, and 0 - 1 sets bit 7 (same test as < 1).
 *
 * Called by: traceEscapeBytes().
 */
static inline uint64_t traceNeedsEscape8(uint64_t w) {
    const uint64_t high = TRACE_BYTES8(0x80);
    uint64_t q = w ^ TRACE_BYTES8('"'), b = w ^ TRACE_BYTES8('\\');
    uint64_t t = (w - TRACE_BYTES8(0x20)) & ~w;     /* below 0x20 */

    t |= (w + TRACE_BYTES8(0x01)) | w;              /* above 0x7e */
    t |= (q - TRACE_BYTES8(0x01)) & ~q;             /* '"' */
    t |= (b - TRACE_BYTES8(0x01)) & ~b;             /* '\\' */
    return t & high;
}

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
    size_t j = 0;

    while (j < len) {
        unsigned char ch;

        /* Long plain runs (values, "data" of big replies) go 8 bytes at a
         * time: test a word, copy it whole if nothing in it is special. */
        while (len - j >= 8) {
            uint64_t w;

            memcpy(&w, src + j, 8);
            if (traceNeedsEscape8(w)) break;
            memcpy(p, &w, 8);
            p += 8;
            j += 8;
        }
        if (j == len) break;
        ch = (unsigned char)src[j++];
        if (trace_plain[ch]) {
            *p++ = ch;
        } else if (ch == '"' || ch == '\\') {
            *p++ = '\\';
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
 * @brief Write @p n bytes at @p p as a quoted, escaped JSON string.
 * @param p Destination, with 6 * @p n + 2 bytes of room reserved.
 * @param s The bytes.
 * @param n How many.
 * @return The byte after the closing quote.
 *
 * Called by: catQuoted(), catArg().
 */
static char *tpQuoted(char *p, const char *s, size_t n) {
    *p++ = '"';
    p += traceEscapeBytes(p, s, n);
    *p++ = '"';
    return p;
}

/**
 * @brief Append a quoted, escaped JSON string to a growable buffer.
 * @param buf The buffer.
 * @param len Bytes in use (updated).
 * @param cap Bytes allocated (updated).
 * @param s   The bytes.
 * @param n   How many.
 *
 * Called by: tbQuoted().
 */
static void catQuoted(char **buf, size_t *len, size_t *cap,
                      const char *s, size_t n) {
    tbReserve(buf, *len, cap, n * 6 + 2);
    *len = tpQuoted(*buf + *len, s, n) - *buf;
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

/*
 * Upper bounds of the pieces of "c", so traceCatClientState() makes room
 * once for the whole object and writes without a check per token. A
 * number takes at most 20 digits and a sign.
 */
/** The keys up to "argv":[ with 7 numbers (~110 bytes of keys). */
#define TRACE_STATE_HEAD_MAX 256
/** One argv entry: ,["the first 32 bytes, 6 each escaped",LEN]. */
#define TRACE_STATE_ARG_MAX (6 * TRACE_ARGV_MAX + 32)
/** "],"bufpos":N,"sentlen":N,"reply":[. */
#define TRACE_STATE_MID_MAX 96
/** One reply block: ,[size,used] or ,null. */
#define TRACE_STATE_BLOCK_MAX 48
/** From "],"reply_bytes" to the end: 29 flag names of at most 18 bytes
 *  ("MASTER_FORCE_REPLY") plus ,"" each (609 bytes), keys and 3 numbers. */
#define TRACE_STATE_TAIL_MAX 1024

/**
 * @brief Write one argv entry, ["SET",3]: the value cut to its first
 *        TRACE_ARGV_MAX (32) bytes, then its real length.
 * @param p Destination, with TRACE_STATE_ARG_MAX bytes reserved.
 * @param o The argument (string object; INT-encoded after SET stored it).
 * @return The byte after the entry.
 *
 * Called by: traceCatClientState().
 */
static char *catArg(char *p, robj *o) {
    char num[32];
    const char *s;
    size_t n;

    if (o == NULL) {
        TP_LIT(p, "null");
        return p;
    }
    if (sdsEncodedObject(o)) {
        s = o->ptr;
        n = sdslen(o->ptr);
    } else {
        /* "SET k 12345" stores argv[2] as an INT object: print it back. */
        n = ll2string(num, sizeof(num), (long)o->ptr);
        s = num;
    }
    *p++ = '[';
    p = tpQuoted(p, s, n > TRACE_ARGV_MAX ? TRACE_ARGV_MAX : n);
    *p++ = ',';
    p = tpULL(p, n);
    *p++ = ']';
    return p;
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
    listIter li;
    listNode *ln;
    int j, first = 1;
    char *p;

    /* One check for the whole object: its size is bounded by argc and
     * the number of reply blocks (a few hundred bytes for a SET). */
    tbReserve(buf, *len, cap, TRACE_STATE_HEAD_MAX + TRACE_STATE_MID_MAX +
              TRACE_STATE_TAIL_MAX + (size_t)c->argc * TRACE_STATE_ARG_MAX +
              listLength(c->reply) * TRACE_STATE_BLOCK_MAX);
    p = *buf + *len;

    /* querybuf is NULL once freeClient() has released it. */
    TP_LIT(p, "{\"qlen\":");
    p = tpULL(p, c->querybuf ? sdslen(c->querybuf) : 0);
    TP_LIT(p, ",\"qb_pos\":");
    p = tpULL(p, c->qb_pos);
    TP_LIT(p, ",\"querybuf_peak\":");
    p = tpULL(p, c->querybuf_peak);
    TP_LIT(p, ",\"reqtype\":");
    p = tpLL(p, c->reqtype);
    TP_LIT(p, ",\"multibulklen\":");
    p = tpLL(p, c->multibulklen);
    TP_LIT(p, ",\"bulklen\":");
    p = tpLL(p, c->bulklen);
    TP_LIT(p, ",\"argc\":");
    p = tpLL(p, c->argc);
    TP_LIT(p, ",\"argv\":[");

    /* During parsing argc counts the arguments already complete. */
    for (j = 0; j < c->argc; j++) {
        if (j) *p++ = ',';
        p = catArg(p, c->argv[j]);
    }

    TP_LIT(p, "],\"bufpos\":");
    p = tpLL(p, c->bufpos);
    TP_LIT(p, ",\"sentlen\":");
    p = tpULL(p, c->sentlen);
    TP_LIT(p, ",\"reply\":[");

    /* One [size,used] pair per block; null for a deferred-length
     * placeholder that setDeferredMultiBulkLength has not filled yet. */
    listRewind(c->reply, &li);
    while ((ln = listNext(&li)) != NULL) {
        clientReplyBlock *b = listNodeValue(ln);

        if (!first) *p++ = ',';
        first = 0;
        if (b == NULL) {
            TP_LIT(p, "null");
            continue;
        }
        *p++ = '[';
        p = tpULL(p, b->size);
        *p++ = ',';
        p = tpULL(p, b->used);
        *p++ = ']';
    }

    TP_LIT(p, "],\"reply_bytes\":");
    p = tpULL(p, c->reply_bytes);
    TP_LIT(p, ",\"flags\":[");

    /* FAKE_IO is left out: it says how the replayer drives the client,
     * and a replayed trace must read exactly like the live one. */
    first = 1;
    for (j = 0; j < 29; j++) {
        if (!(c->flags & (1 << j))) continue;
        if (!first) *p++ = ',';
        first = 0;
        *p++ = '"';
        p = tpCat(p, trace_flag_names[j], strlen(trace_flag_names[j]));
        *p++ = '"';
    }

    TP_LIT(p, "],\"db\":");
    p = tpLL(p, c->db ? c->db->id : -1);
    TP_LIT(p, ",\"mstime\":");
    p = tpLL(p, server.mstime);
    *p++ = '}';
    *len = p - *buf;
}
/* ANCHOR_END: trace-client-state */

/* ======================== Writing lines ======================== */

/**
 * @brief Microseconds of wall time, for "wall_us".
 * @return gettimeofday() in microseconds.
 *
 * Called by: beginLine(), traceEmitRawLine().
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
 * line at best); the lines still in tbuf are dropped. trace-file is
 * cleared too, so CONFIG GET trace-file answers "" exactly as after
 * CONFIG SET trace-file "": the server says it is not tracing, rather
 * than naming a file it no longer writes. CONFIG SET trace-file FILE
 * starts a new trace.
 *
 * Called by: traceWriteOut(), traceFlush().
 */
static void traceWriteFailed(void) {
    serverLog(LL_WARNING, "Error writing the trace file %s: %s. "
              "Tracing stopped.", server.trace_path ? server.trace_path : "",
              strerror(errno));
    tlen = 0;
    /* An owned stream is unbuffered (traceOpen), so fclose() has nothing
     * left to write; the replayer's stdout is the caller's to close. */
    if (trace_owned) fclose(server.trace_fp);
    server.trace_fp = NULL;
    zfree(server.trace_path);
    server.trace_path = NULL;
}

/**
 * @brief Hand every whole line in tbuf to the trace file and empty tbuf.
 * @return C_OK, or C_ERR after traceWriteFailed() stopped tracing.
 *
 * A file opened by traceOpen() gets the bytes by write(2) on its fd, with
 * no stdio buffer between (a second copy of 256 KB for nothing). A stream
 * the caller owns (the replayer's stdout) gets them by fwrite(): it may
 * hold other output of the caller's, whose order stdio keeps.
 *
 * Called by: writeLine() (tbuf passed TRACE_OUT_FLUSH), traceFlush(),
 * traceClose().
 */
static int traceWriteOut(void) {
    const char *p = tbuf;
    size_t left = tlen;

    if (!trace_owned) {
        if (left && fwrite(p, 1, left, server.trace_fp) != left) {
            traceWriteFailed();
            return C_ERR;
        }
        tlen = 0;
        return C_OK;
    }
    /* A regular file takes it all at once; a pipe or a signal may cut a
     * write short, and the rest goes in the next turn of the loop. */
    while (left > 0) {
        ssize_t n = write(fileno(server.trace_fp), p, left);

        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = ENOSPC;
            traceWriteFailed();
            return C_ERR;
        }
        p += n;
        left -= n;
    }
    tlen = 0;
    return C_OK;
}

/**
 * @brief End the line built at the end of tbuf with its '\n' and count
 *        it; write tbuf out once it holds TRACE_OUT_FLUSH bytes.
 *
 * Only whole lines are ever written, so a kill -9 between two writes
 * leaves a file of whole lines.
 *
 * Called by: traceEmit(), traceEmitRawLine(), traceWriteHeader(),
 * emitClock(), traceClose().
 */
static void writeLine(void) {
    tbCat("\n", 1);
    trace_ts++;
    if (tlen >= TRACE_OUT_FLUSH) traceWriteOut();
}

/** Bytes of beginLine()'s output besides name, step and file: ~100 of
 *  keys and five numbers of at most 21 bytes. */
#define TRACE_BEGIN_MAX 256

/**
 * @brief Start a line: the keys every event has, up to "wall_us".
 * @param tid  Client id, 0 for server events.
 * @param name The emitting C function.
 * @param step The step name ("cat").
 * @param file __FILE__ of the trace point (the basename is kept).
 * @param line __LINE__ of the trace point.
 * @param fd   The client's fd, or the fd the event is about, or -1.
 *
 * Called by: traceEmit(), emitClock(), traceClose().
 */
static void beginLine(unsigned long long tid, const char *name,
                      const char *step, const char *file, int line, int fd) {
    const char *base = strrchr(file, '/');
    size_t name_len = strlen(name), step_len = strlen(step);
    size_t base_len;
    char *p;

    base = base ? base + 1 : file;
    base_len = strlen(base);
    /* One room check for the whole start of the line (~200 bytes). */
    p = tbRoom(TRACE_BEGIN_MAX + name_len + step_len + base_len);
    TP_LIT(p, "{\"tid\":");
    p = tpULL(p, tid);
    TP_LIT(p, ",\"ts\":");
    p = tpULL(p, trace_ts);
    TP_LIT(p, ",\"pid\":1,\"ph\":\"i\",\"s\":\"t\",\"name\":\"");
    p = tpCat(p, name, name_len);
    TP_LIT(p, "\",\"cat\":\"");
    p = tpCat(p, step, step_len);
    TP_LIT(p, "\",\"args\":{\"src\":\"");
    p = tpCat(p, base, base_len);
    *p++ = ':';
    p = tpLL(p, line);
    TP_LIT(p, "\",\"fd\":");
    p = tpLL(p, fd);
    TP_LIT(p, ",\"wall_us\":");
    p = tpLL(p, wallMicros());
    tlen = p - tbuf;
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
    tbStr(",\"maxmemory\":");
    tbULL(server.maxmemory);
    /* Only when on: a trace of the default server is unchanged, and the
     * replay needs it to take the same writev(2) path. */
    if (server.writev_replies) tbStr(",\"writev_replies\":true");
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
    /* A new trace starts empty: traceClose() wrote the last one's lines
     * out, traceWriteFailed() dropped them. */
    tlen = 0;
    tbReserve(&tbuf, 0, &tcap, TRACE_OUT_INITIAL);
    trace_clock = server.mstime;
    traceWriteHeader();
}

/**
 * @brief Open (truncate) @p path and start tracing into it.
 *
 * The stream is unbuffered: lines are gathered in trace.c's own buffer
 * (TRACE_OUT_FLUSH, 256 KB) and written with write(2) on its fd when it
 * fills and at traceFlush(), once per event loop turn.
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
    setvbuf(fp, NULL, _IONBF, 0);
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
    /* The footer, or a write of the lines before it, may have failed:
     * traceWriteFailed() has then logged it and closed the file. */
    if (server.trace_fp == NULL || traceWriteOut() == C_ERR) return;
    if (fflush(fp) != 0)
        serverLog(LL_WARNING, "Error writing the trace file: %s",
                  strerror(errno));
    if (trace_owned) fclose(fp);
    server.trace_fp = NULL;
}

/**
 * @brief Push buffered trace lines to the file.
 *
 * Writes what tbuf holds and flushes the stream (a no-op for a file of
 * traceOpen(), which is unbuffered; the replayer's stdout needs it).
 *
 * Called by: beforeSleep() once per event loop turn, so that a crash
 * loses at most the turn in progress; the trace engine when a replay or
 * a scenario ends.
 */
void traceFlush(void) {
    if (server.trace_fp == NULL || traceWriteOut() == C_ERR) return;
    if (fflush(server.trace_fp) != 0) traceWriteFailed();
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
