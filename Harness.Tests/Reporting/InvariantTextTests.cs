using Harness.Diagnosis.Invariants;
using Harness.Reporting;

namespace Harness.Tests.Reporting;

/// <summary>Golden lines of invariant details built by hand, so a changed wording fails here.</summary>
public sealed class InvariantTextTests
{
    [Test]
    public void Detail_FailedRowSums_NamesCountWorstRowDeviationAndTolerance()
    {
        var detail = new DeviationsChecked(1, 21, "rows", new RowSum(new RowPosition(0, 1, 5), 1.0625), "|Σp − 1|", 0.0625, 0.00195);

        InvariantText.Detail(detail).Should().Be("1 of 21 rows fail; worst: row (b=0, h=1, s=5) sums to 1.0625, |Σp − 1| = 0.0625 (tolerance 0.00195)");
    }

    [Test]
    public void Detail_PassingSums_NamesTheResidualSquaredSum()
    {
        var detail = new DeviationsChecked(0, 7, "rows", new SumMismatch(new RowPosition(1, null, 2), "ffn.ln_sumsq", 12.5, "ffn.fc2", "attn.output", 12.4999, Squares: true), "|Σx² − recomputed|", 1e-4, 0.01);

        InvariantText.Detail(detail).Should().Be("7 rows pass; worst: row (b=1, s=2): ffn.ln_sumsq = 12.5 but Σ(ffn.fc2 + attn.output)² = 12.4999, |Σx² − recomputed| = 0.0001 (tolerance 0.01)");
    }

    [Test]
    public void Detail_Float16ValueBeyondRange_NamesIndexValueAndRange()
    {
        InvariantText.Detail(new ValuesChecked("output", 1, 210, [0, 1, 2], 70000, 70000, 65504))
            .Should().Be("1 of 210 values fail; first output[0, 1, 2] = 70000 (fp16 range ±65504)");
    }

    [TestCase(new[] { 6 }, "gamma is 0 at channel 6: the normalised row cannot be recovered there")]
    [TestCase(new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8 }, "gamma is 0 at channels 0, 1, 2, 3, 4, 5, 6, 7, …: the normalised row cannot be recovered there")]
    public void Detail_ZeroGamma_NamesAtMostEightChannels(int[] channels, string expected)
    {
        InvariantText.Detail(new ZeroGamma(channels)).Should().Be(expected);
    }

    [Test]
    public void Detail_WhyNotApplicable_OneLineEach()
    {
        new[]
        {
            InvariantText.Detail(new TensorsNotGiven(["attn.q", "attn.k"])),
            InvariantText.Detail(new PairNotGiven("attn.dense", "input", InputUnknown: true)),
            InvariantText.Detail(new ActivationNotRelu(null)),
            InvariantText.Detail(new NoLayerNormAffine("output")),
        }.Should().Equal(
            "attn.q, attn.k not given",
            "attn.dense and input not both given, so x is unknown",
            "the context names no activation",
            "the context gives no gamma/beta for the LayerNorm producing output");
    }
}
