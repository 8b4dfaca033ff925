    /* Workshop step 0 (exercises/workshop/README.md): a blank parser. It
     * never finds a request, so an inline client waits forever; redis-cli
     * still works, because it speaks multibulk (the other parser). */
    (void)newline; (void)argc; (void)j; (void)linefeed_chars;
    (void)argv; (void)aux; (void)querylen;
    traceEvent(c, "need-more"); /* need more data (trace point) */
    return C_ERR;
