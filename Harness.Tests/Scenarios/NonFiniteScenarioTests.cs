using Harness.Comparison;
using Harness.Scenarios;
using Harness.Tests.Conformance;

namespace Harness.Tests.Scenarios;

/// <summary>NaN/Inf entering the layer: a scenario error naming tensor and count, or, when allowed, judged only where the truth is finite.</summary>
public sealed class NonFiniteScenarioTests
{
    private static readonly LayerShape Shape = new(2, 7, 3, 5, 11);

    /// <summary>An input file of random values with 2 NaN and 1 Inf, all in batch 0 (batch 1 stays finite).</summary>
    private static Scenario InputScenario(TempDirectory dir)
    {
        var values = Enumerable.Range(0, 2 * 7 * 15).Select(i => Math.Sin(i * 0.7)).ToArray();
        values[3] = double.NaN;
        values[20] = double.NaN;
        values[40] = double.PositiveInfinity;
        SafetensorsWriter.Write(dir.File("input.safetensors"), [new SafetensorsTensor("hidden", new HostTensor([2, 7, 15], values, ElementType.Float64), ElementType.Float32)]);
        return ScenarioParser.Parse(
            """{"shape":{"batch":2,"sequence":7,"heads":3,"headSize":5,"intermediate":11},"dtype":"float32","baseWeights":"synthetic","input":{"kind":"file","path":"input.safetensors","tensor":"hidden"}}""",
            "nonfinite.json",
            dir.Path);
    }

    /// <summary>A safetensors checkpoint of synthetic weights whose query weight holds <paramref name="nan"/> NaN values.</summary>
    private static string WeightsCheckpoint(TempDirectory dir, int nan)
    {
        var weights = SyntheticWeights.Create(Shape, seed: 3);
        var tensors = LayerWeights.Parameters.Select(p =>
        {
            var t = p.Get(weights);
            var data = (double[])t.Data.Clone();
            if (p.Suffix == "attention.self.query.weight")
            {
                Array.Fill(data, double.NaN, 0, nan);
            }

            return new SafetensorsTensor($"encoder.layer.0.{p.Suffix}", new HostTensor(t.Shape, data, ElementType.Float64), ElementType.Float32);
        }).ToList();
        var path = dir.File(BertCheckpoint.WeightsFileName);
        SafetensorsWriter.Write(path, tensors);
        return path;
    }

    [Test]
    public void Materialize_NonFiniteInput_ScenarioErrorNamesTensorAndCount()
    {
        using var dir = new TempDirectory();

        var act = () => InputScenario(dir).Materialize(MaterializeOptions.None);

        act.Should().Throw<ScenarioException>().WithMessage("*input 'input' holds 3 non-finite values of 210 (2 NaN, 1 Inf)*--allow-nonfinite*");
    }

    [Test]
    public void Materialize_NanWeights_ScenarioErrorNamesTensorAndCount()
    {
        using var dir = new TempDirectory();
        var path = WeightsCheckpoint(dir, nan: 4);
        var scenario = ScenarioParser.Parse(
            """{"shape":{"batch":2,"sequence":7,"heads":3,"headSize":5,"intermediate":11},"baseWeights":"checkpoint","input":{"kind":"random","seed":1,"std":1.0}}""",
            "nanweights.json",
            null);

        var act = () => scenario.Materialize(new MaterializeOptions { CheckpointPath = path });

        act.Should().Throw<ScenarioException>().WithMessage("*weight 'encoder.layer.0.attention.self.query.weight' holds 4 non-finite values of 225 (4 NaN, 0 Inf)*");
    }

    [Test]
    public void Verify_NonFiniteInputAllowed_JudgesOnlyFiniteTruthAndPasses()
    {
        using var dir = new TempDirectory();
        var instance = InputScenario(dir).Materialize(new MaterializeOptions { AllowNonFinite = true });

        var verification = LayerVerifier.Verify(Verifications.Catalog.Find("cpu-reference"), VerificationSetup.From(instance, LayerSemantics.HuggingFace));

        instance.NonFiniteAllowed.Should().BeTrue();
        verification.NonFiniteTruthExcluded[TensorNames.Output].Should().BeGreaterThan(0).And.BeLessThan(2 * 7 * 15, "batch 1 has a finite truth and is judged");
        verification.Comparison.Verdicts.Where(v => !v.Passed).Select(v => v.Reason).Should().BeEmpty("non-finite inputs are never blamed on the kernel");
        verification.Kernel.Values.Concat(verification.Truth.Values).SelectMany(t => t.Data).Should().OnlyContain(v => double.IsFinite(v));
    }
}
