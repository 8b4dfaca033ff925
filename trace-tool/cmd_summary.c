/**
 * @file cmd_summary.c
 * @brief `minired-trace summary`: what a trace contains, in numbers.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server: before opening a 50 MB trace in Perfetto, see how
 * many events each pipeline function emitted, which steps happened, and
 * per client how many bytes went in and out and how far its buffers grew
 * (querybuf length, c->buf's bufpos, reply blocks and reply_bytes). What
 * flows in: a trace. What flows out: a plain text report on stdout.
 */

#include "tool.h"

#include <stdlib.h>
#include <string.h>

/** One counted name (a function or a step). */
typedef struct nameCount {
    char *name;       /**< strdup'ed. */
    long long n;      /**< Events with that name. */
} nameCount;

/** A growable list of counted names; there are a few dozen at most. */
typedef struct nameCounts {
    nameCount *v;     /**< The entries. */
    size_t len;       /**< Used. */
    size_t cap;       /**< Allocated. */
} nameCounts;

/** What summary keeps per client. */
typedef struct clientSummary {
    long long events;      /**< Events with this tid. */
    long long bytes_read;  /**< Sum of "nread" of "read" events. */
    long long bytes_written; /**< Sum of "nwritten" of "write" and "writev" events. */
    long long peak_qlen;   /**< Largest "qlen". */
    long long peak_reply_bytes; /**< Largest "reply_bytes". */
    long long peak_bufpos; /**< Largest "bufpos". */
    long long peak_blocks; /**< Longest "reply" list. */
    long long first_ts;    /**< ts of its first event. */
    long long last_ts;     /**< ts of its last event. */
    int freed;             /**< A "free" event was seen. */
} clientSummary;

/**
 * @brief Count one more event named @p name.
 * @param nc   The list.
 * @param name The function or step name.
 *
 * Called by: cmdSummary() for every event.
 */
static void countName(nameCounts *nc, const char *name) {
    size_t j;

    for (j = 0; j < nc->len; j++) {
        if (!strcmp(nc->v[j].name, name)) {
            nc->v[j].n++;
            return;
        }
    }
    if (nc->len == nc->cap) {
        nc->cap = nc->cap ? nc->cap * 2 : 32;
        nc->v = realloc(nc->v, nc->cap * sizeof(nameCount));
        if (nc->v == NULL) {
            perror("minired-trace");
            exit(TOOL_EXIT_FAIL);
        }
    }
    nc->v[nc->len].name = strdup(name);
    nc->v[nc->len].n = 1;
    nc->len++;
}

/**
 * @brief qsort comparator: most frequent first, then by name.
 * @param a A nameCount.
 * @param b A nameCount.
 * @return <0, 0, >0 as for qsort.
 *
 * Called by: printCounts() through qsort().
 */
static int cmpCount(const void *a, const void *b) {
    const nameCount *x = a, *y = b;

    if (x->n != y->n) return x->n > y->n ? -1 : 1;
    return strcmp(x->name, y->name);
}

/**
 * @brief Print a counted list under a title, most frequent first, and
 *        free it.
 * @param title The section title.
 * @param nc    The list.
 *
 * Called by: cmdSummary().
 */
static void printCounts(const char *title, nameCounts *nc) {
    size_t j;

    printf("%s:\n", title);
    qsort(nc->v, nc->len, sizeof(nameCount), cmpCount);
    for (j = 0; j < nc->len; j++) {
        printf("  %-34s %10lld\n", nc->v[j].name, nc->v[j].n);
        free(nc->v[j].name);
    }
    free(nc->v);
    memset(nc, 0, sizeof(*nc));
}

/**
 * @brief Fold one client event into its client's counters.
 * @param cs The client's record.
 * @param ev The event.
 *
 * Called by: cmdSummary().
 */
static void summarizeClientEvent(clientSummary *cs, json_t *ev) {
    json_t *args = evArgs(ev), *c = evState(ev);
    const char *cat = jsonStr(ev, "cat");
    long long v, ts = evTs(ev);

    if (cs->events++ == 0) cs->first_ts = ts;
    cs->last_ts = ts;
    if (!strcmp(cat, "read") && jsonInt(args, "nread", &v))
        cs->bytes_read += v;
    else if ((!strcmp(cat, "write") || !strcmp(cat, "writev")) &&
             jsonInt(args, "nwritten", &v))
        cs->bytes_written += v;
    else if (!strcmp(cat, "free"))
        cs->freed = 1;
    if (c == NULL) return;
    if (jsonInt(c, "qlen", &v) && v > cs->peak_qlen) cs->peak_qlen = v;
    if (jsonInt(c, "bufpos", &v) && v > cs->peak_bufpos) cs->peak_bufpos = v;
    if (jsonInt(c, "reply_bytes", &v) && v > cs->peak_reply_bytes)
        cs->peak_reply_bytes = v;
    v = (long long)json_array_size(json_object_get(c, "reply"));
    if (v > cs->peak_blocks) cs->peak_blocks = v;
}

/**
 * @brief Print the per-client table and the totals.
 * @param clients   The per-client records.
 * @param server_ev Events with tid 0.
 * @param events    All events after the header.
 *
 * Called by: cmdSummary().
 */
static void printClients(clientTable *clients, long long server_ev,
                         long long events) {
    uint64_t *ids = ctSortedIds(clients);
    long long tread = 0, twritten = 0;
    size_t j;

    printf("per client:\n");
    printf("  %8s %8s %10s %10s %9s %11s %11s %11s %s\n", "client",
           "events", "read", "written", "peak_qlen", "peak_bufpos",
           "peak_reply", "peak_blocks", "ts");
    for (j = 0; j < clients->count; j++) {
        clientSummary *cs = ctGet(clients, ids[j], 0);

        printf("  %8llu %8lld %10lld %10lld %9lld %11lld %11lld %11lld "
               "%lld..%lld%s\n", (unsigned long long)ids[j], cs->events,
               cs->bytes_read, cs->bytes_written, cs->peak_qlen,
               cs->peak_bufpos, cs->peak_reply_bytes, cs->peak_blocks,
               cs->first_ts, cs->last_ts, cs->freed ? "" : " (not freed)");
        tread += cs->bytes_read;
        twritten += cs->bytes_written;
    }
    free(ids);
    printf("totals: %lld events (%lld client, %lld server), %zu clients, "
           "%lld bytes read, %lld bytes written\n", events,
           events - server_ev, server_ev, clients->count, tread, twritten);
}

/**
 * @brief `summary FILE`.
 * @param argc Argument count (argv[0] is "summary").
 * @param argv Arguments.
 * @return 0, 1 on a malformed or unreadable trace, 2 on bad usage.
 *
 * Called by: main().
 */
int cmdSummary(int argc, char **argv) {
    traceReader r;
    clientTable clients;
    nameCounts funcs = {0}, steps = {0};
    long long events = 0, server_ev = 0, first_ts = -1, last_ts = -1;
    long long wall_min = -1, wall_max = -1, w;
    const char *footer = NULL;
    char footer_buf[64];
    int rc;

    if (argc != 2) {
        usage(stderr);
        return TOOL_EXIT_USAGE;
    }
    if (trOpen(&r, argv[1]) != 0) {
        fprintf(stderr, "minired-trace: %s\n", r.err);
        trClose(&r);
        return TOOL_EXIT_FAIL;
    }
    printf("trace: %s\n", argv[1]);
    printf("schema %lld, minired %s, redis %s, start_mstime %lld\n", r.schema,
           jsonStr(evArgs(r.ev), "minired"), jsonStr(evArgs(r.ev), "redis"),
           (long long)json_integer_value(json_object_get(evArgs(r.ev),
                                                         "start_mstime")));
    ctInit(&clients, sizeof(clientSummary));
    while ((rc = trNext(&r)) == TR_EVENT) {
        uint64_t tid = evTid(r.ev);

        events++;
        if (first_ts < 0) first_ts = evTs(r.ev);
        last_ts = evTs(r.ev);
        if (jsonInt(evArgs(r.ev), "wall_us", &w)) {
            if (wall_min < 0 || w < wall_min) wall_min = w;
            if (w > wall_max) wall_max = w;
        }
        countName(&funcs, jsonStr(r.ev, "name"));
        countName(&steps, jsonStr(r.ev, "cat"));
        if (!strcmp(jsonStr(r.ev, "cat"), "footer")) {
            snprintf(footer_buf, sizeof(footer_buf), "%s",
                     jsonStr(evArgs(r.ev), "reason"));
            footer = footer_buf;
        }
        if (tid == 0) {
            server_ev++;
        } else {
            clientSummary *cs = ctGet(&clients, tid, 1);

            if (cs == NULL) {
                perror("minired-trace");
                exit(TOOL_EXIT_FAIL);
            }
            summarizeClientEvent(cs, r.ev);
        }
    }
    if (rc == TR_ERR) {
        fprintf(stderr, "minired-trace: %s\n", r.err);
        trClose(&r);
        ctFree(&clients, NULL);
        return TOOL_EXIT_FAIL;
    }
    printf("events: %lld after the header, ts %lld..%lld; footer: %s\n",
           events, first_ts, last_ts,
           footer ? footer : "none (trace cut short or still open)");
    printf("duration: %lld ts, wall %.3f ms\n",
           events ? last_ts - first_ts : 0,
           wall_min < 0 ? 0.0 : (double)(wall_max - wall_min) / 1000.0);
    printCounts("events per function (name)", &funcs);
    printCounts("events per step (cat)", &steps);
    printClients(&clients, server_ev, events);
    ctFree(&clients, NULL);
    trClose(&r);
    return TOOL_EXIT_OK;
}
