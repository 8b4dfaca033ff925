/**
 * @file glossary.h
 * @brief The viewer's explanations: one row per field, step kind, mark
 *        and bar, compiled from trace-viewer/glossary.def (issue 11).
 *
 * Where it sits
 * -------------
 * Beside the screen: explain.c asks it what a step kind or a field means
 * (the `e` pane, the `E` glossary screen). What flows in: a kind and a
 * name ("field", "qb_pos"). What flows out: the row, or NULL for a name
 * the table does not know yet (a step kind newer than the viewer).
 * The same table makes the "Glossary" section of docs/trace-format.md
 * (scripts/glossary.py), so the screen and the docs cannot drift.
 */
#ifndef MINIRED_VIEW_GLOSSARY_H
#define MINIRED_VIEW_GLOSSARY_H

#include <stddef.h>

/** One row of trace-viewer/glossary.def. */
typedef struct glossEntry {
    const char *kind;   /**< "field", "step", "mark" or "bar" */
    const char *name;   /**< the field, the step kind ("cat"), the mark */
    const char *redis;  /**< the Redis 5.0.14 name ("c->qb_pos") */
    const char *text;   /**< meaning, unit, when it changes */
} glossEntry;

const glossEntry *glossFind(const char *kind, const char *name);
size_t glossCount(void);
const glossEntry *glossAt(size_t i);

#endif /* MINIRED_VIEW_GLOSSARY_H */
