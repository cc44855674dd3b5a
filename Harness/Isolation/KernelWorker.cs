using System.Runtime.InteropServices;
using Harness.Kernels;
using Harness.Native;

namespace Harness.Isolation;

/// <summary>
/// The worker side (`harness worker REQUEST RESPONSE`): loads the libraries, runs the variant the request names
/// through <see cref="KernelRunner"/>, and writes the response. A run that returns an error is a response too; a run
/// that crashes or hangs writes none, and the parent reads that from the worker's exit. Asked for the first run early,
/// it writes the first run's outputs and time to <see cref="WorkerRequest.FirstRunFile"/> before rerunning, and the
/// final response then carries the reruns' record alone.
/// </summary>
public static class KernelWorker
{
    public static int Serve(string requestPath, string responsePath)
    {
        var request = WorkerRequest.Read(requestPath);
        KernelLibraryResolver.ExplicitBuiltInPath = request.BuiltInLibrary;
        WorkerResponse response;
        try
        {
            var variant = VariantCatalog.Load(request.ExternalLibraries).Find(request.Variant);
            var early = request.FirstRunEarly && request.ReturnOutputs;
            Action<KernelRun>? firstRun = early
                ? first => new WorkerResponse(first.Outputs, first.Elapsed, null, null).Write(WorkerRequest.FirstRunFile(responsePath))
                : null;
            var run = KernelRunner.Run(variant, request.Kernel, request.Runs, firstRun);
            response = new WorkerResponse(request.ReturnOutputs && !early ? run.Outputs : new Dictionary<string, Harness.Model.HostTensor>(), run.Elapsed, run.Reruns, null);
        }
        catch (Exception e) when (e is KernelLibraryException or DeviceUnavailableException or ArgumentException or InvalidOperationException or ExternalException)
        {
            response = WorkerResponse.Failure($"{e.GetType().Name}: {e.Message}");
        }

        response.Write(responsePath);
        return 0;
    }
}
