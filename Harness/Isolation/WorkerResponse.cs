using Harness.Kernels;
using Harness.Model;

namespace Harness.Isolation;

/// <summary>
/// What a worker process sends back: the first run's outputs, its time and the reruns' record; or the error that
/// stopped the run (a bk_run status message, e.g. a CUDA error), with no outputs.
/// </summary>
internal sealed record WorkerResponse(
    IReadOnlyDictionary<string, HostTensor> Outputs,
    TimeSpan Elapsed,
    RerunRecord? Reruns,
    string? Error)
{
    private const string Magic = "bk-worker-response-2";

    public static WorkerResponse Failure(string error) => new(new Dictionary<string, HostTensor>(), TimeSpan.Zero, null, error);

    public void Write(string path) => WorkerStreams.WriteAtomically(path, w =>
    {
        w.Write(Magic);
        w.Write(Error ?? string.Empty);
        w.Write(Elapsed.Ticks);
        w.Write(Outputs.Count);
        foreach (var (name, tensor) in Outputs)
        {
            w.Write(name);
            w.WriteTensor(tensor);
        }

        w.Write(Reruns is not null);
        if (Reruns is null)
        {
            return;
        }

        w.Write(Reruns.Runs);
        w.Write(Reruns.Moved.Count);
        foreach (var (name, elements) in Reruns.Moved)
        {
            w.Write(name);
            w.Write(elements.Count);
            foreach (var e in elements)
            {
                w.Write(e.Index);
                w.Write(e.FirstRun);
                w.Write(e.Min);
                w.Write(e.Max);
                w.Write(e.SawNaN);
            }
        }
    });

    public static WorkerResponse Read(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        r.Expect(Magic, path);
        var error = r.ReadString();
        var elapsed = TimeSpan.FromTicks(r.ReadInt64());
        var outputs = new Dictionary<string, HostTensor>();
        for (var count = r.ReadInt32(); count > 0; count--)
        {
            var name = r.ReadString();
            outputs[name] = r.ReadTensor();
        }

        RerunRecord? reruns = null;
        if (r.ReadBoolean())
        {
            var runs = r.ReadInt32();
            var moved = new Dictionary<string, IReadOnlyList<MovedElement>>();
            for (var tensors = r.ReadInt32(); tensors > 0; tensors--)
            {
                var name = r.ReadString();
                moved[name] = Enumerable.Range(0, r.ReadInt32())
                    .Select(_ => new MovedElement(r.ReadInt64(), r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), r.ReadBoolean()))
                    .ToList();
            }

            reruns = new RerunRecord(runs, moved);
        }

        return new WorkerResponse(outputs, elapsed, reruns, error.Length == 0 ? null : error);
    }
}
