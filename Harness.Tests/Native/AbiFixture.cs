using System.Runtime.InteropServices;
using Harness.Native;

namespace Harness.Tests.Native;

/// <summary>
/// Host buffers for a tiny valid call (B=1, S=2, H=1, D=2, F=3, float32, [out,in]) so each misuse test changes
/// exactly one thing. Buffers are native, aligned as bert_kernels.h promises (BK_ALIGNMENT_CPU), and live as long as
/// the fixture.
/// </summary>
internal sealed unsafe class AbiFixture : IDisposable
{
    private readonly List<nint> blocks = [];

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

    /// <summary>A copy of <paramref name="data"/> in a block aligned to BK_ALIGNMENT_CPU.</summary>
    public nint Pin(float[] data) => Block(data, BkConstants.AlignmentCpu);

    /// <summary>Zeroed bytes aligned to BK_ALIGNMENT_CPU (a workspace).</summary>
    public nint Bytes(int count)
    {
        var block = (nint)NativeMemory.AlignedAlloc((nuint)Math.Max(count, 1), BkConstants.AlignmentCpu);
        NativeMemory.Clear((void*)block, (nuint)Math.Max(count, 1));
        blocks.Add(block);
        return block;
    }

    public void Dispose()
    {
        foreach (var block in blocks)
        {
            NativeMemory.AlignedFree((void*)block);
        }

        blocks.Clear();
    }

    private nint Block(float[] data, int alignment)
    {
        var block = (nint)NativeMemory.AlignedAlloc((nuint)(Math.Max(data.Length, 1) * sizeof(float)), (nuint)alignment);
        blocks.Add(block);
        data.AsSpan().CopyTo(new Span<float>((void*)block, data.Length));
        return block;
    }

    private static class TensorNamesIndex
    {
        public static readonly int Output = Harness.Model.TensorNames.ProducedIndex(Harness.Model.TensorNames.Output);
    }
}
