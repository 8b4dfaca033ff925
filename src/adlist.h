/**
 * @file adlist.h
 * @brief A generic doubly linked list (Redis's "adlist").
 *
 * Where it sits: the server keeps its clients in one (server.clients), the
 * clients with pending replies in another (server.clients_pending_write),
 * and each client's reply chunks past the 16 KB static buffer in a third
 * (c->reply, a list of clientReplyBlock). In: opaque `void *` values.
 * Out: O(1) push/pop at both ends, O(1) delete given a node pointer.
 *
 * Values are never copied or freed by the list unless the caller installs
 * dup/free methods; that is how one list type serves clients, buffers and
 * strings alike.
 */
#ifndef __ADLIST_H__
#define __ADLIST_H__

/** @brief One element of a list. */
typedef struct listNode {
    struct listNode *prev; /**< Towards the head; NULL for the first node. */
    struct listNode *next; /**< Towards the tail; NULL for the last node. */
    void *value;           /**< The caller's pointer. */
} listNode;

/** @brief Cursor for walking a list; survives deletion of the node it returned. */
typedef struct listIter {
    listNode *next;        /**< Node listNext() will return. */
    int direction;         /**< AL_START_HEAD or AL_START_TAIL. */
} listIter;

/** @brief The list itself: two ends, a length and per-list value methods. */
typedef struct list {
    listNode *head;                    /**< First node or NULL. */
    listNode *tail;                    /**< Last node or NULL. */
    void *(*dup)(void *ptr);           /**< Copies a value for listDup(); NULL: share the pointer. */
    void (*free)(void *ptr);           /**< Frees a value when its node goes; NULL: leave it. */
    int (*match)(void *ptr, void *key);/**< Equality for listSearchKey(); NULL: pointer ==. */
    unsigned long len;                 /**< Number of nodes. */
} list;

/**
 * @brief Number of nodes, O(1).
 * @param l The list.
 */
#define listLength(l) ((l)->len)
/**
 * @brief First node or NULL.
 * @param l The list.
 */
#define listFirst(l) ((l)->head)
/**
 * @brief Last node or NULL.
 * @param l The list.
 */
#define listLast(l) ((l)->tail)
/**
 * @brief Node before @p n.
 * @param n A node.
 */
#define listPrevNode(n) ((n)->prev)
/**
 * @brief Node after @p n.
 * @param n A node.
 */
#define listNextNode(n) ((n)->next)
/**
 * @brief The value stored in @p n.
 * @param n A node.
 */
#define listNodeValue(n) ((n)->value)

/**
 * @brief Install the value copier used by listDup().
 * @param l The list.
 * @param m Function returning a copy, or NULL on failure.
 */
#define listSetDupMethod(l,m) ((l)->dup = (m))
/**
 * @brief Install the value destructor.
 * @param l The list.
 * @param m Function freeing one value.
 */
#define listSetFreeMethod(l,m) ((l)->free = (m))
/**
 * @brief Install the value comparator used by listSearchKey().
 * @param l The list.
 * @param m Function returning non-zero on a match.
 */
#define listSetMatchMethod(l,m) ((l)->match = (m))

/**
 * @brief The installed dup method.
 * @param l The list.
 */
#define listGetDupMethod(l) ((l)->dup)
/**
 * @brief The installed free method.
 * @param l The list.
 */
#define listGetFree(l) ((l)->free)
/**
 * @brief The installed match method.
 * @param l The list.
 */
#define listGetMatchMethod(l) ((l)->match)

list *listCreate(void);
void listRelease(list *list);
void listEmpty(list *list);
list *listAddNodeHead(list *list, void *value);
list *listAddNodeTail(list *list, void *value);
list *listInsertNode(list *list, listNode *old_node, void *value, int after);
void listDelNode(list *list, listNode *node);
listIter *listGetIterator(list *list, int direction);
listNode *listNext(listIter *iter);
void listReleaseIterator(listIter *iter);
list *listDup(list *orig);
listNode *listSearchKey(list *list, void *key);
listNode *listIndex(list *list, long index);
void listRewind(list *list, listIter *li);
void listRewindTail(list *list, listIter *li);
void listRotateTailToHead(list *list);
void listJoin(list *l, list *o);

/** Iterate from head to tail. */
#define AL_START_HEAD 0
/** Iterate from tail to head. */
#define AL_START_TAIL 1

#endif /* __ADLIST_H__ */
