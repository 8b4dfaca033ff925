/**
 * @file index.c
 * @brief The viewer's index over a trace file: mmap, one offset per line,
 *        per-client step lists, follow mode, and the searches that read
 *        line text without parsing JSON.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server, under the viewer's screen. The server writes one JSON
 * line per pipeline step, always starting `{"tid":3,"ts":41,` (the format
 * fixes that key order). Opening a trace maps the file and walks it once
 * with memchr(): for each line it records where it starts and, from those
 * first bytes, whose it is. A 1,000,000-event trace is indexed in well
 * under a second this way; no line is handed to jansson until someone
 * looks at it (model.c). Follow mode re-runs the same walk over the bytes
 * appended since. What flows in: the file. What flows out: step numbers,
 * line spans, client lists, and answers to "next step named X" and "next
 * step where qb_pos changes".
 */

/** memmem() and mremap() are GNU extensions. */
#define _GNU_SOURCE
#include "model_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/** Call the progress callback every this many bytes of indexing. */
#define MV_PROGRESS_BYTES (8u << 20)
/** Call the progress callback every this many steps of a search. */
#define MV_PROGRESS_STEPS 65536

/* ======================== Small helpers ======================== */

/**
 * @brief Report progress, and learn whether the user cancelled.
 * @param t     The trace.
 * @param done  Work done.
 * @param total Work in all.
 * @return Non-zero when the callback asks to stop.
 *
 * Called by: indexLines(), the searches here and in model.c.
 */
int mvReport(mvTrace *t, uint64_t done, uint64_t total) {
    /* Every long walk over the mapping passes through here every 8 MB
     * or 65536 steps: the moment to give the pages it touched back. */
    mvDropPages(t);
    return t->progress ? t->progress(t->priv, done, total) : 0;
}

/* ANCHOR: view-index-drop-pages */
/**
 * @brief Take the mapped pages of the trace out of this process's
 *        resident set; they stay in the kernel's page cache.
 * @param t The trace.
 *
 * The index walk reads every byte of the file once, through the mapping,
 * so without this a 1,000,000-event trace (400 MB) shows about 400 MB of
 * RssFile for a viewer whose own memory is the index (about 14 MB). The
 * mapping is read-only and MAP_SHARED, so MADV_DONTNEED loses nothing:
 * it only removes the page-table entries, and the next access to a line
 * maps its page again from the page cache (or reads it back from disk if
 * the kernel evicted it meanwhile), which costs microseconds per page.
 * Pointers into the mapping (mvLineSpan()) stay valid throughout.
 *
 * Called by: mvReport() (every few MB of indexing, every 65536 steps of
 * a search), so indexing, follow-mode refreshes and searches all end
 * with the pages dropped; mvDropPages() is also safe on an empty map.
 */
void mvDropPages(mvTrace *t) {
    if (t->map == NULL || t->maplen == 0) return;
    /* Best effort: a failure only means RSS stays high, never wrong
     * bytes, so the return value is not an error to report. */
    (void)madvise(t->map, t->maplen, MADV_DONTNEED);
}
/* ANCHOR_END: view-index-drop-pages */

/**
 * @brief Record a warning (kept as text for the first MV_MAX_WARNINGS,
 *        counted after that).
 * @param t   The trace.
 * @param fmt printf format.
 * @param ... Its arguments.
 *
 * Called by: indexLines(), mvOpen().
 */
static void addWarning(mvTrace *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void addWarning(mvTrace *t, const char *fmt, ...) {
    va_list ap;
    char buf[512];

    if (t->nwarn < MV_MAX_WARNINGS) {
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        t->warn[t->nwarn] = strdup(buf);
    }
    t->nwarn++;
}

/**
 * @brief Find `"key":` in a span of line text.
 * @param p   The span.
 * @param len Its length.
 * @param key The key, without quotes.
 * @return The first byte of the value, or NULL.
 *
 * Inside a JSON string every '"' is written `\"`, so the bytes `"key":`
 * cannot occur inside a value: the first match is the key itself.
 *
 * Called by: the mvScan* helpers.
 */
const char *mvScanKey(const char *p, size_t len, const char *key) {
    char pat[64];
    int n = snprintf(pat, sizeof(pat), "\"%s\":", key);
    const char *hit;

    if (n <= 0 || (size_t)n >= sizeof(pat)) return NULL;
    hit = memmem(p, len, pat, (size_t)n);
    return hit ? hit + n : NULL;
}

/**
 * @brief Read an integer value straight from line text.
 * @param p   The span to search.
 * @param len Its length.
 * @param key The key.
 * @param out The value.
 * @return 1 when found and numeric, 0 otherwise.
 *
 * Called by: the index (fd), mvTsOf(), mvFindChange(), model.c.
 */
int mvScanInt(const char *p, size_t len, const char *key, long long *out) {
    const char *v = mvScanKey(p, len, key), *e = p + len;
    long long x = 0;
    int neg = 0, digits = 0;

    if (v == NULL) return 0;
    if (v < e && *v == '-') {
        neg = 1;
        v++;
    }
    while (v < e && *v >= '0' && *v <= '9') {
        int d = *v++ - '0';

        /* "fd":4444444444444444444 is JSON but no long long: a value past
         * LLONG_MAX is "not numeric" rather than undefined behaviour
         * (found by fuzz_trace_loader; fuzz/regressions/ keeps the line). */
        if (x > (LLONG_MAX - d) / 10) return 0;
        x = x * 10 + d;
        digits++;
    }
    if (!digits) return 0;
    *out = neg ? -x : x;
    return 1;
}

/**
 * @brief Find a string value (still escaped) in line text.
 * @param p    The span.
 * @param len  Its length.
 * @param key  The key.
 * @param s    Set to the first byte inside the quotes.
 * @param slen Set to the bytes up to the closing quote.
 * @return 1 when found, 0 otherwise.
 *
 * Called by: the index (cat), mvFindName(), model.c (cat of a step).
 */
int mvScanStr(const char *p, size_t len, const char *key, const char **s,
              size_t *slen) {
    const char *v = mvScanKey(p, len, key), *e = p + len, *q;

    if (v == NULL || v >= e || *v != '"') return 0;
    v++;
    /* The names and step kinds this is used for never hold a '\"'. */
    q = memchr(v, '"', (size_t)(e - v));
    if (q == NULL) return 0;
    *s = v;
    *slen = (size_t)(q - v);
    return 1;
}

/**
 * @brief The client state "c" of a line, as text.
 * @param p   The line.
 * @param len Its length.
 * @return The byte after `"c":{`, or NULL for a server event.
 *
 * Called by: mvFindChange(), model.c's empty-point scan.
 */
const char *mvScanState(const char *p, size_t len) {
    return mvScanKey(p, len, "c");
}

/**
 * @brief The "reply" list of a state, as text: `[[16384,12],null]`.
 * @param p    A span starting inside "c" (see mvScanState()).
 * @param len  Its length.
 * @param s    Set to the '['.
 * @param slen Set to the length up to and including the matching ']'.
 * @return 1 when found, 0 otherwise.
 *
 * The list holds only numbers, null and brackets, so counting brackets
 * finds its end.
 *
 * Called by: mvFindChange(), model.c's empty-point scan.
 */
int mvScanReply(const char *p, size_t len, const char **s, size_t *slen) {
    const char *v = mvScanKey(p, len, "reply"), *e = p + len, *q;
    int depth = 0;

    if (v == NULL || v >= e || *v != '[') return 0;
    for (q = v; q < e; q++) {
        if (*q == '[') depth++;
        if (*q == ']' && --depth == 0) {
            *s = v;
            *slen = (size_t)(q - v + 1);
            return 1;
        }
    }
    return 0;
}

/**
 * @brief Read the prefix every event line starts with.
 * @param p   The line.
 * @param len Its length ('\n' excluded).
 * @param tid Set to the client id.
 * @return 1 when the line starts `{"tid":N,"ts":N,`, 0 otherwise.
 *
 * Called by: indexLines().
 */
static int readPrefix(const char *p, size_t len, uint64_t *tid) {
    static const char a[] = "{\"tid\":", b[] = ",\"ts\":";
    size_t i = sizeof(a) - 1, d;
    uint64_t v = 0;

    if (len < 16 || memcmp(p, a, sizeof(a) - 1) != 0) return 0;
    for (d = 0; i < len && isdigit((unsigned char)p[i]); i++, d++)
        v = v * 10 + (uint64_t)(p[i] - '0');
    if (d == 0 || d > 19 || len - i < sizeof(b) - 1 ||
        memcmp(p + i, b, sizeof(b) - 1) != 0)
        return 0;
    i += sizeof(b) - 1;
    for (d = 0; i < len && isdigit((unsigned char)p[i]); i++, d++)
        ;
    if (d == 0 || i >= len || p[i] != ',') return 0;
    *tid = v;
    return 1;
}

/* ======================== Clients ======================== */

/**
 * @brief The record of a client (or of the server, id 0).
 * @param t  The trace.
 * @param id The tid.
 * @return The record, or NULL if the id never appeared.
 *
 * clients.c's table uses id 0 for an empty slot, so tid N is stored
 * under N + 1.
 *
 * Called by: everything that walks a client's steps.
 */
mvClientRec *mvRec(const mvTrace *t, uint64_t id) {
    if (id == MV_ANY_CLIENT) return NULL;
    return ctGet((clientTable *)&t->clients, id + 1, 0);
}

/**
 * @brief Position in a client's list of its last step at or before @p at.
 * @param r  The client.
 * @param at A step.
 * @return The position, or MV_NONE when all its steps are after @p at.
 *
 * Called by: mvClientLastAt(), mvClientStep(), model.c.
 */
size_t mvRecPosAt(const mvClientRec *r, size_t at) {
    size_t lo = 0, hi = r->pub.nevents;

    /* Binary search for the first step > at. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if ((size_t)r->steps[mid] <= at) lo = mid + 1;
        else hi = mid;
    }
    return lo == 0 ? MV_NONE : lo - 1;
}

/**
 * @brief Append one step to the index and to its client's list.
 * @param t    The trace.
 * @param off  Where the line starts.
 * @param tid  Its client.
 * @param p    The line.
 * @param len  Its length.
 * @return 0, or -1 when out of memory.
 *
 * Called by: indexLines().
 */
static int addStep(mvTrace *t, uint64_t off, uint64_t tid, const char *p,
                   size_t len) {
    mvClientRec *r;
    const char *cat = NULL;
    size_t catlen = 0;

    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 65536;
        uint64_t *no = realloc(t->off, ncap * sizeof(*no));

        if (no == NULL) return -1;
        t->off = no;
        t->cap = ncap;
    }
    r = ctGet(&t->clients, tid + 1, 1);
    if (r == NULL) return -1;
    mvScanStr(p, len < 256 ? len : 256, "cat", &cat, &catlen);
    if (r->pub.nevents == 0) {
        r->pub.id = tid;
        r->pub.first = t->n;
        r->pub.fd = -1;
        mvScanInt(p, len, "fd", &r->pub.fd);
        r->pub.created = cat && catlen == 7 && !memcmp(cat, "created", 7);
        if (tid != 0) t->sorted_dirty = 1;
    }
    if (r->pub.nevents == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 64;
        uint32_t *ns = realloc(r->steps, ncap * sizeof(*ns));

        if (ns == NULL) return -1;
        r->steps = ns;
        r->cap = ncap;
    }
    if (cat && catlen == 4 && !memcmp(cat, "free", 4)) r->pub.freed = 1;
    t->footer = tid == 0 && cat && catlen == 6 && !memcmp(cat, "footer", 6);
    r->steps[r->pub.nevents++] = (uint32_t)t->n;
    r->pub.last = t->n;
    t->off[t->n++] = off;
    return 0;
}

/* ======================== Header and lines ======================== */

/**
 * @brief Validate line 1 and copy what it says.
 * @param t      The trace.
 * @param p      The line ('\n' excluded).
 * @param len    Its length.
 * @param err    Message buffer.
 * @param errlen Its size.
 * @return 0, or -1 with @p err set.
 *
 * A newer schema is refused, not guessed at: fields may have changed
 * meaning, and a viewer that drew them anyway would teach the wrong thing.
 *
 * Called by: mvOpen(), mvRefresh() (follow mode, header written late).
 */
static int parseHeader(mvTrace *t, const char *p, size_t len, char *err,
                       size_t errlen) {
    json_error_t jerr;
    json_t *h = json_loadb(p, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES,
                           &jerr), *args;
    long long v;
    const char *why = NULL;
    int rc = -1;

    if (h == NULL) {
        snprintf(err, errlen, "%s:1: not a minired trace: line 1 is not "
                 "JSON (%s, column %d)", t->path, jerr.text, jerr.column);
        return -1;
    }
    args = json_object_get(h, "args");
    if (!eventShapeOk(h, &why) || strcmp(jsonStr(h, "cat"), "header") ||
        strcmp(jsonStr(h, "ph"), "M") || evTs(h) != 0) {
        snprintf(err, errlen, "%s:1: not a minired trace: line 1 is not the "
                 "header (\"ts\":0,\"ph\":\"M\",\"cat\":\"header\")", t->path);
    } else if (!jsonInt(args, "schema", &t->hdr.schema) || t->hdr.schema < 1) {
        snprintf(err, errlen, "%s:1: the header has no valid \"schema\"",
                 t->path);
    } else if (t->hdr.schema > MV_SCHEMA) {
        snprintf(err, errlen, "%s: trace schema %lld is newer than this "
                 "minired-view understands (schema %d); use the minired-view "
                 "built with the server that wrote it", t->path,
                 t->hdr.schema, MV_SCHEMA);
    } else {
        snprintf(t->hdr.minired, sizeof(t->hdr.minired), "%s",
                 jsonStr(args, "minired"));
        snprintf(t->hdr.redis, sizeof(t->hdr.redis), "%s",
                 jsonStr(args, "redis"));
        snprintf(t->hdr.src_dir, sizeof(t->hdr.src_dir), "%s",
                 jsonStr(args, "src_dir"));
        /* Older or hand-made headers may lack these: Redis 5.0's values. */
        t->hdr.proto_iobuf_len = jsonInt(args, "proto_iobuf_len", &v) ? v
                                                                     : 16384;
        t->hdr.proto_reply_chunk_bytes =
            jsonInt(args, "proto_reply_chunk_bytes", &v) ? v : 16384;
        t->hdr.net_max_writes_per_event =
            jsonInt(args, "net_max_writes_per_event", &v) ? v : 65536;
        t->hdr.start_mstime = jsonInt(args, "start_mstime", &v) ? v : 0;
        t->hdr.ready = 1;
        rc = 0;
    }
    json_decref(h);
    return rc;
}

/**
 * @brief Index every whole line between t->end and the end of the mapping.
 * @param t The trace (header already read).
 * @return 0, or -1 when cancelled or out of memory.
 *
 * A line without the `{"tid":N,"ts":N,` prefix cannot be placed in a
 * client's story; it is skipped with a warning naming its line, and the
 * rest of the trace stays usable.
 *
 * Called by: mvOpen(), mvRefresh().
 */
static int indexLines(mvTrace *t) {
    uint64_t pos = t->end, size = t->maplen, next_report = pos;

    /* ANCHOR: view-index-walk */
    while (pos < size) {
        const char *line = t->map + pos;
        const char *nl = memchr(line, '\n', (size_t)(size - pos));
        size_t len;
        uint64_t tid;

        if (nl == NULL) break; /* a line still being written, or cut */
        len = (size_t)(nl - line);
        if (readPrefix(line, len, &tid)) {
            if (addStep(t, pos, tid, line, len) != 0) return -1;
        } else {
            if (t->nskips == t->capskips) {
                size_t nc = t->capskips ? t->capskips * 2 : 16;
                mvSkip *ns = realloc(t->skips, nc * sizeof(*ns));

                if (ns == NULL) return -1;
                t->skips = ns;
                t->capskips = nc;
            }
            t->skips[t->nskips].before = t->n;
            t->skips[t->nskips++].lineno = t->nextline;
            addWarning(t, "%s:%ld: malformed line: it does not start with "
                       "{\"tid\":N,\"ts\":N, (skipped)", t->path,
                       t->nextline);
        }
        t->nextline++;
        pos += len + 1;
        t->end = pos;
        if (pos >= next_report) {
            if (mvReport(t, pos, size)) return -1;
            next_report = pos + MV_PROGRESS_BYTES;
        }
    }
    /* ANCHOR_END: view-index-walk */
    mvReport(t, size, size);
    return 0;
}

/**
 * @brief Map (or re-map, larger) the file.
 * @param t    The trace.
 * @param size The file's current size.
 * @return 0, or -1 with errno set.
 *
 * Called by: mvOpen(), mvRefresh().
 */
static int mapFile(mvTrace *t, size_t size) {
    void *m;

    if (size == t->maplen) return 0;
    if (t->map == NULL)
        m = mmap(NULL, size, PROT_READ, MAP_SHARED, t->fd, 0);
    else
        m = mremap(t->map, t->maplen, size, MREMAP_MAYMOVE);
    if (m == MAP_FAILED) return -1;
    t->map = m;
    t->maplen = size;
    return 0;
}

/**
 * @brief Read the header when its line is complete.
 * @param t      The trace.
 * @param err    Message buffer.
 * @param errlen Its size.
 * @return 1 read, 0 not complete yet, -1 bad header (@p err set).
 *
 * Called by: mvOpen(), mvRefresh().
 */
static int tryHeader(mvTrace *t, char *err, size_t errlen) {
    const char *nl = t->map ? memchr(t->map, '\n', t->maplen) : NULL;

    if (nl == NULL) return 0;
    if (parseHeader(t, t->map, (size_t)(nl - t->map), err, errlen) != 0)
        return -1;
    t->end = (uint64_t)(nl - t->map) + 1;
    t->nextline = 2;
    return 1;
}

/* ======================== Open, refresh, close ======================== */

/**
 * @brief Open a trace: map it, check its header, index every whole line.
 * @param path     The trace file.
 * @param flags    0, or MV_OPEN_FOLLOW.
 * @param progress Called with bytes indexed / file size (may be NULL).
 * @param priv     Passed to @p progress.
 * @param err      Set to a one-line message on failure.
 * @param errlen   Size of @p err.
 * @return The trace, or NULL (see the API guide in model.h for messages).
 *
 * Called by: the viewer's main(), tests.
 */
mvTrace *mvOpen(const char *path, int flags, mvProgressFn progress,
                void *priv, char *err, size_t errlen) {
    mvTrace *t = calloc(1, sizeof(*t));
    struct stat st;
    size_t i;
    int rc;

    if (t == NULL) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    t->path = strdup(path);
    t->fd = -1;
    t->follow = (flags & MV_OPEN_FOLLOW) != 0;
    t->progress = progress;
    t->priv = priv;
    t->nextline = 1;
    ctInit(&t->clients, sizeof(mvClientRec));
    for (i = 0; i < MV_EVENT_CACHE; i++) t->ecache[i].step = MV_NONE;
    t->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (t->fd < 0 || fstat(t->fd, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        goto fail;
    }
    if (st.st_size > 0 && mapFile(t, (size_t)st.st_size) != 0) {
        snprintf(err, errlen, "%s: mmap: %s", path, strerror(errno));
        goto fail;
    }
    rc = tryHeader(t, err, errlen);
    if (rc < 0) goto fail;
    if (rc == 0) {
        /* Following a trace the server has only just created is fine:
         * the header will come. Viewing an empty file is not. */
        if (t->follow) return t;
        if (st.st_size == 0)
            snprintf(err, errlen, "%s: empty trace (no header line)", path);
        else
            snprintf(err, errlen, "%s:1: not a minired trace: line 1 is "
                     "incomplete (no newline)", path);
        goto fail;
    }
    if (indexLines(t) != 0) {
        snprintf(err, errlen, "%s: %s", path,
                 errno == ENOMEM ? "out of memory" : "cancelled");
        goto fail;
    }
    if (!t->follow && t->end < t->maplen)
        addWarning(t, "%s: warning: line %ld is incomplete (trace cut "
                   "short?), ignored", path, t->nextline);
    return t;
fail:
    mvClose(t);
    return NULL;
}

/**
 * @brief Follow mode: index the whole lines appended since the last call.
 * @param t      The trace.
 * @param added  Set to the number of new steps (may be NULL).
 * @param err    Message buffer.
 * @param errlen Its size.
 * @return 0, or -1 with @p err set (file shrank, bad late header, I/O).
 *
 * A file that shrank was truncated or rewritten (CONFIG SET trace-file
 * to the same name starts a new trace): the old index means nothing for
 * it, so the caller must reopen rather than show a mixed story.
 *
 * Called by: the viewer's follow loop.
 */
int mvRefresh(mvTrace *t, size_t *added, char *err, size_t errlen) {
    struct stat st;
    size_t before = t->n;

    if (added) *added = 0;
    if (fstat(t->fd, &st) != 0) {
        snprintf(err, errlen, "%s: %s", t->path, strerror(errno));
        return -1;
    }
    if ((size_t)st.st_size < t->maplen) {
        snprintf(err, errlen, "%s: the file shrank from %zu to %lld bytes "
                 "(a new trace was started?); reopen it", t->path, t->maplen,
                 (long long)st.st_size);
        return -1;
    }
    if ((size_t)st.st_size == t->maplen) return 0;
    if (mapFile(t, (size_t)st.st_size) != 0) {
        snprintf(err, errlen, "%s: mmap: %s", t->path, strerror(errno));
        return -1;
    }
    if (!t->hdr.ready) {
        int rc = tryHeader(t, err, errlen);

        if (rc <= 0) return rc;
    }
    if (indexLines(t) != 0) {
        snprintf(err, errlen, "%s: out of memory", t->path);
        return -1;
    }
    if (added) *added = t->n - before;
    return 0;
}

/**
 * @brief Free one client record's list.
 * @param p An mvClientRec.
 *
 * Called by: ctFree() from mvClose().
 */
static void freeRec(void *p) {
    mvClientRec *r = p;

    free(r->steps);
}

/**
 * @brief Close a trace and free everything it holds.
 * @param t The trace (NULL is fine).
 *
 * Called by: the viewer's main(), mvOpen() on failure, tests.
 */
void mvClose(mvTrace *t) {
    size_t i;

    if (t == NULL) return;
    mvCachesFree(t);
    if (t->map) munmap(t->map, t->maplen);
    if (t->fd >= 0) close(t->fd);
    ctFree(&t->clients, freeRec);
    for (i = 0; i < t->nwarn && i < MV_MAX_WARNINGS; i++) free(t->warn[i]);
    free(t->sorted);
    free(t->skips);
    free(t->off);
    free(t->path);
    free(t);
}

/**
 * @brief Set the progress callback for later refreshes and searches.
 * @param t        The trace.
 * @param progress The callback (NULL: none).
 * @param priv     Its argument.
 *
 * Called by: the viewer (it shows a bar while a long search runs).
 */
void mvSetProgress(mvTrace *t, mvProgressFn progress, void *priv) {
    t->progress = progress;
    t->priv = priv;
}

/* ======================== What the index knows ======================== */

/**
 * @brief The header.
 * @param t The trace.
 * @return Its header (ready == 0 before it was read, in follow mode).
 *
 * Called by: the viewer's status line, mvFindViolation().
 */
const mvHeader *mvGetHeader(const mvTrace *t) {
    return &t->hdr;
}

/**
 * @brief The file name given to mvOpen().
 * @param t The trace.
 * @return The path.
 *
 * Called by: the viewer's title line.
 */
const char *mvPath(const mvTrace *t) {
    return t->path;
}

/**
 * @brief Number of steps indexed.
 * @param t The trace.
 * @return Events after the header (footer included, malformed lines not).
 *
 * Called by: the viewer, tests.
 */
size_t mvEventCount(const mvTrace *t) {
    return t->n;
}

/**
 * @brief The line number of a step.
 * @param t    The trace.
 * @param step The step.
 * @return Its 1-based line (step + 2, plus the malformed lines before it),
 *         or -1 for a step out of range.
 *
 * Called by: the viewer, model.c's messages.
 */
long mvLineOf(const mvTrace *t, size_t step) {
    size_t lo = 0, hi = t->nskips;

    if (step >= t->n) return -1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (t->skips[mid].before <= step) lo = mid + 1;
        else hi = mid;
    }
    return (long)(step + 2 + lo);
}

/**
 * @brief The text of a step's line.
 * @param t    The trace.
 * @param step The step.
 * @param p    Set to its first byte (valid until the next mvRefresh()).
 * @param len  Set to its length, '\n' excluded.
 * @return 0, or -1 for a step out of range.
 *
 * Called by: everything that reads a line.
 */
int mvLineSpan(const mvTrace *t, size_t step, const char **p, size_t *len) {
    const char *s, *nl;

    if (step >= t->n) return -1;
    s = t->map + t->off[step];
    nl = memchr(s, '\n', (size_t)(t->end - t->off[step]));
    *p = s;
    *len = nl ? (size_t)(nl - s) : (size_t)(t->end - t->off[step]);
    return 0;
}

/**
 * @brief The client id of a step, from the index.
 * @param t    The trace.
 * @param step The step.
 * @return Its tid (0 for a server event or a step out of range).
 *
 * Called by: the viewer, model.c.
 */
uint64_t mvTidOf(const mvTrace *t, size_t step) {
    const char *p;
    size_t len;
    long long v;

    if (mvLineSpan(t, step, &p, &len) != 0) return 0;
    return mvScanInt(p, len < 32 ? len : 32, "tid", &v) ? (uint64_t)v : 0;
}

/**
 * @brief The "ts" of a step, from the line's prefix.
 * @param t    The trace.
 * @param step The step.
 * @return Its ts, or -1 for a step out of range.
 *
 * Called by: the viewer, mvStepOfTs().
 */
long long mvTsOf(const mvTrace *t, size_t step) {
    const char *p;
    size_t len;
    long long v;

    if (mvLineSpan(t, step, &p, &len) != 0) return -1;
    return mvScanInt(p, len < 48 ? len : 48, "ts", &v) ? v : -1;
}

/**
 * @brief The first step whose ts is at least @p ts.
 * @param t  The trace.
 * @param ts A logical clock value.
 * @return The step, or MV_NONE when every ts is smaller.
 *
 * ts grows along the file (a filtered trace has gaps, never reversals),
 * so a binary search over the index finds it in ~20 line reads.
 *
 * Called by: the viewer's "go to ts" key.
 */
size_t mvStepOfTs(const mvTrace *t, long long ts) {
    size_t lo = 0, hi = t->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (mvTsOf(t, mid) < ts) lo = mid + 1;
        else hi = mid;
    }
    return lo < t->n ? lo : MV_NONE;
}

/**
 * @brief Whether the last step is the footer (the trace was closed).
 * @param t The trace.
 * @return 1 with a footer, 0 without (cut short, or still being written).
 *
 * Called by: the viewer's status line.
 */
int mvHasFooter(const mvTrace *t) {
    return t->footer;
}

/**
 * @brief Warnings issued while indexing.
 * @param t The trace.
 * @return How many (only the first MV_MAX_WARNINGS have text).
 *
 * Called by: the viewer (status line, warning list), tests.
 */
size_t mvWarningCount(const mvTrace *t) {
    return t->nwarn;
}

/**
 * @brief The text of a warning.
 * @param t The trace.
 * @param k Its index.
 * @return The message, or NULL for k >= min(count, MV_MAX_WARNINGS).
 *
 * Called by: the viewer, tests.
 */
const char *mvWarning(const mvTrace *t, size_t k) {
    return k < t->nwarn && k < MV_MAX_WARNINGS ? t->warn[k] : NULL;
}

/**
 * @brief Malformed lines skipped by the index.
 * @param t The trace.
 * @return How many.
 *
 * Called by: the viewer's status line, tests.
 */
size_t mvSkippedCount(const mvTrace *t) {
    return t->nskips;
}

/**
 * @brief Bytes of memory the index and caches hold (the mapping, which
 *        the kernel pages in and out, excluded).
 * @param t The trace.
 * @return Bytes.
 *
 * Called by: the viewer's status line, scripts/gen-big-trace.sh figures.
 */
size_t mvMemoryUsage(const mvTrace *t) {
    size_t total = sizeof(*t) + t->cap * sizeof(uint64_t) +
                   t->capskips * sizeof(mvSkip) +
                   t->clients.cap * sizeof(ctSlot) + t->ckpt_bytes, i;

    for (i = 0; i < t->clients.cap; i++) {
        const mvClientRec *r = t->clients.slots[i].val;

        if (t->clients.slots[i].id == 0) continue;
        total += sizeof(*r) + r->cap * sizeof(uint32_t);
    }
    for (i = 0; i < MV_CURSORS; i++)
        if (t->cursors[i]) total += sizeof(mvModel) + t->cursors[i]->bytes;
    return total;
}

/**
 * @brief qsort comparator: client records by id.
 * @param a A (mvClientRec *) pointer.
 * @param b Another.
 * @return <0, 0, >0.
 *
 * Called by: sortClients() through qsort().
 */
static int cmpRec(const void *a, const void *b) {
    const mvClientRec *x = *(mvClientRec *const *)a;
    const mvClientRec *y = *(mvClientRec *const *)b;

    return x->pub.id < y->pub.id ? -1 : x->pub.id > y->pub.id;
}

/**
 * @brief Rebuild the sorted client list after new clients appeared.
 * @param t The trace (logically const: only the cache changes).
 *
 * Called by: mvClientCount(), mvClientAt().
 */
static void sortClients(mvTrace *t) {
    size_t i, n = 0;
    mvClientRec **v;

    if (!t->sorted_dirty) return;
    v = malloc((t->clients.count + 1) * sizeof(*v));
    if (v == NULL) return;
    for (i = 0; i < t->clients.cap; i++) {
        mvClientRec *r = t->clients.slots[i].val;

        /* Slot id is tid + 1: id 1 is the server's own list, not a client. */
        if (t->clients.slots[i].id > 1) v[n++] = r;
    }
    qsort(v, n, sizeof(*v), cmpRec);
    free(t->sorted);
    t->sorted = v;
    t->nsorted = n;
    t->sorted_dirty = 0;
}

/**
 * @brief Number of clients seen (tid 0 excluded).
 * @param t The trace.
 * @return How many.
 *
 * Called by: the viewer's client list.
 */
size_t mvClientCount(const mvTrace *t) {
    sortClients((mvTrace *)t);
    return t->nsorted;
}

/**
 * @brief The k-th client by id.
 * @param t The trace.
 * @param k 0 .. mvClientCount() - 1.
 * @return The client (valid until the next mvRefresh()), or NULL.
 *
 * Called by: the viewer's client list.
 */
const mvClient *mvClientAt(const mvTrace *t, size_t k) {
    sortClients((mvTrace *)t);
    if (k >= t->nsorted) return NULL;
    return &t->sorted[k]->pub;
}

/**
 * @brief A client by id.
 * @param t  The trace.
 * @param id The client id.
 * @return The client, or NULL (also for id 0).
 *
 * Called by: the viewer.
 */
const mvClient *mvClientById(const mvTrace *t, uint64_t id) {
    mvClientRec *r = id ? mvRec(t, id) : NULL;

    return r ? &r->pub : NULL;
}

/**
 * @brief A client's next or previous step.
 * @param t    The trace.
 * @param id   The client (0: server events).
 * @param from A step (MV_NONE with MV_FORWARD: from the start).
 * @param dir  MV_FORWARD (first step > from) or MV_BACKWARD (last < from).
 * @return The step, or MV_NONE.
 *
 * Called by: the viewer's "next step of this client" keys, model.c.
 */
size_t mvClientStep(const mvTrace *t, uint64_t id, size_t from, int dir) {
    mvClientRec *r = mvRec(t, id);
    size_t pos;

    if (r == NULL || r->pub.nevents == 0) return MV_NONE;
    if (dir == MV_FORWARD) {
        pos = from == MV_NONE ? 0 : mvRecPosAt(r, from);
        if (from != MV_NONE) pos = pos == MV_NONE ? 0 : pos + 1;
        return pos < r->pub.nevents ? r->steps[pos] : MV_NONE;
    }
    if (from == 0 || from == MV_NONE) return MV_NONE;
    pos = mvRecPosAt(r, from - 1);
    return pos == MV_NONE ? MV_NONE : r->steps[pos];
}

/**
 * @brief A client's last step at or before @p at.
 * @param t  The trace.
 * @param id The client.
 * @param at A step.
 * @return The step, or MV_NONE.
 *
 * Called by: the viewer (whose state to show at a step), model.c.
 */
size_t mvClientLastAt(const mvTrace *t, uint64_t id, size_t at) {
    mvClientRec *r = mvRec(t, id);
    size_t pos = r ? mvRecPosAt(r, at) : MV_NONE;

    return pos == MV_NONE ? MV_NONE : r->steps[pos];
}

/* ======================== Text searches ======================== */

/**
 * @brief Case-insensitive: does a line's "name" or "cat" contain needle?
 * @param p      The line.
 * @param len    Its length.
 * @param needle The text (lower case already).
 * @return 1 on a match.
 *
 * Called by: mvFindName().
 */
static int nameMatches(const char *p, size_t len, const char *needle) {
    static const char *keys[] = { "name", "cat" };
    size_t head = len < 256 ? len : 256, k, i;

    for (k = 0; k < 2; k++) {
        const char *s;
        size_t slen;
        char buf[128];

        if (!mvScanStr(p, head, keys[k], &s, &slen)) continue;
        if (slen >= sizeof(buf)) slen = sizeof(buf) - 1;
        for (i = 0; i < slen; i++) buf[i] = (char)tolower((unsigned char)s[i]);
        buf[slen] = '\0';
        if (strstr(buf, needle)) return 1;
    }
    return 0;
}

/**
 * @brief The next or previous step whose function name (or step kind)
 *        contains a string.
 * @param t      The trace.
 * @param from   Start after (forward) or before (backward) this step;
 *               MV_NONE with MV_FORWARD starts at step 0.
 * @param dir    MV_FORWARD or MV_BACKWARD.
 * @param needle The text, matched case-insensitively ("write" finds
 *               writeToClient and every "write" step).
 * @param client MV_ANY_CLIENT, or only this client's steps.
 * @return The step, or MV_NONE (none, or cancelled by the progress
 *         callback).
 *
 * Only the first 256 bytes of each line are read: "name" and "cat" come
 * before "args", so a 1 MB write line costs no more than a short one.
 *
 * Called by: the viewer's '/' search.
 */
size_t mvFindName(mvTrace *t, size_t from, int dir, const char *needle,
                  uint64_t client) {
    char low[128];
    mvClientRec *r = client == MV_ANY_CLIENT ? NULL : mvRec(t, client);
    size_t i, count = 0, total, pos;

    for (i = 0; needle[i] && i < sizeof(low) - 1; i++)
        low[i] = (char)tolower((unsigned char)needle[i]);
    low[i] = '\0';
    if (client != MV_ANY_CLIENT && r == NULL) return MV_NONE;
    total = r ? r->pub.nevents : t->n;
    if (dir == MV_FORWARD) {
        if (r) {
            pos = from == MV_NONE ? 0 : mvRecPosAt(r, from);
            pos = from == MV_NONE ? 0 : (pos == MV_NONE ? 0 : pos + 1);
        } else {
            pos = from == MV_NONE ? 0 : from + 1;
        }
    } else {
        if (from == MV_NONE || from == 0) return MV_NONE;
        pos = r ? mvRecPosAt(r, from - 1) : from - 1;
        if (pos == MV_NONE) return MV_NONE;
    }
    /* pos walks positions of the client's list, or steps of the file. */
    while (pos < total) {
        size_t step = r ? r->steps[pos] : pos;
        const char *p;
        size_t len;

        if (mvLineSpan(t, step, &p, &len) == 0 && nameMatches(p, len, low))
            return step;
        if (++count % MV_PROGRESS_STEPS == 0 &&
            mvReport(t, count, total))
            return MV_NONE;
        if (dir == MV_BACKWARD && pos == 0) break;
        pos += dir == MV_FORWARD ? 1 : (size_t)-1;
    }
    return MV_NONE;
}

/**
 * @brief A watched field's value in a line, as text to compare.
 * @param p     The line.
 * @param len   Its length.
 * @param field Which field.
 * @param v     Set to the value's text.
 * @param vlen  Set to its length.
 * @return 1 when found (a client event), 0 otherwise.
 *
 * Comparing text is enough to see a change and needs no parse: `27` and
 * `27` are equal, `[[16384,5]]` and `[[16384,12]]` are not.
 *
 * Called by: mvFindChange().
 */
static int watchedText(const char *p, size_t len, mvWatch field,
                       const char **v, size_t *vlen) {
    static const char *keys[] = { "qlen", "qb_pos", "bufpos", "sentlen",
                                  "reply", "argc" };
    const char *c = mvScanState(p, len), *e = p + len, *q;

    if (c == NULL || (int)field < 0 || field > MV_WATCH_ARGC) return 0;
    if (field == MV_WATCH_REPLY) {
        const char *rb;

        /* The list text and reply_bytes right after it: one span. */
        if (!mvScanReply(c, (size_t)(e - c), v, vlen)) return 0;
        rb = *v + *vlen;
        q = memchr(rb, ',', (size_t)(e - rb));
        if (q) q = memchr(q + 1, ',', (size_t)(e - q - 1));
        *vlen = (size_t)((q ? q : e) - *v);
        return 1;
    }
    q = mvScanKey(c, (size_t)(e - c), keys[field]);
    if (q == NULL) return 0;
    *v = q;
    while (q < e && *q != ',' && *q != '}') q++;
    *vlen = (size_t)(q - *v);
    return 1;
}

/**
 * @brief The next or previous step of a client where a field changed.
 * @param t      The trace.
 * @param client The client.
 * @param from   Start after (forward) or before (backward) this step.
 * @param dir    MV_FORWARD or MV_BACKWARD.
 * @param field  The field to watch.
 * @return The first step (in @p dir) whose value differs from the value
 *         at the client's previous event, or MV_NONE.
 *
 * Called by: the viewer's "next change of qb_pos / bufpos / ..." keys.
 */
size_t mvFindChange(mvTrace *t, uint64_t client, size_t from, int dir,
                    mvWatch field) {
    mvClientRec *r = mvRec(t, client);
    size_t pos, count = 0;

    if (r == NULL || client == 0 || r->pub.nevents < 2) return MV_NONE;
    if (dir == MV_FORWARD) {
        pos = from == MV_NONE ? MV_NONE : mvRecPosAt(r, from);
        pos = pos == MV_NONE ? 1 : pos + 1;
    } else {
        if (from == 0 || from == MV_NONE) return MV_NONE;
        pos = mvRecPosAt(r, from - 1);
        if (pos == MV_NONE || pos == 0) return MV_NONE;
    }
    /* Compare each event with the one before it (pos - 1, pos). */
    while (pos >= 1 && pos < r->pub.nevents) {
        const char *a, *b, *va, *vb;
        size_t la, lb, na, nb;

        if (mvLineSpan(t, r->steps[pos - 1], &a, &la) == 0 &&
            mvLineSpan(t, r->steps[pos], &b, &lb) == 0 &&
            watchedText(a, la, field, &va, &na) &&
            watchedText(b, lb, field, &vb, &nb) &&
            (na != nb || memcmp(va, vb, na) != 0))
            return r->steps[pos];
        if (++count % MV_PROGRESS_STEPS == 0 &&
            mvReport(t, count, r->pub.nevents))
            return MV_NONE;
        pos += dir == MV_FORWARD ? 1 : (size_t)-1;
    }
    return MV_NONE;
}

/**
 * @brief Find the file a step's args.src names.
 * @param t      The trace.
 * @param file   The file part of args.src ("networking.c").
 * @param out    Set to a readable path.
 * @param outlen Size of @p out.
 * @return 0 when found, -1 otherwise.
 *
 * Tried in order: the header's src_dir (set when the server was built
 * with MINIRED_SRC_DIR), $MINIRED_SRC_DIR, ./src (the viewer run from
 * the repository), and ../../src next to the trace (tests/golden/x.jsonl).
 *
 * Called by: the viewer's source pane.
 */
int mvSourcePath(const mvTrace *t, const char *file, char *out,
                 size_t outlen) {
    char dirbuf[4096];
    const char *dirs[4];
    const char *env = getenv("MINIRED_SRC_DIR");
    size_t i;

    if (file == NULL || *file == '\0' || strchr(file, '/')) return -1;
    snprintf(dirbuf, sizeof(dirbuf), "%s", t->path);
    dirs[0] = t->hdr.src_dir;
    dirs[1] = env ? env : "";
    dirs[2] = "src";
    dirs[3] = dirname(dirbuf);
    for (i = 0; i < 4; i++) {
        if (dirs[i][0] == '\0') continue;
        if (i == 3)
            snprintf(out, outlen, "%s/../../src/%s", dirs[i], file);
        else
            snprintf(out, outlen, "%s/%s", dirs[i], file);
        if (access(out, R_OK) == 0) return 0;
    }
    return -1;
}
