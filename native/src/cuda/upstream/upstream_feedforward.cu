// upstream_feedforward.cu — compiles the user's upstream checkout's cpp/bert/kernels/fused_sqq_feedforward.cu in place
// (the build adds that folder to this file's include path; nothing of it is copied into this project) and hands its
// fused_sqq_feedforward kernel to the souffle-upstream adapter. Built only when BK_SOUFFLE_UPSTREAM_DIR names a
// checkout. The upstream file's other kernels (the pipelined versions) stay internal to the library.
//
// <new> first: cuda/pipeline uses placement new, which nvcc 11.8 with clang-14 does not declare on its own.
#include <new>

#include "fused_sqq_feedforward.cu"

#include "upstream_kernels.cuh"

namespace bk::cuda::upstream {

FeedForwardKernel feedForwardKernel() { return &fused_sqq_feedforward; }

}  // namespace bk::cuda::upstream
