using FluentAssertions;
using Harness.Diagnosis;
using Harness.Model;
using NUnit.Framework;

namespace Harness.Tests.Diagnosis;

/// <summary>
/// The seed case: cpu-souffle on constant-debug judged against Hugging Face semantics. The findings must name every
/// departure of Souffle's layer from a Hugging Face layer that these tensors can show, each at its own stage.
/// </summary>
public class SeedCaseTests
{
    [Test]
    public void Diagnose_SouffleAgainstHuggingFaceOnSmallConstantDebug_NamesEveryDeparture()
    {
        var verification = DiagnosisSetups.Verify("cpu-souffle", DiagnosisSetups.SmallConstantDebug(LayerSemantics.HuggingFace, Environment.GetEnvironmentVariable("DIAG_SHAPE") is { } e ? new LayerShape(1, int.Parse(e.Split(',')[0]), int.Parse(e.Split(',')[1]), int.Parse(e.Split(',')[2]), int.Parse(e.Split(',')[3])) : null));

        var diagnosis = LayerDiagnoser.Diagnose(verification);

        foreach (var line in diagnosis.Findings)
        {
            TestContext.Out.WriteLine(line);
        }
        foreach (var s in diagnosis.Stages)
        {
            TestContext.Out.WriteLine($"== {s.Stage}: {string.Join(", ", s.FailingTensors)}");
            foreach (var r in s.Ranked.Take(6))
            {
                TestContext.Out.WriteLine($"   {r.Name}: {r.FractionRemoved:F4} {r.Explains} {string.Join("; ", r.Departures)} [{string.Join(" ", r.Tensors.Select(t => $"{t.Tensor}:{t.AgainstAlternative.MaxAbs:G3}/{t.AgainstAlternative.Rmse:G3}"))}]");
            }
        }
        foreach (var t in diagnosis.Tensors)
        {
            TestContext.Out.WriteLine($"{t.Name} {t.Kind} {t.Verdict.BudgetUsed:G3} intro={t.Isolation?.Introduced.BudgetUsed:G3} inh={t.Isolation?.Inherited.BudgetUsed:G3}");
        }
    }
}
