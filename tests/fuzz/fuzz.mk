# tests/fuzz/fuzz.mk — libFuzzer targets for the scenario loader and the trace
# reader (tests/fuzz/README.md).
#
#   make fuzz-deps    install clang, libFuzzer (libclang-rt) and libomp, as root,
#                     only what is missing
#   make fuzz-build   build-fuzz/fuzz_scenario and build-fuzz/fuzz_trace
#                     (-fsanitize=fuzzer,address,undefined)
#   make fuzz         replay tests/fuzz/regressions/, then fuzz each target for
#                     FUZZ_TIME seconds (600) on a copy of its corpus
#                     (FUZZ_TARGETS=trace: only that one)
#   make fuzz-ci      the same with FUZZ_TIME=60
#   make fuzz-regress only the regression inputs (seconds)
#
# Included from the Makefile, it uses its PKGS, WARN and LIB_SRCS; it also works
# on its own: make -f tests/fuzz/fuzz.mk fuzz-build. Run from the repository
# root. Everything it writes goes under $(FUZZ_BUILD); the repository's corpus is
# only read.

# ------------------------------------------------------------ configuration --
FUZZ_CC     ?= clang
# the LLVM release of Debian 12's clang: names the runtime packages
FUZZ_LLVM   ?= 14
FUZZ_BUILD  ?= build-fuzz
FUZZ_TIME   ?= 600
# libFuzzer options for the timed runs (FUZZ_OPTS adds more, e.g. -jobs=2)
FUZZ_FLAGS  ?= -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1
FUZZ_OPTS   ?=

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
FUZZ_TARGETS ?= scenario trace
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

.PHONY: fuzz-deps fuzz-build fuzz fuzz-ci fuzz-regress fuzz-clean

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

fuzz-clean:
	rm -rf $(FUZZ_BUILD)
