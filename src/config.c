/**
 * @file config.c
 * @brief Configuration: the redis.conf syntax, `--option value` overrides
 *        from the command line, and the CONFIG GET / SET / RESETSTAT /
 *        REWRITE command.
 *
 * Where it sits in the pipeline
 * -----------------------------
 *
 *   main() (server.c)
 *     initServerConfig()              every field gets its default
 *     loadServerConfig(file, options) file text + "port \"7777\" \n..."
 *       loadServerConfigFromString()  one directive per line -> server.*
 *     initServer()                    uses port, bind, maxclients, ...
 *
 *   later, at run time:
 *     processCommand -> call -> configCommand(c)
 *       CONFIG GET glob          -> "*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n"
 *       CONFIG SET name value    -> validated, stored in server.*, "+OK"
 *
 * What flows in: text (a file, stdin, the command line) and CONFIG
 * commands. What flows out: fields of `server` (port, maxidletime,
 * requirepass, verbosity, ...) that the rest of the pipeline reads, or a
 * "*** FATAL CONFIG FILE ERROR ***" and exit(1).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's config.c (loadServerConfigFromString(), configSetCommand(), configGetCommand()):
 * Understands about 120 directives (persistence, replication, cluster,
 * memory policies, data structure encodings...) and can rewrite the file
 * (CONFIG REWRITE). minired implements the ones its pipeline uses and
 * accepts, with one logged notice, the directives a stock redis.conf
 * contains for features it does not have, so such a file still loads.
 */

#include "server.h"

/* ======================== Defaults ======================== */

/** client-output-buffer-limit defaults, Redis 5.0's, indexed by
 *  CLIENT_TYPE_*: normal clients unlimited (0 0 0); replicas 256 MB hard,
 *  64 MB for 60 s soft; subscribers 32 MB hard, 8 MB for 60 s soft.
 *  initServerConfig() (server.c) copies them into server.client_obuf_limits. */
clientBufferLimitsConfig clientBufferLimitsDefaults[CLIENT_TYPE_OBUF_COUNT] = {
    {0, 0, 0},                                     /* normal */
    {1024 * 1024 * 256, 1024 * 1024 * 64, 60},     /* slave */
    {1024 * 1024 * 32, 1024 * 1024 * 8, 60}        /* pubsub */
};

/* ======================== Enumerations ======================== */

/** A name <-> value pair for directives that take a word ("loglevel
 *  notice"). */
typedef struct configEnum {
    const char *name; /**< The word, as written in the config. */
    const int val;    /**< The value stored in server.*. */
} configEnum;

/** loglevel: debug, verbose, notice, warning. */
static configEnum loglevel_enum[] = {
    {"debug", LL_DEBUG},
    {"verbose", LL_VERBOSE},
    {"notice", LL_NOTICE},
    {"warning", LL_WARNING},
    {NULL, 0}
};

/** maxmemory-policy: Redis 5.0's eight names, in its order. minired
 *  accepts only noeviction (isSupportedMaxmemoryPolicy()); the others are
 *  listed so that they are refused with a message naming them instead of
 *  as an unknown word. */
static configEnum maxmemory_policy_enum[] = {
    {"volatile-lru", MAXMEMORY_VOLATILE_LRU},
    {"volatile-lfu", MAXMEMORY_VOLATILE_LFU},
    {"volatile-random", MAXMEMORY_VOLATILE_RANDOM},
    {"volatile-ttl", MAXMEMORY_VOLATILE_TTL},
    {"allkeys-lru", MAXMEMORY_ALLKEYS_LRU},
    {"allkeys-lfu", MAXMEMORY_ALLKEYS_LFU},
    {"allkeys-random", MAXMEMORY_ALLKEYS_RANDOM},
    {"noeviction", MAXMEMORY_NO_EVICTION},
    {NULL, 0}
};

/** What config.c answers for a maxmemory-policy minired knows but does
 *  not implement (the file loader prints it as a fatal error, CONFIG SET
 *  replies it as -ERR). */
#define MAXMEMORY_POLICY_UNSUPPORTED \
    "minired implements only maxmemory-policy noeviction (no key is " \
    "ever evicted; over maxmemory, commands that add memory get -OOM)"

/**
 * @brief Value of an enum word, any case.
 * @param ce   Table ending with a NULL name.
 * @param name Word to look up.
 * @return Its value, or INT_MIN if the word is not in the table.
 *
 * Called by: loadServerConfigFromString(), configSetCommand().
 */
static int configEnumGetValue(configEnum *ce, char *name) {
    for (; ce->name != NULL; ce++)
        if (!strcasecmp(ce->name, name)) return ce->val;
    return INT_MIN;
}

/**
 * @brief Word for an enum value.
 * @param ce  Table ending with a NULL name.
 * @param val Value.
 * @return The word, or "unknown".
 *
 * Called by: configGetCommand().
 */
static const char *configEnumGetNameOrUnknown(configEnum *ce, int val) {
    for (; ce->name != NULL; ce++)
        if (ce->val == val) return ce->name;
    return "unknown";
}

/**
 * @brief The maxmemory-policy name, as INFO's maxmemory_policy prints it.
 * @return "noeviction" (the only policy minired can be set to).
 *
 * Called by: genRedisInfoString() (server_cmds.c).
 *
 * @par Redis 5.0:
 * evictPolicyToString() in config.c (5.0.14), the same lookup.
 */
const char *evictPolicyToString(void) {
    return configEnumGetNameOrUnknown(maxmemory_policy_enum,
                                      server.maxmemory_policy);
}

/* ======================== Config file parsing ======================== */

/**
 * @brief "yes" -> 1, "no" -> 0 (any case), anything else -> -1.
 * @param s The word.
 * @return 1, 0 or -1.
 *
 * Called by: loadServerConfigFromString(), configSetCommand().
 */
int yesnotoi(char *s) {
    if (!strcasecmp(s, "yes")) return 1;
    else if (!strcasecmp(s, "no")) return 0;
    else return -1;
}

/**
 * Directives of a stock redis.conf (Redis 5.0, and Debian's 7.0 file)
 * for features minired does not have: persistence, replication, the
 * tuning of eviction policies (maxmemory and maxmemory-policy themselves
 * are implemented), encodings, logging to syslog, process management.
 * They are accepted with any arguments and ignored, with one notice
 * listing them once the configuration is loaded.
 */
static const char *ignored_directives[] = {
    /* RDB and AOF persistence */
    "save", "dbfilename", "dir", "rdbcompression", "rdbchecksum",
    "rdb-del-sync-files", "rdb-save-incremental-fsync",
    "stop-writes-on-bgsave-error", "appendonly", "appendfilename",
    "appenddirname", "appendfsync", "no-appendfsync-on-rewrite",
    "auto-aof-rewrite-percentage", "auto-aof-rewrite-min-size",
    "aof-load-truncated", "aof-use-rdb-preamble",
    "aof-rewrite-incremental-fsync", "aof-timestamp-enabled",
    /* replication */
    "slaveof", "replicaof", "masterauth", "masteruser",
    "slave-serve-stale-data", "replica-serve-stale-data",
    "slave-read-only", "replica-read-only", "repl-diskless-sync",
    "repl-diskless-sync-delay", "repl-diskless-sync-max-replicas",
    "repl-diskless-load", "repl-disable-tcp-nodelay",
    "repl-ping-slave-period", "repl-ping-replica-period", "repl-timeout",
    "repl-backlog-size", "repl-backlog-ttl", "slave-priority",
    "replica-priority", "slave-lazy-flush", "replica-lazy-flush",
    "min-slaves-to-write", "min-replicas-to-write", "min-slaves-max-lag",
    "min-replicas-max-lag", "slave-announce-ip", "replica-announce-ip",
    "slave-announce-port", "replica-announce-port",
    "slave-ignore-maxmemory", "replica-ignore-maxmemory",
    /* eviction (minired has only noeviction), lazy freeing, defrag */
    "maxmemory-samples", "lfu-log-factor",
    "lfu-decay-time", "lazyfree-lazy-eviction", "lazyfree-lazy-expire",
    "lazyfree-lazy-server-del", "lazyfree-lazy-user-del",
    "lazyfree-lazy-user-flush", "activedefrag", "active-defrag-ignore-bytes",
    "active-defrag-threshold-lower", "active-defrag-threshold-upper",
    "active-defrag-cycle-min", "active-defrag-cycle-max",
    "jemalloc-bg-thread", "activerehashing", "dynamic-hz",
    /* data structure encodings */
    "hash-max-ziplist-entries", "hash-max-ziplist-value",
    "hash-max-listpack-entries", "hash-max-listpack-value",
    "list-max-ziplist-size", "list-max-listpack-size", "list-compress-depth",
    "set-max-intset-entries", "zset-max-ziplist-entries",
    "zset-max-ziplist-value", "zset-max-listpack-entries",
    "zset-max-listpack-value", "hll-sparse-max-bytes",
    "stream-node-max-bytes", "stream-node-max-entries",
    /* monitoring, scripting, events, client limits */
    "lua-time-limit", "slowlog-log-slower-than", "slowlog-max-len",
    "latency-monitor-threshold", "notify-keyspace-events",
    "acllog-max-len",
    /* process management and logging extras */
    "pidfile", "supervised", "always-show-logo", "set-proc-title",
    "proc-title-template", "syslog-enabled", "syslog-ident",
    "syslog-facility", "oom-score-adj", "oom-score-adj-values",
    "disable-thp",
    NULL
};

/**
 * @brief Is this (lower-case) directive one minired accepts and ignores?
 * @param name Directive name.
 * @return 1 if it is in ignored_directives.
 *
 * Called by: loadServerConfigFromString().
 */
static int isIgnoredDirective(const char *name) {
    int j;

    for (j = 0; ignored_directives[j]; j++)
        if (!strcmp(name, ignored_directives[j])) return 1;
    return 0;
}

/**
 * @brief Apply `client-output-buffer-limit <class> <hard> <soft> <seconds>`
 *        from the config file or the command line.
 *
 * `client-output-buffer-limit normal 1mb 0 0` closes a request/reply client
 * once 1 MB of replies wait for it. Sizes take the usual units (1mb, 512k,
 * 1gb); the class is normal, slave/replica or pubsub.
 *
 * @param argv The directive and its four arguments (argc is 5).
 * @return NULL when applied, else the error text.
 *
 * Called by: applyConfigDirective().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's loadServerConfigFromString() (config.c), its client-output-buffer-limit branch:
 * Written inline in loadServerConfigFromString(); same checks and texts.
 * As there, a size that is not a number reads as 0 (memtoll's error is
 * ignored in the config file; only CONFIG SET refuses it).
 */
static char *configOutputBufferLimitLine(sds *argv) {
    int class = getClientTypeByName(argv[1]);
    int soft_seconds;

    /* A master's link is limited as a normal client: it has no line. */
    if (class == -1 || class == CLIENT_TYPE_MASTER)
        return "Unrecognized client limit class: the user specified "
               "an invalid one, or 'master' which has no buffer limits.";
    /* An int, as in Redis: "4294967296" reads as 0 (atoi). */
    soft_seconds = atoi(argv[4]);
    if (soft_seconds < 0)
        return "Negative number of seconds in soft limit is invalid";
    server.client_obuf_limits[class].hard_limit_bytes = memtoll(argv[2], NULL);
    server.client_obuf_limits[class].soft_limit_bytes = memtoll(argv[3], NULL);
    server.client_obuf_limits[class].soft_limit_seconds = soft_seconds;
    return NULL;
}

/**
 * @brief Apply one directive that minired implements.
 *
 * @param argv Directive (lower-cased) and its arguments, from sdssplitargs.
 * @param argc Number of entries in argv.
 * @return NULL when applied, else the error text for the fatal error
 *         report (an sds for "Can't open the log file", which is never
 *         freed: the process exits right after printing it).
 *
 * Called by: loadServerConfigFromString(), once per non-ignored line.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's loadServerConfigFromString() (config.c):
 * Written inline in loadServerConfigFromString() as one long else-if
 * chain; the checks and error texts are the same.
 */
static char *applyConfigDirective(sds *argv, int argc) {
    if (!strcasecmp(argv[0], "timeout") && argc == 2) {
        server.maxidletime = atoi(argv[1]);
        if (server.maxidletime < 0) return "Invalid timeout value";
    } else if (!strcasecmp(argv[0], "tcp-keepalive") && argc == 2) {
        server.tcpkeepalive = atoi(argv[1]);
        if (server.tcpkeepalive < 0) return "Invalid tcp-keepalive value";
    } else if (!strcasecmp(argv[0], "protected-mode") && argc == 2) {
        if ((server.protected_mode = yesnotoi(argv[1])) == -1)
            return "argument must be 'yes' or 'no'";
    } else if (!strcasecmp(argv[0], "reusable-querybuf") && argc == 2) {
        /* minired's own directive (Redis 5.0.14 has none: it would answer
         * "Bad directive or wrong number of arguments"). */
        if ((server.reusable_querybuf = yesnotoi(argv[1])) == -1)
            return "argument must be 'yes' or 'no'";
    } else if (!strcasecmp(argv[0], "writev-replies") && argc == 2) {
        /* minired's own directive too (Redis 5.0.14 has no writev). */
        if ((server.writev_replies = yesnotoi(argv[1])) == -1)
            return "argument must be 'yes' or 'no'";
    } else if (!strcasecmp(argv[0], "port") && argc == 2) {
        server.port = atoi(argv[1]);
        if (server.port < 0 || server.port > 65535) return "Invalid port";
    } else if (!strcasecmp(argv[0], "tcp-backlog") && argc == 2) {
        server.tcp_backlog = atoi(argv[1]);
        if (server.tcp_backlog < 0) return "Invalid backlog value";
    } else if (!strcasecmp(argv[0], "bind") && argc >= 2) {
        int j, addresses = argc - 1;

        /* "bind 127.0.0.1 ::1": two addresses, listenToPort binds both. */
        if (addresses > CONFIG_BINDADDR_MAX)
            return "Too many bind addresses specified";
        for (j = 0; j < server.bindaddr_count; j++) zfree(server.bindaddr[j]);
        for (j = 0; j < addresses; j++)
            server.bindaddr[j] = zstrdup(argv[j + 1]);
        server.bindaddr_count = addresses;
    } else if (!strcasecmp(argv[0], "unixsocket") && argc == 2) {
        zfree(server.unixsocket);
        server.unixsocket = zstrdup(argv[1]);
    } else if (!strcasecmp(argv[0], "unixsocketperm") && argc == 2) {
        /* Octal, like chmod: "700" is rwx for the owner only. */
        errno = 0;
        server.unixsocketperm = (mode_t)strtol(argv[1], NULL, 8);
        if (errno || server.unixsocketperm > 0777)
            return "Invalid socket file permissions";
    } else if (!strcasecmp(argv[0], "loglevel") && argc == 2) {
        server.verbosity = configEnumGetValue(loglevel_enum, argv[1]);
        if (server.verbosity == INT_MIN)
            return "Invalid log level. Must be one of debug, verbose, notice, "
                   "warning";
    } else if (!strcasecmp(argv[0], "logfile") && argc == 2) {
        zfree(server.logfile);
        server.logfile = zstrdup(argv[1]);
        if (server.logfile[0] != '\0') {
            /* Fail now, with a clear message, rather than losing every
             * log line later because the file cannot be written. */
            FILE *logfp = fopen(server.logfile, "a");

            if (logfp == NULL)
                return sdscatprintf(sdsempty(), "Can't open the log file: %s",
                                    strerror(errno));
            fclose(logfp);
        }
    } else if (!strcasecmp(argv[0], "databases") && argc == 2) {
        server.dbnum = atoi(argv[1]);
        if (server.dbnum < 1) return "Invalid number of databases";
    } else if (!strcasecmp(argv[0], "include") && argc == 2) {
        loadServerConfig(argv[1], NULL);
    } else if (!strcasecmp(argv[0], "maxclients") && argc == 2) {
        int maxclients = atoi(argv[1]);

        if (maxclients < 1) return "Invalid max clients limit";
        server.maxclients = maxclients;
    } else if (!strcasecmp(argv[0], "maxmemory") && argc == 2) {
        /* "maxmemory 100mb" = 104857600; not a size reads as 0 (no limit),
         * as in Redis, which ignores memtoll's error here. */
        server.maxmemory = memtoll(argv[1], NULL);
    } else if (!strcasecmp(argv[0], "maxmemory-policy") && argc == 2) {
        int policy = configEnumGetValue(maxmemory_policy_enum, argv[1]);

        if (policy == INT_MIN) return "Invalid maxmemory policy";
        /* Redis would evict with it; minired stops rather than run with a
         * policy it would silently treat as noeviction. */
        if (policy != MAXMEMORY_NO_EVICTION)
            return MAXMEMORY_POLICY_UNSUPPORTED;
        server.maxmemory_policy = policy;
    } else if (!strcasecmp(argv[0], "proto-max-bulk-len") && argc == 2) {
        /* No bounds here, as in Redis: only CONFIG SET checks 1mb..
         * LONG_MAX/2. */
        server.proto_max_bulk_len = memtoll(argv[1], NULL);
    } else if (!strcasecmp(argv[0], "client-query-buffer-limit") && argc == 2) {
        server.client_max_querybuf_len = memtoll(argv[1], NULL);
    } else if (!strcasecmp(argv[0], "client-output-buffer-limit") &&
               argc == 5) {
        return configOutputBufferLimitLine(argv);
    } else if (!strcasecmp(argv[0], "daemonize") && argc == 2) {
        int yes = yesnotoi(argv[1]);

        if (yes == -1) return "argument must be 'yes' or 'no'";
        if (yes) return "minired does not daemonize: use 'daemonize no' and "
                        "run it in the foreground (or under a supervisor)";
    } else if (!strcasecmp(argv[0], "hz") && argc == 2) {
        /* A hint: out-of-range values are clamped, not refused ("hz 1000"
         * runs at 500, "hz 0" at 1), as in Redis 5.0.14's loader. atoi is
         * (int)strtol: with glibc "hz 2147483648" wraps to INT_MIN and
         * runs at 1. */
        server.hz = atoi(argv[1]);
        if (server.hz < CONFIG_MIN_HZ) server.hz = CONFIG_MIN_HZ;
        if (server.hz > CONFIG_MAX_HZ) server.hz = CONFIG_MAX_HZ;
    } else if (!strcasecmp(argv[0], "trace-file") && argc == 2) {
        /* Only remembered here: main() opens it once the whole
         * configuration is known (the trace header records it). */
        zfree(server.trace_path);
        server.trace_path = argv[1][0] ? zstrdup(argv[1]) : NULL;
    } else if (!strcasecmp(argv[0], "requirepass") && argc == 2) {
        if (strlen(argv[1]) > CONFIG_AUTHPASS_MAX_LEN)
            return "Password is longer than CONFIG_AUTHPASS_MAX_LEN";
        zfree(server.requirepass);
        server.requirepass = argv[1][0] ? zstrdup(argv[1]) : NULL;
    } else {
        return "Bad directive or wrong number of arguments";
    }
    return NULL;
}

/**
 * @brief Log the directives that were accepted but ignored, a few names
 *        per line so that no line is cut at LOG_MAX_LEN (1024 bytes).
 * @param names "save, dir, appendonly, ..." (each name once).
 * @param count How many names.
 *
 * Called by: loadServerConfigFromString().
 */
static void logIgnoredDirectives(sds names, int count) {
    int n, j;
    sds *v = sdssplitlen(names, sdslen(names), ", ", 2, &n);
    sds line = sdsempty();

    serverLog(LL_NOTICE, "minired has no persistence, replication or tuning "
              "knobs: ignoring %d config directive(s):", count);
    for (j = 0; j < n; j++) {
        line = sdscatprintf(line, "%s%s", sdslen(line) ? ", " : "", v[j]);
        if (sdslen(line) > 160 || j == n - 1) {
            serverLog(LL_NOTICE, "  ignored: %s", line);
            sdsclear(line);
        }
    }
    sdsfree(line);
    sdsfreesplitres(v, n);
}

/**
 * @brief Parse configuration text and apply it to `server`, stopping at
 *        the first bad line and returning the report instead of exiting.
 *
 * One directive per line; blank lines and lines starting with '#' are
 * skipped; arguments are split like redis-cli does (quotes, escapes), and
 * the directive name is case-insensitive. Lines before the bad one stay
 * applied.
 *
 * @param config The whole text (file contents plus command-line options).
 * @return NULL when every line was applied; else a new sds with the lines
 *         loadServerConfigFromString() prints before exit(1):
 *         "\n*** FATAL CONFIG FILE ERROR ***\nReading the configuration
 *         file, at line 3\n>>> 'port 99999'\nInvalid port\n". The caller
 *         frees it.
 *
 * Called by: loadServerConfigFromString(); fuzz/fuzz_config.c, which must
 * survive bad configurations.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's loadServerConfigFromString() (config.c):
 * Has only loadServerConfigFromString(), which prints and exits; minired
 * splits the parsing out so a fuzzer can feed it any text. The server's
 * behaviour and messages are unchanged. ("include" still goes through
 * loadServerConfig(), which exits on its own errors.)
 */
sds loadServerConfigFromStringOrError(char *config) {
    char *err = NULL;
    int linenum = 0, totlines, i, ignored_count = 0;
    sds *lines, ignored = sdsempty(), report;

    lines = sdssplitlen(config, strlen(config), "\n", 1, &totlines);

    /* ANCHOR: config-line-parsing */
    for (i = 0; i < totlines; i++) {
        sds *argv;
        int argc;

        linenum = i + 1;
        lines[i] = sdstrim(lines[i], " \t\r\n");

        /* "# comment" and "" */
        if (lines[i][0] == '#' || lines[i][0] == '\0') continue;

        /* "bind 127.0.0.1 \"::1\"" -> {"bind", "127.0.0.1", "::1"} */
        argv = sdssplitargs(lines[i], &argc);
        if (argv == NULL) {
            err = "Unbalanced quotes in configuration line";
            goto loaderr;
        }
        if (argc == 0) {
            sdsfreesplitres(argv, argc);
            continue;
        }
        sdstolower(argv[0]);

        if (isIgnoredDirective(argv[0])) {
            /* Listed once each in the notice printed after the loop. */
            sds needle = sdscatprintf(sdsempty(), " %s,", argv[0]);
            sds hay = sdscatprintf(sdsempty(), " %s,", ignored);

            if (strstr(hay, needle) == NULL) {
                if (ignored_count++) ignored = sdscat(ignored, ", ");
                ignored = sdscat(ignored, argv[0]);
            }
            sdsfree(needle);
            sdsfree(hay);
        } else if ((err = applyConfigDirective(argv, argc)) != NULL) {
            sdsfreesplitres(argv, argc);
            goto loaderr;
        }
        sdsfreesplitres(argv, argc);
    }
    /* ANCHOR_END: config-line-parsing */

    if (ignored_count) logIgnoredDirectives(ignored, ignored_count);
    sdsfree(ignored);
    sdsfreesplitres(lines, totlines);
    return NULL;

loaderr:
    report = sdscatprintf(sdsempty(), "\n*** FATAL CONFIG FILE ERROR ***\n"
                          "Reading the configuration file, at line %d\n"
                          ">>> '%s'\n%s\n", linenum, lines[i], err);
    sdsfree(ignored);
    sdsfreesplitres(lines, totlines);
    return report;
}

/**
 * @brief Parse configuration text and apply it to `server`; the first bad
 *        line ends the process:
 *
 *     *** FATAL CONFIG FILE ERROR ***
 *     Reading the configuration file, at line 3
 *     >>> 'port 99999'
 *     Invalid port
 *
 * @param config The whole text (file contents plus command-line options).
 *
 * Called by: loadServerConfig(); the scenario runner (trace_replay.c).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's loadServerConfigFromString() (config.c):
 * The parsing itself lives here; minired moved it to
 * loadServerConfigFromStringOrError() and keeps this exiting wrapper with
 * the same output.
 */
void loadServerConfigFromString(char *config) {
    sds report = loadServerConfigFromStringOrError(config);

    if (report == NULL) return;
    fputs(report, stderr);
    sdsfree(report);   /* exit(1) next: freed so LeakSanitizer stays quiet */
    exit(1);
}

/**
 * @brief Read a config file (or stdin for "-"), append the command-line
 *        options, and apply the result.
 *
 * The options come after the file's text, so `--port 7777` overrides a
 * "port 6379" line in the file.
 *
 * @param filename Path, "-" for standard input, or NULL for none.
 * @param options  Directive lines built from --options, or NULL.
 *
 * Called by: main(), and the "include" directive.
 */
void loadServerConfig(char *filename, char *options) {
    sds config = sdsempty();
    char buf[CONFIG_MAX_LINE + 1];

    if (filename) {
        FILE *fp;

        if (filename[0] == '-' && filename[1] == '\0') {
            fp = stdin;
        } else if ((fp = fopen(filename, "r")) == NULL) {
            serverLog(LL_WARNING, "Fatal error, can't open config file '%s'",
                      filename);
            exit(1);
        }
        /* A line longer than 1024 bytes arrives in pieces; appending them
         * in order rebuilds it. */
        while (fgets(buf, CONFIG_MAX_LINE + 1, fp) != NULL)
            config = sdscat(config, buf);
        if (fp != stdin) fclose(fp);
    }
    if (options) {
        config = sdscat(config, "\n");
        config = sdscat(config, options);
    }
    loadServerConfigFromString(config);
    sdsfree(config);
}

/* ======================== CONFIG SET ======================== */

/**
 * @brief CONFIG SET trace-file: close the current trace (footer with
 *        reason "config") and, unless @p path is "", start a new one.
 *
 * The new file starts with a header and then the rest of this very
 * command ("+OK" being appended to c->buf...): connections made before
 * it are not in it, so such a trace is for reading, not for replay.
 *
 * @param c    The client running CONFIG SET (gets the error, if any).
 * @param path The new trace file, or "" to stop tracing.
 * @return C_OK, or C_ERR after replying "-ERR Can't open the trace
 *         file: <reason>" (tracing is then off).
 *
 * Called by: configSetCommand().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's configSetCommand() (config.c):
 * Has no trace; this parameter is minired's.
 */
static int configSetTraceFile(client *c, const char *path) {
    traceClose("config");
    zfree(server.trace_path);
    server.trace_path = NULL;
    /* A replay reproduces the footer above but never opens files. */
    if (path[0] == '\0' || server.clock_frozen) return C_OK;
    if (traceOpen(path) == C_ERR) {
        addReplyErrorFormat(c, "Can't open the trace file: %s",
                            strerror(errno));
        return C_ERR;
    }
    server.trace_path = zstrdup(path);
    return C_OK;
}

/**
 * @brief Parse a CONFIG SET integer in [min, max].
 * @param o   The value argument.
 * @param min Smallest accepted value.
 * @param max Largest accepted value.
 * @param ll  Out: the value.
 * @return C_OK, or C_ERR when not an integer or out of range.
 *
 * Called by: configSetCommand().
 */
static int configSetNumber(robj *o, long long min, long long max,
                           long long *ll) {
    if (getLongLongFromObject(o, ll) == C_ERR) return C_ERR;
    return (*ll < min || *ll > max) ? C_ERR : C_OK;
}

/**
 * @brief Parse a CONFIG SET memory size: "512mb", "1gb", "100k", "4096".
 * @param o  The value argument.
 * @param ll Out: bytes.
 * @return C_OK, or C_ERR when not a size or negative.
 *
 * Called by: configSetCommand().
 */
static int configSetMemory(robj *o, long long *ll) {
    int err;

    *ll = memtoll(o->ptr, &err);
    return (err || *ll < 0) ? C_ERR : C_OK;
}

/**
 * @brief CONFIG SET maxclients: raise the fd limit and the event loop
 *        size first, refuse if the system cannot follow.
 * @param c  Client (gets the error, if any).
 * @param ll The new limit (already checked >= 1).
 * @return C_OK if applied; C_ERR if an error reply was added.
 *
 * Called by: configSetCommand().
 */
static int configSetMaxclients(client *c, long long ll) {
    unsigned int orig_value = server.maxclients;

    server.maxclients = ll;
    if (ll <= orig_value) return C_OK;
    adjustOpenFilesLimit();
    if (server.maxclients != ll) {
        addReplyErrorFormat(c, "The operating system is not able to handle "
                            "the specified number of clients, try with %d",
                            server.maxclients);
        server.maxclients = orig_value;
        return C_ERR;
    }
    /* The event loop indexes events by fd: it needs maxclients + 128
     * slots, more than it was created with. */
    if ((unsigned int)aeGetSetSize(server.el) <
        server.maxclients + CONFIG_FDSET_INCR)
    {
        if (aeResizeSetSize(server.el, server.maxclients + CONFIG_FDSET_INCR)
            == AE_ERR)
        {
            addReplyError(c, "The event loop API used by Redis is not able to "
                          "handle the specified number of clients");
            server.maxclients = orig_value;
            return C_ERR;
        }
    }
    return C_OK;
}

/**
 * @brief CONFIG SET save "<seconds> <changes> ...": checked like Redis
 *        (pairs, seconds >= 1, changes >= 0), then ignored.
 * @param o The value argument.
 * @return C_OK if well formed, C_ERR otherwise.
 *
 * Called by: configSetCommand().
 */
static int configSetSave(robj *o) {
    int vlen, j, ok = 1;
    sds *v = sdssplitlen(o->ptr, sdslen(o->ptr), " ", 1, &vlen);

    if (vlen & 1) ok = 0;
    for (j = 0; ok && j < vlen; j++) {
        char *eptr;
        long val = strtoll(v[j], &eptr, 10);

        if (eptr[0] != '\0' || ((j & 1) == 0 && val < 1) ||
            ((j & 1) == 1 && val < 0))
            ok = 0;
    }
    sdsfreesplitres(v, vlen);
    if (ok && vlen)
        serverLog(LL_NOTICE, "CONFIG SET save: minired never writes "
                  "snapshots, the setting is ignored.");
    return ok ? C_OK : C_ERR;
}

/**
 * @brief CONFIG SET client-output-buffer-limit "<class> <hard> <soft>
 *        <seconds> ...": one or more classes, all or nothing.
 * @param o The value, e.g. "normal 1mb 0 0 pubsub 32mb 8mb 60".
 * @return C_OK if applied; C_ERR (nothing changed) for a count of words
 *         that is not a multiple of 4, an unknown class or master, or a
 *         size or seconds that is not a non-negative number.
 *
 * Called by: configSetCommand().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's configSetCommand() (config.c), its client-output-buffer-limit branch:
 * Same validation pass before the assignment pass, inline in
 * configSetCommand().
 */
static int configSetOutputBufferLimit(robj *o) {
    int vlen, j, err, ok = 1;
    sds *v = sdssplitlen(o->ptr, sdslen(o->ptr), " ", 1, &vlen);

    /* Check every word first, so "normal 1mb 0 0 bogus 1 1 1" leaves the
     * normal class untouched too. */
    if (vlen % 4) ok = 0;
    for (j = 0; ok && j < vlen; j++) {
        if ((j % 4) == 0) {
            int class = getClientTypeByName(v[j]);

            if (class == -1 || class == CLIENT_TYPE_MASTER) ok = 0;
        } else {
            long long val = memtoll(v[j], &err);

            if (err || val < 0) ok = 0;
        }
    }
    for (j = 0; ok && j < vlen; j += 4) {
        int class = getClientTypeByName(v[j]);

        server.client_obuf_limits[class].hard_limit_bytes = memtoll(v[j + 1], NULL);
        server.client_obuf_limits[class].soft_limit_bytes = memtoll(v[j + 2], NULL);
        /* Through an int, as Redis's "int soft_seconds = strtoll(...)":
         * "normal 0 0 2147483648" stores -2147483648 (gcc wraps). */
        server.client_obuf_limits[class].soft_limit_seconds =
            (int)strtoll(v[j + 3], NULL, 10);
    }
    sdsfreesplitres(v, vlen);
    return ok ? C_OK : C_ERR;
}

/**
 * @brief CONFIG SET parameter value.
 *
 * Settable: requirepass, maxclients, appendonly (only "no"), save
 * (validated, ignored), protected-mode, reusable-querybuf (minired's
 * option, see borrowReusableQueryBuf()), writev-replies (minired's
 * option, see _writevToClient()), tcp-keepalive, timeout, hz,
 * proto-max-bulk-len, client-query-buffer-limit,
 * client-output-buffer-limit, loglevel, maxmemory, maxmemory-policy
 * (noeviction only). Parameters
 * only read at start-up (port, bind, databases, ...) give
 * "-ERR Unsupported CONFIG parameter: port", as in Redis. A bad value
 * gives "-ERR Invalid argument 'abc' for CONFIG SET 'timeout'".
 *
 * @param c Client; argv[2] is the name, argv[3] the value.
 *
 * Called by: configCommand().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's configSetCommand() (config.c):
 * About 90 parameters there, with the same bounds for those minired has:
 * timeout, tcp-keepalive and hz 0..INT_MAX (hz then clamped to 1..500),
 * proto-max-bulk-len 1mb..LONG_MAX/2, client-query-buffer-limit and
 * maxmemory 0..LONG_MAX. maxclients has no upper bound there (any value
 * >= 1 is stored into the int, truncated); minired refuses values above
 * INT_MAX instead. maxmemory-policy: every policy but noeviction is
 * refused here (Redis evicts with it).
 */
static void configSetCommand(client *c) {
    robj *o = c->argv[3];
    char *name = c->argv[2]->ptr;
    long long ll;

    serverAssert(sdsEncodedObject(c->argv[2]) && sdsEncodedObject(o));
    if (!strcasecmp(name, "requirepass")) {
        /* "" switches authentication off. */
        if (sdslen(o->ptr) > CONFIG_AUTHPASS_MAX_LEN) goto badfmt;
        zfree(server.requirepass);
        server.requirepass = ((char *)o->ptr)[0] ? zstrdup(o->ptr) : NULL;
    } else if (!strcasecmp(name, "maxclients")) {
        if (configSetNumber(o, 1, INT_MAX, &ll) == C_ERR) goto badfmt;
        if (configSetMaxclients(c, ll) == C_ERR) return;
    } else if (!strcasecmp(name, "appendonly")) {
        int enable = yesnotoi(o->ptr);

        if (enable == -1) goto badfmt;
        if (enable) {
            serverLog(LL_WARNING, "CONFIG SET appendonly yes: minired has no "
                      "append only file.");
            addReplyError(c, "Unable to turn on AOF. Check server logs.");
            return;
        }
    } else if (!strcasecmp(name, "save")) {
        if (configSetSave(o) == C_ERR) goto badfmt;
    } else if (!strcasecmp(name, "protected-mode")) {
        int yn = yesnotoi(o->ptr);

        if (yn == -1) goto badfmt;
        server.protected_mode = yn;
    } else if (!strcasecmp(name, "reusable-querybuf")) {
        /* Switching off leaves a client holding the lent buffer alone: it
         * gives it back after its current read as usual, and no one
         * borrows it again. */
        int yn = yesnotoi(o->ptr);

        if (yn == -1) goto badfmt;
        server.reusable_querybuf = yn;
    } else if (!strcasecmp(name, "writev-replies")) {
        /* Takes effect at the next writeToClient(): a reply half sent by
         * write(2) continues by writev(2) from the same sentlen, and the
         * other way round. */
        int yn = yesnotoi(o->ptr);

        if (yn == -1) goto badfmt;
        server.writev_replies = yn;
    } else if (!strcasecmp(name, "tcp-keepalive")) {
        if (configSetNumber(o, 0, INT_MAX, &ll) == C_ERR) goto badfmt;
        server.tcpkeepalive = ll;
    } else if (!strcasecmp(name, "timeout")) {
        if (configSetNumber(o, 0, INT_MAX, &ll) == C_ERR) goto badfmt;
        server.maxidletime = ll;
    } else if (!strcasecmp(name, "hz")) {
        /* "2147483648" is refused; "1000" is accepted and runs at 500. */
        if (configSetNumber(o, 0, INT_MAX, &ll) == C_ERR) goto badfmt;
        if (ll < CONFIG_MIN_HZ) ll = CONFIG_MIN_HZ;
        if (ll > CONFIG_MAX_HZ) ll = CONFIG_MAX_HZ;
        server.hz = ll;
    } else if (!strcasecmp(name, "proto-max-bulk-len")) {
        /* At least 1 MB: "" (read as 0) or "10" would make every request
         * with an argument a protocol error; at most LONG_MAX/2 so that
         * "$<len>\r\n" + 2 never overflows. */
        if (configSetMemory(o, &ll) == C_ERR || ll < 1024 * 1024 ||
            ll > LONG_MAX / 2) goto badfmt;
        server.proto_max_bulk_len = ll;
    } else if (!strcasecmp(name, "client-query-buffer-limit")) {
        if (configSetMemory(o, &ll) == C_ERR || ll > LONG_MAX) goto badfmt;
        server.client_max_querybuf_len = ll;
    } else if (!strcasecmp(name, "maxmemory")) {
        if (configSetMemory(o, &ll) == C_ERR || ll > LONG_MAX) goto badfmt;
        server.maxmemory = ll;
        if (server.maxmemory) {
            if (server.maxmemory < zmalloc_used_memory())
                serverLog(LL_WARNING, "WARNING: the new maxmemory value set "
                          "via CONFIG SET is smaller than the current memory "
                          "usage. This will result in key eviction and/or "
                          "the inability to accept new write commands "
                          "depending on the maxmemory-policy.");
            /* With noeviction this only measures; kept for Redis's order. */
            freeMemoryIfNeededAndSafe();
        }
    } else if (!strcasecmp(name, "maxmemory-policy")) {
        int policy = configEnumGetValue(maxmemory_policy_enum, o->ptr);

        if (policy == INT_MIN) goto badfmt;
        if (policy != MAXMEMORY_NO_EVICTION) {
            addReplyErrorFormat(c, "Unsupported maxmemory-policy '%s': %s",
                                (char *)o->ptr, MAXMEMORY_POLICY_UNSUPPORTED);
            return;
        }
        server.maxmemory_policy = policy;
    } else if (!strcasecmp(name, "client-output-buffer-limit")) {
        if (configSetOutputBufferLimit(o) == C_ERR) goto badfmt;
    } else if (!strcasecmp(name, "loglevel")) {
        int level = configEnumGetValue(loglevel_enum, o->ptr);

        if (level == INT_MIN) goto badfmt;
        server.verbosity = level;
    } else if (!strcasecmp(name, "trace-file")) {
        if (configSetTraceFile(c, o->ptr) == C_ERR) return;
    } else {
        addReplyErrorFormat(c, "Unsupported CONFIG parameter: %s", name);
        return;
    }
    addReply(c, shared.ok);
    return;

badfmt:
    addReplyErrorFormat(c, "Invalid argument '%s' for CONFIG SET '%s'",
                        (char *)o->ptr, name);
}

/* ======================== CONFIG GET ======================== */

/**
 * @brief Add the pair (name, value) when name matches the pattern.
 * @param c       Client.
 * @param pattern Glob from CONFIG GET ("*", "port", "*max*").
 * @param name    Parameter name.
 * @param value   Its value as text (NULL is sent as "").
 * @return 1 if a pair was added, 0 otherwise.
 *
 * Called by: configGetCommand().
 */
static int configGetReply(client *c, char *pattern, const char *name,
                          const char *value) {
    if (!stringmatch(pattern, name, 1)) return 0;
    addReplyBulkCString(c, name);
    addReplyBulkCString(c, value ? value : "");
    return 1;
}

/**
 * @brief configGetReply() for a number.
 * @param c       Client.
 * @param pattern Glob.
 * @param name    Parameter name.
 * @param value   Its value.
 * @return 1 if a pair was added, 0 otherwise.
 *
 * Called by: configGetCommand().
 */
static int configGetNumber(client *c, char *pattern, const char *name,
                           long long value) {
    char buf[LONG_STR_SIZE];

    ll2string(buf, sizeof(buf), value);
    return configGetReply(c, pattern, name, buf);
}

/**
 * @brief configGetReply() for client-output-buffer-limit: the three classes
 *        on one line, sizes in bytes.
 * @param c       Client.
 * @param pattern Glob.
 * @return 1 if the pair was added, 0 otherwise.
 *
 * With the defaults the value is
 * "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60".
 *
 * Called by: configGetCommand().
 */
static int configGetOutputBufferLimit(client *c, char *pattern) {
    sds buf = sdsempty();
    int j, added;

    for (j = 0; j < CLIENT_TYPE_OBUF_COUNT; j++) {
        buf = sdscatprintf(buf, "%s %llu %llu %ld", getClientTypeName(j),
                           server.client_obuf_limits[j].hard_limit_bytes,
                           server.client_obuf_limits[j].soft_limit_bytes,
                           (long)server.client_obuf_limits[j].soft_limit_seconds);
        if (j != CLIENT_TYPE_OBUF_COUNT - 1) buf = sdscatlen(buf, " ", 1);
    }
    added = configGetReply(c, pattern, "client-output-buffer-limit", buf);
    sdsfree(buf);
    return added;
}

/**
 * @brief CONFIG GET pattern: a flat array of name, value, name, value...
 *        for every parameter whose name matches the glob (any case).
 *
 * "CONFIG GET timeout" -> "*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n"; no match
 * -> "*0\r\n". The array length is known only at the end, hence the
 * deferred length. `save` (always "") and `appendonly` (always "no") are
 * answered because redis-benchmark asks for them.
 *
 * @param c Client; argv[2] is the pattern.
 *
 * Called by: configCommand().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's configGetCommand() (config.c):
 * Same order (strings, numbers, yes/no, enums, special cases) over about
 * 110 parameters.
 */
static void configGetCommand(client *c) {
    char *pattern = c->argv[2]->ptr;
    void *replylen = addDeferredMultiBulkLength(c);
    int matches = 0;
    char buf[32];
    sds aux;

    serverAssert(sdsEncodedObject(c->argv[2]));
    matches += configGetReply(c, pattern, "requirepass", server.requirepass);
    matches += configGetReply(c, pattern, "unixsocket", server.unixsocket);
    matches += configGetReply(c, pattern, "logfile", server.logfile);
    matches += configGetReply(c, pattern, "trace-file", server.trace_path);

    matches += configGetNumber(c, pattern, "maxmemory",
                               (long long)server.maxmemory);
    matches += configGetNumber(c, pattern, "proto-max-bulk-len",
                               server.proto_max_bulk_len);
    matches += configGetNumber(c, pattern, "client-query-buffer-limit",
                               server.client_max_querybuf_len);
    matches += configGetNumber(c, pattern, "timeout", server.maxidletime);
    matches += configGetNumber(c, pattern, "port", server.port);
    matches += configGetNumber(c, pattern, "tcp-backlog", server.tcp_backlog);
    matches += configGetNumber(c, pattern, "databases", server.dbnum);
    matches += configGetNumber(c, pattern, "maxclients", server.maxclients);
    matches += configGetNumber(c, pattern, "hz", server.hz);
    matches += configGetNumber(c, pattern, "tcp-keepalive", server.tcpkeepalive);

    matches += configGetReply(c, pattern, "daemonize", "no");
    matches += configGetReply(c, pattern, "protected-mode",
                              server.protected_mode ? "yes" : "no");

    matches += configGetReply(c, pattern, "maxmemory-policy",
        configEnumGetNameOrUnknown(maxmemory_policy_enum,
                                   server.maxmemory_policy));
    matches += configGetReply(c, pattern, "reusable-querybuf",
                              server.reusable_querybuf ? "yes" : "no");
    matches += configGetReply(c, pattern, "writev-replies",
                              server.writev_replies ? "yes" : "no");

    matches += configGetReply(c, pattern, "loglevel",
        configEnumGetNameOrUnknown(loglevel_enum, server.verbosity));

    matches += configGetReply(c, pattern, "appendonly", "no");
    matches += configGetReply(c, pattern, "save", "");
    matches += configGetOutputBufferLimit(c, pattern);
    snprintf(buf, sizeof(buf), "%o", server.unixsocketperm);
    matches += configGetReply(c, pattern, "unixsocketperm", buf);
    aux = sdsjoin(server.bindaddr, server.bindaddr_count, " ");
    matches += configGetReply(c, pattern, "bind", aux);
    sdsfree(aux);

    setDeferredMultiBulkLength(c, replylen, matches * 2);
}

/* ======================== CONFIG ======================== */

/**
 * @brief CONFIG GET | SET | RESETSTAT | REWRITE | HELP.
 *
 * A subcommand with the wrong number of arguments ("CONFIG GET") or an
 * unknown one gets "-ERR Unknown subcommand or wrong number of arguments
 * for 'get'. Try CONFIG HELP.".
 *
 * @param c Client; argc >= 2 (checked by processCommand: arity -2).
 *
 * Called by: call().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's configCommand() (config.c):
 * Refuses everything but GET while loading the dataset, and REWRITE
 * rewrites the config file in place; minired has no loading phase and
 * replies to REWRITE with an error.
 */
void configCommand(client *c) {
    if (c->argc == 2 && !strcasecmp(c->argv[1]->ptr, "help")) {
        const char *help[] = {
"GET <pattern> -- Return parameters matching the glob-like <pattern> and their values.",
"SET <parameter> <value> -- Set parameter to value.",
"RESETSTAT -- Reset statistics reported by INFO.",
"REWRITE -- Rewrite the configuration file.",
NULL
        };
        addReplyHelp(c, help);
    } else if (!strcasecmp(c->argv[1]->ptr, "set") && c->argc == 4) {
        configSetCommand(c);
    } else if (!strcasecmp(c->argv[1]->ptr, "get") && c->argc == 3) {
        configGetCommand(c);
    } else if (!strcasecmp(c->argv[1]->ptr, "resetstat") && c->argc == 2) {
        resetServerStats();
        resetCommandTableStats();
        addReply(c, shared.ok);
    } else if (!strcasecmp(c->argv[1]->ptr, "rewrite") && c->argc == 2) {
        if (server.configfile == NULL) {
            addReplyError(c, "The server is running without a config file");
            return;
        }
        addReplyError(c, "CONFIG REWRITE is not supported by minired: edit "
                      "the config file by hand");
    } else {
        addReplySubcommandSyntaxError(c);
    }
}
