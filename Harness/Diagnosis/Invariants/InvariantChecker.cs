using Harness.Model;

namespace Harness.Diagnosis.Invariants;

/// <summary>
/// Checks that need no reference: properties any correct layer's intermediates have whatever the weights. A check runs
/// only when its tensors are present; otherwise it is reported as not applicable (never as passed).
/// </summary>
public static class InvariantChecker
{
    public static IReadOnlyList<InvariantResult> Check(IReadOnlyDictionary<string, HostTensor> tensors, LayerShape shape, InvariantContext ctx)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(ctx);
        shape.Validate();
        ctx.Validate(shape.Model);
        ValidateTensors(tensors, shape);

        var results = new List<InvariantResult>();
        foreach (var name in TensorNames.DataflowOrder.Where(tensors.ContainsKey))
        {
            results.Add(ElementChecks.Finite(name, tensors[name]));
        }

        results.AddRange(ProbabilityChecks.Probabilities(tensors, shape, ctx));
        results.Add(ProbabilityChecks.SoftmaxRowSums(tensors, shape));
        foreach (var stage in LayerNormStage.Both)
        {
            results.AddRange(LayerNormChecks.Statistics(stage, tensors, shape, ctx));
            results.AddRange(LayerNormChecks.Sums(stage, tensors, shape, ctx));
        }

        results.Add(ElementChecks.QkvStack(tensors));
        results.AddRange(ElementChecks.Relu(tensors, ctx));
        return results;
    }

    private static void ValidateTensors(IReadOnlyDictionary<string, HostTensor> tensors, LayerShape shape)
    {
        foreach (var (name, tensor) in tensors)
        {
            if (!TensorNames.DataflowOrder.Contains(name))
            {
                throw new ArgumentException($"'{name}' is not a canonical tensor name; known: {string.Join(", ", TensorNames.DataflowOrder)}", nameof(tensors));
            }

            if (tensor is null)
            {
                throw new ArgumentException($"{name}: tensor is null", nameof(tensors));
            }

            var expected = TensorNames.ShapeOf(name, shape);
            if (!tensor.ShapeEquals(expected))
            {
                throw new ArgumentException($"{name}: shape {tensor.ShapeText}, expected [{string.Join(", ", expected)}] for {shape}", nameof(tensors));
            }
        }
    }
}
