namespace DurableStreams.State;

/// <summary>How a <see cref="DurableState"/> reads and writes its stream.</summary>
public sealed class DurableStateOptions
{
    /// <summary>
    /// How <see cref="DurableState.RunAsync"/> follows the stream once caught up (<see cref="LiveMode.LongPoll"/> by default);
    /// <see cref="LiveMode.Off"/> makes it return once caught up.
    /// </summary>
    public LiveMode Live { get; set; } = LiveMode.LongPoll;

    /// <summary>
    /// A checkpoint to resume from (<see cref="DurableState.TryCreateCheckpoint"/>, saved and parsed back): the state starts
    /// with its entities and reads from its offset, without replaying the stream. Null (the default) reads from the beginning.
    /// </summary>
    public StateCheckpoint? Checkpoint { get; set; }

    /// <summary>
    /// Whether changes of a <c>type</c> no collection declares are skipped (kept only in the untyped
    /// <see cref="DurableState.View"/>). By default they are rejected with <see cref="StateErrorReason.UnknownType"/>.
    /// </summary>
    public bool IgnoreUnknownTypes { get; set; }

    /// <summary>
    /// Whether a <c>delete</c> of a key the state does not hold is a no-op, as in <c>@durable-streams/state</c>
    /// (<see cref="StateView.IgnoreDeletesOfMissingKeys"/>). By default it is rejected with <see cref="StateErrorReason.MissingKey"/>.
    /// </summary>
    public bool IgnoreDeletesOfMissingKeys { get; set; }

    /// <summary>
    /// When set, writes go through an exactly-once <see cref="IdempotentProducer"/> created with these options: their
    /// <see cref="StateWriteResult.Offset"/> is null, <see cref="DurableState.FlushAsync"/> waits for acknowledgement and
    /// <see cref="DurableState.DisposeAsync"/> flushes and closes the producer. Null (the default) appends directly.
    /// </summary>
    public IdempotentProducerOptions? Producer { get; set; }
}
