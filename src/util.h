/**
 * @file util.h
 * @brief Small helpers: strict number parsing/printing, glob matching,
 *        memory-size parsing, random hex strings.
 *
 * Where it sits: beside the protocol parser and the commands. The parser
 * turns "$3\r\n" and "*3\r\n" into numbers with string2ll(); INCR/EXPIRE
 * parse their arguments with it too; KEYS/SCAN MATCH use stringmatchlen();
 * the config file uses memtoll() for "maxmemory 100mb"; run_id comes from
 * getRandomHexChars().
 */
#ifndef __REDIS_UTIL_H
#define __REDIS_UTIL_H

#include <stddef.h>
#include <stdint.h>

/** Bytes needed to print any long long: 20 characters plus '\0'. */
#define LONG_STR_SIZE 21

int stringmatchlen(const char *pattern, int patternLen,
        const char *string, int stringLen, int nocase);
int stringmatch(const char *pattern, const char *string, int nocase);
long long memtoll(const char *p, int *err);
uint32_t digits10(uint64_t v);
uint32_t sdigits10(int64_t v);
int ll2string(char *s, size_t len, long long value);
int ull2string(char *s, size_t len, unsigned long long value);
int string2ll(const char *s, size_t slen, long long *value);
int string2l(const char *s, size_t slen, long *value);
int d2string(char *buf, size_t len, double value);
void getRandomBytes(unsigned char *p, size_t len);
void getRandomHexChars(char *p, size_t len);

#endif /* __REDIS_UTIL_H */
