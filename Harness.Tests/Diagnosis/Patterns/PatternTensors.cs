using Harness.Diagnosis.Patterns;

namespace Harness.Tests.Diagnosis.Patterns;

/// <summary>Builds expected/actual pairs whose mismatches sit exactly where a test says, by multi-index.</summary>
internal static class PatternTensors
{
    public const double Offset = 0.5;

    /// <summary>Small enough to run fast, with 40 tokens so that row tiles and periods have room to show.</summary>
    public static readonly LayerShape Small = new(1, 40, 3, 4, 10);

    /// <summary>A deterministic tensor of the canonical shape of <paramref name="name"/> and a copy moved by <see cref="Offset"/> where <paramref name="wrong"/> holds.</summary>
    public static (HostTensor Actual, HostTensor Expected) Pair(string name, LayerShape shape, Func<long[], bool> wrong)
    {
        var dims = TensorNames.ShapeOf(name, shape);
        var count = dims.Aggregate(1L, (a, d) => a * d);
        var expected = new double[count];
        var actual = new double[count];
        var index = new long[dims.Length];
        for (long i = 0; i < count; i++)
        {
            var rest = i;
            for (var k = dims.Length - 1; k >= 0; k--)
            {
                index[k] = rest % dims[k];
                rest /= dims[k];
            }

            expected[i] = Math.Sin(i * 0.37);
            actual[i] = expected[i] + (wrong(index) ? Offset : 0);
        }

        return (new HostTensor(dims, actual, ElementType.Float32), new HostTensor(dims, expected, ElementType.Float32));
    }

    /// <summary>The pattern of a <see cref="Pair"/> whose mismatches sit where <paramref name="wrong"/> holds.</summary>
    public static ErrorPattern Analyze(string name, LayerShape shape, Func<long[], bool> wrong, IReadOnlySet<int>? paddingKeyPositions = null)
    {
        var (actual, expected) = Pair(name, shape, wrong);
        return ErrorPatternAnalyzer.Analyze(name, shape, actual, expected, Mismatch, paddingKeyPositions);
    }

    public static bool Mismatch(double actual, double expected) => Math.Abs(actual - expected) > 1e-3;
}
