using System.Diagnostics;
using Harness.Model;
using Harness.Reference;
using Harness.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Benchmarking;

/// <summary>
/// The TorchSharp peer: <see cref="SdpaBertLayer"/>, the Hugging Face BertLayer as a TorchSharp user writes it (fp16,
/// scaled_dot_product_attention), eager on the GPU. It is the peer of every variant at its shape, whatever the
/// variant's semantics: the work is the same, and no framework layer computes the Souffle departures (timing the
/// harness's emulating reference stages instead measured the fp16-accumulation emulator: 2026-11-25, H200, 40 s per
/// Souffle row at B=1, S=384). Weights and input are on the device before timing; K copies are rotated like the
/// variants' parameter sets. Timed by the host clock around N forwards between two device synchronisations
/// (per-run = elapsed / N), which eager execution allows: the host only enqueues.
/// </summary>
public static class TorchSharpPeer
{
    public const string Name = "torchsharp-bertlayer-sdpa eager";

    public static PeerResult Time(BenchCase c, long l2Bytes, BenchSettings settings)
    {
        var preset = LayerSemantics.HuggingFace;
        var setBytes = LayerCost.Of(c.Shape, 2).Bytes;
        var sets = settings.ParameterSets(setBytes, l2Bytes);
        var runs = sets * (int)Math.Ceiling(settings.RunsPerGraph / (double)sets);
        var disposables = new List<IDisposable>();
        try
        {
            var forwards = new List<Action>();
            for (var i = 0; i < sets; i++)
            {
                var layer = new SdpaBertLayer(c.Shape, c.Weights, c.Inputs.AttentionMask, preset.LayerNormEps, CUDA);
                disposables.Add(layer);
                var input = HostTensors.ToTorch(c.Inputs.Hidden, ScalarType.Float16, CUDA);
                disposables.Add(input);
                forwards.Add(() => layer.Forward(input));
            }

            void Forward(int i)
            {
                using var scope = NewDisposeScope();
                forwards[i % sets]();
            }

            for (var i = 0; i < settings.Warmup; i++)
            {
                Forward(i);
            }

            var samples = new List<double>();
            for (var s = 0; s < settings.Samples; s++)
            {
                cuda.synchronize();
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < runs; i++)
                {
                    Forward(i);
                }

                cuda.synchronize();
                samples.Add(clock.Elapsed.TotalMicroseconds / runs);
            }

            var description = $"TorchSharp BertLayer (fp16, F.linear, scaled_dot_product_attention, GELU, LayerNorm), Hugging Face semantics, eager, {sets} sets rotated, host clock around {runs} runs";
            return new PeerResult(Name, description, c.Shape, preset.Name, SampleSummary.Of(samples), null);
        }
        finally
        {
            foreach (var d in disposables)
            {
                d.Dispose();
            }
        }
    }
}
