namespace DurableStreams.State;

public sealed partial class StateView
{
    /// <summary>An empty view.</summary>
    public StateView()
    {
    }

    /// <summary>A view holding a saved <paramref name="snapshot"/>'s entities and applied transaction ids.</summary>
    public StateView(StateSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _committed = EmptyState.AddRange(snapshot.Entities);
        _appliedTxIds.UnionWith(snapshot.TxIds);
    }

    /// <summary>A view (empty, or holding <paramref name="snapshot"/>) that keeps <paramref name="hook"/> in step with it.</summary>
    internal StateView(StateSnapshot? snapshot, IStateViewHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (snapshot is not null)
        {
            _committed = EmptyState.AddRange(snapshot.Entities);
            _appliedTxIds.UnionWith(snapshot.TxIds);
        }
        _hook = hook;
    }

    /// <summary>A copy of the visible state and applied transaction ids, for saving.</summary>
    /// <exception cref="InvalidOperationException">A snapshot is open: its staged changes are not part of the visible state yet.</exception>
    public StateSnapshot CreateSnapshot()
    {
        lock (_gate)
        {
            if (_snapshot is not null)
                throw new InvalidOperationException("The view is inside a snapshot; save it after 'snapshot-end'.");
            return new StateSnapshot(_committed, [.. _appliedTxIds]);
        }
    }
}
