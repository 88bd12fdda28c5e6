#!/bin/sh
# tests/whatif.sh PSUSIM — sweeps, Monte Carlo and recommend (issue 7), checked
# against independent answers. Ends with "N passed, N failed".
P=${1:-./psusim}
. tests/lib.sh
seed=scenarios/seed-dual-5090-us15a.ini
short="--set scenario.duration=20s --set scenario.step=200us"

# 1. recommend's power limit passes when applied with --set, and the sweep's
#    pass/fail boundary lies within one sweep step of recommend's bisection. On
#    the 20 A seed rig: on 15 A no limit an RTX 5090 accepts (>= 400 W) passes.
seed=scenarios/seed-dual-5090-us20a.ini
"$P" recommend "$seed" $short > "$tmp/rec.txt"
lim=$(sed -n 's/.*power limit \([0-9]*\) W on every GPU.*/\1/p' "$tmp/rec.txt")
if [ -n "$lim" ]; then ok; else bad "recommend gave no power limit: $(cat "$tmp/rec.txt")"; lim=0; fi
grep -q "nvidia-smi -i 0,1 -pl $lim" "$tmp/rec.txt" && ok || bad "no nvidia-smi command for $lim W"
"$P" run "$seed" $short --set gpu.rtx5090.power_limit=${lim}W > "$tmp/apply.txt"
grep -q '^verdict: PASS' "$tmp/apply.txt" && ok || bad "the recommended $lim W does not pass"
# the spikes are random, so the boundary is a little noisy: 10 % above must fail
above=$((lim + lim / 10))
"$P" run "$seed" $short --set gpu.rtx5090.power_limit=${above}W > "$tmp/above.txt"
grep -q '^verdict: PASS' "$tmp/above.txt" && bad "$above W passes too: not near the highest" || ok
"$P" sweep "$seed" $short --vary gpu.rtx5090.power_limit=400W:575W:25W --json > "$tmp/sweep.json"
# the highest swept limit whose verdict is pass
last=$(tr -d ' \n' < "$tmp/sweep.json" | sed 's/},{/}\n{/g' | grep '"verdict":"pass"' \
       | sed -n 's/.*"gpu.rtx5090.power_limit":"\([0-9.]*\)".*/\1/p' | sort -n | tail -n 1)
if [ -n "$last" ] && [ "${last%.*}" -le "$lim" ] && [ $((${last%.*} + 25)) -gt "$lim" ]; then ok
else bad "sweep boundary $last W vs bisection $lim W (want within one 25 W step)"; fi

seed=scenarios/seed-dual-5090-us15a.ini

# 2. Monte Carlo converges on a known probability, within 4 standard errors.
"$P" run tests/whatif/mc-known.ini --runs 1000 --json > "$tmp/mc.json"
p=$(tr -d ' \n' < "$tmp/mc.json" | sed -n 's/.*"any_failure":{"p":\([0-9.e-]*\).*/\1/p')
if awk -v p="$p" 'BEGIN { t = 1 - exp(-0.5 * 0.995); se = sqrt(t * (1 - t) / 1000);
                         exit !(p != "" && (p - t) < 4 * se && (t - p) < 4 * se) }'; then ok
else bad "P(fail) = $p, want 0.392 +- 0.062"; fi
lo=$(tr -d ' \n' < "$tmp/mc.json" | sed -n 's/.*"any_failure":{[^}]*"ci95_low":\([0-9.e-]*\).*/\1/p')
hi=$(tr -d ' \n' < "$tmp/mc.json" | sed -n 's/.*"any_failure":{[^}]*"ci95_high":\([0-9.e-]*\).*/\1/p')
awk -v lo="$lo" -v hi="$hi" -v p="$p" 'BEGIN { exit !(lo < p && p < hi && hi - lo < 0.07) }' \
    && ok || bad "Wilson interval [$lo, $hi] around $p"

# 3. The same results whatever the thread count.
OMP_NUM_THREADS=1 "$P" run tests/whatif/mc-known.ini --runs 200 --json > "$tmp/t1.json"
OMP_NUM_THREADS=2 "$P" run tests/whatif/mc-known.ini --runs 200 --json > "$tmp/t2.json"
cmp -s "$tmp/t1.json" "$tmp/t2.json" && ok || bad "Monte Carlo differs between 1 and 2 threads"

# 4. Bad --vary and --runs are usage errors.
"$P" sweep "$seed" --vary gpu.rtx5090.power_limit=575W:300W:25W > /dev/null 2>&1
[ $? -eq 2 ] && ok || bad "a backwards range is not refused"
"$P" sweep "$seed" > /dev/null 2>&1
[ $? -eq 2 ] && ok || bad "sweep without --vary is not refused"
"$P" run "$seed" --runs 0 > /dev/null 2>&1
[ $? -eq 2 ] && ok || bad "--runs 0 is not refused"
"$P" sweep "$seed" $short --vary gpu.rtx5090.power_limt=300W,400W > "$tmp/err.txt" 2>&1
[ $? -eq 2 ] && grep -q "did you mean 'power_limit'" "$tmp/err.txt" && ok \
    || bad "a misspelt --vary key: $(cat "$tmp/err.txt")"

# 5. --verdict-only (issue 14, 5): runs stop at their first failure; the
#    verdicts and P(any_failure) are those of the full runs, the figures are
#    left out. The heater trips within its 20 min at 1000 W and 1500 W.
heater=scenarios/us15a-bedroom-heater.ini
vary="--vary load.heater.power=300W,1000W,1500W"
"$P" sweep "$heater" $vary --runs 3 --out "$tmp/vfull" --plots none > /dev/null
"$P" sweep "$heater" $vary --runs 3 --out "$tmp/vonly" --plots none --verdict-only > "$tmp/vonly.txt"
cut -d, -f1,2 "$tmp/vfull/sweep.csv" > "$tmp/v1"; cut -d, -f1,2 "$tmp/vonly/sweep.csv" > "$tmp/v2"
cmp -s "$tmp/v1" "$tmp/v2" && ok || bad "--verdict-only verdicts differ: $(diff "$tmp/v1" "$tmp/v2")"
awk -F, 'NR > 1 { print $NF }' "$tmp/vfull/sweep.csv" > "$tmp/p1"
awk -F, 'NR > 1 { print $NF }' "$tmp/vonly/sweep.csv" > "$tmp/p2"
cmp -s "$tmp/p1" "$tmp/p2" && ok || bad "--verdict-only P(fail) differs"
grep -q '^1500 W  *FAIL  *-' "$tmp/vonly.txt" && ok || bad "--verdict-only still prints figures: $(cat "$tmp/vonly.txt")"
"$P" run "$heater" --runs 6 --json > "$tmp/mcf.json"
"$P" run "$heater" --runs 6 --json --verdict-only > "$tmp/mcv.json"
c1=$(tr -d ' \n' < "$tmp/mcf.json" | sed 's/.*"any_failure":{[^}]*"count":\([0-9]*\).*/\1/')
c2=$(tr -d ' \n' < "$tmp/mcv.json" | sed 's/.*"any_failure":{[^}]*"count":\([0-9]*\).*/\1/')
[ -n "$c1" ] && [ "$c1" = "$c2" ] && ok || bad "P(any_failure) counts differ: $c1 vs $c2"
grep -q '"quantiles": {}' "$tmp/mcv.json" && grep -q '"verdict_only": true' "$tmp/mcv.json" && ok \
    || bad "--verdict-only Monte Carlo still reports quantiles"
"$P" run "$heater" --verdict-only > /dev/null 2>&1
[ $? -eq 2 ] && ok || bad "--verdict-only without --runs is not refused"

# 6. The two-parameter map (issue 19, 3): each cell says the verdict the table
#    says (enum verdict counts NA between PASS and MARGINAL: the map once read
#    MARGINAL as FAIL and FAIL as pass), and the tics carry their units.
if command -v gnuplot > /dev/null 2>&1; then
    "$P" sweep "$seed" $short --vary gpu.rtx5090.power_limit=400W,425W \
        --vary circuit.wall.breaker=15A,20A --out "$tmp/map" --plots svg > "$tmp/map.txt"
    m="$tmp/map/sweep.svg"
    for want in 'MARGINAL 99 %' 'FAIL 103 %' 'PASS 79 %' 'PASS 82 %' '425 W' '20 A' \
                'pass/fail boundary'; do
        grep -qF "$want" "$m" && ok || bad "sweep map lacks '$want'"
    done
    grep -q '^425 W *15 A *FAIL ' "$tmp/map.txt" && grep -q '^400 W *15 A *MARGINAL ' "$tmp/map.txt" \
        && ok || bad "the table disagrees: $(cat "$tmp/map.txt")"
fi

# 7. Units and words (issue 19, 5): the sweep table's values carry their units,
#    its heat and use are in %, P(fail) says it is per simulated run; Monte
#    Carlo's text spells each probability out, per simulated run, with the
#    JSON's numbers, and the breaker heat in % (the JSON's fraction x 100).
"$P" sweep "$seed" $short --vary gpu.rtx5090.power_limit=400W:425W:25W --runs 2 > "$tmp/u.txt"
grep -q '^400 W  *MARGINAL  *[0-9]* %  *[0-9.]*  *[0-9.]*  *99 %  *0.000$' "$tmp/u.txt" && ok \
    || bad "sweep table without units: $(head -n 3 "$tmp/u.txt")"
grep -q '^P(fail): the probability that the verdict is FAIL, per simulated run' "$tmp/u.txt" \
    && ok || bad "sweep: P(fail) is not explained"
"$P" run tests/whatif/mc-known.ini --runs 200 > "$tmp/mct.txt"
"$P" run tests/whatif/mc-known.ini --runs 200 --json > "$tmp/mcj.json"
grep -q '^Probability per simulated run (95 % Wilson interval; runs that had it):$' "$tmp/mct.txt" \
    && ok || bad "Monte Carlo does not say per simulated run: $(cat "$tmp/mct.txt")"
pj=$(tr -d ' \n' < "$tmp/mcj.json" | sed -n 's/.*"trip":{"p":\([0-9.e-]*\).*/\1/p')
pt=$(sed -n 's/^  a breaker or fuse trips  *\([0-9.]*\) (.*/\1/p' "$tmp/mct.txt")
awk -v a="$pj" -v b="$pt" 'BEGIN { exit !(a != "" && b != "" && (a - b) < 5e-5 && (b - a) < 5e-5) }' \
    && ok || bad "text probability of a trip $pt, JSON $pj"
grep -q '^  anything fails (verdict FAIL)  *0\.[0-9]* (0\.[0-9]* to 0\.[0-9]*; [0-9]* of 200)$' "$tmp/mct.txt" \
    && ok || bad "no line for the probability that anything fails"
hj=$(tr -d ' \n' < "$tmp/mcj.json" | sed -n 's/.*"max_heat":{"q05":[0-9.e-]*,"q50":\([0-9.e-]*\).*/\1/p')
ht=$(sed -n 's/^  breaker heat, highest of a run  *[0-9.e-]* %, \([0-9.e-]*\) %, .*(100 % trips)$/\1/p' "$tmp/mct.txt")
awk -v j="$hj" -v t="$ht" 'BEGIN { exit !(j != "" && t != "" && (100 * j - t) < 1e-3 * t + 1e-9 && (t - 100 * j) < 1e-3 * t + 1e-9) }' \
    && ok || bad "heat median in the text $ht %, JSON $hj (want 100 x)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
