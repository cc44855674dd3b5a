using Harness.Scenarios;

namespace Harness.Tests.Scenarios;

public sealed class TextInputTests
{
    private static readonly LayerShape Shape = new(2, 8, 2, 3, 5);

    // Ids: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4 hello=5 world=6 ##s=7
    private static readonly string[] Vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "##s"];

    private static TempDirectory WriteCheckpoint()
    {
        var dir = new TempDirectory();
        SyntheticCheckpoint.Write(dir.File(BertCheckpoint.WeightsFileName), Shape, layers: 1, seed: 8, vocabulary: Vocabulary.Length, positions: 16);
        File.WriteAllLines(dir.File(BertCheckpoint.VocabularyFileName), Vocabulary);
        return dir;
    }

    private static Scenario TextScenario(string text, int sequence = 8) => ScenarioParser.Parse(
        $$$"""{"shape":{"batch":2,"sequence":{{{sequence}}},"heads":2,"headSize":3,"intermediate":5},"baseWeights":"synthetic","input":{"kind":"text","text":"{{{text}}}"}}""",
        "text.json",
        null);

    [Test]
    public void Materialize_Text_EmbedsTokensAndMasksPadding()
    {
        using var dir = WriteCheckpoint();

        var instance = TextScenario("Hello worlds").Materialize(new MaterializeOptions { CheckpointPath = dir.Path });

        // [CLS] hello world ##s [SEP] then three [PAD]: 5 valid keys of 8.
        var mask = instance.Inputs.AttentionMask!;
        mask.Data.Take(8).Should().Equal(0, 0, 0, 0, 0, -65504, -65504, -65504);
        instance.Facts.HasPadding.Should().BeTrue();
        instance.Facts.InputKind.Should().Be("text");

        using var checkpoint = BertCheckpoint.Open(dir.Path);
        var e = checkpoint.ReadEmbeddings();
        var m = Shape.Model;
        int[] ids = [2, 5, 6, 7, 3, 0, 0, 0];
        for (var s = 0; s < 8; s++)
        {
            var x = Enumerable.Range(0, m).Select(j => e.Word.Data[(ids[s] * m) + j] + e.Position.Data[(s * m) + j] + e.TokenType.Data[j]).ToArray();
            var mean = x.Average();
            var variance = x.Select(v => (v - mean) * (v - mean)).Average();
            var expected = x.Select((v, j) => ((v - mean) / Math.Sqrt(variance + 1e-12) * e.LayerNormGamma.Data[j]) + e.LayerNormBeta.Data[j]).ToArray();
            for (var b = 0; b < 2; b++)
            {
                instance.Inputs.Hidden.Data.Skip(((b * 8) + s) * m).Take(m).Should().Equal(expected, (a, c) => Math.Abs(a - c) < 1e-12, because: $"b={b} s={s}");
            }
        }
    }

    [Test]
    public void Materialize_TextLongerThanSequence_TruncatesKeepingSep()
    {
        using var dir = WriteCheckpoint();

        var instance = TextScenario("hello hello hello hello hello hello world", sequence: 4).Materialize(new MaterializeOptions { CheckpointPath = dir.Path });

        instance.Inputs.AttentionMask!.Data.Should().OnlyContain(v => v == 0);
        instance.Settings.Should().Contain(l => l.Contains("truncated from 9", StringComparison.Ordinal));
    }

    [Test]
    public void Materialize_TextWithoutCheckpoint_SaysItNeedsOne()
    {
        FluentActions.Invoking(() => TextScenario("hello").Materialize(MaterializeOptions.None))
            .Should().Throw<ScenarioException>().WithMessage("*text input*needs a checkpoint*");
    }

    [Test]
    public void Materialize_TextWithoutVocabulary_SaysVocabTxtIsMissing()
    {
        using var dir = new TempDirectory();
        SyntheticCheckpoint.Write(dir.File(BertCheckpoint.WeightsFileName), Shape, layers: 1, seed: 8, vocabulary: 8, positions: 16);

        FluentActions.Invoking(() => TextScenario("hello").Materialize(new MaterializeOptions { CheckpointPath = dir.Path }))
            .Should().Throw<ScenarioException>().WithMessage("*vocab.txt*");
    }

    [Test]
    public void Parse_TextWithPadding_IsAConflict()
    {
        FluentActions.Invoking(() => ScenarioParser.Parse("""{"input":{"kind":"text","text":"hi"},"padding":{"validLength":3}}""", "t.json", null))
            .Should().Throw<ScenarioException>().WithMessage("*padding cannot be set with a text input*");
    }
}
