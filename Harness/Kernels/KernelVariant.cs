using Harness.Model;
using Harness.Native;

namespace Harness.Kernels;

public enum KernelDevice
{
    Cpu,
    Cuda,
}

public enum WeightLayout
{
    /// <summary>nn.Linear order, weight[out][in].</summary>
    OutIn,

    /// <summary>Souffle order, weight[in][out].</summary>
    InOut,
}

/// <summary>A kernel variant as a native library describes it (bk_variant_info), in the harness's words.</summary>
public sealed record KernelVariant(
    string Name,
    string Description,
    string Shapes,
    KernelDevice Device,
    IReadOnlyList<string> Semantics,
    ElementType Dtype,
    WeightLayout Layout,
    int DefaultAccumulationGroup,
    IReadOnlyList<string> Outputs,
    KernelLibrary Library,
    bool IsExternal,
    VariantProperties Flags,
    ShapeLimits Limits)
{
    /// <summary>The ABI of the library the variant lives in (1: synchronous only, no workspace).</summary>
    public int Abi => Library.AbiVersion;

    /// <summary>Whether a run may be enqueued asynchronously (BK_RUN_ASYNC): an ABI 2 variant flagged Async.</summary>
    public bool SupportsAsync => Abi >= 2 && Flags.HasFlag(VariantProperties.Async);

    public bool IsTestOnly => Flags.HasFlag(VariantProperties.TestOnly);

    /// <summary>Null when the variant runs <paramref name="shape"/>, else one line naming the dimension, value and limit.</summary>
    public string? CheckShape(LayerShape shape) =>
        Limits.Check(shape) is { } reason ? $"variant '{Name}' does not run {shape}: {reason}" : null;

    /// <summary>Throws <see cref="UnsupportedShapeException"/> with <see cref="CheckShape"/>'s line when the variant does not run <paramref name="shape"/>.</summary>
    public void EnsureRuns(LayerShape shape)
    {
        if (CheckShape(shape) is { } refusal)
        {
            throw new UnsupportedShapeException(refusal);
        }
    }

    /// <summary>The semantics preset to compare with when the caller names none: the variant's only one, else Hugging Face.</summary>
    public string DefaultSemantics => Semantics.Count == 1 ? Semantics[0] : LayerSemantics.HuggingFace.Name;

    /// <summary>The semantics the variant runs when <paramref name="requested"/> is asked for: that one if it can, else its default.</summary>
    public string SemanticsFor(string requested) => Supports(requested) ? requested : DefaultSemantics;

    public bool Supports(string semantics) => Semantics.Contains(semantics);

    internal static KernelVariant FromNative(BkVariantInfo info, KernelLibrary library, bool isExternal)
    {
        var name = ReadString(info.Name, "name");
        var semantics = new List<string>();
        if ((info.Semantics & BkConstants.SemanticsHuggingFace) != 0)
        {
            semantics.Add(LayerSemantics.HuggingFace.Name);
        }

        if ((info.Semantics & BkConstants.SemanticsSouffle) != 0)
        {
            semantics.Add(LayerSemantics.Souffle.Name);
        }

        var outputs = new List<string>();
        for (var i = 0; i < BkConstants.TensorCount; i++)
        {
            if ((info.Outputs & (1UL << i)) != 0)
            {
                outputs.Add(TensorNames.Produced[i]);
            }
        }

        return new KernelVariant(
            name,
            ReadString(info.Description, "description"),
            ReadString(info.Shapes, "shapes"),
            info.Device switch
            {
                BkConstants.DeviceCpu => KernelDevice.Cpu,
                BkConstants.DeviceCuda => KernelDevice.Cuda,
                _ => throw new KernelInternalException(BkConstants.ErrInternal, $"variant '{name}' declares unknown device {info.Device}"),
            },
            semantics,
            info.Dtype switch
            {
                BkConstants.DtypeF32 => ElementType.Float32,
                BkConstants.DtypeF16 => ElementType.Float16,
                _ => throw new KernelInternalException(BkConstants.ErrInternal, $"variant '{name}' declares unknown dtype {info.Dtype}"),
            },
            info.WeightLayout == BkConstants.LayoutInOut ? WeightLayout.InOut : WeightLayout.OutIn,
            info.DefaultAccumulationGroup,
            outputs,
            library,
            isExternal,
            (VariantProperties)info.Flags,
            ShapeLimits.FromNative(info.Limits));
    }

    private static string ReadString(nint p, string field) =>
        System.Runtime.InteropServices.Marshal.PtrToStringUTF8(p)
        ?? throw new KernelInternalException(BkConstants.ErrInternal, $"a variant's {field} is null");
}
