using Harness.Model;

namespace Harness.Benchmarking;

/// <summary>The B × S grid a bench sweeps, and the part of it a variant's limits admit.</summary>
public static class BenchShapes
{
    /// <summary>Every (B, S) of the lists, B outer, S inner, duplicates dropped; H, D and F from <paramref name="template"/>.</summary>
    public static IReadOnlyList<LayerShape> Grid(LayerShape template, IEnumerable<int> batches, IEnumerable<int> sequences) =>
        batches.Distinct()
            .SelectMany(b => sequences.Distinct().Select(s => template with { Batch = b, Sequence = s }))
            .ToList();

    /// <summary>Splits the grid by <paramref name="check"/> (null = admitted, else the refusal): admitted shapes in grid order, and the refused ones with their reasons.</summary>
    public static (IReadOnlyList<LayerShape> Admitted, IReadOnlyList<(LayerShape Shape, string Reason)> Refused) Within(
        IReadOnlyList<LayerShape> grid, Func<LayerShape, string?> check)
    {
        var admitted = new List<LayerShape>();
        var refused = new List<(LayerShape, string)>();
        foreach (var shape in grid)
        {
            if (check(shape) is { } reason)
            {
                refused.Add((shape, reason));
            }
            else
            {
                admitted.Add(shape);
            }
        }

        return (admitted, refused);
    }
}
