using Harness.Scenarios;

namespace Harness.Tests.Scenarios;

public sealed class BertCheckpointTests
{
    private static readonly LayerShape Awkward = new(1, 7, 3, 5, 11);

    [TestCase(false)]
    [TestCase(true)]
    public void ReadLayer_WithOrWithoutBertPrefix_GivesTheWeightsWritten(bool bertPrefix)
    {
        using var dir = new TempDirectory();
        SyntheticCheckpoint.Write(dir.File(BertCheckpoint.WeightsFileName), Awkward, layers: 3, seed: 10, bertPrefix: bertPrefix);

        using var checkpoint = BertCheckpoint.Open(dir.Path);
        var layer = checkpoint.ReadLayer(2, Awkward);

        checkpoint.LayerCount.Should().Be(3);
        var expected = SyntheticWeights.Create(Awkward, 12);
        foreach (var (suffix, get) in LayerWeights.Parameters)
        {
            get(layer).Data.Should().Equal(get(expected).Data, because: suffix);
        }
    }

    [Test]
    public void Open_FilePath_FindsVocabularyBesideIt()
    {
        using var dir = new TempDirectory();
        var weights = dir.File(BertCheckpoint.WeightsFileName);
        SyntheticCheckpoint.Write(weights, Awkward, layers: 1, seed: 1);
        File.WriteAllText(dir.File(BertCheckpoint.VocabularyFileName), "[PAD]\n");

        using var checkpoint = BertCheckpoint.Open(weights);

        checkpoint.Vocabulary!.Source.Should().EndWith(BertCheckpoint.VocabularyFileName);
    }

    [Test]
    public void ReadLayer_IndexOutOfRange_SaysHowManyLayers()
    {
        using var dir = new TempDirectory();
        SyntheticCheckpoint.Write(dir.File(BertCheckpoint.WeightsFileName), Awkward, layers: 2, seed: 1);
        using var checkpoint = BertCheckpoint.Open(dir.Path);

        FluentActions.Invoking(() => checkpoint.ReadLayer(2, Awkward)).Should().Throw<CheckpointException>().WithMessage("*layer 2 out of range*2 layers*");
    }

    [Test]
    public void ReadLayer_ShapeMismatch_NamesTensorAndBothShapes()
    {
        using var dir = new TempDirectory();
        SyntheticCheckpoint.Write(dir.File(BertCheckpoint.WeightsFileName), Awkward, layers: 1, seed: 1);
        using var checkpoint = BertCheckpoint.Open(dir.Path);

        FluentActions.Invoking(() => checkpoint.ReadLayer(0, Awkward with { Heads = 4 }))
            .Should().Throw<CheckpointException>()
            .WithMessage("*encoder.layer.0.attention.self.query.weight*[15, 15]*expected [20, 20]*");
    }

    [Test]
    public void Open_DirectoryWithoutWeights_ListsWhatItHolds()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("pytorch_model.bin"), "x");

        FluentActions.Invoking(() => BertCheckpoint.Open(dir.Path)).Should().Throw<CheckpointException>().WithMessage("*no model.safetensors*pytorch_model.bin*");
    }

    [Test]
    public void ReadEmbeddings_SyntheticCheckpoint_GivesTablesOfTheModelWidth()
    {
        using var dir = new TempDirectory();
        SyntheticCheckpoint.Write(dir.File(BertCheckpoint.WeightsFileName), Awkward, layers: 1, seed: 1, vocabulary: 9, positions: 13, bertPrefix: true);
        using var checkpoint = BertCheckpoint.Open(dir.Path);

        var embeddings = checkpoint.ReadEmbeddings();

        embeddings.Word.Shape.Should().Equal(9, 15);
        embeddings.Position.Shape.Should().Equal(13, 15);
        embeddings.TokenType.Shape.Should().Equal(2, 15);
        embeddings.LayerNormGamma.Shape.Should().Equal(15);
        embeddings.LayerNormBeta.Shape.Should().Equal(15);
    }
}
