using Harness.Dumps;

namespace Harness.Tests.Dumps;

/// <summary>Names: canonical, Hugging Face module names, Souffle's buffers and labels, user maps, and the errors.</summary>
public sealed class NameMapTests
{
    [TestCase("attn.context", "attn.context")]
    [TestCase("bert.encoder.layer.5.attention.self.query", "attn.q")]
    [TestCase("attention.output.dense", "attn.dense")]
    [TestCase("encoder.layer.0.intermediate.intermediate_act_fn", "ffn.fc1")]
    [TestCase("output.LayerNorm", "output")]
    [TestCase("qkv_output", "attn.qkv")]
    [TestCase("Raw QKV Output", "attn.qkv")]
    [TestCase("Attention Scores (Q*K^T)", "attn.probs")]
    [TestCase("query_key_output", "attn.probs")]
    [TestCase("Softmax Sum", "attn.softmax_rowsum")]
    [TestCase("Attention Weighted Values", "attn.context")]
    [TestCase("Attention LayerNorm Variance", "attn.ln_sumsq")]
    [TestCase("Feed Forward FC1 Output", "ffn.fc1")]
    [TestCase("Feed Forward LayerNorm Sum", "ffn.ln_sum")]
    public void Resolve_BuiltInName_Canonical(string raw, string canonical) =>
        NameMap.BuiltIn.Resolve(raw)!.Target.Should().Be(canonical);

    [Test]
    public void Resolve_ParameterName_IsParameter()
    {
        var mapped = NameMap.BuiltIn.Resolve("bert.encoder.layer.3.attention.output.dense.weight")!;

        mapped.IsParameter.Should().BeTrue();
        mapped.Target.Should().Be("attention.output.dense.weight");
    }

    [Test]
    public void ResolveAll_TwoNamesForOneTensor_ErrorNamingBoth()
    {
        var act = () => NameMap.BuiltIn.ResolveAll(["attention.output", "attention.output.LayerNorm"], "dump 'x'");

        act.Should().Throw<DumpFormatException>().Which.Message.Should().Contain("'attention.output' and 'attention.output.LayerNorm' both name attn.output");
    }

    [Test]
    public void ResolveAll_UnknownName_ListedNotDropped()
    {
        var (known, unknown) = NameMap.BuiltIn.ResolveAll(["attn.q", "dropout"], "dump");

        known.Select(k => k.Target).Should().Equal("attn.q");
        unknown.Should().Equal("dropout");
    }

    [TestCase("{\"my_q\": \"attn.q\"}", null)]
    [TestCase("{\"my_q\": \"attention.query\"}", "'my_q' maps to 'attention.query', which is not a canonical tensor name")]
    [TestCase("[1, 2]", "must be a JSON object of strings")]
    public void Load_UserMap_ValidatedTargets(string json, string? error)
    {
        var path = Path.Combine(Path.GetTempPath(), $"harness-map-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var act = () => NameMap.Load(path);

            if (error is null)
            {
                act().Resolve("my_q")!.Target.Should().Be("attn.q");
            }
            else
            {
                act.Should().Throw<DumpFormatException>().Which.Message.Should().Contain(error);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
