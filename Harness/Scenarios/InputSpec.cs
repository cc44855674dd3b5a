namespace Harness.Scenarios;

/// <summary>How a scenario builds the hidden states entering the layer.</summary>
public abstract record InputSpec;

/// <summary>Constant, random or index-pattern values over [B,S,M] (pattern rows are b·S + s, columns m).</summary>
public sealed record GeneratedInput(ValueSource Values) : InputSpec;

/// <summary>A tensor of shape [B,S,M] (or [S,M] when B = 1) read from a safetensors file.</summary>
public sealed record FileInput(string Path, string Tensor) : InputSpec;

/// <summary>Text tokenised with the checkpoint's vocab.txt and embedded with its embedding tables.</summary>
public sealed record TextInput(string Text) : InputSpec;
