/**
 * @file test_fuzz_trace_regressions.c
 * @brief Check suite: every trace file the trace-loader fuzzer crashed on,
 *        and every seed of its corpus, replayed through the viewer's model
 *        and the trace tool's reader in `make test`.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * After the server, beside fuzz/fuzz_trace_loader.c, which is #included
 * here with its entry point renamed (FUZZ_TRACE_ENTRY), so an input runs
 * exactly the calls it crashed (mvOpen, mvEventGet, mvBuffersAt,
 * mvFindViolation, trOpen/trNext...). Linked like test_viewer_model: the
 * viewer's model objects, the trace tool's reader and model, jansson; not
 * libminired.a. What flows in: fuzz/regressions/fuzz_trace_loader/ and
 * fuzz/corpus/fuzz_trace_loader/. What flows out: PASS, or the name of
 * the file that crashed the forked test.
 */
#include <check.h>
#include <dirent.h>
#include <stdint.h>

#define FUZZ_TRACE_ENTRY fuzzTraceOne
#include "../../fuzz/fuzz_trace_loader.c"

/**
 * @brief Feed every file of one directory to the trace-loader target.
 * @param dir  Directory, relative to the repository root.
 * @param must 1 if the directory must hold at least one file.
 * @return How many files were run.
 *
 * Called by: the tests below.
 */
static int replay_trace_dir(const char *dir, int must) {
    DIR *d = opendir(dir);
    struct dirent *de;
    int count = 0;

    if (d == NULL) {
        ck_assert_msg(!must, "cannot open %s", dir);
        return 0;
    }
    while ((de = readdir(d)) != NULL) {
        char path[1024];
        FILE *fp;
        char *bytes = NULL;
        size_t len = 0, n;
        char buf[4096];

        if (de->d_name[0] == '.') continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        fp = fopen(path, "rb");
        ck_assert_msg(fp != NULL, "cannot read %s", path);
        while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
            bytes = realloc(bytes, len + n);
            ck_assert_ptr_nonnull(bytes);
            memcpy(bytes + len, buf, n);
            len += n;
        }
        fclose(fp);
        /* Printed before the run: if it crashes, the last line names it. */
        fprintf(stderr, "replaying %s\n", path);
        fuzzTraceOne((const uint8_t *)bytes, len);
        free(bytes);
        count++;
    }
    closedir(d);
    ck_assert_msg(!must || count > 0, "%s is empty", dir);
    return count;
}

/** Trace loader: crashing inputs, then the seeds. */
START_TEST(test_trace_loader_inputs)
{
    replay_trace_dir("fuzz/regressions/fuzz_trace_loader", 0);
    replay_trace_dir("fuzz/corpus/fuzz_trace_loader", 1);
}
END_TEST

/**
 * @brief The suite.
 * @return A Check suite with the replay test.
 *
 * Called by: main().
 */
static Suite *fuzz_trace_suite(void) {
    Suite *s = suite_create("fuzz_trace_regressions");
    TCase *tc = tcase_create("replay");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_trace_loader_inputs);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the suite in a forked process.
 * @return 0 if every test passed, 1 otherwise.
 */
int main(void) {
    SRunner *sr = srunner_create(fuzz_trace_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
