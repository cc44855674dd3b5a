using Harness.Model;

namespace Harness.Scenarios;

/// <summary>Builds tensors from a <see cref="ValueSource"/>, at full precision (Float64): consumers round to their own dtype.</summary>
internal static class ValueSourceTensors
{
    /// <summary>
    /// A tensor of <paramref name="shape"/>; random values use their own stream named <paramref name="stream"/>, and pattern
    /// rows are every index but the last flattened (row-major), columns the last index.
    /// </summary>
    public static HostTensor Create(ValueSource source, long[] shape, string stream)
    {
        var count = shape.Aggregate(1L, (a, d) => a * d);
        var data = new double[count];
        switch (source)
        {
            case ConstantValues c:
                Array.Fill(data, c.Value);
                break;
            case RandomValues r:
                var rng = SplitMix64.ForStream(r.Seed, stream);
                for (var i = 0; i < data.Length; i++)
                {
                    data[i] = rng.NextNormal(0, r.Std);
                }

                break;
            case PatternValues p:
                var columns = shape.Length == 0 ? 1 : shape[^1];
                for (long i = 0; i < data.LongLength; i++)
                {
                    data[i] = p.Pattern.At(i / columns, i % columns);
                }

                break;
            default:
                throw new ArgumentException($"{source} does not generate values by itself", nameof(source));
        }

        return new HostTensor((long[])shape.Clone(), data, ElementType.Float64);
    }

    public static string Describe(ValueSource source) => source switch
    {
        ConstantValues c => $":= {Format(c.Value)}",
        RandomValues r => $":= N(0, {Format(r.Std)}²) seed {r.Seed}",
        PatternValues p => $":= pattern {p.Pattern}",
        CheckpointValues => "from the checkpoint",
        _ => source.ToString(),
    };

    public static string Format(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
