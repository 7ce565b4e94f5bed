namespace DurableStreams;

// Blocking forms, mirroring the untyped handle's: for callers without an async context.
// Each takes the token its async twin takes and passes it through.
public partial class DurableStream<T>
{
    /// <summary>Blocking <see cref="CreateAsync(TimeSpan?, DateTimeOffset?, bool, CancellationToken)"/>.</summary>
    public CreateStreamResult Create(TimeSpan? ttl = null, DateTimeOffset? expiresAt = null, bool closed = false,
        CancellationToken cancellationToken = default) =>
        CreateAsync(ttl, expiresAt, closed, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="HeadAsync"/>.</summary>
    public StreamMetadata Head(CancellationToken cancellationToken = default) => HeadAsync(cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="DeleteAsync"/>.</summary>
    public void Delete(CancellationToken cancellationToken = default) => DeleteAsync(cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="AppendAsync"/>.</summary>
    public AppendResult Append(T value, AppendOptions? options = null, CancellationToken cancellationToken = default) =>
        AppendAsync(value, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="CloseAsync(CancellationToken)"/>.</summary>
    public CloseResult Close(CancellationToken cancellationToken = default) => CloseAsync(cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="CloseAsync(T, CancellationToken)"/>.</summary>
    public CloseResult Close(T finalMessage, CancellationToken cancellationToken = default) =>
        CloseAsync(finalMessage, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="ReadAsync(Offset, LiveMode, CancellationToken)"/>: messages as they arrive.</summary>
    public IEnumerable<T> Read(Offset offset = default, LiveMode live = LiveMode.Off, CancellationToken cancellationToken = default)
    {
        using var response = Stream.ReadDecodingAsync(Options(offset, live), TypeInfo, cancellationToken).GetAwaiter().GetResult();
        foreach (var message in response.ReadJson(TypeInfo, cancellationToken))
            yield return message;
    }

    /// <summary>Blocking <see cref="ReadEventsAsync(Offset, LiveMode, CancellationToken)"/>.</summary>
    public IEnumerable<StreamEvent<T>> ReadEvents(Offset offset = default, LiveMode live = LiveMode.Off, CancellationToken cancellationToken = default)
    {
        foreach (var batch in ReadBatches(offset, live, cancellationToken))
            for (var i = 0; i < batch.Items.Count; i++)
                yield return new StreamEvent<T>(batch.Items[i], batch.PositionAfter(i), batch.Offset, batch.UpToDate, batch.StreamClosed);
    }

    /// <summary>Blocking <see cref="ReadBatchesAsync(Offset, LiveMode, CancellationToken)"/>.</summary>
    public IEnumerable<JsonBatch<T>> ReadBatches(Offset offset = default, LiveMode live = LiveMode.Off, CancellationToken cancellationToken = default)
    {
        using var response = Stream.ReadDecodingAsync(Options(offset, live), TypeInfo, cancellationToken).GetAwaiter().GetResult();
        foreach (var batch in response.ReadJsonBatches(TypeInfo, cancellationToken))
            yield return batch;
    }

    /// <summary>Blocking <see cref="ReadAllAsync(Offset, LiveMode, CancellationToken)"/>.</summary>
    public IReadOnlyList<T> ReadAll(Offset offset = default, LiveMode live = LiveMode.Off, CancellationToken cancellationToken = default) =>
        ReadAllAsync(offset, live, cancellationToken).GetAwaiter().GetResult();
}
