    /* TODO (lab 7, exercises/07-command/README.md): LRANGE's row goes
     * here, one line shaped like its neighbours: name in lower case, the
     * function (lrangeCommand), arity, sflags letters, 0, NULL, then
     * firstkey, lastkey, keystep, then 0, 0. Take the values from Redis
     * 5.0.14's redisCommandTable (src/server.c at tag 5.0.14):
     *  - arity: "LRANGE key start stop" counts 4 words; exactly 4, or
     *    at least 4 (a negative arity)? "LRANGE q 0 1 2" must be refused.
     *  - sflags: LRANGE only reads. Which of w, r, m, F apply? (the letters
     *    are listed above this table; 'm' decides whether it still runs
     *    over maxmemory, 'F' means O(1) or O(log N)).
     * Until the row exists, LRANGE gets
     * "-ERR unknown command `LRANGE`, with args beginning with: ...". */
