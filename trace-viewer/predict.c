/**
 * @file predict.c
 * @brief Placeholder replaced below.
 */
#include "view.h"

/**
 * @brief Not yet.
 * @param o the options
 * @return 2
 * Called by: main().
 */
int predictRun(const viewOptions *o) { return 2; }
