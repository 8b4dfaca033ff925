/**
 * @file model_int.h
 * @brief Internals shared by index.c and model.c: the mvTrace struct, the
 *        per-client record, and the cheap line scanners. Not for the UI.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Inside bin/minired-view's model, under model.h. index.c builds what is
 * declared here (the mapping, the line offsets, the client event lists);
 * model.c reads it to parse lines and rebuild buffers, and adds its
 * caches. What flows in: a mapped trace. What flows out: line spans and
 * values read straight from the line text.
 */
#ifndef __MINIRED_VIEW_MODEL_INT_H
#define __MINIRED_VIEW_MODEL_INT_H

#include "model.h"

#include <sys/types.h>
#include <jansson.h>

#include "../trace-tool/check.h"

/** A client's events are checkpointed every this many of its events. */
#define MV_CKPT_EVERY 512
/** Most checkpoints kept (all clients together). */
#define MV_CKPT_MAX 256
/** Most bytes all checkpoints may hold together (64 MB). */
#define MV_CKPT_BYTES (64u << 20)
/** Rebuilt models kept as replay cursors (one per recently viewed client). */
#define MV_CURSORS 8

/** A client's model at one position of its event list. */
typedef struct mvModel {
    uint64_t client;   /**< Whose. */
    size_t pos;        /**< Position in the client's list of the last applied event; MV_NONE = before its first. */
    clientModel m;     /**< The bytes (trace-tool/check_model.c's model). */
    int qb_exact;      /**< 1: querybuf bytes are known exactly. */
    int rp_exact;      /**< 1: reply bytes are known exactly. */
    int app_where;     /**< Where the event at pos appended (MV_WHERE_*). */
    size_t app_off;    /**< First appended byte. */
    size_t app_len;    /**< Bytes appended. */
    char note[256];    /**< First violation met while replaying to pos. */
    unsigned long tick; /**< Last use, for LRU eviction. */
    size_t bytes;      /**< Bytes held (checkpoint budget). */
} mvModel;

/** Everything the index keeps per client. */
typedef struct mvClientRec {
    mvClient pub;      /**< What mvClientAt() shows. */
    uint32_t *steps;   /**< Its steps, increasing (pub.nevents entries). */
    size_t cap;        /**< Entries allocated. */
} mvClientRec;

/** A line skipped as malformed. */
typedef struct mvSkip {
    size_t before;     /**< Steps indexed before it. */
    long lineno;       /**< Its line number. */
} mvSkip;

/** One parsed line in the event cache. */
typedef struct mvCached {
    size_t step;       /**< Which step (MV_NONE: empty slot). */
    json_t *ev;        /**< The parsed line (owned). */
    unsigned long tick; /**< Last use. */
} mvCached;

/** An open trace. */
struct mvTrace {
    char *path;          /**< The file name (owned). */
    int fd;              /**< The open file. */
    char *map;           /**< The mapping (NULL while the file is empty). */
    size_t maplen;       /**< Bytes mapped. */
    uint64_t end;        /**< Offset just after the last indexed whole line. */
    long nextline;       /**< Line number of the line starting at end. */
    int follow;          /**< MV_OPEN_FOLLOW was given. */
    int footer;          /**< The last indexed step is the footer. */
    mvHeader hdr;        /**< Line 1. */
    uint64_t *off;       /**< Line start of each step. */
    size_t n;            /**< Steps indexed. */
    size_t cap;          /**< Entries allocated in off. */
    mvSkip *skips;       /**< Malformed lines skipped, in order. */
    size_t nskips;       /**< Entries in skips. */
    size_t capskips;     /**< Allocated. */
    char *warn[MV_MAX_WARNINGS]; /**< The first warnings' text. */
    size_t nwarn;        /**< Warnings issued (may exceed MV_MAX_WARNINGS). */
    clientTable clients; /**< id -> mvClientRec (id 0: server events). */
    mvClientRec **sorted; /**< Clients by id, for mvClientAt(). */
    size_t nsorted;      /**< Entries in sorted. */
    int sorted_dirty;    /**< sorted must be rebuilt. */
    mvProgressFn progress; /**< Progress callback (may be NULL). */
    void *priv;          /**< Its argument. */
    /* model.c's caches */
    mvCached ecache[MV_EVENT_CACHE]; /**< Parsed lines. */
    mvModel *cursors[MV_CURSORS];    /**< Replay cursors. */
    mvModel *ckpts[MV_CKPT_MAX];     /**< Checkpoints. */
    size_t ckpt_bytes;   /**< Bytes all checkpoints hold. */
    unsigned long tick;  /**< Use counter for the LRU caches. */
};

int mvLineSpan(const mvTrace *t, size_t step, const char **p, size_t *len);
const char *mvScanKey(const char *p, size_t len, const char *key);
int mvScanInt(const char *p, size_t len, const char *key, long long *out);
int mvScanStr(const char *p, size_t len, const char *key, const char **s,
              size_t *slen);
int mvScanReply(const char *p, size_t len, const char **s, size_t *slen);
const char *mvScanState(const char *p, size_t len);
mvClientRec *mvRec(const mvTrace *t, uint64_t id);
size_t mvRecPosAt(const mvClientRec *r, size_t at);
void mvModelFree(mvModel *md);
void mvCachesFree(mvTrace *t);
int mvReport(mvTrace *t, uint64_t done, uint64_t total);
void mvDropPages(mvTrace *t);

#endif /* __MINIRED_VIEW_MODEL_INT_H */
