/**
 * @file test_ae.c
 * @brief Check unit tests for ae.c: timers firing and rescheduling, pipe
 *        file events, AE_DONT_WAIT, deleting events from inside callbacks,
 *        AE_BARRIER ordering, sleep hooks, resizing.
 *
 * Run it twice: once linked with the default backend (epoll) and once with
 * ae.c compiled -DAE_FORCE_SELECT.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <sys/time.h>
#include <sys/socket.h>

#include "ae.h"
#include "zmalloc.h"

/**
 * @brief Milliseconds since the epoch.
 * @return Now.
 */
static long long now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec*1000 + tv.tv_usec/1000;
}

/* ---------------------------- time events ---------------------------- */

/** Calls seen by tick(). */
static int ticks;
/** Calls seen by finalizer(). */
static int finalized;

/**
 * @brief Timer that reschedules itself 10 ms later until it has run 3 times.
 * @param el Loop.
 * @param id Event id.
 * @param data Unused.
 * @return 10, then AE_NOMORE on the third call.
 */
static int tick(aeEventLoop *el, long long id, void *data) {
    ticks++;
    if (ticks == 3) {
        aeStop(el);
        return AE_NOMORE;
    }
    return 10;
}

/**
 * @brief Finalizer counting its calls.
 * @param el Loop.
 * @param data Unused.
 */
static void finalizer(aeEventLoop *el, void *data) {
    finalized++;
}

/** @brief A timer fires, reschedules twice, stops; its finalizer runs once. */
START_TEST(test_timer_reschedule)
{
    aeEventLoop *el = aeCreateEventLoop(64);
    long long start = now_ms(), id;

    ticks = finalized = 0;
    id = aeCreateTimeEvent(el, 10, tick, NULL, finalizer);
    ck_assert_int_ge(id, 0);
    aeMain(el);
    ck_assert_int_eq(ticks, 3);
    /* 10 ms + 10 ms + 10 ms, minus a little clock granularity. */
    ck_assert_int_ge(now_ms() - start, 25);
    /* AE_NOMORE only marks the event; the next pass frees it. */
    ck_assert_int_eq(finalized, 0);
    aeProcessEvents(el, AE_TIME_EVENTS|AE_DONT_WAIT);
    ck_assert_int_eq(finalized, 1);
    ck_assert_ptr_null(el->timeEventHead);
    ck_assert_int_eq(aeDeleteTimeEvent(el, id), AE_ERR);
    aeDeleteEventLoop(el);
}
END_TEST

/** Id of the timer deleted by deleter(). */
static long long victim_id;
/** Calls seen by victim(). */
static int victim_calls;

/**
 * @brief Timer that must never run.
 * @param el Loop.
 * @param id Event id.
 * @param data Unused.
 * @return AE_NOMORE.
 */
static int victim(aeEventLoop *el, long long id, void *data) {
    victim_calls++;
    return AE_NOMORE;
}

/**
 * @brief Timer that deletes victim_id and itself.
 * @param el Loop.
 * @param id Its own id.
 * @param data Unused.
 * @return 1 (ignored: it deleted itself).
 */
static int deleter(aeEventLoop *el, long long id, void *data) {
    ticks++;
    ck_assert_int_eq(aeDeleteTimeEvent(el, victim_id), AE_OK);
    ck_assert_int_eq(aeDeleteTimeEvent(el, id), AE_OK);
    return 1;
}

/** @brief Deleting timers from inside a timer callback, including itself. */
START_TEST(test_timer_delete_in_callback)
{
    aeEventLoop *el = aeCreateEventLoop(64);
    int j;

    ticks = victim_calls = finalized = 0;
    /* The victim is due later than the deleter, so it never fires. */
    victim_id = aeCreateTimeEvent(el, 50, victim, NULL, finalizer);
    aeCreateTimeEvent(el, 0, deleter, NULL, finalizer);
    /* AE_DONT_WAIT: once both timers are gone and no fd is registered, a
     * blocking iteration would sleep forever (there is nothing to wake it). */
    for (j = 0; j < 5; j++) aeProcessEvents(el, AE_ALL_EVENTS|AE_DONT_WAIT);
    ck_assert_int_eq(ticks, 1);
    ck_assert_int_eq(victim_calls, 0);
    ck_assert_int_eq(finalized, 2);
    ck_assert_ptr_null(el->timeEventHead);
    aeDeleteEventLoop(el);
}
END_TEST

/** @brief The poll timeout follows the nearest timer. */
START_TEST(test_nearest_timer_bounds_sleep)
{
    aeEventLoop *el = aeCreateEventLoop(64);
    long long start;

    ticks = 0;
    aeCreateTimeEvent(el, 5000, tick, NULL, NULL);
    aeCreateTimeEvent(el, 30, tick, NULL, NULL);
    start = now_ms();
    /* One blocking iteration: must wake for the 30 ms timer, not 5 s.
     * The upper bound is logical, not a speed claim: a loop that slept
     * for the far timer could not be back before 5,000 ms. */
    while (ticks == 0) aeProcessEvents(el, AE_ALL_EVENTS);
    ck_assert_int_eq(ticks, 1);
    ck_assert_int_lt(now_ms() - start, 5000);
    ck_assert_int_ge(now_ms() - start, 25);
    aeDeleteEventLoop(el); /* frees the pending 5 s timer */
}
END_TEST

/** @brief AE_DONT_WAIT returns at once when nothing is ready. */
START_TEST(test_dont_wait)
{
    aeEventLoop *el = aeCreateEventLoop(64);
    long long start = now_ms();
    int fds[2];

    ticks = 0;
    aeCreateTimeEvent(el, 2000, tick, NULL, NULL);
    ck_assert_int_eq(aeProcessEvents(el, AE_ALL_EVENTS|AE_DONT_WAIT), 0);
    ck_assert_int_eq(ticks, 0);

    /* Same with a registered, idle fd. */
    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_int_eq(aeCreateFileEvent(el, fds[0], AE_READABLE,
                     (aeFileProc*)abort, NULL), AE_OK);
    ck_assert_int_eq(aeProcessEvents(el, AE_ALL_EVENTS|AE_DONT_WAIT), 0);
    /* Logical bound: waiting for the 2,000 ms timer would take 2,000 ms. */
    ck_assert_int_lt(now_ms() - start, 2000);
    ck_assert_int_eq(ticks, 0);

    /* No flags at all: nothing to do. */
    ck_assert_int_eq(aeProcessEvents(el, AE_DONT_WAIT), 0);
    close(fds[0]);
    close(fds[1]);
    aeDeleteEventLoop(el);
}
END_TEST

/* ---------------------------- file events ---------------------------- */

/** Bytes read by pipe_reader(). */
static char got[64];
/** Number of bytes in got. */
static int gotlen;

/**
 * @brief Read handler: append what is available to got[].
 * @param el Loop.
 * @param fd Pipe read end.
 * @param data Unused.
 * @param mask Fired mask.
 */
static void pipe_reader(aeEventLoop *el, int fd, void *data, int mask) {
    ssize_t n = read(fd, got+gotlen, sizeof(got)-1-gotlen);
    ck_assert(mask & AE_READABLE);
    if (n > 0) gotlen += n;
    got[gotlen] = '\0';
}

/** @brief A pipe's read end fires when bytes arrive, with clientData intact. */
START_TEST(test_pipe_event)
{
    aeEventLoop *el = aeCreateEventLoop(64);
    int fds[2];

    gotlen = 0;
    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_int_eq(aeCreateFileEvent(el, fds[0], AE_READABLE, pipe_reader, NULL), AE_OK);
    ck_assert_int_eq(aeGetFileEvents(el, fds[0]), AE_READABLE);
    ck_assert_int_eq(el->maxfd, fds[0]);

    ck_assert_int_eq(write(fds[1], "+PONG\r\n", 7), 7);
    ck_assert_int_eq(aeProcessEvents(el, AE_FILE_EVENTS|AE_DONT_WAIT), 1);
    ck_assert_str_eq(got, "+PONG\r\n");

    /* Blocking wait with no timer: returns when data arrives. */
    ck_assert_int_eq(write(fds[1], "x", 1), 1);
    ck_assert_int_eq(aeProcessEvents(el, AE_FILE_EVENTS), 1);
    ck_assert_str_eq(got, "+PONG\r\nx");

    aeDeleteFileEvent(el, fds[0], AE_READABLE);
    ck_assert_int_eq(aeGetFileEvents(el, fds[0]), AE_NONE);
    ck_assert_int_eq(el->maxfd, -1);
    ck_assert_int_eq(write(fds[1], "y", 1), 1);
    ck_assert_int_eq(aeProcessEvents(el, AE_FILE_EVENTS|AE_DONT_WAIT), 0);

    close(fds[0]);
    close(fds[1]);
    aeDeleteEventLoop(el);
}
END_TEST

/** Order in which handlers ran: 'r' for read, 'w' for write. */
static char order[16];
/** Number of entries in order. */
static int norder;

/**
 * @brief Read handler that records itself and deletes BOTH events, the way
 *        freeClient() does when a client sends QUIT.
 * @param el Loop.
 * @param fd Socket.
 * @param data Unused.
 * @param mask Fired mask.
 */
static void read_and_close(aeEventLoop *el, int fd, void *data, int mask) {
    order[norder++] = 'r';
    aeDeleteFileEvent(el, fd, AE_READABLE|AE_WRITABLE);
}

/**
 * @brief Write handler that records itself.
 * @param el Loop.
 * @param fd Socket.
 * @param data Unused.
 * @param mask Fired mask.
 */
static void write_rec(aeEventLoop *el, int fd, void *data, int mask) {
    order[norder++] = 'w';
}

/**
 * @brief Write handler that records itself and removes the read event.
 * @param el Loop.
 * @param fd Socket.
 * @param data Unused.
 * @param mask Fired mask.
 */
static void write_and_drop_read(aeEventLoop *el, int fd, void *data, int mask) {
    order[norder++] = 'w';
    aeDeleteFileEvent(el, fd, AE_READABLE);
}

/**
 * @brief Read handler that records itself and drains one byte.
 * @param el Loop.
 * @param fd Socket.
 * @param data Unused.
 * @param mask Fired mask.
 */
static void read_rec(aeEventLoop *el, int fd, void *data, int mask) {
    char c;
    order[norder++] = 'r';
    if (read(fd, &c, 1) < 0) order[norder++] = '!';
}

/** @brief A handler that deletes its fd's other event prevents it from running. */
START_TEST(test_delete_inside_callback)
{
    aeEventLoop *el = aeCreateEventLoop(64);
    int sv[2];

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    /* sv[0] is readable (data waiting) and writable (empty buffer). */
    ck_assert_int_eq(write(sv[1], "a", 1), 1);
    aeCreateFileEvent(el, sv[0], AE_READABLE, read_and_close, NULL);
    aeCreateFileEvent(el, sv[0], AE_WRITABLE, write_rec, NULL);
    ck_assert_int_eq(aeGetFileEvents(el, sv[0]), AE_READABLE|AE_WRITABLE);

    norder = 0;
    ck_assert_int_eq(aeProcessEvents(el, AE_FILE_EVENTS|AE_DONT_WAIT), 1);
    order[norder] = '\0';
    ck_assert_str_eq(order, "r"); /* write handler skipped */
    ck_assert_int_eq(aeGetFileEvents(el, sv[0]), AE_NONE);
    close(sv[0]);
    close(sv[1]);
    aeDeleteEventLoop(el);
}
END_TEST

/** @brief Read before write normally; write before read with AE_BARRIER. */
START_TEST(test_barrier_order)
{
    aeEventLoop *el = aeCreateEventLoop(64);
    int sv[2];

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    aeCreateFileEvent(el, sv[0], AE_READABLE, read_rec, NULL);
    aeCreateFileEvent(el, sv[0], AE_WRITABLE, write_rec, NULL);

    ck_assert_int_eq(write(sv[1], "a", 1), 1);
    norder = 0;
    aeProcessEvents(el, AE_FILE_EVENTS|AE_DONT_WAIT);
    order[norder] = '\0';
    ck_assert_str_eq(order, "rw");

    /* Re-register the write side with a barrier. */
    aeDeleteFileEvent(el, sv[0], AE_WRITABLE);
    aeCreateFileEvent(el, sv[0], AE_WRITABLE|AE_BARRIER, write_rec, NULL);
    ck_assert_int_eq(aeGetFileEvents(el, sv[0]), AE_READABLE|AE_WRITABLE|AE_BARRIER);
    ck_assert_int_eq(write(sv[1], "b", 1), 1);
    norder = 0;
    aeProcessEvents(el, AE_FILE_EVENTS|AE_DONT_WAIT);
    order[norder] = '\0';
    ck_assert_str_eq(order, "wr");

    /* Barrier + write handler that drops the read event: read never runs. */
    aeDeleteFileEvent(el, sv[0], AE_WRITABLE);
    ck_assert_int_eq(aeGetFileEvents(el, sv[0]), AE_READABLE); /* barrier gone too */
    aeCreateFileEvent(el, sv[0], AE_WRITABLE|AE_BARRIER, write_and_drop_read, NULL);
    ck_assert_int_eq(write(sv[1], "c", 1), 1);
    norder = 0;
    aeProcessEvents(el, AE_FILE_EVENTS|AE_DONT_WAIT);
    order[norder] = '\0';
    ck_assert_str_eq(order, "w");

    close(sv[0]);
    close(sv[1]);
    aeDeleteEventLoop(el);
}
END_TEST

/**
 * @brief One handler registered for both directions.
 * @param el Loop.
 * @param fd Socket.
 * @param data Unused.
 * @param mask Fired mask (both bits).
 */
static void both(aeEventLoop *el, int fd, void *data, int mask) {
    char c;
    order[norder++] = 'b';
    if (mask & AE_READABLE && read(fd, &c, 1) < 0) order[norder++] = '!';
}

/** @brief The same function for read and write runs once per iteration. */
START_TEST(test_same_handler_once)
{
    aeEventLoop *el = aeCreateEventLoop(64);
    int sv[2];

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    aeCreateFileEvent(el, sv[0], AE_READABLE|AE_WRITABLE, both, NULL);
    ck_assert_int_eq(write(sv[1], "a", 1), 1);
    norder = 0;
    aeProcessEvents(el, AE_FILE_EVENTS|AE_DONT_WAIT);
    order[norder] = '\0';
    ck_assert_str_eq(order, "b");
    close(sv[0]);
    close(sv[1]);
    aeDeleteEventLoop(el);
}
END_TEST

/* ---------------------------- loop management ---------------------------- */

/** Calls of before(). */
static int befores;
/** Calls of after(). */
static int afters;

/**
 * @brief beforesleep hook; stops the loop on the 3rd call.
 * @param el Loop.
 */
static void before(aeEventLoop *el) {
    if (++befores == 3) aeStop(el);
    /* The aftersleep of the previous iteration ran before us. */
    ck_assert_int_eq(afters, befores-1);
}

/**
 * @brief aftersleep hook.
 * @param el Loop.
 */
static void after(aeEventLoop *el) {
    afters++;
}

/**
 * @brief Timer used to keep aeMain() from blocking forever.
 * @param el Loop.
 * @param id Event id.
 * @param data Unused.
 * @return 1 ms.
 */
static int keepalive(aeEventLoop *el, long long id, void *data) {
    return 1;
}

/** @brief aeMain calls beforesleep each iteration, aftersleep after each poll. */
START_TEST(test_sleep_hooks)
{
    aeEventLoop *el = aeCreateEventLoop(64);

    befores = afters = 0;
    aeSetBeforeSleepProc(el, before);
    aeSetAfterSleepProc(el, after);
    aeCreateTimeEvent(el, 1, keepalive, NULL, NULL);
    aeMain(el);
    ck_assert_int_eq(befores, 3);
    ck_assert_int_eq(afters, 3);

    /* Without AE_CALL_AFTER_SLEEP the hook is not called. */
    aeProcessEvents(el, AE_ALL_EVENTS|AE_DONT_WAIT);
    ck_assert_int_eq(afters, 3);
    aeDeleteEventLoop(el);
}
END_TEST

/** @brief setsize limits, resizing, errno on fds out of range, backend name. */
START_TEST(test_setsize_and_api)
{
    aeEventLoop *el = aeCreateEventLoop(8);
    int fds[2];
    const char *api = aeGetApiName();

    ck_assert(strcmp(api, "epoll") == 0 || strcmp(api, "select") == 0);
#ifdef AE_FORCE_SELECT
    ck_assert_str_eq(api, "select");
#endif
    ck_assert_int_eq(aeGetSetSize(el), 8);
    errno = 0;
    ck_assert_int_eq(aeCreateFileEvent(el, 8, AE_READABLE, pipe_reader, NULL), AE_ERR);
    ck_assert_int_eq(errno, ERANGE);
    ck_assert_int_eq(aeGetFileEvents(el, 100), AE_NONE);
    aeDeleteFileEvent(el, 100, AE_READABLE); /* ignored */

    ck_assert_int_eq(aeResizeSetSize(el, 64), AE_OK);
    ck_assert_int_eq(aeGetSetSize(el), 64);
    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_int_eq(aeCreateFileEvent(el, fds[0], AE_READABLE, pipe_reader, NULL), AE_OK);
    /* Cannot shrink below a registered fd. */
    ck_assert_int_eq(aeResizeSetSize(el, fds[0]), AE_ERR);
    ck_assert_int_eq(aeResizeSetSize(el, fds[0]+1), AE_OK);
    ck_assert_int_eq(aeResizeSetSize(el, fds[0]+1), AE_OK); /* same size */
    aeDeleteFileEvent(el, fds[0], AE_READABLE);
    close(fds[0]);
    close(fds[1]);
    aeDeleteEventLoop(el);
}
END_TEST

/** @brief aeWait on a single fd: timeout, readable, writable. */
START_TEST(test_wait)
{
    int fds[2];

    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_int_eq(aeWait(fds[0], AE_READABLE, 10), 0);
    ck_assert_int_eq(aeWait(fds[1], AE_WRITABLE, 10), AE_WRITABLE);
    ck_assert_int_eq(write(fds[1], "z", 1), 1);
    ck_assert_int_eq(aeWait(fds[0], AE_READABLE, 10), AE_READABLE);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

/**
 * @brief The suite of this file.
 * @return A Suite with all ae test cases.
 */
static Suite *ae_suite(void) {
    Suite *s = suite_create("ae");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_timer_reschedule);
    tcase_add_test(tc, test_timer_delete_in_callback);
    tcase_add_test(tc, test_nearest_timer_bounds_sleep);
    tcase_add_test(tc, test_dont_wait);
    tcase_add_test(tc, test_pipe_event);
    tcase_add_test(tc, test_delete_inside_callback);
    tcase_add_test(tc, test_barrier_order);
    tcase_add_test(tc, test_same_handler_once);
    tcase_add_test(tc, test_sleep_hooks);
    tcase_add_test(tc, test_setsize_and_api);
    tcase_add_test(tc, test_wait);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the suite.
 * @return 0 if every test passed, 1 otherwise.
 */
int main(void) {
    SRunner *sr = srunner_create(ae_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
