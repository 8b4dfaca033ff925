/**
 * @file debug.c
 * @brief The DEBUG command, assertions (serverAssert / serverPanic) and
 *        the crash report printed when the process receives SIGSEGV,
 *        SIGBUS, SIGFPE or SIGILL.
 *
 * Where it sits in the pipeline
 * -----------------------------
 *
 *   processCommand -> call -> debugCommand(c)
 *     "DEBUG SLEEP 0.5"  -> the whole event loop stops for 500 ms, "+OK"
 *     "DEBUG ERROR boom" -> "-boom\r\n" (a client library's test helper)
 *
 *   anywhere: serverAssert(x) false  -> _serverAssert -> report, abort()
 *             serverPanic("...")     -> _serverPanic  -> report, abort()
 *   kernel:   SIGSEGV ...            -> sigsegvHandler -> report, the
 *                                       signal is raised again
 *
 * What flows in: a DEBUG command, or a fatal condition. What flows out:
 * a reply, or a bug report in the log ("=== REDIS BUG REPORT START ..."
 * down to "=== REDIS BUG REPORT END ...") with the stack trace, the
 * client being served and INFO, and then the process ends.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's debug.c (debugCommand(), _serverAssert(), sigsegvHandler()):
 * DEBUG has about 25 subcommands (RELOAD, OBJECT, POPULATE, DIGEST,
 * JMAP...); the crash report also dumps registers, the clients list and
 * runs a fast memory test. minired keeps the subcommands that make sense
 * without persistence or data types, and a shorter report.
 */

#include "server.h"

#include <execinfo.h>
#include <fcntl.h>

/* ======================== Bug report ======================== */

/**
 * @brief Print the report's opening line, once per process.
 *
 * Called by: _serverAssert(), _serverPanic(), sigsegvHandler().
 */
void bugReportStart(void) {
    static int started = 0;

    if (started) return;
    started = 1;
    serverLogRaw(LL_WARNING | LL_RAW,
        "\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===\n");
}

/**
 * @brief Write the current call stack into the log, one frame per line.
 *
 * Uses backtrace_symbols_fd(), which writes straight to a descriptor
 * without malloc: it still works when the heap is what broke.
 *
 * Called by: _serverAssert(), _serverPanic(), sigsegvHandler().
 */
static void logStackTrace(void) {
    void *trace[100];
    int to_stdout = server.logfile[0] == '\0';
    int fd, frames;

    fd = to_stdout ? STDOUT_FILENO :
                     open(server.logfile, O_APPEND | O_CREAT | O_WRONLY, 0644);
    if (fd == -1) return;
    serverLogRaw(LL_WARNING | LL_RAW, "\n------ STACK TRACE ------\n");
    if (to_stdout) fflush(stdout);
    frames = backtrace(trace, 100);
    backtrace_symbols_fd(trace, frames, fd);
    if (!to_stdout) close(fd);
}

/**
 * @brief Log the client whose command was running: its CLIENT LIST line
 *        and its arguments.
 *
 * Called by: sigsegvHandler().
 */
static void logCurrentClient(void) {
    client *cc = server.current_client;
    sds info;
    int j;

    if (cc == NULL) return;
    serverLogRaw(LL_WARNING | LL_RAW, "\n------ CURRENT CLIENT INFO ------\n");
    info = catClientInfoString(sdsempty(), cc);
    serverLog(LL_WARNING, "%s", info);
    sdsfree(info);
    for (j = 0; j < cc->argc; j++) {
        robj *decoded = getDecodedObject(cc->argv[j]);

        serverLog(LL_WARNING, "argv[%d]: '%s'", j, (char *)decoded->ptr);
        decrRefCount(decoded);
    }
}

/**
 * @brief Print the report's closing line; optionally die of the signal.
 *
 * @param killViaSignal Non-zero to restore the default action of sig and
 *                      send it to ourselves (so the exit status and the
 *                      core dump say what happened).
 * @param sig           The signal, when killViaSignal is set.
 *
 * Called by: _serverAssert(), _serverPanic(), sigsegvHandler().
 */
static void bugReportEnd(int killViaSignal, int sig) {
    struct sigaction act;

    serverLogRaw(LL_WARNING | LL_RAW,
        "\n=== REDIS BUG REPORT END. Make sure to include from START to END. ===\n\n"
        "  This is minired, a teaching rewrite of the Redis 5.0 pipeline:\n"
        "  send the report above to minired's maintainers, not to Redis.\n\n");
    if (!killViaSignal) return;
    sigemptyset(&act.sa_mask);
    act.sa_flags = SA_NODEFER | SA_ONSTACK | SA_RESETHAND;
    act.sa_handler = SIG_DFL;
    sigaction(sig, &act, NULL);
    kill(getpid(), sig);
}

/**
 * @brief serverAssert() failed: report and abort.
 *
 * @param estr The expression that was false, as text.
 * @param file Source file of the assertion.
 * @param line Line of the assertion.
 *
 * Called by: the serverAssert() macro.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's _serverAssert() (debug.c):
 * Writes to address -1 to get a SIGSEGV, so that the full crash report
 * (registers, memory test) is printed by sigsegvHandler; minired prints
 * its report here and calls abort().
 */
void _serverAssert(const char *estr, const char *file, int line) {
    bugReportStart();
    serverLog(LL_WARNING, "=== ASSERTION FAILED ===");
    serverLog(LL_WARNING, "==> %s:%d '%s' is not true", file, line, estr);
    logStackTrace();
    bugReportEnd(0, 0);
    abort();
}

/**
 * @brief serverPanic(): an "impossible" state was reached; report and
 *        abort.
 *
 * @param file Source file of the panic.
 * @param line Line of the panic.
 * @param msg  printf format of the reason.
 * @param ...  Format arguments.
 *
 * Called by: the serverPanic() macro.
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's _serverPanic() (debug.c):
 * Like _serverAssert(), ends with a forced SIGSEGV rather than abort().
 */
void _serverPanic(const char *file, int line, const char *msg, ...) {
    va_list ap;
    char fmtmsg[256];

    va_start(ap, msg);
    vsnprintf(fmtmsg, sizeof(fmtmsg), msg, ap);
    va_end(ap);

    bugReportStart();
    serverLog(LL_WARNING, "------------------------------------------------");
    serverLog(LL_WARNING, "!!! Software Failure. Press left mouse button to "
              "continue");
    serverLog(LL_WARNING, "Guru Meditation: %s #%s:%d", fmtmsg, file, line);
    logStackTrace();
    serverLog(LL_WARNING, "------------------------------------------------");
    bugReportEnd(0, 0);
    abort();
}

/**
 * @brief Handler for SIGSEGV, SIGBUS, SIGFPE and SIGILL: write a bug
 *        report, then die of the same signal.
 *
 * Installed with SA_RESETHAND, so a second fault while reporting kills
 * the process directly instead of looping. The report uses stdio and
 * malloc, which is not async-signal-safe: acceptable for a process that
 * is about to die, and the information is worth the risk.
 *
 * @param sig    Signal number.
 * @param info   Details: faulting address, sender for kill(2).
 * @param secret The interrupted context (ucontext_t), unused.
 *
 * Called by: the kernel, as installed by setupSignalHandlers() (server.c).
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's sigsegvHandler() (debug.c):
 * Also prints the instruction pointer and all registers from the
 * ucontext, the full clients list, and runs a quick memory test.
 */
void sigsegvHandler(int sig, siginfo_t *info, void *secret) {
    sds infostring;

    bugReportStart();
    serverLog(LL_WARNING, "Redis %s crashed by signal: %d", REDIS_VERSION, sig);
    if (info && (sig == SIGSEGV || sig == SIGBUS))
        serverLog(LL_WARNING, "Accessing address: %p", (void *)info->si_addr);
    if (info && info->si_code <= SI_USER)
        serverLog(LL_WARNING, "Killed by PID: %ld, UID: %d",
                  (long)info->si_pid, (int)info->si_uid);
    logStackTrace();

    serverLogRaw(LL_WARNING | LL_RAW, "\n------ INFO OUTPUT ------\n");
    infostring = genRedisInfoString("all");
    serverLogRaw(LL_WARNING | LL_RAW, infostring);
    sdsfree(infostring);
    logCurrentClient();

    bugReportEnd(1, sig);
}

/* ======================== DEBUG ======================== */

/**
 * @brief DEBUG SLEEP seconds: stop the whole server, decimals allowed.
 *
 * Nothing else runs meanwhile, not even serverCron: the point is to show
 * (and test) what one slow command does to every other client.
 * "DEBUG SLEEP 0.25" sleeps 250,000 microseconds.
 *
 * @param c Client; argv[2] is the duration (not a number: 0).
 *
 * Called by: debugCommand().
 */
static void debugSleep(client *c) {
    double dtime = strtod(c->argv[2]->ptr, NULL);
    long long utime = dtime * 1000000;
    struct timespec tv;

    tv.tv_sec = utime / 1000000;
    tv.tv_nsec = (utime % 1000000) * 1000;
    nanosleep(&tv, NULL);
    addReply(c, shared.ok);
}

/**
 * @brief DEBUG subcommand: HELP, SLEEP, ERROR, LOG, SEGFAULT, PANIC,
 *        ASSERT.
 *
 * - SLEEP s: see debugSleep().
 * - ERROR text: reply "-text\r\n" (newlines turned into spaces): lets a
 *   client library test its error handling with any error string.
 * - LOG text: write "DEBUG LOG: text" to the server log, "+OK".
 * - SEGFAULT / PANIC / ASSERT: crash on purpose, to see the bug report.
 *
 * Anything else: "-ERR Unknown subcommand or wrong number of arguments
 * for 'foo'. Try DEBUG HELP.".
 *
 * @param c Client; argc >= 2 (arity -2).
 *
 * Called by: call().
 *
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's debugCommand() (debug.c):
 * Also RELOAD, LOADAOF, OBJECT, SDSLEN, POPULATE, DIGEST, PROTOCOL,
 * STRUCTSIZE, HTSTATS, RESTART, CHANGE-REPL-ID and more.
 */
void debugCommand(client *c) {
    if (c->argc == 2 && !strcasecmp(c->argv[1]->ptr, "help")) {
        const char *help[] = {
"ASSERT -- Crash by assertion failed.",
"ERROR <string> -- Return a Redis protocol error with <string> as message. Useful for clients unit tests to simulate Redis errors.",
"LOG <message> -- write message to the server log.",
"PANIC -- Crash the server simulating a panic.",
"SEGFAULT -- Crash the server with sigsegv.",
"SLEEP <seconds> -- Stop the server for <seconds>. Decimals allowed.",
NULL
        };
        addReplyHelp(c, help);
    } else if (!strcasecmp(c->argv[1]->ptr, "segfault")) {
        volatile char *bad = (char *)-1;

        *bad = 'x';
    } else if (!strcasecmp(c->argv[1]->ptr, "panic")) {
        serverPanic("DEBUG PANIC called at Unix time %ld", (long)time(NULL));
    } else if (!strcasecmp(c->argv[1]->ptr, "assert")) {
        serverAssert(1 == 2);
    } else if (!strcasecmp(c->argv[1]->ptr, "log") && c->argc == 3) {
        serverLog(LL_WARNING, "DEBUG LOG: %s", (char *)c->argv[2]->ptr);
        addReply(c, shared.ok);
    } else if (!strcasecmp(c->argv[1]->ptr, "sleep") && c->argc == 3) {
        debugSleep(c);
    } else if (!strcasecmp(c->argv[1]->ptr, "error") && c->argc == 3) {
        /* "DEBUG ERROR oops" -> "-oops\r\n": no "ERR" prefix is added. */
        sds errstr = sdsnewlen("-", 1);

        errstr = sdscatsds(errstr, c->argv[2]->ptr);
        errstr = sdsmapchars(errstr, "\n\r", "  ", 2);
        errstr = sdscatlen(errstr, "\r\n", 2);
        addReplySds(c, errstr);
    } else {
        addReplySubcommandSyntaxError(c);
    }
}
