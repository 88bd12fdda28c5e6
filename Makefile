# psusim — build, test and install.
#
#   make            build ./psusim (profile-guided: PGO=0 for one quick compile)
#   make deps       install the Debian packages the build and tests need (as root)
#   make check      deps + build + every test
#   make asan       the whole test suite under address + undefined sanitizers
#   make demo       deps + build + run the seed scenario, print its verdict
#   make install    PREFIX=/usr/local DESTDIR=
#   make valgrind   the quick scenario tests under valgrind
#   make bench      the performance benchmark (tests/bench/README.md)
#   make fuzz       fuzz the loaders and --set/--vary; fuzz-long: 10 M runs (tests/fuzz)
#   make help       this list
#
# User CFLAGS / LDFLAGS are appended to ours, never replace them.

# make V=1 shows the full compiler commands
V ?= 0
ifeq ($(V),0)
Q := @
else
Q :=
endif

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/psusim
MANDIR   ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
BUILD    ?= build

PKGS      := gsl inih jansson
TEST_PKGS := cmocka

# Debian packages: what the build, the tests and the plots need.
DEB_PKGS := build-essential pkg-config libgsl-dev libinih-dev libjansson-dev \
            libcmocka-dev gnuplot-nox man-db zsh

WARN      := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wformat=2
# OpenMP runs Monte Carlo and sweeps on every core (DESIGN.md 6).
OPENMP   ?= -fopenmp
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -g $(WARN) $(OPENMP) -Iinclude \
             -DPSUSIM_DATADIR='"$(DATADIR)"' -MMD -MP
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_DYN_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Start-up (issue 14): GSL, libinih and jansson come from their static archives
# when all are installed (Debian's -dev packages ship them), so the dynamic
# loader maps and relocates three libraries fewer at every start (psusim
# --version: 474 k -> 264 k instructions, about 0.3 ms of wall time a run).
# libm, libgomp and libc stay shared. STATIC_DEPS=0 links them all shared.
STATIC_DEPS ?= 1
STATIC_ARCHIVES := libgsl.a libgslcblas.a libinih.a libjansson.a
static_found = $(foreach a,$(STATIC_ARCHIVES),$(filter /%,$(shell $(CC) -print-file-name=$(a))))
PKG_STATIC_LIBS = -Wl,-Bstatic $(filter-out -lm,$(PKG_DYN_LIBS)) -Wl,-Bdynamic
ifeq ($(STATIC_DEPS),1)
PKG_LIBS    = $(if $(filter $(words $(STATIC_ARCHIVES)),$(words $(static_found))),$(PKG_STATIC_LIBS),$(PKG_DYN_LIBS))
else
PKG_LIBS    = $(PKG_DYN_LIBS)
endif
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

ALL_CFLAGS  = $(BASE_CFLAGS) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(OPENMP) $(LDFLAGS)

SIM_SRCS  := $(sort $(wildcard sim/*.c))
LIB_SRCS  := $(filter-out sim/main.c,$(SIM_SRCS))
LIB_OBJS  := $(LIB_SRCS:sim/%.c=$(BUILD)/sim/%.o)
# The command line: main.c and one file per command in sim/cmd/ (cmd.h).
CLI_SRCS  := sim/main.c $(sort $(wildcard sim/cmd/*.c))
MAIN_OBJ  := $(CLI_SRCS:sim/%.c=$(BUILD)/sim/%.o)
UNIT_SRCS := $(sort $(wildcard tests/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/%.c=$(BUILD)/tests/%)
TOOL_BINS := $(BUILD)/tests/scenario_check

.SECONDARY:
.PHONY: all deps check test asan demo install uninstall clean help hdr-check readme-keys psusim-asan-test install-check valgrind bench deps-bench

all: psusim

# Profile-guided optimisation (issue 14: the CLI targets; a quarter of the
# instructions are branches): PGO=1 (the default) builds ./psusim twice in
# $(BUILD)/pgo, first instrumented (-fprofile-generate), runs that binary on
# PGO_TRAIN (the shipped scenarios below, 60 s each at 10 us, a few seconds),
# then again with the profile it wrote (-fprofile-use). The profile only
# steers inlining, layout and unrolling: no floating-point semantics change
# (no -ffast-math; -std=c11 leaves fp-contract off), so every output is the
# same, byte for byte, as a PGO=0 build's (checked on every shipped and test
# scenario, and Monte Carlo, when it came: tests/bench/README.md). The seed
# rig's 600 s at 10 us: 34 ms -> 22 ms of wall time. PGO=0 links the objects in
# $(BUILD)/sim directly: one compile, for development.
PGO ?= 1
# Link-time optimisation of the same two builds (LTO= leaves it out): calls
# across files (circuit_solve, the probes, the bulk's closed forms, the
# breaker's advance) inline like calls within one. No floating-point
# semantics change either (no FMA contraction at -std=c11): every output the
# same byte for byte (checked on every shipped, test and panel scenario at its
# own step and at 10 us); instructions for 600 s at 10 us: seed rig -3.3 %,
# lab-de -4.4 %, quad-3090 -3.7 % (tests/bench/README.md, issue 14 session 11).
# The unit tests and the sanitizer build link the plain objects.
LTO ?= -flto=auto
PGO_TRAIN := seed-dual-5090-us15a seed-dual-5090-de-b16 training-lockstep inference-box \
             lab-de-cee16-two-rigs trace-replay-transients strip-uk-extension-lead \
             seed-dual-5090-us15a-ups3000 inrush-b16-vs-c16 uk-13a-plug
# the mode ./psusim was built in (rewritten only when it changes): a switch of
# PGO or LTO rebuilds it
PGO_MODE := $(BUILD)/.pgo-mode
$(PGO_MODE): FORCE
	@mkdir -p $(BUILD)
	@echo "$(PGO) $(LTO)" | cmp -s - $@ || echo "$(PGO) $(LTO)" > $@
FORCE:
.PHONY: FORCE
ifeq ($(PGO),1)
psusim: $(BUILD)/pgo/psusim $(PGO_MODE)
	@echo "  CP      $@"
	$(Q)cp $< $@
else
psusim: $(LIB_OBJS) $(MAIN_OBJ) $(PGO_MODE)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(filter %.o,$^) $(PKG_LIBS) -lm $(ALL_LDFLAGS)
endif

# the two builds of the PGO pipeline (sub-makes with BUILD=$(BUILD)/pgo, PGO=0)
$(BUILD)/psusim-train $(BUILD)/psusim-opt: $(LIB_OBJS) $(MAIN_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm $(ALL_LDFLAGS)

$(BUILD)/pgo/psusim: $(SIM_SRCS) $(CLI_SRCS) $(wildcard include/*.h) Makefile \
                     $(wildcard scenarios/presets/*.ini) $(PGO_MODE)
	@rm -rf $(BUILD)/pgo
	@$(MAKE) --no-print-directory PGO=0 BUILD=$(BUILD)/pgo \
	  CFLAGS="$(CFLAGS) $(LTO) -fprofile-generate -fprofile-update=single" \
	  LDFLAGS="$(LDFLAGS) $(LTO) -fprofile-generate" $(BUILD)/pgo/psusim-train
	@echo "  TRAIN   $(BUILD)/pgo/psusim-train on $(words $(PGO_TRAIN)) scenarios"
	-$(Q)for f in $(PGO_TRAIN); do \
	  PSUSIM_PRESETS=$(CURDIR)/scenarios/presets $(BUILD)/pgo/psusim-train run \
	    scenarios/$$f.ini --quiet --set scenario.step=10us --set scenario.duration=60s \
	    >/dev/null 2>&1; done; true
	@find $(BUILD)/pgo -name '*.o' -delete
	@$(MAKE) --no-print-directory PGO=0 BUILD=$(BUILD)/pgo \
	  CFLAGS="$(CFLAGS) $(LTO) -fprofile-use -fprofile-correction -Wno-missing-profile" \
	  LDFLAGS="$(LDFLAGS) $(LTO)" $(BUILD)/pgo/psusim-opt
	$(Q)mv $(BUILD)/pgo/psusim-opt $@

$(BUILD)/sim/%.o: sim/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(LIB_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(TEST_LIBS) $(PKG_LIBS) -lm $(ALL_LDFLAGS)

$(BUILD)/tests/scenario_check: $(BUILD)/tests/scenario_check.o
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm $(ALL_LDFLAGS)

# The LD_PRELOAD shim of tests/fault.sh: its own flags (no sanitizer, no OpenMP;
# it is loaded into psusim, not linked with it). Under make asan, fault.sh adds
# verify_asan_link_order=0 so that the sanitizer runtime accepts it first.
FAULT_SHIM := $(BUILD)/tests/fault-shim.so
$(FAULT_SHIM): tests/fault/shim.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) -std=c11 -O2 -g $(WARN) -fPIC -shared -o $@ $< -ldl

# Installs only what is missing. Needs root (apt-get); otherwise says what to run.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "deps: missing Debian packages:$$missing" >&2; \
	  echo "deps: run as root:  apt-get update && apt-get install -y$$missing" >&2; \
	  exit 1; fi; \
	echo "deps: installing$$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing

# Runs every unit test, the scenario tests and the CLI table. Each prints its own
# closing summary line; the target fails when any of them fails.
check: deps
	@$(MAKE) --no-print-directory test

test: psusim $(UNIT_BINS) $(TOOL_BINS) $(FAULT_SHIM)
	@fail=0; \
	for t in $(UNIT_BINS); do echo "== $$t"; $(TEST_ENV) ./$$t || fail=1; done; \
	echo "== scenario tests"; $(TEST_ENV) ./$(BUILD)/tests/scenario_check tests/scenarios ./psusim || fail=1; \
	echo "== CLI tests"; $(TEST_ENV) sh tests/cli.sh ./psusim || fail=1; \
	echo "== what-if tests"; $(TEST_ENV) sh tests/whatif.sh ./psusim || fail=1; \
	echo "== recommend tests"; $(TEST_ENV) sh tests/recommend.sh ./psusim || fail=1; \
	echo "== preset database"; $(TEST_ENV) sh tests/presets.sh ./psusim || fail=1; \
	echo "== shards and merge"; $(TEST_ENV) sh tests/shard.sh ./psusim || fail=1; \
	echo "== bad-input corpus"; $(TEST_ENV) sh tests/bad.sh ./psusim || fail=1; \
	echo "== fault injection"; $(TEST_ENV) sh tests/fault.sh ./psusim $(FAULT_SHIM) || fail=1; \
	echo "== README scenario reference"; $(TEST_ENV) sh tests/readme_keys.sh ./psusim README.md || fail=1; \
	echo "== README tour output"; $(TEST_ENV) sh tests/readme_tour.sh ./psusim README.md || fail=1; \
	echo "== install into a staging folder"; $(MAKE) --no-print-directory -s install-check || fail=1; \
	exit $$fail

# Installs into $(BUILD)/stage and runs the installed binary from elsewhere: it must
# find its presets through the installed tree.
install-check: psusim
	@rm -rf $(BUILD)/stage
	@$(MAKE) --no-print-directory -s install DESTDIR=$(CURDIR)/$(BUILD)/stage PREFIX=/opt/psusim >/dev/null
	@st=$(CURDIR)/$(BUILD)/stage/opt/psusim; pass=0; fail=0; \
	if (cd / && env -u PSUSIM_PRESETS $$st/bin/psusim presets circuit) | grep -q us-15a; \
	then pass=$$((pass + 1)); else echo "installed psusim cannot list its presets"; fail=$$((fail + 1)); fi; \
	for f in share/man/man1/psusim.1 share/bash-completion/completions/psusim share/zsh/site-functions/_psusim; do \
	  if [ -s "$$st/$$f" ]; then pass=$$((pass + 1)); else echo "not installed: $$f"; fail=$$((fail + 1)); fi; done; \
	echo "$$pass passed, $$fail failed"; [ $$fail -eq 0 ]

# Sanitizer build in its own folder; the whole suite runs against it.
asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan \
	  CFLAGS="$(CFLAGS) -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="$(LDFLAGS) -fsanitize=address,undefined" \
	  TEST_ENV="ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1" \
	  PSUSIM_BIN=psusim-asan psusim-asan-test

psusim-asan-test: $(LIB_OBJS) $(MAIN_OBJ) $(UNIT_BINS) $(TOOL_BINS) $(FAULT_SHIM)
	@echo "  LD      psusim-asan"
	$(Q)$(CC) $(ALL_CFLAGS) -o psusim-asan $(LIB_OBJS) $(MAIN_OBJ) $(PKG_LIBS) -lm $(ALL_LDFLAGS)
	@fail=0; \
	for t in $(UNIT_BINS); do echo "== $$t"; $(TEST_ENV) ./$$t || fail=1; done; \
	echo "== scenario tests"; $(TEST_ENV) ./$(BUILD)/tests/scenario_check tests/scenarios ./psusim-asan || fail=1; \
	echo "== CLI tests"; $(TEST_ENV) sh tests/cli.sh ./psusim-asan || fail=1; \
	echo "== what-if tests"; $(TEST_ENV) sh tests/whatif.sh ./psusim-asan || fail=1; \
	echo "== recommend tests"; $(TEST_ENV) sh tests/recommend.sh ./psusim-asan || fail=1; \
	echo "== preset database"; $(TEST_ENV) sh tests/presets.sh ./psusim-asan || fail=1; \
	echo "== shards and merge"; $(TEST_ENV) sh tests/shard.sh ./psusim-asan || fail=1; \
	echo "== bad-input corpus"; $(TEST_ENV) sh tests/bad.sh ./psusim-asan || fail=1; \
	echo "== fault injection"; $(TEST_ENV) sh tests/fault.sh ./psusim-asan $(FAULT_SHIM) || fail=1; \
	exit $$fail

# memcheck over the scenario tests that run in seconds: zero errors, zero leaks.
VALGRIND_CASES := brownout collapse connector excursion-outside heat-cost magnetic-iec-b \
                  nomagnetic-iec-b-3in schedule trip-iec-b-255pct wire-gauge fuse-bs1362 \
                  supply-low
valgrind: psusim $(TOOL_BINS)
	@command -v valgrind >/dev/null 2>&1 || { \
	  echo "valgrind: not installed; as root: apt-get install -y valgrind" >&2; exit 1; }
	@SCENARIO_ONLY="$(VALGRIND_CASES)" ./$(BUILD)/tests/scenario_check tests/scenarios \
	  tests/valgrind-psusim.sh

demo: deps
	@$(MAKE) --no-print-directory psusim
	-./psusim run scenarios/seed-dual-5090-us15a.ini

install: psusim
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/presets $(DESTDIR)$(DATADIR)/plots
	install -m 755 psusim $(DESTDIR)$(BINDIR)/psusim
	install -m 644 scenarios/presets/*.ini $(DESTDIR)$(DATADIR)/presets/
	for f in plots/*.gp; do [ -e "$$f" ] || continue; install -m 644 "$$f" $(DESTDIR)$(DATADIR)/plots/; done
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 psusim.1 $(DESTDIR)$(MANDIR)/man1/psusim.1
	install -m 644 completions/psusim.bash $(DESTDIR)$(BASHCOMPDIR)/psusim
	install -m 644 completions/_psusim $(DESTDIR)$(ZSHCOMPDIR)/_psusim

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/psusim $(DESTDIR)$(MANDIR)/man1/psusim.1
	rm -f $(DESTDIR)$(BASHCOMPDIR)/psusim $(DESTDIR)$(ZSHCOMPDIR)/_psusim
	rm -rf $(DESTDIR)$(DATADIR)

# Every header compiles on its own.
hdr-check:
	@for h in include/*.h; do \
	  printf '#include "%s"\n' "$${h#include/}" | $(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -x c -fsyntax-only - || exit 1; done; \
	echo "hdr-check: all headers compile on their own"

clean:
	rm -rf build build-asan psusim psusim-asan

help:
	@sed -n '2,14p' Makefile | sed 's/^# \{0,1\}//'

-include $(wildcard $(BUILD)/sim/*.d $(BUILD)/sim/cmd/*.d $(BUILD)/tests/*.d)

# libFuzzer targets: make fuzz-deps, fuzz-build, fuzz (10 min a target), fuzz-ci
include tests/fuzz/fuzz.mk

# Rewrites the README's scenario reference from the loader's key table.
readme-keys: psusim
	@awk -v keys="$$(./psusim keys)" \
	  '/^<!-- keys:begin/ { print; print keys; skip = 1; next } \
	   /^<!-- keys:end/ { skip = 0 } !skip { print }' README.md > README.md.tmp \
	  && mv README.md.tmp README.md && echo "README.md: scenario reference updated"

# ---------------------------------------------------------------- benchmark --
# make bench       deps + ngspice, an optimised build (BASE_CFLAGS: -O2) of
#                  tests/bench/bench.c against the library objects (with PGO=1,
#                  those of the profile-guided build, as ./psusim's), then runs it:
#                  the figures of DESIGN.md 6, reported, never asserted
#                  (tests/bench/README.md). BENCH_QUICK=1 make bench: a smoke run.
# make deps-bench  the build's Debian packages and ngspice (as root). Without
#                  ngspice the benchmark says so and skips the comparison.
BENCH_BIN := $(BUILD)/tests/bench/bench

deps-bench: deps
	@if command -v ngspice >/dev/null 2>&1; then echo "deps-bench: ngspice present"; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "deps-bench: ngspice missing; as root: apt-get update && apt-get install -y ngspice" >&2; \
	  echo "deps-bench: the benchmark will skip the ngspice comparison" >&2; exit 0; fi; \
	echo "deps-bench: installing ngspice"; \
	export DEBIAN_FRONTEND=noninteractive; \
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends ngspice; } \
	  || echo "deps-bench: could not install ngspice; the benchmark will skip the comparison" >&2

bench: deps-bench
	@$(MAKE) --no-print-directory $(BENCH_BIN)
	@./$(BENCH_BIN)
	@$(MAKE) --no-print-directory psusim
	@sh tests/bench/cli.sh ./psusim

# with PGO the library objects of the profile-guided build (the pipeline makes
# them with ./psusim's), so that the in-process figures are those of ./psusim
ifeq ($(PGO),1)
$(BENCH_BIN): $(BUILD)/tests/bench/bench.o $(BUILD)/pgo/psusim
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_SRCS:sim/%.c=$(BUILD)/pgo/sim/%.o) $(PKG_LIBS) -lm \
	  $(ALL_LDFLAGS)
else
$(BENCH_BIN): $(BUILD)/tests/bench/bench.o $(LIB_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm $(ALL_LDFLAGS)
endif

-include $(wildcard $(BUILD)/tests/bench/*.d)
