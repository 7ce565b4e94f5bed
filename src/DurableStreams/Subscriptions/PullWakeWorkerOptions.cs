using DurableStreams.Consumers;

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

    /// <summary>Handler attempts per message within one wake before <see cref="FailurePolicy"/> applies. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before the first retry; each further retry waits twice as long, up to <see cref="MaxRetryDelay"/>. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between two attempts (the lease is renewed meanwhile). Default 10 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// What to do with a message the handler failed <see cref="MaxAttempts"/> times in a wake.
    /// <see langword="null"/> (the default): ack what finished, release the lease, and hand the message over again in a
    /// later wake, with no limit (nothing is lost, nothing stops; a message that can never succeed blocks its stream).
    /// <see cref="HandlerFailurePolicy.Skip"/>: log it (event 412), give it to the dead-letter handler if there is one,
    /// and ack past it. <see cref="HandlerFailurePolicy.Stop"/>: ack what finished, release the lease, and end
    /// <see cref="PullWakeWorker{T}.RunAsync"/> with a <see cref="PullWakeWorkerException"/>; the message stays unacked.
    /// </summary>
    public HandlerFailurePolicy? FailurePolicy { get; set; }

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
        if (RetryDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "RetryDelay must not be negative.");
        if (MaxRetryDelay < RetryDelay) throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), MaxRetryDelay, "MaxRetryDelay must be at least RetryDelay.");
        if (FailurePolicy is { } policy && !Enum.IsDefined(policy))
            throw new ArgumentOutOfRangeException(nameof(FailurePolicy), policy, "Unknown failure policy.");
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
    /// <summary>
    /// A handler kept failing (with no <see cref="PullWakeWorkerOptions.FailurePolicy"/>), the dead-letter handler failed,
    /// or a stream could not be read: progress up to there was acked and the lease released.
    /// </summary>
    Failed,
    /// <summary>The lease was lost (fenced, expired, token refused): processing stopped; unacked messages come back in a later wake.</summary>
    LeaseLost,
    /// <summary>Stopped by cancellation; progress was acked and the lease released where possible.</summary>
    Stopped,
}
