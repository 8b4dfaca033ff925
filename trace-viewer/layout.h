/**
 * @file layout.h
 * @brief Pane heights of the viewer's narrow layout (layout.c).
 *
 * Where it sits
 * -------------
 * Called by screenRender() (screen.c) once per frame. What flows in: the
 * rows available, the reply blocks and clients to show, what the strips
 * need. What flows out: the heights of the five panes.
 */
#ifndef MINIRED_VIEW_LAYOUT_H
#define MINIRED_VIEW_LAYOUT_H

#include <stddef.h>

int layoutStripNeed(const char *b, size_t n, int w);
void layoutHeights(int avail, size_t nblocks, size_t nclients,
                   const int need[3], int h[5]);

#endif /* MINIRED_VIEW_LAYOUT_H */
