using System.Runtime.CompilerServices;
using Harness.Model;

namespace Harness.Comparison;

/// <summary>The single sweep over a same-shaped pair that gathers every elementwise metric at once.</summary>
/// <param name="ulpFloor">
/// Where ULPs start to count: <see cref="UlpRelativeFloor"/> of the truth's largest finite magnitude, which the
/// caller has from the truth's statistics (a sweep of its own here cost a tenth as much again as this one, by a
/// profile).
/// </param>
internal struct ElementwisePass(HostTensor actual, HostTensor expected, Tolerance tolerance, double ulpFloor)
{
    public long FinitePairs;
    public long NonFinitePairs;
    public long MismatchCount;
    public long WorstFlat = -1;
    public double MaxAbs;
    public double MaxRel;
    public long MaxUlpFp16;
    public long MaxUlpFp32;
    public double MinimalAtol;
    public double MinimalRtol;
    public CompensatedSum SumAbs;
    public CompensatedSum SumSquaredError;
    public CompensatedSum SumExpectedSquares;
    public CompensatedSum SumActualSquares;
    public CompensatedSum SumProducts;

    // Blocks small enough to stay in the first-level cache: the sweep below takes every metric but the fp16 ULPs, then
    // those are taken over the same block four at a time (Ulp.MaxDistanceFp16).
    private const int BlockSize = 1024;

    // Optimised at once: it runs once per pair of tensors, so tiering would leave most of each sweep to unoptimised code
    // or an on-stack replacement.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run()
    {
        var a = actual.Data;
        var e = expected.Data;
        var atol = tolerance.Atol;
        var rtol = tolerance.Rtol;
        var relativeFloor = Ulp.SmallestNormal(actual.Dtype);
        var measureFp32 = actual.Dtype == ElementType.Float32;
        long worstFinite = -1, firstNonFinite = -1;

        for (var start = 0; start < a.Length; start += BlockSize)
        {
            var end = Math.Min(start + BlockSize, a.Length);
            for (var i = start; i < end; i++)
            {
                var x = a[i];
                var y = e[i];
                if (!double.IsFinite(x) || !double.IsFinite(y))
                {
                    NonFinitePairs++;
                    MismatchCount++;
                    if (firstNonFinite < 0)
                    {
                        firstNonFinite = i;
                    }

                    continue;
                }

                FinitePairs++;
                var d = x - y;
                var absError = Math.Abs(d);
                var magnitude = Math.Abs(y);
                if (!(absError <= atol + (rtol * magnitude)))
                {
                    MismatchCount++;
                }

                if (worstFinite < 0 || absError > MaxAbs)
                {
                    MaxAbs = absError;
                    worstFinite = i;
                }

                if (magnitude >= relativeFloor)
                {
                    MaxRel = Math.Max(MaxRel, absError / magnitude);
                }

                SumAbs.Add(absError);
                SumSquaredError.Add(d * d);
                SumExpectedSquares.Add(y * y);
                SumActualSquares.Add(x * x);
                SumProducts.Add(x * y);

                // Equal values are 0 ULPs apart; skipping them spares two fp32 conversions per exact element.
                if (measureFp32 && d != 0 && magnitude >= ulpFloor)
                {
                    MaxUlpFp32 = Math.Max(MaxUlpFp32, Ulp.DistanceFp32(x, y));
                }

                // Only an element the running minimum fails can raise it (see MinimalTolerance for why that is enough).
                if (!(absError <= MinimalAtol + (rtol * magnitude)))
                {
                    MinimalAtol = MinimalTolerance.Atol(absError, magnitude, rtol);
                }

                if (!(absError <= MinimalRtol * magnitude))
                {
                    MinimalRtol = magnitude == 0 ? double.PositiveInfinity : MinimalTolerance.Rtol(absError, magnitude);
                }
            }

            MaxUlpFp16 = Math.Max(MaxUlpFp16, Ulp.MaxDistanceFp16(a.AsSpan(start, end - start), e.AsSpan(start, end - start), ulpFloor));
        }

        WorstFlat = firstNonFinite >= 0 ? firstNonFinite : worstFinite;
    }

    /// <summary>
    /// ULPs are counted where the truth is at least 2^-10 of the tensor's largest finite magnitude: nearer zero the
    /// grid of representable values is so fine that a harmless absolute error is millions of ULPs (and a sign change
    /// across zero more), which said nothing about the tensor.
    /// </summary>
    public const double UlpRelativeFloor = 1.0 / 1024;
}
