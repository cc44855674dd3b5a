// cpu-souffle — the Souffle fused BERT kernels' numerics (docs/SEMANTICS.md §2–§4) emulated on the CPU, so that the GPU
// kernel can be compared with the computation it is meant to perform, rounding for rounding.
//
// What it does differently from cpu-reference: F16 tensors, IN_OUT weights ([in][out]; qkv_weight [3][M][M],
// each [in][out]), SOUFFLE semantics only, and every value an fp16 register would hold is rounded to fp16:
//  - Every GEMM (QKV, Q·Kᵀ, P·V, attention dense, FC1, FC2) goes through the fp16-accumulation emulator:
//    groups of k consecutive products summed exactly, each group added to an fp16 accumulator with one rounding
//    (k = params.accumulation_group, 0 -> 16; rounding = params.accumulation_rounding).
//  - FC2 is split over 4 warps by interleaved 16-wide k-tiles, as upstream's feed-forward kernel does: warp w
//    accumulates the k-tiles w, w+4, w+8, ... (columns [16t, 16t+16) of F for each of its tiles t, in ascending order)
//    in fp16 from 0 with its own groups, and the four partial results are added in fp16 in warp order:
//    ((w0 + w1) + w2) + w3. A warp with no tile (F ≤ 48) adds nothing.
//  - QKV bias: added in fp16 after the projection, zeros when qkv_bias is null (upstream always adds one; its binding
//    passes zeros). No other bias exists in Souffle; the other bias and per-channel gamma/beta pointers are ignored.
//  - scale = half(1)/hsqrt(half(M)) (souffle_constants.h); scores = fp16(fp16(raw·scale) + mask), mask being the
//    [B][S] additive mask (null = 0); e = fp16(exp(score)) with no max subtracted (inf once score > ~11.09);
//    row sum in fp32 as upstream's threads form it: per chunk of 128 keys a partial s += (e[j] + e[j+1]) pair by pair,
//    the partials then added in key order (upstream adds them with atomics in a run-dependent order);
//    probs = fp16(float(e) * float(1.0 / sum)), the reciprocal in double as upstream writes it, the product in fp32.
//  - Residual adds in fp16: x = fp16(dense + input), x2 = fp16(fc2 + attn.output).
//  - LayerNorm (both): Σx and Σx² in fp32 of the fp16 x values, formed as upstream's threads do (per chunk of 32
//    columns s += (x[j] + x[j+1]) and q += (x[j]·x[j] + x[j+1]·x[j+1]), the partials added in column order; upstream:
//    atomics). eps, gamma and beta are rounded to fp16 first (upstream passes them as half scalars). Then, in fp32:
//    mean = fp16(Σx / M); std = fp16(sqrt((Σx² − Σx·Σx / M) / M + eps)); 1/std = fp16(1 / std) (two roundings, as
//    upstream's half(sqrt(..)) and half(1) / std); and per element, as the GPU's half2 arithmetic does,
//    out = fp16(fp16(fp16(fp16(x − mean) · rstd) · gamma) + beta).
//  - ReLU on the fp16 FC1 result (exact; v < 0 ? 0 : v keeps -0, as upstream). scores_raw is the fp16-accumulated Q·Kᵀ; qkv is q, k, v stacked.
//
// Known deviations from the GPU kernels: exp is the correctly rounded fp16 of exp (hexp may be off by an ulp); 1/std
// is the correctly rounded fp16 of 1/std, where the GPU's half division multiplies by an approximate fp32 reciprocal
// (an ulp apart in rare near-ties); the fp32 partial sums are added in one fixed order, where the GPU adds them with
// atomics in a run-dependent order, and the GPU compiler may contract a multiply and an add (x·x + y·y, score·scale +
// mask, ·gamma + beta) into one fused multiply-add (the CPU never does; with upstream's zero mask and gamma 1, beta 0
// the results are the same). The mask is [B][S] (broadcast), not upstream's [H][S][S].
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

// Σ pair(v[j], v[j+1]) in fp32 as upstream's threads and atomics form their sums: each chunk of `chunk` values taken
// pair by pair (s += pair(a, b); a lone last value pairs with 0), the chunks' partials then added in order.
template <class Pair>
float chunked_pairs(const double* v, std::size_t count, std::size_t chunk, Pair pair) {
    float total = 0.0f;
    for (std::size_t first = 0; first < count; first += chunk) {
        const std::size_t last = std::min(count, first + chunk);
        float partial = 0.0f;
        for (std::size_t j = first; j < last; j += 2) {
            const float a = static_cast<float>(v[j]);
            const float b = j + 1 < last ? static_cast<float>(v[j + 1]) : 0.0f;
            partial += pair(a, b);
        }
        total += partial;
    }
    return total;
}

// Σ v: s += (v[j] + v[j+1]). A lone value plus 0 is itself but for -0, which no partial keeps (it starts at +0).
float chunked_sum(const double* v, std::size_t count, std::size_t chunk) {
    return chunked_pairs(v, count, chunk, [](float a, float b) { return a + b; });
}

// Σ v²: s += (v[j]·v[j] + v[j+1]·v[j+1]), each product rounded to fp32.
float chunked_sum_of_squares(const double* v, std::size_t count, std::size_t chunk) {
    return chunked_pairs(v, count, chunk, [](float a, float b) { return a * a + b * b; });
}

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
                // Added always, zeros without a bias, as upstream does (so a -0 projection becomes +0).
                for (std::size_t t = 0; t < d.seq; ++t) {
                    for (std::size_t e = 0; e < d.head_size; ++e) {
                        head[t * d.head_size + e] =
                            round_to_half(head[t * d.head_size + e] + bias[p * m + h * d.head_size + e]);
                    }
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
                for (std::size_t key = 0; key < d.seq; ++key) {
                    const std::size_t i = row * d.seq + key;
                    scores[i] = round_to_half(round_to_half(raw[i] * scale) + mask[b * d.seq + key]);
                    probs[i] = round_to_half(std::exp(scores[i]));  // e, normalised below
                }
                const float sum = chunked_sum(probs.data() + row * d.seq, d.seq, bk::kSouffleSoftmaxChunk);
                // Upstream's reciprocal is 1.0 / sum in double, stored as float.
                const float reciprocal = static_cast<float>(1.0 / static_cast<double>(sum));
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
    std::vector<double> x(m);
    for (std::size_t t = 0; t < d.tokens(); ++t) {
        for (std::size_t j = 0; j < m; ++j) {
            x[j] = round_to_half(a[t * m + j] + b[t * m + j]);
        }
        const float sum = chunked_sum(x.data(), m, bk::kSouffleLayerNormChunk);
        const float sum_of_squares = chunked_sum_of_squares(x.data(), m, bk::kSouffleLayerNormChunk);
        const float mean = static_cast<float>(half_of_float(sum / width));
        const float variance = (sum_of_squares - sum * sum / width) / width;
        // Two roundings, as upstream: std = half(sqrt(var + eps)), then 1/std = half(1) / std in half.
        const double std_half = half_of_float(std::sqrt(variance + eps));
        const float rstd = static_cast<float>(round_to_half(1.0 / std_half));
        for (std::size_t j = 0; j < m; ++j) {
            // half2 arithmetic: every step of the normalisation is rounded to fp16, as on the GPU.
            const float centred = static_cast<float>(half_of_float(static_cast<float>(x[j]) - mean));
            const float scaled = static_cast<float>(half_of_float(centred * rstd));
            const float affine = static_cast<float>(half_of_float(scaled * gamma));
            result.output[t * m + j] = half_of_float(affine + beta);
        }
        result.sum[t] = static_cast<double>(sum);
        result.sum_of_squares[t] = static_cast<double>(sum_of_squares);
    }
    return result;
}

// FC2 split over the warps by interleaved k-tiles: warp w's partial product runs over the columns of its k-tiles
// w, w+4, w+8, ... (gathered in ascending order, so that its fp16 groups fall as on the GPU); the partials are added in
// fp16 in warp order.
Tensor fc2_split_k(const Setup& s, const Tensor& fc1) {
    const LayerDims& d = s.dims;
    const std::size_t f = d.intermediate;
    const auto* weight = static_cast<const uint16_t*>(s.params.fc2_weight);
    Tensor total(d.tokens() * d.model, 0.0);
    Tensor partial(total.size());
    bool first_warp = true;
    for (std::size_t warp = 0; warp < bk::kSouffleFc2Warps; ++warp) {
        std::vector<std::size_t> columns;
        for (std::size_t k0 = warp * bk::kSouffleFc2KTile; k0 < f; k0 += bk::kSouffleFc2Warps * bk::kSouffleFc2KTile) {
            for (std::size_t k = k0; k < std::min(f, k0 + bk::kSouffleFc2KTile); ++k) {
                columns.push_back(k);
            }
        }
        if (columns.empty()) {
            continue;  // a warp without a k-tile contributes an exact 0
        }
        const std::size_t depth = columns.size();
        Tensor a(d.tokens() * depth);
        std::vector<uint16_t> b(depth * d.model);
        for (std::size_t t = 0; t < d.tokens(); ++t) {
            for (std::size_t j = 0; j < depth; ++j) {
                a[t * depth + j] = fc1[t * f + columns[j]];
            }
        }
        for (std::size_t j = 0; j < depth; ++j) {
            std::copy(weight + columns[j] * d.model, weight + (columns[j] + 1) * d.model, b.begin() + j * d.model);
        }
        gemm16_weight(s, a.data(), depth, b.data(), d.model, 0, 0, partial.data(), d.model, d.tokens(), d.model, depth);
        for (std::size_t i = 0; i < total.size(); ++i) {
            total[i] = first_warp ? partial[i] : round_to_half(total[i] + partial[i]);
        }
        first_warp = false;
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
                       "FC2 split over 4 warps by interleaved k-tiles, exp without max, ReLU, scalar LayerNorm from fp32 sums";
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
