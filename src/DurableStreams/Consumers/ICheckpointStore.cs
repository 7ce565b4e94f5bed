namespace DurableStreams.Consumers;

/// <summary>
/// Where a <see cref="StreamConsumer{T}"/> keeps its checkpoints: for each consumer name and stream, the
/// <see cref="Offset"/> just after the last message it finished (<see cref="StreamMessage{T}.Position"/>, which
/// may carry a <see cref="Offset.Skip"/>). Implementations: <see cref="InMemoryCheckpointStore"/>,
/// <see cref="FileCheckpointStore"/> and <see cref="StreamCheckpointStore"/> (a durable stream of checkpoint records).
/// </summary>
/// <remarks>
/// A store keeps positions only, never the sentinels <see cref="Offset.Beginning"/> and <see cref="Offset.Now"/>:
/// a consumer with no checkpoint starts where its options say. Saves of one key come from one consumer at a time;
/// the last save wins.
/// </remarks>
public interface ICheckpointStore
{
    /// <summary>The last checkpoint saved for <paramref name="consumer"/> on <paramref name="stream"/>, or <see langword="null"/> if none.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="stream">The stream, as a path (for example <c>orders/eu</c>).</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    ValueTask<Offset?> LoadAsync(string consumer, string stream, CancellationToken cancellationToken = default);

    /// <summary>Saves <paramref name="position"/> as the checkpoint of <paramref name="consumer"/> on <paramref name="stream"/>, replacing the previous one.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="stream">The stream, as a path (for example <c>orders/eu</c>).</param>
    /// <param name="position">The offset just after the last finished message.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <exception cref="ArgumentException"><paramref name="position"/> is a sentinel (<c>-1</c> or <c>now</c>), not a position.</exception>
    ValueTask SaveAsync(string consumer, string stream, Offset position, CancellationToken cancellationToken = default);
}

/// <summary>Argument checks every store shares.</summary>
internal static class CheckpointArguments
{
    public static void Check(string consumer, string stream)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentException.ThrowIfNullOrEmpty(stream);
    }

    public static void Check(string consumer, string stream, Offset position)
    {
        Check(consumer, stream);
        if (position.IsSentinel)
            throw new ArgumentException(
                $"'{position}' is a sentinel, not a position: a checkpoint is an offset the server issued (with its skip).", nameof(position));
    }
}
