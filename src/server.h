/**
 * @file server.h
 * @brief The one header every pipeline file includes: the client, the server,
 *        the command table, shared reply objects and every cross-file prototype.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Nothing runs here; this file *names* the state that the pipeline moves
 * through. A request's journey touches these structures in this order:
 *
 *   struct redisServer (global `server`)
 *     .ipfd[]  --acceptTcpHandler-->  struct client (one per connection)
 *     client.querybuf / qb_pos          <- readQueryFromClient appends bytes
 *     client.argc / argv                <- processInlineBuffer / processMultibulkBuffer
 *     client.cmd                        <- processCommand (lookupCommand)
 *     client.buf / bufpos, client.reply <- addReply (_addReplyToBuffer / _addReplyStringToList)
 *     client.sentlen                    <- writeToClient
 *
 * What flows in: nothing (a header). What flows out: the types and the
 * prototypes that keep networking.c, reply.c, server.c, db.c, t_string.c,
 * multi.c, pubsub.c, config.c and object.c in agreement.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's server.h (the header of server.c's
 * processCommand(), networking.c's createClient() and the rest): it is
 * 2,184 lines and also declares replication,
 * cluster, Lua, persistence, modules and every data type. minired keeps only
 * the declarations its pipeline uses, with the same names and values, so a
 * reader can move between the two files without a dictionary.
 */
#ifndef __MINIRED_SERVER_H
#define __MINIRED_SERVER_H

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <limits.h>
#include <unistd.h>
#include <errno.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/uio.h>  /* struct iovec: clientWritev, _writevToClient */

#include "ae.h"      /* event loop: the pipeline's heartbeat */
#include "sds.h"     /* dynamic strings: querybuf, replies */
#include "dict.h"    /* hash tables: keyspace, command table */
#include "adlist.h"  /* linked lists: clients, reply blocks */
#include "zmalloc.h" /* allocation with accounting */
#include "anet.h"    /* sockets */
#include "util.h"    /* string2ll, stringmatchlen, ... */

/* ------------------------------------------------------------------------
 * Return codes and version
 * ---------------------------------------------------------------------- */

#define C_OK 0   /**< Success, as everywhere in Redis. */
#define C_ERR -1 /**< Failure, as everywhere in Redis. */

/** The version minired reports in INFO (redis_version) and to clients that
 *  ask: the Redis release whose behaviour it reproduces. */
#define REDIS_VERSION "5.0.14"
/** minired's own version, shown next to REDIS_VERSION in INFO. */
#define MINIRED_VERSION "0.1.0"

/* ------------------------------------------------------------------------
 * Protocol and I/O sizes: the numbers a reader meets on every page
 * ---------------------------------------------------------------------- */

/** How much readQueryFromClient asks read(2) for in one call: 16 KB. */
#define PROTO_IOBUF_LEN (1024 * 16)
/** Size of the static reply buffer client.buf, and of each reply block's
 *  minimum allocation: 16 KB. */
#define PROTO_REPLY_CHUNK_BYTES (16 * 1024)
/** Longest inline request (no "\r\n" seen yet) before "too big inline
 *  request": 64 KB. */
#define PROTO_INLINE_MAX_SIZE (1024 * 64)
/** A bulk argument at least this long (32 KB) is read so that it ends
 *  exactly at the end of querybuf, and then used as the argument object
 *  itself instead of being copied. */
#define PROTO_MBULK_BIG_ARG (1024 * 32)
/** Bytes needed to print a long long in decimal, with sign and NUL. */
#define LONG_STR_SIZE 21
/** Number of shared "SELECT n" commands (replication only in Redis). */
#define PROTO_SHARED_SELECT_CMDS 10
/** Default proto-max-bulk-len: 512 MB. */
#define CONFIG_DEFAULT_PROTO_MAX_BULK_LEN (512ll * 1024 * 1024)
/** Default client-query-buffer-limit: 1 GB. */
#define PROTO_MAX_QUERYBUF_LEN (1024 * 1024 * 1024)

/** writeToClient stops after this many bytes (64 KB) in one call, so one
 *  client with a huge reply cannot starve the others. */
#define NET_MAX_WRITES_PER_EVENT (1024 * 64)
/** acceptTcpHandler accepts at most this many connections per event. */
#define MAX_ACCEPTS_PER_CALL 1000
/** Longest textual IP address (IPv6 with scope): INET6_ADDRSTRLEN. */
#define NET_IP_STR_LEN 46
/** "ip:port" or a unix socket path, as shown by CLIENT LIST addr=. */
#define NET_PEER_ID_LEN (NET_IP_STR_LEN + 32)

/** Request types, decided by the first byte of a request: '*' means
 *  multibulk, anything else inline. */
#define PROTO_REQ_INLINE 1
#define PROTO_REQ_MULTIBULK 2 /**< See PROTO_REQ_INLINE. */

/* ------------------------------------------------------------------------
 * Configuration defaults (config.c parses, initServerConfig applies)
 * ---------------------------------------------------------------------- */

#define CONFIG_DEFAULT_SERVER_PORT 6379     /**< port */
#define CONFIG_DEFAULT_TCP_BACKLOG 511      /**< listen(2) backlog */
#define CONFIG_DEFAULT_CLIENT_TIMEOUT 0     /**< timeout: 0 = never */
#define CONFIG_DEFAULT_TCP_KEEPALIVE 300    /**< tcp-keepalive seconds */
#define CONFIG_DEFAULT_MAX_CLIENTS 10000    /**< maxclients */
#define CONFIG_DEFAULT_DBNUM 16             /**< databases */
#define CONFIG_DEFAULT_HZ 10                /**< serverCron runs per second */
/** Databases visited per call by databasesCron()'s resize/rehash and by
 *  activeExpireCycle() (cron.c, expire.c). */
#define CRON_DBS_PER_CALL 16
#define CONFIG_DEFAULT_MAXMEMORY 0           /**< maxmemory: no limit */
/** maxmemory-policy values, Redis 5.0's numbering (server.h there): the
 *  flags say which keys a policy picks from and how. minired implements
 *  only MAXMEMORY_NO_EVICTION; config.c names the others to refuse them. */
#define MAXMEMORY_FLAG_LRU (1 << 0)     /**< policy picks by idle time */
#define MAXMEMORY_FLAG_LFU (1 << 1)     /**< policy picks by access frequency */
#define MAXMEMORY_FLAG_ALLKEYS (1 << 2) /**< from all keys, not only TTL ones */
#define MAXMEMORY_VOLATILE_LRU ((0 << 8) | MAXMEMORY_FLAG_LRU) /**< volatile-lru */
#define MAXMEMORY_VOLATILE_LFU ((1 << 8) | MAXMEMORY_FLAG_LFU) /**< volatile-lfu */
#define MAXMEMORY_VOLATILE_TTL (2 << 8)    /**< volatile-ttl */
#define MAXMEMORY_VOLATILE_RANDOM (3 << 8) /**< volatile-random */
#define MAXMEMORY_ALLKEYS_LRU ((4 << 8) | MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_ALLKEYS) /**< allkeys-lru */
#define MAXMEMORY_ALLKEYS_LFU ((5 << 8) | MAXMEMORY_FLAG_LFU | MAXMEMORY_FLAG_ALLKEYS) /**< allkeys-lfu */
#define MAXMEMORY_ALLKEYS_RANDOM ((6 << 8) | MAXMEMORY_FLAG_ALLKEYS) /**< allkeys-random */
#define MAXMEMORY_NO_EVICTION (7 << 8)     /**< noeviction: refuse, never delete */
#define CONFIG_DEFAULT_MAXMEMORY_POLICY MAXMEMORY_NO_EVICTION /**< Redis 5.0's default */
#define CONFIG_MIN_HZ 1                     /**< hz below this is raised to it */
#define CONFIG_MAX_HZ 500                   /**< hz above this is lowered to it */
#define CONFIG_DEFAULT_PROTECTED_MODE 1     /**< protected-mode yes */
#define CONFIG_DEFAULT_REUSABLE_QUERYBUF 0  /**< reusable-querybuf no (minired option) */
#define CONFIG_DEFAULT_WRITEV_REPLIES 0     /**< writev-replies no (minired option) */
#define CONFIG_DEFAULT_VERBOSITY LL_NOTICE  /**< loglevel notice */
#define CONFIG_DEFAULT_LOGFILE ""           /**< "" = standard output */
#define CONFIG_DEFAULT_UNIX_SOCKET_PERM 0   /**< unixsocketperm */
#define CONFIG_MIN_RESERVED_FDS 32          /**< fds kept for non-clients */
#define CONFIG_FDSET_INCR (CONFIG_MIN_RESERVED_FDS + 96) /**< event loop slack */
#define CONFIG_BINDADDR_MAX 16              /**< most bind addresses */
#define CONFIG_RUN_ID_SIZE 40               /**< run_id hex characters */
#define CONFIG_AUTHPASS_MAX_LEN 512         /**< longest requirepass */
#define CONFIG_MAX_LINE 1024                /**< config file line hint */

/* ------------------------------------------------------------------------
 * Logging
 * ---------------------------------------------------------------------- */

#define LL_DEBUG 0   /**< loglevel debug */
#define LL_VERBOSE 1 /**< loglevel verbose */
#define LL_NOTICE 2  /**< loglevel notice */
#define LL_WARNING 3 /**< loglevel warning */
#define LL_RAW (1 << 10) /**< Or-ed to a level: print the message bare. */
#define LOG_MAX_LEN 1024 /**< Longest formatted log message. */

/** Log only when the level passes the configured verbosity, without even
 *  formatting the message otherwise (the arguments are not evaluated). */
#define serverLog(level, ...) do {                                      \
        if (((level) & 0xff) < server.verbosity) break;                 \
        _serverLog(level, __VA_ARGS__);                                 \
    } while (0)

/** Abort with file and line when an invariant is broken. */
#define serverAssert(_e) ((_e) ? (void)0 :                              \
        (_serverAssert(#_e, __FILE__, __LINE__), abort()))
/** Abort unconditionally with a message. */
#define serverPanic(...) (_serverPanic(__FILE__, __LINE__, __VA_ARGS__), abort())

/* ------------------------------------------------------------------------
 * Client flags (client.flags). Values are Redis 5.0's; the ones minired
 * never sets are kept so CLIENT LIST letters and bit positions match.
 * ---------------------------------------------------------------------- */

#define CLIENT_SLAVE (1 << 0)  /**< A replica; MONITOR sets it too (with CLIENT_MONITOR). */
#define CLIENT_MASTER (1 << 1) /**< Our master (not used by minired). */
#define CLIENT_MONITOR (1 << 2) /**< MONITOR: fed every command (replication.c). */
#define CLIENT_MULTI (1 << 3)  /**< Inside MULTI: commands are queued. */
#define CLIENT_BLOCKED (1 << 4) /**< Blocked in BLPOP/BRPOP/BRPOPLPUSH: input waits in querybuf. */
#define CLIENT_DIRTY_CAS (1 << 5) /**< WATCHed key touched (not used). */
#define CLIENT_CLOSE_AFTER_REPLY (1 << 6) /**< Close once the reply is out. */
#define CLIENT_UNBLOCKED (1 << 7) /**< In server.unblocked_clients: input to re-run in beforeSleep. */
#define CLIENT_LUA (1 << 8)    /**< The Lua client (not used by minired). */
#define CLIENT_ASKING (1 << 9) /**< Cluster ASKING (not used by minired). */
#define CLIENT_CLOSE_ASAP (1 << 10) /**< Free at the next serverCron (5.0.14; beforeSleep from 6.0.0). */
#define CLIENT_UNIX_SOCKET (1 << 11) /**< Connected through the unix socket. */
#define CLIENT_DIRTY_EXEC (1 << 12) /**< A queued command was refused: EXEC fails. */
#define CLIENT_MASTER_FORCE_REPLY (1 << 13) /**< Replication (not used). */
#define CLIENT_FORCE_AOF (1 << 14) /**< Persistence (not used). */
#define CLIENT_FORCE_REPL (1 << 15) /**< Replication (not used). */
#define CLIENT_PRE_PSYNC (1 << 16) /**< Replication (not used). */
#define CLIENT_READONLY (1 << 17) /**< Cluster (not used). */
#define CLIENT_PUBSUB (1 << 18) /**< Subscribed: only (UN)SUBSCRIBE/PING/QUIT. */
#define CLIENT_PREVENT_AOF_PROP (1 << 19) /**< Persistence (not used). */
#define CLIENT_PREVENT_REPL_PROP (1 << 20) /**< Replication (not used). */
#define CLIENT_PENDING_WRITE (1 << 21) /**< In server.clients_pending_write. */
#define CLIENT_REPLY_OFF (1 << 22) /**< CLIENT REPLY OFF: prepareClientToWrite drops every reply. */
#define CLIENT_REPLY_SKIP_NEXT (1 << 23) /**< CLIENT REPLY SKIP ran: resetClient turns it into REPLY_SKIP. */
#define CLIENT_REPLY_SKIP (1 << 24) /**< Drop the replies of this one command (cleared by resetClient). */
#define CLIENT_LUA_DEBUG (1 << 25) /**< Lua debugger (not used). */
#define CLIENT_LUA_DEBUG_SYNC (1 << 26) /**< Lua debugger (not used). */
#define CLIENT_MODULE (1 << 27) /**< Module client (not used). */
#define CLIENT_PROTECTED (1 << 28) /**< Protected from being freed (not used). */
/**
 * minired only: a client with no socket (fd -1) whose bytes come from and
 * go to the hooks in server.fake_io instead of read(2)/write(2).
 *
 * Redis 5.0's fd -1 clients (Lua, AOF loading) never get a reply written:
 * prepareClientToWrite refuses them. The Check unit tests and the trace
 * replayer need the *whole* pipeline without a network, so a client with
 * this flag is treated as connected: replies are queued, it joins
 * clients_pending_write, and writeToClient hands its bytes to
 * server.fake_io.write. No file event is ever registered for it.
 */
#define CLIENT_FAKE_IO (1 << 29)
/**
 * minired option reusable-querybuf (after Redis 8.0-m01; off by default):
 * c->querybuf is, for the length of one
 * readQueryFromClient() call, server.reusable_qb lent to this client.
 *
 * Set by borrowReusableQueryBuf() before the read; cleared by
 * resetReusableQueryBuf() when the buffer goes back (everything consumed)
 * or stays (half a request: the client now owns it), and by
 * processMultibulkBuffer() when it sizes querybuf for one big argument. So
 * it is never set between two events: the cron, CLIENT LIST and the reply
 * side never meet it. A flag rather than a local variable of
 * readQueryFromClient(), because the parser, a different function, must
 * be able to cancel the loan. Not shown by CLIENT LIST or the trace.
 */
#define CLIENT_REUSABLE_QUERYBUFFER (1 << 30)

/* Client types, as CLIENT LIST TYPE / CLIENT KILL TYPE name them
 * (getClientType). Values are Redis 5.0's. */
#define CLIENT_TYPE_NORMAL 0 /**< Request/reply clients (and MONITORs). */
#define CLIENT_TYPE_SLAVE 1  /**< Replicas (never in minired). */
#define CLIENT_TYPE_PUBSUB 2 /**< Subscribed to at least one channel. */
#define CLIENT_TYPE_MASTER 3 /**< Our master (never in minired). */
/** Client types that have a client-output-buffer-limit line: normal,
 *  slave (replica) and pubsub. A master is limited like a normal client. */
#define CLIENT_TYPE_OBUF_COUNT 3

/**
 * One class's client-output-buffer-limit: `normal 0 0 0`,
 * `replica 256mb 64mb 60`, `pubsub 32mb 8mb 60`. A client whose reply list
 * (getClientOutputBufferMemoryUsage) reaches the hard limit, or stays at or
 * above the soft limit for more than soft_limit_seconds, is closed
 * (asyncCloseClientOnOutputBufferLimitReached). 0 disables a limit.
 */
typedef struct clientBufferLimitsConfig {
    unsigned long long hard_limit_bytes; /**< Close at once at this size. */
    unsigned long long soft_limit_bytes; /**< Close if held this long... */
    time_t soft_limit_seconds;           /**< ...for more than this. */
} clientBufferLimitsConfig;

/** Redis 5.0's defaults, indexed by CLIENT_TYPE_* (config.c). */
extern clientBufferLimitsConfig clientBufferLimitsDefaults[CLIENT_TYPE_OBUF_COUNT];

/* ------------------------------------------------------------------------
 * Command flags (redisCommand.flags), parsed from the sflags letters
 * ---------------------------------------------------------------------- */

#define CMD_WRITE (1 << 0)    /**< "w": may modify the keyspace. */
#define CMD_READONLY (1 << 1) /**< "r": only reads. */
#define CMD_DENYOOM (1 << 2)  /**< "m": may grow memory: refused with -OOM over maxmemory. */
#define CMD_MODULE (1 << 3)   /**< Module command (not used). */
#define CMD_ADMIN (1 << 4)    /**< "a": administrative. */
#define CMD_PUBSUB (1 << 5)   /**< "p": pub/sub related. */
#define CMD_NOSCRIPT (1 << 6) /**< "s": not allowed in scripts. */
#define CMD_RANDOM (1 << 7)   /**< "R": non deterministic. */
#define CMD_SORT_FOR_SCRIPT (1 << 8) /**< "S": sort output for scripts. */
#define CMD_LOADING (1 << 9)  /**< "l": allowed while loading. */
#define CMD_STALE (1 << 10)   /**< "t": allowed with stale replica data. */
#define CMD_SKIP_MONITOR (1 << 11) /**< "M": not shown in MONITOR. */
#define CMD_ASKING (1 << 12)  /**< "k": cluster ASKING. */
#define CMD_FAST (1 << 13)    /**< "F": O(1) or O(log N). */

/* ------------------------------------------------------------------------
 * Objects
 * ---------------------------------------------------------------------- */

#define OBJ_STRING 0 /**< A string value (t_string.c). */
/** A list value (t_list.c). Redis 5.0 encodes every list as
 *  OBJ_ENCODING_QUICKLIST; minired as OBJ_ENCODING_LINKEDLIST (see there). */
#define OBJ_LIST 1
#define OBJ_SET 2    /**< Not used by minired. */
#define OBJ_ZSET 3   /**< Not used by minired. */
#define OBJ_HASH 4   /**< Not used by minired. */

#define OBJ_ENCODING_RAW 0    /**< ptr is an sds in its own allocation. */
#define OBJ_ENCODING_INT 1    /**< ptr holds the long value itself. */
/**
 * minired's list encoding: ptr is an adlist (list *) whose nodes each hold
 * one string robj (refcounted, shared with the argv that pushed it).
 * Redis 5.0.14 keeps the value 4 for this "old list encoding" but never
 * uses it: every list is OBJ_ENCODING_QUICKLIST (9), a doubly linked list
 * of ziplists, each node a packed array of up to list-max-ziplist-size
 * entries (-2: 8 KB per node). That saves ~40 bytes of pointers and robj
 * header per element; minired keeps one node per element so that a reader
 * can follow LPUSH/LPOP through adlist.c without a compact-encoding
 * detour. OBJECT ENCODING would say "linkedlist" (Redis 3.0's answer).
 */
#define OBJ_ENCODING_LINKEDLIST 4
/** Redis 5.0's list encoding, not used by minired (see LINKEDLIST). */
#define OBJ_ENCODING_QUICKLIST 9
#define OBJ_ENCODING_EMBSTR 8 /**< robj and sds in one allocation. */
/** Strings up to 44 bytes are EMBSTR: robj (16) + sdshdr8 (3) + 44 + NUL
 *  fit one 64-byte allocator class. */
#define OBJ_ENCODING_EMBSTR_SIZE_LIMIT 44

#define LRU_BITS 24 /**< Width of robj.lru. */
#define LRU_CLOCK_MAX ((1 << LRU_BITS) - 1) /**< getLRUClock() wraps here. */
#define LRU_CLOCK_RESOLUTION 1000 /**< LRU clock tick, in milliseconds. */
/** The LRU clock as objects see it: serverCron's cached server.lruclock,
 *  which is fresh enough whenever the cron ticks at least once per
 *  LRU_CLOCK_RESOLUTION (hz >= 1), else a fresh getLRUClock(). Saves a
 *  clock system call for every object created and every key looked up. */
#define LRU_CLOCK() ((1000 / server.hz <= LRU_CLOCK_RESOLUTION) ? \
                     server.lruclock : getLRUClock())
#define OBJ_SHARED_REFCOUNT INT_MAX /**< refcount of never-freed objects. */
#define OBJ_SHARED_INTEGERS 10000   /**< shared.integers[0..9999] */
#define OBJ_SHARED_BULKHDR_LEN 32   /**< shared "*<n>\r\n" and "$<n>\r\n", n < 32 */

/**
 * A Redis object: every key's value and every command argument is one.
 * Arguments parsed from the query buffer become robj of type OBJ_STRING.
 */
typedef struct redisObject {
    unsigned type : 4;     /**< OBJ_STRING (only type minired stores). */
    unsigned encoding : 4; /**< OBJ_ENCODING_RAW / _INT / _EMBSTR. */
    unsigned lru : LRU_BITS; /**< Last access time (LRU clock), for OBJECT IDLETIME. */
    int refcount;          /**< Freed when it drops to 0; OBJ_SHARED_REFCOUNT never. */
    void *ptr;             /**< sds, or the long itself for OBJ_ENCODING_INT. */
} robj;

/** True when an object's value is an sds (RAW or EMBSTR). */
#define sdsEncodedObject(objptr) ((objptr)->encoding == OBJ_ENCODING_RAW || \
                                  (objptr)->encoding == OBJ_ENCODING_EMBSTR)

/* ------------------------------------------------------------------------
 * Databases
 * ---------------------------------------------------------------------- */

/** One numbered keyspace, chosen with SELECT. */
typedef struct redisDb {
    dict *dict;    /**< key (sds) -> value (robj *) */
    dict *expires; /**< key (sds, shared with dict) -> unix ms (s64) */
    /** key (robj) -> list of clients blocked on it (BLPOP order: FIFO). */
    dict *blocking_keys;
    /** key (robj) -> NULL: keys of this db already in server.ready_keys,
     *  so a key pushed twice in one command is queued once. */
    dict *ready_keys;
    int id;        /**< 0 .. databases-1 */
    long long avg_ttl; /**< Average TTL, for INFO keyspace. */
} redisDb;

/* ------------------------------------------------------------------------
 * Transactions (multi.c)
 * ---------------------------------------------------------------------- */

/** One command queued between MULTI and EXEC. */
typedef struct multiCmd {
    robj **argv;              /**< Arguments, owned by the queue. */
    int argc;                 /**< Number of arguments. */
    struct redisCommand *cmd; /**< Looked up when queued. */
} multiCmd;

/** The queue of a client in MULTI state. */
typedef struct multiState {
    multiCmd *commands; /**< Array of queued commands. */
    int count;          /**< How many are queued. */
    int cmd_flags;      /**< OR of the queued commands' flags. */
    int minreplicas;    /**< Replication (not used by minired). */
    time_t minreplicas_timeout; /**< Replication (not used by minired). */
} multiState;

/* ------------------------------------------------------------------------
 * Lists and blocking operations (t_list.c, blocked.c)
 * ---------------------------------------------------------------------- */

#define LIST_HEAD 0 /**< LPUSH/LPOP/BLPOP end of a list. */
#define LIST_TAIL 1 /**< RPUSH/RPOP/BRPOP end of a list. */

/* client.btype: why a CLIENT_BLOCKED client is blocked. Values are Redis
 * 5.0's; minired only ever blocks with BLOCKED_LIST. */
#define BLOCKED_NONE 0   /**< Not blocked. */
#define BLOCKED_LIST 1   /**< BLPOP, BRPOP, BRPOPLPUSH. */
#define BLOCKED_WAIT 2   /**< WAIT (replication: not in minired). */
#define BLOCKED_MODULE 3 /**< A module command (not in minired). */
#define BLOCKED_STREAM 4 /**< XREAD (streams: not in minired). */
#define BLOCKED_ZSET 5   /**< BZPOPMIN/MAX (sorted sets: not in minired). */
#define BLOCKED_NUM 6    /**< Size of server.blocked_clients_by_type[]. */

#define UNIT_SECONDS 0      /**< getTimeoutFromObjectOrReply: BLPOP's unit. */
#define UNIT_MILLISECONDS 1 /**< getTimeoutFromObjectOrReply: CLIENT PAUSE's. */

typedef long long mstime_t; /**< Milliseconds (absolute or a duration). */

/**
 * What a blocked client waits for (client.bpop).
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, blockingState in server.h (set up by createClient()
 * and blockForKeys()) also has the XREAD fields (xread_count,
 * xread_group, xread_consumer, xread_retry_*, xread_group_noack), WAIT's
 * numreplicas / reploffset and module_blocked_handle. minired has no
 * streams, replication or modules, so it keeps only the list fields.
 */
typedef struct blockingState {
    /** Absolute unix time in ms when the wait times out; 0 = forever. */
    mstime_t timeout;
    /** Keys waited for: robj -> bkinfo (blocked.c). Empty when unblocked. */
    dict *keys;
    /** BRPOPLPUSH's destination key, else NULL. */
    robj *target;
} blockingState;

/** One entry of server.ready_keys: a key that got data (a push) while
 *  clients were blocked on it. handleClientsBlockedOnKeys() serves them. */
typedef struct readyList {
    redisDb *db; /**< Database of the key. */
    robj *key;   /**< The key (a reference is held). */
} readyList;

/* ------------------------------------------------------------------------
 * The client
 * ---------------------------------------------------------------------- */

/* ANCHOR: server-reply-block */
/**
 * A reply block: one node's value in client.reply. Replies that do not fit
 * the 16 KB static buffer client.buf go here; a block is at least
 * PROTO_REPLY_CHUNK_BYTES so that many small replies share one allocation.
 */
typedef struct clientReplyBlock {
    size_t size; /**< Bytes allocated for buf[]. */
    size_t used; /**< Bytes of buf[] holding reply data. */
    char buf[];  /**< The reply bytes themselves. */
} clientReplyBlock;
/* ANCHOR_END: server-reply-block */

/**
 * One connected client: its socket, its input, its parsed command and its
 * pending output. Everything the pipeline does, it does to one of these.
 */
typedef struct client {
    uint64_t id;     /**< Unique, incremental: CLIENT LIST id=. */
    int fd;          /**< Socket, or -1 for a client with no connection. */
    redisDb *db;     /**< Currently SELECTed database. */
    robj *name;      /**< CLIENT SETNAME, or NULL. */

    /* ---- input side: filled by readQueryFromClient ---- */
    sds querybuf;    /**< Bytes read and not yet trimmed. */
    size_t qb_pos;   /**< How far the parser has consumed querybuf. */
    sds pending_querybuf; /**< Replication only (kept empty). */
    size_t querybuf_peak; /**< Largest querybuf seen recently (clientsCron resets). */

    /* ---- parsed request: filled by process*Buffer ---- */
    int argc;        /**< Number of arguments in argv. */
    robj **argv;     /**< The command and its arguments. */
    struct redisCommand *cmd;     /**< Command being executed. */
    struct redisCommand *lastcmd; /**< Last command executed (CLIENT LIST cmd=). */
    int reqtype;     /**< 0 (not yet known), PROTO_REQ_INLINE or _MULTIBULK. */
    int multibulklen; /**< Arguments of the current "*<n>" still to read. */
    long bulklen;    /**< Length of the "$<n>" argument being read, -1 if none. */

    /* ---- output side: filled by addReply, drained by writeToClient ---- */
    list *reply;     /**< clientReplyBlock * nodes: output past client.buf. */
    unsigned long long reply_bytes; /**< Sum of the blocks' size in reply. */
    size_t sentlen;  /**< Bytes of buf (or of the head block) already written. */

    time_t ctime;    /**< Connection time. */
    time_t lastinteraction; /**< Last read or write, for the idle timeout. */
    time_t obuf_soft_limit_reached_time; /**< When the soft output limit was first reached, 0 if not. */
    int flags;       /**< CLIENT_* bits. */
    int authenticated; /**< Passed AUTH (meaningful with requirepass). */

    multiState mstate; /**< MULTI/EXEC queue. */
    int btype;       /**< BLOCKED_* while CLIENT_BLOCKED, else BLOCKED_NONE. */
    blockingState bpop; /**< What a blocked client waits for. */
    dict *pubsub_channels; /**< Channels subscribed to: robj -> NULL. */
    list *pubsub_patterns; /**< Patterns subscribed to (PSUBSCRIBE): robj *, in order. */
    sds peerid;      /**< Cached "ip:port", made by getClientPeerId. */
    listNode *client_list_node; /**< This client's node in server.clients. */

    /* ANCHOR: server-client-static-buf */
    /* ---- the static reply buffer: replies go here first ---- */
    int bufpos;      /**< Bytes of buf holding reply data. */
    char buf[PROTO_REPLY_CHUNK_BYTES]; /**< 16 KB, allocated with the client. */
    /* ANCHOR_END: server-client-static-buf */
} client;

/* ------------------------------------------------------------------------
 * Commands
 * ---------------------------------------------------------------------- */

/** A command implementation: reads c->argv, replies with addReply*. */
typedef void redisCommandProc(client *c);

/** One entry of the command table (commands.c redisCommandTable[]). */
/* ANCHOR: server-struct-redis-command */
struct redisCommand {
    char *name;             /**< Lower case, as looked up. */
    redisCommandProc *proc; /**< Implementation. */
    int arity;              /**< N: exactly N args; -N: at least N (name included). */
    char *sflags;           /**< Flags as letters, see CMD_*. */
    int flags;              /**< sflags parsed by populateCommandTable. */
    void *getkeys_proc;     /**< Key extraction for odd commands (not used). */
    int firstkey;           /**< First key argument, 0 for none. */
    int lastkey;            /**< Last key argument, -1 = last argument. */
    int keystep;            /**< Step between keys: MSET is 2. */
    long long microseconds; /**< Total time spent: INFO commandstats. */
    long long calls;        /**< Times called: INFO commandstats. */
};
/* ANCHOR_END: server-struct-redis-command */

/* ------------------------------------------------------------------------
 * Shared objects: replies made once at start-up and sent by reference
 * ---------------------------------------------------------------------- */

/** Replies and small values allocated once, refcount OBJ_SHARED_REFCOUNT. */
struct sharedObjectsStruct {
    robj *crlf;      /**< "\r\n" */
    robj *ok;        /**< "+OK\r\n" */
    robj *err;       /**< "-ERR\r\n" */
    robj *emptybulk; /**< "$0\r\n\r\n" */
    robj *czero;     /**< ":0\r\n" */
    robj *cone;      /**< ":1\r\n" */
    robj *cnegone;   /**< ":-1\r\n" */
    robj *nullbulk;  /**< "$-1\r\n" */
    robj *nullmultibulk;  /**< "*-1\r\n" */
    robj *emptymultibulk; /**< "*0\r\n" */
    robj *pong;      /**< "+PONG\r\n" */
    robj *queued;    /**< "+QUEUED\r\n" */
    robj *wrongtypeerr;   /**< "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n" */
    robj *nokeyerr;  /**< "-ERR no such key\r\n" */
    robj *syntaxerr; /**< "-ERR syntax error\r\n" */
    robj *outofrangeerr;  /**< "-ERR index out of range\r\n" */
    robj *execaborterr;   /**< "-EXECABORT Transaction discarded because of previous errors.\r\n" */
    robj *noautherr; /**< "-NOAUTH Authentication required.\r\n" */
    robj *oomerr;    /**< "-OOM command not allowed when used memory > 'maxmemory'.\r\n" */
    robj *space;     /**< " " */
    robj *colon;     /**< ":" */
    robj *plus;      /**< "+" */
    robj *messagebulk;     /**< "$7\r\nmessage\r\n" */
    robj *subscribebulk;   /**< "$9\r\nsubscribe\r\n" */
    robj *unsubscribebulk; /**< "$11\r\nunsubscribe\r\n" */
    robj *psubscribebulk;   /**< "$10\r\npsubscribe\r\n" */
    robj *punsubscribebulk; /**< "$12\r\npunsubscribe\r\n" */
    robj *pmessagebulk;     /**< "$8\r\npmessage\r\n" */
    robj *integers[OBJ_SHARED_INTEGERS]; /**< 0 .. 9999 as INT objects */
    robj *mbulkhdr[OBJ_SHARED_BULKHDR_LEN]; /**< "*<n>\r\n" for n < 32 */
    robj *bulkhdr[OBJ_SHARED_BULKHDR_LEN];  /**< "$<n>\r\n" for n < 32 */
};

/* ------------------------------------------------------------------------
 * The server
 * ---------------------------------------------------------------------- */

/**
 * minired only: where a CLIENT_FAKE_IO client's bytes come from and go to.
 * Both hooks behave like read(2)/write(2): a byte count, 0 for end of
 * stream (read), or -1 with errno set (EAGAIN means "nothing now").
 */
typedef struct clientIO {
    /** Fill buf with up to len bytes for client c. */
    ssize_t (*read)(client *c, void *buf, size_t len);
    /** Take up to len bytes of client c's reply. */
    ssize_t (*write)(client *c, const void *buf, size_t len);
    /** When set, createClient(fd) makes a CLIENT_FAKE_IO client that keeps
     *  the fd number but never touches it (no syscall, no file event): the
     *  trace engine replays accepts through acceptCommonHandler this way. */
    int accepting;
} clientIO;

#define STATS_METRIC_SAMPLES 16   /**< Samples averaged per metric. */
#define STATS_METRIC_COMMAND 0    /**< inst_metric[]: commands per second. */
#define STATS_METRIC_NET_INPUT 1  /**< inst_metric[]: bytes read per second. */
#define STATS_METRIC_NET_OUTPUT 2 /**< inst_metric[]: bytes written per second. */
#define STATS_METRIC_COUNT 3      /**< Number of inst_metric[] entries. */

/** Global server state: one instance, `server`, defined in server.c. */
struct redisServer {
    /* ---- general ---- */
    pid_t pid;               /**< Our pid. */
    char *configfile;        /**< Absolute path of the config file, or NULL. */
    char *executable;        /**< argv[0], absolute. */
    int hz;                  /**< serverCron frequency. */
    redisDb *db;             /**< Array of dbnum databases. */
    dict *commands;          /**< Command table: name (sds) -> redisCommand. */
    aeEventLoop *el;         /**< The event loop. */
    unsigned int lruclock;   /**< LRU clock, updated by serverCron. */
    int shutdown_asap;       /**< Set by the signal handler, acted on in serverCron. */
    char runid[CONFIG_RUN_ID_SIZE + 1]; /**< Random id of this run, INFO run_id. */
    long long cronloops;     /**< serverCron calls so far. */

    /* ---- networking ---- */
    int port;                /**< TCP port; 0 = do not listen on TCP. */
    int tcp_backlog;         /**< listen(2) backlog. */
    char *bindaddr[CONFIG_BINDADDR_MAX]; /**< Addresses to bind. */
    int bindaddr_count;      /**< How many in bindaddr. */
    char *unixsocket;        /**< Unix socket path, or NULL. */
    mode_t unixsocketperm;   /**< Unix socket permissions. */
    int ipfd[CONFIG_BINDADDR_MAX]; /**< Listening TCP sockets. */
    int ipfd_count;          /**< How many in ipfd. */
    int sofd;                /**< Listening unix socket, or -1. */
    list *clients;           /**< Every connected client. */
    list *clients_to_close;  /**< Clients to free asynchronously (CLOSE_ASAP). */
    list *clients_pending_write; /**< Clients with replies to write in beforeSleep. */
    client *current_client;  /**< Client whose command is running (CLIENT KILL self). */
    uint64_t next_client_id; /**< Next client.id. */
    int protected_mode;      /**< Refuse non-loopback clients without password/bind. */
    char neterr[ANET_ERR_LEN]; /**< anet error text. */
    clientIO fake_io;        /**< minired: I/O hooks for CLIENT_FAKE_IO clients. */
    /** minired option `reusable-querybuf yes|no` (default no, as Redis
     *  5.0.14 has no such thing): when 1, idle clients read into
     *  server.reusable_qb (the Redis 8.0-m01 idea, see
     *  borrowReusableQueryBuf() in networking.c). */
    int reusable_querybuf;
    /** The reusable query buffer, used only with reusable_querybuf on. A
     *  client with nothing pending reads into this sds instead of its own,
     *  and gives it back once every byte was consumed; the client's own
     *  empty sds waits here meanwhile (a swap, so neither pointer is ever
     *  NULL). Usually a 32 KB allocation shared by all idle clients;
     *  created empty by initServer(). */
    sds reusable_qb;
    /** minired option `writev-replies yes|no` (default no, as Redis 5.0.14
     *  has no writev): when 1, a client with blocks in c->reply gets c->buf
     *  and up to IOV_MAX blocks in one writev(2) (the Redis 7.0 idea, see
     *  _writevToClient() in reply.c). */
    int writev_replies;

    /* ---- blocking operations and CLIENT PAUSE (blocked.c) ---- */
    unsigned int blocked_clients; /**< Clients with CLIENT_BLOCKED: INFO blocked_clients. */
    unsigned int blocked_clients_by_type[BLOCKED_NUM]; /**< The same, per btype. */
    list *unblocked_clients; /**< Clients whose querybuf beforeSleep re-runs. */
    list *ready_keys;        /**< readyList *: keys pushed to, with waiters. */
    int clients_paused;      /**< CLIENT PAUSE in force. */
    mstime_t clients_pause_end_time; /**< Unix ms when the pause ends. */

    /* ---- stats (INFO stats) ---- */
    time_t stat_starttime;   /**< Server start time. */
    long long stat_numcommands; /**< Commands processed. */
    long long stat_numconnections; /**< Connections accepted. */
    long long stat_expiredkeys; /**< Keys removed because they expired. */
    long long stat_keyspace_hits; /**< Successful key lookups. */
    long long stat_keyspace_misses; /**< Failed key lookups. */
    long long stat_rejected_conn; /**< Connections refused (maxclients). */
    long long stat_net_input_bytes; /**< Bytes read from clients. */
    long long stat_net_output_bytes; /**< Bytes written to clients. */
    long long dirty;         /**< Changes since start (no persistence here). */
    /** Per-second rates sampled every 100 ms by serverCron (cron.c) and
     *  averaged by INFO: instantaneous_ops_per_sec and friends. */
    struct {
        long long last_sample_time;  /**< mstime of the previous sample. */
        long long last_sample_count; /**< Counter value at that time. */
        long long samples[STATS_METRIC_SAMPLES]; /**< Rates, per second. */
        int idx;                     /**< Next slot to overwrite. */
    } inst_metric[STATS_METRIC_COUNT];

    /* ---- configuration ---- */
    int verbosity;           /**< loglevel: LL_*. */
    int maxidletime;         /**< timeout, seconds; 0 = never. */
    int tcpkeepalive;        /**< tcp-keepalive seconds; 0 = off. */
    size_t client_max_querybuf_len; /**< client-query-buffer-limit. */
    /** client-output-buffer-limit, one entry per CLIENT_TYPE_NORMAL,
     *  _SLAVE, _PUBSUB. */
    clientBufferLimitsConfig client_obuf_limits[CLIENT_TYPE_OBUF_COUNT];
    long long proto_max_bulk_len; /**< proto-max-bulk-len: largest "$<n>" accepted (512 MB). */
    int dbnum;               /**< databases. */
    char *logfile;           /**< "" = stdout. */
    char *requirepass;       /**< Password, or NULL. */
    unsigned int maxclients; /**< maxclients. */
    unsigned long long maxmemory; /**< maxmemory in bytes; 0 = no limit. */
    int maxmemory_policy;    /**< maxmemory-policy: MAXMEMORY_* (only noeviction). */

    /* ---- pub/sub ---- */
    dict *pubsub_channels;   /**< channel (robj) -> list of subscribed clients. */
    list *pubsub_patterns;   /**< pubsubPattern *: one per (client, pattern), oldest first. */
    list *monitors;          /**< Clients that sent MONITOR, in that order. */

    /* ---- time, cached once per event loop turn ---- */
    time_t unixtime;         /**< Seconds. */
    long long mstime;        /**< Milliseconds. */
    /** minired: set by the trace replayer; updateCachedTime() then leaves
     *  unixtime/mstime alone and "clock" events of the trace set them. */
    int clock_frozen;

    /* ---- the pipeline trace (trace.c) ---- */
    FILE *trace_fp;          /**< Open trace, or NULL: tracing is off. */
    char *trace_path;        /**< trace-file (zmalloc'ed), or NULL. */
};

/* ------------------------------------------------------------------------
 * Globals
 * ---------------------------------------------------------------------- */

extern struct redisServer server;         /**< The server (server.c). */
extern struct sharedObjectsStruct shared; /**< Shared replies (server.c). */
extern dictType commandTableDictType;     /**< sds keys, case-insensitive. */
extern dictType dbDictType;               /**< sds keys -> robj values. */
extern dictType keyptrDictType;           /**< sds keys, no destructor (expires). */
extern dictType objectKeyPointerValueDictType; /**< robj keys -> any pointer. */
extern dictType keylistDictType;          /**< robj keys -> list * (pubsub). */

/* ------------------------------------------------------------------------
 * Prototypes, grouped by file
 * ---------------------------------------------------------------------- */

/* networking.c: accept, client life cycle, reading and parsing */
void acceptTcpHandler(aeEventLoop *el, int fd, void *privdata, int mask);
void acceptUnixHandler(aeEventLoop *el, int fd, void *privdata, int mask);
client *createClient(int fd);
void linkClient(client *c);
void unlinkClient(client *c);
void freeClient(client *c);
void freeClientAsync(client *c);
void freeClientsInAsyncFreeQueue(void);
void readQueryFromClient(aeEventLoop *el, int fd, void *privdata, int mask);
void processInputBuffer(client *c);
void processInputBufferAndReplicate(client *c);
int processInlineBuffer(client *c);
int processMultibulkBuffer(client *c);
void resetClient(client *c);
void freeClientArgv(client *c);
char *getClientPeerId(client *c);
sds catClientInfoString(sds s, client *c);
ssize_t clientRead(client *c, void *buf, size_t len);
client *lookupClientByID(uint64_t id);
void acceptCommonHandler(int fd, int flags, char *ip, int port);

/* client_cmd.c: the CLIENT command */
sds getAllClientsInfoString(int type);
int getClientType(client *c);
int getClientTypeByName(char *name);
char *getClientTypeName(int class);
void clientCommand(client *c);

/* reply.c: building replies and writing them out */
void addReply(client *c, robj *obj);
void addReplySds(client *c, sds s);
void addReplyString(client *c, const char *s, size_t len);
void addReplyBulk(client *c, robj *obj);
void addReplyBulkCString(client *c, const char *s);
void addReplyBulkCBuffer(client *c, const void *p, size_t len);
void addReplyBulkSds(client *c, sds s);
void addReplyBulkLongLong(client *c, long long ll);
void addReplyBulkLen(client *c, robj *obj);
void addReplyLongLong(client *c, long long ll);
void addReplyMultiBulkLen(client *c, long length);
void addReplyError(client *c, const char *err);
void addReplyErrorLength(client *c, const char *s, size_t len);
void addReplyErrorFormat(client *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void addReplyStatus(client *c, const char *status);
void addReplyStatusLength(client *c, const char *s, size_t len);
void addReplyDouble(client *c, double d);
void *addDeferredMultiBulkLength(client *c);
void setDeferredMultiBulkLength(client *c, void *node, long length);
void addReplyHelp(client *c, const char **help);
void addReplySubcommandSyntaxError(client *c);
void clientInstallWriteHandler(client *c);
int prepareClientToWrite(client *c);
int _addReplyToBuffer(client *c, const char *s, size_t len);
void _addReplyStringToList(client *c, const char *s, size_t len);
int clientHasPendingReplies(client *c);
int writeToClient(int fd, client *c, int handler_installed);
void sendReplyToClient(aeEventLoop *el, int fd, void *privdata, int mask);
int handleClientsWithPendingWrites(void);
unsigned long getClientOutputBufferMemoryUsage(client *c);
int checkClientOutputBufferLimits(client *c);
void asyncCloseClientOnOutputBufferLimitReached(client *c);
void copyClientOutputBuffer(client *dst, client *src);
ssize_t clientWrite(client *c, const void *buf, size_t len);
ssize_t clientWritev(client *c, const struct iovec *iov, int iovcnt);
sds writevSentBytes(const struct iovec *iov, int iovcnt, size_t n);
int _writevToClient(client *c, ssize_t *nwritten);
void freeClientReplyValue(void *o);
void *dupClientReplyValue(void *o);

/* server.c: start-up, command table and dispatch, logging, signals */
void initServerConfig(void);
void initServer(void);
int listenToPort(int port, int *fds, int *count);
void createSharedObjects(void);
void populateCommandTable(void);
struct redisCommand *lookupCommand(sds name);
struct redisCommand *lookupCommandByCString(char *s);
int processCommand(client *c);
void call(client *c, int flags);
void resetServerStats(void);
void resetCommandTableStats(void);
void adjustOpenFilesLimit(void);
void closeListeningSockets(int unlink_unix_socket);
void updateCachedTime(void);
int prepareForShutdown(int flags);
void setupSignalHandlers(void);
long long ustime(void);
long long mstime(void);
void _serverLog(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void serverLogRaw(int level, const char *msg);
void serverLogFromHandler(int level, const char *msg);
unsigned int getLRUClock(void);
int dictSdsKeyCompare(void *privdata, const void *key1, const void *key2);
int dictSdsKeyCaseCompare(void *privdata, const void *key1, const void *key2);
uint64_t dictSdsHash(const void *key);
uint64_t dictSdsCaseHash(const void *key);
void dictSdsDestructor(void *privdata, void *val);

#define CMD_CALL_NONE 0        /**< call(): no extra work */
#define CMD_CALL_SLOWLOG (1 << 0)  /**< call(): slowlog (not in minired) */
#define CMD_CALL_STATS (1 << 1)    /**< call(): update command stats */
#define CMD_CALL_PROPAGATE_AOF (1 << 2)  /**< persistence (not in minired) */
#define CMD_CALL_PROPAGATE_REPL (1 << 3) /**< replication (not in minired) */
#define CMD_CALL_PROPAGATE (CMD_CALL_PROPAGATE_AOF | CMD_CALL_PROPAGATE_REPL) /**< both */
#define CMD_CALL_FULL (CMD_CALL_SLOWLOG | CMD_CALL_STATS | CMD_CALL_PROPAGATE) /**< all */

#define SHUTDOWN_NOFLAGS 0 /**< prepareForShutdown: default */
#define SHUTDOWN_SAVE 1    /**< SHUTDOWN SAVE (no persistence in minired) */
#define SHUTDOWN_NOSAVE 2  /**< SHUTDOWN NOSAVE */

/* cron.c: the event loop hooks (beforeSleep, serverCron, clientsCron).
 * Redis 5.0 keeps these in server.c; minired moves them out to keep
 * server.c under 1,500 lines. */
void beforeSleep(aeEventLoop *eventLoop);
int serverCron(aeEventLoop *eventLoop, long long id, void *clientData);
void clientsCron(void);
int clientsCronHandleTimeout(client *c, long long now_ms);
int clientsCronResizeQueryBuffer(client *c);
#define CLIENTS_CRON_MIN_ITERATIONS 5 /**< clientsCron visits at least this many clients */
void trackInstantaneousMetric(int metric, long long current_reading);
long long getInstantaneousMetric(int metric);
void getExpansiveClientsInfo(size_t *in_usage, size_t *out_usage);

/* server_cmds.c: PING, ECHO, AUTH, TIME, COMMAND, INFO, SHUTDOWN.
 * Redis 5.0 keeps these in server.c (SHUTDOWN in db.c); minired moves
 * them out to keep server.c under 1,500 lines. */
void pingCommand(client *c);
void echoCommand(client *c);
void authCommand(client *c);
void securityWarningCommand(client *c);
void timeCommand(client *c);
void commandCommand(client *c);
sds genRedisInfoString(char *section);
void infoCommand(client *c);
void shutdownCommand(client *c);

/* config.c: redis.conf syntax, --option overrides, CONFIG GET/SET */
void loadServerConfig(char *filename, char *options);
void loadServerConfigFromString(char *config);
sds loadServerConfigFromStringOrError(char *config);
void configCommand(client *c);
int yesnotoi(char *s);

/* object.c: robj creation, encodings, reference counting */
robj *createObject(int type, void *ptr);
robj *createRawStringObject(const char *ptr, size_t len);
robj *createEmbeddedStringObject(const char *ptr, size_t len);
robj *createStringObject(const char *ptr, size_t len);
robj *createStringObjectFromLongLong(long long value);
robj *dupStringObject(const robj *o);
robj *makeObjectShared(robj *o);
robj *tryObjectEncoding(robj *o);
robj *getDecodedObject(robj *o);
void incrRefCount(robj *o);
void decrRefCount(robj *o);
void decrRefCountVoid(void *o);
size_t stringObjectLen(robj *o);
int getLongLongFromObject(robj *o, long long *target);
int getLongLongFromObjectOrReply(client *c, robj *o, long long *target, const char *msg);
int getLongFromObjectOrReply(client *c, robj *o, long *target, const char *msg);
int getIntFromObjectOrReply(client *c, robj *o, int *target, const char *msg);
int equalStringObjects(robj *a, robj *b);
int compareStringObjects(robj *a, robj *b);
char *strEncoding(int encoding);
int checkType(client *c, robj *o, int type);

/* db.c: the keyspace */
int selectDb(client *c, int id);
robj *lookupKey(redisDb *db, robj *key, int flags);
robj *lookupKeyReadWithFlags(redisDb *db, robj *key, int flags);
robj *lookupKeyRead(redisDb *db, robj *key);
robj *lookupKeyWrite(redisDb *db, robj *key);
robj *lookupKeyReadOrReply(client *c, robj *key, robj *reply);
robj *lookupKeyWriteOrReply(client *c, robj *key, robj *reply);
void dbAdd(redisDb *db, robj *key, robj *val);
void dbOverwrite(redisDb *db, robj *key, robj *val);
void setKey(redisDb *db, robj *key, robj *val);
int dbExists(redisDb *db, robj *key);
int dbDelete(redisDb *db, robj *key);
robj *dbUnshareStringValue(redisDb *db, robj *key, robj *o);
long long emptyDb(int dbnum, int flags, void (*callback)(void *));
long long dbTotalServerKeyCount(void);
void signalModifiedKey(redisDb *db, robj *key);
void selectCommand(client *c);
void delCommand(client *c);
void existsCommand(client *c);
void keysCommand(client *c);
void dbsizeCommand(client *c);
void flushdbCommand(client *c);
void flushallCommand(client *c);
void typeCommand(client *c);
#define LOOKUP_NONE 0          /**< lookupKey: update LRU and stats */
#define LOOKUP_NOTOUCH (1 << 0) /**< lookupKey: do not touch the LRU */
#define EMPTYDB_NO_FLAGS 0     /**< emptyDb: synchronous */

/* expire.c: TTLs */
int expireIfNeeded(redisDb *db, robj *key);
long long getExpire(redisDb *db, robj *key);
void setExpire(client *c, redisDb *db, robj *key, long long when);
int removeExpire(redisDb *db, robj *key);
void activeExpireCycle(int type);
int keyIsExpired(redisDb *db, robj *key);

/* config.c (prototypes of the rest are with the CONFIG command) */
const char *evictPolicyToString(void);

/* evict.c */
size_t freeMemoryGetNotCountedMemory(void);
int getMaxmemoryState(size_t *total, size_t *logical, size_t *tofree,
                      float *level);
int freeMemoryIfNeeded(void);
int freeMemoryIfNeededAndSafe(void);
void expireCommand(client *c);
void ttlCommand(client *c);
void pttlCommand(client *c);
#define ACTIVE_EXPIRE_CYCLE_SLOW 0 /**< activeExpireCycle from serverCron */
#define ACTIVE_EXPIRE_CYCLE_FAST 1 /**< activeExpireCycle from beforeSleep */

/* t_string.c: string commands */
void setCommand(client *c);
void getCommand(client *c);
void getsetCommand(client *c);
void incrCommand(client *c);
void decrCommand(client *c);
void incrbyCommand(client *c);
void decrbyCommand(client *c);
void appendCommand(client *c);
void strlenCommand(client *c);
void msetCommand(client *c);
void mgetCommand(client *c);

/* multi.c: MULTI / EXEC / DISCARD */
void initClientMultiState(client *c);
void freeClientMultiState(client *c);
void queueMultiCommand(client *c);
void discardTransaction(client *c);
void flagTransaction(client *c);
void multiCommand(client *c);
void execCommand(client *c);
void discardCommand(client *c);

/* pubsub.c: (P)SUBSCRIBE / (P)UNSUBSCRIBE / PUBLISH / PUBSUB */
/** One pattern subscription in server.pubsub_patterns: the same pattern
 *  subscribed by two clients is two entries (PUBSUB NUMPAT counts both). */
typedef struct pubsubPattern {
    client *client; /**< The subscriber. */
    robj *pattern;  /**< The glob, e.g. "news.*" (a decoded string object). */
} pubsubPattern;
void freePubsubPattern(void *p);
int listMatchPubsubPattern(void *a, void *b);
int pubsubUnsubscribeAllChannels(client *c, int notify);
int pubsubUnsubscribeAllPatterns(client *c, int notify);
int pubsubPublishMessage(robj *channel, robj *message);
int clientSubscriptionsCount(client *c);
void subscribeCommand(client *c);
void unsubscribeCommand(client *c);
void publishCommand(client *c);
void psubscribeCommand(client *c);
void punsubscribeCommand(client *c);
void pubsubCommand(client *c);

/* replication.c: MONITOR (minired has no replication; Redis 5.0 keeps
 * replicationFeedMonitors here and monitorCommand in server.c) */
void replicationFeedMonitors(client *c, list *monitors, int dictid,
                             robj **argv, int argc);
void monitorCommand(client *c);

/* t_list.c: list commands and the list side of blocking pops */
robj *createListObject(void);
void freeListObject(robj *o);
void listTypePush(robj *subject, robj *value, int where);
robj *listTypePop(robj *subject, int where);
unsigned long listTypeLength(const robj *subject);
int serveClientBlockedOnList(client *receiver, robj *key, robj *dstkey,
                             redisDb *db, robj *value, int where);
void lpushCommand(client *c);
void rpushCommand(client *c);
void lpushxCommand(client *c);
void linsertCommand(client *c);
void rpushxCommand(client *c);
void lpopCommand(client *c);
void rpopCommand(client *c);
void llenCommand(client *c);
void lindexCommand(client *c);
void lrangeCommand(client *c);
void lsetCommand(client *c);
void ltrimCommand(client *c);
void lremCommand(client *c);
void rpoplpushCommand(client *c);
void blpopCommand(client *c);
void brpopCommand(client *c);
void brpoplpushCommand(client *c);

/* blocked.c: blocking operations, the unblocked-clients queue, CLIENT PAUSE.
 * Redis 5.0 keeps pauseClients/clientsArePaused in networking.c (see
 * blocked.c for why they are here). */
int getTimeoutFromObjectOrReply(client *c, robj *object, mstime_t *timeout,
                                int unit);
void blockClient(client *c, int btype);
void unblockClient(client *c);
void queueClientForReprocessing(client *c);
void processUnblockedClients(void);
void replyToBlockedClientTimedOut(client *c);
void handleClientsBlockedOnKeys(void);
void blockForKeys(client *c, int btype, robj **keys, int numkeys,
                  mstime_t timeout, robj *target);
void unblockClientWaitingData(client *c);
void signalKeyAsReady(redisDb *db, robj *key);
void pauseClients(mstime_t end);
int clientsArePaused(void);

/* debug.c: DEBUG, assertions, the crash report */
void debugCommand(client *c);
void _serverAssert(const char *estr, const char *file, int line);
void _serverPanic(const char *file, int line, const char *msg, ...)
    __attribute__((format(printf, 3, 4)));
void bugReportStart(void);
void sigsegvHandler(int sig, siginfo_t *info, void *secret);

#include "trace.h" /* traceEvent(): needs `server`, declared above */

#endif /* __MINIRED_SERVER_H */
