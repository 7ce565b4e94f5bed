namespace DurableStreams.Http;

/// <summary>
/// The per-attempt timeout of <see cref="ProtocolHttpClient"/>: a token cancelled when the caller's
/// token is, or when the attempt's time is up. One spare source is kept and reset for the next
/// attempt, so a request that is answered in time allocates no source, link or timer.
/// </summary>
internal sealed class AttemptTimeouts
{
    private CancellationTokenSource? _spare;

    /// <summary>Arms a source for one attempt; pass the result to <see cref="End"/> when the attempt is over.</summary>
    public Attempt Start(CancellationToken caller, TimeSpan timeout)
    {
        var source = Interlocked.Exchange(ref _spare, null) ?? new CancellationTokenSource();
        // Cancelled with the caller (at once if the caller already is), as a linked source would be.
        var link = caller.CanBeCanceled
            ? caller.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source)
            : default;
        source.CancelAfter(timeout);
        return new Attempt(source, link);
    }

    /// <summary>
    /// Ends an attempt. The source is kept for the next one only after a success: then the request
    /// body was read by the server and nothing still watches the token; a source that was cancelled
    /// (or a request that failed) is disposed.
    /// </summary>
    public void End(in Attempt attempt, bool reuse)
    {
        attempt.Link.Dispose(); // waits for a cancellation running on the caller's thread
        if (reuse && attempt.Source.TryReset())
        {
            Interlocked.Exchange(ref _spare, attempt.Source)?.Dispose();
            return;
        }
        attempt.Source.Dispose();
    }

    /// <summary>One attempt's source and its link to the caller's token.</summary>
    public readonly record struct Attempt(CancellationTokenSource Source, CancellationTokenRegistration Link)
    {
        public CancellationToken Token => Source.Token;
    }
}
