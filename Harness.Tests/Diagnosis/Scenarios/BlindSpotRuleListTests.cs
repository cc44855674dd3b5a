using System.Reflection;
using Harness.Diagnosis.Scenarios;

namespace Harness.Tests.Diagnosis.Scenarios;

/// <summary>
/// The blind-spot rules are a hand-written list in <see cref="BlindSpotAnalyzer"/>, as the hypotheses are in
/// HypothesisCatalog: every rule class defined (a static class in Harness.Diagnosis.Scenarios with a static Find
/// returning blind spots) must be in it, once.
/// </summary>
public class BlindSpotRuleListTests
{
    [Test]
    public void Rules_HandWrittenList_HoldsEveryDefinedRuleOnce()
    {
        var defined = typeof(BlindSpotAnalyzer).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(BlindSpotAnalyzer).Namespace && t is { IsAbstract: true, IsSealed: true })
            .Where(t => t.GetMethod("Find", BindingFlags.Public | BindingFlags.Static)?.ReturnType == typeof(IEnumerable<BlindSpot>))
            .ToList();
        var listed = ((Delegate[])typeof(BlindSpotAnalyzer).GetField("Rules", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!)
            .Select(d => d.Method.DeclaringType)
            .ToList();

        defined.Should().HaveCountGreaterThan(5);
        listed.Should().OnlyHaveUniqueItems();
        listed.Should().BeEquivalentTo(defined);
    }
}
