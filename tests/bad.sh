#!/bin/sh
# tests/bad.sh PSUSIM — the bad-input corpus in tests/bad/. Each case is NAME.expect
# with NAME.ini beside it (and, for trace cases, the trace the INI names). The
# .expect lines:
#   exit: 2                      the exit status wanted (2: bad input)
#   stderr: TEXT                 a fixed substring stderr must hold (one or more)
#   args: WORDS                  extra words after FILE (split at blanks, no quoting)
#   file: PATH                   a path stderr must name (default: the scenario file);
#                                trace cases name the INI and the trace
#   generate: printf FORMAT      no NAME.ini in git: written at run time into a temp
#   generate: random BYTES       folder with printf FORMAT, pseudo-random (fixed seed), as a
#   generate: directory          folder, or not at all (none)
#   generate: none
#   chmod: MODE                  chmod the generated file (skipped as root)
#   mkfifo: NAME                 a named pipe NAME beside the generated file
#   # ...                        a comment
# For each case it runs, from the repo root,
#   PSUSIM run FILE [args] --out TMP/out-NAME
# and checks the exit status, every stderr: text, that stderr names the file, that
# stdout is empty and that TMP/out-NAME does not exist (bad input writes nothing).
# Each run gets $BAD_TIMEOUT seconds (default 10) when timeout(1) is there: bad input
# is refused at once, a hang is a failure. One line per failed check; ends with
# "N passed, N failed" (cases).
P=${1:-./psusim}
# PSUSIM as given, relative to where we were called from
case $P in
*/*) P=$(cd "$(dirname "$P")" && pwd)/$(basename "$P") ;;
esac
cd "$(dirname "$0")/.." || exit 2
LC_ALL=C # messages and grep byte by byte (stderr may quote binary input)
export LC_ALL
dir=tests/bad
pass=0
fail=0
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/in"
tab=$(printf '\t')
limit=${BAD_TIMEOUT:-10}
if command -v timeout > /dev/null 2>&1; then to="timeout $limit"; else to=; fi
# a case's failed checks: "bad MESSAGE" sets ok=0 and prints
bad() { ok=0; echo "FAIL: $name: $*"; }

for exp in "$dir"/*.expect; do
    name=$(basename "$exp" .expect)
    ok=1 want='' args='' gen='' mode='' fifo='' files='' texts=0
    : > "$tmp/texts"
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
        ''|'#'*) ;;
        'exit: '*) want=${line#exit: } ;;
        'stderr: '*) printf '%s\n' "${line#stderr: }" >> "$tmp/texts"; texts=$((texts + 1)) ;;
        'args: '*) args=${line#args: } ;;
        'file: '*) files="$files${files:+$tab}${line#file: }" ;;
        'generate: '*) gen=${line#generate: } ;;
        'chmod: '*) mode=${line#chmod: } ;;
        'mkfifo: '*) fifo=${line#mkfifo: } ;;
        *) bad "corpus: unknown line in $exp: $line" ;;
        esac
    done < "$exp"
    [ -n "$want" ] || bad "corpus: $exp has no 'exit:' line"
    [ "$texts" -gt 0 ] || bad "corpus: $exp has no 'stderr:' line"

    # the scenario file: in git, or made now
    file=$dir/$name.ini
    if [ -n "$gen" ]; then
        [ -e "$file" ] && bad "corpus: $file exists and $exp says generate"
        file=$tmp/in/$name.ini
        case $gen in
        'printf '*)
            # shellcheck disable=SC2059 # the format is the point
            printf "${gen#printf }" > "$file" ;;
        # pseudo-random but the same at every run: a test must not be flaky
        'random '*) LC_ALL=C awk -v n="${gen#random }" 'BEGIN { srand(7);
                        for (i = 0; i < n; i++) printf "%c", int(rand() * 255) + 1 }' > "$file" ;;
        directory) mkdir "$file" ;;
        none) ;;
        *) bad "corpus: unknown generate: $gen" ;;
        esac
        [ -n "$fifo" ] && mkfifo "$tmp/in/$fifo"
        if [ -n "$mode" ]; then
            if [ "$(id -u)" -eq 0 ]; then
                echo "SKIP: $name: running as root, who reads a file in mode $mode anyway"
                continue
            fi
            chmod "$mode" "$file"
        fi
    elif [ ! -f "$file" ]; then
        bad "corpus: $file is missing"
    fi
    [ -n "$files" ] || files=$file

    out=$tmp/out-$name
    set -f # args: split into words on purpose, never globbed
    # shellcheck disable=SC2086
    $to "$P" run "$file" $args --out "$out" > "$tmp/stdout" 2> "$tmp/stderr" < /dev/null
    rc=$?
    set +f

    if [ -n "$to" ] && [ "$rc" -eq 124 ]; then
        bad "no answer within $limit s (killed; exit 124), want exit $want"
    else
        [ "$rc" = "$want" ] || bad "exit $rc, want $want"
    fi
    [ "$rc" -gt 128 ] && bad "killed by signal $((rc - 128))"
    while IFS= read -r text; do
        grep -qF -- "$text" "$tmp/stderr" || bad "stderr lacks: $text"
    done < "$tmp/texts"
    oldifs=$IFS
    IFS=$tab
    for f in $files; do
        grep -qF -- "$f" "$tmp/stderr" || bad "stderr does not name the file $f"
    done
    IFS=$oldifs
    [ -s "$tmp/stdout" ] && bad "stdout is not empty: $(head -n 2 "$tmp/stdout" | cut -c 1-160)"
    # shellcheck disable=SC2012 # names for a message
    [ -e "$out" ] && bad "bad input left output: $(ls -A "$out" | tr '\n' ' ')"
    if [ "$ok" -eq 0 ]; then
        sed 's/^/    stderr: /' "$tmp/stderr" | head -n 6
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
    rm -rf "$out"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
