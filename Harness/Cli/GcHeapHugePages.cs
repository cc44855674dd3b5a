using System.Globalization;
using System.Runtime.InteropServices;

namespace Harness.Cli;

/// <summary>
/// The GC heap's address range is advised for transparent huge pages (madvise MADV_HUGEPAGE) when the process starts,
/// in the harness and in a kernel's worker. On the development VM every first touch of a fresh 4 KB page is a slow page
/// fault (~15 µs: copying a 2.4 MB float64 reference tensor into a new array took 9 ms), and README's seed case fills
/// more than a gigabyte of fresh arrays. With the kernel's THP mode "madvise" (Debian's default) a 2 MB page then costs
/// one fault instead of 512; with "always" the advice changes nothing and with "never" it is ignored. Memory the GC gives
/// back and later commits again is mapped anew without the advice, so this helps most while the heap first grows.
/// </summary>
public static partial class GcHeapHugePages
{
    private const int HugePageAdvice = 14;  // MADV_HUGEPAGE

    /// <summary>
    /// Advises the anonymous mapping holding a fresh GC object and every anonymous mapping contiguous with it (the
    /// heap's committed regions and the reservation around them); the range advised, or null where none was (not Linux,
    /// no such mapping, or madvise refused).
    /// </summary>
    public static (ulong Start, ulong End)? Advise()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var probe = new byte[16];
        var handle = GCHandle.Alloc(probe, GCHandleType.Pinned);
        try
        {
            var range = ContiguousAnonymousRange(AnonymousMappings(), (ulong)handle.AddrOfPinnedObject());
            return range is { } r && Madvise((nint)r.Start, (nuint)(r.End - r.Start), HugePageAdvice) == 0 ? r : null;
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>The span of anonymous mappings contiguous with the one holding <paramref name="address"/> (mappings sorted by start).</summary>
    public static (ulong Start, ulong End)? ContiguousAnonymousRange(IReadOnlyList<(ulong Start, ulong End)> mappings, ulong address)
    {
        var at = -1;
        for (var i = 0; i < mappings.Count; i++)
        {
            if (mappings[i].Start <= address && address < mappings[i].End)
            {
                at = i;
                break;
            }
        }

        if (at < 0)
        {
            return null;
        }

        var first = at;
        while (first > 0 && mappings[first - 1].End == mappings[first].Start)
        {
            first--;
        }

        var last = at;
        while (last + 1 < mappings.Count && mappings[last].End == mappings[last + 1].Start)
        {
            last++;
        }

        return (mappings[first].Start, mappings[last].End);
    }

    /// <summary>
    /// The process's anonymous private mappings (no file, not the brk heap or a stack), in address order; none where
    /// /proc/self/maps cannot be read (a start-up optimisation never stops the harness).
    /// </summary>
    private static List<(ulong Start, ulong End)> AnonymousMappings()
    {
        var mappings = new List<(ulong Start, ulong End)>();
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/maps");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return mappings;
        }

        foreach (var line in lines)
        {
            // start-end perms offset dev inode [path]
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5 || fields[4] != "0" || fields[1].EndsWith('s')
                || (fields.Length == 6 && !fields[5].StartsWith("[anon:", StringComparison.Ordinal)))
            {
                continue;
            }

            var bounds = fields[0].Split('-');
            if (bounds.Length == 2
                && ulong.TryParse(bounds[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
                && ulong.TryParse(bounds[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
            {
                mappings.Add((start, end));
            }
        }

        return mappings;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
