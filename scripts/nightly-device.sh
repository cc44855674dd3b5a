#!/usr/bin/env bash
# scripts/nightly.sh as one call of a lent GPU machine (10 minutes at most, a few hundred files back): the nightly with
# the knobs given in the environment, cut off at NIGHTLY_DEVICE_LIMIT seconds (default 570), its output folder packed
# into OUT/nightly.tar.gz with the summary, lane times, log and history entry beside it.
#   scripts/nightly-device.sh OUT
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/nightly-device.sh OUT}
mkdir -p "$out"
nvidia-smi --query-gpu=index,name,driver_version --format=csv,noheader > "$out/gpus.txt" 2>&1
start=$(date +%s)
timeout "${NIGHTLY_DEVICE_LIMIT:-570}" scripts/nightly.sh "$out/nightly" --history "$out/nightly/history.jsonl" > "$out/nightly-console.log" 2>&1
echo "nightly exit $? after $(( $(date +%s) - start )) s" | tee -a "$out/nightly-console.log"
rm -f "$out"/nightly/crashes/*.dmp
for f in summary.md lanes.log nightly.log history.jsonl history.txt; do [ -f "$out/nightly/$f" ] && cp "$out/nightly/$f" "$out/"; done
tar -C "$out" -czf "$out/nightly.tar.gz" nightly && rm -rf "$out/nightly"
ls -l "$out"
