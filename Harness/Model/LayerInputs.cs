namespace Harness.Model;

/// <summary>What enters one layer: hidden states [B,S,M] and an optional additive mask over key positions [B,S].</summary>
public sealed record LayerInputs(HostTensor Hidden, HostTensor? AttentionMask = null)
{
    public LayerInputs RoundedTo(ElementType dtype) => new(Hidden.RoundedTo(dtype), AttentionMask?.RoundedTo(dtype));
}
