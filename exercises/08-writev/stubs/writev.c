    /* TODO (lab 8, exercises/08-writev/README.md): send c->buf's unsent
     * bytes and the blocks of c->reply with ONE clientWritev() call, then
     * move bufpos, sentlen and the list past what it took.
     *
     * 1. Gather the pieces into iov[] (iovcnt of them, asked bytes in all):
     *    first c->buf from c->sentlen to c->bufpos, if bufpos > 0; then
     *    each block of c->reply (listRewind/listNext), from its first
     *    unsent byte to o->used. sentlen counts into the head block only
     *    when bufpos is 0; every other block starts at 0.
     *    Stop adding blocks once iovcnt reaches IOV_MAX, or once asked is
     *    NET_MAX_WRITES_PER_EVENT (64 KB) or more.
     *    A block with used 0 is no piece: take its size off reply_bytes
     *    and listDelNode it (listNext has already moved past it).
     *    No piece at all: return C_OK (*nwritten stays 0).
     * 2. *nwritten = clientWritev(c, iov, iovcnt). 0 or -1: return C_ERR
     *    and change nothing (writeToClient looks at errno: EAGAIN).
     * 3. While tracing (traceActive() is true), copy what was sent NOW,
     *    before blocks are freed: shown = writevSentBytes() of iov,
     *    iovcnt and *nwritten.
     * 4. Spend the *nwritten bytes in the order of the pieces: c->buf
     *    (all of it: bufpos = sentlen = 0; part: sentlen grows), then each
     *    whole block (reply_bytes -= o->size, listDelNode the head,
     *    sentlen = 0, blocks_sent++), then part of the next (sentlen).
     * 5. One trace step, then free shown (sdsfree(NULL) is fine):
     *    traceEvent(c, "writev", "iovcnt=%d asked=%z nwritten=%z blocks_sent=%d data=%b",
     *        iovcnt, asked, (size_t)*nwritten, blocks_sent, shown,
     *        shown ? sdslen(shown) : (size_t)0);
     *    and return C_OK.
     * Hints: writeToClient() below does steps 2 and 4 one piece at a
     * time; chapter 9 of the book walks through sentlen and the blocks. */
    (void)iov; (void)iovcnt; (void)blocks_sent; (void)asked; (void)offset;
    (void)left; (void)li; (void)ln; (void)o; (void)shown;
    return C_ERR; /* stub: nothing is sent, the reply stays queued */
