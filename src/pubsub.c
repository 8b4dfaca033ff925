/**
 * @file pubsub.c
 * @brief Publish/subscribe on channels: SUBSCRIBE, UNSUBSCRIBE, PUBLISH.
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
 * Two tables mirror each other:
 *
 *   server.pubsub_channels : channel robj -> list of client *
 *                            ("who gets a PUBLISH to this channel")
 *   c->pubsub_channels     : channel robj -> NULL (a set)
 *                            ("what is this client subscribed to")
 *
 * A client with at least one subscription has CLIENT_PUBSUB set, and
 * processCommand (server.c) then only accepts (P)SUBSCRIBE,
 * (P)UNSUBSCRIBE, PING and QUIT from it.
 *
 * What flows in: channel and message objects from argv. What flows out:
 * "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n" confirmations to the
 * subscriber, "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n" to
 * every receiver, the receiver count to the publisher.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's pubsub.c (subscribeCommand(), publishCommand(), pubsubPublishMessage()):
 * Redis also has pattern subscriptions (PSUBSCRIBE, PUNSUBSCRIBE,
 * "pmessage" deliveries, server.pubsub_patterns), the PUBSUB
 * introspection command, and propagates PUBLISH to replicas or, in
 * cluster mode, to every node. minired has channels only; the pattern
 * list c->pubsub_patterns is still counted so the numbers Redis would
 * reply stay the same.
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
 * Called by: pubsubSubscribeChannel, pubsubUnsubscribeChannel,
 * pubsubUnsubscribeAllChannels (the counts in their replies) and
 * unsubscribeCommand. (getClientType() tests CLIENT_PUBSUB instead.)
 */
int clientSubscriptionsCount(client *c) {
    return dictSize(c->pubsub_channels) +
           (c->pubsub_patterns ? listLength(c->pubsub_patterns) : 0);
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
 * Called by: publishCommand.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's pubsubPublishMessage() (pubsub.c):
 * Redis then walks server.pubsub_patterns and sends "pmessage" to every
 * client whose pattern matches the channel (counted in the return value).
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
void subscribeCommand(client *c) {
    int j;

    for (j = 1; j < c->argc; j++) pubsubSubscribeChannel(c, c->argv[j]);
    /* Arity -2 guarantees at least one channel, so the count is now
     * positive: from here processCommand restricts this client. */
    c->flags |= CLIENT_PUBSUB;
}

/**
 * @brief UNSUBSCRIBE [channel ...]
 *
 * Without arguments: unsubscribe from everything. When the count drops
 * to 0 the client is back in normal mode and may send any command.
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
