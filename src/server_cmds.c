/**
 * @file server_cmds.c
 * @brief The connection-level commands: PING, ECHO, AUTH, TIME, COMMAND,
 *        INFO and SHUTDOWN.
 *
 * Where it sits in the pipeline
 * -----------------------------
 *
 *   processCommand (server.c) -> call() -> c->cmd->proc(c), one of:
 *     pingCommand  "PING"          -> "+PONG\r\n"
 *     echoCommand  "ECHO hi"       -> "$2\r\nhi\r\n"
 *     authCommand  "AUTH pw"       -> "+OK\r\n", c->authenticated = 1
 *     timeCommand  "TIME"          -> "*2\r\n$10\r\n<secs>\r\n$6\r\n<usecs>\r\n"
 *     commandCommand "COMMAND"     -> one entry per command table row
 *     infoCommand  "INFO server"   -> one bulk string of "field:value\r\n"
 *     shutdownCommand "SHUTDOWN"   -> prepareForShutdown(), exit(0)
 *
 * What flows in: a client whose argv passed processCommand's checks.
 * What flows out: a reply queued with addReply* (reply.c); AUTH also
 * changes c->authenticated, which processCommand consults next time.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's server.c (pingCommand(), infoCommand(), commandCommand()) and db.c (shutdownCommand()):
 * These live in server.c (SHUTDOWN in db.c). minired moves them to their
 * own file so that server.c stays under 1,500 lines.
 */

#include "server.h"

#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>

/**
 * @brief Compare two passwords in time that does not depend on where
 *        they differ.
 *
 * A plain strcmp returns at the first different byte, so its duration
 * tells an attacker how many leading bytes were right. Here both strings
 * are copied into zeroed 512-byte buffers and all 512 bytes are compared.
 *
 * @param a First string.
 * @param b Second string.
 * @return 0 if equal, non-zero otherwise.
 *
 * Called by: authCommand().
 */
static int time_independent_strcmp(char *a, char *b) {
    char bufa[CONFIG_AUTHPASS_MAX_LEN], bufb[CONFIG_AUTHPASS_MAX_LEN];
    unsigned int alen = strlen(a), blen = strlen(b), j;
    int diff = 0;

    /* Longer than the buffers: cannot be the password (which is checked
     * against CONFIG_AUTHPASS_MAX_LEN when set). */
    if (alen > sizeof(bufa) || blen > sizeof(bufb)) return 1;
    memset(bufa, 0, sizeof(bufa));
    memset(bufb, 0, sizeof(bufb));
    memcpy(bufa, a, alen);
    memcpy(bufb, b, blen);
    for (j = 0; j < sizeof(bufa); j++) diff |= (bufa[j] ^ bufb[j]);
    diff |= alen ^ blen;
    return diff;
}

/**
 * @brief AUTH password.
 *
 * "-ERR Client sent AUTH, but no password is set" without requirepass;
 * "+OK" and authenticated = 1 on a match; "-ERR invalid password" and
 * authenticated = 0 otherwise (a wrong AUTH logs an authenticated client
 * out).
 *
 * @param c Client; argv[1] is the password.
 *
 * Called by: call().
 */
void authCommand(client *c) {
    if (!server.requirepass) {
        addReplyError(c, "Client sent AUTH, but no password is set");
    } else if (!time_independent_strcmp(c->argv[1]->ptr, server.requirepass)) {
        c->authenticated = 1;
        addReply(c, shared.ok);
    } else {
        c->authenticated = 0;
        addReplyError(c, "invalid password");
    }
}

/**
 * @brief The "command" behind the names POST and "Host:": close the
 *        connection at once, without a reply.
 *
 * A web page can make a browser send an HTTP request to 127.0.0.1:6379
 * ("cross protocol scripting"). Redis reads "POST / HTTP/1.1\r\n" as an
 * inline command, answers the header lines with errors, and would then
 * run whatever Redis commands the request body carries. The request line
 * starts with POST and a header line with "Host:", so both names are in
 * the command table (arity -1, any arguments) and lead here: the client is
 * queued for freeClientAsync(), whose CLIENT_CLOSE_ASAP flag stops
 * processInputBuffer() before the body is parsed. serverCron() frees it
 * on its next tick. The log line is written at most once a minute (an
 * attacker must not be able to fill the disk with it).
 *
 * "POST / HTTP/1.1\r\nHost: x\r\n\r\nSET k v\r\n": no reply at all,
 * k is not set, the connection is closed.
 *
 * Note the order in processCommand(): lookup and arity come first, then
 * AUTH. With requirepass set, an unauthenticated "POST" gets
 * "-NOAUTH Authentication required." and the connection stays open, as
 * in Redis 5.0.14 (processCommand() refuses it before calling anything).
 *
 * @param c The client that sent POST or Host:.
 *
 * Called by: call(), through the "post" and "host:" rows of
 * redisCommandTable (commands.c).
 *
 * @par Redis 5.0:
 * securityWarningCommand() in networking.c (5.0.14), same log text, same
 * 60-second rate limit (a static time_t compared with labs(now-last) > 60),
 * same freeClientAsync(). minired keeps it here, with the other
 * connection-level commands, because networking.c is at its size limit.
 */
void securityWarningCommand(client *c) {
    static time_t logged_time;
    time_t now = time(NULL);

    /* The first attack is always logged (logged_time starts at 0, 1970). */
    if (labs((long)(now - logged_time)) > 60) {
        serverLog(LL_WARNING, "Possible SECURITY ATTACK detected. It looks "
                  "like somebody is sending POST or Host: commands to Redis. "
                  "This is likely due to an attacker attempting to use Cross "
                  "Protocol Scripting to compromise your Redis instance. "
                  "Connection aborted.");
        logged_time = now;
    }
    traceEvent(c, "security-warning", "cmd=%s", (char *)c->argv[0]->ptr);
    freeClientAsync(c);
}

/**
 * @brief PING [message].
 *
 * "+PONG\r\n", or the message as a bulk string. A subscribed client gets
 * the pub/sub form instead, an array: "*2\r\n$4\r\npong\r\n$0\r\n\r\n"
 * (or the message in place of the empty bulk).
 *
 * @param c Client; argc is 1 or 2.
 *
 * Called by: call().
 */
void pingCommand(client *c) {
    /* Arity -1 lets "PING a b" through processCommand: refused here. */
    if (c->argc > 2) {
        addReplyErrorFormat(c, "wrong number of arguments for '%s' command",
                            c->cmd->name);
        return;
    }
    if (c->flags & CLIENT_PUBSUB) {
        addReply(c, shared.mbulkhdr[2]);
        addReplyBulkCBuffer(c, "pong", 4);
        if (c->argc == 1)
            addReplyBulkCBuffer(c, "", 0);
        else
            addReplyBulk(c, c->argv[1]);
    } else {
        if (c->argc == 1)
            addReply(c, shared.pong);
        else
            addReplyBulk(c, c->argv[1]);
    }
}

/**
 * @brief ECHO message: the message back as a bulk string.
 * @param c Client; argv[1] is the message ("ECHO hi" -> "$2\r\nhi\r\n").
 *
 * Called by: call().
 */
void echoCommand(client *c) {
    addReplyBulk(c, c->argv[1]);
}

/**
 * @brief TIME: [unix seconds, microseconds] as two bulk strings.
 * @param c Client.
 *
 * Called by: call().
 */
void timeCommand(client *c) {
    struct timeval tv;

    gettimeofday(&tv, NULL);
    addReplyMultiBulkLen(c, 2);
    addReplyBulkLongLong(c, tv.tv_sec);
    addReplyBulkLongLong(c, tv.tv_usec);
}

/**
 * @brief Add one flag name as a status reply if the command has it.
 * @param c     Client.
 * @param cmd   Command.
 * @param f     CMD_* bit.
 * @param reply Flag name ("write", "fast", ...).
 * @return 1 if a reply was added, 0 otherwise.
 *
 * Called by: addReplyCommand().
 */
static int addReplyCommandFlag(client *c, struct redisCommand *cmd, int f,
                               char *reply) {
    if (cmd->flags & f) {
        addReplyStatus(c, reply);
        return 1;
    }
    return 0;
}

/**
 * @brief One COMMAND entry: [name, arity, [flags...], firstkey, lastkey,
 *        keystep], or a null bulk for an unknown command.
 *
 * GET gives "*6\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n
 * :1\r\n:1\r\n". The flags array length is known only after the flags are
 * added, hence the deferred length.
 *
 * @param c   Client.
 * @param cmd Command, or NULL.
 *
 * Called by: commandCommand().
 */
static void addReplyCommand(client *c, struct redisCommand *cmd) {
    int flagcount = 0;
    void *flaglen;

    if (!cmd) {
        addReply(c, shared.nullbulk);
        return;
    }
    addReplyMultiBulkLen(c, 6);
    addReplyBulkCString(c, cmd->name);
    addReplyLongLong(c, cmd->arity);

    flaglen = addDeferredMultiBulkLength(c);
    flagcount += addReplyCommandFlag(c, cmd, CMD_WRITE, "write");
    flagcount += addReplyCommandFlag(c, cmd, CMD_READONLY, "readonly");
    flagcount += addReplyCommandFlag(c, cmd, CMD_DENYOOM, "denyoom");
    flagcount += addReplyCommandFlag(c, cmd, CMD_ADMIN, "admin");
    flagcount += addReplyCommandFlag(c, cmd, CMD_PUBSUB, "pubsub");
    flagcount += addReplyCommandFlag(c, cmd, CMD_NOSCRIPT, "noscript");
    flagcount += addReplyCommandFlag(c, cmd, CMD_RANDOM, "random");
    flagcount += addReplyCommandFlag(c, cmd, CMD_SORT_FOR_SCRIPT, "sort_for_script");
    flagcount += addReplyCommandFlag(c, cmd, CMD_LOADING, "loading");
    flagcount += addReplyCommandFlag(c, cmd, CMD_STALE, "stale");
    flagcount += addReplyCommandFlag(c, cmd, CMD_SKIP_MONITOR, "skip_monitor");
    flagcount += addReplyCommandFlag(c, cmd, CMD_ASKING, "asking");
    flagcount += addReplyCommandFlag(c, cmd, CMD_FAST, "fast");
    setDeferredMultiBulkLength(c, flaglen, flagcount);

    addReplyLongLong(c, cmd->firstkey);
    addReplyLongLong(c, cmd->lastkey);
    addReplyLongLong(c, cmd->keystep);
}

/**
 * @brief COMMAND GETKEYS command [args...]: the key arguments of a
 *        full command line, found with the table's firstkey/lastkey/keystep.
 * @param c Client; argv[2..] is the command line.
 *
 * Called by: commandCommand().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's getKeysFromCommand() (db.c):
 * Also calls the command's getkeys_proc for commands whose keys cannot be
 * described by the three numbers (EVAL, SORT, ZUNIONSTORE...); none of
 * minired's commands need one.
 */
static void commandGetKeys(client *c) {
    struct redisCommand *cmd = lookupCommand(c->argv[2]->ptr);
    int argc = c->argc - 2, last, j, numkeys = 0;

    if (!cmd) {
        addReplyError(c, "Invalid command specified");
        return;
    } else if (cmd->getkeys_proc == NULL && cmd->firstkey == 0) {
        addReplyError(c, "The command has no key arguments");
        return;
    } else if ((cmd->arity > 0 && cmd->arity != argc) || argc < -cmd->arity) {
        addReplyError(c, "Invalid number of arguments specified for command");
        return;
    }
    /* "MSET a 1 b 2": argc 5, lastkey -1 -> last = 4, keys at 1 and 3. */
    last = cmd->lastkey < 0 ? argc + cmd->lastkey : cmd->lastkey;
    for (j = cmd->firstkey; j <= last && j < argc; j += cmd->keystep) numkeys++;
    addReplyMultiBulkLen(c, numkeys);
    for (j = cmd->firstkey; j <= last && j < argc; j += cmd->keystep)
        addReplyBulk(c, c->argv[j + 2]);
}

/**
 * @brief COMMAND [COUNT | INFO name... | GETKEYS cmd args... | HELP].
 *
 * Without arguments: one entry per command (see addReplyCommand); this
 * is what redis-cli asks at start-up for its hints.
 *
 * @param c Client.
 *
 * Called by: call().
 */
void commandCommand(client *c) {
    dictIterator *di;
    dictEntry *de;

    if (c->argc == 2 && !strcasecmp(c->argv[1]->ptr, "help")) {
        const char *help[] = {
"(no subcommand) -- Return details about all Redis commands.",
"COUNT -- Return the total number of commands in this Redis server.",
"GETKEYS <full-command> -- Return the keys from a full Redis command.",
"INFO [command-name ...] -- Return details about multiple Redis commands.",
NULL
        };
        addReplyHelp(c, help);
    } else if (c->argc == 1) {
        addReplyMultiBulkLen(c, dictSize(server.commands));
        di = dictGetIterator(server.commands);
        while ((de = dictNext(di)) != NULL) addReplyCommand(c, dictGetVal(de));
        dictReleaseIterator(di);
    } else if (!strcasecmp(c->argv[1]->ptr, "info")) {
        int i;

        addReplyMultiBulkLen(c, c->argc - 2);
        for (i = 2; i < c->argc; i++)
            addReplyCommand(c, dictFetchValue(server.commands, c->argv[i]->ptr));
    } else if (!strcasecmp(c->argv[1]->ptr, "count") && c->argc == 2) {
        addReplyLongLong(c, dictSize(server.commands));
    } else if (!strcasecmp(c->argv[1]->ptr, "getkeys") && c->argc >= 3) {
        commandGetKeys(c);
    } else {
        addReplySubcommandSyntaxError(c);
    }
}

/**
 * @brief Format a byte count for humans: 1023B, 1.00K, 1.50M, 2.00G...
 * @param s Output buffer (at least 32 bytes).
 * @param n Bytes.
 *
 * Called by: genRedisInfoString().
 */
static void bytesToHuman(char *s, unsigned long long n) {
    const char *units = "KMGTP";
    double d = n;
    int u = -1;

    if (n < 1024) {
        sprintf(s, "%lluB", n);
        return;
    }
    while (d >= 1024 && u < 4) {
        d /= 1024;
        u++;
    }
    sprintf(s, "%.2f%c", d, units[u]);
}

/**
 * @brief Is `name` among the sections asked for?
 * @param section The INFO argument ("default", "all", "server"...).
 * @param name    A section name.
 * @param in_default Whether `name` belongs to the default set.
 * @return 1 if the section must be printed.
 *
 * Called by: genRedisInfoString().
 */
static int infoWants(const char *section, const char *name, int in_default) {
    if (!strcasecmp(section, "all") || !strcasecmp(section, "everything"))
        return 1;
    if (in_default && !strcasecmp(section, "default")) return 1;
    return !strcasecmp(section, name);
}

/**
 * @brief Build the text INFO returns.
 *
 * Sections start with "# Name\r\n", fields are "name:value\r\n", and
 * sections are separated by an empty "\r\n". Default sections: server,
 * clients, memory, stats, cpu, keyspace; "all" (or "everything") adds
 * commandstats. An unknown section gives an empty string.
 *
 * @param section Section name, or NULL for "default".
 * @return A new sds the caller frees.
 *
 * Called by: infoCommand().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's genRedisInfoString() (server.c):
 * Also has persistence, replication and cluster sections and many more
 * memory fields; "everything" appeared in 6.0.0's genRedisInfoString()
 * (5.0.14 treats it as an unknown section).
 */
sds genRedisInfoString(char *section) {
    sds info = sdsempty();
    time_t uptime = server.unixtime - server.stat_starttime;
    int sections = 0, j;

    if (section == NULL) section = "default";

    if (infoWants(section, "server", 1)) {
        static struct utsname name;
        static int call_uname = 1;

        if (call_uname) {
            uname(&name); /* slow-ish and constant: done once */
            call_uname = 0;
        }
        if (sections++) info = sdscat(info, "\r\n");
        info = sdscatprintf(info,
            "# Server\r\n"
            "redis_version:%s\r\n"
            "minired_version:%s\r\n"
            "redis_mode:standalone\r\n"
            "os:%s %s %s\r\n"
            "arch_bits:%d\r\n"
            "multiplexing_api:%s\r\n"
            "process_id:%ld\r\n"
            "run_id:%s\r\n"
            "tcp_port:%d\r\n"
            "uptime_in_seconds:%jd\r\n"
            "uptime_in_days:%jd\r\n"
            "hz:%d\r\n"
            "lru_clock:%u\r\n"
            "executable:%s\r\n"
            "config_file:%s\r\n",
            REDIS_VERSION, MINIRED_VERSION,
            name.sysname, name.release, name.machine,
            (int)(sizeof(long) * 8), aeGetApiName(), (long)getpid(),
            server.runid, server.port, (intmax_t)uptime,
            (intmax_t)(uptime / (3600 * 24)), server.hz, server.lruclock,
            server.executable ? server.executable : "",
            server.configfile ? server.configfile : "");
    }

    if (infoWants(section, "clients", 1)) {
        size_t maxin, maxout;

        getExpansiveClientsInfo(&maxin, &maxout);
        if (sections++) info = sdscat(info, "\r\n");
        info = sdscatprintf(info,
            "# Clients\r\n"
            "connected_clients:%lu\r\n"
            "client_recent_max_input_buffer:%zu\r\n"
            "client_recent_max_output_buffer:%zu\r\n"
            "blocked_clients:%u\r\n",
            listLength(server.clients), maxin, maxout,
            server.blocked_clients);
    }

    if (infoWants(section, "memory", 1)) {
        char hmem[64], hrss[64], maxmemory_hmem[64];
        size_t used = zmalloc_used_memory(), rss = zmalloc_get_rss();

        bytesToHuman(hmem, used);
        bytesToHuman(hrss, rss);
        bytesToHuman(maxmemory_hmem, server.maxmemory);
        if (sections++) info = sdscat(info, "\r\n");
        info = sdscatprintf(info,
            "# Memory\r\n"
            "used_memory:%zu\r\n"
            "used_memory_human:%s\r\n"
            "used_memory_rss:%zu\r\n"
            "used_memory_rss_human:%s\r\n"
            "maxmemory:%lld\r\n"
            "maxmemory_human:%s\r\n"
            "maxmemory_policy:%s\r\n"
            "mem_allocator:%s\r\n",
            used, hmem, rss, hrss, (long long)server.maxmemory,
            maxmemory_hmem, evictPolicyToString(), ZMALLOC_LIB);
    }

    if (infoWants(section, "stats", 1)) {
        if (sections++) info = sdscat(info, "\r\n");
        info = sdscatprintf(info,
            "# Stats\r\n"
            "total_connections_received:%lld\r\n"
            "total_commands_processed:%lld\r\n"
            "instantaneous_ops_per_sec:%lld\r\n"
            "total_net_input_bytes:%lld\r\n"
            "total_net_output_bytes:%lld\r\n"
            "instantaneous_input_kbps:%.2f\r\n"
            "instantaneous_output_kbps:%.2f\r\n"
            "rejected_connections:%lld\r\n"
            "expired_keys:%lld\r\n"
            "keyspace_hits:%lld\r\n"
            "keyspace_misses:%lld\r\n"
            "pubsub_channels:%lu\r\n",
            server.stat_numconnections, server.stat_numcommands,
            getInstantaneousMetric(STATS_METRIC_COMMAND),
            server.stat_net_input_bytes, server.stat_net_output_bytes,
            (float)getInstantaneousMetric(STATS_METRIC_NET_INPUT) / 1024,
            (float)getInstantaneousMetric(STATS_METRIC_NET_OUTPUT) / 1024,
            server.stat_rejected_conn, server.stat_expiredkeys,
            server.stat_keyspace_hits, server.stat_keyspace_misses,
            (unsigned long)dictSize(server.pubsub_channels));
    }

    if (infoWants(section, "cpu", 1)) {
        struct rusage self_ru;

        getrusage(RUSAGE_SELF, &self_ru);
        if (sections++) info = sdscat(info, "\r\n");
        info = sdscatprintf(info,
            "# CPU\r\n"
            "used_cpu_sys:%ld.%06ld\r\n"
            "used_cpu_user:%ld.%06ld\r\n",
            (long)self_ru.ru_stime.tv_sec, (long)self_ru.ru_stime.tv_usec,
            (long)self_ru.ru_utime.tv_sec, (long)self_ru.ru_utime.tv_usec);
    }

    if (infoWants(section, "commandstats", 0)) {
        dictIterator *di = dictGetSafeIterator(server.commands);
        dictEntry *de;

        if (sections++) info = sdscat(info, "\r\n");
        info = sdscat(info, "# Commandstats\r\n");
        while ((de = dictNext(di)) != NULL) {
            struct redisCommand *c = dictGetVal(de);

            if (!c->calls) continue;
            info = sdscatprintf(info,
                "cmdstat_%s:calls=%lld,usec=%lld,usec_per_call=%.2f\r\n",
                c->name, c->calls, c->microseconds,
                (float)c->microseconds / c->calls);
        }
        dictReleaseIterator(di);
    }

    if (infoWants(section, "keyspace", 1)) {
        if (sections++) info = sdscat(info, "\r\n");
        info = sdscat(info, "# Keyspace\r\n");
        for (j = 0; j < server.dbnum; j++) {
            long long keys = dictSize(server.db[j].dict);
            long long vkeys = dictSize(server.db[j].expires);

            if (keys || vkeys)
                info = sdscatprintf(info,
                    "db%d:keys=%lld,expires=%lld,avg_ttl=%lld\r\n",
                    j, keys, vkeys, server.db[j].avg_ttl);
        }
    }
    return info;
}

/**
 * @brief INFO [section]: genRedisInfoString() as one bulk string.
 * @param c Client; more than one argument is "-ERR syntax error".
 *
 * Called by: call().
 */
void infoCommand(client *c) {
    char *section = c->argc == 2 ? c->argv[1]->ptr : "default";

    if (c->argc > 2) {
        addReply(c, shared.syntaxerr);
        return;
    }
    addReplyBulkSds(c, genRedisInfoString(section));
}

/**
 * @brief SHUTDOWN [NOSAVE|SAVE]: exit the process.
 *
 * On success the client gets no reply at all: the connection just
 * closes, which is what clients expect from SHUTDOWN.
 *
 * @param c Client.
 *
 * Called by: call().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's shutdownCommand() (db.c):
 * Lives in db.c; SAVE/NOSAVE decide whether a final RDB snapshot is
 * written, which minired never does.
 */
void shutdownCommand(client *c) {
    int flags = 0;

    if (c->argc > 2) {
        addReply(c, shared.syntaxerr);
        return;
    } else if (c->argc == 2) {
        if (!strcasecmp(c->argv[1]->ptr, "nosave")) {
            flags |= SHUTDOWN_NOSAVE;
        } else if (!strcasecmp(c->argv[1]->ptr, "save")) {
            flags |= SHUTDOWN_SAVE;
        } else {
            addReply(c, shared.syntaxerr);
            return;
        }
    }
    if (prepareForShutdown(flags) == C_OK) exit(0);
    addReplyError(c, "Errors trying to SHUTDOWN. Check logs.");
}

