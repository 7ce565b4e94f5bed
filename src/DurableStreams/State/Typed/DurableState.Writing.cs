namespace DurableStreams.State;

public abstract partial class DurableState
{
    private readonly StateWriter _writer;
    private readonly IdempotentProducer? _producer;

    /// <summary>
    /// Begins a transaction: changes across this state's collections, written together and in order by
    /// <see cref="StateTransaction.CommitAsync"/>, all carrying one transaction id.
    /// </summary>
    /// <param name="txId">The transaction id; null for a new unique one.</param>
    public StateTransaction BeginTransaction(string? txId = null)
    {
        if (txId is not null)
            ArgumentException.ThrowIfNullOrEmpty(txId);
        return new StateTransaction(this, txId ?? Guid.NewGuid().ToString("D"));
    }

    /// <summary>Waits until every write queued through the idempotent producer is acknowledged (at once without one).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        _producer?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Flushes and closes the idempotent producer, when writes go through one.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_producer is not null)
            await _producer.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    internal async Task<StateWriteResult> WriteAsync(string txId, IReadOnlyList<ChangeMessage> changes, CancellationToken cancellationToken)
    {
        Offset? end = await _writer.WriteTransactionAsync(txId, changes, cancellationToken).ConfigureAwait(false);
        return new StateWriteResult(txId, end);
    }
}
