/**
 * @file evict.c
 * @brief maxmemory: is the server over its memory limit, and (with the
 *        only policy minired has, noeviction) the answer processCommand()
 *        uses to refuse commands that would grow memory.
 *
 * Where it sits in the pipeline
 * -----------------------------
 *
 *     processCommand (server.c)
 *       -> freeMemoryIfNeededAndSafe()                            [here]
 *            -> freeMemoryIfNeeded() -> getMaxmemoryState()       [here]
 *       C_ERR and the command is CMD_DENYOOM ("m": SET, INCR...)
 *       or queued inside MULTI -> "-OOM command not allowed when used
 *       memory > 'maxmemory'.\r\n"
 *     CONFIG SET maxmemory (config.c) -> freeMemoryIfNeededAndSafe()
 *
 * What flows in: zmalloc_used_memory() (every byte minired allocated
 * through zmalloc: keys, values, client structs, query and reply buffers)
 * and server.maxmemory. What flows out: C_OK ("under the limit, or no
 * limit") or C_ERR ("over it and nothing could be freed").
 *
 * With maxmemory 0 (the default) nothing here runs: processCommand() tests
 * server.maxmemory first.
 *
 * @par Redis 5.0:
 * evict.c (5.0.14) also implements the seven eviction policies
 * (volatile-lru/lfu/random/ttl, allkeys-lru/lfu/random) with the LRU/LFU
 * clock, the 16-entry eviction pool and the sampling of maxmemory-samples
 * keys; freeMemoryIfNeeded() deletes keys until it is under the limit.
 * minired implements only noeviction (Redis 5.0's default): there
 * freeMemoryIfNeeded() measures and never deletes. CONFIG SET and the
 * config file refuse the other policies with a message naming noeviction
 * (config.c), so no configuration silently behaves differently.
 */

#include "server.h"

/**
 * @brief Bytes of used memory that do not count against maxmemory.
 *
 * Buffers that exist because of persistence and replication must not push
 * the server into evicting (or refusing writes): a replica that reads
 * slowly would otherwise make its master delete keys, whose DELs go to
 * that replica's buffer, which grows... So they are subtracted.
 *
 * @return 0: minired has neither of the two things Redis subtracts.
 *
 * Called by: getMaxmemoryState().
 *
 * @par Redis 5.0:
 * freeMemoryGetNotCountedMemory() in evict.c (5.0.14) adds up the output
 * buffers of every replica (getClientOutputBufferMemoryUsage() over
 * server.slaves) and, with AOF on, sdsalloc(server.aof_buf) plus the AOF
 * rewrite buffer. minired has no replicas and no AOF, so every byte
 * zmalloc counts is counted, client output buffers included (as in Redis,
 * for normal and pub/sub clients).
 */
size_t freeMemoryGetNotCountedMemory(void) {
    return 0;
}

/**
 * @brief Compare used memory with maxmemory.
 *
 * With maxmemory 100mb and 120 MB used: C_ERR, *logical = 120 MB,
 * *tofree = 20 MB. Used memory is zmalloc_used_memory() minus
 * freeMemoryGetNotCountedMemory(); the subtraction is skipped (and C_OK
 * returned at once) when even the raw figure is under the limit.
 *
 * @param total   Out (may be NULL): zmalloc_used_memory(), uncorrected.
 * @param logical Out (may be NULL): the corrected figure; set only when
 *                C_ERR is returned.
 * @param tofree  Out (may be NULL): bytes over the limit; set only on C_ERR.
 * @param level   Out (may be NULL): corrected used memory / maxmemory
 *                (0 without a limit).
 * @return C_OK when under the limit or without one, C_ERR when over it.
 *
 * Called by: freeMemoryIfNeeded().
 *
 * @par Redis 5.0:
 * getMaxmemoryState() in evict.c (5.0.14), the same steps in the same
 * order. Its other caller there, the LFU/defrag code via INFO, does not
 * exist in minired.
 */
int getMaxmemoryState(size_t *total, size_t *logical, size_t *tofree,
                      float *level) {
    size_t mem_reported, mem_used, mem_tofree, overhead;
    int return_ok_asap;

    mem_reported = zmalloc_used_memory();
    if (total) *total = mem_reported;

    /* Under the limit on the raw figure: no need to compute what does not
     * count, unless the caller wants the ratio. */
    return_ok_asap = !server.maxmemory || mem_reported <= server.maxmemory;
    if (return_ok_asap && !level) return C_OK;

    mem_used = mem_reported;
    overhead = freeMemoryGetNotCountedMemory();
    mem_used = (mem_used > overhead) ? mem_used - overhead : 0;

    if (level)
        *level = server.maxmemory ?
                 (float)mem_used / (float)server.maxmemory : 0;

    if (return_ok_asap) return C_OK;
    if (mem_used <= server.maxmemory) return C_OK;

    mem_tofree = mem_used - server.maxmemory;
    if (logical) *logical = mem_used;
    if (tofree) *tofree = mem_tofree;
    return C_ERR;
}

/**
 * @brief Bring used memory under maxmemory if the policy allows it.
 *
 * With noeviction, the only policy minired has, nothing may be freed: the
 * answer is simply whether the server is over the limit.
 *
 * @return C_OK when under the limit (or no limit), C_ERR when over it.
 *
 * Called by: freeMemoryIfNeededAndSafe().
 *
 * @par Redis 5.0:
 * freeMemoryIfNeeded() in evict.c (5.0.14) first returns C_OK on a
 * replica with replica-ignore-maxmemory and while clients are paused
 * (CLIENT PAUSE), then calls getMaxmemoryState(); with noeviction it
 * jumps to "cant_free", which (without lazy freeing in progress) returns
 * C_ERR. With another policy it deletes keys chosen by the policy until
 * enough is freed. minired has no replicas, no CLIENT PAUSE, no lazy free
 * and refuses other policies in config.c.
 */
int freeMemoryIfNeeded(void) {
    size_t mem_reported, mem_tofree;

    if (getMaxmemoryState(&mem_reported, NULL, &mem_tofree, NULL) == C_OK)
        return C_OK;
    /* Over the limit. noeviction forbids freeing anything: the caller
     * refuses the commands that would make it worse. */
    serverAssert(server.maxmemory_policy == MAXMEMORY_NO_EVICTION);
    return C_ERR;
}

/**
 * @brief freeMemoryIfNeeded(), unless this is a moment when evicting
 *        would be unsafe.
 *
 * @return What freeMemoryIfNeeded() returns.
 *
 * Called by: processCommand() (server.c) when maxmemory is set;
 * configSetCommand() (config.c) after CONFIG SET maxmemory.
 *
 * @par Redis 5.0:
 * freeMemoryIfNeededAndSafe() in evict.c (5.0.14) returns C_OK without
 * looking while a Lua script is over its time limit (server.lua_timedout)
 * or while the dataset is loading (server.loading). minired has neither
 * state, so this is a plain call, kept so that the callers read as in
 * Redis.
 */
int freeMemoryIfNeededAndSafe(void) {
    return freeMemoryIfNeeded();
}
