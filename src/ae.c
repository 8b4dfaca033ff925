/**
 * @file ae.c
 * @brief The event loop: registration, timers and aeProcessEvents().
 *
 * Where it sits: main() -> aeMain() -> aeProcessEvents() -> handlers.
 * One iteration, in the order Redis 5.0 uses:
 *   1. aeMain() runs beforesleep (flush pending replies, expire keys...).
 *   2. Find the nearest timer; it bounds how long the poll may sleep
 *      (serverCron every 100 ms means the poll waits at most ~100 ms).
 *   3. Poll (epoll_wait or select).
 *   4. Run aftersleep.
 *   5. For each ready fd: read handler, then write handler (or the
 *      reverse for AE_BARRIER).
 *   6. Run every timer that is due.
 * In: registrations. Out: handler calls, strictly one at a time.
 *
 * The polling backend is picked at build time: one of the ae_*.c backend
 * files is pulled in below with an include directive (it is not a separate
 * object), as Redis does after its config.h HAVE_EPOLL test.
 */
#include <stdio.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <errno.h>

#include "ae.h"
#include "zmalloc.h"

/* Backend selection: epoll on Linux, select() elsewhere or on request.
 * The backend files compile to nothing unless this macro is defined. */
/** Unlocks the body of ae_epoll.c / ae_select.c (see their file comments). */
#define AE_INCLUDED_FROM_AE_C 1
/* ANCHOR: ae-backend-select */
#if defined(__linux__) && !defined(AE_FORCE_SELECT)
#include "ae_epoll.c"
#else
#include "ae_select.c"
#endif
/* ANCHOR_END: ae-backend-select */

/* ---------------------------- Loop lifetime ---------------------------- */

/**
 * @brief Create an event loop able to watch fds 0..setsize-1.
 * @param setsize Capacity; the server passes maxclients+CONFIG_FDSET_INCR
 *        (10000+128) so every client fd plus listeners and files fit.
 * @return The loop, or NULL if the backend could not be created.
 *
 * Called by: initServer().
 */
aeEventLoop *aeCreateEventLoop(int setsize) {
    aeEventLoop *eventLoop;
    int i;

    eventLoop = zmalloc(sizeof(*eventLoop));
    eventLoop->events = zmalloc(sizeof(aeFileEvent)*setsize);
    eventLoop->fired = zmalloc(sizeof(aeFiredEvent)*setsize);
    eventLoop->setsize = setsize;
    eventLoop->lastTime = time(NULL);
    eventLoop->timeEventHead = NULL;
    eventLoop->timeEventNextId = 0;
    eventLoop->stop = 0;
    eventLoop->maxfd = -1;
    eventLoop->beforesleep = NULL;
    eventLoop->aftersleep = NULL;
    if (aeApiCreate(eventLoop) == -1) goto err;
    /* An fd whose mask is AE_NONE is "not registered": start with all. */
    for (i = 0; i < setsize; i++)
        eventLoop->events[i].mask = AE_NONE;
    return eventLoop;

err:
    zfree(eventLoop->events);
    zfree(eventLoop->fired);
    zfree(eventLoop);
    return NULL;
}

/**
 * @brief Capacity of the loop.
 * @param eventLoop The loop.
 * @return setsize.
 *
 * Called by: CONFIG SET maxclients before resizing.
 */
int aeGetSetSize(aeEventLoop *eventLoop) {
    return eventLoop->setsize;
}

/**
 * @brief Change the capacity of the loop.
 * @param eventLoop The loop.
 * @param setsize New capacity.
 * @return AE_OK; AE_ERR if an fd >= @p setsize is registered or the
 *         backend refuses (select: more than FD_SETSIZE).
 *
 * Called by: CONFIG SET maxclients.
 */
int aeResizeSetSize(aeEventLoop *eventLoop, int setsize) {
    int i;

    if (setsize == eventLoop->setsize) return AE_OK;
    if (eventLoop->maxfd >= setsize) return AE_ERR;
    if (aeApiResize(eventLoop,setsize) == -1) return AE_ERR;

    eventLoop->events = zrealloc(eventLoop->events,sizeof(aeFileEvent)*setsize);
    eventLoop->fired = zrealloc(eventLoop->fired,sizeof(aeFiredEvent)*setsize);
    eventLoop->setsize = setsize;

    /* Slots beyond the old size are new memory: mark them unregistered. */
    for (i = eventLoop->maxfd+1; i < setsize; i++)
        eventLoop->events[i].mask = AE_NONE;
    return AE_OK;
}

/**
 * @brief Free the loop, its backend and any remaining timers.
 * @param eventLoop The loop.
 *
 * Called by: tests and tools that create temporary loops.
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's aeDeleteEventLoop() (ae.c):
 * Redis 5.0 leaves pending time events allocated; minired frees them
 * (without calling finalizers) so that valgrind stays quiet.
 */
void aeDeleteEventLoop(aeEventLoop *eventLoop) {
    aeTimeEvent *te = eventLoop->timeEventHead;

    aeApiFree(eventLoop);
    while (te) {
        aeTimeEvent *next = te->next;
        zfree(te);
        te = next;
    }
    zfree(eventLoop->events);
    zfree(eventLoop->fired);
    zfree(eventLoop);
}

/**
 * @brief Ask aeMain() to return after the current iteration.
 * @param eventLoop The loop.
 *
 * Called by: handlers and tests.
 */
void aeStop(aeEventLoop *eventLoop) {
    eventLoop->stop = 1;
}

/* ---------------------------- File events ---------------------------- */

/* ANCHOR: ae-create-file-event */
/**
 * @brief Call @p proc when @p fd becomes readable and/or writable.
 * @param eventLoop The loop.
 * @param fd Descriptor (< setsize).
 * @param mask AE_READABLE, AE_WRITABLE, optionally | AE_BARRIER.
 * @param proc Handler for the bits in @p mask.
 * @param clientData Passed to the handler.
 * @return AE_OK; AE_ERR with errno = ERANGE if fd >= setsize, or if the
 *         backend refused.
 *
 * Registrations add up: READABLE with readQueryFromClient, later
 * WRITABLE with sendReplyToClient on the same fd, each keeps its handler.
 * Called by: createClient() (client fd, READABLE), initServer()
 * (listening fd), handleClientsWithPendingWrites() (WRITABLE).
 */
int aeCreateFileEvent(aeEventLoop *eventLoop, int fd, int mask,
        aeFileProc *proc, void *clientData)
{
    aeFileEvent *fe;

    if (fd >= eventLoop->setsize) {
        errno = ERANGE;
        return AE_ERR;
    }
    fe = &eventLoop->events[fd];

    if (aeApiAddEvent(eventLoop, fd, mask) == -1)
        return AE_ERR;
    fe->mask |= mask;
    if (mask & AE_READABLE) fe->rfileProc = proc;
    if (mask & AE_WRITABLE) fe->wfileProc = proc;
    fe->clientData = clientData;
    if (fd > eventLoop->maxfd)
        eventLoop->maxfd = fd;
    return AE_OK;
}
/* ANCHOR_END: ae-create-file-event */

/**
 * @brief Stop watching @p fd for the events in @p mask.
 * @param eventLoop The loop.
 * @param fd Descriptor.
 * @param mask Bits to remove; removing AE_WRITABLE also clears AE_BARRIER.
 *
 * Safe to call from inside a handler, also for an fd that fired in the
 * same iteration: aeProcessEvents() re-checks the mask before each call.
 * Called by: unlinkClient() (both bits; freeClient() calls it),
 * writeToClient() once the reply is fully sent (WRITABLE only).
 */
void aeDeleteFileEvent(aeEventLoop *eventLoop, int fd, int mask)
{
    aeFileEvent *fe;

    if (fd >= eventLoop->setsize) return;
    fe = &eventLoop->events[fd];
    if (fe->mask == AE_NONE) return;

    /* The barrier only means something together with a write handler. */
    if (mask & AE_WRITABLE) mask |= AE_BARRIER;

    aeApiDelEvent(eventLoop, fd, mask);
    fe->mask = fe->mask & (~mask);
    if (fd == eventLoop->maxfd && fe->mask == AE_NONE) {
        /* The top fd is gone: walk down to the next registered one. */
        int j;

        for (j = eventLoop->maxfd-1; j >= 0; j--)
            if (eventLoop->events[j].mask != AE_NONE) break;
        eventLoop->maxfd = j;
    }
}

/**
 * @brief Events currently registered for @p fd.
 * @param eventLoop The loop.
 * @param fd Descriptor.
 * @return The mask (AE_NONE if none or out of range).
 *
 * Called by: code that must not register a handler twice.
 */
int aeGetFileEvents(aeEventLoop *eventLoop, int fd) {
    if (fd >= eventLoop->setsize) return 0;
    return eventLoop->events[fd].mask;
}

/* ---------------------------- Time events ---------------------------- */

/**
 * @brief Current time split into seconds and milliseconds.
 * @param seconds Out: seconds since the epoch.
 * @param milliseconds Out: 0..999.
 *
 * Called by: aeAddMillisecondsToNow(), aeProcessEvents(), processTimeEvents().
 */
static void aeGetTime(long *seconds, long *milliseconds)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    *seconds = tv.tv_sec;
    *milliseconds = tv.tv_usec/1000;
}

/**
 * @brief Compute now + @p milliseconds as (seconds, milliseconds).
 * @param milliseconds Offset from now.
 * @param sec Out: seconds part.
 * @param ms Out: milliseconds part, 0..999.
 *
 * Called by: aeCreateTimeEvent(), processTimeEvents() (rescheduling).
 */
static void aeAddMillisecondsToNow(long long milliseconds, long *sec, long *ms) {
    long cur_sec, cur_ms, when_sec, when_ms;

    aeGetTime(&cur_sec, &cur_ms);
    when_sec = cur_sec + milliseconds/1000;
    when_ms = cur_ms + milliseconds%1000;
    /* 800 ms + 300 ms = 1100 ms: carry one second. */
    if (when_ms >= 1000) {
        when_sec ++;
        when_ms -= 1000;
    }
    *sec = when_sec;
    *ms = when_ms;
}

/**
 * @brief Call @p proc in @p milliseconds; it may reschedule itself.
 * @param eventLoop The loop.
 * @param milliseconds Delay.
 * @param proc Handler; returns the next delay in ms, or AE_NOMORE.
 * @param clientData Passed to @p proc and @p finalizerProc.
 * @param finalizerProc Called when the event is removed (may be NULL).
 * @return The event id (>= 0), usable with aeDeleteTimeEvent().
 *
 * Called by: initServer() ("serverCron in 1 ms"; serverCron then returns
 * 1000/hz = 100 to run again every 100 ms).
 */
long long aeCreateTimeEvent(aeEventLoop *eventLoop, long long milliseconds,
        aeTimeProc *proc, void *clientData,
        aeEventFinalizerProc *finalizerProc)
{
    long long id = eventLoop->timeEventNextId++;
    aeTimeEvent *te;

    te = zmalloc(sizeof(*te));
    te->id = id;
    aeAddMillisecondsToNow(milliseconds,&te->when_sec,&te->when_ms);
    te->timeProc = proc;
    te->finalizerProc = finalizerProc;
    te->clientData = clientData;
    te->prev = NULL;
    te->next = eventLoop->timeEventHead;
    if (te->next)
        te->next->prev = te;
    eventLoop->timeEventHead = te;
    return id;
}

/**
 * @brief Cancel the time event with id @p id.
 * @param eventLoop The loop.
 * @param id Id returned by aeCreateTimeEvent().
 * @return AE_OK, or AE_ERR if there is no such event.
 *
 * The event is only marked (id = AE_DELETED_EVENT_ID); processTimeEvents()
 * unlinks and frees it on its next pass. This makes it safe to delete a
 * timer from inside any handler, including its own.
 * Called by: code cancelling a scheduled job.
 */
int aeDeleteTimeEvent(aeEventLoop *eventLoop, long long id)
{
    aeTimeEvent *te = eventLoop->timeEventHead;

    while(te) {
        if (te->id == id) {
            te->id = AE_DELETED_EVENT_ID;
            return AE_OK;
        }
        te = te->next;
    }
    return AE_ERR;
}

/**
 * @brief The timer that is due first.
 * @param eventLoop The loop.
 * @return That event, or NULL if there are none.
 *
 * A linear scan of an unsorted list: O(N), fine because Redis has one or
 * two timers (serverCron and, in modules, a few more).
 * Called by: aeProcessEvents() to bound the poll timeout.
 */
static aeTimeEvent *aeSearchNearestTimer(aeEventLoop *eventLoop)
{
    aeTimeEvent *te = eventLoop->timeEventHead;
    aeTimeEvent *nearest = NULL;

    while(te) {
        if (!nearest || te->when_sec < nearest->when_sec ||
                (te->when_sec == nearest->when_sec &&
                 te->when_ms < nearest->when_ms))
            nearest = te;
        te = te->next;
    }
    return nearest;
}

/**
 * @brief Unlink a time event marked AE_DELETED_EVENT_ID, finalize and free it.
 * @param eventLoop The loop.
 * @param te The event.
 *
 * Called by: processTimeEvents().
 */
static void aeFreeTimeEvent(aeEventLoop *eventLoop, aeTimeEvent *te) {
    if (te->prev)
        te->prev->next = te->next;
    else
        eventLoop->timeEventHead = te->next;
    if (te->next)
        te->next->prev = te->prev;
    if (te->finalizerProc)
        te->finalizerProc(eventLoop, te->clientData);
    zfree(te);
}

/**
 * @brief Has @p te's due time passed?
 * @param te The event.
 * @return 1 if (when_sec, when_ms) <= now.
 *
 * Called by: processTimeEvents().
 */
static int aeTimeEventIsDue(aeTimeEvent *te) {
    long now_sec, now_ms;

    aeGetTime(&now_sec, &now_ms);
    return now_sec > te->when_sec ||
           (now_sec == te->when_sec && now_ms >= te->when_ms);
}

/* ANCHOR: ae-process-time-events */
/**
 * @brief Run every due timer; free timers marked as deleted.
 * @param eventLoop The loop.
 * @return Number of handlers called.
 *
 * Timers created by a handler during this pass (id > maxId) wait for the
 * next pass, so a handler that keeps creating 0 ms timers cannot trap the
 * loop here. If the clock went backwards, every timer is made due at once:
 * firing early is better than sleeping for the size of the jump.
 * Called by: aeProcessEvents().
 */
static int processTimeEvents(aeEventLoop *eventLoop) {
    int processed = 0;
    aeTimeEvent *te;
    long long maxId;
    time_t now = time(NULL);

    if (now < eventLoop->lastTime) {
        for (te = eventLoop->timeEventHead; te; te = te->next)
            te->when_sec = 0;
    }
    eventLoop->lastTime = now;

    maxId = eventLoop->timeEventNextId-1;
    te = eventLoop->timeEventHead;
    while (te) {
        aeTimeEvent *next = te->next;

        if (te->id == AE_DELETED_EVENT_ID) {
            aeFreeTimeEvent(eventLoop, te);
        } else if (te->id <= maxId && aeTimeEventIsDue(te)) {
            int retval = te->timeProc(eventLoop, te->id, te->clientData);

            processed++;
            /* serverCron returns 100: due again 100 ms from now. A handler
             * may also have deleted this very event: then keep the mark. */
            if (retval == AE_NOMORE)
                te->id = AE_DELETED_EVENT_ID;
            else if (te->id != AE_DELETED_EVENT_ID)
                aeAddMillisecondsToNow(retval,&te->when_sec,&te->when_ms);
            /* The handler may have added timers at the head, never after
             * te, so te->next is still the right successor. */
            next = te->next;
        }
        te = next;
    }
    return processed;
}
/* ANCHOR_END: ae-process-time-events */

/* ---------------------------- The loop ---------------------------- */

/* ANCHOR: ae-process-events */
/**
 * @brief Run one iteration: wait for events, then dispatch them.
 * @param eventLoop The loop.
 * @param flags AE_FILE_EVENTS and/or AE_TIME_EVENTS (or AE_ALL_EVENTS),
 *        plus AE_DONT_WAIT (poll with zero timeout) and
 *        AE_CALL_AFTER_SLEEP (run the aftersleep hook).
 * @return Number of file and time events processed.
 *
 * Called by: aeMain(); also by code that must serve clients while busy
 * (e.g. loading a big RDB calls it with AE_FILE_EVENTS|AE_DONT_WAIT).
 */
int aeProcessEvents(aeEventLoop *eventLoop, int flags)
{
    int processed = 0, numevents;

    /* Neither kind of event requested: there is nothing to wait for. */
    if (!(flags & AE_TIME_EVENTS) && !(flags & AE_FILE_EVENTS)) return 0;

    /* Poll even with no fds registered when we must sleep until a timer,
     * since the poll call is our only way to sleep. */
    if (eventLoop->maxfd != -1 ||
        ((flags & AE_TIME_EVENTS) && !(flags & AE_DONT_WAIT))) {
        int j;
        aeTimeEvent *shortest = NULL;
        struct timeval tv, *tvp;

        if (flags & AE_TIME_EVENTS && !(flags & AE_DONT_WAIT))
            shortest = aeSearchNearestTimer(eventLoop);
        if (shortest) {
            long now_sec, now_ms;
            long long ms;

            /* Sleep exactly until the nearest timer: due in 37 ms means
             * a 37 ms timeout; already overdue means 0. */
            aeGetTime(&now_sec, &now_ms);
            tvp = &tv;
            ms = (shortest->when_sec - now_sec)*1000 +
                 shortest->when_ms - now_ms;
            if (ms > 0) {
                tvp->tv_sec = ms/1000;
                tvp->tv_usec = (ms % 1000)*1000;
            } else {
                tvp->tv_sec = 0;
                tvp->tv_usec = 0;
            }
        } else {
            if (flags & AE_DONT_WAIT) {
                /* Zero timeout: just collect what is ready now. */
                tv.tv_sec = tv.tv_usec = 0;
                tvp = &tv;
            } else {
                /* No timers: block until an fd is ready. */
                tvp = NULL;
            }
        }

        numevents = aeApiPoll(eventLoop, tvp);

        if (eventLoop->aftersleep != NULL && flags & AE_CALL_AFTER_SLEEP)
            eventLoop->aftersleep(eventLoop);

        for (j = 0; j < numevents; j++) {
            aeFileEvent *fe = &eventLoop->events[eventLoop->fired[j].fd];
            int mask = eventLoop->fired[j].mask;
            int fd = eventLoop->fired[j].fd;
            int fired = 0; /* handlers already called for this fd */

            /* Normally read first, so that a request that arrives and gets
             * answered in the same iteration can be written right away.
             * AE_BARRIER inverts the order so that the writable handler
             * never runs *after* the readable one in the same iteration: a
             * reply produced by this iteration's read then waits for the
             * next one, and beforeSleep() runs in between. Redis 5.0.14's
             * handleClientsWithPendingWrites() sets it under appendfsync
             * always, so that the AOF is fsynced (in beforeSleep) before a
             * reply to a write leaves. It is not about sending older
             * replies before reading; minired never sets it (no AOF). */
            int invert = fe->mask & AE_BARRIER;

            /* fe->mask is re-read for each handler: a handler that closed
             * the client deleted the events, and the other one must not
             * run on a freed client. */
            if (!invert && fe->mask & mask & AE_READABLE) {
                fe->rfileProc(eventLoop,fd,fe->clientData,mask);
                fired++;
                fe = &eventLoop->events[fd]; /* the array may have moved */
            }

            if (fe->mask & mask & AE_WRITABLE) {
                /* One function registered for both bits runs only once. */
                if (!fired || fe->wfileProc != fe->rfileProc) {
                    fe->wfileProc(eventLoop,fd,fe->clientData,mask);
                    fired++;
                    fe = &eventLoop->events[fd];
                }
            }

            if (invert && fe->mask & mask & AE_READABLE) {
                if (!fired || fe->wfileProc != fe->rfileProc) {
                    fe->rfileProc(eventLoop,fd,fe->clientData,mask);
                    fired++;
                }
            }

            processed++;
        }
    }
    /* Timers run after file events, so serverCron sees this iteration's
     * work already done. */
    if (flags & AE_TIME_EVENTS)
        processed += processTimeEvents(eventLoop);

    return processed;
}
/* ANCHOR_END: ae-process-events */

/**
 * @brief Wait up to @p milliseconds for one fd, without a loop.
 * @param fd Descriptor.
 * @param mask AE_READABLE and/or AE_WRITABLE.
 * @param milliseconds Timeout (-1 forever).
 * @return The ready mask, 0 on timeout, or -1 on error. An error or hang-up
 *         condition is reported as AE_WRITABLE.
 *
 * Called by: synchronous I/O helpers (syncWrite/syncRead in Redis).
 */
int aeWait(int fd, int mask, long long milliseconds) {
    struct pollfd pfd;
    int retmask = 0, retval;

    memset(&pfd, 0, sizeof(pfd));
    pfd.fd = fd;
    if (mask & AE_READABLE) pfd.events |= POLLIN;
    if (mask & AE_WRITABLE) pfd.events |= POLLOUT;

    if ((retval = poll(&pfd, 1, milliseconds))== 1) {
        if (pfd.revents & POLLIN) retmask |= AE_READABLE;
        if (pfd.revents & POLLOUT) retmask |= AE_WRITABLE;
        if (pfd.revents & POLLERR) retmask |= AE_WRITABLE;
        if (pfd.revents & POLLHUP) retmask |= AE_WRITABLE;
        return retmask;
    } else {
        return retval;
    }
}

/* ANCHOR: ae-main */
/**
 * @brief Run the loop until aeStop().
 * @param eventLoop The loop.
 *
 * beforesleep runs before each iteration's poll: it is where Redis writes
 * replies directly to sockets (handleClientsWithPendingWrites) so most
 * replies never need a WRITABLE event at all.
 * Called by: main(), after initServer().
 */
void aeMain(aeEventLoop *eventLoop) {
    eventLoop->stop = 0;
    while (!eventLoop->stop) {
        if (eventLoop->beforesleep != NULL)
            eventLoop->beforesleep(eventLoop);
        aeProcessEvents(eventLoop, AE_ALL_EVENTS|AE_CALL_AFTER_SLEEP);
    }
}
/* ANCHOR_END: ae-main */

/**
 * @brief Name of the compiled-in backend.
 * @return "epoll" or "select".
 *
 * Called by: INFO server ("multiplexing_api:").
 */
char *aeGetApiName(void) {
    return aeApiName();
}

/**
 * @brief Install the hook aeMain() runs before each iteration.
 * @param eventLoop The loop.
 * @param beforesleep Hook, or NULL.
 *
 * Called by: main() with beforeSleep.
 */
void aeSetBeforeSleepProc(aeEventLoop *eventLoop, aeBeforeSleepProc *beforesleep) {
    eventLoop->beforesleep = beforesleep;
}

/**
 * @brief Install the hook run right after the poll returns.
 * @param eventLoop The loop.
 * @param aftersleep Hook, or NULL.
 *
 * Called by: main() with afterSleep.
 */
void aeSetAfterSleepProc(aeEventLoop *eventLoop, aeBeforeSleepProc *aftersleep) {
    eventLoop->aftersleep = aftersleep;
}
