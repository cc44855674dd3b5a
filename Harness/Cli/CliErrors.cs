using Harness.Kernels;
using Harness.Native;

namespace Harness.Cli;

/// <summary>
/// Turns every failure into one line on stderr and a non-zero exit. User mistakes (bad arguments, missing files,
/// unsupported shapes) never show a stack trace; set HARNESS_DEBUG=1 to see one for anything else.
/// </summary>
public static class CliErrors
{
    public const int UserError = 2;
    public const int InternalError = 3;

    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"harness: error: {FirstLine(e.Message)}");
            return UserError;
        }
        catch (Exception e)
        {
            // libtorch's c10::Error arrives as an ExternalException whose message carries a C++ stack trace: one line of it.
            var source = e is System.Runtime.InteropServices.ExternalException ? "libtorch" : e.GetType().Name;
            Console.Error.WriteLine($"harness: internal error ({source}): {FirstLine(e.Message)}");
            if (Environment.GetEnvironmentVariable("HARNESS_DEBUG") == "1")
            {
                Console.Error.WriteLine(e);
            }

            return InternalError;
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd();

    private static bool IsUserError(Exception e) => e is ArgumentException or FileNotFoundException or DirectoryNotFoundException
        or InvalidDataException or Harness.Dumps.DumpFormatException or KernelLibraryException or KernelLibraryNotFoundException or DeviceUnavailableException
        or Harness.Isolation.WorkerUnavailableException or Harness.Isolation.SanitizerUnavailableException or Harness.History.HistoryFormatException
        || e.GetType().Namespace == "Harness.Scenarios";
}
