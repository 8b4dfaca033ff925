/**
 * @file source.c
 * @brief Locate src/ and cache its files, line by line, for the source
 *        pane.
 *
 * Where it sits
 * -------------
 * main.c calls sourceFindDir() once at start; screen.c calls
 * sourceLines() for every frame. Files are read once and kept (minired's
 * whole src/ is a few hundred KB), so holding → down re-renders without
 * touching the disk.
 *
 * Why look in several places: a trace is often viewed far from where it
 * was written (a student copies tests/golden/06-big-reply.jsonl, a
 * teacher opens a trace a lab machine produced). The search order is
 * --src DIR; the header's src_dir (set at build time); then ../src and
 * ./src beside the trace file (a trace in build/ or in the repo root),
 * ../../src (tests/golden/x.jsonl); then bin/../src beside the viewer
 * binary, which finds the repo the viewer was built in. A directory
 * counts if it holds server.h.
 */
#include "source.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/** One cached file. */
typedef struct srcFile {
    char *name;              /**< as given ("networking.c") */
    char *text;              /**< the whole file, '\n' replaced by NUL */
    const char **lines;      /**< lines[i] = line i + 1 */
    int nlines;              /**< number of lines (0 if unreadable) */
    struct srcFile *next;    /**< next cached file */
} srcFile;

/** The cache: a short list, minired has ~30 source files. */
static srcFile *src_cache = NULL;
/** The directory sourceFindDir() settled on. */
static char src_dir[PATH_MAX + 32];

/**
 * @brief Does @p dir look like minired's src/ (it has server.h)?
 * @param dir a directory path
 * @return 1 if so, else 0.
 * Called by: sourceFindDir().
 */
static int sourceDirOk(const char *dir)
{
    char p[PATH_MAX];

    if (dir == NULL || dir[0] == 0)
        return 0;
    if (snprintf(p, sizeof(p), "%s/server.h", dir) >= (int)sizeof(p))
        return 0;   /* too long to be a real path */
    return access(p, R_OK) == 0;
}

/**
 * @brief Copy @p path's directory part into @p out ("." if none).
 * @param path a file path
 * @param out receives the directory
 * @param outlen size of @p out
 * Called by: sourceFindDir().
 */
static void sourceDirName(const char *path, char *out, size_t outlen)
{
    const char *slash = strrchr(path, '/');

    if (slash == NULL) {
        snprintf(out, outlen, ".");
        return;
    }
    snprintf(out, outlen, "%.*s", (int)(slash - path), path);
    if (out[0] == 0)
        snprintf(out, outlen, "/");
}

/* ANCHOR: source-find-dir */
/**
 * @brief Pick the source directory (search order at the top of the file).
 * @param given --src DIR, or NULL
 * @param trace_path the trace file being viewed
 * @param header_src_dir the header's "src_dir", or NULL / ""
 * @return the directory, or NULL when none was found (the pane then says
 *         how to pass --src). A --src that does not hold server.h is
 *         still used: the user said so, and files may still be found.
 * Called by: main.c at start.
 */
const char *sourceFindDir(const char *given, const char *trace_path,
                          const char *header_src_dir)
{
    char base[PATH_MAX], cand[PATH_MAX + 16];
    ssize_t n;

    if (given != NULL) {
        snprintf(src_dir, sizeof(src_dir), "%s", given);
        return src_dir;
    }
    if (sourceDirOk(header_src_dir)) {
        snprintf(src_dir, sizeof(src_dir), "%s", header_src_dir);
        return src_dir;
    }
    sourceDirName(trace_path, base, sizeof(base));
    snprintf(cand, sizeof(cand), "%s/../src", base);
    if (!sourceDirOk(cand))
        snprintf(cand, sizeof(cand), "%s/src", base);
    if (!sourceDirOk(cand))   /* tests/golden/x.jsonl: the repo's src/ */
        snprintf(cand, sizeof(cand), "%s/../../src", base);
    if (!sourceDirOk(cand)) {
        /* /proc/self/exe is the viewer itself: .../bin/minired-view. */
        char exe[PATH_MAX];

        n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        if (n > 0) {
            exe[n] = 0;
            sourceDirName(exe, base, sizeof(base));
            snprintf(cand, sizeof(cand), "%s/../src", base);
        }
    }
    if (!sourceDirOk(cand) ||
        snprintf(src_dir, sizeof(src_dir), "%s", cand) >= (int)sizeof(src_dir))
        return NULL;
    return src_dir;
}
/* ANCHOR_END: source-find-dir */

/**
 * @brief Read @p path whole and split it into lines.
 * @param f the cache entry to fill (name already set)
 * @param path the file's path
 * Called by: sourceLines() on a cache miss.
 */
static void sourceLoad(srcFile *f, const char *path)
{
    FILE *fp = fopen(path, "rb");
    long size;
    int cap = 0;

    if (fp == NULL)
        return;
    if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
        fseek(fp, 0, SEEK_SET) != 0) {
        fclose(fp);
        return;
    }
    f->text = malloc((size_t)size + 1);
    if (f->text == NULL || fread(f->text, 1, (size_t)size, fp) !=
                           (size_t)size) {
        fclose(fp);
        free(f->text);
        f->text = NULL;
        return;
    }
    fclose(fp);
    f->text[size] = 0;
    for (char *p = f->text; p < f->text + size;) {
        char *nl = memchr(p, '\n', (size_t)(f->text + size - p));

        if (f->nlines == cap) {
            cap = cap ? cap * 2 : 256;
            const char **nw = realloc(f->lines, (size_t)cap * sizeof(*nw));
            if (nw == NULL)
                return;
            f->lines = nw;
        }
        f->lines[f->nlines++] = p;
        if (nl == NULL)
            break;
        *nl = 0;
        p = nl + 1;
    }
}

/**
 * @brief The lines of source file @p file in @p dir, from the cache.
 * @param dir the source directory (NULL: nothing is found)
 * @param file the file name from the event's "src" ("networking.c")
 * @param lines receives the lines (lines[0] is line 1); tabs are left in
 *        for the caller to expand
 * @return the number of lines, 0 when the file cannot be read.
 * Called by: screen.c's source pane.
 */
int sourceLines(const char *dir, const char *file, const char ***lines)
{
    srcFile *f;
    char path[PATH_MAX];

    *lines = NULL;
    if (dir == NULL || file == NULL || file[0] == 0)
        return 0;
    for (f = src_cache; f != NULL; f = f->next)
        if (strcmp(f->name, file) == 0)
            break;
    if (f == NULL) {
        f = calloc(1, sizeof(*f));
        if (f == NULL)
            return 0;
        f->name = strdup(file);
        if (f->name == NULL) {
            free(f);
            return 0;
        }
        /* A name with a slash could walk out of src/ ("../../etc/x"):
         * the trace is input, so only plain file names are opened. */
        if (strchr(file, '/') == NULL) {
            snprintf(path, sizeof(path), "%s/%s", dir, file);
            sourceLoad(f, path);
        }
        f->next = src_cache;
        src_cache = f;
    }
    *lines = f->lines;
    return f->nlines;
}

/**
 * @brief Drop the cache (at exit, so leak checkers stay quiet).
 * Called by: main.c.
 */
void sourceFreeAll(void)
{
    while (src_cache != NULL) {
        srcFile *next = src_cache->next;

        free(src_cache->name);
        free(src_cache->text);
        free(src_cache->lines);
        free(src_cache);
        src_cache = next;
    }
}
