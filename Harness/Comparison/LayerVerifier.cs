using Harness.Kernels;
using Harness.Model;
using Harness.Reference;

namespace Harness.Comparison;

/// <summary>
/// Runs a kernel variant and the reference on identical (dtype-rounded) inputs and judges every tensor the kernel
/// writes against the float64 truth with the error budget of <see cref="ErrorBudget"/>.
/// </summary>
public static class LayerVerifier
{
    public static LayerVerification Verify(KernelVariant variant, VerificationSetup setup, IProgress<string>? progress = null) =>
        Run(variant, null, setup, progress);

    /// <summary>
    /// Compares two variants directly: <paramref name="variant"/> is judged against the truth with a budget set by
    /// <paramref name="against"/>'s own error (2·max|against − truth| + 2 steps), so "agrees with" has a number.
    /// </summary>
    public static LayerVerification VerifyAgainst(KernelVariant variant, KernelVariant against, VerificationSetup setup, IProgress<string>? progress = null) =>
        Run(variant, against, setup, progress);

    /// <summary>The reference semantics actually used: the requested one, with the kernel's fp16 accumulation emulated where it applies.</summary>
    /// <remarks>
    /// Souffle's fp16 rounding points (GEMM outputs, exp, residual adds held in half) are properties of fp16 storage:
    /// a kernel that computes the Souffle semantics in float32 has none of them, so they are dropped for it.
    /// </remarks>
    public static LayerSemantics ReferenceSemanticsFor(KernelVariant variant, VerificationSetup setup)
    {
        var semantics = variant.Dtype == ElementType.Float16
            ? setup.Semantics
            : setup.Semantics with { Fp16RoundingPoints = false, ResidualInFp16 = false };
        if (setup.ReferenceAccumulation is { } explicitModel)
        {
            return semantics with { Accumulation = explicitModel };
        }

        var group = EffectiveGroup(variant, setup);
        return semantics.Fp16RoundingPoints && group > 0
            ? semantics with { Accumulation = new AccumulationModel(group, setup.AccumulationRounding) }
            : semantics;
    }

    private static int EffectiveGroup(KernelVariant variant, VerificationSetup setup) =>
        setup.AccumulationGroup > 0 ? setup.AccumulationGroup : variant.DefaultAccumulationGroup;

    private static LayerVerification Run(KernelVariant variant, KernelVariant? against, VerificationSetup setup, IProgress<string>? progress)
    {
        if (against is not null && against.Dtype != variant.Dtype)
        {
            throw new ArgumentException($"--against: '{variant.Name}' works in {variant.Dtype.DumpName()} and '{against.Name}' in {against.Dtype.DumpName()}; compare variants of one dtype");
        }

        var rounded = setup with
        {
            Inputs = setup.Inputs.RoundedTo(variant.Dtype),
            Weights = setup.Weights.RoundedTo(variant.Dtype),
        };
        var kernelSemantics = variant.SemanticsFor(setup.Semantics.Name);
        var referenceSemantics = ReferenceSemanticsFor(variant, rounded);

        progress?.Report($"running {variant.Name} ({kernelSemantics})");
        var kernel = KernelRunner.Run(variant, Request(variant, kernelSemantics, rounded));
        var other = against is null ? null : KernelRunner.Run(against, Request(against, kernelSemantics, rounded));

        progress?.Report($"reference in float64 ({referenceSemantics.Name}, {referenceSemantics.Accumulation})");
        var truth = Trace(rounded, referenceSemantics, ElementType.Float64);
        progress?.Report($"reference in {variant.Dtype.DumpName()}");
        var lowPrecision = Trace(rounded, referenceSemantics, variant.Dtype);
        var excluded = new Dictionary<string, long>(StringComparer.Ordinal);
        var kernelOutputs = kernel.Outputs;
        if (setup.FiniteTruthOnly)
        {
            (kernelOutputs, truth, lowPrecision, excluded) = FiniteTruthMask.Apply(kernel.Outputs, truth, lowPrecision);
        }

        progress?.Report("comparing");
        var verdicts = variant.Outputs.Select(name => ErrorBudget.Judge(
            name,
            kernelOutputs[name],
            truth[name],
            other is not null && other.Outputs.TryGetValue(name, out var o) ? o : lowPrecision[name],
            rounded.Tolerances.GetValueOrDefault(name),
            AccumulatorScales.For(name, truth, variant.Dtype)));

        return new LayerVerification
        {
            Variant = variant.Name,
            AgainstVariant = against?.Name,
            ScenarioName = setup.ScenarioName,
            KernelSemantics = kernelSemantics,
            ReferenceSemantics = referenceSemantics,
            KernelDtype = variant.Dtype,
            Shape = setup.Shape,
            AccumulationGroup = EffectiveGroup(variant, setup),
            Kernel = kernelOutputs,
            NonFiniteTruthExcluded = excluded,
            Truth = truth,
            ReferenceLowPrecision = lowPrecision,
            Comparison = new LayerComparison(verdicts),
            KernelElapsed = kernel.Elapsed,
            Setup = rounded,
        };
    }

    private static KernelRequest Request(KernelVariant variant, string semantics, VerificationSetup s) => new(
        s.Shape,
        s.Inputs,
        s.Weights,
        semantics,
        s.AccumulationGroup,
        s.AccumulationRounding);

    private static Dictionary<string, HostTensor> Trace(VerificationSetup s, LayerSemantics semantics, ElementType dtype)
    {
        using var trace = BertLayerReference.Forward(
            s.Shape, s.Inputs, s.Weights, new ReferenceOptions(semantics, dtype, s.ReferenceDevice, s.ActivationOverrides, s.Shape.Heads));
        return trace.Names.ToDictionary(n => n, trace.ToHost);
    }
}
