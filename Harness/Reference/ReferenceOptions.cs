using Harness.Model;

namespace Harness.Reference;

/// <summary>
/// How the reference computes one layer: which semantics, in which element type, on which device, with which
/// debugging overrides.
/// </summary>
/// <param name="Semantics">The point-by-point layer semantics (Hugging Face, Souffle or a mix).</param>
/// <param name="Dtype">The working element type; float64 is the ground truth.</param>
/// <param name="Device">"cpu" or "cuda" (cuda only where torch.cuda.is_available()).</param>
/// <param name="ActivationOverrides">Canonical tensor name → constant: after computing that tensor, replace it by a
/// tensor of the same shape filled with the constant (rounded to the tensor's type) and continue from it.</param>
/// <param name="Heads">Number of attention heads H. The hidden states and weights fix B, S, M and F but not how M
/// splits into heads; when null, BERT's head size 64 is assumed (every published BERT uses D = 64), and M must then be
/// a multiple of 64.</param>
public sealed record ReferenceOptions(
    LayerSemantics Semantics,
    ElementType Dtype,
    string Device = "cpu",
    IReadOnlyDictionary<string, double>? ActivationOverrides = null,
    int? Heads = null)
{
    /// <summary>The head size assumed when <see cref="Heads"/> is not given.</summary>
    public const int BertHeadSize = 64;
}
