using System.Runtime.CompilerServices;
using Harness.Model;

namespace Harness.Scenarios;

/// <summary>Turns a parsed <see cref="Scenario"/> into tensors: base weights, overrides, input, mask, and the lines and facts describing them.</summary>
public static class ScenarioMaterializer
{
    public static ScenarioInstance Materialize(Scenario scenario, MaterializeOptions options)
    {
        try
        {
            return Build(scenario, options);
        }
        catch (CheckpointException e)
        {
            throw new ScenarioException($"scenario '{scenario.Source}': {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new ScenarioException($"scenario '{scenario.Source}': {e.Message}", e);
        }
    }

    private static ScenarioInstance Build(Scenario scenario, MaterializeOptions options)
    {
        var shape = scenario.Shape;
        shape.Validate();
        var settings = new List<string>
        {
            $"shape: {shape}",
            $"dtype: {scenario.Dtype.DumpName()}",
            $"semantics: {scenario.Semantics.Name}",
        };

        var checkpointPath = ResolveCheckpointPath(scenario, options);
        using var checkpoint = OpenCheckpointIfNeeded(scenario, checkpointPath, options.CheckpointPath is not null);
        if (checkpoint is not null)
        {
            CheckConfig(scenario, checkpoint);
        }

        var fellBack = checkpoint is null && scenario.BaseWeights == BaseWeights.CheckpointOrSynthetic;
        var weights = BaseLayer(scenario, checkpoint, settings, fellBack);
        weights = ApplyOverrides(scenario, weights, checkpoint, settings);
        if (scenario.ZeroBiases)
        {
            weights = ZeroBiases(weights);
            settings.Add("all biases := 0 (seven linear biases and both LayerNorm betas)");
        }

        weights.Validate(shape);
        var (hidden, validLength) = BuildInput(scenario, checkpoint, settings);
        var mask = validLength is { } v ? PaddingMask(shape, v, scenario.Dtype, settings) : null;
        CheckFinite(weights, hidden, scenario.Layer, options.AllowNonFinite, settings);

        foreach (var (name, value) in scenario.ActivationOverrides.OrderBy(p => TensorNames.OrderOf(p.Key)))
        {
            settings.Add($"activation {name} := {ValueSourceTensors.Format(value)} (replaced after it is computed)");
        }

        if (scenario.AccumulationGroup is { } k)
        {
            settings.Add($"fp16 accumulation group k = {k}");
        }

        foreach (var (name, t) in scenario.Tolerances.OrderBy(p => TensorNames.OrderOf(p.Key)))
        {
            settings.Add($"tolerance {name}: atol {ValueSourceTensors.Format(t.Atol)}, rtol {ValueSourceTensors.Format(t.Rtol)}");
        }

        return new ScenarioInstance
        {
            Name = scenario.Name,
            Description = scenario.Description,
            Shape = shape,
            Dtype = scenario.Dtype,
            Semantics = scenario.Semantics,
            Seed = scenario.Seed,
            Inputs = new LayerInputs(hidden, mask),
            Weights = weights,
            ActivationOverrides = scenario.ActivationOverrides,
            AccumulationGroup = scenario.AccumulationGroup,
            Tolerances = scenario.Tolerances,
            Settings = settings,
            Facts = Facts(scenario, hidden, weights, validLength, checkpoint is not null && scenario.BaseWeights != BaseWeights.Synthetic, fellBack),
            CheckpointPath = checkpoint?.WeightsPath,
            NonFiniteAllowed = options.AllowNonFinite,
            Scenario = scenario,
        };
    }

    private static string? ResolveCheckpointPath(Scenario scenario, MaterializeOptions options)
    {
        if (options.CheckpointPath is { } explicitPath)
        {
            return explicitPath;
        }

        if (scenario.Checkpoint is { } own)
        {
            return Path.IsPathRooted(own) || NugetModels.IsNugetName(own) || scenario.BaseDirectory is null ? own : Path.Combine(scenario.BaseDirectory, own);
        }

        return options.EnvironmentCheckpoint;
    }

    private static BertCheckpoint? OpenCheckpointIfNeeded(Scenario scenario, string? path, bool givenExplicitly)
    {
        var needs = new List<string>();
        if (scenario.BaseWeights == BaseWeights.Checkpoint)
        {
            needs.Add("baseWeights \"checkpoint\"");
        }

        if (scenario.BaseWeights == BaseWeights.Synthetic)
        {
            needs.AddRange(scenario.WeightOverrides.Where(o => o.Source is CheckpointValues).Select(o => $"weights.{o.Key} \"checkpoint\""));
        }

        if (scenario.Input is TextInput)
        {
            needs.Add("a text input (vocab.txt and embeddings)");
        }

        if (path is null)
        {
            return needs.Count == 0
                ? null
                : throw new ArgumentException(
                    $"{string.Join(" and ", needs)} needs a checkpoint, and none was given: set the scenario's \"checkpoint\" field, pass a checkpoint path, or set {MaterializeOptions.EnvironmentVariable}");
        }

        var unused = needs.Count == 0 && scenario.BaseWeights == BaseWeights.Synthetic;
        if (unused && givenExplicitly)
        {
            throw new ArgumentException($"checkpoint '{path}' given, but the scenario uses no checkpoint (synthetic weights, generated or file input): drop --checkpoint or pick a scenario with checkpoint weights");
        }

        // A synthetic scenario with no use for the checkpoint ignores one set in the environment.
        return unused ? null : BertCheckpoint.Open(path);
    }

    private static LayerWeights BaseLayer(Scenario scenario, BertCheckpoint? checkpoint, List<string> settings, bool fellBack)
    {
        if (checkpoint is not null && scenario.BaseWeights != BaseWeights.Synthetic)
        {
            settings.Add($"weights: checkpoint '{checkpoint.WeightsPath}' layer {scenario.Layer} of {checkpoint.LayerCount}");
            return checkpoint.ReadLayer(scenario.Layer, scenario.Shape);
        }

        settings.Add(fellBack ? $"weights: synthetic seed {scenario.Seed} (no checkpoint)" : $"weights: synthetic seed {scenario.Seed}");
        return SyntheticWeights.Create(scenario.Shape, scenario.Seed);
    }

    private static LayerWeights ApplyOverrides(Scenario scenario, LayerWeights weights, BertCheckpoint? checkpoint, List<string> settings)
    {
        if (scenario.WeightOverrides.Count == 0)
        {
            return weights;
        }

        var winner = new Dictionary<string, WeightOverride>(StringComparer.Ordinal);
        foreach (var o in scenario.WeightOverrides)
        {
            foreach (var suffix in o.Suffixes)
            {
                if (!winner.TryGetValue(suffix, out var current) || o.Specificity > current.Specificity)
                {
                    winner[suffix] = o;
                }
            }
        }

        foreach (var o in scenario.WeightOverrides)
        {
            var covered = o.Suffixes.Count(s => winner[s] == o);
            var partial = covered == o.Suffixes.Count ? string.Empty : $" (where no narrower key applies: {covered} of {o.Suffixes.Count} parameters)";
            settings.Add($"{Words(o.Key)} {ValueSourceTensors.Describe(o.Source)}{partial}");
        }

        var replaced = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        foreach (var (suffix, o) in winner)
        {
            var expected = LayerWeights.ExpectedShape(suffix, scenario.Shape);
            replaced[suffix] = o.Source switch
            {
                CheckpointValues when checkpoint is not null && scenario.BaseWeights == BaseWeights.Synthetic =>
                    checkpoint.ReadLayerParameter(scenario.Layer, suffix, scenario.Shape),
                // Otherwise the base already holds the checkpoint's values, or the scenario fell back to synthetic ones.
                CheckpointValues => LayerWeights.Parameters.Single(p => p.Suffix == suffix).Get(weights),
                _ => ValueSourceTensors.Create(o.Source, expected, suffix),
            };
        }

        return WithParameters(weights, replaced);
    }

    private static LayerWeights ZeroBiases(LayerWeights weights)
    {
        var zeros = LayerWeights.Parameters
            .Where(p => p.Suffix.EndsWith(".bias", StringComparison.Ordinal))
            .ToDictionary(p => p.Suffix, p => HostTensor.Filled((long[])p.Get(weights).Shape.Clone(), 0.0, ElementType.Float64));
        return WithParameters(weights, zeros);
    }

    /// <summary>A copy of <paramref name="weights"/> with the parameters named by suffix replaced.</summary>
    private static LayerWeights WithParameters(LayerWeights weights, IReadOnlyDictionary<string, HostTensor> bySuffix) =>
        weights.MapParameters((suffix, current) => bySuffix.TryGetValue(suffix, out var t) ? t : current);

    private static (HostTensor Hidden, int? ValidLength) BuildInput(Scenario scenario, BertCheckpoint? checkpoint, List<string> settings)
    {
        var shape = scenario.Shape;
        long[] inputShape = [shape.Batch, shape.Sequence, shape.Model];
        switch (scenario.Input)
        {
            case GeneratedInput g:
                settings.Add($"input {ValueSourceTensors.Describe(g.Values)}");
                return (ValueSourceTensors.Create(g.Values, inputShape, TensorNames.Input), scenario.ValidLength);
            case FileInput f:
                var path = Path.IsPathRooted(f.Path) || scenario.BaseDirectory is null ? f.Path : Path.Combine(scenario.BaseDirectory, f.Path);
                settings.Add($"input: tensor '{f.Tensor}' from '{path}'");
                return (ReadInputFile(path, f.Tensor, shape), scenario.ValidLength);
            case TextInput t:
                // Invariant: a text input has a checkpoint here (OpenCheckpointIfNeeded demanded one).
                var vocabulary = checkpoint!.Vocabulary
                    ?? throw new ArgumentException($"text input needs {BertCheckpoint.VocabularyFileName} beside '{checkpoint.WeightsPath}', and there is none");
                var embedded = TextEmbedding.Embed(t.Text, vocabulary, checkpoint.ReadEmbeddings(), shape);
                var cut = embedded.Truncated ? $", truncated from {embedded.TokenCount}" : string.Empty;
                settings.Add($"input: text \"{t.Text}\" embedded ({embedded.ValidLength} tokens of {shape.Sequence}{cut})");
                return (embedded.Hidden, embedded.ValidLength);
            default:
                throw new ArgumentException($"unknown input {scenario.Input}");
        }
    }

    /// <summary>The Hugging Face semantics computes the checkpoint's own LayerNorm eps and activation; a checkpoint that says otherwise is not that layer.</summary>
    private static void CheckConfig(Scenario scenario, BertCheckpoint checkpoint)
    {
        if (checkpoint.Config is not { } c || scenario.Semantics.Name != LayerSemantics.HuggingFace.Name)
        {
            return;
        }

        var s = scenario.Semantics;
        // Invariant: eps is compared at float32 precision, the precision a graph constant is stored in.
        if ((float)c.LayerNormEps != (float)s.LayerNormEps || c.Activation != s.Activation)
        {
            throw new ArgumentException(
                $"checkpoint '{checkpoint.WeightsPath}' computes LayerNorm eps {c.LayerNormEps:G3} and {c.Activation}; the {s.Name} semantics computes eps {s.LayerNormEps:G3} and {s.Activation}");
        }
    }

    // A plain loop (LINQ's Count with a delegate per value took a tenth of drawing the seed case's layer); counting
    // NaN and Inf apart is left to the rare tensor that has any.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AllFinite(double[] values)
    {
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>NaN or Inf in a weight or the input is a scenario error naming every such tensor and its count, unless allowed.</summary>
    private static void CheckFinite(LayerWeights weights, HostTensor hidden, int layer, bool allow, List<string> settings)
    {
        var bad = LayerWeights.Parameters
            .Select(p => (Name: $"weight 'encoder.layer.{layer}.{p.Suffix}'", Tensor: p.Get(weights)))
            .Prepend((Name: $"input '{TensorNames.Input}'", Tensor: hidden))
            .Where(p => !AllFinite(p.Tensor.Data))
            .Select(p => (p.Name, p.Tensor.Count, NaN: p.Tensor.Data.Count(double.IsNaN), Inf: p.Tensor.Data.Count(double.IsInfinity)))
            .Select(p => $"{p.Name} holds {p.NaN + p.Inf} non-finite values of {p.Count} ({p.NaN} NaN, {p.Inf} Inf)")
            .ToList();
        if (bad.Count == 0)
        {
            return;
        }

        if (!allow)
        {
            throw new ArgumentException($"{string.Join("; ", bad)}: NaN/Inf in what enters the layer would be blamed on the kernel; pass --allow-nonfinite to judge only elements whose truth is finite");
        }

        settings.AddRange(bad.Select(b => $"{b} (allowed: only elements whose truth is finite are judged)"));
    }

    private static HostTensor ReadInputFile(string path, string tensor, LayerShape shape)
    {
        using var file = SafetensorsFile.Open(path);
        var entry = file.Entry(tensor);
        long[] full = [shape.Batch, shape.Sequence, shape.Model];
        long[] single = [shape.Sequence, shape.Model];
        var fits = entry.Shape.AsSpan().SequenceEqual(full) || (shape.Batch == 1 && entry.Shape.AsSpan().SequenceEqual(single));
        if (!fits)
        {
            throw new CheckpointException($"safetensors '{path}': tensor '{tensor}' has shape {entry.ShapeText}, expected [{string.Join(", ", full)}] for the input");
        }

        var read = file.Read(tensor);
        return new HostTensor(full, read.Data, read.Dtype);
    }

    /// <summary>Hugging Face's additive mask: 0 on valid keys, the dtype's most negative finite value on padding.</summary>
    private static HostTensor PaddingMask(LayerShape shape, int validLength, ElementType dtype, List<string> settings)
    {
        var minimum = MostNegative(dtype);
        var data = new double[(long)shape.Batch * shape.Sequence];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = i % shape.Sequence < validLength ? 0 : minimum;
        }

        settings.Add(validLength < shape.Sequence
            ? $"padding: {validLength} of {shape.Sequence} keys valid, mask {ValueSourceTensors.Format(minimum)} on the rest"
            : $"padding: none ({validLength} of {shape.Sequence} keys valid), zero mask present");
        return new HostTensor([shape.Batch, shape.Sequence], data, dtype);
    }

    public static double MostNegative(ElementType dtype) => dtype switch
    {
        ElementType.Float16 => -(double)Half.MaxValue,
        ElementType.BFloat16 => -BitConverter.UInt32BitsToSingle(0x7F7F0000u),
        ElementType.Float32 => float.MinValue,
        ElementType.Float64 => double.MinValue,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    private static ScenarioFacts Facts(Scenario scenario, HostTensor hidden, LayerWeights weights, int? validLength, bool fromCheckpoint, bool fellBack)
    {
        var constants = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (suffix, get) in LayerWeights.Parameters)
        {
            if (ConstantValue(get(weights)) is { } c)
            {
                constants[suffix] = c;
            }
        }

        return new ScenarioFacts
        {
            InputIsConstant = ConstantValue(hidden) is not null,
            InputKind = scenario.Input switch
            {
                GeneratedInput { Values: ConstantValues } => "constant",
                GeneratedInput { Values: RandomValues } => "random",
                GeneratedInput { Values: PatternValues } => "pattern",
                FileInput => "file",
                _ => "text",
            },
            WeightsConstant = constants,
            BiasesZero = LayerWeights.Parameters.Where(p => p.Suffix.EndsWith(".bias", StringComparison.Ordinal)).All(p => constants.GetValueOrDefault(p.Suffix, double.NaN) == 0),
            OverriddenActivations = scenario.ActivationOverrides.Keys.OrderBy(TensorNames.OrderOf).ToList(),
            HasPadding = validLength < scenario.Shape.Sequence,
            WeightsSource = fromCheckpoint ? "checkpoint" : "synthetic",
            FellBackToSynthetic = fellBack,
        };
    }

    private static double? ConstantValue(HostTensor t)
    {
        if (t.Count == 0)
        {
            return null;
        }

        var first = t.Data[0];
        return t.Data.AsSpan().IndexOfAnyExcept(first) < 0 ? first : null;
    }

    /// <summary>"qkv.weight" → "query/key/value weights", "attentionLayerNorm" → "attention LayerNorm gamma and beta".</summary>
    private static string Words(string key)
    {
        var dot = key.LastIndexOf('.');
        var (group, part) = dot < 0 ? (key, null) : (key[..dot], key[(dot + 1)..]);
        var isLayerNorm = group.EndsWith("LayerNorm", StringComparison.Ordinal);
        var name = group switch
        {
            "qkv" => "query/key/value",
            "attentionOutput" => "attention output",
            "attentionLayerNorm" => "attention LayerNorm",
            "outputLayerNorm" => "output LayerNorm",
            _ => group,
        };
        var what = (part, isLayerNorm) switch
        {
            ("weight", false) => "weights",
            ("bias", false) => "biases",
            (null, false) => "weights and biases",
            ("weight", true) => "gamma",
            ("bias", true) => "beta",
            _ => "gamma and beta",
        };
        return $"{name} {what}";
    }
}
