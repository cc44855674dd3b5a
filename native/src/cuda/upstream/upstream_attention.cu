// upstream_attention.cu — compiles the user's upstream checkout's cpp/bert/kernels/fused_sqq_bert.cu in place (the
// build adds that folder to this file's include path; nothing of it is copied into this project) and hands its
// fused_sqq_bert_attn kernel to the souffle-upstream adapter. Built only when BK_SOUFFLE_UPSTREAM_DIR names a checkout.
// The upstream file defines further kernels (fused_sqq_bert, ...) and device helpers: in a translation unit of their
// own they stay internal to the library (hidden visibility, no relocatable device code).
//
// <new> first: cuda/pipeline uses placement new, which nvcc 11.8 with clang-14 does not declare on its own.
#include <new>

#include "fused_sqq_bert.cu"

#include "upstream_kernels.cuh"

namespace bk::cuda::upstream {

AttentionKernel attentionKernel() { return &fused_sqq_bert_attn; }

}  // namespace bk::cuda::upstream
