using Harness.Diagnosis.Hypotheses;
using Harness.Reference;

namespace Harness.Tests.Diagnosis;

public class HypothesisCatalogTests
{
    [Test]
    public void All_AccumulationFamily_GivesTenNamedHypotheses()
    {
        var names = HypothesisCatalog.All.Select(h => h.Name).Where(n => n.StartsWith("fp16 accumulation", StringComparison.Ordinal)).ToList();

        names.Should().HaveCount(10);
        names.Should().Contain(["fp16 accumulation fp16 k=16 rn", "fp16 accumulation fp16 k=1 rz", "fp16 accumulation fp16 k=32 rn"]);
    }

    [Test]
    public void All_Names_AreUnique() =>
        HypothesisCatalog.All.Select(h => h.Name).Should().OnlyHaveUniqueItems();

    [Test]
    public void All_EveryHypothesis_NamesCanonicalTensorsOnly()
    {
        foreach (var h in HypothesisCatalog.All)
        {
            h.Tensors.Should().NotBeEmpty(h.Name);
            h.Tensors.Should().BeSubsetOf(Harness.Model.TensorNames.Produced, h.Name);
        }
    }

    [Test]
    public void All_EveryStage_HasAtLeastOneApplicableKindOfHypothesis()
    {
        foreach (var stage in StageCatalog.Stages)
        {
            HypothesisCatalog.All.Where(h => h.Tensors.Intersect(stage.Produces).Any() && !h.IsComposite).Should().NotBeEmpty(stage.Name);
        }
    }

    /// <summary>
    /// The catalog is a hand-written list; this finds, by reflection over the harness assembly, every hypothesis class
    /// (public, with a public parameterless constructor) and family, in the ordinal order of their type names, and
    /// requires the list to hold exactly their hypotheses in that order: none forgotten, and ties ranked as before.
    /// </summary>
    [Test]
    public void All_HandWrittenList_HoldsEveryDefinedHypothesisInTypeNameOrder()
    {
        var defined = typeof(HypothesisCatalog).Assembly.GetTypes()
            .Where(t => t is { IsPublic: true, IsClass: true, IsAbstract: false } && t.GetConstructor(Type.EmptyTypes) is { IsPublic: true })
            .Where(t => typeof(IHypothesis).IsAssignableFrom(t) || typeof(IHypothesisFamily).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => Activator.CreateInstance(t) is IHypothesisFamily family ? family.Members : [(IHypothesis)Activator.CreateInstance(t)!])
            .Select(h => h.Name)
            .ToList();

        defined.Should().HaveCountGreaterThan(30);
        HypothesisCatalog.All.Select(h => h.Name).Should().Equal(defined);
    }

    [Test]
    public void Find_UnknownName_ThrowsListingKnownOnes()
    {
        var act = () => HypothesisCatalog.Find("no such hypothesis");

        act.Should().Throw<ArgumentException>().WithMessage("*no such hypothesis*residual missing*");
    }
}
