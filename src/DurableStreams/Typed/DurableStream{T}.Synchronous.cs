namespace DurableStreams;

// Blocking forms, mirroring the untyped handle's: for callers without an async context.
public partial class DurableStream<T>
{
    /// <summary>Blocking <see cref="CreateAsync(TimeSpan?, DateTimeOffset?, bool, CancellationToken)"/>.</summary>
    public CreateStreamResult Create(TimeSpan? ttl = null, DateTimeOffset? expiresAt = null, bool closed = false) =>
        CreateAsync(ttl, expiresAt, closed).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="HeadAsync"/>.</summary>
    public StreamMetadata Head() => HeadAsync().GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="DeleteAsync"/>.</summary>
    public void Delete() => DeleteAsync().GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="AppendAsync"/>.</summary>
    public AppendResult Append(T value, AppendOptions? options = null) => AppendAsync(value, options).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="CloseAsync(CancellationToken)"/>.</summary>
    public CloseResult Close() => CloseAsync().GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="CloseAsync(T, CancellationToken)"/>.</summary>
    public CloseResult Close(T finalMessage) => CloseAsync(finalMessage).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="ReadAsync(Offset, LiveMode, CancellationToken)"/>: messages as they arrive.</summary>
    public IEnumerable<T> Read(Offset offset = default, LiveMode live = LiveMode.Off)
    {
        using var response = Stream.Read(Options(offset, live));
        foreach (var message in response.ReadJson(TypeInfo))
            yield return message;
    }

    /// <summary>Blocking <see cref="ReadEventsAsync(Offset, LiveMode, CancellationToken)"/>.</summary>
    public IEnumerable<StreamEvent<T>> ReadEvents(Offset offset = default, LiveMode live = LiveMode.Off)
    {
        foreach (var batch in ReadBatches(offset, live))
            foreach (var message in batch.Items)
                yield return new StreamEvent<T>(message, batch.Offset, batch.UpToDate, batch.StreamClosed);
    }

    /// <summary>Blocking <see cref="ReadBatchesAsync(Offset, LiveMode, CancellationToken)"/>.</summary>
    public IEnumerable<JsonBatch<T>> ReadBatches(Offset offset = default, LiveMode live = LiveMode.Off)
    {
        using var response = Stream.Read(Options(offset, live));
        foreach (var batch in response.ReadJsonBatches(TypeInfo))
            yield return batch;
    }

    /// <summary>Blocking <see cref="ReadAllAsync(Offset, LiveMode, CancellationToken)"/>.</summary>
    public IReadOnlyList<T> ReadAll(Offset offset = default, LiveMode live = LiveMode.Off) =>
        ReadAllAsync(offset, live).GetAwaiter().GetResult();
}
