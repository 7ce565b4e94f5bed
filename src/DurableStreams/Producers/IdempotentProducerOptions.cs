namespace DurableStreams;

/// <summary>Options of an <see cref="IdempotentProducer"/>.</summary>
public sealed class IdempotentProducerOptions
{
    /// <summary>Stable producer identity (e.g. service instance name). Required, non-empty.</summary>
    public string ProducerId { get; set; } = "";

    /// <summary>
    /// The epoch to write at, for callers that keep epochs themselves: store the producer's
    /// <see cref="IdempotentProducer.Epoch"/> and give every new instance a higher one. Another writer
    /// at the same epoch makes this instance fail with <see cref="ProducerEpochCollisionException"/>
    /// (or claim the next epoch, with <see cref="AutoClaim"/>).
    /// Default (null): the instance starts a new session of the producer id, as on a restart. It
    /// sends its first batch at epoch 0 alone; if an earlier instance used the id, it claims the epoch
    /// after the server's (seq 0) and resends, so its messages get numbers of their own and the earlier
    /// instance is fenced (its next write fails with <see cref="StaleProducerEpochException"/>).
    /// </summary>
    public long? Epoch { get; set; }

    /// <summary>
    /// Claim the next epoch and carry on whenever the server answers that the epoch is stale (403) or
    /// that another writer holds this epoch, even after this instance has written at its epoch. Two
    /// live instances with the same id then keep fencing each other, their messages interleaved; use
    /// it only for a producer that must keep going whatever else writes under its id. Default false:
    /// an instance fenced by a newer one fails with <see cref="StaleProducerEpochException"/>.
    /// </summary>
    public bool AutoClaim { get; set; }

    /// <summary>
    /// Most batches sent concurrently. Default 8. The producer halves its window when pipelined batches
    /// reach the server out of order (answered with a sequence gap and resent) and widens it again
    /// after batches arrive in order, so this is an upper bound.
    /// </summary>
    public int MaxInFlight { get; set; } = 8;

    /// <summary>How long a batch waits for more messages before it is sent. Default 5 ms.</summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Largest request body (message bytes; a larger single message goes alone). Default 112 KiB, so a
    /// full batch with its framing stays under 128 KiB: against the reference server, bodies above that
    /// cost it about a quarter more CPU per message (bench/RESULTS.md). Raise it for high-latency links.
    /// </summary>
    public int MaxBatchBytes { get; set; } = 112 * 1024;

    /// <summary>Most messages in one request. Default 10,000.</summary>
    public int MaxBatchItems { get; set; } = 10_000;

    /// <summary>
    /// Bytes buffered or in flight before <see cref="IdempotentProducer.AppendAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
    /// waits. Default (null): twice what <see cref="MaxInFlight"/> full batches hold, 1.75 MiB with the
    /// other defaults. That keeps the pipeline full; a larger buffer only lets callers run far ahead,
    /// and their work then delays the continuations that send and acknowledge (bench/RESULTS.md).
    /// </summary>
    public long? MaxBufferedBytes { get; set; }

    // The limit in force: the explicit one, or the default derived from the pipeline's size.
    internal long BufferLimit => MaxBufferedBytes ?? 2L * MaxInFlight * MaxBatchBytes;

    /// <summary>
    /// How long a batch keeps being resent, with the same numbers, while the server is unreachable or
    /// answers with a transient failure (no response, 408, 429, 5xx): long enough to ride through a
    /// restart or a deploy without the caller noticing, since a resend can never store a batch twice.
    /// Past it, <see cref="IdempotentProducer.FlushAsync"/> throws the last failure (its
    /// <see cref="DurableStreamException.Outcome"/> says whether the batch may have been stored) and the
    /// producer stops. Default 60 s; <see cref="TimeSpan.Zero"/> keeps only the client's one-shot retries.
    /// </summary>
    public TimeSpan OutageRetryTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Extra headers on every producer request.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(ProducerId)) throw new ArgumentException("ProducerId must be a non-empty string.", nameof(ProducerId));
        if (Epoch is < 0) throw new ArgumentOutOfRangeException(nameof(Epoch), Epoch, "Epoch must be zero or more.");
        if (MaxInFlight < 1) throw new ArgumentOutOfRangeException(nameof(MaxInFlight), MaxInFlight, "MaxInFlight must be at least 1.");
        if (Linger < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Linger), Linger, "Linger must not be negative.");
        if (MaxBatchBytes <= 0) throw new ArgumentOutOfRangeException(nameof(MaxBatchBytes), MaxBatchBytes, "MaxBatchBytes must be positive.");
        if (MaxBatchItems <= 0) throw new ArgumentOutOfRangeException(nameof(MaxBatchItems), MaxBatchItems, "MaxBatchItems must be positive.");
        if (OutageRetryTimeout < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(OutageRetryTimeout), OutageRetryTimeout, "OutageRetryTimeout must not be negative.");
        if (MaxBufferedBytes is <= 0) throw new ArgumentOutOfRangeException(nameof(MaxBufferedBytes), MaxBufferedBytes, "MaxBufferedBytes must be positive.");
    }

    internal IdempotentProducerOptions Clone() => (IdempotentProducerOptions)MemberwiseClone();
}
