namespace DurableStreams.Consumers;

/// <summary>
/// Records a message a <see cref="StreamConsumer{T}"/> or a <see cref="Subscriptions.PullWakeWorker{T}"/> gives up on
/// under <see cref="HandlerFailurePolicy.Skip"/> (for example by appending it to a dead-letter stream). Neither moves
/// past the message until this returns. If it throws, the consumer stops with a <see cref="StreamConsumerException"/>,
/// and the worker releases its wake without acking the message (it comes back in a later wake): the message is never
/// lost silently.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IDeadLetterHandler<T>
{
    /// <summary>Records <paramref name="message"/>, which failed with <paramref name="exception"/> on its last attempt.</summary>
    ValueTask HandleFailedAsync(StreamMessage<T> message, Exception exception, CancellationToken cancellationToken);
}
