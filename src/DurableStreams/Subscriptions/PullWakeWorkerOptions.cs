namespace DurableStreams.Subscriptions;

/// <summary>How a <see cref="PullWakeWorker{T}"/> finds, claims and processes its wakes.</summary>
public sealed class PullWakeWorkerOptions
{
    /// <summary>The pull-wake subscription to work for (it must exist; see <see cref="SubscriptionClient.CreateAsync"/>).</summary>
    public string SubscriptionId { get; set; } = "";

    /// <summary>The name this worker claims under (reported to other workers as the lease holder); unique per instance by default.</summary>
    public string WorkerName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The wake stream to tail; read from the subscription when not set.</summary>
    public string? WakeStream { get; set; }

    /// <summary>
    /// Where tailing the wake stream starts: <see cref="Offset.Now"/> (the default; a claim attempt at start-up covers
    /// wakes written before) or a saved position.
    /// </summary>
    public Offset WakeStreamOffset { get; set; } = Offset.Now;

    /// <summary>How the wake stream is tailed: <see cref="LiveMode.LongPoll"/> (default) or <see cref="LiveMode.Sse"/>.</summary>
    public LiveMode WakeLiveMode { get; set; } = LiveMode.LongPoll;

    /// <summary>
    /// How often to try a claim when no wake event arrives (a safety net for wakes missed while the wake stream could
    /// not be read). <see cref="Timeout.InfiniteTimeSpan"/> turns it off. Default 30 s.
    /// </summary>
    public TimeSpan IdleClaimInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the lease is renewed with an ack while a wake is processed; a third of the claim's lease when not set.
    /// Progress made since the last ack rides along.
    /// </summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>Handler attempts per message within one lease before the wake is released (the message then comes back in a later wake). Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay between handler attempts, doubled after each. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Pause after a wake failed or the wake stream could not be read, before trying again. Default 1 s.</summary>
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a shutdown may spend acking progress and releasing the lease. Default 5 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (string.IsNullOrEmpty(SubscriptionId)) throw new ArgumentException("SubscriptionId is required.", nameof(SubscriptionId));
        if (string.IsNullOrEmpty(WorkerName)) throw new ArgumentException("WorkerName is required.", nameof(WorkerName));
        if (WakeLiveMode == LiveMode.Off) throw new ArgumentException("The wake stream is tailed live: use LongPoll or Sse.", nameof(WakeLiveMode));
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "At least one attempt.");
        if (HeartbeatInterval is { } h && h <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval));
    }

    internal PullWakeWorkerOptions Copy() => (PullWakeWorkerOptions)MemberwiseClone();
}

/// <summary>What one claim attempt of a <see cref="PullWakeWorker{T}"/> came to.</summary>
public enum PullWakeOutcome
{
    /// <summary>Every linked stream was already acked up to its tail.</summary>
    NoPendingWork,
    /// <summary>Another worker holds the lease.</summary>
    ClaimedElsewhere,
    /// <summary>The wake was processed and finished with <c>done</c>.</summary>
    Completed,
    /// <summary>A handler kept failing or a stream could not be read: progress up to there was acked and the lease released.</summary>
    Failed,
    /// <summary>The lease was lost (fenced, expired, token refused): processing stopped; unacked messages come back in a later wake.</summary>
    LeaseLost,
    /// <summary>Stopped by cancellation; progress was acked and the lease released where possible.</summary>
    Stopped,
}
