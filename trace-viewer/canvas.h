/**
 * @file canvas.h
 * @brief A grid of characters with a semantic attribute per cell: what the
 *        viewer draws into before it goes to the terminal or to --dump.
 *
 * Where it sits
 * -------------
 * Between the renderer and the two outputs. screen.c lays a step out into
 * a canvas (text plus "this cell is a consumed byte", "this field
 * changed"...); term.c copies the canvas to curses, turning each semantic
 * attribute into a colour or, without colour, into bold/dim/reverse;
 * dump.c prints the characters alone. One renderer, two outputs: the text
 * of `--dump 41` is exactly what the terminal shows at step 41, which is
 * what the tests and the book's figures rely on.
 *
 * What flows in: strings and byte ranges to place. What flows out: a
 * w x h array of ASCII characters and attributes.
 */
#ifndef MINIRED_VIEW_CANVAS_H
#define MINIRED_VIEW_CANVAS_H

#include <stddef.h>

/** What a cell means; term.c maps each one to a colour or a mono style. */
typedef enum viewAttr {
    VA_NORMAL = 0,  /**< plain text */
    VA_STATUS,      /**< the status line (step, client, function, src) */
    VA_TITLE,       /**< a section title ("querybuf", "c->buf", ...) */
    VA_DIM,         /**< bytes already consumed (qb_pos) or sent (sentlen) */
    VA_READ,        /**< bytes the client's latest read appended */
    VA_CHANGED,     /**< a field whose value changed at this step */
    VA_MARK,        /**< a position marker (^ under qb_pos, bufpos...) */
    VA_CURLINE,     /**< the source line of the step's trace point */
    VA_COMMENT,     /**< a comment in the source pane */
    VA_BAR,         /**< the filled part of a used/size bar */
    VA_ERROR,       /**< an invariant violation, an error message */
    VA_HINT,        /**< the key hint / message line at the bottom */
    VA_COUNT        /**< number of attributes (not an attribute) */
} viewAttr;

/** A w x h grid; ch[y * w + x] is the character, at[] its attribute. */
typedef struct canvas {
    int w;              /**< columns */
    int h;              /**< rows */
    char *ch;           /**< w * h printable ASCII characters */
    unsigned char *at;  /**< w * h viewAttr values */
} canvas;

canvas *canvasNew(int w, int h);
void canvasFree(canvas *cv);
void canvasClear(canvas *cv);
int canvasPut(canvas *cv, int y, int x, const char *s, viewAttr a);
int canvasPutf(canvas *cv, int y, int x, viewAttr a, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void canvasAttr(canvas *cv, int y, int x, int n, viewAttr a);
void canvasFill(canvas *cv, int y, int x, int n, char c, viewAttr a);

int escapeByte(unsigned char b, char out[5]);
int escapeWidth(unsigned char b);

#endif /* MINIRED_VIEW_CANVAS_H */
