    /* TODO (lab 4, exercises/04-reply-buffers/README.md): append the LEN
     * bytes at S to the list c->reply of clientReplyBlock (server.h: size
     * is the room of buf[], used the bytes in it). In this order:
     *
     * 1. CLIENT_CLOSE_AFTER_REPLY in c->flags: drop them, as in
     *    _addReplyToBuffer (the same "reply-closing" step), and return.
     * 2. The tail: ln = listLast(c->reply) (NULL: empty list); tail =
     *    its value, or NULL. A node whose value is NULL is a deferred
     *    length's placeholder (step 3 of the README): never write into it.
     *    A real tail takes as many of the bytes as its free room
     *    (size - used) holds, maybe all, maybe none: copy them behind its
     *    used bytes, add them to used, and when at least one byte was
     *    copied, trace it: traceEvent(c, "block-fill",
     *    "block=%U data=%b", (unsigned long long)listLength(c->reply) - 1,
     *    s, copied), the tail's index and the bytes that went in.
     *    Then move s past them and take them off len.
     * 3. Bytes left (len > 0): a new block at the tail of the list. Its
     *    size is len, but never less than PROTO_REPLY_CHUNK_BYTES (16 KB),
     *    so the small fragments that follow fill it too. zmalloc the
     *    header plus size bytes, set size and used, copy, listAddNodeTail,
     *    and add the block's SIZE (not used) to c->reply_bytes: the
     *    output buffer limits and CLIENT LIST's omem read it, and
     *    writeToClient subtracts the size when it frees the block.
     *    Trace it AFTER adding it: traceEvent(c, "block-new",
     *    "block=%U size=%z why=%s data=%b", its index (as above), size,
     *    why, s, len), with why = "no-block" (the list was empty),
     *    "placeholder" (the tail node's value is NULL) or "tail-full".
     *
     * Until then this stub gives every fragment a block of exactly its
     * length: the replies are right, but "+PONG\r\n" costs a malloc of
     * its own and the trace shows one block per fragment. */
    (void)ln;
    (void)tail;
    if (len > 0) {
        clientReplyBlock *one = zmalloc(sizeof(*one) + len);

        one->size = len;
        one->used = len;
        memcpy(one->buf, s, len);
        listAddNodeTail(c->reply, one);
        c->reply_bytes += one->size;
    }
