using System.ComponentModel;
using System.Diagnostics;
using Harness.Kernels;
using Harness.Native;

namespace Harness.Isolation;

/// <summary>
/// A variant running in a worker process (see <see cref="IsolatedKernelRunner"/>): the first run's outputs as soon as
/// the worker sends them (<see cref="First"/>, when it was asked to), the whole run when the worker ends
/// (<see cref="Finish"/>). Disposing kills a worker still running and deletes its folder.
/// </summary>
public sealed class WorkerKernelRun : IDisposable
{
    /// <summary>Exit codes above this are 128 + the signal that killed the worker (as .NET reports them on Unix).</summary>
    private const int SignalBase = 128;

    /// <summary>How often <see cref="First"/> looks for the first run's file while the worker runs.</summary>
    private static readonly TimeSpan FirstRunPoll = TimeSpan.FromMilliseconds(10);

    private readonly KernelVariant variant;
    private readonly KernelRequest request;
    private readonly WorkerOptions options;
    private readonly bool firstRunEarly;
    private readonly DirectoryInfo folder;
    private readonly string responsePath;
    private readonly Process process;
    private readonly Stopwatch clock;
    private readonly Task<string> stderr;
    private readonly Task<string> stdout;
    private KernelRun? first;
    private KernelRun? finished;

    private WorkerKernelRun(KernelVariant variant, KernelRequest request, WorkerOptions options, bool firstRunEarly, DirectoryInfo folder, string responsePath, Process process)
    {
        this.variant = variant;
        this.request = request;
        this.options = options;
        this.firstRunEarly = firstRunEarly;
        this.folder = folder;
        this.responsePath = responsePath;
        this.process = process;
        clock = Stopwatch.StartNew();

        // Both pipes are drained while waiting, so a chatty worker cannot block on a full pipe.
        stderr = process.StandardError.ReadToEndAsync();
        stdout = process.StandardOutput.ReadToEndAsync();
    }

    internal static WorkerKernelRun Start(KernelVariant variant, KernelRequest request, int runs, WorkerOptions options, bool returnOutputs, bool firstRunEarly)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        // Limits are checked here too, so a refused shape is the same one-line user error as in-process.
        if (variant.CheckShape(request.Shape) is { } refusal)
        {
            throw new UnsupportedShapeException(refusal);
        }

        var folder = Directory.CreateTempSubdirectory("harness-worker-");
        try
        {
            var requestPath = Path.Combine(folder.FullName, "request.bin");
            var responsePath = Path.Combine(folder.FullName, "response.bin");
            var externals = variant.IsExternal ? [variant.Library.Path] : Array.Empty<string>();
            new WorkerRequest(KernelLibrary.BuiltIn().Path, externals, variant.Name, runs, returnOutputs, firstRunEarly, request).Write(requestPath);
            var process = new Process { StartInfo = WorkerLaunch.For(options, requestPath, responsePath) };
            try
            {
                process.Start();
            }
            catch (Exception e) when (e is Win32Exception or FileNotFoundException or InvalidOperationException)
            {
                process.Dispose();
                throw new WorkerUnavailableException($"cannot start the worker process '{process.StartInfo.FileName}': {e.Message}", e);
            }

            return new WorkerKernelRun(variant, request, options, firstRunEarly, folder, responsePath, process);
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>
    /// The first run's outputs and time (no reruns' record yet), waited for until the worker writes them; null when it
    /// was not asked to, or ended or ran out of time without writing them (then <see cref="Finish"/> says why).
    /// </summary>
    public KernelRun? First()
    {
        if (!firstRunEarly || first is not null)
        {
            return first;
        }

        var path = WorkerRequest.FirstRunFile(responsePath);
        while (!File.Exists(path) && !process.HasExited && clock.Elapsed < options.Timeout)
        {
            process.WaitForExit(FirstRunPoll);
        }

        // Invariant: the worker writes the file whole or not at all (a rename), so one that exists can be read.
        first = File.Exists(path) ? ReadFirst(path) : null;
        return first;
    }

    /// <summary>
    /// Waits for the worker to end (killing it at the timeout) and gives the run: the first run's outputs and time with
    /// the reruns' record, or the fault (a crash, an abort, a timeout, the run's own error), its outputs as poisoned.
    /// </summary>
    public KernelRun Finish() => finished ??= Wait();

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }
        finally
        {
            process.Dispose();
            folder.Delete(recursive: true);
        }
    }

    private KernelRun Wait()
    {
        var remaining = options.Timeout - clock.Elapsed;
        if (!process.WaitForExit(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return Fault(KernelFaultKind.Timeout, 0, LastLine(stderr.Result));
        }

        process.WaitForExit();
        _ = stdout.Result;
        var code = process.ExitCode;

        // The run's own error comes first: a worker whose CUDA context a trap poisoned may die after writing it.
        var response = File.Exists(responsePath) ? WorkerResponse.Read(responsePath) : null;
        if (response?.Error is { } error)
        {
            return Fault(KernelFaultKind.KernelError, code, error);
        }

        if (code > SignalBase)
        {
            return Fault(KernelFaultKind.Signal, code - SignalBase, LastLine(stderr.Result));
        }

        if (response is null || code != 0)
        {
            return Fault(KernelFaultKind.Exit, code, LastLine(stderr.Result));
        }

        // Asked for the first run early, the worker sent its outputs then, and the final response holds the reruns' record.
        var outputs = firstRunEarly ? First() ?? throw new InvalidDataException($"worker for '{variant.Name}' completed without its first run's outputs") : null;
        return new KernelRun(variant, outputs?.Outputs ?? response.Outputs, response.Elapsed) { Reruns = response.Reruns };
    }

    private KernelRun ReadFirst(string path)
    {
        var response = WorkerResponse.Read(path);
        return new KernelRun(variant, response.Outputs, response.Elapsed);
    }

    private KernelRun Fault(KernelFaultKind kind, int code, string detail) =>
        KernelRun.Faulted(variant, request.Shape, new KernelFault(variant.Name, kind, code, detail, options.Timeout));

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;
}
