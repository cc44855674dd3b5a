using Harness.Model;

namespace Harness.Comparison;

/// <summary>
/// The verdicts of one layer run, in dataflow order (<see cref="TensorNames.OrderOf"/>), so the first failing
/// tensor is where an error entered the layer.
/// </summary>
public sealed class LayerComparison
{
    public LayerComparison(IEnumerable<TensorVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var ordered = new List<(int Order, TensorVerdict Verdict)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var verdict in verdicts)
        {
            ArgumentNullException.ThrowIfNull(verdict, nameof(verdicts));
            if (!seen.Add(verdict.Name))
            {
                throw new ArgumentException($"tensor '{verdict.Name}' was judged twice in one layer comparison", nameof(verdicts));
            }

            ordered.Add((TensorNames.OrderOf(verdict.Name), verdict));
        }

        ordered.Sort((x, y) => x.Order.CompareTo(y.Order));
        Verdicts = ordered.ConvertAll(x => x.Verdict);
        FirstFailing = Verdicts.FirstOrDefault(v => !v.Passed);
    }

    public IReadOnlyList<TensorVerdict> Verdicts { get; }

    /// <summary>The first failing tensor in dataflow order; null when every tensor passed.</summary>
    public TensorVerdict? FirstFailing { get; }

    /// <summary>True when at least one tensor was judged and none failed (an empty comparison proves nothing).</summary>
    public bool Passed => Verdicts.Count > 0 && FirstFailing is null;
}
