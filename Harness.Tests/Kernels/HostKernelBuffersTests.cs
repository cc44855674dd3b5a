using System.Runtime.InteropServices;
using Harness.Kernels;
using Harness.Tests.Conformance;
using Harness.Torch;
using TorchSharp;

namespace Harness.Tests.Kernels;

/// <summary>
/// A CPU variant's buffers are plain host memory (so its worker never loads libtorch), and must hold exactly the bits
/// the torch tensors of a CUDA variant's buffers would: each input and weight converted as torch converts float64, in
/// the variant's weight layout, and each output poisoned as torch's fill_ writes NaN. Torch itself makes the expected
/// bytes here.
/// </summary>
public sealed class HostKernelBuffersTests
{
    // 1 + 2^-11 + 2^-40 rounds up to 1 + 2^-10 in one step, but to the float 1 + 2^-11 and then, a tie, to 1 in fp16.
    private static readonly double DoubleRoundingCase = 1 + Math.ScaleB(1, -11) + Math.ScaleB(1, -40);

    [TestCase("cpu-souffle", "random")]
    [TestCase("cpu-souffle", "padded")]
    [TestCase("cpu-reference", "random")]
    [TestCase("cpu-reference", "padded")]
    public void PreparedCall_CpuVariant_InputsHoldTheBitsTorchWouldLayOut(string variantName, string scenario)
    {
        var variant = Verifications.Catalog.Find(variantName);
        var setup = Verifications.Setup(Verifications.Scenario(scenario), variant.DefaultSemantics);
        var hidden = setup.Inputs.Hidden;
        // Values torch converts in ways worth pinning: a double rounding, NaN of either sign, fp16 overflow.
        var awkward = (double[])hidden.Data.Clone();
        (awkward[0], awkward[1], awkward[2], awkward[3]) = (DoubleRoundingCase, double.NaN, BitConverter.UInt64BitsToDouble(0x7FF8_0000_0000_0001), 70000);
        var inputs = new LayerInputs(new HostTensor(hidden.Shape, awkward, ElementType.Float64), setup.Inputs.AttentionMask);
        var w = setup.Weights;

        using var call = new PreparedKernelCall(variant, new KernelRequest(setup.Shape, inputs, w, variant.DefaultSemantics));
        var p = call.Parameters;

        var dtype = variant.Dtype.ToScalarType();
        using var scope = torch.NewDisposeScope();
        torch.Tensor Put(HostTensor h) => HostTensors.ToTorch(h, dtype);
        torch.Tensor Laid(HostTensor h) => variant.Layout == WeightLayout.InOut ? Put(h).t().contiguous() : Put(h);
        Bytes(p.Input, inputs.Hidden, variant.Dtype).Should().Equal(Put(inputs.Hidden).bytes.ToArray(), "the hidden input");
        Bytes(p.QkvWeight, w.QueryWeight, variant.Dtype, 3).Should().Equal(torch.stack([Laid(w.QueryWeight), Laid(w.KeyWeight), Laid(w.ValueWeight)]).contiguous().bytes.ToArray(), "the stacked QKV weights");
        Bytes(p.AttnDenseWeight, w.AttentionOutputWeight, variant.Dtype).Should().Equal(Laid(w.AttentionOutputWeight).bytes.ToArray(), "the dense weight");
        Bytes(p.Fc1Weight, w.IntermediateWeight, variant.Dtype).Should().Equal(Laid(w.IntermediateWeight).bytes.ToArray(), "the FC1 weight");
        Bytes(p.Ln2Gamma, w.OutputLayerNormGamma, variant.Dtype).Should().Equal(Put(w.OutputLayerNormGamma).bytes.ToArray(), "the output LayerNorm gamma");
        if (p.QkvBias != 0)
        {
            Bytes(p.QkvBias, w.QueryBias, variant.Dtype, 3).Should().Equal(torch.stack([Put(w.QueryBias), Put(w.KeyBias), Put(w.ValueBias)]).contiguous().bytes.ToArray(), "the stacked QKV biases");
        }

        if (inputs.AttentionMask is { } mask)
        {
            Bytes(p.AttentionMask, mask, variant.Dtype).Should().Equal(Put(mask).bytes.ToArray(), "the attention mask");
        }
    }

    [TestCase("cpu-souffle")]
    [TestCase("cpu-reference")]
    public void PreparedCall_CpuVariant_OutputsArePoisonedAsTorchFillsNaN(string variantName)
    {
        var variant = Verifications.Catalog.Find(variantName);
        var setup = Verifications.Setup(Verifications.Scenario("small"), variant.DefaultSemantics);

        using var call = new PreparedKernelCall(variant, new KernelRequest(setup.Shape, setup.Inputs, setup.Weights, variant.DefaultSemantics));

        foreach (var (name, bytes) in call.OutputBytes())
        {
            var type = TensorNames.IsFloat32Accumulator(name) ? ElementType.Float32 : variant.Dtype;
            using var poisoned = torch.full(TensorNames.ShapeOf(name, setup.Shape), double.NaN, dtype: type.ToScalarType());
            bytes.Should().Equal(poisoned.bytes.ToArray(), $"output '{name}' before any run");
        }
    }

    [Test]
    public void PreparedCall_CpuVariantRunTwice_ReadsBackWhatItWroteAndItsBytes()
    {
        var variant = Verifications.Catalog.Find("cpu-reference");
        var setup = Verifications.Setup(Verifications.Scenario("small"), variant.DefaultSemantics);
        using var call = new PreparedKernelCall(variant, new KernelRequest(setup.Shape, setup.Inputs, setup.Weights, variant.DefaultSemantics));

        call.Invoke();
        var first = call.OutputBytes();
        var output = call.ReadOutput(TensorNames.Output);
        call.Invoke();

        output.Data.Should().OnlyContain(v => double.IsFinite(v));
        MemoryMarshal.Cast<byte, float>(first[TensorNames.Output]).ToArray().Select(f => (double)f).Should().Equal(output.Data);
        first.Should().AllSatisfy(kv => call.OutputEquals(kv.Key, kv.Value).Should().BeTrue($"'{kv.Key}' is deterministic"));
    }

    private static byte[] Bytes(nint pointer, HostTensor like, ElementType bufferType, int copies = 1)
    {
        var bytes = new byte[like.Count * copies * (bufferType == ElementType.Float16 ? 2 : 4)];
        Marshal.Copy(pointer, bytes, 0, bytes.Length);
        return bytes;
    }
}
