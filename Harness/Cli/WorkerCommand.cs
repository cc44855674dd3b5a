using System.CommandLine;
using Harness.Isolation;

namespace Harness.Cli;

/// <summary>
/// `harness worker REQUEST RESPONSE` (hidden): the worker mode the isolated runs start, one variant run per process.
/// Not for people: the request file is written by <see cref="IsolatedKernelRunner"/>.
/// </summary>
public static class WorkerCommand
{
    private static readonly Argument<string> RequestArgument = new("request");
    private static readonly Argument<string> ResponseArgument = new("response");

    public static Command Create()
    {
        var command = new Command("worker", "Run one variant for an isolated run (internal).") { Hidden = true };
        command.Arguments.Add(RequestArgument);
        command.Arguments.Add(ResponseArgument);
        command.SetAction(parse => CliErrors.Guard(() => KernelWorker.Serve(parse.GetValue(RequestArgument)!, parse.GetValue(ResponseArgument)!)));
        return command;
    }
}
