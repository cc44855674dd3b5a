// upstream_kernels.cuh — the two upstream Souffle kernels as the adapter (souffle_upstream.cu) sees them: their
// signatures, as function-pointer types, and one accessor per kernel defined in the wrapper translation unit that
// compiles the user's checkout. The wrappers assign the upstream kernel to these types, so a checkout whose signature
// differs fails to compile instead of being launched with the wrong arguments.
//
// Argument order (upstream cpp/bert/bert_binding.cu, opt level 3; see docs in souffle_upstream.cu):
//   attention:    qkv_weight, src, qkv_bias, qkv_output, query_key_output, query_key_mask, query_key_softmax_sum,
//                 attn_value_output, attn_fc_weight, attn_fc_output, attn_layer_norm_sum, attn_layer_norm_variance,
//                 eps, gamma, beta, profile_grid_clock
//   feed-forward: attn_fc_output, eps, gamma, beta, fc1_weight, fc1_output, fc2_weight, fc2_output, layernorm_sum,
//                 layernorm_variance, profile_grid_clock, t_feed_forward_fc2_output (ignored by the kernel)
#pragma once

#include <cuda_fp16.h>

#include <cstdint>

namespace bk::cuda::upstream {

using AttentionKernel = void (*)(const half*, half*, const half*, half*, half*, half*, float*, half*, half*, half*, float*, float*, half,
                                 half, half, int64_t*);
using FeedForwardKernel = void (*)(half*, half, half, half, half*, half*, half*, half*, float*, float*, int64_t*, half*);

// Host stubs of fused_sqq_bert_attn and fused_sqq_feedforward, for cudaLaunchCooperativeKernel.
AttentionKernel attentionKernel();
FeedForwardKernel feedForwardKernel();

}  // namespace bk::cuda::upstream
