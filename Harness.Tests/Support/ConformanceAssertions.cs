using FluentAssertions.Execution;
using FluentAssertions.Primitives;
using Harness.Comparison;
using Harness.Reporting;

namespace Harness.Tests.Support;

/// <summary>
/// <c>verdict.Should().Pass()</c> and <c>layer.Should().Pass()</c>: the failure message is the tensor's report line
/// (name, max abs, budget, used fraction, worst index with both values), so a failing conformance test reads like
/// the report.
/// </summary>
public static class ConformanceAssertions
{
    public static TensorVerdictAssertions Should(this TensorVerdict verdict) => new(verdict);

    public static LayerComparisonAssertions Should(this LayerComparison layer) => new(layer);

    // FluentAssertions treats braces in a message as placeholders; tensor names and numbers must print as they are.
    internal static string Literal(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    /// <summary>The start of every Pass: a null subject fails naming what was expected; the rest chains on.</summary>
    internal static IAssertionScope Present(object? subject, string what, string because, object[] becauseArgs) =>
        Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(subject is not null)
            .FailWith($"Expected a {what}{{reason}}, but found <null>.")
            .Then;
}

public sealed class TensorVerdictAssertions(TensorVerdict verdict) : ReferenceTypeAssertions<TensorVerdict, TensorVerdictAssertions>(verdict)
{
    protected override string Identifier => "verdict";

    public AndConstraint<TensorVerdictAssertions> Pass(string because = "", params object[] becauseArgs)
    {
        ConformanceAssertions.Present(Subject, "tensor verdict", because, becauseArgs)
            .ForCondition(Subject!.Passed)
            .FailWith(ConformanceAssertions.Literal(TensorDumpVerdictLine.Render(Subject)) + "{reason}");
        return new AndConstraint<TensorVerdictAssertions>(this);
    }
}

public sealed class LayerComparisonAssertions(LayerComparison layer) : ReferenceTypeAssertions<LayerComparison, LayerComparisonAssertions>(layer)
{
    protected override string Identifier => "layer";

    /// <summary>Fails with the report line of the first failing tensor in dataflow order (or says nothing was judged).</summary>
    public AndConstraint<LayerComparisonAssertions> Pass(string because = "", params object[] becauseArgs)
    {
        ConformanceAssertions.Present(Subject, "layer comparison", because, becauseArgs)
            .ForCondition(Subject!.Verdicts.Count > 0)
            .FailWith("Expected a layer comparison to pass{reason}, but no tensor was judged.")
            .Then
            .ForCondition(Subject.FirstFailing is null)
            .FailWith(Subject.FirstFailing is { } failing ? ConformanceAssertions.Literal(TensorDumpVerdictLine.Render(failing)) + "{reason}" : string.Empty);
        return new AndConstraint<LayerComparisonAssertions>(this);
    }
}
