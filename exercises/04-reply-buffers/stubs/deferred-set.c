    /* TODO (lab 4, exercises/04-reply-buffers/README.md): put the header
     * lenstr ("*3\r\n", lenstr_len bytes) in the place of the placeholder
     * ln (a node of c->reply whose value is NULL). Two ways, tested in
     * this order:
     *
     * 1. Glue, when ALL of these hold: there is a node after ln
     *    (ln->next), its value `next` is a block (not NULL), next has room
     *    for the header (size - used >= lenstr_len), and next holds less
     *    than PROTO_REPLY_CHUNK_BYTES * 4 (64 KB) bytes (the move below
     *    copies them all). Slide next's used bytes lenstr_len bytes
     *    to the right (they overlap: memmove), copy the header in front,
     *    add lenstr_len to used, delete ln from c->reply (listDelNode),
     *    and traceEvent(c, "deferred-set", "data=%b into=%s", lenstr,
     *    lenstr_len, "next-block").
     * 2. Otherwise: a block of exactly lenstr_len bytes (size = used =
     *    lenstr_len) holding the header becomes ln's value
     *    (listNodeValue(ln) = ...), its size is added to c->reply_bytes,
     *    and the same trace step with "new-block".
     *
     * Until then this stub takes the placeholder out of the list (a NULL
     * node left there would crash writeToClient) and sends no header. */
    (void)next;
    (void)lenstr_len;
    listDelNode(c->reply, (listNode *)node);
