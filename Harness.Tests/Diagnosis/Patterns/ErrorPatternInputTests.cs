using Harness.Diagnosis.Patterns;

namespace Harness.Tests.Diagnosis.Patterns;

public sealed class ErrorPatternInputTests
{
    private static readonly LayerShape Small = new(1, 7, 3, 5, 11);

    [Test]
    public void Analyze_ActualOfWrongShape_NamesTensorAndShapes()
    {
        var (_, expected) = PatternTensors.Pair(TensorNames.Output, Small, _ => false);
        var wrong = HostTensor.Filled([1, 7, 14], 0, ElementType.Float16);

        var act = () => ErrorPatternAnalyzer.Analyze(TensorNames.Output, Small, wrong, expected, PatternTensors.Mismatch);

        act.Should().Throw<ArgumentException>().WithMessage("output: actual has shape [1, 7, 14], expected [1, 7, 15]*");
    }

    [Test]
    public void Analyze_UnknownTensorName_NamesIt()
    {
        var (actual, expected) = PatternTensors.Pair(TensorNames.Output, Small, _ => false);

        var act = () => ErrorPatternAnalyzer.Analyze("attn.prob", Small, actual, expected, PatternTensors.Mismatch);

        act.Should().Throw<ArgumentException>().WithMessage("'attn.prob' is not a canonical tensor name*");
    }

    [Test]
    public void Analyze_PaddingPositionOutsideSequence_NamesIt()
    {
        var (actual, expected) = PatternTensors.Pair(TensorNames.AttnProbs, Small, _ => false);

        var act = () => ErrorPatternAnalyzer.Analyze(TensorNames.AttnProbs, Small, actual, expected, PatternTensors.Mismatch, new HashSet<int> { 3, 7 });

        act.Should().Throw<ArgumentException>().WithMessage("attn.probs: padding key positions 7 lie outside 0–6*");
    }
}
