/**
 * @file predict.h
 * @brief Question sets of predict mode (`minired-view --predict Q TRACE`):
 *        the file format's parser and the true answer of a question.
 *
 * Where it sits
 * -------------
 * After the pipeline, like the rest of the viewer. A question set is a
 * small text file (docs/predict-format.md) that a chapter's "predict,
 * then check" exercise, a lab sheet or a workshop shares: "at step 40,
 * what is bufpos of client 3?". predict.c parses and checks it against
 * the trace; predictview.c asks the questions on the screen. What flows
 * in: the file and the open trace. What flows out: questions with their
 * true values.
 */
#ifndef MINIRED_VIEW_PREDICT_H
#define MINIRED_VIEW_PREDICT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/** Most questions in one set. */
#define PQ_MAX 64

/** One question. */
typedef struct pqQuestion {
    int line;            /**< line of the file where its block starts */
    long long step;      /**< "step:" (1-based, = ts in a server trace) */
    char field[32];      /**< "field:" (qb_pos, bufpos, name ...) */
    uint64_t client;     /**< "client:", 0 for the step's own client */
    char ask[512];       /**< "ask:" the prompt */
    char right[512];     /**< "right:" feedback for a right answer ("" none) */
    char wrong[512];     /**< "wrong:" feedback for a wrong answer ("" none) */
    char truth[128];     /**< the true value at the step (filled by pqLoad) */
    int numeric;         /**< 1 when the field is a number */
} pqQuestion;

/** A question set. */
typedef struct pqSet {
    const char *path;            /**< the file */
    size_t n;                    /**< questions */
    pqQuestion q[PQ_MAX];        /**< in file order (steps never decrease) */
} pqSet;

int pqLoad(pqSet *set, const char *path, mvTrace *t, char *err,
           size_t errlen);
int pqCheckAnswer(const pqQuestion *q, const char *answer);
const char *pqFieldNames(void);

#endif /* MINIRED_VIEW_PREDICT_H */
