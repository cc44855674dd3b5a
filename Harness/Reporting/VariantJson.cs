using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Kernels;

namespace Harness.Reporting;

/// <summary>
/// The registry as JSON (`harness variants --json`), so scripts take variant lists and shapes from the libraries
/// instead of hand-written names: every library with its ABI, every variant with device, semantics, dtype, flags
/// and per-dimension limits (min, max 0 = unbounded, multipleOf 0 or 1 = any).
/// </summary>
public static class VariantJson
{
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static void Write(TextWriter writer, VariantCatalog catalog) => writer.WriteLine(Of(catalog).ToJsonString(Options));

    public static JsonObject Of(VariantCatalog catalog) => new()
    {
        ["schemaVersion"] = SchemaVersion,
        ["libraries"] = new JsonArray(catalog.Libraries.Select(l => (JsonNode?)new JsonObject
        {
            ["path"] = l.Path,
            ["abi"] = l.AbiVersion,
            ["builtIn"] = l.IsBuiltIn,
        }).ToArray()),
        ["variants"] = new JsonArray(catalog.Variants.Select(v => (JsonNode?)Variant(v)).ToArray()),
    };

    public static JsonObject Variant(KernelVariant v) => new()
    {
        ["name"] = v.Name,
        ["library"] = v.Library.Path,
        ["libraryAbi"] = v.Abi,
        ["external"] = v.IsExternal,
        ["device"] = v.Device.ToString().ToLowerInvariant(),
        ["semantics"] = new JsonArray(v.Semantics.Select(s => (JsonNode?)s).ToArray()),
        ["defaultSemantics"] = v.DefaultSemantics,
        ["dtype"] = v.Dtype.ToString().ToLowerInvariant(),
        ["weightLayout"] = v.Layout == WeightLayout.InOut ? "in_out" : "out_in",
        ["defaultAccumulationGroup"] = v.DefaultAccumulationGroup,
        ["flags"] = new JsonArray(FlagNames(v.Flags).Select(f => (JsonNode?)f).ToArray()),
        ["async"] = v.SupportsAsync,
        ["testOnly"] = v.IsTestOnly,
        ["limits"] = Limits(v.Limits),
        ["shapes"] = v.Shapes,
        ["outputs"] = new JsonArray(v.Outputs.Select(o => (JsonNode?)o).ToArray()),
        ["description"] = v.Description,
    };

    /// <summary>The flag names, kebab-case, in bit order ("async", "nondeterministic", "test-only").</summary>
    public static IEnumerable<string> FlagNames(VariantProperties flags) =>
        Enum.GetValues<VariantProperties>().Where(f => f != VariantProperties.None && flags.HasFlag(f)).Select(f => f switch
        {
            VariantProperties.TestOnly => "test-only",
            _ => f.ToString().ToLowerInvariant(),
        });

    private static JsonObject Limits(ShapeLimits limits)
    {
        var o = new JsonObject();
        foreach (var (name, _, l) in limits.Dimensions())
        {
            o[name] = new JsonObject { ["min"] = l.Min, ["max"] = l.Max, ["multipleOf"] = l.MultipleOf };
        }

        return o;
    }
}
