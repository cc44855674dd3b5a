using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using ArchUnitNET.NUnit;

namespace Harness.Tests.Layering;

/// <summary>
/// The harness assembly judged by <see cref="LayerRules"/>: no dependency against the direction, no role outside the
/// table, and Comparison and Diagnosis silent. <see cref="PlantedViolationTests"/> shows each rule failing.
/// </summary>
public class HarnessLayeringTests
{
    private const string Root = "Harness";

    private static readonly Lazy<Architecture> Harness = new(() =>
        new ArchLoader().LoadAssemblies(typeof(Harness.Model.TensorNames).Assembly).Build());

    public static IEnumerable<string> RolesWithRules() => LayerRules.Roles.Where(r => LayerRules.Forbidden(r).Count > 0);

    [TestCaseSource(nameof(RolesWithRules))]
    public void Role_HarnessTypes_DependOnNoRoleAgainstTheDirection(string role) =>
        LayerRules.Direction(Root, role).Check(Harness.Value);

    [TestCaseSource(typeof(LayerRules), nameof(LayerRules.Silent))]
    public void SilentRole_HarnessTypes_TouchNeitherConsoleNorFiles(string role) =>
        LayerRules.NoConsoleOrFiles(Root, role).Check(Harness.Value);

    [Test]
    public void Namespaces_EveryHarnessType_LivesInARoleOfTheTable()
    {
        var outside = Harness.Value.Types
            .Where(t => t.Namespace.FullName == Root || t.Namespace.FullName.StartsWith(Root + ".", StringComparison.Ordinal))
            .Where(t => !LayerRules.Roles.Any(r => InRole(t.Namespace.FullName, r)))
            .Select(t => t.FullName)
            .ToList();

        outside.Should().BeEmpty("a namespace outside the table escapes every layering rule");
    }

    [Test]
    public void Roles_EveryRoleOfTheTable_HasTypes()
    {
        var namespaces = Harness.Value.Namespaces.Select(n => n.FullName).ToList();

        foreach (var role in LayerRules.Roles)
        {
            namespaces.Should().Contain(n => InRole(n, role), $"a rule over an empty role {role} checks nothing");
        }
    }

    private static bool InRole(string ns, string role) =>
        ns == $"{Root}.{role}" || ns.StartsWith($"{Root}.{role}.", StringComparison.Ordinal);
}
