namespace Harness.Comparison;

/// <summary>Row-major index arithmetic.</summary>
public static class TensorIndex
{
    /// <summary>The multi-index of flat position <paramref name="flat"/> in a row-major tensor of <paramref name="shape"/>.</summary>
    public static long[] Unflatten(long flat, IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }

        if (flat < 0 || flat >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(flat), flat, $"flat index outside a tensor of shape [{string.Join(", ", shape)}]");
        }

        var index = new long[shape.Count];
        for (var axis = shape.Count - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }

        return index;
    }

    /// <summary>Flat position <paramref name="flat"/> written as its multi-index, "[i, j, k]".</summary>
    public static string Text(long flat, IReadOnlyList<long> shape) => $"[{string.Join(", ", Unflatten(flat, shape))}]";
}
