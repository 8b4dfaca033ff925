/**
 * @file zmalloc.c
 * @brief Counting allocator wrappers (zmalloc, zfree, ...) and RSS probe.
 *
 * Where it sits: below everything. Every allocation in minired goes through
 * these functions so that one global counter, used_memory, always knows how
 * many bytes the program holds. In: a size. Out: a pointer that is never
 * NULL (running out of memory aborts), plus the counter for INFO.
 *
 * How the counter stays exact: after each malloc we ask glibc how big the
 * block really is (malloc_usable_size) and add that; before each free we ask
 * again and subtract the same number. A 10-byte request usually costs 24
 * usable bytes on 64-bit glibc, and 24 is what gets counted.
 */
#include "zmalloc.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

/** Bytes currently handed out through the z* wrappers (usable sizes). */
static size_t used_memory = 0;

/**
 * @brief Add to the global counter.
 * @param n Bytes to add.
 *
 * The add is atomic because Redis 5.0 frees objects from background (bio)
 * threads too; minired keeps the same discipline so a future lazyfree
 * thread could not corrupt the number.
 * Called by: zmalloc(), zcalloc(), zrealloc().
 */
static void update_zmalloc_stat_alloc(size_t n) {
    __atomic_add_fetch(&used_memory, n, __ATOMIC_RELAXED);
}

/**
 * @brief Subtract from the global counter.
 * @param n Bytes to subtract.
 *
 * Called by: zfree(), zrealloc().
 */
static void update_zmalloc_stat_free(size_t n) {
    __atomic_sub_fetch(&used_memory, n, __ATOMIC_RELAXED);
}

/**
 * @brief Default out-of-memory action: say what failed, then abort().
 * @param size The request that could not be satisfied.
 *
 * Aborting (rather than returning NULL) is a deliberate Redis design choice:
 * a server that half-applies a write because a malloc failed would be
 * worse than one that stops. abort() also leaves a core file for debugging.
 * Called by: the z* wrappers through zmalloc_oom_handler.
 */
static void zmalloc_default_oom(size_t size) {
    fprintf(stderr, "zmalloc: Out of memory trying to allocate %zu bytes\n",
            size);
    fflush(stderr);
    abort();
}

/** Hook called when malloc fails; replaceable with zmalloc_set_oom_handler(). */
static void (*zmalloc_oom_handler)(size_t) = zmalloc_default_oom;

/* ANCHOR: zmalloc-counting */
/**
 * @brief Allocate @p size bytes, counting them; never returns NULL.
 * @param size Bytes wanted (0 is allowed and yields a valid, freeable block).
 * @return Pointer to uninitialised memory.
 *
 * Called by: almost everything (sdsnewlen, listCreate, dictCreate, createClient...).
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's zmalloc() (zmalloc.c):
 * Redis links jemalloc by default and asks it for the block size with
 * je_malloc_usable_size(). Built with plain libc it cannot ask, so it
 * allocates PREFIX_SIZE (8) extra bytes, stores the requested size in
 * front of the block and returns ptr+PREFIX_SIZE. minired uses glibc's
 * malloc_usable_size() instead, so there is no prefix.
 */
void *zmalloc(size_t size) {
    void *ptr = malloc(size);

    if (ptr == NULL) zmalloc_oom_handler(size);
    update_zmalloc_stat_alloc(malloc_usable_size(ptr));
    return ptr;
}
/* ANCHOR_END: zmalloc-counting */

/**
 * @brief Allocate @p size zero-filled bytes, counting them.
 * @param size Bytes wanted.
 * @return Pointer to zeroed memory, never NULL.
 *
 * Called by: code that needs a cleared struct or table (e.g. dictExpand's
 * bucket array, where every bucket must start as a NULL chain).
 */
void *zcalloc(size_t size) {
    void *ptr = calloc(1, size);

    if (ptr == NULL) zmalloc_oom_handler(size);
    update_zmalloc_stat_alloc(malloc_usable_size(ptr));
    return ptr;
}

/**
 * @brief Resize a block, keeping the counter right.
 * @param ptr Block from zmalloc/zcalloc/zrealloc, or NULL (acts as zmalloc).
 * @param size New size in bytes; 0 frees @p ptr and returns NULL.
 * @return The (possibly moved) block.
 *
 * Called by: sdsMakeRoomFor(), sdsRemoveFreeSpace(), aeResizeSetSize().
 */
void *zrealloc(void *ptr, size_t size) {
    size_t oldsize;
    void *newptr;

    if (ptr == NULL) return zmalloc(size);
    /* glibc's realloc(p, 0) frees p and returns NULL, which the check below
     * would mistake for out-of-memory; handle the 0 case as a plain free. */
    if (size == 0) {
        zfree(ptr);
        return NULL;
    }
    oldsize = malloc_usable_size(ptr);
    newptr = realloc(ptr, size);
    if (newptr == NULL) zmalloc_oom_handler(size);

    update_zmalloc_stat_free(oldsize);
    update_zmalloc_stat_alloc(malloc_usable_size(newptr));
    return newptr;
}

/* ANCHOR: zmalloc-free */
/**
 * @brief Release a block obtained from the z* wrappers.
 * @param ptr Block to free; NULL is ignored, like free(NULL).
 *
 * Called by: everything that owns memory (sdsfree, listRelease, freeClient...).
 */
void zfree(void *ptr) {
    if (ptr == NULL) return;
    update_zmalloc_stat_free(malloc_usable_size(ptr));
    free(ptr);
}
/* ANCHOR_END: zmalloc-free */

/**
 * @brief strdup() through zmalloc, so the copy is counted.
 * @param s NUL-terminated string to copy.
 * @return A new copy to be released with zfree().
 *
 * Called by: configuration and logging code that keeps C strings.
 */
char *zstrdup(const char *s) {
    size_t l = strlen(s) + 1;
    char *p = zmalloc(l);

    memcpy(p, s, l);
    return p;
}

/**
 * @brief Real size of an allocated block (>= what was requested).
 * @param ptr A block from the z* wrappers.
 * @return Usable bytes in the block.
 *
 * sds uses this idea to report how much memory a string truly costs
 * (sdsAllocSize adds header and terminator; this adds allocator rounding).
 * Called by: memory accounting code, tests.
 */
size_t zmalloc_size(void *ptr) {
    return malloc_usable_size(ptr);
}

/**
 * @brief How many bytes minired holds right now through the z* wrappers.
 * @return The used_memory counter.
 *
 * Called by: INFO memory ("used_memory:"), tests that check for leaks.
 */
size_t zmalloc_used_memory(void) {
    return __atomic_load_n(&used_memory, __ATOMIC_RELAXED);
}

/**
 * @brief Replace the out-of-memory action.
 * @param oom_handler Function called with the failed size; it should not return.
 *
 * Called by: the server at startup if it wants to log through serverLog
 * before dying.
 */
void zmalloc_set_oom_handler(void (*oom_handler)(size_t)) {
    zmalloc_oom_handler = oom_handler;
}

/**
 * @brief Resident set size of this process, in bytes.
 * @return RSS in bytes, or 0 if /proc/self/stat cannot be read.
 *
 * /proc/self/stat is one line: "1234 (minired) S 1 ...". Field 24 is the
 * RSS counted in pages, so we walk to field 24 and multiply by the page
 * size (usually 4096). The gap between this and used_memory is fragmentation,
 * which INFO shows as mem_fragmentation_ratio.
 * Called by: INFO memory ("used_memory_rss:").
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's zmalloc_get_rss() (zmalloc.c):
 * Same /proc approach on Linux; other systems use task_info() or return
 * used_memory.
 */
size_t zmalloc_get_rss(void) {
    char buf[4096];
    char *p, *x;
    int fd, count;
    ssize_t n;
    long page = sysconf(_SC_PAGESIZE);

    if ((fd = open("/proc/self/stat", O_RDONLY)) == -1) return 0;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = '\0';

    /* The process name "(minired)" could contain spaces; start counting
     * after its closing parenthesis, which is field 2. */
    p = strrchr(buf, ')');
    if (p == NULL) return 0;
    /* Each strchr() steps onto the space that opens the next field; when
     * count reaches 24, p is on the space in front of the RSS field. */
    count = 2;
    while (count < 24) {
        p = strchr(p + 1, ' ');
        if (p == NULL) return 0;
        count++;
    }
    p++;
    x = strchr(p, ' ');
    if (x == NULL) return 0;
    *x = '\0';
    return (size_t)strtoll(p, NULL, 10) * (size_t)page;
}
