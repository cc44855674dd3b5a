using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Benchmarking;

/// <summary>
/// Measures the <see cref="DeviceFloor"/> through TorchSharp on the CUDA device: the best of a few timed batches of
/// n×n×n fp16 matmuls, and of large tensor copies (copy_), each batch synchronised before and after.
/// </summary>
public static class FloorProbe
{
    public const int GemmSize = 8192;
    public const long CopyBytes = 1L << 30;
    private const int Batches = 5;
    private const int GemmsPerBatch = 10;
    private const int CopiesPerBatch = 20;

    public static DeviceFloor Measure()
    {
        using var scope = NewDisposeScope();
        var device = CUDA;
        var a = randn([GemmSize, GemmSize], ScalarType.Float16, device);
        var b = randn([GemmSize, GemmSize], ScalarType.Float16, device);
        var gemmSeconds = Best(
            () =>
            {
                using var product = mm(a, b);
            },
            GemmsPerBatch,
            device);
        var flops = 2.0 * GemmSize * GemmSize * GemmSize / gemmSeconds;

        var src = empty([CopyBytes / 2], ScalarType.Float16, device).fill_(1);
        var dst = empty([CopyBytes / 2], ScalarType.Float16, device);
        var copySeconds = Best(() => dst.copy_(src), CopiesPerBatch, device);
        return new DeviceFloor(flops, 2.0 * CopyBytes / copySeconds, GemmSize, CopyBytes);
    }

    /// <summary>Seconds per call: the best batch of <paramref name="perBatch"/> calls after one warm-up batch.</summary>
    private static double Best(Action call, int perBatch, Device device)
    {
        var best = double.MaxValue;
        for (var batch = 0; batch <= Batches; batch++)
        {
            cuda.synchronize(device);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < perBatch; i++)
            {
                call();
            }

            cuda.synchronize(device);
            if (batch > 0)
            {
                best = Math.Min(best, clock.Elapsed.TotalSeconds / perBatch);
            }
        }

        return best;
    }
}
