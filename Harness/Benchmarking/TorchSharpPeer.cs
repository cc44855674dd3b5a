using System.Diagnostics;
using Harness.Model;
using Harness.Reference;
using Harness.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Benchmarking;

/// <summary>
/// The TorchSharp peer, eager on the GPU in the variant's semantics. Hugging Face semantics: <see cref="SdpaBertLayer"/>
/// (fp16, scaled_dot_product_attention), the layer as a TorchSharp user writes it. Souffle semantics, which no
/// framework layer computes: the harness's reference stages (<see cref="StageCatalog"/>), fp16 storage with fp32
/// compute and explicit attention. Weights and input are on the device before timing; K copies are rotated like the
/// variants' parameter sets. Timed by the host clock around N forwards between two device synchronisations
/// (per-run = elapsed / N), which eager execution allows: the host only enqueues.
/// </summary>
public static class TorchSharpPeer
{
    public const string Name = "torchsharp-reference eager";

    public static PeerResult Time(BenchCase c, string semantics, long l2Bytes, BenchSettings settings)
    {
        var preset = LayerSemantics.Preset(semantics);
        var setBytes = LayerCost.Of(c.Shape, 4).Bytes;
        var sets = settings.ParameterSets(setBytes, l2Bytes);
        var runs = sets * (int)Math.Ceiling(settings.RunsPerGraph / (double)sets);
        var disposables = new List<IDisposable>();
        try
        {
            var forwards = new List<Action>();
            for (var i = 0; i < sets; i++)
            {
                forwards.Add(preset.Name == LayerSemantics.HuggingFace.Name
                    ? SdpaForward(c, preset, disposables)
                    : StageForward(c, preset, disposables));
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

            var what = preset.Name == LayerSemantics.HuggingFace.Name
                ? "TorchSharp BertLayer (fp16, F.linear, scaled_dot_product_attention, GELU, LayerNorm)"
                : $"Harness/Reference stages in {semantics} semantics (fp16 storage / fp32 compute, explicit attention: no framework layer computes it)";
            var description = $"{what}, eager, {sets} sets rotated, host clock around {runs} runs";
            return new PeerResult(Name, description, c.Shape, semantics, SampleSummary.Of(samples), null);
        }
        finally
        {
            foreach (var d in disposables)
            {
                d.Dispose();
            }
        }
    }

    private static Action SdpaForward(BenchCase c, LayerSemantics preset, List<IDisposable> disposables)
    {
        var layer = new SdpaBertLayer(c.Shape, c.Weights, c.Inputs.AttentionMask, preset.LayerNormEps, CUDA);
        disposables.Add(layer);
        var input = HostTensors.ToTorch(c.Inputs.Hidden, ScalarType.Float16, CUDA);
        disposables.Add(input);
        return () => layer.Forward(input);
    }

    private static Action StageForward(BenchCase c, LayerSemantics preset, List<IDisposable> disposables)
    {
        var ctx = StageContext.Create(c.Shape, c.Weights, c.Inputs.AttentionMask, preset, ElementType.Float16, "cuda");
        disposables.Add(ctx);
        var input = ctx.Load(c.Inputs.Hidden);
        return () =>
        {
            var tensors = new Dictionary<string, Tensor> { [TensorNames.Input] = input };
            foreach (var stage in StageCatalog.Stages)
            {
                foreach (var (name, t) in StageCatalog.Recompute(stage.Name, tensors, ctx))
                {
                    tensors[name] = t;
                }
            }
        };
    }
}
