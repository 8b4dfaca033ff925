/**
 * @file clients.c
 * @brief A client id -> record hash table for the per-client counters of
 *        summary, check and export.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Beside the subcommands: an event's tid is the client's id (1, 2, 3...,
 * the values of server.next_client_id), and every subcommand that keeps
 * something per client (bytes read, the reply stream model, the last
 * counter values) looks the record up here. What flows in: ids. What
 * flows out: zero-initialised records, created on first use.
 */

#include "tool.h"

#include <stdlib.h>
#include <string.h>

/**
 * @brief Start an empty table.
 * @param t       The table.
 * @param valsize Size of the record kept per client.
 *
 * Called by: summary, check, export.
 */
void ctInit(clientTable *t, size_t valsize) {
    memset(t, 0, sizeof(*t));
    t->valsize = valsize;
}

/**
 * @brief Home slot of an id: a multiplicative hash, since consecutive ids
 *        would otherwise crowd consecutive slots.
 * @param id  The client id.
 * @param cap The table size (a power of two).
 * @return The slot index to start probing at.
 *
 * Called by: ctGet(), ctGrow().
 */
static size_t ctHome(uint64_t id, size_t cap) {
    return (size_t)((id * 0x9e3779b97f4a7c15ULL) >> 17) & (cap - 1);
}

/**
 * @brief Double the table (or make the first 64 slots) and re-place every
 *        record.
 * @param t The table.
 * @return 0, or -1 when out of memory.
 *
 * Called by: ctGet() when the table is half full.
 */
static int ctGrow(clientTable *t) {
    size_t ncap = t->cap ? t->cap * 2 : 64, i;
    ctSlot *ns = calloc(ncap, sizeof(ctSlot));

    if (ns == NULL) return -1;
    for (i = 0; i < t->cap; i++) {
        size_t h;

        if (t->slots[i].id == 0) continue;
        h = ctHome(t->slots[i].id, ncap);
        while (ns[h].id != 0) h = (h + 1) & (ncap - 1);
        ns[h] = t->slots[i];
    }
    free(t->slots);
    t->slots = ns;
    t->cap = ncap;
    return 0;
}

/**
 * @brief Find a client's record, optionally creating it.
 * @param t      The table.
 * @param id     The client id (must not be 0: tid 0 is the server).
 * @param create 1 to create a zeroed record when absent.
 * @return The record, or NULL (absent and not created, or out of memory).
 *
 * Called by: summary, check, export for every client event.
 */
void *ctGet(clientTable *t, uint64_t id, int create) {
    size_t h;

    if (id == 0) return NULL;
    if (t->cap) {
        h = ctHome(id, t->cap);
        while (t->slots[h].id != 0) {
            if (t->slots[h].id == id) return t->slots[h].val;
            h = (h + 1) & (t->cap - 1);
        }
    }
    if (!create) return NULL;
    /* Keep the table at most half full so probes stay short. */
    if ((t->count + 1) * 2 > t->cap && ctGrow(t) != 0) return NULL;
    h = ctHome(id, t->cap);
    while (t->slots[h].id != 0) h = (h + 1) & (t->cap - 1);
    t->slots[h].val = calloc(1, t->valsize);
    if (t->slots[h].val == NULL) return NULL;
    t->slots[h].id = id;
    t->count++;
    return t->slots[h].val;
}

/**
 * @brief qsort comparator for client ids.
 * @param a Pointer to a uint64_t.
 * @param b Pointer to a uint64_t.
 * @return <0, 0, >0 as for qsort.
 *
 * Called by: ctSortedIds() through qsort().
 */
static int cmpId(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/**
 * @brief Every id in the table, in increasing order, for reports.
 * @param t The table.
 * @return A malloc'ed array of t->count ids (free it), or NULL when empty.
 *
 * Called by: summary and check at the end.
 */
uint64_t *ctSortedIds(clientTable *t) {
    uint64_t *ids;
    size_t i, n = 0;

    if (t->count == 0) return NULL;
    ids = malloc(t->count * sizeof(uint64_t));
    if (ids == NULL) return NULL;
    for (i = 0; i < t->cap; i++)
        if (t->slots[i].id) ids[n++] = t->slots[i].id;
    qsort(ids, n, sizeof(uint64_t), cmpId);
    return ids;
}

/**
 * @brief Free the table and every record.
 * @param t       The table.
 * @param freeval Called on each record before it is freed (for records
 *                that own memory), or NULL.
 *
 * Called by: summary, check, export.
 */
void ctFree(clientTable *t, void (*freeval)(void *)) {
    size_t i;

    for (i = 0; i < t->cap; i++) {
        if (t->slots[i].id == 0) continue;
        if (freeval) freeval(t->slots[i].val);
        free(t->slots[i].val);
    }
    free(t->slots);
    memset(t, 0, sizeof(*t));
}
