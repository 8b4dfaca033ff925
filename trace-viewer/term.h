/**
 * @file term.h
 * @brief The terminal side of the viewer: curses start and stop, colours
 *        or their monochrome stand-ins, signal safety, and copying a
 *        canvas to the screen.
 *
 * Where it sits
 * -------------
 * Only main.c's interactive loop calls it; --dump never touches curses.
 * What flows in: a rendered canvas, key presses from the user. What flows
 * out: the picture on the terminal, key codes for keys.c.
 */
#ifndef MINIRED_VIEW_TERM_H
#define MINIRED_VIEW_TERM_H

#include "canvas.h"

int termStart(int mono);
void termStop(void);
void termShow(const canvas *cv);
int termGetKey(int timeout_ms);
void termSize(int *w, int *h);
int termQuitRequested(void);
int termIsColour(void);
void termRedraw(void);
void termBottomLine(const char *text);

/** Draws one frame on a canvas of the terminal's size (see termFrameKey). */
typedef void termDrawFn(canvas *cv, void *arg);
int termFrameKey(termDrawFn *draw, void *arg);

#endif /* MINIRED_VIEW_TERM_H */
