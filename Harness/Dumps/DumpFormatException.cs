namespace Harness.Dumps;

/// <summary>
/// A tensor dump, statistics log or name map is malformed or does not fit the scenario. The message names the file
/// and, where there is one, the line or tensor. The CLI reports it as a user error (exit 2).
/// </summary>
public sealed class DumpFormatException(string message) : Exception(message);
