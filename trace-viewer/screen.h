/**
 * @file screen.h
 * @brief The viewer's screen: what is being looked at (viewState) and the
 *        renderer that lays one step out into a canvas.
 *
 * Where it sits
 * -------------
 * Between the model (model.h: events and rebuilt buffers) and the two
 * outputs (term.c for the terminal, dump.c for --dump). main.c owns a
 * viewState, changes it on each key, and calls screenRender() for the
 * next frame. What flows in: the trace and the current step. What flows
 * out: a canvas.
 */
#ifndef MINIRED_VIEW_SCREEN_H
#define MINIRED_VIEW_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "canvas.h"
#include "model.h"

/** Everything one frame depends on besides the trace itself. */
typedef struct viewState {
    mvTrace *t;              /**< the open trace */
    size_t step;             /**< current step (0-based; shown 1-based) */
    uint64_t focus;          /**< client whose buffers are shown (0: none yet) */
    uint64_t filter;         /**< Tab filter: 0 = all clients, else a client id */
    const char *srcdir;      /**< source directory, NULL if not found */
    int follow;              /**< started with -f */
    int following;           /**< -f and the user has not moved: stay at the end */
    int help;                /**< the help overlay is up */
    int help_page;           /**< its page (0-based; clamped when drawn) */
    int plain;               /**< --dump: no hint line, no overlay */
    char prompt[128];        /**< active prompt text (":12", "/read"), "" for none */
    char message[256];       /**< one-shot message on the bottom line */
    int message_error;       /**< the message is an error (drawn as such) */
    size_t viol_step;        /**< step the last `v` stopped at (MV_NONE: none) */
    char viol_msg[256];      /**< its violation text */
    char search[80];         /**< last search text (n / N, also . / , repeat it) */
    int explain;             /**< e: the source pane explains the step (explain.c) */
    int explain_item;        /**< [ / ]: the field, mark or bar the e pane also explains, + 1 (0: none) */
    int glossary;            /**< E: the glossary screen is up */
    int gloss_page;          /**< its page (0-based; clamped when drawn) */
    size_t mark;             /**< m: the marked step (MV_NONE: none) */
    int compare;             /**< c: the source pane compares mark and step */
    int hide_server;         /**< H: step keys skip server steps (tid 0: before-sleep, cron, clock) */
    size_t blocks_top;       /**< < / >: first reply block shown, + 1 (0: follow the step's block) */
    size_t blocks_drawn;     /**< the first block the last frame showed, + 1 (what < / > start from) */
} viewState;

/** The smallest terminal the layout is made for: columns ... */
#define VIEW_MIN_W 80
/** ... and rows (the interactive screen; --dump has no hint row and
 *  needs one row less). Smaller gets a "terminal too small" message. */
#define VIEW_MIN_H 24

void screenRender(canvas *cv, viewState *vs);
int screenHelpPages(int h);
void screenFocusFromStep(viewState *vs);

#endif /* MINIRED_VIEW_SCREEN_H */
