        /* TODO (lab 5, exercises/05-writing/README.md): ONE turn of the
         * write loop. The loop runs while clientHasPendingReplies(c); each
         * turn makes one clientWrite() call (it returns what the kernel
         * took: all, part, or -1 with errno set), then decides whether to
         * go on.
         *
         * 1. c->bufpos > 0: c->buf comes first. Offer the bytes not yet
         *    written: from c->buf + c->sentlen, c->bufpos - c->sentlen of
         *    them. nwritten <= 0: break (the code after the loop sorts out
         *    -1). Otherwise add nwritten to c->sentlen and to totwritten;
         *    when sentlen reaches bufpos, c->buf is empty again: both back
         *    to 0. Then traceEvent(c, "write",
         *    "from=%s asked=%z nwritten=%z data=%b", "buf", asked,
         *    (size_t)nwritten, from, (size_t)nwritten) (after the reset).
         * 2. Otherwise the head block of c->reply:
         *    listNodeValue(listFirst(c->reply)), never NULL (serverAssert).
         *    A block with o->used == 0: subtract o->size from c->reply_bytes,
         *    listDelNode it, continue. Else offer o->buf + c->sentlen,
         *    o->used - c->sentlen bytes; same nwritten/sentlen/totwritten
         *    bookkeeping; the same "write" event with "block" (BEFORE the
         *    block is freed). When sentlen reaches o->used: subtract o->size
         *    from c->reply_bytes, listDelNode the head (the list's free
         *    method frees the block), sentlen back to 0 for the next block,
         *    traceEvent(c, "block-sent"), and an empty list must leave
         *    reply_bytes at exactly 0 (serverAssert it).
         * 3. The cap comes after this turn's write: region write-cap below.
         * Hints: chapter 9 of the book walks scenario 36 write by write. */
        (void)objlen; (void)o; (void)asked;
        /* stub: offers c->buf once, assumes write() took everything and
         * never looks at c->reply. */
        from = c->buf;
        nwritten = clientWrite(c, from, c->bufpos);
        if (nwritten > 0) totwritten = nwritten;
        c->bufpos = 0;
        break;
