#!/bin/sh
# tests/shard.sh PSUSIM — Monte Carlo and sweeps split into shards (issue 14, 6):
# four local shards, run at once as four jobs, put together by psusim merge must
# give the bytes of the unsharded run (text, --json, sweep.csv, sweep.json); and
# merge refuses what is not one job's complete set of shards. The second method
# is the one-machine run itself. Ends with "N passed, N failed".
P=${1:-./psusim}
. tests/lib.sh
seed=scenarios/seed-dual-5090-us15a.ini
short="--set scenario.duration=5s --set scenario.step=100us"

# 1. Monte Carlo: 13 runs (not a multiple of 4) in four shards at once
"$P" run "$seed" $short --runs 13 > "$tmp/mc1.txt"; rc1=$?
"$P" run "$seed" $short --runs 13 --json > "$tmp/mc1.json"
for k in 1 2 3 4; do
    "$P" run "$seed" $short --runs 13 --shard $k/4 --out "$tmp/mc" --quiet &
done
wait
n=$(ls "$tmp/mc"/shard-*-of-4.json 2>/dev/null | wc -l)
[ "$n" -eq 4 ] && ok || bad "four shard files wanted, got $n"
"$P" merge "$tmp"/mc/shard-*.json > "$tmp/mc4.txt"; rc4=$?
"$P" merge "$tmp"/mc/shard-*.json --json > "$tmp/mc4.json"
cmp -s "$tmp/mc1.txt" "$tmp/mc4.txt" && ok || bad "merged Monte Carlo text differs: $(diff "$tmp/mc1.txt" "$tmp/mc4.txt")"
cmp -s "$tmp/mc1.json" "$tmp/mc4.json" && ok || bad "merged Monte Carlo JSON differs"
[ "$rc1" -eq "$rc4" ] && ok || bad "exit status $rc4 after merge, $rc1 on one machine"
grep -q "Monte Carlo: 13 runs" "$tmp/mc4.txt" && ok || bad "merge does not count 13 runs"
# each shard holds its own runs only: run i in shard i mod 4 + 1
grep -q '"index": 5,' "$tmp/mc/shard-2-of-4.json" && ! grep -q '"index": 5,' "$tmp/mc/shard-1-of-4.json" \
    && ok || bad "run 5 is not in shard 2 alone"

# 2. a sweep over two axes, shards to stdout, the merge writing --out
vary="--vary psu.main.rating=1600W,2500W --vary gpu.rtx5090.power_limit=450W:575W:25W"
"$P" sweep "$seed" $short $vary --out "$tmp/sw1" --plots none > "$tmp/sw1.txt"
for k in 1 2 3 4; do "$P" sweep "$seed" $short $vary --shard $k/4 > "$tmp/part$k.json" & done
wait
"$P" merge "$tmp"/part1.json "$tmp"/part2.json "$tmp"/part3.json "$tmp"/part4.json \
    --out "$tmp/sw4" --plots none > "$tmp/sw4.txt"
cmp -s "$tmp/sw1.txt" "$tmp/sw4.txt" && ok || bad "merged sweep table differs: $(diff "$tmp/sw1.txt" "$tmp/sw4.txt")"
cmp -s "$tmp/sw1/sweep.csv" "$tmp/sw4/sweep.csv" && ok || bad "merged sweep.csv differs"
cmp -s "$tmp/sw1/sweep.json" "$tmp/sw4/sweep.json" && ok || bad "merged sweep.json differs"
# the shards may come in any order
"$P" merge "$tmp"/part3.json "$tmp"/part1.json "$tmp"/part4.json "$tmp"/part2.json > "$tmp/sw4b.txt"
cmp -s "$tmp/sw1.txt" "$tmp/sw4b.txt" && ok || bad "merge depends on the order of the files"

# 3. what merge refuses (exit 2, and why)
t 2 "but 3 file(s) given" merge "$tmp"/part1.json "$tmp"/part2.json "$tmp"/part3.json
t 2 "is given twice" merge "$tmp"/part1.json "$tmp"/part1.json "$tmp"/part2.json "$tmp"/part3.json
t 2 "shards of different jobs" merge "$tmp"/part1.json "$tmp"/part2.json "$tmp"/part3.json \
    "$tmp"/mc/shard-4-of-4.json
t 2 "not a psusim shard file" merge "$tmp"/part1.json "$tmp"/part2.json "$tmp"/part3.json "$tmp/mc1.json"
head -c 300 "$tmp/part4.json" > "$tmp/cut.json"
t 2 "not a psusim shard file" merge "$tmp"/part1.json "$tmp"/part2.json "$tmp"/part3.json "$tmp/cut.json"
# a shard that holds one of its two runs (a killed one would hold none)
cat > "$tmp/short.json" <<'JSON'
{"format": "psusim-shard", "version": 1, "command": "run", "file": "x.ini", "sets": [],
 "vary": [], "runs": 3, "total": 3, "shard": 1, "shards": 1, "verdict_only": false,
 "items": [{"index": 0, "ok": true, "verdict": "pass", "tripped": false, "shutdown": false,
            "rule_failed": false, "max_heat": 0.5, "mean_current_a": 1, "peak_current_a": 2,
            "worst_used": 0.5, "first_fail_s": null}]}
JSON
t 2 "holds 1 of its 3 items: it is incomplete" merge "$tmp/short.json"
# a --verdict-only shard is another job's
"$P" sweep "$seed" $short $vary --shard 4/4 --verdict-only > "$tmp/vo4.json"
t 2 "its verdict_only differs" merge "$tmp"/part1.json "$tmp"/part2.json "$tmp"/part3.json "$tmp/vo4.json"
t 2 "merge needs the shard files" merge
t 2 "--shard takes K/N with 1 <= K <= N" run "$seed" --runs 4 --shard 5/4
t 2 "--shard takes K/N, shard K of N" run "$seed" --runs 4 --shard x
t 2 "--shard goes with run --runs N and with sweep" run "$seed" --shard 1/2
t 2 "drop --json" run "$seed" --runs 4 --shard 1/2 --json

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
