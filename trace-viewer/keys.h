/**
 * @file keys.h
 * @brief The viewer's key map: one table from key to action, and the help
 *        screen generated from that same table.
 *
 * Where it sits
 * -------------
 * Between term.c (which delivers curses key codes) and main.c (which acts
 * on a keyAction). What flows in: a key code. What flows out: an action,
 * and the help lines for `?`.
 */
#ifndef MINIRED_VIEW_KEYS_H
#define MINIRED_VIEW_KEYS_H

/** What a key asks for. */
typedef enum keyAction {
    KA_NONE = 0,      /**< key not bound */
    KA_NEXT,          /**< next step (of the filtered client, if any) */
    KA_PREV,          /**< previous step */
    KA_NEXT_SAME,     /**< next step of the client being shown */
    KA_PREV_SAME,     /**< previous step of the client being shown */
    KA_PAGE_DOWN,     /**< 20 steps forward */
    KA_PAGE_UP,       /**< 20 steps back */
    KA_FIRST,         /**< first step */
    KA_LAST,          /**< last step */
    KA_JUMP,          /**< prompt for a step number */
    KA_FILTER,        /**< cycle the client filter */
    KA_SEARCH,        /**< prompt for a function name */
    KA_SEARCH_NEXT,   /**< repeat the search forward */
    KA_SEARCH_PREV,   /**< repeat the search backward */
    KA_FIELD,         /**< run to the next change of a field (asks which) */
    KA_VIOLATION,     /**< run to the next invariant violation */
    KA_HELP,          /**< show / hide the help screen */
    KA_EXPLAIN,       /**< e: the source pane explains the step and its changes */
    KA_GLOSSARY,      /**< E: the glossary screen (every field, step kind, mark) */
    KA_ITEM_NEXT,     /**< ]: the e pane explains the next field, mark or bar */
    KA_ITEM_PREV,     /**< [: ... the previous one */
    KA_MARK,          /**< m: mark this step (c compares with it) */
    KA_COMPARE,       /**< c: the source pane compares the mark with this step */
    KA_WHY,           /**< w: go to the step that last changed a field (asks which) */
    KA_HIDE_SERVER,   /**< H: step keys skip server steps (before-sleep, cron, clock) */
    KA_BLOCKS_UP,     /**< <: scroll the reply list up one block */
    KA_BLOCKS_DOWN,   /**< >: scroll the reply list down one block */
    KA_QUIT,          /**< quit */
    KA_REDRAW         /**< repaint (Ctrl-L, a resize) */
} keyAction;

keyAction keyLookup(int key);
int keyHelpLines(const char ***lines);

#endif /* MINIRED_VIEW_KEYS_H */
