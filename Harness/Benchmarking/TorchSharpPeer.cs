using System.Diagnostics;
using Harness.Model;
using Harness.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Benchmarking;

/// <summary>
/// The harness's own TorchSharp reference layer as a peer: its stages (<see cref="StageCatalog"/>) run eagerly on the
/// GPU in the variant's semantics, fp16 storage with fp32 compute, explicit softmax (the reference has no SDPA path).
/// Weights and input are on the device before timing; K copies are rotated like the variants' parameter sets.
/// Timed by the host clock around N forwards between two device synchronisations (per-run = elapsed / N).
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
        var contexts = new List<StageContext>();
        try
        {
            var inputs = new List<Tensor>();
            for (var i = 0; i < sets; i++)
            {
                var ctx = StageContext.Create(c.Shape, c.Weights, c.Inputs.AttentionMask, preset, ElementType.Float16, "cuda");
                contexts.Add(ctx);
                inputs.Add(ctx.Load(c.Inputs.Hidden));
            }

            void Forward(int i)
            {
                using var scope = NewDisposeScope();
                var tensors = new Dictionary<string, Tensor> { [TensorNames.Input] = inputs[i % sets] };
                foreach (var stage in StageCatalog.Stages)
                {
                    foreach (var (name, t) in StageCatalog.Recompute(stage.Name, tensors, contexts[i % sets]))
                    {
                        tensors[name] = t;
                    }
                }
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

            var description = $"Harness/Reference stages, {semantics} semantics, fp16 storage / fp32 compute, explicit attention (no SDPA path in the reference), eager, {sets} sets rotated, host clock around {runs} runs";
            return new PeerResult(Name, description, c.Shape, semantics, SampleSummary.Of(samples), null);
        }
        finally
        {
            foreach (var ctx in contexts)
            {
                ctx.Dispose();
            }
        }
    }
}
