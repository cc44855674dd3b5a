namespace Harness.Scenarios;

/// <summary>A scenario cannot be found, parsed or materialised. The message names the scenario and the JSON path or field at fault.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(string message)
        : base(message)
    {
    }

    public ScenarioException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
