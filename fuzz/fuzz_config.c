/**
 * @file fuzz_config.c
 * @brief libFuzzer target: arbitrary text through the redis.conf parser
 *        (loadServerConfigFromStringOrError, config.c).
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Before the pipeline: main() turns the config file and the --options
 * into one text and the parser turns it into fields of `server`. Here the
 * text is the fuzzer's input (cut at its first NUL, as a C string would
 * be). What flows out: nothing but the absence of a crash; a bad line
 * gives a "*** FATAL CONFIG FILE ERROR ***" report, which the server
 * prints before exit(1) and this target checks and discards.
 *
 * Two directives act outside the process and are blanked out of the text
 * first (the line stays, empty, so line numbers in reports do not move):
 * "include" (reads any file, even standard input, and exits on its own
 * errors) and "logfile" (creates the named file). They are recognised
 * after the same sdstrim + sdssplitargs + lower-case the parser does, so
 * "\"Inc\\x6cude\" x" is caught as well.
 *
 * Between inputs the fields a config can allocate (bind addresses,
 * unixsocket, requirepass, trace-file) are freed and `server` is restored
 * from a copy taken after initServerConfig(), so nothing leaks or drifts.
 *
 * Also built by tests/unit/test_fuzz_regressions.c (gcc, no libFuzzer)
 * with FUZZ_CONFIG_ENTRY renamed, to replay fuzz/regressions/fuzz_config/.
 */
#include <stdint.h>
#include <stddef.h>

#include "server.h"

#ifndef FUZZ_CONFIG_ENTRY
/** The entry point's name: libFuzzer's, unless a test includes this file. */
#define FUZZ_CONFIG_ENTRY LLVMFuzzerTestOneInput
#endif

/** `server` right after initServerConfig(), restored after each input. */
static struct redisServer fc_pristine;

/**
 * @brief Is this config line a directive the fuzzer must not run?
 * @param line One line of the input, as the parser will see it.
 * @return 1 for "include" and "logfile" lines (any case, any quoting).
 *
 * Called by: fc_filter().
 */
static int fc_forbidden(const char *line) {
    sds l = sdstrim(sdsnew(line), " \t\r\n");
    int argc = 0, bad = 0;
    sds *argv = sdssplitargs(l, &argc);

    if (argv && argc > 0) {
        sdstolower(argv[0]);
        bad = !strcmp(argv[0], "include") || !strcmp(argv[0], "logfile");
    }
    if (argv) sdsfreesplitres(argv, argc);
    sdsfree(l);
    return bad;
}

/**
 * @brief Copy the input into a C string, blanking forbidden lines.
 * @param data The input bytes.
 * @param size Their number.
 * @return A new sds (cut at the first NUL, as the parser's strlen would).
 *
 * Called by: FUZZ_CONFIG_ENTRY.
 */
static sds fc_filter(const uint8_t *data, size_t size) {
    sds text = sdsnewlen(data, size), out = sdsempty();
    int n, j;
    sds *lines;

    sdsupdatelen(text); /* stop at an embedded NUL */
    lines = sdssplitlen(text, sdslen(text), "\n", 1, &n);
    for (j = 0; j < n; j++) {
        if (!fc_forbidden(lines[j])) out = sdscatsds(out, lines[j]);
        if (j != n - 1) out = sdscatlen(out, "\n", 1);
    }
    sdsfreesplitres(lines, n);
    sdsfree(text);
    return out;
}

/**
 * @brief Free what one input's directives allocated and put `server`
 *        back as initServerConfig() left it.
 *
 * Called by: FUZZ_CONFIG_ENTRY after each input.
 */
static void fc_reset(void) {
    int j;

    for (j = 0; j < server.bindaddr_count; j++) zfree(server.bindaddr[j]);
    zfree(server.unixsocket);
    zfree(server.requirepass);
    zfree(server.trace_path);
    server = fc_pristine;
}

/**
 * @brief libFuzzer's entry point: parse one config text.
 * @param data The text.
 * @param size Its length.
 * @return 0 (libFuzzer's "keep going").
 *
 * Called by: libFuzzer; tests/unit/test_fuzz_regressions.c (renamed).
 */
int FUZZ_CONFIG_ENTRY(const uint8_t *data, size_t size) {
    static int initialised = 0;
    sds text, report;

    if (!initialised) {
        initServerConfig();
        zfree(server.logfile);
        /* The notice listing ignored directives goes nowhere. */
        server.logfile = zstrdup("/dev/null");
        fc_pristine = server;
        initialised = 1;
    }
    text = fc_filter(data, size);
    report = loadServerConfigFromStringOrError(text);
    if (report) {
        /* Every failure is the server's four-line fatal report. */
        serverAssert(!strncmp(report, "\n*** FATAL CONFIG FILE ERROR ***\n", 33));
        sdsfree(report);
    }
    sdsfree(text);
    fc_reset();
    return 0;
}
