using System.Collections.Immutable;
using System.Text.Json;

namespace DurableStreams.State;

public sealed partial class StateEntityCollection<TKey, TEntity> : IEntityCollection
{
    private static readonly ImmutableDictionary<TKey, TEntity> Empty = ImmutableDictionary<TKey, TEntity>.Empty;

    // Guarded by the view's lock (the applying thread).
    private readonly List<StateEntityChange<TKey, TEntity>> _pending = [];
    private readonly List<StateEntityChange<TKey, TEntity>> _staging = [];

    object IEntityCollection.Load(IEnumerable<KeyValuePair<string, JsonElement>> entities)
    {
        var builder = Empty.ToBuilder();
        foreach (var (text, value) in entities)
            builder[ParseKey(text)] = Decode(text, value);
        return builder.ToImmutable();
    }

    PreparedChange IEntityCollection.Prepare(object entities, ChangeMessage message)
    {
        var current = (ImmutableDictionary<TKey, TEntity>)entities;
        TKey key = ParseKey(message.Key);
        bool present = current.TryGetValue(key, out TEntity? previous);
        if (message.Operation == ChangeOperation.Delete)
        {
            // The view rejects (or, when told to, skips) a delete of a key it does not hold before asking the typed layer,
            // and both hold the same keys.
            if (!present)
                throw new InvalidOperationException($"A delete of '{Type}' key '{message.Key}', which the state does not hold, reached the typed layer.");
            return new PreparedChange(Index, this, current.Remove(key),
                new StateEntityChange<TKey, TEntity>(key, StateChangeKind.Deleted, default, previous));
        }
        TEntity entity = Decode(message.Key, message.Value);
        return new PreparedChange(Index, this, current.SetItem(key, entity),
            new StateEntityChange<TKey, TEntity>(key, present ? StateChangeKind.Updated : StateChangeKind.Inserted, entity, present ? previous : default));
    }

    void IEntityCollection.Record(object change, bool staged) => (staged ? _staging : _pending).Add((StateEntityChange<TKey, TEntity>)change);

    void IEntityCollection.EndSnapshot(bool visible)
    {
        if (visible)
            _pending.AddRange(_staging);
        _staging.Clear();
    }

    void IEntityCollection.RecordReset(object entities)
    {
        foreach (var (key, entity) in (ImmutableDictionary<TKey, TEntity>)entities)
            _pending.Add(new StateEntityChange<TKey, TEntity>(key, StateChangeKind.Deleted, default, entity));
    }

    Action? IEntityCollection.TakePending(StateChangeReason reason, bool always)
    {
        if (_pending.Count == 0 && !always)
            return null;
        StateEntityChange<TKey, TEntity>[] changes = [.. _pending];
        _pending.Clear();
        return () => Changed?.Invoke(Owner, new StateEntityChangedEventArgs<TKey, TEntity>(reason, changes));
    }

    private TKey ParseKey(string text) =>
        StateKeyFormat<TKey>.TryParse(text, out TKey key)
            ? key
            : throw new StateProtocolException($"'{Type}' key '{text}' is not a {typeof(TKey).Name} in canonical form.", StateErrorReason.InvalidKey, Type, text);

    /// <summary>Decodes a value and checks its key against the message's: what every reader and writer of the collection does.</summary>
    private TEntity Decode(string key, JsonElement value)
    {
        TEntity? entity;
        try
        {
            entity = value.Deserialize(_typeInfo);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            throw new StateProtocolException($"The value of '{Type}' key '{key}' is not a {typeof(TEntity).Name}: {e.Message}",
                StateErrorReason.SchemaMismatch, Type, key, e);
        }
        if (entity is null)
            throw new StateProtocolException($"The value of '{Type}' key '{key}' is null, not a {typeof(TEntity).Name}.", StateErrorReason.SchemaMismatch, Type, key);
        string? entityKey;
        try
        {
            TKey decodedKey = _keyOf(entity);
            entityKey = decodedKey is null ? null : StateKeyFormat<TKey>.Format(decodedKey);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new StateProtocolException($"The key of the '{Type}' entity at key '{key}' could not be read: {e.Message}",
                StateErrorReason.KeyMismatch, Type, key, e);
        }
        if (!string.Equals(entityKey, key, StringComparison.Ordinal))
            throw new StateProtocolException($"The '{Type}' entity at key '{key}' has key '{entityKey ?? "<null>"}'.", StateErrorReason.KeyMismatch, Type, key);
        return entity;
    }
}
