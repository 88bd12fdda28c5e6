#!/bin/sh
# tests/recommend.sh PSUSIM — psusim recommend (issue 16): levers in the circuit's
# region, on the part that fails, within the cards' power-limit range, and a
# command with every lever that reproduces its verdict (this driver runs each).
# Ends with "N passed, N failed".
P=${1:-./psusim}
. tests/lib.sh
seed=scenarios/seed-dual-5090-us15a.ini
short="--set scenario.duration=30s"

# has TEXT FILE / lacks TEXT FILE: a fixed substring in a saved output
has() { grep -qF -- "$1" "$2" && ok || bad "'$1' not in $2: $(head -c 600 "$2")"; }
lacks() { grep -qF -- "$1" "$2" && bad "'$1' in $2" || ok; }

# --- US: the US levers, each simulated --------------------------------------------
"$P" recommend "$seed" $short > "$tmp/us.txt" 2>&1
has "circuit wall (us): a 20 A circuit (12 AWG copper, a 20 A receptacle)" "$tmp/us.txt"
has "circuit wall (us): 240 V (a NEMA 6-15/6-20 receptacle, same breaker): passes" "$tmp/us.txt"
has "circuit wall (us): a dedicated circuit" "$tmp/us.txt"
lacks "Schuko" "$tmp/us.txt"
lacks "JIS" "$tmp/us.txt"
# the second circuit: half the cards on a copy of the PSU and circuit
has "the rig: a second circuit: half the GPUs on a second PSU like main, on a second circuit like wall (scenario.split = 2): passes" "$tmp/us.txt"
# the user's own --set is in every command
has "--set scenario.duration=30s --set circuit.wall.breaker=20A" "$tmp/us.txt"
# the cards' minimum (400 W for an RTX 5090): never a limit below it
lacks "-pl 3" "$tmp/us.txt"
lacks "power_limit=3" "$tmp/us.txt"

# --- Japan: only Japan's levers -----------------------------------------------------
"$P" recommend scenarios/jp-15a-outlet.ini $short > "$tmp/jp.txt" 2>&1
has "circuit outlet (jp): a 20 A outlet (a JIS C 8303 20 A receptacle)" "$tmp/jp.txt"
has "circuit outlet (jp): 200 V (a single-phase 200 V 20 A outlet): passes" "$tmp/jp.txt"
lacks "NEMA" "$tmp/jp.txt"
lacks "240 V" "$tmp/jp.txt"
lacks "Schuko" "$tmp/jp.txt"

# --- UK: the radial instead of the 13 A plug (four cards overload the fuse) --------
"$P" recommend scenarios/uk-13a-plug.ini --set scenario.duration=30s --set load.rtx5090.power=2800W > "$tmp/uk.txt" 2>&1
has "(uk): a 20 A radial (B20 MCB) with an IEC 60309 16 A socket instead of the 13 A plug" "$tmp/uk.txt"
lacks "NEMA" "$tmp/uk.txt"

# --- several PSUs: the failing one is named, the passing one left alone -------------
"$P" recommend tests/recommend/two-psus.ini > "$tmp/two.txt" 2>&1
has "psu small: the smallest standard rating that passes: 1200 W (now 1000 W): passes" "$tmp/two.txt"
lacks "psu big" "$tmp/two.txt"

# --- the cards' minimum power limit --------------------------------------------------
"$P" recommend tests/recommend/gpu-min-limit.ini > "$tmp/min.txt" 2>&1
has "the GPUs: even 400 W on every GPU, the cards' minimum power limit" "$tmp/min.txt"
lacks "power_limit=39" "$tmp/min.txt"

# --- every printed command reproduces its lever's verdict ----------------------------
# From --json: each lever's overall "verdict" and its "command" (JSON-unescaped);
# the command is run (with this binary) and its "verdict:" line compared.
for f in "$seed" scenarios/jp-15a-outlet.ini tests/recommend/two-psus.ini; do
    "$P" recommend "$f" $short --json > "$tmp/r.json" 2> /dev/null
    awk '/"verdict": "/ { v = $0; sub(/.*"verdict": "/, "", v); sub(/".*/, "", v) }
         /"command": "/ { c = $0; sub(/.*"command": "/, "", c); sub(/",?$/, "", c)
                          gsub(/\\\\/, "\\", c); gsub(/\\"/, "\"", c); print v "\t" c }' \
        "$tmp/r.json" > "$tmp/cmds"
    [ -s "$tmp/cmds" ] && ok || bad "$f: no lever commands in --json"
    tab=$(printf '\t')
    while IFS="$tab" read -r want cmd; do
        case $cmd in psusim\ *) ;; *) bad "not a psusim command: $cmd"; continue ;; esac
        got=$(eval "\"\$P\" ${cmd#psusim }" 2> /dev/null | sed -n 's/^verdict: \([A-Z/a]*\).*/\1/p')
        [ "$(printf '%s' "$got" | tr 'A-Z' 'a-z')" = "$want" ] && ok \
            || bad "$f: '$cmd' gives '$got', recommend said '$want'"
    done < "$tmp/cmds"
done

# --- --json for check and recommend; bad input ----------------------------------------
t 0 '"ok": true' check "$seed" --json
t 2 '"ok": false' check "$seed" --json --set psu.main.ratng=1W
t 1 '"levers": [' recommend "$seed" $short --json
t 2 "unknown key 'ratng'" recommend "$seed" --set psu.main.ratng=1W

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
