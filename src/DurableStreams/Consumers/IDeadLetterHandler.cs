namespace DurableStreams.Consumers;

/// <summary>
/// Records a message a <see cref="StreamConsumer{T}"/> gives up on under <see cref="HandlerFailurePolicy.Skip"/>
/// (for example by appending it to a dead-letter stream). The consumer moves on only once this returns; if it
/// throws, the consumer stops with a <see cref="StreamConsumerException"/> rather than lose the message silently.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IDeadLetterHandler<T>
{
    /// <summary>Records <paramref name="message"/>, which failed with <paramref name="exception"/> on its last attempt.</summary>
    ValueTask HandleFailedAsync(StreamMessage<T> message, Exception exception, CancellationToken cancellationToken);
}
