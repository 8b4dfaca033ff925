/**
 * @file term.c
 * @brief Curses set-up and tear-down, colours, signals, and drawing a
 *        canvas on the terminal.
 *
 * Where it sits
 * -------------
 * Under main.c's interactive loop. main.c renders a step into a canvas
 * (screen.c) and hands it to termShow(); it asks termGetKey() for the
 * next key, with a timeout so follow mode can poll the trace file.
 *
 * The one rule this file exists for: the user's terminal must come back
 * usable whatever happens. A viewer that dies in curses mode leaves a
 * shell with no echo and no line editing, which in a lab looks exactly
 * like a broken machine. So:
 *  - normal exit: main.c calls termStop(); an atexit() hook calls it too
 *    in case some error path exits without it;
 *  - Ctrl-C, SIGTERM, SIGHUP: the handler only sets a flag; getch()
 *    returns (it polls at most every 200 ms), the loop sees
 *    termQuitRequested() and leaves the normal way;
 *  - SIGSEGV, SIGABRT, SIGBUS, SIGFPE: there is no "normal way" any
 *    more, so the handler calls endwin() itself and re-raises the signal
 *    with the default action, so the shell still reports the crash and a
 *    core dump is still written.
 */
#include "term.h"

#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/** Non-zero between termStart() and termStop(). */
static volatile sig_atomic_t term_active = 0;
/** Set by the SIGINT/SIGTERM/SIGHUP handler, read by the main loop. */
static volatile sig_atomic_t term_quit = 0;
/** Non-zero when the attributes are colour pairs. */
static int term_colour = 0;
/** The curses attribute for each viewAttr, filled by termStart(). */
static attr_t term_attr[VA_COUNT];

/**
 * @brief SIGINT / SIGTERM / SIGHUP: ask the main loop to quit.
 *
 * Nothing else happens here: endwin() is not async-signal-safe, and the
 * loop is never more than one getch() timeout away from seeing the flag.
 * @param sig the signal number (unused)
 * Called by: the kernel, via sigaction() in termStart().
 */
static void termOnQuitSignal(int sig)
{
    term_quit = 1;
}

/**
 * @brief SIGSEGV / SIGABRT / SIGBUS / SIGFPE: restore the terminal, then
 *        die of the same signal.
 *
 * endwin() from a signal handler is not guaranteed safe, but after a
 * crash the alternative is a terminal left raw for certain; the handler
 * was installed with SA_RESETHAND, so raise() now takes the default
 * action (core dump, "Segmentation fault" in the shell).
 * @param sig the signal number, raised again
 * Called by: the kernel, via sigaction() in termStart().
 */
static void termOnCrashSignal(int sig)
{
    if (term_active)
        endwin();
    term_active = 0;
    raise(sig);
}

/**
 * @brief atexit() hook: termStop() if some path exit()s in curses mode.
 * Called by: exit().
 */
static void termAtExit(void)
{
    termStop();
}

/**
 * @brief Install the signal handlers described at the top of the file.
 * Called by: termStart().
 */
static void termInstallSignals(void)
{
    struct sigaction sa;
    static const int quit_sigs[] = { SIGINT, SIGTERM, SIGHUP };
    static const int crash_sigs[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE };

    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a getch() blocked in read() must return so the loop
     * notices the flag at once. */
    sa.sa_handler = termOnQuitSignal;
    for (size_t i = 0; i < sizeof(quit_sigs) / sizeof(quit_sigs[0]); i++)
        sigaction(quit_sigs[i], &sa, NULL);

    sa.sa_handler = termOnCrashSignal;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    for (size_t i = 0; i < sizeof(crash_sigs) / sizeof(crash_sigs[0]); i++)
        sigaction(crash_sigs[i], &sa, NULL);
}

/* ANCHOR: term-attributes */
/**
 * @brief Choose the curses attribute of every viewAttr.
 *
 * With colour: consumed/sent bytes dim grey, the latest read green, a
 * changed field yellow, markers cyan, violations red. Without colour (no
 * has_colors(), NO_COLOR set, or --mono) every meaning still gets a
 * distinct style: consumed = A_DIM, just read = A_BOLD, changed =
 * A_REVERSE, markers = A_BOLD, the current source line = A_REVERSE. The
 * screen also prints '*' after a changed field and a ruler under each
 * strip, so nothing depends on colour alone.
 * @param mono non-zero to use the monochrome styles
 * Called by: termStart().
 */
static void termSetupAttrs(int mono)
{
    term_colour = !mono && has_colors();
    if (term_colour) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_BLACK, COLOR_CYAN);      /* status line */
        init_pair(2, COLOR_CYAN, -1);               /* titles, markers */
        init_pair(3, COLOR_GREEN, -1);              /* just read */
        init_pair(4, COLOR_YELLOW, -1);             /* changed */
        init_pair(5, COLOR_RED, -1);                /* violation */
        init_pair(6, COLOR_BLUE, -1);               /* comments */
        init_pair(7, COLOR_BLACK, COLOR_YELLOW);    /* current line */
        term_attr[VA_NORMAL] = A_NORMAL;
        term_attr[VA_STATUS] = COLOR_PAIR(1);
        term_attr[VA_TITLE] = COLOR_PAIR(2) | A_BOLD;
        term_attr[VA_DIM] = A_DIM;
        term_attr[VA_READ] = COLOR_PAIR(3) | A_BOLD;
        term_attr[VA_CHANGED] = COLOR_PAIR(4) | A_BOLD;
        term_attr[VA_MARK] = COLOR_PAIR(2) | A_BOLD;
        term_attr[VA_CURLINE] = COLOR_PAIR(7);
        term_attr[VA_COMMENT] = COLOR_PAIR(6);
        term_attr[VA_BAR] = COLOR_PAIR(3);
        term_attr[VA_ERROR] = COLOR_PAIR(5) | A_BOLD;
        term_attr[VA_HINT] = A_DIM;
        return;
    }
    term_attr[VA_NORMAL] = A_NORMAL;
    term_attr[VA_STATUS] = A_REVERSE;
    term_attr[VA_TITLE] = A_BOLD;
    term_attr[VA_DIM] = A_DIM;
    term_attr[VA_READ] = A_BOLD | A_UNDERLINE;
    term_attr[VA_CHANGED] = A_REVERSE;
    term_attr[VA_MARK] = A_BOLD;
    term_attr[VA_CURLINE] = A_REVERSE;
    term_attr[VA_COMMENT] = A_DIM;
    term_attr[VA_BAR] = A_BOLD;
    term_attr[VA_ERROR] = A_BOLD | A_UNDERLINE;
    term_attr[VA_HINT] = A_DIM;
}
/* ANCHOR_END: term-attributes */

/**
 * @brief Enter curses mode.
 * @param mono non-zero for the monochrome styles even on a colour terminal
 * @return 0 on success, -1 if the terminal cannot be initialised (TERM
 *         unknown...), with curses left off.
 * Called by: main.c before the interactive loop.
 */
int termStart(int mono)
{
    static int hooked = 0;

    setlocale(LC_ALL, "");
    /* newterm() instead of initscr(): initscr() exit()s on an unknown
     * TERM, newterm() returns NULL and we can print a real message. */
    if (newterm(NULL, stdout, stdin) == NULL)
        return -1;
    term_active = 1;
    if (!hooked) {
        atexit(termAtExit);
        hooked = 1;
    }
    termInstallSignals();
    cbreak();              /* keys at once; Ctrl-C still sends SIGINT */
    noecho();
    nonl();
    keypad(stdscr, TRUE);  /* arrows arrive as KEY_LEFT..., not ESC [ D */
    set_escdelay(25);      /* a lone Esc (cancel a prompt) need not lag */
    curs_set(0);
    termSetupAttrs(mono);
    return 0;
}

/**
 * @brief Leave curses mode; safe to call twice or before termStart().
 * Called by: main.c on quit, termAtExit().
 */
void termStop(void)
{
    if (!term_active)
        return;
    term_active = 0;
    curs_set(1);
    endwin();
}

/**
 * @brief Copy a canvas to the terminal and refresh.
 *
 * Cells are written run by run (same attribute) rather than one by one:
 * a 200x60 screen is 12,000 cells, and grouping keeps each frame cheap
 * when a key is held down. curses itself sends only what changed.
 * @param cv the rendered frame (its size should match termSize())
 * Called by: main.c after each screenRender().
 */
void termShow(const canvas *cv)
{
    int rows, cols;

    getmaxyx(stdscr, rows, cols);
    erase();
    for (int y = 0; y < cv->h && y < rows; y++) {
        int x = 0;
        int width = cv->w < cols ? cv->w : cols;

        while (x < width) {
            int a = cv->at[y * cv->w + x];
            int run = x;

            while (run < width && cv->at[y * cv->w + run] == a)
                run++;
            /* The bottom-right cell: writing it would scroll some
             * terminals, so the last row stops one short. */
            if (y == rows - 1 && run == cols)
                run--;
            if (run > x) {
                attrset(term_attr[a]);
                mvaddnstr(y, x, cv->ch + y * cv->w + x, run - x);
            }
            if (run <= x)
                break;
            x = run;
        }
    }
    attrset(A_NORMAL);
    refresh();
}

/**
 * @brief Wait up to @p timeout_ms for a key.
 * @param timeout_ms milliseconds; -1 waits for ever
 * @return the curses key code (KEY_LEFT, KEY_RESIZE, 'q'...), or ERR on
 *         timeout or when a signal interrupted the wait.
 * Called by: main.c's loop and its prompts.
 */
int termGetKey(int timeout_ms)
{
    timeout(timeout_ms);
    return getch();
}

/**
 * @brief The terminal's current size.
 * @param w receives the columns
 * @param h receives the rows
 * Called by: main.c before each render (the size changes on KEY_RESIZE).
 */
void termSize(int *w, int *h)
{
    getmaxyx(stdscr, *h, *w);
}

/**
 * @brief Did SIGINT / SIGTERM / SIGHUP arrive?
 * @return non-zero once one of them was received.
 * Called by: main.c's loop after each termGetKey().
 */
int termQuitRequested(void)
{
    return term_quit;
}

/**
 * @brief Is the terminal drawing in colour?
 * @return non-zero for colour, 0 for the monochrome styles.
 * Called by: screen.c via main.c (the help screen says which).
 */
int termIsColour(void)
{
    return term_colour;
}

/**
 * @brief Make the next termShow() repaint every cell (Ctrl-L), for a
 *        screen another program scribbled on.
 * Called by: main.c on KA_REDRAW.
 */
void termRedraw(void)
{
    clearok(curscr, TRUE);
}

/**
 * @brief Overwrite the bottom row with @p text at once, without a full
 *        frame: progress of a long search, drawn from inside the search.
 * @param text the line (cut at the screen width)
 * Called by: main.c's search progress callback.
 */
void termBottomLine(const char *text)
{
    int rows, cols;

    getmaxyx(stdscr, rows, cols);
    move(rows - 1, 0);
    clrtoeol();
    attrset(term_attr[VA_STATUS]);
    mvaddnstr(rows - 1, 0, text, cols - 1);
    attrset(A_NORMAL);
    refresh();
}

/**
 * @brief Draw one frame at the terminal's current size, then wait for a
 *        key: the body of the learner modes' loops.
 *
 * The wait polls every 200 ms so that a SIGINT/SIGTERM (which only sets a
 * flag, see termQuitRequested) ends the session within a fifth of a
 * second even when no key comes.
 * @param draw renders the frame onto a canvas of the terminal's size
 * @param arg  passed to @p draw
 * @return the key code (KEY_RESIZE included), or -1 when the user asked
 *         to quit by a signal
 * Called by: diffLoop() (diffview.c), pvLoop() (predictview.c).
 */
int termFrameKey(termDrawFn *draw, void *arg)
{
    int w, h, key;

    termSize(&w, &h);
    canvas *cv = canvasNew(w, h);
    if (cv != NULL) {
        draw(cv, arg);
        termShow(cv);
        canvasFree(cv);
    }
    do {
        key = termGetKey(200);
        if (termQuitRequested())
            return -1;
    } while (key == ERR);
    return key;
}
