using Harness.Model;

namespace Harness.Benchmarking;

/// <summary>
/// What the device can do at best, measured once per bench run: the fp16 tensor-core rate of a large GEMM and the
/// bandwidth of a large device-to-device copy (bytes read plus bytes written per second).
/// </summary>
/// <param name="Fp16FlopsPerSecond">Sustained fp16 GEMM rate (FLOP/s).</param>
/// <param name="CopyBytesPerSecond">Device copy bandwidth, read + write bytes per second.</param>
/// <param name="GemmSize">n of the n×n×n GEMM measured.</param>
/// <param name="CopyBytes">Bytes of the tensor copied.</param>
public sealed record DeviceFloor(double Fp16FlopsPerSecond, double CopyBytesPerSecond, int GemmSize, long CopyBytes)
{
    /// <summary>The floor of one layer: the larger of its FLOPs at the GEMM rate and its bytes at the copy bandwidth.</summary>
    public ShapeFloor For(LayerShape shape, int elementBytes)
    {
        var cost = LayerCost.Of(shape, elementBytes);
        return new ShapeFloor(shape, cost, cost.Flops / Fp16FlopsPerSecond * 1e6, cost.Bytes / CopyBytesPerSecond * 1e6);
    }
}

/// <summary>The floor of one shape: compute-bound and memory-bound times, in microseconds.</summary>
public sealed record ShapeFloor(LayerShape Shape, LayerCost Cost, double ComputeMicroseconds, double MemoryMicroseconds)
{
    public double Microseconds => Math.Max(ComputeMicroseconds, MemoryMicroseconds);

    public string Bound => ComputeMicroseconds >= MemoryMicroseconds ? "compute" : "memory";
}
