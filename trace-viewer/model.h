/**
 * @file model.h
 * @brief The non-UI core of bin/minired-view: an index over a trace file,
 *        events parsed on demand, each client's buffers rebuilt at any
 *        step, and the searches the viewer's keys trigger.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server. The server (or `minired-trace replay`) writes a trace,
 * one JSON line per pipeline step (docs/trace-format.md, schema 1). The
 * viewer lets a student walk that story forwards and backwards. This
 * header is the contract between the model (index.c, model.c: no curses)
 * and the screen code (main.c and the screen files: no file parsing).
 * What flows in: a trace file, possibly still growing. What flows out:
 * events as C structs, a client's querybuf / c->buf / reply blocks as
 * bytes at any step, and step numbers answering searches.
 *
 * Design, and why
 * ---------------
 *  - Memory is an index plus bounded caches, never the parsed trace. The
 *    file is mmap'ed; opening it scans for '\n' and reads only the first
 *    bytes of each line, `{"tid":3,"ts":41,` (the format fixes that key
 *    order precisely so a reader can do this). Per event the index keeps
 *    one uint64 (the line's offset) and one uint32 in its client's event
 *    list: about 12 bytes an event, 12 MB for 1,000,000 events.
 *  - A line is parsed with jansson only when it is looked at; the last
 *    MV_EVENT_CACHE parsed lines are kept.
 *  - A client's bytes at step N are rebuilt by replaying that client's
 *    byte-carrying events (read, trim, big-arg, buf-append, block-fill,
 *    block-new, deferred-add, deferred-set, write, block-sent, emptied)
 *    with the trace tool's own model (trace-tool/check_model.c), so the
 *    viewer and `minired-trace check` cannot disagree. The replay starts
 *    at the nearest earlier point where that stream is known: a point
 *    where the event says the buffer is empty (qlen 0; bufpos 0 with no
 *    reply block), a cached checkpoint, or the client's first event.
 *  - Steps are numbered by position in the file: step 0 is the first
 *    event after the header (line 2), step mvEventCount()-1 the last
 *    whole line (the footer, when there is one). A malformed line is not
 *    a step (it is skipped and counted, see mvWarningCount()).
 *
 * Every function that returns a pointer into the model says how long it
 * stays valid. Nothing here prints: messages go to caller buffers or to
 * the warning list, so curses owns the terminal.
 */
#ifndef __MINIRED_VIEW_MODEL_H
#define __MINIRED_VIEW_MODEL_H

#include <stddef.h>
#include <stdint.h>

/** The newest trace schema the viewer understands (header "schema"). */
#define MV_SCHEMA 1

/** "No such step" / "not found", returned by index-valued functions. */
#define MV_NONE ((size_t)-1)

/** Search or step direction: towards the end of the trace. */
#define MV_FORWARD 1
/** Search or step direction: towards the header. */
#define MV_BACKWARD (-1)

/** Any client (searches); as a tid it would be UINT64_MAX, never used. */
#define MV_ANY_CLIENT UINT64_MAX

/** mvOpen() flag: follow mode. An empty file, or one whose header line is
 *  not complete yet, opens with 0 events instead of failing; the header
 *  is validated by the mvRefresh() that first sees it whole. */
#define MV_OPEN_FOLLOW 1

/** Parsed lines kept by the event cache. */
#define MV_EVENT_CACHE 64
/** Most extra fields (mvEvent.fields) kept per event. */
#define MV_MAX_FIELDS 16
/** Warnings kept as text (more are only counted). */
#define MV_MAX_WARNINGS 100

/**
 * Progress callback for long operations (open, refresh, searches).
 * @p done and @p total are bytes of the file for open/refresh and steps
 * for searches. Called every few MB / few thousand steps, and once with
 * done == total at the end. Return non-zero to cancel the operation
 * (mvOpen fails with "cancelled", a search returns MV_NONE).
 */
typedef int (*mvProgressFn)(void *priv, uint64_t done, uint64_t total);

/** An open trace (opaque): the mapping, the index, the caches. */
typedef struct mvTrace mvTrace;

/** What the header line (line 1) says. */
typedef struct mvHeader {
    int ready;                      /**< 1 once a valid header was read (0 only in follow mode, before the server wrote it). */
    long long schema;               /**< "schema" (1). */
    char minired[32];               /**< minired's version. */
    char redis[32];                 /**< The Redis release reproduced ("5.0.14"). */
    char src_dir[512];              /**< "src_dir": absolute src/ path at build time, or "". */
    long long start_mstime;         /**< server.mstime when the trace was opened. */
    long long proto_iobuf_len;      /**< PROTO_IOBUF_LEN (16384). */
    long long proto_reply_chunk_bytes; /**< PROTO_REPLY_CHUNK_BYTES (16384): size of c->buf. */
    long long net_max_writes_per_event; /**< NET_MAX_WRITES_PER_EVENT (65536). */
} mvHeader;

/** One client, as the index saw it (no parsing beyond the line prefix). */
typedef struct mvClient {
    uint64_t id;       /**< c->id, the events' "tid" (never 0). */
    long long fd;      /**< args.fd of its first event (-1 if unreadable). */
    size_t first;      /**< Step of its first event. */
    size_t last;       /**< Step of its last event so far. */
    size_t nevents;    /**< How many events it has. */
    int created;       /**< 1 when its first event is "created" (its bytes are known from the start). */
    int freed;         /**< 1 when a "free" event of it was seen. */
} mvClient;

/** One argv entry of a client state: the first bytes and the real length. */
typedef struct mvArg {
    char val[40];      /**< Decoded bytes (at most 32 in a trace), NUL-terminated for convenience; may contain NULs. */
    size_t vlen;       /**< Bytes in val. */
    long long len;     /**< The argument's real length. */
} mvArg;

/** One entry of "reply" as the event reports it. */
typedef struct mvBlockState {
    long long size;    /**< Bytes allocated for the block. */
    long long used;    /**< Bytes in it. */
    int placeholder;   /**< 1: a deferred-length placeholder (null in the trace). */
} mvBlockState;

/** The client state "c" of an event (after the step; before it for
 *  "trim" and "free"). Arrays are owned by the enclosing mvEvent. */
typedef struct mvState {
    long long qlen;          /**< sdslen(c->querybuf). */
    long long qb_pos;        /**< c->qb_pos. */
    long long querybuf_peak; /**< c->querybuf_peak. */
    long long reqtype;       /**< 0 unknown, 1 inline, 2 multibulk. */
    long long multibulklen;  /**< Arguments of the current "*N" header still to read. */
    long long bulklen;       /**< Length of the "$N" argument being read, -1 if none. */
    long long argc;          /**< Arguments complete so far. */
    size_t nargv;            /**< Entries in argv. */
    mvArg *argv;             /**< c->argv (first 32 bytes of each). */
    long long bufpos;        /**< Bytes in c->buf. */
    long long sentlen;       /**< Bytes written, of c->buf while bufpos > 0, else of the head block. */
    size_t nreply;           /**< Entries in reply. */
    mvBlockState *reply;     /**< c->reply in list order. */
    long long reply_bytes;   /**< Sum of the block sizes. */
    char flags[256];         /**< CLIENT_* names joined by '|' ("MULTI|PENDING_WRITE"), "" for none. */
    long long db;            /**< Selected database. */
    long long mstime;        /**< server.mstime. */
} mvState;

/** One extra field of a step, ready to print. */
typedef struct mvField {
    char key[32];      /**< The field name ("nread", "cmd", ...). */
    char value[128];   /**< Compact JSON text of the value, cut with "..." if longer. */
} mvField;

/** One event, parsed. Filled by mvEventGet(), released by mvEventFree(). */
typedef struct mvEvent {
    size_t step;            /**< Its step number. */
    long lineno;            /**< Its 1-based line number in the file. */
    long long ts;           /**< "ts". */
    uint64_t tid;           /**< "tid": client id, 0 for server events. */
    char name[64];          /**< "name": the C function. */
    char cat[32];           /**< "cat": the step kind ("read", "trim", ...). */
    char src_file[64];      /**< File part of args.src ("networking.c"). */
    int src_line;           /**< Line part of args.src (0 if absent). */
    long long fd;           /**< args.fd. */
    long long wall_us;      /**< args.wall_us. */
    int has_state;          /**< 1 when args.c is present (client events). */
    mvState st;             /**< args.c, when has_state. */
    size_t nfields;         /**< Entries in fields. */
    mvField fields[MV_MAX_FIELDS]; /**< The step's own fields after "c", except "data", in file order. */
    int has_data;           /**< 1 when the event carries "data". */
    char *data;             /**< "data" decoded to bytes (malloc'ed, may hold NULs). */
    size_t datalen;         /**< Bytes in data. */
    char error[256];        /**< Non-empty when the line did not parse; then only step, lineno and tid are set. */
} mvEvent;

/** A reply block rebuilt from the bytes of the events. */
typedef struct mvBlock {
    char *bytes;       /**< Its content (used bytes; malloc'ed; NULL for a placeholder or an empty block). */
    size_t used;       /**< Bytes in it (the model's count). */
    long long size;    /**< Its allocation, from the event's "reply" (0 if unknown). */
    int placeholder;   /**< 1: a deferred-length placeholder. */
} mvBlock;

/** Where the bytes that the step itself appended to the reply went. */
#define MV_WHERE_NONE (-2)
/** ... into c->buf. */
#define MV_WHERE_BUF (-1)

/**
 * A client's buffers at one step, as the events' bytes rebuild them.
 * Filled by mvBuffersAt(), released by mvBuffersFree().
 */
typedef struct mvBuffers {
    uint64_t client;        /**< The client. */
    size_t at;              /**< The step asked for. */
    size_t state_step;      /**< The client's last event at or before at (MV_NONE: none yet, all empty). */
    int exact;              /**< 1: bytes known exactly. 0: the replay had to start where the bytes were unknown (the trace began while the client was connected) and the client has not been empty since. */
    char note[256];         /**< Non-empty when the rebuilt bytes disagree with the event's "c" (a broken trace), or why they are not exact. */
    /* querybuf */
    char *querybuf;         /**< c->querybuf content (malloc'ed; NULL when empty). At a "trim" step: before the cut, as the event's "c"; at later steps (other clients' events) after it. */
    size_t qlen;            /**< Bytes in querybuf. */
    long long qb_pos;       /**< From the event's "c" (the model does not parse); 0 after a trim that is not step at. */
    size_t new_off;         /**< Bytes just read by step `at` (a "read" of this client): querybuf[new_off .. new_off+new_len). */
    size_t new_len;         /**< 0 when step `at` read nothing for this client. */
    /* reply */
    char *buf;              /**< c->buf[0..bufpos) (malloc'ed; NULL when empty). */
    size_t bufpos;          /**< Bytes in buf. */
    size_t sentlen;         /**< Bytes sent: of buf while bufpos > 0, else of the head block. */
    size_t nblocks;         /**< Entries in blocks. */
    mvBlock *blocks;        /**< c->reply in list order. */
    long long reply_bytes;  /**< From the event's "c". */
    int app_where;          /**< Where step `at` appended: MV_WHERE_NONE, MV_WHERE_BUF or a block index. */
    size_t app_off;         /**< First appended byte in that buffer. */
    size_t app_len;         /**< Bytes appended. */
    size_t wrote;           /**< Bytes step `at` wrote (a "write"), 0 otherwise. */
} mvBuffers;

/** Bits of mvStateDiff() / mvChangedFields(): which "c" fields changed. */
enum {
    MV_F_QLEN = 1u << 0,          /**< qlen */
    MV_F_QB_POS = 1u << 1,        /**< qb_pos */
    MV_F_PEAK = 1u << 2,          /**< querybuf_peak */
    MV_F_REQTYPE = 1u << 3,       /**< reqtype */
    MV_F_MULTIBULKLEN = 1u << 4,  /**< multibulklen */
    MV_F_BULKLEN = 1u << 5,       /**< bulklen */
    MV_F_ARGC = 1u << 6,          /**< argc */
    MV_F_ARGV = 1u << 7,          /**< argv */
    MV_F_BUFPOS = 1u << 8,        /**< bufpos */
    MV_F_SENTLEN = 1u << 9,       /**< sentlen */
    MV_F_REPLY = 1u << 10,        /**< reply (any block's size/used, or their number) */
    MV_F_REPLY_BYTES = 1u << 11,  /**< reply_bytes */
    MV_F_FLAGS = 1u << 12,        /**< flags */
    MV_F_DB = 1u << 13,           /**< db */
    MV_F_MSTIME = 1u << 14,       /**< mstime */
    MV_F_ALL = (1u << 15) - 1     /**< every field (a client's first event) */
};

/** Fields mvFindChange() can watch. */
typedef enum mvWatch {
    MV_WATCH_QLEN,     /**< qlen */
    MV_WATCH_QB_POS,   /**< qb_pos */
    MV_WATCH_BUFPOS,   /**< bufpos */
    MV_WATCH_SENTLEN,  /**< sentlen */
    MV_WATCH_REPLY,    /**< the "reply" list (blocks, sizes, used) or reply_bytes */
    MV_WATCH_ARGC      /**< argc */
} mvWatch;

/*
 * API guide (each function's full Doxygen header is at its definition in
 * index.c or model.c). Conventions: steps are size_t, 0-based; MV_NONE
 * means none; err/msg buffers get a one-line message with no '\n'.
 *
 * mvOpen(path, flags, progress, priv, err, errlen)
 *     mmap + index. Returns NULL with err set for: a file that cannot be
 *     opened; an empty file or a line 1 that is not a minired header
 *     ("PATH:1: not a minired trace: ..."); a schema above MV_SCHEMA
 *     ("PATH: trace schema 2 is newer than this minired-view understands
 *     (schema 1)"); a cancelled progress. A cut last line becomes the
 *     warning "PATH: warning: line N is incomplete (trace cut short?),
 *     ignored"; a line whose prefix is not {"tid":N,"ts":N, is skipped
 *     with "PATH:N: malformed line: ..., skipped". With MV_OPEN_FOLLOW an
 *     empty/half-written file opens with 0 events (header.ready == 0).
 * mvRefresh(t, &added, err, errlen)
 *     Follow mode: index the whole lines appended since the last call;
 *     *added = new steps. 0 ok, -1 (err set) if the file shrank (the trace
 *     was restarted: reopen it) or the late header is bad.
 * mvClose(t); mvSetProgress(t, fn, priv)  (progress for later searches)
 *
 * mvGetHeader, mvPath, mvEventCount, mvLineOf(step) (1-based line),
 * mvTidOf(step), mvTsOf(step) (-1 if unreadable), mvStepOfTs(ts) (first
 * step with ts >= ts, MV_NONE if past the end), mvHasFooter,
 * mvWarningCount / mvWarning(k) (k < min(count, MV_MAX_WARNINGS)),
 * mvSkippedCount (malformed lines skipped), mvMemoryUsage (bytes held by
 * index + caches, for the status line).
 *
 * mvClientCount / mvClientAt(k) (sorted by id; the pointer is valid
 * until the next mvRefresh) / mvClientById(id) (NULL if unknown; tid 0 is
 * not a client).
 * mvClientStep(id, from, dir): the next (dir MV_FORWARD, > from) or
 *     previous (MV_BACKWARD, < from) step of client id; from may be
 *     MV_NONE with MV_FORWARD for its first step. id 0 walks server
 *     events. MV_NONE when there is none.
 * mvClientLastAt(id, at): the client's last step <= at (MV_NONE if none).
 *
 * mvFindName(from, dir, needle, client): next/previous step (strictly
 *     after/before from) whose "name" (the C function) or "cat" contains
 *     needle, case-insensitively; client MV_ANY_CLIENT or an id.
 * mvFindChange(client, from, dir, field): next/previous step of client
 *     (strictly after/before from) whose value of field differs from the
 *     client's event just before it (a change point). Scans line text,
 *     no JSON parse. MV_NONE when none.
 *
 * mvEventGet(step, &ev): fills a caller-owned mvEvent (release with
 *     mvEventFree, also after an error). 0, or -1 with ev.error set
 *     ("line N: malformed line: ..."). Parsed lines are cached.
 * mvStateDiff(a, b): MV_F_* bits of the fields that differ.
 * mvChangedFields(step): bits changed between step's "c" and the previous
 *     event of the same client (MV_F_ALL for its first; 0 for server
 *     events and unparsable lines).
 *
 * mvBuffersAt(client, at, &b): the client's querybuf, c->buf and reply
 *     blocks as of step at (its last event <= at), with the bytes step at
 *     itself read / appended / wrote. Caller-owned; release with
 *     mvBuffersFree. 0, or -1 (b.note says why: unknown client, a line
 *     that does not parse). Stepping +-1 or jumping anywhere is fast:
 *     the replay starts at the nearest empty point or checkpoint.
 *
 * mvFindViolation(from, dir, client, msg, msglen): next/previous step
 *     (strictly after/before from) breaking a rule of `minired-trace
 *     check`: per event qb_pos <= qlen, bufpos <= PROTO_REPLY_CHUNK_BYTES,
 *     argc == len(argv), used <= size, reply_bytes == sum of sizes,
 *     sentlen rules; and, forward with a client given, that client's
 *     byte conservation (reads/trims vs qlen, appends/writes vs bufpos,
 *     sentlen, used). msg gets check's text. MV_NONE when none/cancelled.
 *
 * mvSourcePath(file, out, outlen): the readable path of a source file
 *     named by args.src ("networking.c"): tried in order the header's
 *     src_dir, $MINIRED_SRC_DIR, ./src, the trace's directory/../../src.
 *     0 found, -1 not found.
 */

/* ---- Opening, following, closing (index.c) ---- */

mvTrace *mvOpen(const char *path, int flags, mvProgressFn progress,
                void *priv, char *err, size_t errlen);
int mvRefresh(mvTrace *t, size_t *added, char *err, size_t errlen);
void mvClose(mvTrace *t);
void mvSetProgress(mvTrace *t, mvProgressFn progress, void *priv);

/* ---- What the index knows without parsing (index.c) ---- */

const mvHeader *mvGetHeader(const mvTrace *t);
const char *mvPath(const mvTrace *t);
size_t mvEventCount(const mvTrace *t);
long mvLineOf(const mvTrace *t, size_t step);
uint64_t mvTidOf(const mvTrace *t, size_t step);
long long mvTsOf(const mvTrace *t, size_t step);
size_t mvStepOfTs(const mvTrace *t, long long ts);
int mvHasFooter(const mvTrace *t);
size_t mvWarningCount(const mvTrace *t);
const char *mvWarning(const mvTrace *t, size_t k);
size_t mvSkippedCount(const mvTrace *t);
size_t mvMemoryUsage(const mvTrace *t);

size_t mvClientCount(const mvTrace *t);
const mvClient *mvClientAt(const mvTrace *t, size_t k);
const mvClient *mvClientById(const mvTrace *t, uint64_t id);
size_t mvClientStep(const mvTrace *t, uint64_t id, size_t from, int dir);
size_t mvClientLastAt(const mvTrace *t, uint64_t id, size_t at);

/* ---- Searches (index.c: prefix/key scans, no JSON parsing) ---- */

size_t mvFindName(mvTrace *t, size_t from, int dir, const char *needle,
                  uint64_t client);
size_t mvFindChange(mvTrace *t, uint64_t client, size_t from, int dir,
                    mvWatch field);

/* ---- Events, buffers, rules (model.c) ---- */

int mvEventGet(mvTrace *t, size_t step, mvEvent *ev);
void mvEventFree(mvEvent *ev);
unsigned mvStateDiff(const mvState *a, const mvState *b);
unsigned mvChangedFields(mvTrace *t, size_t step);

int mvBuffersAt(mvTrace *t, uint64_t client, size_t at, mvBuffers *out);
void mvBuffersFree(mvBuffers *b);

size_t mvFindViolation(mvTrace *t, size_t from, int dir, uint64_t client,
                       char *msg, size_t msglen);

int mvSourcePath(const mvTrace *t, const char *file, char *out,
                 size_t outlen);

#endif /* __MINIRED_VIEW_MODEL_H */
