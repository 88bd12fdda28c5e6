#!/bin/sh
# tests/fault.sh PSUSIM [SHIM] — fault injection (issue 15): every mkdir,
# create, write, close, rename and unlink psusim makes in its --out folder is
# made to fail in turn, through the LD_PRELOAD shim tests/fault/shim.c (SHIM,
# default build/tests/fault-shim.so). For each job below a dry run through the
# shim counts the calls of each kind and keeps its files as the reference; then
# one run a call, that call failing (ENOSPC, EIO or EACCES), must
#   - exit with status 3,
#   - name on stderr the file it could not write (its final name: the folder,
#     .psusim-lock, .psusim-out or an output),
#   - leave no temporary file (".NAME.XXXXXX"),
#   - leave every file under a final name whole: the reference's bytes (a
#     picture: a PNG ending with its IEND chunk).
# Each job runs twice: into a new folder, and into one holding a complete
# earlier result set (so the earlier run's outputs are removed: unlink).
# Ends with "N passed, N failed".
P=${1:-./psusim}
SHIM=${2:-build/tests/fault-shim.so}
. tests/lib.sh
seed=scenarios/seed-dual-5090-us15a.ini
short="--set scenario.duration=5s --set scenario.step=100us"
case $SHIM in /*) ;; *) SHIM=$PWD/$SHIM ;; esac
if [ ! -f "$SHIM" ]; then
    bad "no shim at $SHIM (make $SHIM)"
    echo "$pass passed, $fail failed"
    exit 1
fi
kinds="mkdir create write close rename unlink"
points=0

# The PNG signature's IEND chunk: the last 12 bytes of a whole PNG.
iend=0000000049454e44ae426082
whole_png() {
    [ "$(tail -c 12 "$1" | od -An -tx1 | tr -d ' \n')" = "$iend" ]
}

# shimmed DIR LOG OP AT ARGS...: psusim ARGS through the shim; status in $rc,
# stderr in $tmp/err
shimmed() {
    s_dir=$1 s_log=$2 s_op=$3 s_at=$4
    shift 4
    # a sanitizer build (make asan) takes a preloaded library before its
    # runtime only when told so; the option is harmless elsewhere
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
    LD_PRELOAD=$SHIM PSUSIM_FAULT_DIR=$s_dir PSUSIM_FAULT_LOG=$s_log PSUSIM_FAULT_OP=$s_op \
        PSUSIM_FAULT_AT=$s_at "$P" "$@" > /dev/null 2> "$tmp/err"
    rc=$?
}

# check_set WHAT DIR REF: no temporary file in DIR, every other file in it the
# same as in REF (a PNG: whole)
check_set() {
    what=$1 d=$2 ref=$3
    [ -d "$d" ] || return 0
    for f in "$d"/* "$d"/.[!.]*; do
        [ -e "$f" ] || continue
        b=${f##*/}
        case $b in
            .psusim-lock) continue ;;
        esac
        if printf '%s\n' "$b" | grep -Eq '^\..+\.[A-Za-z0-9]{6}$'; then
            bad "$what: temporary file left: $b"
            continue
        fi
        case $b in
            *.png) whole_png "$f" || bad "$what: $b is not a whole PNG" ;;
            *) if [ ! -f "$ref/$b" ]; then bad "$what: $b is not an output of this job"
               elif ! cmp -s "$f" "$ref/$b"; then
                   bad "$what: $b is half-written ($(wc -c < "$f") of $(wc -c < "$ref/$b") bytes)"
               fi ;;
        esac
    done
}

# job NAME ARGS... (ARGS hold OUT where the folder goes): the faults above
job() {
    name=$1
    shift
    ref=$tmp/$name.ref
    # the reference: a dry run through the shim into a new folder
    shimmed "$ref" "$tmp/$name.ref.log" "" 0 $(printf '%s\n' "$@" | sed "s#^OUT\$#$ref#")
    if [ "$rc" -gt 1 ]; then
        bad "$name: the dry run exits $rc: $(head -n 3 "$tmp/err")"
        return
    fi
    # every file psusim writes itself (not gnuplot's pictures) went through the
    # shim: a file opened another way would escape the faults unseen
    for f in "$ref"/* "$ref/.psusim-out"; do
        [ -e "$f" ] || continue
        b=${f##*/}
        case $b in *.png) continue ;; esac
        grep -Eq "^write .*/\.$b\.[A-Za-z0-9]{6}\$" "$tmp/$name.ref.log" && ok \
            || bad "$name: no write to $b went through the shim"
    done
    for mode in new again; do
        d=$tmp/$name.out
        args=$(printf '%s\n' "$@" | sed "s#^OUT\$#$d#")
        rm -rf "$d" "$tmp/$name.log"
        [ $mode = again ] && cp -R "$ref" "$d"
        # shellcheck disable=SC2086  # ARGS hold no blanks
        shimmed "$d" "$tmp/$name.log" "" 0 $args
        [ "$rc" -le 1 ] || bad "$name ($mode): the dry run exits $rc"
        for op in $kinds; do
            case $op in
                mkdir | unlink) reason="Permission denied" ;;
                create | write) reason="No space left on device" ;;
                *) reason="Input/output error" ;;
            esac
            n=$(grep -c "^$op " "$tmp/$name.log")
            at=1
            while [ "$at" -le "$n" ]; do
                what="$name ($mode), $op $at of $n"
                rm -rf "$d" "$tmp/fault.log"
                [ $mode = again ] && cp -R "$ref" "$d"
                # shellcheck disable=SC2086
                shimmed "$d" "$tmp/fault.log" "$op" "$at" $args
                points=$((points + 1))
                hitp=$(sed -n "s/^FAULT $op $at //p" "$tmp/fault.log")
                # the name the user knows: a temporary file's final name
                want=$(printf '%s\n' "$hitp" | sed -E 's#/\.([^/]+)\.[A-Za-z0-9]{6}$#/\1#')
                if [ -z "$hitp" ]; then
                    bad "$what: the call was not made (not repeatable?)"
                elif [ "$rc" -ne 3 ]; then
                    bad "$what ($hitp): exit $rc, want 3: $(head -n 2 "$tmp/err")"
                elif ! grep -qF -- "$want" "$tmp/err"; then
                    bad "$what: stderr does not name $want: $(head -n 2 "$tmp/err")"
                elif ! grep -qxF -- "psusim: $want: write failed" "$tmp/err" \
                     && ! grep -qF -- "$reason" "$tmp/err"; then
                    # a reason given is the injected one, never a stale errno
                    bad "$what: stderr does not say '$reason': $(head -n 2 "$tmp/err")"
                else
                    ok
                fi
                check_set "$what" "$d" "$ref"
                at=$((at + 1))
            done
        done
    done
}

job run-none run "$seed" $short --quiet --plots none --out OUT
job run-nots run "$seed" $short --quiet --plots none --timeseries none --out OUT
if command -v gnuplot > /dev/null 2>&1; then
    job run-png run "$seed" $short --quiet --plots png --out OUT
    job sweep-png sweep "$seed" $short --quiet --plots png \
        --vary gpu.rtx5090.power_limit=300W:575W:5W --set gpu.rtx5090.power_limit_min=300W --out OUT
else
    echo "fault.sh: gnuplot not found: the jobs with plots are skipped"
fi
job sweep sweep "$seed" $short --quiet --plots none \
    --vary gpu.rtx5090.power_limit=300W:575W:5W --set gpu.rtx5090.power_limit_min=300W --out OUT
job shard run "$seed" $short --quiet --runs 4 --shard 1/2 --out OUT
# merge --out writes what sweep --out does, from shard files
vary="--vary psu.main.rating=1600W,2500W"
"$P" sweep "$seed" $short $vary --shard 1/2 > "$tmp/part1.json"
"$P" sweep "$seed" $short $vary --shard 2/2 > "$tmp/part2.json"
job merge merge "$tmp/part1.json" "$tmp/part2.json" --quiet --plots none --out OUT
job mc run "$seed" $short --quiet --runs 3 --out OUT

echo "fault.sh: $points fault points"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
