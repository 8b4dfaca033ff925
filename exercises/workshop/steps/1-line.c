    newline = strchr(c->querybuf + c->qb_pos, '\n');

    if (newline == NULL) {
        traceEvent(c, "need-more"); /* need more data (trace point) */
        return C_ERR;
    }

    /* "PING\r\n": stop before the '\r' and consume 2 bytes instead of 1.
     * The first test keeps a lone "\n" at qb_pos from looking one byte
     * before the request. */
    if (newline != c->querybuf + c->qb_pos && *(newline - 1) == '\r')
        newline--, linefeed_chars++;

    querylen = newline - (c->querybuf + c->qb_pos);
    /* Workshop step 1: the line is found and consumed, but not split into
     * words yet: every line is an empty request (argc 0), which
     * processInputBuffer() answers with silence. */
    (void)argc; (void)j; (void)argv; (void)aux;

    c->qb_pos += querylen + linefeed_chars;
    traceEvent(c, "parsed", "argc=%d", c->argc);
