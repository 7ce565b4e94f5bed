using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DurableStreams.Http;
using DurableStreams.Reading;
using DurableStreams.Telemetry;
using DurableStreams.Writing;

namespace DurableStreams;

/// <summary>
/// A handle on one stream URL. Constructing it does no I/O; every operation is one protocol request
/// (appends may share one). Appends made while a POST is in flight are batched into the next POST.
/// </summary>
public sealed partial class DurableStream : IAsyncDisposable
{
    private readonly DurableStreamClient _client;
    private readonly ImplicitProducer _implicitProducer = new();
    private readonly object _gate = new();
    private AppendBatcher? _batcher;
    private string? _contentType;
    // Cached with the content type: IsJson is checked on every append.
    private bool _isJson;
    // The latest tail offset this handle was told of (create, HEAD, append): an SSE read from it needs no catch-up GET.
    private volatile string? _knownTail;

    /// <summary>A handle on <paramref name="url"/>; <paramref name="contentType"/> saves a HEAD before the first append when known.</summary>
    public DurableStream(DurableStreamClient client, Uri url, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri) throw new ArgumentException("The stream URL must be absolute.", nameof(url));
        _client = client;
        Url = url;
        SetContentType(contentType);
    }

    /// <summary>The stream URL.</summary>
    public Uri Url { get; }

    /// <summary>The content type, once known (given, created, or learned from HEAD or a read).</summary>
    public string? ContentType => _contentType;

    /// <summary>Whether the stream is known to be in JSON mode.</summary>
    public bool IsJson => _isJson;

    private ProtocolHttpClient Http => _client.Http;

    /// <summary>The client this handle belongs to (its options: logger factory, clock, base address).</summary>
    internal DurableStreamClient Client => _client;

    /// <summary>Creates the stream (PUT); succeeds with <c>Created = false</c> if it exists with the same configuration.</summary>
    public async Task<CreateStreamResult> CreateAsync(CreateStreamOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new CreateStreamOptions();
        if (options.Ttl is not null && options.ExpiresAt is not null)
            throw new ArgumentException("Set either Ttl or ExpiresAt, not both.", nameof(options));
        ResumeSkip.RefuseInFork(options.ForkFrom?.Offset, nameof(options));

        // A handle made with a content type creates the stream with it; a fork inherits its source's unless told.
        var contentType = options.ContentType ?? (options.ForkFrom is null ? _contentType ?? ProtocolNames.OctetStream : null);
        var request = new StreamRequest
        {
            Method = HttpMethod.Put,
            Url = Url,
            Kind = RequestKind.Create,
            Body = options.InitialData is { } initial ? RequestBody.FromMemory(initial) : null,
            ContentType = contentType,
            Overrides = RequestOverrides.ForRequest(options.Headers, null),
        };
        if (options.Ttl is { } ttl)
        {
            if (ttl < TimeSpan.Zero || ttl.Ticks % TimeSpan.TicksPerSecond != 0)
                throw new ArgumentOutOfRangeException(nameof(options), ttl, "Ttl must be a non-negative whole number of seconds.");
            request.Headers[ProtocolNames.Ttl] = ((long)ttl.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }
        if (options.ExpiresAt is { } expiresAt)
            request.Headers[ProtocolNames.ExpiresAt] = FormatTimestamp(expiresAt);
        if (options.Closed) request.Headers[ProtocolNames.Closed] = "true";
        if (options.ForkFrom is { } fork)
        {
            request.Headers[ProtocolNames.ForkedFrom] = fork.SourcePath;
            if (fork.Offset is { } forkOffset) request.Headers[ProtocolNames.ForkOffset] = forkOffset.Value;
            if (fork.SubOffset is { } sub) request.Headers[ProtocolNames.ForkSubOffset] = sub.ToString(CultureInfo.InvariantCulture);
        }

        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var reported = ResponseHeaderReader.ContentType(response);
        SetContentType(reported ?? contentType);
        NoteTail(response);
        return new CreateStreamResult(
            response.StatusCode == System.Net.HttpStatusCode.Created,
            ResponseHeaderReader.NextOffset(response),
            _contentType,
            ResponseHeaderReader.Flag(response, ProtocolNames.Closed));
    }

    /// <summary>Creates a fork of this stream at <paramref name="target"/>, diverging at <paramref name="offset"/> (the tail when null).</summary>
    public async Task<DurableStream> ForkAsync(string target, Offset? offset = null, CreateStreamOptions? options = null, CancellationToken cancellationToken = default)
    {
        ResumeSkip.RefuseInFork(offset, nameof(offset));
        var fork = _client.GetStream(target);
        var forkOptions = new CreateStreamOptions
        {
            ContentType = options?.ContentType,
            Ttl = options?.Ttl,
            ExpiresAt = options?.ExpiresAt,
            Headers = options?.Headers,
            ForkFrom = new StreamFork(Url.AbsolutePath, offset, options?.ForkFrom?.SubOffset),
        };
        await fork.CreateAsync(forkOptions, cancellationToken).ConfigureAwait(false);
        return fork;
    }

    /// <summary>Reads the stream's metadata (HEAD).</summary>
    public async Task<StreamMetadata> HeadAsync(CancellationToken cancellationToken = default)
    {
        var request = new StreamRequest { Method = HttpMethod.Head, Url = Url, Kind = RequestKind.Head };
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var contentType = ResponseHeaderReader.ContentType(response);
        if (contentType is not null) SetContentType(contentType);
        NoteTail(response);
        var ttl = ResponseHeaderReader.Int64(response, ProtocolNames.Ttl);
        var expires = ResponseHeaderReader.Get(response, ProtocolNames.ExpiresAt);
        return new StreamMetadata
        {
            Offset = ResponseHeaderReader.NextOffset(response),
            ContentType = contentType,
            ETag = ResponseHeaderReader.Get(response, "ETag"),
            CacheControl = response.Headers.CacheControl?.ToString(),
            Ttl = ttl is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            ExpiresAt = DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
            Closed = ResponseHeaderReader.Flag(response, ProtocolNames.Closed),
        };
    }

    /// <summary>Deletes the stream.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        var request = new StreamRequest { Method = HttpMethod.Delete, Url = Url, Kind = RequestKind.Delete };
        using var _ = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends bytes. On a JSON stream the bytes must be one JSON value, stored as one message.
    /// The data is copied before this returns, so the caller may reuse its buffer.
    /// </summary>
    public async Task<AppendResult> AppendAsync(ReadOnlyMemory<byte> data, AppendOptions? options = null, CancellationToken cancellationToken = default)
    {
        await EnsureContentTypeAsync(cancellationToken).ConfigureAwait(false);
        if (IsJson) JsonBody.EnsureSingleValue(data.Span, nameof(data));
        var item = new PendingAppend(data.ToArray(), options, close: false);
        return await SubmitAsync(item, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends bytes this handle now owns and that are known to be valid for the stream (one JSON
    /// value from the serializer): no copy, no re-parse.
    /// </summary>
    internal Task<AppendResult> AppendOwnedAsync(ReadOnlyMemory<byte> data, AppendOptions? options, CancellationToken cancellationToken)
    {
        // The async path keeps a cancelled token's exception exactly as AppendAsync reports it.
        if (_contentType is null || cancellationToken.IsCancellationRequested)
            return AppendOwnedSlowAsync(data, options, cancellationToken);
        try
        {
            return SubmitAsync(new PendingAppend(data, options, close: false), cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<AppendResult>(ex);
        }
    }

    private async Task<AppendResult> AppendOwnedSlowAsync(ReadOnlyMemory<byte> data, AppendOptions? options, CancellationToken cancellationToken)
    {
        await EnsureContentTypeAsync(cancellationToken).ConfigureAwait(false);
        return await SubmitAsync(new PendingAppend(data, options, close: false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends UTF-8 text (on a JSON stream: one JSON value as text).</summary>
    public Task<AppendResult> AppendAsync(string text, AppendOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return AppendAsync(Encoding.UTF8.GetBytes(text), options, cancellationToken);
    }

    /// <summary>Appends one JSON message, serialized through <paramref name="typeInfo"/>.</summary>
    public Task<AppendResult> AppendJsonAsync<T>(T value, JsonTypeInfo<T> typeInfo, AppendOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        // The serializer's output is one JSON value in a fresh array: it needs neither a check nor a copy.
        return AppendOwnedAsync(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), options, cancellationToken);
    }

    /// <summary>
    /// Appends several JSON messages in one POST, in order (a no-op when empty: the server rejects <c>[]</c>).
    /// The messages may share that POST with other callers' appends, never split from each other.
    /// </summary>
    public async Task<AppendResult?> AppendJsonManyAsync<T>(IEnumerable<T> values, JsonTypeInfo<T> typeInfo, AppendOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(typeInfo);
        await EnsureContentTypeAsync(cancellationToken).ConfigureAwait(false);
        if (!IsJson)
            throw new InvalidOperationException($"AppendJsonManyAsync needs a JSON stream; {Url.AbsolutePath} is '{_contentType}'.");

        // One queue item holding "v1,v2,…": wrapping the batch in [ ] then stores each value as a message.
        var buffer = new ArrayBufferWriter<byte>();
        var count = 0;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            foreach (var value in values)
            {
                if (count++ > 0)
                {
                    writer.Flush();
                    buffer.Write(","u8);
                    writer.Reset(buffer);
                }
                JsonSerializer.Serialize(writer, value, typeInfo);
            }
            if (count == 0) return null;
        }
        // The buffer is ours alone: queue its written part without copying it out.
        var item = new PendingAppend(buffer.WrittenMemory, options, close: false, messages: count);
        return await SubmitAsync(item, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the stream after the appends queued before it, optionally appending final data atomically.</summary>
    public async Task<CloseResult> CloseAsync(ReadOnlyMemory<byte>? finalData = null, CancellationToken cancellationToken = default)
    {
        var data = finalData ?? ReadOnlyMemory<byte>.Empty;
        if (!data.IsEmpty)
        {
            await EnsureContentTypeAsync(cancellationToken).ConfigureAwait(false);
            if (IsJson) JsonBody.EnsureSingleValue(data.Span, nameof(finalData));
        }
        var item = new PendingAppend(data.ToArray(), null, close: true);
        var result = await SubmitAsync(item, cancellationToken).ConfigureAwait(false);
        return new CloseResult(result.Offset);
    }

    /// <summary><see cref="CloseAsync"/> with final data this handle now owns and that is known to be one valid value (serializer output).</summary>
    internal async Task<CloseResult> CloseOwnedAsync(ReadOnlyMemory<byte> finalData, CancellationToken cancellationToken)
    {
        if (!finalData.IsEmpty) await EnsureContentTypeAsync(cancellationToken).ConfigureAwait(false);
        var result = await SubmitAsync(new PendingAppend(finalData, null, close: true), cancellationToken).ConfigureAwait(false);
        return new CloseResult(result.Offset);
    }

    /// <summary>Waits until every append queued so far has been answered.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        AppendBatcher? batcher;
        lock (_gate) batcher = _batcher;
        return (batcher?.WhenIdleAsync() ?? Task.CompletedTask).WaitAsync(cancellationToken);
    }

    /// <summary>Starts a read (the first request is made before this returns).</summary>
    public Task<StreamResponse> ReadAsync(ReadOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamResponse.OpenAsync(new ReadSession(Http, Url, options ?? new ReadOptions(), _contentType, _knownTail), cancellationToken);

    /// <summary>
    /// <see cref="ReadAsync"/> for a read whose messages will be decoded through <paramref name="decodeAs"/> (the typed
    /// handle): SSE data events are decoded as they arrive instead of after the control event that commits them.
    /// The response must be read through the same metadata.
    /// </summary>
    internal Task<StreamResponse> ReadDecodingAsync<T>(ReadOptions? options, JsonTypeInfo<T> decodeAs, CancellationToken cancellationToken) =>
        StreamResponse.OpenAsync(new ReadSession(Http, Url, options ?? new ReadOptions(), _contentType, _knownTail, SseItemSink.For(decodeAs, Http.Options.ParallelJsonDecoding)),
            cancellationToken);

    /// <summary>An idempotent producer writing to this stream.</summary>
    public IdempotentProducer CreateProducer(IdempotentProducerOptions options) => new(this, _client, options);

    /// <summary>Flushes pending appends.</summary>
    public async ValueTask DisposeAsync() => await FlushAsync().ConfigureAwait(false);

    private void NoteTail(HttpResponseMessage response)
    {
        if (ResponseHeaderReader.Get(response, ProtocolNames.NextOffset) is { Length: > 0 } tail) _knownTail = tail;
    }

    internal void SetContentType(string? contentType)
    {
        if (contentType is null) return;
        _isJson = ProtocolNames.IsJsonContentType(contentType);
        _contentType = contentType;
    }

    // Not an async method: this runs on every append and is almost always already satisfied.
    internal ValueTask EnsureContentTypeAsync(CancellationToken cancellationToken) =>
        _contentType is null ? new ValueTask(HeadAsync(cancellationToken)) : default;

    private Task<AppendResult> SubmitAsync(PendingAppend item, CancellationToken cancellationToken)
    {
        if (!_client.Options.BatchAppends)
            return SendBatchAsync([item], null, cancellationToken);
        AppendBatcher batcher;
        lock (_gate)
            batcher = _batcher ??= new AppendBatcher(SendBatchAsync, _client.Options.MaxAppendBatchBytes, Http.Logger, Url);
        if (!cancellationToken.IsCancellationRequested) AppendTelemetry.Created(item, Url);
        return batcher.EnqueueAsync(item, cancellationToken);
    }

    /// <summary>
    /// One POST for <paramref name="batch"/>. For a lone append, <paramref name="lone"/> is the batcher
    /// that sent it: this method also logs its failure and tells the batcher once the POST is over
    /// (rather than a second async method around this one), in the caller's activity as before.
    /// </summary>
    private async Task<AppendResult> SendBatchAsync(IReadOnlyList<PendingAppend> batch, AppendBatcher? lone, CancellationToken cancellationToken)
    {
        var callerActivity = System.Diagnostics.Activity.Current;
        Exception? failure = null;
        try
        {
            var first = batch[0];
            var close = first.Close;
            var hasBody = !first.Data.IsEmpty || batch.Count > 1;
            var body = hasBody ? AppendBatcher.Body(batch, IsJson) : null;
            // Producer tagging needs ordered sequence numbers, which only the batcher's single in-flight POST gives.
            var tagged = _client.Options.SafeAppendRetries && _client.Options.BatchAppends && hasBody
                && first.Options?.Headers?.ContainsKey(ProtocolNames.ProducerId) != true;

            var request = new StreamRequest
            {
                Method = HttpMethod.Post,
                Url = Url,
                Kind = close ? RequestKind.Close : RequestKind.Append,
                Body = body,
                ContentType = hasBody ? _contentType ?? ProtocolNames.OctetStream : null,
                Overrides = RequestOverrides.ForRequest(first.Options?.Headers, first.Options?.QueryParameters),
                // Close-only is idempotent; tagged writes are deduplicated; anything else must not be resent blindly.
                RetryClass = tagged || (close && !hasBody) ? RetryClass.Idempotent : RetryClass.StoredNothingOnly,
            };
            if (first.Options?.Seq is { } seq) request.Headers[ProtocolNames.Seq] = seq;
            if (close) request.Headers[ProtocolNames.Closed] = "true";
            if (tagged)
            {
                request.Headers[ProtocolNames.ProducerId] = _implicitProducer.Id;
                request.Headers[ProtocolNames.ProducerEpoch] = _implicitProducer.Epoch.ToString(CultureInfo.InvariantCulture);
                request.Headers[ProtocolNames.ProducerSeq] = _implicitProducer.Seq.ToString(CultureInfo.InvariantCulture);
            }

            using var span = AppendTelemetry.StartSend(batch, Url);
            try
            {
                using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (tagged) _implicitProducer.Accepted();
                AppendTelemetry.Sent(batch, Url, null);
                var tail = ResponseHeaderReader.Get(response, ProtocolNames.NextOffset);
                if (tail is { Length: > 0 })
                {
                    _knownTail = tail;
                    return new AppendResult(new Offset(tail));
                }
                return new AppendResult(null);
            }
            catch (Exception ex) when (AppendTelemetry.Failed(batch, Url, ex))
            {
                throw; // never reached: the filter only records
            }
            catch (DurableStreamException ex) when (tagged)
            {
                // A refusal (NotStored) left the server's sequence where it was: the next batch takes the
                // same number, and a caller resending the data stores it once. A batch that may have landed
                // (Unknown), or a sequence the server no longer agrees with, needs a fresh epoch, so that a
                // later batch is never taken for a duplicate of it.
                if (ex.Outcome != WriteOutcome.NotStored
                    || ex.Code is DurableStreamErrorCode.StaleProducerEpoch or DurableStreamErrorCode.ProducerSequenceGap)
                    _implicitProducer.Restart((ex as StaleProducerEpochException)?.CurrentEpoch);
                throw;
            }
        }
        catch (Exception ex) when (lone is not null)
        {
            System.Diagnostics.Activity.Current = callerActivity; // the send span was current until it ended
            failure = ex;
            lone.LoneFailed(ex);
            throw;
        }
        finally
        {
            if (lone is not null)
            {
                System.Diagnostics.Activity.Current = callerActivity;
                lone.LoneDone(batch[0], failure);
            }
        }
    }

    private static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
