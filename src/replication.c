/**
 * @file replication.c
 * @brief MONITOR: the MONITOR command and the feed that copies every
 *        command, as one text line, to the clients that sent it.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Between processCommand and the command itself. call() (server.c) hands
 * each command's argv to replicationFeedMonitors() *before* running it;
 * the line is queued with addReply on every monitor, so it leaves through
 * the normal write path (clients_pending_write -> beforeSleep). A monitor
 * watching "SET k v" from 127.0.0.1:50001 in db 0 receives:
 *
 *   "+1700000000.000000 [0 127.0.0.1:50001] \"SET\" \"k\" \"v\"\r\n"
 *
 * What flows in: the client that runs a command, its db id and argv. What
 * flows out: one status line appended to every client in server.monitors.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's replication.c and replicationFeedMonitors():
 * there replication.c holds the whole master/replica machinery (SYNC,
 * PSYNC, the backlog, replicationFeedSlaves()); replicationFeedMonitors()
 * is one of its functions, and monitorCommand() is in server.c. minired has no
 * replication, so this file holds just the monitor half, and takes
 * monitorCommand() too because server.c is already at the 1,500-line
 * limit. A MONITOR client carries CLIENT_SLAVE like a replica, which is
 * why the two share a file in Redis.
 */

#include "server.h"

#include <sys/time.h>

/**
 * @brief Append one MONITOR line for the command @p argv to every client
 *        in @p monitors.
 *
 * The line is a status reply: '+', the time as seconds.microseconds, the
 * db and the peer in brackets, then every argument quoted the way
 * sdscatrepr() quotes (backslash escapes, \\xHH for other bytes):
 *
 *   TCP:   "+1700000000.000000 [0 127.0.0.1:50001] \"keys\" \"*\"\r\n"
 *   unix:  "+1700000000.000000 [0 unix:/tmp/r.sock] \"ping\"\r\n"
 *
 * The arguments are printed as the client sent them (case included): this
 * runs before the command, so SET has not yet re-encoded argv[2]. An
 * argument that is already an integer-encoded object is printed with
 * "%ld" between quotes, as Redis does.
 *
 * The line is built once and queued on every monitor by reference
 * (addReply copies its bytes); a monitor that runs a command is fed its
 * own command too.
 *
 * @param c       The client whose command is about to run.
 * @param monitors server.monitors.
 * @param dictid  The db the command runs in (c->db->id).
 * @param argv    The command's arguments.
 * @param argc    How many.
 *
 * Called by: call() (server.c), execCommand() (multi.c) for "EXEC".
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's replicationFeedMonitors() (replication.c):
 * the same format. Redis reads the
 * time with gettimeofday(); minired does too, except while the clock is
 * frozen (a scenario or a replay), where it prints server.mstime with
 * ".000" microseconds so the trace is the same on every run. Redis also
 * has a third form, "[0 lua]", for commands a Lua script runs; minired
 * has no Lua.
 */
void replicationFeedMonitors(client *c, list *monitors, int dictid,
                             robj **argv, int argc) {
    listNode *ln;
    listIter li;
    int j;
    sds cmdrepr = sdsnew("+");
    robj *cmdobj;
    long long sec, usec;

    if (server.clock_frozen) {
        sec = server.mstime / 1000;
        usec = (server.mstime % 1000) * 1000;
    } else {
        struct timeval tv;

        gettimeofday(&tv, NULL);
        sec = tv.tv_sec;
        usec = tv.tv_usec;
    }
    /* "+1339518083.107412 " : always six digits after the point. */
    cmdrepr = sdscatprintf(cmdrepr, "%lld.%06lld ", sec, usec);
    if (c->flags & CLIENT_UNIX_SOCKET) {
        /* The socket path, not a peer address: every unix client shows
         * the same "[0 unix:/tmp/redis.sock]". */
        cmdrepr = sdscatprintf(cmdrepr, "[%d unix:%s] ", dictid,
                               server.unixsocket);
    } else {
        cmdrepr = sdscatprintf(cmdrepr, "[%d %s] ", dictid,
                               getClientPeerId(c));
    }

    for (j = 0; j < argc; j++) {
        if (argv[j]->encoding == OBJ_ENCODING_INT) {
            cmdrepr = sdscatprintf(cmdrepr, "\"%ld\"", (long)argv[j]->ptr);
        } else {
            /* "a b\r\n" -> "\"a b\\r\\n\"": a line can never contain a
             * raw CR or LF, so the status reply stays one line. */
            cmdrepr = sdscatrepr(cmdrepr, (char *)argv[j]->ptr,
                                 sdslen(argv[j]->ptr));
        }
        if (j != argc - 1) cmdrepr = sdscatlen(cmdrepr, " ", 1);
    }
    cmdrepr = sdscatlen(cmdrepr, "\r\n", 2);
    cmdobj = createObject(OBJ_STRING, cmdrepr);

    listRewind(monitors, &li);
    while ((ln = listNext(&li)) != NULL) {
        client *monitor = ln->value;

        traceEvent(monitor, "monitor-feed", "from=%U data=%b",
                   (unsigned long long)c->id, cmdrepr, sdslen(cmdrepr));
        addReply(monitor, cmdobj);
    }
    decrRefCount(cmdobj);
}

/**
 * @brief MONITOR: from now on, receive every command the server runs.
 *
 * Replies "+OK\r\n" and adds the client to server.monitors with the flags
 * CLIENT_SLAVE|CLIENT_MONITOR (CLIENT LIST shows flags=O). A second
 * MONITOR from the same client does nothing at all, not even a reply.
 *
 * The monitor may go on sending commands: they run normally, get their
 * replies, and are fed to every monitor, itself included. It is never
 * closed for idleness (clientsCronHandleTimeout skips CLIENT_SLAVE), and
 * it counts as a normal client for CLIENT LIST TYPE and for
 * client-output-buffer-limit. freeClient() takes it out of
 * server.monitors.
 *
 * Inside MULTI, MONITOR is queued like any command ("+QUEUED") and runs
 * at EXEC: the EXEC reply holds its "+OK", and the client becomes a
 * monitor then (it is fed the "EXEC" line, which execCommand() sends to
 * the monitors last).
 *
 * @param c The client.
 *
 * Called by: call() (server.c) through the command table.
 *
 * @par Redis 5.0:
 * monitorCommand() is in server.c there, with the same checks. 5.0.14
 * has no MULTI check; Redis 6.2 added "-ERR MONITOR isn't allowed for
 * DENY BLOCKING client", which a MONITOR queued in MULTI gets from EXEC
 * (6.2's execCommand sets CLIENT_DENY_BLOCKING; 7.0 does the same).
 */
/* ANCHOR: replication-monitor-command */
void monitorCommand(client *c) {
    /* Already a monitor (or, in Redis, a replica): ignore, no reply. */
    if (c->flags & CLIENT_SLAVE) return;

    c->flags |= (CLIENT_SLAVE | CLIENT_MONITOR);
    listAddNodeTail(server.monitors, c);
    addReply(c, shared.ok);
}
/* ANCHOR_END: replication-monitor-command */
