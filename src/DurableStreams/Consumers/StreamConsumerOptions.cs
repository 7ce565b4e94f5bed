namespace DurableStreams.Consumers;

/// <summary>What a <see cref="StreamConsumer{T}"/> does after a handler failed a message <see cref="StreamConsumerOptions.MaxAttempts"/> times.</summary>
public enum HandlerFailurePolicy
{
    /// <summary>Stop: checkpoint what finished and throw a <see cref="StreamConsumerException"/> out of <see cref="StreamConsumer{T}.RunAsync"/>; a restart retries the message.</summary>
    Stop,
    /// <summary>Move on: log the failure (event 204), hand the message to the dead-letter handler if there is one, and go on with the next message.</summary>
    Skip,
}

/// <summary>Options of a <see cref="StreamConsumer{T}"/>.</summary>
public sealed class StreamConsumerOptions
{
    /// <summary>The consumer's name: with the stream, the key of its checkpoint. Required.</summary>
    public string Name { get; set; } = "";

    /// <summary>Where checkpoints are loaded from and saved to. Required.</summary>
    public ICheckpointStore? CheckpointStore { get; set; }

    /// <summary>
    /// Where to start when there is no checkpoint yet: <see cref="Offset.Beginning"/> (default), <see cref="Offset.Now"/>
    /// (only what is appended from now on), or a saved offset. A checkpoint, once saved, always wins.
    /// </summary>
    public Offset StartFrom { get; set; } = Offset.Beginning;

    /// <summary>
    /// How to read: <see cref="LiveMode.LongPoll"/> (default) or <see cref="LiveMode.Sse"/> follow the stream until it is
    /// closed or the consumer is stopped; <see cref="LiveMode.Off"/> reads what exists and returns.
    /// </summary>
    public LiveMode Live { get; set; } = LiveMode.LongPoll;

    /// <summary>Checkpoint after this many finished messages (default 100; 1 checkpoints every message).</summary>
    public int CheckpointEveryMessages { get; set; } = 100;

    /// <summary>
    /// Also checkpoint once this much time has passed since the last checkpoint, at the next finished message
    /// (default 5 s; <see langword="null"/>: by count only). Whatever the frequency, the consumer also checkpoints
    /// when it reaches the tail of the stream, when it stops, and before it throws.
    /// </summary>
    public TimeSpan? CheckpointInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a message is handed to the handler before <see cref="FailurePolicy"/> applies (default 3).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before the first retry; each further retry waits twice as long, up to <see cref="MaxRetryDelay"/> (default 200 ms).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between two attempts (default 10 s).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What to do with a message that failed <see cref="MaxAttempts"/> times (default <see cref="HandlerFailurePolicy.Stop"/>).</summary>
    public HandlerFailurePolicy FailurePolicy { get; set; } = HandlerFailurePolicy.Stop;

    /// <summary>
    /// On stop, how long the handler of the message in flight may take to finish before its token is cancelled
    /// (default 5 s; <see cref="TimeSpan.Zero"/>: cancel it at once). Reading stops at once either way.
    /// </summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The stream's name in checkpoints, logs and <see cref="StreamMessage{T}.Stream"/>; default: its URL's path
    /// relative to the client's base address.
    /// </summary>
    public string? StreamName { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name)) throw new ArgumentException("A consumer needs a Name (the key of its checkpoints).", nameof(Name));
        if (CheckpointStore is null) throw new ArgumentException("A consumer needs a CheckpointStore.", nameof(CheckpointStore));
        if (CheckpointEveryMessages < 1)
            throw new ArgumentOutOfRangeException(nameof(CheckpointEveryMessages), CheckpointEveryMessages, "CheckpointEveryMessages must be at least 1.");
        if (CheckpointInterval is { } interval && interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(CheckpointInterval), interval, "CheckpointInterval must be positive, or null.");
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "MaxAttempts must be at least 1.");
        if (RetryDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "RetryDelay must not be negative.");
        if (MaxRetryDelay < RetryDelay)
            throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), MaxRetryDelay, "MaxRetryDelay must be at least RetryDelay.");
        if (ShutdownGracePeriod < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ShutdownGracePeriod), ShutdownGracePeriod, "ShutdownGracePeriod must not be negative.");
        if (!Enum.IsDefined(FailurePolicy)) throw new ArgumentOutOfRangeException(nameof(FailurePolicy), FailurePolicy, "Unknown failure policy.");
        if (!Enum.IsDefined(Live)) throw new ArgumentOutOfRangeException(nameof(Live), Live, "Unknown live mode.");
    }

    internal StreamConsumerOptions Clone() => (StreamConsumerOptions)MemberwiseClone();
}
