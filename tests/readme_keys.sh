#!/bin/sh
# tests/readme_keys.sh PSUSIM README — the README's scenario reference must be
# exactly what `psusim keys` prints from the loader's key table, so the two
# cannot drift. Regenerate with:  make readme-keys
P=${1:-./psusim}
R=${2:-README.md}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
sed -n '/^<!-- keys:begin/,/^<!-- keys:end/p' "$R" | sed '1d;$d' > "$tmp"
if "$P" keys | diff -u "$tmp" - ; then
    echo "1 passed, 0 failed"
else
    echo "README.md's scenario reference differs from 'psusim keys' (run: make readme-keys)"
    echo "0 passed, 1 failed"
    exit 1
fi
