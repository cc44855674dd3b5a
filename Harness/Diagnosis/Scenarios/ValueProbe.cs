using Harness.Model;

namespace Harness.Diagnosis.Scenarios;

/// <summary>Exact checks on tensor values (equality in float64, no tolerance: a blind spot exists only when values are truly equal).</summary>
internal static class ValueProbe
{
    public static bool IsConstant(HostTensor t) => t.Count > 0 && t.Data.AsSpan().IndexOfAnyExcept(t.Data[0]) < 0;

    public static bool IsConstant(ReadOnlySpan<double> values) => values.Length > 0 && values.IndexOfAnyExcept(values[0]) < 0;

    public static bool AllEqual(HostTensor t, double value) => t.Count > 0 && t.Data.AsSpan().IndexOfAnyExcept(value) < 0;

    /// <summary>For a [B,S,M] tensor: within each batch row every token row equals the first.</summary>
    public static bool TokenRowsIdentical(HostTensor t, LayerShape shape)
    {
        var m = shape.Model;
        var perBatch = shape.Sequence * m;
        for (var b = 0; b < shape.Batch; b++)
        {
            var first = t.Data.AsSpan(b * perBatch, m);
            for (var s = 1; s < shape.Sequence; s++)
            {
                if (!t.Data.AsSpan((b * perBatch) + (s * m), m).SequenceEqual(first))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>A square matrix equal to its transpose (a constant one included).</summary>
    public static bool IsSymmetric(HostTensor w)
    {
        if (w.Shape.Length != 2 || w.Shape[0] != w.Shape[1])
        {
            return false;
        }

        var n = (int)w.Shape[0];
        for (var r = 0; r < n; r++)
        {
            for (var c = r + 1; c < n; c++)
            {
                if (w.Data[(r * n) + c] != w.Data[(c * n) + r])
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>A vector of length H·D whose D-long head blocks are all equal.</summary>
    public static bool HeadBlocksEqual(ReadOnlySpan<double> v, int heads, int headSize)
    {
        var first = v[..headSize];
        for (var h = 1; h < heads; h++)
        {
            if (!v.Slice(h * headSize, headSize).SequenceEqual(first))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// An nn.Linear weight [M, in] (and its bias) whose output rows repeat every D rows, so every head of the projection
    /// is the same function of the input.
    /// </summary>
    public static bool ProjectionHeadPeriodic(HostTensor weight, HostTensor bias, bool useBias, int heads, int headSize)
    {
        var columns = (int)weight.Shape[1];
        var blockLength = headSize * columns;
        var first = weight.Data.AsSpan(0, blockLength);
        for (var h = 1; h < heads; h++)
        {
            if (!weight.Data.AsSpan(h * blockLength, blockLength).SequenceEqual(first))
            {
                return false;
            }
        }

        return !useBias || HeadBlocksEqual(bias.Data, heads, headSize);
    }

    /// <summary>y = W·x (+ b) for an nn.Linear weight [out, in], in float64.</summary>
    public static double[] Project(HostTensor weight, HostTensor bias, bool useBias, ReadOnlySpan<double> x)
    {
        var rows = (int)weight.Shape[0];
        var columns = (int)weight.Shape[1];
        var y = new double[rows];
        for (var o = 0; o < rows; o++)
        {
            var row = weight.Data.AsSpan(o * columns, columns);
            var sum = useBias ? bias.Data[o] : 0.0;
            for (var i = 0; i < columns; i++)
            {
                sum += row[i] * x[i];
            }

            y[o] = sum;
        }

        return y;
    }
}
