using Harness.Kernels;
using Harness.Native;

namespace Harness.Tests.Kernels;

/// <summary>The library's tensor table (bert_kernels.h) against TensorNames: names in order, kinds and shape formulas.</summary>
public sealed class TensorTableCheckTests
{
    private static IReadOnlyList<TensorTableRow> BuiltInTable() => KernelLibrary.BuiltIn().TensorTable();

    [Test]
    public void Mismatch_BuiltInLibrary_IsNone()
    {
        var rows = BuiltInTable();

        rows.Select(r => r.Name).Should().Equal(TensorNames.Produced);
        TensorTableCheck.Mismatch(rows).Should().BeNull();
    }

    [Test]
    public void Shape_QkvRowAtTheProbeShape_IsThreeByBHBySByD()
    {
        var qkv = BuiltInTable().Single(r => r.Name == TensorNames.AttnQkv);

        // B=2, S=3, H=5, D=7: [3, B·H, S, D], written from the header's comment, not from the harness's formula.
        TensorTableCheck.Shape(qkv, TensorTableCheck.ProbeShape).Should().Equal(3, 10, 3, 7);
    }

    [Test]
    public void Mismatch_TwoRowsSwapped_NamesTheFirstRow()
    {
        var rows = BuiltInTable().ToList();
        (rows[1], rows[2]) = (rows[2] with { Index = 1 }, rows[1] with { Index = 2 });

        TensorTableCheck.Mismatch(rows).Should().Contain("row 1").And.Contain("'attn.v'").And.Contain("'attn.k'");
    }

    [Test]
    public void Mismatch_AccumulatorDeclaredDtype_NamesRowAndKind()
    {
        var rows = Tampered(TensorNames.AttnLnSum, r => r with { Kind = BkConstants.KindDtype });

        TensorTableCheck.Mismatch(rows).Should().Contain("'attn.ln_sum'").And.Contain("kind");
    }

    [Test]
    public void Mismatch_AxisWithWrongDimension_NamesRowAndBothShapes()
    {
        // attn.context's last axis made H instead of M = H·D.
        var rows = Tampered(TensorNames.AttnContext, r => r with { Axes = [r.Axes[0], r.Axes[1], (1 << 8) | BkConstants.DimH, 0] });

        TensorTableCheck.Mismatch(rows).Should().Contain("'attn.context'").And.Contain("[2, 3, 5]").And.Contain("[2, 3, 35]");
    }

    [Test]
    public void Mismatch_MissingRow_SaysTheCounts()
    {
        var rows = BuiltInTable().Take(TensorNames.Produced.Count - 1).ToList();

        TensorTableCheck.Mismatch(rows).Should().Contain($"{rows.Count} rows").And.Contain($"{TensorNames.Produced.Count}");
    }

    private static List<TensorTableRow> Tampered(string name, Func<TensorTableRow, TensorTableRow> change) =>
        BuiltInTable().Select(r => r.Name == name ? change(r) : r).ToList();
}
