/**
 * @file cron.c
 * @brief The event loop's hooks: beforeSleep() before every wait for
 *        events, serverCron() on a timer (hz times per second), and
 *        clientsCron(), serverCron's visit to the clients.
 *
 * Where it sits in the pipeline
 * -----------------------------
 *
 *   aeMain (ae.c), forever:
 *     beforeSleep()      -> writes every reply queued during the last turn
 *                           (handleClientsWithPendingWrites, reply.c)
 *     epoll_wait/select  -> read events -> readQueryFromClient ...
 *     time events        -> serverCron() every 1000/hz ms:
 *                             clientsCron(): idle timeout, query buffer
 *                                            trimming, buffer peaks
 *                             databasesCron(): expiry, resize, rehash
 *                             freeClientsInAsyncFreeQueue()
 *
 * What flows in: time, and the state the request pipeline left behind
 * (queued replies, idle clients, keys with a TTL, clients marked
 * CLIENT_CLOSE_ASAP). What flows out: replies written, clients closed,
 * expired keys deleted, per-second statistics for INFO.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's serverCron(), clientsCron() and beforeSleep() (server.c):
 * All of this is in server.c, which also runs persistence, replication
 * and cluster timers from serverCron. minired keeps the function names
 * and moves them to their own file so that server.c stays under 1,500
 * lines.
 */

#include "server.h"

/** Run the block that follows once every _ms_ milliseconds of cron time
 *  (always, when the cron period is already that long). */
#define run_with_period(_ms_) \
    if (((_ms_) <= 1000 / server.hz) || \
        !(server.cronloops % ((_ms_) / (1000 / server.hz))))

/* ======================== Statistics ======================== */

/**
 * @brief Add one rate sample for a metric: (counter delta) / (time delta).
 * @param metric          STATS_METRIC_* index.
 * @param current_reading Current value of the counter (e.g. commands).
 *
 * Called by: serverCron() every 100 ms.
 */
void trackInstantaneousMetric(int metric, long long current_reading) {
    typeof(server.inst_metric[0]) *m = &server.inst_metric[metric];
    long long t = mstime() - m->last_sample_time;
    long long ops = current_reading - m->last_sample_count;

    /* 250 commands in the last 100 ms -> a sample of 2500 per second. */
    m->samples[m->idx] = t > 0 ? (ops * 1000 / t) : 0;
    m->idx = (m->idx + 1) % STATS_METRIC_SAMPLES;
    m->last_sample_time = mstime();
    m->last_sample_count = current_reading;
}

/**
 * @brief Mean of a metric's samples (the last ~1.6 s).
 * @param metric STATS_METRIC_* index.
 * @return Average rate per second.
 *
 * Called by: genRedisInfoString().
 */
long long getInstantaneousMetric(int metric) {
    long long sum = 0;
    int j;

    for (j = 0; j < STATS_METRIC_SAMPLES; j++)
        sum += server.inst_metric[metric].samples[j];
    return sum / STATS_METRIC_SAMPLES;
}

/* ======================== Clients ======================== */

/* ANCHOR: cron-clients-timeout */
/**
 * @brief Close a client that has been idle longer than `timeout` seconds.
 *
 * Idle means no byte read or written since c->lastinteraction. Pub/sub
 * subscribers are never timed out: waiting quietly for messages is their
 * job. Neither are replicas, masters (never present in minired) or
 * blocked clients: a BLPOP waits as long as its own timeout says.
 *
 * A blocked client whose BLPOP timeout (c->bpop.timeout, absolute ms) has
 * passed gets "*-1\r\n" and is unblocked; its pipelined requests then run
 * in the next beforeSleep (processUnblockedClients).
 *
 * @param c      Client to check.
 * @param now_ms Current time in ms (read once by clientsCron).
 * @return 1 if the client was freed (the caller must not touch it), else 0.
 *
 * Called by: clientsCron().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's clientsCronHandleTimeout() (server.c): the
 * same two branches; it also redirects blocked clients in cluster mode.
 * The blocked timeout has millisecond resolution but is checked only when
 * clientsCron visits the client: every tick (100 ms at hz 10) with few
 * clients, about once a second with many.
 */
int clientsCronHandleTimeout(client *c, long long now_ms) {
    time_t now = now_ms / 1000;

    /* With "timeout 1": lastinteraction 100, now 102 -> 2 > 1, closed.
     * Both times are whole seconds (server.unixtime), so the last byte
     * may have come at 100.99 or at 100.00: the test turns true 1 to 2 s
     * after it, and the cron visits each client about once a second, so
     * the close comes roughly 1 to 3 seconds after the last byte (timeout
     * N: about N to N + 2 s), as in Redis 5.0.14. */
    if (server.maxidletime &&
        !(c->flags & CLIENT_SLAVE) &&
        !(c->flags & CLIENT_MASTER) &&
        !(c->flags & CLIENT_BLOCKED) &&
        !(c->flags & CLIENT_PUBSUB) &&
        (now - c->lastinteraction > server.maxidletime))
    {
        traceEvent(NULL, "cron", "client=%U action=%s now_ms=%l",
                   (unsigned long long)c->id, "timeout", now_ms);
        traceEvent(c, "timeout", "idle=%l", (long long)(now - c->lastinteraction));
        serverLog(LL_VERBOSE, "Closing idle client");
        freeClient(c);
        return 1;
    } else if (c->flags & CLIENT_BLOCKED) {
        /* "BLPOP q 1" at 1700000000000: timeout 1700000001000, so the
         * first visit with now_ms 1700000001001 or later replies. */
        if (c->bpop.timeout != 0 && c->bpop.timeout < now_ms) {
            traceEvent(NULL, "cron", "client=%U action=%s now_ms=%l",
                       (unsigned long long)c->id, "block-timeout", now_ms);
            replyToBlockedClientTimedOut(c);
            unblockClient(c);
            traceEvent(c, "unblocked", "why=%s", "timeout");
        }
    }
    return 0;
}
/* ANCHOR_END: cron-clients-timeout */

/**
 * @brief Give back query-buffer memory a client no longer needs.
 *
 * After a 1 MB SET the querybuf keeps its 1 MB allocation. It is shrunk
 * to its used length when it is larger than PROTO_MBULK_BIG_ARG (32 KB)
 * and either more than twice the peak seen since the last check, or the
 * client has been idle for over 2 seconds; and only when at least 4 KB
 * would be saved. The peak is then reset for the next period.
 *
 * @param c Client to check.
 * @return Always 0 (never frees the client).
 *
 * Called by: clientsCron().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's clientsCronResizeQueryBuffer() (server.c):
 * Also shrinks a master client's pending_querybuf.
 */
int clientsCronResizeQueryBuffer(client *c) {
    size_t querybuf_size = sdsAllocSize(c->querybuf);
    time_t idletime = server.unixtime - c->lastinteraction;
    int resized = 0;

    /* ANCHOR: cron-resize-querybuf */
    /* peak + 1: a client whose reads always came whole has peak 0, and
     * the division must not trap; 32,774 / 1 > 2 shrinks its 32 KB. */
    if (querybuf_size > PROTO_MBULK_BIG_ARG &&
        ((querybuf_size / (c->querybuf_peak + 1)) > 2 || idletime > 2))
    {
        if (sdsavail(c->querybuf) > 1024 * 4) {
            c->querybuf = sdsRemoveFreeSpace(c->querybuf);
            resized = 1;
        }
    }
    /* ANCHOR_END: cron-resize-querybuf */
    /* Traced only when the client's state changes: a shrink, or a peak
     * going back to 0 (otherwise an idle server would trace 10 times a
     * second for nothing). */
    if (resized || c->querybuf_peak) {
        traceEvent(NULL, "cron", "client=%U action=%s",
                   (unsigned long long)c->id, "resize");
        c->querybuf_peak = 0;
        traceEvent(c, "resize", "resized=%B", resized);
    }
    c->querybuf_peak = 0;
    return 0;
}

/** Seconds of history kept for INFO's client_recent_max_*_buffer. */
#define CLIENTS_PEAK_MEM_USAGE_SLOTS 8
/** Largest query buffer seen in each of the last 8 seconds. */
static size_t ClientsPeakMemInput[CLIENTS_PEAK_MEM_USAGE_SLOTS];
/** Largest output buffers seen in each of the last 8 seconds. */
static size_t ClientsPeakMemOutput[CLIENTS_PEAK_MEM_USAGE_SLOTS];

/**
 * @brief Remember the biggest input/output buffers seen this second.
 *
 * Slot unixtime % 8 holds this second's maximum; the next slot is zeroed
 * so it starts fresh when its second comes. INFO reports the maximum of
 * the 8 slots, without scanning every client.
 *
 * @param c Client to sample.
 * @return Always 0 (never frees the client).
 *
 * Called by: clientsCron().
 */
static int clientsCronTrackExpansiveClients(client *c) {
    size_t in_usage = sdsAllocSize(c->querybuf);
    size_t out_usage = getClientOutputBufferMemoryUsage(c);
    int i = server.unixtime % CLIENTS_PEAK_MEM_USAGE_SLOTS;
    int zeroidx = (i + 1) % CLIENTS_PEAK_MEM_USAGE_SLOTS;

    ClientsPeakMemInput[zeroidx] = 0;
    ClientsPeakMemOutput[zeroidx] = 0;
    if (in_usage > ClientsPeakMemInput[i]) ClientsPeakMemInput[i] = in_usage;
    if (out_usage > ClientsPeakMemOutput[i]) ClientsPeakMemOutput[i] = out_usage;
    return 0;
}

/**
 * @brief Maximum input and output buffer sizes of the last few seconds.
 * @param in_usage  Out: largest query buffer allocation.
 * @param out_usage Out: largest output buffer usage.
 *
 * Called by: genRedisInfoString() (clients section).
 */
void getExpansiveClientsInfo(size_t *in_usage, size_t *out_usage) {
    size_t i = 0, o = 0;
    int j;

    for (j = 0; j < CLIENTS_PEAK_MEM_USAGE_SLOTS; j++) {
        if (ClientsPeakMemInput[j] > i) i = ClientsPeakMemInput[j];
        if (ClientsPeakMemOutput[j] > o) o = ClientsPeakMemOutput[j];
    }
    *in_usage = i;
    *out_usage = o;
}

/**
 * @brief Visit a slice of the clients: timeouts, buffer trimming, stats.
 *
 * With hz 10 and 1,000 clients, each call visits 1000/10 = 100 clients,
 * so every client is seen about once a second; at least
 * CLIENTS_CRON_MIN_ITERATIONS (5) are visited per call when there are
 * that many. listRotateTailToHead() moves the tail to the head, and the
 * head is the client processed: removing it (freeClient) is O(1).
 *
 * Called by: serverCron().
 */
void clientsCron(void) {
    int numclients = listLength(server.clients);
    int iterations = numclients / server.hz;
    long long now = mstime();

    if (iterations < CLIENTS_CRON_MIN_ITERATIONS)
        iterations = (numclients < CLIENTS_CRON_MIN_ITERATIONS) ?
                     numclients : CLIENTS_CRON_MIN_ITERATIONS;

    while (listLength(server.clients) && iterations--) {
        client *c;

        listRotateTailToHead(server.clients);
        c = listNodeValue(listFirst(server.clients));
        /* Each check returns non-zero when it freed the client. */
        if (clientsCronHandleTimeout(c, now)) continue;
        if (clientsCronResizeQueryBuffer(c)) continue;
        if (clientsCronTrackExpansiveClients(c)) continue;
    }
}

/* ======================== Databases ======================== */

/** A table is shrunk when fewer than this percentage of its slots are used. */
#define HASHTABLE_MIN_FILL 10

/**
 * @brief True when a dict uses under 10% of its slots (worth shrinking).
 * @param d The dict.
 * @return 1 if it should be resized.
 *
 * Called by: databasesCron().
 */
static int htNeedsResize(dict *d) {
    long long size = dictSlots(d), used = dictSize(d);

    return (size > DICT_HT_INITIAL_SIZE && (used * 100 / size < HASHTABLE_MIN_FILL));
}

/**
 * @brief Background work on the keyspace: expire, shrink, rehash.
 *
 * activeExpireCycle samples keys with a TTL and deletes expired ones, so
 * keys nobody reads again still go away. Tables that emptied are shrunk,
 * and tables in the middle of a rehash get 1 ms of rehashing, so an idle
 * server still finishes a rehash.
 *
 * Called by: serverCron().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's databasesCron() (server.c):
 * Skips expiry on replicas, also runs active defragmentation, and avoids
 * resizing while an RDB/AOF child process is running.
 */
static void databasesCron(void) {
    static unsigned int resize_db = 0, rehash_db = 0;
    int dbs_per_call = CRON_DBS_PER_CALL, j;

    activeExpireCycle(ACTIVE_EXPIRE_CYCLE_SLOW);

    if (dbs_per_call > server.dbnum) dbs_per_call = server.dbnum;
    for (j = 0; j < dbs_per_call; j++) {
        redisDb *db = server.db + (resize_db % server.dbnum);

        if (htNeedsResize(db->dict)) dictResize(db->dict);
        if (htNeedsResize(db->expires)) dictResize(db->expires);
        resize_db++;
    }
    for (j = 0; j < dbs_per_call; j++) {
        redisDb *db = server.db + rehash_db;

        /* One millisecond of rehash work per cron tick is the budget. */
        if (dictIsRehashing(db->dict)) {
            dictRehashMilliseconds(db->dict, 1);
            break;
        }
        if (dictIsRehashing(db->expires)) {
            dictRehashMilliseconds(db->expires, 1);
            break;
        }
        rehash_db = (rehash_db + 1) % server.dbnum;
    }
}

/* ANCHOR: cron-server-cron */
/**
 * @brief The server's timer: runs server.hz times per second (10 by
 *        default, so every 100 ms).
 *
 * In order: refresh the cached time and the LRU clock, sample the
 * per-second metrics, shut down if a signal asked for it, log a status
 * line every 5 s at verbose level, visit clients (clientsCron), work on
 * the databases (expiry, resize, rehash), and free the clients queued by
 * freeClientAsync().
 *
 * @param eventLoop  The event loop (unused).
 * @param id         This time event's id (unused).
 * @param clientData Unused.
 * @return Milliseconds until the next call: 1000/hz (100 with hz 10).
 *
 * Called by: ae.c (processTimeEvents), first 1 ms after initServer().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's serverCron() (server.c):
 * Also adapts hz to the number of clients (dynamic-hz), tracks peak
 * memory, starts and reaps RDB/AOF children, runs replication and
 * cluster crons, and feeds the software watchdog.
 */
int serverCron(aeEventLoop *eventLoop, long long id, void *clientData) {
    int j;

    updateCachedTime();

    run_with_period(100) {
        trackInstantaneousMetric(STATS_METRIC_COMMAND, server.stat_numcommands);
        trackInstantaneousMetric(STATS_METRIC_NET_INPUT,
                                 server.stat_net_input_bytes);
        trackInstantaneousMetric(STATS_METRIC_NET_OUTPUT,
                                 server.stat_net_output_bytes);
    }
    server.lruclock = getLRUClock();

    /* SIGTERM/SIGINT only set shutdown_asap: closing sockets and logging
     * is not safe inside a signal handler, so it happens here. */
    if (server.shutdown_asap) {
        if (prepareForShutdown(SHUTDOWN_NOFLAGS) == C_OK) exit(0);
        serverLog(LL_WARNING, "SIGTERM received but errors trying to shut "
                  "down the server, check the logs for more information");
        server.shutdown_asap = 0;
    }

    run_with_period(5000) {
        for (j = 0; j < server.dbnum; j++) {
            long long size = dictSlots(server.db[j].dict);
            long long used = dictSize(server.db[j].dict);
            long long vkeys = dictSize(server.db[j].expires);

            if (used || vkeys)
                serverLog(LL_VERBOSE, "DB %d: %lld keys (%lld volatile) in "
                          "%lld slots HT.", j, used, vkeys, size);
        }
        serverLog(LL_VERBOSE, "%lu clients connected (0 replicas), %zu "
                  "bytes in use", listLength(server.clients),
                  zmalloc_used_memory());
    }

    clientsCron();
    databasesCron();
    if (listLength(server.clients_to_close))
        traceEvent(NULL, "cron", "client=%U action=%s", 0ULL, "free-async");
    freeClientsInAsyncFreeQueue();

    /* Ends a CLIENT PAUSE whose time has come even if no client sends a
     * byte, queueing every client for reprocessing (the return value is
     * not needed). */
    clientsArePaused();

    server.cronloops++;
    return 1000 / server.hz;
}
/* ANCHOR_END: cron-server-cron */

/* ANCHOR: cron-before-sleep */
/**
 * @brief Work done once per event-loop turn, just before waiting in
 *        epoll_wait/select.
 *
 * A fast expire cycle, which returns at once unless the last expire
 * cycle stopped on its time limit (expired keys piling up; see
 * activeExpireCycle()), then every
 * reply queued during this turn is written: commands only *queue*
 * replies (addReply), and this is where they leave. A client whose reply
 * does not fit in the socket buffer gets a writable handler
 * (sendReplyToClient) for the rest.
 *
 * @param eventLoop The event loop (unused).
 *
 * Called by: ae.c, aeMain() before each aeProcessEvents().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's beforeSleep() (server.c):
 * Also runs cluster housekeeping, WAIT/replica ACKs, module-unblocked
 * clients and the AOF flush, all before handleClientsWithPendingWrites();
 * processUnblockedClients() comes after the fast expire cycle there too.
 */
void beforeSleep(aeEventLoop *eventLoop) {
    /* Traced only when there is something to do: clients to write, to
     * re-run (unblocked), or a CLIENT PAUSE due to end in this turn (the
     * expire cycle below ends it and queues every client). An idle loop
     * turn leaves no line in the trace. */
    if (listLength(server.clients_pending_write) ||
        listLength(server.unblocked_clients) ||
        (server.clients_paused && server.clients_pause_end_time < server.mstime))
        traceEvent(NULL, "before-sleep", "pending=%U", (unsigned long long)
                   listLength(server.clients_pending_write));
    activeExpireCycle(ACTIVE_EXPIRE_CYCLE_FAST);
    /* Clients unblocked (or un-paused) during this turn: run what waited
     * in their querybuf now, so those replies leave in the write just
     * below, together with the reply that unblocked them. */
    if (listLength(server.unblocked_clients)) processUnblockedClients();
    handleClientsWithPendingWrites();
    /* Once per turn: a crash loses at most this turn's trace lines. */
    traceFlush();
}
/* ANCHOR_END: cron-before-sleep */
