    /* TODO (lab 5, exercises/05-writing/README.md): after the loop.
     *
     * 1. nwritten == -1 means the last clientWrite() failed. errno EAGAIN:
     *    the socket is full, not an error: traceEvent(c, "eagain") and keep
     *    everything queued. Any other errno (EPIPE, ECONNRESET...):
     *    traceEvent(c, "error", "errno=%d", errno), serverLog(LL_VERBOSE,
     *    "Error writing to client: %s", strerror(errno)), freeClient(c)
     *    and return C_ERR: the caller must not touch c again.
     * 2. totwritten > 0 counts as activity: c->lastinteraction =
     *    server.unixtime (except for a CLIENT_MASTER).
     * 3. Nothing pending any more (clientHasPendingReplies): sentlen 0,
     *    then traceEvent(c, "emptied"). If handler_installed (and fd != -1
     *    and c is not CLIENT_FAKE_IO), remove the AE_WRITABLE event
     *    (aeDeleteFileEvent), or it fires on every loop turn for nothing.
     *    CLIENT_CLOSE_AFTER_REPLY (QUIT, a protocol error): now that the
     *    last byte is out, freeClient(c) and return C_ERR. */
    (void)fd; (void)handler_installed;
