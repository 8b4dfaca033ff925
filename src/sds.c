/**
 * @file sds.c
 * @brief Simple Dynamic Strings: creation, growth, editing, splitting.
 *
 * Where it sits: the byte container of the whole pipeline. readQueryFromClient()
 * grows client->querybuf with sdsMakeRoomFor() and read(2)s into the spare
 * room; the protocol parser cuts argv[] out of it with sdsnewlen(); the
 * inline parser ("SET k v\r\n" typed into telnet) calls sdssplitargs();
 * replies and logs are built with sdscatfmt()/sdscatrepr().
 * In: bytes and lengths. Out: sds pointers (see sds.h for the memory layout).
 *
 * Growth policy (the reason appends are amortised O(1)): when a string must
 * grow to N bytes and N < 1 MB, allocate 2*N; past 1 MB, allocate N + 1 MB.
 * A querybuf receiving a 100 KB value therefore reallocates a handful of
 * times, not once per read(2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <assert.h>
#include <limits.h>

#include "sds.h"
#include "zmalloc.h"

/** Sentinel address: sdsnewlen(SDS_NOINIT, n) skips zeroing the n bytes. */
const char *SDS_NOINIT = "SDS_NOINIT";

/* ------------------------- Header bookkeeping ------------------------- */

/**
 * @brief Size in bytes of the header for a given type.
 * @param type One of SDS_TYPE_5 .. SDS_TYPE_64.
 * @return 1, 3, 5, 9 or 17.
 *
 * Called by: sdsnewlen(), sdsMakeRoomFor(), sdsfree() and friends to find
 * the start of the malloc'ed block from the string pointer.
 */
static inline int sdsHdrSize(char type) {
    switch(type&SDS_TYPE_MASK) {
        case SDS_TYPE_5:
            return sizeof(struct sdshdr5);
        case SDS_TYPE_8:
            return sizeof(struct sdshdr8);
        case SDS_TYPE_16:
            return sizeof(struct sdshdr16);
        case SDS_TYPE_32:
            return sizeof(struct sdshdr32);
        case SDS_TYPE_64:
            return sizeof(struct sdshdr64);
    }
    return 0;
}

/**
 * @brief Smallest header type whose len/alloc fields can hold @p string_size.
 * @param string_size Length (or capacity) to be stored.
 * @return SDS_TYPE_5 for < 32, SDS_TYPE_8 for < 256, SDS_TYPE_16 for
 *         < 65536, SDS_TYPE_32 for < 4 GB, else SDS_TYPE_64.
 *
 * Called by: sdsnewlen(), sdsMakeRoomFor(), sdsRemoveFreeSpace().
 */
static inline char sdsReqType(size_t string_size) {
    if (string_size < 1<<5)
        return SDS_TYPE_5;
    if (string_size < 1<<8)
        return SDS_TYPE_8;
    if (string_size < 1<<16)
        return SDS_TYPE_16;
#if (LONG_MAX == LLONG_MAX)
    if (string_size < 1ll<<32)
        return SDS_TYPE_32;
    return SDS_TYPE_64;
#else
    return SDS_TYPE_32;
#endif
}

/* ------------------------- Creation and release ------------------------- */

/* ANCHOR: sds-new */
/**
 * @brief Create a string holding @p initlen bytes copied from @p init.
 * @param init Bytes to copy; NULL gives @p initlen zero bytes; SDS_NOINIT
 *             leaves them uninitialised (the caller fills them at once).
 * @param initlen Number of bytes.
 * @return The new string; always '\0'-terminated at s[initlen].
 *
 * sdsnewlen("SET", 3) picks sdshdr5 (3 < 32) and allocates 1+3+1 = 5 bytes.
 * Called by: the protocol parser for each argv[] bulk ("$3\r\nSET\r\n" gives
 * sdsnewlen(querybuf+pos, 3)), sdsnew(), sdsempty(), sdsdup().
 */
sds sdsnewlen(const void *init, size_t initlen) {
    void *sh;
    sds s;
    char type = sdsReqType(initlen);
    /* An empty string is almost always created to be appended to; sdshdr5
     * cannot record spare room, so start at sdshdr8 instead. */
    if (type == SDS_TYPE_5 && initlen == 0) type = SDS_TYPE_8;
    int hdrlen = sdsHdrSize(type);
    unsigned char *fp; /* flags pointer. */

    /* A length near SIZE_MAX would wrap hdrlen+initlen+1 to a tiny size
     * and memcpy would run past the block. Redis 5.0.14's sdsnewlen() has
     * the same check (so had every 5.0 release). */
    assert(hdrlen + initlen + 1 > initlen);
    sh = zmalloc(hdrlen+initlen+1);
    if (init == NULL) memset(sh, 0, hdrlen+initlen+1);
    if (init == SDS_NOINIT) init = NULL; /* caller will fill the bytes */
    s = (char*)sh+hdrlen;

    /* The flags byte must be written first: the accessors below read it to
     * know which header layout sits in front of s. */
    fp = ((unsigned char*)s)-1;
    *fp = type;
    sdssetlen(s, initlen);      /* sdshdr5: stored in the flags' top bits */
    sdssetalloc(s, initlen);    /* sdshdr5: no field, silently skipped */

    if (initlen && init)
        memcpy(s, init, initlen);
    s[initlen] = '\0';
    return s;
}
/* ANCHOR_END: sds-new */

/**
 * @brief Create an empty ("") string.
 * @return A zero-length sds with an sdshdr8 header.
 *
 * Called by: createClient() for querybuf, sdscatfmt() callers building
 * replies from scratch.
 */
sds sdsempty(void) {
    return sdsnewlen("",0);
}

/**
 * @brief Create a string from a NUL-terminated C string.
 * @param init C string, or NULL for "".
 * @return The new string.
 *
 * Called by: code turning literals or config values into sds.
 */
sds sdsnew(const char *init) {
    size_t initlen = (init == NULL) ? 0 : strlen(init);
    return sdsnewlen(init, initlen);
}

/**
 * @brief Copy an sds (binary-safe: uses sdslen, not strlen).
 * @param s String to copy.
 * @return A new, independent string.
 *
 * Called by: dict keyDup callbacks, object duplication.
 */
sds sdsdup(const sds s) {
    return sdsnewlen(s, sdslen(s));
}

/**
 * @brief Free an sds string.
 * @param s String to free; NULL is ignored.
 *
 * The malloc'ed block starts at the header, not at s, hence s[-1] is read
 * to find how far back to go.
 * Called by: freeClient() for querybuf, argv cleanup, dict key destructors.
 */
void sdsfree(sds s) {
    if (s == NULL) return;
    zfree((char*)s-sdsHdrSize(s[-1]));
}

/**
 * @brief Recompute the length with strlen(), after raw C-string edits.
 * @param s String whose bytes were changed behind sds's back.
 *
 * Example: s = "foobar"; s[2] = '\0'; sdsupdatelen(s) makes sdslen 2.
 * Called by: code that used a C library function to truncate the buffer.
 */
void sdsupdatelen(sds s) {
    size_t reallen = strlen(s);
    sdssetlen(s, reallen);
}

/**
 * @brief Make the string empty but keep its allocation for reuse.
 * @param s String to clear.
 *
 * Called by: resetReusableQueryBuf() and processMultibulkBuffer()
 * (networking.c), getAllClientsInfoString() (client_cmd.c),
 * configGetOutputBufferLimit() (config.c): code that refills the same buffer.
 */
void sdsclear(sds s) {
    sdssetlen(s, 0);
    s[0] = '\0';
}

/* ------------------------- Growth ------------------------- */

/* ANCHOR: sds-make-room-for */
/**
 * @brief Ensure at least @p addlen bytes are free after the current end.
 * @param s The string (may be moved: always use the returned pointer).
 * @param addlen Bytes the caller is about to append.
 * @return The string, possibly reallocated; its length is unchanged.
 *
 * Greedy policy: the new capacity is 2*(len+addlen) while that sum is
 * below SDS_MAX_PREALLOC (1 MB), else len+addlen+1 MB. If the capacity
 * outgrows the header (a 200-byte string growing to 400 needs 16-bit
 * fields), the string is moved behind a wider header.
 * Called by: sdscatlen(), sdscpylen(), sdsgrowzero(), and
 * readQueryFromClient() before read(2)ing into sdsavail() space.
 */
sds sdsMakeRoomFor(sds s, size_t addlen) {
    void *sh, *newsh;
    size_t avail = sdsavail(s);
    size_t len, newlen, reqlen;
    char type, oldtype = s[-1] & SDS_TYPE_MASK;
    int hdrlen;

    /* Enough room already: the common case for a querybuf between reads. */
    if (avail >= addlen) return s;

    len = sdslen(s);
    sh = (char*)s-sdsHdrSize(oldtype);
    reqlen = newlen = (len+addlen);
    /* Redis 5.0.14's sdsMakeRoomFor() size_t overflow checks: a huge
     * addlen (a proto-max-bulk-len configured near SIZE_MAX) must abort,
     * not wrap to a small allocation that the caller then writes addlen
     * bytes into. This one is old; the second, below, compared with len
     * until 5.0.14 made it compare with reqlen, the size asked for
     * (CVE-2021-41099: len + a wrapped newlen could still pass). */
    assert(newlen > len);
    if (newlen < SDS_MAX_PREALLOC)
        newlen *= 2;
    else
        newlen += SDS_MAX_PREALLOC;

    type = sdsReqType(newlen);

    /* sdshdr5 cannot remember spare room, and spare room is exactly what
     * the caller asked for: use sdshdr8 at least. */
    if (type == SDS_TYPE_5) type = SDS_TYPE_8;

    hdrlen = sdsHdrSize(type);
    assert(hdrlen + newlen + 1 > reqlen);
    if (oldtype==type) {
        newsh = zrealloc(sh, hdrlen+newlen+1);
        s = (char*)newsh+hdrlen;
    } else {
        /* The header size changes, so the bytes must shift: realloc cannot
         * help, a fresh block plus memcpy is as cheap. */
        newsh = zmalloc(hdrlen+newlen+1);
        memcpy((char*)newsh+hdrlen, s, len+1);
        zfree(sh);
        s = (char*)newsh+hdrlen;
        s[-1] = type;
        sdssetlen(s, len);
    }
    sdssetalloc(s, newlen);
    return s;
}
/* ANCHOR_END: sds-make-room-for */

/**
 * @brief Shrink the allocation to exactly the current length.
 * @param s The string (may be moved).
 * @return The string with sdsavail() == 0.
 *
 * Called by: code that keeps a string for a long time after building it
 * (e.g. a querybuf that peaked at 1 MB and is now idle).
 */
sds sdsRemoveFreeSpace(sds s) {
    void *sh, *newsh;
    char type, oldtype = s[-1] & SDS_TYPE_MASK;
    int hdrlen, oldhdrlen = sdsHdrSize(oldtype);
    size_t len = sdslen(s);
    size_t avail = sdsavail(s);
    sh = (char*)s-oldhdrlen;

    if (avail == 0) return s;

    type = sdsReqType(len);
    hdrlen = sdsHdrSize(type);

    /* Keep the old header if it is already the right one, or if the
     * smaller header would only save a few bytes on a >255-byte string:
     * realloc in place is cheaper than a copy. */
    if (oldtype==type || type > SDS_TYPE_8) {
        newsh = zrealloc(sh, oldhdrlen+len+1);
        s = (char*)newsh+oldhdrlen;
    } else {
        newsh = zmalloc(hdrlen+len+1);
        memcpy((char*)newsh+hdrlen, s, len+1);
        zfree(sh);
        s = (char*)newsh+hdrlen;
        s[-1] = type;
        sdssetlen(s, len);
    }
    sdssetalloc(s, len);
    return s;
}

/**
 * @brief Total bytes of the block behind @p s: header + capacity + '\0'.
 * @param s The string.
 * @return Allocation size as sds sees it (allocator rounding not included).
 *
 * Called by: memory accounting (client query buffer size in CLIENT LIST).
 */
size_t sdsAllocSize(sds s) {
    size_t alloc = sdsalloc(s);
    return sdsHdrSize(s[-1])+alloc+1;
}

/**
 * @brief Start of the malloc'ed block (the header), for zmalloc_size().
 * @param s The string.
 * @return Pointer to the header.
 *
 * Called by: memory accounting code.
 */
void *sdsAllocPtr(const sds s) {
    return (void*) (s-sdsHdrSize(s[-1]));
}

/**
 * @brief Move the end of the string after writing into its spare room.
 * @param s The string.
 * @param incr Bytes written (positive) or bytes to drop from the end
 *             (negative); asserts that the result stays within alloc.
 *
 * The pattern it completes (this is how querybuf is filled):
 *     qb = sdsMakeRoomFor(qb, 16384);
 *     nread = read(fd, qb+sdslen(qb), 16384);
 *     sdsIncrLen(qb, nread);
 * Called by: readQueryFromClient().
 */
void sdsIncrLen(sds s, ssize_t incr) {
    size_t len = sdslen(s);

    if (incr >= 0) {
        /* Growing past alloc would mean read(2) wrote beyond the block.
         * sdshdr5 has no spare room, but its 5-bit length caps it at 31. */
        if ((s[-1] & SDS_TYPE_MASK) == SDS_TYPE_5)
            assert(len + (size_t)incr < 32);
        else
            assert(sdsavail(s) >= (size_t)incr);
        len += (size_t)incr;
    } else {
        assert(len >= (size_t)(-incr));
        len -= (size_t)(-incr);
    }
    sdssetlen(s, len);
    s[len] = '\0';
}

/**
 * @brief Extend the string to @p len bytes, filling the new part with zeros.
 * @param s The string.
 * @param len Wanted length; if not larger than sdslen(s), nothing happens.
 * @return The (possibly moved) string.
 *
 * Called by: SETRANGE/SETBIT-style code that writes past the end.
 */
sds sdsgrowzero(sds s, size_t len) {
    size_t curlen = sdslen(s);

    if (len <= curlen) return s;
    s = sdsMakeRoomFor(s,len-curlen);

    /* Zero the new bytes and the terminator after them. */
    memset(s+curlen,0,(len-curlen+1));
    sdssetlen(s, len);
    return s;
}

/* ------------------------- Appending and copying ------------------------- */

/**
 * @brief Append @p len bytes from @p t (binary-safe).
 * @param s The string.
 * @param t Bytes to append.
 * @param len How many.
 * @return The (possibly moved) string.
 *
 * Called by: sdscat(), sdscatsds(), sdscatrepr() and every builder in this
 * file; appendCommand() (t_string.c), getAllClientsInfoString()
 * (client_cmd.c), config.c, debug.c, the scenario engine.
 */
sds sdscatlen(sds s, const void *t, size_t len) {
    size_t curlen = sdslen(s);

    s = sdsMakeRoomFor(s,len);
    memcpy(s+curlen, t, len);
    sdssetlen(s, curlen+len);
    s[curlen+len] = '\0';
    return s;
}

/**
 * @brief Append a NUL-terminated C string.
 * @param s The string.
 * @param t C string to append.
 * @return The (possibly moved) string.
 *
 * Called by: log and reply builders.
 */
sds sdscat(sds s, const char *t) {
    return sdscatlen(s, t, strlen(t));
}

/**
 * @brief Append another sds (binary-safe).
 * @param s The string.
 * @param t sds to append.
 * @return The (possibly moved) string.
 *
 * Called by: reply builders, sdsjoinsds().
 */
sds sdscatsds(sds s, const sds t) {
    return sdscatlen(s, t, sdslen(t));
}

/**
 * @brief Replace the content of @p s with @p len bytes from @p t.
 * @param s The string.
 * @param t Bytes to copy.
 * @param len How many.
 * @return The (possibly moved) string.
 *
 * Called by: sdscpy(), code reusing one buffer for successive values.
 */
sds sdscpylen(sds s, const char *t, size_t len) {
    if (sdsalloc(s) < len) {
        s = sdsMakeRoomFor(s,len-sdslen(s));
    }
    memcpy(s, t, len);
    s[len] = '\0';
    sdssetlen(s, len);
    return s;
}

/**
 * @brief Replace the content of @p s with the C string @p t.
 * @param s The string.
 * @param t C string.
 * @return The (possibly moved) string.
 *
 * Called by: configuration code.
 */
sds sdscpy(sds s, const char *t) {
    return sdscpylen(s, t, strlen(t));
}

/* ------------------------- Numbers to text ------------------------- */

/**
 * @brief Write @p value in decimal into @p s (at least SDS_LLSTR_SIZE bytes).
 * @param s Output buffer.
 * @param value Number to print.
 * @return Number of characters written, not counting the '\0'.
 *
 * Digits are produced least-significant first, then reversed; the
 * magnitude is taken as unsigned so that LLONG_MIN (whose negation does
 * not fit in a long long) prints as "-9223372036854775808".
 * Called by: sdsfromlonglong(), sdscatfmt("%I").
 */
int sdsll2str(char *s, long long value) {
    char *p, aux;
    unsigned long long v;
    size_t l;

    v = (value < 0) ? -(unsigned long long)value : (unsigned long long)value;
    p = s;
    do {
        *p++ = '0'+(v%10);
        v /= 10;
    } while(v);
    if (value < 0) *p++ = '-';

    l = p-s;
    *p = '\0';

    /* Reverse in place: "321-" becomes "-123". */
    p--;
    while(s < p) {
        aux = *s;
        *s = *p;
        *p = aux;
        s++;
        p--;
    }
    return l;
}

/**
 * @brief Unsigned version of sdsll2str().
 * @param s Output buffer (at least SDS_LLSTR_SIZE bytes).
 * @param v Number to print.
 * @return Number of characters written, not counting the '\0'.
 *
 * Called by: sdscatfmt("%u", "%U").
 */
int sdsull2str(char *s, unsigned long long v) {
    char *p, aux;
    size_t l;

    p = s;
    do {
        *p++ = '0'+(v%10);
        v /= 10;
    } while(v);

    l = p-s;
    *p = '\0';

    p--;
    while(s < p) {
        aux = *s;
        *s = *p;
        *p = aux;
        s++;
        p--;
    }
    return l;
}

/**
 * @brief Create a string holding the decimal text of @p value.
 * @param value Number.
 * @return e.g. sdsfromlonglong(-42) is "-42".
 *
 * Called by: INCR-style commands, integer-encoded object decoding.
 */
sds sdsfromlonglong(long long value) {
    char buf[SDS_LLSTR_SIZE];
    int len = sdsll2str(buf,value);

    return sdsnewlen(buf,len);
}

/* ------------------------- Formatted output ------------------------- */

/**
 * @brief Append printf-style formatted text (va_list form).
 * @param s The string.
 * @param fmt printf format.
 * @param ap Arguments.
 * @return The (possibly moved) string.
 *
 * We ask vsnprintf() for the exact size first, then format straight into
 * the string's spare room, so there is no temporary buffer.
 * Called by: sdscatprintf(), serverLog-style helpers.
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's sdscatvprintf() (sds.c):
 * Redis formats into a 1 KB stack buffer, doubling a heap buffer until the
 * output fits, then sdscat()s it. Same result.
 */
sds sdscatvprintf(sds s, const char *fmt, va_list ap) {
    va_list cpy;
    int needed;
    size_t curlen = sdslen(s);

    va_copy(cpy, ap);
    needed = vsnprintf(NULL, 0, fmt, cpy);
    va_end(cpy);
    if (needed <= 0) return s; /* Nothing to add, or a format error. */

    s = sdsMakeRoomFor(s, needed);
    va_copy(cpy, ap);
    vsnprintf(s+curlen, needed+1, fmt, cpy);
    va_end(cpy);
    sdssetlen(s, curlen+needed);
    return s;
}

/**
 * @brief Append printf-style formatted text.
 * @param s The string.
 * @param fmt printf format, e.g. "-ERR unknown command '%s'".
 * @param ... Arguments.
 * @return The (possibly moved) string.
 *
 * Called by: error reply builders, INFO.
 */
sds sdscatprintf(sds s, const char *fmt, ...) {
    va_list ap;

    va_start(ap, fmt);
    s = sdscatvprintf(s,fmt,ap);
    va_end(ap);
    return s;
}

/**
 * @brief Append formatted text with a small, fast subset of printf.
 * @param s The string.
 * @param fmt Format. %s C string, %S sds, %i int, %I long long,
 *            %u unsigned int, %U unsigned long long, %% a '%'. Any other
 *            character after '%' is copied as is ("%x" gives "x").
 * @param ... Arguments matching the verbs.
 * @return The (possibly moved) string.
 *
 * Much faster than sdscatprintf() because it never parses widths or
 * precisions; the reply path uses it for headers like "*3\r\n".
 * Called by: reply builders, CLIENT LIST, logging.
 */
sds sdscatfmt(sds s, char const *fmt, ...) {
    const char *f = fmt;
    va_list ap;

    va_start(ap,fmt);
    while(*f) {
        char next, *str;
        size_t l;
        long long num;
        unsigned long long unum;
        char buf[SDS_LLSTR_SIZE];

        if (*f != '%') {
            s = sdscatlen(s, f, 1);
            f++;
            continue;
        }
        next = *(f+1);
        if (next == '\0') {
            /* A lone trailing '%' is copied as is. */
            s = sdscatlen(s, f, 1);
            f++;
            continue;
        }
        f += 2;
        switch(next) {
        case 's':
        case 'S':
            str = va_arg(ap,char*);
            l = (next == 's') ? strlen(str) : sdslen(str);
            s = sdscatlen(s, str, l);
            break;
        case 'i':
        case 'I':
            if (next == 'i')
                num = va_arg(ap,int);
            else
                num = va_arg(ap,long long);
            l = sdsll2str(buf,num);
            s = sdscatlen(s, buf, l);
            break;
        case 'u':
        case 'U':
            if (next == 'u')
                unum = va_arg(ap,unsigned int);
            else
                unum = va_arg(ap,unsigned long long);
            l = sdsull2str(buf,unum);
            s = sdscatlen(s, buf, l);
            break;
        default: /* "%%" and unknown verbs: the character itself. */
            s = sdscatlen(s, &next, 1);
            break;
        }
    }
    va_end(ap);
    return s;
}

/* ------------------------- Editing in place ------------------------- */

/**
 * @brief Remove from both ends every character that appears in @p cset.
 * @param s The string (edited in place).
 * @param cset Characters to strip, e.g. " \r\n".
 * @return @p s (never moved).
 *
 * sdstrim("  xx  ", " ") gives "xx".
 * Called by: config file parsing, the inline protocol path.
 */
sds sdstrim(sds s, const char *cset) {
    char *start, *end, *sp, *ep;
    size_t len;

    sp = start = s;
    ep = end = s+sdslen(s)-1;
    while(sp <= end && strchr(cset, *sp)) sp++;
    while(ep > sp && strchr(cset, *ep)) ep--;
    len = (sp > ep) ? 0 : ((ep-sp)+1);
    if (s != sp) memmove(s, sp, len);
    s[len] = '\0';
    sdssetlen(s,len);
    return s;
}

/* ANCHOR: sds-range */
/**
 * @brief Keep only bytes start..end (inclusive), like GETRANGE.
 * @param s The string (edited in place).
 * @param start First index; negative counts from the end (-1 = last).
 * @param end Last index, inclusive; negative counts from the end.
 *
 * On "Hello World": (1,-1) gives "ello World", (0,0) gives "H",
 * (-5,-1) gives "World", (5,2) gives "". Out-of-range indexes are clamped.
 * Called by: the protocol parser after it consumed qb_pos bytes
 * (sdsrange(c->querybuf, c->qb_pos, -1)).
 */
void sdsrange(sds s, ssize_t start, ssize_t end) {
    size_t newlen, len = sdslen(s);

    if (len == 0) return;
    if (start < 0) {
        start = len+start;
        if (start < 0) start = 0;
    }
    if (end < 0) {
        end = len+end;
        if (end < 0) end = 0;
    }
    newlen = (start > end) ? 0 : (end-start)+1;
    if (newlen != 0) {
        if (start >= (ssize_t)len) {
            newlen = 0;
        } else if (end >= (ssize_t)len) {
            end = len-1;
            newlen = (start > end) ? 0 : (end-start)+1;
        }
    } else {
        start = 0;
    }
    if (start && newlen) memmove(s, s+start, newlen);
    s[newlen] = 0;
    sdssetlen(s,newlen);
}
/* ANCHOR_END: sds-range */

/**
 * @brief Lowercase every byte in place.
 * @param s The string.
 *
 * Called by: command lookup paths that normalise names.
 */
void sdstolower(sds s) {
    size_t len = sdslen(s), j;

    for (j = 0; j < len; j++) s[j] = tolower((unsigned char)s[j]);
}

/**
 * @brief Uppercase every byte in place.
 * @param s The string.
 *
 * Called by: code printing command names.
 */
void sdstoupper(sds s) {
    size_t len = sdslen(s), j;

    for (j = 0; j < len; j++) s[j] = toupper((unsigned char)s[j]);
}

/**
 * @brief Compare two strings with memcmp(), then by length.
 * @param s1 First string.
 * @param s2 Second string.
 * @return < 0, 0 or > 0; "abc" < "abcd" because it is a prefix.
 *
 * Called by: dict keyCompare callbacks, sorted structures.
 */
int sdscmp(const sds s1, const sds s2) {
    size_t l1, l2, minlen;
    int cmp;

    l1 = sdslen(s1);
    l2 = sdslen(s2);
    minlen = (l1 < l2) ? l1 : l2;
    cmp = memcmp(s1,s2,minlen);
    if (cmp == 0) return l1>l2? 1: (l1<l2? -1: 0);
    return cmp;
}

/**
 * @brief Replace every s[i] found in @p from with the matching byte of @p to.
 * @param s The string.
 * @param from Characters to look for.
 * @param to Replacements, position by position.
 * @param setlen Length of @p from and @p to.
 * @return @p s.
 *
 * sdsmapchars(s, "\r\n", "  ", 2) turns CR/LF into spaces, as CLIENT LIST
 * and MONITOR-style output do for single-line fields.
 * Called by: log/list formatting code.
 */
sds sdsmapchars(sds s, const char *from, const char *to, size_t setlen) {
    size_t j, i, l = sdslen(s);

    for (j = 0; j < l; j++) {
        for (i = 0; i < setlen; i++) {
            if (s[j] == from[i]) {
                s[j] = to[i];
                break;
            }
        }
    }
    return s;
}

/* ------------------------- Splitting and joining ------------------------- */

/**
 * @brief Split @p s on the separator @p sep (may be several bytes).
 * @param s Bytes to split.
 * @param len Length of @p s.
 * @param sep Separator bytes.
 * @param seplen Separator length, >= 1.
 * @param count Out: number of tokens.
 * @return Array of @p count new strings (free with sdsfreesplitres()), or
 *         NULL if seplen < 1 or len < 0. "a,,b" on "," gives "a","","b";
 *         "" gives 0 tokens.
 *
 * Called by: config parsing, tests.
 */
sds *sdssplitlen(const char *s, ssize_t len, const char *sep, int seplen, int *count) {
    int elements = 0, slots = 5;
    long start = 0, j;
    sds *tokens;

    if (seplen < 1 || len < 0) return NULL;

    tokens = zmalloc(sizeof(sds)*slots);
    if (len == 0) {
        *count = 0;
        return tokens;
    }
    for (j = 0; j < (len-(seplen-1)); j++) {
        /* Keep room for this token and the final one after the loop. */
        if (slots < elements+2) {
            slots *= 2;
            tokens = zrealloc(tokens,sizeof(sds)*slots);
        }
        if ((seplen == 1 && *(s+j) == sep[0]) || (memcmp(s+j,sep,seplen) == 0)) {
            tokens[elements] = sdsnewlen(s+start,j-start);
            elements++;
            start = j+seplen;
            j = j+seplen-1; /* The loop's j++ steps past the separator. */
        }
    }
    /* Whatever follows the last separator is the final token. */
    tokens[elements] = sdsnewlen(s+start,len-start);
    elements++;
    *count = elements;
    return tokens;
}

/**
 * @brief Free the result of sdssplitlen() or sdssplitargs().
 * @param tokens The array; NULL is ignored.
 * @param count Number of tokens in it.
 *
 * Called by: users of sdssplitlen()/sdssplitargs().
 */
void sdsfreesplitres(sds *tokens, int count) {
    if (!tokens) return;
    while(count--)
        sdsfree(tokens[count]);
    zfree(tokens);
}

/* ANCHOR: sds-catrepr */
/**
 * @brief Append a quoted, escaped copy of @p p, safe to print on one line.
 * @param s The string to append to.
 * @param p Bytes to show.
 * @param len How many.
 * @return The (possibly moved) string.
 *
 * The bytes "a\r\n\x01" become the 14 characters "\"a\\r\\n\\x01\"" when
 * printed. Printable bytes are copied; the rest is escaped like this:
 * @verbatim
     byte                    printed as
     backslash               \\
     double quote            \"
     LF, CR, TAB, BEL, BS    \n, \r, \t, \a, \b
     other non-printable     \xHH (two lowercase hex digits)
   @endverbatim
 * Called by: MONITOR, CLIENT LIST, and logging of protocol errors.
 */
sds sdscatrepr(sds s, const char *p, size_t len) {
    s = sdscatlen(s,"\"",1);
    while(len--) {
        switch(*p) {
        case '\\':
        case '"':
            s = sdscatprintf(s,"\\%c",*p);
            break;
        case '\n': s = sdscatlen(s,"\\n",2); break;
        case '\r': s = sdscatlen(s,"\\r",2); break;
        case '\t': s = sdscatlen(s,"\\t",2); break;
        case '\a': s = sdscatlen(s,"\\a",2); break;
        case '\b': s = sdscatlen(s,"\\b",2); break;
        default:
            if (isprint((unsigned char)*p))
                s = sdscatprintf(s,"%c",*p);
            else
                s = sdscatprintf(s,"\\x%02x",(unsigned char)*p);
            break;
        }
        p++;
    }
    return sdscatlen(s,"\"",1);
}
/* ANCHOR_END: sds-catrepr */

/**
 * @brief Is @p c a hexadecimal digit (0-9, a-f, A-F)?
 * @param c Character to test.
 * @return 1 if it is, else 0.
 *
 * Called by: sdssplitargs() to recognise "\x41".
 */
static int is_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/**
 * @brief Value of one hexadecimal digit.
 * @param c A character accepted by is_hex_digit().
 * @return 0..15 (0 for anything else).
 *
 * Called by: sdssplitargs().
 */
static int hex_digit_to_int(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
}

/* ANCHOR: sds-splitargs */
/**
 * @brief Read one argument for sdssplitargs(), following the quoting rules.
 * @param pp In: points at the first byte of the argument (not a blank).
 *        Out: points just past it (at a blank or the terminating NUL).
 * @return The argument as a new sds, or NULL on unbalanced quotes.
 *
 * A small state machine: PLAIN until a quote opens, then DQUOTE or SQUOTE
 * until it closes, then back to PLAIN. So foo"bar baz" is one argument.
 * Called by: sdssplitargs().
 */
static sds sdsSplitArgsWord(const char **pp) {
    enum { PLAIN, DQUOTE, SQUOTE } state = PLAIN;
    const char *p = *pp;
    sds cur = sdsempty();

    while (1) {
        char c = *p;

        if (state == PLAIN) {
            /* Only these four blanks (and the NUL) end a bare word:
             * "a\vb" stays one argument, exactly as in Redis. */
            if (c == '\0' || c == ' ' || c == '\n' || c == '\r' || c == '\t')
                break;
            if (c == '"')
                state = DQUOTE;
            else if (c == '\'')
                state = SQUOTE;
            else
                cur = sdscatlen(cur, &c, 1);
            p++;
            continue;
        }

        /* Inside quotes, the end of the line means they never closed:
         * "SET k \"v" -> unbalanced. */
        if (c == '\0') goto err;

        if (state == DQUOTE) {
            if (c == '\\' && p[1] == 'x' &&
                is_hex_digit(p[2]) && is_hex_digit(p[3]))
            {
                /* "\x41" is 4 source bytes for 1 output byte 'A'. */
                unsigned char byte = hex_digit_to_int(p[2])*16 +
                                     hex_digit_to_int(p[3]);
                cur = sdscatlen(cur, (char*)&byte, 1);
                p += 4;
            } else if (c == '\\' && p[1] != '\0') {
                char e;

                switch (p[1]) {
                case 'n': e = '\n'; break;
                case 'r': e = '\r'; break;
                case 't': e = '\t'; break;
                case 'b': e = '\b'; break;
                case 'a': e = '\a'; break;
                default:  e = p[1]; break; /* "\"" -> '"', "\\" -> '\\' */
                }
                cur = sdscatlen(cur, &e, 1);
                p += 2;
            } else if (c == '"') {
                /* "\"foo\"bar": a word glued to the closing quote is
                 * refused rather than guessed at. */
                if (p[1] != '\0' && !isspace((unsigned char)p[1])) goto err;
                p++;
                break;
            } else {
                cur = sdscatlen(cur, &c, 1);
                p++;
            }
        } else { /* SQUOTE: only \' is special */
            if (c == '\\' && p[1] == '\'') {
                cur = sdscatlen(cur, "'", 1);
                p += 2;
            } else if (c == '\'') {
                if (p[1] != '\0' && !isspace((unsigned char)p[1])) goto err;
                p++;
                break;
            } else {
                cur = sdscatlen(cur, &c, 1);
                p++;
            }
        }
    }
    *pp = p;
    return cur;

err:
    sdsfree(cur);
    return NULL;
}

/**
 * @brief Split a command line into arguments, shell style.
 * @param line NUL-terminated line, e.g. "SET key \"hello world\"".
 * @param argc Out: number of arguments.
 * @return Array of new strings (free with sdsfreesplitres()), or NULL if
 *         the quotes are unbalanced. An empty or all-blank line gives a
 *         non-NULL array with *argc == 0.
 *
 * Rules, byte for byte as Redis applies them to inline commands:
 * - Arguments are separated by blanks (isspace()).
 * - "double quotes" understand "\xHH" (two hex digits, "\x41" is "A"),
 *   "\n", "\r", "\t", "\b", "\a", and backslash before any other byte
 *   means that byte ("\"" is a quote, "\\" a backslash).
 * - 'single quotes' understand only "\'" ("'a\'b'" is a'b); every other
 *   byte, backslashes included, is literal.
 * - A closing quote must be followed by a blank or the end of the line:
 *   "\"foo\"bar" is an error (NULL), which the inline parser reports as
 *   "-ERR Protocol error: unbalanced quotes in request".
 * - A quote opening in the middle of a word continues the word:
 *   foo"bar baz" is the single argument "foobar baz".
 * Called by: processInlineBuffer() for telnet-style commands.
 */
sds *sdssplitargs(const char *line, int *argc) {
    const char *p = line;
    int slots = 4;
    sds *vector = zmalloc(sizeof(sds)*slots);

    *argc = 0;
    while (1) {
        sds word;

        /* Blanks between arguments: any isspace() byte, "\v" included. */
        while (*p && isspace((unsigned char)*p)) p++;
        if (*p == '\0') return vector; /* may hold 0 arguments, never NULL */

        if ((word = sdsSplitArgsWord(&p)) == NULL) {
            sdsfreesplitres(vector, *argc);
            *argc = 0;
            return NULL;
        }
        if (*argc == slots) {
            slots *= 2;
            vector = zrealloc(vector, sizeof(sds)*slots);
        }
        vector[(*argc)++] = word;
    }
}
/* ANCHOR_END: sds-splitargs */

/**
 * @brief Join C strings with a separator.
 * @param argv Strings to join.
 * @param argc How many.
 * @param sep Separator C string.
 * @return A new string: sdsjoin({"a","b","c"}, 3, ",") is "a,b,c".
 *
 * Called by: logging and debugging helpers.
 */
sds sdsjoin(char **argv, int argc, char *sep) {
    sds join = sdsempty();
    int j;

    for (j = 0; j < argc; j++) {
        join = sdscat(join, argv[j]);
        if (j != argc-1) join = sdscat(join,sep);
    }
    return join;
}

/**
 * @brief Join sds strings with a binary-safe separator.
 * @param argv Strings to join.
 * @param argc How many.
 * @param sep Separator bytes.
 * @param seplen Separator length.
 * @return A new string.
 *
 * Called by: logging and debugging helpers.
 */
sds sdsjoinsds(sds *argv, int argc, const char *sep, size_t seplen) {
    sds join = sdsempty();
    int j;

    for (j = 0; j < argc; j++) {
        join = sdscatsds(join, argv[j]);
        if (j != argc-1) join = sdscatlen(join,sep,seplen);
    }
    return join;
}
