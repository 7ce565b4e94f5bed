using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using DurableStreams.Reading;

namespace DurableStreams;

/// <summary>
/// A read in progress. Its first request has already succeeded, so the content type and starting
/// position are known. It can be consumed once, in one shape: raw chunks, bytes, text, JSON
/// messages or JSON batches; a second consumption throws <see cref="StreamConsumedException"/>.
/// </summary>
public sealed class StreamResponse : IAsyncDisposable, IDisposable
{
    private readonly ReadSession _session;
    private ReadBatch? _first;
    private int _consumed;

    internal StreamResponse(ReadSession session, ReadBatch first)
    {
        _session = session;
        _first = first;
    }

    internal static async Task<StreamResponse> OpenAsync(ReadSession session, CancellationToken cancellationToken)
    {
        try
        {
            var first = await session.NextAsync(cancellationToken).ConfigureAwait(false);
            return new StreamResponse(session, first!);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The stream URL.</summary>
    public Uri Url => _session.Url;

    /// <summary>The stream's content type, as the server reported it.</summary>
    public string? ContentType => _session.ContentType;

    /// <summary>Whether the stream is in JSON mode (<c>application/json</c>).</summary>
    public bool IsJson => _session.IsJson;

    /// <summary>The offset to resume from: after what has been delivered so far.</summary>
    public Offset Offset => new(_session.Offset);

    /// <summary>The latest cursor from the server.</summary>
    public string? Cursor => _session.Cursor;

    /// <summary>Whether the latest delivery had caught up with the stream.</summary>
    public bool UpToDate => _session.UpToDate;

    /// <summary>Whether the stream's end (closure) has been reached.</summary>
    public bool StreamClosed => _session.Closed;

    /// <summary>Status of the latest catch-up or long-poll response.</summary>
    public int Status => _session.LastStatus;

    /// <summary>Every delivery as raw bytes with its position: the Python client's events.</summary>
    public IAsyncEnumerable<StreamChunk> ReadChunksAsync(CancellationToken cancellationToken = default)
    {
        Claim();
        return ChunksAsync(cancellationToken);
    }

    /// <summary>Every delivery's bytes.</summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadBytesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var chunk in ReadChunksAsync(cancellationToken).ConfigureAwait(false))
            if (!chunk.Data.IsEmpty) yield return chunk.Data;
    }

    /// <summary>Every delivery decoded as UTF-8 text (a character split across deliveries is kept whole).</summary>
    public async IAsyncEnumerable<string> ReadTextAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        await foreach (var chunk in ReadChunksAsync(cancellationToken).ConfigureAwait(false))
        {
            var text = Decode(decoder, chunk.Data.Span, flush: chunk.StreamClosed);
            if (text.Length > 0) yield return text;
        }
    }

    /// <summary>Every JSON message (arrays flattened one level), decoded through <paramref name="typeInfo"/> as it arrives.</summary>
    public IAsyncEnumerable<T> ReadJsonAsync<T>(JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        Claim();
        return new ResponseItems<T>(this, _session, typeInfo, cancellationToken);
    }

    /// <summary>
    /// Every JSON message with the offset that resumes exactly after it (<see cref="StreamEvent{T}.Position"/>,
    /// the one to save per message) and the offset after its whole delivery (<see cref="StreamEvent{T}.NextOffset"/>).
    /// </summary>
    public async IAsyncEnumerable<StreamEvent<T>> ReadEventsAsync<T>(JsonTypeInfo<T> typeInfo,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in ReadJsonBatchesAsync(typeInfo, cancellationToken).ConfigureAwait(false))
            for (var i = 0; i < batch.Items.Count; i++)
                yield return new StreamEvent<T>(batch.Items[i], batch.PositionAfter(i), batch.Offset, batch.UpToDate, batch.StreamClosed);
    }

    /// <summary>JSON messages grouped by delivery, boundaries kept; empty deliveries are included.</summary>
    public IAsyncEnumerable<JsonBatch<T>> ReadJsonBatchesAsync<T>(JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        Claim();
        return BatchesAsync(typeInfo, cancellationToken);
    }

    /// <summary>All bytes until the read ends (catch-up: up to date; live: stream closed).</summary>
    public async Task<byte[]> ReadAllBytesAsync(CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await foreach (var chunk in ReadChunksAsync(cancellationToken).ConfigureAwait(false))
            buffer.Write(chunk.Data.Span);
        return buffer.ToArray();
    }

    /// <summary>All text until the read ends.</summary>
    public async Task<string> ReadAllTextAsync(CancellationToken cancellationToken = default)
    {
        var builder = new StringBuilder();
        await foreach (var text in ReadTextAsync(cancellationToken).ConfigureAwait(false)) builder.Append(text);
        return builder.ToString();
    }

    /// <summary>All JSON messages until the read ends.</summary>
    public async Task<IReadOnlyList<T>> ReadAllJsonAsync<T>(JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        var items = new List<T>();
        await foreach (var item in ReadJsonAsync(typeInfo, cancellationToken).ConfigureAwait(false)) items.Add(item);
        return items;
    }

    /// <summary>Synchronous <see cref="ReadAllBytesAsync"/>.</summary>
    public byte[] ReadAllBytes(CancellationToken cancellationToken = default) =>
        ReadAllBytesAsync(cancellationToken).GetAwaiter().GetResult();

    /// <summary>Synchronous <see cref="ReadAllTextAsync"/>.</summary>
    public string ReadAllText(CancellationToken cancellationToken = default) =>
        ReadAllTextAsync(cancellationToken).GetAwaiter().GetResult();

    /// <summary>Synchronous <see cref="ReadAllJsonAsync{T}"/>.</summary>
    public IReadOnlyList<T> ReadAllJson<T>(JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        ReadAllJsonAsync(typeInfo, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Synchronous <see cref="ReadChunksAsync"/>.</summary>
    public IEnumerable<StreamChunk> ReadChunks(CancellationToken cancellationToken = default) =>
        ToEnumerable(ReadChunksAsync(cancellationToken));

    /// <summary>Synchronous <see cref="ReadJsonAsync{T}"/>.</summary>
    public IEnumerable<T> ReadJson<T>(JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        ToEnumerable(ReadJsonAsync(typeInfo, cancellationToken));

    /// <summary>Synchronous <see cref="ReadJsonBatchesAsync{T}"/>.</summary>
    public IEnumerable<JsonBatch<T>> ReadJsonBatches<T>(JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        ToEnumerable(ReadJsonBatchesAsync(typeInfo, cancellationToken));

    /// <summary>Synchronous <see cref="ReadTextAsync"/>.</summary>
    public IEnumerable<string> ReadText(CancellationToken cancellationToken = default) =>
        ToEnumerable(ReadTextAsync(cancellationToken));

    private static IEnumerable<T> ToEnumerable<T>(IAsyncEnumerable<T> source)
    {
        var enumerator = source.GetAsyncEnumerator();
        try
        {
            while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                yield return enumerator.Current;
        }
        finally
        {
            enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Hands the already-fetched first batch to the one consumer.</summary>
    internal ReadBatch? TakeFirstBatch() => Interlocked.Exchange(ref _first, null);

    private void Claim()
    {
        if (Interlocked.Exchange(ref _consumed, 1) != 0) throw new StreamConsumedException(Url);
    }

    private async IAsyncEnumerable<ReadBatch> BatchSourceAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            var batch = TakeFirstBatch();
            while (batch is not null)
            {
                using (batch) yield return batch;
                batch = await _session.NextAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await _session.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Batches decoded whole by <paramref name="decode"/> before anything is delivered. A body cut off
    /// by the network is fetched again from the same position (with backoff): none of it reached the caller.
    /// </summary>
    private async IAsyncEnumerable<(ReadBatch Batch, TDecoded Decoded)> DecodedBatchesAsync<TDecoded>(
        Func<ReadBatch, CancellationToken, ValueTask<TDecoded>> decode, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var failures = 0;
        var batches = BatchSourceAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (batches.ConfigureAwait(false))
        {
            while (await batches.MoveNextAsync().ConfigureAwait(false))
            {
                var batch = batches.Current;
                TDecoded decoded;
                try
                {
                    decoded = await decode(batch, cancellationToken).ConfigureAwait(false);
                }
                catch (DurableStreamNetworkException ex) when (batch.Before is not null && _session.MayFetchAgain(failures))
                {
                    await _session.BodyRetryDelayAsync(failures++, ex, cancellationToken).ConfigureAwait(false);
                    _session.Rewind(batch);
                    continue;
                }
                catch (Exception ex) when (_session.ReportFailure(ex))
                {
                    throw; // never reached: the filter only logs
                }
                failures = 0;
                yield return (batch, decoded);
            }
        }
    }

    private async IAsyncEnumerable<StreamChunk> ChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var json = IsJson;
        await foreach (var (batch, data) in DecodedBatchesAsync((b, ct) => BatchDecoder.ReadBytesAsync(b, json, Url, ct), cancellationToken).ConfigureAwait(false))
        {
            // A byte stream has no message boundaries: each delivery counts as one message (JSON values are counted by the JSON reads).
            if (!json && data.Length > 0) Telemetry.ReadTelemetry.Consumed(Url, 1);
            yield return new StreamChunk(data, batch.Offset, batch.UpToDate, batch.Closed, batch.Cursor, batch.Status);
        }
    }

    private async IAsyncEnumerable<JsonBatch<T>> BatchesAsync<T>(JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        async ValueTask<List<T>> CollectAsync(ReadBatch batch, CancellationToken ct)
        {
            // An SSE delivery a typed read decoded as it arrived is already the list.
            if (batch.Decoded is { } decoded) return SseDecodedDelivery.ItemsOf(decoded, typeInfo, Url, batch.StartOffset);
            var items = new List<T>();
            await foreach (var item in BatchDecoder.ReadItemsAsync(batch, typeInfo, Url, _session.ParallelDecoding, ct).ConfigureAwait(false))
                items.Add(item);
            return items;
        }

        await foreach (var (batch, items) in DecodedBatchesAsync(CollectAsync, cancellationToken).ConfigureAwait(false))
        {
            Telemetry.ReadTelemetry.Consumed(Url, items.Count);
            yield return new JsonBatch<T>(items, batch.Offset, batch.UpToDate, batch.Closed, batch.Cursor, batch.DeliveryStart, batch.Skipped);
        }
    }

    private static string Decode(Decoder decoder, ReadOnlySpan<byte> bytes, bool flush)
    {
        var chars = new char[decoder.GetCharCount(bytes, flush)];
        var count = decoder.GetChars(bytes, chars, flush);
        return new string(chars, 0, count);
    }

    /// <summary>Stops the read and releases its connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _first?.Dispose();
        _first = null;
        await _session.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the read and releases its connection.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
