using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Harness.Native;
using Harness.Tests.Support;

namespace Harness.Tests.Native;

/// <summary>
/// Every field of every mirrored struct sits where the C compiler put it: each C# field (by reflection, in
/// declaration order) is matched by name to the C field the layout-probe library lists at the same position, and its
/// Marshal.OffsetOf is compared with that library's offsetof. Sizes too, and the ABI 1 prefix sizes.
/// </summary>
public sealed unsafe class StructLayoutTests
{
    /// <summary>C# names whose snake_case spelling is not the mechanical one.</summary>
    private static readonly Dictionary<string, string> Spellings = new()
    {
        ["LayerNormEps"] = "layernorm_eps",
        ["LayerNormScalarGamma"] = "layernorm_scalar_gamma",
        ["LayerNormScalarBeta"] = "layernorm_scalar_beta",
    };

    private static readonly Lazy<nint> Probe = new(() => NativeLibrary.Load(TestLibraries.LayoutProbe));

    public static IEnumerable<TestCaseData> Structs() =>
    [
        new TestCaseData(typeof(BkParams), "bk_params").SetName("BkParams/bk_params"),
        new TestCaseData(typeof(BkVariantInfo), "bk_variant_info").SetName("BkVariantInfo/bk_variant_info"),
        new TestCaseData(typeof(BkTensorInfo), "bk_tensor_info").SetName("BkTensorInfo/bk_tensor_info"),
        new TestCaseData(typeof(BkDims), "bk_dims").SetName("BkDims/bk_dims"),
        new TestCaseData(typeof(BkDimLimit), "bk_dim_limit").SetName("BkDimLimit/bk_dim_limit"),
        new TestCaseData(typeof(BkShapeLimits), "bk_shape_limits").SetName("BkShapeLimits/bk_shape_limits"),
    ];

    [TestCaseSource(nameof(Structs))]
    public void Fields_EveryMirroredField_SameNameOrderAndOffsetAsC(Type mirror, string cStruct)
    {
        var fields = mirror.GetFields(BindingFlags.Public | BindingFlags.Instance);
        var count = FieldCount(cStruct);

        count.Should().BePositive("the probe knows {0} and lists its fields in declaration order", cStruct);
        fields.Select(f => CName(f.Name)).Should().Equal(Enumerable.Range(0, count).Select(i => FieldName(cStruct, i)), "C# mirrors {0} field by field", cStruct);
        foreach (var field in fields)
        {
            ((long)Marshal.OffsetOf(mirror, field.Name)).Should().Be(Offset(cStruct, CName(field.Name)), "offsetof({0}, {1})", cStruct, CName(field.Name));
        }
    }

    [TestCaseSource(nameof(Structs))]
    public void Size_Mirror_EqualsCSizeof(Type mirror, string cStruct)
    {
        ((long)Marshal.SizeOf(mirror)).Should().Be(Offset(cStruct, "sizeof"));
    }

    [Test]
    public void Abi1Sizes_Constants_AreTheOffsetsOfTheFirstAbi2Fields()
    {
        BkConstants.ParamsAbi1Size.Should().Be((int)Offset("bk_params", "run_flags"));
        BkConstants.VariantInfoAbi1Size.Should().Be((int)Offset("bk_variant_info", "flags"));
    }

    [Test]
    public void Probe_UnknownField_IsMinusOne()
    {
        // The comparison above is only as good as the probe: it must not answer 0 for a name it does not know.
        Offset("bk_params", "no_such_field").Should().Be(-1);
    }

    /// <summary>PascalCase to the header's snake_case: Fc1Weight → fc1_weight, HeadSize → head_size.</summary>
    private static string CName(string csharp)
    {
        if (Spellings.TryGetValue(csharp, out var spelled))
        {
            return spelled;
        }

        var sb = new StringBuilder();
        for (var i = 0; i < csharp.Length; i++)
        {
            if (char.IsUpper(csharp[i]) && i > 0)
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(csharp[i]));
        }

        return sb.ToString();
    }

    private static long Offset(string cStruct, string field)
    {
        var f = (delegate* unmanaged<byte*, byte*, long>)NativeLibrary.GetExport(Probe.Value, "bk_probe_offset");
        fixed (byte* s = Utf8(cStruct))
        fixed (byte* n = Utf8(field))
        {
            return f(s, n);
        }
    }

    private static int FieldCount(string cStruct)
    {
        var f = (delegate* unmanaged<byte*, int>)NativeLibrary.GetExport(Probe.Value, "bk_probe_field_count");
        fixed (byte* s = Utf8(cStruct))
        {
            return f(s);
        }
    }

    private static string? FieldName(string cStruct, int index)
    {
        var f = (delegate* unmanaged<byte*, int, nint>)NativeLibrary.GetExport(Probe.Value, "bk_probe_field_name");
        fixed (byte* s = Utf8(cStruct))
        {
            return Marshal.PtrToStringUTF8(f(s, index));
        }
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s + "\0");
}
