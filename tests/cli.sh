#!/bin/sh
# tests/cli.sh PSUSIM — the command line as a table of cases: the exit status
# wanted, a text that must appear in the output (stdout and stderr), and the
# arguments. Then the files --out writes. Ends with "N passed, N failed".
P=${1:-./psusim}
. tests/lib.sh
seed=scenarios/seed-dual-5090-us15a.ini
de=scenarios/seed-dual-5090-de-b16.ini


cat > "$tmp/misspelt.ini" <<'INI'
[circuit wall]
voltage = 120 V
breaker = 15 A
curve   = ul489

[psu main]
circuit = wall
ratng   = 2000 W

[load gpu]
psu   = main
power = 15 A
INI

# --- usage, help, version ---------------------------------------------------
t 0 "usage: psusim run FILE" --help
t 0 "psusim 0.1.0" --version
t 2 "no command given"
t 2 "unknown command 'rnu'; did you mean 'run'?" rnu "$seed"
t 2 "a scenario FILE is needed by: run" run
t 2 "unknown option: --bogus" run "$seed" --bogus
t 2 "this option needs a value: --set" run "$seed" --set
t 2 "unexpected argument: extra" run "$seed" extra
t 2 "--set and --out go with run and check, not: presets" presets --set a=b

# --- bad input: exit 2, file:line: key: what was expected ----------------------
t 2 "nonexistent.ini: cannot read: No such file or directory" run nonexistent.ini
t 2 "not a regular file (it is a directory)" run scenarios
t 2 "misspelt.ini:8: [psu main]: unknown key 'ratng'; did you mean 'rating'?" check "$tmp/misspelt.ini"
t 2 "misspelt.ini:12: [load gpu] power: expected a power" check "$tmp/misspelt.ini"
t 2 "misspelt.ini:6: [psu main]: missing required key 'rating'" check "$tmp/misspelt.ini"
t 2 "3 problems; nothing was simulated" check "$tmp/misspelt.ini"
t 2 "--set psu.main.rating=15A: [psu main] rating: expected a power" run "$seed" --set psu.main.rating=15A
t 2 "did you mean 'main'?" run "$seed" --set psu.mian.rating=2000W
t 2 "expected KIND.NAME.KEY=VALUE" run "$seed" --set rating=2000W
# text that is not UTF-8 is refused before the run, shown escaped (issue 15, 6)
t 2 "argument 4 holds a byte that is not UTF-8 (shown as \\xNN): 'scenario.name=a\\xffb'" run "$seed" --set "$(printf 'scenario.name=a\377b')"
t 2 "holds a control character (shown as \\xNN): 'x\\x1b[2J'" run "$(printf 'x\033[2J')"

# the work is bounded (issue 15, 7): sections, and units x steps (x runs and
# points); --force goes past; loading is linear in the sections (10,000 here)
awk 'BEGIN { print "[scenario]\nduration = 1 s\n[circuit wall]\nvoltage = 230 V\nfrequency = 50 Hz\nbreaker = 16 A\ncurve = iec-b\n[psu main]\ncircuit = wall\nrating = 20 kW";
             for (i = 0; i < 10000; i++) printf "[load l%d]\npsu = main\npower = 1 W\n", i }' > "$tmp/many.ini"
t 2 "10002 sections (circuits, PSUs and loads); at most 1000 without --force" check "$tmp/many.ini"
t 0 "OK - 1 circuit, 1 PSU, 10000 loads" check "$tmp/many.ini" --force
awk 'BEGIN { print "[scenario]\nduration = 10 min\n[circuit wall]\nvoltage = 230 V\nfrequency = 50 Hz\nbreaker = 16 A\ncurve = iec-b\n[psu main]\ncircuit = wall\nrating = 20 kW";
             for (i = 0; i < 256; i++) printf "[gpu g%d]\npsu = main\npreset = rtx3090\ncount = 256\n", i }' > "$tmp/gpus.ini"
t 2 "65536 units x 1.2e+07 steps would compute for about" check "$tmp/gpus.ini"
t 2 "4 units x 1.2e+07 steps x runs and points would compute" run "$seed" --runs 100000
t 2 "x runs and points would compute" sweep "$seed" --runs 5000 --vary gpu.rtx5090.power_limit=300W:575W:25W
awk 'BEGIN { print "[scenario]\nduration = 1 s\n[circuit wall]\nvoltage = 230 V\nfrequency = 50 Hz\nbreaker = 16 A\ncurve = iec-b\n[psu main]\ncircuit = wall\nrating = 20 kW";
             for (i = 0; i < 998; i++) printf "[load l%d]\npsu = main\npower = 1 W\n", i }' > "$tmp/many999.ini"
# 998 loads: the power plot stacks the 9 largest and the rest as one area
"$P" run "$tmp/many999.ini" --out "$tmp/many999" > /dev/null 2>&1
[ -s "$tmp/many999/power.png" ] && ok || bad "998 loads: no power plot"

# include = FILE (issue 18, 6): problems name the file they are in; a missing
# file, the scenario itself, a section twice across files, --set include: refused
mkdir -p "$tmp/inc"
printf '[scenario]\ninclude = nope.ini\n' > "$tmp/inc/missing.ini"
printf '[scenario]\ninclude = self.ini\n' > "$tmp/inc/self.ini"
printf '[scenario]\ninclude = bad-rig.ini\n' > "$tmp/inc/bad.ini"
printf '[circuit wall]\npreset = us-15a\n[psu main]\ncircuit = wall\nratng = 1000 W\n' > "$tmp/inc/bad-rig.ini"
printf '[scenario]\ninclude = a.ini, b.ini\n' > "$tmp/inc/dup.ini"
printf '[circuit wall]\npreset = us-15a\n' > "$tmp/inc/a.ini"
cp "$tmp/inc/a.ini" "$tmp/inc/b.ini"
t 2 "missing.ini:2: [scenario] include: $tmp/inc/nope.ini could not be read" check "$tmp/inc/missing.ini"
t 2 "self.ini is the scenario itself or included already" check "$tmp/inc/self.ini"
t 2 "bad-rig.ini:5: [psu main]: unknown key 'ratng'; did you mean 'rating'?" check "$tmp/inc/bad.ini"
t 2 "b.ini:1: [circuit wall] appears twice (first at $tmp/inc/a.ini:1)" check "$tmp/inc/dup.ini"
t 2 "include works in the scenario file, not with --set" check tests/include/lab.ini --set scenario.include=x.ini
t 0 "OK - 2 circuits, 2 PSUs, 2 loads" check tests/include/lab.ini

# one key, one axis (issue 15, 8)
t 2 "--vary psu.main.rating is given twice" sweep "$seed" --vary psu.main.rating=1600W,2000W --vary psu.main.rating=2500W
t 2 "--set psu.main.rating=2500W and --vary psu.main.rating name the same key" sweep "$seed" --vary psu.main.rating=1600W,2000W --set psu.main.rating=2500W

# --- Windows line ends (issue 15, 5): every shipped scenario saved with CRLF,
# blank lines included, checks as it does with LF
# (a copy of the folder, so trace files stay beside their scenarios)
cp -R scenarios "$tmp/crlf"
for f in "$tmp"/crlf/*.ini; do
    sed 's/$/\r/' "$f" > "$f.tmp" && mv "$f.tmp" "$f"
    grep -q "$(printf '^\r$')" "$f" || bad "no blank CRLF line in $f"
    t 0 "OK - " check "$f"
done

# --- circuit keys (issue 3) ------------------------------------------------------
t 2 "give either wire_resistance or wire_length with wire_gauge, not both" check "$seed" --set circuit.wall.wire_length=10m --set circuit.wall.wire_gauge=14AWG
t 2 "wire_length and wire_gauge go together" check "$seed" --set circuit.wall.wire_gauge=12AWG
t 2 "unknown conductor '16 AWG'" check "$seed" --set "circuit.wall.wire_gauge=16 AWG"
t 2 "expected fast, nominal or slow; got 'medium'" check "$seed" --set circuit.wall.tolerance=medium
t 2 "'high' needs the band's top" check tests/scenarios/steady-closed-form.ini --set circuit.wall.supply=high
t 2 "has no magnetic element" check scenarios/uk-13a-plug.ini --set circuit.socket.magnetic=5
t 2 "ambient: 150C is out of range" check "$seed" --set scenario.ambient=150C
t 0 "OK - 2 circuits, 4 PSUs, 4 loads" check scenarios/inrush-b16-vs-c16.ini
t 0 "uk-13a" presets circuit
t 0 "jp-15a" presets circuit

# --- check, run, verdicts and exit codes ---------------------------------------
t 0 "OK - 1 circuit, 1 PSU, 3 loads" check "$seed"
t 0 "OK - 1 circuit, 1 PSU, 3 loads, 1 UPS; 600 s" check scenarios/seed-dual-5090-us15a-ups3000.ini
t 0 "OK - 1 circuit, 2 PSUs, 4 loads, 1 strip; 120 s" check scenarios/strip-uk-extension-lead.ini
t 1 "link                       verdict    margin  figure" run "$seed" --set scenario.duration=10s --wide
t 1 "verdict: FAIL - first: continuous load wall" run "$seed" --set scenario.duration=10s
t 0 "verdict: PASS" run "$de" --set scenario.duration=10s
t 0 "verdict: PASS" run "$seed" --set gpu.rtx5090.count=1 --set scenario.duration=10s
t 0 '"verdict": "pass"' run "$de" --set scenario.duration=10s --json

# --- presets and keys -----------------------------------------------------------
t 0 "us-15a" presets
t 0 "de-b16" presets circuit
t 0 "corsair-ax1600i" presets psu
t 0 "rtx5090" presets gpu
t 0 "threadripper-7960x" presets cpu
t 2 "expected constant, idle, training or inference; got 'trainig'" check "$seed" --set gpu.rtx5090.workload=trainig
t 2 "expected full, idle or bursty" check "$seed" --set cpu.threadripper.load=max
t 2 "[gpu rtx5090] psu: no [psu mainn]" check "$seed" --set gpu.rtx5090.psu=mainn
t 2 "unknown kind 'cirquit'; did you mean 'circuit'?" presets cirquit
t 0 "| \`rating\` | W, kW, MW, mW |" keys
t 2 "go with run and check" keys --set a=b

# --- --quiet prints nothing on success ------------------------------------------
out=$("$P" run "$de" --set scenario.duration=1s --quiet 2>&1)
[ $? -eq 0 ] && [ -z "$out" ] && ok || bad "--quiet printed: $out"

# --- --out writes whole files, no temporaries left ------------------------------
"$P" run "$seed" --set scenario.duration=10s --out "$tmp/out" >/dev/null 2>&1
rc=$?
[ "$rc" -eq 1 ] && ok || bad "--out run: exit $rc, want 1"
for f in summary.json timeseries.csv events.csv; do
    [ -s "$tmp/out/$f" ] && ok || bad "--out: $f missing or empty"
done
left=$(find "$tmp/out" -name '.*.??????' -type f | wc -l)
[ "$left" -eq 0 ] && ok || bad "--out left $left temporary files"
rows=$(wc -l < "$tmp/out/timeseries.csv")
[ "$rows" -eq 1001 ] && ok || bad "timeseries.csv has $rows lines, want 1 header + 1000 rows (10 s / 10 ms)"
head -n 1 "$tmp/out/timeseries.csv" | grep -q '^t_start_s,t_end_s,load.rtx5090.power_w.min,load.rtx5090.power_w.mean,load.rtx5090.power_w.max' \
    && ok || bad "timeseries.csv header: $(head -c 120 "$tmp/out/timeseries.csv")"
grep -q '"verdict": "fail"' "$tmp/out/summary.json" && ok || bad "summary.json has no fail verdict"
[ "$(head -n 1 "$tmp/out/events.csv")" = "time_s,component,name,event,value,unit" ] && ok \
    || bad "events.csv header"

# --- bad input never leaves output behind ---------------------------------------
"$P" run "$tmp/misspelt.ini" --out "$tmp/out2" >/dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ] && [ ! -e "$tmp/out2" ] && ok || bad "bad input with --out: exit $rc, out2 exists: $(ls "$tmp/out2" 2>&1)"

# --- plots and the report (issue 6) -----------------------------------------------
if command -v gnuplot > /dev/null 2>&1; then
    for f in power.png circuit.png tripcurve.png efficiency.png excursion.png report.md; do
        [ -s "$tmp/out/$f" ] && ok || bad "--out: $f missing (gnuplot is installed)"
    done
    grep -q '!\[Power over time' "$tmp/out/report.md" && ok || bad "report.md does not embed power.png"
    grep -q '^| breaker wall | ' "$tmp/out/report.md" && ok || bad "report.md has no verdict table"
    # report.md that can be mailed (issue 19, 3): the parts list, the answer in
    # the words the terminal prints (answer.c), the fix, titled plots, and no
    # stray punctuation
    r="$tmp/out/report.md"
    grep -q '^| circuit wall | 120 V 60 Hz, wiring 0.25 ohm; breaker 15 A UL 489, continuous limit 12.00 A (NEC 210.19(A)(1)/210.20(A)) | 1 | the wall | ' "$r" \
        && ok || bad "report.md: no circuit and breaker in the parts list"
    grep -q '^| psu main | 2500 W rated, efficiency 80plus-titanium, ATX 3.1 | 1 | circuit wall | ' "$r" \
        && ok || bad "report.md: no PSU with its rating and efficiency tier"
    grep -q '^| gpu rtx5090 | preset rtx5090, 575 W rated, power limit 575 W, training workload | 2 | psu main | ' "$r" \
        && ok || bad "report.md: no GPUs with their count and power"
    # (the means: over the run, less the PSU's power-on delay before its output)
    grep -q '^| cpu threadripper | preset threadripper-7960x, PL1 350 W, PL2 350 W (package), full load | 1 | psu main | 34[0-9] W | 350 W |$' "$r" \
        && ok || bad "report.md: no CPU with its power"
    grep -q '^| load board | 150 W | 1 | psu main | 14[0-9] W | 150 W |$' "$r" \
        && ok || bad "report.md: no board load"
    COLUMNS=250 "$P" run "$seed" --set scenario.duration=10s > "$tmp/words.txt"
    for q in 'Will it trip?' 'Is it allowed?' 'Fix:'; do
        line=$(grep "^$q" "$tmp/words.txt")
        [ -n "$line" ] && grep -qxF "$line" "$r" && ok \
            || bad "report.md does not say what the terminal says: $line"
    done
    awk '/^## Recommendation/ { getline; getline; exit !/^Fix: this circuit must carry/ }' "$r" \
        && ok || bad "report.md: no fix under Recommendation"
    grep -q '^### Circuit wall: current from the wall against the breaker.s rating' "$r" \
        && ok || bad "report.md: the circuit plot's title does not say what it shows"
    stray=$(grep -nE '; \(|;$|[;,] *\.|,,|\.\.|: *\.|\( *\)' "$r")
    [ -z "$stray" ] && ok || bad "report.md: stray punctuation: $stray"
    t 0 "Dual RTX 5090 on a German 230 V B16 circuit" run "$de" --set scenario.duration=2s --plots dumb
    # a UPS gets its load against its overload curve (issue 18)
    "$P" run scenarios/seed-dual-5090-us15a-ups1500.ini --set scenario.duration=2s \
        --out "$tmp/ups" >/dev/null 2>&1
    [ -s "$tmp/ups/upsload.png" ] && ok || bad "--out: upsload.png missing for a [ups] scenario"
    grep -q 'UPS smt1500: its load against its overload curve' "$tmp/ups/report.md" && ok \
        || bad "report.md does not embed upsload.png"
    # a panel gets its per-phase currents (issue 18, 5)
    "$P" run scenarios/lab-de-cee16-two-rigs.ini --set scenario.duration=2s \
        --out "$tmp/panel" >/dev/null 2>&1
    [ -s "$tmp/panel/panel.png" ] && ok || bad "--out: panel.png missing for a [panel] scenario"
    grep -q 'Panel cee: current on each line and the neutral' "$tmp/panel/report.md" && ok \
        || bad "report.md does not embed panel.png"
fi
# a panel's lines and neutral in the verdict table, the first failure named, and
# recommend's phase lever (issue 18, 5 and 6)
t 0 "panel cee L1               PASS" run scenarios/lab-de-cee16-two-rigs.ini --set scenario.duration=2s --wide
t 0 "neutral of panel house     PASS" run scenarios/lab-us-panel-two-circuits.ini --set scenario.duration=2s --wide
t 1 "Will it trip? Yes: the main breaker of panel cee trips on L1 at 271.1 s, before any circuit's own breaker" run tests/panel/cee-l1-trip.ini --wide
out=$("$P" recommend tests/panel/cee-l1-trip.ini 2>&1)
printf '%s\n' "$out" | grep -qF "panel cee: move circuit l1 (10.89 A sustained) from L1 (21.78 A) to L3, the least loaded line (0.00 A): passes" \
    && printf '%s\n' "$out" | grep -qF "psusim run tests/panel/cee-l1-trip.ini --set circuit.l1.phase=L3" \
    && ok || bad "recommend: no phase lever for tests/panel/cee-l1-trip.ini"
# the UPS line: runtime and ride-through; a stepped output warns (issue 18)
t 1 "ups smt1500: runtime on battery: battery not known" run scenarios/seed-dual-5090-us15a-ups1500.ini --set scenario.duration=2s
t 1 "ups sx3000: runtime on battery at the mean output" run scenarios/seed-dual-5090-us15a-ups3000.ini --set scenario.duration=2s
t 1 "active-PFC PSU main may drop out or overload it on a transfer (Schneider Electric FAQ FA317011)" run scenarios/seed-dual-5090-us15a-ups1500.ini --set scenario.duration=2s --set ups.smt1500.waveform=stepped --wide
t 0 " 14 ups;" presets --check
t 2 "--plots png, svg and pdf write files: give --out DIR too" run "$de" --plots svg
t 2 "--plots takes png, svg, pdf, dumb or none" run "$de" --plots gif --out "$tmp/x"
t 2 "--plot-size takes WIDTHxHEIGHT" run "$de" --plot-size 12x8 --out "$tmp/x"
# without gnuplot: the run completes, writes the rest, says so once, exit by verdict
mkdir -p "$tmp/nognuplot"
out=$(PATH="$tmp/nognuplot" "$P" run "$de" --set scenario.duration=2s --out "$tmp/out3" 2>&1)
rc=$?
[ "$rc" -eq 0 ] && ok || bad "without gnuplot: exit $rc"
[ "$(printf '%s\n' "$out" | grep -c 'gnuplot not found')" -eq 1 ] && ok \
    || bad "without gnuplot: the note should appear once: $out"
[ -s "$tmp/out3/summary.json" ] && [ -s "$tmp/out3/report.md" ] && [ ! -e "$tmp/out3/power.png" ] \
    && ok || bad "without gnuplot: outputs $(ls "$tmp/out3")"
grep -q "Plots were skipped" "$tmp/out3/report.md" && ok || bad "report.md does not say plots were skipped"
# a hostile scenario name reaches gnuplot and the report only as text
rm -f /tmp/pwned_psusim_cli
# (no blank before ';': in an INI file " ;" starts a comment)
sed "s/^name     = .*/name     = x';system('touch \/tmp\/pwned_psusim_cli');print '|<b>/" "$de" > "$tmp/hostile.ini"
"$P" run "$tmp/hostile.ini" --set scenario.duration=2s --out "$tmp/out4" > /dev/null 2>&1
[ ! -e /tmp/pwned_psusim_cli ] && ok || bad "a scenario name ran a command through gnuplot"
grep -q "system('touch" "$tmp/out4/report.md" && ! grep -q '|<b>' "$tmp/out4/report.md" && ok \
    || bad "report.md: the name is not shown escaped"

# --- same seed, same bytes (DESIGN.md 3) ---------------------------------------------
"$P" run "$seed" --set scenario.duration=3s --plots none --out "$tmp/det1" > /dev/null 2>&1
"$P" run "$seed" --set scenario.duration=3s --plots none --out "$tmp/det2" > /dev/null 2>&1
cmp -s "$tmp/det1/timeseries.csv" "$tmp/det2/timeseries.csv" \
    && cmp -s "$tmp/det1/summary.json" "$tmp/det2/summary.json" && ok \
    || bad "two runs with the same seed differ"
"$P" run "$seed" --set scenario.duration=3s --set scenario.seed=43 --plots none --out "$tmp/det3" > /dev/null 2>&1
cmp -s "$tmp/det1/timeseries.csv" "$tmp/det3/timeseries.csv" && bad "another seed gives the same spikes" || ok

# --- safe outputs (issue 9) ---------------------------------------------------------
mkdir -p "$tmp/foreign"
echo "my own notes" > "$tmp/foreign/summary.json"
t 2 "exists and psusim did not write it" run "$de" --set scenario.duration=1s --out "$tmp/foreign"
[ "$(cat "$tmp/foreign/summary.json")" = "my own notes" ] && ok || bad "a foreign summary.json was overwritten"
"$P" run "$de" --set scenario.duration=1s --plots none --out "$tmp/foreign" --force > /dev/null 2>&1
grep -q '"complete": true' "$tmp/foreign/summary.json" && ok || bad "--force did not write the outputs"
"$P" run "$de" --set scenario.duration=1s --plots none --out "$tmp/foreign" > /dev/null 2>&1
[ $? -eq 0 ] && ok || bad "psusim refused to overwrite its own outputs"
# every file psusim may write is protected, plots in every format (issue 15, 9)
for f in tripcurve.svg excursion-main.pdf circuit-wall.png sweep.json shard-1-of-2.json; do
    mkdir -p "$tmp/foreign-$f" && echo "mine" > "$tmp/foreign-$f/$f"
    t 2 "$f exists and psusim did not write it" run "$de" --set scenario.duration=1s --plots none --out "$tmp/foreign-$f"
done
mkdir -p "$tmp/notours" && echo "mine" > "$tmp/notours/power-notes.txt"
t 0 "verdict: PASS" run "$de" --set scenario.duration=1s --plots none --out "$tmp/notours"
# one result set in a folder (issue 15, 3): a run takes the folder's lock, a
# second run on it is refused while the first writes; a new run clears the
# earlier run's outputs (an old plot cannot sit beside a new summary) and the
# temporary files of killed runs; shard files stay
"$P" run "$seed" --set scenario.duration=12h --plots none --out "$tmp/locked" > /dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 100 ] && [ ! -e "$tmp/locked/.psusim-lock" ]; do sleep 0.1; i=$((i + 1)); done
t 2 "another psusim run is writing this folder" run "$de" --set scenario.duration=1s --plots none --out "$tmp/locked"
kill -TERM $pid; wait $pid
t 0 "verdict: PASS" run "$de" --set scenario.duration=1s --plots none --out "$tmp/locked"
mkdir -p "$tmp/stale" && : > "$tmp/stale/.psusim-out"
echo old > "$tmp/stale/power.png"; echo old > "$tmp/stale/.summary.json.Ab12Cd"
echo old > "$tmp/stale/..psusim-out.zZ9yY8"; echo mine > "$tmp/stale/shard-1-of-2.json"
echo mine > "$tmp/stale/.notes.Ab12Cd"
"$P" run "$de" --set scenario.duration=1s --plots none --out "$tmp/stale" > /dev/null 2>&1
[ ! -e "$tmp/stale/power.png" ] && [ ! -e "$tmp/stale/.summary.json.Ab12Cd" ] \
    && [ ! -e "$tmp/stale/..psusim-out.zZ9yY8" ] && [ -e "$tmp/stale/shard-1-of-2.json" ] \
    && [ -e "$tmp/stale/.notes.Ab12Cd" ] && [ -s "$tmp/stale/summary.json" ] && ok \
    || bad "a new run did not clear the old set and stale temporary files: $(ls -a "$tmp/stale")"

# one exit rule for --out (issue 15, 12): a folder psusim refuses is 2, one it
# cannot make or write is 3; the same for run, Monte Carlo, sweep and shards, and
# refused before any computing
echo "a file" > "$tmp/afile"
t 2 "--out $tmp/afile: exists and is not a folder" run "$de" --set scenario.duration=1s --out "$tmp/afile"
t 2 "--out $tmp/afile: exists and is not a folder" run "$de" --set scenario.duration=1s --runs 3 --shard 1/2 --out "$tmp/afile"
t 2 "--out $tmp/afile: exists and is not a folder" sweep "$de" --set scenario.duration=1s --vary psu.main.rating=2000W,2500W --out "$tmp/afile"
t 3 "cannot create the folder" run "$de" --set scenario.duration=1s --out "$tmp/afile/sub"
t 3 "cannot create the folder" sweep "$de" --set scenario.duration=1s --vary psu.main.rating=2000W,2500W --out "$tmp/afile/sub"
t 2 "exists and psusim did not write it" sweep "$de" --set scenario.duration=1s --vary psu.main.rating=2000W,2500W --out "$tmp/foreign-tripcurve.svg"
# the marker is never opened through a symlink (issue 15, 1): a planted link to
# a file is refused and the file keeps its bytes; a dangling one creates nothing
mkdir -p "$tmp/planted" && echo "victim" > "$tmp/victim" && ln -s "$tmp/victim" "$tmp/planted/.psusim-out"
t 2 ".psusim-out is not a regular file (a symbolic link)" run "$de" --set scenario.duration=1s --plots none --out "$tmp/planted"
[ "$(cat "$tmp/victim")" = "victim" ] && ok || bad "the marker symlink's target was overwritten"
mkdir -p "$tmp/dangling" && ln -s "$tmp/created-by-psusim" "$tmp/dangling/.psusim-out"
t 2 "is not a regular file" run "$de" --set scenario.duration=1s --plots none --out "$tmp/dangling"
[ ! -e "$tmp/created-by-psusim" ] && ok || bad "a dangling marker symlink created its target"
t 2 "would compute for about" run "$seed" --set scenario.step=10us --set scenario.duration=30d
t 2 "add --force to go on" check "$seed" --set scenario.step=10us --set scenario.duration=30d
# SIGTERM mid-run: a clean stop, outputs kept, summary marked incomplete, exit 3
# (12 h: with the stride solver 1 h of the seed rig takes under 2 s)
"$P" run "$seed" --set scenario.duration=12h --plots none --out "$tmp/int" > /dev/null 2>&1 &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
rc=$?
[ "$rc" -eq 3 ] && grep -q '"complete": false' "$tmp/int/summary.json" \
    && [ -s "$tmp/int/timeseries.csv" ] && grep -q Interrupted "$tmp/int/report.md" && ok \
    || bad "SIGTERM: exit $rc, $(ls "$tmp/int" 2>&1)"
[ "$(find "$tmp/int" -name '.*.??????' | wc -l)" -eq 0 ] && ok || bad "SIGTERM left temporary files"

# SIGTERM / SIGINT stop Monte Carlo and sweeps too (issue 15, 4): the runs done
# are reported, "complete": false, exit 3; a sweep keeps the points done, no plot
"$P" run "$seed" --set scenario.duration=1min --runs 100000 --force --json > "$tmp/mcint.json" 2> "$tmp/mcint.err" &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
rc=$?
[ "$rc" -eq 3 ] && grep -q '"complete": false' "$tmp/mcint.json" \
    && grep -q '"runs_asked": 100000' "$tmp/mcint.json" && grep -q "runs done" "$tmp/mcint.err" && ok \
    || bad "SIGTERM in Monte Carlo: exit $rc, $(cat "$tmp/mcint.err")"
"$P" sweep "$seed" --set scenario.duration=1min --runs 50 --vary gpu.rtx5090.power_limit=400W:575W:1W --out "$tmp/swint" > /dev/null 2> "$tmp/swint.err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
[ "$rc" -eq 3 ] && grep -q "points done" "$tmp/swint.err" && [ -s "$tmp/swint/sweep.csv" ] \
    && [ ! -e "$tmp/swint/sweep.png" ] && [ "$(wc -l < "$tmp/swint/sweep.csv")" -lt 177 ] && ok \
    || bad "SIGINT in a sweep: exit $rc, $(cat "$tmp/swint.err")"

# Ctrl-C while the plots are drawn (issue 15, 2): the terminal sends SIGINT to
# the foreground process group. gnuplot (here a slow stand-in that would die of
# it) runs in a group of its own; psusim stops it and keeps the finished run's
# summary, series and events, exit 3, no plot and no temporary file left.
mkdir -p "$tmp/slowbin"
cat > "$tmp/slowbin/gnuplot" <<'PL'
#!/usr/bin/perl
$SIG{INT} = 'DEFAULT';
while (<STDIN>) { }
open(my $f, '>', "$0.started"); close($f);
sleep 30;
PL
chmod +x "$tmp/slowbin/gnuplot"
PATH="$tmp/slowbin:$PATH" setsid "$P" run "$de" --set scenario.duration=2s --out "$tmp/plotint" > "$tmp/plotint.out" 2>&1 &
pid=$!
i=0
while [ $i -lt 100 ] && [ ! -e "$tmp/slowbin/gnuplot.started" ]; do sleep 0.1; i=$((i + 1)); done
kill -INT -- -"$pid" 2> /dev/null || kill -INT "$pid"
wait $pid
rc=$?
[ "$rc" -eq 3 ] && grep -q '"complete": true' "$tmp/plotint/summary.json" \
    && [ -s "$tmp/plotint/timeseries.csv" ] && [ -s "$tmp/plotint/events.csv" ] \
    && grep -q "Interrupted while drawing the plots" "$tmp/plotint/report.md" \
    && grep -q "interrupted while drawing the plots" "$tmp/plotint.out" && ok \
    || { bad "Ctrl-C while plotting: exit $rc, $(ls "$tmp/plotint" 2>&1)"; cat "$tmp/plotint.out"; }
[ "$(find "$tmp/plotint" -name '*.png' -o -name '.*.??????' | wc -l)" -eq 0 ] && ok \
    || bad "Ctrl-C while plotting left a plot or a temporary file"

# --- solvers (issue 8): stride is the default, fixed the reference (exit 1: FAIL) --
t 1 "seed 42, stride solver" run "$seed" --set scenario.duration=20s --plots none --out "$tmp/sv1"
t 1 "seed 42, fixed solver" run "$seed" --set scenario.duration=20s --set scenario.solver=fixed \
    --plots none --out "$tmp/sv2"
grep -q '"solver": "stride"' "$tmp/sv1/summary.json" && grep -q '"solver": "fixed"' "$tmp/sv2/summary.json" \
    && grep -q '"strides": 0,' "$tmp/sv2/summary.json" && ok || bad "summary.json does not name the solver"
# both give the same verdict lines, figures rounded as printed
"$P" run "$seed" --set scenario.duration=20s --plots none --out "$tmp/sv1" | sed -n '4,9p' > "$tmp/sv1.txt"
"$P" run "$seed" --set scenario.duration=20s --set scenario.solver=fixed --plots none --out "$tmp/sv2" \
    | sed -n '4,9p' > "$tmp/sv2.txt"
cmp -s "$tmp/sv1.txt" "$tmp/sv2.txt" && ok || bad "stride and fixed verdict lines differ: $(diff "$tmp/sv1.txt" "$tmp/sv2.txt")"
t 2 "solver: expected stride or fixed; got 'fast'" run "$seed" --set scenario.solver=fast

# --- --out on a file ----------------------------------------------------------
: > "$tmp/afile"
t 2 "exists and is not a folder" run "$de" --set scenario.duration=1s --out "$tmp/afile"

# --- --timeseries (issue 14, 3): the means alone, or no series ------------------
"$P" run "$de" --set scenario.duration=2s --plots none --out "$tmp/tsf" > /dev/null
"$P" run "$de" --set scenario.duration=2s --plots none --out "$tmp/tsm" --timeseries mean > /dev/null
hf=$(head -n 1 "$tmp/tsf/timeseries.csv") hm=$(head -n 1 "$tmp/tsm/timeseries.csv")
case $hm in *.min*|*.max*) bad "--timeseries mean header has min/max: $hm" ;; *.mean*) ok ;; *) bad "no means: $hm" ;; esac
# the same rows, the mean columns of the full file
[ "$(wc -l < "$tmp/tsf/timeseries.csv")" -eq "$(wc -l < "$tmp/tsm/timeseries.csv")" ] && ok \
    || bad "--timeseries mean wrote another number of rows"
awk -F, 'NR > 1 { printf "%s,%s", $1, $2; for (i = 4; i <= NF; i += 3) printf ",%s", $i; print "" }' \
    "$tmp/tsf/timeseries.csv" > "$tmp/means.csv"
tail -n +2 "$tmp/tsm/timeseries.csv" | cmp -s - "$tmp/means.csv" && ok \
    || bad "--timeseries mean rows are not the full file's mean columns"
grep -q 'timeseries.csv` (mean per sample)' "$tmp/tsm/report.md" && ok || bad "report.md does not say the series holds means"
# none: no series, and an older run's is not left behind to pass for this one's
t 0 "wrote $tmp/tsm/: summary.json, events.csv, report.md" run "$de" --set scenario.duration=2s \
    --plots none --out "$tmp/tsm" --timeseries none
[ ! -e "$tmp/tsm/timeseries.csv" ] && ok || bad "--timeseries none left an old timeseries.csv"
t 2 "--timeseries takes full, mean or none; got: some" run "$de" --out "$tmp/tsx" --timeseries some
t 2 "--timeseries goes with run FILE --out DIR" run "$de" --timeseries mean

# --- Unix conventions (issue 19, 4) -------------------------------------------
# getopt_long: -V, per-command --help, --opt=value, options before the FILE
t 0 "psusim 0.1.0" -V
t 0 "usage: psusim run FILE [OPTION]..." run --help
t 0 "--vary KEY=SPEC" sweep -h
t 0 "OK - 1 circuit, 1 PSU, 3 loads; 1 s at" check --set=scenario.duration=1s "$seed" -s scenario.seed=7
t 0 "OK - 1 circuit, 1 PSU, 3 loads" check -s scenario.duration=1s -- "$seed"
# options before the command: the command word is found past an option's value
t 0 "OK - 1 circuit, 1 PSU, 3 loads; 1 s at" --set scenario.duration=1s check "$seed"
t 0 "OK - 1 circuit, 1 PSU, 3 loads; 2 s at" -s scenario.duration=2s check "$seed"
t 2 "unknown option: --bogus" --bogus run "$seed"
t 2 "this option needs a value: -s" check "$seed" -s
# the usage block is not repeated after an error: one line says where it is
out=$("$P" run "$seed" --bogus 2>&1)
[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] && printf '%s\n' "$out" | grep -qF "(psusim run --help)" && ok \
    || bad "a usage error printed more than the message and one hint: $out"
# --out makes its parents
"$P" run "$de" --set scenario.duration=1s --plots none --out "$tmp/p1/p2/p3" > /dev/null 2>&1
[ -s "$tmp/p1/p2/p3/summary.json" ] && ok || bad "--out did not make its parent folders"
t 3 "cannot create the folder: $tmp/afile is not a folder" run "$de" --set scenario.duration=1s --out "$tmp/afile/x/y"
# every problem in one pass, references included, in the order of the lines
cat > "$tmp/refs.ini" <<'INI'
[circuit wall]
preset = us-15a
[psu main]
circuit = wal
ratng   = 2000 W
[load gpu]
psu   = mian
power = 15 A
INI
"$P" check "$tmp/refs.ini" > /dev/null 2> "$tmp/refs.err"
lines=$(sed -n 's/^psusim: [^:]*refs.ini:\([0-9]*\):.*/\1/p' "$tmp/refs.err" | tr '\n' ' ')
[ "$lines" = "3 4 5 7 8 " ] && ok || bad "problems not all reported in line order (lines: $lines): $(cat "$tmp/refs.err")"
grep -qF "refs.ini:4: [psu main] circuit: no [circuit wal] in this scenario; did you mean 'wall'?" "$tmp/refs.err" \
    && grep -qF "refs.ini:7: [load gpu] psu: no [psu mian]" "$tmp/refs.err" && ok \
    || bad "reference problems missing beside the others: $(cat "$tmp/refs.err")"
# the man page renders (man -l: groff, no warnings) and names every command
if command -v man > /dev/null 2>&1; then
    page=$(MANWIDTH=80 man --warnings -l psusim.1 2> "$tmp/man.err")
    [ ! -s "$tmp/man.err" ] && ok || bad "man -l psusim.1 warns: $(cat "$tmp/man.err")"
    for c in run check quick init sweep recommend merge presets keys; do
        printf '%s\n' "$page" | grep -q "^       $c" && ok || bad "psusim.1 does not describe '$c'"
    done
else
    echo "SKIP: man not installed (make deps installs man-db)"
fi
# bash completion: commands, each command's options, preset names
if command -v bash > /dev/null 2>&1; then
    comp() { bash -c '. completions/psusim.bash; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _psusim; echo "${COMPREPLY[*]}"' _ "$@"; }
    [ "$(comp "$P" rec)" = "recommend" ] && ok || bad "completion of 'rec': $(comp "$P" rec)"
    comp "$P" run --ti | grep -qx -- "--timeseries" && ok || bad "completion of run --ti: $(comp "$P" run --ti)"
    comp "$P" quick --circuit us-15 | grep -qw "us-15a" && ok || bad "completion of --circuit us-15: $(comp "$P" quick --circuit us-15)"
    comp "$P" presets gpu rtx509 | grep -qw "rtx5090" && ok || bad "completion of presets gpu rtx509"
fi
# zsh completion (zsh from make deps): the function's candidates, with compadd,
# _describe and _files stubbed to print them (zsh filters by the prefix itself)
if command -v zsh > /dev/null 2>&1; then
    zcomp() { zsh -fc 'compadd() { local a; for a in "$@"; do [[ $a == -- ]] && continue; print -r -- $a; done }
_describe() { local -a arr; arr=("${(@P)4}"); print -rl -- ${arr%%:*} }
_files() { print -r -- "(files $*)" }
PREFIX=$1; shift; words=("$@"); CURRENT=$#
source completions/_psusim' _ "$@"; }
    zcomp "" "$P" "" | grep -qx recommend && ok || bad "zsh: commands: $(zcomp "" "$P" "")"
    zcomp "--" "$P" run "--" | grep -qx -- "--timeseries" && ok || bad "zsh: run's options"
    zcomp "" "$P" presets gpu "" | grep -qx rtx5090 && ok || bad "zsh: presets gpu names"
    zcomp "" "$P" quick --circuit "" | grep -qx us-15a && ok || bad "zsh: quick --circuit names"
    zcomp "" "$P" presets "" | grep -qx ups && ok || bad "zsh: presets kinds"
    zcomp "" "$P" run "" | grep -q "(files -g \*.ini)" && ok || bad "zsh: run's scenario files: $(zcomp "" "$P" run "")"
else
    bad "zsh not installed (make deps installs it): zsh completion untested"
fi

# --- plain words first, 80 columns, colour (issue 19, 2) ----------------------
# the answer above the table, from the verdict's figures: the seed rig draws
# 14.99 A; an 8-hour job may use 80 % of 15 A = 12.00 A (NEC 210.19(A)(1)), so
# 2.99 A too much, 2.99 A x 120 V = 359 W at the wall
"$P" run "$seed" > "$tmp/words.out"
head -n 12 "$tmp/words.out" | tr '\n' ' ' | grep -q "Is it allowed? No: an 8-hour job may use 12.00 A of this 15 A circuit" \
    && ok || bad "no plain answer on the rule: $(head -n 12 "$tmp/words.out")"
tr '\n' ' ' < "$tmp/words.out" | grep -q "and the rig draws 14.99 A" && ok || bad "plain answer: not 14.99 A"
tr '\n' ' ' < "$tmp/words.out" | grep -q "must carry 2.99 A less (about 359 W at the wall)" && ok || bad "plain answer: no fix of 2.99 A / 359 W"
grep -q "^Will it trip? No, but nearly: the breaker on circuit wall reaches 98 %" "$tmp/words.out" && ok || bad "plain answer on the trip"
[ "$(grep -n '^Will it trip' "$tmp/words.out" | cut -d: -f1)" -lt "$(grep -n '^link ' "$tmp/words.out" | cut -d: -f1)" ] \
    && ok || bad "the plain answer is not above the table"
t 0 "Is it allowed? Yes" run "$de" --set scenario.duration=10s
# 80 columns: every line of every shipped scenario's text (COLUMNS=80, and by
# default when stdout is not a terminal); --wide: the one-line table
for f in scenarios/*.ini; do
    COLUMNS=80 "$P" run "$f" --set scenario.duration=5s > "$tmp/w.out" 2>&1
    long=$(awk 'length > 80' "$tmp/w.out" | head -n 1)
    [ -z "$long" ] && ok || bad "$f: a line over 80 columns: $long"
done
env -u COLUMNS "$P" run "$seed" --set scenario.duration=5s | awk 'length > 80 { n++ } END { exit n > 0 }' \
    && ok || bad "not a terminal, no COLUMNS: lines over 80 columns"
COLUMNS=80 "$P" run "$seed" --set scenario.duration=5s --wide | grep -q "^continuous load wall       FAIL        -24 %  sustained 14.85 A" \
    && ok || bad "--wide: not the one-line table"
COLUMNS=250 "$P" run "$seed" --set scenario.duration=5s | grep -q "^link  *verdict  *margin  figure  *limit" \
    && ok || bad "COLUMNS=250: not the wide table"
# colour on a terminal only (script(1) gives one), never with NO_COLOR
esc=$(printf '\033')
"$P" run "$seed" --set scenario.duration=5s | grep -q "$esc" && bad "colour on a pipe" || ok
if command -v script > /dev/null 2>&1; then
    env -u NO_COLOR TERM=xterm script -qec "$P run $seed --set scenario.duration=5s" /dev/null > "$tmp/tty.out" 2>&1
    grep -q "$esc\[1;31mFAIL$esc\[0m" "$tmp/tty.out" && grep -q "$esc\[1;32mPASS" "$tmp/tty.out" && ok \
        || bad "no colour on a terminal: $(head -n 20 "$tmp/tty.out")"
    NO_COLOR=1 TERM=xterm script -qec "$P run $seed --set scenario.duration=5s" /dev/null > "$tmp/tty2.out" 2>&1
    grep -q "$esc\[" "$tmp/tty2.out" && bad "colour despite NO_COLOR" || ok
else
    echo "SKIP: script(1) not installed: the terminal colour cases"
fi

# --- the quick path (issue 19, 1) ----------------------------------------------
# init: a starter scenario for each region that checks; into a new file only
for r in us us-20a us-240v ca de eu uk ie fr it ch se no jp au nz; do
    "$P" init --region "$r" > "$tmp/init-$r.ini" 2>&1 && "$P" check "$tmp/init-$r.ini" > /dev/null 2>&1 \
        && ok || bad "init --region $r does not check: $("$P" check "$tmp/init-$r.ini" 2>&1 | head -3)"
done
t 0 "wrote $tmp/new.ini (de-b16)" init --region de "$tmp/new.ini"
t 2 "new.ini exists; psusim init writes only a new file" init "$tmp/new.ini"
grep -q "^preset = de-b16" "$tmp/new.ini" && ok || bad "init --region de did not write its circuit"
t 2 "unknown region 'dee'; did you mean 'de'?" init --region dee
# a scenario on standard input runs as the file does (its name aside)
"$P" run "$de" --set scenario.duration=2s --wide | sed 1,2d > "$tmp/file.out"
"$P" run - --set scenario.duration=2s --wide < "$de" | sed 1,2d > "$tmp/stdin.out"
cmp -s "$tmp/file.out" "$tmp/stdin.out" && ok || bad "run - differs from run FILE: $(diff "$tmp/file.out" "$tmp/stdin.out" | head -5)"
t 0 "(stdin): OK - 1 circuit, 1 PSU, 3 loads" check - < "$de"
t 2 "(stdin):5: [psu main]: unknown key 'ratng'" check - < "$tmp/refs.ini"
t 2 "a scenario from standard input (-) goes with run and check" sweep - --vary psu.main.rating=1W,2W
# quick: the same verdict as the scenario it prints, written as a file and run
q="--gpu rtx5090x2 --cpu threadripper-7960x --psu silverstone-hela-2500rz --circuit us-15a --job 8h"
"$P" quick $q --print > "$tmp/quick.ini"
"$P" run "$tmp/quick.ini" --wide | sed "s|$tmp/quick.ini|FILE|" > "$tmp/quick-file.out"
"$P" quick $q --wide > "$tmp/quick.out"
rc=$?
[ "$rc" -eq 1 ] && ok || bad "quick: exit $rc, want 1 (the rig fails on 15 A)"
sed -n '/^The scenario of this run/q;p' "$tmp/quick.out" | sed '$d' \
    | sed 's|(quick)|FILE|; s|recommend rig.ini (saved by psusim quick ... --print > rig.ini)|recommend FILE|' > "$tmp/quick-run.out"
cmp -s "$tmp/quick-file.out" "$tmp/quick-run.out" && ok \
    || bad "quick and its scenario as a file differ: $(diff "$tmp/quick-file.out" "$tmp/quick-run.out" | head -6)"
sed -n '/^The scenario of this run/,$p' "$tmp/quick.out" | sed 1,2d | cmp -s - "$tmp/quick.ini" && ok \
    || bad "quick does not print the scenario --print prints"
"$P" quick $q --json | grep -q '"verdict": "fail"' && ok || bad "quick --json"
t 2 "--gpu: no gpu preset 'rtx509'; did you mean 'rtx5090'?" quick --gpu rtx509x2 --psu corsair-ax1600i --circuit us-15a
t 2 "--circuit: no circuit preset 'us-15'" quick --gpu rtx5090 --psu corsair-ax1600i --circuit us-15
t 2 "quick needs --gpu NAME[xN], --psu NAME and --circuit NAME" quick --gpu rtx5090
t 2 "--job takes a time such as 8h" quick --gpu rtx5090 --psu corsair-ax1600i --circuit us-15a --job "8h;x"
t 2 "--gpu goes with quick, not run" run "$de" --gpu rtx5090

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
