/**
 * @file server.c
 * @brief The server itself: start-up, the command table, command dispatch
 *        (processCommand / call), logging, hash table types, signals and
 *        main().
 *
 * Where it sits in the pipeline
 * -----------------------------
 *
 *   main()  ->  initServerConfig()  ->  loadServerConfig() (config.c)
 *           ->  initServer(): listening sockets, databases, serverCron timer
 *           ->  aeMain(server.el)           (ae.c, forever)
 *
 *   each loop turn:   beforeSleep() -> poll -> file events -> time events
 *     file event  ->  readQueryFromClient -> processInputBuffer (networking.c)
 *                 ->  processCommand(c)     <- this file: checks, then
 *                 ->  call(c)               <- this file: c->cmd->proc(c)
 *                 ->  addReply*             (reply.c) queues the answer
 *     beforeSleep ->  handleClientsWithPendingWrites (reply.c) writes it
 *     time event  ->  serverCron() every 1000/hz ms: idle clients, expiry
 *
 *   beforeSleep/serverCron/clientsCron live in cron.c, and the commands
 *   PING ECHO AUTH TIME COMMAND INFO SHUTDOWN in server_cmds.c.
 *
 * What flows in: a client whose argv/argc hold one complete command (from
 * the parser in networking.c). What flows out: the command's side effects
 * on the keyspace and its reply queued on the client; plus, once per cron
 * tick, clients closed for idleness and expired keys removed.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's server.c (processCommand(), call(), initServer(), main()):
 * it is 4,437 lines long: it also drives persistence (RDB
 * and AOF children), replication, cluster, Lua, modules, the slow log and
 * the latency monitor. minired keeps the same functions with the same
 * names for the request pipeline and marks, at each place, what Redis
 * would do there in addition. To keep files under 1,500 lines the event
 * loop hooks went to cron.c, the connection commands to server_cmds.c and
 * the command table to commands.c.
 */

#include "server.h"

#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>

/* ======================== Globals ======================== */

/** The one server state, shared by every file through server.h. */
struct redisServer server;
/** Replies built once at start-up and sent by reference. */
struct sharedObjectsStruct shared;


/* ======================== Logging ======================== */

/**
 * @brief Write one log line (or a raw block) to the log file or stdout.
 *
 * A line looks like "12345:M 27 Nov 2025 02:41:07.123 * Ready to accept
 * connections": pid, role ('M' for master: minired is always one), the
 * time to the millisecond, a level mark ('.' debug, '-' verbose,
 * '*' notice, '#' warning) and the message.
 *
 * @param level LL_* level, optionally or-ed with LL_RAW to print msg bare.
 * @param msg   The text, without a trailing newline (unless LL_RAW).
 *
 * Called by: _serverLog(), the start-up banner, the crash report.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's serverLogRaw() (server.c):
 * Same format; Redis uses a fork-safe localtime replacement, can also send
 * the line to syslog, and picks the role letter among X (sentinel),
 * C (child), S (replica) and M.
 */
void serverLogRaw(int level, const char *msg) {
    const char *marks = ".-*#";
    int rawmode = (level & LL_RAW);
    int to_stdout = server.logfile == NULL || server.logfile[0] == '\0';
    FILE *fp;

    level &= 0xff;
    if (level < server.verbosity) return;

    /* Opened and closed for every line, so that a log file removed by
     * logrotate is simply created again on the next line. */
    fp = to_stdout ? stdout : fopen(server.logfile, "a");
    if (!fp) return;

    if (rawmode) {
        fprintf(fp, "%s", msg);
    } else {
        char buf[64];
        struct timeval tv;
        struct tm tm;
        int off;

        gettimeofday(&tv, NULL);
        localtime_r(&tv.tv_sec, &tm);
        off = strftime(buf, sizeof(buf), "%d %b %Y %H:%M:%S.", &tm);
        snprintf(buf + off, sizeof(buf) - off, "%03d", (int)tv.tv_usec / 1000);
        fprintf(fp, "%d:%c %s %c %s\n", (int)getpid(), 'M', buf,
                marks[level], msg);
    }
    fflush(fp);
    if (!to_stdout) fclose(fp);
}

/**
 * @brief printf-like logging; the function behind the serverLog() macro.
 *
 * @param level LL_* level (the macro already checked it against verbosity).
 * @param fmt   printf format.
 * @param ...   Format arguments.
 *
 * Called by: serverLog() everywhere.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's serverLog() (server.c):
 * Redis 5.0 calls this function serverLog() and checks the level inside;
 * 7.0.0's server.h made serverLog() a macro that checks the level before
 * calling _serverLog(), as minired does (6.2.x still has the function).
 */
void _serverLog(int level, const char *fmt, ...) {
    va_list ap;
    char msg[LOG_MAX_LEN];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    serverLogRaw(level, msg);
}

/**
 * @brief Log a fixed message from inside a signal handler.
 *
 * Uses only write(2), open(2) and ll2string (no stdio, no malloc), which
 * are safe to call while the interrupted code may hold stdio's locks.
 * The line is "<pid>:signal-handler (<unix time>) <msg>".
 *
 * @param level LL_* level.
 * @param msg   Text to log.
 *
 * Called by: sigShutdownHandler().
 */
void serverLogFromHandler(int level, const char *msg) {
    int to_stdout = server.logfile[0] == '\0';
    char buf[64];
    int fd;

    if ((level & 0xff) < server.verbosity) return;
    fd = to_stdout ? STDOUT_FILENO :
                     open(server.logfile, O_APPEND | O_CREAT | O_WRONLY, 0644);
    if (fd == -1) return;
    ll2string(buf, sizeof(buf), getpid());
    if (write(fd, buf, strlen(buf)) == -1) goto done;
    if (write(fd, ":signal-handler (", 17) == -1) goto done;
    ll2string(buf, sizeof(buf), time(NULL));
    if (write(fd, buf, strlen(buf)) == -1) goto done;
    if (write(fd, ") ", 2) == -1) goto done;
    if (write(fd, msg, strlen(msg)) == -1) goto done;
    if (write(fd, "\n", 1) == -1) goto done;
done:
    if (!to_stdout) close(fd);
}

/* ======================== Time ======================== */

/**
 * @brief Current UNIX time in microseconds.
 * @return Microseconds since the epoch.
 *
 * Called by: call() (command duration), mstime().
 */
long long ustime(void) {
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return ((long long)tv.tv_sec) * 1000000 + tv.tv_usec;
}

/**
 * @brief Current UNIX time in milliseconds.
 * @return Milliseconds since the epoch.
 *
 * Called by: updateCachedTime(), clientsCron(), TTL code.
 */
long long mstime(void) {
    return ustime() / 1000;
}

/**
 * @brief Refresh server.unixtime and server.mstime.
 *
 * Many places need "now" (lastinteraction, TTLs, idle checks); reading a
 * cached value is cheaper than a system call each time, and one command
 * sees one consistent "now".
 *
 * Called by: serverCron() every tick, call() before each command,
 * initServerConfig().
 *
 * With server.clock_frozen (a trace replay or scenario run) the clock is
 * not read: the trace engine moves it, and traceClockFrozenTick() lets it
 * apply a "clock" event recorded at this very point.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's updateCachedTime() (server.c):
 * Takes an update_daylight_info flag and also caches ustime and the
 * daylight-saving state for the logging code.
 */
void updateCachedTime(void) {
    if (server.clock_frozen) {
        traceClockFrozenTick();
        return;
    }
    server.mstime = mstime();
    server.unixtime = server.mstime / 1000;
}

/**
 * @brief The LRU clock: seconds (LRU_CLOCK_RESOLUTION ms units) modulo
 *        2^24, stored in every robj's 24-bit lru field.
 * @return The current clock value, 0 .. LRU_CLOCK_MAX.
 *
 * Called by: serverCron() (caches it in server.lruclock), and LRU_CLOCK()
 * (server.h) when the cached value could be stale.
 */
unsigned int getLRUClock(void) {
    return (mstime() / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX;
}

/* ======================== Hash table types ======================== */

/**
 * @brief Binary-safe equality of two sds keys.
 * @param privdata Unused.
 * @param key1 First sds.
 * @param key2 Second sds.
 * @return 1 if equal, 0 otherwise.
 *
 * Called by: dict.c for dbDictType and keyptrDictType.
 */
int dictSdsKeyCompare(void *privdata, const void *key1, const void *key2) {
    size_t l1 = sdslen((sds)key1), l2 = sdslen((sds)key2);

    if (l1 != l2) return 0;
    return memcmp(key1, key2, l1) == 0;
}

/**
 * @brief Case-insensitive equality of two sds keys (command names).
 * @param privdata Unused.
 * @param key1 First sds.
 * @param key2 Second sds.
 * @return 1 if equal ignoring case, 0 otherwise.
 *
 * Called by: dict.c for commandTableDictType ("GET" finds "get").
 */
int dictSdsKeyCaseCompare(void *privdata, const void *key1, const void *key2) {
    return strcasecmp(key1, key2) == 0;
}

/**
 * @brief Hash an sds key by its bytes.
 * @param key The sds.
 * @return SipHash of the key.
 *
 * Called by: dict.c for dbDictType and keyptrDictType.
 */
uint64_t dictSdsHash(const void *key) {
    return dictGenHashFunction(key, sdslen((sds)key));
}

/**
 * @brief Hash an sds key ignoring case.
 * @param key The sds.
 * @return Case-insensitive SipHash of the key.
 *
 * Called by: dict.c for commandTableDictType.
 */
uint64_t dictSdsCaseHash(const void *key) {
    return dictGenCaseHashFunction((const unsigned char *)key,
                                   sdslen((sds)key));
}

/**
 * @brief Free an sds key or value.
 * @param privdata Unused.
 * @param val The sds to free.
 *
 * Called by: dict.c on delete (db keys, command names).
 */
void dictSdsDestructor(void *privdata, void *val) {
    sdsfree(val);
}

/**
 * @brief Release a reference to an robj key or value.
 * @param privdata Unused.
 * @param val The robj (NULL is allowed and ignored).
 *
 * Called by: dict.c on delete (db values, pub/sub channel names).
 */
static void dictObjectDestructor(void *privdata, void *val) {
    if (val == NULL) return;
    decrRefCount(val);
}

/**
 * @brief Free a list value (the subscribers of a channel).
 * @param privdata Unused.
 * @param val The list.
 *
 * Called by: dict.c on delete in keylistDictType dicts.
 */
static void dictListDestructor(void *privdata, void *val) {
    listRelease((list *)val);
}

/**
 * @brief Compare two robj keys whose ptr is an sds.
 * @param privdata Passed through to dictSdsKeyCompare.
 * @param key1 First robj.
 * @param key2 Second robj.
 * @return 1 if the strings are equal.
 *
 * Called by: dict.c for keylistDictType.
 */
static int dictObjKeyCompare(void *privdata, const void *key1,
                             const void *key2) {
    const robj *o1 = key1, *o2 = key2;
    return dictSdsKeyCompare(privdata, o1->ptr, o2->ptr);
}

/**
 * @brief Hash an robj key whose ptr is an sds.
 * @param key The robj.
 * @return Hash of its string.
 *
 * Called by: dict.c for keylistDictType.
 */
static uint64_t dictObjHash(const void *key) {
    const robj *o = key;
    return dictGenHashFunction(o->ptr, sdslen((sds)o->ptr));
}

/**
 * @brief Compare two robj keys of any string encoding (RAW, EMBSTR, INT).
 * @param privdata Passed through to dictSdsKeyCompare.
 * @param key1 First robj.
 * @param key2 Second robj.
 * @return 1 if they hold the same string.
 *
 * Called by: dict.c for objectKeyPointerValueDictType.
 */
static int dictEncObjKeyCompare(void *privdata, const void *key1,
                                const void *key2) {
    robj *o1 = (robj *)key1, *o2 = (robj *)key2;
    int cmp;

    /* Two INT objects: the long is the pointer itself. */
    if (o1->encoding == OBJ_ENCODING_INT && o2->encoding == OBJ_ENCODING_INT)
        return o1->ptr == o2->ptr;
    o1 = getDecodedObject(o1);
    o2 = getDecodedObject(o2);
    cmp = dictSdsKeyCompare(privdata, o1->ptr, o2->ptr);
    decrRefCount(o1);
    decrRefCount(o2);
    return cmp;
}

/**
 * @brief Hash an robj key of any string encoding.
 * @param key The robj.
 * @return Hash of its string form (an INT object hashes as its digits).
 *
 * Called by: dict.c for objectKeyPointerValueDictType.
 */
static uint64_t dictEncObjHash(const void *key) {
    robj *o = (robj *)key;

    if (sdsEncodedObject(o))
        return dictGenHashFunction(o->ptr, sdslen((sds)o->ptr));
    else {
        char buf[32];
        int len = ll2string(buf, sizeof(buf), (long)o->ptr);
        return dictGenHashFunction((unsigned char *)buf, len);
    }
}

/** Command table: sds name (any case) -> struct redisCommand *. */
dictType commandTableDictType = {
    dictSdsCaseHash, NULL, NULL, dictSdsKeyCaseCompare,
    dictSdsDestructor, NULL
};

/** db->dict: sds key -> robj value; both freed on delete. */
dictType dbDictType = {
    dictSdsHash, NULL, NULL, dictSdsKeyCompare,
    dictSdsDestructor, dictObjectDestructor
};

/** db->expires: the same sds keys as db->dict (not freed here) -> ms. */
dictType keyptrDictType = {
    dictSdsHash, NULL, NULL, dictSdsKeyCompare, NULL, NULL
};

/** robj key -> untyped pointer (a client's subscribed channels). */
dictType objectKeyPointerValueDictType = {
    dictEncObjHash, NULL, NULL, dictEncObjKeyCompare,
    dictObjectDestructor, NULL
};

/** robj key -> list * (server.pubsub_channels: channel -> clients). */
dictType keylistDictType = {
    dictObjHash, NULL, NULL, dictObjKeyCompare,
    dictObjectDestructor, dictListDestructor
};

/* ======================== Initialisation ======================== */

/**
 * @brief Build every reply and value in `shared`.
 *
 * Sending "+OK\r\n" is then addReply(c, shared.ok): no allocation per
 * reply. shared.integers[0..9999] are INT-encoded objects with refcount
 * OBJ_SHARED_REFCOUNT that tryObjectEncoding hands out instead of new
 * objects; mbulkhdr[n] and bulkhdr[n] are "*<n>\r\n" and "$<n>\r\n" for
 * n < 32.
 *
 * Called by: initServer().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's createSharedObjects() (server.c):
 * Creates many more (loading, BUSY, MISCONF errors, SELECT commands for
 * replication, pmessage headers, ...).
 */
void createSharedObjects(void) {
    int j;

    /* ANCHOR: server-shared-replies */
    shared.crlf = createObject(OBJ_STRING, sdsnew("\r\n"));
    shared.ok = createObject(OBJ_STRING, sdsnew("+OK\r\n"));
    shared.err = createObject(OBJ_STRING, sdsnew("-ERR\r\n"));
    shared.emptybulk = createObject(OBJ_STRING, sdsnew("$0\r\n\r\n"));
    shared.czero = createObject(OBJ_STRING, sdsnew(":0\r\n"));
    shared.cone = createObject(OBJ_STRING, sdsnew(":1\r\n"));
    shared.cnegone = createObject(OBJ_STRING, sdsnew(":-1\r\n"));
    shared.nullbulk = createObject(OBJ_STRING, sdsnew("$-1\r\n"));
    shared.nullmultibulk = createObject(OBJ_STRING, sdsnew("*-1\r\n"));
    shared.emptymultibulk = createObject(OBJ_STRING, sdsnew("*0\r\n"));
    shared.pong = createObject(OBJ_STRING, sdsnew("+PONG\r\n"));
    /* ANCHOR_END: server-shared-replies */
    shared.queued = createObject(OBJ_STRING, sdsnew("+QUEUED\r\n"));
    shared.wrongtypeerr = createObject(OBJ_STRING, sdsnew(
        "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"));
    shared.nokeyerr = createObject(OBJ_STRING, sdsnew("-ERR no such key\r\n"));
    shared.syntaxerr = createObject(OBJ_STRING, sdsnew("-ERR syntax error\r\n"));
    shared.outofrangeerr = createObject(OBJ_STRING, sdsnew(
        "-ERR index out of range\r\n"));
    shared.execaborterr = createObject(OBJ_STRING, sdsnew(
        "-EXECABORT Transaction discarded because of previous errors.\r\n"));
    shared.noautherr = createObject(OBJ_STRING, sdsnew(
        "-NOAUTH Authentication required.\r\n"));
    shared.oomerr = createObject(OBJ_STRING, sdsnew(
        "-OOM command not allowed when used memory > 'maxmemory'.\r\n"));
    shared.space = createObject(OBJ_STRING, sdsnew(" "));
    shared.colon = createObject(OBJ_STRING, sdsnew(":"));
    shared.plus = createObject(OBJ_STRING, sdsnew("+"));
    shared.messagebulk = createStringObject("$7\r\nmessage\r\n", 13);
    shared.subscribebulk = createStringObject("$9\r\nsubscribe\r\n", 15);
    shared.unsubscribebulk = createStringObject("$11\r\nunsubscribe\r\n", 18);
    shared.psubscribebulk = createStringObject("$10\r\npsubscribe\r\n", 17);
    shared.punsubscribebulk = createStringObject("$12\r\npunsubscribe\r\n", 19);
    shared.pmessagebulk = createStringObject("$8\r\npmessage\r\n", 14);
    for (j = 0; j < OBJ_SHARED_INTEGERS; j++) {
        shared.integers[j] =
            makeObjectShared(createObject(OBJ_STRING, (void *)(long)j));
        shared.integers[j]->encoding = OBJ_ENCODING_INT;
    }
    for (j = 0; j < OBJ_SHARED_BULKHDR_LEN; j++) {
        shared.mbulkhdr[j] = createObject(OBJ_STRING,
                                          sdscatprintf(sdsempty(), "*%d\r\n", j));
        shared.bulkhdr[j] = createObject(OBJ_STRING,
                                         sdscatprintf(sdsempty(), "$%d\r\n", j));
    }
}

/**
 * @brief Set every configurable field to its default and build the
 *        command table.
 *
 * Runs before the config file is read, so the file (and --options) only
 * override what they mention. The command table is built here because
 * configuration may look commands up.
 *
 * Called by: main(), unit tests (then server.port = 0; initServer()).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's initServerConfig() (server.c):
 * Also sets defaults for persistence, replication, cluster, memory
 * policies, slow log, client output limits and Lua, and creates the
 * replication ids.
 */
void initServerConfig(void) {
    int j;

    updateCachedTime();
    getRandomHexChars(server.runid, CONFIG_RUN_ID_SIZE);
    server.runid[CONFIG_RUN_ID_SIZE] = '\0';
    server.configfile = NULL;
    server.executable = NULL;
    server.hz = CONFIG_DEFAULT_HZ;
    server.port = CONFIG_DEFAULT_SERVER_PORT;
    server.tcp_backlog = CONFIG_DEFAULT_TCP_BACKLOG;
    server.bindaddr_count = 0;
    server.unixsocket = NULL;
    server.unixsocketperm = CONFIG_DEFAULT_UNIX_SOCKET_PERM;
    server.ipfd_count = 0;
    server.sofd = -1;
    server.protected_mode = CONFIG_DEFAULT_PROTECTED_MODE;
    server.reusable_querybuf = CONFIG_DEFAULT_REUSABLE_QUERYBUF;
    server.writev_replies = CONFIG_DEFAULT_WRITEV_REPLIES;
    server.dbnum = CONFIG_DEFAULT_DBNUM;
    server.verbosity = CONFIG_DEFAULT_VERBOSITY;
    server.maxidletime = CONFIG_DEFAULT_CLIENT_TIMEOUT;
    server.tcpkeepalive = CONFIG_DEFAULT_TCP_KEEPALIVE;
    server.proto_max_bulk_len = CONFIG_DEFAULT_PROTO_MAX_BULK_LEN;
    server.client_max_querybuf_len = PROTO_MAX_QUERYBUF_LEN;
    for (j = 0; j < CLIENT_TYPE_OBUF_COUNT; j++)
        server.client_obuf_limits[j] = clientBufferLimitsDefaults[j];
    server.logfile = zstrdup(CONFIG_DEFAULT_LOGFILE);
    server.requirepass = NULL;
    server.maxmemory = CONFIG_DEFAULT_MAXMEMORY;
    server.maxmemory_policy = CONFIG_DEFAULT_MAXMEMORY_POLICY;
    server.maxclients = CONFIG_DEFAULT_MAX_CLIENTS;
    server.shutdown_asap = 0;
    /* The first connected client gets id 3, as in Redis 5.0.14. There,
     * initServerConfig() also starts the counter at 1, but two non
     * connected clients (createClient(-1)) take ids 1 and 2 before any
     * connection is accepted: main() calls moduleInitModulesSystem(), which
     * creates moduleFreeContextReusedClient (id 1), and then initServer()
     * calls scriptingInit(1), which creates server.lua_client (id 2).
     * minired has neither modules nor Lua, so it starts at 3 instead: CLIENT
     * ID, CLIENT LIST's id= and CLIENT KILL ID then read as on Redis 5.0.14
     * ("id=3 addr=127.0.0.1:51234 ..." for the first redis-cli). */
    server.next_client_id = 3;
    server.lruclock = getLRUClock();
    server.fake_io.read = NULL;
    server.fake_io.write = NULL;
    server.fake_io.accepting = 0;
    server.trace_fp = NULL;
    server.trace_path = NULL;

    server.commands = dictCreate(&commandTableDictType, NULL);
    populateCommandTable();
}

/**
 * @brief Make sure the process may open maxclients + 32 file descriptors.
 *
 * Each client is a socket, and 32 (CONFIG_MIN_RESERVED_FDS) are kept for
 * listeners, log files and the like. If the soft limit is lower, raise it
 * (trying smaller values 16 at a time); if even that fails, lower
 * maxclients to what fits and say so.
 *
 * Called by: initServer(), CONFIG SET maxclients (config.c).
 */
void adjustOpenFilesLimit(void) {
    rlim_t maxfiles = server.maxclients + CONFIG_MIN_RESERVED_FDS;
    struct rlimit limit;
    rlim_t oldlimit, bestlimit;
    int setrlimit_error = 0;

    if (getrlimit(RLIMIT_NOFILE, &limit) == -1) {
        serverLog(LL_WARNING, "Unable to obtain the current NOFILE limit (%s), "
                  "assuming 1024 and setting the max clients configuration "
                  "accordingly.", strerror(errno));
        server.maxclients = 1024 - CONFIG_MIN_RESERVED_FDS;
        return;
    }
    oldlimit = limit.rlim_cur;
    if (oldlimit >= maxfiles) return;

    for (bestlimit = maxfiles; bestlimit > oldlimit; bestlimit -= 16) {
        limit.rlim_cur = bestlimit;
        limit.rlim_max = bestlimit;
        if (setrlimit(RLIMIT_NOFILE, &limit) != -1) break;
        setrlimit_error = errno;
        if (bestlimit < 16) break;
    }
    if (bestlimit < oldlimit) bestlimit = oldlimit;

    if (bestlimit < maxfiles) {
        unsigned int old_maxclients = server.maxclients;

        /* maxclients is unsigned: test bestlimit, not maxclients < 1. */
        if (bestlimit <= CONFIG_MIN_RESERVED_FDS) {
            serverLog(LL_WARNING, "Your current 'ulimit -n' of %llu is not "
                      "enough for the server to start. Please increase your "
                      "open file limit to at least %llu. Exiting.",
                      (unsigned long long)oldlimit,
                      (unsigned long long)maxfiles);
            exit(1);
        }
        server.maxclients = bestlimit - CONFIG_MIN_RESERVED_FDS;
        serverLog(LL_WARNING, "You requested maxclients of %u requiring at "
                  "least %llu max file descriptors.", old_maxclients,
                  (unsigned long long)maxfiles);
        serverLog(LL_WARNING, "Server can't set maximum open files to %llu "
                  "because of OS error: %s.", (unsigned long long)maxfiles,
                  strerror(setrlimit_error));
        serverLog(LL_WARNING, "Current maximum open files is %llu. maxclients "
                  "has been reduced to %u to compensate for low ulimit. If you "
                  "need higher maxclients increase 'ulimit -n'.",
                  (unsigned long long)bestlimit, server.maxclients);
    } else {
        serverLog(LL_NOTICE, "Increased maximum number of open files to %llu "
                  "(it was originally set to %llu).",
                  (unsigned long long)maxfiles, (unsigned long long)oldlimit);
    }
}

/* ANCHOR: server-init-listeners */
/**
 * @brief Open a non-blocking listening socket on `port` for every bind
 *        address.
 *
 * No bind address: listen on all IPv6 ("::", IPv6 only) and all IPv4
 * (0.0.0.0) addresses; a kernel without IPv6 (EAFNOSUPPORT) is fine with
 * IPv4 alone. An address that cannot exist on this host (EADDRNOTAVAIL,
 * or its protocol unsupported) is logged and skipped; any other failure,
 * typically EADDRINUSE, fails the call.
 *
 * @param port  TCP port.
 * @param fds   Out: the listening sockets are stored from fds[*count].
 * @param count In/out: number of sockets in fds.
 * @return C_OK, or C_ERR after logging "Could not create server TCP
 *         listening socket <addr>:<port>: <reason>".
 *
 * Called by: initServer() when server.port != 0.
 */
int listenToPort(int port, int *fds, int *count) {
    int j;

    /* bindaddr[0] = NULL means "*": the loop runs once even with no
     * address configured. */
    if (server.bindaddr_count == 0) server.bindaddr[0] = NULL;
    for (j = 0; j < server.bindaddr_count || j == 0; j++) {
        if (server.bindaddr[j] == NULL) {
            int unsupported = 0;

            fds[*count] = anetTcp6Server(server.neterr, port, NULL,
                                         server.tcp_backlog);
            if (fds[*count] != ANET_ERR) {
                anetNonBlock(NULL, fds[*count]);
                traceEventFd(fds[*count], "listening", "addr=%s port=%d",
                             "::", port);
                (*count)++;
            } else if (errno == EAFNOSUPPORT) {
                unsupported++;
                serverLog(LL_WARNING, "Not listening to IPv6: unsupported");
            }
            if (*count == 1 || unsupported) {
                fds[*count] = anetTcpServer(server.neterr, port, NULL,
                                            server.tcp_backlog);
                if (fds[*count] != ANET_ERR) {
                    anetNonBlock(NULL, fds[*count]);
                    traceEventFd(fds[*count], "listening", "addr=%s port=%d",
                                 "0.0.0.0", port);
                    (*count)++;
                } else if (errno == EAFNOSUPPORT) {
                    unsupported++;
                    serverLog(LL_WARNING, "Not listening to IPv4: unsupported");
                }
            }
            /* Both families bound (or one bound, one unsupported): done.
             * Otherwise fds[*count] is ANET_ERR and is reported below. */
            if (*count + unsupported == 2) break;
        } else if (strchr(server.bindaddr[j], ':')) {
            fds[*count] = anetTcp6Server(server.neterr, port,
                                         server.bindaddr[j], server.tcp_backlog);
        } else {
            fds[*count] = anetTcpServer(server.neterr, port,
                                        server.bindaddr[j], server.tcp_backlog);
        }
        if (fds[*count] == ANET_ERR) {
            serverLog(LL_WARNING,
                      "Could not create server TCP listening socket %s:%d: %s",
                      server.bindaddr[j] ? server.bindaddr[j] : "*",
                      port, server.neterr);
            if (errno == ENOPROTOOPT || errno == EPROTONOSUPPORT ||
                errno == ESOCKTNOSUPPORT || errno == EPFNOSUPPORT ||
                errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL)
                continue;
            return C_ERR;
        }
        anetNonBlock(NULL, fds[*count]);
        traceEventFd(fds[*count], "listening", "addr=%s port=%d",
                     server.bindaddr[j], port);
        (*count)++;
    }
    return C_OK;
}
/* ANCHOR_END: server-init-listeners */

/**
 * @brief Zero the counters INFO shows (CONFIG RESETSTAT, and start-up).
 *
 * Called by: initServer(), configCommand() RESETSTAT.
 */
void resetServerStats(void) {
    int j;

    server.stat_numcommands = 0;
    server.stat_numconnections = 0;
    server.stat_expiredkeys = 0;
    server.stat_keyspace_misses = 0;
    server.stat_keyspace_hits = 0;
    server.stat_rejected_conn = 0;
    server.stat_net_input_bytes = 0;
    server.stat_net_output_bytes = 0;
    for (j = 0; j < STATS_METRIC_COUNT; j++) {
        server.inst_metric[j].idx = 0;
        server.inst_metric[j].last_sample_time = mstime();
        server.inst_metric[j].last_sample_count = 0;
        memset(server.inst_metric[j].samples, 0,
               sizeof(server.inst_metric[j].samples));
    }
}

/**
 * @brief Build the running server: lists, shared objects, event loop,
 *        listening sockets, databases, and the serverCron timer.
 *
 * Listens on TCP only when server.port != 0 and on a unix socket only
 * when server.unixsocket is set, so a unit test can set port 0 and get a
 * full server state without any socket.
 *
 * Called by: main() after the configuration is loaded; unit tests.
 *
 * @par Redis 5.0:
 * Redis 5.0.14's initServer() exits with "Configured to not listen
 * anywhere, exiting." when neither socket is open; minired does that check
 * in main() so that socket-less unit tests can call initServer(). 5.0.14
 * also sets up syslog and the eviction pool, registers a readable event on
 * module_blocked_pipe (the pipe through which a module thread wakes the
 * event loop for a client it unblocked: left out, minired has no modules),
 * opens the AOF when appendonly is on (left out: no persistence), and ends
 * with clusterInit() (no cluster), scriptingInit(1) (no Lua; it creates the
 * Lua client, id 2), slowlogInit() and latencyMonitorInit().
 */
void initServer(void) {
    int j;

    /* A client that disconnects while we write would raise SIGPIPE and
     * kill the process; ignored, write(2) returns EPIPE instead. */
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    setupSignalHandlers();

    server.pid = getpid();
    server.current_client = NULL;
    server.clients = listCreate();
    server.clients_to_close = listCreate();
    server.clients_pending_write = listCreate();
    server.unblocked_clients = listCreate(); /* blocked.c */
    server.ready_keys = listCreate();
    server.blocked_clients = 0;
    memset(server.blocked_clients_by_type, 0,
           sizeof(server.blocked_clients_by_type));
    server.clients_paused = 0;
    /* The query buffer idle clients share (networking.c). Empty: the first
     * read that borrows it grows it to the read size, and it keeps that
     * room from then on. A second initServer() in one process (the trace
     * engine's scenarios) keeps the one it has. */
    if (server.reusable_qb == NULL) server.reusable_qb = sdsempty();

    createSharedObjects();
    adjustOpenFilesLimit();
    server.el = aeCreateEventLoop(server.maxclients + CONFIG_FDSET_INCR);
    if (server.el == NULL) {
        serverLog(LL_WARNING, "Failed creating the event loop. Error message: "
                  "'%s'", strerror(errno));
        exit(1);
    }
    server.db = zmalloc(sizeof(redisDb) * server.dbnum);

    if (server.port != 0 &&
        listenToPort(server.port, server.ipfd, &server.ipfd_count) == C_ERR)
        exit(1);

    if (server.unixsocket != NULL) {
        unlink(server.unixsocket); /* a stale file from a crash blocks bind */
        server.sofd = anetUnixServer(server.neterr, server.unixsocket,
                                     server.unixsocketperm, server.tcp_backlog);
        if (server.sofd == ANET_ERR) {
            serverLog(LL_WARNING, "Opening Unix socket: %s", server.neterr);
            exit(1);
        }
        anetNonBlock(NULL, server.sofd);
        traceEventFd(server.sofd, "listening", "unixsocket=%s",
                     server.unixsocket);
    }

    for (j = 0; j < server.dbnum; j++) {
        server.db[j].dict = dictCreate(&dbDictType, NULL);
        server.db[j].expires = dictCreate(&keyptrDictType, NULL);
        server.db[j].blocking_keys = dictCreate(&keylistDictType, NULL);
        server.db[j].ready_keys = dictCreate(&objectKeyPointerValueDictType, NULL);
        server.db[j].id = j;
        server.db[j].avg_ttl = 0;
    }
    server.pubsub_channels = dictCreate(&keylistDictType, NULL);
    server.pubsub_patterns = listCreate();
    listSetFreeMethod(server.pubsub_patterns, freePubsubPattern);
    listSetMatchMethod(server.pubsub_patterns, listMatchPubsubPattern);
    server.monitors = listCreate();
    server.cronloops = 0;
    server.dirty = 0;
    resetServerStats();
    server.stat_starttime = time(NULL);

    /* First run 1 ms from now; serverCron then schedules itself. */
    if (aeCreateTimeEvent(server.el, 1, serverCron, NULL, NULL) == AE_ERR)
        serverPanic("Can't create event loop timers.");

    /* ANCHOR: server-init-accept-handlers */
    /* One read handler per listening socket: from here on, a connection
     * waiting in a socket's accept queue makes epoll report that fd
     * readable, and aeProcessEvents calls acceptTcpHandler for it. A
     * failure here means the event loop cannot watch the fd (it is at or
     * above setsize, or epoll_ctl refused it), and a server that cannot
     * accept is of no use: panic rather than run deaf. */
    for (j = 0; j < server.ipfd_count; j++) {
        if (aeCreateFileEvent(server.el, server.ipfd[j], AE_READABLE,
                              acceptTcpHandler, NULL) == AE_ERR)
            serverPanic("Unrecoverable error creating server.ipfd file event.");
    }
    if (server.sofd > 0 &&
        aeCreateFileEvent(server.el, server.sofd, AE_READABLE,
                          acceptUnixHandler, NULL) == AE_ERR)
        serverPanic("Unrecoverable error creating server.sofd file event.");
    /* Redis 5.0.14's initServer() registers one more read handler here, on
     * server.module_blocked_pipe[0], which wakes the loop for clients
     * blocked by a module; minired has no modules. */
    /* ANCHOR_END: server-init-accept-handlers */
}

/* ======================== Command lookup and execution ======================== */

/**
 * @brief Find a command by name, any case.
 * @param name Command name as an sds ("GET", "get", "gEt").
 * @return The table entry, or NULL for an unknown command.
 *
 * Called by: processCommand(), commandCommand().
 */
struct redisCommand *lookupCommand(sds name) {
    return dictFetchValue(server.commands, name);
}

/**
 * @brief lookupCommand() for a C string.
 * @param s Command name.
 * @return The table entry, or NULL.
 *
 * Called by: code that needs a command by a constant name.
 */
struct redisCommand *lookupCommandByCString(char *s) {
    sds name = sdsnew(s);
    struct redisCommand *cmd = dictFetchValue(server.commands, name);

    sdsfree(name);
    return cmd;
}

/* ANCHOR: server-call */
/**
 * @brief Run one command: c->cmd->proc(c), timed and counted.
 *
 * The command's reply is only queued (addReply*); it is written later by
 * beforeSleep(). The time taken goes into the command's microseconds and
 * calls (INFO commandstats), and server.stat_numcommands counts it.
 *
 * @param c     Client whose argv/argc/cmd hold the command.
 * @param flags CMD_CALL_* bits; CMD_CALL_STATS updates the per-command
 *              stats (processCommand passes CMD_CALL_FULL).
 *
 * Called by: processCommand(), execCommand() (multi.c) for each queued
 * command.
 *
 * MONITOR clients get the command before it runs, unless it is flagged
 * 'a' (CLIENT, CONFIG, DEBUG, MONITOR...) or 'M' (EXEC: execCommand feeds it).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's call() (server.c): the same MONITOR feed,
 * before the command runs (skipped while loading; 7.0.15's call() feeds
 * after it runs). Redis also feeds the slow log and latency monitor, and
 * propagates the command to the AOF and replicas when it changed the
 * dataset (server.dirty grew) or forced propagation.
 */
void call(client *c, int flags) {
    struct redisCommand *real_cmd = c->cmd; /* EXEC may change c->cmd */
    long long dirty, start, duration;

    /* ANCHOR: server-call-monitor-feed */
    /* "GET k" from 127.0.0.1:50001 -> every monitor gets
     * "+1700000000.000000 [0 127.0.0.1:50001] \"GET\" \"k\"\r\n". */
    if (listLength(server.monitors) &&
        !(c->cmd->flags & (CMD_SKIP_MONITOR | CMD_ADMIN)))
        replicationFeedMonitors(c, server.monitors, c->db->id, c->argv, c->argc);
    /* ANCHOR_END: server-call-monitor-feed */
    dirty = server.dirty;
    updateCachedTime();
    start = ustime();
    c->cmd->proc(c);
    duration = ustime() - start;
    traceEvent(c, "done", "cmd=%s wall_duration_us=%l", real_cmd->name,
               duration);
    dirty = server.dirty - dirty;
    if (dirty < 0) dirty = 0;

    if (flags & CMD_CALL_STATS) {
        real_cmd->microseconds += duration;
        real_cmd->calls++;
    }

    /* dirty > 0 means the command changed the dataset ("SET k v": 1). */
    if (dirty && (flags & CMD_CALL_PROPAGATE)) {
        /* Redis would call propagate() here, appending the command to the
         * AOF and sending it to replicas; minired has neither. */
    }
    server.stat_numcommands++;
}
/* ANCHOR_END: server-call */

/**
 * @brief Check a fully parsed command and execute it (or queue it in
 *        MULTI).
 *
 * Checks, in Redis 5.0's order: QUIT; the command exists; its arity; the
 * client is authenticated; pub/sub context; then MULTI queueing or
 * call(), after which clients blocked on keys this command pushed to are
 * served (handleClientsBlockedOnKeys). Every refusal replies with Redis's
 * exact error and returns C_OK: the client lives on.
 *
 * @param c Client with argc >= 1 and argv filled.
 * @return C_OK if the client may continue; C_ERR after QUIT (the client
 *         is flagged CLIENT_CLOSE_AFTER_REPLY and must not be reset).
 *
 * Called by: processInputBuffer() (networking.c).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's processCommand() (server.c):
 * Runs module command filters first, and between the auth and pub/sub
 * checks also does cluster redirection, maxmemory eviction (OOM error),
 * the MISCONF persistence-error check (which refuses PING as well as
 * writes), min-replicas-to-write and the
 * read-only replica check; after pub/sub it checks stale replica data,
 * loading and a busy Lua script; after call() it records the replication
 * offset (c->woff). Each place is marked below.
 */
int processCommand(client *c) {
    /* ANCHOR: server-process-command-quit */
    /* "QUIT\r\n": answered here, before any lookup, so that it works in
     * every state (MULTI, pub/sub, unauthenticated) and with any
     * arguments. */
    if (!strcasecmp(c->argv[0]->ptr, "quit")) {
        addReply(c, shared.ok);
        c->flags |= CLIENT_CLOSE_AFTER_REPLY;
        traceEvent(c, "quit");
        return C_ERR;
    }
    /* ANCHOR_END: server-process-command-quit */

    /* ANCHOR: server-process-command-lookup */
    /* "FOO a b" -> "-ERR unknown command `FOO`, with args beginning with:
     * `a`, `b`, \r\n"; arguments are quoted until the list passes 128
     * bytes, each cut so the list stays near that size. */
    c->cmd = c->lastcmd = lookupCommand(c->argv[0]->ptr);
    traceEvent(c, "lookup", "cmd=%s", c->cmd ? c->cmd->name : NULL);
    if (!c->cmd) {
        sds args = sdsempty();
        int i;

        flagTransaction(c);
        for (i = 1; i < c->argc && sdslen(args) < 128; i++)
            args = sdscatprintf(args, "`%.*s`, ", 128 - (int)sdslen(args),
                                (char *)c->argv[i]->ptr);
        addReplyErrorFormat(c, "unknown command `%s`, with args beginning "
                            "with: %s", (char *)c->argv[0]->ptr, args);
        sdsfree(args);
        traceEvent(c, "refused", "reason=%s", "unknown");
        return C_OK;
    }
    /* ANCHOR_END: server-process-command-lookup */

    /* ANCHOR: server-process-command-arity */
    /* GET has arity 2: "GET" alone (argc 1) or "GET a b" (argc 3) fail.
     * SET has arity -3: argc must be at least 3. */
    if ((c->cmd->arity > 0 && c->cmd->arity != c->argc) ||
        (c->argc < -c->cmd->arity))
    {
        flagTransaction(c);
        addReplyErrorFormat(c, "wrong number of arguments for '%s' command",
                            c->cmd->name);
        traceEvent(c, "refused", "reason=%s", "arity");
        return C_OK;
    }
    /* ANCHOR_END: server-process-command-arity */

    /* ANCHOR: server-process-command-auth */
    /* With requirepass set, everything but AUTH (and QUIT above) gets
     * "-NOAUTH Authentication required.\r\n" until AUTH succeeds. */
    if (server.requirepass && !c->authenticated && c->cmd->proc != authCommand) {
        flagTransaction(c);
        addReply(c, shared.noautherr);
        traceEvent(c, "refused", "reason=%s", "noauth");
        return C_OK;
    }
    /* ANCHOR_END: server-process-command-auth */

    /* Not in minired: cluster redirection (-MOVED/-ASK) comes here. */
    /* ANCHOR: server-process-command-oom */
    /* maxmemory 1mb, 2 MB used: "SET k v" (flag 'm') and anything inside
     * MULTI but EXEC get "-OOM command not allowed when used memory >
     * 'maxmemory'.\r\n"; GET, DEL still run (evict.c: noeviction). Redis
     * 5.0.14 also skips this while Lua is timed out and returns C_ERR if
     * eviction freed the current client (a replica): not in minired. */
    if (server.maxmemory) {
        int out_of_memory = freeMemoryIfNeededAndSafe() == C_ERR;

        if (out_of_memory &&
            (c->cmd->flags & CMD_DENYOOM ||
             (c->flags & CLIENT_MULTI && c->cmd->proc != execCommand))) {
            flagTransaction(c);
            addReply(c, shared.oomerr);
            traceEvent(c, "oom", "maxmemory=%U", server.maxmemory);
            return C_OK;
        }
    }
    /* ANCHOR_END: server-process-command-oom */

    /* Not in minired, checked here by Redis 5.0, in this order:
     * - persistence errors (on a master): refuse write commands, and PING
     *   too, with -MISCONF after a failed background save or AOF write;
     * - min-replicas-to-write: refuse writes with -NOREPLICAS;
     * - read-only replica: refuse writes with -READONLY. */

    /* ANCHOR: server-process-command-pubsub */
    /* A subscribed client's connection carries pushed messages; only
     * commands that make sense there are accepted. No flagTransaction:
     * a subscribed client cannot be in MULTI. */
    if (c->flags & CLIENT_PUBSUB &&
        c->cmd->proc != pingCommand &&
        c->cmd->proc != subscribeCommand &&
        c->cmd->proc != unsubscribeCommand &&
        c->cmd->proc != psubscribeCommand &&
        c->cmd->proc != punsubscribeCommand)
    {
        addReplyError(c, "only (P)SUBSCRIBE / (P)UNSUBSCRIBE / PING / QUIT "
                      "allowed in this context");
        traceEvent(c, "refused", "reason=%s", "pubsub");
        return C_OK;
    }
    /* ANCHOR_END: server-process-command-pubsub */

    /* Not in minired, checked here by Redis 5.0.14's processCommand():
     * - replica with a broken link and replica-serve-stale-data no:
     *   -MASTERDOWN unless the command has the 't' flag (left out:
     *   minired is never a replica, it has no replication);
     * - loading the dataset: -LOADING unless the command has 'l' (left
     *   out: no persistence, nothing is ever loaded);
     * - a Lua script over its time limit: -BUSY for all but AUTH,
     *   REPLCONF, SHUTDOWN NOSAVE and SCRIPT KILL (left out: no Lua). */

    /* ANCHOR: server-process-command-multi */
    /* Inside MULTI, "SET k v" is stored and answered "+QUEUED\r\n"; only
     * EXEC, DISCARD and MULTI (which replies an error) run at once. Redis
     * also lets WATCH through here; minired has no WATCH. */
    if (c->flags & CLIENT_MULTI &&
        c->cmd->proc != execCommand && c->cmd->proc != discardCommand &&
        c->cmd->proc != multiCommand)
    {
        queueMultiCommand(c);
        addReply(c, shared.queued);
        traceEvent(c, "queued");
    } else {
        traceEvent(c, "call");
        call(c, CMD_CALL_FULL);
        /* "LPUSH q a" with a BLPOP q waiting: q is on ready_keys, serve it
         * now, before this client's next request. Redis 5.0 also records
         * the replication offset (c->woff) first. */
        if (listLength(server.ready_keys)) handleClientsBlockedOnKeys();
    }
    /* ANCHOR_END: server-process-command-multi */
    return C_OK;
}

/* ======================== Shutdown ======================== */

/**
 * @brief Close every listening socket; optionally remove the unix socket
 *        file.
 * @param unlink_unix_socket Non-zero to unlink server.unixsocket.
 *
 * Called by: prepareForShutdown().
 */
void closeListeningSockets(int unlink_unix_socket) {
    int j;

    for (j = 0; j < server.ipfd_count; j++) close(server.ipfd[j]);
    if (server.sofd != -1) close(server.sofd);
    if (unlink_unix_socket && server.unixsocket) {
        serverLog(LL_NOTICE, "Removing the unix socket file.");
        unlink(server.unixsocket);
    }
}

/**
 * @brief Everything to do before exit(0): log, close the listeners.
 * @param flags SHUTDOWN_NOFLAGS, SHUTDOWN_SAVE or SHUTDOWN_NOSAVE.
 * @return C_OK (minired has nothing that can make a shutdown fail).
 *
 * Called by: serverCron() after SIGTERM/SIGINT, shutdownCommand().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's prepareForShutdown() (server.c):
 * Also kills RDB/AOF children, fsyncs the AOF, saves a final RDB snapshot
 * (unless NOSAVE) and returns C_ERR if that save fails, removes the pid
 * file and flushes replica output buffers.
 */
int prepareForShutdown(int flags) {
    serverLog(LL_WARNING, "User requested shutdown...");
    if (flags & SHUTDOWN_SAVE)
        serverLog(LL_NOTICE, "SHUTDOWN SAVE: minired keeps no data on disk, "
                  "there is nothing to save.");
    closeListeningSockets(1);
    traceClose("shutdown");
    serverLog(LL_WARNING, "Redis is now ready to exit, bye bye...");
    return C_OK;
}

/* ======================== Signals ======================== */

/**
 * @brief SIGTERM / SIGINT: ask serverCron() to shut down cleanly.
 *
 * Only a flag is set here; the next cron tick (at most 100 ms later)
 * does the work. A second SIGINT (Ctrl+C twice) exits at once.
 *
 * @param sig The signal number.
 *
 * Called by: the kernel, as installed by setupSignalHandlers().
 */
static void sigShutdownHandler(int sig) {
    const char *msg;

    switch (sig) {
    case SIGINT: msg = "Received SIGINT scheduling shutdown..."; break;
    case SIGTERM: msg = "Received SIGTERM scheduling shutdown..."; break;
    default: msg = "Received shutdown signal, scheduling shutdown...";
    }
    if (server.shutdown_asap && sig == SIGINT) {
        serverLogFromHandler(LL_WARNING, "You insist... exiting now.");
        exit(1); /* not a clean shutdown: exit status 1 */
    }
    serverLogFromHandler(LL_WARNING, msg);
    server.shutdown_asap = 1;
}

/**
 * @brief Install the shutdown handlers and the crash-report handler.
 *
 * SIGTERM and SIGINT schedule a clean shutdown. SIGSEGV, SIGBUS, SIGFPE
 * and SIGILL run sigsegvHandler (debug.c), which logs a short report and
 * re-raises the signal so the process still dies of it (and dumps core
 * if allowed).
 *
 * Called by: initServer().
 */
void setupSignalHandlers(void) {
    struct sigaction act;

    sigemptyset(&act.sa_mask);
    act.sa_flags = 0;
    act.sa_handler = sigShutdownHandler;
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGINT, &act, NULL);

    sigemptyset(&act.sa_mask);
    act.sa_flags = SA_NODEFER | SA_RESETHAND | SA_SIGINFO;
    act.sa_sigaction = sigsegvHandler;
    sigaction(SIGSEGV, &act, NULL);
    sigaction(SIGBUS, &act, NULL);
    sigaction(SIGFPE, &act, NULL);
    sigaction(SIGILL, &act, NULL);
}

/* ======================== main() ======================== */

#ifndef MINIRED_NO_MAIN

/**
 * @brief Warn when the kernel caps listen(2)'s backlog below tcp-backlog.
 *
 * Called by: main(), after initServer().
 */
static void checkTcpBacklogSettings(void) {
    FILE *fp = fopen("/proc/sys/net/core/somaxconn", "r");
    char buf[1024];

    if (!fp) return;
    if (fgets(buf, sizeof(buf), fp) != NULL) {
        int somaxconn = atoi(buf);

        if (somaxconn > 0 && somaxconn < server.tcp_backlog)
            serverLog(LL_WARNING, "WARNING: The TCP backlog setting of %d "
                      "cannot be enforced because /proc/sys/net/core/somaxconn "
                      "is set to the lower value of %d.", server.tcp_backlog,
                      somaxconn);
    }
    fclose(fp);
}

/**
 * @brief Turn a relative path into an absolute one using the current
 *        directory ("redis.conf" -> "/home/u/redis.conf"; each leading
 *        "../" removes one directory from the cwd).
 * @param filename Path as given on the command line.
 * @return A new sds, or NULL if the cwd cannot be read.
 *
 * Called by: main() for argv[0] and the config file (INFO shows both).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's getAbsolutePath() (util.c):
 * The same function lives in util.c.
 */
static sds getAbsolutePath(char *filename) {
    char cwd[1024];
    sds abspath, relpath = sdsnew(filename);

    relpath = sdstrim(relpath, " \r\n\t");
    if (relpath[0] == '/') return relpath;
    if (getcwd(cwd, sizeof(cwd)) == NULL) {
        sdsfree(relpath);
        return NULL;
    }
    abspath = sdsnew(cwd);
    if (sdslen(abspath) && abspath[sdslen(abspath) - 1] != '/')
        abspath = sdscat(abspath, "/");
    while (sdslen(relpath) >= 3 && !memcmp(relpath, "../", 3)) {
        sdsrange(relpath, 3, -1);
        if (sdslen(abspath) > 1) {
            char *p = abspath + sdslen(abspath) - 2;

            while (p > abspath && *p != '/') p--;
            sdsrange(abspath, 0, p - abspath);
        }
    }
    abspath = sdscatsds(abspath, relpath);
    sdsfree(relpath);
    return abspath;
}

/**
 * @brief -v / --version: print the version line and exit(0).
 *
 * "Redis server v=5.0.14 ..." is what tools parse (the "v=" word); the
 * trailing minired= says which program this really is.
 *
 * Called by: main().
 */
static void version(void) {
    printf("Redis server v=%s sha=00000000:0 malloc=%s bits=%d build=0 "
           "minired=%s\n", REDIS_VERSION, ZMALLOC_LIB,
           sizeof(long) == 4 ? 32 : 64, MINIRED_VERSION);
    exit(0);
}

/**
 * @brief -h / --help: print the usage text to stderr and exit(1).
 *
 * Called by: main().
 */
static void usage(void) {
    fprintf(stderr, "Usage: ./minired-server [/path/to/redis.conf] [options]\n");
    fprintf(stderr, "       ./minired-server - (read config from stdin)\n");
    fprintf(stderr, "       ./minired-server -v or --version\n");
    fprintf(stderr, "       ./minired-server -h or --help\n\n");
    fprintf(stderr, "Examples:\n");
    fprintf(stderr, "       ./minired-server (run the server with default conf)\n");
    fprintf(stderr, "       ./minired-server /etc/redis/6379.conf\n");
    fprintf(stderr, "       ./minired-server --port 7777\n");
    fprintf(stderr, "       ./minired-server --port 7777 --bind 127.0.0.1 ::1\n");
    fprintf(stderr, "       ./minired-server /etc/myredis.conf --loglevel verbose\n");
    exit(1);
}

/**
 * @brief The start-up banner: a few framed lines on a terminal, else one
 *        log line "Running mode=standalone, port=N.".
 *
 * Called by: main() after initServer().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's main() (server.c), its redisAsciiArt() banner:
 * Shows its ASCII-art logo (redisAsciiArt) under the same conditions.
 */
static void minired_banner(void) {
    char buf[512];

    if (server.logfile[0] != '\0' || !isatty(fileno(stdout))) {
        serverLog(LL_NOTICE, "Running mode=standalone, port=%d.", server.port);
        return;
    }
    snprintf(buf, sizeof(buf),
        "\n"
        "    +--------------------------------------------------------+\n"
        "    |  minired %-8s the Redis %s request pipeline,     |\n"
        "    |                  rewritten and commented for teaching  |\n"
        "    |  mode standalone   port %-6d   pid %-8ld  %2d bit   |\n"
        "    +--------------------------------------------------------+\n\n",
        MINIRED_VERSION, REDIS_VERSION, server.port, (long)getpid(),
        (int)(sizeof(long) * 8));
    serverLogRaw(LL_NOTICE | LL_RAW, buf);
}

/**
 * @brief Called by zmalloc when an allocation fails: log and abort.
 * @param allocation_size Bytes that could not be allocated.
 *
 * Called by: zmalloc.c.
 */
static void redisOutOfMemoryHandler(size_t allocation_size) {
    serverLog(LL_WARNING, "Out Of Memory allocating %zu bytes!",
              allocation_size);
    serverPanic("Redis aborting for OUT OF MEMORY");
}

/**
 * @brief Turn the command line after the config file into config text.
 *
 * "--port 7777 --bind 127.0.0.1 ::1" becomes
 * "port \"7777\" \nbind \"127.0.0.1\" \"::1\" ": each --name starts a new
 * line, each value is appended quoted (sdscatrepr), so a value may hold
 * spaces and an empty value ("--save ''") survives as "".
 *
 * @param argc Number of arguments.
 * @param argv The arguments.
 * @param j    Index of the first option (after the config file, if any).
 * @return A new sds with the lines.
 *
 * Called by: main().
 */
static sds mergeCommandLineOptions(int argc, char **argv, int j) {
    sds options = sdsempty();

    /* ANCHOR: server-main-options */
    for (; j != argc; j++) {
        if (argv[j][0] == '-' && argv[j][1] == '-') {
            /* "--port": a new directive line "port " */
            if (sdslen(options)) options = sdscat(options, "\n");
            /* "--trace FILE" is minired's short form of --trace-file. */
            options = sdscat(options, strcmp(argv[j], "--trace") ?
                                      argv[j] + 2 : "trace-file");
            options = sdscat(options, " ");
        } else {
            /* "7777": an argument of the current directive, "\"7777\" " */
            options = sdscatrepr(options, argv[j], strlen(argv[j]));
            options = sdscat(options, " ");
        }
    }
    /* ANCHOR_END: server-main-options */
    return options;
}

/**
 * @brief Start minired: parse the command line, load the configuration,
 *        build the server and run the event loop until shutdown.
 *
 * `minired-server [configfile|-] [--option value ...]`
 *
 * @param argc Argument count.
 * @param argv Arguments.
 * @return 0 after the event loop stops (normally exit() happens first).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's main() (server.c):
 * Also handles sentinel mode, --test-memory, redis-check-rdb/aof, daemonizing,
 * supervision (systemd/upstart), the pid file, modules and loading the
 * dataset from disk.
 */
int main(int argc, char **argv) {
    char hashseed[16];
    int j;

    setlocale(LC_COLLATE, "");
    tzset();
    zmalloc_set_oom_handler(redisOutOfMemoryHandler);
    srand(time(NULL) ^ getpid());
    /* A random hash seed per run: nobody can precompute keys that all
     * land in one bucket. */
    getRandomHexChars(hashseed, sizeof(hashseed));
    dictSetHashFunctionSeed((uint8_t *)hashseed);

    initServerConfig();
    server.executable = getAbsolutePath(argv[0]);

    if (argc >= 2) {
        char *configfile = NULL;
        sds options;

        j = 1;
        if (strcmp(argv[1], "-v") == 0 || strcmp(argv[1], "--version") == 0)
            version();
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
            usage();
        /* Anything not starting with "--" is the config file; "-" alone
         * means "read it from standard input". */
        if (argv[j][0] != '-' || argv[j][1] != '-') {
            configfile = argv[j];
            server.configfile = getAbsolutePath(configfile);
            j++;
        }
        options = mergeCommandLineOptions(argc, argv, j);
        loadServerConfig(configfile, options);
        sdsfree(options);
    }

    /* --trace FILE / trace-file: opened now, before initServer(), so the
     * "listening" events and every connection are in it; a file that
     * cannot be opened stops the start, like a bad config line. */
    if (server.trace_path && traceOpen(server.trace_path) == C_ERR) {
        fprintf(stderr, "Can't open the trace file '%s': %s\n", server.trace_path,
                strerror(errno));
        exit(1);
    }

    serverLog(LL_WARNING, "oO0OoO0OoO0Oo minired is starting oO0OoO0OoO0Oo");
    serverLog(LL_WARNING, "minired version=%s (redis_version=%s), bits=%d, "
              "pid=%d, just started", MINIRED_VERSION, REDIS_VERSION,
              (int)(sizeof(long) * 8), (int)getpid());
    if (argc == 1)
        serverLog(LL_WARNING, "Warning: no config file specified, using the "
                  "default config. In order to specify a config file use %s "
                  "/path/to/redis.conf", argv[0]);
    else
        serverLog(LL_WARNING, "Configuration loaded");

    initServer();
    if (server.ipfd_count == 0 && server.sofd < 0) {
        serverLog(LL_WARNING, "Configured to not listen anywhere, exiting.");
        exit(1);
    }
    minired_banner();
    checkTcpBacklogSettings();
    serverLog(LL_WARNING, "Server initialized");
    if (server.ipfd_count > 0)
        serverLog(LL_NOTICE, "Ready to accept connections");
    if (server.sofd > 0)
        serverLog(LL_NOTICE, "The server is now ready to accept connections "
                  "at %s", server.unixsocket);

    aeSetBeforeSleepProc(server.el, beforeSleep);
    aeMain(server.el);
    aeDeleteEventLoop(server.el);
    return 0;
}

#endif /* MINIRED_NO_MAIN */
