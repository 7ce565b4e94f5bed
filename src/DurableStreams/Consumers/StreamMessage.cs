namespace DurableStreams.Consumers;

/// <summary>One message handed to an <see cref="IStreamHandler{T}"/>.</summary>
/// <typeparam name="T">The message type.</typeparam>
/// <param name="Data">The decoded message.</param>
/// <param name="Stream">The stream it was read from, as a stream-root-relative path (for example <c>orders/eu</c>).</param>
/// <param name="Position">
/// The offset just after this message (<see cref="StreamEvent{T}.Position"/>): what is checkpointed or acked once
/// the handler returns, so that a resume starts with the next message, never inside or after a later one.
/// </param>
/// <param name="Attempt">1 on the first delivery to a handler in this process, then 2, 3, … while the failure policy retries it.</param>
public readonly record struct StreamMessage<T>(T Data, string Stream, Offset Position, int Attempt);
