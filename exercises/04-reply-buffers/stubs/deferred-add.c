    /* TODO (lab 4, exercises/04-reply-buffers/README.md): reserve the
     * place of a "*<count>\r\n" header that the command will know only at
     * the end (KEYS counts the keys as it matches them).
     * 1. Put a node whose value is NULL at the tail of c->reply
     *    (listAddNodeTail): the placeholder. The list is now not empty, so
     *    everything the command adds next goes to the list, behind it.
     * 2. Trace it: traceEvent(c, "deferred-add",
     *    "block=%U", (unsigned long long)listLength(c->reply) - 1), the
     *    placeholder's index.
     * 3. Return that node (listLast): setDeferredMultiBulkLength gets it
     *    back as `node`.
     * Until then this stub returns NULL, the answer for a client that
     * takes no replies: setDeferredMultiBulkLength then does nothing, and
     * KEYS's elements go out without their "*<count>\r\n". */
    return NULL;
