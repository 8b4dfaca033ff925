/**
 * @file canvas.c
 * @brief The character grid the viewer renders into, and the escaping that
 *        turns raw buffer bytes into something a terminal can show.
 *
 * Where it sits
 * -------------
 * screen.c writes text and attributes here; term.c (curses) and dump.c
 * (plain text) read the grid back. Everything placed is clipped to the
 * grid, so a layout computed for a wider screen can never write outside
 * it: the renderer may be sloppy at the edges, the canvas is not.
 *
 * Bytes are shown the way a C programmer writes them: "*3\r\n$3\r\nSET"
 * stays readable, a NUL is "\0", byte 0xe9 is "\xe9". That keeps every
 * displayed character in printable ASCII, so the same grid prints in any
 * terminal, in a monochrome one, and in a text file.
 */
#include "canvas.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/**
 * @brief Allocate a blank canvas of @p w columns and @p h rows.
 * @param w columns (at least 1)
 * @param h rows (at least 1)
 * @return the canvas, or NULL when out of memory.
 * Called by: screen users (main.c for each frame, dump.c once).
 */
canvas *canvasNew(int w, int h)
{
    canvas *cv = calloc(1, sizeof(*cv));

    if (cv == NULL)
        return NULL;
    if (w < 1) w = 1;
    if (h < 1) h = 1;
    cv->w = w;
    cv->h = h;
    cv->ch = malloc((size_t)w * h);
    cv->at = malloc((size_t)w * h);
    if (cv->ch == NULL || cv->at == NULL) {
        canvasFree(cv);
        return NULL;
    }
    canvasClear(cv);
    return cv;
}

/**
 * @brief Free a canvas (NULL is fine).
 * @param cv the canvas
 * Called by: main.c, dump.c, canvasNew() on failure.
 */
void canvasFree(canvas *cv)
{
    if (cv == NULL)
        return;
    free(cv->ch);
    free(cv->at);
    free(cv);
}

/**
 * @brief Blank every cell: spaces, VA_NORMAL.
 * @param cv the canvas
 * Called by: canvasNew(), screenRender() before each frame.
 */
void canvasClear(canvas *cv)
{
    memset(cv->ch, ' ', (size_t)cv->w * cv->h);
    memset(cv->at, VA_NORMAL, (size_t)cv->w * cv->h);
}

/**
 * @brief Write string @p s at row @p y, column @p x with attribute @p a,
 *        clipped to the canvas.
 *
 * Non-printable characters become '?': the canvas only ever holds
 * printable ASCII (callers escape buffer bytes with escapeByte() first).
 * @param cv the canvas
 * @param y row
 * @param x starting column (may be negative or past the edge)
 * @param s NUL-terminated text
 * @param a attribute for every written cell
 * @return the column just after the text (even where it was clipped), so
 *         calls can be chained along a line.
 * Called by: screen.c throughout, canvasPutf().
 */
int canvasPut(canvas *cv, int y, int x, const char *s, viewAttr a)
{
    for (; *s; s++, x++) {
        unsigned char c = (unsigned char)*s;

        if (y < 0 || y >= cv->h || x < 0 || x >= cv->w)
            continue;
        cv->ch[y * cv->w + x] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
        cv->at[y * cv->w + x] = (unsigned char)a;
    }
    return x;
}

/**
 * @brief printf-style canvasPut().
 * @param cv the canvas
 * @param y row
 * @param x starting column
 * @param a attribute
 * @param fmt printf format
 * @param ... its arguments
 * @return the column just after the text.
 * Called by: screen.c.
 */
int canvasPutf(canvas *cv, int y, int x, viewAttr a, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return canvasPut(cv, y, x, buf, a);
}

/**
 * @brief Change the attribute of @p n cells from (@p y, @p x), keeping the
 *        characters.
 * @param cv the canvas
 * @param y row
 * @param x first column
 * @param n number of cells
 * @param a the new attribute
 * Called by: screen.c (highlight a source line, a status segment).
 */
void canvasAttr(canvas *cv, int y, int x, int n, viewAttr a)
{
    for (int i = 0; i < n; i++, x++)
        if (y >= 0 && y < cv->h && x >= 0 && x < cv->w)
            cv->at[y * cv->w + x] = (unsigned char)a;
}

/**
 * @brief Write @p n copies of character @p c from (@p y, @p x).
 * @param cv the canvas
 * @param y row
 * @param x first column
 * @param n number of cells
 * @param c the character
 * @param a attribute
 * Called by: screen.c (bars, rules, the status line background).
 */
void canvasFill(canvas *cv, int y, int x, int n, char c, viewAttr a)
{
    char one[2] = { c, 0 };

    for (int i = 0; i < n; i++)
        canvasPut(cv, y, x + i, one, a);
}

/* ANCHOR: canvas-escape-byte */
/**
 * @brief Spell one buffer byte for the screen.
 *
 * The protocol's own delimiters get their C names so a request reads like
 * its source: `*1\\r\\n$4\\r\\nPING\\r\\n`. A backslash byte is shown
 * doubled, so a user who typed backslash and r (two bytes) is not
 * mistaken for a carriage return (one byte).
 * @param b the byte
 * @param out receives the spelling, NUL-terminated (1 to 4 characters)
 * @return the number of characters written to @p out.
 * Called by: escapeWidth(), screen.c's byte strips.
 */
int escapeByte(unsigned char b, char out[5])
{
    switch (b) {
    case '\r': memcpy(out, "\\r", 3); return 2;
    case '\n': memcpy(out, "\\n", 3); return 2;
    case '\t': memcpy(out, "\\t", 3); return 2;
    case '\0': memcpy(out, "\\0", 3); return 2;
    case '\\': memcpy(out, "\\\\", 3); return 2;
    default:
        break;
    }
    if (b >= 0x20 && b < 0x7f) {
        out[0] = (char)b;
        out[1] = 0;
        return 1;
    }
    /* Any other control byte or high byte: \xNN, lower-case like the
     * trace's own \u00NN, so it can be matched against the file. */
    snprintf(out, 5, "\\x%02x", b);
    return 4;
}
/* ANCHOR_END: canvas-escape-byte */

/**
 * @brief How many columns escapeByte() needs for @p b.
 * @param b the byte
 * @return 1, 2 or 4.
 * Called by: screen.c when it fits a window of bytes to a strip width.
 */
int escapeWidth(unsigned char b)
{
    char tmp[5];

    return escapeByte(b, tmp);
}
