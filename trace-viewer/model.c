/**
 * @file model.c
 * @brief The viewer's model: events parsed on demand (with a small cache),
 *        each client's querybuf / c->buf / reply blocks rebuilt at any
 *        step, changed fields, and the "next violation" search.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server, between the index (index.c) and the screen. A trace
 * holds each client's scalar state at every step, but its bytes only in
 * the events that move them: "read" appends to querybuf, "trim" cuts its
 * front, "buf-append" / "block-*" / "deferred-*" add reply bytes,
 * "write" / "block-sent" / "emptied" take them away. To show querybuf at
 * step 700,000, the bytes must be replayed -- with the very model
 * `minired-trace check` uses (trace-tool/check_model.c), so the two tools
 * agree byte for byte.
 *
 * Replaying from the first event would make a step in a 1,000,000-event
 * trace cost seconds. Two facts keep it to a few events instead:
 *   - a stream is known without replay wherever the event says it is
 *     empty: qlen 0 (querybuf), or bufpos 0 with "reply":[] (the reply);
 *     between requests both are usually empty, so scanning back a few
 *     lines of text (no JSON) finds where to start;
 *   - where a client stays busy (a slow reader with MBs pending), the
 *     replay leaves a checkpoint every MV_CKPT_EVERY events of that
 *     client, and remembers where it stopped (a cursor), so the next
 *     step forward is one event away.
 * Both caches are bounded (MV_CURSORS, MV_CKPT_MAX / MV_CKPT_BYTES).
 * What flows in: line spans from the index. What flows out: mvEvent and
 * mvBuffers structs the screen draws.
 */

#include "model_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Which byte stream a step moves. */
enum { STREAM_NONE = 0, STREAM_QB = 1, STREAM_REPLY = 2 };

/* ======================== Parsing lines ======================== */

/**
 * @brief Parse one line with jansson (not cached).
 * @param t      The trace.
 * @param step   The step.
 * @param err    Set to "PATH:LINE: malformed line: ..." on failure.
 * @param errlen Size of @p err.
 * @return The event (caller owns it), or NULL.
 *
 * Same flags and shape rules as the trace tool's reader (reader.c): a
 * NUL byte in "data" is legal, a duplicated key is not.
 *
 * Called by: cachedEvent(), the replay, mvFindViolation().
 */
static json_t *parseStep(mvTrace *t, size_t step, char *err, size_t errlen) {
    const char *p, *why = NULL;
    size_t len;
    json_error_t jerr;
    json_t *ev;

    if (mvLineSpan(t, step, &p, &len) != 0) {
        snprintf(err, errlen, "%s: no step %zu", t->path, step);
        return NULL;
    }
    ev = json_loadb(p, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
    if (ev == NULL) {
        snprintf(err, errlen, "%s:%ld: malformed line: %s (column %d)",
                 t->path, mvLineOf(t, step), jerr.text, jerr.column);
        return NULL;
    }
    if (!eventShapeOk(ev, &why)) {
        snprintf(err, errlen, "%s:%ld: malformed line: %s", t->path,
                 mvLineOf(t, step), why);
        json_decref(ev);
        return NULL;
    }
    return ev;
}

/**
 * @brief A parsed line from the LRU cache, parsing it on a miss.
 * @param t      The trace.
 * @param step   The step.
 * @param err    Message on failure.
 * @param errlen Its size.
 * @return The event (owned by the cache: valid until MV_EVENT_CACHE other
 *         steps were looked up), or NULL.
 *
 * Called by: mvEventGet(), mvBuffersAt().
 */
static json_t *cachedEvent(mvTrace *t, size_t step, char *err,
                           size_t errlen) {
    size_t i, victim = 0;
    json_t *ev;

    for (i = 0; i < MV_EVENT_CACHE; i++) {
        if (t->ecache[i].step == step) {
            t->ecache[i].tick = ++t->tick;
            return t->ecache[i].ev;
        }
        if (t->ecache[i].tick < t->ecache[victim].tick) victim = i;
    }
    ev = parseStep(t, step, err, errlen);
    if (ev == NULL) return NULL;
    if (t->ecache[victim].ev) json_decref(t->ecache[victim].ev);
    t->ecache[victim].step = step;
    t->ecache[victim].ev = ev;
    t->ecache[victim].tick = ++t->tick;
    return ev;
}

/**
 * @brief The step kind of a line, read from its text.
 * @param t    The trace.
 * @param step The step.
 * @param out  Set to the "cat" value, NUL-terminated.
 * @param n    Size of @p out.
 *
 * Called by: the replay (to skip steps that move no bytes unparsed).
 */
static void catOf(mvTrace *t, size_t step, char *out, size_t n) {
    const char *p, *s;
    size_t len, slen;

    out[0] = '\0';
    if (mvLineSpan(t, step, &p, &len) != 0) return;
    if (!mvScanStr(p, len < 256 ? len : 256, "cat", &s, &slen)) return;
    if (slen >= n) slen = n - 1;
    memcpy(out, s, slen);
    out[slen] = '\0';
}

/**
 * @brief Which byte stream a step kind moves.
 * @param cat The "cat".
 * @return STREAM_QB, STREAM_REPLY or STREAM_NONE.
 *
 * Called by: the replay.
 */
static int streamOf(const char *cat) {
    static const char *reply[] = { "buf-append", "block-fill", "block-new",
                                   "deferred-add", "deferred-set", "write",
                                   "writev", "block-sent", "emptied", NULL };
    size_t i;

    if (!strcmp(cat, "read") || !strcmp(cat, "trim") ||
        !strcmp(cat, "big-arg"))
        return STREAM_QB;
    for (i = 0; reply[i]; i++)
        if (!strcmp(cat, reply[i])) return STREAM_REPLY;
    return STREAM_NONE;
}

/* ======================== Events as structs ======================== */

/**
 * @brief Read an integer member, or a default.
 * @param o   An object.
 * @param key The member.
 * @param def Returned when absent.
 * @return The value.
 *
 * Called by: fillState(), mvEventGet(), mvBuffersAt().
 */
static long long intOr(json_t *o, const char *key, long long def) {
    long long v;

    return jsonInt(o, key, &v) ? v : def;
}

/**
 * @brief Fill an mvState from an event's "c".
 * @param st The state to fill (arrays malloc'ed).
 * @param c  The "c" object.
 *
 * Called by: mvEventGet().
 */
static void fillState(mvState *st, json_t *c) {
    json_t *argv = json_object_get(c, "argv"), *reply =
        json_object_get(c, "reply"), *flags = json_object_get(c, "flags");
    size_t j, used = 0;

    st->qlen = intOr(c, "qlen", 0);
    st->qb_pos = intOr(c, "qb_pos", 0);
    st->querybuf_peak = intOr(c, "querybuf_peak", 0);
    st->reqtype = intOr(c, "reqtype", 0);
    st->multibulklen = intOr(c, "multibulklen", 0);
    st->bulklen = intOr(c, "bulklen", -1);
    st->argc = intOr(c, "argc", 0);
    st->bufpos = intOr(c, "bufpos", 0);
    st->sentlen = intOr(c, "sentlen", 0);
    st->reply_bytes = intOr(c, "reply_bytes", 0);
    st->db = intOr(c, "db", 0);
    st->mstime = intOr(c, "mstime", 0);
    st->nargv = json_array_size(argv);
    st->argv = st->nargv ? calloc(st->nargv, sizeof(mvArg)) : NULL;
    if (st->argv == NULL) st->nargv = 0;
    for (j = 0; j < st->nargv; j++) {
        json_t *a = json_array_get(argv, j);
        char *bytes;
        size_t n;

        /* ["SET",3]: the first 32 bytes, escaped like "data", and the
         * real length. */
        if (decodeData(json_array_get(a, 0), &bytes, &n) == 0) {
            if (n > sizeof(st->argv[j].val) - 1) n = sizeof(st->argv[j].val) - 1;
            memcpy(st->argv[j].val, bytes, n);
            st->argv[j].vlen = n;
            free(bytes);
        }
        st->argv[j].len = json_integer_value(json_array_get(a, 1));
    }
    st->nreply = json_array_size(reply);
    st->reply = st->nreply ? calloc(st->nreply, sizeof(mvBlockState)) : NULL;
    if (st->reply == NULL) st->nreply = 0;
    for (j = 0; j < st->nreply; j++) {
        json_t *b = json_array_get(reply, j);

        st->reply[j].placeholder = json_is_null(b);
        st->reply[j].size = json_integer_value(json_array_get(b, 0));
        st->reply[j].used = json_integer_value(json_array_get(b, 1));
    }
    st->flags[0] = '\0';
    for (j = 0; j < json_array_size(flags); j++) {
        const char *f = json_string_value(json_array_get(flags, j));
        int n;

        if (f == NULL) continue;
        n = snprintf(st->flags + used, sizeof(st->flags) - used, "%s%s",
                     used ? "|" : "", f);
        if (n < 0 || (size_t)n >= sizeof(st->flags) - used) break;
        used += (size_t)n;
    }
}

/**
 * @brief Fill the display list of a step's own fields.
 * @param ev   The mvEvent.
 * @param args The event's args.
 *
 * src, fd, wall_us and c have their own members and "data" is decoded to
 * bytes; every other field is shown as compact JSON text, in file order.
 *
 * Called by: mvEventGet().
 */
static void fillFields(mvEvent *ev, json_t *args) {
    const char *key;
    json_t *v;

    json_object_foreach(args, key, v) {
        mvField *f;
        char *txt;

        if (!strcmp(key, "src") || !strcmp(key, "fd") ||
            !strcmp(key, "wall_us") || !strcmp(key, "c") ||
            !strcmp(key, "data"))
            continue;
        if (ev->nfields == MV_MAX_FIELDS) break;
        f = &ev->fields[ev->nfields++];
        snprintf(f->key, sizeof(f->key), "%s", key);
        txt = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (txt && strlen(txt) >= sizeof(f->value))
            snprintf(f->value, sizeof(f->value), "%.*s...",
                     (int)sizeof(f->value) - 4, txt);
        else
            snprintf(f->value, sizeof(f->value), "%s", txt ? txt : "?");
        free(txt);
    }
}

/**
 * @brief One step, parsed, as a C struct.
 * @param t    The trace.
 * @param step The step.
 * @param ev   Filled (caller-owned; release with mvEventFree(), also
 *             after an error).
 * @return 0, or -1 with ev->error set (the line is malformed or the step
 *         is out of range).
 *
 * Called by: the viewer for the step on screen, mvChangedFields(), tests.
 */
int mvEventGet(mvTrace *t, size_t step, mvEvent *ev) {
    json_t *e, *args, *c;
    const char *src, *colon;

    memset(ev, 0, sizeof(*ev));
    ev->step = step;
    ev->lineno = mvLineOf(t, step);
    ev->tid = mvTidOf(t, step);
    e = cachedEvent(t, step, ev->error, sizeof(ev->error));
    if (e == NULL) return -1;
    args = evArgs(e);
    ev->ts = evTs(e);
    ev->tid = evTid(e);
    snprintf(ev->name, sizeof(ev->name), "%s", jsonStr(e, "name"));
    snprintf(ev->cat, sizeof(ev->cat), "%s", jsonStr(e, "cat"));
    /* "networking.c:611" -> file and line */
    src = jsonStr(args, "src");
    colon = strrchr(src, ':');
    if (colon) {
        snprintf(ev->src_file, sizeof(ev->src_file), "%.*s",
                 (int)(colon - src), src);
        ev->src_line = atoi(colon + 1);
    } else {
        snprintf(ev->src_file, sizeof(ev->src_file), "%s", src);
    }
    ev->fd = intOr(args, "fd", -1);
    ev->wall_us = intOr(args, "wall_us", 0);
    c = evState(e);
    if (c) {
        ev->has_state = 1;
        fillState(&ev->st, c);
    }
    fillFields(ev, args);
    if (json_object_get(args, "data") &&
        decodeData(json_object_get(args, "data"), &ev->data,
                   &ev->datalen) == 0)
        ev->has_data = 1;
    return 0;
}

/**
 * @brief Release what mvEventGet() allocated.
 * @param ev The event (its struct itself is the caller's).
 *
 * Called by: the viewer, tests.
 */
void mvEventFree(mvEvent *ev) {
    free(ev->st.argv);
    free(ev->st.reply);
    free(ev->data);
    ev->st.argv = NULL;
    ev->st.reply = NULL;
    ev->data = NULL;
    ev->st.nargv = ev->st.nreply = 0;
    ev->has_data = 0;
}

/**
 * @brief Which fields differ between two client states.
 * @param a One state.
 * @param b The other.
 * @return MV_F_* bits.
 *
 * Called by: mvChangedFields(), the viewer.
 */
unsigned mvStateDiff(const mvState *a, const mvState *b) {
    unsigned d = 0;
    size_t j;

    if (a->qlen != b->qlen) d |= MV_F_QLEN;
    if (a->qb_pos != b->qb_pos) d |= MV_F_QB_POS;
    if (a->querybuf_peak != b->querybuf_peak) d |= MV_F_PEAK;
    if (a->reqtype != b->reqtype) d |= MV_F_REQTYPE;
    if (a->multibulklen != b->multibulklen) d |= MV_F_MULTIBULKLEN;
    if (a->bulklen != b->bulklen) d |= MV_F_BULKLEN;
    if (a->argc != b->argc) d |= MV_F_ARGC;
    if (a->nargv != b->nargv) {
        d |= MV_F_ARGV;
    } else {
        for (j = 0; j < a->nargv; j++)
            if (a->argv[j].len != b->argv[j].len ||
                a->argv[j].vlen != b->argv[j].vlen ||
                memcmp(a->argv[j].val, b->argv[j].val, a->argv[j].vlen))
                d |= MV_F_ARGV;
    }
    if (a->bufpos != b->bufpos) d |= MV_F_BUFPOS;
    if (a->sentlen != b->sentlen) d |= MV_F_SENTLEN;
    if (a->nreply != b->nreply) {
        d |= MV_F_REPLY;
    } else {
        for (j = 0; j < a->nreply; j++)
            if (a->reply[j].size != b->reply[j].size ||
                a->reply[j].used != b->reply[j].used ||
                a->reply[j].placeholder != b->reply[j].placeholder)
                d |= MV_F_REPLY;
    }
    if (a->reply_bytes != b->reply_bytes) d |= MV_F_REPLY_BYTES;
    if (strcmp(a->flags, b->flags)) d |= MV_F_FLAGS;
    if (a->db != b->db) d |= MV_F_DB;
    if (a->mstime != b->mstime) d |= MV_F_MSTIME;
    return d;
}

/**
 * @brief Which fields a step changed, compared with the previous event
 *        of the same client.
 * @param t    The trace.
 * @param step The step.
 * @return MV_F_* bits; MV_F_ALL for a client's first event; 0 for server
 *         events and lines that do not parse.
 *
 * Called by: the viewer (highlighting), tests.
 */
unsigned mvChangedFields(mvTrace *t, size_t step) {
    uint64_t tid = mvTidOf(t, step);
    size_t prev;
    mvEvent a, b;
    unsigned d = 0;

    if (tid == 0 || step >= t->n) return 0;
    prev = mvClientStep(t, tid, step, MV_BACKWARD);
    if (prev == MV_NONE) return MV_F_ALL;
    memset(&b, 0, sizeof(b));
    /* Both lines come from the cache: a neighbour is usually on screen. */
    if (mvEventGet(t, prev, &a) == 0 && mvEventGet(t, step, &b) == 0 &&
        a.has_state && b.has_state)
        d = mvStateDiff(&a.st, &b.st);
    mvEventFree(&a);
    mvEventFree(&b);
    return d;
}

/* ======================== Models: copy, free, caches ======================== */

/**
 * @brief Copy a byte string.
 * @param dst Filled (its old content is not freed).
 * @param src The source.
 *
 * Called by: modelCopy().
 */
static void bbCopy(byteBuf *dst, const byteBuf *src) {
    dst->len = dst->cap = src->len;
    dst->p = src->len ? malloc(src->len) : NULL;
    if (src->len && dst->p == NULL) {
        dst->len = dst->cap = 0;
        return;
    }
    if (src->len) memcpy(dst->p, src->p, src->len);
}

/**
 * @brief Bytes a model holds (for the checkpoint budget).
 * @param m The model.
 * @return Bytes.
 *
 * Called by: modelCopy(), checkpointing.
 */
static size_t modelBytes(const clientModel *m) {
    size_t n = m->qb.len + m->buf.len + m->nblocks * sizeof(modelBlock), j;

    for (j = 0; j < m->nblocks; j++) n += m->blocks[j].b.len;
    return n;
}

/**
 * @brief Deep-copy a model (for a checkpoint, or a cursor from one).
 * @param src The model.
 * @return A new model, or NULL when out of memory.
 *
 * Called by: buildModel(), saveCheckpoint().
 */
static mvModel *modelCopy(const mvModel *src) {
    mvModel *d = malloc(sizeof(*d));
    size_t j;

    if (d == NULL) return NULL;
    *d = *src;
    bbCopy(&d->m.qb, &src->m.qb);
    bbCopy(&d->m.buf, &src->m.buf);
    d->m.capblocks = src->m.nblocks;
    d->m.blocks = src->m.nblocks ? calloc(src->m.nblocks,
                                          sizeof(modelBlock)) : NULL;
    if (src->m.nblocks && d->m.blocks == NULL) d->m.nblocks = 0;
    for (j = 0; j < d->m.nblocks; j++) {
        d->m.blocks[j].placeholder = src->m.blocks[j].placeholder;
        bbCopy(&d->m.blocks[j].b, &src->m.blocks[j].b);
    }
    d->bytes = modelBytes(&d->m);
    return d;
}

/**
 * @brief Free a model and its bytes.
 * @param md The model (NULL is fine).
 *
 * Called by: the caches, mvCachesFree().
 */
void mvModelFree(mvModel *md) {
    if (md == NULL) return;
    modelFree(&md->m);
    free(md);
}

/**
 * @brief Free every cache (parsed lines, cursors, checkpoints).
 * @param t The trace.
 *
 * Called by: mvClose().
 */
void mvCachesFree(mvTrace *t) {
    size_t i;

    for (i = 0; i < MV_EVENT_CACHE; i++) {
        if (t->ecache[i].ev) json_decref(t->ecache[i].ev);
        t->ecache[i].ev = NULL;
        t->ecache[i].step = MV_NONE;
    }
    for (i = 0; i < MV_CURSORS; i++) {
        mvModelFree(t->cursors[i]);
        t->cursors[i] = NULL;
    }
    for (i = 0; i < MV_CKPT_MAX; i++) {
        mvModelFree(t->ckpts[i]);
        t->ckpts[i] = NULL;
    }
    t->ckpt_bytes = 0;
}

/**
 * @brief Position as a signed number: MV_NONE (before the first event)
 *        becomes -1, so "earlier than" compares naturally.
 * @param pos A position.
 * @return It, signed.
 *
 * Called by: buildModel().
 */
static long long spos(size_t pos) {
    return pos == MV_NONE ? -1 : (long long)pos;
}

/**
 * @brief Keep a copy of a model as a checkpoint, evicting the least
 *        recently used ones to stay within MV_CKPT_MAX / MV_CKPT_BYTES.
 * @param t  The trace.
 * @param md The model (copied; the caller keeps it).
 *
 * Called by: replayTo() every MV_CKPT_EVERY events of a client.
 */
static void saveCheckpoint(mvTrace *t, const mvModel *md) {
    size_t i, slot = MV_CKPT_MAX;
    mvModel *cp;

    if (modelBytes(&md->m) > MV_CKPT_BYTES / 8) return; /* too big to keep */
    for (i = 0; i < MV_CKPT_MAX; i++) {
        mvModel *c = t->ckpts[i];

        if (c && c->client == md->client && c->pos == md->pos) return;
    }
    cp = modelCopy(md);
    if (cp == NULL) return;
    for (;;) {
        size_t victim = MV_CKPT_MAX;

        slot = MV_CKPT_MAX;
        for (i = 0; i < MV_CKPT_MAX; i++) {
            if (t->ckpts[i] == NULL) {
                if (slot == MV_CKPT_MAX) slot = i;
            } else if (victim == MV_CKPT_MAX ||
                       t->ckpts[i]->tick < t->ckpts[victim]->tick) {
                victim = i;
            }
        }
        if (slot != MV_CKPT_MAX && t->ckpt_bytes + cp->bytes <= MV_CKPT_BYTES)
            break;
        if (victim == MV_CKPT_MAX) break;
        t->ckpt_bytes -= t->ckpts[victim]->bytes;
        mvModelFree(t->ckpts[victim]);
        t->ckpts[victim] = NULL;
    }
    if (slot == MV_CKPT_MAX) {
        mvModelFree(cp);
        return;
    }
    cp->tick = ++t->tick;
    t->ckpts[slot] = cp;
    t->ckpt_bytes += cp->bytes;
}

/* ======================== Replaying a client ======================== */

/** A memory stream that catches check's violation messages (vioStart()
 *  prints to checkVioOut), so curses keeps the terminal. */
typedef struct vioCatch {
    FILE *fp;    /**< The stream. */
    char *buf;   /**< Its buffer (open_memstream). */
    size_t len;  /**< Its length. */
} vioCatch;

/**
 * @brief Start catching violation messages.
 * @param vc The catcher.
 *
 * Called by: mvBuffersAt(), mvFindViolation().
 */
static void catchStart(vioCatch *vc) {
    vc->buf = NULL;
    vc->len = 0;
    vc->fp = open_memstream(&vc->buf, &vc->len);
    checkVioOut = vc->fp;
}

/**
 * @brief Take the message caught so far (first line) and start afresh.
 * @param vc  The catcher.
 * @param dst Where to copy it, only if @p dst is still empty.
 * @param n   Size of @p dst.
 *
 * Called by: replayTo(), mvBuffersAt(), mvFindViolation().
 */
static void catchTake(vioCatch *vc, char *dst, size_t n) {
    if (vc->fp == NULL) return;
    fclose(vc->fp);
    if (dst && dst[0] == '\0' && vc->buf) {
        size_t k = strcspn(vc->buf, "\n");

        snprintf(dst, n, "%.*s", (int)k, vc->buf);
    }
    free(vc->buf);
    catchStart(vc);
}

/**
 * @brief Stop catching.
 * @param vc The catcher.
 *
 * Called by: mvBuffersAt(), mvFindViolation().
 */
static void catchEnd(vioCatch *vc) {
    if (vc->fp) fclose(vc->fp);
    free(vc->buf);
    vc->fp = NULL;
    vc->buf = NULL;
    checkVioOut = NULL;
}

/**
 * @brief Empty one stream of a model (the event said it is empty).
 * @param md     The model.
 * @param stream STREAM_QB or STREAM_REPLY.
 *
 * Called by: buildModel().
 */
static void resetStream(mvModel *md, int stream) {
    clientModel *m = &md->m;
    size_t j;

    if (stream == STREAM_QB) {
        m->qb.len = 0;
        md->qb_exact = 1;
        return;
    }
    for (j = 0; j < m->nblocks; j++) free(m->blocks[j].b.p);
    m->nblocks = 0;
    m->buf.len = 0;
    m->sent = 0;
    md->rp_exact = 1;
}

/**
 * @brief Apply one step to a model, noting where it appended reply bytes.
 * @param t    The trace.
 * @param md   The model.
 * @param step The step.
 * @param vc   The violation catcher.
 *
 * Called by: replayTo(), mvFindViolation().
 */
static void applyStep(mvTrace *t, mvModel *md, size_t step, vioCatch *vc) {
    char err[256];
    json_t *ev = parseStep(t, step, err, sizeof(err));
    checkCtx x;
    const char *cat;
    long long before;
    size_t buflen, tailused = 0, ph = MV_NONE, j;
    clientModel *m = &md->m;

    md->app_where = MV_WHERE_NONE;
    md->app_off = md->app_len = 0;
    if (ev == NULL) {
        if (md->note[0] == '\0') snprintf(md->note, sizeof(md->note), "%s",
                                          err);
        return;
    }
    x.ts = evTs(ev);
    x.lineno = mvLineOf(t, step);
    cat = jsonStr(ev, "cat");
    before = m->appended;
    buflen = m->buf.len;
    if (m->nblocks) tailused = m->blocks[m->nblocks - 1].b.len;
    /* The most recent placeholder is the one "deferred-set" fills. */
    for (j = m->nblocks; j > 0; j--)
        if (m->blocks[j - 1].placeholder) {
            ph = j - 1;
            break;
        }
    if (modelApply(&x, m, ev) != 0) catchTake(vc, md->note, sizeof(md->note));
    /* ANCHOR: view-model-appended */
    if (m->appended > before || !strcmp(cat, "deferred-add")) {
        md->app_len = (size_t)(m->appended - before);
        if (!strcmp(cat, "buf-append")) {
            md->app_where = MV_WHERE_BUF;
            md->app_off = buflen;
        } else if (!strcmp(cat, "block-fill")) {
            /* "block-fill" adds to the tail block: after the used bytes. */
            md->app_where = (int)m->nblocks - 1;
            md->app_off = tailused;
        } else if (!strcmp(cat, "deferred-set")) {
            /* "*3\r\n" lands at the placeholder's index either way: in
             * front of the next block (which moves up) or as its own. */
            md->app_where = ph == MV_NONE ? MV_WHERE_NONE : (int)ph;
        } else {
            md->app_where = (int)m->nblocks - 1; /* block-new, deferred-add */
        }
    }
    /* ANCHOR_END: view-model-appended */
    json_decref(ev);
}

/**
 * @brief Scan back from a position for the latest points where each
 *        stream is empty, reading line text only.
 * @param t    The trace.
 * @param r    The client.
 * @param p    The position to start at.
 * @param stop Do not look at positions <= stop.
 * @param jq   Set to the latest position <= p whose event leaves querybuf
 *             empty, or -2.
 * @param jr   Same for the reply (bufpos 0, no block), or -2.
 *
 * A "trim" is never taken as the empty point (a trim used to report the
 * state before its cut; now its "c" is after the cut, so skipping it only
 * starts the rebuild one step earlier); a "read" always leaves bytes.
 *
 * Called by: buildModel().
 */
static void findEmpty(mvTrace *t, mvClientRec *r, long long p,
                      long long stop, long long *jq, long long *jr) {
    long long q;

    *jq = *jr = -2;
    /* ANCHOR: view-model-empty-scan */
    for (q = p; q > stop && (*jq == -2 || *jr == -2); q--) {
        const char *line, *c, *s, *cat;
        size_t len, slen, catlen = 0;
        long long v;

        if (mvLineSpan(t, r->steps[q], &line, &len) != 0) continue;
        c = mvScanState(line, len);
        if (c == NULL) continue;
        len -= (size_t)(c - line);
        if (*jq == -2 && mvScanInt(c, len, "qlen", &v) && v == 0 &&
            !(mvScanStr(line, 256 < c - line ? 256 : (size_t)(c - line),
                        "cat", &cat, &catlen) &&
              catlen == 4 && !memcmp(cat, "trim", 4)))
            *jq = q;
        if (*jr == -2 && mvScanInt(c, len, "bufpos", &v) && v == 0 &&
            mvScanReply(c, len, &s, &slen) && slen == 2)
            *jr = q; /* "reply":[] */
    }
    /* ANCHOR_END: view-model-empty-scan */
}

/**
 * @brief The client's model after its event at position @p p: from the
 *        best start (cursor, checkpoint, empty point or first event),
 *        replaying only the steps that move bytes.
 * @param t  The trace.
 * @param r  The client.
 * @param p  The position (MV_NONE: before its first event).
 * @param vc The violation catcher.
 * @return The model, which is now the client's cursor (owned by the
 *         trace), or NULL when out of memory.
 *
 * Called by: mvBuffersAt(), mvFindViolation().
 */
static mvModel *buildModel(mvTrace *t, mvClientRec *r, size_t p,
                           vioCatch *vc) {
    mvModel *cur = NULL, *ck = NULL, *md;
    long long base = -1, jq, jr, sq, sr, q, target = spos(p);
    size_t i, curslot = MV_CURSORS, lru = 0;

    /* 1. The nearest known state at or before p. */
    for (i = 0; i < MV_CURSORS; i++) {
        mvModel *c = t->cursors[i];

        if (c && c->client == r->pub.id) curslot = i;
        if (c == NULL || (t->cursors[lru] &&
                          c->tick < t->cursors[lru]->tick))
            lru = i;
    }
    if (curslot != MV_CURSORS && spos(t->cursors[curslot]->pos) <= target)
        cur = t->cursors[curslot];
    for (i = 0; i < MV_CKPT_MAX; i++) {
        mvModel *c = t->ckpts[i];

        if (c && c->client == r->pub.id && spos(c->pos) <= target &&
            (ck == NULL || c->pos > ck->pos))
            ck = c;
    }
    if (cur) base = spos(cur->pos);
    if (ck && spos(ck->pos) > base) {
        cur = NULL;
        base = spos(ck->pos);
        ck->tick = ++t->tick;
    } else {
        ck = NULL;
    }
    if (cur && base == target) {
        cur->tick = ++t->tick;
        return cur;
    }
    /* 2. Empty points between the base and p let the replay start late. */
    findEmpty(t, r, target, base, &jq, &jr);
    sq = jq != -2 ? jq : base;
    sr = jr != -2 ? jr : base;

    /* 3. The starting model: the cursor itself, a copy of the
     * checkpoint, or a new empty one. */
    if (cur) {
        md = cur;
    } else if (ck) {
        md = modelCopy(ck);
    } else {
        md = calloc(1, sizeof(*md));
        if (md) {
            md->client = r->pub.id;
            md->m.known = 1;
            /* From the first event: exact only if it is the "created". */
            md->qb_exact = md->rp_exact = r->pub.created;
        }
    }
    if (md == NULL) return NULL;
    md->m.known = 1; /* replay regardless; exactness is tracked here */
    if (sq > base) resetStream(md, STREAM_QB);
    if (sr > base) resetStream(md, STREAM_REPLY);
    if (sq > base && sr > base) md->note[0] = '\0';

    /* 4. Forward, parsing only the steps that move a stream's bytes. */
    /* ANCHOR: view-model-replay */
    for (q = (sq < sr ? sq : sr) + 1; q <= target; q++) {
        char cat[32];
        int s;

        catOf(t, r->steps[q], cat, sizeof(cat));
        s = streamOf(cat);
        md->app_where = MV_WHERE_NONE;
        md->app_len = 0;
        if ((s == STREAM_QB && q > sq) || (s == STREAM_REPLY && q > sr))
            applyStep(t, md, r->steps[q], vc);
        md->pos = (size_t)q;
        if (q % MV_CKPT_EVERY == MV_CKPT_EVERY - 1 && q >= sq && q >= sr)
            saveCheckpoint(t, md);
    }
    /* ANCHOR_END: view-model-replay */
    md->pos = p;
    md->tick = ++t->tick;
    md->bytes = modelBytes(&md->m);
    if (md != cur) {
        /* The client's old cursor (if any) is replaced, else the LRU. */
        i = curslot != MV_CURSORS ? curslot : lru;
        mvModelFree(t->cursors[i]);
        t->cursors[i] = md;
    }
    return md;
}

/**
 * @brief Copy a byte string out for the caller.
 * @param b The bytes.
 * @param n Set to the length.
 * @return A malloc'ed copy, or NULL when empty.
 *
 * Called by: mvBuffersAt().
 */
static char *dupBytes(const byteBuf *b, size_t *n) {
    char *p = b->len ? malloc(b->len) : NULL;

    *n = p ? b->len : 0;
    if (p) memcpy(p, b->p, b->len);
    return p;
}

/**
 * @brief A client's buffers as of a step.
 * @param t      The trace.
 * @param client The client id.
 * @param at     The step (its state is the client's last event <= at).
 * @param out    Filled (caller-owned; release with mvBuffersFree(), also
 *               after an error).
 * @return 0, or -1 with out->note set.
 *
 * At a "trim" step querybuf is shown AFTER the cut, as that event's "c"
 * describes it (qb_pos 0); the cut bytes are the event's "data".
 *
 * Called by: the viewer for each step shown, tests.
 */
int mvBuffersAt(mvTrace *t, uint64_t client, size_t at, mvBuffers *out) {
    mvClientRec *r = client ? mvRec(t, client) : NULL;
    size_t k, j, step;
    json_t *ev, *c, *reply;
    mvModel *md;
    vioCatch vc;
    char cat[32];
    int rc = 0;

    memset(out, 0, sizeof(*out));
    out->client = client;
    out->at = at;
    out->app_where = MV_WHERE_NONE;
    out->exact = 1;
    out->state_step = MV_NONE;
    if (r == NULL) {
        snprintf(out->note, sizeof(out->note), "no client %llu in this trace",
                 (unsigned long long)client);
        return -1;
    }
    k = mvRecPosAt(r, at < t->n ? at : t->n - 1);
    if (k == MV_NONE) return 0; /* not connected yet: all empty */
    step = r->steps[k];
    out->state_step = step;
    ev = cachedEvent(t, step, out->note, sizeof(out->note));
    if (ev == NULL) return -1;
    c = evState(ev);
    catOf(t, step, cat, sizeof(cat));
    /* A "trim" event's "c" is the state after its cut (qb_pos 0; the
     * before values are its args n and qlen_before), like every other
     * step's: the model after it is what it shows, at its own step and
     * later. The screen prints the before values on the event line. */
    catchStart(&vc);
    md = buildModel(t, r, k, &vc);
    if (md == NULL) {
        catchEnd(&vc);
        snprintf(out->note, sizeof(out->note), "out of memory");
        return -1;
    }
    out->exact = md->qb_exact && md->rp_exact;
    /* ANCHOR: view-model-mirror */
    if (out->exact && c &&
        modelMirror(&(checkCtx){ evTs(ev), mvLineOf(t, step) }, &md->m, c,
                    1) != 0)
        catchTake(&vc, out->note, sizeof(out->note));
    /* ANCHOR_END: view-model-mirror */
    catchEnd(&vc);
    if (out->note[0] == '\0' && md->note[0])
        snprintf(out->note, sizeof(out->note), "%s", md->note);
    if (!out->exact && out->note[0] == '\0')
        snprintf(out->note, sizeof(out->note), "client %llu was connected "
                 "before the trace began: %s bytes are not known until it "
                 "is next empty", (unsigned long long)client,
                 !md->qb_exact && !md->rp_exact ? "querybuf and reply"
                 : !md->qb_exact ? "querybuf" : "reply");

    out->querybuf = dupBytes(&md->m.qb, &out->qlen);
    out->qb_pos = intOr(c, "qb_pos", 0);
    out->buf = dupBytes(&md->m.buf, &out->bufpos);
    out->sentlen = md->m.sent;
    out->reply_bytes = intOr(c, "reply_bytes", 0);
    reply = json_object_get(c, "reply");
    out->blocks = md->m.nblocks ? calloc(md->m.nblocks, sizeof(mvBlock))
                                : NULL;
    out->nblocks = out->blocks ? md->m.nblocks : 0;
    for (j = 0; j < out->nblocks; j++) {
        out->blocks[j].bytes = dupBytes(&md->m.blocks[j].b,
                                        &out->blocks[j].used);
        out->blocks[j].placeholder = md->m.blocks[j].placeholder;
        out->blocks[j].size =
            json_integer_value(json_array_get(json_array_get(reply, j), 0));
    }
    if (step == at) {
        /* What this very step moved, for highlighting. */
        long long n;

        if (!strcmp(cat, "read") && jsonInt(evArgs(ev), "nread", &n) &&
            n >= 0 && (size_t)n <= out->qlen) {
            out->new_len = (size_t)n;
            out->new_off = out->qlen - (size_t)n;
        }
        if ((!strcmp(cat, "write") || !strcmp(cat, "writev")) &&
            jsonInt(evArgs(ev), "nwritten", &n) &&
            n > 0)
            out->wrote = (size_t)n;
        out->app_where = md->app_where;
        out->app_off = md->app_off;
        out->app_len = md->app_len;
    }
    return rc;
}

/**
 * @brief Release what mvBuffersAt() allocated.
 * @param b The buffers (the struct itself is the caller's).
 *
 * Called by: the viewer, tests.
 */
void mvBuffersFree(mvBuffers *b) {
    size_t j;

    for (j = 0; j < b->nblocks; j++) free(b->blocks[j].bytes);
    free(b->blocks);
    free(b->querybuf);
    free(b->buf);
    b->blocks = NULL;
    b->querybuf = b->buf = NULL;
    b->nblocks = b->qlen = b->bufpos = 0;
}

/* ======================== Violations ======================== */

/**
 * @brief Check one step with check's rules.
 * @param t     The trace.
 * @param step  The step.
 * @param md    A model of its client to advance and compare (NULL: only
 *              the rules one state proves alone).
 * @param vc    The violation catcher.
 * @param msg   Set to the message on a violation.
 * @param msglen Size of @p msg.
 * @return 1 on a violation (or a line that does not parse), 0 otherwise.
 *
 * Called by: mvFindViolation().
 */
static int stepViolates(mvTrace *t, size_t step, mvModel *md, vioCatch *vc,
                        char *msg, size_t msglen) {
    char err[256];
    json_t *ev = parseStep(t, step, err, sizeof(err)), *c;
    checkCtx x;
    int bad = 0;

    if (ev == NULL) {
        snprintf(msg, msglen, "%s", err);
        return 1;
    }
    c = evState(ev);
    x.ts = evTs(ev);
    x.lineno = mvLineOf(t, step);
    if (c && (checkState(&x, c, t->hdr.proto_reply_chunk_bytes) != 0 ||
              checkReplySilence(&x, jsonStr(ev, "cat"), c) != 0)) {
        bad = 1;
    } else if (md && c) {
        const char *cat = jsonStr(ev, "cat");

        if (modelApply(&x, &md->m, ev) != 0 ||
            modelMirror(&x, &md->m, c, strcmp(cat, "trim") != 0) != 0)
            bad = 1;
    }
    if (bad) {
        msg[0] = '\0';
        catchTake(vc, msg, msglen);
    }
    json_decref(ev);
    return bad;
}

/**
 * @brief The next or previous step that breaks a rule of
 *        `minired-trace check`.
 * @param t      The trace.
 * @param from   Start after (forward) or before (backward) this step;
 *               MV_NONE with MV_FORWARD starts at step 0.
 * @param dir    MV_FORWARD or MV_BACKWARD.
 * @param client MV_ANY_CLIENT, or only this client's steps. Forward with
 *               a client whose bytes are known, the byte conservation
 *               rules are checked too.
 * @param msg    Set to check's message for the violation.
 * @param msglen Size of @p msg.
 * @return The step, or MV_NONE (none found, or cancelled).
 *
 * Called by: the viewer's "next violation" key, tests.
 */
size_t mvFindViolation(mvTrace *t, size_t from, int dir, uint64_t client,
                       char *msg, size_t msglen) {
    mvClientRec *r = client == MV_ANY_CLIENT ? NULL : mvRec(t, client);
    mvModel *md = NULL;
    vioCatch vc;
    size_t pos, total, count = 0, found = MV_NONE;

    if (msglen) msg[0] = '\0';
    if (client != MV_ANY_CLIENT && r == NULL) return MV_NONE;
    total = r ? r->pub.nevents : t->n;
    if (dir == MV_FORWARD) {
        pos = from == MV_NONE ? MV_NONE : (r ? mvRecPosAt(r, from) : from);
        pos = pos == MV_NONE ? 0 : pos + 1;
        if (r && from == MV_NONE) pos = 0;
    } else {
        if (from == MV_NONE || from == 0) return MV_NONE;
        pos = r ? mvRecPosAt(r, from - 1) : from - 1;
        if (pos == MV_NONE) return MV_NONE;
    }
    catchStart(&vc);
    if (r && client != 0 && dir == MV_FORWARD) {
        /* Conservation needs the bytes just before pos: a private copy
         * of the rebuilt model, advanced event by event. */
        mvModel *base = buildModel(t, r, pos ? pos - 1 : MV_NONE, &vc);

        if (base && base->qb_exact && base->rp_exact) md = modelCopy(base);
        catchTake(&vc, NULL, 0);
    }
    /* ANCHOR: view-find-violation */
    while (pos < total) {
        size_t step = r ? r->steps[pos] : pos;

        if (stepViolates(t, step, md, &vc, msg, msglen)) {
            found = step;
            break;
        }
        if (++count % 4096 == 0 && mvReport(t, count, total)) break;
        if (dir == MV_BACKWARD && pos == 0) break;
        pos += dir == MV_FORWARD ? 1 : (size_t)-1;
    }
    /* ANCHOR_END: view-find-violation */
    catchEnd(&vc);
    mvModelFree(md);
    return found;
}
