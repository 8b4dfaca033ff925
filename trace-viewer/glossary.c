/**
 * @file glossary.c
 * @brief The glossary table, compiled from the X-macro file
 *        trace-viewer/glossary.def, and its lookups.
 *
 * Where it sits
 * -------------
 * explain.c (the `e` pane and the `E` screen) reads it; nothing else in
 * the viewer depends on it. What flows in: a kind and a name. What flows
 * out: a glossEntry. The table is a plain array in file order (about a
 * hundred rows), so a linear search is fast enough for one lookup per
 * drawn row and keeps the code obvious.
 */
#include "glossary.h"

#include <string.h>

/** One row of glossary.def as an initializer of gloss_table. */
#define GLOSS(kind, name, redis, text) { kind, name, redis, text },

/** Every row of glossary.def, in its order (the `E` screen's order). */
static const glossEntry gloss_table[] = {
#include "glossary.def"
};

#undef GLOSS

/**
 * @brief The row for @p name of @p kind.
 * @param kind "field", "step", "mark" or "bar"
 * @param name the name ("qb_pos", "block-fill", "*")
 * @return the row, or NULL when the table has none (a step kind newer
 *         than this viewer: the caller still shows its name).
 * Called by: explain.c.
 */
const glossEntry *glossFind(const char *kind, const char *name)
{
    for (size_t i = 0; i < glossCount(); i++)
        if (!strcmp(gloss_table[i].kind, kind) &&
            !strcmp(gloss_table[i].name, name))
            return &gloss_table[i];
    return NULL;
}

/**
 * @brief Rows in the table.
 * @return the count.
 * Called by: glossFind(), explain.c (the `E` screen).
 */
size_t glossCount(void)
{
    return sizeof(gloss_table) / sizeof(gloss_table[0]);
}

/**
 * @brief Row @p i in file order.
 * @param i 0 .. glossCount() - 1
 * @return the row, NULL past the end.
 * Called by: explain.c (the `E` screen).
 */
const glossEntry *glossAt(size_t i)
{
    return i < glossCount() ? &gloss_table[i] : NULL;
}
