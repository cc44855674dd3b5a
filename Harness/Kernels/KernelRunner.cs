namespace Harness.Kernels;

/// <summary>Runs a variant in this process: lay out, poison, invoke, read back; <c>reruns</c> times on the same buffers.</summary>
public static class KernelRunner
{
    /// <param name="runs">How many times to run (at least 1); from the second run on, every element whose bits differ from the first run's is recorded.</param>
    /// <param name="firstRun">Called with the first run's outputs and time before any rerun (a worker sends them on so they are judged while it reruns).</param>
    public static KernelRun Run(KernelVariant variant, KernelRequest request, int runs = 1, Action<KernelRun>? firstRun = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        using var call = new PreparedKernelCall(variant, request);
        var elapsed = call.Invoke();
        var outputs = call.ReadOutputs();
        firstRun?.Invoke(new KernelRun(variant, outputs, elapsed));
        if (runs == 1)
        {
            return new KernelRun(variant, outputs, elapsed);
        }

        // Invoke re-poisons every output before each run, so an element a rerun leaves unwritten shows as moved (NaN).
        // A rerun's buffers are compared with the first run's bytes; only a tensor that differs is read back and recorded.
        var recorder = new RerunRecorder(outputs);
        var first = call.OutputBytes();
        for (var r = 1; r < runs; r++)
        {
            call.Invoke();
            recorder.Add(name => call.OutputEquals(name, first[name]) ? null : call.ReadOutput(name));
        }

        return new KernelRun(variant, outputs, elapsed) { Reruns = recorder.Record() };
    }
}
