#!/bin/sh
# tests/readme_tour.sh PSUSIM README — every ``` block of the README whose first
# line is `$ ./psusim ARGS` must be what psusim prints for ARGS (80 columns, no
# colour): line for line, or, where the block leaves lines out with a line
# `...`, its other lines in the same order. Regenerate a block by running its
# command. Ends with "N passed, N failed".
P=${1:-./psusim}
R=${2:-README.md}
. tests/lib.sh
n=0
# each block into $tmp/block-N, its command line first; an ```ini block after a
# line ending "`FILE`, from its first section:" into $tmp/ini-N, FILE first
awk -v dir="$tmp" '
    /^```/ { if (inb) { inb = 0; close(f); next }
             if ($0 == "```ini" && prev ~ /`[^`]*\.ini`, from its first section:$/) {
                 inb = 1; m++; f = dir "/ini-" m; file = prev
                 sub(/`, from its first section:$/, "", file); sub(/.*`/, "", file)
                 print file > f; next }
             start = 1; next }
    start { start = 0
            if ($0 ~ /^\$ \.\/psusim /) { inb = 1; n++; f = dir "/block-" n } }
    inb { print > f; next }
    /./ { prev = $0 }
' "$R"
for b in "$tmp"/ini-*; do
    [ -e "$b" ] || continue
    file=$(sed -n 1p "$b")
    sed -n '/^\[/,$p' "$file" > "$tmp/sec"
    if sed 1d "$b" | cmp -s - "$tmp/sec"; then ok
    else bad "README shows $file other than it is:"; sed 1d "$b" | diff - "$tmp/sec" | head -n 10
    fi
done
for b in "$tmp"/block-*; do
    [ -e "$b" ] || continue
    n=$((n + 1))
    cmd=$(sed -n '1s/^\$ \.\/psusim //p' "$b")
    sed 1d "$b" > "$b.want"
    # shellcheck disable=SC2086
    eval "env -u COLUMNS NO_COLOR=1 \"\$P\" $cmd" > "$b.got" 2>&1 < /dev/null
    if grep -qx '\.\.\.' "$b.want"; then
        # the lines shown, in order, each a whole line of the output
        if awk 'NR == FNR { if ($0 != "...") want[++n] = $0; next }
                k < n && $0 == want[k + 1] { k++ }
                END { exit !(k == n) }' "$b.want" "$b.got"; then ok
        else bad "README block '$ ./psusim $cmd': a line shown is not in the output, or not in order"
             diff "$b.want" "$b.got" | head -n 10
        fi
    elif cmp -s "$b.want" "$b.got"; then ok
    else bad "README block '$ ./psusim $cmd' differs from the output:"
         diff "$b.want" "$b.got" | head -n 10
    fi
done
[ "$n" -gt 0 ] && ok || bad "no '$ ./psusim' blocks found in $R"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
