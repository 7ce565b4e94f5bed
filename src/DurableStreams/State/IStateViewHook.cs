namespace DurableStreams.State;

/// <summary>
/// State kept in step with a <see cref="StateView"/> (the typed layer's decoded collections). The view calls it under
/// its lock, on the applying thread, so the rules of the view hold for it: a change is validated and decoded before
/// anything is stored (all or nothing per message), staged with a snapshot, and made visible with it.
/// </summary>
internal interface IStateViewHook
{
    /// <summary>
    /// Validates and decodes a change the view accepted and is about to store; throws <see cref="StateProtocolException"/>
    /// to reject it. Must not change anything visible. Its result goes to <see cref="Store"/>.
    /// </summary>
    /// <param name="message">The change.</param>
    /// <param name="inSnapshot">Whether the change goes to an open snapshot (staged) rather than the visible state.</param>
    object? Prepare(ChangeMessage message, bool inSnapshot);

    /// <summary>Stores a prepared change: staged in the open snapshot, or made visible (just before the view's own state). Cannot fail.</summary>
    void Store(object? prepared, bool inSnapshot);

    /// <summary>A snapshot opened: changes are staged from now on.</summary>
    void SnapshotStarted();

    /// <summary>The open snapshot ended: what it staged becomes visible (just before the view's own state).</summary>
    void SnapshotEnded();

    /// <summary>The view was cleared (and an open snapshot abandoned).</summary>
    void Reset();

    /// <summary>What was just made visible is notified; called right before the view's <see cref="StateView.Changed"/>.</summary>
    void Publish(StateChangeReason reason);
}
