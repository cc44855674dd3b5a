using System.Collections.Concurrent;
using Harness.Scenarios;

namespace Harness.Tests.Diagnosis.Scenarios;

/// <summary>Shipped scenarios materialised once per test run without a checkpoint (a bert-base one takes about half a second).</summary>
internal static class ShippedInstances
{
    public static readonly string[] Names = ["constant-debug", "activation-override", "random", "small", "small-round", "padded", "layout-probe", "seed-case"];

    private static readonly ConcurrentDictionary<string, Lazy<ScenarioInstance>> Cache = new(StringComparer.Ordinal);

    public static ScenarioInstance Get(string name) =>
        Cache.GetOrAdd(name, n => new Lazy<ScenarioInstance>(() => ScenarioCatalog.Resolve(n).Materialize(MaterializeOptions.None))).Value;
}
