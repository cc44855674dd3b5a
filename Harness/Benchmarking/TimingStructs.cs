using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Harness.Benchmarking;

// Field-by-field mirrors of native/timing/bk_timing.h. Blittable; C pointers are nint.

/// <summary>Mirror of <c>bkt_request</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BktRequest
{
    public int AbiVersion;
    public int StructSize;
    public nint Run;
    public nint LastError;
    public nint Variant;
    public nint ParamSets;
    public int ParamSetCount;
    public int RunsPerGraph;
    public int Samples;
    public int Warmup;
    public int L2Policy;
    public int Reserved;
    public ulong FlushBytes;
}

/// <summary>Mirror of <c>bkt_samples</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BktSamples
{
    public int Capacity;
    public int Count;
    public nint GraphUs;
    public nint SingleUs;
    public long GraphNodes;
}

/// <summary>Mirror of <c>char name[256]</c>.</summary>
[InlineArray(256)]
internal struct BktDeviceName
{
    private byte _element0;
}

/// <summary>Mirror of <c>bkt_device_props</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BktDeviceProps
{
    public BktDeviceName Name;
    public int Ordinal;
    public int SmCount;
    public int CcMajor;
    public int CcMinor;
    public long L2Bytes;
    public long GlobalMemBytes;
    public int RuntimeVersion;
    public int DriverVersion;
}

/// <summary>The #define constants of bk_timing.h.</summary>
internal static class BktConstants
{
    public const int AbiVersion = 1;
    public const int Ok = 0;
    public const int ErrInvalidArgument = 1;
    public const int ErrNoDevice = 2;
    public const int ErrRun = 3;
    public const int ErrCapture = 4;
    public const int ErrDevice = 5;
    public const int L2Rotate = 0;
    public const int L2Flush = 1;
}
