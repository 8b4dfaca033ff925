/**
 * @file client_cmd.c
 * @brief The CLIENT command: LIST, ID, SETNAME, GETNAME, KILL, REPLY,
 *        UNBLOCK, PAUSE, HELP.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * At the very end: processCommand() (server.c) calls clientCommand() like
 * any other command. It is the window a reader opens on the pipeline from
 * redis-cli: CLIENT LIST prints, for every connection, the fields the
 * pipeline keeps moving (qbuf = sdslen(querybuf), qbuf-free, obl = bufpos,
 * oll = reply blocks, omem = reply memory), formatted by
 * catClientInfoString() below, which also serves the log lines that name a
 * client (the query buffer limit, output buffer limits, protocol errors).
 *
 * What flows in: a client whose argv is "CLIENT <subcommand> ...". What
 * flows out: a reply, and for KILL, clients freed (or flagged
 * CLIENT_CLOSE_AFTER_REPLY when the caller kills itself); for UNBLOCK a
 * blocked client's reply and its place on server.unblocked_clients; for
 * PAUSE server.clients_paused (blocked.c).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's clientCommand() and catClientInfoString()
 * (networking.c): this code, and the introspection helpers it uses
 * (getClientPeerId(), catClientInfoString(), lookupClientByID()), live at
 * the end of networking.c there; minired gives them a file of their own so
 * networking.c stays the pipeline and under 1,500 lines.
 */

#include "server.h"

/* ==========================================================================
 * Introspection: peer ids, CLIENT LIST lines, client types
 * ======================================================================= */

/**
 * @brief Write a client's "ip:port" (or "socketpath:0") into @p peerid.
 *
 * IPv6 gets brackets, "[::1]:51234" (anetFormatPeer). When getpeername()
 * fails (fd -1 clients, a reset socket) the result is "?:0".
 *
 * @param c          The client.
 * @param peerid     Output buffer.
 * @param peerid_len Its size (NET_PEER_ID_LEN is enough).
 *
 * Called by: getClientPeerId().
 */
static void genClientPeerId(client *c, char *peerid, size_t peerid_len) {
    if (c->flags & CLIENT_UNIX_SOCKET) {
        /* Every unix socket client has the same address: the socket path. */
        snprintf(peerid, peerid_len, "%s:0", server.unixsocket);
    } else if (c->flags & CLIENT_FAKE_IO) {
        /* No socket to ask (the trace engine presets c->peerid). */
        snprintf(peerid, peerid_len, "?:0");
    } else {
        anetFormatPeer(c->fd, peerid, peerid_len);
    }
}

/**
 * @brief A client's address as CLIENT LIST shows it, computed once and
 *        cached in c->peerid (CLIENT KILL compares it for every client).
 *
 * @param c The client.
 * @return "127.0.0.1:51234", "[::1]:51234", "/tmp/redis.sock:0" or "?:0";
 *         owned by the client, freed by freeClient().
 *
 * Called by: catClientInfoString(), clientKillCommand().
 */
char *getClientPeerId(client *c) {
    char peerid[NET_PEER_ID_LEN];

    if (c->peerid == NULL) {
        genClientPeerId(c, peerid, sizeof(peerid));
        c->peerid = sdsnew(peerid);
    }
    return c->peerid;
}

/**
 * @brief Append one CLIENT LIST line (no trailing newline) for @p c to @p s.
 *
 * Example, a redis-cli session that just ran CLIENT LIST:
 * @code
 * id=3 addr=127.0.0.1:51234 fd=8 name= age=2 idle=0 flags=N db=0 sub=0
 * psub=0 multi=-1 qbuf=26 qbuf-free=32742 obl=0 oll=0 omem=0 events=r
 * cmd=client
 * @endcode
 * (one line in reality). flags letters: S replica, O monitor, M master,
 * P pub/sub, x MULTI, b blocked, d dirty CAS, c close after reply,
 * u unblocked, A close ASAP, U unix socket, r read-only, N none of these.
 * events: r readable and/or w writable handler installed.
 *
 * @param s The string to append to.
 * @param c The client to describe.
 * @return @p s with the line appended (may be a new pointer).
 *
 * Called by: getAllClientsInfoString(), setProtocolError(),
 * readQueryFromClient() (query buffer limit log).
 */
sds catClientInfoString(sds s, client *c) {
    char flags[16], events[3], *p;
    int emask;

    /* ANCHOR: networking-client-info */
    p = flags;
    if (c->flags & CLIENT_SLAVE) {
        if (c->flags & CLIENT_MONITOR)
            *p++ = 'O';
        else
            *p++ = 'S';
    }
    if (c->flags & CLIENT_MASTER) *p++ = 'M';
    if (c->flags & CLIENT_PUBSUB) *p++ = 'P';
    if (c->flags & CLIENT_MULTI) *p++ = 'x';
    if (c->flags & CLIENT_BLOCKED) *p++ = 'b';
    if (c->flags & CLIENT_DIRTY_CAS) *p++ = 'd';
    if (c->flags & CLIENT_CLOSE_AFTER_REPLY) *p++ = 'c';
    if (c->flags & CLIENT_UNBLOCKED) *p++ = 'u';
    if (c->flags & CLIENT_CLOSE_ASAP) *p++ = 'A';
    if (c->flags & CLIENT_UNIX_SOCKET) *p++ = 'U';
    if (c->flags & CLIENT_READONLY) *p++ = 'r';
    if (p == flags) *p++ = 'N';
    *p++ = '\0';

    /* A client with no socket has no handlers to report. A replayed
     * CLIENT_FAKE_IO client (a recorded fd number) reports what a socket
     * client in its state has: "r", plus "w" while replies wait for the
     * writable handler (bytes left, no longer on clients_pending_write). */
    if (c->fd == -1)
        emask = 0;
    else if (c->flags & CLIENT_FAKE_IO)
        emask = AE_READABLE | ((clientHasPendingReplies(c) &&
                 !(c->flags & CLIENT_PENDING_WRITE)) ? AE_WRITABLE : 0);
    else
        emask = aeGetFileEvents(server.el, c->fd);
    p = events;
    if (emask & AE_READABLE) *p++ = 'r';
    if (emask & AE_WRITABLE) *p++ = 'w';
    *p = '\0';

    /* obl: bytes in the 16 KB static buffer; oll: blocks in the reply list;
     * omem: memory the reply list uses. qbuf-free is the spare room
     * sdsMakeRoomFor() left in querybuf (sdsavail(), as Redis 5.0.14's
     * catClientInfoString()): for the client running CLIENT LIST about
     * 32 KB minus its request; for an idle client the same until its next
     * cron visit, then 0 once clientsCronResizeQueryBuffer() shrank it
     * ("qbuf=0 qbuf-free=0", as in 5.0.14). With reusable-querybuf on, an
     * idle client shows 0 at once (its own buffer is a 0-room sds). */
    s = sdscatfmt(s,
        "id=%U addr=%s fd=%i name=%s age=%I idle=%I flags=%s db=%i "
        "sub=%i psub=%i multi=%i qbuf=%U qbuf-free=%U obl=%U oll=%U "
        "omem=%U events=%s cmd=%s",
        (unsigned long long)c->id,
        getClientPeerId(c),
        c->fd,
        c->name ? (char *)c->name->ptr : "",
        (long long)(server.unixtime - c->ctime),
        (long long)(server.unixtime - c->lastinteraction),
        flags,
        c->db->id,
        (int)dictSize(c->pubsub_channels),
        (int)listLength(c->pubsub_patterns),
        (c->flags & CLIENT_MULTI) ? c->mstate.count : -1,
        (unsigned long long)sdslen(c->querybuf),
        (unsigned long long)sdsavail(c->querybuf),
        (unsigned long long)c->bufpos,
        (unsigned long long)listLength(c->reply),
        (unsigned long long)getClientOutputBufferMemoryUsage(c),
        events,
        c->lastcmd ? c->lastcmd->name : "NULL");
    /* ANCHOR_END: networking-client-info */
    return s;
}

/**
 * @brief Find a linked client by its id (CLIENT LIST id=).
 * @param id The client.id to look for.
 * @return The client, or NULL when no linked client has that id (it was
 *         freed, or never existed).
 *
 * A linear walk over server.clients: fine for the replay engine, the fuzzers
 * and the unit tests that need it, which hold ids rather than pointers
 * precisely because a freed client's memory must not be touched again.
 *
 * Called by: CLIENT UNBLOCK (client_cmd.c), the trace replay and scenario
 * engine (trace_replay.c), the request fuzzer, the pipeline test harness.
 *
 * @par Redis 5.0:
 * Redis 5.0.14's lookupClientByID() (present since 5.0.0) has this
 * contract but is backed by a radix tree, server.clients_index, that
 * linkClient() fills (raxInsert) and unlinkClient() empties, so the lookup
 * costs O(log N) rather than a walk; its caller there is CLIENT UNBLOCK in
 * clientCommand() (CLIENT KILL ID walks server.clients, as client_cmd.c
 * does). minired has no rax, so a walk does; CLIENT UNBLOCK calls it here
 * too.
 */
client *lookupClientByID(uint64_t id) {
    listIter li;
    listNode *ln;

    listRewind(server.clients, &li);
    while ((ln = listNext(&li)) != NULL) {
        client *c = listNodeValue(ln);

        if (c->id == id) return c;
    }
    return NULL;
}

/**
 * @brief The CLIENT LIST text: one line per linked client, each ending in
 *        "\n", oldest connection first.
 *
 * @param type A CLIENT_TYPE_* to list only those clients, or -1 for all.
 * @return A new sds the caller frees.
 *
 * Called by: clientCommand() (CLIENT LIST).
 */
sds getAllClientsInfoString(int type) {
    listNode *ln;
    listIter li;
    client *c;
    /* About 200 bytes per line: one allocation for typical lists. */
    sds o = sdsnewlen(SDS_NOINIT, 200 * listLength(server.clients));

    sdsclear(o);
    listRewind(server.clients, &li);
    while ((ln = listNext(&li)) != NULL) {
        c = listNodeValue(ln);
        if (type != -1 && getClientType(c) != type) continue;
        o = catClientInfoString(o, c);
        o = sdscatlen(o, "\n", 1);
    }
    return o;
}

/**
 * @brief The class a client belongs to, for CLIENT LIST/KILL TYPE.
 *
 * MONITOR clients carry CLIENT_SLAVE but count as normal clients.
 *
 * @param c The client.
 * @return CLIENT_TYPE_MASTER, _SLAVE, _PUBSUB or _NORMAL.
 *
 * Called by: getAllClientsInfoString(), clientKillCommand().
 */
int getClientType(client *c) {
    if (c->flags & CLIENT_MASTER) return CLIENT_TYPE_MASTER;
    if ((c->flags & CLIENT_SLAVE) && !(c->flags & CLIENT_MONITOR))
        return CLIENT_TYPE_SLAVE;
    if (c->flags & CLIENT_PUBSUB) return CLIENT_TYPE_PUBSUB;
    return CLIENT_TYPE_NORMAL;
}

/**
 * @brief Map "normal", "slave"/"replica", "pubsub" or "master" (any case)
 *        to a CLIENT_TYPE_*.
 *
 * @param name The type name given by the user.
 * @return The CLIENT_TYPE_* value, or -1 for an unknown name.
 *
 * Called by: clientCommand() (LIST TYPE), clientKillCommand() (TYPE).
 */
int getClientTypeByName(char *name) {
    if (!strcasecmp(name, "normal")) return CLIENT_TYPE_NORMAL;
    else if (!strcasecmp(name, "slave")) return CLIENT_TYPE_SLAVE;
    else if (!strcasecmp(name, "replica")) return CLIENT_TYPE_SLAVE;
    else if (!strcasecmp(name, "pubsub")) return CLIENT_TYPE_PUBSUB;
    else if (!strcasecmp(name, "master")) return CLIENT_TYPE_MASTER;
    else return -1;
}

/**
 * @brief The name of a CLIENT_TYPE_*, as CONFIG GET client-output-buffer-limit
 *        prints it: "normal", "slave", "pubsub" or "master".
 *
 * @param class A CLIENT_TYPE_* value.
 * @return A static string, or NULL for a value that is no client type.
 *
 * Called by: configGetCommand() (config.c),
 * asyncCloseClientOnOutputBufferLimitReached() (reply.c, for the trace).
 */
char *getClientTypeName(int class) {
    switch (class) {
    case CLIENT_TYPE_NORMAL: return "normal";
    /* 5.0 still says "slave" here, even though "replica" is accepted as
     * input by getClientTypeByName(). */
    case CLIENT_TYPE_SLAVE: return "slave";
    case CLIENT_TYPE_PUBSUB: return "pubsub";
    case CLIENT_TYPE_MASTER: return "master";
    default: return NULL;
    }
}

/* ==========================================================================
 * The CLIENT command
 * ======================================================================= */

/**
 * @brief CLIENT KILL, both forms.
 *
 * Old form, `CLIENT KILL 127.0.0.1:51234`: +OK, or "-ERR No such client".
 * New form, `CLIENT KILL ID 7 TYPE normal ADDR 127.0.0.1:51234 SKIPME no`:
 * every filter given must match; replies with the number killed (":2").
 * SKIPME defaults to yes in the new form, so a client does not kill itself
 * by accident; the old form can kill its caller.
 *
 * The caller is never freed here (its reply is still to be written and
 * processInputBuffer() is running for it): it gets CLIENT_CLOSE_AFTER_REPLY.
 *
 * @param c The client running CLIENT KILL.
 *
 * Called by: clientCommand().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's clientCommand() (networking.c), its "kill" branch:
 * A branch of clientCommand() there, moved out here to keep
 * clientCommand() lab-sized. Same parsing and replies.
 */
static void clientKillCommand(client *c) {
    listNode *ln;
    listIter li;
    char *addr = NULL;
    int type = -1;
    uint64_t id = 0;
    int skipme = 1;
    int killed = 0, close_this_client = 0;

    if (c->argc == 3) {
        /* Old form: the address is the only argument. */
        addr = c->argv[2]->ptr;
        skipme = 0;
    } else if (c->argc > 3) {
        int i = 2; /* first filter name */

        while (i < c->argc) {
            int moreargs = c->argc > i + 1;

            if (!strcasecmp(c->argv[i]->ptr, "id") && moreargs) {
                long long tmp;

                if (getLongLongFromObjectOrReply(c, c->argv[i + 1], &tmp,
                                                 NULL) != C_OK) return;
                id = tmp;
            } else if (!strcasecmp(c->argv[i]->ptr, "type") && moreargs) {
                type = getClientTypeByName(c->argv[i + 1]->ptr);
                if (type == -1) {
                    addReplyErrorFormat(c, "Unknown client type '%s'",
                                        (char *)c->argv[i + 1]->ptr);
                    return;
                }
            } else if (!strcasecmp(c->argv[i]->ptr, "addr") && moreargs) {
                addr = c->argv[i + 1]->ptr;
            } else if (!strcasecmp(c->argv[i]->ptr, "skipme") && moreargs) {
                if (!strcasecmp(c->argv[i + 1]->ptr, "yes")) {
                    skipme = 1;
                } else if (!strcasecmp(c->argv[i + 1]->ptr, "no")) {
                    skipme = 0;
                } else {
                    addReply(c, shared.syntaxerr);
                    return;
                }
            } else {
                addReply(c, shared.syntaxerr);
                return;
            }
            i += 2;
        }
    } else {
        addReply(c, shared.syntaxerr);
        return;
    }
    /* ANCHOR: networking-client-kill */
    /* listNext() has already stepped past a node when it is returned, so
     * freeing that client (which deletes its node) is safe mid-walk. */
    listRewind(server.clients, &li);
    while ((ln = listNext(&li)) != NULL) {
        client *target = listNodeValue(ln);

        if (addr && strcmp(getClientPeerId(target), addr) != 0) continue;
        if (type != -1 && getClientType(target) != type) continue;
        if (id != 0 && target->id != id) continue;
        if (c == target && skipme) continue;

        if (c == target) {
            close_this_client = 1;
        } else {
            freeClient(target);
        }
        killed++;
    }

    if (c->argc == 3) {
        if (killed == 0)
            addReplyError(c, "No such client");
        else
            addReply(c, shared.ok);
    } else {
        addReplyLongLong(c, killed);
    }

    /* Set after the reply: _addReply* refuse to add to a closing client. */
    if (close_this_client) c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}
/* ANCHOR_END: networking-client-kill */
/**
 * @brief CLIENT REPLY ON|OFF|SKIP: switch this connection's replies off,
 *        back on, or off for the next command only.
 *
 * Only ON replies ("+OK\r\n"): OFF and SKIP take effect at once, so
 * their own reply is already dropped. SKIP while OFF does nothing (the
 * replies are off anyway, and must stay off after the next command). A
 * wrong mode replies "-ERR syntax error\r\n" (unless replies are off, in
 * which case nothing at all comes back).
 *
 * The flags are read by prepareClientToWrite() (reply.c), which refuses
 * every reply fragment while CLIENT_REPLY_OFF or CLIENT_REPLY_SKIP is
 * set; resetClient() (networking.c) moves CLIENT_REPLY_SKIP_NEXT to
 * CLIENT_REPLY_SKIP after this command and clears it after the next.
 * Messages pushed by other clients (PUBLISH, MONITOR lines) go through
 * the same check, so they are dropped too.
 *
 *   "CLIENT REPLY OFF\r\nSET k v\r\nCLIENT REPLY ON\r\nGET k\r\n"
 *     -> "+OK\r\n$1\r\nv\r\n"        (only ON's reply and GET's)
 *
 * @param c The client (argv[2] is the mode).
 *
 * Called by: clientCommand().
 *
 * @par Redis 5.0:
 * Compared with the REPLY branch of Redis 5.0.14's clientCommand()
 * (networking.c): the same flags and replies.
 */
/* ANCHOR: client-reply-command */
static void clientReplyCommand(client *c) {
    if (!strcasecmp(c->argv[2]->ptr, "on")) {
        /* Clear both, then reply: after "CLIENT REPLY SKIP", a "CLIENT
         * REPLY ON" is itself the skipped command, yet its "+OK\r\n" is
         * sent, because CLIENT_REPLY_SKIP is gone before addReply. */
        c->flags &= ~(CLIENT_REPLY_SKIP | CLIENT_REPLY_OFF);
        addReply(c, shared.ok);
    } else if (!strcasecmp(c->argv[2]->ptr, "off")) {
        c->flags |= CLIENT_REPLY_OFF;
    } else if (!strcasecmp(c->argv[2]->ptr, "skip")) {
        if (!(c->flags & CLIENT_REPLY_OFF))
            c->flags |= CLIENT_REPLY_SKIP_NEXT;
    } else {
        addReply(c, shared.syntaxerr);
    }
}
/* ANCHOR_END: client-reply-command */

/**
 * @brief CLIENT SETNAME: name the connection, or clear the name with "".
 *
 * Names appear as name= in CLIENT LIST, whose fields are split on spaces,
 * so only printable ASCII from '!' to '~' is allowed: "my-app" is fine,
 * "my app" or "caf\xc3\xa9" is refused.
 *
 * @param c The client (argv[2] is the new name).
 *
 * Called by: clientCommand().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's clientCommand() (networking.c), its "setname" branch:
 * A branch of clientCommand() there; same checks and replies.
 */
static void clientSetNameCommand(client *c) {
    int j, len = sdslen(c->argv[2]->ptr);
    char *p = c->argv[2]->ptr;

    if (len == 0) {
        if (c->name) decrRefCount(c->name);
        c->name = NULL;
        addReply(c, shared.ok);
        return;
    }

    for (j = 0; j < len; j++) {
        /* Through unsigned char, bytes >= 0x80 compare as > '~'. */
        unsigned char ch = (unsigned char)p[j];

        if (ch < '!' || ch > '~') {
            addReplyError(c,
                          "Client names cannot contain spaces, "
                          "newlines or special characters.");
            return;
        }
    }

    /* Share the argument object instead of copying it. */
    if (c->name) decrRefCount(c->name);
    c->name = c->argv[2];
    incrRefCount(c->name);
    addReply(c, shared.ok);
}

/**
 * @brief CLIENT UNBLOCK id [TIMEOUT|ERROR]: end another client's BLPOP.
 *
 * ":1\r\n" if client id was blocked (it then gets "*-1\r\n", as on a
 * timeout, or with ERROR "-UNBLOCKED client unblocked via CLIENT
 * UNBLOCK\r\n"), ":0\r\n" if there is no such client or it is not
 * blocked. A bad reason is refused before the id is even parsed.
 *
 * @param c The client running CLIENT UNBLOCK (argc 3 or 4).
 *
 * Called by: clientCommand().
 *
 * @par Redis 5.0:
 * In Redis 5.0.14, The "unblock" branch of clientCommand() in networking.c,
 * same order of checks and texts.
 */
static void clientUnblockCommand(client *c) {
    long long id;
    int unblock_error = 0;
    client *target;

    if (c->argc == 4) {
        if (!strcasecmp(c->argv[3]->ptr, "timeout")) {
            unblock_error = 0;
        } else if (!strcasecmp(c->argv[3]->ptr, "error")) {
            unblock_error = 1;
        } else {
            addReplyError(c, "CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            return;
        }
    }
    if (getLongLongFromObjectOrReply(c, c->argv[2], &id, NULL) != C_OK)
        return;
    target = lookupClientByID(id);
    if (target && target->flags & CLIENT_BLOCKED) {
        /* The leading '-' makes addReplyError use UNBLOCKED as the error
         * code instead of ERR. */
        if (unblock_error)
            addReplyError(target, "-UNBLOCKED client unblocked via CLIENT UNBLOCK");
        else
            replyToBlockedClientTimedOut(target);
        unblockClient(target);
        traceEvent(target, "unblocked", "why=%s",
                   unblock_error ? "client-unblock-error" : "client-unblock");
        addReply(c, shared.cone);
    } else {
        addReply(c, shared.czero);
    }
}

/**
 * @brief The CLIENT command: ID, LIST [TYPE t], SETNAME, GETNAME, KILL,
 *        REPLY, UNBLOCK, PAUSE, HELP.
 *
 * CLIENT ID replies ":5"; LIST a bulk string of catClientInfoString()
 * lines; GETNAME the name or "$-1" (nil); an unknown subcommand "-ERR
 * Unknown subcommand or wrong number of arguments for 'foo'. Try CLIENT
 * HELP" (no final period, unlike other commands' subcommand errors).
 *
 * @param c The client running the command (argc >= 2: arity is -2).
 *
 * Called by: call() (server.c) through the command table.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's clientCommand() (networking.c): the same
 * subcommands, and CLIENT HELP with Redis 5.0's wording for each
 * (including 5.0's "<timout>" typo).
 */
void clientCommand(client *c) {
    if (c->argc == 2 && !strcasecmp(c->argv[1]->ptr, "help")) {
        const char *help[] = {
"id                     -- Return the ID of the current connection.",
"getname                -- Return the name of the current connection.",
"kill <ip:port>         -- Kill connection made from <ip:port>.",
"kill <option> <value> [option value ...] -- Kill connections. Options are:",
"     addr <ip:port>                      -- Kill connection made from <ip:port>",
"     type (normal|master|replica|pubsub) -- Kill connections by type.",
"     skipme (yes|no)   -- Skip killing current connection (default: yes).",
"list [options ...]     -- Return information about client connections. Options:",
"     type (normal|master|replica|pubsub) -- Return clients of specified type.",
"pause <timeout>        -- Suspend all Redis clients for <timout> milliseconds.",
"reply (on|off|skip)    -- Control the replies sent to the current connection.",
"setname <name>         -- Assign the name <name> to the current connection.",
"unblock <clientid> [TIMEOUT|ERROR] -- Unblock the specified blocked client.",
            NULL
        };
        addReplyHelp(c, help);
    } else if (!strcasecmp(c->argv[1]->ptr, "id") && c->argc == 2) {
        addReplyLongLong(c, c->id);
    } else if (!strcasecmp(c->argv[1]->ptr, "list")) {
        int type = -1;
        sds o;

        if (c->argc == 4 && !strcasecmp(c->argv[2]->ptr, "type")) {
            type = getClientTypeByName(c->argv[3]->ptr);
            if (type == -1) {
                addReplyErrorFormat(c, "Unknown client type '%s'",
                                    (char *)c->argv[3]->ptr);
                return;
            }
        } else if (c->argc != 2) {
            addReply(c, shared.syntaxerr);
            return;
        }
        o = getAllClientsInfoString(type);
        addReplyBulkCBuffer(c, o, sdslen(o));
        sdsfree(o);
    } else if (!strcasecmp(c->argv[1]->ptr, "reply") && c->argc == 3) {
        clientReplyCommand(c);
    } else if (!strcasecmp(c->argv[1]->ptr, "kill")) {
        clientKillCommand(c);
    } else if (!strcasecmp(c->argv[1]->ptr, "unblock") &&
               (c->argc == 3 || c->argc == 4)) {
        clientUnblockCommand(c);
    } else if (!strcasecmp(c->argv[1]->ptr, "setname") && c->argc == 3) {
        clientSetNameCommand(c);
    } else if (!strcasecmp(c->argv[1]->ptr, "getname") && c->argc == 2) {
        if (c->name)
            addReplyBulk(c, c->name);
        else
            addReply(c, shared.nullbulk);
    } else if (!strcasecmp(c->argv[1]->ptr, "pause") && c->argc == 3) {
        mstime_t end;

        /* "CLIENT PAUSE 500" at 1700000000000 -> paused until
         * 1700000000500; "CLIENT PAUSE -1" -> "-ERR timeout is negative". */
        if (getTimeoutFromObjectOrReply(c, c->argv[2], &end,
                                        UNIT_MILLISECONDS) != C_OK) return;
        pauseClients(end);
        addReply(c, shared.ok);
    } else {
        /* Not addReplySubcommandSyntaxError(): Redis 5.0's CLIENT spells its
         * own text, without the final '.', and clients may match on it. */
        addReplyErrorFormat(c, "Unknown subcommand or wrong number of "
                            "arguments for '%s'. Try CLIENT HELP",
                            (char *)c->argv[1]->ptr);
    }
}
