using Harness.Model;

namespace Harness.Scenarios;

/// <summary>What a checkpoint says about its encoder: layer count, widths, heads, LayerNorm eps and FFN activation.</summary>
public sealed record BertConfig(int Layers, int Model, int Heads, int HeadSize, int Intermediate, double LayerNormEps, Activation Activation)
{
    public override string ToString() =>
        $"{Layers} layers, M={Model} = {Heads} heads × {HeadSize}, F={Intermediate}, LayerNorm eps {LayerNormEps:G3}, {Activation}";
}
