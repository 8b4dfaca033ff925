        /* TODO (lab 5, exercises/05-writing/README.md): the cap, after
         * each turn's write. Once totwritten > NET_MAX_WRITES_PER_EVENT
         * (64 KB), traceEvent(c, "cap", "totwritten=%l", (long long)totwritten)
         * and break, unless maxmemory is set and zmalloc_used_memory() is
         * not below it, or c is a CLIENT_SLAVE (Redis 5.0.14). It runs
         * after the writev-replies path too (lab 8). */
