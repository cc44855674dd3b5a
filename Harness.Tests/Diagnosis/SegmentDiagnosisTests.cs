using FluentAssertions;
using Harness.Diagnosis;
using Harness.Model;
using NUnit.Framework;

namespace Harness.Tests.Diagnosis;

public class SegmentDiagnosisTests
{
    [Test]
    public void Probe_Constant()
    {
        var v = UnwrittenTensors.AsGpuSouffle(DiagnosisSetups.Verify("cpu-souffle", DiagnosisSetups.SmallConstantDebug(LayerSemantics.HuggingFace)));
        var d = LayerDiagnoser.Diagnose(v);
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, d.Findings));
        foreach (var s in d.Stages)
        {
            TestContext.Out.WriteLine($"{s.Stage}: " + string.Join(" | ", s.Ranked.Take(5).Select(h => $"{h.Name} {h.FractionRemoved:F3} {h.Explains} {string.Join(",", h.Tensors.Select(t => t.Tensor + ":" + t.Explains))}")));
        }
        d.Should().NotBeNull();
    }

    [Test]
    public void Probe_Small()
    {
        var v = UnwrittenTensors.AsGpuSouffle(DiagnosisSetups.Verify("cpu-souffle", DiagnosisSetups.FromScenario("small", LayerSemantics.HuggingFace)));
        var d = LayerDiagnoser.Diagnose(v);
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, d.Findings));
        foreach (var s in d.Stages)
        {
            TestContext.Out.WriteLine($"{s.Stage}: " + string.Join(" | ", s.Ranked.Take(5).Select(h => $"{h.Name} {h.FractionRemoved:F3} {h.Explains} {string.Join(",", h.Tensors.Select(t => t.Tensor + ":" + t.Explains))}")));
        }
        var full = LayerDiagnoser.Diagnose(DiagnosisSetups.Verify("cpu-souffle", DiagnosisSetups.FromScenario("small", LayerSemantics.HuggingFace)));
        TestContext.Out.WriteLine("FULL:" + Environment.NewLine + string.Join(Environment.NewLine, full.Findings));
        d.Should().NotBeNull();
    }
}
