/**
 * @file siphash.c
 * @brief SipHash-2-4, written from Aumasson & Bernstein's paper
 *        ("SipHash: a fast short-input PRF", 2012).
 *
 * Where it sits: under dict.c. dictGenHashFunction() hashes every key
 * ("mykey" from "SET mykey v") with it, using a 16-byte secret seed chosen
 * at startup. In: bytes and a 128-bit key. Out: a 64-bit hash.
 *
 * Why a keyed hash: with a fixed, public hash an attacker can send
 * thousands of keys that land in one bucket and turn every lookup into a
 * list walk (hash flooding). With a secret seed, nobody can predict the
 * buckets.
 *
 * The algorithm, as the paper describes it: four 64-bit state words are
 * initialised from the key XOR four constants (the ASCII of
 * "somepseudorandomlygeneratedbytes"); each 8-byte little-endian message
 * word m is XORed into v3, mixed by 2 SipRounds ("2" of 2-4), then XORed
 * into v0. The last word carries the remaining bytes plus the message
 * length mod 256 in its top byte. Finalisation XORs 0xff into v2, runs 4
 * SipRounds ("4" of 2-4) and returns v0^v1^v2^v3.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <endian.h>
#include <ctype.h>

#include "dict.h"

/**
 * @brief Rotate a 64-bit word left.
 * @param x Word.
 * @param b Bits, 1..63.
 * @return The rotated word.
 *
 * Called by: sipround().
 */
static inline uint64_t rotl64(uint64_t x, int b) {
    return (x << b) | (x >> (64 - b));
}

/**
 * @brief Read 8 bytes as a little-endian 64-bit word (any alignment).
 * @param p First byte.
 * @return The word; bytes "\x01\0\0\0\0\0\0\0" give 1.
 *
 * Called by: sip_hash_impl().
 */
static inline uint64_t load_le64(const uint8_t *p) {
    uint64_t v;

    /* memcpy, not a cast: p may be unaligned. On a little-endian CPU this
     * is one 8-byte load; le64toh is a no-op there. */
    memcpy(&v, p, sizeof(v));
    return le64toh(v);
}

/**
 * @brief One SipRound: the add-rotate-xor network from the paper.
 * @param v The four state words, updated in place.
 *
 * Called by: sip_hash_impl().
 */
static inline void sipround(uint64_t v[4]) {
    v[0] += v[1]; v[1] = rotl64(v[1], 13); v[1] ^= v[0]; v[0] = rotl64(v[0], 32);
    v[2] += v[3]; v[3] = rotl64(v[3], 16); v[3] ^= v[2];
    v[0] += v[3]; v[3] = rotl64(v[3], 21); v[3] ^= v[0];
    v[2] += v[1]; v[1] = rotl64(v[1], 17); v[1] ^= v[2]; v[2] = rotl64(v[2], 32);
}

/**
 * @brief Byte transformation applied before hashing.
 * @param c Input byte.
 * @param nocase Non-zero to fold ASCII letters to lowercase.
 * @return The byte to hash.
 *
 * Called by: sip_hash_impl().
 */
static inline uint8_t sip_fold(uint8_t c, int nocase) {
    return nocase ? (uint8_t)tolower(c) : c;
}

/**
 * @brief SipHash-2-4 over @p inlen bytes, optionally case-folded.
 * @param in Message.
 * @param inlen Message length.
 * @param k 16-byte key (two little-endian words k0, k1).
 * @param nocase Non-zero: hash tolower() of each byte.
 * @return The 64-bit hash.
 *
 * Called by: siphash(), siphash_nocase(). Always inlined, so each caller
 * gets a copy with @p nocase constant: siphash() then reads whole words
 * (the key of every dict lookup goes through it) instead of folding byte
 * by byte.
 */
static inline __attribute__((always_inline)) uint64_t sip_hash_impl(const uint8_t *in, size_t inlen,
                              const uint8_t *k, int nocase) {
    uint64_t k0 = load_le64(k), k1 = load_le64(k + 8);
    uint64_t v[4];
    uint64_t m, last;
    size_t full = inlen & ~(size_t)7; /* bytes in complete 8-byte words */
    size_t i;
    uint8_t word[8];
    int j;

    v[0] = k0 ^ 0x736f6d6570736575ULL; /* "somepseu" */
    v[1] = k1 ^ 0x646f72616e646f6dULL; /* "dorandom" */
    v[2] = k0 ^ 0x6c7967656e657261ULL; /* "lygenera" */
    v[3] = k1 ^ 0x7465646279746573ULL; /* "tedbytes" */

    /* Compression: 2 rounds per full word. */
    for (i = 0; i < full; i += 8) {
        if (nocase) {
            for (j = 0; j < 8; j++) word[j] = sip_fold(in[i + j], nocase);
            m = load_le64(word);
        } else {
            m = load_le64(in + i);
        }
        v[3] ^= m;
        sipround(v);
        sipround(v);
        v[0] ^= m;
    }

    /* Last word: 0..7 leftover bytes in the low end, inlen mod 256 in the
     * top byte. A 15-byte message leaves 7 bytes and gets 0x0f << 56. */
    last = (uint64_t)(inlen & 0xff) << 56;
    for (j = 0; (size_t)j < (inlen & 7); j++)
        last |= (uint64_t)sip_fold(in[full + j], nocase) << (8 * j);
    v[3] ^= last;
    sipround(v);
    sipround(v);
    v[0] ^= last;

    /* Finalisation: 4 rounds. */
    v[2] ^= 0xff;
    sipround(v);
    sipround(v);
    sipround(v);
    sipround(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/**
 * @brief SipHash-2-4 of @p in under key @p k.
 * @param in Message bytes.
 * @param inlen Message length.
 * @param k 16-byte key.
 * @return 64-bit hash. With k = 00 01 .. 0f and in = 00 01 .. 0e (15
 *         bytes) the result is 0xa129ca6149be45e5, the paper's test vector.
 *
 * Called by: dictGenHashFunction().
 */
uint64_t siphash(const uint8_t *in, const size_t inlen, const uint8_t *k) {
    return sip_hash_impl(in, inlen, k, 0);
}

/**
 * @brief SipHash-2-4 of the ASCII-lowercased bytes of @p in.
 * @param in Message bytes.
 * @param inlen Message length.
 * @param k 16-byte key.
 * @return 64-bit hash; "GET" and "get" hash the same.
 *
 * Called by: dictGenCaseHashFunction() (the command table is looked up
 * case-insensitively).
 */
uint64_t siphash_nocase(const uint8_t *in, const size_t inlen, const uint8_t *k) {
    return sip_hash_impl(in, inlen, k, 1);
}
