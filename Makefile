# minired - top-level Makefile (GNU make).
#
#   make                  build bin/minired-server, bin/minired-trace and
#                         bin/minired-view
#                         (same as `make all`)
#   make test             install missing Debian packages, build everything,
#                         run every test suite (tests/run-all.sh), then the
#                         sanitize and valgrind suites (issue 5)
#   make sanitize         build/sanitize/: every binary with ASan+UBSan; run
#                         the suites against it (tests/run-all.sh)
#   make demo             install, build, then a short redis-cli session,
#                         traced into build/demo-trace.jsonl
#   make golden           regenerate tests/golden/*.jsonl from
#                         tests/scenarios/*.scn with bin/minired-trace run
#   make viewer-golden    regenerate tests/viewer/golden/*.txt, the
#                         bin/minired-view --dump screens the viewer suite
#                         compares (after a deliberate change of the screen),
#                         and tests/viewer/golden-learner/*.txt (--diff)
#   make glossary         regenerate the glossary section of
#                         docs/trace-format.md from trace-viewer/glossary.def
#   make docs             Doxygen over src/; any warning fails the build
#   make check-anchors    verify the /* ANCHOR: name */ markers the book quotes
#   make book-update      regenerate, in place, every generated block (code by
#                         anchor, trace excerpts, viewer frames, command
#                         outputs) in book.md and chapters/*.md
#                         (docs/book-build.md); FILES=... only those files
#   make book-check       regenerate them into build/book-check/ and fail on
#                         any difference, broken link or failing command
#                         (part of `make test`, docs suite)
#   make book             build/book/: the book as HTML, one page per chapter
#                         and build/book/minired-book.html (pandoc, graphviz;
#                         fails on any warning; part of `make test`)
#   make book-seeds       every function of the seed excerpt and the chapter
#                         that explains it; fails on one only mentioned
#                         (part of `make test`); SEED=file for another
#                         excerpt (without it: docs/seed-map.md's list)
#   make grade LAB=N      grade lab N of exercises/ (ONLY=a,b GRADE_SEED=n);
#                         build/grade/results.json (exercises/README.md)
#   make handout LAB=N DEST=DIR   a student tree for lab N
#   make lab-start LAB=N  the same in place, on a new git branch lab-N;
#                         make lab-reset goes back
#   make grade-flaky LAB=N RUNS=20  grade N times, fail if scores differ
#   make clean            remove build/ and bin/
#   make AE_BACKEND=select   build the event loop on select(2) instead of epoll
#   make notrace          build/notrace/bin/minired-server: trace points
#                         compiled out (for scripts/bench-trace.sh)
#   make fuzz             libFuzzer targets (fuzz/, clang) built into
#                         build/fuzz/, each run FUZZ_SECONDS (60); see
#                         fuzz/README.md
#   make difftest         random differential sessions, minired vs
#                         redis-server (tests/difftest/README.md):
#                         SESSIONS=1000 SEED=n REFERENCE=/path/redis-server
#                         NO_NORMALISE=1
#   make bench            redis-benchmark: redis-server vs minired (tracing
#                         off/on), idle-client memory, viewer at scale;
#                         writes docs/bench.md (ROUNDS=3, BENCH_QUICK=1)
#
# Layout of what gets built:
#   src/*.c                  -> build/obj/*.o          (header deps in *.d)
#   src/server.c again with -DMINIRED_NO_MAIN -> build/obj/server-nomain.o
#   all objects but server.o, plus server-nomain.o -> build/libminired.a
#   all objects              -> bin/minired-server
#   tests/unit/test_*.c      -> build/tests/test_*     (Check + libminired.a)
#   tests/integration/hiredis_client.c -> build/tests/hiredis_client (-lhiredis)
#   trace-tool/*.c           -> build/trace-tool/*.o
#   trace-tool objects + libminired.a -> bin/minired-trace (-ljansson)
#   trace-viewer/*.c         -> build/trace-viewer/*.o
#   trace-viewer objects + the trace tool's reader/model objects
#                            -> bin/minired-view (-lncursesw -ljansson), built
#                               once trace-viewer/main.c exists
#   tests/unit/test_viewer_model.c -> build/tests/test_viewer_model (Check +
#                               the viewer's model objects + -ljansson)

CC      ?= cc
AR      ?= ar
CFLAGS  := -std=gnu11 -Wall -Wextra -Wno-unused-parameter \
           -Wno-missing-field-initializers -Werror -O2 -g -MMD -MP
LDLIBS  := -lm

ifeq ($(AE_BACKEND),select)
CFLAGS  += -DAE_FORCE_SELECT
endif

# ae.c picks its backend by #including ae_epoll.c or ae_select.c, so those
# two are never compiled on their own.
AE_INCLUDED := src/ae_epoll.c src/ae_select.c
SRCS        := $(filter-out $(AE_INCLUDED),$(wildcard src/*.c))
OBJS        := $(patsubst src/%.c,build/obj/%.o,$(SRCS))
LIB_OBJS    := $(filter-out build/obj/server.o,$(OBJS)) build/obj/server-nomain.o
LIB         := build/libminired.a
SERVER      := bin/minired-server

# bin/minired-trace: the trace tool. Its own files parse JSON with Debian's
# libjansson (libjansson-dev); replay/run call the engine in libminired.a.
TOOL        := bin/minired-trace
TOOL_SRCS   := $(wildcard trace-tool/*.c)
TOOL_OBJS   := $(patsubst trace-tool/%.c,build/trace-tool/%.o,$(TOOL_SRCS))
JANSSON_CFLAGS = $(shell pkg-config --cflags jansson)
JANSSON_LIBS   = $(shell pkg-config --libs jansson)

# bin/minired-view: the trace viewer (issue 4). index.c/model.c are the
# curses-free core (trace-viewer/model.h); they reuse the trace tool's line
# reader and byte model, so the viewer and `minired-trace check` agree.
VIEW        := bin/minired-view
VIEW_SRCS   := $(wildcard trace-viewer/*.c)
VIEW_OBJS   := $(patsubst trace-viewer/%.c,build/trace-viewer/%.o,$(VIEW_SRCS))
VIEW_MODEL_OBJS := build/trace-viewer/index.o build/trace-viewer/model.o
VIEW_TOOL_OBJS  := build/trace-tool/reader.o build/trace-tool/check_model.o \
                   build/trace-tool/diff_core.o \
                   build/trace-tool/check_rules.o build/trace-tool/clients.o
NCURSES_CFLAGS = $(shell pkg-config --cflags ncursesw 2>/dev/null)
NCURSES_LIBS   = $(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw)
# Only once the UI exists (trace-viewer/main.c), so `make` stays green
# while the core is built and tested alone.
VIEW_ALL    := $(if $(wildcard trace-viewer/main.c),$(VIEW))

UNIT_SRCS   := $(wildcard tests/unit/test_*.c)
UNIT_BINS   := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRCS))
HIREDIS_BIN := build/tests/hiredis_client
CHECK_FLAGS  = $(shell pkg-config --cflags --libs check)

# A stamp holding the compile flags: switching AE_BACKEND (or CC) rebuilds
# every object instead of silently mixing epoll and select objects.
FLAGS_STAMP := build/obj/.flags
FLAGS_NOW   := $(CC) $(CFLAGS)

.PHONY: all test test-bins demo docs check-anchors clean golden notrace \
        viewer-golden glossary bench FORCE
.DEFAULT_GOAL := all

all: $(SERVER) $(TOOL) $(VIEW_ALL)

$(FLAGS_STAMP): FORCE
	@mkdir -p $(@D)
	@if [ "$$(cat $@ 2>/dev/null)" != "$(FLAGS_NOW)" ]; then \
	    echo "$(FLAGS_NOW)" > $@; fi

build/obj/%.o: src/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

build/obj/server-nomain.o: src/server.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DMINIRED_NO_MAIN -c $< -o $@

$(LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(SERVER): $(OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The tool includes src/trace_replay.h (the engine's entry points) but
# not server.h, and links the whole library for replay and run.
build/trace-tool/%.o: trace-tool/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(JANSSON_CFLAGS) -Isrc -c $< -o $@

$(TOOL): $(TOOL_OBJS) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(TOOL_OBJS) $(LIB) $(JANSSON_LIBS) $(LDLIBS)

build/trace-viewer/%.o: trace-viewer/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(JANSSON_CFLAGS) $(NCURSES_CFLAGS) -Isrc -c $< -o $@

# `make glossary`: the glossary section of docs/trace-format.md, from the
# one table trace-viewer/glossary.def (which the viewer compiles; issue 11).
glossary:
	@/usr/bin/python3 scripts/glossary.py --docs

$(VIEW): $(VIEW_OBJS) $(VIEW_TOOL_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(VIEW_OBJS) $(VIEW_TOOL_OBJS) $(NCURSES_LIBS) \
	    $(JANSSON_LIBS) $(LDLIBS)

# The viewer's model test links the model objects, not libminired.a (an
# explicit rule: it wins over the pattern rule below).
build/tests/test_viewer_model: tests/unit/test_viewer_model.c \
        $(VIEW_MODEL_OBJS) $(VIEW_TOOL_OBJS) $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(JANSSON_CFLAGS) -Isrc -Itrace-viewer $< -o $@ \
	    $(VIEW_MODEL_OBJS) $(VIEW_TOOL_OBJS) $(CHECK_FLAGS) $(JANSSON_LIBS) \
	    $(LDLIBS)

# The trace-loader fuzzer's regression replay links like the model test
# (fuzz/fuzz_trace_loader.c is #included; see the `make fuzz` section).
build/tests/test_fuzz_trace_regressions: tests/unit/test_fuzz_trace_regressions.c \
        $(VIEW_MODEL_OBJS) $(VIEW_TOOL_OBJS) $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(JANSSON_CFLAGS) -Isrc $< -o $@ \
	    $(VIEW_MODEL_OBJS) $(VIEW_TOOL_OBJS) $(CHECK_FLAGS) $(JANSSON_LIBS) \
	    $(LDLIBS)

# Unit tests include src headers directly ("server.h") and link the library.
build/tests/test_%: tests/unit/test_%.c $(LIB) $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc $< -o $@ $(LIB) $(CHECK_FLAGS) $(LDLIBS)

# The hiredis client includes <hiredis/hiredis.h> only, never src/ (hiredis
# ships its own sds.h, which must not meet ours).
$(HIREDIS_BIN): tests/integration/hiredis_client.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< -o $@ -lhiredis

test-bins: $(SERVER) $(TOOL) $(VIEW_ALL) $(UNIT_BINS) $(HIREDIS_BIN)

# `make notrace`: the server with every trace point compiled out
# (-DMINIRED_NO_TRACE, see src/trace.h), in its own tree so the normal
# build is untouched. scripts/bench-trace.sh compares it with bin/.
NOTRACE_OBJS := $(patsubst src/%.c,build/notrace/obj/%.o,$(SRCS))
NOTRACE_BIN  := build/notrace/bin/minired-server

build/notrace/obj/%.o: src/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DMINIRED_NO_TRACE -c $< -o $@

$(NOTRACE_BIN): $(NOTRACE_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

notrace: $(NOTRACE_BIN)

# `make bench`: not part of `make test` (minutes, and numbers, not
# pass/fail). scripts/bench.sh says what it runs and writes.
bench: $(SERVER) $(VIEW_ALL)
	@bash scripts/bench.sh

# `make difftest`: not part of `make test` (which runs 300 sessions with a
# fixed seed in its difftest suite): as many sessions as asked, against any
# reference server. A Redis 5.0 reference is compared exactly; a Redis >= 6
# one through the named 7.0 -> 5.0 rules unless NO_NORMALISE is set.
SESSIONS ?= 1000
.PHONY: difftest
difftest: $(SERVER)
	@/usr/bin/python3 tests/difftest/difftest.py --sessions $(SESSIONS) \
	    $(if $(SEED),--seed $(SEED)) \
	    $(if $(REFERENCE),--reference $(REFERENCE)) \
	    $(if $(NO_NORMALISE),--no-normalise)

# `make test`: scripts/test.sh (also what `./run test` runs): dependencies
# first, then build what can be built (-k, so one file that does not compile
# yet does not hide every other result), then run every suite. A failed
# build is reported to run-all.sh, which counts it as a failed test; the
# target fails if the build or any test failed.
test:
	@bash scripts/test.sh

demo:
	@bash scripts/install-deps.sh
	@$(MAKE) --no-print-directory all bin/minired-trace
	@bash scripts/demo.sh

# `make golden`: one trace per scenario, written by the same engine the
# trace suite checks them with. Goldens are committed; regenerate them only
# after a deliberate change of the pipeline or the format, and read the
# diff. A golden whose scenario is gone is removed. The viewer's --dump
# goldens are screens of these traces: run `make viewer-golden` after it.
GOLDEN_SCNS := $(wildcard tests/scenarios/*.scn)
golden: bin/minired-trace
	@mkdir -p tests/golden
	@for scn in $(GOLDEN_SCNS); do \
	    out=tests/golden/$$(basename $$scn .scn).jsonl; \
	    bin/minired-trace run $$scn > $$out.tmp || { rm -f $$out.tmp; \
	        echo "make golden: $$scn failed" >&2; exit 1; }; \
	    mv $$out.tmp $$out; \
	    echo "  $$out: $$(wc -l < $$out) events, $$(wc -c < $$out) bytes"; \
	done
	@for g in tests/golden/*.jsonl; do \
	    [ -f tests/scenarios/$$(basename $$g .jsonl).scn ] || { \
	        echo "  removing $$g (no scenario)"; rm -f $$g; }; \
	done

# `make viewer-golden`: a few --dump screens of every tests/golden trace
# (first step, a read, a reply append, a write, last step), one file per
# trace; tests/viewer/test_dump_golden.py picks the steps and compares.
# Read the diff before committing, as for `make golden`.
viewer-golden: bin/minired-view
	@/usr/bin/python3 tests/viewer/test_dump_golden.py --regenerate
	@/usr/bin/python3 tests/viewer/test_learner.py --regenerate

# Doxygen with WARN_AS_ERROR=FAIL_ON_WARNINGS already exits non-zero on a
# warning; the grep is a second guard in case a doxygen build ignores it.
docs:
	@mkdir -p build/docs
	@doxygen Doxyfile 2> build/docs/warnings.log; rc=$$?; \
	cat build/docs/warnings.log >&2; \
	if [ $$rc -ne 0 ] || grep -q . build/docs/warnings.log; then \
	    echo "make docs: doxygen reported warnings (see above)" >&2; exit 1; fi; \
	echo "make docs: build/docs/html/index.html, no warnings"

check-anchors:
	@bash scripts/check-anchors.sh

# --- the book (issue 12; docs/book-build.md) --------------------------------
# book-update / book-check need only python3 and the built bin/ (the viewer
# draws the book's frames). `make book` also needs pandoc and graphviz, which
# `scripts/install-deps.sh --book` installs (not the default list: `make
# test` checks the book but does not render it, so it never needs pandoc).
.PHONY: book book-update book-check book-seeds
# FILES=chapters/03-reading.md: only those files (paths from the root).
# The binaries are built when missing, never rebuilt here (several writers
# may run book-update at once in one tree; only `make` builds). After
# changing src/, run `make` first (`make test` builds before checking).
BOOK_BINS := $(foreach b,$(SERVER) $(TOOL) $(VIEW_ALL),$(if $(wildcard $(b)),,$(b)))
book-update: $(BOOK_BINS)
	@/usr/bin/python3 scripts/book.py update $(FILES)

book-check: $(BOOK_BINS)
	@/usr/bin/python3 scripts/book.py check $(FILES)

book:
	@bash scripts/install-deps.sh --book
	@/usr/bin/python3 scripts/book.py render

# The seed lives beside the repository (../shared/seed/); a clone without
# it (CI) checks docs/seed-map.md's list, which test_seed_map.py keeps
# equal to the seed wherever the seed is present.
SEED ?= $(wildcard $(CURDIR)/../shared/seed/networking-pipeline-annotated.txt)
book-seeds:
	@/usr/bin/python3 scripts/book.py seeds --seed '$(SEED)'

# --- labs (issue 13; exercises/README.md) ------------------------------------
# LAB=1 and LAB=01 both work. grade: build, run the lab's tests, print points
# and a total, write build/grade/results.json, fail below full marks.
.PHONY: grade handout lab-start lab-reset grade-flaky
RUNS ?= 20
LAB ?= $(shell cat exercises/HANDOUT 2>/dev/null)
grade:
	@/usr/bin/python3 scripts/lab grade $(LAB) $(if $(ONLY),--only $(ONLY)) \
	    $(if $(GRADE_SEED),--seed $(GRADE_SEED))
handout:
	@/usr/bin/python3 scripts/lab handout $(LAB) $(DEST)
lab-start:
	@/usr/bin/python3 scripts/lab start $(LAB)
lab-reset:
	@/usr/bin/python3 scripts/lab reset
grade-flaky:
	@/usr/bin/python3 scripts/lab flaky $(LAB) $(RUNS)

# The 90-minute live-coding workshop (exercises/workshop/README.md):
# `make workshop STEP=N` puts step N of processInlineBuffer() in place and
# builds (the presenter's next step and a learner's catch-up alike);
# `make workshop-tmux` opens the server | client | viewer layout.
.PHONY: workshop workshop-tmux
workshop:
	@/usr/bin/python3 scripts/workshop $(if $(STEP),step $(STEP),list)
workshop-tmux:
	@/usr/bin/python3 scripts/workshop tmux

clean:
	rm -rf build bin

-include $(OBJS:.o=.d) build/obj/server-nomain.d $(UNIT_BINS:=.d) $(HIREDIS_BIN).d \
         $(TOOL_OBJS:.o=.d) $(VIEW_OBJS:.o=.d) $(NOTRACE_OBJS:.o=.d)

# ---------------------------------------------------------------------------
# `make fuzz` (issue 5): libFuzzer targets in fuzz/, built with clang into
# build/fuzz/ from their own objects (every src/*.c instrumented for
# coverage, ASan and UBSan; server.c with -DMINIRED_NO_MAIN), then run by
# fuzz/run.sh for FUZZ_SECONDS each (default 60; e.g. FUZZ_SECONDS=300 make
# fuzz, FUZZ_TARGETS="fuzz_config" make fuzz). clang and libclang-rt-14-dev
# are installed by `scripts/install-deps.sh --fuzz`, so `make test` never
# needs clang. Crashing inputs are kept as fuzz/regressions/<target>/* and
# replayed by build/tests/test_fuzz_regressions (a normal Check suite).
FUZZ_CC      ?= clang
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -Wall -Wextra -Wno-unused-parameter \
                -Wno-missing-field-initializers $(FUZZ_SAN) \
                -fsanitize=fuzzer-no-link -MMD -MP
FUZZ_LINK    := $(FUZZ_SAN) -fsanitize=fuzzer
FUZZ_OBJS    := $(patsubst src/%.c,build/fuzz/obj/%.o,$(filter-out src/server.c,$(SRCS))) \
                build/fuzz/obj/server-nomain.o
FUZZ_VIEW_OBJS := build/fuzz/viewer/index.o build/fuzz/viewer/model.o \
                  build/fuzz/tool/reader.o build/fuzz/tool/check_model.o \
                  build/fuzz/tool/check_rules.o build/fuzz/tool/clients.o
FUZZ_BINS    := build/fuzz/fuzz_request build/fuzz/fuzz_config \
                build/fuzz/fuzz_scenario build/fuzz/fuzz_trace_loader
FUZZ_SECONDS ?= 60

.PHONY: fuzz fuzz-bins
# Pattern-built objects would be intermediate (deleted after the link).
.SECONDARY: $(FUZZ_OBJS) $(FUZZ_VIEW_OBJS)

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

build/fuzz/obj/server-nomain.o: src/server.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DMINIRED_NO_MAIN -c $< -o $@

build/fuzz/viewer/%.o: trace-viewer/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(JANSSON_CFLAGS) -Isrc -c $< -o $@

build/fuzz/tool/%.o: trace-tool/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(JANSSON_CFLAGS) -Isrc -c $< -o $@

build/fuzz/fuzz_trace_loader: fuzz/fuzz_trace_loader.c $(FUZZ_VIEW_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(JANSSON_CFLAGS) -Isrc \
	    $< -o $@ $(FUZZ_VIEW_OBJS) $(FUZZ_LINK) \
	    $(JANSSON_LIBS) $(LDLIBS)

build/fuzz/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc $< -o $@ $(FUZZ_OBJS) $(FUZZ_LINK) $(LDLIBS)

fuzz-bins: $(FUZZ_BINS)

fuzz:
	@bash scripts/install-deps.sh --fuzz
	@$(MAKE) --no-print-directory fuzz-bins
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash fuzz/run.sh $(FUZZ_TARGETS)

-include $(FUZZ_OBJS:.o=.d) $(FUZZ_VIEW_OBJS:.o=.d) $(FUZZ_BINS:=.d)

# --- sanitizers (issue 5) ---------------------------------------------------
# `make sanitize-bins`: every test binary again, built with ASan+UBSan at -O1
# into build/sanitize/ (its own bin/ and build/tests/), leaving build/ and
# bin/ alone. It is this same Makefile run inside build/sanitize/, whose src,
# tests, trace-tool and trace-viewer are symlinks to the real ones: the file
# lists and rules cannot drift from the normal build.
# `make sanitize`: build them, then tests/run-all.sh in sanitize mode (every
# suite but docs, against the sanitized binaries; see tests/sanitize/env.sh).
SAN_DIR    := build/sanitize
SAN_FLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=all
# -O1 changes what gcc's -Wformat-truncation can prove, so that one warning
# stays a warning here; the normal -O2 build keeps every warning an error.
SAN_CFLAGS := $(filter-out -O2,$(CFLAGS)) -O1 $(SAN_FLAGS) \
              -Wno-error=format-truncation

.PHONY: sanitize sanitize-bins
sanitize-bins:
	@mkdir -p $(SAN_DIR)
	@for d in src tests trace-tool trace-viewer; do \
	    [ -L $(SAN_DIR)/$$d ] || ln -sfn ../../$$d $(SAN_DIR)/$$d; done
	@$(MAKE) --no-print-directory -C $(SAN_DIR) -f $(CURDIR)/Makefile \
	    CFLAGS="$(SAN_CFLAGS)" LDFLAGS="$(SAN_FLAGS)" test-bins

sanitize:
	@build_rc=0; $(MAKE) --no-print-directory -k sanitize-bins || build_rc=$$?; \
	MINIRED_BUILD_STATUS=$$build_rc MINIRED_RUN_MODE=sanitize \
	    bash tests/run-all.sh
