/**
 * @file fuzz_trace_loader.c
 * @brief libFuzzer target: arbitrary bytes as a trace file, opened by the
 *        viewer's model (trace-viewer/index.c, model.c) and read by the
 *        trace tool's line reader (trace-tool/reader.c).
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server: a trace (JSON Lines, docs/trace-format.md) is what
 * the server writes and what `minired-trace` and `minired-view` read. A
 * trace can be cut short, edited by hand or come from a newer minired, so
 * every reader must turn bad bytes into a message, never a crash. Here the
 * fuzzer's input is written to a temporary file and then:
 *
 *   mvOpen            index it (header check, line prefixes, clients)
 *   mvEventGet        parse the first steps with jansson (and free them)
 *   mvChangedFields   compare each with its client's previous event
 *   mvBuffersAt       rebuild a few clients' querybuf / buf / reply blocks
 *                     with the check model, at their first, middle and
 *                     last steps
 *   mvFindViolation   run `minired-trace check`'s rules forward
 *   mvFindName / mvFindChange   the viewer's searches
 *   trOpen / trNext   the tool's reader, line by line, with eventShapeOk
 *
 * What flows out: nothing; sanitizers report any memory error or leak.
 * The work per input is capped (steps, clients) so a big input stays fast.
 *
 * Also built by tests/unit/test_fuzz_trace_regressions.c (gcc, no
 * libFuzzer) with FUZZ_TRACE_ENTRY renamed, to replay
 * fuzz/regressions/fuzz_trace_loader/.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../trace-viewer/model.h"
#include "../trace-tool/tool.h"

#ifndef FUZZ_TRACE_ENTRY
/** The entry point's name: libFuzzer's, unless a test includes this file. */
#define FUZZ_TRACE_ENTRY LLVMFuzzerTestOneInput
#endif

/** Steps parsed with mvEventGet per input (the rest are only indexed). */
#define FT_MAX_STEPS 200
/** Clients whose buffers are rebuilt per input. */
#define FT_MAX_CLIENTS 4

/**
 * @brief Write the input to this process's temporary trace file.
 * @param path Out: the file name (at least 64 bytes).
 * @param data The bytes.
 * @param size Their number.
 * @return 0, or -1 if the file cannot be written.
 *
 * Called by: FUZZ_TRACE_ENTRY.
 */
static int ft_write_file(char *path, const uint8_t *data, size_t size) {
    FILE *fp;

    snprintf(path, 64, "/tmp/minired-fuzz-trace-%ld.jsonl", (long)getpid());
    fp = fopen(path, "wb");
    if (fp == NULL) return -1;
    if (size && fwrite(data, 1, size, fp) != size) { fclose(fp); return -1; }
    return fclose(fp) == 0 ? 0 : -1;
}

/**
 * @brief Rebuild a client's buffers at one step and release them.
 * @param t      The open trace.
 * @param client The client id.
 * @param at     The step.
 *
 * Called by: ft_model().
 */
static void ft_buffers(mvTrace *t, uint64_t client, size_t at) {
    mvBuffers b;

    memset(&b, 0, sizeof(b));
    mvBuffersAt(t, client, at, &b);
    mvBuffersFree(&b);
}

/**
 * @brief Everything the viewer does with a trace, on this one.
 * @param t The open trace.
 *
 * Called by: FUZZ_TRACE_ENTRY.
 */
static void ft_model(mvTrace *t) {
    size_t n = mvEventCount(t), step, k, nclients;
    char msg[256];

    for (step = 0; step < n && step < FT_MAX_STEPS; step++) {
        mvEvent ev;

        memset(&ev, 0, sizeof(ev));
        mvEventGet(t, step, &ev);
        mvEventFree(&ev);
        mvChangedFields(t, step);
        (void)mvLineOf(t, step);
        (void)mvTsOf(t, step);
    }
    nclients = mvClientCount(t);
    for (k = 0; k < nclients && k < FT_MAX_CLIENTS; k++) {
        const mvClient *c = mvClientAt(t, k);
        uint64_t id;
        size_t first, last;

        if (c == NULL) continue;
        id = c->id;
        first = c->first;
        last = c->last;
        ft_buffers(t, id, first);
        ft_buffers(t, id, first + (last - first) / 2);
        ft_buffers(t, id, last);
        (void)mvClientStep(t, id, MV_NONE, MV_FORWARD);
        (void)mvClientLastAt(t, id, last);
        (void)mvFindChange(t, id, MV_NONE, MV_FORWARD, MV_WATCH_BUFPOS);
        (void)mvFindViolation(t, MV_NONE, MV_FORWARD, id, msg, sizeof(msg));
    }
    (void)mvFindViolation(t, MV_NONE, MV_FORWARD, MV_ANY_CLIENT, msg,
                          sizeof(msg));
    (void)mvFindName(t, MV_NONE, MV_FORWARD, "read", MV_ANY_CLIENT);
    if (n) (void)mvFindName(t, n, MV_BACKWARD, "write", MV_ANY_CLIENT);
    (void)mvStepOfTs(t, 0);
    (void)mvWarningCount(t);
    (void)mvMemoryUsage(t);
}

/**
 * @brief The trace tool's reader over the same file: every line parsed
 *        and shape-checked until the end or the first error.
 * @param path The temporary file.
 *
 * Called by: FUZZ_TRACE_ENTRY.
 */
static void ft_reader(const char *path) {
    traceReader r;
    int steps = 0;

    memset(&r, 0, sizeof(r));
    if (trOpen(&r, path) == 0) {
        while (steps++ < FT_MAX_STEPS && trNext(&r) == TR_EVENT) {
            const char *why = NULL;

            (void)eventShapeOk(r.ev, &why);
        }
    }
    trClose(&r);
}

/**
 * @brief libFuzzer's entry point: one input = one trace file.
 * @param data The file's bytes.
 * @param size Their number.
 * @return 0 (libFuzzer's "keep going").
 *
 * Called by: libFuzzer; tests/unit/test_fuzz_trace_regressions.c.
 */
int FUZZ_TRACE_ENTRY(const uint8_t *data, size_t size) {
    char path[64], err[512];
    mvTrace *t;

    if (ft_write_file(path, data, size) != 0) return 0;
    t = mvOpen(path, 0, NULL, NULL, err, sizeof(err));
    if (t) {
        ft_model(t);
        mvClose(t);
    }
    ft_reader(path);
    unlink(path);
    return 0;
}
