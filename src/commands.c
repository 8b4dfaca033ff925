/**
 * @file commands.c
 * @brief The command table: every command minired knows, its arity, flags
 *        and key positions, and populateCommandTable(), which turns it
 *        into the server.commands dictionary.
 *
 * Where it sits in the pipeline: nowhere on the hot path. initServerConfig()
 * (server.c) calls populateCommandTable() once at start-up; from then on
 * processCommand() finds a request's command with lookupCommand()
 * (server.c), a dictionary lookup in server.commands, and call() runs the
 * row's proc. What flows in: the static rows below. What flows out: one
 * server.commands entry per row, its sflags letters turned into CMD_*
 * bits.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's server.c (redisCommandTable[],
 * populateCommandTable(), resetCommandTableStats()): there the table and
 * these two functions sit in server.c; minired moves them here to keep
 * server.c under 1,500 lines. From Redis 7.0.0 the table itself lives in
 * a src/commands.c of its own (generated from JSON files by
 * utils/generate-command-code.py; 7.0.15 src/commands.c), while
 * populateCommandTable() stays in server.c.
 */

#include "server.h"

/* ANCHOR: server-command-table */
/**
 * The command table: what processCommand() can dispatch to.
 *
 * Columns: name, implementation, arity, sflags, flags (filled from sflags
 * by populateCommandTable), getkeys_proc, firstkey, lastkey, keystep,
 * microseconds, calls.
 *
 * Arity N means exactly N arguments counting the command name ("GET key"
 * is 2); -N means at least N ("SET key value [EX s]" is -3).
 * firstkey/lastkey/keystep say where the keys are: MSET k1 v1 k2 v2 has
 * keys at 1, 3 (keystep 2) up to the last argument (lastkey -1).
 *
 * sflags letters: w write, r read-only, m may use memory, a admin,
 * p pub/sub, s not in scripts, R random, S sort for scripts, l allowed
 * while loading, t allowed with stale replica data, M not shown in
 * MONITOR, k cluster ASKING, F fast (O(1) or O(log N)).
 *
 * QUIT is not here: processCommand answers it before any lookup.
 *
 * @par Redis 5.0:
 * The same rows, with the same arity, flag letters and key positions,
 * exist in Redis 5.0.14's redisCommandTable (server.c) among its 200
 * commands; populateCommandTable() reads them the same way.
 */
struct redisCommand redisCommandTable[] = {
    /* ANCHOR: commands-table-get-set */
    {"get",getCommand,2,"rF",0,NULL,1,1,1,0,0},
    {"set",setCommand,-3,"wm",0,NULL,1,1,1,0,0},
    /* ANCHOR_END: commands-table-get-set */
    {"append",appendCommand,3,"wm",0,NULL,1,1,1,0,0},
    {"strlen",strlenCommand,2,"rF",0,NULL,1,1,1,0,0},
    {"del",delCommand,-2,"w",0,NULL,1,-1,1,0,0},
    {"exists",existsCommand,-2,"rF",0,NULL,1,-1,1,0,0},
    {"incr",incrCommand,2,"wmF",0,NULL,1,1,1,0,0},
    {"decr",decrCommand,2,"wmF",0,NULL,1,1,1,0,0},
    {"mget",mgetCommand,-2,"rF",0,NULL,1,-1,1,0,0},
    {"incrby",incrbyCommand,3,"wmF",0,NULL,1,1,1,0,0},
    {"decrby",decrbyCommand,3,"wmF",0,NULL,1,1,1,0,0},
    {"getset",getsetCommand,3,"wm",0,NULL,1,1,1,0,0},
    {"mset",msetCommand,-3,"wm",0,NULL,1,-1,2,0,0},
    {"rpush",rpushCommand,-3,"wmF",0,NULL,1,1,1,0,0},
    {"lpush",lpushCommand,-3,"wmF",0,NULL,1,1,1,0,0},
    {"rpushx",rpushxCommand,-3,"wmF",0,NULL,1,1,1,0,0},
    {"lpushx",lpushxCommand,-3,"wmF",0,NULL,1,1,1,0,0},
    {"linsert",linsertCommand,5,"wm",0,NULL,1,1,1,0,0},
    {"rpop",rpopCommand,2,"wF",0,NULL,1,1,1,0,0},
    {"lpop",lpopCommand,2,"wF",0,NULL,1,1,1,0,0},
    {"brpop",brpopCommand,-3,"ws",0,NULL,1,-2,1,0,0},
    {"brpoplpush",brpoplpushCommand,4,"wms",0,NULL,1,2,1,0,0},
    {"blpop",blpopCommand,-3,"ws",0,NULL,1,-2,1,0,0},
    {"llen",llenCommand,2,"rF",0,NULL,1,1,1,0,0},
    {"lindex",lindexCommand,3,"r",0,NULL,1,1,1,0,0},
    {"lset",lsetCommand,4,"wm",0,NULL,1,1,1,0,0},
    /* LAB 7 BEGIN lrange-row */
    {"lrange",lrangeCommand,4,"r",0,NULL,1,1,1,0,0},
    /* LAB 7 END lrange-row */
    {"ltrim",ltrimCommand,4,"w",0,NULL,1,1,1,0,0},
    {"lrem",lremCommand,4,"w",0,NULL,1,1,1,0,0},
    {"rpoplpush",rpoplpushCommand,3,"wm",0,NULL,1,2,1,0,0},
    {"type",typeCommand,2,"rF",0,NULL,1,1,1,0,0},
    {"select",selectCommand,2,"lF",0,NULL,0,0,0,0,0},
    {"expire",expireCommand,3,"wF",0,NULL,1,1,1,0,0},
    {"keys",keysCommand,2,"rS",0,NULL,0,0,0,0,0},
    {"dbsize",dbsizeCommand,1,"rF",0,NULL,0,0,0,0,0},
    /* ANCHOR: commands-table-auth-multi */
    {"auth",authCommand,2,"sltMF",0,NULL,0,0,0,0,0},
    {"ping",pingCommand,-1,"tF",0,NULL,0,0,0,0,0},
    {"echo",echoCommand,2,"F",0,NULL,0,0,0,0,0},
    {"shutdown",shutdownCommand,-1,"aslt",0,NULL,0,0,0,0,0},
    {"multi",multiCommand,1,"sF",0,NULL,0,0,0,0,0},
    {"exec",execCommand,1,"sM",0,NULL,0,0,0,0,0},
    {"discard",discardCommand,1,"sF",0,NULL,0,0,0,0,0},
    /* ANCHOR_END: commands-table-auth-multi */
    {"flushdb",flushdbCommand,-1,"w",0,NULL,0,0,0,0,0},
    {"flushall",flushallCommand,-1,"w",0,NULL,0,0,0,0,0},
    {"info",infoCommand,-1,"ltR",0,NULL,0,0,0,0,0},
    {"ttl",ttlCommand,2,"rFR",0,NULL,1,1,1,0,0},
    {"pttl",pttlCommand,2,"rFR",0,NULL,1,1,1,0,0},
    {"debug",debugCommand,-2,"as",0,NULL,0,0,0,0,0},
    {"config",configCommand,-2,"last",0,NULL,0,0,0,0,0},
    {"subscribe",subscribeCommand,-2,"pslt",0,NULL,0,0,0,0,0},
    {"unsubscribe",unsubscribeCommand,-1,"pslt",0,NULL,0,0,0,0,0},
    {"psubscribe",psubscribeCommand,-2,"pslt",0,NULL,0,0,0,0,0},
    {"punsubscribe",punsubscribeCommand,-1,"pslt",0,NULL,0,0,0,0,0},
    {"publish",publishCommand,3,"pltF",0,NULL,0,0,0,0,0},
    {"pubsub",pubsubCommand,-2,"pltR",0,NULL,0,0,0,0,0},
    {"monitor",monitorCommand,1,"as",0,NULL,0,0,0,0,0},
    {"client",clientCommand,-2,"as",0,NULL,0,0,0,0,0},
    {"time",timeCommand,1,"RF",0,NULL,0,0,0,0,0},
    {"command",commandCommand,0,"ltR",0,NULL,0,0,0,0,0},
    /* HTTP request words: close the connection (server_cmds.c). */
    {"post",securityWarningCommand,-1,"lt",0,NULL,0,0,0,0,0},
    {"host:",securityWarningCommand,-1,"lt",0,NULL,0,0,0,0,0}
};
/* ANCHOR_END: server-command-table */

/**
 * @brief Turn each table row's sflags letters into CMD_* bits and add the
 *        row to server.commands under its name.
 *
 * "wmF" (INCR) becomes CMD_WRITE|CMD_DENYOOM|CMD_FAST.
 *
 * Called by: initServerConfig().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's populateCommandTable() (server.c):
 * Also fills server.orig_commands, the table unaffected by rename-command.
 */
void populateCommandTable(void) {
    int j;
    int numcommands = sizeof(redisCommandTable) / sizeof(struct redisCommand);

    for (j = 0; j < numcommands; j++) {
        struct redisCommand *c = redisCommandTable + j;
        char *f = c->sflags;
        int retval;

        for (; *f != '\0'; f++) {
            switch (*f) {
            case 'w': c->flags |= CMD_WRITE; break;
            case 'r': c->flags |= CMD_READONLY; break;
            case 'm': c->flags |= CMD_DENYOOM; break;
            case 'a': c->flags |= CMD_ADMIN; break;
            case 'p': c->flags |= CMD_PUBSUB; break;
            case 's': c->flags |= CMD_NOSCRIPT; break;
            case 'R': c->flags |= CMD_RANDOM; break;
            case 'S': c->flags |= CMD_SORT_FOR_SCRIPT; break;
            case 'l': c->flags |= CMD_LOADING; break;
            case 't': c->flags |= CMD_STALE; break;
            case 'M': c->flags |= CMD_SKIP_MONITOR; break;
            case 'k': c->flags |= CMD_ASKING; break;
            case 'F': c->flags |= CMD_FAST; break;
            default: serverPanic("Unsupported command flag"); break;
            }
        }
        retval = dictAdd(server.commands, sdsnew(c->name), c);
        serverAssert(retval == DICT_OK);
    }
}

/**
 * @brief Zero every command's calls and microseconds (INFO commandstats).
 *
 * Called by: configCommand() RESETSTAT.
 */
void resetCommandTableStats(void) {
    dictIterator *di = dictGetSafeIterator(server.commands);
    dictEntry *de;

    while ((de = dictNext(di)) != NULL) {
        struct redisCommand *c = dictGetVal(de);

        c->microseconds = 0;
        c->calls = 0;
    }
    dictReleaseIterator(di);
}
