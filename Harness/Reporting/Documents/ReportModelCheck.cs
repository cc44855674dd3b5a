using System.Diagnostics.CodeAnalysis;

namespace Harness.Reporting.Documents;

/// <summary>
/// Rejects a model the documents cannot show faithfully, before anything is written, with one message naming the
/// field (and tensor) at fault.
/// </summary>
internal static class ReportModelCheck
{
    public static void Validate(ReportModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Require(!string.IsNullOrWhiteSpace(model.Title), "report model: Title is empty");
        Require(model.Subtitle is not null, "report model: Subtitle is null (use an empty string)");
        NoNulls(model.RunFacts, "RunFacts");
        NoNulls(model.Findings, "Findings");
        NoNulls(model.BlindSpots, "BlindSpots");
        NoNulls(model.ComparabilityNotes, "ComparabilityNotes");
        NoNulls(model.Invariants, "Invariants");
        NoNulls(model.Stages, "Stages");
        NoNulls(model.Tensors, "Tensors");
        foreach (var spot in model.BlindSpots)
        {
            NoNulls(spot.HiddenDefects, $"BlindSpots '{spot.Title}' HiddenDefects");
        }

        foreach (var stage in model.Stages)
        {
            NoNulls(stage.Outputs, $"Stages '{stage.Stage}' Outputs");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < model.Tensors.Count; i++)
        {
            var tensor = model.Tensors[i];
            Require(!string.IsNullOrWhiteSpace(tensor.Name), $"report model: Tensors[{i}] has no Name");
            Require(seen.Add(tensor.Name), $"report model: tensor '{tensor.Name}' appears twice in Tensors");
            Validate(tensor);
        }
    }

    private static void Validate(TensorSection tensor)
    {
        var where = $"report model: tensor '{tensor.Name}'";
        Require(tensor.VerdictLine is not null && tensor.WorstElement is not null && tensor.ReferenceDump is not null
            && tensor.KernelDump is not null && tensor.SideBySide is not null, $"{where}: a text field is null (use an empty string)");
        Require(tensor.Passed == (tensor.Kind == TensorKind.Passed), $"{where}: Passed is {tensor.Passed} but Kind is {tensor.Kind}");
        NoNulls(tensor.Metrics, $"tensor '{tensor.Name}' Metrics");
        NoNulls(tensor.Hypotheses, $"tensor '{tensor.Name}' Hypotheses");
        NoNulls(tensor.PatternFindings, $"tensor '{tensor.Name}' PatternFindings");
        if (tensor.Heatmap is { } heatmap)
        {
            Require(heatmap.Values is not null && heatmap.Rows > 0 && heatmap.Columns > 0, $"{where}: Heatmap has no cells (leave it null when there is nothing to plot)");
        }

        if (tensor.AbsErrors is { } errors)
        {
            Require(errors.Length > 0, $"{where}: AbsErrors is empty (leave it null when there is nothing to plot)");
        }
    }

    private static void NoNulls<T>(IReadOnlyList<T>? items, string field)
    {
        Require(items is not null, $"report model: {field} is null (use an empty list)");
        for (var i = 0; i < items.Count; i++)
        {
            Require(items[i] is not null, $"report model: {field}[{i}] is null");
        }
    }

    private static void Require([DoesNotReturnIf(false)] bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
