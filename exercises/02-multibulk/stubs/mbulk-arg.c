        /* TODO (lab 2, exercises/02-multibulk/README.md, part 3): the
         * argument: c->bulklen bytes at qb_pos, then two bytes ("\r\n")
         * that are skipped, not checked.
         *
         * 1. Fewer than bulklen + 2 bytes after qb_pos: trace "need-more"
         *    and break. Change nothing: bulklen, multibulklen, argc and argv
         *    are what the next read resumes from.
         * 2. The buffer is exactly this big argument: qb_pos is 0, bulklen
         *    is at least PROTO_MBULK_BIG_ARG and sdslen(c->querybuf) is
         *    bulklen + 2 (the given code before this region arranged it).
         *    Adopt it instead of copying: the next argv slot becomes
         *    createObject(OBJ_STRING, c->querybuf); drop its "\r\n" with
         *    sdsIncrLen(); the client gets a new, empty querybuf with room
         *    for bulklen + 2 bytes (sdsnewlen(SDS_NOINIT, ...), then
         *    sdsclear()); traceEvent(c, "big-arg", "index=%d len=%l",
         *    <the slot's index>, (long long)c->bulklen).
         * 3. Otherwise copy: the next argv slot becomes
         *    createStringObject(<first byte>, c->bulklen), and qb_pos moves
         *    past the bytes and their two line-end bytes.
         * 4. Either way: argc counts the new argument, bulklen goes back to
         *    -1, one argument fewer is awaited (multibulklen), and then
         *    traceEvent(c, "arg", "index=%d len=%z", <the slot's index>,
         *    stringObjectLen(<the new argument>)).
         * The loop repeats while multibulklen > 0; the given lines after it
         * return C_OK when it is 0. */
        traceEvent(c, "need-more"); /* stub: waits forever */
        break;
