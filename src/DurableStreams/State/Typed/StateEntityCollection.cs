using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DurableStreams.State;

/// <summary>
/// The entities of one <c>type</c> in a <see cref="DurableState"/>, decoded into <typeparamref name="TEntity"/> and keyed
/// by <typeparamref name="TKey"/>: a live, read-only dictionary that always shows the state's current visible state
/// (never a half-applied message or an open snapshot), with typed change notifications and typed writers.
/// </summary>
/// <remarks>
/// <para>Entities are decoded once, when their change is applied; reads return the same instances. Each call reads one
/// consistent state, and enumeration walks the state of the moment it began; <see cref="Current"/> gives one state to read
/// several times.</para>
/// <para>Keys travel as the message's string <c>key</c>: invariant culture, <see cref="Guid"/> as <c>"D"</c>.</para>
/// </remarks>
/// <typeparam name="TKey">The key type: string, Guid, int, long, short, byte, sbyte, ushort, uint or ulong.</typeparam>
/// <typeparam name="TEntity">The entity type.</typeparam>
public sealed partial class StateEntityCollection<TKey, TEntity> : IReadOnlyDictionary<TKey, TEntity> where TKey : notnull
{
    private readonly TypedState _typed;
    private readonly JsonTypeInfo<TEntity> _typeInfo;
    private readonly Func<TEntity, TKey> _keyOf;

    internal StateEntityCollection(DurableState owner, TypedState typed, string type, JsonTypeInfo<TEntity> typeInfo, Func<TEntity, TKey> keyOf)
    {
        Owner = owner;
        _typed = typed;
        Type = type;
        _typeInfo = typeInfo;
        _keyOf = keyOf;
    }

    /// <summary>The protocol <c>type</c> of this collection's entities.</summary>
    public string Type { get; }

    /// <summary>The state this collection belongs to.</summary>
    internal DurableState Owner { get; }

    internal int Index { get; set; }

    /// <summary>
    /// Raised on the reading thread when changes become visible: one change outside a snapshot (only this collection's),
    /// a whole snapshot at its end, or a reset (every collection is notified of the last two). Handlers run in stream
    /// order, after the change is visible, before <see cref="StateView.Changed"/>; they must not apply messages.
    /// </summary>
    public event EventHandler<StateEntityChangedEventArgs<TKey, TEntity>>? Changed;

    /// <summary>The current visible entities, as one immutable state.</summary>
    public ImmutableDictionary<TKey, TEntity> Current => (ImmutableDictionary<TKey, TEntity>)_typed.Entities(Index);

    /// <inheritdoc />
    public TEntity this[TKey key] =>
        Current.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"'{Type}' has no key '{key}'.");

    /// <inheritdoc />
    public IEnumerable<TKey> Keys => Current.Keys;

    /// <inheritdoc />
    public IEnumerable<TEntity> Values => Current.Values;

    /// <inheritdoc />
    public int Count => Current.Count;

    /// <inheritdoc />
    public bool ContainsKey(TKey key) => Current.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TEntity value) => Current.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<TKey, TEntity>> GetEnumerator() => Current.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Writes an <c>insert</c> of <paramref name="entity"/> as one transaction (a new transaction id).</summary>
    /// <exception cref="ArgumentException">The entity's key is null or empty; nothing was written.</exception>
    /// <exception cref="StateProtocolException">The entity does not encode into a value this collection would read back
    /// (<see cref="StateErrorReason.SchemaMismatch"/> or <see cref="StateErrorReason.KeyMismatch"/>); nothing was written.</exception>
    public Task<StateWriteResult> InsertAsync(TEntity entity, CancellationToken cancellationToken = default) =>
        Owner.BeginTransaction().Insert(this, entity).CommitAsync(cancellationToken);

    /// <summary>Writes an <c>update</c> of <paramref name="entity"/> as one transaction (a new transaction id).</summary>
    /// <exception cref="ArgumentException">The entity's key is null or empty; nothing was written.</exception>
    /// <exception cref="StateProtocolException">The entity does not encode into a value this collection would read back; nothing was written.</exception>
    public Task<StateWriteResult> UpdateAsync(TEntity entity, CancellationToken cancellationToken = default) =>
        Owner.BeginTransaction().Update(this, entity).CommitAsync(cancellationToken);

    /// <summary>Writes an <c>upsert</c> of <paramref name="entity"/> as one transaction (a new transaction id).</summary>
    /// <exception cref="ArgumentException">The entity's key is null or empty; nothing was written.</exception>
    /// <exception cref="StateProtocolException">The entity does not encode into a value this collection would read back; nothing was written.</exception>
    public Task<StateWriteResult> UpsertAsync(TEntity entity, CancellationToken cancellationToken = default) =>
        Owner.BeginTransaction().Upsert(this, entity).CommitAsync(cancellationToken);

    /// <summary>Writes a <c>delete</c> of <paramref name="key"/> as one transaction (a new transaction id).</summary>
    /// <exception cref="ArgumentException">The key is null or empty; nothing was written.</exception>
    public Task<StateWriteResult> DeleteAsync(TKey key, CancellationToken cancellationToken = default) =>
        Owner.BeginTransaction().Delete(this, key).CommitAsync(cancellationToken);

    /// <summary>Writes an <c>insert</c> of <paramref name="entity"/> as one transaction with the given <paramref name="txId"/>.</summary>
    /// <inheritdoc cref="InsertAsync(TEntity, CancellationToken)" path="/exception"/>
    public Task<StateWriteResult> InsertAsync(TEntity entity, string txId, CancellationToken cancellationToken = default) =>
        Owner.BeginTransaction(Given(txId)).Insert(this, entity).CommitAsync(cancellationToken);

    /// <summary>Writes an <c>update</c> of <paramref name="entity"/> as one transaction with the given <paramref name="txId"/>.</summary>
    /// <inheritdoc cref="UpdateAsync(TEntity, CancellationToken)" path="/exception"/>
    public Task<StateWriteResult> UpdateAsync(TEntity entity, string txId, CancellationToken cancellationToken = default) =>
        Owner.BeginTransaction(Given(txId)).Update(this, entity).CommitAsync(cancellationToken);

    /// <summary>Writes an <c>upsert</c> of <paramref name="entity"/> as one transaction with the given <paramref name="txId"/>.</summary>
    /// <inheritdoc cref="UpsertAsync(TEntity, CancellationToken)" path="/exception"/>
    public Task<StateWriteResult> UpsertAsync(TEntity entity, string txId, CancellationToken cancellationToken = default) =>
        Owner.BeginTransaction(Given(txId)).Upsert(this, entity).CommitAsync(cancellationToken);

    /// <summary>Writes a <c>delete</c> of <paramref name="key"/> as one transaction with the given <paramref name="txId"/>.</summary>
    /// <inheritdoc cref="DeleteAsync(TKey, CancellationToken)" path="/exception"/>
    public Task<StateWriteResult> DeleteAsync(TKey key, string txId, CancellationToken cancellationToken = default) =>
        Owner.BeginTransaction(Given(txId)).Delete(this, key).CommitAsync(cancellationToken);

    private static string Given(string txId)
    {
        ArgumentException.ThrowIfNullOrEmpty(txId);
        return txId;
    }

    /// <summary>The change message writing <paramref name="entity"/>, validated as a reader of this collection would.</summary>
    internal ChangeMessage ToChange(TEntity entity, ChangeOperation operation)
    {
        ArgumentNullException.ThrowIfNull(entity);
        string key = KeyText(_keyOf(entity), nameof(entity));
        JsonElement value = JsonSerializer.SerializeToElement(entity, _typeInfo);
        Decode(key, value); // what readers will do: refuse now what they would reject
        return new ChangeMessage(Type, key, operation) { Value = value };
    }

    /// <summary>The change message deleting <paramref name="key"/>.</summary>
    internal ChangeMessage ToDelete(TKey key) => new(Type, KeyText(key, nameof(key)), ChangeOperation.Delete);

    private string KeyText(TKey key, string parameter)
    {
        string? text = key is null ? null : StateKeyFormat<TKey>.Format(key);
        return string.IsNullOrEmpty(text)
            ? throw new ArgumentException($"A '{Type}' entity needs a non-empty key; nothing was written.", parameter)
            : text;
    }
}
