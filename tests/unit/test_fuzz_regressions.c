/**
 * @file test_fuzz_regressions.c
 * @brief Check suite: every input a fuzzer ever crashed on, and every seed
 *        of the checked-in corpus, replayed through the same fuzz target
 *        code, built with gcc and no libFuzzer, in `make test`.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * Beside the fuzzers. fuzz/fuzz_request.c, fuzz/fuzz_config.c and
 * fuzz/fuzz_scenario.c are #included here with their entry points renamed
 * (FUZZ_ENTRY, FUZZ_CONFIG_ENTRY, FUZZ_SCENARIO_ENTRY), so a regression
 * input runs exactly the code it crashed: the request pipeline with its
 * invariant checks (serverAssert aborts the test), the config parser, the
 * scenario runner. What flows in: the files of fuzz/regressions/<target>/
 * and fuzz/corpus/<target>/. What flows out: PASS, or the name of the file
 * that crashed the forked test.
 *
 * Each Check test runs in its own forked process: the request and the
 * scenario targets each build a server, which must not meet the other's.
 *
 * The trace loader's inputs need the viewer's objects and jansson; they
 * are replayed by test_fuzz_trace_regressions.c.
 *
 * Findings fixed so far (each input is in fuzz/regressions/):
 *  - fuzz_config/memtoll-mul-overflow: "client-query-buffer-limit
 *    1111...111512mb": memtoll() multiplied past LLONG_MAX (signed
 *    overflow, undefined behaviour); now an error (test_memtoll_overflow).
 *  - fuzz_scenario/clock-add-overflow: "clock +9223372036854775807"
 *    overflowed server.mstime + ms in the scenario runner (undefined
 *    behaviour; found by reading the runner while writing the fuzzer and
 *    confirmed with build/fuzz/fuzz_scenario); now "clock out of range"
 *    (test_scenario_clock_overflow).
 */
#include <check.h>
#include <dirent.h>
#include <stdint.h>

#define FUZZ_ENTRY fuzzRequestOne
#include "../../fuzz/fuzz_request.c"
#define FUZZ_CONFIG_ENTRY fuzzConfigOne
#include "../../fuzz/fuzz_config.c"
#define FUZZ_SCENARIO_ENTRY fuzzScenarioOne
#include "../../fuzz/fuzz_scenario.c"

/** A fuzz target's entry point, as libFuzzer calls it. */
typedef int (*fuzzEntry)(const uint8_t *data, size_t size);

/**
 * @brief Feed every file of one directory to a target.
 * @param dir   Directory, relative to the repository root (the tests run
 *              there).
 * @param entry The target's entry point.
 * @param must  1 if the directory must hold at least one file.
 * @return How many files were run.
 *
 * Called by: the tests below.
 */
static int replay_dir(const char *dir, fuzzEntry entry, int must) {
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
        sds bytes;
        char buf[4096];
        size_t n;

        if (de->d_name[0] == '.') continue;
        bytes = sdsempty();
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        fp = fopen(path, "rb");
        ck_assert_msg(fp != NULL, "cannot read %s", path);
        while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
            bytes = sdscatlen(bytes, buf, n);
        fclose(fp);
        /* Printed before the run: if it crashes, the last line names it. */
        fprintf(stderr, "replaying %s\n", path);
        entry((const uint8_t *)bytes, sdslen(bytes));
        sdsfree(bytes);
        count++;
    }
    closedir(d);
    ck_assert_msg(!must || count > 0, "%s is empty", dir);
    return count;
}

/** Request target: crashing inputs, then the seeds. */
START_TEST(test_request_inputs)
{
    replay_dir("fuzz/regressions/fuzz_request", fuzzRequestOne, 0);
    replay_dir("fuzz/corpus/fuzz_request", fuzzRequestOne, 1);
}
END_TEST

/** Config target: crashing inputs, then the seeds. */
START_TEST(test_config_inputs)
{
    replay_dir("fuzz/regressions/fuzz_config", fuzzConfigOne, 1);
    replay_dir("fuzz/corpus/fuzz_config", fuzzConfigOne, 1);
}
END_TEST

/** Scenario target: crashing inputs, then the seeds. */
START_TEST(test_scenario_inputs)
{
    replay_dir("fuzz/regressions/fuzz_scenario", fuzzScenarioOne, 0);
    replay_dir("fuzz/corpus/fuzz_scenario", fuzzScenarioOne, 1);
}
END_TEST

/** fuzz_config/memtoll-mul-overflow: a size whose product with its unit
 *  does not fit a long long is an error, not undefined behaviour. */
START_TEST(test_memtoll_overflow)
{
    int err = 0;

    ck_assert_int_eq(memtoll("9223372036854775807mb", &err), 0);
    ck_assert_int_eq(err, 1);
    err = 0;
    ck_assert_int_eq(memtoll("8796093022207mb", &err), 8796093022207LL * 1048576);
    ck_assert_int_eq(err, 0);
    ck_assert_int_eq(memtoll("8796093022208mb", &err), 0);
    ck_assert_int_eq(err, 1);
}
END_TEST

/**
 * @brief Run a scenario text with traceRunScenario() itself.
 * @param text The script.
 * @return traceRunScenario()'s result: 0, or 1 after an error message.
 *
 * Called by: test_scenario_clock_overflow.
 */
static int run_scenario_text(const char *text) {
    char path[64];
    FILE *fp, *out;
    int rc;

    snprintf(path, sizeof(path), "/tmp/minired-test-scn-%ld.scn", (long)getpid());
    fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
    out = fopen("/dev/null", "w");
    ck_assert_ptr_nonnull(out);
    rc = traceRunScenario(path, out);
    fclose(out);
    unlink(path);
    return rc;
}

/** fuzz_scenario/clock-add-overflow: "clock +9223372036854775807" once
 *  overflowed server.mstime + ms (undefined behaviour); now the script
 *  stops with "clock out of range". A sane clock still runs. */
START_TEST(test_scenario_clock_overflow)
{
    ck_assert_int_eq(run_scenario_text(
        "client A\nclock +9223372036854775807\nA send \"PING\\r\\n\"\nrun\n"), 1);
    fs_teardown();
    ck_assert_int_eq(run_scenario_text("clock -1\n"), 1);
    fs_teardown();
    ck_assert_int_eq(run_scenario_text(
        "clock 1000000000000000\nclient A\nclock +0\nA send \"PING\\r\\n\"\nrun\n"), 0);
    fs_teardown();
}
END_TEST

/** A bad "config" value in a scenario stops the run with an error (it
 *  used to exit(1) the whole process, which the fuzzer cannot survive). */
START_TEST(test_scenario_bad_config)
{
    ck_assert_int_eq(run_scenario_text("config port 99999\nclient A\n"), 1);
    fs_teardown();
    ck_assert_int_eq(run_scenario_text("config port 7000\nclient A\n"), 0);
    fs_teardown();
}
END_TEST

/**
 * @brief The suite.
 * @return A Check suite with one test case per target.
 *
 * Called by: main().
 */
static Suite *fuzz_regressions_suite(void) {
    Suite *s = suite_create("fuzz_regressions");
    TCase *tc = tcase_create("replay");

    /* The request seeds run 90 sessions with invariant checks. */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_request_inputs);
    tcase_add_test(tc, test_config_inputs);
    tcase_add_test(tc, test_scenario_inputs);
    tcase_add_test(tc, test_memtoll_overflow);
    tcase_add_test(tc, test_scenario_clock_overflow);
    tcase_add_test(tc, test_scenario_bad_config);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the suite, each test in its own process.
 * @return 0 if every test passed, 1 otherwise.
 */
int main(void) {
    SRunner *sr = srunner_create(fuzz_regressions_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
