using System.Runtime.InteropServices;
using System.Text;
using Harness.Native;

namespace Harness.Benchmarking;

/// <summary>
/// libbk_timing.so (native/timing): found like the kernel library (HARNESS_TIMING_LIB, next to the loaded
/// libbertkernels.so, next to the program, native/build/*), built only where CUDA is. Its functions are bound as
/// unmanaged function pointers from the loaded handle: the assembly's one DllImport resolver belongs to
/// <see cref="KernelLibraryResolver"/>, and binding by handle keeps the two libraries' lookups apart.
/// </summary>
public sealed unsafe class TimingLibrary
{
    public const string EnvironmentVariable = "HARNESS_TIMING_LIB";
    public const string FileName = "libbk_timing.so";

    private static readonly Lock Gate = new();
    private static TimingLibrary? loaded;

    private readonly delegate* unmanaged<int> abiVersion;
    private readonly delegate* unmanaged<BktDeviceProps*, int> deviceProperties;
    private readonly delegate* unmanaged<BktRequest*, BktSamples*, int> timeVariant;
    private readonly delegate* unmanaged<nint> lastError;

    private TimingLibrary(string path, nint handle)
    {
        Path = path;
        abiVersion = (delegate* unmanaged<int>)NativeLibrary.GetExport(handle, "bkt_abi_version");
        deviceProperties = (delegate* unmanaged<BktDeviceProps*, int>)NativeLibrary.GetExport(handle, "bkt_device_properties");
        timeVariant = (delegate* unmanaged<BktRequest*, BktSamples*, int>)NativeLibrary.GetExport(handle, "bkt_time_variant");
        lastError = (delegate* unmanaged<nint>)NativeLibrary.GetExport(handle, "bkt_last_error");
        var version = abiVersion();
        if (version != BktConstants.AbiVersion)
        {
            throw new TimingException($"{path} implements timing ABI {version}, this harness needs {BktConstants.AbiVersion}");
        }
    }

    public string Path { get; }

    /// <summary>Loads the timer once; throws <see cref="TimingUnavailableException"/> saying where it looked.</summary>
    public static TimingLibrary Load()
    {
        lock (Gate)
        {
            if (loaded is not null)
            {
                return loaded;
            }

            var candidates = Candidates().Distinct().ToList();
            var found = candidates.FirstOrDefault(File.Exists) ?? throw new TimingUnavailableException(
                $"the CUDA timer {FileName} was not found (it is built with the CUDA variants); looked in: {string.Join(", ", candidates)}");
            try
            {
                loaded = new TimingLibrary(found, NativeLibrary.Load(found));
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
            {
                throw new TimingUnavailableException($"cannot load the CUDA timer {found}: {e.Message}");
            }

            return loaded;
        }
    }

    public DeviceProperties Device()
    {
        BktDeviceProps p;
        Check(deviceProperties(&p), "bkt_device_properties");
        ReadOnlySpan<byte> name = p.Name;
        var end = name.IndexOf((byte)0);
        return new DeviceProperties(
            Encoding.UTF8.GetString(end < 0 ? name : name[..end]),
            p.Ordinal,
            p.SmCount,
            $"{p.CcMajor}.{p.CcMinor}",
            p.L2Bytes,
            p.GlobalMemBytes,
            p.RuntimeVersion,
            p.DriverVersion);
    }

    /// <summary>Runs bkt_time_variant for <paramref name="variant"/> of <paramref name="library"/> on the given param sets.</summary>
    internal (double[] Graph, double[] Single, long Nodes) Time(KernelLibrary library, string variant, BkParams[] sets, in TimingPlan plan)
    {
        var graph = new double[plan.Samples];
        var single = new double[plan.Samples];
        var name = Marshal.StringToCoTaskMemUTF8(variant);
        try
        {
            fixed (BkParams* p = sets)
            fixed (double* g = graph)
            fixed (double* s = single)
            {
                var request = new BktRequest
                {
                    AbiVersion = BktConstants.AbiVersion,
                    StructSize = sizeof(BktRequest),
                    Run = library.RunEntryPoint,
                    LastError = NativeLibrary.GetExport(NativeLibrary.Load(library.Path), "bk_last_error"),
                    Variant = name,
                    ParamSets = (nint)p,
                    ParamSetCount = sets.Length,
                    RunsPerGraph = plan.RunsPerGraph,
                    Samples = plan.Samples,
                    Warmup = plan.Warmup,
                    L2Policy = plan.Flush ? BktConstants.L2Flush : BktConstants.L2Rotate,
                    FlushBytes = plan.Flush ? (ulong)plan.FlushBytes : 0,
                };
                var samples = new BktSamples { Capacity = plan.Samples, GraphUs = (nint)g, SingleUs = (nint)s };
                Check(timeVariant(&request, &samples), $"timing '{variant}'");
                return (graph[..samples.Count], single[..samples.Count], samples.GraphNodes);
            }
        }
        finally
        {
            Marshal.FreeCoTaskMem(name);
        }
    }

    private static IEnumerable<string> Candidates()
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env))
        {
            yield return System.IO.Path.GetFullPath(env);
            yield break;
        }

        if (KernelLibraryResolver.BuiltInPath is { } kernels && System.IO.Path.GetDirectoryName(kernels) is { } beside)
        {
            yield return System.IO.Path.Combine(beside, FileName);
        }

        yield return System.IO.Path.Combine(AppContext.BaseDirectory, FileName);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var build = System.IO.Path.Combine(dir.FullName, "native", "build");
            if (Directory.Exists(System.IO.Path.Combine(dir.FullName, "native", "include")))
            {
                yield return System.IO.Path.Combine(build, "release", FileName);
                if (Directory.Exists(build))
                {
                    foreach (var sub in Directory.GetDirectories(build).Order(StringComparer.Ordinal))
                    {
                        yield return System.IO.Path.Combine(sub, FileName);
                    }
                }

                yield break;
            }
        }
    }

    private void Check(int status, string operation)
    {
        if (status == BktConstants.Ok)
        {
            return;
        }

        var message = $"{operation}: {Marshal.PtrToStringUTF8(lastError()) ?? string.Empty}";
        throw status == BktConstants.ErrNoDevice ? new TimingUnavailableException(message) : new TimingException(message);
    }
}

/// <summary>The CUDA device the timer runs on, as bkt_device_properties describes it.</summary>
public sealed record DeviceProperties(string Name, int Ordinal, int SmCount, string ComputeCapability, long L2Bytes, long MemoryBytes, int RuntimeVersion, int DriverVersion);

/// <summary>The CUDA timer failed (a run, a capture, a CUDA call); the message names what.</summary>
public class TimingException(string message) : Exception(message);

/// <summary>The CUDA timer cannot be used here: not built, not loadable, or no CUDA device.</summary>
public sealed class TimingUnavailableException(string message) : TimingException(message);
