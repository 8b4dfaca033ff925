            /* TODO (lab 2, exercises/02-multibulk/README.md, part 2): parse
             * the length line of the next argument, e.g. "$3\r\n", at qb_pos.
             * bulklen is -1: no argument is under way.
             *
             * 1. The '\r' (strchr from qb_pos). None yet: more than
             *    PROTO_INLINE_MAX_SIZE bytes after qb_pos is an error, reply
             *    "Protocol error: too big bulk count string",
             *    setProtocolError() with "too big bulk count string", trace
             *    "protocol-error" with "error=%s", "too big bulk count
             *    string", return C_ERR. Otherwise trace "need-more" and
             *    `break` out of the loop (not return: the function's end
             *    returns C_ERR, and the arguments parsed so far stay).
             * 2. The '\r' was the last byte read: trace "need-more", break.
             * 3. The line must start with '$'. If not: reply with
             *    addReplyErrorFormat() and the format "Protocol error:
             *    expected '$', got '%c'" (%c: the byte found instead),
             *    setProtocolError() with "expected $ but got something else",
             *    trace "protocol-error" with "error=%s", "expected $", and
             *    return C_ERR.
             * 4. The digits after '$' into ll (string2ll). Not a number,
             *    negative, or more than server.proto_max_bulk_len: reply
             *    "Protocol error: invalid bulk length", setProtocolError()
             *    with "invalid bulk length", trace "protocol-error" with
             *    "error=%s", "invalid bulk length", return C_ERR.
             * 5. Else if ll > 16384 while server.requirepass is set and the
             *    client is not authenticated: reply "Protocol error:
             *    unauthenticated bulk length", setProtocolError() with
             *    "unauth bulk length", traceEvent(c, "unauth-limit",
             *    "what=%s len=%l", "bulk", ll), return C_ERR.
             * 6. Move qb_pos past the line and its two line-end bytes, and
             *    leave the length in ll: the given code after this region
             *    prepares a big argument, sets c->bulklen = ll and traces
             *    "bulk-len". */
            newline = NULL;
            ok = 0;
            ll = 0;
            (void)newline; (void)ok; (void)ll;
            traceEvent(c, "need-more"); /* stub: waits forever */
            break;
