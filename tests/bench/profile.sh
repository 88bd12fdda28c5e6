#!/bin/sh
# profile.sh — where the step loop spends its time: the seed rig at 10 us for
# DURATION (default 1min) under `perf record`, or under callgrind when perf
# cannot record here (perf_event_paranoid, no PMU in a container) or with
# TOOL=callgrind. Run from the repository's root:
#
#   sh tests/bench/profile.sh [DURATION]          # perf, flat profile, top 15
#   TOOL=callgrind sh tests/bench/profile.sh 5s   # instruction counts (~50x slower)
#   SOLVER=fixed sh tests/bench/profile.sh        # the fixed-step path (default stride)
#
# Writes its data to ${TMPDIR:-/tmp}/psusim-profile.*; prints the top entries.
set -eu
dur=${1:-1min}
tool=${TOOL:-perf}
solver=${SOLVER:-stride}
out=${TMPDIR:-/tmp}/psusim-profile
make --no-print-directory build/tests/bench/bench >/dev/null
bin=./build/tests/bench/bench

if [ "$tool" = perf ] && command -v perf >/dev/null 2>&1 \
   && perf record -q -o "$out.perf" "$bin" --run "$dur" "$solver"; then
  echo "== perf: self time by function (top 15)"
  perf report -i "$out.perf" --stdio --no-children --sort symbol 2>/dev/null \
    | grep -E '^ +[0-9]' | sed 's/  *- *- *$//' | head -15
  echo "== perf: by shared object"
  perf report -i "$out.perf" --stdio --no-children --sort dso 2>/dev/null \
    | grep -E '^ +[0-9]' | sed 's/ *$//' | head -5
  exit 0
fi
command -v valgrind >/dev/null 2>&1 || { echo "profile.sh: neither perf nor valgrind works here" >&2; exit 1; }
valgrind --tool=callgrind --callgrind-out-file="$out.callgrind" "$bin" --run "$dur" "$solver"
echo "== callgrind: self instructions by function (top 15)"
callgrind_annotate "$out.callgrind" | sed -n '/file:function/,$p' | sed -n '3,17p'
echo "== callgrind: inclusive"
callgrind_annotate --inclusive=yes "$out.callgrind" | sed -n '/file:function/,$p' \
  | grep -v '???\|libc\|bench.c' | sed -n '3,14p'
