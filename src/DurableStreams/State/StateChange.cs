using System.Text.Json;

namespace DurableStreams.State;

/// <summary>What a change did to the view.</summary>
public enum StateChangeKind
{
    /// <summary>A key that was absent now has a value.</summary>
    Inserted,
    /// <summary>A key that had a value has another one.</summary>
    Updated,
    /// <summary>A key was removed (by a delete, or by a reset).</summary>
    Deleted,
}

/// <summary>Why <see cref="StateView.Changed"/> was raised.</summary>
public enum StateChangeReason
{
    /// <summary>One change message outside a snapshot was applied.</summary>
    Change,
    /// <summary>A <c>snapshot-end</c> made a whole snapshot visible at once; the changes are those of the snapshot, in order.</summary>
    Snapshot,
    /// <summary>A <c>reset</c> cleared the view; every entity it held is reported as <see cref="StateChangeKind.Deleted"/>.</summary>
    Reset,
}

/// <summary>One entity's change as the view applied it.</summary>
/// <param name="Type">The entity type.</param>
/// <param name="Key">The entity key.</param>
/// <param name="Kind">What happened to the key.</param>
/// <param name="Value">The value now held (<c>default</c> after a delete).</param>
/// <param name="PreviousValue">The value held before (<c>default</c> when the key was absent).</param>
public readonly record struct StateChange(string Type, string Key, StateChangeKind Kind, JsonElement Value, JsonElement PreviousValue);

/// <summary>The changes that just became visible in a <see cref="StateView"/>.</summary>
public sealed class StateChangedEventArgs : EventArgs
{
    internal StateChangedEventArgs(StateChangeReason reason, IReadOnlyList<StateChange> changes)
    {
        Reason = reason;
        Changes = changes;
    }

    /// <summary>Why the view changed.</summary>
    public StateChangeReason Reason { get; }

    /// <summary>The changes, in stream order (may be empty, for an empty snapshot or a reset of an empty view).</summary>
    public IReadOnlyList<StateChange> Changes { get; }
}
