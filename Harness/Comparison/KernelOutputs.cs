using Harness.Model;

namespace Harness.Comparison;

/// <summary>
/// A kernel as the verifier sees it: its name, working dtype, the canonical tensors it wrote (canonical shapes), the
/// semantics it computes and its fp16 accumulation group (0: none). A native variant's run and a dump both become this.
/// </summary>
public sealed record KernelOutputs(string Name, ElementType Dtype, IReadOnlyDictionary<string, HostTensor> Outputs, string Semantics, int AccumulationGroup);
