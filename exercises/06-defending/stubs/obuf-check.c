    /* TODO (lab 6, exercises/06-defending/README.md, step 2): decide
     * whether c is over its client-output-buffer-limit, and keep the soft
     * limit's clock. used_mem (above) is the number to compare; set hard
     * and soft, the return below does the rest.
     *
     * 1. Which line applies: getClientType(c) gives CLIENT_TYPE_NORMAL,
     *    _SLAVE, _PUBSUB or _MASTER. A master has no line of its own
     *    (server.client_obuf_limits has CLIENT_TYPE_OBUF_COUNT = 3 lines):
     *    limit it as normal. Then
     *    limit = &server.client_obuf_limits[class].
     * 2. hard = 1 when hard_limit_bytes is set (0 means off) and used_mem
     *    has REACHED it.
     * 3. soft = 1 when soft_limit_bytes is set and used_mem has reached it.
     * 4. The soft limit only counts once it has been held for MORE than
     *    soft_limit_seconds. The clock is c->obuf_soft_limit_reached_time
     *    (0: not over the soft limit), in seconds of server.unixtime:
     *    - soft, clock at 0: the first sighting. Start the clock; this
     *      call does not close (soft back to 0);
     *    - soft, clock running: still allowed (soft back to 0) while the
     *      seconds elapsed since the first sighting are not more than
     *      soft_limit_seconds;
     *    - not soft: the clock goes back to 0 (the seconds must be held
     *      without a break).
     * Chapter 10, "Three classes, three defaults", has the numbers. */
    (void)class; (void)limit; (void)used_mem;
