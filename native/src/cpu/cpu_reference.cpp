// cpu-reference — the truth for fp32 comparisons: a BERT layer in fp32 tensors with double arithmetic inside
// every stage, in either semantics (params.semantics selects), writing all 19 canonical intermediates.
//
// What it does:
//  - Every canonical tensor is rounded to fp32 when a stage produces it, and the next stage reads the rounded
//    values, as an fp32 implementation would; within a stage (GEMM sums, softmax, LayerNorm statistics) the
//    arithmetic is double, so the only fp32 error is one rounding per stored element.
//  - HUGGINGFACE (docs/SEMANTICS.md §2, huggingface column): all biases (null = zero), scores = Q·Kᵀ / sqrt(D) + mask, softmax with
//    the row maximum subtracted, GELU in the exact erf form, per-channel LayerNorm with the variance taken in a
//    second pass and eps inside the root (eps from params.layernorm_eps; HF uses 1e-12).
//  - SOUFFLE: no biases (bias pointers ignored), scale = half(1)/hsqrt(half(M)) as the fp16 constant the kernel
//    uses, exp without max subtraction, ReLU, LayerNorm from the sums: var = (Σx² − (Σx)²/M)/M,
//    std = sqrt(var + eps), scalar gamma/beta/eps from params. Accumulation stays double (fp16 accumulation is
//    cpu-souffle's business), so the gap to cpu-souffle is the fp16 numerics alone.
//  - Both: the [B][S] additive mask (null = none) is added after scaling; residual adds are in fp32.
//
// Definitions of the accumulator outputs:
//  - attn.softmax_rowsum: HUGGINGFACE Σ exp(s − rowmax) (the denominator actually used); SOUFFLE Σ exp(s).
//  - attn.ln_sum / attn.ln_sumsq and ffn.*: Σx and Σx² of the pre-LayerNorm x (after the fp32 residual add),
//    in both semantics, even though HF LayerNorm itself uses the two-pass variance.
//
// Known deviations: none intended. The mask is broadcast over heads and query rows ([B][S], as in HF), not
// Souffle's [H][S][S] buffer. A fully masked HF row with -inf mask entries yields NaN (as PyTorch does).
//
// Notes: the stages are shared with the cpu-mutant-* variants through ReferenceDefects (reference_layer.h).
#include "cpu/reference_layer.h"

#include "common/gemm.h"
#include "common/souffle_constants.h"
#include "common/tensor_io.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace bk::cpu {
namespace {

using Tensor = std::vector<double>;

constexpr std::size_t kOutputTileRows = 16;

double to_f32(double value) { return static_cast<double>(static_cast<float>(value)); }

void round_f32(Tensor& values) { round_to_dtype(values, BK_DTYPE_F32); }

struct Context {
    const bk_params& params;
    const ReferenceDefects& defects;
    LayerDims dims;
    bool huggingface;
};

// y[tokens][out] = x[tokens][in] · Wᵀ (+ bias), W an nn.Linear weight [out][in]; `untransposed` reads W as if
// it were already [in][out] (a defect; square weights only).
Tensor linear(const Tensor& x, const double* weight, const double* bias, std::size_t tokens, std::size_t in,
              std::size_t out, bool untransposed) {
    const Tensor b = untransposed ? Tensor(weight, weight + in * out) : transpose(weight, out, in);
    Tensor y(tokens * out);
    gemm_wide(x.data(), b.data(), y.data(), tokens, out, in);
    if (bias != nullptr) {
        for (std::size_t t = 0; t < tokens; ++t) {
            for (std::size_t o = 0; o < out; ++o) {
                y[t * out + o] += bias[o];
            }
        }
    }
    round_f32(y);
    return y;
}

// [B*S][M] (column head*D + d) -> [B][H][S][D]
Tensor split_heads(const Tensor& merged, const LayerDims& d) {
    Tensor heads(merged.size());
    for (std::size_t b = 0; b < d.batch; ++b)
        for (std::size_t s = 0; s < d.seq; ++s)
            for (std::size_t h = 0; h < d.heads; ++h)
                for (std::size_t e = 0; e < d.head_size; ++e)
                    heads[((b * d.heads + h) * d.seq + s) * d.head_size + e] =
                        merged[(b * d.seq + s) * d.model + h * d.head_size + e];
    return heads;
}

struct Projections {
    Tensor q, k, v;  // [B][H][S][D]
};

Projections project_qkv(const Context& c, const Tensor& input) {
    const LayerDims& d = c.dims;
    const Tensor weight = load_tensor(c.params.qkv_weight, BK_DTYPE_F32, 3 * d.model * d.model);
    const bool with_bias = c.huggingface && !c.defects.qkv_bias_ignored && c.params.qkv_bias != nullptr;
    const Tensor bias = with_bias ? load_tensor(c.params.qkv_bias, BK_DTYPE_F32, 3 * d.model) : Tensor();
    Tensor parts[3];
    for (std::size_t p = 0; p < 3; ++p) {
        const Tensor merged = linear(input, weight.data() + p * d.model * d.model,
                                     with_bias ? bias.data() + p * d.model : nullptr, d.tokens(), d.model, d.model, false);
        parts[p] = split_heads(merged, d);
    }
    return {parts[0], parts[1], parts[2]};
}

// One [S][D] head slice of a [B][H][S][D] tensor.
const double* head_of(const Tensor& t, const LayerDims& d, std::size_t bh) { return t.data() + bh * d.seq * d.head_size; }

Tensor raw_scores(const Context& c, const Projections& qkv) {
    const LayerDims& d = c.dims;
    Tensor raw(d.batch * d.heads * d.seq * d.seq);
    for (std::size_t bh = 0; bh < d.batch * d.heads; ++bh) {
        const Tensor key_t = transpose(head_of(qkv.k, d, bh), d.seq, d.head_size);
        gemm_wide(head_of(qkv.q, d, bh), key_t.data(), raw.data() + bh * d.seq * d.seq, d.seq, d.seq, d.head_size);
    }
    round_f32(raw);
    return raw;
}

Tensor scaled_scores(const Context& c, const Tensor& raw) {
    const LayerDims& d = c.dims;
    const Tensor mask = load_optional_tensor(c.params.attention_mask, BK_DTYPE_F32, d.batch * d.seq, 0.0);
    const std::size_t scale_width = c.defects.scale_uses_model_width ? d.model : d.head_size;
    const double divisor = std::sqrt(static_cast<double>(scale_width));
    const double souffle_scale = souffle_score_scale(d.model);
    Tensor scores(raw.size());
    for (std::size_t b = 0; b < d.batch; ++b)
        for (std::size_t row = 0; row < d.heads * d.seq; ++row)
            for (std::size_t key = 0; key < d.seq; ++key) {
                const std::size_t i = (b * d.heads * d.seq + row) * d.seq + key;
                const double scaled = c.huggingface ? raw[i] / divisor : raw[i] * souffle_scale;
                scores[i] = to_f32(scaled + mask[b * d.seq + key]);
            }
    return scores;
}

struct Softmax {
    Tensor row_sums;  // [B*H][S]
    Tensor probs;     // [B][H][S][S]
};

Softmax softmax(const Context& c, const Tensor& scores) {
    const LayerDims& d = c.dims;
    const bool subtract_max = c.huggingface && !c.defects.softmax_without_max_fp16_exp;
    const bool fp16_exp = c.huggingface && c.defects.softmax_without_max_fp16_exp;
    Softmax result{Tensor(d.batch * d.heads * d.seq), Tensor(scores.size())};
    for (std::size_t row = 0; row < d.batch * d.heads * d.seq; ++row) {
        const double* s = scores.data() + row * d.seq;
        const double shift = subtract_max ? *std::max_element(s, s + d.seq) : 0.0;
        double* e = result.probs.data() + row * d.seq;
        double sum = 0.0;
        for (std::size_t key = 0; key < d.seq; ++key) {
            e[key] = fp16_exp ? round_to_half(std::exp(s[key])) : std::exp(s[key] - shift);
            sum += e[key];
        }
        for (std::size_t key = 0; key < d.seq; ++key) {
            e[key] = to_f32(e[key] / sum);
        }
        result.row_sums[row] = to_f32(sum);
    }
    return result;
}

Tensor attend(const Context& c, const Tensor& probs, const Projections& qkv) {
    const LayerDims& d = c.dims;
    Tensor context(d.tokens() * d.model);
    Tensor head(d.seq * d.head_size);
    for (std::size_t b = 0; b < d.batch; ++b) {
        for (std::size_t h = 0; h < d.heads; ++h) {
            const std::size_t bh = b * d.heads + h;
            const double* p = probs.data() + bh * d.seq * d.seq;
            if (c.defects.pv_fp16_serial_accumulation) {
                gemm_fp16_accumulate(p, head_of(qkv.v, d, bh), head.data(), d.seq, d.head_size, d.seq, 1,
                                     Rounding::NearestEven);
            } else {
                gemm_wide(p, head_of(qkv.v, d, bh), head.data(), d.seq, d.head_size, d.seq);
            }
            for (std::size_t s = 0; s < d.seq; ++s)
                for (std::size_t e = 0; e < d.head_size; ++e) {
                    const std::size_t column = c.defects.heads_merged_d_major ? e * d.heads + h : h * d.head_size + e;
                    context[(b * d.seq + s) * d.model + column] = to_f32(head[s * d.head_size + e]);
                }
        }
    }
    return context;
}

struct Normalised {
    Tensor sum, sum_of_squares;  // [B*S], of x
    Tensor output;               // [B*S][M]
};

// LayerNorm(x) per row of `x` ([tokens][M], already the fp32 residual sum), in the context's semantics.
Normalised layer_norm(const Context& c, const Tensor& x, const void* gamma_ptr, const void* beta_ptr) {
    const LayerDims& d = c.dims;
    const std::size_t m = d.model;
    const bool affine = !c.defects.layernorm_without_affine;
    Tensor gamma(m, 1.0), beta(m, 0.0);
    if (affine && c.huggingface) {
        gamma = load_optional_tensor(gamma_ptr, BK_DTYPE_F32, m, 1.0);
        beta = load_optional_tensor(beta_ptr, BK_DTYPE_F32, m, 0.0);
    } else if (affine) {
        std::fill(gamma.begin(), gamma.end(), static_cast<double>(c.params.layernorm_scalar_gamma));
        std::fill(beta.begin(), beta.end(), static_cast<double>(c.params.layernorm_scalar_beta));
    }
    const double eps = static_cast<double>(c.params.layernorm_eps);
    Normalised result{Tensor(d.tokens()), Tensor(d.tokens()), Tensor(x.size())};
    for (std::size_t t = 0; t < d.tokens(); ++t) {
        const double* row = x.data() + t * m;
        double sum = 0.0, sum_of_squares = 0.0;
        for (std::size_t j = 0; j < m; ++j) {
            sum += row[j];
            sum_of_squares += row[j] * row[j];
        }
        const double mean = sum / static_cast<double>(m);
        double variance;
        if (c.huggingface) {
            double deviations = 0.0;
            for (std::size_t j = 0; j < m; ++j) {
                deviations += (row[j] - mean) * (row[j] - mean);
            }
            variance = deviations / static_cast<double>(m);
        } else {
            variance = (sum_of_squares - sum * sum / static_cast<double>(m)) / static_cast<double>(m);
        }
        const double deviation = c.defects.layernorm_eps_outside_root ? std::sqrt(variance) + eps
                                                                       : std::sqrt(variance + eps);
        for (std::size_t j = 0; j < m; ++j) {
            result.output[t * m + j] = to_f32((row[j] - mean) / deviation * gamma[j] + beta[j]);
        }
        result.sum[t] = to_f32(sum);
        result.sum_of_squares[t] = to_f32(sum_of_squares);
    }
    return result;
}

Tensor residual_sum(const Tensor& a, const Tensor& b) {
    Tensor x(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        x[i] = to_f32(a[i] + b[i]);
    }
    return x;
}

Tensor activation(const Context& c, const Tensor& linear_out) {
    const bool gelu = c.huggingface && !c.defects.relu_instead_of_gelu;
    Tensor out(linear_out.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const double v = linear_out[i];
        out[i] = to_f32(gelu ? 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))) : std::max(v, 0.0));
    }
    return out;
}

// The bias of a linear layer under the context's semantics: HF reads it (null = zero), Souffle has none.
Tensor bias_of(const Context& c, const void* bias, std::size_t count) {
    return c.huggingface ? load_optional_tensor(bias, BK_DTYPE_F32, count, 0.0) : Tensor(count, 0.0);
}

void store(const bk_params& params, int32_t tensor, const Tensor& values) {
    store_tensor(params.outputs[tensor], BK_DTYPE_F32, values);
}

}  // namespace

void run_reference(const bk_params& params, const ReferenceDefects& defects) {
    const Context c{params, defects, LayerDims::from(params.dims), params.semantics == BK_SEMANTICS_HUGGINGFACE};
    const LayerDims& d = c.dims;
    const Tensor input = load_tensor(params.input, BK_DTYPE_F32, d.tokens() * d.model);

    const Projections qkv = project_qkv(c, input);
    store(params, BK_T_ATTN_Q, qkv.q);
    store(params, BK_T_ATTN_K, qkv.k);
    store(params, BK_T_ATTN_V, qkv.v);
    if (params.outputs[BK_T_ATTN_QKV] != nullptr) {
        Tensor stacked(qkv.q);
        stacked.insert(stacked.end(), qkv.k.begin(), qkv.k.end());
        stacked.insert(stacked.end(), qkv.v.begin(), qkv.v.end());
        store(params, BK_T_ATTN_QKV, stacked);
    }

    const Tensor raw = raw_scores(c, qkv);
    store(params, BK_T_ATTN_SCORES_RAW, raw);
    const Tensor scores = scaled_scores(c, raw);
    store(params, BK_T_ATTN_SCORES, scores);
    const Softmax soft = softmax(c, scores);
    store(params, BK_T_ATTN_SOFTMAX_ROWSUM, soft.row_sums);
    store(params, BK_T_ATTN_PROBS, soft.probs);
    const Tensor context = attend(c, soft.probs, qkv);
    store(params, BK_T_ATTN_CONTEXT, context);

    const Tensor dense_weight = load_tensor(params.attn_dense_weight, BK_DTYPE_F32, d.model * d.model);
    const Tensor dense_bias = bias_of(c, params.attn_dense_bias, d.model);
    const Tensor dense = linear(context, dense_weight.data(), dense_bias.data(), d.tokens(), d.model, d.model,
                                defects.dense_weight_untransposed);
    store(params, BK_T_ATTN_DENSE, dense);
    const Tensor x1 = defects.ln1_without_residual ? dense : residual_sum(dense, input);
    const Normalised attn = layer_norm(c, x1, params.ln1_gamma, params.ln1_beta);
    store(params, BK_T_ATTN_LN_SUM, attn.sum);
    store(params, BK_T_ATTN_LN_SUMSQ, attn.sum_of_squares);
    store(params, BK_T_ATTN_OUTPUT, attn.output);

    const Tensor fc1_weight = load_tensor(params.fc1_weight, BK_DTYPE_F32, d.intermediate * d.model);
    const Tensor fc1_bias = bias_of(c, params.fc1_bias, d.intermediate);
    const Tensor fc1_linear = linear(attn.output, fc1_weight.data(), fc1_bias.data(), d.tokens(), d.model,
                                     d.intermediate, false);
    store(params, BK_T_FFN_FC1_LINEAR, fc1_linear);
    const Tensor fc1 = activation(c, fc1_linear);
    store(params, BK_T_FFN_FC1, fc1);
    const Tensor fc2_weight = load_tensor(params.fc2_weight, BK_DTYPE_F32, d.model * d.intermediate);
    const Tensor fc2_bias = bias_of(c, params.fc2_bias, d.model);
    const Tensor fc2_linear = linear(fc1, fc2_weight.data(), fc2_bias.data(), d.tokens(), d.intermediate, d.model, false);
    store(params, BK_T_FFN_FC2_LINEAR, fc2_linear);
    const Normalised ffn = layer_norm(c, residual_sum(fc2_linear, attn.output), params.ln2_gamma, params.ln2_beta);
    store(params, BK_T_FFN_LN_SUM, ffn.sum);
    store(params, BK_T_FFN_LN_SUMSQ, ffn.sum_of_squares);
    // The defect leaves the rows of the last (possibly partial) 16-row tile at whatever the caller put there.
    const std::size_t stored_rows =
        defects.last_output_tile_unwritten ? (d.tokens() - 1) / kOutputTileRows * kOutputTileRows : d.tokens();
    store_tensor(params.outputs[BK_T_OUTPUT], BK_DTYPE_F32, ffn.output.data(), stored_rows * d.model);
}

bk_variant_info reference_family_info(const char* name, const char* description) {
    bk_variant_info info{};
    info.name = name;
    info.description = description;
    info.shapes = "any";
    info.device = BK_DEVICE_CPU;
    info.semantics = BK_SEMANTICS_HUGGINGFACE | BK_SEMANTICS_SOUFFLE;
    info.dtype = BK_DTYPE_F32;
    info.weight_layout = BK_LAYOUT_OUT_IN;
    info.default_accumulation_group = 0;
    info.outputs = (uint64_t{1} << BK_TENSOR_COUNT) - 1;
    return info;
}

}  // namespace bk::cpu

namespace {
void run_cpu_reference(const bk_params& params) { bk::cpu::run_reference(params, bk::cpu::ReferenceDefects{}); }
}  // namespace

BK_REGISTER_VARIANT(cpu_reference,
                    {bk::cpu::reference_family_info(
                         "cpu-reference",
                         "fp32 BERT layer with double arithmetic inside every stage, Hugging Face or Souffle semantics; "
                         "writes all 19 intermediates"),
                     &run_cpu_reference});
