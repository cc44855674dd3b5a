using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using Harness.Tests.Layering.Planted.Comparison;
using Harness.Tests.Layering.Planted.Diagnosis;
using Harness.Tests.Layering.Planted.Model;
using ArchLoader = ArchUnitNET.Loader.ArchLoader;

namespace Harness.Tests.Layering;

/// <summary>
/// The rules of <see cref="LayerRules"/>, the very ones the harness is judged by, evaluated over the small fake
/// architecture in <see cref="Planted"/> (types of this test assembly; nothing extra is built): each planted
/// wrong-way reference is reported, and only it, so the harness's passing rules are rules that can fail.
/// </summary>
public class PlantedViolationTests
{
    private const string Root = "Harness.Tests.Layering.Planted";

    private static readonly Lazy<Architecture> Planted = new(() =>
        new ArchLoader().LoadAssemblies(typeof(PlantedViolationTests).Assembly).Build());

    public static IEnumerable<TestCaseData> WrongWay()
    {
        yield return new TestCaseData("Model", typeof(ShapeUsingTorch)).SetArgDisplayNames("Model uses Torch");
        yield return new TestCaseData("Comparison", typeof(VerifierUsingReporting)).SetArgDisplayNames("Comparison uses Reporting");
        yield return new TestCaseData("Comparison", typeof(VerifierUsingNative)).SetArgDisplayNames("Comparison uses Native");
    }

    public static IEnumerable<TestCaseData> Noisy()
    {
        yield return new TestCaseData(typeof(DiagnoserPrinting)).SetArgDisplayNames("System.Console");
        yield return new TestCaseData(typeof(DiagnoserWritingAFile)).SetArgDisplayNames("System.IO.File");
        yield return new TestCaseData(typeof(DiagnoserMarkingUp)).SetArgDisplayNames("Spectre.Console");
    }

    [TestCaseSource(nameof(WrongWay))]
    public void Direction_PlantedWrongWayReference_IsTheViolation(string role, Type planted)
    {
        var violators = Violators(LayerRules.Direction(Root, role));

        violators.Should().Contain(planted.FullName);
    }

    [Test]
    public void Direction_PlantedComparison_ReportsExactlyTheWrongWayTypes() =>
        Violators(LayerRules.Direction(Root, "Comparison")).Should().BeEquivalentTo([typeof(VerifierUsingReporting).FullName, typeof(VerifierUsingNative).FullName]);

    /// <summary>The roles the fake architecture has types in.</summary>
    public static IEnumerable<string> PlantedRoles() => ["Model", "Torch", "Native", "Kernels", "Reference", "Comparison", "Diagnosis", "Reporting"];

    [TestCaseSource(nameof(PlantedRoles))]
    public void Direction_PlantedRightWayReferences_Pass(string role)
    {
        var violators = Violators(LayerRules.Direction(Root, role));

        violators.Should().BeSubsetOf([typeof(ShapeUsingTorch).FullName, typeof(VerifierUsingReporting).FullName, typeof(VerifierUsingNative).FullName]);
    }

    [TestCaseSource(nameof(Noisy))]
    public void NoConsoleOrFiles_PlantedDiagnosisTouchingTheOutside_IsTheViolation(Type planted) =>
        Violators(LayerRules.NoConsoleOrFiles(Root, "Diagnosis")).Should().Contain(planted.FullName);

    [Test]
    public void NoConsoleOrFiles_PlantedDiagnosis_SparesTheComputingType() =>
        Violators(LayerRules.NoConsoleOrFiles(Root, "Diagnosis")).Should().BeEquivalentTo(Noisy().Select(c => ((Type)c.Arguments[0]!).FullName));

    private static List<string?> Violators(IArchRule rule) =>
        rule.Evaluate(Planted.Value).Where(r => !r.Passed).Select(r => (r.EvaluatedObject as IType)?.FullName).ToList();
}
