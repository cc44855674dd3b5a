#!/bin/bash
# The float16 reference's budgets under each setting of the native libraries' code branch, against the committed
# report (git HEAD's results/seed-case/report.md, made 2026-11-26 at 76da9de on another host): ffn.ln_sum's line.
# Run from the repository root with the harness built; "(harness default)" is the harness as committed after this
# session (MKL_CBWR=AVX2 unless set); MKL_CBWR=AUTO is MKL's own choice by the host, the harness before it.
cd "$(dirname "$0")/../../.."
echo "host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); flags: $(grep -m1 flags /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_fp16|amx_bf16|amx_tile)$' | tr '\n' ' ')"
echo "committed: $(git show HEAD:results/seed-case/report.md | grep -m1 'PASS ffn.ln_sum' | cut -c1-75)"
for e in "" "MKL_CBWR=AUTO" "MKL_CBWR=AUTO ATEN_CPU_CAPABILITY=avx2" "MKL_CBWR=AUTO ONEDNN_MAX_CPU_ISA=AVX512_CORE" \
         "MKL_CBWR=AUTO ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2" "MKL_ENABLE_INSTRUCTIONS=AVX2 MKL_CBWR=AUTO" "MKL_CBWR=AVX2"; do
  rm -rf /tmp/mkl-branch-report
  env $e Harness/bin/Release/net10.0/harness verify --variant cpu-souffle --scenario seed-case --semantics huggingface \
      --report /tmp/mkl-branch-report --compare-with activation-override > /dev/null 2>&1
  echo "${e:-(harness default)}: $(grep -m1 'PASS ffn.ln_sum' /tmp/mkl-branch-report/report.md | cut -c1-75)"
done
