/**
 * @file adlist.c
 * @brief Doubly linked list implementation.
 *
 * Where it sits: under the client bookkeeping. acceptTcpHandler() ->
 * createClient() appends the new client with listAddNodeTail(server.clients,c);
 * freeClient() removes it with listDelNode(); the reply path appends 16 KB
 * blocks to c->reply and writeToClient() pops them from the head as they
 * are sent. In: values (pointers). Out: nodes and iterators.
 *
 * Every operation here is O(1) except search, index, dup and release,
 * which walk the list.
 */
#include <stdlib.h>
#include "adlist.h"
#include "zmalloc.h"

/**
 * @brief Create an empty list with no value methods.
 * @return The new list (allocation failure aborts inside zmalloc).
 *
 * Called by: the server at startup for server.clients and friends,
 * createClient() for c->reply.
 */
list *listCreate(void) {
    struct list *list;

    list = zmalloc(sizeof(*list));
    list->head = list->tail = NULL;
    list->len = 0;
    list->dup = NULL;
    list->free = NULL;
    list->match = NULL;
    return list;
}

/**
 * @brief Remove and free every node (and value, if a free method is set).
 * @param list The list; it stays valid and empty.
 *
 * Called by: listRelease(), code resetting a list for reuse.
 */
void listEmpty(list *list) {
    unsigned long len;
    listNode *current, *next;

    current = list->head;
    len = list->len;
    while(len--) {
        next = current->next;
        if (list->free) list->free(current->value);
        zfree(current);
        current = next;
    }
    list->head = list->tail = NULL;
    list->len = 0;
}

/**
 * @brief Free the whole list: nodes, values (via the free method), struct.
 * @param list The list.
 *
 * Called by: freeClient() for c->reply (free method releases the blocks).
 */
void listRelease(list *list) {
    listEmpty(list);
    zfree(list);
}

/**
 * @brief Insert a value at the head.
 * @param list The list.
 * @param value Pointer to store.
 * @return @p list (Redis returns NULL on OOM; zmalloc aborts instead).
 *
 * Called by: code that needs LIFO order.
 */
list *listAddNodeHead(list *list, void *value) {
    listNode *node;

    node = zmalloc(sizeof(*node));
    node->value = value;
    if (list->len == 0) {
        /* First node: it is both ends. */
        list->head = list->tail = node;
        node->prev = node->next = NULL;
    } else {
        node->prev = NULL;
        node->next = list->head;
        list->head->prev = node;
        list->head = node;
    }
    list->len++;
    return list;
}

/**
 * @brief Insert a value at the tail.
 * @param list The list.
 * @param value Pointer to store.
 * @return @p list.
 *
 * Called by: linkClient() (server.clients), _addReplyStringToList() and
 * addDeferredMultiBulkLength() (c->reply), anything that queues FIFO.
 */
list *listAddNodeTail(list *list, void *value) {
    listNode *node;

    node = zmalloc(sizeof(*node));
    node->value = value;
    if (list->len == 0) {
        list->head = list->tail = node;
        node->prev = node->next = NULL;
    } else {
        node->prev = list->tail;
        node->next = NULL;
        list->tail->next = node;
        list->tail = node;
    }
    list->len++;
    return list;
}

/**
 * @brief Insert a value next to an existing node.
 * @param list The list.
 * @param old_node Node to insert next to.
 * @param value Pointer to store.
 * @param after Non-zero: insert after @p old_node; zero: before it.
 * @return @p list.
 *
 * Called by: LINSERT-style code.
 */
list *listInsertNode(list *list, listNode *old_node, void *value, int after) {
    listNode *node;

    node = zmalloc(sizeof(*node));
    node->value = value;
    if (after) {
        node->prev = old_node;
        node->next = old_node->next;
        if (list->tail == old_node) list->tail = node;
    } else {
        node->next = old_node;
        node->prev = old_node->prev;
        if (list->head == old_node) list->head = node;
    }
    /* Stitch the neighbours to the new node. */
    if (node->prev != NULL) node->prev->next = node;
    if (node->next != NULL) node->next->prev = node;
    list->len++;
    return list;
}

/* ANCHOR: adlist-del-node */
/**
 * @brief Unlink and free @p node (and its value, if a free method is set).
 * @param list The list.
 * @param node A node of @p list.
 *
 * O(1): this is why createClient() remembers c's node in server.clients,
 * so freeClient() does not have to search for it.
 * Called by: freeClient(), writeToClient() (sent reply blocks),
 * iteration loops that drop the node they just got from listNext().
 */
void listDelNode(list *list, listNode *node) {
    if (node->prev)
        node->prev->next = node->next;
    else
        list->head = node->next;
    if (node->next)
        node->next->prev = node->prev;
    else
        list->tail = node->prev;
    if (list->free) list->free(node->value);
    zfree(node);
    list->len--;
}
/* ANCHOR_END: adlist-del-node */

/**
 * @brief Allocate an iterator.
 * @param list The list.
 * @param direction AL_START_HEAD or AL_START_TAIL.
 * @return Iterator to pass to listNext(), free with listReleaseIterator().
 *
 * Called by: loops over server.clients (e.g. clientsCron, CLIENT LIST).
 */
listIter *listGetIterator(list *list, int direction) {
    listIter *iter;

    iter = zmalloc(sizeof(*iter));
    if (direction == AL_START_HEAD)
        iter->next = list->head;
    else
        iter->next = list->tail;
    iter->direction = direction;
    return iter;
}

/**
 * @brief Free an iterator from listGetIterator().
 * @param iter The iterator.
 *
 * Called by: the same code that created it.
 */
void listReleaseIterator(listIter *iter) {
    zfree(iter);
}

/**
 * @brief Reset a caller-owned iterator to the head (no allocation).
 * @param list The list.
 * @param li Iterator storage, usually on the stack.
 *
 * Called by: hot loops such as handleClientsWithPendingWrites().
 */
void listRewind(list *list, listIter *li) {
    li->next = list->head;
    li->direction = AL_START_HEAD;
}

/**
 * @brief Reset a caller-owned iterator to the tail, walking backwards.
 * @param list The list.
 * @param li Iterator storage.
 *
 * Called by: code that scans newest-first.
 */
void listRewindTail(list *list, listIter *li) {
    li->next = list->tail;
    li->direction = AL_START_TAIL;
}

/* ANCHOR: adlist-next */
/**
 * @brief Return the next node, or NULL at the end.
 * @param iter The iterator.
 * @return The current node.
 *
 * The iterator already points past the returned node, so the caller may
 * listDelNode() it without breaking the walk; deleting any *other* node
 * is not safe.
 * Called by: every list walk.
 */
listNode *listNext(listIter *iter) {
    listNode *current = iter->next;

    if (current != NULL) {
        if (iter->direction == AL_START_HEAD)
            iter->next = current->next;
        else
            iter->next = current->prev;
    }
    return current;
}
/* ANCHOR_END: adlist-next */

/**
 * @brief Copy a whole list, values copied with the dup method if set.
 * @param orig List to copy.
 * @return The copy (with the same methods), or NULL if dup failed for a
 *         value; the partial copy is released in that case.
 *
 * Called by: code duplicating list values.
 */
list *listDup(list *orig) {
    list *copy;
    listIter iter;
    listNode *node;

    copy = listCreate();
    copy->dup = orig->dup;
    copy->free = orig->free;
    copy->match = orig->match;
    listRewind(orig, &iter);
    while((node = listNext(&iter)) != NULL) {
        void *value;

        if (copy->dup) {
            value = copy->dup(node->value);
            if (value == NULL) {
                listRelease(copy);
                return NULL;
            }
        } else {
            value = node->value;
        }
        listAddNodeTail(copy, value);
    }
    return copy;
}

/**
 * @brief Find the first node whose value matches @p key.
 * @param list The list.
 * @param key What to look for; compared with the match method, or by
 *            pointer equality when none is set.
 * @return The node, or NULL.
 *
 * Called by: code removing a client from an auxiliary list.
 */
listNode *listSearchKey(list *list, void *key) {
    listIter iter;
    listNode *node;

    listRewind(list, &iter);
    while((node = listNext(&iter)) != NULL) {
        if (list->match) {
            if (list->match(node->value, key)) return node;
        } else {
            if (key == node->value) return node;
        }
    }
    return NULL;
}

/**
 * @brief Node at a zero-based position.
 * @param list The list.
 * @param index 0 is the head; -1 is the tail, -2 the one before it.
 * @return The node, or NULL when out of range.
 *
 * Walks from whichever end the sign selects: O(|index|).
 * Called by: LINDEX-style code, tests.
 */
listNode *listIndex(list *list, long index) {
    listNode *n;

    if (index < 0) {
        index = (-index)-1;
        n = list->tail;
        while(index-- && n) n = n->prev;
    } else {
        n = list->head;
        while(index-- && n) n = n->next;
    }
    return n;
}

/**
 * @brief Move the tail node to the head.
 * @param list The list.
 *
 * Called by: clientsCron() (cron.c), to rotate through the clients.
 * @par Redis 5.0:
 * Same name and behaviour as Redis 5.0.14's listRotateTailToHead()
 * (adlist.c). Releases 5.0.0 to 5.0.8 call it listRotate(); 5.0.9 renamed
 * it and added listRotateHeadToTail(), which minired does not need.
 */
void listRotateTailToHead(list *list) {
    listNode *tail = list->tail;

    if (listLength(list) <= 1) return;

    /* Cut the last node off the end... */
    list->tail = tail->prev;
    list->tail->next = NULL;
    /* ...and hang it in front of the old head. */
    list->head->prev = tail;
    tail->prev = NULL;
    tail->next = list->head;
    list->head = tail;
}

/**
 * @brief Append all nodes of @p o to @p l; @p o is left empty (not freed).
 * @param l Destination.
 * @param o Source.
 *
 * O(1): nodes are relinked, not copied.
 * Called by: code merging pending-work lists.
 */
void listJoin(list *l, list *o) {
    if (o->head)
        o->head->prev = l->tail;

    if (l->tail)
        l->tail->next = o->head;
    else
        l->head = o->head;

    if (o->tail) l->tail = o->tail;
    l->len += o->len;

    /* Every node now belongs to l; o must not free them again. */
    o->head = o->tail = NULL;
    o->len = 0;
}
