namespace DurableStreams.State;

/// <summary>
/// Changes across the collections of one <see cref="DurableState"/>, written together by <see cref="CommitAsync"/>: in
/// one append, in order, every change carrying <see cref="TxId"/>. Each change is validated as it is added (nothing is
/// sent before the commit). Not thread-safe; commits once.
/// </summary>
public sealed class StateTransaction
{
    private readonly DurableState _state;
    private readonly List<ChangeMessage> _changes = [];
    private int _committed;

    internal StateTransaction(DurableState state, string txId)
    {
        _state = state;
        TxId = txId;
    }

    /// <summary>The transaction id every change carries (<see cref="DurableState.AwaitTxIdAsync"/> waits for it).</summary>
    public string TxId { get; }

    /// <summary>How many changes the transaction holds.</summary>
    public int Count => _changes.Count;

    /// <summary>Adds an <c>insert</c> of <paramref name="entity"/> to <paramref name="collection"/>.</summary>
    /// <exception cref="ArgumentException">The collection belongs to another state, or the entity's key is null or empty.</exception>
    /// <exception cref="StateProtocolException">The entity does not encode into a value the collection would read back.</exception>
    public StateTransaction Insert<TKey, TEntity>(StateEntityCollection<TKey, TEntity> collection, TEntity entity) where TKey : notnull =>
        Add(Own(collection).ToChange(entity, ChangeOperation.Insert));

    /// <summary>Adds an <c>update</c> of <paramref name="entity"/> in <paramref name="collection"/>.</summary>
    /// <inheritdoc cref="Insert" path="/exception"/>
    public StateTransaction Update<TKey, TEntity>(StateEntityCollection<TKey, TEntity> collection, TEntity entity) where TKey : notnull =>
        Add(Own(collection).ToChange(entity, ChangeOperation.Update));

    /// <summary>Adds an <c>upsert</c> of <paramref name="entity"/> to <paramref name="collection"/>.</summary>
    /// <inheritdoc cref="Insert" path="/exception"/>
    public StateTransaction Upsert<TKey, TEntity>(StateEntityCollection<TKey, TEntity> collection, TEntity entity) where TKey : notnull =>
        Add(Own(collection).ToChange(entity, ChangeOperation.Upsert));

    /// <summary>Adds a <c>delete</c> of <paramref name="key"/> from <paramref name="collection"/>.</summary>
    /// <exception cref="ArgumentException">The collection belongs to another state, or the key is null or empty.</exception>
    public StateTransaction Delete<TKey, TEntity>(StateEntityCollection<TKey, TEntity> collection, TKey key) where TKey : notnull =>
        Add(Own(collection).ToDelete(key));

    /// <summary>Writes the transaction's changes together, in order.</summary>
    /// <returns>The transaction id and the offset after the changes (null through an idempotent producer).</returns>
    /// <exception cref="InvalidOperationException">The transaction is empty or was already committed.</exception>
    public Task<StateWriteResult> CommitAsync(CancellationToken cancellationToken = default)
    {
        if (_changes.Count == 0)
            throw new InvalidOperationException("The transaction has no changes.");
        if (Interlocked.Exchange(ref _committed, 1) == 1)
            throw new InvalidOperationException($"Transaction '{TxId}' was already committed.");
        return _state.WriteAsync(TxId, _changes, cancellationToken);
    }

    private StateEntityCollection<TKey, TEntity> Own<TKey, TEntity>(StateEntityCollection<TKey, TEntity> collection) where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(collection);
        if (!ReferenceEquals(collection.Owner, _state))
            throw new ArgumentException($"Collection '{collection.Type}' belongs to another state.", nameof(collection));
        return collection;
    }

    private StateTransaction Add(ChangeMessage change)
    {
        if (Volatile.Read(ref _committed) == 1)
            throw new InvalidOperationException($"Transaction '{TxId}' was already committed.");
        _changes.Add(change);
        return this;
    }
}
