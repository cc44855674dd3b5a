using System.Globalization;
using Harness.Comparison;
using Harness.Diagnosis.Hypotheses;
using Harness.Diagnosis.Scenarios;
using Harness.Model;
using Harness.Reference;
using Harness.Scenarios;
using static Harness.Model.TensorNames;

namespace Harness.Diagnosis;

/// <summary>
/// Diagnoses a statistics log as far as statistics allow. First divergence: the first failing comparable tensor in
/// dataflow order. For every stage with a failing output, the stage is recomputed in float64 on stand-ins for what it
/// reads: the log's own tensor where its statistics determine it (a constant tensor: min = max, std 0), else the
/// reference's where the log's passed or is absent; an upstream tensor that failed and is not constant leaves the
/// stage not isolable (introduced and inherited error cannot be told apart from statistics). The reference stage on
/// those stand-ins says whether the stage introduces error; each applicable hypothesis of the catalog is recomputed
/// the same way and explains the stage when every failing tensor of it the hypothesis concerns keeps, against the
/// hypothesis's statistics, the very allowances that judged it (e.g. an fp16 accumulation group k predicts exact
/// constant values on constant scenarios).
/// </summary>
public static class StatsDiagnoser
{
    public static IReadOnlyList<string> StatisticsBlindSpots { get; } =
    [
        "a permutation of values (transposed weights, heads merged in another order, rows swapped) keeps min, max, mean and std; only the first 10 values can show it",
        "an error confined to elements beyond the first 10 that leaves min, max, mean and std within their allowances",
        "errors smaller than the log's printed resolution (half a unit in the last printed digit)",
        "a statistic within its allowance does not prove the elements are: passing here is necessary, not sufficient, for passing element by element",
    ];

    public static StatsDiagnosis Diagnose(StatsLogVerification v, ScenarioInstance? scenario)
    {
        ArgumentNullException.ThrowIfNull(v);
        var stages = StageCatalog.Stages
            .Select(stage => (stage, failing: v.Verdicts.Where(x => x.Comparable && !x.Passed && stage.Produces.Contains(x.Name)).Select(x => x.Name).ToList()))
            .Where(s => s.failing.Count > 0)
            .Select(s => Stage(v, s.stage, s.failing))
            .ToList();
        var first = v.FirstFailing?.Name;
        return new StatsDiagnosis(v, first, stages, scenario is null ? [] : BlindSpotAnalyzer.Analyze(scenario), StatisticsBlindSpots, Findings(v, first, stages));
    }

    private static StatsStageDiagnosis Stage(StatsLogVerification v, StageInfo stage, IReadOnlyList<string> failing)
    {
        var upstream = new Dictionary<string, HostTensor>();
        var notes = new List<string>();
        var isolable = true;
        foreach (var name in stage.Consumes)
        {
            var (tensor, note, usable) = StandIn(v, name);
            upstream[name] = tensor;
            notes.Add($"{name}: {note}");
            isolable &= usable;
        }

        if (!isolable)
        {
            return new StatsStageDiagnosis(stage.Name, failing, notes, false, null, [], []);
        }

        using var isolated = StageRecomputer.Run(stage, upstream, v.ReferenceSemantics, v.Setup.Weights, v.Shape, v.Setup.Inputs.AttentionMask, ElementType.Float64, v.Setup.ReferenceDevice);
        var introduces = failing.Any(name => Used(v, name, isolated.Host[name]) > 1);
        var subject = new HypothesisSubject(stage, v.ReferenceSemantics, v.Setup.Weights, v.Shape, v.KernelDtype, v.AccumulationGroup, v.Setup.AccumulationRounding);
        var tried = new List<StatsHypothesis>();
        var unshowable = new List<UnshowableHypothesis>();
        foreach (var hypothesis in HypothesisCatalog.All.Where(h => failing.Any(h.Tensors.Contains)))
        {
            var applicability = hypothesis.AppliesTo(subject);
            if (applicability.WhyUnshowable is { } why && unshowable.All(u => u.Name != hypothesis.Name))
            {
                unshowable.Add(new UnshowableHypothesis(hypothesis.Name, why));
            }

            if (!applicability.Applies)
            {
                continue;
            }

            var alternative = hypothesis.Alternative(subject);
            var fed = upstream.ToDictionary(p => p.Key, p => alternative.Upstream is { } feed ? feed(p.Key, p.Value) : p.Value);
            using var products = StageRecomputer.Run(stage, fed, alternative.Semantics, alternative.Weights, v.Shape, v.Setup.Inputs.AttentionMask, ElementType.Float64, v.Setup.ReferenceDevice);
            var used = failing.Where(hypothesis.Tensors.Contains)
                .Select(name => Used(v, name, alternative.Output is { } store ? store(name, products.Host[name]) : products.Host[name]))
                .Max();
            tried.Add(new StatsHypothesis(hypothesis.Name, hypothesis.Description, used <= 1, used));
        }

        var ranked = tried.OrderByDescending(h => h.Explains).ThenBy(h => h.BudgetUsed).ToList();
        return new StatsStageDiagnosis(stage.Name, failing, notes, true, introduces, ranked, unshowable);
    }

    /// <summary>The stand-in for an upstream tensor, what it is, and whether it may be used.</summary>
    private static (HostTensor Tensor, string Note, bool Usable) StandIn(StatsLogVerification v, string name)
    {
        // A log of the stacked attn.qkv alone stands for its three slices (constant when it is).
        var verdict = v.Verdict(name) ?? (name is AttnQ or AttnK or AttnV ? v.Verdict(AttnQkv) : null);
        if (name == Input)
        {
            return (v.Truth[Input], "the scenario's input", true);
        }

        if (verdict is not null && verdict.Logged.IsConstant)
        {
            var value = v.KernelDtype.Round(verdict.Logged.Min.Value);
            return (HostTensor.Filled(ShapeOf(name, v.Shape), value, ElementType.Float64), string.Create(CultureInfo.InvariantCulture, $"the log's own (constant {value:G6})"), true);
        }

        if (verdict is null || verdict.Passed || !verdict.Comparable)
        {
            return (v.Truth[name], verdict is null ? "not in the log; the reference's" : "the reference's (the log's is within its allowances)", true);
        }

        return (v.Truth[name], "failed, and its statistics do not determine it", false);
    }

    /// <summary>The largest used fraction of the tensor's allowances when <paramref name="candidate"/> stands for the reference.</summary>
    private static double Used(StatsLogVerification v, string name, HostTensor candidate)
    {
        var verdict = v.Verdict(name)!;
        var layoutFirst = verdict.Checks.Where(c => c.Statistic.StartsWith("value[", StringComparison.Ordinal)).Count();
        var stats = TensorStatistics.Of(candidate);
        var firstValues = FirstInLogLayout(v, name, candidate, layoutFirst);
        return StatisticsJudge.Checks(verdict.Logged, stats, firstValues, verdict.Budget).Max(c => c.Used);
    }

    private static IReadOnlyList<double> FirstInLogLayout(StatsLogVerification v, string name, HostTensor candidate, int count) =>
        Harness.Dumps.ShapeAdapter.For(name, v.Verdict(name)!.Logged.Shape, v.Shape, v.Source).FromCanonical(candidate).Data.Take(count).ToList();

    private static IReadOnlyList<StatsFinding> Findings(StatsLogVerification v, string? first, IReadOnlyList<StatsStageDiagnosis> stages)
    {
        var findings = new List<StatsFinding>();
        var comparable = v.Verdicts.Count(x => x.Comparable);
        findings.Add(first is not null
            ? new StatisticsFirstDivergence(first, v.ReferenceSemantics.Name, v.ScenarioName)
            : comparable == 0 ? new NothingComparable() : new StatisticsWithinAllowances(comparable, v.ReferenceSemantics.Name));

        foreach (var s in stages)
        {
            var explains = s.Hypotheses.Where(h => h.Explains).Select(h => h.Name).ToList();
            var outcome = !s.Isolable ? StatsStageOutcome.NotIsolable
                : explains.Count > 0 ? StatsStageOutcome.Explained
                : s.IntroducesError == false ? StatsStageOutcome.Inherited
                : StatsStageOutcome.Unexplained;
            findings.Add(new StatsStageFinding(s.Stage, s.FailingTensors, outcome, outcome == StatsStageOutcome.Explained ? explains : []));
        }

        findings.AddRange(v.Verdicts.Where(x => !x.Comparable).Select(x => new TensorNotComparable(x.Name, x.NotComparable!)));
        return findings;
    }
}
