using System.Text.Json;

namespace DurableStreams.State;

/// <summary>
/// Keeps a <see cref="StateView"/> up to date from a State Protocol stream: reads from <see cref="Position"/> (catch-up,
/// then live in the chosen <see cref="LiveMode"/>) and applies each message in stream order.
/// </summary>
/// <remarks>
/// <para><see cref="Position"/> is the exact offset after the last applied message (<see cref="StreamEvent{T}.Position"/>),
/// so a reader started from it, with the view restored from a snapshot taken at the same moment
/// (<see cref="TryCreateCheckpoint"/>), continues without replaying the stream.</para>
/// <para>A message the view rejects ends <see cref="RunAsync"/> with a <see cref="StateProtocolException"/>; the view and
/// <see cref="Position"/> stay as they were before that message. A reader runs once at a time.</para>
/// </remarks>
public sealed class StateReader
{
    private readonly DurableStream _stream;
    private readonly LiveMode _live;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Offset _position;
    private Offset? _applying; // the position after the message being applied, while Changed handlers run
    private int _running;

    /// <summary>A reader of <paramref name="stream"/> (a JSON stream) into <paramref name="view"/>.</summary>
    /// <param name="stream">The stream of state messages.</param>
    /// <param name="view">The view to apply them to (empty, or restored from the snapshot saved with <paramref name="start"/>).</param>
    /// <param name="start">Where to start reading: <see cref="Offset.Beginning"/>, or a saved <see cref="StateCheckpoint.Offset"/>.</param>
    /// <param name="live">How to follow the stream once caught up; <see cref="LiveMode.Off"/> stops there.</param>
    public StateReader(DurableStream stream, StateView view, Offset start = default, LiveMode live = LiveMode.LongPoll)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(view);
        _stream = stream;
        View = view;
        _position = start;
        _live = live;
    }

    /// <summary>The view this reader applies messages to.</summary>
    public StateView View { get; }

    /// <summary>The exact offset after the last message applied (the start offset before the first).</summary>
    public Offset Position
    {
        get { lock (_gate) return _applying ?? _position; }
    }

    /// <summary>Whether the last delivery read had caught up with the stream.</summary>
    public bool IsUpToDate { get; private set; }

    /// <summary>Completes the first time the view has applied everything the stream held (the first up-to-date delivery).</summary>
    public Task WhenUpToDate => _caughtUp.Task;

    /// <summary>
    /// The view's state and the offset it corresponds to, taken together; null while a snapshot is open in the stream
    /// (take it again after its <c>snapshot-end</c>). Consistent from any thread, and from a <see cref="StateView.Changed"/>
    /// handler, where it includes the message being applied.
    /// </summary>
    public StateCheckpoint? TryCreateCheckpoint()
    {
        lock (_gate)
            return View.IsInSnapshot ? null : new StateCheckpoint(_applying ?? _position, View.CreateSnapshot());
    }

    /// <summary>
    /// Reads and applies messages until <paramref name="cancellationToken"/> is cancelled, the stream is closed and read
    /// to its end, or (with <see cref="LiveMode.Off"/>) the reader has caught up.
    /// </summary>
    /// <exception cref="StateProtocolException">A message was rejected; nothing of it was applied.</exception>
    /// <exception cref="DurableStreamException">Reading failed (after the client's retries).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">The reader is already running.</exception>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
            throw new InvalidOperationException("The state reader is already running.");
        try
        {
            var options = new ReadOptions { Offset = Position, Live = _live };
            await using var response = await _stream.ReadAsync(options, cancellationToken).ConfigureAwait(false);
            await foreach (var batch in response.ReadJsonBatchesAsync(StateJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false))
            {
                // AwaitTxIdAsync waiters are released once the whole delivery is applied and Position is after it (a
                // transaction's changes arrive together), also when a message of it is rejected.
                View.HoldTxIdWaiters();
                try
                {
                    for (int i = 0; i < batch.Items.Count; i++)
                        ApplyOne(batch.Items[i], batch.PositionAfter(i));
                    lock (_gate)
                        _position = batch.Offset; // the same as the last message's position, or the offset of an empty delivery
                    IsUpToDate = batch.UpToDate;
                }
                finally
                {
                    View.ReleaseTxIdWaiters();
                }
                if (batch.UpToDate)
                    _caughtUp.TrySetResult();
            }
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private void ApplyOne(JsonElement json, Offset position)
    {
        // Parsed first: a malformed message (or a nested array) is refused before anything is applied.
        StateMessage message = StateMessage.Parse(json);
        lock (_gate)
        {
            // A rejected message (StateProtocolException) leaves the view and the position unchanged.
            // Other threads wait on _gate; only this thread's Changed handlers can observe _applying, and only after
            // the message is applied.
            _applying = position;
            try
            {
                View.Apply(message);
            }
            catch (Exception e) when (e is not StateProtocolException)
            {
                _position = position; // a Changed handler failed after the message was applied
                throw;
            }
            finally
            {
                _applying = null;
            }
            _position = position;
        }
    }
}
