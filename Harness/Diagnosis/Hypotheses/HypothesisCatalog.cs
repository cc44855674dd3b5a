using System.Reflection;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>Every hypothesis in this assembly: each public concrete <see cref="IHypothesis"/> with a public parameterless constructor and each member of every <see cref="IHypothesisFamily"/>.</summary>
public static class HypothesisCatalog
{
    private static readonly Lazy<IReadOnlyList<IHypothesis>> Discovered = new(Discover);

    /// <summary>In a stable order (by type name, then family order), so ties rank the same way every run.</summary>
    public static IReadOnlyList<IHypothesis> All => Discovered.Value;

    public static IHypothesis Find(string name) =>
        All.FirstOrDefault(h => h.Name == name)
        ?? throw new ArgumentException($"unknown hypothesis '{name}'; known: {string.Join(", ", All.Select(h => h.Name))}", nameof(name));

    private static IReadOnlyList<IHypothesis> Discover()
    {
        var types = typeof(HypothesisCatalog).Assembly.GetTypes()
            .Where(t => t is { IsPublic: true, IsClass: true, IsAbstract: false } && t.GetConstructor(Type.EmptyTypes) is { IsPublic: true })
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        var all = new List<IHypothesis>();
        foreach (var type in types)
        {
            if (typeof(IHypothesisFamily).IsAssignableFrom(type))
            {
                all.AddRange(((IHypothesisFamily)Activator.CreateInstance(type)!).Members);
            }
            else if (typeof(IHypothesis).IsAssignableFrom(type))
            {
                all.Add((IHypothesis)Activator.CreateInstance(type)!);
            }
        }

        // Invariant: names are unique, since reports and mutant expectations refer to hypotheses by name.
        var duplicate = all.GroupBy(h => h.Name).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? all : throw new InvalidOperationException($"two hypotheses share the name '{duplicate.Key}'");
    }
}
