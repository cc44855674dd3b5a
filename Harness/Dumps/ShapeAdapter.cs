using Harness.Model;
using static Harness.Model.TensorNames;

namespace Harness.Dumps;

/// <summary>How a dumped tensor's layout relates to its canonical one.</summary>
/// <param name="Description">E.g. "[S, M] (no batch dimension)".</param>
/// <param name="ToCanonical">Its values in canonical order.</param>
/// <param name="FromCanonical">A canonical tensor's values in the dump's order (to compare a log's first values).</param>
public sealed record ShapeAdaptation(string Description, Func<HostTensor, HostTensor> ToCanonical, Func<HostTensor, HostTensor> FromCanonical);

/// <summary>
/// Accepts the canonical shape (docs/SEMANTICS.md) and the common alternatives: no batch dimension when B = 1 ([S,M],
/// [H,S,D], [H,S,S], [3,H,S,D]), batch and rows flattened ([B·S,M], [B·H,S,S]), and Q/K/V before the head split
/// ([B,S,M] or [S,M], as nn.Linear returns them). Anything else is an explicit error listing what was accepted.
/// </summary>
public static class ShapeAdapter
{
    public static ShapeAdaptation For(string name, IReadOnlyList<long> shape, LayerShape layer, string source)
    {
        var candidates = Candidates(name, layer).ToList();
        foreach (var (accepted, adaptation) in candidates)
        {
            if (shape.SequenceEqual(accepted))
            {
                return adaptation;
            }
        }

        throw new DumpFormatException(
            $"{source}: {name} has shape {Text(shape)}; for {layer} it must be {string.Join(" or ", candidates.Select(c => c.Adaptation.Description))}");
    }

    private static IEnumerable<(long[] Shape, ShapeAdaptation Adaptation)> Candidates(string name, LayerShape s)
    {
        var canonical = ShapeOf(name, s);
        yield return (canonical, new ShapeAdaptation($"{Text(canonical)} (canonical)", t => t, t => t));
        if (canonical.Length == 3 || (canonical.Length == 4 && name != AttnQkv))
        {
            var flattened = canonical[1..].ToArray();
            flattened[0] *= canonical[0];
            var what = s.Batch == 1 ? "no batch dimension" : "batch flattened into the rows";
            yield return (flattened, Reshape(flattened, canonical, what));
        }

        if (name is AttnQ or AttnK or AttnV)
        {
            long[] unsplit = [s.Batch, s.Sequence, s.Model];
            yield return (unsplit, HeadsUnsplit(unsplit, s, "before the head split"));
            if (s.Batch == 1)
            {
                long[] rows = [s.Sequence, s.Model];
                yield return (rows, HeadsUnsplit(rows, s, "before the head split, no batch dimension"));
            }
        }
    }

    private static ShapeAdaptation Reshape(long[] shape, long[] canonical, string what) => new(
        $"{Text(shape)} ({what})",
        t => new HostTensor((long[])canonical.Clone(), t.Data, t.Dtype),
        t => new HostTensor((long[])shape.Clone(), t.Data, t.Dtype));

    /// <summary>[B,S,H·D] (column = head·D + d) to and from [B,H,S,D].</summary>
    private static ShapeAdaptation HeadsUnsplit(long[] shape, LayerShape s, string what) => new(
        $"{Text(shape)} ({what})",
        t => Permute(t, s, toHeads: true, ShapeOf(AttnQ, s)),
        t => Permute(t, s, toHeads: false, shape));

    private static HostTensor Permute(HostTensor t, LayerShape s, bool toHeads, long[] resultShape)
    {
        var result = new double[t.Data.Length];
        for (var b = 0; b < s.Batch; b++)
        {
            for (var h = 0; h < s.Heads; h++)
            {
                for (var q = 0; q < s.Sequence; q++)
                {
                    for (var d = 0; d < s.HeadSize; d++)
                    {
                        var heads = (((((long)b * s.Heads) + h) * s.Sequence) + q) * s.HeadSize + d;
                        var rows = (((long)b * s.Sequence) + q) * s.Model + (h * s.HeadSize) + d;
                        if (toHeads)
                        {
                            result[heads] = t.Data[rows];
                        }
                        else
                        {
                            result[rows] = t.Data[heads];
                        }
                    }
                }
            }
        }

        return new HostTensor((long[])resultShape.Clone(), result, t.Dtype);
    }

    private static string Text(IReadOnlyList<long> shape) => $"[{string.Join(", ", shape)}]";
}
