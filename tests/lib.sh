# tests/lib.sh — what the shell test drivers share; sourced after P is set.
# ok / bad count the cases (bad prints why), $tmp is a folder removed on exit,
# t WANT_EXIT TEXT ARGS... runs psusim ARGS and wants that exit status and TEXT
# (a fixed substring) in its stdout and stderr. The driver ends with
#   echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
t() {
    want=$1 text=$2
    shift 2
    out=$("$P" "$@" 2>&1)
    rc=$?
    if [ "$rc" -eq "$want" ] && printf '%s\n' "$out" | grep -qF -- "$text"; then
        ok
    else
        bad "psusim $* -> exit $rc (want $want), wanted '$text' in:"
        printf '%s\n' "$out" | head -n 8 | sed 's/^/    /'
    fi
}
