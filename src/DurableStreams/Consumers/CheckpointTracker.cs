using Microsoft.Extensions.Logging;

namespace DurableStreams.Consumers;

/// <summary>
/// A run's progress: the position after the last finished message, the last one saved, and when to save next
/// (every N messages, every interval, and whenever the consumer says so: at the tail, on stop, before it throws).
/// </summary>
internal sealed class CheckpointTracker(StreamConsumerOptions options, string stream, TimeProvider time, ILogger logger, Offset? saved)
{
    private readonly ICheckpointStore _store = options.CheckpointStore!;
    private long _sinceSave;
    private long _lastSave = time.GetTimestamp();

    /// <summary>The checkpoint saved last (loaded, or saved in this run).</summary>
    public Offset? Saved { get; private set; } = saved;

    /// <summary>The position after the last finished message; saved when due.</summary>
    public Offset? Pending { get; private set; } = saved;

    /// <summary>Messages finished (handled or skipped) in this run.</summary>
    public long Finished { get; private set; }

    private bool Dirty => Pending is { } pending && pending != Saved;

    /// <summary>A message is finished: the checkpoint may move to just after it.</summary>
    public void Finish(Offset position)
    {
        Finished++;
        _sinceSave++;
        if (!position.IsSentinel) Pending = position;
    }

    /// <summary>
    /// An empty delivery ended at <paramref name="tail"/>: nothing lies between the last finished message and it, so it
    /// is a checkpoint too (this is how a start at <see cref="Offset.Now"/> becomes a real position).
    /// </summary>
    public void Adopt(Offset tail)
    {
        if (!tail.IsSentinel) Pending = tail;
    }

    /// <summary>Whether the configured frequency asks for a checkpoint now.</summary>
    public bool Due =>
        Dirty && (_sinceSave >= options.CheckpointEveryMessages ||
                  options.CheckpointInterval is { } interval && time.GetElapsedTime(_lastSave) >= interval);

    /// <summary>Saves the pending position if it moved; a failed save is logged (206) and tried again next time.</summary>
    public async ValueTask SaveAsync(CancellationToken cancellationToken)
    {
        if (!Dirty) return;
        var position = Pending!.Value;
        try
        {
            await _store.SaveAsync(options.Name, stream, position, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ConsumerLog.CheckpointFailed(logger, options.Name, stream, position.ToString(), ex);
            return;
        }
        ConsumerLog.CheckpointSaved(logger, options.Name, stream, position.ToString(), _sinceSave);
        Saved = position;
        _sinceSave = 0;
        _lastSave = time.GetTimestamp();
    }
}
