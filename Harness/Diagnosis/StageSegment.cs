using Harness.Comparison;
using Harness.Diagnosis.Hypotheses;
using Harness.Model;
using Harness.Reference;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis;

/// <summary>A stage folded into a segment, and the tensors of it the segment needed that the kernel did not write.</summary>
public sealed record FoldedStage(StageInfo Stage, IReadOnlyList<string> Unwritten);

/// <summary>
/// A stage together with the unwritten stages above it. A tensor the kernel did not write is not known from the
/// kernel, so it is recomputed from its producer's inputs (recursively, up to tensors the kernel wrote or the layer
/// input) rather than taken from the truth: the segment is judged as one piece, and the error it introduces is the
/// whole segment's.
/// </summary>
/// <param name="Stage">The stage whose written outputs are judged; the last of <see cref="Stages"/>.</param>
/// <param name="Folded">The stages recomputed above it, in dataflow order; empty when the kernel wrote all it reads.</param>
public sealed record StageSegment(StageInfo Stage, IReadOnlyList<FoldedStage> Folded)
{
    /// <summary>Every stage of the segment in dataflow order, <see cref="Stage"/> last.</summary>
    public IReadOnlyList<StageInfo> Stages => [.. Folded.Select(f => f.Stage), Stage];

    public bool IsFolded => Folded.Count > 0;

    /// <summary>The segment of <paramref name="stage"/> for this verification's kernel.</summary>
    public static StageSegment Of(LayerVerification verification, StageInfo stage)
    {
        ArgumentNullException.ThrowIfNull(verification);
        ArgumentNullException.ThrowIfNull(stage);
        var unwritten = new Dictionary<StageInfo, List<string>>();
        Fold(verification, stage, unwritten);
        var folded = unwritten
            .OrderBy(p => StageIndex(p.Key))
            .Select(p => new FoldedStage(p.Key, p.Value.OrderBy(OrderOf).ToList()))
            .ToList();
        return new StageSegment(stage, folded);
    }

    /// <summary>
    /// The tensors the segment reads from outside itself, as the kernel saw them: the kernel's own (attn.q, attn.k,
    /// attn.v sliced from its attn.qkv where it wrote only that), and the layer input.
    /// </summary>
    public Dictionary<string, HostTensor> KernelUpstream(LayerVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        var upstream = new Dictionary<string, HostTensor>();

        // Invariant: every tensor a stage of the segment consumes is either known from the kernel or produced by a folded stage.
        foreach (var name in Stages.SelectMany(s => s.Consumes).Where(n => IsKnown(verification, n)))
        {
            upstream[name] = Known(verification, name);
        }

        return upstream;
    }

    /// <summary>
    /// Recomputes every stage of the segment in <paramref name="dtype"/> from <see cref="KernelUpstream"/>: each stage
    /// with the alternative <paramref name="alternativeAt"/> gives for it, or with the verification's reference
    /// semantics and weights where it gives none. Leading folded stages whose <see cref="Intermediates"/> are all in
    /// <paramref name="known"/> are not rerun (a caller passes intermediates it computed the same way).
    /// </summary>
    /// <param name="wanted">The products the caller reads (null: all); the others are not copied to the host, except what a later stage of the segment reads.</param>
    /// <returns>The products of every stage of the segment (of a stage not rerun, its intermediates), or those wanted and the intermediates.</returns>
    internal Dictionary<string, HostTensor> Recompute(
        LayerVerification v,
        Func<StageInfo, StageAlternative?> alternativeAt,
        ElementType dtype,
        IReadOnlyDictionary<string, HostTensor>? known = null,
        IReadOnlyCollection<string>? wanted = null)
    {
        using var products = Recompute(v, alternativeAt, dtype, known, wanted, judged: []);
        return new Dictionary<string, HostTensor>(products.Host);
    }

    /// <summary>
    /// <see cref="Recompute(LayerVerification, Func{StageInfo, StageAlternative?}, ElementType, IReadOnlyDictionary{string, HostTensor}?, IReadOnlyCollection{string}?)"/>
    /// in float64 for products that are only judged: those of <paramref name="judged"/> stay in libtorch's memory
    /// (<see cref="RerunProducts.ValuesOf"/>), the intermediates are copied to the host. The caller disposes the result.
    /// </summary>
    internal RerunProducts RecomputeJudged(
        LayerVerification v,
        Func<StageInfo, StageAlternative?> alternativeAt,
        IReadOnlyCollection<string> judged,
        IReadOnlyDictionary<string, HostTensor>? known = null) =>
        Recompute(v, alternativeAt, ElementType.Float64, known, judged, judged);

    /// <param name="judged">Wanted products held in libtorch's memory rather than copied, unless a later stage reads them or the alternative restores them on the host.</param>
    private RerunProducts Recompute(
        LayerVerification v,
        Func<StageInfo, StageAlternative?> alternativeAt,
        ElementType dtype,
        IReadOnlyDictionary<string, HostTensor>? known,
        IReadOnlyCollection<string>? wanted,
        IReadOnlyCollection<string> judged)
    {
        var upstream = KernelUpstream(v);
        var products = new RerunProducts();
        try
        {
            var rerun = false;
            var stages = Stages;
            for (var index = 0; index < stages.Count; index++)
            {
                var stage = stages[index];
                var later = stages.Skip(index + 1).ToList();
                var needed = Folded.FirstOrDefault(f => f.Stage == stage)?.Unwritten ?? [];
                if (!rerun && stage != Stage && known is not null && needed.All(known.ContainsKey))
                {
                    foreach (var name in needed)
                    {
                        products.Add(name, known[name]);
                    }

                    continue;
                }

                rerun = true;
                var alternative = alternativeAt(stage);
                var inputs = new Dictionary<string, HostTensor>();
                foreach (var name in stage.Consumes)
                {
                    // Invariant: kernel-written upstream is used as is; only what the kernel did not write comes from the
                    // segment (always on the host: a product a later stage reads is never held).
                    var t = upstream.TryGetValue(name, out var own) ? own : products.Host[name];
                    inputs[name] = alternative?.Upstream is { } feed ? feed(name, t) : t;
                }

                bool ReadLater(string name) => later.Any(s => s.Consumes.Contains(name));
                var store = alternative?.Output;
                using var produced = StageRecomputer.Run(
                    stage, inputs, alternative?.Semantics ?? v.ReferenceSemantics, alternative?.Weights ?? v.Setup.Weights,
                    v.Shape, v.Setup.Inputs.AttentionMask, dtype, v.Setup.ReferenceDevice,
                    name => wanted is null || wanted.Contains(name) || ReadLater(name),
                    name => store is null && judged.Contains(name) && !ReadLater(name));
                foreach (var (name, t) in produced.Host)
                {
                    products.Add(name, store is null ? t : store(name, t));
                }

                products.TakeHeld(produced);
            }

            return products;
        }
        catch
        {
            products.Dispose();
            throw;
        }
    }

    /// <summary>The folded stages' products that later stages of the segment read (what the kernel did not write), taken from <paramref name="products"/>.</summary>
    internal Dictionary<string, HostTensor> Intermediates(IReadOnlyDictionary<string, HostTensor> products) =>
        Folded.SelectMany(f => f.Unwritten).ToDictionary(n => n, n => products[n]);

    /// <summary>The position in <see cref="Stages"/> of the stage producing <paramref name="tensor"/>.</summary>
    internal int ProducerIndex(string tensor) => Stages.ToList().FindIndex(s => s.Produces.Contains(tensor));

    internal int IndexOf(StageInfo stage) => Stages.ToList().IndexOf(stage);

    private static void Fold(LayerVerification v, StageInfo stage, Dictionary<StageInfo, List<string>> unwritten)
    {
        foreach (var name in stage.Consumes.Where(n => !IsKnown(v, n)))
        {
            var producer = StageCatalog.ProducerOf(name);
            if (!unwritten.TryGetValue(producer, out var names))
            {
                names = [];
                unwritten[producer] = names;
                Fold(v, producer, unwritten);
            }

            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }
    }

    private static bool IsKnown(LayerVerification v, string name) =>
        name == Input || v.Kernel.ContainsKey(name) || (name is AttnQ or AttnK or AttnV && v.Kernel.ContainsKey(AttnQkv));

    private static HostTensor Known(LayerVerification v, string name)
    {
        if (name == Input)
        {
            return v.Truth[Input];
        }

        return v.Kernel.TryGetValue(name, out var own) ? own : SliceOfQkv(v.Kernel[AttnQkv], name, v.Shape);
    }

    private static int StageIndex(StageInfo stage) => StageCatalog.Stages.ToList().IndexOf(stage);

    /// <summary>attn.q, attn.k or attn.v [B,H,S,D] from a stacked attn.qkv [3,B·H,S,D].</summary>
    private static HostTensor SliceOfQkv(HostTensor qkv, string name, LayerShape s)
    {
        var part = name switch { AttnQ => 0, AttnK => 1, _ => 2 };
        var length = (long)s.Batch * s.Heads * s.Sequence * s.HeadSize;
        var data = new double[length];
        Array.Copy(qkv.Data, part * length, data, 0, length);
        return new HostTensor(ShapeOf(name, s), data, qkv.Dtype);
    }
}
