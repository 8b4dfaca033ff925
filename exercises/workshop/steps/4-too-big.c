    newline = strchr(c->querybuf + c->qb_pos, '\n');

    if (newline == NULL) {
        /* No end of line yet. 64 KB without one is not a request being
         * typed, it is garbage (or an attack): give up on this client. */
        if (sdslen(c->querybuf) - c->qb_pos > PROTO_INLINE_MAX_SIZE) {
            addReplyError(c, "Protocol error: too big inline request");
            setProtocolError("too big inline request", c);
            traceEvent(c, "protocol-error", "error=%s", "too big inline request");
            return C_ERR;
        }
        traceEvent(c, "need-more"); /* need more data (trace point) */
        return C_ERR;
    }

    /* "PING\r\n": stop before the '\r' and consume 2 bytes instead of 1.
     * The first test keeps a lone "\n" at qb_pos from looking one byte
     * before the request. */
    if (newline != c->querybuf + c->qb_pos && *(newline - 1) == '\r')
        newline--, linefeed_chars++;

    querylen = newline - (c->querybuf + c->qb_pos);
    aux = sdsnewlen(c->querybuf + c->qb_pos, querylen);
    argv = sdssplitargs(aux, &argc);
    sdsfree(aux);
    if (argv == NULL) {
        /* "SET k \"v\r\n": the quote never closes. */
        addReplyError(c, "Protocol error: unbalanced quotes in request");
        setProtocolError("unbalanced quotes in inline request", c);
        traceEvent(c, "protocol-error", "error=%s", "unbalanced quotes");
        return C_ERR;
    }

    c->qb_pos += querylen + linefeed_chars;

    if (argc) {
        if (c->argv) zfree(c->argv);
        c->argv = zmalloc(sizeof(robj *) * argc);
    }

    /* sdssplitargs() made one sds per word; the objects adopt them without
     * a copy. An empty word is an argument like any other: inline
     * `SET k ""` is the 3-argument SET of an empty string, exactly what the
     * multibulk "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n" would give. */
    for (c->argc = 0, j = 0; j < argc; j++) {
        c->argv[c->argc] = createObject(OBJ_STRING, argv[j]);
        c->argc++;
    }
    zfree(argv);
    traceEvent(c, "parsed", "argc=%d", c->argc);
