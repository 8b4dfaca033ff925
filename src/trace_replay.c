/**
 * @file trace_replay.c
 * @brief The trace engine: a reader for our own JSON Lines traces, the
 *        replay driver, and the scenario (.scn) parser and runner.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * It replaces the kernel and the event loop. A recorded trace says, in
 * order, what the outside world did: a connection arrived ("created" /
 * "accepted"), bytes arrived ("read"), the loop was about to sleep
 * ("before-sleep"), a socket became writable ("writable"), the cron acted
 * ("cron"), time moved ("clock"). Those are the *driver steps*. The engine
 * re-issues each one by calling the same function the event loop called,
 * and everything the pipeline does in between (parsing, replies, writes)
 * emits its own events again. The fake I/O hooks answer from the recorded
 * events: a read returns the recorded bytes, a write accepts exactly the
 * recorded number of bytes. Since the output is identical up to the
 * current point, the event the pipeline is about to emit has the same ts
 * as the input event that describes it: that is how a hook finds "its"
 * event (input[traceEventCount()]).
 *
 * A scenario is a script (tests/scenarios/README.md) that the same engine
 * turns into driver steps, with the hooks answering from per-client
 * queues instead of a recording.
 *
 * What flows in: a trace or a scenario. What flows out: a trace on the
 * given stream, and 0 or an error message on stderr.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's networking.c (readQueryFromClient(), writeToClient()):
 * Has no replay; this file is minired's.
 */

#include "server.h"
#include "trace_replay.h"

#include <ctype.h>
#include <sys/stat.h>

/** One input event: the raw line and the spans of the keys we read. */
typedef struct inEvent {
    char *line;                /**< The line, NUL-terminated, no '\n'. */
    size_t len;                /**< Its length. */
    int lineno;                /**< 1-based line number in the file. */
    unsigned long long tid;    /**< "tid". */
    unsigned long long ts;     /**< "ts". */
    char name[48];             /**< "name" (the C function). */
    char cat[24];              /**< "cat" (the step). */
    const char *args;          /**< Start of the "args" object. */
} inEvent;

/** What a fake client of a scenario has queued and how it behaves. */
typedef struct scnClient {
    char name[32];             /**< The script's name for it ("A"). */
    uint64_t id;               /**< Its client id. */
    sds queue;                 /**< Bytes sent by the peer, not yet read. */
    int reads[16];             /**< Chunk sizes, used as a cycle; 0 = all. */
    int nreads;                /**< How many in reads[]. */
    int readidx;               /**< Next chunk size to use. */
    long writelimit;           /**< Bytes per write, -1 unlimited. */
    int full;                  /**< A short write happened: EAGAIN now. */
    int closed;                /**< The peer closed: reads end with 0. */
} scnClient;

static inEvent *evs = NULL;    /**< The input trace (replay mode). */
static size_t nevs = 0;        /**< Events in evs. */
static const char *in_name = ""; /**< Input path, for messages. */
static int replay_failed = 0;  /**< A hook found a divergence. */
static scnClient *scs = NULL;  /**< Scenario clients. */
static int nscs = 0;           /**< How many. */

/* ======================== A small JSON reader ======================== */

/**
 * @brief Skip one JSON value.
 * @param p Start of the value.
 * @return The first byte after it, or NULL when the text is cut or bad.
 *
 * Called by: argFind(), keyFind(), loadTrace().
 */
static const char *skipValue(const char *p) {
    int depth = 0;

    do {
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1]) p++;
            if (*p != '"') return NULL;
            p++;
        } else if (*p == '{' || *p == '[') {
            depth++;
            p++;
        } else if (*p == '}' || *p == ']') {
            depth--;
            p++;
        } else if (*p == ',' || *p == ':') {
            p++;
        } else if (*p == '\0') {
            return NULL;
        } else {
            while (*p && *p != ',' && *p != '}' && *p != ']') p++;
        }
    } while (depth > 0);
    return p;
}

/**
 * @brief Find the value of @p key among the members of the object at @p obj.
 * @param obj Points at '{'.
 * @param key The key, without quotes.
 * @return Start of its value, or NULL.
 *
 * Called by: argFind(), loadTrace(), applyHeader().
 */
static const char *keyFind(const char *obj, const char *key) {
    size_t klen = strlen(key);
    const char *p;

    if (obj == NULL || *obj != '{') return NULL;
    p = obj + 1;
    while (*p == '"') {
        const char *k = p + 1, *v;

        p = skipValue(p);
        if (p == NULL || *p != ':') return NULL;
        v = p + 1;
        if ((size_t)(p - 1 - k) == klen && !memcmp(k, key, klen)) return v;
        p = skipValue(v);
        if (p == NULL) return NULL;
        if (*p == ',') p++;
    }
    return NULL;
}

/**
 * @brief Value of an "args" member of an event.
 * @param e   The event.
 * @param key The member's name.
 * @return Start of the value, or NULL.
 *
 * Called by: the replay driver and hooks.
 */
static const char *argFind(inEvent *e, const char *key) {
    return keyFind(e->args, key);
}

/**
 * @brief A number member of an event's args (0 when missing).
 * @param e   The event.
 * @param key The member's name.
 * @return Its value.
 *
 * Called by: the replay driver and hooks.
 */
static long long argNum(inEvent *e, const char *key) {
    const char *v = argFind(e, key);

    return v ? strtoll(v, NULL, 10) : 0;
}

/**
 * @brief Decode a JSON string of our format back to bytes (each code point
 *        is one byte).
 * @param v   Points at the opening '"'.
 * @param out Receives a new sds (the caller frees it).
 * @return C_OK, or C_ERR for a bad string.
 *
 * Called by: the replay hooks, applyHeader(), the driver.
 */
static int decodeString(const char *v, sds *out) {
    sds s = sdsempty();

    if (v == NULL || *v != '"') {
        sdsfree(s);
        return C_ERR;
    }
    for (v++; *v && *v != '"'; v++) {
        char ch = *v;

        if (ch == '\\') {
            v++;
            switch (*v) {
            case 'u': {
                char hex[5] = {0};

                memcpy(hex, v + 1, 4);
                if (strlen(hex) != 4) goto bad;
                ch = (char)strtol(hex, NULL, 16);
                v += 4;
                break;
            }
            case 'n': ch = '\n'; break;
            case 'r': ch = '\r'; break;
            case 't': ch = '\t'; break;
            case '\0': goto bad;
            default: ch = *v; break; /* \" \\ \/ */
            }
        }
        s = sdscatlen(s, &ch, 1);
    }
    if (*v != '"') goto bad;
    *out = s;
    return C_OK;
bad:
    sdsfree(s);
    return C_ERR;
}

/**
 * @brief Copy a short string member (name, cat) into a fixed buffer.
 * @param v   Points at the opening '"'.
 * @param dst Destination.
 * @param cap Its size.
 * @return C_OK, or C_ERR when missing or too long.
 *
 * Called by: loadTrace().
 */
static int copyShort(const char *v, char *dst, size_t cap) {
    const char *end;

    if (v == NULL || *v != '"') return C_ERR;
    end = strchr(v + 1, '"');
    if (end == NULL || (size_t)(end - v - 1) >= cap) return C_ERR;
    memcpy(dst, v + 1, end - v - 1);
    dst[end - v - 1] = '\0';
    return C_OK;
}

/**
 * @brief Read a trace file into evs[]. A cut last line (a crash) is
 *        dropped with a notice; a bad line elsewhere is an error.
 * @param path The trace.
 * @return C_OK, or C_ERR after a message "FILE:LINE: ..." on stderr.
 *
 * Called by: traceReplayFile().
 */
static int loadTrace(const char *path) {
    FILE *fp = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lineno = 0;

    if (fp == NULL) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return C_ERR;
    }
    while ((n = getline(&line, &cap, fp)) != -1) {
        inEvent e;
        int whole = n > 0 && line[n - 1] == '\n';
        const char *v;

        lineno++;
        if (whole) line[--n] = '\0';
        memset(&e, 0, sizeof(e));
        e.line = zmalloc(n + 1);
        memcpy(e.line, line, n + 1);
        e.len = n;
        e.lineno = lineno;
        v = keyFind(e.line, "tid");
        e.tid = v ? strtoull(v, NULL, 10) : 0;
        v = keyFind(e.line, "ts");
        e.ts = v ? strtoull(v, NULL, 10) : 0;
        e.args = keyFind(e.line, "args");
        if (v == NULL || e.args == NULL || skipValue(e.line) == NULL ||
            copyShort(keyFind(e.line, "name"), e.name, sizeof(e.name)) ||
            copyShort(keyFind(e.line, "cat"), e.cat, sizeof(e.cat))) {
            zfree(e.line);
            /* A line without its '\n' at the end is a trace cut by a
             * crash: everything before it is still good. */
            if (!whole && getc(fp) == EOF) {
                fprintf(stderr, "%s:%d: cut last line ignored\n", path, lineno);
                break;
            }
            fprintf(stderr, "%s:%d: not a schema 1 trace event\n", path, lineno);
            goto err;
        }
        if (e.ts != nevs) {
            fprintf(stderr, "%s:%d: ts %llu, expected %zu\n", path, lineno,
                    e.ts, nevs);
            zfree(e.line);
            goto err;
        }
        /* Capacity doubles at 1, 2, 4, 8... events: a 400,000-line trace
         * costs ~19 reallocs, not 400,000 (each a full copy under ASan). */
        if ((nevs & (nevs - 1)) == 0)
            evs = zrealloc(evs, sizeof(inEvent) * (nevs ? 2 * nevs : 1));
        evs[nevs++] = e;
    }
    free(line);
    fclose(fp);
    if (nevs == 0 || strcmp(evs[0].cat, "header")) {
        fprintf(stderr, "%s:1: the first line is not a trace header\n", path);
        return C_ERR;
    }
    return C_OK;
err:
    free(line);
    fclose(fp);
    return C_ERR;
}

/* ======================== Shared engine parts ======================== */


/**
 * @brief Accept a fake connection through the real accept path.
 *
 * acceptCommonHandler() runs with server.fake_io.accepting set, so
 * createClient() keeps the fd number without touching it, and the
 * maxclients / protected-mode checks and their refusals happen as live.
 *
 * @param id   Client id to give it.
 * @param fd   fd number to record.
 * @param ip   Peer address, NULL for a unix socket client.
 * @param port Peer port.
 * @return The client, or NULL when it was refused.
 *
 * Called by: replayStep() ("created"), runScenarioLine() ("client").
 */
static client *fakeAccept(uint64_t id, int fd, const char *ip, int port) {
    client *c;
    char peer[NET_PEER_ID_LEN];

    server.next_client_id = id;
    server.fake_io.accepting = 1;
    acceptCommonHandler(fd, ip ? 0 : CLIENT_UNIX_SOCKET, (char *)ip, port);
    server.fake_io.accepting = 0;
    if ((c = lookupClientByID(id)) == NULL) return NULL;
    /* CLIENT LIST's addr= as anetFormatPeer() would print it. */
    if (ip == NULL)
        snprintf(peer, sizeof(peer), "%s:0",
                 server.unixsocket ? server.unixsocket : "");
    else if (strchr(ip, ':'))
        snprintf(peer, sizeof(peer), "[%s]:%d", ip, port);
    else
        snprintf(peer, sizeof(peer), "%s:%d", ip, port);
    c->peerid = sdsnew(peer);
    return c;
}

/* ======================== Replay ======================== */

/**
 * @brief The input event the pipeline is about to emit, if it matches.
 * @param c    The client (NULL: any tid).
 * @param name The expected function name.
 * @return The event at index traceEventCount(), or NULL (divergence
 *         reported on stderr once).
 *
 * Called by: the fake I/O hooks.
 */
static inEvent *expectNext(client *c, const char *name) {
    unsigned long long i = traceEventCount();
    inEvent *e = i < nevs ? &evs[i] : NULL;

    if (e && !strcmp(e->name, name) && (!c || e->tid == c->id)) return e;
    if (!replay_failed)
        fprintf(stderr, "%s:%d: replay diverged at ts %llu: the pipeline "
                "called %s for client %llu, the trace has %s/%s\n", in_name,
                e ? e->lineno : (int)nevs, i, name,
                c ? (unsigned long long)c->id : 0ULL,
                e ? e->name : "(end)", e ? e->cat : "");
    replay_failed = 1;
    return NULL;
}

/* ANCHOR: trace-replay-hooks */
/**
 * @brief server.fake_io.read in replay mode: hand over what was read live.
 * @param c   The client being read.
 * @param buf Where to put the bytes.
 * @param len Room in buf (readQueryFromClient's readlen).
 * @return Bytes, 0 for "eof", -1 with errno for "eagain" / "error".
 *
 * Called by: clientRead() (networking.c).
 */
static ssize_t replayRead(client *c, void *buf, size_t len) {
    inEvent *e = expectNext(c, "readQueryFromClient");
    sds data;
    ssize_t n;

    if (e == NULL) {
        errno = EAGAIN;
        return -1;
    }
    if (!strcmp(e->cat, "eof")) return 0;
    if (!strcmp(e->cat, "error")) {
        errno = (int)argNum(e, "errno");
        return -1;
    }
    if (strcmp(e->cat, "read") || decodeString(argFind(e, "data"), &data)) {
        errno = EAGAIN;
        return -1;
    }
    n = sdslen(data);
    if ((size_t)n > len) {
        fprintf(stderr, "%s:%d: recorded read of %zd bytes, only %zu asked\n",
                in_name, e->lineno, n, len);
        replay_failed = 1;
        n = len;
    }
    memcpy(buf, data, n);
    sdsfree(data);
    return n;
}

/**
 * @brief server.fake_io.write in replay mode: take exactly what the socket
 *        took live.
 * @param c   The client being written to.
 * @param buf The bytes offered (unused: the recording has them).
 * @param len How many are offered.
 * @return The recorded nwritten, or -1 with errno for "eagain" / "error";
 *         @p len for a refusal message (its write result is not recorded).
 *
 * Called by: clientWrite() and clientWritev() (reply.c),
 * acceptCommonHandler() refusals.
 */
static ssize_t replayWrite(client *c, const void *buf, size_t len) {
    unsigned long long i = traceEventCount();
    inEvent *e = i < nevs ? &evs[i] : NULL;
    long long n;

    if (e && !strcmp(e->cat, "refused")) return len;
    /* Option writev-replies: one writev(2) is one offer too. */
    if (!(e && e->tid == c->id && !strcmp(e->name, "_writevToClient")) &&
        (e = expectNext(c, "writeToClient")) == NULL) {
        errno = EAGAIN;
        return -1;
    }
    if (!strcmp(e->cat, "eagain")) {
        errno = EAGAIN;
        return -1;
    }
    if (!strcmp(e->cat, "error")) {
        errno = (int)argNum(e, "errno");
        return -1;
    }
    n = argNum(e, "nwritten");
    if (n <= 0 || (size_t)n > len) {
        fprintf(stderr, "%s:%d: recorded write of %lld bytes, %zu offered\n",
                in_name, e->lineno, n, len);
        replay_failed = 1;
        n = len;
    }
    return n;
}
/* ANCHOR_END: trace-replay-hooks */

/**
 * @brief Called by updateCachedTime() while the clock is frozen: if the
 *        live server emitted a "clock" event at this point, apply it.
 *
 * Called by: updateCachedTime() (server.c) when server.clock_frozen.
 */
void traceClockFrozenTick(void) {
    unsigned long long i = traceEventCount();

    if (evs && i < nevs && !strcmp(evs[i].cat, "clock"))
        traceSetClock(argNum(&evs[i], "mstime"));
}

/**
 * @brief Set up the server a trace header describes: seed, clock, config.
 * @param h The header event.
 * @return C_OK, or C_ERR for a header this build cannot replay.
 *
 * Called by: traceReplayFile().
 */
static int applyHeader(inEvent *h) {
    const char *cfg = argFind(h, "config"), *v;
    uint8_t seed[16];
    sds hex;
    int j, port;

    if (argNum(h, "schema") != TRACE_SCHEMA ||
        decodeString(argFind(h, "hash_seed"), &hex) || sdslen(hex) != 32) {
        fprintf(stderr, "%s:1: not a schema 1 header with a hash_seed\n",
                in_name);
        return C_ERR;
    }
    for (j = 0; j < 16; j++) {
        char byte[3] = {hex[j * 2], hex[j * 2 + 1], 0};

        seed[j] = (uint8_t)strtol(byte, NULL, 16);
    }
    sdsfree(hex);
    /* Before initServerConfig(): the command table is a dict too. */
    dictSetHashFunctionSeed(seed);
    initServerConfig();
    /* The replayed trace goes to stdout: keep the server's log lines (a
     * replayed SHUTDOWN logs "User requested shutdown...") on stderr. */
    zfree(server.logfile);
    server.logfile = zstrdup("/dev/stderr");
    server.clock_frozen = 1;
    server.mstime = argNum(h, "start_mstime");
    server.unixtime = server.mstime / 1000;

    port = (v = keyFind(cfg, "port")) ? atoi(v) : 0;
    server.requirepass = ((v = keyFind(cfg, "requirepass")) && *v == 't') ?
                         zstrdup("(unknown: not in the trace)") : NULL;
    if ((v = keyFind(cfg, "maxclients"))) server.maxclients = atoi(v);
    if ((v = keyFind(cfg, "timeout"))) server.maxidletime = atoi(v);
    if ((v = keyFind(cfg, "protected_mode"))) server.protected_mode = *v == 't';
    if ((v = keyFind(cfg, "client_query_buffer_limit")))
        server.client_max_querybuf_len = strtoull(v, NULL, 10);
    if ((v = keyFind(cfg, "proto_max_bulk_len")))
        server.proto_max_bulk_len = strtoll(v, NULL, 10);
    if ((v = keyFind(cfg, "databases"))) server.dbnum = atoi(v);
    /* A replay allocates differently from the live server, so only a
     * limit that is always or never exceeded (maxmemory 1, or one far
     * above use) refuses the same commands again; see trace-format.md. */
    if ((v = keyFind(cfg, "maxmemory")))
        server.maxmemory = strtoull(v, NULL, 10);
    /* Option writev-replies: the replies went out by writev(2). */
    if ((v = keyFind(cfg, "writev_replies"))) server.writev_replies = *v == 't';
    server.port = 0;     /* no socket */
    initServer();
    server.port = port;  /* CONFIG GET port / INFO as live */
    return C_OK;
}

/* ANCHOR: trace-replay-driver */
/**
 * @brief Re-issue one driver step of the input.
 * @param e The step (input[traceEventCount()]).
 * @return C_OK, or C_ERR when the event is not a driver step here (the
 *         replayed pipeline did not emit it: a divergence).
 *
 * Called by: traceReplayFile().
 */
static int replayStep(inEvent *e) {
    client *c = e->tid ? lookupClientByID(e->tid) : NULL;
    const char *cat = e->cat;

    if (!strcmp(cat, "clock")) {
        traceSetClock(argNum(e, "mstime"));
    } else if (!strcmp(cat, "listening")) {
        sds path;

        /* No socket in a replay: copy the line, remember the path for
         * CLIENT LIST's addr= of unix socket clients. */
        if (decodeString(argFind(e, "unixsocket"), &path) == C_OK) {
            zfree(server.unixsocket);
            server.unixsocket = zstrdup(path);
            sdsfree(path);
        }
        traceEmitRawLine(e->line, e->len);
    } else if (!strcmp(cat, "created")) {
        /* The accept's details are in the "accepted" or "refused" event
         * that follows for this connection. */
        size_t j;
        sds ip = NULL;
        int port = 0;

        for (j = e->ts + 1; j < nevs; j++) {
            inEvent *a = &evs[j];

            if ((!strcmp(a->cat, "accepted") && a->tid == e->tid) ||
                (!strcmp(a->cat, "refused") && a->tid == 0 &&
                 argNum(a, "fd") == argNum(e, "fd"))) {
                if (decodeString(argFind(a, "ip"), &ip) != C_OK) ip = NULL;
                port = (int)argNum(a, "port");
                break;
            }
        }
        fakeAccept(e->tid, (int)argNum(e, "fd"), ip, port);
        sdsfree(ip);
    } else if (!strcmp(e->name, "readQueryFromClient") && c) {
        readQueryFromClient(server.el, c->fd, c, AE_READABLE);
    } else if (!strcmp(cat, "before-sleep")) {
        beforeSleep(server.el);
    } else if (!strcmp(cat, "writable") && c) {
        sendReplyToClient(server.el, c->fd, c, AE_WRITABLE);
    } else if (!strcmp(cat, "cron")) {
        const char *action = argFind(e, "action");

        c = lookupClientByID(argNum(e, "client"));
        if (action && !strncmp(action, "\"timeout\"", 9) && c)
            clientsCronHandleTimeout(c, argNum(e, "now_ms"));
        else if (action && !strncmp(action, "\"block-timeout\"", 15) && c)
            clientsCronHandleTimeout(c, argNum(e, "now_ms"));
        else if (action && !strncmp(action, "\"resize\"", 8) && c)
            clientsCronResizeQueryBuffer(c);
        else if (action && !strncmp(action, "\"free-async\"", 12))
            freeClientsInAsyncFreeQueue();
        else
            return C_ERR;
    } else if (!strcmp(cat, "unpause")) {
        /* A CLIENT PAUSE that ran out in serverCron (or its expire cycle),
         * outside any replayed step: end it the same way. */
        clientsArePaused();
    } else if (!strcmp(cat, "footer")) {
        const char *r = argFind(e, "reason");

        traceClose(r && !strncmp(r, "\"config\"", 8) ? "config" : "shutdown");
    } else {
        return C_ERR;
    }
    return C_OK;
}

/**
 * @brief Replay a recorded trace through the pipeline and write the new
 *        trace to @p out. It is identical to the input except "wall_us"
 *        and the fields whose name starts with "wall_".
 *
 * @param in_path The recorded trace.
 * @param out     Where the replayed trace goes.
 * @return 0 on success; non-zero after a message on stderr (unreadable
 *         input, or a divergence: the first differing ts and line).
 *
 * Called by: bin/minired-trace replay; the tests. The process must not
 * have initialised a server before (this calls initServerConfig() and
 * initServer() with port 0 itself).
 */
int traceReplayFile(const char *in_path, FILE *out) {
    in_name = in_path;
    if (loadTrace(in_path) == C_ERR) return 1;
    if (applyHeader(&evs[0]) == C_ERR) return 1;
    server.fake_io.read = replayRead;
    server.fake_io.write = replayWrite;
    traceOpenStream(out, 0);

    while (!replay_failed && server.trace_fp) {
        unsigned long long i = traceEventCount();

        if (i >= nevs) break; /* a trace cut short ends here too */
        if (replayStep(&evs[i]) == C_ERR || traceEventCount() == i) {
            fprintf(stderr, "%s:%d: replay diverged at ts %llu: %s/%s is "
                    "not what the replayed pipeline did next\n", in_name,
                    evs[i].lineno, i, evs[i].name, evs[i].cat);
            replay_failed = 1;
        }
    }
    /* trace.c gathers lines in its own buffer: write them to out. */
    traceFlush();
    server.trace_fp = NULL;
    return replay_failed ? 2 : 0;
}
/* ANCHOR_END: trace-replay-driver */

/* ======================== Scenarios ======================== */

/**
 * @brief The scenario client a pipeline client belongs to.
 * @param c The client.
 * @return Its scnClient, or NULL.
 *
 * Called by: the scenario hooks.
 */
static scnClient *scnOf(client *c) {
    int j;

    for (j = 0; j < nscs; j++)
        if (scs[j].id == c->id) return &scs[j];
    return NULL;
}

/**
 * @brief server.fake_io.read in scenario mode: the next chunk of the
 *        client's queue ("reads" sizes), 0 once closed and empty, else
 *        EAGAIN.
 * @param c   The client.
 * @param buf Destination.
 * @param len Room in it.
 * @return Bytes, 0, or -1 with errno EAGAIN.
 *
 * Called by: clientRead() (networking.c).
 */
static ssize_t scnRead(client *c, void *buf, size_t len) {
    scnClient *s = scnOf(c);
    size_t n;

    if (s == NULL || sdslen(s->queue) == 0) {
        if (s && s->closed) return 0;
        errno = EAGAIN;
        return -1;
    }
    n = sdslen(s->queue);
    if (s->nreads && s->reads[s->readidx % s->nreads] > 0 &&
        (size_t)s->reads[s->readidx % s->nreads] < n)
        n = s->reads[s->readidx % s->nreads];
    s->readidx++;
    if (n > len) n = len;
    memcpy(buf, s->queue, n);
    sdsrange(s->queue, n, -1);
    return n;
}

/**
 * @brief server.fake_io.write in scenario mode: a socket that takes at
 *        most "writes N" bytes, then is full (EAGAIN) until the next
 *        loop/writable step.
 * @param c   The client.
 * @param buf The bytes (dropped: the trace shows them).
 * @param len How many.
 * @return Bytes taken, or -1 with errno EAGAIN.
 *
 * Called by: clientWrite() and clientWritev() (reply.c).
 */
static ssize_t scnWrite(client *c, const void *buf, size_t len) {
    scnClient *s = scnOf(c);

    if (s == NULL || s->writelimit < 0) return len;
    if (s->writelimit == 0 || s->full) {
        errno = EAGAIN;
        return -1;
    }
    if ((size_t)s->writelimit < len) {
        s->full = 1;
        return s->writelimit;
    }
    return len;
}

/**
 * @brief One event loop turn: beforeSleep(), then the write handler of
 *        every client still holding replies.
 *
 * Called by: runScenarioLine() ("loop", "run").
 */
static void scnLoop(void) {
    int j;

    for (j = 0; j < nscs; j++) scs[j].full = 0;
    beforeSleep(server.el);
    for (j = 0; j < nscs; j++) {
        client *c = lookupClientByID(scs[j].id);

        scs[j].full = 0;
        if (c && clientHasPendingReplies(c) &&
            !(c->flags & CLIENT_PENDING_WRITE))
            sendReplyToClient(server.el, c->fd, c, AE_WRITABLE);
    }
}

/**
 * @brief Read once for a scenario client, if it still exists.
 * @param s The scenario client.
 * @return 1 if a read was performed.
 *
 * Called by: runScenarioLine() ("read", "drain", "run").
 */
static int scnReadOnce(scnClient *s) {
    client *c = lookupClientByID(s->id);

    if (c == NULL) return 0;
    readQueryFromClient(server.el, c->fd, c, AE_READABLE);
    return 1;
}

/**
 * @brief Parse a C-style quoted string ("SET k v\\r\\n", \\xHH, \\t, \\\\, \\").
 * @param p   Points at the opening '"'.
 * @param out Receives a new sds.
 * @return C_OK, or C_ERR for a missing quote or bad escape.
 *
 * Called by: runScenarioLine() ("send").
 */
static int parseQuoted(const char *p, sds *out) {
    sds s = sdsempty();

    if (*p != '"') goto bad;
    for (p++; *p && *p != '"'; p++) {
        char ch = *p;

        if (ch == '\\') {
            p++;
            if (*p == 'n') ch = '\n';
            else if (*p == 'r') ch = '\r';
            else if (*p == 't') ch = '\t';
            else if (*p == '0') ch = '\0';
            else if (*p == '\\' || *p == '"') ch = *p;
            else if (*p == 'x' && isxdigit((unsigned char)p[1]) &&
                     isxdigit((unsigned char)p[2])) {
                char hex[3] = {p[1], p[2], 0};

                ch = (char)strtol(hex, NULL, 16);
                p += 2;
            } else goto bad;
        }
        s = sdscatlen(s, &ch, 1);
    }
    if (*p != '"') goto bad;
    *out = s;
    return C_OK;
bad:
    sdsfree(s);
    return C_ERR;
}

/**
 * @brief Start the scenario's server once its leading "config"/"clock"
 *        lines are known: fixed seed, frozen clock, header.
 * @param out Where the trace goes.
 *
 * Called by: runScenarioLine() before the first other line.
 */
static void scnStart(FILE *out) {
    long long ms = server.mstime;
    int port = server.port;

    server.port = 0;
    initServer();
    server.port = port;
    server.mstime = ms;
    server.unixtime = ms / 1000;
    server.fake_io.read = scnRead;
    server.fake_io.write = scnWrite;
    traceOpenStream(out, 0);
}

/**
 * @brief Turn the config parser's fatal report into a scenario error.
 * @param report NULL, or the "*** FATAL CONFIG FILE ERROR ***" report of
 *               loadServerConfigFromStringOrError() (freed here).
 * @return NULL, or "bad config: Invalid port" (its last line) in a static
 *         buffer valid until the next call.
 *
 * Called by: runScenarioLine() for "config" lines.
 *
 * A bad value used to end the whole process (the server's exit(1)); a
 * scenario now stops with "FILE:LINE: bad config: ..." like any other
 * mistake in it, which is also what lets fuzz/fuzz_scenario.c run it.
 */
static const char *scnConfigError(sds report) {
    static char msg[256];
    char *last;

    if (report == NULL) return NULL;
    sdstrim(report, "\n");
    last = strrchr(report, '\n');
    snprintf(msg, sizeof(msg), "bad config: %s", last ? last + 1 : report);
    sdsfree(report);
    return msg;
}

/**
 * @brief Forget the clients of a previous scenario run in this process.
 *
 * Called by: traceRunScenario() at its start and end, so a second run
 * (fuzz/fuzz_scenario.c runs thousands) starts from ids 3, 4, ... again
 * and the queues are not leaked.
 */
static void scnForgetClients(void) {
    int j;

    for (j = 0; j < nscs; j++) sdsfree(scs[j].queue);
    zfree(scs);
    scs = NULL;
    nscs = 0;
}

/**
 * @brief Run one line of a scenario.
 * @param line    The line (comment already stripped, trimmed).
 * @param dir     Directory of the .scn (for send-file).
 * @param out     The trace stream.
 * @param started In/out: the server is up.
 * @return NULL, or an error message (static or a new sds the caller
 *         prints; both are leaked on this error path: the run ends).
 *
 * Called by: traceRunScenario().
 */
static const char *runScenarioLine(char *line, const char *dir, FILE *out,
                                   int *started) {
    int argc, j;
    sds *argv = sdssplitargs(line, &argc);
    scnClient *s = NULL;
    const char *err = NULL;

    if (argv == NULL) return "unbalanced quotes";
    if (argc == 0) goto done;

    if (!strcmp(argv[0], "config") && argc == 3) {
        static const char *ok[] = {"timeout", "maxclients", "requirepass",
            "protected-mode", "client-query-buffer-limit",
            "proto-max-bulk-len", "databases", "hz", "port", "maxmemory",
            "writev-replies", NULL};
        sds cfg;

        if (*started) { err = "config must come before any client"; goto done; }
        for (j = 0; ok[j] && strcasecmp(ok[j], argv[1]); j++);
        if (ok[j] == NULL) { err = "unsupported config parameter"; goto done; }
        cfg = sdscatprintf(sdsempty(), "%s %s", argv[1], argv[2]);
        err = scnConfigError(loadServerConfigFromStringOrError(cfg));
        sdsfree(cfg);
        goto done;
    }
    if (!strcmp(argv[0], "clock") && argc == 2) {
        long long ms;
        int rel = argv[1][0] == '+';

        if (!string2ll(argv[1] + rel, sdslen(argv[1]) - rel, &ms)) {
            err = "clock needs milliseconds (or +ms)";
            goto done;
        }
        /* "clock +9223372036854775807" would overflow the addition, and
         * a clock near LLONG_MAX overflows every "mstime + ttl" after it
         * (found by fuzz/fuzz_scenario.c): keep it within 0 .. 10^15 ms,
         * about the year 33658. */
        if ((rel && __builtin_add_overflow(ms, server.mstime, &ms)) ||
            ms < 0 || ms > 1000000000000000LL) {
            err = "clock out of range (0 .. 1000000000000000 ms)";
            goto done;
        }
        if (*started) traceSetClock(ms);
        else server.mstime = ms, server.unixtime = ms / 1000;
        goto done;
    }
    if (!*started) {
        scnStart(out);
        *started = 1;
    }
    if (!strcmp(argv[0], "loop") && argc == 1) {
        scnLoop();
        goto done;
    }
    if (!strcmp(argv[0], "cron") && argc == 1) {
        /* What clientsCron() does to each client, with the cached clock. */
        for (j = 0; j < nscs; j++) {
            client *c = lookupClientByID(scs[j].id);

            if (c && !clientsCronHandleTimeout(c, server.mstime))
                clientsCronResizeQueryBuffer(c);
        }
        goto done;
    }
    if (!strcmp(argv[0], "run") && argc == 1) {
        int turn, busy = 1;

        for (turn = 0; turn < 10000 && busy; turn++) {
            busy = 0;
            for (j = 0; j < nscs; j++) {
                client *c = lookupClientByID(scs[j].id);

                if (c && (sdslen(scs[j].queue) || scs[j].closed)) {
                    scnReadOnce(&scs[j]);
                    busy = 1;
                }
            }
            scnLoop();
            for (j = 0; j < nscs; j++) {
                client *c = lookupClientByID(scs[j].id);

                if (c && clientHasPendingReplies(c) && scs[j].writelimit != 0)
                    busy = 1;
            }
        }
        goto done;
    }
    if (!strcmp(argv[0], "client") && (argc == 2 || argc == 3)) {
        int unix_ = argc == 3 && !strcmp(argv[2], "unix");

        if (argc == 3 && !unix_) { err = "client NAME [unix]"; goto done; }
        for (j = 0; j < nscs; j++)
            if (!strcmp(scs[j].name, argv[1])) { err = "client already exists"; goto done; }
        if (sdslen(argv[1]) >= sizeof(s->name)) { err = "client name too long"; goto done; }
        if (unix_ && server.unixsocket == NULL)
            server.unixsocket = zstrdup("/tmp/minired.sock");
        scs = zrealloc(scs, sizeof(scnClient) * (nscs + 1));
        s = &scs[nscs];
        memset(s, 0, sizeof(*s));
        strcpy(s->name, argv[1]);
        /* Ids 3, 4, ... as a live Redis 5.0.14 (and minired) gives them
         * (initServerConfig() explains why the first is 3); fds 7, 8, ...
         * and TCP peers 127.0.0.1:50001, :50002, ... by order of arrival. */
        s->id = nscs + 3;
        s->queue = sdsempty();
        s->writelimit = -1;
        nscs++;
        fakeAccept(s->id, 7 + nscs - 1, unix_ ? NULL : "127.0.0.1",
                   unix_ ? 0 : 50000 + nscs);
        goto done;
    }

    /* Everything else is "NAME verb ...". */
    for (j = 0; j < nscs; j++)
        if (!strcmp(scs[j].name, argv[0])) s = &scs[j];
    if (s == NULL || argc < 2) { err = "unknown client or command"; goto done; }

    if (!strcmp(argv[1], "send") && argc == 3) {
        char *q = strchr(line, '"');
        sds bytes;

        if (q == NULL || parseQuoted(q, &bytes) == C_ERR) {
            err = "send needs a \"quoted\" string (escapes \\r \\n \\t \\\\ \\\" \\xHH)";
            goto done;
        }
        s->queue = sdscatsds(s->queue, bytes);
        sdsfree(bytes);
    } else if (!strcmp(argv[1], "send-file") && argc == 3) {
        sds path = argv[2][0] == '/' ? sdsnew(argv[2]) :
                   sdscatprintf(sdsempty(), "%s/%s", dir, argv[2]);
        FILE *fp = fopen(path, "rb");
        char buf[16384];
        struct stat st;
        size_t n;

        sdsfree(path);
        if (fp == NULL) { err = "send-file: cannot open the file"; goto done; }
        /* "/dev/zero" or a FIFO would be read forever. */
        if (fstat(fileno(fp), &st) == -1 || !S_ISREG(st.st_mode)) {
            fclose(fp);
            err = "send-file: not a regular file";
            goto done;
        }
        while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
            s->queue = sdscatlen(s->queue, buf, n);
        fclose(fp);
    } else if (!strcmp(argv[1], "reads") && argc == 3) {
        char *p = argv[2];

        s->nreads = 0;
        s->readidx = 0;
        if (strcmp(p, "all")) {
            while (*p && s->nreads < 16) {
                int v = atoi(p);

                if (v <= 0) { err = "reads N[,N...] (N > 0) or all"; goto done; }
                s->reads[s->nreads++] = v;
                p = strchr(p, ',');
                if (p == NULL) break;
                p++;
            }
        }
    } else if (!strcmp(argv[1], "writes") && argc == 3) {
        long long v;

        if (!strcmp(argv[2], "all")) s->writelimit = -1;
        else if (string2ll(argv[2], sdslen(argv[2]), &v) && v >= 0)
            s->writelimit = v;
        else { err = "writes N (N >= 0) or all"; goto done; }
    } else if (!strcmp(argv[1], "read") && argc == 2) {
        scnReadOnce(s);
    } else if (!strcmp(argv[1], "drain") && argc == 2) {
        while (sdslen(s->queue) && scnReadOnce(s));
    } else if (!strcmp(argv[1], "writable") && argc == 2) {
        client *c = lookupClientByID(s->id);

        s->full = 0;
        if (c) sendReplyToClient(server.el, c->fd, c, AE_WRITABLE);
    } else if (!strcmp(argv[1], "close") && argc == 2) {
        s->closed = 1;
    } else {
        err = "unknown verb or wrong number of arguments";
    }
done:
    sdsfreesplitres(argv, argc);
    return err;
}

/**
 * @brief Run a scenario script and write its trace to @p out.
 *
 * The server gets a fixed hash seed and a frozen clock (1700000000000
 * unless a "clock" line says otherwise), so the same script always gives
 * the same trace, byte for byte apart from wall times; that trace replays
 * to itself with traceReplayFile().
 *
 * @param scn_path The .scn file.
 * @param out      Where the trace goes.
 * @return 0 on success, non-zero after "FILE:LINE: message" on stderr.
 *
 * Called by: bin/minired-trace run; make golden; the tests;
 * fuzz/fuzz_scenario.c. The process must not have initialised a server
 * before (the fuzzer frees the previous run's server first). A bad
 * "config" value ends the run with "FILE:LINE: bad config: <reason>".
 */
int traceRunScenario(const char *scn_path, FILE *out) {
    FILE *fp = fopen(scn_path, "r");
    char *line = NULL, *dir;
    size_t cap = 0;
    int lineno = 0, started = 0, rc = 0;
    uint8_t seed[16];

    if (fp == NULL) {
        fprintf(stderr, "%s: %s\n", scn_path, strerror(errno));
        return 1;
    }
    scnForgetClients();
    dir = zstrdup(scn_path);
    if (strrchr(dir, '/')) *strrchr(dir, '/') = '\0';
    else strcpy(dir, ".");

    /* A fixed seed: KEYS and COMMAND list in the same order every run. */
    for (rc = 0; rc < 16; rc++) seed[rc] = (uint8_t)(rc * 17);
    rc = 0;
    dictSetHashFunctionSeed(seed);
    initServerConfig();
    zfree(server.logfile); /* log lines to stderr: stdout is the trace */
    server.logfile = zstrdup("/dev/stderr");
    server.clock_frozen = 1;
    server.mstime = 1700000000000LL;
    server.unixtime = server.mstime / 1000;
    server.port = 6379;

    while (getline(&line, &cap, fp) != -1) {
        char *p = line, *hash;
        const char *err;

        lineno++;
        /* '#' starts a comment, except inside a "quoted string". */
        for (hash = p; *hash; hash++) {
            if (*hash == '"') {
                for (hash++; *hash && *hash != '"'; hash++)
                    if (*hash == '\\' && hash[1]) hash++;
                if (!*hash) break;
            } else if (*hash == '#') {
                *hash = '\0';
                break;
            }
        }
        while (*p && isspace((unsigned char)*p)) p++;
        if (*p == '\0') continue;
        if ((err = runScenarioLine(p, dir, out, &started)) != NULL) {
            fprintf(stderr, "%s:%d: %s\n", scn_path, lineno, err);
            rc = 1;
            break;
        }
    }
    if (!started && rc == 0) scnStart(out);
    if (rc == 0) traceClose("shutdown");
    free(line);
    fclose(fp);
    zfree(dir);
    /* After an error no footer was written: the lines so far still sit in
     * trace.c's buffer. */
    traceFlush();
    fflush(out);
    server.trace_fp = NULL;
    scnForgetClients();
    return rc;
}
