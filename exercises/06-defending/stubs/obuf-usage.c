    /* TODO (lab 6, exercises/06-defending/README.md, step 1): return the
     * number the output limits compare, what CLIENT LIST prints as omem.
     *
     * Count what the client's output can grow: the reply list. That is
     * c->reply_bytes (the sum of the blocks' sizes, kept up to date by
     * _addReplyStringToList) plus, for every block of c->reply
     * (listLength), the memory the list costs around it: one listNode and
     * one clientReplyBlock header (use sizeof, do not write 40).
     * Do NOT count c->buf: its 16 KB are part of every client and cannot
     * grow. Check: a client that ran "GET big" (20,000 bytes) and read
     * nothing holds 20,000 + 16,384 in two blocks: 36,464. */
    (void)c;
    return 0; /* stub: nothing is counted, so no client is ever over */
