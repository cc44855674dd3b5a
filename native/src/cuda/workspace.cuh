// workspace.cuh — where a CUDA variant keeps its tensors during a run: one device buffer per device and variant,
// cached across runs and carved into the canonical tensors the variant materialises (in their bert_kernels.h
// shapes) plus its own scratch regions; at the end, the canonical tensors a caller asked for are copied out.
//
// Variants keep every intermediate in their own workspace and copy the requested tensors out at the end, so a
// null output pointer never changes what the kernels compute and a caller's buffer is never read back.
// Because copy-out sizes come from the canonical shapes, not from each variant, every variant copies exactly
// the bytes the ABI promises.
#pragma once

#include "cuda_util.cuh"

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace bk::cuda {

constexpr uint64_t tensorBit(int tensor) { return uint64_t{1} << tensor; }

// The fp32 accumulator outputs: float32 whatever the variant's dtype.
constexpr uint64_t kAccumulatorTensors = tensorBit(BK_T_ATTN_SOFTMAX_ROWSUM) | tensorBit(BK_T_ATTN_LN_SUM) |
                                         tensorBit(BK_T_ATTN_LN_SUMSQ) | tensorBit(BK_T_FFN_LN_SUM) | tensorBit(BK_T_FFN_LN_SUMSQ);

// attn.q, attn.k and attn.v are the three thirds of attn.qkv ([3][B*H][S][D]) in every variant.
constexpr uint64_t kHeadTensors = tensorBit(BK_T_ATTN_Q) | tensorBit(BK_T_ATTN_K) | tensorBit(BK_T_ATTN_V) | tensorBit(BK_T_ATTN_QKV);

inline const char* canonicalName(int tensor)
{
    static const char* const names[BK_TENSOR_COUNT] = {
        "attn.q",        "attn.k",         "attn.v",    "attn.qkv",       "attn.scores_raw", "attn.scores",   "attn.softmax_rowsum",
        "attn.probs",    "attn.context",   "attn.dense", "attn.ln_sum",   "attn.ln_sumsq",   "attn.output",   "ffn.fc1_linear",
        "ffn.fc1",       "ffn.fc2_linear", "ffn.ln_sum", "ffn.ln_sumsq",  "output"};
    return tensor >= 0 && tensor < BK_TENSOR_COUNT ? names[tensor] : "(no such tensor)";
}

// Elements of canonical tensor `tensor` in the shape bert_kernels.h gives it.
inline int64_t canonicalElements(const bk_dims& d, int tensor)
{
    const int64_t rows = d.batch * d.seq;
    switch (tensor) {
    case BK_T_ATTN_Q:
    case BK_T_ATTN_K:
    case BK_T_ATTN_V:
    case BK_T_ATTN_CONTEXT:
    case BK_T_ATTN_DENSE:
    case BK_T_ATTN_OUTPUT:
    case BK_T_FFN_FC2_LINEAR:
    case BK_T_OUTPUT:
        return rows * modelWidth(d);
    case BK_T_ATTN_QKV:
        return 3 * rows * modelWidth(d);
    case BK_T_ATTN_SCORES_RAW:
    case BK_T_ATTN_SCORES:
    case BK_T_ATTN_PROBS:
        return d.batch * d.heads * d.seq * d.seq;
    case BK_T_ATTN_SOFTMAX_ROWSUM:
        return d.batch * d.heads * d.seq;
    case BK_T_ATTN_LN_SUM:
    case BK_T_ATTN_LN_SUMSQ:
    case BK_T_FFN_LN_SUM:
    case BK_T_FFN_LN_SUMSQ:
        return rows;
    case BK_T_FFN_FC1_LINEAR:
    case BK_T_FFN_FC1:
        return rows * d.intermediate;
    default:
        fail(BK_ERR_INTERNAL, "canonical tensor " + std::to_string(tensor) + " does not exist");
    }
}

// One device buffer per device, grown on demand and reused across runs. The lease holds the lock for a whole run,
// so two threads running the same variant on one device never share the buffer while either is in flight.
class WorkspaceCache {
public:
    struct Lease {
        std::unique_lock<std::mutex> lock;
        char* base;
    };

    Lease acquire(size_t bytes, const std::string& variant)
    {
        std::unique_lock<std::mutex> lock(mutex_);
        int device = 0;
        check(cudaGetDevice(&device), variant + ": cudaGetDevice");
        if (static_cast<size_t>(device) >= slots_.size()) slots_.resize(static_cast<size_t>(device) + 1);
        Slot& slot = slots_[static_cast<size_t>(device)];
        if (slot.bytes < bytes) {
            if (slot.base != nullptr) check(cudaFree(slot.base), variant + ": cudaFree of the old workspace");
            slot.base = nullptr;
            slot.bytes = 0;
            check(cudaMalloc(reinterpret_cast<void**>(&slot.base), bytes),
                  variant + ": cudaMalloc of " + std::to_string(bytes) + " bytes of workspace");
            slot.bytes = bytes;
        }
        return Lease{std::move(lock), slot.base};
    }

private:
    struct Slot {
        char* base = nullptr;
        size_t bytes = 0;
    };
    std::mutex mutex_;
    // A vector, not a std::map: nvcc 11.8's front end with clang-14 fails on libstdc++ 12's map::emplace.
    std::vector<Slot> slots_;
};

// A scratch region of Ts, placed by a WorkspacePlan; Workspace::at turns it into a device pointer.
template <typename T>
struct Region {
    size_t offset;
};

class Workspace;

// The layout of one run's workspace, worked out before the buffer exists: the canonical tensors in ascending order,
// then the scratch regions in the order asked for.
class WorkspacePlan {
public:
    WorkspacePlan(const bk_dims& dims, const char* variant) : dims_(dims), variant_(variant) {}

    // Places the canonical tensors of `tensors` and marks them as outputs: dtype tensors as Element, the accumulators
    // as float. Any of attn.q, attn.k, attn.v, attn.qkv places attn.qkv, and the other three are views of it.
    template <typename Element>
    void canonical(uint64_t tensors)
    {
        outputs_ |= tensors;
        if ((tensors & kHeadTensors) != 0) {
            const size_t third = sizeof(Element) * static_cast<size_t>(canonicalElements(dims_, BK_T_ATTN_Q));
            const size_t qkv = reserve(3 * third);
            slots_[BK_T_ATTN_QKV] = Slot{qkv, 3 * third, sizeof(Element), true};
            for (int part = 0; part < 3; ++part)
                slots_[BK_T_ATTN_Q + part] = Slot{qkv + static_cast<size_t>(part) * third, third, sizeof(Element), true};
        }
        for (int tensor = BK_T_ATTN_QKV + 1; tensor < BK_TENSOR_COUNT; ++tensor) {
            if ((tensors & tensorBit(tensor)) == 0) continue;
            const size_t element = (kAccumulatorTensors & tensorBit(tensor)) != 0 ? sizeof(float) : sizeof(Element);
            const size_t bytes = element * static_cast<size_t>(canonicalElements(dims_, tensor));
            slots_[tensor] = Slot{reserve(bytes), bytes, element, true};
        }
    }

    template <typename T>
    Region<T> scratch(int64_t count)
    {
        return Region<T>{reserve(sizeof(T) * static_cast<size_t>(count))};
    }

    // Takes the variant's cached buffer, grown to this plan's size, for the rest of the run.
    inline Workspace acquire(WorkspaceCache& cache) const;

private:
    friend class Workspace;

    struct Slot {
        size_t offset;
        size_t bytes;
        size_t elementBytes;
        bool placed;
    };

    size_t reserve(size_t bytes)
    {
        // Invariant: every region starts 256-byte aligned, which covers the 32-byte alignment wmma loads need.
        const size_t offset = (used_ + 255) / 256 * 256;
        used_ = offset + bytes;
        return offset;
    }

    bk_dims dims_;
    const char* variant_;
    Slot slots_[BK_TENSOR_COUNT] = {};
    uint64_t outputs_ = 0;
    size_t used_ = 0;
};

// A plan placed in the variant's buffer, held (and locked) until the run ends.
class Workspace {
public:
    Workspace(const WorkspacePlan& plan, WorkspaceCache::Lease lease) : plan_(plan), lease_(std::move(lease)) {}

    template <typename T>
    T* tensor(int id) const
    {
        if (id < 0 || id >= BK_TENSOR_COUNT || !plan_.slots_[id].placed)
            fail(BK_ERR_INTERNAL, std::string(plan_.variant_) + ": " + canonicalName(id) + " has no place in the workspace");
        const WorkspacePlan::Slot& slot = plan_.slots_[id];
        if (slot.elementBytes != sizeof(T))
            fail(BK_ERR_INTERNAL, std::string(plan_.variant_) + ": " + canonicalName(id) + " is read with the wrong element type");
        return reinterpret_cast<T*>(lease_.base + slot.offset);
    }

    template <typename T>
    T* at(Region<T> region) const
    {
        return reinterpret_cast<T*>(lease_.base + region.offset);
    }

    // Zeroes, in ascending order, the placed canonical tensors of `tensors` (accumulators the kernels add into).
    void zero(uint64_t tensors, const bk_params& params) const
    {
        for (int tensor = 0; tensor < BK_TENSOR_COUNT; ++tensor) {
            const WorkspacePlan::Slot& slot = plan_.slots_[tensor];
            if ((tensors & tensorBit(tensor)) == 0 || !slot.placed) continue;
            check(cudaMemsetAsync(lease_.base + slot.offset, 0, slot.bytes, streamOf(params)),
                  std::string(plan_.variant_) + ": cudaMemsetAsync of " + canonicalName(tensor));
        }
    }

    // Copies, in ascending order, every output tensor the caller asked for, then waits for the stream: the run's end.
    void copyOutAndSynchronize(const bk_params& params) const
    {
        for (int tensor = 0; tensor < BK_TENSOR_COUNT; ++tensor) {
            void* target = params.outputs[tensor];
            if (target == nullptr || (plan_.outputs_ & tensorBit(tensor)) == 0) continue;
            const WorkspacePlan::Slot& slot = plan_.slots_[tensor];
            check(cudaMemcpyAsync(target, lease_.base + slot.offset, slot.bytes, cudaMemcpyDeviceToDevice, streamOf(params)),
                  std::string(plan_.variant_) + ": copy of output " + canonicalName(tensor));
        }
        synchronize(params, plan_.variant_);
    }

private:
    WorkspacePlan plan_;
    WorkspaceCache::Lease lease_;
};

inline Workspace WorkspacePlan::acquire(WorkspaceCache& cache) const
{
    return Workspace(*this, cache.acquire(used_, variant_));
}

}  // namespace bk::cuda
