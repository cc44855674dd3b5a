using Harness.Dumps;

namespace Harness.Tests.Dumps;

/// <summary>Statistics logs: the three styles parse to the same numbers; every malformed block is an error naming its line.</summary>
public sealed class StatsLogParserTests
{
    private const string Cpp = """
        Loading kernels...
        === Raw QKV Output ===
        Shape: [3, 2, 4, 5]
        Dtype: c10::Half
        Min: -0.5
        Max: 0.75
        Mean: 0.125
        Std: 0.25
        First 10 values: 0.1 0.2 -0.5 0.75 0 0 0 0 0 0
        done
        """;

    private const string Python = """
        Running the hooked model
        === Attention Weighted Values ===
        Shape: torch.Size([1, 4, 10])
        Dtype: torch.float16
        Device: cuda:0
        Min: -0.500000
        Max: 0.750000
        Mean: 0.125000
        Std: 0.250000
        First 10 values: [0.1, 0.2, -0.5, 0.75, 0.0, 0.0, 0.0, 0.0, 0.0, 1e-05]
        """;

    private const string Harness = """
        # scenario small
        === attn.softmax_rowsum ===
        Shape: [3]
        Dtype: float32
        Min: 1
        Max: 3
        Mean: 2
        Std: 0.816497
        First 10 values: 1 2 3
        """;

    private static IEnumerable<TestCaseData> Styles()
    {
        yield return new TestCaseData(Cpp, "Raw QKV Output", LogStyle.Cpp, ElementType.Float16, new long[] { 3, 2, 4, 5 }).SetName("Parse_Style_ReadsEveryField(C++)");
        yield return new TestCaseData(Python, "Attention Weighted Values", LogStyle.Python, ElementType.Float16, new long[] { 1, 4, 10 }).SetName("Parse_Style_ReadsEveryField(Python)");
        yield return new TestCaseData(Harness, "attn.softmax_rowsum", LogStyle.Harness, ElementType.Float32, new long[] { 3 }).SetName("Parse_Style_ReadsEveryField(harness)");
    }

    [TestCaseSource(nameof(Styles))]
    public void Parse_Style_ReadsEveryField(string log, string name, LogStyle style, ElementType dtype, long[] shape)
    {
        var t = StatsLogParser.Parse(log.Split('\n'), "log").Should().ContainSingle().Subject;

        t.Name.Should().Be(name);
        t.Style.Should().Be(style);
        t.Dtype.Should().Be(dtype);
        t.Shape.Should().Equal(shape);
        t.Line.Should().Be(2);
        t.First.Should().HaveCount((int)Math.Min(10, t.Count));
        if (style != LogStyle.Harness)
        {
            t.Min.Value.Should().Be(-0.5);
            t.Max.Value.Should().Be(0.75);
            t.Mean.Value.Should().Be(0.125);
            t.First[2].Value.Should().Be(-0.5);
        }
    }

    [TestCase("0.00125", 0.00125, 5e-6)]
    [TestCase("0.500000", 0.5, 5e-7)]
    [TestCase("384", 384, 0.5)]
    [TestCase("0", 0, 0)]
    [TestCase("1.5e-05", 1.5e-5, 5e-7)]
    [TestCase("-2.25E+02", -225, 0.5)]
    [TestCase("6.10352e-05", 6.10352e-05, 5e-11)]
    public void LoggedNumber_Text_ValueAndHalfUnitInLastDigit(string text, double value, double resolution)
    {
        LoggedNumber.TryParse(text, out var n).Should().BeTrue();

        n.Value.Should().Be(value);
        n.Resolution.Should().BeApproximately(resolution, resolution * 1e-9);
    }

    [Test]
    public void PopulationStd_UnbiasedStyles_ScaledByBesselFactor()
    {
        var t = StatsLogParser.Parse(Cpp.Split('\n'), "log")[0];

        t.PopulationStd.Should().BeApproximately(0.25 * Math.Sqrt(119.0 / 120), 1e-15);
    }

    private static IEnumerable<TestCaseData> Malformed()
    {
        yield return new TestCaseData("=== a ===\nShape: [2]\nDtype: float16\nMin: 1\nMax: 2\n=== b ===", "line 6", "truncated: it ends before its Mean line").SetName("Parse_Malformed_LineNumberedError(truncated block)");
        yield return new TestCaseData(Block("a", "[2, 3]", "float16", "1 2 3"), "line 8", "6 elements) but 3 first values").SetName("Parse_Malformed_LineNumberedError(first values disagree with shape)");
        yield return new TestCaseData(Block("a", "[3]", "c10::Quarter", "1 2 3"), "line 3", "unknown dtype 'c10::Quarter'").SetName("Parse_Malformed_LineNumberedError(unknown dtype)");
        yield return new TestCaseData(Block("a", "[3]", "float16", "1 2 3") + "\n" + Block("a", "[3]", "float16", "1 2 3"), "line 9", "'a' appears again (lines 1 and 9)").SetName("Parse_Malformed_LineNumberedError(duplicate names)");
        yield return new TestCaseData(Block("a", "[3]", "float16", "1 two 3"), "line 8", "first value 'two' is not a number").SetName("Parse_Malformed_LineNumberedError(bad value)");
        yield return new TestCaseData(Block("a", "(3, x)", "float16", "1 2 3"), "line 2", "is not a list of dimensions").SetName("Parse_Malformed_LineNumberedError(bad shape)");
        yield return new TestCaseData("no blocks here", "log", "no \"=== name ===\" blocks").SetName("Parse_Malformed_LineNumberedError(no blocks)");
    }

    [TestCaseSource(nameof(Malformed))]
    public void Parse_Malformed_LineNumberedError(string log, string where, string expected)
    {
        var act = () => StatsLogParser.Parse(log.Split('\n'), "log");

        act.Should().Throw<DumpFormatException>().Which.Message.Should().Contain(where).And.Contain(expected);
    }

    private static string Block(string name, string shape, string dtype, string first) =>
        $"=== {name} ===\nShape: {shape}\nDtype: {dtype}\nMin: 1\nMax: 3\nMean: 2\nStd: 0.8\nFirst 10 values: {first}";
}
