/**
 * @file check_model.c
 * @brief The byte-conservation half of `minired-trace check`: each
 *        client's querybuf and reply stream rebuilt from the bytes the
 *        events carry, and compared with the state every event reports.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server. The trace puts bytes in the event that moves them:
 * "read" (into querybuf), "trim" (cut off its front), "big-arg" (the whole
 * querybuf adopted as an argument), "buf-append", "block-fill",
 * "block-new", "deferred-set" (into the reply), "write" and "writev" (out
 * of it). This
 * file keeps, per client, the bytes those events say are there:
 *
 *   querybuf : read - trimmed - adopted, in order
 *   reply    : c->buf, then one byte string per c->reply block, in LIST
 *              order; sentlen counts into buf while it holds bytes, else
 *              into the head block (Redis's rule).
 *
 * and checks that (1) each write's "data" is exactly the next unsent bytes
 * of that stream, each trim's "data" the front of querybuf; (2) every
 * event's "c" agrees: qlen, bufpos, sentlen and each block's "used". So
 * the rule the brief states -- bytes appended == bytes written + bytes
 * still pending -- holds by construction, and is checked again in
 * numbers when the client is freed or the trace ends.
 *
 * The deferred length of KEYS ("*3\r\n" known only after the keys) is not
 * appended at the end: deferred-set puts it where addDeferredMultiBulkLength
 * left a placeholder, which is why the model keeps list order instead of a
 * single concatenation. With several open placeholders the most recent
 * one is filled first (they nest).
 *
 * What flows in: one client's events. What flows out: 0, or -1 after a
 * violation was printed.
 */

#include "check.h"

#include <stdlib.h>
#include <string.h>

/* ======================== Byte strings ======================== */

/**
 * @brief Make room for @p n more bytes.
 * @param b The string.
 * @param n Bytes about to be added.
 *
 * Called by: bbAppend(), bbPrepend().
 */
static void bbReserve(byteBuf *b, size_t n) {
    if (b->len + n <= b->cap) return;
    while (b->len + n > b->cap) b->cap = b->cap ? b->cap * 2 : 256;
    b->p = realloc(b->p, b->cap);
    if (b->p == NULL) {
        perror("minired-trace check");
        exit(TOOL_EXIT_FAIL);
    }
}

/**
 * @brief Append bytes.
 * @param b The string.
 * @param p The bytes.
 * @param n How many.
 *
 * Called by: modelApply().
 */
static void bbAppend(byteBuf *b, const char *p, size_t n) {
    bbReserve(b, n);
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

/**
 * @brief Insert bytes in front (a deferred length glued before a block's
 *        bytes).
 * @param b The string.
 * @param p The bytes.
 * @param n How many.
 *
 * Called by: applyDeferredSet().
 */
static void bbPrepend(byteBuf *b, const char *p, size_t n) {
    bbReserve(b, n);
    memmove(b->p + n, b->p, b->len);
    memcpy(b->p, p, n);
    b->len += n;
}

/**
 * @brief Drop the first @p n bytes (the querybuf trim).
 * @param b The string.
 * @param n How many (at most b->len).
 *
 * Called by: modelApply().
 */
static void bbCut(byteBuf *b, size_t n) {
    memmove(b->p, b->p + n, b->len - n);
    b->len -= n;
}

/* ======================== Reading fields ======================== */

/**
 * @brief Decode an event's "data" field, or report it as a violation.
 * @param x    Where we are.
 * @param args The event's args.
 * @param rule The rule to name if "data" is missing or not bytes.
 * @param p    Set to the bytes (malloc'ed; free it).
 * @param n    Set to their number.
 * @return 0, or -1 after printing a violation.
 *
 * Called by: modelApply() and its helpers.
 */
static int getData(checkCtx *x, json_t *args, const char *rule, char **p,
                   size_t *n) {
    if (decodeData(json_object_get(args, "data"), p, n) != 0) {
        fprintf(vioStart(x, rule), "\"data\" is missing or holds a code "
                "point above \\u00ff\n");
        return -1;
    }
    return 0;
}

/**
 * @brief Read an integer field that a step must have.
 * @param x    Where we are.
 * @param args The event's args.
 * @param key  The field.
 * @param rule The rule to name if it is missing.
 * @param out  The value.
 * @return 0, or -1 after printing a violation.
 *
 * Called by: modelApply() and its helpers.
 */
static int needInt(checkCtx *x, json_t *args, const char *key,
                   const char *rule, long long *out) {
    if (!jsonInt(args, key, out)) {
        fprintf(vioStart(x, rule), "no integer \"%s\"\n", key);
        return -1;
    }
    return 0;
}

/**
 * @brief Report that some bytes are not the ones expected.
 * @param x      Where we are.
 * @param rule   The rule.
 * @param what   What was compared ("write from buf data").
 * @param got    The event's bytes.
 * @param gotn   How many.
 * @param want   The model's bytes.
 * @param wantn  How many.
 * @return -1, always.
 *
 * Called by: modelApply() and its helpers.
 */
static int bytesDiffer(checkCtx *x, const char *rule, const char *what,
                       const char *got, size_t gotn, const char *want,
                       size_t wantn) {
    FILE *fp = vioStart(x, rule);

    fprintf(fp, "%s does not match: event has \"", what);
    printEscaped(fp, got, gotn, 60);
    fprintf(fp, "\" (%zu bytes), expected \"", gotn);
    printEscaped(fp, want, wantn, 60);
    fprintf(fp, "\" (%zu bytes)\n", wantn);
    return -1;
}

/* ======================== The input side ======================== */

/**
 * @brief "read": the bytes land at the end of querybuf.
 * @param x    Where we are.
 * @param m    The client.
 * @param args The event's args.
 * @return 0, or -1 after a violation.
 *
 * Called by: modelApply().
 */
static int applyRead(checkCtx *x, clientModel *m, json_t *args) {
    long long nread, readlen;
    char *p;
    size_t n;

    if (needInt(x, args, "nread", "read", &nread) ||
        needInt(x, args, "readlen", "read", &readlen) ||
        getData(x, args, "read", &p, &n))
        return -1;
    if ((size_t)nread != n || nread > readlen) {
        fprintf(vioStart(x, "read"), "nread %lld, readlen %lld, \"data\" "
                "has %zu bytes\n", nread, readlen, n);
        free(p);
        return -1;
    }
    bbAppend(&m->qb, p, n);
    m->read += (long long)n;
    free(p);
    return 0;
}

/**
 * @brief "trim": the first n bytes of querybuf are cut. The event's "c" is
 *        the state just AFTER the cut (qb_pos 0, qlen = qlen_before - n);
 *        its args carry the before values (n was qb_pos, qlen_before).
 * @param x    Where we are.
 * @param m    The client.
 * @param args The event's args.
 * @return 0, or -1 after a violation.
 *
 * Called by: modelApply().
 */
static int applyTrim(checkCtx *x, clientModel *m, json_t *args) {
    json_t *c = json_object_get(args, "c");
    long long n, before = -1, qlen = -1;
    char *p;
    size_t dn;
    int rc = 0;

    if (needInt(x, args, "n", "trim", &n) ||
        needInt(x, args, "qlen_before", "trim", &before) ||
        getData(x, args, "trim", &p, &dn))
        return -1;
    jsonInt(c, "qlen", &qlen);
    if ((size_t)n != dn || (size_t)n > m->qb.len || qlen != before - n) {
        fprintf(vioStart(x, "trim"), "n %lld, qlen_before %lld, qlen after "
                "%lld, \"data\" has %zu bytes, querybuf holds %zu\n", n,
                before, qlen, dn, m->qb.len);
        rc = -1;
    } else if ((size_t)before != m->qb.len) {
        fprintf(vioStart(x, "querybuf-conservation"), "qlen_before %lld, "
                "but the reads and trims so far leave %zu bytes\n",
                before, m->qb.len);
        rc = -1;
    } else if (memcmp(p, m->qb.p, dn) != 0) {
        rc = bytesDiffer(x, "trim", "trim data", p, dn, m->qb.p, dn);
    } else {
        bbCut(&m->qb, dn);
        m->trimmed += n;
    }
    free(p);
    return rc;
}

/**
 * @brief "big-arg": querybuf, exactly "<len bytes>\r\n", became the
 *        argument object; the client got a fresh, empty querybuf.
 * @param x    Where we are.
 * @param m    The client.
 * @param args The event's args.
 * @return 0, or -1 after a violation.
 *
 * The adopted bytes (len + 2: the "\r\n" is still in the allocation) are
 * counted in m->adopted, so read == trimmed + adopted + what remains.
 *
 * Called by: modelApply().
 */
static int applyBigArg(checkCtx *x, clientModel *m, json_t *args) {
    long long len;

    if (needInt(x, args, "len", "big-arg", &len)) return -1;
    if (m->qb.len != (size_t)len + 2) {
        fprintf(vioStart(x, "big-arg"), "len %lld, but querybuf holds %zu "
                "bytes (the path adopts exactly len + 2)\n", len, m->qb.len);
        return -1;
    }
    m->adopted += (long long)m->qb.len;
    m->qb.len = 0;
    return 0;
}

/* ======================== The output side ======================== */

/**
 * @brief Add a block (or a placeholder) at the tail of the model's list.
 * @param m           The client.
 * @param p           The bytes (NULL for a placeholder).
 * @param n           How many.
 * @param placeholder 1 for addDeferredMultiBulkLength's NULL node.
 *
 * Called by: applyAppend().
 */
static void pushBlock(clientModel *m, const char *p, size_t n,
                      int placeholder) {
    modelBlock *b;

    if (m->nblocks == m->capblocks) {
        m->capblocks = m->capblocks ? m->capblocks * 2 : 8;
        m->blocks = realloc(m->blocks, m->capblocks * sizeof(modelBlock));
        if (m->blocks == NULL) {
            perror("minired-trace check");
            exit(TOOL_EXIT_FAIL);
        }
    }
    b = &m->blocks[m->nblocks++];
    memset(b, 0, sizeof(*b));
    b->placeholder = placeholder;
    if (n) bbAppend(&b->b, p, n);
}

/**
 * @brief Remove block @p i from the model's list.
 * @param m The client.
 * @param i Its index.
 *
 * Called by: applyWriteSide() (block-sent), applyWritev(),
 * applyDeferredSet().
 */
static void dropBlock(clientModel *m, size_t i) {
    free(m->blocks[i].b.p);
    memmove(&m->blocks[i], &m->blocks[i + 1],
            (m->nblocks - i - 1) * sizeof(modelBlock));
    m->nblocks--;
}

/**
 * @brief "deferred-set": the "*<count>\r\n" goes where the most recent
 *        placeholder is, either glued in front of the next block
 *        ("into":"next-block", the placeholder node is deleted) or as the
 *        placeholder's own new block ("into":"new-block").
 * @param x    Where we are.
 * @param m    The client.
 * @param args The event's args.
 * @param p    The header bytes ("data").
 * @param n    How many.
 * @return 0, or -1 after a violation.
 *
 * Called by: applyAppend().
 */
static int applyDeferredSet(checkCtx *x, clientModel *m, json_t *args,
                            const char *p, size_t n) {
    const char *into = jsonStr(args, "into");
    size_t i = m->nblocks;

    /* ANCHOR: check-model-deferred-set */
    /* Placeholders can only nest (a deferred reply inside another; none
     * of minired's commands does it yet): the innermost, most recent one
     * is filled first, so search from the tail. */
    while (i > 0 && !m->blocks[i - 1].placeholder) i--;
    if (i == 0) {
        fprintf(vioStart(x, "deferred-set"), "no open placeholder in the "
                "reply list (no deferred-add before it)\n");
        return -1;
    }
    i--;
    if (!strcmp(into, "new-block")) {
        m->blocks[i].placeholder = 0;
        bbAppend(&m->blocks[i].b, p, n);
    } else if (!strcmp(into, "next-block")) {
        if (i + 1 >= m->nblocks || m->blocks[i + 1].placeholder) {
            fprintf(vioStart(x, "deferred-set"), "into next-block, but "
                    "block %zu (the placeholder) has no block after it\n", i);
            return -1;
        }
        bbPrepend(&m->blocks[i + 1].b, p, n);
        dropBlock(m, i);
    } else {
        fprintf(vioStart(x, "deferred-set"), "\"into\" is \"%s\", not "
                "next-block or new-block\n", into);
        return -1;
    }
    /* ANCHOR_END: check-model-deferred-set */
    return 0;
}

/**
 * @brief The steps that add reply bytes (or a placeholder): buf-append,
 *        block-fill, block-new, deferred-add, deferred-set.
 * @param x    Where we are.
 * @param m    The client.
 * @param cat  The step.
 * @param args The event's args.
 * @return 0 (also for a step that is none of these), or -1.
 *
 * Called by: modelApply().
 */
static int applyAppend(checkCtx *x, clientModel *m, const char *cat,
                       json_t *args) {
    long long block = -1;
    char *p = NULL;
    size_t n = 0;
    int rc = 0;

    if (!strcmp(cat, "deferred-add")) {
        if (needInt(x, args, "block", cat, &block)) return -1;
        if ((size_t)block != m->nblocks) {
            fprintf(vioStart(x, cat), "block %lld, but the list had %zu "
                    "blocks\n", block, m->nblocks);
            return -1;
        }
        pushBlock(m, NULL, 0, 1);
        return 0;
    }
    if (getData(x, args, cat, &p, &n)) return -1;
    if (!strcmp(cat, "buf-append")) {
        /* Redis's order rule: once a block exists, c->buf takes nothing. */
        if (m->nblocks) {
            fprintf(vioStart(x, cat), "bytes went to buf while the reply "
                    "list has %zu blocks (they would be sent first)\n",
                    m->nblocks);
            rc = -1;
        } else {
            bbAppend(&m->buf, p, n);
        }
    } else if (!strcmp(cat, "block-fill") || !strcmp(cat, "block-new")) {
        int fill = cat[6] == 'f';
        size_t want = fill ? m->nblocks - 1 : m->nblocks;

        if (needInt(x, args, "block", cat, &block)) {
            rc = -1;
        } else if ((fill && (m->nblocks == 0 ||
                             m->blocks[m->nblocks - 1].placeholder)) ||
                   (size_t)block != want) {
            fprintf(vioStart(x, cat), "block %lld, but the list has %zu "
                    "blocks%s\n", block, m->nblocks,
                    fill ? " (only the tail block can be filled)" : "");
            rc = -1;
        } else if (fill) {
            bbAppend(&m->blocks[block].b, p, n);
        } else {
            pushBlock(m, p, n, 0);
        }
    } else {
        rc = applyDeferredSet(x, m, args, p, n);
    }
    if (rc == 0) m->appended += (long long)n;
    free(p);
    return rc;
}

/**
 * @brief "write": the bytes must be the next unsent ones, from c->buf
 *        while it holds bytes, else from the head block.
 * @param x    Where we are.
 * @param m    The client.
 * @param args The event's args.
 * @return 0, or -1 after a violation.
 *
 * Called by: modelApply().
 */
static int applyWrite(checkCtx *x, clientModel *m, json_t *args) {
    const char *from = jsonStr(args, "from");
    long long nwritten, asked;
    byteBuf *src;
    char *p;
    size_t n;
    int rc = 0;

    if (needInt(x, args, "nwritten", "write", &nwritten) ||
        needInt(x, args, "asked", "write", &asked) ||
        getData(x, args, "write", &p, &n))
        return -1;
    if (m->buf.len > 0) {
        src = &m->buf;
        if (strcmp(from, "buf") != 0) {
            fprintf(vioStart(x, "write"), "from \"%s\" while buf still holds "
                    "%zu unsent bytes (bufpos > 0: buf goes first)\n", from,
                    m->buf.len - m->sent);
            free(p);
            return -1;
        }
    } else if (m->nblocks > 0 && !m->blocks[0].placeholder &&
               !strcmp(from, "block")) {
        src = &m->blocks[0].b;
    } else {
        fprintf(vioStart(x, "write"), "from \"%s\", but nothing is pending "
                "there (bufpos 0, %zu blocks)\n", from, m->nblocks);
        free(p);
        return -1;
    }
    /* ANCHOR: check-model-write-match */
    /* With "+OK\r\n:1\r\n" in buf and sentlen 3, a write must carry
     * "\r\n:1..." and asked must be 9 - 3 = 6. */
    if ((size_t)nwritten != n || nwritten > asked || nwritten <= 0) {
        fprintf(vioStart(x, "write"), "nwritten %lld, asked %lld, \"data\" "
                "has %zu bytes\n", nwritten, asked, n);
        rc = -1;
    } else if ((size_t)asked != src->len - m->sent) {
        fprintf(vioStart(x, "write"), "asked %lld, but %zu bytes were unsent "
                "(sentlen %zu)\n", asked, src->len - m->sent, m->sent);
        rc = -1;
    } else if (memcmp(p, src->p + m->sent, n) != 0) {
        rc = bytesDiffer(x, "write", "write data", p, n, src->p + m->sent, n);
    } else {
        m->sent += n;
        m->written += (long long)n;
        /* All of c->buf out: writeToClient resets bufpos and sentlen. A
         * finished block stays until its "block-sent". */
        if (src == &m->buf && m->sent == m->buf.len) {
            m->buf.len = 0;
            m->sent = 0;
        }
    }
    /* ANCHOR_END: check-model-write-match */
    free(p);
    return rc;
}

/**
 * @brief "writev" (option writev-replies): one writev(2) took the next
 *        unsent bytes of c->buf and of the blocks, in order; the blocks
 *        it finished are already freed.
 * @param x    Where we are.
 * @param m    The client.
 * @param args The event's args: iovcnt, asked, nwritten, blocks_sent,
 *             data.
 * @return 0, or -1 after a violation.
 *
 * The pieces are c->buf from sentlen (if it holds bytes), then each block
 * from its first unsent byte: "asked" must be the unsent bytes of the
 * first "iovcnt" of them, "data" the first "nwritten" of those bytes.
 * Then the bytes are spent as _writevToClient() spends them: c->buf
 * emptied (or sentlen grows in it), whole blocks dropped (there must be
 * "blocks_sent" of them), sentlen into the next one.
 *
 * Called by: modelApply().
 */
static int applyWritev(checkCtx *x, clientModel *m, json_t *args) {
    long long nwritten, asked, iovcnt, bsent;
    size_t off = 0, i, k = 0, pieces = 0, unsent = 0, sent = m->sent;
    size_t left, dropped = 0;
    char *p;
    size_t n;
    int rc = 0;

    if (needInt(x, args, "nwritten", "writev", &nwritten) ||
        needInt(x, args, "asked", "writev", &asked) ||
        needInt(x, args, "iovcnt", "writev", &iovcnt) ||
        needInt(x, args, "blocks_sent", "writev", &bsent) ||
        getData(x, args, "writev", &p, &n))
        return -1;
    /* The pieces: buf's unsent bytes, then the blocks from sentlen (the
     * head one, when buf is empty) or 0. */
    if (m->buf.len > 0) {
        unsent += m->buf.len - sent;
        pieces++;
        sent = 0;
    }
    for (i = 0; i < m->nblocks && pieces < (size_t)iovcnt; i++) {
        if (m->blocks[i].placeholder) break;
        if (m->blocks[i].b.len == 0) continue;
        unsent += m->blocks[i].b.len - sent;
        pieces++;
        sent = 0;
    }
    if (iovcnt <= 0 || m->nblocks == 0 || pieces != (size_t)iovcnt ||
        (size_t)asked != unsent) {
        fprintf(vioStart(x, "writev"), "iovcnt %lld, asked %lld, but the "
                "first %zu pieces (buf %zu bytes, %zu blocks) hold %zu "
                "unsent bytes\n", iovcnt, asked, pieces, m->buf.len,
                m->nblocks, unsent);
        free(p);
        return -1;
    }
    if ((size_t)nwritten != n || nwritten > asked || nwritten <= 0) {
        fprintf(vioStart(x, "writev"), "nwritten %lld, asked %lld, \"data\" "
                "has %zu bytes\n", nwritten, asked, n);
        free(p);
        return -1;
    }
    /* Compare and spend: buf first... */
    left = n;
    if (m->buf.len > 0) {
        size_t take = m->buf.len - m->sent;

        if (take > left) take = left;
        if (memcmp(p, m->buf.p + m->sent, take) != 0) {
            rc = bytesDiffer(x, "writev", "writev data (c->buf)", p, take,
                             m->buf.p + m->sent, take);
            free(p);
            return rc;
        }
        off += take;
        left -= take;
        m->sent += take;
        if (m->sent == m->buf.len) {
            m->buf.len = 0;
            m->sent = 0;
        }
    }
    /* ...then the blocks, a finished one dropped at once. */
    while (left > 0 && k < m->nblocks) {
        modelBlock *b = &m->blocks[k];
        size_t take = b->b.len - m->sent;

        if (b->placeholder) break;
        if (take > left) take = left;
        if (memcmp(p + off, b->b.p + m->sent, take) != 0) {
            rc = bytesDiffer(x, "writev", "writev data (a block)", p + off,
                             take, b->b.p + m->sent, take);
            free(p);
            return rc;
        }
        off += take;
        left -= take;
        m->sent += take;
        if (m->sent == b->b.len) {
            dropBlock(m, k);
            m->sent = 0;
            dropped++;
        }
    }
    m->written += (long long)n;
    if (left > 0 || dropped != (size_t)bsent) {
        fprintf(vioStart(x, "writev"), "blocks_sent %lld, but the %lld bytes "
                "written finish %zu blocks\n", bsent, nwritten, dropped);
        rc = -1;
    }
    free(p);
    return rc;
}

/**
 * @brief "block-sent" and "emptied": the head block is freed; nothing is
 *        left to write.
 * @param x   Where we are.
 * @param m   The client.
 * @param cat The step.
 * @return 0 (also for other steps), or -1 after a violation.
 *
 * Called by: modelApply().
 */
static int applyWriteSide(checkCtx *x, clientModel *m, const char *cat) {
    if (!strcmp(cat, "block-sent")) {
        if (m->buf.len || m->nblocks == 0 || m->blocks[0].placeholder ||
            m->sent != m->blocks[0].b.len) {
            fprintf(vioStart(x, cat), "head block freed with sentlen %zu of "
                    "%zu bytes (%zu blocks, buf %zu)\n", m->sent,
                    m->nblocks ? m->blocks[0].b.len : 0, m->nblocks,
                    m->buf.len);
            return -1;
        }
        dropBlock(m, 0);
        m->sent = 0;
    } else if (!strcmp(cat, "emptied")) {
        if (m->buf.len || m->nblocks) {
            fprintf(vioStart(x, cat), "\"emptied\" with %zu bytes in buf and "
                    "%zu blocks still pending\n", m->buf.len - m->sent,
                    m->nblocks);
            return -1;
        }
        m->sent = 0;
    }
    return 0;
}

/* ======================== Entry points ======================== */

/**
 * @brief Apply one client event to the client's model.
 * @param x  Where we are.
 * @param m  The client (m->known is set by its "created" event; a client
 *           whose creation is not in the trace is not modelled).
 * @param ev The event.
 * @return 0, or -1 after printing the violation.
 *
 * Called by: cmdCheck() for every event with a tid.
 */
int modelApply(checkCtx *x, clientModel *m, json_t *ev) {
    const char *cat = jsonStr(ev, "cat");
    json_t *args = evArgs(ev);

    if (!strcmp(cat, "created")) m->known = 1;
    if (!m->known) return 0;
    if (!strcmp(cat, "read")) return applyRead(x, m, args);
    if (!strcmp(cat, "trim")) return applyTrim(x, m, args);
    if (!strcmp(cat, "big-arg")) return applyBigArg(x, m, args);
    if (!strcmp(cat, "write")) return applyWrite(x, m, args);
    if (!strcmp(cat, "writev")) return applyWritev(x, m, args);
    if (!strcmp(cat, "block-sent") || !strcmp(cat, "emptied"))
        return applyWriteSide(x, m, cat);
    if (!strcmp(cat, "buf-append") || !strcmp(cat, "block-fill") ||
        !strcmp(cat, "block-new") || !strcmp(cat, "deferred-add") ||
        !strcmp(cat, "deferred-set"))
        return applyAppend(x, m, cat, args);
    return 0;
}

/**
 * @brief Compare the model with the state an event reports.
 * @param x            Where we are.
 * @param m            The client.
 * @param c            The event's "c".
 * @param querybuf_too 0 to skip the qlen comparison (the viewer, at a
 *                     step whose querybuf it rebuilds itself); check
 *                     passes 1 (a "trim" reports the state after its cut).
 * @return 0, or -1 after printing the violation.
 *
 * Called by: cmdCheck() after modelApply().
 */
int modelMirror(checkCtx *x, clientModel *m, json_t *c, int querybuf_too) {
    json_t *reply = json_object_get(c, "reply");
    long long qlen = -1, bufpos = -1, sentlen = -1;
    size_t j;

    if (!m->known) return 0;
    jsonInt(c, "qlen", &qlen);
    jsonInt(c, "bufpos", &bufpos);
    jsonInt(c, "sentlen", &sentlen);
    if (querybuf_too && (size_t)qlen != m->qb.len) {
        fprintf(vioStart(x, "querybuf-conservation"), "qlen %lld, but the "
                "bytes read (%lld) minus trimmed (%lld) and adopted (%lld) "
                "leave %zu%s\n", qlen, m->read, m->trimmed, m->adopted,
                m->qb.len, (size_t)qlen < m->qb.len ? " (bytes were cut "
                "from querybuf with no \"trim\" event)" : "");
        return -1;
    }
    if ((size_t)bufpos != m->buf.len || (size_t)sentlen != m->sent) {
        fprintf(vioStart(x, "reply-conservation"), "bufpos %lld sentlen %lld, "
                "but the appends and writes so far leave bufpos %zu sentlen "
                "%zu\n", bufpos, sentlen, m->buf.len, m->sent);
        return -1;
    }
    if (json_array_size(reply) != m->nblocks) {
        fprintf(vioStart(x, "reply-conservation"), "\"reply\" has %zu blocks, "
                "but the appends and writes so far leave %zu\n",
                json_array_size(reply), m->nblocks);
        return -1;
    }
    for (j = 0; j < m->nblocks; j++) {
        json_t *b = json_array_get(reply, j);
        long long used = json_integer_value(json_array_get(b, 1));

        if (json_is_null(b) != m->blocks[j].placeholder ||
            (!json_is_null(b) && (size_t)used != m->blocks[j].b.len)) {
            fprintf(vioStart(x, "reply-conservation"), "block %zu: used %lld, "
                    "but %zu bytes were appended to it%s\n", j, used,
                    m->blocks[j].b.len,
                    m->blocks[j].placeholder ? " (a placeholder)" : "");
            return -1;
        }
    }
    return 0;
}

/**
 * @brief The conservation rules in numbers, when a client is freed or the
 *        trace ends: read == trimmed + adopted + remaining, and appended
 *        == written + pending.
 * @param x    Where we are.
 * @param id   The client.
 * @param m    Its model.
 * @param when "at its free" or "at the end of the trace", for the message.
 * @return 0, or -1 after printing the violation.
 *
 * Called by: cmdCheck().
 */
int modelFinish(checkCtx *x, uint64_t id, clientModel *m, const char *when) {
    long long pending = m->buf.len ? (long long)(m->buf.len - m->sent) : 0;
    size_t j;

    if (!m->known) return 0;
    for (j = 0; j < m->nblocks; j++)
        pending += (long long)m->blocks[j].b.len - (j == 0 && !m->buf.len ?
                                                    (long long)m->sent : 0);
    if (m->read != m->trimmed + m->adopted + (long long)m->qb.len) {
        fprintf(vioStart(x, "querybuf-conservation"), "client %llu %s: read "
                "%lld != trimmed %lld + adopted %lld + remaining %zu\n",
                (unsigned long long)id, when, m->read, m->trimmed,
                m->adopted, m->qb.len);
        return -1;
    }
    if (m->appended != m->written + pending) {
        fprintf(vioStart(x, "reply-conservation"), "client %llu %s: appended "
                "%lld != written %lld + pending %lld\n",
                (unsigned long long)id, when, m->appended, m->written,
                pending);
        return -1;
    }
    return 0;
}

/**
 * @brief Release the bytes a model holds (the counters stay).
 * @param p A clientModel.
 *
 * Called by: cmdCheck() at a client's free, ctFree() at the end.
 */
void modelFree(void *p) {
    clientModel *m = p;
    size_t j;

    for (j = 0; j < m->nblocks; j++) free(m->blocks[j].b.p);
    free(m->blocks);
    free(m->qb.p);
    free(m->buf.p);
    m->blocks = NULL;
    m->nblocks = m->capblocks = 0;
    memset(&m->qb, 0, sizeof(m->qb));
    memset(&m->buf, 0, sizeof(m->buf));
    m->sent = 0;
    if (m->prev) json_decref(m->prev); /* check_after.c's last state */
    m->prev = NULL;
}
