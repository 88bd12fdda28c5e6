#!/bin/sh
# tests/presets.sh PSUSIM — the hardware database (issue 17): every preset file
# loads; every value has a source comment (on its line, the indented lines under
# it, or the comment block right above it); every [KIND NAME] is written once;
# every entry loads in a small scenario (`psusim check`) and shows with
# `psusim presets KIND NAME` (text and --json). Then the checker itself on bad
# files. Ends with "N passed, N failed".
P=${1:-./psusim}
. tests/lib.sh

# --- the shipped database: sources and unique names (preset_db_lint) -------------
t 0 "; 0 problems" presets --check

# --- every entry loads in a scenario that uses it -----------------------------------
# a scenario around one preset of KIND NAME (WHERE: how a load hangs)
scenario() {
    kind=$1 name=$2 where=$3
    printf '[scenario]\nduration = 1 s\n'
    if [ "$kind" = circuit ]; then
        printf '[circuit wall]\npreset = %s\n' "$name"
    else
        printf '[circuit wall]\npreset = us-14-50\n'
    fi
    if [ "$kind" = psu ]; then
        printf '[psu main]\npreset = %s\ncircuit = wall\n' "$name"
    elif [ "$kind" = ups ]; then
        printf '[ups x]\npreset = %s\ncircuit = wall\n' "$name"
        printf '[psu main]\nups = x\nrating = 3000 W\n'
    else
        printf '[psu main]\ncircuit = wall\nrating = 3000 W\n'
    fi
    case $kind in
        gpu|cpu) printf '[%s x]\npreset = %s\npsu = main\n' "$kind" "$name" ;;
        load) printf '[load x]\npreset = %s\n%s\n' "$name" "$where" ;;
        *) printf '[load x]\npsu = main\npower = 100 W\n' ;;
    esac
}

n_entries=0
for kind in circuit psu load gpu cpu perf ups; do
    names=$("$P" presets "$kind" | awk -v k="$kind" '$1 == k { print $2 }')
    for name in $names; do
        n_entries=$((n_entries + 1))
        # shows, every value with its file:line
        out=$("$P" presets "$kind" "$name" 2>&1)
        if [ $? -eq 0 ] && printf '%s\n' "$out" | grep -qF "[$kind $name]" \
           && ! printf '%s\n' "$out" | grep -qF "(no source comment)"; then ok
        else bad "presets $kind $name: $(printf '%s\n' "$out" | head -n 3)"; fi
        out=$("$P" presets "$kind" "$name" --json 2>&1)
        if printf '%s\n' "$out" | grep -qF "\"name\": \"$name\"" \
           && ! printf '%s\n' "$out" | grep -B3 '"comment": null' | grep -v '"description"' \
                | grep -q '"key"'; then ok
        else bad "presets $kind $name --json: $(printf '%s\n' "$out" | head -n 3)"; fi
        # loads in a scenario
        if [ "$kind" = perf ]; then
            # throughput entries belong to a GPU preset of the same name
            "$P" presets gpu "$name" > /dev/null 2>&1 && ok || bad "perf $name: no gpu $name"
            continue
        fi
        loaded=0
        for where in "psu = main" "circuit = wall"; do
            scenario "$kind" "$name" "$where" > "$tmp/s.ini"
            if "$P" check "$tmp/s.ini" > "$tmp/check.txt" 2>&1; then loaded=1; break; fi
            [ "$kind" = load ] || break
        done
        [ $loaded -eq 1 ] && ok || bad "$kind $name does not load: $(head -n 3 "$tmp/check.txt")"
    done
done
# the database the issue asks for (issue 17): >= 25 circuits in >= 10 regions
n_circuits=$("$P" presets circuit | awk '$1 == "circuit"' | wc -l)
[ "$n_circuits" -ge 25 ] && ok || bad "only $n_circuits circuit presets"
n_regions=$("$P" presets --json | grep -A2 '"key": "region"' | grep '"value"' | sort -u | wc -l)
[ "$n_regions" -ge 10 ] && ok || bad "circuit presets in only $n_regions regions"
[ "$("$P" presets load | awk '$1 == "load"' | wc -l)" -ge 10 ] && ok || bad "few load presets"
[ "$n_entries" -gt 0 ] && ok || bad "no entries listed"

# --- one entry, its sources; the list; usage ------------------------------------------
t 0 "NEC 210.19(A)/210.20(A): continuous load <= 80 % (S)  [circuits.ini:" presets circuit us-15a
t 0 '"comment": "US nominal (facts.md 1, S)"' presets circuit us-15a --json
t 0 '"kind": "load"' presets load --json
t 0 '"dir":' presets --json
t 0 "(show one with its sources: psusim presets KIND NAME)" presets
t 2 "no gpu preset 'rtx509'; did you mean 'rtx5090'?" presets gpu rtx509
t 2 "no circuit preset 'nowhere' (list them with 'psusim presets circuit')" presets circuit nowhere
t 2 "presets --check takes no kind, name or --json" presets circuit --check
t 2 "unexpected argument: extra" presets gpu rtx5090 extra

# --- the checker on bad databases ---------------------------------------------------
mkdir -p "$tmp/db"
cat > "$tmp/db/a.ini" <<'INI'
; a file header is no entry's source
[load ok-inline]
description = sourced on its line
power = 5 W     ; a source (W)

[load ok-above]
; the comment block right above a value is its source
power = 6 W

[load ok-continued]
power = 7 W     ; first line of the source
                ; and its indented second line
count = 2       ; (W)

[load bare]
power = 8 W

[load twice]
power = 9 W     ; (W)
INI
cat > "$tmp/db/b.ini" <<'INI'
[load twice]
power = 10 W    ; (W)
INI
PSUSIM_PRESETS="$tmp/db" "$P" presets --check > "$tmp/lint.txt" 2>&1
rc=$?
[ $rc -eq 1 ] && ok || bad "presets --check on a bad database: exit $rc, want 1"
grep -qF "a.ini:16: [load bare] power: no source comment" "$tmp/lint.txt" && ok \
    || bad "no 'no source comment' for [load bare]: $(cat "$tmp/lint.txt")"
grep -qF "b.ini:1: [load twice] is written twice: first at" "$tmp/lint.txt" && ok \
    || bad "no 'written twice' for [load twice]: $(cat "$tmp/lint.txt")"
grep -qF "; 2 problems" "$tmp/lint.txt" && ok || bad "want 2 problems: $(cat "$tmp/lint.txt")"
out=$(PSUSIM_PRESETS="$tmp/db" "$P" presets load ok-continued 2>&1)
printf '%s\n' "$out" | grep -qF "first line of the source and its indented second line" && ok \
    || bad "continuation lines not joined: $out"
out=$(PSUSIM_PRESETS="$tmp/db" "$P" presets load ok-above 2>&1)
printf '%s\n' "$out" | grep -qF "(comment above) the comment block right above a value is its source" \
    && ok || bad "comment above not found: $out"
out=$(PSUSIM_PRESETS="$tmp/db" "$P" presets load ok-continued --json 2>&1)
printf '%s\n' "$out" | grep -qF '"comment": "(W)"' && ok \
    || bad "count's own comment taken from the line above: $out"

# --- a run reads only the presets it names (issue 14), as the whole folder would --
# The quick read scans every file and parses the named sections; a file it is not
# sure of (here: CRLF line ends) makes it read the whole folder as before. Both
# ways must give the same bytes, and a bad line anywhere stops the run as before.
seed=scenarios/seed-dual-5090-us15a.ini
quick_run() { PSUSIM_PRESETS="$1" "$P" run "$seed" --json --set scenario.duration=1s 2>&1; }
mkdir -p "$tmp/q" "$tmp/whole"
cp scenarios/presets/*.ini "$tmp/q/"
cp scenarios/presets/*.ini "$tmp/whole/"
# an unused CRLF file: the quick read refuses it and reads the whole folder
printf '[load crlf]\r\npower = 1 W ; (W)\r\n' > "$tmp/whole/zz-crlf.ini"
printf '[load crlf]\npower = 1 W ; (W)\n' > "$tmp/q/zz-crlf.ini"
quick_run "$tmp/q" > "$tmp/quick.json"
quick_run "$tmp/whole" > "$tmp/whole.json"
grep -qF '"verdict"' "$tmp/quick.json" && cmp -s "$tmp/quick.json" "$tmp/whole.json" && ok \
    || bad "quick and whole preset reads differ: $(diff "$tmp/quick.json" "$tmp/whole.json" | head -n 4)"
# the same preset written in two files: both sections count, in file order (the
# later file's values win)
cp "$tmp/quick.json" "$tmp/once.json"
printf '[cpu threadripper-7960x]\npl1 = 200 W ; (W)\npl2 = 200 W ; (W)\n' > "$tmp/q/zz-twice.ini"
printf '[cpu threadripper-7960x]\npl1 = 200 W ; (W)\npl2 = 200 W ; (W)\n' > "$tmp/whole/zz-twice.ini"
quick_run "$tmp/q" > "$tmp/quick.json"
quick_run "$tmp/whole" > "$tmp/whole.json"
grep -qF '"verdict"' "$tmp/quick.json" && cmp -s "$tmp/quick.json" "$tmp/whole.json" \
    && ! cmp -s "$tmp/quick.json" "$tmp/once.json" && ok || bad "a preset written twice reads differently: $(diff "$tmp/quick.json" "$tmp/whole.json" | head -n 4)"
rm -f "$tmp/q/zz-twice.ini" "$tmp/whole/zz-twice.ini"
# keys above the first section are no entry (and no error), as in the whole read
printf 'preset = x\n[load early]\npower = 1 W ; (W)\n' > "$tmp/q/zz-early.ini"
out=$(quick_run "$tmp/q")
printf '%s\n' "$out" | grep -qF '"verdict"' && ok || bad "a key above the first section: $out"
rm -f "$tmp/q/zz-early.ini"
# a bad line in a preset the scenario does not use still stops the run
while IFS='|' read -r text want; do
    printf '[load fine]\npower = 1 W ; (W)\n%b\n' "$text" > "$tmp/q/zz-bad.ini"
    out=$(quick_run "$tmp/q")
    rc=$?
    [ $rc -eq 2 ] && printf '%s\n' "$out" | grep -qF "zz-bad.ini:$want" && ok \
        || bad "unused bad preset line '$text': exit $rc, want 2 and '$want': $out"
done <<'CASES'
[load other]\npreset\t= x|4: [load other] a preset cannot name another preset
[load a b c]|3: a preset section must look like
[load open|3: a section header must look like
just words|3: expected 'key = value'
=\t5 W|3: a key is missing before
power = 1\001W|3: the line holds control characters
power = caf\351|3: the line holds a byte that is not UTF-8
CASES
printf '[load fine]\npower = 1 W ; (W)\n[load other]\npower = 1\rW\n' > "$tmp/q/zz-bad.ini"
out=$(quick_run "$tmp/q")
printf '%s\n' "$out" | grep -qF "zz-bad.ini:4: a carriage return inside the line" && ok \
    || bad "a lone CR in an unused preset: $out"
rm -f "$tmp/q/zz-bad.ini"
# a preset that is not there: the nearest name comes from the whole folder
out=$(PSUSIM_PRESETS="$tmp/q" "$P" run "$seed" --set gpu.rtx5090.preset=rtx509 2>&1)
printf '%s\n' "$out" | grep -qF "no gpu preset 'rtx509'; did you mean 'rtx5090'?" && ok \
    || bad "missing preset, no suggestion: $out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
