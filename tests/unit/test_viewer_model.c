/**
 * @file test_viewer_model.c
 * @brief Check unit tests of bin/minired-view's core (trace-viewer/model.h):
 *        buffers rebuilt at any step, forwards, backwards and at random,
 *        against a forward replay written here; malformed inputs; follow
 *        mode; searches.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server: it reads the golden traces (every .jsonl of tests/golden/, one
 * per scenario) and small traces it writes itself. For every step it
 * rebuilds each client's querybuf, c->buf and reply blocks with its own
 * replay -- written independently of trace-tool/check_model.c, which the
 * viewer reuses -- and compares with mvBuffersAt(). What flows in: trace
 * files. What flows out: PASS/FAIL of each Check test.
 *
 * Run from the repository root (tests/run-all.sh does).
 */
#include "model.h"

#include <check.h>
#include <jansson.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ======================== The independent replay ======================== */

/** Most clients / blocks the test's replay tracks. */
#define T_MAXC 64
/** Most reply blocks per client in the test's replay. */
#define T_MAXB 64

/** A growable byte string of the test's replay. */
typedef struct tBytes {
    char *p;     /**< Bytes. */
    size_t n;    /**< Length. */
} tBytes;

/** One client as the test replays it. */
typedef struct tClient {
    uint64_t id;          /**< Client id. */
    tBytes qb;            /**< querybuf. */
    tBytes buf;           /**< c->buf. */
    size_t sent;          /**< sentlen. */
    tBytes blk[T_MAXB];   /**< Reply blocks. */
    int ph[T_MAXB];       /**< 1: placeholder. */
    size_t nblk;          /**< Blocks. */
} tClient;

/** Expected buffers of one client at one step (a deep snapshot). */
typedef struct tSnap {
    tClient c;            /**< Copy of the state. */
    int valid;            /**< 1 once the client exists. */
} tSnap;

/**
 * @brief Decode a "data" string: UTF-8 code points below 0x100 -> bytes.
 * @param s The JSON string.
 * @param out Bytes (malloc'ed).
 * @return Their number.
 */
static size_t tDecode(json_t *s, char **out) {
    const unsigned char *p = (const unsigned char *)json_string_value(s);
    size_t n = json_string_length(s), i, o = 0;
    char *b = malloc(n + 1);

    for (i = 0; i < n; i++) {
        /* U+0080..U+00FF arrive as two UTF-8 bytes, 0xc2/0xc3 + one. */
        if (p[i] >= 0xc0) {
            b[o++] = (char)(((p[i] & 0x1f) << 6) | (p[i + 1] & 0x3f));
            i++;
        } else {
            b[o++] = (char)p[i];
        }
    }
    *out = b;
    return o;
}

/**
 * @brief Append to a test byte string.
 * @param b The string.
 * @param p Bytes.
 * @param n How many.
 */
static void tCat(tBytes *b, const char *p, size_t n) {
    b->p = realloc(b->p, b->n + n + 1);
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

/**
 * @brief Deep-copy a client.
 * @param d Destination.
 * @param s Source.
 */
static void tCopy(tClient *d, const tClient *s) {
    size_t j;

    *d = *s;
    d->qb.p = NULL; d->qb.n = 0; tCat(&d->qb, s->qb.p ? s->qb.p : "", s->qb.n);
    d->buf.p = NULL; d->buf.n = 0;
    tCat(&d->buf, s->buf.p ? s->buf.p : "", s->buf.n);
    for (j = 0; j < s->nblk; j++) {
        d->blk[j].p = NULL;
        d->blk[j].n = 0;
        tCat(&d->blk[j], s->blk[j].p ? s->blk[j].p : "", s->blk[j].n);
    }
}

/**
 * @brief Free a client's bytes.
 * @param c The client.
 */
static void tFree(tClient *c) {
    size_t j;

    free(c->qb.p);
    free(c->buf.p);
    for (j = 0; j < c->nblk; j++) free(c->blk[j].p);
}

/**
 * @brief Apply one event to the test's replay.
 * @param c   The client.
 * @param ev  The event.
 */
static void tApply(tClient *c, json_t *ev) {
    const char *cat = json_string_value(json_object_get(ev, "cat"));
    json_t *args = json_object_get(ev, "args");
    json_t *data = json_object_get(args, "data");
    char *d = NULL;
    size_t n = 0, j;

    if (data) n = tDecode(data, &d);
    if (!strcmp(cat, "read")) {
        tCat(&c->qb, d, n);
    } else if (!strcmp(cat, "trim")) {
        memmove(c->qb.p, c->qb.p + n, c->qb.n - n);
        c->qb.n -= n;
    } else if (!strcmp(cat, "big-arg")) {
        c->qb.n = 0;
    } else if (!strcmp(cat, "buf-append")) {
        tCat(&c->buf, d, n);
    } else if (!strcmp(cat, "block-new")) {
        c->blk[c->nblk].p = NULL;
        c->blk[c->nblk].n = 0;
        c->ph[c->nblk] = 0;
        tCat(&c->blk[c->nblk++], d, n);
    } else if (!strcmp(cat, "block-fill")) {
        tCat(&c->blk[c->nblk - 1], d, n);
    } else if (!strcmp(cat, "deferred-add")) {
        c->blk[c->nblk].p = NULL;
        c->blk[c->nblk].n = 0;
        c->ph[c->nblk++] = 1;
    } else if (!strcmp(cat, "deferred-set")) {
        size_t i = c->nblk;

        while (i > 0 && !c->ph[i - 1]) i--;
        i--;
        if (!strcmp(json_string_value(json_object_get(args, "into")),
                    "new-block")) {
            c->ph[i] = 0;
            tCat(&c->blk[i], d, n);
        } else {
            tBytes nb = { NULL, 0 };

            tCat(&nb, d, n);
            tCat(&nb, c->blk[i + 1].p ? c->blk[i + 1].p : "", c->blk[i + 1].n);
            free(c->blk[i + 1].p);
            c->blk[i + 1] = nb;
            free(c->blk[i].p);
            for (j = i; j + 1 < c->nblk; j++) {
                c->blk[j] = c->blk[j + 1];
                c->ph[j] = c->ph[j + 1];
            }
            c->nblk--;
        }
    } else if (!strcmp(cat, "write")) {
        c->sent += n;
        if (c->buf.n && c->sent == c->buf.n) {
            c->buf.n = 0;
            c->sent = 0;
        }
    } else if (!strcmp(cat, "block-sent")) {
        free(c->blk[0].p);
        for (j = 0; j + 1 < c->nblk; j++) {
            c->blk[j] = c->blk[j + 1];
            c->ph[j] = c->ph[j + 1];
        }
        c->nblk--;
        c->sent = 0;
    } else if (!strcmp(cat, "emptied")) {
        c->sent = 0;
    }
    free(d);
}

/**
 * @brief Compare the viewer's buffers with a snapshot.
 * @param b    The viewer's.
 * @param s    The test's.
 * @param what For the failure message.
 */
static void tCompare(const mvBuffers *b, const tClient *s, const char *what) {
    size_t j;

    ck_assert_msg(b->qlen == s->qb.n, "%s: qlen %zu, want %zu", what, b->qlen,
                  s->qb.n);
    ck_assert_msg(s->qb.n == 0 || !memcmp(b->querybuf, s->qb.p, s->qb.n),
                  "%s: querybuf bytes differ", what);
    ck_assert_msg(b->bufpos == s->buf.n, "%s: bufpos %zu, want %zu", what,
                  b->bufpos, s->buf.n);
    ck_assert_msg(s->buf.n == 0 || !memcmp(b->buf, s->buf.p, s->buf.n),
                  "%s: buf bytes differ", what);
    ck_assert_msg(b->sentlen == s->sent, "%s: sentlen %zu, want %zu", what,
                  b->sentlen, s->sent);
    ck_assert_msg(b->nblocks == s->nblk, "%s: %zu blocks, want %zu", what,
                  b->nblocks, s->nblk);
    for (j = 0; j < s->nblk; j++) {
        ck_assert_msg(b->blocks[j].used == s->blk[j].n &&
                      b->blocks[j].placeholder == s->ph[j] &&
                      (s->blk[j].n == 0 ||
                       !memcmp(b->blocks[j].bytes, s->blk[j].p, s->blk[j].n)),
                      "%s: block %zu differs", what, j);
    }
    ck_assert_msg(b->exact == 1 && b->note[0] == '\0', "%s: exact %d note %s",
                  what, b->exact, b->note);
}

/** Expected state of every (step, client): snaps[step * nclients + k]. */
typedef struct tExpect {
    size_t nsteps;      /**< Steps. */
    size_t nclients;    /**< Clients. */
    uint64_t ids[T_MAXC]; /**< Their ids. */
    tSnap *snaps;       /**< The snapshots. */
} tExpect;

/**
 * @brief Replay a whole trace forwards, snapshotting every client at
 *        every step (trim steps too: after the cut, as their "c" is).
 * @param path The trace.
 * @param x    Filled.
 */
static void tReplay(const char *path, tExpect *x) {
    FILE *fp = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, step = 0, k, total = 0;
    ssize_t n;
    tClient cl[T_MAXC];

    ck_assert_ptr_nonnull(fp);
    memset(x, 0, sizeof(*x));
    memset(cl, 0, sizeof(cl));
    /* First pass: count steps and collect client ids. */
    while ((n = getline(&line, &cap, fp)) > 0) {
        json_t *ev = json_loads(line, JSON_ALLOW_NUL, NULL);
        uint64_t tid;

        total++;
        if (total == 1) {
            json_decref(ev);
            continue;
        }
        tid = json_integer_value(json_object_get(ev, "tid"));
        for (k = 0; tid && k < x->nclients && x->ids[k] != tid; k++)
            ;
        if (tid && k == x->nclients) x->ids[x->nclients++] = tid;
        json_decref(ev);
    }
    x->nsteps = total - 1;
    x->snaps = calloc(x->nsteps * x->nclients + 1, sizeof(tSnap));
    rewind(fp);
    getline(&line, &cap, fp); /* header */
    while ((n = getline(&line, &cap, fp)) > 0) {
        json_t *ev = json_loads(line, JSON_ALLOW_NUL, NULL);
        uint64_t tid = json_integer_value(json_object_get(ev, "tid"));

        /* Every step, trim included, is snapshotted after it is applied:
         * a trim's "c" is the state after its cut. */
        for (k = 0; k < x->nclients; k++) {
            if (x->ids[k] == tid) {
                cl[k].id = tid;
                tApply(&cl[k], ev);
            }
        }
        for (k = 0; k < x->nclients; k++) {
            tSnap *s = &x->snaps[step * x->nclients + k];

            if (cl[k].id == 0) continue;
            tCopy(&s->c, &cl[k]);
            s->valid = 1;
        }
        json_decref(ev);
        step++;
    }
    for (k = 0; k < x->nclients; k++) tFree(&cl[k]);
    free(line);
    fclose(fp);
}

/**
 * @brief Free the snapshots.
 * @param x The expectations.
 */
static void tExpectFree(tExpect *x) {
    size_t i;

    for (i = 0; i < x->nsteps * x->nclients; i++)
        if (x->snaps[i].valid) tFree(&x->snaps[i].c);
    free(x->snaps);
}

/**
 * @brief Check one (step, client) of a trace.
 * @param t    The viewer's trace.
 * @param x    The expectations.
 * @param step The step.
 * @param k    The client's index in x.
 * @param path For messages.
 */
static void tCheckAt(mvTrace *t, tExpect *x, size_t step, size_t k,
                     const char *path) {
    mvBuffers b;
    char what[512];
    tSnap *s = &x->snaps[step * x->nclients + k];

    if (!s->valid) return;
    snprintf(what, sizeof(what), "%s step %zu client %llu", path, step,
             (unsigned long long)x->ids[k]);
    ck_assert_msg(mvBuffersAt(t, x->ids[k], step, &b) == 0, "%s: %s", what,
                  b.note);
    tCompare(&b, &s->c, what);
    mvBuffersFree(&b);
}

/* ======================== Golden traces ======================== */

/**
 * @brief Every golden trace: every step and client, forwards, then
 *        backwards, then in a scrambled order; all must match the test's
 *        own forward replay, and check_model's mirror must agree (no note).
 */
START_TEST(test_golden_reconstruction) {
    glob_t g;
    size_t gi;

    ck_assert_int_eq(glob("tests/golden/*.jsonl", 0, NULL, &g), 0);
    ck_assert_uint_ge(g.gl_pathc, 10);
    for (gi = 0; gi < g.gl_pathc; gi++) {
        char err[512];
        mvTrace *t = mvOpen(g.gl_pathv[gi], 0, NULL, NULL, err, sizeof(err));
        tExpect x;
        size_t s, k, i;

        ck_assert_msg(t != NULL, "%s", err);
        tReplay(g.gl_pathv[gi], &x);
        ck_assert_uint_eq(mvEventCount(t), x.nsteps);
        ck_assert_uint_eq(mvClientCount(t), x.nclients);
        ck_assert_int_eq(mvHasFooter(t), 1);
        for (s = 0; s < x.nsteps; s++)
            for (k = 0; k < x.nclients; k++) tCheckAt(t, &x, s, k, g.gl_pathv[gi]);
        for (s = x.nsteps; s-- > 0;)
            for (k = 0; k < x.nclients; k++) tCheckAt(t, &x, s, k, g.gl_pathv[gi]);
        /* A fixed scramble: 7919 is prime, so i * 7919 mod n visits all. */
        for (i = 0; i < x.nsteps; i++)
            for (k = 0; k < x.nclients; k++)
                tCheckAt(t, &x, (i * 7919) % x.nsteps, k, g.gl_pathv[gi]);
        /* No rule of check is broken in a golden trace. */
        {
            char msg[512];

            ck_assert_msg(mvFindViolation(t, MV_NONE, MV_FORWARD,
                                          MV_ANY_CLIENT, msg, sizeof(msg)) ==
                          MV_NONE, "%s: %s", g.gl_pathv[gi], msg);
            for (k = 0; k < x.nclients; k++)
                ck_assert_msg(mvFindViolation(t, MV_NONE, MV_FORWARD,
                                              x.ids[k], msg, sizeof(msg)) ==
                              MV_NONE, "%s: %s", g.gl_pathv[gi], msg);
        }
        tExpectFree(&x);
        mvClose(t);
    }
    globfree(&g);
}
END_TEST

/**
 * @brief The bytes a step itself read and appended are marked.
 */
START_TEST(test_highlight_ranges) {
    char err[512];
    mvTrace *t = mvOpen("tests/golden/01-set-get.jsonl", 0, NULL, NULL, err,
                        sizeof(err));
    size_t s, reads = 0, appends = 0;

    ck_assert_msg(t != NULL, "%s", err);
    for (s = 0; s < mvEventCount(t); s++) {
        mvEvent ev;
        mvBuffers b;

        ck_assert_int_eq(mvEventGet(t, s, &ev), 0);
        if (ev.tid && (!strcmp(ev.cat, "read") ||
                       !strcmp(ev.cat, "buf-append"))) {
            ck_assert_int_eq(mvBuffersAt(t, ev.tid, s, &b), 0);
            if (!strcmp(ev.cat, "read")) {
                /* The read's data is exactly the highlighted range. */
                ck_assert_uint_eq(b.new_len, ev.datalen);
                ck_assert_mem_eq(b.querybuf + b.new_off, ev.data, ev.datalen);
                reads++;
            } else {
                ck_assert_int_eq(b.app_where, MV_WHERE_BUF);
                ck_assert_uint_eq(b.app_len, ev.datalen);
                ck_assert_mem_eq(b.buf + b.app_off, ev.data, ev.datalen);
                appends++;
            }
            mvBuffersFree(&b);
        }
        mvEventFree(&ev);
    }
    ck_assert_uint_gt(reads, 0);
    ck_assert_uint_gt(appends, 0);
    mvClose(t);
}
END_TEST

/**
 * @brief Parsed events: names, src split, state, fields, changed bits.
 */
START_TEST(test_event_fields) {
    char err[512];
    mvTrace *t = mvOpen("tests/golden/01-set-get.jsonl", 0, NULL, NULL, err,
                        sizeof(err));
    mvEvent ev;
    size_t s;

    ck_assert_msg(t != NULL, "%s", err);
    ck_assert_int_eq(mvEventGet(t, 0, &ev), 0);
    ck_assert_str_eq(ev.name, "createClient");
    ck_assert_str_eq(ev.cat, "created");
    ck_assert_str_eq(ev.src_file, "networking.c");
    ck_assert_int_gt(ev.src_line, 0);
    ck_assert_int_eq(ev.has_state, 1);
    ck_assert_int_eq(ev.st.bulklen, -1);
    ck_assert_int_eq(ev.lineno, 2);
    mvEventFree(&ev);
    ck_assert_uint_eq(mvChangedFields(t, 0), MV_F_ALL);
    s = mvFindName(t, MV_NONE, MV_FORWARD, "READQUERY", MV_ANY_CLIENT);
    ck_assert_uint_ne(s, MV_NONE);
    ck_assert_int_eq(mvEventGet(t, s, &ev), 0);
    ck_assert_str_eq(ev.cat, "read");
    ck_assert_int_eq(ev.nfields, 2); /* readlen, nread */
    ck_assert_str_eq(ev.fields[0].key, "readlen");
    ck_assert_str_eq(ev.fields[0].value, "16384");
    ck_assert_int_eq(ev.has_data, 1);
    ck_assert(mvChangedFields(t, s) & MV_F_QLEN);
    mvEventFree(&ev);
    /* The previous readQueryFromClient before the one found is none. */
    ck_assert_uint_eq(mvFindName(t, s, MV_BACKWARD, "readquery",
                                 MV_ANY_CLIENT), MV_NONE);
    /* qb_pos first changes after the read, when parsing consumes. */
    {
        size_t c = mvFindChange(t, 3, s, MV_FORWARD, MV_WATCH_QB_POS);
        mvEvent a;

        ck_assert_uint_ne(c, MV_NONE);
        ck_assert_int_eq(mvEventGet(t, c, &a), 0);
        ck_assert_int_gt(a.st.qb_pos, 0);
        ck_assert(mvChangedFields(t, c) & MV_F_QB_POS);
        mvEventFree(&a);
        ck_assert_uint_eq(mvFindChange(t, 3, c, MV_BACKWARD, MV_WATCH_QB_POS),
                          mvFindChange(t, 3, c - 1, MV_BACKWARD,
                                       MV_WATCH_QB_POS));
    }
    ck_assert_uint_eq(mvStepOfTs(t, 5), 4);
    ck_assert_int_eq(mvTsOf(t, 4), 5);
    mvClose(t);
}
END_TEST

/* ======================== A long busy client ======================== */

/**
 * @brief Write a trace where client 1 reads one byte per event and never
 *        parses: querybuf is never empty, so only checkpoints and the
 *        cursor keep steps fast.
 * @param path Where.
 * @param n    Reads.
 */
static void writeLongTrace(const char *path, size_t n) {
    FILE *fp = fopen(path, "w");
    size_t i;
    const char *st = "\"qb_pos\":0,\"querybuf_peak\":0,\"reqtype\":0,"
                     "\"multibulklen\":0,\"bulklen\":-1,\"argc\":0,\"argv\":[],"
                     "\"bufpos\":0,\"sentlen\":0,\"reply\":[],\"reply_bytes\":0,"
                     "\"flags\":[],\"db\":0,\"mstime\":0";

    fprintf(fp, "{\"tid\":0,\"ts\":0,\"pid\":1,\"ph\":\"M\",\"s\":\"t\","
            "\"name\":\"process_name\",\"cat\":\"header\",\"args\":"
            "{\"schema\":1}}\n");
    fprintf(fp, "{\"tid\":1,\"ts\":1,\"pid\":1,\"ph\":\"i\",\"s\":\"t\","
            "\"name\":\"createClient\",\"cat\":\"created\",\"args\":{\"src\":"
            "\"networking.c:1\",\"fd\":7,\"wall_us\":0,\"c\":{\"qlen\":0,%s}}}\n",
            st);
    for (i = 1; i <= n; i++)
        fprintf(fp, "{\"tid\":1,\"ts\":%zu,\"pid\":1,\"ph\":\"i\",\"s\":\"t\","
                "\"name\":\"readQueryFromClient\",\"cat\":\"read\",\"args\":"
                "{\"src\":\"networking.c:2\",\"fd\":7,\"wall_us\":0,\"c\":"
                "{\"qlen\":%zu,%s},\"readlen\":16384,\"nread\":1,\"data\":"
                "\"%c\"}}\n", i + 1, i, st, (char)('a' + i % 26));
    fclose(fp);
}

/**
 * @brief 5000 one-byte reads: any step, forwards, backwards, jumps.
 */
START_TEST(test_long_busy_client) {
    char path[] = "/tmp/test_viewer_longXXXXXX", err[512];
    int fd = mkstemp(path);
    mvTrace *t;
    size_t steps[] = { 4999, 0, 2500, 2499, 2501, 4000, 1, 3333, 4999, 100 };
    size_t i, j;

    ck_assert_int_ge(fd, 0);
    close(fd);
    writeLongTrace(path, 5000);
    t = mvOpen(path, 0, NULL, NULL, err, sizeof(err));
    ck_assert_msg(t != NULL, "%s", err);
    ck_assert_uint_eq(mvEventCount(t), 5001);
    ck_assert_int_eq(mvHasFooter(t), 0);
    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        mvBuffers b;

        ck_assert_int_eq(mvBuffersAt(t, 1, steps[i], &b), 0);
        ck_assert_uint_eq(b.qlen, steps[i]);
        for (j = 0; j < b.qlen; j++)
            ck_assert_int_eq(b.querybuf[j], 'a' + (j + 1) % 26);
        ck_assert_str_eq(b.note, "");
        mvBuffersFree(&b);
    }
    /* Step backwards one at a time over a checkpoint boundary. */
    for (i = 1100; i > 1000; i--) {
        mvBuffers b;

        ck_assert_int_eq(mvBuffersAt(t, 1, i, &b), 0);
        ck_assert_uint_eq(b.qlen, i);
        mvBuffersFree(&b);
    }
    mvClose(t);
    unlink(path);
}
END_TEST

/* ======================== Bad input ======================== */

/**
 * @brief Write a file with given content.
 * @param path Its name (a mkstemp template, filled in).
 * @param text Content.
 */
static void writeFile(char *path, const char *text) {
    int fd = mkstemp(path);
    FILE *fp;

    ck_assert_int_ge(fd, 0);
    fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
}

/**
 * @brief Read a golden trace into memory.
 * @param path The file.
 * @return Its text (malloc'ed).
 */
static char *slurp(const char *path) {
    FILE *fp = fopen(path, "r");
    long n;
    char *s;

    ck_assert_ptr_nonnull(fp);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    rewind(fp);
    s = malloc((size_t)n + 1);
    ck_assert_int_eq(fread(s, 1, (size_t)n, fp), n);
    s[n] = '\0';
    fclose(fp);
    return s;
}

/**
 * @brief Not JSON, an empty file, a newer schema: refused with a clear
 *        message.
 */
START_TEST(test_refused_files) {
    char p1[] = "/tmp/tvm_notjsonXXXXXX", p2[] = "/tmp/tvm_emptyXXXXXX",
         p3[] = "/tmp/tvm_schemaXXXXXX", p4[] = "/tmp/tvm_nlXXXXXX", err[512];

    writeFile(p1, "hello, world\nsecond line\n");
    ck_assert_ptr_null(mvOpen(p1, 0, NULL, NULL, err, sizeof(err)));
    ck_assert_msg(strstr(err, ":1: not a minired trace"), "%s", err);
    writeFile(p2, "");
    ck_assert_ptr_null(mvOpen(p2, 0, NULL, NULL, err, sizeof(err)));
    ck_assert_msg(strstr(err, "empty trace"), "%s", err);
    writeFile(p3, "{\"tid\":0,\"ts\":0,\"pid\":1,\"ph\":\"M\",\"s\":\"t\","
              "\"name\":\"process_name\",\"cat\":\"header\",\"args\":"
              "{\"schema\":2}}\n");
    ck_assert_ptr_null(mvOpen(p3, 0, NULL, NULL, err, sizeof(err)));
    ck_assert_msg(strstr(err, "schema 2 is newer"), "%s", err);
    writeFile(p4, "{\"tid\":0");
    ck_assert_ptr_null(mvOpen(p4, 0, NULL, NULL, err, sizeof(err)));
    ck_assert_msg(strstr(err, "incomplete"), "%s", err);
    ck_assert_ptr_null(mvOpen("/nonexistent/x.jsonl", 0, NULL, NULL, err,
                              sizeof(err)));
    ck_assert_msg(strstr(err, "No such file"), "%s", err);
    unlink(p1);
    unlink(p2);
    unlink(p3);
    unlink(p4);
}
END_TEST

/**
 * @brief A cut last line is ignored with a warning; a line with a broken
 *        prefix is skipped with its line number; a line with a good
 *        prefix but broken JSON is reported when looked at.
 */
START_TEST(test_damaged_lines) {
    char *gold = slurp("tests/golden/01-set-get.jsonl"), *txt, err[512];
    char p1[] = "/tmp/tvm_cutXXXXXX", p2[] = "/tmp/tvm_badXXXXXX";
    size_t n = strlen(gold), lines = 0, i;
    mvTrace *t;
    mvEvent ev;
    mvBuffers b;
    char *third;

    for (i = 0; i < n; i++) lines += gold[i] == '\n';
    txt = malloc(n + 64);
    /* Cut: the golden, plus half a line. */
    snprintf(txt, n + 64, "%s{\"tid\":1,\"ts\":99,\"pid\"", gold);
    writeFile(p1, txt);
    t = mvOpen(p1, 0, NULL, NULL, err, sizeof(err));
    ck_assert_msg(t != NULL, "%s", err);
    ck_assert_uint_eq(mvEventCount(t), lines - 1);
    ck_assert_uint_eq(mvWarningCount(t), 1);
    ck_assert_msg(strstr(mvWarning(t, 0), "is incomplete"), "%s",
                  mvWarning(t, 0));
    mvClose(t);
    /* Line 3 replaced by garbage, line 4's JSON broken after its prefix. */
    third = strchr(strchr(gold, '\n') + 1, '\n') + 1;
    {
        char *fourth = strchr(third, '\n') + 1, *fifth = strchr(fourth, '\n') + 1;

        txt = realloc(txt, n + 64);
        snprintf(txt, n + 64, "%.*sGARBAGE\n%.*s,,}\n%s",
                 (int)(third - gold), gold, 20, fourth, fifth);
    }
    writeFile(p2, txt);
    t = mvOpen(p2, 0, NULL, NULL, err, sizeof(err));
    ck_assert_msg(t != NULL, "%s", err);
    ck_assert_uint_eq(mvSkippedCount(t), 1);
    ck_assert_msg(strstr(mvWarning(t, 0), ":3: malformed line"), "%s",
                  mvWarning(t, 0));
    ck_assert_uint_eq(mvEventCount(t), lines - 2);
    ck_assert_int_eq(mvLineOf(t, 1), 4);  /* line 3 is not a step */
    ck_assert_int_eq(mvEventGet(t, 1, &ev), -1);
    ck_assert_msg(strstr(ev.error, ":4: malformed line"), "%s", ev.error);
    mvEventFree(&ev);
    ck_assert_int_eq(mvEventGet(t, 2, &ev), 0);
    mvEventFree(&ev);
    /* The buffers survive: never a crash, at worst a note. */
    for (i = 0; i < mvEventCount(t); i++) {
        mvBuffersAt(t, 1, i, &b);
        mvBuffersFree(&b);
    }
    mvClose(t);
    unlink(p1);
    unlink(p2);
    free(txt);
    free(gold);
}
END_TEST

/**
 * @brief Follow mode: an empty file opens; lines appended later (header
 *        included, the last one half written) are indexed by mvRefresh.
 */
START_TEST(test_follow) {
    char *gold = slurp("tests/golden/01-set-get.jsonl"), err[512];
    char path[] = "/tmp/tvm_followXXXXXX";
    mvTrace *t;
    FILE *fp;
    size_t added, n = strlen(gold), half = n / 2;

    writeFile(path, "");
    t = mvOpen(path, MV_OPEN_FOLLOW, NULL, NULL, err, sizeof(err));
    ck_assert_msg(t != NULL, "%s", err);
    ck_assert_int_eq(mvGetHeader(t)->ready, 0);
    ck_assert_int_eq(mvRefresh(t, &added, err, sizeof(err)), 0);
    ck_assert_uint_eq(added, 0);
    fp = fopen(path, "a");
    fwrite(gold, 1, half, fp); /* up to the middle of some line */
    fclose(fp);
    ck_assert_int_eq(mvRefresh(t, &added, err, sizeof(err)), 0);
    ck_assert_int_eq(mvGetHeader(t)->ready, 1);
    ck_assert_uint_gt(added, 0);
    ck_assert_int_eq(mvHasFooter(t), 0);
    fp = fopen(path, "a");
    fwrite(gold + half, 1, n - half, fp);
    fclose(fp);
    ck_assert_int_eq(mvRefresh(t, &added, err, sizeof(err)), 0);
    ck_assert_int_eq(mvHasFooter(t), 1);
    ck_assert_uint_eq(mvWarningCount(t), 0);
    /* A shrunk file is a new trace: refused until reopened. */
    ck_assert_int_eq(truncate(path, 10), 0);
    ck_assert_int_eq(mvRefresh(t, &added, err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, "shrank"), "%s", err);
    mvClose(t);
    unlink(path);
    free(gold);
}
END_TEST

/**
 * @brief A broken byte story is found by the violation search, with
 *        check's message.
 */
START_TEST(test_violation_found) {
    char *gold = slurp("tests/golden/01-set-get.jsonl"), err[512], msg[512];
    char path[] = "/tmp/tvm_vioXXXXXX";
    char *p = strstr(gold, "\"cat\":\"write\"");
    mvTrace *t;
    size_t s;

    ck_assert_ptr_nonnull(p);
    /* Change the first written byte: "+OK" becomes "#OK" on the wire. */
    p = strstr(p, "\"data\":\"") + 8;
    *p = '#';
    writeFile(path, gold);
    t = mvOpen(path, 0, NULL, NULL, err, sizeof(err));
    ck_assert_msg(t != NULL, "%s", err);
    ck_assert_uint_eq(mvFindViolation(t, MV_NONE, MV_FORWARD, MV_ANY_CLIENT,
                                      msg, sizeof(msg)), MV_NONE);
    s = mvFindViolation(t, MV_NONE, MV_FORWARD, 3, msg, sizeof(msg)); /* client 3: A */
    ck_assert_uint_ne(s, MV_NONE);
    ck_assert_msg(strstr(msg, "write data does not match"), "%s", msg);
    mvClose(t);
    unlink(path);
    free(gold);
}
END_TEST

/**
 * @brief The suite of this file.
 * @return A Suite with all viewer-model test cases.
 */
static Suite *viewer_suite(void) {
    Suite *s = suite_create("viewer_model");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_golden_reconstruction);
    tcase_add_test(tc, test_highlight_ranges);
    tcase_add_test(tc, test_event_fields);
    tcase_add_test(tc, test_long_busy_client);
    tcase_add_test(tc, test_refused_files);
    tcase_add_test(tc, test_damaged_lines);
    tcase_add_test(tc, test_follow);
    tcase_add_test(tc, test_violation_found);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the suite.
 * @return 0 when every test passed.
 */
int main(void) {
    SRunner *sr = srunner_create(viewer_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
