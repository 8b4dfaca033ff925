/**
 * @file cmd_export.c
 * @brief `minired-trace export --perfetto`: a Chrome trace-event JSON
 *        array with the events and one counter track per buffer field per
 *        client.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server, before Perfetto (ui.perfetto.dev) or chrome://tracing.
 * Every trace line is already a Chrome instant event ("ph":"i", pid 1,
 * tid = client id, ts = the logical clock read as microseconds), so the
 * events are copied as they are. Added:
 *   - a "thread_name" metadata event per tid ("server", "client 3 fd 8"),
 *     so each client is a named track;
 *   - after each client event that changed one of them, a counter event
 *     {"name":"client 3","ph":"C","args":{"qlen":..,"qb_pos":..,
 *     "bufpos":..,"sentlen":..,"reply_bytes":..,"blocks":..}}. Perfetto
 *     makes one track per args key, named "client 3 qb_pos" and so on;
 *     chrome://tracing shows the six as the series of one "client 3"
 *     counter.
 * What flows in: a trace. What flows out: a JSON array (stdout or -o).
 */

#include "tool.h"

#include <stdlib.h>
#include <string.h>

/** The buffer fields that become counter tracks, in output order. */
static const char *counter_fields[] = {
    "qlen", "qb_pos", "bufpos", "sentlen", "reply_bytes", "blocks"
};
/** How many counter_fields. */
#define NCOUNTERS 6

/** What export remembers per client: the last counter values written. */
typedef struct clientCounters {
    int named;                   /**< thread_name already written. */
    int have;                    /**< At least one counter event written. */
    long long last[NCOUNTERS];   /**< Last values, counter_fields order. */
} clientCounters;

/**
 * @brief Start the next array element (a comma before all but the first).
 * @param out   The output.
 * @param first 1 until the first element is out (cleared here).
 *
 * Called by: every writer below.
 */
static void element(FILE *out, int *first) {
    fputs(*first ? "\n" : ",\n", out);
    *first = 0;
}

/**
 * @brief Read the six counter values of a client state.
 * @param c The state.
 * @param v The values, in counter_fields order ("blocks" is the length of
 *          the "reply" list).
 *
 * Called by: exportClientEvent().
 */
static void counterValues(json_t *c, long long v[NCOUNTERS]) {
    int j;

    for (j = 0; j < NCOUNTERS - 1; j++)
        if (!jsonInt(c, counter_fields[j], &v[j])) v[j] = 0;
    v[NCOUNTERS - 1] = (long long)json_array_size(json_object_get(c, "reply"));
}

/**
 * @brief Write the metadata and counter events that follow one event.
 * @param out     The output.
 * @param first   Array state (see element()).
 * @param clients Per-client records.
 * @param ev      The event just copied.
 *
 * Called by: cmdExport() for every event.
 */
static void exportExtras(FILE *out, int *first, clientTable *clients,
                         json_t *ev) {
    uint64_t tid = evTid(ev);
    json_t *c = evState(ev);
    long long v[NCOUNTERS], fd = -1;
    clientCounters *cc;
    int j;

    if (tid == 0) return;
    cc = ctGet(clients, tid, 1);
    if (cc == NULL) {
        perror("minired-trace export");
        exit(TOOL_EXIT_FAIL);
    }
    if (!cc->named) {
        jsonInt(evArgs(ev), "fd", &fd);
        element(out, first);
        fprintf(out, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,"
                "\"tid\":%llu,\"args\":{\"name\":\"client %llu fd %lld\"}}",
                (unsigned long long)tid, (unsigned long long)tid, fd);
        cc->named = 1;
    }
    if (c == NULL) return;
    counterValues(c, v);
    if (cc->have && !memcmp(v, cc->last, sizeof(v))) return;
    element(out, first);
    fprintf(out, "{\"name\":\"client %llu\",\"ph\":\"C\",\"ts\":%lld,"
            "\"pid\":1,\"tid\":%llu,\"args\":{", (unsigned long long)tid,
            evTs(ev), (unsigned long long)tid);
    for (j = 0; j < NCOUNTERS; j++)
        fprintf(out, "%s\"%s\":%lld", j ? "," : "", counter_fields[j], v[j]);
    fputs("}}", out);
    memcpy(cc->last, v, sizeof(v));
    cc->have = 1;
}

/**
 * @brief Parse `export --perfetto FILE [-o OUT]` (options in any order).
 * @param argc Argument count (argv[0] is "export").
 * @param argv Arguments.
 * @param in   Set to FILE.
 * @param outp Set to OUT, or NULL for stdout.
 * @return 0, or -1 on bad usage.
 *
 * Called by: cmdExport().
 */
static int parseExportArgs(int argc, char **argv, const char **in,
                           const char **outp) {
    int j, perfetto = 0;

    *in = *outp = NULL;
    for (j = 1; j < argc; j++) {
        if (!strcmp(argv[j], "--perfetto")) perfetto = 1;
        else if (!strcmp(argv[j], "-o") && j + 1 < argc) *outp = argv[++j];
        else if (argv[j][0] != '-' && *in == NULL) *in = argv[j];
        else return -1;
    }
    return perfetto && *in ? 0 : -1;
}

/**
 * @brief `export --perfetto FILE [-o OUT]`.
 * @param argc Argument count (argv[0] is "export").
 * @param argv Arguments.
 * @return 0, 1 on a malformed trace or a write error, 2 on bad usage.
 *
 * Called by: main().
 */
int cmdExport(int argc, char **argv) {
    traceReader r;
    clientTable clients;
    const char *in, *outp;
    FILE *out = stdout;
    int rc, first = 1, status = TOOL_EXIT_OK;

    if (parseExportArgs(argc, argv, &in, &outp) != 0) {
        fprintf(stderr, "minired-trace: export needs --perfetto FILE "
                "[-o OUT]\n");
        usage(stderr);
        return TOOL_EXIT_USAGE;
    }
    if (trOpen(&r, in) != 0) {
        fprintf(stderr, "minired-trace: %s\n", r.err);
        trClose(&r);
        return TOOL_EXIT_FAIL;
    }
    if (outp && (out = fopen(outp, "w")) == NULL) {
        perror(outp);
        trClose(&r);
        return TOOL_EXIT_FAIL;
    }
    ctInit(&clients, sizeof(clientCounters));
    fputc('[', out);
    /* The header (a "process_name" metadata event) names process 1. */
    element(out, &first);
    fwrite(r.line, 1, r.len - 1, out);
    element(out, &first);
    fputs("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,"
          "\"args\":{\"name\":\"server\"}}", out);
    while ((rc = trNext(&r)) == TR_EVENT) {
        element(out, &first);
        fwrite(r.line, 1, r.len - 1, out);
        exportExtras(out, &first, &clients, r.ev);
    }
    fputs("\n]\n", out);
    if (rc == TR_ERR) {
        fprintf(stderr, "minired-trace: %s\n", r.err);
        status = TOOL_EXIT_FAIL;
    }
    if (fflush(out) != 0 || ferror(out) || (outp && fclose(out) != 0)) {
        perror(outp ? outp : "stdout");
        status = TOOL_EXIT_FAIL;
    }
    ctFree(&clients, NULL);
    trClose(&r);
    return status;
}
