namespace DurableStreams.Consumers;

/// <summary>
/// A <see cref="StreamConsumer{T}"/> stopped because its handler failed a message <see cref="StreamConsumerOptions.MaxAttempts"/>
/// times (policy <see cref="HandlerFailurePolicy.Stop"/>), or because that failure could not be recorded by the dead-letter
/// handler (policy <see cref="HandlerFailurePolicy.Skip"/>). The handler's exception is the inner exception.
/// </summary>
public sealed class StreamConsumerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StreamConsumerException(string message, string consumer, string stream, Uri url, Offset? checkpoint, Offset failedPosition,
        int attempts, Exception innerException)
        : base(message, innerException)
    {
        Consumer = consumer;
        Stream = stream;
        Url = url;
        Checkpoint = checkpoint;
        FailedPosition = failedPosition;
        Attempts = attempts;
    }

    /// <summary>The consumer's name.</summary>
    public string Consumer { get; }

    /// <summary>The stream's name (its path).</summary>
    public string Stream { get; }

    /// <summary>The stream's URL.</summary>
    public Uri Url { get; }

    /// <summary>Where the consumer resumes: the checkpoint saved just before it stopped (null if none was ever saved).</summary>
    public Offset? Checkpoint { get; }

    /// <summary>The position just after the message that failed (<see cref="StreamMessage{T}.Position"/>).</summary>
    public Offset FailedPosition { get; }

    /// <summary>How many times the handler was given the message.</summary>
    public int Attempts { get; }
}
