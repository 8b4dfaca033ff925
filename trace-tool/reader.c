/**
 * @file reader.c
 * @brief Reading a trace one line at a time: the header check, the
 *        tolerated cut last line, malformed lines with their number, and
 *        small accessors over the parsed events.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Under every subcommand of bin/minired-trace. A trace is JSON Lines: a
 * header on line 1 (ts 0, "cat":"header", the schema version), then one
 * event per line, every line ending in '\n'. The server flushes whole
 * lines once per event loop turn, so a crash can leave at most one cut
 * line at the very end: that one is ignored with a warning, anything else
 * that does not parse is an error with its line number. What flows in: a
 * file. What flows out: one parsed event (jansson json_t) at a time.
 */

#include "tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/**
 * @brief Check the shape every event has: an object with an integer tid
 *        and ts, string ph, name and cat, and an args object.
 * @param ev  The parsed line.
 * @param why Set to a short reason when the shape is wrong.
 * @return 1 when the shape is right, 0 otherwise.
 *
 * Called by: trNext(); the viewer's line parser (trace-viewer/model.c).
 */
int eventShapeOk(json_t *ev, const char **why) {
    json_t *v;

    if (!json_is_object(ev)) {
        *why = "not a JSON object";
        return 0;
    }
    v = json_object_get(ev, "tid");
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        *why = "no integer \"tid\"";
        return 0;
    }
    v = json_object_get(ev, "ts");
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        *why = "no integer \"ts\"";
        return 0;
    }
    if (!json_is_string(json_object_get(ev, "ph"))) {
        *why = "no string \"ph\"";
        return 0;
    }
    if (!json_is_string(json_object_get(ev, "name"))) {
        *why = "no string \"name\"";
        return 0;
    }
    if (!json_is_string(json_object_get(ev, "cat"))) {
        *why = "no string \"cat\"";
        return 0;
    }
    if (!json_is_object(json_object_get(ev, "args"))) {
        *why = "no \"args\" object";
        return 0;
    }
    return 1;
}

/**
 * @brief Read and parse the next line.
 * @param r The reader.
 * @return TR_EVENT with r->ev set, TR_EOF at the end (after warning about
 *         a cut last line), TR_ERR with r->err set.
 *
 * A line with no '\n' can only be the last one: the server writes whole
 * lines, so it is what a crash (or `kill -9`) left half written. It is
 * ignored with a warning on stderr, and everything before it is usable.
 *
 * Called by: trOpen() for the header, every subcommand for the events.
 */
int trNext(traceReader *r) {
    ssize_t n;
    json_error_t jerr;
    const char *why = NULL;

    if (r->ev) {
        json_decref(r->ev);
        r->ev = NULL;
    }
    errno = 0;
    n = getline(&r->line, &r->cap, r->fp);
    if (n < 0) {
        if (ferror(r->fp)) {
            snprintf(r->err, sizeof(r->err), "%s: read error: %s", r->path,
                     strerror(errno));
            return TR_ERR;
        }
        return TR_EOF;
    }
    r->len = (size_t)n;
    r->lineno++;
    if (r->line[n - 1] != '\n') {
        fprintf(stderr, "%s: warning: line %ld is incomplete (trace cut "
                "short?), ignored\n", r->path, r->lineno);
        r->lineno--; /* the last line read is the last whole one */
        return TR_EOF;
    }

    /* "\u0000" is a legal byte in "data" (a binary value), so NULs inside
     * strings are allowed; a key twice in one object is a broken line. */
    r->ev = json_loadb(r->line, r->len - 1,
                       JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
    if (r->ev == NULL) {
        snprintf(r->err, sizeof(r->err), "%s:%ld: malformed line: %s "
                 "(column %d)", r->path, r->lineno, jerr.text, jerr.column);
        return TR_ERR;
    }
    if (!eventShapeOk(r->ev, &why)) {
        snprintf(r->err, sizeof(r->err), "%s:%ld: malformed line: %s",
                 r->path, r->lineno, why);
        return TR_ERR;
    }
    return TR_EVENT;
}

/**
 * @brief Open a trace and read its header (line 1).
 * @param r    The reader to fill (any previous content is ignored).
 * @param path The trace file.
 * @return 0 with the header in r->ev, or -1 with r->err set (and
 *         r->header_error = 1 when the file opened but line 1 is not a
 *         header this tool can read).
 *
 * A header with a schema above TOOL_SCHEMA is refused: a newer server may
 * have changed what fields mean, and a tool that guessed would report
 * nonsense with confidence.
 *
 * Called by: every subcommand.
 */
int trOpen(traceReader *r, const char *path) {
    json_t *args;
    const char *cat, *ph;
    int rc;

    memset(r, 0, sizeof(*r));
    r->path = path;
    r->fp = fopen(path, "r");
    if (r->fp == NULL) {
        snprintf(r->err, sizeof(r->err), "%s: %s", path, strerror(errno));
        return -1;
    }
    rc = trNext(r);
    if (rc == TR_ERR) {
        r->header_error = 1;
        return -1;
    }
    r->header_error = 1;
    if (rc == TR_EOF) {
        snprintf(r->err, sizeof(r->err), "%s: empty trace (no header line)",
                 path);
        return -1;
    }
    cat = jsonStr(r->ev, "cat");
    ph = jsonStr(r->ev, "ph");
    args = evArgs(r->ev);
    if (strcmp(cat, "header") != 0 || strcmp(ph, "M") != 0 ||
        evTs(r->ev) != 0) {
        snprintf(r->err, sizeof(r->err), "%s:1: not a minired trace: line 1 "
                 "is not the header (\"ts\":0,\"ph\":\"M\",\"cat\":\"header\")",
                 path);
        return -1;
    }
    if (!jsonInt(args, "schema", &r->schema) || r->schema < 1) {
        snprintf(r->err, sizeof(r->err), "%s:1: the header has no valid "
                 "\"schema\"", path);
        return -1;
    }
    if (r->schema > TOOL_SCHEMA) {
        snprintf(r->err, sizeof(r->err), "%s: trace schema %lld is newer "
                 "than this minired-trace understands (schema %d); use the "
                 "minired-trace built with the server that wrote it", path,
                 r->schema, TOOL_SCHEMA);
        return -1;
    }
    r->header_error = 0;
    return 0;
}

/**
 * @brief Close a trace and free the line buffers.
 * @param r The reader (may be one whose trOpen failed).
 *
 * Called by: every subcommand.
 */
void trClose(traceReader *r) {
    if (r->ev) json_decref(r->ev);
    if (r->fp) fclose(r->fp);
    free(r->line);
    r->ev = NULL;
    r->fp = NULL;
    r->line = NULL;
}

/* ======================== Accessors ======================== */

/**
 * @brief Read an integer member.
 * @param obj An object (or NULL).
 * @param key The member.
 * @param out Where to store it.
 * @return 1 when the member exists and is an integer, 0 otherwise.
 *
 * Called by: every subcommand.
 */
int jsonInt(json_t *obj, const char *key, long long *out) {
    json_t *v = obj ? json_object_get(obj, key) : NULL;

    if (!json_is_integer(v)) return 0;
    *out = (long long)json_integer_value(v);
    return 1;
}

/**
 * @brief Read a string member.
 * @param obj An object (or NULL).
 * @param key The member.
 * @return The string, or "" when absent or not a string.
 *
 * Called by: every subcommand.
 */
const char *jsonStr(json_t *obj, const char *key) {
    json_t *v = obj ? json_object_get(obj, key) : NULL;

    return json_is_string(v) ? json_string_value(v) : "";
}

/**
 * @brief The "args" object of an event.
 * @param ev The event.
 * @return args (trNext guarantees it exists).
 *
 * Called by: every subcommand.
 */
json_t *evArgs(json_t *ev) {
    return json_object_get(ev, "args");
}

/**
 * @brief The client state "c" of an event.
 * @param ev The event.
 * @return args.c, or NULL for a server-level event.
 *
 * Called by: summary, check, export.
 */
json_t *evState(json_t *ev) {
    json_t *c = json_object_get(evArgs(ev), "c");

    return json_is_object(c) ? c : NULL;
}

/**
 * @brief The logical clock of an event.
 * @param ev The event.
 * @return "ts".
 *
 * Called by: every subcommand.
 */
long long evTs(json_t *ev) {
    return (long long)json_integer_value(json_object_get(ev, "ts"));
}

/**
 * @brief The client id of an event.
 * @param ev The event.
 * @return "tid" (0 for server-level events).
 *
 * Called by: every subcommand.
 */
uint64_t evTid(json_t *ev) {
    return (uint64_t)json_integer_value(json_object_get(ev, "tid"));
}

/* ANCHOR: reader-decode-data */
/**
 * @brief Turn a "data" string back into the bytes it stands for.
 *
 * The emitter writes one code point per byte ("+OK\r\n" is
 * "+OK\u000d\u000a", byte 0xe9 is "\u00e9"). jansson hands the string
 * back as UTF-8, where code points 0x80..0xff take two bytes (0xc2/0xc3
 * and a continuation byte): those are folded back to one byte each. A
 * code point above 0xff cannot come from the emitter and fails.
 *
 * @param s      The JSON string.
 * @param out    Set to a malloc'ed buffer with the bytes (free it).
 * @param outlen Set to the number of bytes.
 * @return 0 on success, -1 when @p s is not a string or holds a code point
 *         above 0xff.
 *
 * Called by: check (conservation rules), summary, diff (printing values).
 */
int decodeData(json_t *s, char **out, size_t *outlen) {
    const unsigned char *p;
    size_t n, i, o = 0;
    char *buf;

    if (!json_is_string(s)) return -1;
    p = (const unsigned char *)json_string_value(s);
    n = json_string_length(s);
    buf = malloc(n + 1);
    if (buf == NULL) return -1;
    for (i = 0; i < n; i++) {
        if (p[i] < 0x80) {
            buf[o++] = (char)p[i];
        } else if ((p[i] == 0xc2 || p[i] == 0xc3) && i + 1 < n &&
                   (p[i + 1] & 0xc0) == 0x80) {
            /* 0xc3 0xa9 is U+00E9: the byte 0xe9. */
            buf[o++] = (char)(((p[i] & 0x03) << 6) | (p[i + 1] & 0x3f));
            i++;
        } else {
            free(buf);
            return -1;
        }
    }
    *out = buf;
    *outlen = o;
    return 0;
}
/* ANCHOR_END: reader-decode-data */

/**
 * @brief Print bytes the way the trace writes them (\\u00XX for anything
 *        outside 0x20..0x7e), cut after @p max output characters.
 * @param fp  Where to print.
 * @param p   The bytes.
 * @param len How many.
 * @param max Most characters to print before "..." (0: no limit).
 *
 * Called by: check and diff messages.
 */
void printEscaped(FILE *fp, const char *p, size_t len, size_t max) {
    size_t i, shown = 0;

    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)p[i];

        if (max && shown >= max) {
            fprintf(fp, "...(%zu bytes)", len);
            return;
        }
        if (ch == '"' || ch == '\\') {
            shown += (size_t)fprintf(fp, "\\%c", ch);
        } else if (ch >= 0x20 && ch <= 0x7e) {
            fputc(ch, fp);
            shown++;
        } else {
            shown += (size_t)fprintf(fp, "\\u00%02x", ch);
        }
    }
}
