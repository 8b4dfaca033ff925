/**
 * @file fuzz_scenario.c
 * @brief libFuzzer target: arbitrary text as a scenario script (.scn) run
 *        by the trace engine's traceRunScenario() (src/trace_replay.c).
 *
 * Where it sits in the pipeline
 * -----------------------------
 * A scenario drives the real pipeline with scripted clients ("client A",
 * "A send \"*1\\r\\n$4\\r\\nPING\\r\\n\"", "A reads 1,3", "loop", "run",
 * ...), and the engine writes the trace of what happened. Here the script
 * is the fuzzer's input, written to a temporary file (the runner reads a
 * path), and the trace goes to /dev/null. Both the script parser (quotes,
 * escapes, comments, numbers) and the pipeline under odd read and write
 * cuts are exercised. What flows out: nothing; a crash, sanitizer report,
 * hang or leak is a finding.
 *
 * traceRunScenario() builds a whole server each time (initServerConfig +
 * initServer: command table, shared objects, event loop, databases), as
 * `minired-trace run` needs once per process. fs_teardown() frees all of
 * it after each input so the fuzzer neither leaks nor runs out of file
 * descriptors (the epoll fd); it must follow initServer() if that grows.
 *
 * One kind of line is blanked before the run (recognised with the same
 * sdssplitargs the runner uses): "config databases|maxclients N" with
 * N > 1000, a legal but huge allocation (an out-of-memory "crash" by
 * design). Nothing else needs fencing: "send-file" only reads regular
 * files, and a bad "config" value ends the run with an error instead of
 * exit(1) (both changes in trace_replay.c were made for this fuzzer).
 *
 * Also built by tests/unit/test_fuzz_scenario_regressions.c (gcc, no
 * libFuzzer) with FUZZ_SCENARIO_ENTRY renamed, to replay
 * fuzz/regressions/fuzz_scenario/.
 */
#include <stdint.h>
#include <stddef.h>

#include "server.h"
#include "trace_replay.h"

#ifndef FUZZ_SCENARIO_ENTRY
/** The entry point's name: libFuzzer's, unless a test includes this file. */
#define FUZZ_SCENARIO_ENTRY LLVMFuzzerTestOneInput
#endif

/** Largest "config databases" / "config maxclients" value let through. */
#define FS_MAX_SIZE_SETTING 1000

/**
 * @brief Should this script line be blanked (see the file comment)?
 * @param line One line of the input.
 * @return 1 for "config databases N" / "config maxclients N", N > 1000.
 *
 * Called by: fs_filter().
 */
static int fs_forbidden(const char *line) {
    int argc = 0, bad = 0;
    sds *argv = sdssplitargs(line, &argc);

    if (argv && argc == 3 && !strcmp(argv[0], "config") &&
        (!strcasecmp(argv[1], "databases") ||
         !strcasecmp(argv[1], "maxclients")))
        bad = strtoll(argv[2], NULL, 10) > FS_MAX_SIZE_SETTING ||
              strlen(argv[2]) > 6;
    if (argv) sdsfreesplitres(argv, argc);
    return bad;
}

/**
 * @brief Write the input to this process's temporary .scn, blanking the
 *        forbidden lines.
 * @param path Out: the file name (at least 64 bytes).
 * @param data The script bytes.
 * @param size Their number.
 * @return 0, or -1 if the file cannot be written.
 *
 * Called by: FUZZ_SCENARIO_ENTRY.
 */
static int fs_write_file(char *path, const uint8_t *data, size_t size) {
    sds text = sdsnewlen(data, size);
    int n, j, rc = 0;
    sds *lines = sdssplitlen(text, sdslen(text), "\n", 1, &n);
    FILE *fp;

    snprintf(path, 64, "/tmp/minired-fuzz-%ld.scn", (long)getpid());
    fp = fopen(path, "wb");
    if (fp == NULL) rc = -1;
    for (j = 0; rc == 0 && j < n; j++) {
        if (!fs_forbidden(lines[j]))
            fwrite(lines[j], 1, sdslen(lines[j]), fp);
        if (j != n - 1) fputc('\n', fp);
    }
    if (fp && fclose(fp) != 0) rc = -1;
    sdsfreesplitres(lines, n);
    sdsfree(text);
    return rc;
}

/**
 * @brief Free one shared object made by createSharedObjects().
 * @param o The object (refcount OBJ_SHARED_REFCOUNT, never freed by
 *          decrRefCount).
 *
 * Called by: fs_free_shared().
 */
static void fs_free_obj(robj *o) {
    if (o == NULL) return;
    /* RAW strings own a separate sds; EMBSTR and INT live in the robj. */
    if (o->encoding == OBJ_ENCODING_RAW) sdsfree(o->ptr);
    zfree(o);
}

/**
 * @brief Free every object of `shared`.
 *
 * Every member of struct sharedObjectsStruct (server.h) is a robj * or an
 * array of them, so the struct is walked as one array of robj *: a shared
 * reply added to server.c's createSharedObjects() is freed here without
 * this file having to list it (a list here fell behind once, and
 * LeakSanitizer caught it).
 *
 * Called by: fs_teardown().
 */
static void fs_free_shared(void) {
    robj **all = (robj **)&shared;
    size_t j, n = sizeof(shared) / sizeof(robj *);

    _Static_assert(sizeof(shared) % sizeof(robj *) == 0,
                   "sharedObjectsStruct must hold only robj pointers");
    for (j = 0; j < n; j++) fs_free_obj(all[j]);
    memset(&shared, 0, sizeof(shared));
}

/**
 * @brief Free everything initServerConfig(), initServer() and the run
 *        allocated, so the next traceRunScenario() starts from nothing.
 *
 * Called by: FUZZ_SCENARIO_ENTRY after each run.
 */
static void fs_teardown(void) {
    int j;

    if (server.clients) {
        while (listLength(server.clients))
            freeClient(listNodeValue(listFirst(server.clients)));
        freeClientsInAsyncFreeQueue();
    }
    if (server.db) {
        for (j = 0; j < server.dbnum; j++) {
            dictRelease(server.db[j].dict);
            dictRelease(server.db[j].expires);
            dictRelease(server.db[j].blocking_keys);
            dictRelease(server.db[j].ready_keys);
        }
        zfree(server.db);
    }
    if (server.pubsub_channels) dictRelease(server.pubsub_channels);
    if (server.pubsub_patterns) listRelease(server.pubsub_patterns);
    if (server.clients) listRelease(server.clients);
    if (server.clients_to_close) listRelease(server.clients_to_close);
    if (server.clients_pending_write) listRelease(server.clients_pending_write);
    /* Empty by now: freeClient() takes clients off both lists, and
     * processCommand() serves ready_keys right after each command. */
    if (server.unblocked_clients) listRelease(server.unblocked_clients);
    if (server.ready_keys) listRelease(server.ready_keys);
    if (server.monitors) listRelease(server.monitors);
    if (server.reusable_qb) sdsfree(server.reusable_qb);
    if (server.el) aeDeleteEventLoop(server.el);
    if (server.commands) dictRelease(server.commands);
    if (shared.ok) fs_free_shared();
    for (j = 0; j < server.bindaddr_count; j++) zfree(server.bindaddr[j]);
    zfree(server.unixsocket);
    zfree(server.requirepass);
    zfree(server.logfile);
    zfree(server.trace_path);
    memset(&server, 0, sizeof(server));
}

/**
 * @brief libFuzzer's entry point: run one script.
 * @param data The script.
 * @param size Its length.
 * @return 0 (libFuzzer's "keep going").
 *
 * Called by: libFuzzer; tests/unit/test_fuzz_scenario_regressions.c.
 */
int FUZZ_SCENARIO_ENTRY(const uint8_t *data, size_t size) {
    static FILE *devnull = NULL;
    char path[64];

    if (devnull == NULL) devnull = fopen("/dev/null", "w");
    if (devnull == NULL || fs_write_file(path, data, size) != 0) return 0;
    /* Errors in the script ("FILE:LINE: unknown verb") go to stderr;
     * the runner's log lines go to /dev/stderr too: both are noise here. */
    traceRunScenario(path, devnull);
    fs_teardown();
    unlink(path);
    return 0;
}
