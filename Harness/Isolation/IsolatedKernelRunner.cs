using System.ComponentModel;
using System.Diagnostics;
using Harness.Kernels;
using Harness.Native;

namespace Harness.Isolation;

/// <summary>
/// Runs a variant in a worker process (this harness in worker mode) with a timeout, so a variant that crashes, traps,
/// aborts or hangs takes down its worker only: the result is then a <see cref="KernelRun"/> with a
/// <see cref="KernelFault"/> and its outputs as poisoned, and the caller goes on. Transport: the request (inputs,
/// weights, variant, runs) and the response (outputs, reruns' record, or the run's error) are files in a fresh
/// temporary folder, deleted afterwards.
/// </summary>
public static class IsolatedKernelRunner
{
    /// <summary>Exit codes above this are 128 + the signal that killed the worker (as .NET reports them on Unix).</summary>
    private const int SignalBase = 128;

    /// <param name="returnOutputs">False when only whether the run completes matters (the bench's probe): the worker sends no outputs back.</param>
    public static KernelRun Run(KernelVariant variant, KernelRequest request, int runs, WorkerOptions options, bool returnOutputs = true)
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
            new WorkerRequest(KernelLibrary.BuiltIn().Path, externals, variant.Name, runs, returnOutputs, request).Write(requestPath);
            var (code, stderr, timedOut) = Execute(WorkerLaunch.For(options, requestPath, responsePath), options.Timeout);
            KernelRun Fault(KernelFaultKind kind, int faultCode, string detail) =>
                KernelRun.Faulted(variant, request.Shape, new KernelFault(variant.Name, kind, faultCode, detail, options.Timeout));
            if (timedOut)
            {
                return Fault(KernelFaultKind.Timeout, 0, LastLine(stderr));
            }

            // The run's own error comes first: a worker whose CUDA context a trap poisoned may die after writing it.
            var response = File.Exists(responsePath) ? WorkerResponse.Read(responsePath) : null;
            if (response?.Error is { } error)
            {
                return Fault(KernelFaultKind.KernelError, code, error);
            }

            if (code > SignalBase)
            {
                return Fault(KernelFaultKind.Signal, code - SignalBase, LastLine(stderr));
            }

            return response is null || code != 0
                ? Fault(KernelFaultKind.Exit, code, LastLine(stderr))
                : new KernelRun(variant, response.Outputs, response.Elapsed) { Reruns = response.Reruns };
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static (int Code, string Stderr, bool TimedOut) Execute(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or FileNotFoundException or InvalidOperationException)
        {
            throw new WorkerUnavailableException($"cannot start the worker process '{start.FileName}': {e.Message}", e);
        }

        // Both pipes are drained while waiting, so a chatty worker cannot block on a full pipe.
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, stderr.Result, true);
        }

        process.WaitForExit();
        _ = stdout.Result;
        return (process.ExitCode, stderr.Result, false);
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;
}
