using Harness.Isolation;
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
    public static LayerVerification Verify(KernelVariant variant, VerificationSetup setup, IProgress<string>? progress = null)
    {
        using var pending = Start(variant, null, setup, progress);
        return pending.Complete();
    }

    /// <summary>
    /// As <see cref="Verify(KernelVariant, VerificationSetup, IProgress{string})"/>, handing back the first run judged as
    /// soon as a worker sends its outputs, while it reruns (see <see cref="PendingVerification"/>).
    /// </summary>
    public static PendingVerification Start(KernelVariant variant, VerificationSetup setup, IProgress<string>? progress = null) =>
        Start(variant, null, setup, progress);

    /// <summary>
    /// Compares two variants directly: <paramref name="variant"/> is judged against the truth with a budget set by
    /// <paramref name="against"/>'s own error (2·max|against − truth| + 2 steps), so "agrees with" has a number.
    /// </summary>
    public static LayerVerification VerifyAgainst(KernelVariant variant, KernelVariant against, VerificationSetup setup, IProgress<string>? progress = null)
    {
        using var pending = Start(variant, against, setup, progress);
        return pending.Complete();
    }

    /// <summary>The reference semantics actually used: the requested one, with the kernel's fp16 accumulation emulated where it applies.</summary>
    /// <remarks>
    /// Souffle's fp16 rounding points (GEMM outputs, exp, residual adds held in half) are properties of fp16 storage:
    /// a kernel that computes the Souffle semantics in float32 has none of them, so they are dropped for it.
    /// </remarks>
    public static LayerSemantics ReferenceSemanticsFor(KernelVariant variant, VerificationSetup setup) =>
        ReferenceSemanticsFor(variant.Dtype, variant.DefaultAccumulationGroup, setup);

    /// <summary>As above for a kernel known by its dtype and default fp16 accumulation group (0: none) alone, e.g. a dump.</summary>
    public static LayerSemantics ReferenceSemanticsFor(ElementType kernelDtype, int defaultGroup, VerificationSetup setup)
    {
        var semantics = kernelDtype == ElementType.Float16
            ? setup.Semantics
            : setup.Semantics with { Fp16RoundingPoints = false, ResidualInFp16 = false };
        if (setup.ReferenceAccumulation is { } explicitModel)
        {
            return semantics with { Accumulation = explicitModel };
        }

        var group = setup.AccumulationGroup > 0 ? setup.AccumulationGroup : defaultGroup;
        return semantics.Fp16RoundingPoints && group > 0
            ? semantics with { Accumulation = new AccumulationModel(group, setup.AccumulationRounding) }
            : semantics;
    }

    private static int EffectiveGroup(KernelVariant variant, VerificationSetup setup) =>
        setup.AccumulationGroup > 0 ? setup.AccumulationGroup : variant.DefaultAccumulationGroup;

    private static PendingVerification Start(KernelVariant variant, KernelVariant? against, VerificationSetup setup, IProgress<string>? progress)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(setup);
        if (against is not null && against.Dtype != variant.Dtype)
        {
            throw new ArgumentException($"--against: '{variant.Name}' works in {variant.Dtype.DumpName()} and '{against.Name}' in {against.Dtype.DumpName()}; compare variants of one dtype");
        }

        // Refused by the registry's limits before any copy of the inputs or kernel buffer is made.
        variant.EnsureRuns(setup.Shape);
        against?.EnsureRuns(setup.Shape);

        var rounded = setup with
        {
            Inputs = setup.Inputs.RoundedTo(variant.Dtype),
            Weights = setup.Weights.RoundedTo(variant.Dtype),
        };
        var kernelSemantics = variant.SemanticsFor(setup.Semantics.Name);
        var referenceSemantics = ReferenceSemanticsFor(variant, rounded);

        // The references do not depend on the kernel: they are computed while it runs (in its worker process, when
        // isolated, so truly side by side on another core).
        Task<(Dictionary<string, HostTensor> Truth, Dictionary<string, HostTensor> LowPrecision)>? references = null;
        WorkerKernelRun? worker = null;
        KernelRun? first;
        Func<KernelRun> finish;
        KernelRun? other;
        try
        {
            progress?.Report($"running {variant.Name} ({kernelSemantics})");
            var request = Request(variant, kernelSemantics, rounded);

            // Invariant: an isolated kernel's worker is started before the references. Their first torch call loads
            // libtorch, whose initialisers run under glibc's loader lock (~0.3 s), and this thread's next first-time
            // native calls (the request file's rename, the process start) waited for it: the seed case's worker started
            // that much later, and its first run came 0.45-0.65 s after the references.
            worker = setup.Isolation is { } isolation ? IsolatedKernelRunner.Start(variant, request, setup.Runs, isolation) : null;
            references = Task.Run(() => References(rounded, referenceSemantics, variant.Dtype, progress));
            if (worker is not null)
            {
                // The first run is judged while the worker reruns; --against's variant runs only after it (one kernel at a time).
                first = against is null ? worker.First() : worker.Finish();
                finish = worker.Finish;
            }
            else
            {
                var run = KernelRunner.Run(variant, request, setup.Runs);
                (first, finish) = (run, () => run);
            }

            other = against is null ? null : Execute(against, Request(against, kernelSemantics, rounded), 1, setup);
        }
        catch
        {
            // The kernel's error is the one reported; the references are only waited for, so nothing runs on behind it.
            worker?.Dispose();
            if (references is not null)
            {
                Task.WaitAny(references);
            }

            throw;
        }

        Determinism? DeterminismOf(KernelRun kernel) =>
            kernel.Reruns is { } reruns ? Determinism.Judge(reruns, variant.Flags.HasFlag(VariantProperties.Nondeterministic), setup.Shape) : null;

        LayerVerification Judged(KernelRun kernel) =>
            Judge(new KernelOutputs(variant.Name, variant.Dtype, kernel.Outputs, kernelSemantics, EffectiveGroup(variant, setup)), rounded, referenceSemantics, other?.Outputs, progress, references.GetAwaiter().GetResult()) with
            {
                AgainstVariant = against?.Name,
                ScenarioName = setup.ScenarioName,
                KernelElapsed = kernel.Elapsed,
                Fault = kernel.Fault ?? other?.Fault,
                Determinism = DeterminismOf(kernel),
            };

        var early = first is null ? null : Judged(first);

        // The complete verification is the early one with the reruns' verdict when the worker ended well: the same
        // outputs were judged, against the same references. A worker that faulted while rerunning fails as one that
        // faulted at once: judged again from its poisoned outputs.
        LayerVerification Complete()
        {
            var final = finish();
            if (early is null || final.Fault is not null || !ReferenceEquals(final.Outputs, first!.Outputs))
            {
                return Judged(final);
            }

            return ReferenceEquals(final, first) ? early : early with { KernelElapsed = final.Elapsed, Determinism = DeterminismOf(final) };
        }

        return new PendingVerification(early, Complete, worker);
    }

    /// <summary>One code path for both: in this process, or in a worker when the setup asks for isolation.</summary>
    private static KernelRun Execute(KernelVariant variant, KernelRequest request, int runs, VerificationSetup setup) =>
        setup.Isolation is { } isolation
            ? IsolatedKernelRunner.Run(variant, request, runs, isolation)
            : KernelRunner.Run(variant, request, runs);

    /// <summary>
    /// Judges a kernel known only by its outputs (a dump of its intermediates) exactly as a variant is judged: the
    /// same rounded inputs, the same two references, the same budget, every tensor it holds in dataflow order.
    /// </summary>
    public static LayerVerification Verify(KernelOutputs kernel, VerificationSetup setup, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var rounded = setup with
        {
            Inputs = setup.Inputs.RoundedTo(kernel.Dtype),
            Weights = setup.Weights.RoundedTo(kernel.Dtype),
        };
        var referenceSemantics = ReferenceSemanticsFor(kernel.Dtype, kernel.AccumulationGroup, rounded);
        return Judge(kernel, rounded, referenceSemantics, null, progress, References(rounded, referenceSemantics, kernel.Dtype, progress));
    }

    /// <summary>The float64 truth and the reference in <paramref name="dtype"/> for a rounded setup (what a kernel is judged with).</summary>
    public static (Dictionary<string, HostTensor> Truth, Dictionary<string, HostTensor> LowPrecision) References(VerificationSetup rounded, LayerSemantics referenceSemantics, ElementType dtype, IProgress<string>? progress)
    {
        progress?.Report($"reference in float64 ({referenceSemantics.Name}, {referenceSemantics.Accumulation})");
        var truth = Trace(rounded, referenceSemantics, ElementType.Float64);
        progress?.Report($"reference in {dtype.DumpName()}");
        return (truth, Trace(rounded, referenceSemantics, dtype));
    }

    private static LayerVerification Judge(
        KernelOutputs kernel,
        VerificationSetup rounded,
        LayerSemantics referenceSemantics,
        IReadOnlyDictionary<string, HostTensor>? budgetSetter,
        IProgress<string>? progress,
        (Dictionary<string, HostTensor> Truth, Dictionary<string, HostTensor> LowPrecision) references)
    {
        var (truth, lowPrecision) = references;
        IReadOnlyDictionary<string, HostTensor> kernelOutputs = kernel.Outputs;
        var excluded = new Dictionary<string, long>(StringComparer.Ordinal);
        if (rounded.FiniteTruthOnly)
        {
            (var masked, truth, lowPrecision, excluded) = FiniteTruthMask.Apply(kernel.Outputs, truth, lowPrecision);
            kernelOutputs = masked;
        }

        progress?.Report("comparing");
        // Each tensor is judged on its own, so in parallel (in the kernel's order in the result).
        var verdicts = kernelOutputs.Keys.Where(n => n != TensorNames.Input).AsParallel().AsOrdered().Select(name => ErrorBudget.Judge(
            name,
            kernelOutputs[name],
            truth[name],
            budgetSetter is not null && budgetSetter.TryGetValue(name, out var o) ? o : lowPrecision[name],
            rounded.Tolerances.GetValueOrDefault(name),
            AccumulatorScales.For(name, truth, kernel.Dtype))).ToList();

        return new LayerVerification
        {
            Variant = kernel.Name,
            ScenarioName = rounded.ScenarioName,
            KernelSemantics = kernel.Semantics,
            ReferenceSemantics = referenceSemantics,
            KernelDtype = kernel.Dtype,
            Shape = rounded.Shape,
            AccumulationGroup = kernel.AccumulationGroup,
            Kernel = kernelOutputs,
            NonFiniteTruthExcluded = excluded,
            Truth = truth,
            ReferenceLowPrecision = lowPrecision,
            Comparison = new LayerComparison(verdicts),
            KernelElapsed = null,
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
        return LayerTrace.Names.ToDictionary(n => n, trace.ToHost);
    }
}
