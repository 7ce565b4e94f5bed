using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DurableStreams.Http;

namespace DurableStreams;

/// <summary>
/// A JSON stream whose messages are <typeparamref name="T"/>, encoded and decoded through one
/// source-generated <see cref="JsonTypeInfo{T}"/> (no reflection, Native AOT safe). The classes the
/// DurableStreams generator emits for <see cref="DurableStreamAttribute"/> derive from it; it can also
/// be used directly.
/// </summary>
/// <typeparam name="T">The message type (a polymorphic base type carries all its JSON subtypes).</typeparam>
public partial class DurableStream<T> : IAsyncDisposable
{
    /// <summary>A typed view of <paramref name="stream"/>.</summary>
    public DurableStream(DurableStream stream, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(typeInfo);
        Stream = stream;
        TypeInfo = typeInfo;
    }

    /// <summary>The untyped handle, for what the typed surface does not cover (forks, raw reads, headers).</summary>
    public DurableStream Stream { get; }

    /// <summary>The JSON metadata messages are written and read with.</summary>
    public JsonTypeInfo<T> TypeInfo { get; }

    /// <summary>The stream URL.</summary>
    public Uri Url => Stream.Url;

    /// <summary>
    /// The metadata <paramref name="context"/> holds for <typeparamref name="T"/>, looked up by type so it
    /// does not depend on the property names the JSON generator chooses.
    /// </summary>
    /// <exception cref="InvalidOperationException">The context does not list <typeparamref name="T"/>.</exception>
    public static JsonTypeInfo<T> TypeInfoFrom(JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
            ?? throw new InvalidOperationException(
                $"{context.GetType().FullName} has no JSON metadata for {typeof(T).FullName}; add [JsonSerializable(typeof({typeof(T).Name}))] to it.");
    }

    /// <summary>An untyped handle on <paramref name="url"/>, known to be JSON so the first append needs no HEAD.</summary>
    protected static DurableStream GetJsonStream(DurableStreamClient client, string url)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.GetStream(url, ProtocolNames.JsonMediaType);
    }

    /// <summary>Checks with HEAD that <paramref name="stream"/> exists, then returns it.</summary>
    /// <exception cref="StreamNotFoundException">The stream does not exist.</exception>
    protected static async Task<TStream> VerifyExistsAsync<TStream>(TStream stream, CancellationToken cancellationToken)
        where TStream : DurableStream<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.HeadAsync(cancellationToken).ConfigureAwait(false);
        return stream;
    }

    /// <summary>Creates the stream as a JSON stream; succeeds with <c>Created = false</c> if an identical one exists.</summary>
    /// <param name="ttl">Sliding time-to-live in whole seconds; exclusive with <paramref name="expiresAt"/>.</param>
    /// <param name="expiresAt">Absolute expiry; exclusive with <paramref name="ttl"/>.</param>
    /// <param name="closed">Create it already closed.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<CreateStreamResult> CreateAsync(TimeSpan? ttl = null, DateTimeOffset? expiresAt = null, bool closed = false,
        CancellationToken cancellationToken = default) =>
        Stream.CreateAsync(new CreateStreamOptions { ContentType = ProtocolNames.JsonMediaType, Ttl = ttl, ExpiresAt = expiresAt, Closed = closed },
            cancellationToken);

    /// <summary>Creates the stream with <paramref name="options"/>; the content type must be JSON and defaults to it.</summary>
    public Task<CreateStreamResult> CreateAsync(CreateStreamOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ContentType is { } contentType && !ProtocolNames.IsJsonContentType(contentType))
            throw new ArgumentException($"A stream of {typeof(T).Name} messages is a JSON stream, not '{contentType}'.", nameof(options));
        var json = new CreateStreamOptions
        {
            ContentType = options.ContentType ?? ProtocolNames.JsonMediaType,
            Ttl = options.Ttl,
            ExpiresAt = options.ExpiresAt,
            Closed = options.Closed,
            InitialData = options.InitialData,
            ForkFrom = options.ForkFrom,
            Headers = options.Headers,
        };
        return Stream.CreateAsync(json, cancellationToken);
    }

    /// <summary>
    /// Makes sure the stream exists: creates it (as <see cref="CreateAsync(TimeSpan?, DateTimeOffset?, bool, CancellationToken)"/>)
    /// unless HEAD finds it, whatever its configuration. Returns whether this call created it.
    /// </summary>
    public async Task<bool> EnsureCreatedAsync(TimeSpan? ttl = null, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await Stream.HeadAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (StreamNotFoundException)
        {
        }

        try
        {
            var result = await CreateAsync(ttl, expiresAt, closed: false, cancellationToken).ConfigureAwait(false);
            return result.Created;
        }
        catch (DurableStreamException ex) when (ex.Code == DurableStreamErrorCode.Conflict)
        {
            // Someone else created it in between, with another configuration: it exists, which is all we ask.
            return false;
        }
    }

    /// <summary>Reads the stream's metadata (HEAD); throws <see cref="StreamNotFoundException"/> if it does not exist.</summary>
    public Task<StreamMetadata> HeadAsync(CancellationToken cancellationToken = default) => Stream.HeadAsync(cancellationToken);

    /// <summary>Deletes the stream.</summary>
    public Task DeleteAsync(CancellationToken cancellationToken = default) => Stream.DeleteAsync(cancellationToken);

    /// <summary>Appends one message. Appends made while a POST is in flight are batched into the next POST.</summary>
    public Task<AppendResult> AppendAsync(T value, AppendOptions? options = null, CancellationToken cancellationToken = default) =>
        Stream.AppendJsonAsync(value, TypeInfo, options, cancellationToken);

    /// <summary>Appends several messages, in order, batched together (a no-op returning null when empty).</summary>
    public Task<AppendResult?> AppendManyAsync(IEnumerable<T> values, AppendOptions? options = null, CancellationToken cancellationToken = default) =>
        Stream.AppendJsonManyAsync(values, TypeInfo, options, cancellationToken);

    /// <summary>Waits until every append queued so far has been answered.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => Stream.FlushAsync(cancellationToken);

    /// <summary>Closes the stream after the appends queued before it; readers then see its end.</summary>
    public Task<CloseResult> CloseAsync(CancellationToken cancellationToken = default) =>
        Stream.CloseAsync(null, cancellationToken);

    /// <summary>Appends <paramref name="finalMessage"/> and closes the stream, atomically.</summary>
    public Task<CloseResult> CloseAsync(T finalMessage, CancellationToken cancellationToken = default) =>
        Stream.CloseOwnedAsync(Serialize(finalMessage), cancellationToken);

    /// <summary>An exactly-once producer of <typeparamref name="T"/> messages on this stream.</summary>
    public IdempotentProducer<T> CreateProducer(IdempotentProducerOptions options) =>
        new(Stream.CreateProducer(options), TypeInfo);

    /// <summary>Every message from <paramref name="offset"/> on; with a live mode, keeps following new ones.</summary>
    public IAsyncEnumerable<T> ReadAsync(Offset offset = default, LiveMode live = LiveMode.Off, CancellationToken cancellationToken = default) =>
        ReadAsync(Options(offset, live), cancellationToken);

    /// <summary>Every message of a read configured by <paramref name="options"/>.</summary>
    public async IAsyncEnumerable<T> ReadAsync(ReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var response = await Stream.ReadDecodingAsync(options, TypeInfo, cancellationToken).ConfigureAwait(false);
        await foreach (var message in response.ReadJsonAsync(TypeInfo, cancellationToken).ConfigureAwait(false))
            yield return message;
    }

    /// <summary>
    /// Every message with the offset that resumes exactly after it, and whether the reader is up to date or the
    /// stream has ended. Save <see cref="StreamEvent{T}.Position"/> once a message is processed to resume with the
    /// next one (<see cref="StreamEvent{T}.NextOffset"/> is after the whole delivery: save it only per delivery).
    /// </summary>
    public IAsyncEnumerable<StreamEvent<T>> ReadEventsAsync(Offset offset = default, LiveMode live = LiveMode.Off,
        CancellationToken cancellationToken = default) =>
        ReadEventsAsync(Options(offset, live), cancellationToken);

    /// <summary>Every message with its position, for a read configured by <paramref name="options"/>.</summary>
    public async IAsyncEnumerable<StreamEvent<T>> ReadEventsAsync(ReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var response = await Stream.ReadDecodingAsync(options, TypeInfo, cancellationToken).ConfigureAwait(false);
        await foreach (var e in response.ReadEventsAsync(TypeInfo, cancellationToken).ConfigureAwait(false))
            yield return e;
    }

    /// <summary>
    /// Messages grouped as the server delivered them, each batch with the offset after it
    /// (<see cref="JsonBatch{T}.PositionAfter"/> gives the exact offset after any one message).
    /// </summary>
    public IAsyncEnumerable<JsonBatch<T>> ReadBatchesAsync(Offset offset = default, LiveMode live = LiveMode.Off,
        CancellationToken cancellationToken = default) =>
        ReadBatchesAsync(Options(offset, live), cancellationToken);

    /// <summary>Message batches of a read configured by <paramref name="options"/>.</summary>
    public async IAsyncEnumerable<JsonBatch<T>> ReadBatchesAsync(ReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var response = await Stream.ReadDecodingAsync(options, TypeInfo, cancellationToken).ConfigureAwait(false);
        await foreach (var batch in response.ReadJsonBatchesAsync(TypeInfo, cancellationToken).ConfigureAwait(false))
            yield return batch;
    }

    /// <summary>
    /// All messages until the read ends: when caught up (<see cref="LiveMode.Off"/>), or when the stream is
    /// closed (live modes).
    /// </summary>
    public Task<IReadOnlyList<T>> ReadAllAsync(Offset offset = default, LiveMode live = LiveMode.Off, CancellationToken cancellationToken = default) =>
        ReadAllAsync(Options(offset, live), cancellationToken);

    /// <summary>All messages of a read configured by <paramref name="options"/>.</summary>
    public async Task<IReadOnlyList<T>> ReadAllAsync(ReadOptions options, CancellationToken cancellationToken = default)
    {
        await using var response = await Stream.ReadDecodingAsync(options, TypeInfo, cancellationToken).ConfigureAwait(false);
        return await response.ReadAllJsonAsync(TypeInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Flushes pending appends.</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Stream.DisposeAsync();
    }

    private byte[] Serialize(T value) => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo);

    private static ReadOptions Options(Offset offset, LiveMode live) => new() { Offset = offset, Live = live };
}
