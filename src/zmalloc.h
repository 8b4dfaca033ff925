/**
 * @file zmalloc.h
 * @brief Counting wrappers around malloc/free: the allocator every other
 *        minired file calls.
 *
 * Where it sits: at the very bottom. sds strings, dict tables, list nodes,
 * client structs and reply buffers all get their memory from zmalloc() and
 * hand it back with zfree(). Nothing flows in from the network here; what
 * flows out is (a) memory and (b) one number, zmalloc_used_memory(), that
 * INFO reports as "used_memory" and that maxmemory would be checked against.
 *
 * Out of memory is never returned to the caller as NULL: the wrappers print
 * a message and abort(), so callers never test for NULL (Redis does the same).
 */
#ifndef __ZMALLOC_H
#define __ZMALLOC_H

#include <stddef.h>

/** Name of the allocator, as INFO's "mem_allocator" field would print it. */
#define ZMALLOC_LIB "libc"

void *zmalloc(size_t size);
void *zcalloc(size_t size);
void *zrealloc(void *ptr, size_t size);
void zfree(void *ptr);
char *zstrdup(const char *s);
size_t zmalloc_size(void *ptr);
size_t zmalloc_used_memory(void);
size_t zmalloc_get_rss(void);
void zmalloc_set_oom_handler(void (*oom_handler)(size_t));

#endif /* __ZMALLOC_H */
