using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Fluent.Syntax.Elements.Types;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Harness.Tests.Layering;

/// <summary>
/// The house layering as data, and the ArchUnitNET rules made from it. Each role is a namespace under a root
/// ("Harness" for the harness; the planted tests use a fake root), sub-namespaces included. The rules are built
/// for any root, so the planted wrong-way references are judged by exactly the rules the harness is judged by.
/// </summary>
internal static class LayerRules
{
    /// <summary>
    /// Each role and the roles it may use besides itself; every other dependency is against the direction.
    /// Cli → Reporting → Diagnosis → Comparison → (Reference, Isolation → Kernels → Native); Reporting →
    /// Benchmarking → (Reference, Isolation, Kernels, Native); Dumps → Scenarios, both used by Comparison and up.
    /// Isolation runs a variant in a worker process: Kernels' run, moved out of the harness's process (and under
    /// compute-sanitizer). Soak verifies many reseeded cases (Comparison over Scenarios) and returns their distributions; History
    /// (the nightly's entries and regressions, from JSON) uses no other role. Comparison and Diagnosis
    /// speak Kernels' words only: Native is used by Kernels and by the roles that time (Benchmarking: the CUDA
    /// timer), print (Reporting: a library's path and ABI) or map errors to exit codes (Cli). Model and Torch are
    /// leaves: any role may use them, Torch uses Model only (it maps Model's types to TorchSharp's), Model nothing.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> MayUse { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["Model"] = [],
        ["Torch"] = ["Model"],
        ["Native"] = ["Model", "Torch"],
        ["Scenarios"] = ["Model", "Torch"],
        ["Reference"] = ["Model", "Torch"],
        ["Kernels"] = ["Model", "Torch", "Native"],
        ["Dumps"] = ["Model", "Torch", "Scenarios"],
        ["Isolation"] = ["Model", "Torch", "Kernels", "Native"],
        ["Comparison"] = ["Model", "Torch", "Reference", "Isolation", "Kernels", "Scenarios", "Dumps"],
        ["Benchmarking"] = ["Model", "Torch", "Reference", "Isolation", "Kernels", "Native"],
        ["Diagnosis"] = ["Model", "Torch", "Comparison", "Reference", "Isolation", "Kernels", "Scenarios", "Dumps"],
        ["Soak"] = ["Model", "Torch", "Comparison", "Isolation", "Kernels", "Scenarios"],
        ["History"] = [],
        ["Reporting"] = ["Model", "Torch", "History", "Soak", "Diagnosis", "Comparison", "Benchmarking", "Reference", "Isolation", "Kernels", "Native", "Scenarios", "Dumps"],
        ["Cli"] = ["Model", "Torch", "History", "Soak", "Reporting", "Diagnosis", "Comparison", "Benchmarking", "Reference", "Isolation", "Kernels", "Native", "Scenarios", "Dumps"],
    };

    public static IReadOnlyList<string> Roles => [.. MayUse.Keys];

    /// <summary>The roles that compute and return typed data: only Reporting prints or writes.</summary>
    public static IReadOnlyList<string> Silent { get; } = ["Comparison", "Diagnosis", "Soak", "History"];

    /// <summary>What a silent role may not touch: the console, files and directories, and the console library.</summary>
    public static IReadOnlyList<string> ConsoleAndFileTypes { get; } =
    [
        "System.Console",
        "System.IO.File",
        "System.IO.Directory",
        "System.IO.FileStream",
        "System.IO.FileInfo",
        "System.IO.DirectoryInfo",
        "System.IO.StreamWriter",
    ];

    public const string ConsoleLibraryNamespace = "Spectre.Console";

    /// <summary>The roles <paramref name="role"/> may not use: every other role not in <see cref="MayUse"/>.</summary>
    public static IReadOnlyList<string> Forbidden(string role) => Roles.Where(r => r != role && !MayUse[role].Contains(r)).ToList();

    /// <summary>The types of <paramref name="role"/> under <paramref name="root"/> depend on none of its forbidden roles (a role that may use all others has no rule).</summary>
    public static IArchRule Direction(string root, string role) =>
        Types().That().ResideInNamespaceOrBelow($"{root}.{role}")
            .Should().NotDependOnAny(InRoles(root, Forbidden(role)))
            .Because(MayUse[role].Count == 0 ? $"{role} uses no other role" : $"{role} may use only {string.Join(", ", MayUse[role])}");

    /// <summary>The types of <paramref name="role"/> under <paramref name="root"/> touch neither the console nor files.</summary>
    public static IArchRule NoConsoleOrFiles(string root, string role)
    {
        var forbidden = Types(true).That().HaveFullName(ConsoleAndFileTypes[0]);
        foreach (var name in ConsoleAndFileTypes.Skip(1))
        {
            forbidden = forbidden.Or().HaveFullName(name);
        }

        return Types().That().ResideInNamespaceOrBelow($"{root}.{role}")
            .Should().NotDependOnAny(forbidden.Or().ResideInNamespaceOrBelow(ConsoleLibraryNamespace))
            .Because($"{role} computes and returns typed data; only Reporting prints or writes");
    }

    private static GivenTypesConjunction InRoles(string root, IReadOnlyList<string> roles)
    {
        var types = Types().That().ResideInNamespaceOrBelow($"{root}.{roles[0]}");
        foreach (var role in roles.Skip(1))
        {
            types = types.Or().ResideInNamespaceOrBelow($"{root}.{role}");
        }

        return types;
    }
}
