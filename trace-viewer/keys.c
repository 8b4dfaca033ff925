/**
 * @file keys.c
 * @brief Key bindings (key_table) and the help text (help_lines), kept
 *        side by side so the help does not drift from what the keys do.
 *
 * Where it sits
 * -------------
 * main.c passes every key it reads to keyLookup() and acts on the
 * keyAction; `?` shows keyHelpLines() (also printed by --help).
 *
 * Design decisions a reader may wonder about:
 *  - Arrows and vi keys both work (→ l Space, ← h p, ↓ j, ↑ k): workshop
 *    machines have everything from laptop keyboards with no arrows in
 *    reach to people who have never used vi.
 *  - `n` / `N` repeat the search forward / backward, as in less and vim
 *    (issue 11: students reached for them first). They were "next step"
 *    before; next step stays on → l Space, and `.` / `,` still repeat the
 *    search too, so every old action is still one key away.
 *  - Every help line starts with its keys, then two spaces, then what
 *    they do, and no line is wider than 79 columns. At 80x24 the help
 *    takes two pages (keys, then the legend of the screen), turned with
 *    Space / PgDn; tests/viewer checks every key and the legend can be
 *    reached there.
 *  - `f` asks for a second key (q b s r l a) instead of six top-level keys,
 *    so those letters stay free and the prompt can list the choices.
 */
#include "keys.h"

#include <curses.h>
#include <stddef.h>

/** One binding: a key code and its action. */
typedef struct keyBinding {
    int key;            /**< curses key code or ASCII */
    keyAction action;   /**< what it does */
} keyBinding;

/* ANCHOR: keys-table */
/** Every binding. Several keys may share an action. */
static const keyBinding key_table[] = {
    { KEY_RIGHT, KA_NEXT },  { 'l', KA_NEXT },  { ' ', KA_NEXT },
    { KEY_LEFT, KA_PREV },   { 'h', KA_PREV },  { 'p', KA_PREV },
    { KEY_BACKSPACE, KA_PREV },
    { KEY_DOWN, KA_NEXT_SAME }, { 'j', KA_NEXT_SAME },
    { KEY_UP, KA_PREV_SAME },   { 'k', KA_PREV_SAME },
    { KEY_NPAGE, KA_PAGE_DOWN }, { 'J', KA_PAGE_DOWN },
    { KEY_PPAGE, KA_PAGE_UP },   { 'K', KA_PAGE_UP },
    { 'g', KA_FIRST }, { KEY_HOME, KA_FIRST },
    { 'G', KA_LAST },  { KEY_END, KA_LAST },
    { ':', KA_JUMP },
    { '\t', KA_FILTER },
    { '/', KA_SEARCH },
    { 'n', KA_SEARCH_NEXT }, { 'N', KA_SEARCH_PREV },
    { '.', KA_SEARCH_NEXT }, { ',', KA_SEARCH_PREV },
    { 'e', KA_EXPLAIN }, { 'E', KA_GLOSSARY },
    { ']', KA_ITEM_NEXT }, { '[', KA_ITEM_PREV },
    { 'm', KA_MARK }, { 'c', KA_COMPARE }, { 'w', KA_WHY },
    { 'H', KA_HIDE_SERVER },
    { '<', KA_BLOCKS_UP }, { '>', KA_BLOCKS_DOWN },
    { 'f', KA_FIELD },
    { 'v', KA_VIOLATION },
    { '?', KA_HELP }, { KEY_F(1), KA_HELP },
    { 'q', KA_QUIT }, { 'Q', KA_QUIT },
    { 12 /* Ctrl-L */, KA_REDRAW }, { KEY_RESIZE, KA_REDRAW },
};
/* ANCHOR_END: keys-table */

/** The help screen, one line each; "?" shows it, --help prints it. Line
 *  0 is the title; lines are at most 79 columns; blank lines separate the
 *  paragraphs the help's pages are split at (screen.c). Each key line
 *  starts with its keys and then, after two spaces, what they do. */
static const char *help_lines[] = {
    "minired-view keys",
    "->  l  Space       next step (of the filtered client, when Tab set one)",
    "<-  h  p  Bksp     previous step",
    "Down j / Up k      next / previous step of the client on screen",
    "PgDn J / PgUp K    20 steps forward / back",
    "g  Home / G  End   first step / last step (with -f: follow the end again)",
    ":N Enter           jump to step N (step N is \"ts\":N in the file)",
    "Tab                client filter: all, then each client; the step stays",
    "H                  hide / show server steps (before-sleep, cron, clock)",
    "/TEXT Enter        search forward for a function (or step) containing TEXT",
    "n  N               repeat the search forward / backward (also .  ,)",
    "f q|b|s|r|l|a      next change of qb_pos|bufpos|sentlen|reply|qlen|argc",
    "v                  run to the next invariant violation (as minired-trace check)",
    "e  [  ]            explain the step and its changes / any field, mark, bar",
    "E                  glossary: every field, step kind, mark and bar",
    "m / c              mark this step / compare the mark with this step",
    "w KEY              why? back to the step that last changed a field (w q ...)",
    "<  >               scroll the reply list (it follows the step's block)",
    "?  F1   q  Ctrl-C  this help / quit; Esc cancels a prompt",
    "",
    "Byte strips: dim and '-' = consumed (before qb_pos) or sent (before",
    "sentlen); bright and '+' = just read or appended; '^' = qb_pos or sentlen;",
    "'|' = bufpos. A value followed by '*' changed at this step: compared with",
    "this client's previous step (not with the screen you came from).",
    "\"just written:\" = the bytes a write step sent, where c->buf (now empty)",
    "would be. Reply list rows: [block] '#' used '.' free, used/size bytes,",
    "+N = N bytes appended by this step; reply_bytes sums the sizes.",
    "",
    "Status line: step n of N, the client (or server), the function and the",
    "step kind, its src file:line; \"(showing client N)\" when the buffers below",
    "are another client's. Start at a step with minired-view --step N FILE.",
    "Two traces side by side: --diff EXPECTED ACTUAL (keys d n N: divergences);",
    "quiz mode: --predict QUESTIONS.txt TRACE (docs/predict-format.md).",
};

/**
 * @brief Map a key code to its action.
 * @param key a curses key code (from getch())
 * @return the action, KA_NONE when the key is unbound.
 * Called by: main.c's interactive loop.
 */
keyAction keyLookup(int key)
{
    for (size_t i = 0; i < sizeof(key_table) / sizeof(key_table[0]); i++)
        if (key_table[i].key == key)
            return key_table[i].action;
    /* Some terminals send DEL (127) or ^H for Backspace instead of
     * KEY_BACKSPACE. */
    if (key == 127 || key == 8)
        return KA_PREV;
    return KA_NONE;
}

/**
 * @brief The help text.
 * @param lines receives the array of lines
 * @return the number of lines.
 * Called by: screen.c (the `?` overlay), main.c (--help).
 */
int keyHelpLines(const char ***lines)
{
    *lines = help_lines;
    return (int)(sizeof(help_lines) / sizeof(help_lines[0]));
}
