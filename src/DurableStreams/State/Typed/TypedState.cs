using System.Collections.Immutable;
using System.Text.Json;

namespace DurableStreams.State;

/// <summary>One typed collection as <see cref="TypedState"/> drives it.</summary>
internal interface IEntityCollection
{
    string Type { get; }

    /// <summary>Decodes every entity of a restored snapshot into the collection's dictionary (throws <see cref="StateProtocolException"/>).</summary>
    object Load(IEnumerable<KeyValuePair<string, JsonElement>> entities);

    /// <summary>Decodes and applies one change to <paramref name="entities"/> without storing anything (throws <see cref="StateProtocolException"/>).</summary>
    PreparedChange Prepare(object entities, ChangeMessage message);

    /// <summary>Records a stored change for the next notification (staged ones wait for the snapshot's end).</summary>
    void Record(object change, bool staged);

    /// <summary>The snapshot ended (its staged changes are now pending) or was abandoned (they are dropped).</summary>
    void EndSnapshot(bool visible);

    /// <summary>A reset: every entity of <paramref name="entities"/> is pending as deleted.</summary>
    void RecordReset(object entities);

    /// <summary>Takes the pending changes (null when there are none and <paramref name="always"/> is false); the returned action raises them.</summary>
    Action? TakePending(StateChangeReason reason, bool always);
}

/// <summary>A decoded change, ready to store: the collection's next dictionary and the typed change.</summary>
internal sealed record PreparedChange(int Index, IEntityCollection Collection, object Entities, object Change);

/// <summary>
/// The decoded entities of every typed collection of a <see cref="DurableState"/>, kept in step with its
/// <see cref="StateView"/> through <see cref="IStateViewHook"/>: decoded once, when the view applies a change; swapped
/// in one reference, so all collections show one consistent state (a snapshot appears in all of them at once).
/// </summary>
internal sealed class TypedState(bool ignoreUnknownTypes) : IStateViewHook
{
    private readonly List<IEntityCollection> _collections = [];
    private readonly Dictionary<string, int> _indexOf = new(StringComparer.Ordinal);
    private object[] _committed = [];
    private object[]? _staged; // set while a snapshot is open; guarded by the view's lock
    private bool _sealed;

    /// <summary>The visible dictionary of collection <paramref name="index"/> (an ImmutableDictionary of its key and entity).</summary>
    public object Entities(int index) => Volatile.Read(ref _committed)[index];

    /// <summary>Adds a collection (constructors only); returns its index.</summary>
    public int Add(IEntityCollection collection, object initial)
    {
        if (Volatile.Read(ref _sealed))
            throw new InvalidOperationException("Collections are registered in the constructor, before the state is read or written.");
        if (!_indexOf.TryAdd(collection.Type, _collections.Count))
            throw new InvalidOperationException($"Entity type '{collection.Type}' is registered twice.");
        _collections.Add(collection);
        Volatile.Write(ref _committed, [.. _committed, initial]);
        return _collections.Count - 1;
    }

    /// <summary>Ends registration; throws if the view holds a type no collection declares (and such types are not ignored).</summary>
    public void Seal(StateView view)
    {
        Volatile.Write(ref _sealed, true);
        if (ignoreUnknownTypes)
            return;
        foreach (string type in view.Types)
            if (!_indexOf.ContainsKey(type))
                throw UnknownType(type, null);
    }

    public bool IsRegistered(string type) => _indexOf.ContainsKey(type);

    object? IStateViewHook.Prepare(ChangeMessage message, bool inSnapshot)
    {
        Volatile.Write(ref _sealed, true);
        if (!_indexOf.TryGetValue(message.Type, out int index))
            return ignoreUnknownTypes ? null : throw UnknownType(message.Type, message.Key);
        object[] root = inSnapshot ? _staged ?? _committed : _committed;
        return _collections[index].Prepare(root[index], message) with { Index = index };
    }

    void IStateViewHook.Store(object? prepared, bool inSnapshot)
    {
        if (prepared is not PreparedChange change)
            return;
        object[] root = [.. inSnapshot ? _staged ?? _committed : _committed];
        root[change.Index] = change.Entities;
        if (inSnapshot)
            _staged = root;
        else
            Volatile.Write(ref _committed, root);
        change.Collection.Record(change.Change, inSnapshot);
    }

    void IStateViewHook.SnapshotStarted()
    {
        Volatile.Write(ref _sealed, true);
        _staged = _committed;
    }

    void IStateViewHook.SnapshotEnded()
    {
        Volatile.Write(ref _committed, _staged ?? _committed);
        _staged = null;
        foreach (var collection in _collections)
            collection.EndSnapshot(visible: true);
    }

    void IStateViewHook.Reset()
    {
        Volatile.Write(ref _sealed, true);
        object[] cleared = new object[_collections.Count];
        for (int i = 0; i < _collections.Count; i++)
        {
            _collections[i].EndSnapshot(visible: false);
            _collections[i].RecordReset(_committed[i]);
            cleared[i] = _collections[i].Load([]);
        }
        Volatile.Write(ref _committed, cleared);
        _staged = null;
    }

    void IStateViewHook.Publish(StateChangeReason reason)
    {
        // Every collection's pending changes are taken first, so a throwing handler cannot leave stale ones behind.
        bool always = reason != StateChangeReason.Change;
        List<Action> raise = [];
        foreach (var collection in _collections)
            if (collection.TakePending(reason, always) is { } action)
                raise.Add(action);
        foreach (Action action in raise)
            action();
    }

    private static StateProtocolException UnknownType(string type, string? key) =>
        new($"Entity type '{type}' is not declared by this state (no collection for it).", StateErrorReason.UnknownType, type, key);
}
