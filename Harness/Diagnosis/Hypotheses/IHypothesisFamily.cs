namespace Harness.Diagnosis.Hypotheses;

/// <summary>A parametrised set of hypotheses (e.g. one per accumulation group and rounding), listed in <see cref="HypothesisCatalog"/>.</summary>
public interface IHypothesisFamily
{
    IEnumerable<IHypothesis> Members { get; }
}
