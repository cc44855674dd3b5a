using System.Runtime.InteropServices;
using Harness.Cli;

namespace Harness.Tests.Cli;

/// <summary>The GC heap's range advised for transparent huge pages: which mappings it spans, and that the kernel took the advice.</summary>
public sealed class GcHeapHugePagesTests
{
    private static readonly (ulong Start, ulong End)[] Mappings =
    [
        (0x1000, 0x2000),
        (0x5000, 0x6000),
        (0x6000, 0x9000),
        (0x9000, 0xa000),
        (0xc000, 0xd000),
    ];

    [Test]
    public void ContiguousAnonymousRange_AddressInAChain_SpansTheWholeChain() =>
        GcHeapHugePages.ContiguousAnonymousRange(Mappings, 0x6800).Should().Be((0x5000UL, 0xa000UL));

    [Test]
    public void ContiguousAnonymousRange_AddressAtAChainsEnd_SpansTheWholeChain() =>
        GcHeapHugePages.ContiguousAnonymousRange(Mappings, 0x9fff).Should().Be((0x5000UL, 0xa000UL));

    [Test]
    public void ContiguousAnonymousRange_LoneMapping_SpansItAlone() =>
        GcHeapHugePages.ContiguousAnonymousRange(Mappings, 0x1000).Should().Be((0x1000UL, 0x2000UL));

    [Test]
    public void ContiguousAnonymousRange_AddressInAGap_IsNull() =>
        GcHeapHugePages.ContiguousAnonymousRange(Mappings, 0xa000).Should().BeNull();

    [Test]
    public void Advise_OnLinuxWithTransparentHugePages_MarksTheMappingOfALiveObject()
    {
        const string mode = "/sys/kernel/mm/transparent_hugepage/enabled";
        if (!OperatingSystem.IsLinux() || !File.Exists(mode))
        {
            Assert.Ignore($"needs Linux with transparent huge pages ({mode})");
        }

        var live = new byte[64];
        var handle = GCHandle.Alloc(live, GCHandleType.Pinned);
        try
        {
            var address = (ulong)handle.AddrOfPinnedObject();

            var range = GcHeapHugePages.Advise();

            range.Should().NotBeNull();
            range!.Value.Start.Should().BeLessThanOrEqualTo(address);
            range.Value.End.Should().BeGreaterThan(address);
            VmFlagsAt(address).Should().Contain("hg", "smaps lists MADV_HUGEPAGE as the VmFlag hg");
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>The VmFlags of the mapping holding <paramref name="address"/>, from /proc/self/smaps.</summary>
    private static string[] VmFlagsAt(ulong address)
    {
        var inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), System.Globalization.NumberStyles.HexNumber, null, out var start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), System.Globalization.NumberStyles.HexNumber, null, out var end))
            {
                inside = start <= address && address < end;
            }
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                return line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        return [];
    }
}
