using System.Collections.Immutable;
using System.Text.Json;

namespace DurableStreams.State;

/// <summary>
/// Materialises a State Protocol stream: applies its messages in stream order into one keyed collection per entity
/// type, and raises <see cref="Changed"/> as changes become visible.
/// </summary>
/// <remarks>
/// <para>Apply is all-or-nothing per message: a rejected message (<see cref="StateProtocolException"/>) leaves the view,
/// its open snapshot and its applied transaction ids exactly as they were, and the next message can still be applied.</para>
/// <para>Between <c>snapshot-start</c> and <c>snapshot-end</c> changes are staged: readers keep seeing the state before the
/// snapshot, then the whole snapshot at once (one <see cref="Changed"/> with <see cref="StateChangeReason.Snapshot"/>).
/// The snapshot's changes apply on top of the existing state, as in the TypeScript package. <c>reset</c> clears the
/// view and abandons an open snapshot; transaction ids already applied stay applied.</para>
/// <para>One reader applies messages; any thread may read. <see cref="Changed"/> handlers run on the applying thread, in
/// order, before <c>Apply</c> returns (after the change is visible); a handler's exception propagates to the caller of
/// <c>Apply</c>, the message staying applied. Handlers must not call <c>Apply</c>.</para>
/// </remarks>
public sealed partial class StateView
{
    private static readonly ImmutableDictionary<string, ImmutableDictionary<string, JsonElement>> EmptyState =
        ImmutableDictionary.Create<string, ImmutableDictionary<string, JsonElement>>(StringComparer.Ordinal);
    private static readonly ImmutableDictionary<string, JsonElement> EmptyEntities =
        ImmutableDictionary.Create<string, JsonElement>(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private ImmutableDictionary<string, ImmutableDictionary<string, JsonElement>> _committed = EmptyState;
    private Snapshot? _snapshot;
    private readonly IStateViewHook? _hook;

    /// <summary>Raised when changes become visible: after each change outside a snapshot, at <c>snapshot-end</c>, and at <c>reset</c>.</summary>
    public event EventHandler<StateChangedEventArgs>? Changed;

    /// <summary>
    /// Whether a <c>delete</c> of a key the view does not hold is applied as a no-op (its txid counts as applied), as the
    /// TypeScript package <c>@durable-streams/state</c> does. False by default: such a delete is rejected with
    /// <see cref="StateErrorReason.MissingKey"/>, since it means the stream and the view disagree (a lost or reordered
    /// message, or a writer deleting what it never wrote). Set it to follow streams whose writers delete twice.
    /// </summary>
    public bool IgnoreDeletesOfMissingKeys { get; init; }

    /// <summary>Whether a snapshot is open (a <c>snapshot-start</c> was applied and its <c>snapshot-end</c> not yet).</summary>
    public bool IsInSnapshot => Volatile.Read(ref _snapshot) is not null;

    /// <summary>The entity types that hold at least one entity, in no particular order.</summary>
    public IReadOnlyCollection<string> Types => [.. Volatile.Read(ref _committed).Keys];

    /// <summary>The live read-only collection of one entity type (empty while the type holds nothing).</summary>
    public StateCollection Collection(string type)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        return new StateCollection(this, type);
    }

    /// <summary>Gets the value of one entity, if the view holds it.</summary>
    public bool TryGetValue(string type, string key, out JsonElement value)
    {
        value = default;
        return EntitiesOf(type).TryGetValue(key, out value);
    }

    /// <summary>
    /// Applies one message (a JSON object) or, in order, the messages of a JSON array (the way a JSON stream delivers
    /// them). Returns how many messages were applied.
    /// </summary>
    /// <exception cref="StateProtocolException">A message was rejected and not applied. For an array, the messages
    /// before it stay applied, the ones after it are not applied, and <see cref="StateProtocolException.MessageIndex"/>
    /// is its index.</exception>
    public int Apply(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            Apply(StateMessage.Parse(json));
            return 1;
        }
        int index = 0;
        HoldTxIdWaiters(); // a waiter for a txid of the array sees the whole array applied
        try
        {
            foreach (JsonElement item in json.EnumerateArray())
            {
                try
                {
                    Apply(StateMessage.Parse(item));
                }
                catch (StateProtocolException e)
                {
                    e.MessageIndex = index;
                    throw;
                }
                index++;
            }
        }
        finally
        {
            ReleaseTxIdWaiters();
        }
        return index;
    }

    /// <summary>Applies one message.</summary>
    /// <exception cref="StateProtocolException">The message was rejected and not applied.</exception>
    public void Apply(StateMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Validate();
        lock (_gate)
        {
            switch (message)
            {
                case ChangeMessage change:
                    ApplyChange(change);
                    break;
                case ControlMessage control:
                    ApplyControl(control);
                    break;
            }
        }
    }

    internal ImmutableDictionary<string, JsonElement> EntitiesOf(string type) =>
        Volatile.Read(ref _committed).TryGetValue(type, out var entities) ? entities : EmptyEntities;

    private void ApplyChange(ChangeMessage message)
    {
        // Everything is computed before anything is stored, so a rejection changes nothing.
        var root = _snapshot?.Root ?? _committed;
        var entities = root.TryGetValue(message.Type, out var existing) ? existing : EmptyEntities;
        bool present = entities.TryGetValue(message.Key, out JsonElement previous);
        StateChange change;
        if (message.Operation == ChangeOperation.Delete)
        {
            if (!present)
            {
                if (!IgnoreDeletesOfMissingKeys)
                    throw new StateProtocolException(
                        $"A delete of '{message.Type}' key '{message.Key}', which the state does not hold.", StateErrorReason.MissingKey,
                        message.Type, message.Key);
                // Tolerated (as the TypeScript package does): the delete changes nothing; its txid counts.
                if (message.TxId is { } counted)
                {
                    if (_snapshot is { } open)
                        open.TxIds.Add(counted);
                    else
                        MarkApplied(counted);
                }
                return;
            }
            entities = entities.Remove(message.Key);
            change = new StateChange(message.Type, message.Key, StateChangeKind.Deleted, default, previous);
        }
        else
        {
            JsonElement value = message.Value.Clone(); // outlives the caller's JsonDocument
            entities = entities.SetItem(message.Key, value);
            change = new StateChange(message.Type, message.Key, present ? StateChangeKind.Updated : StateChangeKind.Inserted, value,
                present ? previous : default);
        }
        root = entities.IsEmpty ? root.Remove(message.Type) : root.SetItem(message.Type, entities);
        object? prepared = _hook?.Prepare(message, _snapshot is not null); // may reject: nothing is stored yet

        if (_snapshot is { } snapshot)
        {
            _hook?.Store(prepared, inSnapshot: true);
            snapshot.Root = root;
            snapshot.Changes.Add(change);
            if (message.TxId is { } pending)
                snapshot.TxIds.Add(pending);
            return;
        }
        _hook?.Store(prepared, inSnapshot: false);
        Volatile.Write(ref _committed, root);
        if (message.TxId is { } txid)
            MarkApplied(txid);
        _hook?.Publish(StateChangeReason.Change);
        Changed?.Invoke(this, new StateChangedEventArgs(StateChangeReason.Change, [change]));
    }

    private void ApplyControl(ControlMessage message)
    {
        switch (message.Control)
        {
            // Unmatched boundaries change nothing (the TypeScript package ignores boundaries): a 'snapshot-start' while
            // one is open continues it, a 'snapshot-end' with none open is a no-op.
            case StateControl.SnapshotStart:
                if (_snapshot is not null)
                    break;
                _hook?.SnapshotStarted();
                Volatile.Write(ref _snapshot, new Snapshot(_committed));
                break;
            case StateControl.SnapshotEnd:
                if (_snapshot is not { } snapshot)
                    break;
                _hook?.SnapshotEnded();
                Volatile.Write(ref _committed, snapshot.Root);
                Volatile.Write(ref _snapshot, null);
                foreach (string txid in snapshot.TxIds)
                    MarkApplied(txid);
                _hook?.Publish(StateChangeReason.Snapshot);
                Changed?.Invoke(this, new StateChangedEventArgs(StateChangeReason.Snapshot, snapshot.Changes));
                break;
            case StateControl.Reset:
                var cleared = new List<StateChange>();
                foreach (var (type, entities) in _committed)
                    foreach (var (key, value) in entities)
                        cleared.Add(new StateChange(type, key, StateChangeKind.Deleted, default, value));
                _hook?.Reset();
                Volatile.Write(ref _committed, EmptyState);
                Volatile.Write(ref _snapshot, null);
                _hook?.Publish(StateChangeReason.Reset);
                Changed?.Invoke(this, new StateChangedEventArgs(StateChangeReason.Reset, cleared));
                break;
        }
    }

    /// <summary>A snapshot being staged: the state it builds and what becomes visible at its end.</summary>
    private sealed class Snapshot(ImmutableDictionary<string, ImmutableDictionary<string, JsonElement>> root)
    {
        public ImmutableDictionary<string, ImmutableDictionary<string, JsonElement>> Root { get; set; } = root;
        public List<StateChange> Changes { get; } = [];
        public List<string> TxIds { get; } = [];
    }
}
