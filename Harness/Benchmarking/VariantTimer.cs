using Harness.Kernels;
using Harness.Model;
using TorchSharp;

namespace Harness.Benchmarking;

/// <summary>Runs, samples and warm-up of one timing (passed to the native timer as they are).</summary>
internal readonly record struct TimingPlan(int Samples, int Warmup, int RunsPerGraph, bool Flush, long FlushBytes);

/// <summary>
/// Times one variant at one shape. CUDA: K prepared calls (K·set > 2·L2 for <see cref="L2Policy.Rotate"/>, 1 for
/// <see cref="L2Policy.Flush"/>), their async params handed to the native timer. CPU: one prepared call, each run
/// timed by the host clock around bk_run alone (outputs re-poisoned outside the timed region).
/// </summary>
internal static class VariantTimer
{
    public static Measurement TimeCuda(TimingLibrary timer, KernelVariant variant, KernelRequest request, long l2Bytes, BenchSettings settings)
    {
        var setBytes = LayerCost.Of(request.Shape, variant.Dtype == ElementType.Float16 ? 2 : 4).Bytes;
        var sets = settings.ParameterSets(setBytes, l2Bytes);
        var runs = sets * (int)Math.Ceiling(settings.RunsPerGraph / (double)sets);
        var calls = new List<PreparedKernelCall>();
        try
        {
            for (var i = 0; i < sets; i++)
            {
                calls.Add(new PreparedKernelCall(variant, request, settings.Wanted(variant)));
            }

            // The timer's stream does not wait for torch's: every upload must be complete before it starts.
            torch.cuda.synchronize();
            var parameters = calls.Select(c => c.AsyncParameters(0)).ToArray();
            var plan = new TimingPlan(settings.Samples, settings.Warmup, runs, settings.L2 == L2Policy.Flush, 2 * l2Bytes);
            var (graph, single, nodes) = timer.Time(variant.Library, variant.Name, parameters, plan);
            GC.KeepAlive(calls);
            return new Measurement("cuda-graph", SampleSummary.Of(graph), SampleSummary.Of(single), sets, setBytes, runs, nodes);
        }
        finally
        {
            foreach (var c in calls)
            {
                c.Dispose();
            }
        }
    }

    public static Measurement TimeCpu(KernelVariant variant, KernelRequest request, BenchSettings settings)
    {
        using var call = new PreparedKernelCall(variant, request, settings.Wanted(variant));
        var times = Enumerable.Range(0, settings.Warmup + settings.Samples)
            .Select(_ => call.Invoke().TotalMicroseconds)
            .Skip(settings.Warmup)
            .ToList();
        var setBytes = LayerCost.Of(request.Shape, variant.Dtype == ElementType.Float16 ? 2 : 4).Bytes;
        return new Measurement("host-stopwatch", SampleSummary.Of(times), null, 1, setBytes, 1, 0);
    }
}
