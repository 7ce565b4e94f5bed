namespace DurableStreams.Consumers;

/// <summary>
/// Application code that processes the typed messages of a durable consumer or a subscription worker, one
/// message at a time, in stream order. Returning completes the message (it may then be checkpointed or acked);
/// throwing hands it to the consumer's failure policy. Delivery is at least once: a handler must tolerate seeing
/// a message again after a crash or a lost lease.
/// </summary>
/// <typeparam name="T">The message type, decoded through its source-generated <c>JsonTypeInfo</c>.</typeparam>
public interface IStreamHandler<T>
{
    /// <summary>Processes one message.</summary>
    /// <param name="message">The message with where it came from and the position just after it.</param>
    /// <param name="cancellationToken">Signalled on shutdown, or when the lease that covers this message is lost.</param>
    ValueTask HandleAsync(StreamMessage<T> message, CancellationToken cancellationToken);
}
