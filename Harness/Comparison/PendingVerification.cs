namespace Harness.Comparison;

/// <summary>
/// A verification whose kernel may still be rerunning in its worker: the verification of the first run's outputs as
/// soon as they come (<see cref="Early"/>), the whole one when the worker ends (<see cref="Complete"/>: with the reruns'
/// verdict, or judged again from the poisoned outputs when the worker faulted). What reads only the outputs, the
/// references and the comparison (a diagnosis) can start on <see cref="Early"/> while the kernel reruns.
/// </summary>
public sealed class PendingVerification : IDisposable
{
    private readonly Func<LayerVerification> complete;
    private readonly IDisposable? worker;
    private LayerVerification? completed;

    internal PendingVerification(LayerVerification? early, Func<LayerVerification> complete, IDisposable? worker)
    {
        Early = early;
        this.complete = complete;
        this.worker = worker;
    }

    /// <summary>The first run judged (no reruns' verdict yet); null when the worker ended without sending it.</summary>
    public LayerVerification? Early { get; }

    /// <summary>
    /// True when <see cref="Complete"/> is <see cref="Early"/> with the reruns' verdict added: the same outputs,
    /// references and comparison, so anything computed from <see cref="Early"/>'s holds for it.
    /// </summary>
    public bool CompletesEarly => Early is not null && ReferenceEquals(Complete().Comparison, Early.Comparison);

    /// <summary>Waits for the kernel's worker to end and gives the whole verification (the same on every call).</summary>
    public LayerVerification Complete() => completed ??= complete();

    public void Dispose() => worker?.Dispose();
}
