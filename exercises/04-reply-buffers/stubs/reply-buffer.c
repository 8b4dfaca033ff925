    /* TODO (lab 4, exercises/04-reply-buffers/README.md): offer the LEN
     * bytes at S to the static buffer c->buf (PROTO_REPLY_CHUNK_BYTES,
     * 16,384 bytes), all or nothing. c->bufpos counts the bytes it holds;
     * `available`, above, is what is left (16,384 - bufpos). In this order:
     *
     * 1. c->flags has CLIENT_CLOSE_AFTER_REPLY: the client is closing, its
     *    next bytes would never be read. Drop these: trace
     *    traceEvent(c, "reply-closing", "len=%z", len) and return C_OK
     *    (C_OK means "done": the caller must not try the list either).
     * 2. c->reply holds at least one node (listLength): refuse, even when
     *    c->buf has room. The writer sends c->buf first and the list
     *    after it, so bytes put in c->buf now would overtake older ones.
     *    traceEvent(c, "buf-refuse", "why=%s len=%z avail=%z", "list",
     *    len, available) and return C_ERR (the caller then calls
     *    _addReplyStringToList with the same bytes).
     * 3. More than `available` bytes: the same "buf-refuse" step with
     *    "full" instead of "list", return C_ERR. Exactly `available` bytes
     *    do fit: c->buf may end up holding 16,384 bytes.
     * 4. Copy them to c->buf + c->bufpos, add len to bufpos, and
     *    traceEvent(c, "buf-append", "data=%b", s, len). C_OK (below).
     *
     * Until then this stub refuses everything: every reply goes to the
     * list (the stub there gives each fragment its own block), c->buf is
     * never used. The replies are right; the buffers are not. */
    (void)available;
    (void)s;
    return C_ERR;
