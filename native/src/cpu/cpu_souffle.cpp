// cpu-souffle — the Souffle fused BERT kernels' numerics (docs/SEMANTICS.md §2–§4) emulated on the CPU, so that the GPU
// kernel can be compared with the computation it is meant to perform, rounding for rounding.
//
// What it does differently from cpu-reference: F16 tensors, IN_OUT weights ([in][out]; qkv_weight [3][M][M],
// each [in][out]), SOUFFLE semantics only, and every value an fp16 register would hold is rounded to fp16:
//  - Every GEMM (QKV, Q·Kᵀ, P·V, attention dense, FC1, FC2) goes through the fp16-accumulation emulator:
//    groups of k consecutive products summed exactly, each group added to an fp16 accumulator with one rounding
//    (k = params.accumulation_group, 0 -> 16; rounding = params.accumulation_rounding).
//  - FC2 is split-K over 4 slices of F (slice s covers [s*F/4, (s+1)*F/4)); each slice accumulates in fp16 from 0
//    with its own groups, and the slices are added in fp16, in slice order: ((s0 + s1) + s2) + s3.
//  - QKV bias: added in fp16 after the projection when qkv_bias is non-null (upstream passes zeros). No other
//    bias exists in Souffle; the other bias and per-channel gamma/beta pointers are ignored.
//  - scale = half(1)/hsqrt(half(M)) (souffle_constants.h); scores = fp16(fp16(raw·scale) + mask), mask being the
//    [B][S] additive mask (null = 0); e = fp16(exp(score)) with no max subtracted (inf once score > ~11.09);
//    row sum = Σ float(e) as sequential fp32 additions in key order; probs = fp16(float(e) * (1.0f / sum)), both
//    operations in fp32.
//  - Residual adds in fp16: x = fp16(dense + input), x2 = fp16(fc2 + attn.output).
//  - LayerNorm (both): Σx and Σx² as sequential fp32 additions over the row of the fp16 x values (x² in fp32);
//    eps, gamma and beta are rounded to fp16 first (upstream passes them as half scalars). Then, in fp32:
//    mean = fp16(Σx / M); rstd = fp16(1 / sqrt((Σx² − Σx·Σx / M) / M + eps)); and per element, as the GPU's
//    half2 arithmetic does, out = fp16(fp16(fp16(fp16(x − mean) · rstd) · gamma) + beta).
//  - ReLU on the fp16 FC1 result (exact). scores_raw is the fp16-accumulated Q·Kᵀ; qkv is q, k, v stacked.
//
// Known deviations from the GPU kernel: exp is the correctly rounded fp16 of exp (hexp may be off by an ulp);
// the row sums and LayerNorm sums are sequential, where the GPU adds per-warp partial sums with atomics in a
// run-dependent order. The mask is [B][S] (broadcast), not upstream's [H][S][S].
//
// Notes: upstream only supports B=1, S=384, H=12, D=64, F=3072; this emulation is shape-generic (any B, S, H, D, F).
#include "common/gemm.h"
#include "common/souffle_constants.h"
#include "common/tensor_io.h"
#include "variant.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

using bk::LayerDims;
using bk::Rounding;
using bk::round_to_half;
using Tensor = std::vector<double>;

constexpr std::size_t kDefaultGroup = 16;
constexpr std::size_t kFc2Slices = 4;

struct Setup {
    const bk_params& params;
    LayerDims dims;
    std::size_t group;
    Rounding rounding;
};

// The fp16-accumulated product of a [rows][depth] (row stride a_stride) and the [depth][columns] matrix B whose
// element (d, j) is b[d·b_row_stride + j·b_column_stride], into c (row stride c_stride).
void gemm16(const Setup& s, const double* a, std::size_t a_stride, const double* b, std::size_t b_row_stride,
            std::size_t b_column_stride, double* c, std::size_t c_stride, std::size_t rows, std::size_t columns,
            std::size_t depth) {
    bk::Fp16GemmArgs args = bk::fp16_gemm_args(a, a_stride, c, c_stride, rows, columns, depth, s.group, s.rounding);
    args.b = b;
    args.b_row_stride = b_row_stride;
    args.b_column_stride = b_column_stride;
    bk::gemm_fp16_accumulate(args);
}

// As gemm16, B being columns [column0, column0 + columns) of rows [row0, row0 + depth) of an fp16 IN_OUT weight with
// `width` columns, read in place.
void gemm16_weight(const Setup& s, const double* a, std::size_t a_stride, const void* weight, std::size_t width,
                   std::size_t row0, std::size_t column0, double* c, std::size_t c_stride, std::size_t rows,
                   std::size_t columns, std::size_t depth) {
    bk::Fp16GemmArgs args = bk::fp16_gemm_args(a, a_stride, c, c_stride, rows, columns, depth, s.group, s.rounding);
    args.b_half = static_cast<const uint16_t*>(weight) + row0 * width + column0;
    args.b_row_stride = width;
    args.b_column_stride = 1;
    bk::gemm_fp16_accumulate(args);
}

Tensor load16(const void* data, std::size_t count) { return bk::load_tensor(data, BK_DTYPE_F16, count); }

void store16(const bk_params& params, int32_t tensor, const Tensor& values) {
    bk::store_tensor(params.outputs[tensor], BK_DTYPE_F16, values);
}

// Stores `count` values as elements [offset, offset + count) of an fp16 output.
void store16_at(const bk_params& params, int32_t tensor, std::size_t offset, const double* values, std::size_t count) {
    if (params.outputs[tensor] != nullptr) {
        bk::store_tensor(static_cast<uint16_t*>(params.outputs[tensor]) + offset, BK_DTYPE_F16, values, count);
    }
}

void store32(const bk_params& params, int32_t tensor, const Tensor& values) {
    bk::store_tensor(params.outputs[tensor], BK_DTYPE_F32, values);
}

double half_of_float(float value) { return round_to_half(static_cast<double>(value)); }

struct Projections {
    Tensor q, k, v;  // [B][H][S][D]
};

// Each head's projection is the product of the input with that head's D columns of the weight, written straight
// into the [B][H][S][D] layout.
Projections project_qkv(const Setup& s, const Tensor& input) {
    const LayerDims& d = s.dims;
    const std::size_t m = d.model;
    const Tensor bias = bk::load_optional_tensor(s.params.qkv_bias, BK_DTYPE_F16, 3 * m, 0.0);
    const auto* weight = static_cast<const uint16_t*>(s.params.qkv_weight);
    Tensor parts[3];
    for (std::size_t p = 0; p < 3; ++p) {
        parts[p] = Tensor(d.tokens() * m);
        for (std::size_t b = 0; b < d.batch; ++b) {
            for (std::size_t h = 0; h < d.heads; ++h) {
                double* head = parts[p].data() + (b * d.heads + h) * d.seq * d.head_size;
                gemm16_weight(s, input.data() + b * d.seq * m, m, weight + p * m * m, m, 0, h * d.head_size, head,
                              d.head_size, d.seq, d.head_size, m);
                if (s.params.qkv_bias != nullptr) {
                    for (std::size_t t = 0; t < d.seq; ++t)
                        for (std::size_t e = 0; e < d.head_size; ++e)
                            head[t * d.head_size + e] =
                                round_to_half(head[t * d.head_size + e] + bias[p * m + h * d.head_size + e]);
                }
            }
        }
    }
    return {parts[0], parts[1], parts[2]};
}

struct Attention {
    Tensor row_sums, context;
};

// Head by head: the raw scores, scores and probabilities of a head are stored into the outputs as soon as they are
// computed, so only one head's [S][S] matrices are held at a time.
Attention attend(const Setup& s, const Projections& qkv) {
    const LayerDims& d = s.dims;
    const std::size_t square = d.seq * d.seq;
    const std::size_t head = d.seq * d.head_size;
    const Tensor mask = bk::load_optional_tensor(s.params.attention_mask, BK_DTYPE_F16, d.batch * d.seq, 0.0);
    const double scale = bk::souffle_score_scale(d.model);
    Attention a{Tensor(d.batch * d.heads * d.seq), Tensor(d.tokens() * d.model)};
    Tensor raw(square), scores(square), probs(square);
    for (std::size_t b = 0; b < d.batch; ++b) {
        for (std::size_t h = 0; h < d.heads; ++h) {
            const std::size_t bh = b * d.heads + h;
            // B = Kᵀ: element (e, key) is k[key][e].
            gemm16(s, qkv.q.data() + bh * head, d.head_size, qkv.k.data() + bh * head, 1, d.head_size, raw.data(),
                   d.seq, d.seq, d.seq, d.head_size);
            for (std::size_t row = 0; row < d.seq; ++row) {
                float sum = 0.0f;
                for (std::size_t key = 0; key < d.seq; ++key) {
                    const std::size_t i = row * d.seq + key;
                    scores[i] = round_to_half(round_to_half(raw[i] * scale) + mask[b * d.seq + key]);
                    probs[i] = round_to_half(std::exp(scores[i]));  // e, normalised below
                    sum += static_cast<float>(probs[i]);
                }
                const float reciprocal = 1.0f / sum;
                for (std::size_t key = 0; key < d.seq; ++key) {
                    const std::size_t i = row * d.seq + key;
                    probs[i] = half_of_float(static_cast<float>(probs[i]) * reciprocal);
                }
                a.row_sums[bh * d.seq + row] = static_cast<double>(sum);
            }
            store16_at(s.params, BK_T_ATTN_SCORES_RAW, bh * square, raw.data(), square);
            store16_at(s.params, BK_T_ATTN_SCORES, bh * square, scores.data(), square);
            store16_at(s.params, BK_T_ATTN_PROBS, bh * square, probs.data(), square);
            // The context of head h is columns [h·D, (h+1)·D) of the merged [B·S][M] context.
            gemm16(s, probs.data(), d.seq, qkv.v.data() + bh * head, d.head_size, 1,
                   a.context.data() + b * d.seq * d.model + h * d.head_size, d.model, d.seq, d.head_size, d.seq);
        }
    }
    return a;
}

struct Normalised {
    Tensor sum, sum_of_squares;  // [B*S] fp32
    Tensor output;               // [B*S][M] fp16
};

// x = fp16(a + b), then the Souffle LayerNorm of x with the rounding points listed in the file header.
Normalised add_and_normalise(const Setup& s, const Tensor& a, const Tensor& b) {
    const LayerDims& d = s.dims;
    const std::size_t m = d.model;
    const float eps = static_cast<float>(half_of_float(s.params.layernorm_eps));
    const float gamma = static_cast<float>(half_of_float(s.params.layernorm_scalar_gamma));
    const float beta = static_cast<float>(half_of_float(s.params.layernorm_scalar_beta));
    const float width = static_cast<float>(m);
    Normalised result{Tensor(d.tokens()), Tensor(d.tokens()), Tensor(a.size())};
    std::vector<float> x(m);
    for (std::size_t t = 0; t < d.tokens(); ++t) {
        float sum = 0.0f, sum_of_squares = 0.0f;
        for (std::size_t j = 0; j < m; ++j) {
            x[j] = static_cast<float>(round_to_half(a[t * m + j] + b[t * m + j]));
            sum += x[j];
            sum_of_squares += x[j] * x[j];
        }
        const float mean = static_cast<float>(half_of_float(sum / width));
        const float variance = (sum_of_squares - sum * sum / width) / width;
        const float rstd = static_cast<float>(half_of_float(1.0f / std::sqrt(variance + eps)));
        for (std::size_t j = 0; j < m; ++j) {
            // half2 arithmetic: every step of the normalisation is rounded to fp16, as on the GPU.
            const float centred = static_cast<float>(half_of_float(x[j] - mean));
            const float scaled = static_cast<float>(half_of_float(centred * rstd));
            const float affine = static_cast<float>(half_of_float(scaled * gamma));
            result.output[t * m + j] = half_of_float(affine + beta);
        }
        result.sum[t] = static_cast<double>(sum);
        result.sum_of_squares[t] = static_cast<double>(sum_of_squares);
    }
    return result;
}

// FC2 split-K: each slice of the reduction accumulates in fp16 on its own; the slices are added in fp16 in order.
Tensor fc2_split_k(const Setup& s, const Tensor& fc1) {
    const LayerDims& d = s.dims;
    const std::size_t f = d.intermediate;
    Tensor total(d.tokens() * d.model, 0.0);
    Tensor partial(total.size());
    for (std::size_t slice = 0; slice < kFc2Slices; ++slice) {
        const std::size_t first = slice * f / kFc2Slices;
        const std::size_t last = (slice + 1) * f / kFc2Slices;
        if (first == last) {
            continue;  // F < 4: an empty slice contributes an exact 0
        }
        gemm16_weight(s, fc1.data() + first, f, s.params.fc2_weight, d.model, first, 0, partial.data(), d.model,
                      d.tokens(), d.model, last - first);
        for (std::size_t i = 0; i < total.size(); ++i) {
            total[i] = slice == 0 ? partial[i] : round_to_half(total[i] + partial[i]);
        }
    }
    return total;
}

void run_cpu_souffle(const bk_params& params) {
    const std::size_t group =
        params.accumulation_group == 0 ? kDefaultGroup : static_cast<std::size_t>(params.accumulation_group);
    const Setup s{params, LayerDims::from(params.dims), group, static_cast<Rounding>(params.accumulation_rounding)};
    const LayerDims& d = s.dims;
    const Tensor input = load16(params.input, d.tokens() * d.model);

    const Projections qkv = project_qkv(s, input);
    store16(params, BK_T_ATTN_Q, qkv.q);
    store16(params, BK_T_ATTN_K, qkv.k);
    store16(params, BK_T_ATTN_V, qkv.v);
    // attn.qkv is q, k, v stacked.
    store16_at(params, BK_T_ATTN_QKV, 0, qkv.q.data(), qkv.q.size());
    store16_at(params, BK_T_ATTN_QKV, qkv.q.size(), qkv.k.data(), qkv.k.size());
    store16_at(params, BK_T_ATTN_QKV, 2 * qkv.q.size(), qkv.v.data(), qkv.v.size());

    const Attention attention = attend(s, qkv);
    store32(params, BK_T_ATTN_SOFTMAX_ROWSUM, attention.row_sums);
    store16(params, BK_T_ATTN_CONTEXT, attention.context);

    Tensor dense(d.tokens() * d.model);
    gemm16_weight(s, attention.context.data(), d.model, params.attn_dense_weight, d.model, 0, 0, dense.data(), d.model,
                  d.tokens(), d.model, d.model);
    store16(params, BK_T_ATTN_DENSE, dense);
    const Normalised attn = add_and_normalise(s, dense, input);
    store32(params, BK_T_ATTN_LN_SUM, attn.sum);
    store32(params, BK_T_ATTN_LN_SUMSQ, attn.sum_of_squares);
    store16(params, BK_T_ATTN_OUTPUT, attn.output);

    Tensor fc1(d.tokens() * d.intermediate);
    gemm16_weight(s, attn.output.data(), d.model, params.fc1_weight, d.intermediate, 0, 0, fc1.data(), d.intermediate,
                  d.tokens(), d.intermediate, d.model);
    store16(params, BK_T_FFN_FC1_LINEAR, fc1);
    std::transform(fc1.begin(), fc1.end(), fc1.begin(), [](double v) { return v < 0.0 ? 0.0 : v; });  // ReLU
    store16(params, BK_T_FFN_FC1, fc1);

    const Tensor fc2_linear = fc2_split_k(s, fc1);
    store16(params, BK_T_FFN_FC2_LINEAR, fc2_linear);
    const Normalised ffn = add_and_normalise(s, fc2_linear, attn.output);
    store32(params, BK_T_FFN_LN_SUM, ffn.sum);
    store32(params, BK_T_FFN_LN_SUMSQ, ffn.sum_of_squares);
    store16(params, BK_T_OUTPUT, ffn.output);
}

bk_variant_info cpu_souffle_info() {
    bk_variant_info info{};
    info.name = "cpu-souffle";
    info.description = "Souffle fused-kernel numerics on the CPU: fp16 tensors, fp16 group-k accumulation in every GEMM, "
                       "FC2 split-K 4, exp without max, ReLU, scalar LayerNorm from fp32 sums";
    info.shapes = "any (upstream Souffle: B=1, S=384, H=12, D=64, F=3072 only)";
    info.device = BK_DEVICE_CPU;
    info.semantics = BK_SEMANTICS_SOUFFLE;
    info.dtype = BK_DTYPE_F16;
    info.weight_layout = BK_LAYOUT_IN_OUT;
    info.default_accumulation_group = static_cast<int32_t>(kDefaultGroup);
    info.outputs = (uint64_t{1} << BK_TENSOR_COUNT) - 1;
    return info;
}

}  // namespace

BK_REGISTER_VARIANT(cpu_souffle, {cpu_souffle_info(), &run_cpu_souffle});
