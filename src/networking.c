/**
 * @file networking.c
 * @brief The input half of the pipeline: accepting connections, the client
 *        life cycle, reading bytes and parsing them into argc/argv (the
 *        CLIENT command that reports on it is in client_cmd.c).
 *
 * Where it sits in the pipeline
 * -----------------------------
 *
 *     listening socket --acceptTcpHandler--> createClient()        [here]
 *     readable socket  --readQueryFromClient--> c->querybuf        [here]
 *     c->querybuf      --processInputBuffer--> c->argc / c->argv   [here]
 *     c->argv          --processCommand (server.c)--> command proc
 *     command proc     --addReply (reply.c)--> c->buf / c->reply
 *     c->buf / reply   --writeToClient (reply.c)--> socket
 *
 * What flows in: new connections on the listening sockets, and raw bytes on
 * each client socket (or, for CLIENT_FAKE_IO clients, from
 * server.fake_io.read). What flows out: one `client` per connection and, for
 * every complete request found in its query buffer, a call to
 * processCommand() with `c->argc` / `c->argv` filled in.
 *
 * The query buffer in one picture. Everything the parser knows about a
 * client's input is five numbers and one string:
 *
 *     querybuf: "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPI"
 *                ^                   ^             ^
 *                0                   qb_pos = 14   sdslen = 24
 *     reqtype      what the request at qb_pos is (inline or multibulk)
 *     multibulklen arguments of the current "*<n>" still to read
 *     bulklen      length of the "$<n>" argument being read, or -1
 *     argc / argv  arguments already turned into objects
 *
 * Bytes before qb_pos are consumed; they are cut away (the trim) only once
 * per read, at the end of processInputBuffer(), so that a read carrying
 * twenty pipelined commands moves memory once, not twenty times.
 *
 * Whose buffer is querybuf? By default, as in Redis 5.0.14, the client's
 * own for its whole life: the first read makes room for 16 KB (the sds
 * growth policy makes that a 32 KB allocation), the trim empties it but
 * keeps the room, and clientsCronResizeQueryBuffer() (cron.c) gives the
 * room back at the client's next cron visit (about once a second) when the
 * client's requests arrive whole: readQueryFromClient() takes
 * querybuf_peak *before* each read, so a client whose buffer is always
 * empty between reads has peak 0, and 32768 / (0 + 1) > 2 makes the cron
 * shrink it to a few bytes. CLIENT LIST then shows "qbuf=0 qbuf-free=0"
 * for an idle client, exactly as Redis 5.0.14 does.
 *
 * Option `reusable-querybuf yes` (minired's, off by default; redis.conf,
 * --reusable-querybuf yes, or CONFIG SET reusable-querybuf yes): the idea
 * Redis adopted in 8.0-m01 (networking.c there: thread_reusable_qb,
 * resetReusableQueryBuf(); 7.4.1 has neither). A client with nothing
 * pending borrows the server's reusable buffer (server.reusable_qb, 32 KB
 * of room) for one read and hands it back once the trim left it empty; its
 * own querybuf is then a 4-byte empty sds, so an idle client owns no read
 * room even in the up to ~1 s before its cron visit, and a busy server does
 * not allocate and free 32 KB per client per second. A client left with
 * half a request ("*1\r\n$4\r\nPI") keeps the buffer it read into, as
 * does one reading a big argument (processMultibulkBuffer sizes querybuf
 * for it). See borrowReusableQueryBuf(); docs/bench.md has the idle-client
 * memory measured both ways.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's networking.c (acceptTcpHandler() ... writeToClient()):
 * One networking.c holds this and the output side (addReply*,
 * writeToClient...); minired moves the output side to reply.c to keep files
 * under 1,500 lines. Names, order of operations and error texts are Redis
 * 5.0's; replication, blocking, CLIENT PAUSE/REPLY/UNBLOCK, Lua and modules
 * are left out, and each function says where.
 */

#include "server.h"

#include <ctype.h>

static void setProtocolError(const char *errstr, client *c);

/* ==========================================================================
 * Client creation and destruction
 * ======================================================================= */

/**
 * @brief Compare two string objects (the match method of pubsub_patterns).
 * @param a First robj.
 * @param b Second robj.
 * @return 1 when both hold the same bytes, 0 otherwise.
 *
 * Called by: listSearchKey() on c->pubsub_patterns (PSUBSCRIBE and
 * PUNSUBSCRIBE in pubsub.c: "is this client already subscribed to
 * news.*?").
 */
static int listMatchObjects(void *a, void *b) {
    return equalStringObjects(a, b);
}

/**
 * @brief Add a client to server.clients and remember its node.
 *
 * Keeping the listNode in c->client_list_node makes unlinkClient() O(1)
 * instead of a search through every connected client.
 *
 * @param c The client to link.
 *
 * Called by: createClient() for clients with a socket; tests and the trace
 * replayer for CLIENT_FAKE_IO clients that CLIENT LIST should show.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's linkClient() (networking.c):
 * Also inserts the client into server.clients_index, a radix tree by id
 * used by CLIENT UNBLOCK; minired has neither.
 */
void linkClient(client *c) {
    listAddNodeTail(server.clients, c);
    c->client_list_node = listLast(server.clients);
}

/**
 * @brief Allocate a client and, when @p fd is a socket, start reading it.
 *
 * With fd != -1 the socket is made non-blocking (readQueryFromClient must
 * never wait), Nagle is turned off (replies are small and latency matters)
 * and, with tcp-keepalive, dead peers get detected. Then the event loop is
 * told to call readQueryFromClient() when bytes arrive.
 *
 * With fd == -1 the client has no connection but commands can run in its
 * context (Lua in Redis; tests and the trace replayer here, which add
 * CLIENT_FAKE_IO and may call linkClient() themselves).
 *
 * @param fd Accepted socket, or -1 for a client with no connection.
 * @return The new client, or NULL when the read handler could not be
 *         registered (the socket is closed in that case).
 *
 * Called by: acceptCommonHandler(); tests and the trace replayer with -1.
 *
 * @par Redis 5.0:
 * Same steps and order as Redis 5.0.14's createClient(), which also
 * registers the read handler itself (acceptCommonHandler() only calls
 * createClient()) and takes the id with atomicGetIncr() (minired has one
 * thread: a plain increment). Left out, each at its place below: the
 * replication fields, the blocking-operation state that only streams
 * (XREADGROUP) and WAIT use, and watched_keys (WATCH).
 */
client *createClient(int fd) {
    client *c = zmalloc(sizeof(client));

    /* ANCHOR: networking-create-client */
    /* A replayed accept (server.fake_io.accepting) keeps the recorded fd
     * number but must never touch it. */
    if (fd != -1 && !server.fake_io.accepting) {
        anetNonBlock(NULL, fd);
        anetEnableTcpNoDelay(NULL, fd);
        if (server.tcpkeepalive)
            anetKeepAlive(NULL, fd, server.tcpkeepalive);
        /* From here on, every byte the peer sends wakes the event loop and
         * lands in readQueryFromClient(c). */
        if (aeCreateFileEvent(server.el, fd, AE_READABLE,
                              readQueryFromClient, c) == AE_ERR) {
            close(fd);
            zfree(c);
            return NULL;
        }
    }

    selectDb(c, 0);
    c->id = server.next_client_id++;
    c->fd = fd;
    c->name = NULL;

    /* Input side: an empty query buffer and a parser that knows nothing
     * yet. bulklen is -1, not 0: "$0\r\n\r\n" is a valid empty argument, so
     * 0 cannot also mean "no length read". */
    c->querybuf = sdsempty();
    c->qb_pos = 0;
    c->pending_querybuf = sdsempty();
    c->querybuf_peak = 0;
    c->reqtype = 0;
    c->argc = 0;
    c->argv = NULL;
    c->cmd = c->lastcmd = NULL;
    c->multibulklen = 0;
    c->bulklen = -1;

    /* Output side: the 16 KB c->buf is part of the struct; the list only
     * gets blocks once a reply overflows it. */
    c->bufpos = 0;
    c->sentlen = 0;
    c->reply = listCreate();
    c->reply_bytes = 0;
    /* The block free/dup methods live in reply.c, next to the blocks. */
    listSetFreeMethod(c->reply, freeClientReplyValue);
    listSetDupMethod(c->reply, dupClientReplyValue);
    c->obuf_soft_limit_reached_time = 0;

    c->flags = 0;
    c->ctime = c->lastinteraction = server.unixtime;
    c->authenticated = 0;
    /* Redis 5.0.14 sets the replication fields here (replstate
     * REPL_STATE_NONE, reploff, read_reploff, repl_ack_off, repl_ack_time,
     * slave_listening_port, slave_ip, slave_capa): a client can become a
     * replica (SYNC / PSYNC) or be our master. minired has no replication,
     * so the client has no such fields. It then sets the blocking state
     * (btype, bpop: keys, target, XREADGROUP group/consumer, WAIT's
     * numreplicas/reploffset, and woff), and watched_keys for WATCH;
     * minired has no streams, no WAIT and no WATCH. */
    c->pubsub_channels = dictCreate(&objectKeyPointerValueDictType, NULL);
    c->pubsub_patterns = listCreate();
    listSetFreeMethod(c->pubsub_patterns, decrRefCountVoid);
    listSetMatchMethod(c->pubsub_patterns, listMatchObjects);
    c->peerid = NULL;
    c->client_list_node = NULL;
    if (server.fake_io.accepting) c->flags |= CLIENT_FAKE_IO;
    if (fd != -1) linkClient(c);
    initClientMultiState(c);
    /* Not blocked. 5.0.14 also sets bpop's XREAD, WAIT (reploffset,
     * numreplicas) and module fields, absent here (server.h). */
    c->btype = BLOCKED_NONE;
    c->bpop.timeout = 0;
    c->bpop.keys = dictCreate(&objectKeyPointerValueDictType, NULL);
    c->bpop.target = NULL;
    /* ANCHOR_END: networking-create-client */
    traceEvent(c, "created");
    return c;
}

/**
 * @brief Detach a client from everything that can reach it: the client
 *        list, the pending-write list, the event loop and its socket.
 *
 * After this the client is still a valid struct (freeClient() frees the
 * rest), but no event, list walk or CLIENT LIST can find it any more.
 * Safe to call twice and on fd -1 clients, linked or not.
 *
 * @param c The client to unlink.
 *
 * Called by: freeClient().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's unlinkClient() (networking.c):
 * Leaves server.clients only `if (c->fd != -1)`: only socket clients are
 * linked there. minired's fd -1 CLIENT_FAKE_IO clients may be linked, so
 * client_list_node alone decides. Redis also cleans clients_index and
 * unblocked_clients, and shuts down replicas' sockets.
 */
void unlinkClient(client *c) {
    listNode *ln;
    /* ANCHOR: networking-unlink-client */
    /* processInputBuffer() checks this after each command: NULL means "the
     * client you were serving is gone, do not touch it again". */
    if (server.current_client == c) server.current_client = NULL;

    if (c->client_list_node) {
        listDelNode(server.clients, c->client_list_node);
        c->client_list_node = NULL;
    }

    /* A CLIENT_FAKE_IO client's fd is only a recorded number. */
    if (c->fd != -1 && !(c->flags & CLIENT_FAKE_IO)) {
        aeDeleteFileEvent(server.el, c->fd, AE_READABLE);
        aeDeleteFileEvent(server.el, c->fd, AE_WRITABLE);
        close(c->fd);
        c->fd = -1;
    }

    /* A client that got a reply during this event loop turn sits in
     * clients_pending_write until beforeSleep; it must not be written to
     * after being freed. */
    if (c->flags & CLIENT_PENDING_WRITE) {
        ln = listSearchKey(server.clients_pending_write, c);
        serverAssert(ln != NULL);
        listDelNode(server.clients_pending_write, ln);
        c->flags &= ~CLIENT_PENDING_WRITE;
    }

    /* Unblocked (or un-paused) this turn and waiting for beforeSleep's
     * processUnblockedClients(): it must not re-run a freed client. */
    if (c->flags & CLIENT_UNBLOCKED) {
        ln = listSearchKey(server.unblocked_clients, c);
        serverAssert(ln != NULL);
        listDelNode(server.unblocked_clients, ln);
        c->flags &= ~CLIENT_UNBLOCKED;
    }
}
/* ANCHOR_END: networking-unlink-client */
/**
 * @brief Release the current command's arguments, keeping the argv array
 *        (the parsers replace it for the next request).
 * @param c The client whose argv is released.
 *
 * Called by: resetClient() after each command; freeClient().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's freeClientArgv() (networking.c):
 * The function is static there; minired exports it for the unit tests.
 */
void freeClientArgv(client *c) {
    int j;

    for (j = 0; j < c->argc; j++)
        decrRefCount(c->argv[j]);
    c->argc = 0;
    c->cmd = NULL;
}

/**
 * @brief Close a client's connection and free everything it owns, now.
 *
 * Same order as Redis 5.0: buffers and subscriptions, reply list and
 * arguments, then unlinkClient() (socket, events, lists), the async-free
 * queue, and last the small fields and the struct itself.
 *
 * @param c The client to free. The pointer is invalid afterwards.
 *
 * Called by: readQueryFromClient() (peer closed, read error, query buffer
 * limit), acceptCommonHandler(), freeClientsInAsyncFreeQueue(), CLIENT
 * KILL, writeToClient() (reply.c), clientsCron() (idle timeout).
 *
 * A MONITOR client (CLIENT_SLAVE|CLIENT_MONITOR) leaves server.monitors
 * after unlinkClient(), as in Redis 5.0.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's freeClient() (networking.c):
 * Also handles protected clients, a lost master or replica and WATCHed
 * keys: none exist in minired. 5.0 unblocks a blocked client just after
 * freeing querybuf; minired does it just before the "free" trace step,
 * so the trace shows the unblock while the client is still alive.
 */
void freeClient(client *c) {
    listNode *ln;
    /* ANCHOR: networking-free-client */
    /* A BLPOP waiter that disconnects leaves db->blocking_keys, or the
     * next LPUSH would hand its element to freed memory. */
    if (c->flags & CLIENT_BLOCKED) {
        unblockClient(c);
        traceEvent(c, "unblocked", "why=%s", "free");
    }
    dictRelease(c->bpop.keys);
    traceEvent(c, "free");
    sdsfree(c->querybuf);
    sdsfree(c->pending_querybuf);
    c->querybuf = NULL;

    /* Without this, PUBLISH would find the freed client in the channel's
     * subscriber list and write to freed memory. */
    pubsubUnsubscribeAllChannels(c, 0);
    pubsubUnsubscribeAllPatterns(c, 0);
    dictRelease(c->pubsub_channels);
    listRelease(c->pubsub_patterns);

    listRelease(c->reply);
    freeClientArgv(c);

    unlinkClient(c);

    /* A monitor: the next command must not be fed to freed memory. In
     * Redis the same branch takes a replica out of server.slaves; minired
     * has no replicas, so CLIENT_SLAVE here always means a monitor. */
    if (c->flags & CLIENT_SLAVE) {
        ln = listSearchKey(server.monitors, c);
        serverAssert(ln != NULL);
        listDelNode(server.monitors, ln);
    }

    /* A client can be both on the async-free queue and freed synchronously
     * (CLIENT KILL after a write error, say): leave no dangling node. */
    if (c->flags & CLIENT_CLOSE_ASAP) {
        ln = listSearchKey(server.clients_to_close, c);
        serverAssert(ln != NULL);
        listDelNode(server.clients_to_close, ln);
    }

    if (c->name) decrRefCount(c->name);
    zfree(c->argv);
    freeClientMultiState(c);
    sdsfree(c->peerid);
    zfree(c);
}
/* ANCHOR_END: networking-free-client */
/**
 * @brief Schedule a client to be freed at a safe point instead of now.
 *
 * For callers that still hold pointers to the client (a list walk, say).
 * CLIENT_CLOSE_ASAP also makes processInputBuffer() stop parsing its input.
 * The Lua client is never queued (Redis 5.0's check; minired has no Lua).
 *
 * @param c The client to free later. Calling it twice queues it once.
 *
 * Called by: handleClientsWithPendingWrites() (reply.c) when it cannot
 * install a write handler; asyncCloseClientOnOutputBufferLimitReached()
 * (reply.c) when a client's output passed client-output-buffer-limit.
 */
void freeClientAsync(client *c) {
    if (c->flags & CLIENT_CLOSE_ASAP || c->flags & CLIENT_LUA) return;
    c->flags |= CLIENT_CLOSE_ASAP;
    listAddNodeTail(server.clients_to_close, c);
    traceEvent(c, "free-async");
}
/* ANCHOR: networking-free-async-queue */
/**
 * @brief Free every client queued by freeClientAsync(). The flag is cleared
 *        first so freeClient() leaves the node for us to delete.
 *
 * Called by: serverCron() (cron.c), once per cron tick, as in Redis
 * 5.0.14, whose serverCron() calls it (6.0.0 moved the call to
 * beforeSleep(), so from 6.0 a client closed ASAP goes within one event
 * loop turn rather than within one cron period); the trace replayer.
 */
void freeClientsInAsyncFreeQueue(void) {
    while (listLength(server.clients_to_close)) {
        listNode *ln = listFirst(server.clients_to_close);
        client *c = listNodeValue(ln);

        c->flags &= ~CLIENT_CLOSE_ASAP;
        freeClient(c);
        listDelNode(server.clients_to_close, ln);
    }
}
/* ANCHOR_END: networking-free-async-queue */
/* ==========================================================================
 * Accepting connections
 * ======================================================================= */

/**
 * The reply a non-loopback client gets in protected mode. It is protocol,
 * byte for byte Redis 5.0's: a client that prints server errors shows it.
 */
#define PROTECTED_MODE_DENIED_ERR \
    "-DENIED Redis is running in protected mode because protected " \
    "mode is enabled, no bind address was specified, no " \
    "authentication password is requested to clients. In this mode " \
    "connections are only accepted from the loopback interface. " \
    "If you want to connect from external computers to Redis you " \
    "may adopt one of the following solutions: " \
    "1) Just disable protected mode sending the command " \
    "'CONFIG SET protected-mode no' from the loopback interface " \
    "by connecting to Redis from the same host the server is " \
    "running, however MAKE SURE Redis is not publicly accessible " \
    "from internet if you do so. Use CONFIG REWRITE to make this " \
    "change permanent. " \
    "2) Alternatively you can just disable the protected mode by " \
    "editing the Redis configuration file, and setting the protected " \
    "mode option to 'no', and then restarting the server. " \
    "3) If you started the server manually just for testing, restart " \
    "it with the '--protected-mode no' option. " \
    "4) Setup a bind address or an authentication password. " \
    "NOTE: You only need to do one of the above things in order for " \
    "the server to start accepting connections from the outside.\r\n"

/**
 * @brief Turn an accepted socket into a client, or refuse it with an error.
 *
 * The client is created *before* the limits are checked: by then the socket
 * is non-blocking, so the refusal can be written with one write(2) that
 * cannot stall the server, and freeClient() closes everything in one place.
 *
 * @param fd    The accepted socket.
 * @param flags CLIENT_UNIX_SOCKET for unix socket clients, else 0.
 * @param ip    The peer's address text ("127.0.0.1", "::1", ...), or NULL
 *              for unix socket clients.
 * @param port  The peer's port (0 for unix socket clients), for the trace.
 *
 * Called by: acceptTcpHandler(), acceptUnixHandler(); the trace engine
 * (trace_replay.c) with server.fake_io.accepting set, so a replayed
 * connection goes through the same checks.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's acceptCommonHandler() (networking.c):
 * Static, without the port argument, and writes the refusal with write(2);
 * minired writes it with clientWrite() so a replayed refusal reaches the
 * fake I/O hook instead of a recorded fd number.
 */
void acceptCommonHandler(int fd, int flags, char *ip, int port) {
    client *c;

    if ((c = createClient(fd)) == NULL) {
        serverLog(LL_WARNING,
                  "Error registering fd event for the new client: %s (fd=%d)",
                  strerror(errno), fd);
        close(fd); /* createClient() may have closed it already: harmless */
        return;
    }

    /* ANCHOR: networking-accept-refusal */
    /* createClient() already linked c, so with maxclients 10000 the
     * 10001st client makes the list 10001 long: '>' and not '>='. */
    if (listLength(server.clients) > server.maxclients) {
        const char *err = "-ERR max number of clients reached\r\n";

        /* Best effort: the client is going away whatever write(2) says.
         * The empty branch only consumes the warn_unused_result value. */
        if (clientWrite(c, err, strlen(err)) == -1) {
        }
        traceEventFd(c->fd, "refused", "reason=%s ip=%s port=%d data=%b",
                     "maxclients", ip, port, err, strlen(err));
        server.stat_rejected_conn++;
        freeClient(c);
        return;
    }

    /* Protected mode: an instance with no password and no explicit bind
     * address is probably exposed by accident. Talk only to loopback, and
     * tell everyone else how to change that. */
    if (server.protected_mode &&
        server.bindaddr_count == 0 &&
        server.requirepass == NULL &&
        !(flags & CLIENT_UNIX_SOCKET) &&
        ip != NULL) {
        if (strcmp(ip, "127.0.0.1") && strcmp(ip, "::1")) {
            const char *err = PROTECTED_MODE_DENIED_ERR;

            if (clientWrite(c, err, strlen(err)) == -1) {
            }
            traceEventFd(c->fd, "refused", "reason=%s ip=%s port=%d data=%b",
                         "protected", ip, port, err, strlen(err));
            server.stat_rejected_conn++;
            freeClient(c);
            return;
        }
    }
    /* ANCHOR_END: networking-accept-refusal */

    server.stat_numconnections++;
    c->flags |= flags;
    traceEvent(c, "accepted", "ip=%s port=%d unix=%B", ip, port,
               (flags & CLIENT_UNIX_SOCKET) != 0);
}

/**
 * @brief Accept pending TCP connections on a listening socket.
 *
 * One readable event may stand for many queued connections (a burst of
 * clients, or a benchmark opening 50 at once). Accepting up to
 * MAX_ACCEPTS_PER_CALL (1000) per event drains the backlog quickly without
 * letting a connection storm starve the clients already connected.
 *
 * @param el       The event loop (unused: server.el is global).
 * @param fd       The listening socket that became readable.
 * @param privdata Unused (NULL when registered by initServer()).
 * @param mask     Unused (always AE_READABLE).
 *
 * Called by: the event loop (ae.c), registered by initServer() for each
 * server.ipfd[].
 */
void acceptTcpHandler(aeEventLoop *el, int fd, void *privdata, int mask) {
    int cport, cfd, max = MAX_ACCEPTS_PER_CALL;
    char cip[NET_IP_STR_LEN];

    /* ANCHOR: networking-accept-loop */
    while (max--) {
        cfd = anetTcpAccept(server.neterr, fd, cip, sizeof(cip), &cport);
        if (cfd == ANET_ERR) {
            /* EWOULDBLOCK is the normal way out: the backlog is empty. */
            if (errno != EWOULDBLOCK)
                serverLog(LL_WARNING,
                          "Accepting client connection: %s", server.neterr);
            return;
        }
        serverLog(LL_VERBOSE, "Accepted %s:%d", cip, cport);
        acceptCommonHandler(cfd, 0, cip, cport);
    }
    /* ANCHOR_END: networking-accept-loop */
}

/**
 * @brief Accept pending connections on the unix socket: the loop of
 *        acceptTcpHandler(), with CLIENT_UNIX_SOCKET and no IP, so protected
 *        mode never refuses these (a local socket is local).
 *
 * @param el       The event loop (unused).
 * @param fd       The listening unix socket that became readable.
 * @param privdata Unused.
 * @param mask     Unused (always AE_READABLE).
 *
 * Called by: the event loop, registered by initServer() for server.sofd.
 */
void acceptUnixHandler(aeEventLoop *el, int fd, void *privdata, int mask) {
    int cfd, max = MAX_ACCEPTS_PER_CALL;

    while (max--) {
        cfd = anetUnixAccept(server.neterr, fd);
        if (cfd == ANET_ERR) {
            if (errno != EWOULDBLOCK)
                serverLog(LL_WARNING,
                          "Accepting client connection: %s", server.neterr);
            return;
        }
        serverLog(LL_VERBOSE, "Accepted connection to %s", server.unixsocket);
        acceptCommonHandler(cfd, CLIENT_UNIX_SOCKET, NULL, 0);
    }
}

/* ==========================================================================
 * Reading: socket -> c->querybuf
 * ======================================================================= */

/**
 * @brief The one place where a client's input bytes come from.
 *
 * A socket client reads with read(2). A CLIENT_FAKE_IO client (fd -1) reads
 * from the server.fake_io.read hook, with the same contract: a byte count,
 * 0 for end of stream, -1 with errno (EAGAIN: nothing now). A fake client
 * with no hook behaves like an idle non-blocking socket (EAGAIN).
 *
 * @param c   The client to read for.
 * @param buf Where to put the bytes.
 * @param len At most this many bytes.
 * @return Bytes read, 0 at end of stream, -1 on error with errno set.
 *
 * Called by: readQueryFromClient().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's readQueryFromClient() (networking.c):
 * readQueryFromClient() calls read(2) itself; this seam is minired's, so
 * tests and the trace replayer can drive the real parser.
 */
ssize_t clientRead(client *c, void *buf, size_t len) {
    if (c->flags & CLIENT_FAKE_IO) {
        if (server.fake_io.read == NULL) {
            errno = EAGAIN;
            return -1;
        }
        return server.fake_io.read(c, buf, len);
    }
    return read(c->fd, buf, len);
}

/* ANCHOR: networking-reusable-qb */
/**
 * @brief Before a read, with option reusable-querybuf on: lend the server's
 *        reusable query buffer to a client with nothing pending, taking the
 *        client's empty sds in exchange.
 *
 * Off (the default, Redis 5.0.14's behaviour) this returns at once and the
 * client reads into its own querybuf.
 *
 * On: an idle client needs no 16 KB of read room: it has no bytes to keep.
 * So it reads into server.reusable_qb (usually 32 KB already allocated, see
 * readQueryFromClient's sizing) and resetReusableQueryBuf() takes it back
 * once every byte was consumed. The two pointers are swapped, not shared:
 * c->querybuf is always a valid sds that only this client uses, and the
 * client's own empty sds (sdsempty(): a 4-byte allocation) waits in
 * server.reusable_qb. 1,000 idle clients thus hold one 32 KB buffer
 * between them instead of up to 1,000 (until the cron shrinks theirs).
 *
 * Nothing is lent when the client has bytes pending ("*3\r\n$3\r\nSE": the
 * parser's place is in that buffer) or is in the middle of a big argument
 * ("$40000\r\n" seen: processMultibulkBuffer sized the client's buffer for
 * exactly that argument; see the big-argument trick). Half a request
 * whose bytes were all consumed ("*3\r\n$3\r\nSET\r\n": argv[0] is built,
 * querybuf is empty again) can borrow: the parser's state is in argv and
 * multibulklen, not in the buffer.
 *
 * @param c The client about to read.
 *
 * Called by: readQueryFromClient(), before sizing the read.
 *
 * @par Redis 5.0:
 * Redis 5.0.14's readQueryFromClient() has no reusable buffer: querybuf is
 * the client's own for its whole life. The first read does
 * sdsMakeRoomFor(querybuf, 16 KB), and the sds growth policy doubles small
 * requests, so even a client that only ever sends PING holds a 32 KB
 * allocation until its next clientsCron() visit (at most about 1 s), where
 * clientsCronResizeQueryBuffer() (5.0.14 server.c) shrinks it: it is over
 * PROTO_MBULK_BIG_ARG (32 KB) and over twice the peak (0 when requests
 * arrive whole, the peak being taken before each read), and sdsavail() is
 * over 4 KB. Redis 8.0-m01's readQueryFromClient() introduced a reusable
 * query buffer for the cost in between: one per thread
 * (thread_reusable_qb), with an idle client's querybuf set to NULL; a read
 * with nothing pending and no big argument in progress points querybuf at
 * the reusable buffer and flags the client (CLIENT_REUSABLE_QUERYBUFFER),
 * and after processing, resetReusableQueryBuf() sets the pointer back to
 * NULL if everything was consumed, while a client left with half a request
 * keeps the buffer (a new one is made for the next borrower). A second
 * flag (thread_reusable_qb_used) stops two clients from using it at once
 * when commands run nested (processEventsWhileBlocked). minired swaps
 * instead of using NULL so that every reader of c->querybuf (the parser,
 * CLIENT LIST, the cron, the trace) works unchanged; it has no nesting to
 * guard against.
 */
static void borrowReusableQueryBuf(client *c) {
    sds own = c->querybuf;

    if (!server.reusable_querybuf) return;     /* off: read as 5.0.14 does */
    if (sdslen(own) != 0) return;              /* bytes pending: keep them */
    if (c->bulklen >= PROTO_MBULK_BIG_ARG) return; /* sized for one argument */
    if (server.reusable_qb == NULL) return;    /* no initServer(): read as 5.0 */

    c->querybuf = server.reusable_qb;
    server.reusable_qb = own;
    c->flags |= CLIENT_REUSABLE_QUERYBUFFER;
}

/**
 * @brief After processing: give the reusable query buffer back if the
 *        client consumed every byte, else let the client keep it.
 *
 * "*1\r\n$4\r\nPING\r\n" in one read: PING ran, the trim emptied querybuf,
 * so the buffer (its 32 KB allocation intact) goes back to
 * server.reusable_qb and the client gets its 4-byte sds back. Read
 * "*1\r\n$4\r\nPI" instead: "PI" is left after the trim, and it must stay
 * where the parser will look for it next time, so ownership moves with the
 * pointer: the client keeps the buffer, and the slot keeps the client's
 * small sds, which the next borrower grows to the read size. Nothing is
 * ever copied, and each sds always has exactly one owner, so freeClient()
 * frees c->querybuf, whichever it is, without knowing about any of this.
 *
 * When processMultibulkBuffer() sized querybuf for a big argument (and
 * then maybe adopted it as the argument and replaced it with a fresh sds
 * of that size) it already cleared CLIENT_REUSABLE_QUERYBUFFER: a buffer
 * sized for one 1 MB value is the client's, never the slot's, so the slot
 * never grows past the read size.
 *
 * @param c The client that just read; alive.
 *
 * Called by: processInputBuffer() after the trim, if the client is still
 * alive; readQueryFromClient() when the read brought nothing (EAGAIN) and
 * before freeing the client at end of stream or on a read error.
 *
 * With the option off no client carries CLIENT_REUSABLE_QUERYBUFFER, so
 * this returns at once.
 *
 * @par Redis 5.0:
 * Redis 5.0.14's readQueryFromClient() has no reusable buffer (see
 * borrowReusableQueryBuf()). Redis 8.0-m01 has a function of this name and
 * role, called by readQueryFromClient() after processInputBuffer() and by
 * freeClient().
 */
static void resetReusableQueryBuf(client *c) {
    sds lent;

    if (!(c->flags & CLIENT_REUSABLE_QUERYBUFFER)) return;
    c->flags &= ~CLIENT_REUSABLE_QUERYBUFFER;
    if (sdslen(c->querybuf) != 0) return; /* half a request: client keeps it */

    /* The trim has run: consumed == everything. */
    serverAssert(c->qb_pos == 0);
    lent = c->querybuf;
    sdsclear(lent);
    c->querybuf = server.reusable_qb;
    server.reusable_qb = lent;
}
/* ANCHOR_END: networking-reusable-qb */

/**
 * @brief Read what the client sent, append it to c->querybuf and parse it.
 *
 * One call does one read of at most PROTO_IOBUF_LEN (16 KB). A request
 * bigger than that simply takes several calls: the parser keeps its place
 * in c->multibulklen / c->bulklen between them.
 *
 * @param el       The event loop (unused).
 * @param fd       The client's socket (unused: clientRead() uses c->fd).
 * @param privdata The client, as registered by createClient().
 * @param mask     Unused (always AE_READABLE).
 *
 * Called by: the event loop when the socket is readable; tests and the
 * trace replayer directly for CLIENT_FAKE_IO clients.
 *
 * @par Redis 5.0:
 * Same order as Redis 5.0.14's readQueryFromClient(): size the read, take
 * querybuf_peak from the length *before* the read, make room, read. There a
 * master client's bytes are also appended to pending_querybuf and counted
 * in read_reploff, for replication; minired has no replication (no
 * CLIENT_MASTER client can exist), so it leaves those two branches out.
 * Redis 5.0.14 always reads into the
 * client's own querybuf; with option reusable-querybuf on, minired first
 * lends an idle client the server's reusable buffer
 * (borrowReusableQueryBuf(), after Redis 8.0-m01), and gives it back on the
 * paths that end here without parsing.
 */
void readQueryFromClient(aeEventLoop *el, int fd, void *privdata, int mask) {
    client *c = (client *)privdata;
    ssize_t nread;
    size_t readlen, qblen;

    /* Option reusable-querybuf on: an idle client reads into the server's
     * reusable buffer, whose room is usually there already (see
     * borrowReusableQueryBuf()). Off (default): a no-op. */
    borrowReusableQueryBuf(c);

    /* ANCHOR: networking-read-sizing */
    readlen = PROTO_IOBUF_LEN;
    /* In the middle of a big argument ("$40000\r\n" seen, bulklen 40000),
     * read no further than its end. processMultibulkBuffer() has made
     * querybuf start exactly at the argument (qb_pos is 0 between reads), so
     * if the buffer ends exactly at its "\r\n" too, the whole sds can become
     * the argument without a copy. 13-big-arg, 16353 bytes of it held:
     * remaining = 40002 - 16353 = 23649 -> read 16384; next time 7265. */
    if (c->reqtype == PROTO_REQ_MULTIBULK && c->multibulklen &&
        c->bulklen != -1 && c->bulklen >= PROTO_MBULK_BIG_ARG) {
        ssize_t remaining = (ssize_t)(c->bulklen + 2) -
                            (ssize_t)sdslen(c->querybuf);

        /* remaining <= 0 when more than the argument is buffered already:
         * then there is nothing to align, read normally. */
        if (remaining > 0 && (size_t)remaining < readlen) readlen = remaining;
    }

    qblen = sdslen(c->querybuf);
    if (c->querybuf_peak < qblen) c->querybuf_peak = qblen;
    c->querybuf = sdsMakeRoomFor(c->querybuf, readlen);
    /* ANCHOR_END: networking-read-sizing */

    /* ANCHOR: networking-read-call */
    /* Read straight into the spare room after the current content: no
     * intermediate buffer, no copy. */
    nread = clientRead(c, c->querybuf + qblen, readlen);
    if (nread == -1) {
        if (errno == EAGAIN) {
            /* Spurious wake-up or the fake driver has nothing yet: nothing
             * was read, so a borrowed buffer goes straight back. */
            traceEvent(c, "eagain", "readlen=%z", readlen);
            resetReusableQueryBuf(c);
            return;
        } else {
            traceEvent(c, "error", "readlen=%z errno=%d", readlen, errno);
            serverLog(LL_VERBOSE, "Reading from client: %s", strerror(errno));
            /* Back to the slot before freeClient() frees c->querybuf: the
             * next reader then finds the 32 KB room ready. */
            resetReusableQueryBuf(c);
            freeClient(c);
            return;
        }
    } else if (nread == 0) {
        /* End of stream: the peer closed (or shut down its write side). */
        traceEvent(c, "eof", "readlen=%z", readlen);
        serverLog(LL_VERBOSE, "Client closed connection");
        resetReusableQueryBuf(c); /* as for a read error */
        freeClient(c);
        return;
    }

    /* Redis 5.0.14 here appends the new bytes to pending_querybuf when the
     * client is our master (CLIENT_MASTER), so that it can later feed
     * exactly the applied part of the stream to its own replicas. minired
     * has no replication, so no client is ever a master. */

    /* read(2) wrote past the sds length; tell the sds about the new bytes
     * (this also puts the terminating NUL the parser's strchr() relies on). */
    sdsIncrLen(c->querybuf, nread);
    c->lastinteraction = server.unixtime;
    /* (Redis 5.0.14: a master's read_reploff += nread; no replication.) */
    server.stat_net_input_bytes += nread;
    traceEvent(c, "read", "readlen=%z nread=%z data=%b", readlen,
               (size_t)nread, c->querybuf + qblen, (size_t)nread);
    /* ANCHOR_END: networking-read-call */

    /* ANCHOR: networking-querybuf-limit */
    /* client-query-buffer-limit (1 GB by default): a client that sends
     * forever without completing a request must not eat all memory. */
    if (sdslen(c->querybuf) > server.client_max_querybuf_len) {
        sds ci = catClientInfoString(sdsempty(), c), bytes = sdsempty();

        bytes = sdscatrepr(bytes, c->querybuf, 64);
        serverLog(LL_WARNING,
                  "Closing client that reached max query buffer length: "
                  "%s (qbuf initial bytes: %s)", ci, bytes);
        sdsfree(ci);
        sdsfree(bytes);
        traceEvent(c, "querybuf-limit", "limit=%z",
                   server.client_max_querybuf_len);
        /* A borrowed buffer holds the bytes just read: it is freed with
         * the client, and the slot keeps the client's small sds. */
        freeClient(c);
        return;
    }
    /* ANCHOR_END: networking-querybuf-limit */

    processInputBufferAndReplicate(c);
}

/* ==========================================================================
 * Parsing: c->querybuf -> c->argc / c->argv
 *
 * Two request formats share one buffer. The first byte of a request decides:
 *
 *   multibulk (what every client library sends):
 *       "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"      (27 bytes)
 *   inline (what a person types into telnet / nc):
 *       "SET k v\r\n"  or  "SET k v\n"
 *
 * A parser call either completes one request (C_OK, argv filled, qb_pos
 * just past it) or stops (C_ERR) because bytes are missing or wrong. When
 * bytes are missing, everything learned so far stays in the client
 * (multibulklen, bulklen, the arguments already in argv) and the next read
 * resumes from there: a request may arrive one byte per read.
 * ======================================================================= */

/** How many bytes of the query buffer a protocol error log shows: the first
 *  and last 64 when more than 128 bytes are left, otherwise all of them. */
#define PROTO_DUMP_LEN 128

/**
 * @brief Log a protocol error and mark the client to be closed once the
 *        error reply is out.
 *
 * The caller has already added the "-ERR Protocol error: ..." reply. After
 * CLIENT_CLOSE_AFTER_REPLY, processInputBuffer() parses nothing more,
 * the reply functions add nothing more, and writeToClient() frees the
 * client after sending the error: after a framing error there is no way to
 * know where the next request starts, so the only safe move is to hang up.
 *
 * @param errstr Short description for the log ("invalid bulk length").
 * @param c      The client that sent the bad bytes.
 *
 * Called by: processInlineBuffer(), processMultibulkBuffer().
 */
static void setProtocolError(const char *errstr, client *c) {
    /* ANCHOR: networking-protocol-error */
    /* Building the sample costs something; skip it unless it is logged. */
    if (server.verbosity <= LL_VERBOSE) {
        sds ci = catClientInfoString(sdsempty(), c);
        size_t left = sdslen(c->querybuf) - c->qb_pos;
        char buf[256];
        char *p;

        if (left < PROTO_DUMP_LEN) {
            snprintf(buf, sizeof(buf),
                     "Query buffer during protocol error: '%s'",
                     c->querybuf + c->qb_pos);
        } else {
            /* "'<first 64>' (... more N bytes ...) '<last 64>'" */
            snprintf(buf, sizeof(buf),
                     "Query buffer during protocol error: '%.*s' "
                     "(... more %zu bytes ...) '%.*s'",
                     PROTO_DUMP_LEN / 2, c->querybuf + c->qb_pos,
                     left - PROTO_DUMP_LEN,
                     PROTO_DUMP_LEN / 2,
                     c->querybuf + sdslen(c->querybuf) - PROTO_DUMP_LEN / 2);
        }
        /* "\r\n" and binary bytes would break the log line: show '.'. */
        for (p = buf; *p != '\0'; p++)
            if (!isprint((unsigned char)*p)) *p = '.';

        serverLog(LL_VERBOSE, "Protocol error (%s) from client: %s. %s",
                  errstr, ci, buf);
        sdsfree(ci);
    }
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
    /* ANCHOR_END: networking-protocol-error */
}

/**
 * @brief Parse one inline request ("SET k v\r\n") at qb_pos into argv.
 *
 * The line ends at the first `\n`; a `\r` just before it is dropped, so
 * "PING\n" and "PING\r\n" both work. The line is split like a shell would:
 * spaces separate, "double" and 'single' quotes group, "\x41" escapes
 * (sdssplitargs). For "SET k v\r\n" at qb_pos 0: querylen 7, argc 3,
 * qb_pos 9.
 *
 * @param c The client; reads querybuf from qb_pos, sets argc/argv/qb_pos.
 * @return C_OK with a request in argv (argc may be 0 for an empty line),
 *         C_ERR when no `\n` has arrived yet or on a protocol error.
 *
 * Called by: processInputBuffer() when reqtype is PROTO_REQ_INLINE.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's processInlineBuffer() (networking.c):
 * A replica's empty line also refreshes its ACK time; not in minired.
 */
int processInlineBuffer(client *c) {
    char *newline;
    int argc, j, linefeed_chars = 1;
    sds *argv, aux;
    size_t querylen;

    /* ANCHOR: networking-inline-parse */
    /* LAB 1 BEGIN inline-parse */
    newline = strchr(c->querybuf + c->qb_pos, '\n');

    if (newline == NULL) {
        /* No end of line yet. 64 KB without one is not a request being
         * typed, it is garbage (or an attack): give up on this client. */
        if (sdslen(c->querybuf) - c->qb_pos > PROTO_INLINE_MAX_SIZE) {
            addReplyError(c, "Protocol error: too big inline request");
            setProtocolError("too big inline request", c);
            traceEvent(c, "protocol-error", "error=%s", "too big inline request");
            return C_ERR;
        }
        traceEvent(c, "need-more"); /* need more data (trace point) */
        return C_ERR;
    }

    /* "PING\r\n": stop before the '\r' and consume 2 bytes instead of 1.
     * The first test keeps a lone "\n" at qb_pos from looking one byte
     * before the request. */
    if (newline != c->querybuf + c->qb_pos && *(newline - 1) == '\r')
        newline--, linefeed_chars++;

    querylen = newline - (c->querybuf + c->qb_pos);
    aux = sdsnewlen(c->querybuf + c->qb_pos, querylen);
    argv = sdssplitargs(aux, &argc);
    sdsfree(aux);
    if (argv == NULL) {
        /* "SET k \"v\r\n": the quote never closes. */
        addReplyError(c, "Protocol error: unbalanced quotes in request");
        setProtocolError("unbalanced quotes in inline request", c);
        traceEvent(c, "protocol-error", "error=%s", "unbalanced quotes");
        return C_ERR;
    }

    c->qb_pos += querylen + linefeed_chars;

    if (argc) {
        if (c->argv) zfree(c->argv);
        c->argv = zmalloc(sizeof(robj *) * argc);
    }

    /* sdssplitargs() made one sds per word; the objects adopt them without
     * a copy. An empty word is an argument like any other: inline
     * `SET k ""` is the 3-argument SET of an empty string, exactly what the
     * multibulk "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n" would give. */
    for (c->argc = 0, j = 0; j < argc; j++) {
        c->argv[c->argc] = createObject(OBJ_STRING, argv[j]);
        c->argc++;
    }
    zfree(argv);
    traceEvent(c, "parsed", "argc=%d", c->argc);
    /* LAB 1 END inline-parse */
    /* ANCHOR_END: networking-inline-parse */
    return C_OK;
}

/**
 * @brief Parse (or continue parsing) one multibulk request at qb_pos.
 *
 * The format is a count line, then per argument a length line and the
 * bytes. Here is "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n" (27 bytes)
 * arriving in one read, with the state after each step:
 *
 * @code
 *   step                 consumed         qb_pos multibulklen bulklen argc
 *   start                                     0        0        -1      0
 *   count line           "*3\r\n"             4        3        -1      0
 *   length line          "$3\r\n"             8        3         3      0
 *   argument             "SET\r\n"           13        2        -1      1
 *   length line          "$1\r\n"            17        2         1      1
 *   argument             "k\r\n"             20        1        -1      2
 *   length line          "$1\r\n"            24        1         1      2
 *   argument             "v\r\n"             27        0        -1      3
 * @endcode
 *
 * multibulklen reaches 0: the request is complete, return C_OK.
 *
 * Split across reads, say "*3\r\n$3\r\nSE" (10 bytes) first: the count and
 * the first length are parsed (qb_pos 8, multibulklen 3, bulklen 3), the
 * argument needs 3+2 bytes but only 2 are there, return C_ERR. The trim in
 * processInputBuffer() then leaves querybuf = "SE", qb_pos 0, and the next
 * read appends "T\r\n$1\r\nk..." after it: the loop below resumes at "wait
 * for the argument" because bulklen is still 3.
 *
 * @param c The client; reads querybuf from qb_pos, updates qb_pos,
 *          multibulklen, bulklen, argc and argv.
 * @return C_OK when a whole request is in argv (argc is 0 for "*0\r\n" or
 *         "*-1\r\n"), C_ERR when more bytes are needed or on a protocol
 *         error (then CLIENT_CLOSE_AFTER_REPLY is set).
 *
 * Called by: processInputBuffer() when reqtype is PROTO_REQ_MULTIBULK.
 */
int processMultibulkBuffer(client *c) {
    char *newline = NULL;
    int ok;
    long long ll;

    if (c->multibulklen == 0) {
        /* A new request: resetClient() ran after the previous one. */
        serverAssert(c->argc == 0);

        /* ANCHOR: networking-multibulk-count */
        /* LAB 2 BEGIN mbulk-count */
        /* The count line "*3\r\n" ends at a '\r'. */
        newline = strchr(c->querybuf + c->qb_pos, '\r');
        if (newline == NULL) {
            if (sdslen(c->querybuf) - c->qb_pos > PROTO_INLINE_MAX_SIZE) {
                addReplyError(c, "Protocol error: too big mbulk count string");
                setProtocolError("too big mbulk count string", c);
                traceEvent(c, "protocol-error", "error=%s",
                           "too big mbulk count string");
                return C_ERR;
            }
            traceEvent(c, "need-more"); /* need more data (trace point) */
            return C_ERR;
        }

        /* "*3\r" without its '\n' yet: wait. The '\n' is not checked, only
         * counted: any byte after the '\r' is taken as the line end. */
        if (newline - (c->querybuf + c->qb_pos) >
            (ssize_t)(sdslen(c->querybuf) - c->qb_pos - 2)) {
            traceEvent(c, "need-more");
            return C_ERR;
        }

        /* processInputBuffer() chose multibulk because of this byte. */
        serverAssert(c->querybuf[c->qb_pos] == '*');
        /* The digits between '*' and '\r': "3" in "*3\r\n". At most 1048576
         * arguments; "*abc\r\n" or "*99999999\r\n" is an error. */
        ok = string2ll(c->querybuf + 1 + c->qb_pos,
                       newline - (c->querybuf + 1 + c->qb_pos), &ll);
        if (!ok || ll > 1024 * 1024) {
            addReplyError(c, "Protocol error: invalid multibulk length");
            setProtocolError("invalid mbulk count", c);
            traceEvent(c, "protocol-error", "error=%s", "invalid mbulk count");
            return C_ERR;
        } else if (ll > 10 && server.requirepass && !c->authenticated) {
            /* ANCHOR: networking-unauth-mbulk */
            /* CVE-2021-32675, fixed in 5.0.14: before AUTH, "*1048576\r\n"
             * would make the zmalloc below reserve 8 MB of argv slots for
             * a client that has proven nothing. AUTH needs 2 arguments;
             * 10 leaves room for any command a client sends first. The
             * count is checked before qb_pos moves, like the error above,
             * so the log line shows "*11..." in the query buffer. */
            addReplyError(c, "Protocol error: unauthenticated multibulk "
                          "length");
            setProtocolError("unauth mbulk count", c);
            traceEvent(c, "unauth-limit", "what=%s len=%l", "mbulk", ll);
            return C_ERR;
            /* ANCHOR_END: networking-unauth-mbulk */
        }

        c->qb_pos = (newline - c->querybuf) + 2;

        /* "*0\r\n" and "*-1\r\n" are valid and mean "no command": C_OK with
         * argc 0, which processInputBuffer() answers with silence. The
         * step is emitted here, after qb_pos moved: multibulklen stays 0. */
        if (ll <= 0) {
            traceEvent(c, "mbulk-len", "count=%l", ll);
            return C_OK;
        }

        c->multibulklen = ll;

        /* One slot per announced argument, filled as they arrive. */
        if (c->argv) zfree(c->argv);
        c->argv = zmalloc(sizeof(robj *) * c->multibulklen);
        /* Trace point after the assignments it reports: "*3\r\n" shows
         * count 3 with multibulklen 3 and qb_pos past the line. */
        traceEvent(c, "mbulk-len", "count=%l", ll);
        /* LAB 2 END mbulk-count */
        /* ANCHOR_END: networking-multibulk-count */
    }

    serverAssert(c->multibulklen > 0);
    while (c->multibulklen) {
        if (c->bulklen == -1) {
            /* ANCHOR: networking-bulk-length */
            /* LAB 2 BEGIN mbulk-bulk-len */
            /* Expecting a length line: "$3\r\n". */
            newline = strchr(c->querybuf + c->qb_pos, '\r');
            if (newline == NULL) {
                if (sdslen(c->querybuf) - c->qb_pos > PROTO_INLINE_MAX_SIZE) {
                    addReplyError(c,
                                  "Protocol error: too big bulk count string");
                    setProtocolError("too big bulk count string", c);
                    traceEvent(c, "protocol-error", "error=%s",
                               "too big bulk count string");
                    return C_ERR;
                }
                traceEvent(c, "need-more"); /* need more data (trace point) */
                break;
            }

            /* "$3\r" without its '\n' yet. */
            if (newline - (c->querybuf + c->qb_pos) >
                (ssize_t)(sdslen(c->querybuf) - c->qb_pos - 2)) {
                traceEvent(c, "need-more");
                break;
            }

            if (c->querybuf[c->qb_pos] != '$') {
                /* e.g. "*1\r\nPING\r\n": the reply names the byte found. */
                addReplyErrorFormat(c,
                                    "Protocol error: expected '$', got '%c'",
                                    c->querybuf[c->qb_pos]);
                setProtocolError("expected $ but got something else", c);
                traceEvent(c, "protocol-error", "error=%s", "expected $");
                return C_ERR;
            }

            /* "$-1\r\n", "$x\r\n" and anything over proto-max-bulk-len
             * (512 MB by default) are refused before a byte is stored. */
            ok = string2ll(c->querybuf + c->qb_pos + 1,
                           newline - (c->querybuf + c->qb_pos + 1), &ll);
            if (!ok || ll < 0 || ll > server.proto_max_bulk_len) {
                addReplyError(c, "Protocol error: invalid bulk length");
                setProtocolError("invalid bulk length", c);
                traceEvent(c, "protocol-error", "error=%s", "invalid bulk length");
                return C_ERR;
            } else if (ll > 16384 && server.requirepass && !c->authenticated) {
                /* ANCHOR: networking-unauth-bulk */
                /* CVE-2021-32675 again: "$536870912\r\n" is within
                 * proto-max-bulk-len, and from 32 KB up the big-arg path
                 * below would sdsMakeRoomFor() the whole announced size
                 * before a byte of it arrives. Unauthenticated, 16384 is
                 * the most an argument may be (a password is at most
                 * CONFIG_AUTHPASS_MAX_LEN = 512 bytes). */
                addReplyError(c, "Protocol error: unauthenticated bulk "
                              "length");
                setProtocolError("unauth bulk length", c);
                traceEvent(c, "unauth-limit", "what=%s len=%l", "bulk", ll);
                return C_ERR;
                /* ANCHOR_END: networking-unauth-bulk */
            }

            c->qb_pos = newline - c->querybuf + 2;
            /* LAB 2 END mbulk-bulk-len */
            /* ANCHOR_END: networking-bulk-length */

            /* ANCHOR: networking-big-arg-prepare */
            /* A big argument ("$40000\r\n", at least PROTO_MBULK_BIG_ARG =
             * 32768 bytes) that is not fully here yet: drop everything before
             * it now, so querybuf starts at its first byte, and make room
             * for all of it plus "\r\n" in one allocation. readQueryFromClient
             * then reads no further than its end (see the read sizing). */
            if (ll >= PROTO_MBULK_BIG_ARG) {
                if (sdslen(c->querybuf) - c->qb_pos <= (size_t)ll + 2) {
                    size_t cut = c->qb_pos, qlen_before = sdslen(c->querybuf);
                    /* The cut bytes, kept for the trace step (only while
                     * tracing): sdsrange() moves the rest over them. */
                    sds gone = traceActive() ?
                               sdsnewlen(c->querybuf, cut) : NULL;

                    sdsrange(c->querybuf, c->qb_pos, -1);
                    c->qb_pos = 0;
                    /* After the cut: c has qb_pos 0, the args the before
                     * values ("$40000\r\n" at 4: n 12 of qlen_before). */
                    traceEvent(c, "trim", "n=%z qlen_before=%z data=%b", cut,
                               qlen_before, gone, gone ? sdslen(gone) : 0);
                    sdsfree(gone);
                    c->querybuf = sdsMakeRoomFor(c->querybuf, ll + 2);
                    /* Sized for this one argument now: if it was the
                     * server's reusable buffer, it is the client's from
                     * here on (resetReusableQueryBuf() leaves it). */
                    c->flags &= ~CLIENT_REUSABLE_QUERYBUFFER;
                }
            }
            /* ANCHOR_END: networking-big-arg-prepare */
            c->bulklen = ll;
            traceEvent(c, "bulk-len", "len=%l", ll); /* length parsed */
        }

        /* LAB 2 BEGIN mbulk-arg */
        /* The argument and its "\r\n": bulklen + 2 bytes from qb_pos. */
        if (sdslen(c->querybuf) - c->qb_pos < (size_t)(c->bulklen + 2)) {
            traceEvent(c, "need-more"); /* need more data (trace point) */
            break;
        } else {
            /* ANCHOR: networking-big-arg-adopt */
            /* The big-argument trick pays off: querybuf is exactly
             * "<40000 bytes>\r\n". Instead of copying 40000 bytes into a
             * new object, the object takes querybuf itself, the trailing
             * "\r\n" is cut off by shrinking the length by 2, and the client
             * gets a fresh, empty querybuf of the same capacity for what
             * follows. */
            if (c->qb_pos == 0 &&
                c->bulklen >= PROTO_MBULK_BIG_ARG &&
                sdslen(c->querybuf) == (size_t)(c->bulklen + 2)) {
                c->argv[c->argc++] = createObject(OBJ_STRING, c->querybuf);
                sdsIncrLen(c->querybuf, -2);
                c->querybuf = sdsnewlen(SDS_NOINIT, c->bulklen + 2);
                sdsclear(c->querybuf);
                traceEvent(c, "big-arg", "index=%d len=%l", c->argc - 1,
                           (long long)c->bulklen);
            } else {
                /* ANCHOR: networking-arg-copy */
                /* The common case: copy the bytes into an object (EMBSTR up
                 * to 44 bytes) and step over them and their "\r\n".
                 * "SET\r\n" at qb_pos 8 -> argv[0] = "SET", qb_pos 13. The
                 * two bytes after the argument are skipped, not checked. */
                c->argv[c->argc++] =
                    createStringObject(c->querybuf + c->qb_pos, c->bulklen);
                c->qb_pos += c->bulklen + 2;
                /* ANCHOR_END: networking-arg-copy */
            }
            /* ANCHOR_END: networking-big-arg-adopt */
            c->bulklen = -1;
            c->multibulklen--; /* argument complete (trace point) */
            traceEvent(c, "arg", "index=%d len=%z", c->argc - 1,
                       stringObjectLen(c->argv[c->argc - 1]));
        }
        /* LAB 2 END mbulk-arg */
    }

    /* All announced arguments are in argv. */
    if (c->multibulklen == 0) return C_OK;

    /* Still waiting for bytes: keep multibulklen/bulklen/argv for later. */
    return C_ERR;
}

/**
 * @brief Make the client ready to parse its next request.
 *
 * Releases the arguments of the command just run and forgets the request
 * type, count and length, so the byte at qb_pos is looked at afresh.
 *
 * @param c The client to reset.
 *
 * Called by: processInputBuffer() after a command returned C_OK or after
 * an empty request (argc 0).
 *
 * Also runs the CLIENT REPLY SKIP clock: "CLIENT REPLY SKIP" sets
 * CLIENT_REPLY_SKIP_NEXT; the reset after it turns that into
 * CLIENT_REPLY_SKIP, so the replies of the *next* command are dropped by
 * prepareClientToWrite(); the reset after that command clears it. With
 * "CLIENT REPLY SKIP\r\nINCR a\r\nINCR a\r\n" the client receives only
 * ":2\r\n".
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's resetClient() (networking.c): the same
 * CLIENT REPLY SKIP handling ("skip next" becomes "skip this"). Redis
 * also clears CLIENT_ASKING (cluster) unless in MULTI or the command was
 * ASKING; minired has no cluster.
 */
void resetClient(client *c) {
    /* ANCHOR: networking-reset-client */
    /* LAB 3 BEGIN reset-client */
    freeClientArgv(c);
    c->reqtype = 0;
    c->multibulklen = 0;
    c->bulklen = -1;
    /* LAB 3 END reset-client */
    /* The command just run was the skipped one (or any other): replies
     * flow again. If it was CLIENT REPLY SKIP, arm the skip for the next
     * command. An empty request (argc 0) also passes here, so a bare
     * "\r\n" after CLIENT REPLY SKIP uses the skip up. */
    c->flags &= ~CLIENT_REPLY_SKIP;
    if (c->flags & CLIENT_REPLY_SKIP_NEXT) {
        c->flags |= CLIENT_REPLY_SKIP;
        c->flags &= ~CLIENT_REPLY_SKIP_NEXT;
    }
    traceEvent(c, "reset");
    /* ANCHOR_END: networking-reset-client */
}

/**
 * @brief Run every complete request in the query buffer, then trim it.
 *
 * This loop is why pipelining works: one read may bring
 * "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n" (28 bytes, two requests). The
 * first turn parses bytes 0..13 and runs PING (qb_pos 14); 14 < 28, so a
 * second turn runs the second PING (qb_pos 28); then the loop ends and the
 * trim empties the buffer. Both replies queue in c->buf and leave in one
 * write(2) from beforeSleep.
 *
 * The loop can also stop with whole requests still waiting: while clients
 * are paused, and once a command blocked the client (BLPOP on an empty
 * list). processUnblockedClients() (blocked.c) calls this again for them.
 *
 * @param c The client whose querybuf has new bytes.
 *
 * Called by: processInputBufferAndReplicate().
 *
 * @par Redis 5.0:
 * Same loop and order as Redis 5.0.14's processInputBuffer(): it stops
 * when clients are paused (CLIENT PAUSE, unless the client is a replica),
 * when the client is blocked, when a Lua script is over its time limit and
 * the client is our master (left out: minired has neither Lua nor
 * replication), and when the client is closing. After a command it sets a
 * master's applied offset (reploff; left out: replication) and skips
 * resetClient() for a client blocked by a module command, whose reply
 * callback still needs argv (left out: no modules). Redis 5.0.14 has no reusable
 * query buffer to give back after the trim (option reusable-querybuf:
 * resetReusableQueryBuf(), after Redis 8.0-m01, whose readQueryFromClient
 * calls it: there processInputBuffer
 * returns C_ERR for a freed client, while 5.0's returns nothing, so minired
 * gives back here, where the client is known to be alive).
 */
void processInputBuffer(client *c) {
    /* Lets commands (CLIENT KILL of oneself, for one) and unlinkClient()
     * know which client is being served. */
    server.current_client = c;

    /* LAB 3 BEGIN input-loop */
    /* ANCHOR: networking-input-loop */
    while (c->qb_pos < sdslen(c->querybuf)) {
        traceEvent(c, "loop-turn");
        /* ANCHOR: networking-loop-state-checks */
        /* CLIENT PAUSE 1000, then "PING\r\n" arrives: it stays in querybuf,
         * unparsed, until the pause ends and clientsArePaused() queues
         * this client for processUnblockedClients(). Replicas are exempt:
         * a pause is how a failover lets them catch up. */
        if (!(c->flags & CLIENT_SLAVE) && clientsArePaused()) {
            traceEvent(c, "paused", "pending=%z",
                       sdslen(c->querybuf) - c->qb_pos);
            break;
        }

        /* "*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n":
         * BLPOP blocked in the previous turn, so "*1\r\n$4\r\nPING\r\n"
         * waits here until an LPUSH, a timeout or CLIENT UNBLOCK. */
        if (c->flags & CLIENT_BLOCKED) {
            traceEvent(c, "loop-blocked", "pending=%z",
                       sdslen(c->querybuf) - c->qb_pos);
            break;
        }
        /* ANCHOR_END: networking-loop-state-checks */

        /* Redis 5.0 stops here, too, for its master's replication stream
         * while a Lua script runs past lua-time-limit (server.lua_timedout
         * && CLIENT_MASTER), to apply it after the script. minired has
         * neither Lua nor replication, so there is no such branch. */

        /* The fourth check of 5.0.14's loop: a closing client.
         * After QUIT or a protocol error, the remaining input is ignored:
         * the connection closes once the reply is out, and no more replies
         * may be queued behind that one. */
        if (c->flags & (CLIENT_CLOSE_AFTER_REPLY | CLIENT_CLOSE_ASAP)) {
            traceEvent(c, "loop-closing", "pending=%z",
                       sdslen(c->querybuf) - c->qb_pos);
            break;
        }

        /* First byte of a new request: '*' is multibulk, anything else is
         * an inline command ("PING\r\n"). */
        if (!c->reqtype) {
            if (c->querybuf[c->qb_pos] == '*') {
                c->reqtype = PROTO_REQ_MULTIBULK;
            } else {
                c->reqtype = PROTO_REQ_INLINE;
            }
            /* After the choice: reqtype 2 for '*', 1 for "PING\r\n". */
            traceEvent(c, "reqtype", "type=%s",
                       c->reqtype == PROTO_REQ_MULTIBULK ? "multibulk"
                                                         : "inline");
        }

        if (c->reqtype == PROTO_REQ_INLINE) {
            if (processInlineBuffer(c) != C_OK) break;
        } else if (c->reqtype == PROTO_REQ_MULTIBULK) {
            if (processMultibulkBuffer(c) != C_OK) break;
        } else {
            serverPanic("Unknown request type");
        }

        if (c->argc == 0) {
            /* "*0\r\n", "*-1\r\n" or an empty inline line: nothing to run,
             * no reply, just get ready for the next request. */
            resetClient(c);
        } else {
            /* C_ERR (QUIT) means "closing": keep argv, the next turn stops
             * on CLIENT_CLOSE_AFTER_REPLY anyway. */
            /* A command that blocked is reset too: its keys are kept in
             * c->bpop, not in argv. (5.0.14 keeps argv only for a client
             * blocked by a module, BLOCKED_MODULE, absent here.) */
            if (processCommand(c) == C_OK) resetClient(c);
            /* The command may have freed this very client; c is then a
             * dangling pointer and must not be touched again. */
            if (server.current_client == NULL) break;
        }
        /* The loop's own exit, taken by the while test just above: every
         * byte consumed ("PING\r\n" run, qb_pos 6 == qlen 6). The other
         * exits each have their step: paused, loop-blocked, loop-closing,
         * a parser step (need-more, protocol-error, unauth-limit), and a
         * client freed by its command, which has no state left to show
         * (its free step). (trace point only: no test of Redis's) */
        if (c->qb_pos >= sdslen(c->querybuf)) traceEvent(c, "loop-drained");
    }
    /* ANCHOR_END: networking-input-loop */

    /* ANCHOR: networking-trim */
    /* Cut the consumed bytes off the front, once per call. Input
     * "PING\r\n*1\r\n$4\r\nPI": PING ran (qb_pos 6), then the parser also
     * consumed "*1\r\n$4\r\n" (multibulklen 1, bulklen 4, qb_pos 14) and
     * stopped. querybuf becomes "PI", qb_pos 0, and the next read appends
     * "NG\r\n" right after it. With everything consumed querybuf becomes ""
     * (the allocation stays, for the next read: the server's, if it was
     * the reusable buffer, see just below). */
    if (server.current_client != NULL && c->qb_pos) {
        size_t cut = c->qb_pos, qlen_before = sdslen(c->querybuf);
        /* sdsrange() moves the kept bytes over the cut ones: copy those
         * first, for the trace step only (NULL when tracing is off). */
        sds gone = traceActive() ? sdsnewlen(c->querybuf, cut) : NULL;

        sdsrange(c->querybuf, c->qb_pos, -1);
        c->qb_pos = 0;
        /* Emitted after the cut: c is the state after (qb_pos 0, qlen =
         * qlen_before - n), the args carry the before values. */
        traceEvent(c, "trim", "n=%z qlen_before=%z data=%b", cut,
                   qlen_before, gone, gone ? sdslen(gone) : 0);
        sdsfree(gone);
    }
    /* ANCHOR_END: networking-trim */
    /* LAB 3 END input-loop */

    /* Right after the trim, the one place that knows the client survived
     * (a freed client took whatever querybuf it had with it): an empty
     * borrowed buffer goes back to the server, a non-empty one stays. */
    if (server.current_client != NULL) resetReusableQueryBuf(c);

    server.current_client = NULL;
}

/**
 * @brief Process the input buffer, propagating what a master sent.
 *
 * @param c The client whose querybuf has new bytes.
 *
 * Called by: readQueryFromClient().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's processInputBufferAndReplicate() (networking.c):
 * For our replication master's client, the applied part of the stream is
 * also fed to our own replicas. minired has no replication, so this is
 * just processInputBuffer(), kept so the call chain reads like Redis's.
 */
void processInputBufferAndReplicate(client *c) {
    processInputBuffer(c);
}
