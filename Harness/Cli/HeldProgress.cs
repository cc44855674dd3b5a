namespace Harness.Cli;

/// <summary>
/// Progress of work begun ahead of its turn (a diagnosis started while the kernel reruns): each line is stamped when it
/// is reported but held back until <see cref="Release"/>, so the console shows the steps in the order of the work's
/// turn (the verification table first, then the diagnosis), with the times they really happened.
/// </summary>
internal sealed class HeldProgress(ConsoleProgress console) : IProgress<string>
{
    private readonly Lock gate = new();
    private readonly List<string> held = [];
    private bool released;

    public void Report(string value)
    {
        lock (gate)
        {
            if (released)
            {
                Console.Error.WriteLine(console.Stamp(value));
            }
            else
            {
                held.Add(console.Stamp(value));
            }
        }
    }

    /// <summary>Writes the held lines in the order they were reported; later lines go straight through.</summary>
    public void Release()
    {
        lock (gate)
        {
            foreach (var line in held)
            {
                Console.Error.WriteLine(line);
            }

            held.Clear();
            released = true;
        }
    }

    /// <summary>Drops the held lines (their work was dropped) and holds nothing more back.</summary>
    public void Discard()
    {
        lock (gate)
        {
            held.Clear();
            released = true;
        }
    }
}
