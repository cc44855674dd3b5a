namespace Harness.Model;

/// <summary>
/// The parameters of one BERT layer in Hugging Face order: every matrix is an nn.Linear weight, shape [out, in].
/// Kernels that want [in, out] (Souffle) get transposed copies from the Kernels layer; nothing here is kernel-specific.
/// </summary>
public sealed record LayerWeights
{
    public required HostTensor QueryWeight { get; init; }           // [M, M]
    public required HostTensor QueryBias { get; init; }             // [M]
    public required HostTensor KeyWeight { get; init; }             // [M, M]
    public required HostTensor KeyBias { get; init; }               // [M]
    public required HostTensor ValueWeight { get; init; }           // [M, M]
    public required HostTensor ValueBias { get; init; }             // [M]
    public required HostTensor AttentionOutputWeight { get; init; } // [M, M] attention dense
    public required HostTensor AttentionOutputBias { get; init; }   // [M]
    public required HostTensor AttentionLayerNormGamma { get; init; } // [M]
    public required HostTensor AttentionLayerNormBeta { get; init; }  // [M]
    public required HostTensor IntermediateWeight { get; init; }    // [F, M] FC1
    public required HostTensor IntermediateBias { get; init; }      // [F]
    public required HostTensor OutputWeight { get; init; }          // [M, F] FC2
    public required HostTensor OutputBias { get; init; }            // [M]
    public required HostTensor OutputLayerNormGamma { get; init; }  // [M]
    public required HostTensor OutputLayerNormBeta { get; init; }   // [M]

    /// <summary>Scalar LayerNorm gamma for Souffle semantics (passed by value upstream; 1 there).</summary>
    public double LayerNormScalarGamma { get; init; } = 1.0;

    /// <summary>Scalar LayerNorm beta for Souffle semantics (0 upstream).</summary>
    public double LayerNormScalarBeta { get; init; }

    /// <summary>Hugging Face parameter suffixes (after "encoder.layer.{i}.") with their accessors, in checkpoint order.</summary>
    public static IReadOnlyList<(string Suffix, Func<LayerWeights, HostTensor> Get)> Parameters { get; } =
    [
        ("attention.self.query.weight", w => w.QueryWeight),
        ("attention.self.query.bias", w => w.QueryBias),
        ("attention.self.key.weight", w => w.KeyWeight),
        ("attention.self.key.bias", w => w.KeyBias),
        ("attention.self.value.weight", w => w.ValueWeight),
        ("attention.self.value.bias", w => w.ValueBias),
        ("attention.output.dense.weight", w => w.AttentionOutputWeight),
        ("attention.output.dense.bias", w => w.AttentionOutputBias),
        ("attention.output.LayerNorm.weight", w => w.AttentionLayerNormGamma),
        ("attention.output.LayerNorm.bias", w => w.AttentionLayerNormBeta),
        ("intermediate.dense.weight", w => w.IntermediateWeight),
        ("intermediate.dense.bias", w => w.IntermediateBias),
        ("output.dense.weight", w => w.OutputWeight),
        ("output.dense.bias", w => w.OutputBias),
        ("output.LayerNorm.weight", w => w.OutputLayerNormGamma),
        ("output.LayerNorm.bias", w => w.OutputLayerNormBeta),
    ];

    /// <summary>
    /// Weights made of one tensor per Hugging Face parameter suffix (see <see cref="Parameters"/>), asked for in
    /// checkpoint order, so a reader that throws names the first parameter it cannot give.
    /// </summary>
    public static LayerWeights FromParameters(Func<string, HostTensor> parameter) => new()
    {
        QueryWeight = parameter("attention.self.query.weight"),
        QueryBias = parameter("attention.self.query.bias"),
        KeyWeight = parameter("attention.self.key.weight"),
        KeyBias = parameter("attention.self.key.bias"),
        ValueWeight = parameter("attention.self.value.weight"),
        ValueBias = parameter("attention.self.value.bias"),
        AttentionOutputWeight = parameter("attention.output.dense.weight"),
        AttentionOutputBias = parameter("attention.output.dense.bias"),
        AttentionLayerNormGamma = parameter("attention.output.LayerNorm.weight"),
        AttentionLayerNormBeta = parameter("attention.output.LayerNorm.bias"),
        IntermediateWeight = parameter("intermediate.dense.weight"),
        IntermediateBias = parameter("intermediate.dense.bias"),
        OutputWeight = parameter("output.dense.weight"),
        OutputBias = parameter("output.dense.bias"),
        OutputLayerNormGamma = parameter("output.LayerNorm.weight"),
        OutputLayerNormBeta = parameter("output.LayerNorm.bias"),
    };

    /// <summary>The expected shape of a parameter, by suffix.</summary>
    public static long[] ExpectedShape(string suffix, LayerShape s) => suffix switch
    {
        "attention.self.query.weight" or "attention.self.key.weight" or "attention.self.value.weight" or "attention.output.dense.weight" => [s.Model, s.Model],
        "intermediate.dense.weight" => [s.Intermediate, s.Model],
        "output.dense.weight" => [s.Model, s.Intermediate],
        "intermediate.dense.bias" => [s.Intermediate],
        _ when suffix.EndsWith(".bias", StringComparison.Ordinal) || suffix.EndsWith(".weight", StringComparison.Ordinal) => [s.Model],
        _ => throw new ArgumentException($"unknown layer parameter '{suffix}'"),
    };

    /// <summary>Throws naming the first parameter whose shape does not fit <paramref name="shape"/>.</summary>
    public void Validate(LayerShape shape)
    {
        foreach (var (suffix, get) in Parameters)
        {
            var expected = ExpectedShape(suffix, shape);
            var t = get(this);
            if (!t.ShapeEquals(expected))
            {
                throw new ArgumentException($"weight '{suffix}' has shape {t.ShapeText}, expected [{string.Join(", ", expected)}] for {shape}");
            }
        }
    }

    /// <summary>A copy with every tensor rounded to <paramref name="dtype"/> (what a kernel in that dtype receives).</summary>
    public LayerWeights RoundedTo(ElementType dtype)
    {
        // Each tensor is rounded on its own, so in parallel (the two FFN matrices on two cores: a layer's fresh pages
        // fault in at a few microseconds each), in Select since PLINQ's ToDictionary calls its selectors on one thread.
        var rounded = Parameters.AsParallel()
            .Select(p => (p.Suffix, Tensor: p.Get(this).RoundedTo(dtype)))
            .ToDictionary(p => p.Suffix, p => p.Tensor);
        return MapParameters((suffix, _) => rounded[suffix]);
    }

    /// <summary>A copy with every tensor replaced by <paramref name="f"/> of it.</summary>
    public LayerWeights Map(Func<HostTensor, HostTensor> f) => MapParameters((_, t) => f(t));

    /// <summary>A copy with every parameter replaced by <paramref name="f"/>(its Hugging Face suffix, its tensor), in checkpoint order.</summary>
    public LayerWeights MapParameters(Func<string, HostTensor, HostTensor> f) => this with
    {
        QueryWeight = f("attention.self.query.weight", QueryWeight),
        QueryBias = f("attention.self.query.bias", QueryBias),
        KeyWeight = f("attention.self.key.weight", KeyWeight),
        KeyBias = f("attention.self.key.bias", KeyBias),
        ValueWeight = f("attention.self.value.weight", ValueWeight),
        ValueBias = f("attention.self.value.bias", ValueBias),
        AttentionOutputWeight = f("attention.output.dense.weight", AttentionOutputWeight),
        AttentionOutputBias = f("attention.output.dense.bias", AttentionOutputBias),
        AttentionLayerNormGamma = f("attention.output.LayerNorm.weight", AttentionLayerNormGamma),
        AttentionLayerNormBeta = f("attention.output.LayerNorm.bias", AttentionLayerNormBeta),
        IntermediateWeight = f("intermediate.dense.weight", IntermediateWeight),
        IntermediateBias = f("intermediate.dense.bias", IntermediateBias),
        OutputWeight = f("output.dense.weight", OutputWeight),
        OutputBias = f("output.dense.bias", OutputBias),
        OutputLayerNormGamma = f("output.LayerNorm.weight", OutputLayerNormGamma),
        OutputLayerNormBeta = f("output.LayerNorm.bias", OutputLayerNormBeta),
    };
}
