using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Harness.Native;

// Field-by-field mirrors of the structs in native/include/bert_kernels.h. Blittable: no managed references,
// no bool, no strings; C pointers are nint. Any change here needs BK_ABI_VERSION bumped on both sides.

/// <summary>Mirror of <c>bk_variant_info</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct BkVariantInfo
{
    public nint Name;
    public nint Description;
    public nint Shapes;
    public int Device;
    public int Semantics;
    public int Dtype;
    public int WeightLayout;
    public int DefaultAccumulationGroup;
    public ulong Outputs;

    // ABI 2 (an ABI 1 library fills only the fields above: BkConstants.VariantInfoAbi1Size bytes).
    public int Flags;
    public int Reserved;
    public BkShapeLimits Limits;
}

/// <summary>Mirror of <c>bk_dim_limit</c>: min..max (max 0 = unbounded), multiple of multiple_of (0 or 1 = any).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct BkDimLimit
{
    public long Min;
    public long Max;
    public long MultipleOf;
}

/// <summary>Mirror of <c>bk_shape_limits</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct BkShapeLimits
{
    public BkDimLimit Batch;
    public BkDimLimit Seq;
    public BkDimLimit Heads;
    public BkDimLimit HeadSize;
    public BkDimLimit Model;
    public BkDimLimit Intermediate;
}

/// <summary>Mirror of <c>int32_t axes[4]</c> in <c>bk_tensor_info</c>.</summary>
[InlineArray(4)]
public struct BkTensorAxes
{
    private int _element0;
}

/// <summary>Mirror of <c>bk_tensor_info</c>: one row of the tensor table.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct BkTensorInfo
{
    public nint Name;
    public int Index;
    public int Kind;
    public int Rank;
    public BkTensorAxes Axes;
}

/// <summary>Mirror of <c>bk_dims</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct BkDims
{
    public long Batch;
    public long Seq;
    public long Heads;
    public long HeadSize;
    public long Intermediate;
}

/// <summary>Mirror of <c>void* outputs[BK_TENSOR_COUNT]</c>, indexed by BK_T_* (= TensorNames.Produced index).</summary>
[InlineArray(BkConstants.TensorCount)]
public struct BkOutputPointers
{
    private nint _element0;
}

/// <summary>Mirror of <c>bk_params</c>; see the header for the meaning of every field.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct BkParams
{
    public int AbiVersion;
    public int StructSize;
    public BkDims Dims;
    public int Dtype;
    public int Semantics;
    public int AccumulationGroup;
    public int AccumulationRounding;
    public float LayerNormEps;
    public float LayerNormScalarGamma;
    public float LayerNormScalarBeta;
    public int Reserved0;
    public nint Stream;
    public nint Input;
    public nint QkvWeight;
    public nint QkvBias;
    public nint AttnDenseWeight;
    public nint AttnDenseBias;
    public nint Ln1Gamma;
    public nint Ln1Beta;
    public nint Fc1Weight;
    public nint Fc1Bias;
    public nint Fc2Weight;
    public nint Fc2Bias;
    public nint Ln2Gamma;
    public nint Ln2Beta;
    public nint AttentionMask;
    public BkOutputPointers Outputs;

    // ABI 2 (an ABI 1 library reads only the fields above: BkConstants.ParamsAbi1Size bytes).
    public int RunFlags;
    public int Reserved1;
    public nint Workspace;
    public ulong WorkspaceSize;
}

/// <summary>The #define constants of bert_kernels.h.</summary>
public static class BkConstants
{
    public const int AbiVersion = 2;
    public const int TensorCount = 19;

    /// <summary>The oldest ABI this harness still drives (synchronous runs, no workspace, no tensor table).</summary>
    public const int AbiVersion1 = 1;
    public const int ParamsAbi1Size = 352;
    public const int VariantInfoAbi1Size = 56;

    public const int AlignmentCuda = 256;
    public const int AlignmentCpu = 64;

    public const int Ok = 0;
    public const int ErrInvalidArgument = 1;
    public const int ErrUnsupportedShape = 2;
    public const int ErrUnknownVariant = 3;
    public const int ErrAbiMismatch = 4;
    public const int ErrDevice = 5;
    public const int ErrInternal = 6;
    public const int ErrWorkspace = 7;

    public const int DeviceCpu = 0;
    public const int DeviceCuda = 1;

    public const int DtypeF32 = 0;
    public const int DtypeF16 = 1;

    public const int SemanticsHuggingFace = 1;
    public const int SemanticsSouffle = 2;

    public const int LayoutOutIn = 0;
    public const int LayoutInOut = 1;

    public const int VariantAsync = 1;
    public const int VariantNondeterministic = 2;
    public const int VariantTestOnly = 4;

    public const int RunAsync = 1;

    public const int KindDtype = 0;
    public const int KindFp32 = 1;

    public const int DimB = 1;
    public const int DimS = 2;
    public const int DimH = 4;
    public const int DimD = 8;
    public const int DimF = 16;
    public const int DimM = DimH | DimD;

    public const int RoundNearestEven = 0;
    public const int RoundTowardZero = 1;
}
