namespace DurableStreams.State;

/// <summary>One entity's change in a <see cref="StateEntityCollection{TKey, TEntity}"/>, decoded.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TEntity">The entity type.</typeparam>
/// <param name="Key">The entity key.</param>
/// <param name="Kind">What happened to the key.</param>
/// <param name="Entity">The entity now held (<c>default</c> after a delete).</param>
/// <param name="PreviousEntity">The entity held before (<c>default</c> when the key was absent).</param>
public readonly record struct StateEntityChange<TKey, TEntity>(TKey Key, StateChangeKind Kind, TEntity? Entity, TEntity? PreviousEntity)
    where TKey : notnull;

/// <summary>The changes that just became visible in one <see cref="StateEntityCollection{TKey, TEntity}"/>.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TEntity">The entity type.</typeparam>
public sealed class StateEntityChangedEventArgs<TKey, TEntity> : EventArgs where TKey : notnull
{
    internal StateEntityChangedEventArgs(StateChangeReason reason, IReadOnlyList<StateEntityChange<TKey, TEntity>> changes)
    {
        Reason = reason;
        Changes = changes;
    }

    /// <summary>Why the collection changed: one change, a whole snapshot at once, or a reset.</summary>
    public StateChangeReason Reason { get; }

    /// <summary>
    /// This collection's changes, in stream order. Empty only for a snapshot or reset that did not touch the collection
    /// (every collection is notified of those).
    /// </summary>
    public IReadOnlyList<StateEntityChange<TKey, TEntity>> Changes { get; }
}

/// <summary>The outcome of a typed write: the transaction id readers will see, and where the write ended.</summary>
/// <param name="TxId">The transaction id every change of the write carries; <see cref="DurableState.AwaitTxIdAsync"/> waits for it.</param>
/// <param name="Offset">The stream offset after the write; null when written through an idempotent producer (only queued).</param>
public sealed record StateWriteResult(string TxId, Offset? Offset);
