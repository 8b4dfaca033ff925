/**
 * @file predict.c
 * @brief Predict mode's question files: parse, check against the trace,
 *        and the true value of each question's field at its step.
 *
 * Where it sits
 * -------------
 * Before predictview.c's screen. A question file is blocks of
 * `key: value` lines separated by blank lines (docs/predict-format.md):
 *
 *     step: 40
 *     field: bufpos
 *     client: 3
 *     ask: GET greet is answered by $5\r\n, hello and \r\n. bufpos now?
 *     right: 4 + 5 + 2 bytes, all in c->buf: no write yet.
 *     wrong: Count the bytes: $5\r\n is 4, hello 5, \r\n 2.
 *
 * A file that names an unknown field or key, a step outside the trace, a
 * client the trace does not have, or a state field at a server step
 * (tid 0, no client state) is refused whole, with FILE:LINE and why:
 * a class should not discover a broken question on the projector.
 * What flows in: the file and the open trace. What flows out: a pqSet,
 * each question with its true value as text.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "predict.h"

/** The fields a question may ask about: a client state field of the
 *  trace format ("c" of the event), the reply list's length, or the
 *  step's function and kind. */
static const char *pq_fields[] = {
    "qlen", "qb_pos", "querybuf_peak", "reqtype", "multibulklen", "bulklen",
    "argc", "bufpos", "sentlen", "reply_bytes", "nreply", "db", "name",
    "cat",
};

/**
 * @brief The field names, for messages and --help.
 * @return "qlen qb_pos ... cat".
 * Called by: pqLoad(), predictRun().
 */
const char *pqFieldNames(void)
{
    return "qlen qb_pos querybuf_peak reqtype multibulklen bulklen argc "
           "bufpos sentlen reply_bytes nreply db name cat";
}

/**
 * @brief Whether @p f is a field a question may ask about.
 * @param f the name
 * @return 1 if known.
 * Called by: pqLoad().
 */
static int pqKnownField(const char *f)
{
    for (size_t i = 0; i < sizeof(pq_fields) / sizeof(pq_fields[0]); i++)
        if (strcmp(pq_fields[i], f) == 0)
            return 1;
    return 0;
}

/**
 * @brief The value of @p field in an event, as text.
 * @param ev the event
 * @param field the field
 * @param out receives the value
 * @param outlen its size
 * @return 1 when the field is a number, 0 for text.
 * Called by: pqTruth().
 */
static int pqValue(const mvEvent *ev, const char *field, char *out,
                   size_t outlen)
{
    const mvState *c = &ev->st;
    long long v = 0;

    if (!strcmp(field, "name")) {
        snprintf(out, outlen, "%s", ev->name);
        return 0;
    }
    if (!strcmp(field, "cat")) {
        snprintf(out, outlen, "%s", ev->cat);
        return 0;
    }
    if (!strcmp(field, "qlen")) v = c->qlen;
    else if (!strcmp(field, "qb_pos")) v = c->qb_pos;
    else if (!strcmp(field, "querybuf_peak")) v = c->querybuf_peak;
    else if (!strcmp(field, "reqtype")) v = c->reqtype;
    else if (!strcmp(field, "multibulklen")) v = c->multibulklen;
    else if (!strcmp(field, "bulklen")) v = c->bulklen;
    else if (!strcmp(field, "argc")) v = c->argc;
    else if (!strcmp(field, "bufpos")) v = c->bufpos;
    else if (!strcmp(field, "sentlen")) v = c->sentlen;
    else if (!strcmp(field, "reply_bytes")) v = c->reply_bytes;
    else if (!strcmp(field, "nreply")) v = (long long)c->nreply;
    else if (!strcmp(field, "db")) v = c->db;
    snprintf(out, outlen, "%lld", v);
    return 1;
}

/**
 * @brief Fill q->truth: the field at q->step, of q->client (its last
 *        event at or before the step) or of the step's own client.
 * @param q the question
 * @param t the trace
 * @param err receives why not
 * @param errlen its size
 * @return 0, or -1.
 * Called by: pqLoad().
 */
static int pqTruth(pqQuestion *q, mvTrace *t, char *err, size_t errlen)
{
    size_t step = (size_t)q->step - 1, at = step;
    int text = !strcmp(q->field, "name") || !strcmp(q->field, "cat");
    mvEvent ev;

    if (q->client != 0 && !text) {
        at = mvClientLastAt(t, q->client, step);
        if (at == MV_NONE) {
            snprintf(err, errlen, "client %llu has no step at or before "
                     "step %lld", (unsigned long long)q->client, q->step);
            return -1;
        }
    }
    if (mvEventGet(t, at, &ev) != 0) {
        snprintf(err, errlen, "step %zu: %s", at + 1, ev.error);
        mvEventFree(&ev);
        return -1;
    }
    if (!text && !ev.has_state) {
        snprintf(err, errlen, "step %lld is a server step (%s, no client "
                 "state): add 'client: ID'", q->step, ev.name);
        mvEventFree(&ev);
        return -1;
    }
    q->numeric = pqValue(&ev, q->field, q->truth, sizeof(q->truth));
    mvEventFree(&ev);
    return 0;
}

/**
 * @brief Strip leading and trailing blanks in place.
 * @param s the text
 * @return @p s moved past leading blanks.
 * Called by: pqLoad(), pqCheckAnswer().
 */
static char *pqTrim(char *s)
{
    size_t n;

    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
    return s;
}

/**
 * @brief Check a finished block and compute its answer.
 * @param set the set (the block is set->q[set->n])
 * @param t the trace
 * @param err receives "FILE:LINE: why"
 * @param errlen its size
 * @return 0 (set->n incremented), or -1.
 * Called by: pqLoad().
 */
static int pqFinish(pqSet *set, mvTrace *t, char *err, size_t errlen)
{
    pqQuestion *q = &set->q[set->n];
    char why[400];

    if (q->step == 0 || q->field[0] == 0 || q->ask[0] == 0) {
        snprintf(err, errlen, "%s:%d: a question needs step:, field: and "
                 "ask:", set->path, q->line);
        return -1;
    }
    if ((size_t)q->step > mvEventCount(t)) {
        snprintf(err, errlen, "%s:%d: step %lld is out of range: the trace "
                 "has steps 1..%zu", set->path, q->line, q->step,
                 mvEventCount(t));
        return -1;
    }
    if (set->n > 0 && q->step < set->q[set->n - 1].step) {
        snprintf(err, errlen, "%s:%d: step %lld comes before the previous "
                 "question's step %lld: questions go in trace order",
                 set->path, q->line, q->step, set->q[set->n - 1].step);
        return -1;
    }
    if (q->client != 0 && mvClientById(t, q->client) == NULL) {
        snprintf(err, errlen, "%s:%d: client %llu is not in the trace",
                 set->path, q->line, (unsigned long long)q->client);
        return -1;
    }
    if (pqTruth(q, t, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "%s:%d: %s", set->path, q->line, why);
        return -1;
    }
    set->n++;
    return 0;
}

/**
 * @brief Read and check a question file against the open trace.
 * @param set receives the questions
 * @param path the file
 * @param t the trace
 * @param err receives "FILE:LINE: why" on failure
 * @param errlen its size
 * @return 0, or -1 (the caller exits 2).
 * Called by: predictRun().
 */
int pqLoad(pqSet *set, const char *path, mvTrace *t, char *err,
           size_t errlen)
{
    FILE *fp = fopen(path, "r");
    char buf[1024];
    int lineno = 0, in_block = 0;

    memset(set, 0, sizeof(*set));
    set->path = path;
    if (fp == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    for (;;) {
        char *line = fgets(buf, sizeof(buf), fp), *s, *colon, *val;
        pqQuestion *q = &set->q[set->n];
        long long v;
        char *end;

        if (line != NULL)
            lineno++;
        s = line ? pqTrim(line) : NULL;
        if (s == NULL || *s == 0) {          /* end of a block */
            if (in_block && pqFinish(set, t, err, errlen) != 0)
                goto fail;
            in_block = 0;
            if (s == NULL)
                break;
            continue;
        }
        if (*s == '#')
            continue;
        if (!in_block) {
            if (set->n == PQ_MAX) {
                snprintf(err, errlen, "%s:%d: more than %d questions",
                         path, lineno, PQ_MAX);
                goto fail;
            }
            memset(q, 0, sizeof(*q));
            q->line = lineno;
            in_block = 1;
        }
        colon = strchr(s, ':');
        if (colon == NULL) {
            snprintf(err, errlen, "%s:%d: expected 'key: value', got '%.60s'",
                     path, lineno, s);
            goto fail;
        }
        *colon = 0;
        val = pqTrim(colon + 1);
        if (!strcmp(s, "step") || !strcmp(s, "client")) {
            errno = 0;
            v = strtoll(val, &end, 10);
            if (errno || *val == 0 || *end || v < 1) {
                snprintf(err, errlen, "%s:%d: %s: '%s' is not a positive "
                         "number", path, lineno, s, val);
                goto fail;
            }
            if (!strcmp(s, "step")) q->step = v;
            else q->client = (uint64_t)v;
        } else if (!strcmp(s, "field")) {
            if (!pqKnownField(val)) {
                snprintf(err, errlen, "%s:%d: unknown field '%.40s' (known: "
                         "%s)", path, lineno, val, pqFieldNames());
                goto fail;
            }
            snprintf(q->field, sizeof(q->field), "%s", val);
        } else if (!strcmp(s, "ask")) {
            snprintf(q->ask, sizeof(q->ask), "%s", val);
        } else if (!strcmp(s, "right")) {
            snprintf(q->right, sizeof(q->right), "%s", val);
        } else if (!strcmp(s, "wrong")) {
            snprintf(q->wrong, sizeof(q->wrong), "%s", val);
        } else {
            snprintf(err, errlen, "%s:%d: unknown key '%.40s' (keys: step, "
                     "field, client, ask, right, wrong)", path, lineno, s);
            goto fail;
        }
    }
    fclose(fp);
    if (set->n == 0) {
        snprintf(err, errlen, "%s: no questions", path);
        return -1;
    }
    return 0;
fail:
    fclose(fp);
    return -1;
}

/**
 * @brief Whether @p answer is right: numbers compared as numbers ("011"
 *        is 11), text without case ("processinputbuffer").
 * @param q the question
 * @param answer what the learner typed
 * @return 1 right, 0 wrong.
 * Called by: predictview.c's answer handling.
 */
int pqCheckAnswer(const pqQuestion *q, const char *answer)
{
    char buf[128], *a, *end;
    long long v;

    snprintf(buf, sizeof(buf), "%s", answer);
    a = pqTrim(buf);
    if (!q->numeric)
        return strcasecmp(a, q->truth) == 0;
    errno = 0;
    v = strtoll(a, &end, 10);
    if (errno || *a == 0 || *end)
        return 0;
    return v == strtoll(q->truth, NULL, 10);
}
