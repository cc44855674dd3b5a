namespace Harness.Reference;

/// <summary>
/// The names of the reference stages (<see cref="StageCatalog"/>), in dataflow order: every file that picks a stage
/// (hypotheses, the fits, the statistics-log grouping, tests) names it by one of these, never by a string of its own.
/// </summary>
public static class StageNames
{
    public const string Projections = "Projections";
    public const string Scores = "Scores";
    public const string Softmax = "Softmax";
    public const string Context = "Context";
    public const string AttentionDense = "AttentionDense";
    public const string AttentionAddAndNorm = "AttentionAddAndNorm";
    public const string Fc1 = "Fc1";
    public const string Activation = "Activation";
    public const string Fc2 = "Fc2";
    public const string OutputAddAndNorm = "OutputAddAndNorm";
}
