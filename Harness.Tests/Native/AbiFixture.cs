using System.Runtime.InteropServices;
using Harness.Native;

namespace Harness.Tests.Native;

/// <summary>
/// Host buffers for a tiny valid call (B=1, S=2, H=1, D=2, F=3, float32, [out,in]) so each misuse test changes
/// exactly one thing. Buffers are pinned for the fixture's lifetime.
/// </summary>
internal sealed class AbiFixture : IDisposable
{
    private readonly List<GCHandle> pins = [];

    public AbiFixture()
    {
        Library = KernelLibrary.BuiltIn();
        Params = KernelLibrary.NewParams();
        Params.Dims = new BkDims { Batch = 1, Seq = 2, Heads = 1, HeadSize = 2, Intermediate = 3 };
        Params.Dtype = BkConstants.DtypeF32;
        Params.Semantics = BkConstants.SemanticsHuggingFace;
        Params.LayerNormEps = 1e-12f;
        Params.LayerNormScalarGamma = 1f;
        Params.Input = Pin(new float[4]);
        Params.QkvWeight = Pin(new float[12]);
        Params.AttnDenseWeight = Pin(new float[4]);
        Params.Fc1Weight = Pin(new float[6]);
        Params.Fc2Weight = Pin(new float[6]);
        Params.Outputs[TensorNamesIndex.Output] = Pin(new float[4]);
    }

    public KernelLibrary Library { get; }

    public BkParams Params;

    public nint Pin(float[] data)
    {
        var handle = GCHandle.Alloc(data, GCHandleType.Pinned);
        pins.Add(handle);
        return handle.AddrOfPinnedObject();
    }

    public void Dispose()
    {
        foreach (var p in pins)
        {
            p.Free();
        }
    }

    private static class TensorNamesIndex
    {
        public static readonly int Output = Harness.Model.TensorNames.ProducedIndex(Harness.Model.TensorNames.Output);
    }
}
