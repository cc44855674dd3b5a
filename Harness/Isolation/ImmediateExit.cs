using System.Runtime.InteropServices;

namespace Harness.Isolation;

/// <summary>
/// Ends a worker process at once, without the runtime's shutdown or the native libraries' exit-time teardown. Once a
/// worker's response is on disk it has nothing left to do, and teardown is where a healthy run could still crash: at
/// exit the CUDA runtime's and libtorch's static destructors run while the .NET finalizer thread may still be handing
/// TorchSharp tensors back to them. Such a crash after a good run (a SIGSEGV of the worker, more often the more
/// processes share the machine) was reported as a fault of the kernel.
/// </summary>
internal static partial class ImmediateExit
{
    public static void Now(int status)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Exit(status);
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void Exit(int status);
}
