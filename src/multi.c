/**
 * @file multi.c
 * @brief Transactions: MULTI starts queueing, EXEC runs the queue as one
 *        uninterrupted block, DISCARD drops it.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * The pipeline forks in processCommand (server.c). For a client with
 * CLIENT_MULTI set, every command except EXEC, DISCARD, MULTI and WATCH
 * is not run but handed to queueMultiCommand(), and the client gets
 * "+QUEUED\r\n". A session:
 *
 *   MULTI        -> "+OK\r\n"         flags |= CLIENT_MULTI
 *   SET k 1      -> "+QUEUED\r\n"     mstate.commands[0] = {SET k 1}
 *   INCR k       -> "+QUEUED\r\n"     mstate.commands[1] = {INCR k}
 *   EXEC         -> "*2\r\n+OK\r\n:2\r\n"
 *
 * Errors found while queueing (unknown command, wrong arity) call
 * flagTransaction(), which marks the client CLIENT_DIRTY_EXEC; its EXEC
 * then replies "-EXECABORT Transaction discarded because of previous
 * errors.\r\n" and runs nothing. Errors raised while a queued command
 * RUNS (INCR on "abc") are just that command's reply inside EXEC's
 * array: the other commands still run. Redis has no rollback.
 *
 * What flows in: the client's parsed command (argc/argv/cmd). What flows
 * out: the client's mstate queue, and EXEC's multibulk reply.
 *
 * Atomicity comes for free: Redis runs one command at a time, and EXEC
 * runs its whole queue inside one call, so no other client's command can
 * land in between.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's multi.c (queueMultiCommand(), execCommand(), watchCommand()):
 * Redis also has WATCH/UNWATCH (optimistic locking: EXEC replies
 * "*-1\r\n" when a watched key changed, CLIENT_DIRTY_CAS), propagates
 * the transaction to replicas and the AOF wrapped in MULTI/EXEC, and
 * refuses write transactions on a read-only replica; minired has none of
 * those. Like 5.0.14's execCommand(), it feeds EXEC to MONITOR itself
 * (label handle_monitor), after the queued commands.
 */
#include "server.h"

/**
 * @brief Give a client an empty transaction queue.
 *
 * @param c The client.
 *
 * Called by: createClient (networking.c), discardTransaction.
 */
void initClientMultiState(client *c) {
    c->mstate.commands = NULL;
    c->mstate.count = 0;
    c->mstate.cmd_flags = 0;
}

/**
 * @brief Release every queued command and the queue array itself.
 *
 * The queue holds its own reference to each argument object (taken in
 * queueMultiCommand), so it drops them here.
 *
 * @param c The client.
 *
 * Called by: freeClient (networking.c), discardTransaction.
 */
void freeClientMultiState(client *c) {
    int j, i;

    for (j = 0; j < c->mstate.count; j++) {
        multiCmd *mc = c->mstate.commands + j;

        for (i = 0; i < mc->argc; i++) decrRefCount(mc->argv[i]);
        zfree(mc->argv);
    }
    zfree(c->mstate.commands);
}

/**
 * @brief Append the client's current command to its transaction queue.
 *
 * The argument objects are not copied: the queue takes one more reference
 * to each, so they survive resetClient() freeing c->argv after the
 * "+QUEUED" reply.
 *
 * @param c The client; c->argc/argv/cmd is the command to queue.
 *
 * Called by: processCommand (server.c) for a client in CLIENT_MULTI.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's queueMultiCommand() (multi.c):
 * Redis grows the array by one element per command with zrealloc, as
 * here: transactions are usually short.
 */
/* ANCHOR: multi-queue-command */
void queueMultiCommand(client *c) {
    multiCmd *mc;
    int j;

    c->mstate.commands = zrealloc(c->mstate.commands,
                                  sizeof(multiCmd) * (c->mstate.count + 1));
    mc = c->mstate.commands + c->mstate.count;
    mc->cmd = c->cmd;
    mc->argc = c->argc;
    mc->argv = zmalloc(sizeof(robj *) * c->argc);
    memcpy(mc->argv, c->argv, sizeof(robj *) * c->argc);
    for (j = 0; j < c->argc; j++) incrRefCount(mc->argv[j]);
    c->mstate.count++;
    c->mstate.cmd_flags |= c->cmd->flags;
}
/* ANCHOR_END: multi-queue-command */

/**
 * @brief Leave MULTI state: drop the queue and the transaction flags.
 *
 * @param c The client.
 *
 * Called by: discardCommand, execCommand (after running or aborting).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's discardTransaction() (multi.c):
 * Redis also forgets the client's WATCHed keys here (unwatchAllKeys).
 */
void discardTransaction(client *c) {
    freeClientMultiState(c);
    initClientMultiState(c);
    c->flags &= ~(CLIENT_MULTI | CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC);
}

/**
 * @brief Remember that a command was refused while queueing, so that the
 *        coming EXEC fails with EXECABORT.
 *
 * A no-op outside MULTI: "NOSUCHCMD" alone is only an error reply.
 *
 * @param c The client.
 *
 * Called by: processCommand (server.c) on unknown command, wrong arity
 * and NOAUTH.
 */
/* ANCHOR: multi-flag-transaction */
void flagTransaction(client *c) {
    if (c->flags & CLIENT_MULTI) c->flags |= CLIENT_DIRTY_EXEC;
}
/* ANCHOR_END: multi-flag-transaction */

/**
 * @brief MULTI: start queueing.
 *
 * A second MULTI replies "-ERR MULTI calls can not be nested\r\n" and
 * leaves the transaction as it was (it is not flagged dirty).
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void multiCommand(client *c) {
    if (c->flags & CLIENT_MULTI) {
        addReplyError(c, "MULTI calls can not be nested");
        return;
    }
    c->flags |= CLIENT_MULTI;
    addReply(c, shared.ok);
}

/**
 * @brief DISCARD: drop the queue, reply "+OK\r\n".
 *
 * @param c The client. Outside MULTI: "-ERR DISCARD without MULTI\r\n".
 *
 * Called by: call (server.c) through the command table.
 */
void discardCommand(client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        addReplyError(c, "DISCARD without MULTI");
        return;
    }
    discardTransaction(c);
    addReply(c, shared.ok);
}

/**
 * @brief EXEC: run every queued command, replying one multibulk of their
 *        replies.
 *
 * Outside MULTI: "-ERR EXEC without MULTI\r\n". After a queueing error:
 * "-EXECABORT Transaction discarded because of previous errors.\r\n" and
 * nothing runs. Otherwise "*<count>\r\n" followed by each command's own
 * reply, in order; an empty transaction replies "*0\r\n".
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's execCommand() (multi.c):
 * Before the loop Redis refuses write commands on a read-only replica
 * and, for WATCH, replies "*-1\r\n" if CLIENT_DIRTY_CAS is set. Inside
 * the loop it sends MULTI to replicas/AOF before the first write command
 * and uses CMD_CALL_NONE while loading the AOF.
 */
void execCommand(client *c) {
    int j;
    robj **orig_argv;
    int orig_argc;
    struct redisCommand *orig_cmd;

    if (!(c->flags & CLIENT_MULTI)) {
        addReplyError(c, "EXEC without MULTI");
        return;
    }

    /* ANCHOR: multi-exec-abort */
    /* A queueing error (or, in Redis, a touched WATCHed key) aborts. */
    if (c->flags & (CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC)) {
        addReply(c, c->flags & CLIENT_DIRTY_EXEC ? shared.execaborterr :
                                                   shared.nullmultibulk);
        discardTransaction(c);
        goto handle_monitor;
    }
    /* ANCHOR_END: multi-exec-abort */

    /* ANCHOR: multi-exec-loop */
    /* EXEC's own argv ({"EXEC"}) is parked while the client's argc/argv/
     * cmd are pointed at each queued command in turn: the command procs
     * only know how to read c->argv, so each one runs exactly as if the
     * client had just sent it. */
    orig_argv = c->argv;
    orig_argc = c->argc;
    orig_cmd = c->cmd;
    addReplyMultiBulkLen(c, c->mstate.count);
    for (j = 0; j < c->mstate.count; j++) {
        c->argc = c->mstate.commands[j].argc;
        c->argv = c->mstate.commands[j].argv;
        c->cmd = c->mstate.commands[j].cmd;

        /* call() runs the proc and updates the command's stats; the proc's
         * reply lands right after "*<count>\r\n" and the previous ones. */
        call(c, CMD_CALL_FULL);

        /* A command may have replaced its arguments (SET writes back
         * tryObjectEncoding's result into argv[2]): hand the possibly new
         * array back to the queue, which frees it in discardTransaction. */
        c->mstate.commands[j].argc = c->argc;
        c->mstate.commands[j].argv = c->argv;
        c->mstate.commands[j].cmd = c->cmd;
    }
    c->argv = orig_argv;
    c->argc = orig_argc;
    c->cmd = orig_cmd;
    discardTransaction(c);
    /* ANCHOR_END: multi-exec-loop */

handle_monitor:
    /* EXEC has the 'M' flag, so call() did not feed it to the monitors
     * before it ran: they get "MULTI", the queued commands (each fed by
     * call() as it runs), and "EXEC" last, here, which is the order the
     * commands took effect. An aborted EXEC is fed too, "EXEC without
     * MULTI" is not. Redis 5.0.14 does the same at the end of its
     * execCommand() (label handle_monitor), skipped while loading. */
    if (listLength(server.monitors))
        replicationFeedMonitors(c, server.monitors, c->db->id, c->argv,
                                c->argc);
}
