/**
 * @file view.h
 * @brief Command-line options of bin/minired-view, shared by main.c (the
 *        interactive viewer) and dump.c (--dump).
 *
 * Where it sits
 * -------------
 * main() parses argv into a viewOptions and hands it either to the curses
 * loop or to dumpRun(). What flows in: argv. What flows out: this struct.
 */
#ifndef MINIRED_VIEW_VIEW_H
#define MINIRED_VIEW_VIEW_H

#include <stdint.h>

#include "canvas.h"

/** Parsed command line. */
typedef struct viewOptions {
    const char *path;     /**< TRACE.jsonl */
    const char *src;      /**< --src DIR, or NULL to search */
    int follow;           /**< -f / --follow */
    int mono;             /**< --mono, or NO_COLOR set */
    long long dump_step;  /**< --dump STEP (1-based), 0 when not dumping */
    long long start_step; /**< --step N: the viewer opens at step N (1-based), 0 for the default */
    uint64_t client;      /**< --client ID, 0 for the step's own client */
    int width;            /**< --width N for --dump (0: $COLUMNS, else 100) */
    int height;           /**< --height N for --dump (0: $LINES, else 40) */
    int explain;          /**< --explain: --dump shows the `e` pane */
    long long mark;       /**< --mark M: --dump shows the `c` pane, step M against STEP (0: none) */
    int diff;             /**< --diff: path is EXPECTED, path2 ACTUAL (diffview.c) */
    const char *path2;    /**< --diff: the second trace (ACTUAL) */
    const char *predict;  /**< --predict QUESTIONS.txt (predict.c), NULL if not */
} viewOptions;

int dumpRun(const viewOptions *o);
void dumpCanvas(const canvas *cv);
int diffRun(const viewOptions *o);
int predictRun(const viewOptions *o);

#endif /* MINIRED_VIEW_VIEW_H */
