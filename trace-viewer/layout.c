/**
 * @file layout.c
 * @brief How many rows each pane of the narrow (single column) screen
 *        gets: the querybuf strip, c->buf, the reply list, the source and
 *        the client list.
 *
 * Where it sits
 * -------------
 * screenRender() (screen.c) asks layoutHeights() for the five heights of
 * a frame, after measuring the byte strips with layoutStripNeed(). What
 * flows in: the rows available and what the step needs. What flows out:
 * five heights. It lives apart from screen.c to keep that file under the
 * project's 1,500 lines (issue 11 gave the layout its priorities: a pane
 * the step changed gets rows before the source pane, and a short buffer
 * does not keep blank rows).
 */
#include "layout.h"

#include "canvas.h"

/**
 * @brief Byte-strip rows a buffer fills at width @p w (1 at least, 6 at
 *        most), so a short querybuf leaves its rows to the other panes.
 * @param b the bytes
 * @param n how many
 * @param w the strip's columns
 * @return the rows.
 * Called by: screenRender().
 */
int layoutStripNeed(const char *b, size_t n, int w)
{
    size_t cols = 0, cap = (size_t)(w - 3) * 6;

    for (size_t i = 0; i < n && cols <= cap; i++)
        cols += (size_t)escapeWidth((unsigned char)b[i]);
    return cols <= (size_t)(w - 3) ? 1 : (int)(cols / (size_t)(w - 3)) + 1;
}

/**
 * @brief Section heights for the narrow (single column) layout.
 *
 * Minimum at 24 rows: querybuf 2 byte rows, c->buf 1, one block row, one
 * client row, and what is left (6+) for the source. Every extra row goes
 * first to what is clipped (more blocks, more clients, longer strips),
 * and the source pane takes the rest.
 * @param avail rows available for the five sections
 * @param nblocks reply blocks of the focused client
 * @param nclients clients to list
 * @param need byte-strip rows querybuf and c->buf fill (layoutStripNeed()),
 *        and non-zero when the step changed the reply list
 * @param h receives heights: querybuf, c->buf, reply list, source, clients
 * Called by: screenRender().
 */
void layoutHeights(int avail, size_t nblocks, size_t nclients,
                          const int need[3], int h[5])
{
    int qp = 2, bp = 1, nb = 1, cl = 1, src, grew = 1;

    src = avail - (2 + 2 * qp) - (1 + 2 * bp) - (1 + nb) - (2 + cl);
    if (src < 3 || need[0] < 2) {   /* under 24 rows, or a short querybuf */
        qp = 1;
        src += 2;
    }
    /* The reply list this step touched gets rows before the source and
     * the other clients: the change is what the step is about. */
    while (need[2] && (size_t)nb < nblocks && nb < 6 && src > 4) {
        nb++;
        src--;
    }
    /* A second and third client row before a longer source pane: the
     * lab scenarios with two clients are about their interplay. */
    while ((size_t)cl < nclients && cl < 3 && src > 5) {
        cl++;
        src--;
    }
    while (src > 10 && grew) {
        grew = 0;
        if ((size_t)nb < nblocks && nb < 8) { nb++; src--; grew = 1; }
        if ((size_t)cl < nclients && cl < 12 && src > 10) {
            cl++; src--; grew = 1;
        }
        if (qp < 5 && qp < need[0] && src > 12) { qp++; src -= 2; grew = 1; }
        if (bp < 3 && bp < need[1] && src > 14) { bp++; src -= 2; grew = 1; }
    }
    h[0] = 2 + 2 * qp;
    h[1] = 1 + 2 * bp;
    h[2] = 1 + nb;
    h[3] = src;
    h[4] = 2 + cl;
}
