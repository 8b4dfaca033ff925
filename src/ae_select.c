/**
 * @file ae_select.c
 * @brief Portable select(2) backend for the ae event loop.
 *
 * NOT COMPILED ON ITS OWN: ae.c pulls this file in with an include
 * directive when epoll is not available or when built with
 * -DAE_FORCE_SELECT (make AE_BACKEND=select). Everything below is guarded
 * by the AE_INCLUDED_FROM_AE_C macro, so a build that compiles every
 * src/ *.c file gets an (almost) empty object from this file.
 *
 * Where it sits: under aeProcessEvents(), like ae_epoll.c. It is here for
 * teaching: select() rebuilds the whole interest set on every call and
 * scans all fds up to maxfd afterwards, which is why it is O(fds) per
 * wait and limited to FD_SETSIZE (1024) descriptors.
 */
#ifdef AE_INCLUDED_FROM_AE_C

#include <sys/select.h>
#include <string.h>

/** @brief Backend state stored in eventLoop->apidata. */
typedef struct aeApiState {
    fd_set rfds;  /**< Master read set, edited by add/del. */
    fd_set wfds;  /**< Master write set, edited by add/del. */
    fd_set _rfds; /**< Scratch copy handed to select(), which overwrites it. */
    fd_set _wfds; /**< Scratch copy handed to select(), which overwrites it. */
} aeApiState;

/**
 * @brief Allocate and clear the fd sets.
 * @param eventLoop The loop.
 * @return 0.
 *
 * Called by: aeCreateEventLoop().
 */
static int aeApiCreate(aeEventLoop *eventLoop) {
    aeApiState *state = zmalloc(sizeof(aeApiState));

    FD_ZERO(&state->rfds);
    FD_ZERO(&state->wfds);
    eventLoop->apidata = state;
    return 0;
}

/**
 * @brief Accept a new set size only if it fits in an fd_set.
 * @param eventLoop The loop.
 * @param setsize New capacity.
 * @return 0 if @p setsize <= FD_SETSIZE, else -1.
 *
 * Called by: aeResizeSetSize().
 */
static int aeApiResize(aeEventLoop *eventLoop, int setsize) {
    if (setsize > FD_SETSIZE) return -1;
    return 0;
}

/**
 * @brief Free the backend state.
 * @param eventLoop The loop.
 *
 * Called by: aeDeleteEventLoop().
 */
static void aeApiFree(aeEventLoop *eventLoop) {
    zfree(eventLoop->apidata);
}

/**
 * @brief Add @p fd to the read and/or write set.
 * @param eventLoop The loop.
 * @param fd Descriptor.
 * @param mask AE_READABLE and/or AE_WRITABLE.
 * @return 0, or -1 if @p fd >= FD_SETSIZE (FD_SET would write out of bounds).
 *
 * Called by: aeCreateFileEvent().
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's aeApiAddEvent() (ae_select.c):
 * Redis does not check the fd here; it relies on setsize <= FD_SETSIZE.
 * minired checks, because the server may create the loop with
 * maxclients+128 slots, more than select() can watch.
 */
static int aeApiAddEvent(aeEventLoop *eventLoop, int fd, int mask) {
    aeApiState *state = eventLoop->apidata;

    if (fd >= FD_SETSIZE) return -1;
    if (mask & AE_READABLE) FD_SET(fd,&state->rfds);
    if (mask & AE_WRITABLE) FD_SET(fd,&state->wfds);
    return 0;
}

/**
 * @brief Remove @p fd from the sets named in @p mask.
 * @param eventLoop The loop.
 * @param fd Descriptor.
 * @param mask Bits to remove.
 *
 * Called by: aeDeleteFileEvent().
 */
static void aeApiDelEvent(aeEventLoop *eventLoop, int fd, int mask) {
    aeApiState *state = eventLoop->apidata;

    if (fd >= FD_SETSIZE) return;
    if (mask & AE_READABLE) FD_CLR(fd,&state->rfds);
    if (mask & AE_WRITABLE) FD_CLR(fd,&state->wfds);
}

/**
 * @brief select() on copies of the sets, then list the ready fds.
 * @param eventLoop The loop.
 * @param tvp Maximum wait; NULL waits forever.
 * @return Number of entries written to eventLoop->fired[].
 *
 * Called by: aeProcessEvents().
 */
static int aeApiPoll(aeEventLoop *eventLoop, struct timeval *tvp) {
    aeApiState *state = eventLoop->apidata;
    int retval, j, numevents = 0;

    /* select() replaces its arguments with the ready subsets, so work on
     * copies and keep the master sets intact. */
    memcpy(&state->_rfds,&state->rfds,sizeof(fd_set));
    memcpy(&state->_wfds,&state->wfds,sizeof(fd_set));

    retval = select(eventLoop->maxfd+1,
                &state->_rfds,&state->_wfds,NULL,tvp);
    if (retval > 0) {
        /* select() only says "some fds are ready": scan them all. */
        for (j = 0; j <= eventLoop->maxfd && j < FD_SETSIZE; j++) {
            int mask = 0;
            aeFileEvent *fe = &eventLoop->events[j];

            if (fe->mask == AE_NONE) continue;
            if (fe->mask & AE_READABLE && FD_ISSET(j,&state->_rfds))
                mask |= AE_READABLE;
            if (fe->mask & AE_WRITABLE && FD_ISSET(j,&state->_wfds))
                mask |= AE_WRITABLE;
            if (mask == 0) continue;
            eventLoop->fired[numevents].fd = j;
            eventLoop->fired[numevents].mask = mask;
            numevents++;
        }
    }
    return numevents;
}

/**
 * @brief Name of this backend.
 * @return "select".
 *
 * Called by: aeGetApiName().
 */
static char *aeApiName(void) {
    return "select";
}

#else
/** Keeps this file a valid (non-empty) C translation unit when compiled alone. */
typedef int ae_select_compiled_standalone;
#endif /* AE_INCLUDED_FROM_AE_C */
