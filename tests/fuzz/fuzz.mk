# tests/fuzz/fuzz.mk — libFuzzer targets for the scenario loader, the trace
# reader and the --set / --vary texts (tests/fuzz/README.md).
#
#   make fuzz-deps    install clang, libFuzzer (libclang-rt) and libomp, as root,
#                     only what is missing
#   make fuzz-build   build-fuzz/fuzz_scenario, build-fuzz/fuzz_trace and
#                     build-fuzz/fuzz_set (-fsanitize=fuzzer,address,undefined)
#   make fuzz         replay tests/fuzz/regressions/, then fuzz each target for
#                     FUZZ_TIME seconds (600) on a copy of its corpus
#                     (FUZZ_TARGETS=trace: only that one)
#   make fuzz-ci      the same with FUZZ_TIME=60
#   make fuzz-regress only the regression inputs (seconds)
#   make fuzz-long    each target to FUZZ_LONG_RUNS executions (10 M; FUZZ_LONG_TIME
#                     caps the seconds), then merges what it found into the kept
#                     corpus tests/fuzz/corpus/<target>/ (-merge=1) and prints
#                     executions, coverage and time per target; make -j3 runs the
#                     targets side by side
#
# Included from the Makefile, it uses its PKGS, WARN and LIB_SRCS; it also works
# on its own: make -f tests/fuzz/fuzz.mk fuzz-build. Run from the repository
# root. Everything it writes goes under $(FUZZ_BUILD), but fuzz-long's merge
# into tests/fuzz/corpus/ (the only target that writes into the repository).

# ------------------------------------------------------------ configuration --
FUZZ_CC     ?= clang
# the LLVM release of Debian 12's clang: names the runtime packages
FUZZ_LLVM   ?= 14
FUZZ_BUILD  ?= build-fuzz
FUZZ_TIME   ?= 600
# libFuzzer options for the timed runs (FUZZ_OPTS adds more, e.g. -jobs=2)
FUZZ_FLAGS  ?= -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1
FUZZ_OPTS   ?=
# fuzz-long: executions a target runs to, and a cap in seconds (0: none)
FUZZ_LONG_RUNS ?= 10000000
FUZZ_LONG_TIME ?= 0

# Defaults for a standalone run; the Makefile's own values win when it
# includes this file.
PKGS        ?= gsl inih jansson
WARN        ?= -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
               -Wmissing-prototypes -Wformat=2
LIB_SRCS    ?= $(filter-out sim/main.c,$(sort $(wildcard sim/*.c)))

# quiet commands unless V=1 (the Makefile sets Q the same way)
V           ?= 0
Q           ?= $(if $(filter 0,$(V)),@,)

FUZZ_DIR     := tests/fuzz
FUZZ_TARGETS ?= scenario trace set
FUZZ_BINS     = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_DEB_PKGS = clang libclang-rt-$(FUZZ_LLVM)-dev libomp-$(FUZZ_LLVM)-dev \
                pkg-config libgsl-dev libinih-dev libjansson-dev

# -fopenmp when this clang can link it (libomp), else the pragmas are ignored
# quietly. Evaluated once, only when a fuzz target's recipe needs it.
FUZZ_OPENMP = $(eval FUZZ_OPENMP := $(shell printf 'int main(void){return 0;}\n' \
                | $(FUZZ_CC) -fopenmp -x c - -o /dev/null >/dev/null 2>&1 \
                && echo -fopenmp || echo -Wno-unknown-pragmas))$(FUZZ_OPENMP)

FUZZ_SAN     := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 $(WARN) $(FUZZ_OPENMP) \
                $(FUZZ_SAN) -Iinclude -I$(FUZZ_DIR) \
                $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

# The sanitizers' settings for every run: leaks are errors, UBSan prints a stack.
FUZZ_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:allocator_may_return_null=1 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: fuzz-deps fuzz-build fuzz fuzz-ci fuzz-regress fuzz-long fuzz-clean

# ------------------------------------------------------------------- deps --
# Installs only what is missing. Needs root (apt-get); otherwise says what to run.
fuzz-deps:
	@missing=""; for p in $(FUZZ_DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "fuzz-deps: all Debian packages present"; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "fuzz-deps: missing Debian packages:$$missing" >&2; \
	  echo "fuzz-deps: run as root:  apt-get update && apt-get install -y$$missing" >&2; \
	  exit 1; fi; \
	echo "fuzz-deps: installing$$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing

# ------------------------------------------------------------------ build --
# Each target is compiled in one command with the library sources: the whole
# library carries the fuzzer's coverage instrumentation.
fuzz-build: $(FUZZ_BINS)

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_DIR)/fuzz_%.c $(FUZZ_DIR)/fuzz_common.h $(LIB_SRCS) \
                      $(wildcard include/*.h) $(FUZZ_DIR)/fuzz.mk
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRCS) $(FUZZ_LIBS)

# ------------------------------------------------------------------- runs --
# Regression inputs: each file of tests/fuzz/regressions/<target>/ runs once, in
# its own process (a crash, a leak, a UBSan report or a time-out makes the
# target exit non-zero); the logs go to $(FUZZ_BUILD)/regress_<target>.log.
define FUZZ_REGRESS_SH
for t in $(FUZZ_TARGETS); do \
  n=0; bad=0; : > $(FUZZ_BUILD)/regress_$$t.log; \
  for f in $(FUZZ_DIR)/regressions/$$t/*; do \
    [ -f "$$f" ] || continue; n=$$((n + 1)); \
    if ! $(FUZZ_ENV) ./$(FUZZ_BUILD)/fuzz_$$t -timeout=10 -rss_limit_mb=2048 "$$f" \
         >> $(FUZZ_BUILD)/regress_$$t.log 2>&1; then \
      bad=$$((bad + 1)); echo "fuzz-regress: $$t: FAILS: $$f" >&2; fi; \
  done; \
  echo "fuzz-regress: $$t: $$((n - bad)) passed, $$bad failed" \
    "(log: $(FUZZ_BUILD)/regress_$$t.log)"; \
  [ $$bad -eq 0 ] || fail=1; \
done
endef

fuzz-regress: $(FUZZ_BINS)
	@fail=0; $(FUZZ_REGRESS_SH); exit $$fail

# The regression inputs, then each target fuzzes for FUZZ_TIME seconds (one
# after the other) in $(FUZZ_BUILD)/corpus/<target>/: a working corpus seeded
# from tests/fuzz/corpus/<target>/ (only read) and kept between runs, so it
# grows (make fuzz-clean starts over). A crash, leak, UBSan report or time-out
# stops that target: its input goes to $(FUZZ_BUILD)/artifacts/<target>/, the
# log to $(FUZZ_BUILD)/fuzz_<target>.log. Failing regressions do not stop the
# fuzzing; either failure makes the target fail at the end.
fuzz: $(FUZZ_BINS)
	@fail=0; $(FUZZ_REGRESS_SH); \
	for t in $(FUZZ_TARGETS); do \
	  work=$(FUZZ_BUILD)/corpus/$$t; log=$(FUZZ_BUILD)/fuzz_$$t.log; \
	  mkdir -p $$work $(FUZZ_BUILD)/artifacts/$$t; \
	  cp -p $(FUZZ_DIR)/corpus/$$t/* $$work/; \
	  dict=""; [ -f $(FUZZ_DIR)/$$t.dict ] && dict="-dict=$(FUZZ_DIR)/$$t.dict"; \
	  echo "fuzz: $$t for $(FUZZ_TIME) s (log: $$log)"; \
	  if $(FUZZ_ENV) ./$(FUZZ_BUILD)/fuzz_$$t $(FUZZ_FLAGS) $(FUZZ_OPTS) $$dict \
	       -max_total_time=$(FUZZ_TIME) -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ \
	       $$work > $$log 2>&1 </dev/null; \
	  then echo "fuzz: $$t: no problem found"; \
	  else echo "fuzz: $$t: FOUND A PROBLEM; the input is in" \
	         "$(FUZZ_BUILD)/artifacts/$$t/ (copy it into $(FUZZ_DIR)/regressions/$$t/)" >&2; \
	       grep -E -A 25 '^==[0-9]+==ERROR|runtime error|ALARM|deadly signal|contract' \
	         $$log | head -n 50 >&2; fail=1; fi; \
	  grep -E '^#[0-9]+' $$log | tail -n 1; \
	  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' $$log; \
	done; exit $$fail

# FUZZ_TIME=60 for fuzz and, through it, for its prerequisites
fuzz-ci: FUZZ_TIME := 60
fuzz-ci: fuzz

# ------------------------------------------------------------- long runs --
# fuzz-long: the regression inputs, then each target (fuzz-long-<target>) runs
# to FUZZ_LONG_RUNS executions (libFuzzer -runs; FUZZ_LONG_TIME > 0 also stops it
# after that many seconds) on a fresh working corpus $(FUZZ_BUILD)/long/<target>/
# copied from tests/fuzz/corpus/<target>/, with its dictionary. Then
# `-merge=1 tests/fuzz/corpus/<target> $(FUZZ_BUILD)/long/<target>` adds to the
# kept corpus only the inputs that reach coverage it does not (the seeds stay;
# new files are named by their SHA-1), so the committed corpus grows by what
# was learnt, not by everything tried. Each target writes its figures to
# $(FUZZ_BUILD)/long/<target>.summary (executions, cov and ft of libFuzzer's
# last status line, seconds, exec/s, the kept corpus's files and kB, and ok or
# FAILED); fuzz-long prints them as one table and fails if a target found a
# problem (its input in $(FUZZ_BUILD)/artifacts/<target>/, the log in
# $(FUZZ_BUILD)/long/<target>.log). The targets are independent make targets:
# make -j3 fuzz-long runs them side by side (one core each is best).
FUZZ_LONG_DIR = $(FUZZ_BUILD)/long
fuzz_comma   := ,

fuzz-long: fuzz-regress $(FUZZ_TARGETS:%=fuzz-long-%)
	@printf '\nfuzz-long: %d runs a target%s\n' $(FUZZ_LONG_RUNS) \
	  "$(if $(filter-out 0,$(FUZZ_LONG_TIME)),$(fuzz_comma) or $(FUZZ_LONG_TIME) s at most)"; \
	printf '%-10s %12s %7s %8s %9s %8s %7s %9s  %s\n' target executions cov ft \
	  'time (s)' 'exec/s' files 'size (kB)' result; \
	fail=0; for t in $(FUZZ_TARGETS); do \
	  if [ -f $(FUZZ_LONG_DIR)/$$t.summary ]; then \
	    set -- $$(cat $(FUZZ_LONG_DIR)/$$t.summary); \
	    printf '%-10s %12s %7s %8s %9s %8s %7s %9s  %s\n' "$$@"; \
	    [ "$$9" = ok ] || fail=1; \
	  else echo "$$t: no summary" >&2; fail=1; fi; \
	done; \
	echo "kept corpus: $$(( $$(cat $(FUZZ_DIR)/corpus/*/* | wc -c) / 1024 )) kB in" \
	  "$(FUZZ_DIR)/corpus/ (the files' bytes)"; \
	exit $$fail

fuzz-long-%: $(FUZZ_BUILD)/fuzz_%
	@t=$*; work=$(FUZZ_LONG_DIR)/$$t; log=$(FUZZ_LONG_DIR)/$$t.log; \
	keep=$(FUZZ_DIR)/corpus/$$t; \
	rm -rf $$work; mkdir -p $$work $(FUZZ_BUILD)/artifacts/$$t $$keep; \
	rm -f $(FUZZ_LONG_DIR)/$$t.summary; \
	cp -p $$keep/* $$work/ 2>/dev/null; \
	dict=""; [ -f $(FUZZ_DIR)/$$t.dict ] && dict="-dict=$(FUZZ_DIR)/$$t.dict"; \
	echo "fuzz-long: $$t to $(FUZZ_LONG_RUNS) runs (log: $$log)"; \
	t0=$$(date +%s); \
	if $(FUZZ_ENV) ./$(FUZZ_BUILD)/fuzz_$$t $(FUZZ_FLAGS) $(FUZZ_OPTS) $$dict \
	     -runs=$(FUZZ_LONG_RUNS) -max_total_time=$(FUZZ_LONG_TIME) \
	     -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ $$work > $$log 2>&1 </dev/null; \
	then result=ok; \
	else result=FAILED; \
	  echo "fuzz-long: $$t: FOUND A PROBLEM; the input is in" \
	    "$(FUZZ_BUILD)/artifacts/$$t/ (copy it into $(FUZZ_DIR)/regressions/$$t/)" >&2; \
	  grep -E -A 25 '^==[0-9]+==ERROR|runtime error|ALARM|deadly signal|contract' \
	    $$log | head -n 50 >&2; fi; \
	secs=$$(( $$(date +%s) - t0 )); \
	execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log | tail -n 1); \
	[ -n "$$execs" ] || execs=$$(grep -E '^#[0-9]+' $$log | tail -n 1 | sed -E 's/^#([0-9]+).*/\1/'); \
	last=$$(grep -E '^#[0-9]+.* cov: ' $$log | tail -n 1); \
	cov=$$(echo "$$last" | sed -E 's/.* cov: ([0-9]+).*/\1/'); \
	ft=$$(echo "$$last" | sed -E 's/.* ft: ([0-9]+).*/\1/'); \
	echo "fuzz-long: $$t: merging new inputs into $$keep (log: $(FUZZ_LONG_DIR)/$$t.merge.log)"; \
	$(FUZZ_ENV) ./$(FUZZ_BUILD)/fuzz_$$t -merge=1 -timeout=10 -rss_limit_mb=2048 \
	  -max_len=16384 $$keep $$work > $(FUZZ_LONG_DIR)/$$t.merge.log 2>&1 </dev/null \
	  || { echo "fuzz-long: $$t: the merge failed" >&2; result=FAILED; }; \
	files=$$(ls $$keep | wc -l); kb=$$(( $$(cat $$keep/* | wc -c) / 1024 )); \
	echo "$$t $${execs:-0} $${cov:-?} $${ft:-?} $$secs $$(( $${execs:-0} / ($$secs > 0 ? $$secs : 1) )) $$files $$kb $$result" \
	  > $(FUZZ_LONG_DIR)/$$t.summary; \
	echo "fuzz-long: $$t: $${execs:-0} runs, cov $${cov:-?}, ft $${ft:-?}, $$secs s: $$result"

fuzz-clean:
	rm -rf $(FUZZ_BUILD)
