#!/bin/sh
# exports_only_bk.sh LIBRARY... — fails when a shared library exports (defines in its dynamic symbol table) anything
# but bk_* functions; exit 77 (CTest: skipped) when nm is not installed.
command -v nm >/dev/null 2>&1 || { echo "nm not found: export check skipped"; exit 77; }
status=0
for library in "$@"; do
    symbols=$(nm -D --defined-only "$library") || { echo "FAIL: nm could not read $library"; status=1; continue; }
    others=$(printf '%s\n' "$symbols" | awk 'NF >= 3 && $3 !~ /^bk_/ { print $3 }')
    if [ -n "$others" ]; then
        echo "FAIL: $library exports symbols other than bk_*:"
        printf '  %s\n' $others
        status=1
    elif ! printf '%s\n' "$symbols" | awk 'NF >= 3 { found = 1 } END { exit !found }'; then
        echo "FAIL: $library exports nothing"
        status=1
    else
        echo "ok: $library exports bk_* only ($(printf '%s\n' "$symbols" | awk 'NF >= 3' | wc -l) symbols)"
    fi
done
exit $status
