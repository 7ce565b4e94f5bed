namespace DurableStreams;

/// <summary>Options of one read session.</summary>
public sealed class ReadOptions
{
    /// <summary>
    /// Where to start. Default <see cref="Offset.Beginning"/>. A saved <see cref="StreamEvent{T}.Position"/> may
    /// carry a <see cref="Offset.Skip"/> (JSON streams only): the read requests its token and passes over that
    /// many messages before delivering any.
    /// </summary>
    public Offset Offset { get; set; } = Offset.Beginning;

    /// <summary>What to do after catching up. Default <see cref="LiveMode.Off"/>.</summary>
    public LiveMode Live { get; set; } = LiveMode.Off;

    /// <summary>Headers for every request of this read, over the client's headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; set; }

    /// <summary>Query parameters for every request of this read (<c>offset</c>, <c>live</c> and <c>cursor</c> are the client's).</summary>
    public IReadOnlyDictionary<string, string>? QueryParameters { get; set; }

    /// <summary>
    /// Open with a plain catch-up GET, which keeps the first answer cacheable (default). An SSE read skips it
    /// where it buys nothing: from <see cref="Offset.Now"/>, or from the tail the handle last saw (its latest
    /// append, create or HEAD), it opens with the SSE request itself. Turning this off makes every live read
    /// open with its live request; with <see cref="Offset.Now"/> and long-poll that is a single request, but
    /// the read's opening then waits until data arrives or the server's hold ends.
    /// </summary>
    public bool InitialCatchUp { get; set; } = true;

    /// <summary>
    /// How long a live read (<see cref="LiveMode.LongPoll"/>, <see cref="LiveMode.Sse"/>,
    /// <see cref="LiveMode.Auto"/>) keeps retrying through an outage once the read has been answered:
    /// connection refused, dropped connections, timeouts, 408, 429 and 5xx are retried with capped
    /// exponential backoff (<see cref="DurableStreamClientOptions.Retry"/>) until the server is back or
    /// this much time has passed in one streak of failures. <see langword="null"/> (default): no limit;
    /// only the caller's cancellation token ends the wait. The opening request, and reads without a live
    /// mode, use the client's <see cref="RetryOptions.MaxRetries"/>.
    /// </summary>
    public TimeSpan? LiveRetryBudget { get; set; }

    /// <summary>
    /// Largest number of bytes an SSE connection may send after its last control event (data events
    /// waiting to be committed). A server or proxy that sends more fails the read with a
    /// <see cref="DurableStreamProtocolException"/> (<see cref="DurableStreamErrorCode.SseBufferOverflow"/>)
    /// instead of growing memory without bound. Default 64 MiB.
    /// </summary>
    public long MaxSsePendingBytes { get; set; } = DefaultMaxSsePendingBytes;

    internal const long DefaultMaxSsePendingBytes = 64L * 1024 * 1024;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (LiveRetryBudget is { } budget && budget <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(LiveRetryBudget), budget, "LiveRetryBudget must be positive, or null for no limit.");
        if (MaxSsePendingBytes <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxSsePendingBytes), MaxSsePendingBytes, "MaxSsePendingBytes must be positive.");
    }
}
