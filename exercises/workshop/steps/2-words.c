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
    aux = sdsnewlen(c->querybuf + c->qb_pos, querylen);
    argv = sdssplitargs(aux, &argc);
    sdsfree(aux);
    if (argv == NULL) {
        /* Workshop step 2: an unbalanced quote is not handled yet. The
         * line stays in querybuf, unconsumed: the client waits forever,
         * and every later read parses the same broken line again. */
        traceEvent(c, "need-more");
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
