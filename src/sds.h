/**
 * @file sds.h
 * @brief Simple Dynamic Strings: binary-safe, length-prefixed C strings.
 *
 * Where it sits: everywhere bytes are held. A client's querybuf is an sds
 * that read(2) appends to; every argv[] argument parsed out of
 * "*3\r\n$3\r\nSET\r\n..." becomes an sds; keys in the keyspace dict are
 * sds. In: raw bytes (may contain '\0'). Out: a `char *` that can be passed
 * to printf() like any C string, but whose length is known in O(1).
 *
 * The layout, for the 5-byte string "hello" held in an sdshdr8:
 *
 *     [len=5][alloc=5][flags=1]['h''e''l''l''o']['\0']
 *                               ^
 *                               sds pointer points here
 *
 * The byte just before the string (s[-1]) is always the flags byte; its low
 * 3 bits say which header type precedes it, so the header can be found
 * from the string pointer alone. Small strings use small headers: a 200-byte
 * string pays 3 header bytes (sdshdr8), not 17 (sdshdr64).
 */
#ifndef __SDS_H
#define __SDS_H

/** Above 1 MB of wanted length, sdsMakeRoomFor() stops doubling and adds 1 MB. */
#define SDS_MAX_PREALLOC (1024*1024)
/** Pass as @c init to sdsnewlen() to leave the bytes uninitialised. */
extern const char *SDS_NOINIT;

#include <sys/types.h>
#include <stdarg.h>
#include <stdint.h>

/** An sds is a plain char pointer to the first byte of the string. */
typedef char *sds;

/**
 * @brief Header for strings shorter than 32 bytes with no spare room.
 *
 * Never used for strings that may grow: it has no alloc field, so the
 * length (0..31) lives in the upper 5 bits of the flags byte.
 */
struct __attribute__ ((__packed__)) sdshdr5 {
    unsigned char flags; /**< 3 low bits: type; 5 high bits: length. */
    char buf[];          /**< The string bytes, then '\0'. */
};
/** @brief Header for strings whose length and alloc fit in 8 bits (< 256). */
struct __attribute__ ((__packed__)) sdshdr8 {
    uint8_t len;         /**< Bytes used, excluding the '\0'. */
    uint8_t alloc;       /**< Bytes available, excluding header and '\0'. */
    unsigned char flags; /**< 3 low bits: type (SDS_TYPE_8); 5 unused. */
    char buf[];          /**< The string bytes, then '\0'. */
};
/** @brief Header for strings whose length and alloc fit in 16 bits (< 65536). */
struct __attribute__ ((__packed__)) sdshdr16 {
    uint16_t len;        /**< Bytes used, excluding the '\0'. */
    uint16_t alloc;      /**< Bytes available, excluding header and '\0'. */
    unsigned char flags; /**< 3 low bits: type (SDS_TYPE_16); 5 unused. */
    char buf[];          /**< The string bytes, then '\0'. */
};
/** @brief Header for strings whose length and alloc fit in 32 bits. */
struct __attribute__ ((__packed__)) sdshdr32 {
    uint32_t len;        /**< Bytes used, excluding the '\0'. */
    uint32_t alloc;      /**< Bytes available, excluding header and '\0'. */
    unsigned char flags; /**< 3 low bits: type (SDS_TYPE_32); 5 unused. */
    char buf[];          /**< The string bytes, then '\0'. */
};
/** @brief Header for strings of 4 GB and more. */
struct __attribute__ ((__packed__)) sdshdr64 {
    uint64_t len;        /**< Bytes used, excluding the '\0'. */
    uint64_t alloc;      /**< Bytes available, excluding header and '\0'. */
    unsigned char flags; /**< 3 low bits: type (SDS_TYPE_64); 5 unused. */
    char buf[];          /**< The string bytes, then '\0'. */
};

#define SDS_TYPE_5  0   /**< flags value for struct sdshdr5. */
#define SDS_TYPE_8  1   /**< flags value for struct sdshdr8. */
#define SDS_TYPE_16 2   /**< flags value for struct sdshdr16. */
#define SDS_TYPE_32 3   /**< flags value for struct sdshdr32. */
#define SDS_TYPE_64 4   /**< flags value for struct sdshdr64. */
#define SDS_TYPE_MASK 7 /**< Mask selecting the type bits of the flags byte. */
#define SDS_TYPE_BITS 3 /**< Number of type bits; sdshdr5 keeps its length above them. */
/**
 * @brief Declare `sh`, a pointer to the header of @p s of width @p T.
 * @param T Header width: 8, 16, 32 or 64.
 * @param s The sds string.
 */
#define SDS_HDR_VAR(T,s) struct sdshdr##T *sh = (void*)((s)-(sizeof(struct sdshdr##T)));
/**
 * @brief The header of @p s, given its width @p T.
 * @param T Header width: 8, 16, 32 or 64.
 * @param s The sds string.
 */
#define SDS_HDR(T,s) ((struct sdshdr##T *)((s)-(sizeof(struct sdshdr##T))))
/**
 * @brief Length stored in an sdshdr5 flags byte.
 * @param f The flags byte.
 */
#define SDS_TYPE_5_LEN(f) ((f)>>SDS_TYPE_BITS)

/**
 * @brief Length of @p s in O(1), read from its header.
 * @param s The sds string.
 * @return Bytes used, not counting the terminator.
 *
 * Called by: every caller that would otherwise use strlen(); strlen() would
 * stop at the first '\0' of binary data such as "a\0b".
 */
static inline size_t sdslen(const sds s) {
    unsigned char flags = s[-1];
    switch(flags&SDS_TYPE_MASK) {
        case SDS_TYPE_5:
            return SDS_TYPE_5_LEN(flags);
        case SDS_TYPE_8:
            return SDS_HDR(8,s)->len;
        case SDS_TYPE_16:
            return SDS_HDR(16,s)->len;
        case SDS_TYPE_32:
            return SDS_HDR(32,s)->len;
        case SDS_TYPE_64:
            return SDS_HDR(64,s)->len;
    }
    return 0;
}

/**
 * @brief Spare bytes after the string that can be written without realloc.
 * @param s The sds string.
 * @return alloc - len (always 0 for sdshdr5).
 *
 * Called by: sdsMakeRoomFor(); readQueryFromClient() reads straight into
 * this space at s+sdslen(s).
 */
static inline size_t sdsavail(const sds s) {
    unsigned char flags = s[-1];
    switch(flags&SDS_TYPE_MASK) {
        case SDS_TYPE_5: {
            return 0;
        }
        case SDS_TYPE_8: {
            SDS_HDR_VAR(8,s);
            return sh->alloc - sh->len;
        }
        case SDS_TYPE_16: {
            SDS_HDR_VAR(16,s);
            return sh->alloc - sh->len;
        }
        case SDS_TYPE_32: {
            SDS_HDR_VAR(32,s);
            return sh->alloc - sh->len;
        }
        case SDS_TYPE_64: {
            SDS_HDR_VAR(64,s);
            return sh->alloc - sh->len;
        }
    }
    return 0;
}

/**
 * @brief Overwrite the stored length (does not touch the bytes or the '\0').
 * @param s The sds string.
 * @param newlen New length; must be <= sdsalloc(s).
 *
 * Called by: sdsnewlen(), sdscatlen(), sdsrange() and other mutators.
 */
static inline void sdssetlen(sds s, size_t newlen) {
    unsigned char flags = s[-1];
    switch(flags&SDS_TYPE_MASK) {
        case SDS_TYPE_5:
            {
                unsigned char *fp = ((unsigned char*)s)-1;
                *fp = SDS_TYPE_5 | (newlen << SDS_TYPE_BITS);
            }
            break;
        case SDS_TYPE_8:
            SDS_HDR(8,s)->len = newlen;
            break;
        case SDS_TYPE_16:
            SDS_HDR(16,s)->len = newlen;
            break;
        case SDS_TYPE_32:
            SDS_HDR(32,s)->len = newlen;
            break;
        case SDS_TYPE_64:
            SDS_HDR(64,s)->len = newlen;
            break;
    }
}

/**
 * @brief Add @p inc to the stored length.
 * @param s The sds string.
 * @param inc Bytes to add; the caller already wrote them.
 *
 * Called by: code that writes into sdsavail() space itself.
 */
static inline void sdsinclen(sds s, size_t inc) {
    unsigned char flags = s[-1];
    switch(flags&SDS_TYPE_MASK) {
        case SDS_TYPE_5:
            {
                unsigned char *fp = ((unsigned char*)s)-1;
                unsigned char newlen = SDS_TYPE_5_LEN(flags)+inc;
                *fp = SDS_TYPE_5 | (newlen << SDS_TYPE_BITS);
            }
            break;
        case SDS_TYPE_8:
            SDS_HDR(8,s)->len += inc;
            break;
        case SDS_TYPE_16:
            SDS_HDR(16,s)->len += inc;
            break;
        case SDS_TYPE_32:
            SDS_HDR(32,s)->len += inc;
            break;
        case SDS_TYPE_64:
            SDS_HDR(64,s)->len += inc;
            break;
    }
}

/**
 * @brief Capacity of @p s: sdsavail() + sdslen().
 * @param s The sds string.
 * @return Bytes the buffer can hold, excluding header and terminator.
 *
 * Called by: sdscpylen(), sdsAllocSize(), tests of the growth policy.
 */
static inline size_t sdsalloc(const sds s) {
    unsigned char flags = s[-1];
    switch(flags&SDS_TYPE_MASK) {
        case SDS_TYPE_5:
            return SDS_TYPE_5_LEN(flags);
        case SDS_TYPE_8:
            return SDS_HDR(8,s)->alloc;
        case SDS_TYPE_16:
            return SDS_HDR(16,s)->alloc;
        case SDS_TYPE_32:
            return SDS_HDR(32,s)->alloc;
        case SDS_TYPE_64:
            return SDS_HDR(64,s)->alloc;
    }
    return 0;
}

/**
 * @brief Overwrite the stored capacity.
 * @param s The sds string.
 * @param newlen New capacity; the block must really be that large.
 *
 * Called by: sdsMakeRoomFor(), sdsRemoveFreeSpace().
 */
static inline void sdssetalloc(sds s, size_t newlen) {
    unsigned char flags = s[-1];
    switch(flags&SDS_TYPE_MASK) {
        case SDS_TYPE_5:
            /* sdshdr5 has no alloc field: its capacity is its length. */
            break;
        case SDS_TYPE_8:
            SDS_HDR(8,s)->alloc = newlen;
            break;
        case SDS_TYPE_16:
            SDS_HDR(16,s)->alloc = newlen;
            break;
        case SDS_TYPE_32:
            SDS_HDR(32,s)->alloc = newlen;
            break;
        case SDS_TYPE_64:
            SDS_HDR(64,s)->alloc = newlen;
            break;
    }
}

sds sdsnewlen(const void *init, size_t initlen);
sds sdsnew(const char *init);
sds sdsempty(void);
sds sdsdup(const sds s);
void sdsfree(sds s);
sds sdsgrowzero(sds s, size_t len);
sds sdscatlen(sds s, const void *t, size_t len);
sds sdscat(sds s, const char *t);
sds sdscatsds(sds s, const sds t);
sds sdscpylen(sds s, const char *t, size_t len);
sds sdscpy(sds s, const char *t);

sds sdscatvprintf(sds s, const char *fmt, va_list ap);
#ifdef __GNUC__
sds sdscatprintf(sds s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#else
sds sdscatprintf(sds s, const char *fmt, ...);
#endif

sds sdscatfmt(sds s, char const *fmt, ...);
sds sdstrim(sds s, const char *cset);
void sdsrange(sds s, ssize_t start, ssize_t end);
void sdsupdatelen(sds s);
void sdsclear(sds s);
int sdscmp(const sds s1, const sds s2);
sds *sdssplitlen(const char *s, ssize_t len, const char *sep, int seplen, int *count);
void sdsfreesplitres(sds *tokens, int count);
void sdstolower(sds s);
void sdstoupper(sds s);
sds sdsfromlonglong(long long value);
int sdsll2str(char *s, long long value);
int sdsull2str(char *s, unsigned long long v);
sds sdscatrepr(sds s, const char *p, size_t len);
sds *sdssplitargs(const char *line, int *argc);
sds sdsmapchars(sds s, const char *from, const char *to, size_t setlen);
sds sdsjoin(char **argv, int argc, char *sep);
sds sdsjoinsds(sds *argv, int argc, const char *sep, size_t seplen);

/* Low level functions exposed to the user API */
sds sdsMakeRoomFor(sds s, size_t addlen);
void sdsIncrLen(sds s, ssize_t incr);
sds sdsRemoveFreeSpace(sds s);
size_t sdsAllocSize(sds s);
void *sdsAllocPtr(const sds s);

/** Buffer size able to hold any long long in decimal plus '\0' (21). */
#define SDS_LLSTR_SIZE 21

#endif /* __SDS_H */
