#!/usr/bin/env bash
# Why a variant's kernels take the time they take: ncu's stall, memory and occupancy sections for the first launch
# (after warm-up) of each kernel whose name matches REGEX, at B=1 S=384 (NCU_BATCH, NCU_SEQUENCE say otherwise), warm
# caches and unlocked clocks, as in a graph-mode bench. Run on a GPU machine after scripts/gpu-run.sh has built native/ and unpacked the bundle:
#   scripts/ncu-detail.sh VARIANT REGEX [REGEX...]
set -uo pipefail
cd "$(dirname "$0")/.."
variant=${1:?usage: scripts/ncu-detail.sh VARIANT REGEX [REGEX...]}; shift
source scripts/gpu-env.sh || { echo "no libtorch found: set LIBTORCH" >&2; exit 1; }
for regex in "$@"; do
  ncu --cache-control none --clock-control none --section SpeedOfLight --section WarpStateStats --section Occupancy \
    --section MemoryWorkloadAnalysis --section LaunchStats --metrics smsp__pcsamp_warps_issue_stalled_no_instructions,smsp__pcsamp_warps_issue_stalled_long_scoreboard,smsp__pcsamp_warps_issue_stalled_barrier,smsp__pcsamp_warps_issue_stalled_wait,smsp__pcsamp_warps_issue_stalled_math_pipe_throttle,smsp__pcsamp_warps_issue_stalled_short_scoreboard,smsp__pcsamp_warps_issue_stalled_mio_throttle,smsp__pcsamp_warps_issue_stalled_lg_throttle,smsp__pcsamp_sample_count \
    -k "regex:$regex" --launch-skip 30 --launch-count 1 "${HARNESS_APP:-/tmp/harness-app/harness}" bench --variant "$variant" \
    --batch "${NCU_BATCH:-1}" --sequence "${NCU_SEQUENCE:-384}" --no-python-peers --samples 10 2>&1 | sed -n '/^  [a-z<].*(.*)x(.*/,$p' | grep -vE '^ +-+|^$|OPT|INF|^          '
done
