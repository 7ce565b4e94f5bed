using System.Text.Json.Serialization;
using DurableStreams.Http;

namespace DurableStreams.Consumers;

/// <summary>
/// Checkpoints kept in a durable stream, so a consumer needs nothing but a Durable Streams server: each save
/// appends a JSON record <c>{"consumer", "stream", "offset", "at"}</c>, and a load reads the stream to its tail
/// and takes the last record for the key. The stream is created (as a JSON stream) on first use.
/// </summary>
/// <remarks>
/// Loads read incrementally: the store remembers where it stopped and the latest record per key, so each load
/// reads only what was appended since. Several processes may share one checkpoint stream; each key should have
/// one writer at a time. The stream grows by one record per save: give it a TTL, or a stream per consumer group.
/// </remarks>
public sealed class StreamCheckpointStore : ICheckpointStore
{
    private readonly DurableStream<CheckpointRecord> _stream;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<(string Consumer, string Stream), Offset> _latest = [];
    private Offset _readTo = Offset.Beginning;
    private bool _exists;

    /// <summary>A store in the stream at <paramref name="path"/> (resolved against the client's base address).</summary>
    public StreamCheckpointStore(DurableStreamClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(path);
        _stream = new DurableStream<CheckpointRecord>(client.GetStream(path, ProtocolNames.JsonMediaType), CheckpointJson.Default.CheckpointRecord);
        _time = client.Options.TimeProvider;
    }

    /// <summary>The URL of the checkpoint stream.</summary>
    public Uri Url => _stream.Url;

    /// <inheritdoc />
    public async ValueTask<Offset?> LoadAsync(string consumer, string stream, CancellationToken cancellationToken = default)
    {
        CheckpointArguments.Check(consumer, stream);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureExistsAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var batch in _stream.ReadBatchesAsync(_readTo, LiveMode.Off, cancellationToken).ConfigureAwait(false))
            {
                foreach (var record in batch.Items)
                    if (record is { Consumer: { } c, Stream: { } s, Offset: { } o })
                        _latest[(c, s)] = Offset.Parse(o);
                _readTo = batch.Offset;
            }
            return _latest.TryGetValue((consumer, stream), out var position) ? position : (Offset?)null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(string consumer, string stream, Offset position, CancellationToken cancellationToken = default)
    {
        CheckpointArguments.Check(consumer, stream, position);
        if (!_exists)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await EnsureExistsAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        var record = new CheckpointRecord(consumer, stream, position.ToString(), _time.GetUtcNow());
        await _stream.AppendAsync(record, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureExistsAsync(CancellationToken cancellationToken)
    {
        if (_exists) return;
        await _stream.EnsureCreatedAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        _exists = true;
    }
}

/// <summary>One record of a <see cref="StreamCheckpointStore"/>'s stream.</summary>
internal sealed record CheckpointRecord(string? Consumer, string? Stream, string? Offset, DateTimeOffset At);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CheckpointRecord))]
internal sealed partial class CheckpointJson : JsonSerializerContext;
