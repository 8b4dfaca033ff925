/**
 * @file ae.h
 * @brief A tiny event loop: file events (readable/writable sockets) and
 *        time events (timers), Redis's "ae" library.
 *
 * Where it sits: at the top of the call stack. main() calls aeMain(), which
 * loops forever: wait in epoll_wait()/select() until a socket is ready or
 * the nearest timer is due, then call the handler registered for it. The
 * listening socket's handler is acceptTcpHandler(), each client socket's
 * is readQueryFromClient(), a client with pending output gets
 * sendReplyToClient(), and serverCron() is a time event firing 10 times a
 * second (hz 10). In: registrations (fd + mask + callback, or ms + callback).
 * Out: callbacks, one at a time, on a single thread.
 */
#ifndef __AE_H__
#define __AE_H__

#include <time.h>

#define AE_OK 0      /**< Success. */
#define AE_ERR -1    /**< Failure. */

#define AE_NONE 0       /**< No events registered. */
#define AE_READABLE 1   /**< Fire when the fd is readable. */
#define AE_WRITABLE 2   /**< Fire when the fd is writable. */
/**
 * With AE_WRITABLE: if both fire in one iteration, run the write handler
 * BEFORE the read handler (normally read goes first). Used when a reply
 * must reach the socket before new input is processed, e.g. after an fsync.
 */
#define AE_BARRIER 4

#define AE_FILE_EVENTS 1   /**< aeProcessEvents flag: handle file events. */
#define AE_TIME_EVENTS 2   /**< aeProcessEvents flag: handle time events. */
#define AE_ALL_EVENTS (AE_FILE_EVENTS|AE_TIME_EVENTS) /**< Both kinds. */
#define AE_DONT_WAIT 4     /**< aeProcessEvents flag: poll with a zero timeout. */
#define AE_CALL_AFTER_SLEEP 8 /**< aeProcessEvents flag: run aftersleep after polling. */

#define AE_NOMORE -1          /**< Time handler return value: do not reschedule. */
#define AE_DELETED_EVENT_ID -1 /**< Id given to a time event marked for removal. */

/** Silence unused-variable warnings. @param V The variable. */
#define AE_NOTUSED(V) ((void) V)

struct aeEventLoop;

/** File event handler: called with the fd, its clientData and the fired mask. */
typedef void aeFileProc(struct aeEventLoop *eventLoop, int fd, void *clientData, int mask);
/** Time event handler: returns ms until the next call, or AE_NOMORE. */
typedef int aeTimeProc(struct aeEventLoop *eventLoop, long long id, void *clientData);
/** Called when a time event is finally removed. */
typedef void aeEventFinalizerProc(struct aeEventLoop *eventLoop, void *clientData);
/** Hook run before/after the loop sleeps in the poll call. */
typedef void aeBeforeSleepProc(struct aeEventLoop *eventLoop);

/** @brief Registration for one file descriptor (indexed by fd). */
typedef struct aeFileEvent {
    int mask;               /**< AE_(READABLE|WRITABLE|BARRIER) bits. */
    aeFileProc *rfileProc;  /**< Read handler. */
    aeFileProc *wfileProc;  /**< Write handler. */
    void *clientData;       /**< Passed to both handlers (e.g. client *c). */
} aeFileEvent;

/** @brief A timer, kept in an unsorted doubly linked list. */
typedef struct aeTimeEvent {
    long long id;                       /**< Unique id; AE_DELETED_EVENT_ID once deleted. */
    long when_sec;                      /**< Due time, seconds part. */
    long when_ms;                       /**< Due time, milliseconds part (0..999). */
    aeTimeProc *timeProc;               /**< Handler. */
    aeEventFinalizerProc *finalizerProc; /**< Called on removal (may be NULL). */
    void *clientData;                   /**< Passed to the handlers. */
    struct aeTimeEvent *prev;           /**< Previous timer in the list. */
    struct aeTimeEvent *next;           /**< Next timer in the list. */
} aeTimeEvent;

/** @brief One ready fd, as reported by the polling backend. */
typedef struct aeFiredEvent {
    int fd;     /**< The descriptor. */
    int mask;   /**< What it is ready for. */
} aeFiredEvent;

/** @brief The loop's whole state. */
typedef struct aeEventLoop {
    int maxfd;                  /**< Highest fd registered, -1 if none. */
    int setsize;                /**< Capacity: fds must be < setsize. */
    long long timeEventNextId;  /**< Id for the next aeCreateTimeEvent(). */
    time_t lastTime;            /**< Used to detect the system clock moving backwards. */
    aeFileEvent *events;        /**< Registered events, indexed by fd. */
    aeFiredEvent *fired;        /**< Filled by the backend's poll. */
    aeTimeEvent *timeEventHead; /**< Timer list (newest first). */
    int stop;                   /**< Set by aeStop() to leave aeMain(). */
    void *apidata;              /**< Backend state (epoll fd or fd_sets). */
    aeBeforeSleepProc *beforesleep; /**< Run by aeMain() before each iteration. */
    aeBeforeSleepProc *aftersleep;  /**< Run right after the poll returns. */
} aeEventLoop;

/* Prototypes */
aeEventLoop *aeCreateEventLoop(int setsize);
void aeDeleteEventLoop(aeEventLoop *eventLoop);
void aeStop(aeEventLoop *eventLoop);
int aeCreateFileEvent(aeEventLoop *eventLoop, int fd, int mask,
        aeFileProc *proc, void *clientData);
void aeDeleteFileEvent(aeEventLoop *eventLoop, int fd, int mask);
int aeGetFileEvents(aeEventLoop *eventLoop, int fd);
long long aeCreateTimeEvent(aeEventLoop *eventLoop, long long milliseconds,
        aeTimeProc *proc, void *clientData,
        aeEventFinalizerProc *finalizerProc);
int aeDeleteTimeEvent(aeEventLoop *eventLoop, long long id);
int aeProcessEvents(aeEventLoop *eventLoop, int flags);
int aeWait(int fd, int mask, long long milliseconds);
void aeMain(aeEventLoop *eventLoop);
char *aeGetApiName(void);
void aeSetBeforeSleepProc(aeEventLoop *eventLoop, aeBeforeSleepProc *beforesleep);
void aeSetAfterSleepProc(aeEventLoop *eventLoop, aeBeforeSleepProc *aftersleep);
int aeGetSetSize(aeEventLoop *eventLoop);
int aeResizeSetSize(aeEventLoop *eventLoop, int setsize);

#endif /* __AE_H__ */
