/**
 * @file explain.h
 * @brief What the screen means and what changed: the `e` explain pane,
 *        the `E` glossary screen, and the `m` / `c` / `w` comparison of
 *        two steps (issue 11).
 *
 * Where it sits
 * -------------
 * Beside screen.c: screenRender() lets explainPane() draw the pane where
 * the source usually is (when `e` or `c` is on) and explainGlossary()
 * draw the `E` screen over the frame; main.c calls explainLastChange()
 * for `w` ("why is this 7?"). What flows in: the view and the model.
 * What flows out: rows of text on the canvas, a step number.
 */
#ifndef MINIRED_VIEW_EXPLAIN_H
#define MINIRED_VIEW_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "canvas.h"
#include "screen.h"

/** One field of the client state the viewer can explain and compare. */
typedef struct explainField {
    unsigned bit;        /**< its MV_F_* bit */
    const char *name;    /**< its key in "c" (the glossary's name) */
    char key;            /**< its key after `w` (0: none) */
} explainField;

int explainPane(canvas *cv, viewState *vs, int y, int x, int w, int h);
void explainGlossary(canvas *cv, viewState *vs);
int explainGlossaryPages(int w, int h);
size_t explainLastChange(mvTrace *t, uint64_t client, size_t at,
                         unsigned bit);
const explainField *explainFieldByKey(int key);
const char *explainWhyPrompt(void);
int explainItemCount(void);

#endif /* MINIRED_VIEW_EXPLAIN_H */
