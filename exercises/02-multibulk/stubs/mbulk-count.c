        /* TODO (lab 2, exercises/02-multibulk/README.md, part 1): parse the
         * count line, e.g. "*3\r\n", that starts at c->querybuf + c->qb_pos
         * (processInputBuffer() saw the '*'). Nothing is under way yet:
         * multibulklen is 0, bulklen -1, argc 0.
         *
         * 1. Find the '\r' that ends the line: strchr from qb_pos. None yet:
         *    if more than PROTO_INLINE_MAX_SIZE bytes wait after qb_pos,
         *    reply "Protocol error: too big mbulk count string"
         *    (addReplyError), call setProtocolError() with "too big mbulk
         *    count string", trace it with traceEvent(c, "protocol-error",
         *    "error=%s", "too big mbulk count string") and return C_ERR.
         *    Otherwise traceEvent(c, "need-more") and return C_ERR: wait.
         * 2. The '\r' is there but the byte after it is not (it was the last
         *    byte read): trace "need-more" and return C_ERR. That byte is
         *    not looked at, only counted, as in Redis 5.0.
         * 3. The digits between '*' and '\r' to a number: string2ll(start,
         *    length, &ll) returns 0 unless they are exactly a long long
         *    ("", "+1", "01", "1x" are not). Not a number, or more than
         *    1024 * 1024: reply "Protocol error: invalid multibulk length",
         *    setProtocolError() with "invalid mbulk count", trace
         *    "protocol-error" with "error=%s", "invalid mbulk count", and
         *    return C_ERR.
         * 4. Else if ll > 10 while server.requirepass is set and
         *    c->authenticated is 0 (CVE-2021-32675): reply "Protocol error:
         *    unauthenticated multibulk length", setProtocolError() with
         *    "unauth mbulk count", traceEvent(c, "unauth-limit",
         *    "what=%s len=%l", "mbulk", ll) and return C_ERR.
         *    Steps 3 and 4 come before qb_pos moves.
         * 5. Move qb_pos past the line and its two line-end bytes.
         * 6. ll <= 0 ("*0\r\n", "*-1\r\n") is no command: traceEvent(c,
         *    "mbulk-len", "count=%l", ll) and return C_OK (argc stays 0).
         * 7. Otherwise set c->multibulklen, give c->argv one slot per
         *    announced argument (zfree the old array if there is one, then
         *    zmalloc), and only then traceEvent(c, "mbulk-len", "count=%l",
         *    ll). Do not return: the loop below reads the arguments.
         * Chapter 5, "The count line", walks through these bytes. */
        newline = NULL;
        ok = 0;
        ll = 0;
        (void)newline; (void)ok; (void)ll;
        traceEvent(c, "need-more"); /* stub: multibulk requests wait forever */
        return C_ERR;
