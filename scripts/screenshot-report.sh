#!/usr/bin/env bash
# Renders a report.html with headless Chromium and saves a PNG screenshot, to check how a report looks without a
# desktop. Usage: scripts/screenshot-report.sh REPORT_HTML [OUT_PNG] [WIDTH] [HEIGHT]
# Needs Debian's chromium (apt-get install -y --no-install-recommends chromium). Chromium is kept offline: the report
# is self-contained, so any network access would be a bug in the report, not something to allow.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 4 ]]; then
    echo "usage: $0 REPORT_HTML [OUT_PNG] [WIDTH] [HEIGHT]" >&2
    exit 2
fi

report=$1
out=${2:-report-screenshot.png}
width=${3:-1400}
height=${4:-2000}

if [[ ! -f $report ]]; then
    echo "report '$report' does not exist or is not a file" >&2
    exit 2
fi

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z $browser ]]; then
    echo "no chromium found; install it with: apt-get install -y --no-install-recommends chromium" >&2
    exit 2
fi

report_path=$(realpath "$report")
out_path=$(realpath -m "$out")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# Chromium logs harmless D-Bus and GPU noise to stderr; it is shown only when the screenshot was not written.
log="$profile/chromium.log"
if ! "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" \
        --screenshot="$out_path" --window-size="$width,$height" "file://$report_path" >"$log" 2>&1 \
    || [[ ! -s $out_path ]]; then
    cat "$log" >&2
    echo "chromium did not write '$out_path'" >&2
    exit 1
fi

echo "$out_path"
