#!/usr/bin/env bash
# One device call that times forms of `fused` set by environment switches against each other (the switches live in an
# experiment's patch, kept beside its results): build; verify the named forms; then time every form in turn at
# B = AB_BATCH over the S of AB_SEQUENCES (`harness bench`, output only), AB_ROUNDS times, so that drift between
# rounds shows beside the differences between forms. The harness bundle is unpacked (scripts/gpu-run.sh).
#   AB_FORMS="name=ASSIGNMENTS;name=ASSIGNMENTS;..."   the forms in their order ("-" for no assignment)
#   AB_VERIFY="name ..."                               forms verified at B=1 S=384 with 5 reruns (default none)
#   AB_VERIFY_SCENARIOS="random ..."                   their scenarios (constant-debug at its own shape and reruns)
#   AB_BATCH=1 AB_SEQUENCES=128,384,512 AB_ROUNDS=2 scripts/gpu-forms-ab.sh OUT
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: AB_FORMS=... scripts/gpu-forms-ab.sh OUT}
[ -n "${AB_FORMS:-}" ] || { echo "gpu-forms-ab: AB_FORMS names no form" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
start=$(date +%s)
note() { echo "gpu-forms-ab: $* ($(( $(date +%s) - start )) s)" | tee -a "$out/ab.log"; }
GPU_RUN_STEPS=build-only GPU_RUN_VARIANT=fused scripts/gpu-run.sh "$out/build" > "$out/build-console.log" 2>&1
note "build: exit $?"
grep -i "warning\|error" "$out/build/native-build.log" | head -20 >> "$out/ab.log"
source scripts/gpu-env.sh || { note "no libtorch"; exit 1; }
cuobjdump -res-usage native/build/gpu/libbertkernels.so > "$out/resource-usage.txt" 2>&1
harness=/tmp/harness-app/harness
IFS=';' read -ra forms <<< "$AB_FORMS"
# The assignments of form $1, into the array `assignments`.
assignments_of() {
  local form
  assignments=()
  for form in "${forms[@]}"; do
    [ "${form%%=*}" = "$1" ] || continue
    [ "${form#*=}" != "-" ] && read -ra assignments <<< "${form#*=}"
    return 0
  done
  note "no form named $1"
  return 1
}
for name in ${AB_VERIFY:-}; do
  assignments_of "$name" || continue
  for scenario in ${AB_VERIFY_SCENARIOS:-random}; do
    shape=(--batch 1 --sequence 384 --reruns 5); [ "$scenario" = constant-debug ] && shape=()
    env "${assignments[@]}" timeout 120 "$harness" verify --variant fused --scenario "$scenario" "${shape[@]}" --device cuda \
      > "$out/verify-$name-$scenario.txt" 2>&1
    note "verify $name $scenario: exit $? ($(grep -o 'reruns: .*bit for bit\|PASS: .*\|FAIL: .*' "$out/verify-$name-$scenario.txt" | tr '\n' ' '))"
  done
done
for round in $(seq 1 "${AB_ROUNDS:-2}"); do
  for form in "${forms[@]}"; do
    name=${form%%=*}
    assignments_of "$name" || continue
    file="$out/bench-$name-$round.txt"
    env "${assignments[@]}" timeout 150 "$harness" bench --device cuda --variant fused --batch "${AB_BATCH:-1}" \
      --sequence "${AB_SEQUENCES:-128,384,512}" --no-python-peers > "$file" 2>&1
    note "bench $name round $round: exit $?"
    grep "│ fused" "$file" | sed "s/^/  $name: /" | tee -a "$out/ab.log"
  done
done
note "done"
