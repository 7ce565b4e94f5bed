namespace DurableStreams.State;

public abstract partial class DurableState
{
    private readonly TaskCompletionSource _upToDate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StateReader _reader;
    private int _running;

    /// <summary>The exact stream offset after the last applied message (where a resumed state continues).</summary>
    public Offset Position => Volatile.Read(ref _reader).Position;

    /// <summary>Whether the last delivery read had caught up with the stream.</summary>
    public bool IsUpToDate => Volatile.Read(ref _reader).IsUpToDate;

    /// <summary>Completes the first time the state has applied everything the stream held.</summary>
    public Task WhenUpToDate => _upToDate.Task;

    /// <summary>
    /// Reads the stream into the collections: catch-up, then live in <see cref="Live"/> mode, until
    /// <paramref name="cancellationToken"/> is cancelled, the stream is closed and read to its end, or (with
    /// <see cref="LiveMode.Off"/>) the state has caught up. A later run continues from <see cref="Position"/>.
    /// </summary>
    /// <exception cref="StateProtocolException">A message was rejected; nothing of it was applied, and <see cref="Position"/>
    /// is the offset of that message.</exception>
    /// <exception cref="DurableStreamException">Reading failed (after the client's retries).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">The state is already being read.</exception>
    public Task RunAsync(CancellationToken cancellationToken = default) => RunCoreAsync(Live, cancellationToken);

    /// <summary>Reads until the state has caught up with the stream, then returns (a run with <see cref="LiveMode.Off"/>).</summary>
    /// <inheritdoc cref="RunAsync(CancellationToken)" path="/exception"/>
    public Task CatchUpAsync(CancellationToken cancellationToken = default) => RunCoreAsync(LiveMode.Off, cancellationToken);

    private async Task RunCoreAsync(LiveMode live, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
            throw new InvalidOperationException("The state is already being read.");
        try
        {
            _typed.Seal(View);
            // A reader per run, from where the last one stopped, so Position and checkpoints follow the running one.
            var reader = new StateReader(Stream, View, Position, live);
            Volatile.Write(ref _reader, reader);
            _ = reader.WhenUpToDate.ContinueWith(static (_, done) => ((TaskCompletionSource)done!).TrySetResult(), _upToDate,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await reader.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The continuation above runs asynchronously; a run that caught up has completed WhenUpToDate when it returns.
            if (Volatile.Read(ref _reader).WhenUpToDate.IsCompleted)
                _upToDate.TrySetResult();
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>
    /// The state and the exact offset it corresponds to, taken together, for resuming later
    /// (<see cref="DurableStateOptions.Checkpoint"/>); null while a snapshot is open in the stream. Consistent from any
    /// thread, and from a change handler, where it includes the change being notified.
    /// </summary>
    public StateCheckpoint? TryCreateCheckpoint() => Volatile.Read(ref _reader).TryCreateCheckpoint();

    /// <summary>Completes when a change carrying <paramref name="txId"/> is visible in the state (at once if it already is).</summary>
    /// <exception cref="TimeoutException">It did not become visible within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task AwaitTxIdAsync(string txId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        View.AwaitTxIdAsync(txId, timeout, cancellationToken);
}
