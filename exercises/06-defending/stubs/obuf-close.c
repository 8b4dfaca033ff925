    /* TODO (lab 6, exercises/06-defending/README.md, step 3): c's reply
     * list just grew (_addReplyStringToList, setDeferredMultiBulkLength
     * call this); if c is now over its limit, schedule it to be closed.
     *
     * 1. Return at once for a client with fd -1: a fake client (the unit
     *    tests' ones, in Redis also Lua's and AOF's) must never be freed.
     * 2. Redis also asserts here that c->reply_bytes is below
     *    SIZE_MAX - 64 KB (a counter that wrapped below 0); keep that
     *    serverAssert if you like.
     * 3. Return if c->reply_bytes is 0 (nothing queued) or c is already
     *    marked CLIENT_CLOSE_ASAP: a marked client is not checked again.
     * 4. If checkClientOutputBufferLimits(c) says it is over:
     *    - take its CLIENT LIST line first, while it is still unmarked:
     *      sds info = catClientInfoString(sdsempty(), c);
     *    - trace the decision, exactly so (the trace tests compare it):
     *      traceEvent(c, "obuf-limit",
     *                 "class=%s omem=%U", <its class's name, as
     *                 getClientTypeName() gives it>, <the usage of step
     *                 1, cast to unsigned long long>);
     *    - mark it with freeClientAsync(c). NOT freeClient(c): the
     *      command that is adding the reply, and every caller up to
     *      readQueryFromClient(), still uses c after this returns;
     *    - log, at LL_WARNING, exactly Redis 5.0's line:
     *      "Client <info> scheduled to be closed ASAP for overcoming of
     *      output buffer limits." (serverLog with "%s", then sdsfree).
     * Chapter 10, "Why the close is asynchronous", shows the trace. */
    (void)c;
