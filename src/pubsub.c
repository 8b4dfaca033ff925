/**
 * @file pubsub.c
 * @brief Publish/subscribe: (P)SUBSCRIBE, (P)UNSUBSCRIBE, PUBLISH, PUBSUB.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Pub/sub is the one place where a command of one client puts bytes in
 * OTHER clients' output buffers. "PUBLISH news hi" from client A runs
 * publishCommand on A, which calls addReply on every subscriber B, C...;
 * their replies then leave through the normal write path
 * (clients_pending_write -> handleClientsWithPendingWrites in
 * beforeSleep), and A gets ":<receivers>\r\n".
 *
 * Two tables mirror each other for channels, two lists for patterns:
 *
 *   server.pubsub_channels : channel robj -> list of client *
 *                            ("who gets a PUBLISH to this channel")
 *   c->pubsub_channels     : channel robj -> NULL (a set)
 *                            ("what is this client subscribed to")
 *   server.pubsub_patterns : list of pubsubPattern {client, pattern}
 *                            (every PUBLISH walks it, matching each glob)
 *   c->pubsub_patterns     : list of pattern robj
 *                            ("which globs is this client subscribed to")
 *
 * A client with at least one subscription has CLIENT_PUBSUB set, and
 * processCommand (server.c) then only accepts (P)SUBSCRIBE,
 * (P)UNSUBSCRIBE, PING and QUIT from it.
 *
 * What flows in: channel and message objects from argv. What flows out:
 * "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n" confirmations to the
 * subscriber, "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n" to
 * every receiver, "*4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n..." to
 * every matching pattern subscription, the receiver count to the
 * publisher.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's pubsub.c (subscribeCommand(),
 * psubscribeCommand(), publishCommand(), pubsubPublishMessage()): the same
 * tables and replies. Redis also propagates PUBLISH to replicas or, in
 * cluster mode, to every node; minired has neither.
 */
#include "server.h"

/**
 * @brief How many channels (and patterns) @p c is subscribed to.
 *
 * This is the number every subscribe/unsubscribe confirmation ends with.
 *
 * @param c The client.
 * @return Channels plus patterns.
 *
 * Called by: the (un)subscribe functions and commands below, for the
 * counts in their replies, and the pattern/channel removal paths that
 * clear CLIENT_PUBSUB. (getClientType() tests CLIENT_PUBSUB instead.)
 */
int clientSubscriptionsCount(client *c) {
    return dictSize(c->pubsub_channels) + listLength(c->pubsub_patterns);
}

/**
 * @brief Free one server.pubsub_patterns entry (its list free method).
 * @param p A pubsubPattern *.
 *
 * Called by: listDelNode() on server.pubsub_patterns
 * (pubsubUnsubscribePattern).
 */
void freePubsubPattern(void *p) {
    pubsubPattern *pat = p;

    decrRefCount(pat->pattern);
    zfree(pat);
}

/**
 * @brief Same client and same pattern bytes? (server.pubsub_patterns'
 *        match method).
 * @param a A pubsubPattern * (a list value).
 * @param b The pubsubPattern * searched for.
 * @return 1 on a match, 0 otherwise.
 *
 * Called by: listSearchKey() in pubsubUnsubscribePattern.
 */
int listMatchPubsubPattern(void *a, void *b) {
    pubsubPattern *pa = a, *pb = b;

    return pa->client == pb->client &&
           equalStringObjects(pa->pattern, pb->pattern);
}

/**
 * @brief Subscribe @p c to @p channel and add the confirmation reply.
 *
 * Subscribing twice to the same channel changes nothing but still
 * confirms, with the unchanged count.
 *
 * @param c       The client.
 * @param channel The channel name (an argv object; both tables take a
 *                reference when they store it).
 * @return 1 if this was a new subscription, 0 if it already existed.
 *
 * Called by: subscribeCommand.
 */
static int pubsubSubscribeChannel(client *c, robj *channel) {
    dictEntry *de;
    list *clients = NULL;
    int retval = 0;

    if (dictAdd(c->pubsub_channels, channel, NULL) == DICT_OK) {
        retval = 1;
        incrRefCount(channel);
        /* First subscriber of this channel server-wide: create its list. */
        de = dictFind(server.pubsub_channels, channel);
        if (de == NULL) {
            clients = listCreate();
            dictAdd(server.pubsub_channels, channel, clients);
            incrRefCount(channel);
        } else {
            clients = dictGetVal(de);
        }
        listAddNodeTail(clients, c);
    }
    /* "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n" */
    addReply(c, shared.mbulkhdr[3]);
    addReply(c, shared.subscribebulk);
    addReplyBulk(c, channel);
    addReplyLongLong(c, clientSubscriptionsCount(c));
    return retval;
}

/**
 * @brief Unsubscribe @p c from @p channel, optionally confirming.
 *
 * Unsubscribing from a channel the client is not subscribed to is not an
 * error: the confirmation is sent all the same.
 *
 * @param c       The client.
 * @param channel The channel name.
 * @param notify  1 to add the "*3\r\n$11\r\nunsubscribe\r\n..." reply,
 *                0 when the client is being freed.
 * @return 1 if the client was subscribed, 0 otherwise.
 *
 * Called by: unsubscribeCommand, pubsubUnsubscribeAllChannels.
 */
static int pubsubUnsubscribeChannel(client *c, robj *channel, int notify) {
    dictEntry *de;
    list *clients;
    listNode *ln;
    int retval = 0;

    /* When called from pubsubUnsubscribeAllChannels, @p channel IS the
     * key object of the client's dict: the dictDelete below would free it
     * while we still need it for the reply and the second table. Hold a
     * reference until the end. */
    incrRefCount(channel);
    if (dictDelete(c->pubsub_channels, channel) == DICT_OK) {
        retval = 1;
        de = dictFind(server.pubsub_channels, channel);
        serverAssert(de != NULL);
        clients = dictGetVal(de);
        ln = listSearchKey(clients, c);
        serverAssert(ln != NULL);
        listDelNode(clients, ln);
        /* Last subscriber gone: drop the channel so PUBLISH finds nothing
         * and the table does not keep dead names forever. */
        if (listLength(clients) == 0)
            dictDelete(server.pubsub_channels, channel);
    }
    if (notify) {
        /* "*3\r\n$11\r\nunsubscribe\r\n$4\r\nnews\r\n:0\r\n" */
        addReply(c, shared.mbulkhdr[3]);
        addReply(c, shared.unsubscribebulk);
        addReplyBulk(c, channel);
        addReplyLongLong(c, clientSubscriptionsCount(c));
    }
    decrRefCount(channel);
    return retval;
}

/**
 * @brief Unsubscribe @p c from every channel.
 *
 * With @p notify, one confirmation per channel; a client subscribed to
 * nothing still gets one reply with a nil channel:
 * "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n".
 *
 * @param c      The client.
 * @param notify 1 for UNSUBSCRIBE with no arguments, 0 from freeClient.
 * @return How many subscriptions were removed.
 *
 * Called by: unsubscribeCommand, freeClient (networking.c).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's pubsubUnsubscribeAllChannels() (pubsub.c):
 * the same. The count in each
 * reply is channels plus patterns, so "UNSUBSCRIBE"
 * from a client with one channel and one pattern ends in ":1".
 */
int pubsubUnsubscribeAllChannels(client *c, int notify) {
    dictIterator *di = dictGetSafeIterator(c->pubsub_channels);
    dictEntry *de;
    int count = 0;

    /* Safe iterator: each turn deletes the entry it stands on. The order
     * is the dict's hash order, which depends on the random hash seed. */
    while ((de = dictNext(di)) != NULL) {
        robj *channel = dictGetKey(de);

        count += pubsubUnsubscribeChannel(c, channel, notify);
    }
    if (notify && count == 0) {
        addReply(c, shared.mbulkhdr[3]);
        addReply(c, shared.unsubscribebulk);
        addReply(c, shared.nullbulk);
        addReplyLongLong(c, clientSubscriptionsCount(c));
    }
    dictReleaseIterator(di);
    return count;
}

/**
 * @brief Subscribe @p c to the glob @p pattern and add the confirmation.
 *
 * "PSUBSCRIBE news.*" -> "*3\r\n$10\r\npsubscribe\r\n$6\r\nnews.*\r\n:1\r\n".
 * The same pattern twice is one subscription (confirmed again, count
 * unchanged); the same pattern from two clients is two entries of
 * server.pubsub_patterns.
 *
 * @param c       The client.
 * @param pattern The glob (an argv object).
 * @return 1 if this was a new subscription, 0 otherwise.
 *
 * Called by: psubscribeCommand.
 */
static int pubsubSubscribePattern(client *c, robj *pattern) {
    int retval = 0;

    /* A linear search: patterns per client are few, and Redis 5.0 uses a
     * list here too (later releases switched to a dict). */
    if (listSearchKey(c->pubsub_patterns, pattern) == NULL) {
        pubsubPattern *pat;

        retval = 1;
        listAddNodeTail(c->pubsub_patterns, pattern);
        incrRefCount(pattern);
        pat = zmalloc(sizeof(*pat));
        /* Decoded: stringmatchlen needs the bytes even if the object were
         * an integer encoding. */
        pat->pattern = getDecodedObject(pattern);
        pat->client = c;
        listAddNodeTail(server.pubsub_patterns, pat);
    }
    addReply(c, shared.mbulkhdr[3]);
    addReply(c, shared.psubscribebulk);
    addReplyBulk(c, pattern);
    addReplyLongLong(c, clientSubscriptionsCount(c));
    return retval;
}

/**
 * @brief Unsubscribe @p c from the glob @p pattern, optionally confirming.
 *
 * Patterns are compared as bytes, not matched: "PUNSUBSCRIBE news.*" does
 * not remove "news.[a-z]*". Not being subscribed is not an error.
 *
 * @param c       The client.
 * @param pattern The glob.
 * @param notify  1 to add "*3\r\n$12\r\npunsubscribe\r\n...", 0 from
 *                freeClient.
 * @return 1 if the client was subscribed to it, 0 otherwise.
 *
 * Called by: punsubscribeCommand, pubsubUnsubscribeAllPatterns.
 */
static int pubsubUnsubscribePattern(client *c, robj *pattern, int notify) {
    listNode *ln;
    pubsubPattern pat;
    int retval = 0;

    /* From pubsubUnsubscribeAllPatterns, @p pattern is the very object
     * the listDelNode below releases: hold it until the reply is built. */
    incrRefCount(pattern);
    if ((ln = listSearchKey(c->pubsub_patterns, pattern)) != NULL) {
        retval = 1;
        listDelNode(c->pubsub_patterns, ln);
        pat.client = c;
        pat.pattern = pattern;
        ln = listSearchKey(server.pubsub_patterns, &pat);
        serverAssert(ln != NULL);
        listDelNode(server.pubsub_patterns, ln);
    }
    if (notify) {
        addReply(c, shared.mbulkhdr[3]);
        addReply(c, shared.punsubscribebulk);
        addReplyBulk(c, pattern);
        addReplyLongLong(c, clientSubscriptionsCount(c));
    }
    decrRefCount(pattern);
    return retval;
}

/**
 * @brief Unsubscribe @p c from every pattern, in subscription order.
 *
 * A client with no pattern still gets one reply with a nil pattern:
 * "*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:<channels left>\r\n".
 *
 * @param c      The client.
 * @param notify 1 for PUNSUBSCRIBE with no arguments, 0 from freeClient.
 * @return How many pattern subscriptions were removed.
 *
 * Called by: punsubscribeCommand, freeClient (networking.c).
 */
int pubsubUnsubscribeAllPatterns(client *c, int notify) {
    listNode *ln;
    listIter li;
    int count = 0;

    /* listNext has stepped past the node before it is deleted. */
    listRewind(c->pubsub_patterns, &li);
    while ((ln = listNext(&li)) != NULL) {
        robj *pattern = ln->value;

        count += pubsubUnsubscribePattern(c, pattern, notify);
    }
    if (notify && count == 0) {
        addReply(c, shared.mbulkhdr[3]);
        addReply(c, shared.punsubscribebulk);
        addReply(c, shared.nullbulk);
        addReplyLongLong(c, clientSubscriptionsCount(c));
    }
    return count;
}

/* ANCHOR: pubsub-publish-fanout */
/**
 * @brief Deliver @p message to every client subscribed to @p channel.
 *
 * Each receiver gets, in its own output buffer:
 * "*3\r\n$7\r\nmessage\r\n$<len>\r\n<channel>\r\n$<len>\r\n<message>\r\n".
 * Nothing is written to a socket here: addReply queues the bytes and
 * puts the receiver on server.clients_pending_write, and beforeSleep
 * writes them all before the event loop sleeps again.
 *
 * @param channel The channel name.
 * @param message The payload.
 * @return How many clients received it.
 *
 * Then every entry of server.pubsub_patterns whose glob matches the
 * channel (stringmatchlen, case-sensitive, the matcher KEYS uses) sends
 * its client, in subscription order:
 * "*4\r\n$8\r\npmessage\r\n$<len>\r\n<pattern>\r\n$<len>\r\n<channel>\r\n$<len>\r\n<message>\r\n".
 * Each delivery counts: a client subscribed to "news" and to "n*" gets
 * the message twice and is counted twice.
 *
 * Called by: publishCommand.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's pubsubPublishMessage() (pubsub.c): the same
 * order and counting. From Redis 6.2.0 server.pubsub_patterns is a dict
 * (6.2.0 pubsub.c: pubsubSubscribePattern), so the pmessage order among
 * patterns follows the hash order instead.
 */
int pubsubPublishMessage(robj *channel, robj *message) {
    int receivers = 0;
    dictEntry *de;

    de = dictFind(server.pubsub_channels, channel);
    if (de) {
        list *clients = dictGetVal(de);
        listNode *ln;
        listIter li;

        listRewind(clients, &li);
        while ((ln = listNext(&li)) != NULL) {
            client *c = ln->value;

            addReply(c, shared.mbulkhdr[3]);
            addReply(c, shared.messagebulk);
            addReplyBulk(c, channel);
            addReplyBulk(c, message);
            receivers++;
        }
    }
    if (listLength(server.pubsub_patterns)) {
        listNode *ln;
        listIter li;

        listRewind(server.pubsub_patterns, &li);
        channel = getDecodedObject(channel);
        while ((ln = listNext(&li)) != NULL) {
            pubsubPattern *pat = ln->value;

            if (!stringmatchlen((char *)pat->pattern->ptr,
                                sdslen(pat->pattern->ptr),
                                (char *)channel->ptr, sdslen(channel->ptr),
                                0))
                continue;
            traceEvent(pat->client, "pmatch", "pattern=%b channel=%b",
                       (char *)pat->pattern->ptr, sdslen(pat->pattern->ptr),
                       (char *)channel->ptr, sdslen(channel->ptr));
            /* "news.*" matched "news.it": 4 elements, the pattern first. */
            addReply(pat->client, shared.mbulkhdr[4]);
            addReply(pat->client, shared.pmessagebulk);
            addReplyBulk(pat->client, pat->pattern);
            addReplyBulk(pat->client, channel);
            addReplyBulk(pat->client, message);
            receivers++;
        }
        decrRefCount(channel);
    }
    return receivers;
}
/* ANCHOR_END: pubsub-publish-fanout */

/**
 * @brief SUBSCRIBE channel [channel ...]
 *
 * One confirmation per argument, each with the running count:
 * "SUBSCRIBE a b" -> "...subscribe\r\n$1\r\na\r\n:1\r\n" then
 * "...subscribe\r\n$1\r\nb\r\n:2\r\n". The client enters pub/sub mode.
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's subscribeCommand() (pubsub.c):
 * 5.0.14 accepts SUBSCRIBE inside MULTI (it is queued and runs at EXEC),
 * and so does every release up to 8.0-m01: subscribeCommand() of 6.2.0 and
 * 7.0.0 only refuses it for a client that may not block outside MULTI
 * ("SUBSCRIBE isn't allowed for a DENY BLOCKING client"), and no release
 * has a "SUBSCRIBE inside MULTI" error. minired does not check.
 */
/* ANCHOR: pubsub-subscribe-command */
void subscribeCommand(client *c) {
    int j;

    for (j = 1; j < c->argc; j++) pubsubSubscribeChannel(c, c->argv[j]);
    /* Arity -2 guarantees at least one channel, so the count is now
     * positive: from here processCommand restricts this client. */
    c->flags |= CLIENT_PUBSUB;
}
/* ANCHOR_END: pubsub-subscribe-command */

/**
 * @brief UNSUBSCRIBE [channel ...]
 *
 * Without arguments: unsubscribe from every channel. When the count
 * (channels plus patterns) drops to 0 the client is back in normal mode
 * and may send any command.
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void unsubscribeCommand(client *c) {
    if (c->argc == 1) {
        pubsubUnsubscribeAllChannels(c, 1);
    } else {
        int j;

        for (j = 1; j < c->argc; j++)
            pubsubUnsubscribeChannel(c, c->argv[j], 1);
    }
    if (clientSubscriptionsCount(c) == 0) c->flags &= ~CLIENT_PUBSUB;
}

/**
 * @brief PUBLISH channel message: ":<receivers>\r\n".
 *
 * "PUBLISH nobody hi" with no subscribers replies ":0\r\n".
 *
 * @param c The client; argv[1] channel, argv[2] message.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's publishCommand() (pubsub.c):
 * Redis also propagates the PUBLISH to replicas (or to the cluster bus)
 * so their subscribers get it too.
 */
void publishCommand(client *c) {
    int receivers = pubsubPublishMessage(c->argv[1], c->argv[2]);

    addReplyLongLong(c, receivers);
}

/**
 * @brief PSUBSCRIBE pattern [pattern ...]
 *
 * One confirmation per argument with the running count of channels plus
 * patterns: after "SUBSCRIBE a", "PSUBSCRIBE n*" replies
 * "*3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:2\r\n". The client enters
 * pub/sub mode.
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's psubscribeCommand() (pubsub.c): the same;
 * like SUBSCRIBE it is accepted inside MULTI in 5.0.
 */
void psubscribeCommand(client *c) {
    int j;

    for (j = 1; j < c->argc; j++) pubsubSubscribePattern(c, c->argv[j]);
    c->flags |= CLIENT_PUBSUB;
}

/**
 * @brief PUNSUBSCRIBE [pattern ...]
 *
 * Without arguments: unsubscribe from every pattern (channels stay).
 * Back in normal mode when nothing is left.
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 */
void punsubscribeCommand(client *c) {
    if (c->argc == 1) {
        pubsubUnsubscribeAllPatterns(c, 1);
    } else {
        int j;

        for (j = 1; j < c->argc; j++)
            pubsubUnsubscribePattern(c, c->argv[j], 1);
    }
    if (clientSubscriptionsCount(c) == 0) c->flags &= ~CLIENT_PUBSUB;
}

/**
 * @brief PUBSUB CHANNELS [pattern] | NUMSUB [channel ...] | NUMPAT | HELP
 *
 * - CHANNELS: the channels with at least one subscriber (patterns are not
 *   channels), optionally filtered by a glob, in dict order:
 *   "*1\r\n$4\r\nnews\r\n".
 * - NUMSUB: channel/count pairs for the channels named, patterns not
 *   counted: "PUBSUB NUMSUB news x" -> "*4\r\n$4\r\nnews\r\n:1\r\n$1\r\nx\r\n:0\r\n".
 * - NUMPAT: the number of (client, pattern) subscriptions: two clients on
 *   "n*" make 2.
 * - anything else: "-ERR Unknown subcommand or wrong number of arguments
 *   for 'foo'. Try PUBSUB HELP.".
 *
 * @param c The client.
 *
 * Called by: call (server.c) through the command table.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's pubsubCommand() (pubsub.c): the same
 * replies. From Redis 6.2.0 NUMPAT is dictSize(server.pubsub_patterns),
 * distinct patterns (two clients on "n*" make 1; 6.2.0 pubsub.c:
 * pubsubCommand), and the unknown-subcommand error is worded differently.
 */
void pubsubCommand(client *c) {
    if (c->argc == 2 && !strcasecmp(c->argv[1]->ptr, "help")) {
        const char *help[] = {
"CHANNELS [<pattern>] -- Return the currently active channels matching a pattern (default: all).",
"NUMPAT -- Return number of subscriptions to patterns.",
"NUMSUB [channel-1 .. channel-N] -- Returns the number of subscribers for the specified channels (excluding patterns, default: none).",
            NULL
        };
        addReplyHelp(c, help);
    } else if (!strcasecmp(c->argv[1]->ptr, "channels") &&
               (c->argc == 2 || c->argc == 3)) {
        sds pat = (c->argc == 2) ? NULL : c->argv[2]->ptr;
        dictIterator *di = dictGetIterator(server.pubsub_channels);
        dictEntry *de;
        long mblen = 0;
        void *replylen;

        /* The count is known only after the walk: a deferred "*<n>\r\n". */
        replylen = addDeferredMultiBulkLength(c);
        while ((de = dictNext(di)) != NULL) {
            robj *cobj = dictGetKey(de);
            sds channel = cobj->ptr;

            if (!pat || stringmatchlen(pat, sdslen(pat), channel,
                                       sdslen(channel), 0)) {
                addReplyBulk(c, cobj);
                mblen++;
            }
        }
        dictReleaseIterator(di);
        setDeferredMultiBulkLength(c, replylen, mblen);
    } else if (!strcasecmp(c->argv[1]->ptr, "numsub") && c->argc >= 2) {
        int j;

        addReplyMultiBulkLen(c, (c->argc - 2) * 2);
        for (j = 2; j < c->argc; j++) {
            list *l = dictFetchValue(server.pubsub_channels, c->argv[j]);

            addReplyBulk(c, c->argv[j]);
            addReplyLongLong(c, l ? listLength(l) : 0);
        }
    } else if (!strcasecmp(c->argv[1]->ptr, "numpat") && c->argc == 2) {
        addReplyLongLong(c, listLength(server.pubsub_patterns));
    } else {
        addReplySubcommandSyntaxError(c);
    }
}
