/**
 * @file util.c
 * @brief Number conversion, glob matching, size parsing, randomness.
 *
 * Where it sits: the protocol parser converts the length lines of
 * "*3\r\n$3\r\nSET\r\n" with string2ll(), rejecting "*+3" or "$03" exactly
 * like Redis ("-ERR Protocol error: invalid bulk length"). Commands parse
 * numeric arguments with it (INCRBY key 01 is "-ERR value is not an
 * integer or out of range"). Replies print numbers with ll2string()
 * (":42\r\n"). KEYS and SCAN MATCH call stringmatchlen(). In: bytes.
 * Out: numbers, booleans, text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <math.h>
#include <float.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
#include <sys/time.h>

#include "util.h"

/* ---------------------------- Glob matching ---------------------------- */

/**
 * @brief Match one "[...]" character class against one string byte.
 * @param pattern In/out: points just after '['; left on the closing ']'
 *        (or on the last pattern byte if the class is unterminated).
 * @param patternLen In/out: bytes left in the pattern, updated alike.
 * @param c The string byte.
 * @param nocase Non-zero for case-insensitive comparison.
 * @return 1 if @p c is in the class (after '^' negation), else 0.
 *
 * Called by: stringmatchlen().
 */
static int matchCharClass(const char **pattern, int *patternLen, char c,
                          int nocase) {
    const char *p = *pattern;
    int plen = *patternLen;
    int not, match = 0;

    not = plen > 0 && p[0] == '^';
    if (not) {
        p++;
        plen--;
    }
    while(1) {
        if (plen == 0) {
            /* "[abc" with no ']': step back so the caller's final
             * pattern++ consumes the last byte and matching can end. */
            p--;
            plen++;
            break;
        } else if (p[0] == '\\' && plen >= 2) {
            /* "[\]]": backslash makes the next byte literal. */
            p++;
            plen--;
            if (p[0] == c) match = 1;
        } else if (p[0] == ']') {
            break;
        } else if (plen >= 3 && p[1] == '-') {
            /* A range such as "a-z"; "z-a" is accepted as the same. */
            int start = (unsigned char)p[0];
            int end = (unsigned char)p[2];
            int ch = (unsigned char)c;

            if (start > end) {
                int t = start;
                start = end;
                end = t;
            }
            if (nocase) {
                start = tolower(start);
                end = tolower(end);
                ch = tolower(ch);
            }
            p += 2;
            plen -= 2;
            if (ch >= start && ch <= end) match = 1;
        } else {
            if (!nocase) {
                if (p[0] == c) match = 1;
            } else {
                if (tolower((unsigned char)p[0]) == tolower((unsigned char)c))
                    match = 1;
            }
        }
        p++;
        plen--;
    }
    *pattern = p;
    *patternLen = plen;
    return not ? !match : match;
}

/* ANCHOR: util-stringmatch */
/**
 * @brief Glob-style match of @p string against @p pattern (binary-safe).
 * @param pattern Pattern bytes: '*' any run, '?' any one byte, "[a-z]",
 *        "[^x]" classes, '\\' makes the next byte literal.
 * @param patternLen Pattern length.
 * @param string Bytes to test.
 * @param stringLen Their length.
 * @param nocase Non-zero for case-insensitive matching.
 * @return 1 on match, 0 otherwise. "h?llo" matches "hello"; "h*llo"
 *         matches "hllo"; "h[^e]llo" does not match "hello".
 *
 * Faithful quirk: an empty string matches nothing, not even "*" (the main
 * loop needs at least one byte). KEYS * does not care because it skips
 * matching altogether for the pattern "*".
 * Called by: KEYS, SCAN MATCH, stringmatch().
 */
int stringmatchlen(const char *pattern, int patternLen,
        const char *string, int stringLen, int nocase)
{
    while(patternLen && stringLen) {
        switch(pattern[0]) {
        case '*':
            /* "a**b" is the same as "a*b". */
            while (patternLen >= 2 && pattern[1] == '*') {
                pattern++;
                patternLen--;
            }
            if (patternLen == 1)
                return 1; /* trailing '*' matches whatever is left */
            /* Try the rest of the pattern at every suffix of the string. */
            while(stringLen) {
                if (stringmatchlen(pattern+1, patternLen-1,
                            string, stringLen, nocase))
                    return 1;
                string++;
                stringLen--;
            }
            return 0;
        case '?':
            string++;
            stringLen--;
            break;
        case '[':
            pattern++;
            patternLen--;
            if (!matchCharClass(&pattern, &patternLen, string[0], nocase))
                return 0;
            string++;
            stringLen--;
            break;
        case '\\':
            if (patternLen >= 2) {
                pattern++;
                patternLen--;
            }
            /* The escaped byte is compared literally, like any other. */
            /* fall through */
        default:
            if (!nocase) {
                if (pattern[0] != string[0])
                    return 0;
            } else {
                if (tolower((unsigned char)pattern[0]) !=
                    tolower((unsigned char)string[0]))
                    return 0;
            }
            string++;
            stringLen--;
            break;
        }
        pattern++;
        patternLen--;
        if (stringLen == 0) {
            /* String used up: only trailing stars may remain ("abc*"). */
            while(patternLen > 0 && *pattern == '*') {
                pattern++;
                patternLen--;
            }
            break;
        }
    }
    return patternLen == 0 && stringLen == 0;
}
/* ANCHOR_END: util-stringmatch */

/**
 * @brief stringmatchlen() for NUL-terminated pattern and string.
 * @param pattern Glob pattern.
 * @param string String to test.
 * @param nocase Non-zero for case-insensitive matching.
 * @return 1 on match, 0 otherwise.
 *
 * Called by: config and pub/sub code with C strings.
 */
int stringmatch(const char *pattern, const char *string, int nocase) {
    return stringmatchlen(pattern,strlen(pattern),string,strlen(string),nocase);
}

/* ---------------------------- Memory sizes ---------------------------- */

/**
 * @brief Parse a memory size such as "100mb", "1gb", "512k" or "1024".
 * @param p NUL-terminated text: optional '-', digits, optional unit
 *        (b, k=1000, kb=1024, m=1000^2, mb=1024^2, g=1000^3, gb=1024^3,
 *        case-insensitive).
 * @param err If not NULL, set to 1 on a bad unit or number, else 0.
 * @return The number of bytes, or 0 on error (a product that does not
 *         fit a long long is an error too).
 *
 * Note the decimal/binary split: "1k" is 1000 bytes, "1kb" is 1024.
 * Called by: config parsing ("maxmemory 100mb", "client-query-buffer-limit 1gb").
 *
 * @par Redis 5.0:
 * Redis 5.0.14's memtoll() returns val*mul unchecked, a signed overflow
 * for "9223372036854775807mb"; minired reports it as an error instead.
 * No later release checks it either (6.2.0's memtoll(), and 7.0.15's and
 * 8.0-m01's memtoull(), still return val*mul).
 */
long long memtoll(const char *p, int *err) {
    const char *u;
    char buf[128];
    long mul;
    long long val;
    unsigned int digits;
    char *endptr;

    if (err) *err = 0;

    /* The unit starts at the first byte that is not part of the number. */
    u = p;
    if (*u == '-') u++;
    while(*u && isdigit((unsigned char)*u)) u++;
    if (*u == '\0') {
        mul = 1;
    } else {
        static const struct { const char *name; long mul; } units[] = {
            {"b", 1},
            {"k", 1000},       {"kb", 1024},
            {"m", 1000*1000},  {"mb", 1024*1024},
            {"g", 1000L*1000*1000}, {"gb", 1024L*1024*1024},
        };
        size_t j;

        mul = 0;
        for (j = 0; j < sizeof(units)/sizeof(units[0]); j++) {
            if (!strcasecmp(u, units[j].name)) {
                mul = units[j].mul;
                break;
            }
        }
        if (mul == 0) { /* "1tb", "1 mb", "1.5gb": unknown unit */
            if (err) *err = 1;
            return 0;
        }
    }

    /* Convert only the digits, copied out so strtoll() cannot see the unit. */
    digits = u-p;
    if (digits >= sizeof(buf)) {
        if (err) *err = 1;
        return 0;
    }
    memcpy(buf,p,digits);
    buf[digits] = '\0';

    errno = 0;
    val = strtoll(buf,&endptr,10);
    if ((val == 0 && errno == EINVAL) || *endptr != '\0') {
        if (err) *err = 1;
        return 0;
    }
    /* "9223372036854775807mb" does not fit a long long: an error, not a
     * signed overflow (undefined behaviour; found by fuzz/fuzz_config.c,
     * see fuzz/regressions/fuzz_config/). */
    if (__builtin_mul_overflow(val, (long long)mul, &val)) {
        if (err) *err = 1;
        return 0;
    }
    return val;
}

/* ---------------------------- Numbers to text ---------------------------- */

/**
 * @brief Number of decimal digits of @p v.
 * @param v Value.
 * @return 1 for 0..9, 2 for 10..99, ..., 20 for UINT64_MAX.
 *
 * Called by: ll2string(), ull2string(), and reply code that sizes
 * "$<len>\r\n" headers before writing them.
 */
uint32_t digits10(uint64_t v) {
    uint32_t n = 1;

    /* Four digits per step keeps the loop to at most 5 iterations. */
    while (v >= 10000) {
        v /= 10000;
        n += 4;
    }
    if (v >= 1000) return n + 3;
    if (v >= 100) return n + 2;
    if (v >= 10) return n + 1;
    return n;
}

/**
 * @brief Characters needed to print a signed value (digits plus '-').
 * @param v Value.
 * @return digits10(|v|), plus 1 if negative.
 *
 * Called by: reply sizing code.
 */
uint32_t sdigits10(int64_t v) {
    if (v < 0) {
        /* INT64_MIN has no positive twin: its magnitude is LLONG_MAX+1. */
        uint64_t uv = (v != LLONG_MIN) ?
                      (uint64_t)-v : ((uint64_t) LLONG_MAX)+1;
        return digits10(uv)+1;
    }
    return digits10(v);
}

/**
 * @brief Print @p value in decimal into @p dst.
 * @param dst Output buffer.
 * @param dstlen Its size, counting the terminator.
 * @param value Number.
 * @return Characters written (not counting '\0'), or 0 if @p dstlen is
 *         too small (the buffer is then left unterminated; callers pass
 *         LONG_STR_SIZE to never hit this).
 *
 * Called by: reply code (":1000\r\n"), d2string(), object.c (integer
 * encoded strings), config.c (CONFIG GET numbers).
 */
int ll2string(char *dst, size_t dstlen, long long value) {
    unsigned long long v;
    int negative = value < 0;
    uint32_t length;

    /* Work on the magnitude as unsigned: -LLONG_MIN does not fit in a
     * long long, but it does in an unsigned long long. */
    v = negative ? -(unsigned long long)value : (unsigned long long)value;
    length = digits10(v) + negative;
    if (length >= dstlen) return 0;

    dst[length] = '\0';
    /* Fill from the right end: 123 -> '3', '2', '1'. */
    {
        uint32_t next = length;
        do {
            dst[--next] = '0' + (v % 10);
            v /= 10;
        } while (v);
        if (negative) dst[0] = '-';
    }
    return length;
}

/**
 * @brief Print an unsigned value in decimal into @p dst.
 * @param dst Output buffer.
 * @param dstlen Its size, counting the terminator.
 * @param value Number.
 * @return Characters written, or 0 if the buffer is too small.
 *
 * Called by: nothing in minired yet (provided for unsigned counters).
 * @par Redis 5.0:
 * Not in Redis 5.0.14's util.c (nor 6.0.x, 6.2.x: it first appears in
 * 7.0.0's util.c); 5.0.14 formats such counters with ll2string() or
 * printf.
 */
int ull2string(char *dst, size_t dstlen, unsigned long long value) {
    uint32_t length = digits10(value);
    uint32_t next = length;

    if (length >= dstlen) return 0;
    dst[length] = '\0';
    do {
        dst[--next] = '0' + (value % 10);
        value /= 10;
    } while (value);
    return length;
}

/* ---------------------------- Text to numbers ---------------------------- */

/* ANCHOR: util-string2ll */
/**
 * @brief Parse a strictly formatted decimal long long.
 * @param s Bytes (need not be NUL-terminated).
 * @param slen Their number; 0 or more than 20 is rejected at once.
 * @param value Out, may be NULL: the parsed number on success.
 * @return 1 if @p s is exactly a canonical integer, else 0.
 *
 * Canonical means: what ll2string() would print. So "0", "123", "-5" are
 * accepted; " 1", "1 ", "+1", "01", "-0", "", "1.0", "0x10" are not;
 * "9223372036854775807" is the largest and "-9223372036854775808" the
 * smallest value, one past either is rejected as overflow. The strictness
 * is what makes a bulk length line "$03\r\n" a protocol error.
 * Called by: processMultibulkBuffer() for "*<n>" and "$<n>", getLongLongFromObject().
 */
int string2ll(const char *s, size_t slen, long long *value) {
    const char *p = s;
    size_t plen = 0;
    int negative = 0;
    unsigned long long v;

    /* Longer than "-9223372036854775808" (20 chars) cannot fit. */
    if (plen == slen || slen >= LONG_STR_SIZE)
        return 0;

    /* "0" is the only number allowed to start with '0'. */
    if (slen == 1 && p[0] == '0') {
        if (value != NULL) *value = 0;
        return 1;
    }

    if (p[0] == '-') {
        negative = 1;
        p++; plen++;
        /* A lone "-" is not a number. */
        if (plen == slen)
            return 0;
    }

    /* First digit must be 1..9: this rejects leading zeros and "-0". */
    if (p[0] >= '1' && p[0] <= '9') {
        v = p[0]-'0';
        p++; plen++;
    } else {
        return 0;
    }

    /* Accumulate, checking before each step that it cannot wrap. */
    while (plen < slen && p[0] >= '0' && p[0] <= '9') {
        if (v > (ULLONG_MAX / 10))
            return 0;
        v *= 10;
        if (v > (ULLONG_MAX - (p[0]-'0')))
            return 0;
        v += p[0]-'0';
        p++; plen++;
    }

    /* Trailing junk ("12a", "1 ") makes the whole string invalid. */
    if (plen < slen)
        return 0;

    /* Range check: the negative side has one more value than the positive. */
    if (negative) {
        if (v > ((unsigned long long)LLONG_MAX)+1)
            return 0;
        if (value != NULL) *value = (long long)(0ULL - v);
    } else {
        if (v > LLONG_MAX)
            return 0;
        if (value != NULL) *value = v;
    }
    return 1;
}
/* ANCHOR_END: util-string2ll */

/**
 * @brief string2ll() narrowed to long.
 * @param s Bytes.
 * @param slen Their number.
 * @param lval Out, may be NULL: the parsed number.
 * @return 1 on success, 0 if invalid or outside LONG_MIN..LONG_MAX.
 *
 * Called by: code storing counts in a long (e.g. LRANGE indexes).
 */
int string2l(const char *s, size_t slen, long *lval) {
    long long llval;

    if (!string2ll(s,slen,&llval))
        return 0;
    if (llval < LONG_MIN || llval > LONG_MAX)
        return 0;
    if (lval) *lval = (long)llval;
    return 1;
}

/**
 * @brief Print a double the way Redis replies show it.
 * @param buf Output buffer.
 * @param len Its size.
 * @param value Number.
 * @return Characters written.
 *
 * "nan", "inf", "-inf", "-0" are spelled out; integral values within
 * +/-2^52 print as integers ("3" not "3.0000"); anything else uses
 * "%.17g", which is enough digits to read back the exact same double.
 * Called by: nothing in minired yet (kept with ll2string()). In Redis
 * 5.0.14 its caller is the sorted-set code (t_zset.c); INCRBYFLOAT formats
 * with ld2string() through createStringObjectFromLongDouble() and replies
 * with addReplyBulk().
 */
int d2string(char *buf, size_t len, double value) {
    if (isnan(value)) {
        len = snprintf(buf,len,"nan");
    } else if (isinf(value)) {
        if (value < 0)
            len = snprintf(buf,len,"-inf");
        else
            len = snprintf(buf,len,"inf");
    } else if (value == 0) {
        /* 1.0/-0.0 is -inf: the only way to tell -0 from +0. */
        if (1.0/value < 0)
            len = snprintf(buf,len,"-0");
        else
            len = snprintf(buf,len,"0");
    } else {
        /* Within 2^52 every integer is exactly representable, so the
         * long long round trip is exact and the short form is safe. */
        double min = -4503599627370495.0;
        double max = 4503599627370496.0;

        if (value > min && value < max && value == ((double)((long long)value)))
            len = ll2string(buf,len,(long long)value);
        else
            len = snprintf(buf,len,"%.17g",value);
    }
    return len;
}

/* ---------------------------- Randomness ---------------------------- */

/**
 * @brief Fill @p p with @p len random bytes.
 * @param p Output.
 * @param len Number of bytes.
 *
 * Reads /dev/urandom. If it cannot be opened or read (a chroot without
 * /dev), fall back to a xorshift64* generator seeded from the time and the
 * pid: good enough for run ids, not for secrets.
 * Called by: getRandomHexChars() (whose callers are main(), for the dict
 * hash seed, and initServerConfig(), for the run id).
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's getRandomBytes() (util.c):
 * Redis seeds once from /dev/urandom, then produces bytes with SHA1 in
 * counter mode, to avoid one system call per request.
 */
void getRandomBytes(unsigned char *p, size_t len) {
    int fd = open("/dev/urandom", O_RDONLY);
    size_t got = 0;

    if (fd != -1) {
        while (got < len) {
            ssize_t n = read(fd, p + got, len - got);
            if (n <= 0) break;
            got += n;
        }
        close(fd);
    }
    if (got < len) {
        struct timeval tv;
        uint64_t x;

        gettimeofday(&tv, NULL);
        x = ((uint64_t)tv.tv_sec << 20) ^ (uint64_t)tv.tv_usec ^
            ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ULL;
        while (got < len) {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            p[got++] = (unsigned char)((x * 0x2545F4914F6CDD1DULL) >> 56);
        }
    }
}

/**
 * @brief Fill @p p with @p len random lowercase hex characters (not terminated).
 * @param p Output.
 * @param len Number of characters.
 *
 * Called by: the server at startup to make the 40-character run_id.
 */
void getRandomHexChars(char *p, size_t len) {
    const char *charset = "0123456789abcdef";
    size_t j;

    getRandomBytes((unsigned char*)p, len);
    /* Each byte keeps its low 4 bits: one hex digit. */
    for (j = 0; j < len; j++) p[j] = charset[p[j] & 0x0F];
}
