namespace Harness.Model;

/// <summary>
/// Element counts of one layer's tensors for a shape, taken in floating point so that no shape, however large, wraps
/// around: a shape whose largest tensor cannot be one .NET array is refused before anything is allocated.
/// </summary>
public static class LayerFootprint
{
    /// <summary>Null when every tensor of <paramref name="shape"/> fits one array, else one line saying why not.</summary>
    public static string? TooLarge(LayerShape shape)
    {
        var largest = Tensors(shape).Max();
        return largest > Array.MaxLength
            ? $"{shape} is too large: a tensor of {largest:G4} elements does not fit in memory as one array (at most {Array.MaxLength:N0})"
            : null;
    }

    /// <summary>Elements of every canonical tensor of the layer plus its weights.</summary>
    public static double Elements(LayerShape shape) => Tensors(shape).Sum();

    private static IEnumerable<double> Tensors(LayerShape s)
    {
        var model = (double)s.Heads * s.HeadSize;
        yield return model * model * 4;
        yield return model * s.Intermediate * 2;
        foreach (var name in TensorNames.DataflowOrder)
        {
            // ShapeOf's dimensions are 64-bit products of two ints; their product is taken in double.
            yield return TensorNames.ShapeOf(name, s).Aggregate(1.0, (product, dimension) => product * dimension);
        }
    }
}
