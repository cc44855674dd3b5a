using Harness.Kernels;
using Harness.Model;

namespace Harness.Isolation;

/// <summary>
/// What a worker process runs: which libraries to load (the built-in one by path, then the out-of-tree ones), which
/// variant, how many runs, whether the first run's outputs are sent before the reruns (<see cref="FirstRunFile"/>), and
/// the whole <see cref="KernelRequest"/> (inputs and weights as float64 values).
/// </summary>
internal sealed record WorkerRequest(string BuiltInLibrary, IReadOnlyList<string> ExternalLibraries, string Variant, int Runs, bool ReturnOutputs, bool FirstRunEarly, KernelRequest Kernel)
{
    private const string Magic = "bk-worker-request-3";

    /// <summary>Where a worker asked for <see cref="FirstRunEarly"/> writes the first run's response, beside the final one.</summary>
    public static string FirstRunFile(string responsePath) => responsePath + ".first";

    public void Write(string path) => WorkerStreams.WriteAtomically(path, w =>
    {
        w.Write(Magic);
        w.Write(BuiltInLibrary);
        w.Write(ExternalLibraries.Count);
        foreach (var library in ExternalLibraries)
        {
            w.Write(library);
        }

        w.Write(Variant);
        w.Write(Runs);
        w.Write(ReturnOutputs);
        w.Write(FirstRunEarly);
        var s = Kernel.Shape;
        foreach (var d in new[] { s.Batch, s.Sequence, s.Heads, s.HeadSize, s.Intermediate })
        {
            w.Write(d);
        }

        w.Write(Kernel.Semantics);
        w.Write(Kernel.AccumulationGroup);
        w.Write((int)Kernel.AccumulationRounding);
        w.WriteTensor(Kernel.Inputs.Hidden);
        w.Write(Kernel.Inputs.AttentionMask is not null);
        if (Kernel.Inputs.AttentionMask is { } mask)
        {
            w.WriteTensor(mask);
        }

        foreach (var (_, get) in LayerWeights.Parameters)
        {
            w.WriteTensor(get(Kernel.Weights));
        }

        w.Write(Kernel.Weights.LayerNormScalarGamma);
        w.Write(Kernel.Weights.LayerNormScalarBeta);
    });

    public static WorkerRequest Read(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        r.Expect(Magic, path);
        var builtIn = r.ReadString();
        var externals = Enumerable.Range(0, r.ReadInt32()).Select(_ => r.ReadString()).ToList();
        var variant = r.ReadString();
        var runs = r.ReadInt32();
        var returnOutputs = r.ReadBoolean();
        var firstRunEarly = r.ReadBoolean();
        var shape = new LayerShape(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
        var semantics = r.ReadString();
        var group = r.ReadInt32();
        var rounding = (AccumulationRounding)r.ReadInt32();
        var hidden = r.ReadTensor();
        var mask = r.ReadBoolean() ? r.ReadTensor() : null;
        var parameters = LayerWeights.Parameters.ToDictionary(p => p.Suffix, _ => r.ReadTensor());
        var weights = LayerWeights.FromParameters(suffix => parameters[suffix]) with
        {
            LayerNormScalarGamma = r.ReadDouble(),
            LayerNormScalarBeta = r.ReadDouble(),
        };
        return new WorkerRequest(builtIn, externals, variant, runs, returnOutputs, firstRunEarly, new KernelRequest(shape, new LayerInputs(hidden, mask), weights, semantics, group, rounding));
    }
}
