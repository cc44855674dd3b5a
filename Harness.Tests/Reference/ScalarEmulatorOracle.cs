
namespace Harness.Tests.Reference;

/// <summary>
/// The fp16 accumulation model written as plainly as possible, one element at a time, as the oracle for
/// <see cref="Harness.Reference.AccumulationEmulator"/>: group sums in float64 in reduction order, the fp16 rounding
/// through .NET's <see cref="Half"/> conversion (correctly rounded, ties to even) rather than through the code under test.
/// </summary>
internal static class ScalarEmulatorOracle
{
    /// <summary>[rows, depth]·[depth, columns], row-major.</summary>
    public static double[] Matmul(double[] a, double[] b, int rows, int depth, int columns, int groupSize, AccumulationRounding rounding)
    {
        var c = new double[rows * columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var acc = 0.0;
                for (var start = 0; start < depth; start += groupSize)
                {
                    var sum = 0.0;
                    for (var k = start; k < Math.Min(start + groupSize, depth); k++)
                    {
                        sum += a[(i * depth) + k] * b[(k * columns) + j];
                    }

                    acc = ToHalf(acc + sum, rounding);
                }

                c[(i * columns) + j] = acc;
            }
        }

        return c;
    }

    /// <summary>x rounded to fp16: nearest-even by the cast; toward zero by stepping back one fp16 when the cast went outward.</summary>
    public static double ToHalf(double x, AccumulationRounding rounding)
    {
        var h = (Half)x;
        if (rounding == AccumulationRounding.TowardZero && Math.Abs((double)h) > Math.Abs(x))
        {
            // Past 65520 the cast gives ±inf and one step back is ±65504: toward zero saturates.
            h = x > 0 ? Half.BitDecrement(h) : Half.BitIncrement(h);
        }

        return (double)h;
    }
}
