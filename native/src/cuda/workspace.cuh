// workspace.cuh — where a CUDA variant keeps its tensors during a run: the caller's params.workspace, carved by a
// WorkspacePlan into the canonical tensors the variant materialises (in their bert_kernels.h shapes) plus its own
// scratch regions; at the end, the canonical tensors a caller asked for are copied out.
//
// The plan is a pure function of the dimensions: a variant's WorkspaceFn builds it to report its size
// (bk_workspace_size) and its run builds the same plan to place it in params.workspace, so the two never disagree.
// No run allocates: the shim has checked that params.workspace is at least that size and BK_ALIGNMENT_CUDA aligned.
// Variants keep every intermediate in their own workspace and copy the requested tensors out at the end, so a
// null output pointer never changes what the kernels compute and a caller's buffer is never read back.
// Element counts and element kinds come from the header's tensor table (BK_TENSOR_TABLE), not from a copy of it, so
// every variant copies exactly the bytes the ABI promises.
#pragma once

#include "cuda_util.cuh"

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace bk::cuda {

constexpr uint64_t tensorBit(int tensor) { return uint64_t{1} << tensor; }

// One row of BK_TENSOR_TABLE as this file reads it.
struct TensorRow {
    const char* name;
    int kind;
    int rank;
    int axes[4];
};

constexpr TensorRow kTensorRows[BK_TENSOR_COUNT] = {
#define BK_CUDA_TENSOR_ROW(id, name, kind, rank, a0, a1, a2, a3) {name, kind, rank, {a0, a1, a2, a3}},
    BK_TENSOR_TABLE(BK_CUDA_TENSOR_ROW)
#undef BK_CUDA_TENSOR_ROW
};

constexpr uint64_t accumulatorTensors()
{
    uint64_t bits = 0;
    for (int tensor = 0; tensor < BK_TENSOR_COUNT; ++tensor)
        if (kTensorRows[tensor].kind == BK_KIND_FP32) bits |= tensorBit(tensor);
    return bits;
}

// The fp32 accumulator outputs (kind BK_KIND_FP32): float32 whatever the variant's dtype.
constexpr uint64_t kAccumulatorTensors = accumulatorTensors();

// attn.q, attn.k and attn.v are the three thirds of attn.qkv ([3][B*H][S][D]) in every variant.
constexpr uint64_t kHeadTensors = tensorBit(BK_T_ATTN_Q) | tensorBit(BK_T_ATTN_K) | tensorBit(BK_T_ATTN_V) | tensorBit(BK_T_ATTN_QKV);

inline const char* canonicalName(int tensor)
{
    return tensor >= 0 && tensor < BK_TENSOR_COUNT ? kTensorRows[tensor].name : "(no such tensor)";
}

// One axis of the table, BK_AXIS(factor, dims): the factor times the product of the BK_DIM_* dimensions named.
inline int64_t axisExtent(const bk_dims& d, int axis)
{
    int64_t extent = axis >> 8;
    const int dims = axis & 0xff;
    if ((dims & BK_DIM_B) != 0) extent *= d.batch;
    if ((dims & BK_DIM_S) != 0) extent *= d.seq;
    if ((dims & BK_DIM_H) != 0) extent *= d.heads;
    if ((dims & BK_DIM_D) != 0) extent *= d.head_size;
    if ((dims & BK_DIM_F) != 0) extent *= d.intermediate;
    return extent;
}

// Elements of canonical tensor `tensor` in the shape bert_kernels.h gives it.
inline int64_t canonicalElements(const bk_dims& d, int tensor)
{
    if (tensor < 0 || tensor >= BK_TENSOR_COUNT) fail(BK_ERR_INTERNAL, "canonical tensor " + std::to_string(tensor) + " does not exist");
    const TensorRow& row = kTensorRows[tensor];
    int64_t count = 1;
    for (int axis = 0; axis < row.rank; ++axis) count *= axisExtent(d, row.axes[axis]);
    return count;
}

// A scratch region of Ts, placed by a WorkspacePlan; Workspace::at turns it into a device pointer.
template <typename T>
struct Region {
    size_t offset;
};

class Workspace;

// The layout of one run's workspace, worked out from the dimensions alone: the canonical tensors in ascending order,
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
        for (int tensor = 0; tensor < BK_TENSOR_COUNT; ++tensor) {
            if ((tensors & tensorBit(tensor) & ~kHeadTensors) == 0) continue;
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

    // Bytes of workspace the plan needs: what the variant's WorkspaceFn returns.
    uint64_t bytes() const { return used_; }

    // The plan placed in the caller's params.workspace for this run.
    inline Workspace place(const bk_params& params) const;

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
        // Invariant: every region starts BK_ALIGNMENT_CUDA-aligned relative to a BK_ALIGNMENT_CUDA-aligned base, so
        // every region keeps the header's alignment promise (which covers wmma's 32 bytes and cp.async's 16).
        const size_t offset = (used_ + BK_ALIGNMENT_CUDA - 1) / BK_ALIGNMENT_CUDA * BK_ALIGNMENT_CUDA;
        used_ = offset + bytes;
        return offset;
    }

    bk_dims dims_;
    const char* variant_;
    Slot slots_[BK_TENSOR_COUNT] = {};
    uint64_t outputs_ = 0;
    size_t used_ = 0;
};

// A plan placed in the caller's workspace for one run.
class Workspace {
public:
    Workspace(const WorkspacePlan& plan, char* base) : plan_(plan), base_(base) {}

    template <typename T>
    T* tensor(int id) const
    {
        if (id < 0 || id >= BK_TENSOR_COUNT || !plan_.slots_[id].placed)
            fail(BK_ERR_INTERNAL, std::string(plan_.variant_) + ": " + canonicalName(id) + " has no place in the workspace");
        const WorkspacePlan::Slot& slot = plan_.slots_[id];
        if (slot.elementBytes != sizeof(T))
            fail(BK_ERR_INTERNAL, std::string(plan_.variant_) + ": " + canonicalName(id) + " is read with the wrong element type");
        return reinterpret_cast<T*>(base_ + slot.offset);
    }

    template <typename T>
    T* at(Region<T> region) const
    {
        return reinterpret_cast<T*>(base_ + region.offset);
    }

    // Zeroes, on params.stream and in ascending order, the placed canonical tensors of `tensors` (accumulators the
    // kernels add into).
    void zero(uint64_t tensors, const bk_params& params) const
    {
        for (int tensor = 0; tensor < BK_TENSOR_COUNT; ++tensor) {
            const WorkspacePlan::Slot& slot = plan_.slots_[tensor];
            if ((tensors & tensorBit(tensor)) == 0 || !slot.placed) continue;
            check(cudaMemsetAsync(base_ + slot.offset, 0, slot.bytes, streamOf(params)),
                  std::string(plan_.variant_) + ": cudaMemsetAsync of " + canonicalName(tensor));
        }
    }

    // Zeroes a scratch region on params.stream.
    template <typename T>
    void zero(Region<T> region, int64_t count, const bk_params& params) const
    {
        check(cudaMemsetAsync(at(region), 0, sizeof(T) * static_cast<size_t>(count), streamOf(params)),
              std::string(plan_.variant_) + ": cudaMemsetAsync of a scratch region");
    }

    // Calls copy(tensor, target, source, bytes), in ascending order, for every output tensor the caller asked for that
    // lives in the workspace.
    template <typename Copy>
    void forEachCopyOut(const bk_params& params, Copy copy) const
    {
        for (int tensor = 0; tensor < BK_TENSOR_COUNT; ++tensor) {
            void* target = params.outputs[tensor];
            if (target == nullptr || (plan_.outputs_ & tensorBit(tensor)) == 0) continue;
            const WorkspacePlan::Slot& slot = plan_.slots_[tensor];
            copy(tensor, target, static_cast<const void*>(base_ + slot.offset), slot.bytes);
        }
    }

    // Enqueues, in ascending order, the copy of every output tensor the caller asked for, then ends the run: waits for
    // the stream when the run is synchronous, returns at once with BK_RUN_ASYNC.
    void copyOutAndFinish(const bk_params& params) const
    {
        forEachCopyOut(params, [&](int tensor, void* target, const void* source, size_t bytes) {
            check(cudaMemcpyAsync(target, source, bytes, cudaMemcpyDeviceToDevice, streamOf(params)),
                  std::string(plan_.variant_) + ": copy of output " + canonicalName(tensor));
        });
        finishRun(params, plan_.variant_);
    }

private:
    WorkspacePlan plan_;
    char* base_;
};

inline Workspace WorkspacePlan::place(const bk_params& params) const
{
    // Invariant: the shim refused a workspace smaller than bytes() (BK_ERR_WORKSPACE) before the run began; this
    // check only guards a plan that differs between the variant's WorkspaceFn and its run.
    if (params.workspace_size < used_ || (used_ > 0 && params.workspace == nullptr))
        fail(BK_ERR_WORKSPACE, std::string(variant_) + ": the workspace holds " + std::to_string(params.workspace_size) + " bytes, the run needs " +
                                   std::to_string(used_));
    return Workspace(*this, static_cast<char*>(params.workspace));
}

}  // namespace bk::cuda
