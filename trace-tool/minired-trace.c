/**
 * @file minired-trace.c
 * @brief bin/minired-trace: the command line, its usage text and the
 *        dispatch to the subcommands.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server, on its trace file (docs/trace-format.md). `replay` and
 * `run` hand the file to the trace engine in build/libminired.a (the same
 * pipeline code as the server, driven with no sockets); the other
 * subcommands only read traces:
 *
 *     minired-trace replay IN.jsonl            > OUT.jsonl
 *     minired-trace run tests/scenarios/01-set-get.scn > OUT.jsonl
 *     minired-trace summary|check FILE
 *     minired-trace filter FILE [--client ID] [--function NAME] [--step CAT]
 *                               [--from TS] [--to TS]
 *     minired-trace diff A B
 *     minired-trace export --perfetto FILE [-o OUT]
 *
 * What flows in: argv. What flows out: an exit status (0 success, 1
 * failure or difference, 2 bad usage) and the subcommand's output.
 */

#include "tool.h"
#include "trace_replay.h"

#include <string.h>

/**
 * @brief Print the usage text.
 * @param fp stdout for --help, stderr for a usage error.
 *
 * Called by: main(), and the subcommands on a bad command line.
 */
void usage(FILE *fp) {
    fprintf(fp,
"Usage: minired-trace COMMAND [ARGS]\n"
"\n"
"Read, check and replay the pipeline traces of minired-server --trace FILE\n"
"(format: docs/trace-format.md).\n"
"\n"
"Commands:\n"
"  replay IN.jsonl        run IN's recorded reads/writes through the pipeline\n"
"                         again (no sockets); the new trace goes to stdout\n"
"  run SCENARIO.scn       run a scripted scenario; its trace goes to stdout\n"
"  summary FILE           events per function, per step and per client\n"
"  filter FILE [--client ID] [--function NAME] [--step CAT]\n"
"              [--from TS] [--to TS]\n"
"                         print the matching lines unchanged (the header is\n"
"                         always kept); options may be repeated (OR)\n"
"  check FILE             verify the buffer invariants and byte conservation\n"
"  diff A B               first event where A and B differ (wall_* ignored)\n"
"  export --perfetto FILE [-o OUT]\n"
"                         Chrome trace-event JSON array (Perfetto,\n"
"                         chrome://tracing) with per-client counter tracks\n"
"\n"
"Exit status: 0 success, 1 failure/violation/difference, 2 bad usage.\n");
}

/**
 * @brief `replay IN` and `run SCENARIO`: hand the file to the trace engine
 *        and make sure stdout took the whole output.
 * @param argc Arguments after the command name, plus one.
 * @param argv argv[0] is the command, argv[1] the file.
 * @param scenario 1 for run, 0 for replay.
 * @return The exit status.
 *
 * Called by: main().
 */
static int cmdEngine(int argc, char **argv, int scenario) {
    int rc;

    if (argc != 2) {
        fprintf(stderr, "minired-trace: %s needs exactly one file\n", argv[0]);
        usage(stderr);
        return TOOL_EXIT_USAGE;
    }
    rc = scenario ? traceRunScenario(argv[1], stdout)
                  : traceReplayFile(argv[1], stdout);
    /* A full disk or a closed pipe shows up only at the flush. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("minired-trace: writing the trace");
        return TOOL_EXIT_FAIL;
    }
    return rc == 0 ? TOOL_EXIT_OK : TOOL_EXIT_FAIL;
}

/**
 * @brief Entry point: pick the subcommand.
 * @param argc Argument count.
 * @param argv Arguments.
 * @return The subcommand's exit status; 2 for no or unknown command.
 *
 * Called by: the C runtime.
 */
int main(int argc, char **argv) {
    const char *cmd;
    int rc;

    if (argc < 2) {
        usage(stderr);
        return TOOL_EXIT_USAGE;
    }
    cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return TOOL_EXIT_OK;
    }
    /* Subcommands see argv starting at their own name. */
    argc--;
    argv++;
    if (!strcmp(cmd, "replay")) rc = cmdEngine(argc, argv, 0);
    else if (!strcmp(cmd, "run")) rc = cmdEngine(argc, argv, 1);
    else if (!strcmp(cmd, "summary")) rc = cmdSummary(argc, argv);
    else if (!strcmp(cmd, "filter")) rc = cmdFilter(argc, argv);
    else if (!strcmp(cmd, "check")) rc = cmdCheck(argc, argv);
    else if (!strcmp(cmd, "diff")) rc = cmdDiff(argc, argv);
    else if (!strcmp(cmd, "export")) rc = cmdExport(argc, argv);
    else {
        fprintf(stderr, "minired-trace: unknown command '%s'\n", cmd);
        usage(stderr);
        rc = TOOL_EXIT_USAGE;
    }
    return rc;
}
