namespace Harness.Diagnosis.Hypotheses;

/// <summary>A parametrised set of hypotheses (e.g. one per accumulation group and rounding), found by <see cref="HypothesisCatalog"/>.</summary>
public interface IHypothesisFamily
{
    IEnumerable<IHypothesis> Members { get; }
}
