    /* TODO (lab 3, exercises/03-input-loop/README.md): forget the request
     * just handled, so that the byte at qb_pos starts a new one: free the
     * arguments (freeClientArgv), no request type (reqtype 0), no count
     * (multibulklen 0) and no bulk length (bulklen -1, "none read yet"). */
