namespace DurableStreams.State;

public sealed partial class StateView
{
    // Guarded by _gate.
    private readonly HashSet<string> _appliedTxIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaskCompletionSource>> _txIdWaiters = new(StringComparer.Ordinal);
    // While a delivery is applied (HoldTxIdWaiters): txids applied in it, whose waiters are released only at its end,
    // so a waiter sees the whole delivery (every change of a transaction, and the reader's position after it).
    private readonly HashSet<string> _heldTxIds = new(StringComparer.Ordinal);
    private int _holds;

    /// <summary>
    /// Whether a change carrying this transaction id is visible in the view (applied outside a snapshot, or in a
    /// snapshot that has ended). Stays true after a <c>reset</c>.
    /// </summary>
    public bool HasAppliedTxId(string txid)
    {
        ArgumentException.ThrowIfNullOrEmpty(txid);
        lock (_gate)
            return _appliedTxIds.Contains(txid);
    }

    /// <summary>
    /// Completes when a change carrying <paramref name="txid"/> is visible in the view (at once if it already is), together
    /// with the rest of the delivery (or applied array) it came in: the other changes of its transaction, written in one
    /// append, and a <see cref="StateReader"/>'s position after them.
    /// </summary>
    /// <exception cref="TimeoutException">It did not become visible within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task AwaitTxIdAsync(string txid, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(txid);
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (_appliedTxIds.Contains(txid) && !_heldTxIds.Contains(txid))
                return;
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_txIdWaiters.TryGetValue(txid, out var list))
                _txIdWaiters[txid] = list = [];
            list.Add(waiter);
        }
        try
        {
            await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Transaction '{txid}' was not applied within {timeout}.", e);
        }
        finally
        {
            lock (_gate)
            {
                if (_txIdWaiters.TryGetValue(txid, out var list) && list.Remove(waiter) && list.Count == 0)
                    _txIdWaiters.Remove(txid);
            }
        }
    }

    // Called under _gate.
    private void MarkApplied(string txid)
    {
        if (!_appliedTxIds.Add(txid))
            return;
        if (_holds > 0)
            _heldTxIds.Add(txid);
        else
            ReleaseWaiters(txid);
    }

    // Called under _gate. The waiters continue asynchronously (RunContinuationsAsynchronously).
    private void ReleaseWaiters(string txid)
    {
        if (!_txIdWaiters.Remove(txid, out var waiters))
            return;
        foreach (var waiter in waiters)
            waiter.TrySetResult();
    }

    /// <summary>
    /// Until the matching <see cref="ReleaseTxIdWaiters"/>, waiters of the txids applied meanwhile stay waiting: a delivery
    /// (or an applied array) is released as a whole. Calls nest.
    /// </summary>
    internal void HoldTxIdWaiters()
    {
        lock (_gate)
            _holds++;
    }

    /// <summary>Ends one <see cref="HoldTxIdWaiters"/>; the last one releases the waiters of every txid applied meanwhile.</summary>
    internal void ReleaseTxIdWaiters()
    {
        lock (_gate)
        {
            if (_holds == 0 || --_holds > 0)
                return;
            foreach (string txid in _heldTxIds)
                ReleaseWaiters(txid);
            _heldTxIds.Clear();
        }
    }
}
