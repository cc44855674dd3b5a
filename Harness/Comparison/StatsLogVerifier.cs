using System.Globalization;
using Harness.Dumps;
using Harness.Model;
using Harness.Reference;
using static Harness.Model.TensorNames;

namespace Harness.Comparison;

/// <summary>
/// Judges a printed statistics log against the reference on a scenario: names mapped to canonical ones, shapes
/// checked, each tensor's statistics judged by <see cref="StatisticsJudge"/> with the budget of the kernel's dtype
/// (the dtype the log prints). Where the log's input or a parameter is not the scenario's, every tensor computed from
/// it is "not comparable", with the reason, and never failed.
/// </summary>
public static class StatsLogVerifier
{
    /// <summary>Which stage reads each parameter (by its Hugging Face name's leading part).</summary>
    private static readonly (string Prefix, string Stage)[] ParameterStages =
    [
        ("attention.self.", StageNames.Projections),
        ("attention.output.dense.", StageNames.AttentionDense),
        ("attention.output.LayerNorm.", StageNames.AttentionAddAndNorm),
        ("intermediate.dense.", StageNames.Fc1),
        ("output.dense.", StageNames.Fc2),
        ("output.LayerNorm.", StageNames.OutputAddAndNorm),
    ];

    public static StatsLogVerification Verify(IReadOnlyList<LoggedTensor> log, NameMap names, VerificationSetup setup, string source, IProgress<string>? progress = null)
    {
        var (known, unknown) = names.ResolveAll(log.Select(t => t.Name).ToList(), source, i => $"lines {log[i].Line}");
        var byTarget = known.ToDictionary(k => k.Target, k => log.First(t => t.Name == k.Raw));
        var tensors = byTarget.Where(p => !NameMap.IsParameter(p.Key) && p.Key != Input).ToList();
        if (tensors.Count == 0)
        {
            throw new DumpFormatException($"{source}: no block names a canonical tensor (found: {string.Join(", ", log.Select(t => t.Name))}); give a map with --names");
        }

        var dtype = tensors.Where(p => !IsFloat32Accumulator(p.Key)).Select(p => p.Value.Dtype).DefaultIfEmpty(ElementType.Float32)
            .GroupBy(d => d).OrderByDescending(g => g.Count()).First().Key;
        var rounded = setup with { Inputs = setup.Inputs.RoundedTo(dtype), Weights = setup.Weights.RoundedTo(dtype) };
        var semantics = LayerVerifier.ReferenceSemanticsFor(dtype, setup.AccumulationGroup, rounded);
        var (truth, lowPrecision) = LayerVerifier.References(rounded, semantics, dtype, progress);

        var operands = byTarget.Where(p => NameMap.IsParameter(p.Key) || p.Key == Input)
            .Select(p => Operand(p.Key, p.Value, p.Key == Input ? rounded.Inputs.Hidden : Parameter(rounded.Weights, p.Key), source))
            .ToList();
        var verdicts = tensors
            .OrderBy(p => OrderOf(p.Key))
            .Select(p => Judge(p.Key, p.Value, dtype, truth, lowPrecision, rounded.Shape, NotComparable(p.Key, operands), source))
            .ToList();

        return new StatsLogVerification
        {
            Source = source,
            ScenarioName = setup.ScenarioName,
            Shape = setup.Shape,
            KernelDtype = dtype,
            ReferenceSemantics = semantics,
            AccumulationGroup = setup.AccumulationGroup,
            Setup = rounded,
            Truth = truth,
            ReferenceLowPrecision = lowPrecision,
            Verdicts = verdicts,
            Operands = operands,
            UnknownNames = unknown,
        };
    }

    /// <summary>The stage that reads a parameter.</summary>
    public static StageInfo StageOfParameter(string parameter) =>
        StageCatalog.Stage(ParameterStages.First(p => parameter.StartsWith(p.Prefix, StringComparison.Ordinal)).Stage);

    private static StatisticsVerdict Judge(
        string name, LoggedTensor logged, ElementType dtype, Dictionary<string, HostTensor> truth, Dictionary<string, HostTensor> lowPrecision,
        LayerShape shape, string? notComparable, string source)
    {
        var layout = ShapeAdapter.For(name, logged.Shape, shape, $"{source}, line {logged.Line}");
        var budget = ErrorBudget.Limits(name, dtype, truth[name], lowPrecision[name], AccumulatorScales.For(name, truth, dtype));
        var inLogLayout = layout.FromCanonical(truth[name]);
        var first = inLogLayout.Data.Take(logged.First.Count).ToList();
        var checks = StatisticsJudge.Checks(logged, TensorStatistics.Of(truth[name]), first, budget);
        return new StatisticsVerdict(name, logged, TensorStatistics.Of(truth[name]), budget, checks, notComparable);
    }

    /// <summary>The first reason (input, then parameters in dataflow order) that the tensor was computed from something other than the scenario's.</summary>
    private static string? NotComparable(string name, IReadOnlyList<LoggedOperand> operands)
    {
        foreach (var operand in operands.Where(o => !o.Agrees).OrderBy(o => o.Name == Input ? -1 : OrderOf(StageOfParameter(o.Name).Produces[0])))
        {
            if (operand.Name == Input || OrderOf(name) >= OrderOf(StageOfParameter(operand.Name).Produces[0]))
            {
                return operand.Disagreement;
            }
        }

        return null;
    }

    private static HostTensor Parameter(LayerWeights weights, string suffix) => LayerWeights.Parameters.First(p => p.Suffix == suffix).Get(weights);

    /// <summary>
    /// Whether the log's operand is the scenario's: mean and std (population) within the print resolution plus 0.1% of
    /// the scenario's std (the same tensor prints the same numbers; a different draw of the same distribution moves
    /// them by about std/√n, far less, so the first values decide that case), and the first values, in either the
    /// [out, in] or the transposed [in, out] order (Souffle stores weights [in, out]), within the resolution plus one
    /// rounding step of the dtype.
    /// </summary>
    private static LoggedOperand Operand(string name, LoggedTensor logged, HostTensor scenario, string source)
    {
        var stats = TensorStatistics.Of(scenario);
        var inv = CultureInfo.InvariantCulture;
        var slack = 1e-3 * stats.Std;
        string? reason = null;
        if (logged.Count != scenario.Count)
        {
            reason = $"the log's {name} has {logged.Count} elements (line {logged.Line}), the scenario's {scenario.Count}";
        }
        else if (Math.Abs(logged.PopulationStd - stats.Std) > logged.Std.Resolution + slack)
        {
            reason = string.Create(inv, $"the log's {name} has std {logged.PopulationStd:G4}, the scenario's {stats.Std:G4}");
        }
        else if (Math.Abs(logged.Mean.Value - stats.Mean) > logged.Mean.Resolution + slack)
        {
            reason = string.Create(inv, $"the log's {name} has mean {logged.Mean.Value:G4}, the scenario's {stats.Mean:G4}");
        }
        else if (!FirstValuesAgree(logged, scenario))
        {
            reason = string.Create(inv,
                $"the log's {name} starts {string.Join(" ", logged.First.Take(3).Select(v => v.Value.ToString("G4", inv)))}…, the scenario's {string.Join(" ", scenario.Data.Take(3).Select(v => v.ToString("G4", inv)))}… (same statistics, other values)");
        }

        return new LoggedOperand(name, logged, stats, reason);
    }

    private static bool FirstValuesAgree(LoggedTensor logged, HostTensor scenario)
    {
        bool Agree(Func<int, double> at) => logged.First.Select((v, i) => Math.Abs(v.Value - at(i)) <= v.Resolution + Ulp.SizeAt(scenario.Dtype, Math.Abs(at(i)))).All(x => x);
        if (Agree(i => scenario.Data[i]))
        {
            return true;
        }

        // Transposed: element i of Wᵀ ([in, out], rows of length out) is W[i mod out, i div out].
        if (scenario.Shape.Length != 2)
        {
            return false;
        }

        var (rows, columns) = (scenario.Shape[0], scenario.Shape[1]);
        return Agree(i => scenario.Data[((i % rows) * columns) + (i / rows)]);
    }
}
