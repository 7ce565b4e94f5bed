using System.Collections.Concurrent;

namespace DurableStreams.Consumers;

/// <summary>Checkpoints in this process's memory: for tests, and for consumers that may start over after a restart.</summary>
public sealed class InMemoryCheckpointStore : ICheckpointStore
{
    private readonly ConcurrentDictionary<(string Consumer, string Stream), Offset> _checkpoints = new();

    /// <inheritdoc />
    public ValueTask<Offset?> LoadAsync(string consumer, string stream, CancellationToken cancellationToken = default)
    {
        CheckpointArguments.Check(consumer, stream);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_checkpoints.TryGetValue((consumer, stream), out var position) ? position : (Offset?)null);
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(string consumer, string stream, Offset position, CancellationToken cancellationToken = default)
    {
        CheckpointArguments.Check(consumer, stream, position);
        cancellationToken.ThrowIfCancellationRequested();
        _checkpoints[(consumer, stream)] = position;
        return ValueTask.CompletedTask;
    }
}
