/**
 * @file tool.h
 * @brief Shared declarations of bin/minired-trace: the line-by-line trace
 *        reader, the byte decoder, the client table and the subcommands.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After it. The server (or the replay engine) writes a trace, one JSON
 * object per line (docs/trace-format.md); this tool reads it back one line
 * at a time and answers questions about it: how many events, which
 * invariants hold, where two traces part, what Perfetto should draw. What
 * flows in: trace files. What flows out: text reports, filtered traces and
 * a Chrome trace-event array.
 *
 * Parsing is libjansson's (Debian libjansson-dev): every line is a complete
 * JSON document, so the tool never holds more than one line (two for diff)
 * plus small per-client counters.
 */
#ifndef __MINIRED_TRACE_TOOL_H
#define __MINIRED_TRACE_TOOL_H

#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>

/** The newest schema this tool understands (the "schema" of the header). */
#define TOOL_SCHEMA 1

/** Exit status: success (OK, identical traces). */
#define TOOL_EXIT_OK 0
/** Exit status: a failure, a violation, a difference, a malformed file. */
#define TOOL_EXIT_FAIL 1
/** Exit status: bad command line. */
#define TOOL_EXIT_USAGE 2

/** What trNext() found. */
#define TR_EVENT 1 /**< An event was read into traceReader.ev. */
#define TR_EOF 0   /**< End of file (a cut last line was warned about). */
#define TR_ERR (-1) /**< Malformed line or I/O error; message in err. */

/**
 * One open trace, read one line at a time.
 *
 * Only the current line is held (raw text and its parsed form), so a
 * trace of several GB is read with the memory of its longest line.
 */
typedef struct traceReader {
    const char *path;  /**< File name, for messages. */
    FILE *fp;          /**< The open file. */
    char *line;        /**< The current raw line, '\n' included. */
    size_t cap;        /**< Bytes allocated for line (getline). */
    size_t len;        /**< Bytes in line, '\n' included. */
    long lineno;       /**< 1-based number of the current line. */
    json_t *ev;        /**< The current line, parsed (owned). */
    long long schema;  /**< The header's "schema". */
    char err[512];     /**< Why the last call failed. */
    int header_error;  /**< 1 when trOpen failed on line 1's content. */
} traceReader;

int trOpen(traceReader *r, const char *path);
int trNext(traceReader *r);
void trClose(traceReader *r);
int eventShapeOk(json_t *ev, const char **why);

int jsonInt(json_t *obj, const char *key, long long *out);
const char *jsonStr(json_t *obj, const char *key);
json_t *evArgs(json_t *ev);
json_t *evState(json_t *ev);
long long evTs(json_t *ev);
uint64_t evTid(json_t *ev);
int decodeData(json_t *s, char **out, size_t *outlen);
void printEscaped(FILE *fp, const char *p, size_t len, size_t max);

/** One client's slot in a clientTable. */
typedef struct ctSlot {
    uint64_t id;  /**< Client id (the event's tid); 0 marks an empty slot. */
    void *val;    /**< calloc'ed per-client record, valsize bytes. */
} ctSlot;

/**
 * Client id -> per-client record, an open-addressing hash table. Ids are
 * small increasing numbers, but a long redis-benchmark trace has
 * thousands of clients, so lookups must not be linear.
 */
typedef struct clientTable {
    ctSlot *slots;   /**< cap slots. */
    size_t cap;      /**< Always a power of two (or 0). */
    size_t count;    /**< Used slots. */
    size_t valsize;  /**< Size of each record. */
} clientTable;

void ctInit(clientTable *t, size_t valsize);
void *ctGet(clientTable *t, uint64_t id, int create);
uint64_t *ctSortedIds(clientTable *t);
void ctFree(clientTable *t, void (*freeval)(void *));

int cmdSummary(int argc, char **argv);
int cmdFilter(int argc, char **argv);
int cmdCheck(int argc, char **argv);
int cmdDiff(int argc, char **argv);
int cmdExport(int argc, char **argv);
void usage(FILE *fp);

#endif /* __MINIRED_TRACE_TOOL_H */
