/**
 * @file ae_epoll.c
 * @brief Linux epoll(7) backend for the ae event loop.
 *
 * NOT COMPILED ON ITS OWN: ae.c pulls this file in with an include
 * directive (on Linux, unless AE_FORCE_SELECT is defined) so that these
 * static functions are inlined into the loop. Everything below is guarded
 * by the AE_INCLUDED_FROM_AE_C macro, so a build that compiles every
 * src/ *.c file gets an (almost) empty object from this file.
 *
 * Where it sits: under aeProcessEvents(). In: "watch fd 7 for reading"
 * (aeApiAddEvent) and "wait at most 100 ms" (aeApiPoll). Out: the list of
 * ready fds in eventLoop->fired[]. Unlike select(), epoll keeps the
 * interest set inside the kernel, so each wait costs O(ready fds), not
 * O(all fds): the reason Redis can serve 10,000 clients on one thread.
 */
#ifdef AE_INCLUDED_FROM_AE_C

#include <sys/epoll.h>

/** @brief Backend state stored in eventLoop->apidata. */
typedef struct aeApiState {
    int epfd;                   /**< The epoll instance. */
    struct epoll_event *events; /**< setsize slots filled by epoll_wait(). */
} aeApiState;

/**
 * @brief Create the epoll instance and the result array.
 * @param eventLoop The loop (its setsize sizes the array).
 * @return 0 on success, -1 on failure.
 *
 * Called by: aeCreateEventLoop().
 */
static int aeApiCreate(aeEventLoop *eventLoop) {
    aeApiState *state = zmalloc(sizeof(aeApiState));

    state->events = zmalloc(sizeof(struct epoll_event)*eventLoop->setsize);
    /* The size argument is only a hint, ignored since Linux 2.6.8, but it
     * must be positive. */
    state->epfd = epoll_create(1024);
    if (state->epfd == -1) {
        zfree(state->events);
        zfree(state);
        return -1;
    }
    eventLoop->apidata = state;
    return 0;
}

/**
 * @brief Resize the result array to @p setsize entries.
 * @param eventLoop The loop.
 * @param setsize New capacity.
 * @return 0 (epoll has no fd limit of its own).
 *
 * Called by: aeResizeSetSize() (CONFIG SET maxclients).
 */
static int aeApiResize(aeEventLoop *eventLoop, int setsize) {
    aeApiState *state = eventLoop->apidata;

    state->events = zrealloc(state->events, sizeof(struct epoll_event)*setsize);
    return 0;
}

/**
 * @brief Close the epoll fd and free the backend state.
 * @param eventLoop The loop.
 *
 * Called by: aeDeleteEventLoop().
 */
static void aeApiFree(aeEventLoop *eventLoop) {
    aeApiState *state = eventLoop->apidata;

    close(state->epfd);
    zfree(state->events);
    zfree(state);
}

/**
 * @brief Add @p mask to the kernel interest set of @p fd.
 * @param eventLoop The loop; events[fd].mask still holds the OLD mask.
 * @param fd Descriptor.
 * @param mask AE_READABLE and/or AE_WRITABLE to add.
 * @return 0 on success, -1 if epoll_ctl() failed.
 *
 * epoll wants the complete new set, so the old mask is merged in, and the
 * operation is ADD for a new fd or MOD for one already watched.
 * Called by: aeCreateFileEvent().
 */
static int aeApiAddEvent(aeEventLoop *eventLoop, int fd, int mask) {
    aeApiState *state = eventLoop->apidata;
    struct epoll_event ee = {0};
    int op = eventLoop->events[fd].mask == AE_NONE ?
            EPOLL_CTL_ADD : EPOLL_CTL_MOD;

    ee.events = 0;
    mask |= eventLoop->events[fd].mask;
    if (mask & AE_READABLE) ee.events |= EPOLLIN;
    if (mask & AE_WRITABLE) ee.events |= EPOLLOUT;
    ee.data.fd = fd;
    if (epoll_ctl(state->epfd,op,fd,&ee) == -1) return -1;
    return 0;
}

/**
 * @brief Remove @p delmask from the kernel interest set of @p fd.
 * @param eventLoop The loop; events[fd].mask still holds the OLD mask.
 * @param fd Descriptor.
 * @param delmask Bits to remove.
 *
 * Called by: aeDeleteFileEvent().
 */
static void aeApiDelEvent(aeEventLoop *eventLoop, int fd, int delmask) {
    aeApiState *state = eventLoop->apidata;
    struct epoll_event ee = {0};
    int mask = eventLoop->events[fd].mask & (~delmask);

    ee.events = 0;
    if (mask & AE_READABLE) ee.events |= EPOLLIN;
    if (mask & AE_WRITABLE) ee.events |= EPOLLOUT;
    ee.data.fd = fd;
    if (mask != AE_NONE) {
        epoll_ctl(state->epfd,EPOLL_CTL_MOD,fd,&ee);
    } else {
        /* &ee is passed even though DEL ignores it: 2.6.8-era kernels
         * returned EFAULT for a NULL pointer here. */
        epoll_ctl(state->epfd,EPOLL_CTL_DEL,fd,&ee);
    }
}

/**
 * @brief Wait for ready fds and copy them into eventLoop->fired[].
 * @param eventLoop The loop.
 * @param tvp Maximum wait; NULL waits forever, {0,0} returns at once.
 * @return Number of entries written to fired[].
 *
 * EPOLLERR and EPOLLHUP are reported as AE_WRITABLE so that a pending
 * write discovers the error; a reader sees it as EOF/error from read().
 * Called by: aeProcessEvents().
 */
/* ANCHOR: ae-epoll-poll */
static int aeApiPoll(aeEventLoop *eventLoop, struct timeval *tvp) {
    aeApiState *state = eventLoop->apidata;
    int retval, numevents = 0;

    retval = epoll_wait(state->epfd,state->events,eventLoop->setsize,
            tvp ? (tvp->tv_sec*1000 + tvp->tv_usec/1000) : -1);
    if (retval > 0) {
        int j;

        numevents = retval;
        for (j = 0; j < numevents; j++) {
            int mask = 0;
            struct epoll_event *e = state->events+j;

            if (e->events & EPOLLIN) mask |= AE_READABLE;
            if (e->events & EPOLLOUT) mask |= AE_WRITABLE;
            if (e->events & EPOLLERR) mask |= AE_WRITABLE;
            if (e->events & EPOLLHUP) mask |= AE_WRITABLE;
            eventLoop->fired[j].fd = e->data.fd;
            eventLoop->fired[j].mask = mask;
        }
    }
    return numevents;
}
/* ANCHOR_END: ae-epoll-poll */

/**
 * @brief Name of this backend.
 * @return "epoll".
 *
 * Called by: aeGetApiName() (INFO server's "multiplexing_api:epoll").
 */
static char *aeApiName(void) {
    return "epoll";
}

#else
/** Keeps this file a valid (non-empty) C translation unit when compiled alone. */
typedef int ae_epoll_compiled_standalone;
#endif /* AE_INCLUDED_FROM_AE_C */
