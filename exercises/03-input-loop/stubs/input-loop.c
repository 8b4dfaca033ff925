    /* TODO (lab 3, exercises/03-input-loop/README.md): run EVERY complete
     * request waiting in c->querybuf from c->qb_pos, then cut the consumed
     * bytes off. One read of "PING\r\n*0\r\n\r\n*1\r\n$4\r\nPI" (22 bytes):
     * PING runs, "*0\r\n" and the empty line "\r\n" are reset with no
     * reply, the multibulk parser consumes "*1\r\n$4\r\n" and asks for
     * more at qb_pos 20; the trim cuts 20 bytes: querybuf "PI", qb_pos 0.
     *
     * 1. Loop while qb_pos < sdslen(querybuf). First thing in each turn:
     *    traceEvent(c, "loop-turn").
     * 2. The stops, in Redis 5.0.14's order; each traces its step with
     *    "pending=%z" = the bytes after qb_pos, then breaks:
     *      clients paused (clientsArePaused()) and c is not a replica
     *        (CLIENT_SLAVE)                                     "paused"
     *      c->flags has CLIENT_BLOCKED                    "loop-blocked"
     *      c->flags has CLIENT_CLOSE_AFTER_REPLY or CLIENT_CLOSE_ASAP
     *                                                     "loop-closing"
     * 3. No request type yet (reqtype 0)? Look at the byte at qb_pos: '*'
     *    is PROTO_REQ_MULTIBULK, anything else PROTO_REQ_INLINE. Then
     *    trace step "reqtype" with format "type=%s" and the string
     *    "multibulk" or "inline".
     *    A request resumed from an earlier read keeps its type.
     * 4. Call processInlineBuffer() or processMultibulkBuffer() (any other
     *    reqtype: serverPanic). Not C_OK: stop the loop (need more bytes,
     *    or a protocol error closed the client).
     * 5. argc 0 ("*0\r\n", an empty line): resetClient(), no command.
     *    Otherwise processCommand(); only when it returns C_OK,
     *    resetClient(). If server.current_client is NULL afterwards the
     *    command freed c: break at once and touch nothing of c.
     * 6. At the end of a turn that consumed everything (qb_pos at the end
     *    of querybuf), traceEvent(c, "loop-drained").
     * After the loop, ONCE per call and only if c still exists
     * (server.current_client not NULL) and qb_pos > 0: remove bytes
     * 0..qb_pos-1 (sdsrange), set qb_pos to 0,
     * then traceEvent(c, "trim", "n=%z qlen_before=%z data=%b", bytes cut,
     * sdslen before the cut, a copy of the cut bytes, its length). Copy
     * the cut bytes before cutting, only when traceActive(); with tracing
     * off pass NULL and 0.
     * Hints: chapter 6 of the book walks through these bytes turn by turn;
     * resetClient() (lab 3 too, region reset-client) must be right first. */
