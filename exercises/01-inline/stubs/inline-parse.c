    /* TODO (lab 1, exercises/01-inline/README.md): parse ONE inline request
     * that starts at c->querybuf + c->qb_pos, e.g. "SET k v\r\n".
     *
     * 1. Find the end of the line: the first '\n' from qb_pos (strchr).
     *    None yet: if more than PROTO_INLINE_MAX_SIZE bytes wait after
     *    qb_pos, reply "Protocol error: too big inline request" (addReplyError),
     *    call setProtocolError() (its text goes to the log: Redis 5.0 says
     *    "too big inline request"), trace it (traceEvent(c, "protocol-error",
     *    "error=%s", "too big inline request")) and return C_ERR; otherwise trace
     *    "need-more" and return C_ERR (wait for the next read).
     * 2. A '\r' just before the '\n' is not part of the request; careful
     *    with a line that is only "\n".
     * 3. Split the line like a shell (sdssplitargs: quotes, escapes). It
     *    returns NULL for unbalanced quotes: reply "Protocol error:
     *    unbalanced quotes in request", setProtocolError() (log text
     *    "unbalanced quotes in inline request"), trace
     *    "protocol-error" with "error=%s", "unbalanced quotes", return C_ERR.
     * 4. Move qb_pos past the line AND its line ending.
     * 5. Fill c->argv/c->argc with string objects (createObject adopts the
     *    sds, no copy); an empty line gives argc 0 and is still C_OK.
     * 6. traceEvent(c, "parsed", "argc=%d", c->argc) last, once qb_pos
     *    and argv are set (a trace step shows the state after it), then
     *    fall through: the line after this region returns C_OK.
     * Hints: processMultibulkBuffer() below does the same job for the
     * other protocol; chapter 4 of the book walks through the bytes. */
    (void)newline; (void)argc; (void)j; (void)linefeed_chars;
    (void)argv; (void)aux; (void)querylen;
    traceEvent(c, "need-more"); /* stub: waits forever */
    return C_ERR;
