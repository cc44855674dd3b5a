using Harness.Comparison;
using Harness.Model;

namespace Harness.Reporting;

/// <summary>The statistics of one reference trace under one semantics, in dataflow order.</summary>
public sealed record SemanticsTrace(string Semantics, IReadOnlyList<(string Name, TensorStatistics Stats)> Tensors);

/// <summary>What `harness trace` reports: the scenario and one trace per semantics.</summary>
public sealed record TraceDocument(
    string Scenario,
    string Description,
    LayerShape Shape,
    ElementType Dtype,
    string Device,
    IReadOnlyList<string> Settings,
    IReadOnlyList<SemanticsTrace> Traces);
