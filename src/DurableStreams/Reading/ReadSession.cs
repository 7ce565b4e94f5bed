using System.Net;
using System.Net.ServerSentEvents;
using DurableStreams.Http;
using DurableStreams.Logging;

namespace DurableStreams.Reading;

/// <summary>
/// The protocol state machine of one read: a plain catch-up GET first (in every mode), catch-up
/// until up to date, then long-poll or SSE with cursor echo and reconnection, ending only on
/// <c>Stream-Closed</c> at the tail (or, without live mode, on up-to-date).
/// </summary>
internal sealed class ReadSession : IAsyncDisposable
{
    private enum Phase { CatchUp, LongPoll, Sse, Ended }

    private static readonly TimeSpan QuickEnd = TimeSpan.FromSeconds(1);
    private const int QuickEndsBeforeFallback = 3;

    private readonly ProtocolHttpClient _http;
    private readonly Uri _url;
    private readonly LiveMode _live;
    private readonly RequestOverrides _overrides;
    private Phase _phase;

    // SSE connection state.
    private HttpResponseMessage? _sseResponse;
    private IAsyncEnumerator<SseItem<SseFrame>>? _sseEvents;
    private bool _sseBase64;
    private long _sseOpenedAt;
    private int _quickEnds;
    private readonly List<byte[]> _pending = [];
    private readonly ResumeSkip? _skip;

    public ReadSession(ProtocolHttpClient http, Uri url, ReadOptions options, string? knownContentType)
    {
        _http = http;
        _url = url;
        _live = options.Live;
        _overrides = RequestOverrides.From(options.Headers, options.QueryParameters);
        Offset = options.Offset.Value;
        ContentType = knownContentType;
        _skip = ResumeSkip.For(options.Offset, knownContentType);
        _phase = options.InitialCatchUp || _live == LiveMode.Off ? Phase.CatchUp : LivePhase;
    }

    public Uri Url => _url;
    public RetryOptions Retry => _http.Options.Retry;
    public bool ParallelDecoding => _http.Options.ParallelJsonDecoding;
    public TimeProvider Time => _http.Time;

    /// <summary>Where the next batch starts; after <c>now</c>, the first server-issued offset.</summary>
    public string Offset { get; private set; }
    public string? Cursor { get; private set; }
    public bool UpToDate { get; private set; }
    public bool Closed { get; private set; }
    public string? ContentType { get; private set; }
    public bool IsJson => ProtocolNames.IsJsonContentType(ContentType);

    /// <summary>Status of the latest catch-up or long-poll response (SSE connections do not change it).</summary>
    public int LastStatus { get; private set; }

    public bool Ended => _phase == Phase.Ended;

    private Phase LivePhase => _live == LiveMode.Sse ? Phase.Sse : Phase.LongPoll;

    /// <summary>The next batch, or <see langword="null"/> when the session has ended; a resume skip is applied first.</summary>
    public async ValueTask<ReadBatch?> NextAsync(CancellationToken cancellationToken)
    {
        var batch = await NextRawAsync(cancellationToken).ConfigureAwait(false);
        return _skip is { Remaining: > 0 } skip ? await skip.ApplyAsync(this, batch, NextRawAsync, cancellationToken).ConfigureAwait(false) : batch;
    }

    private async ValueTask<ReadBatch?> NextRawAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            switch (_phase)
            {
                case Phase.Ended:
                    return null;
                case Phase.CatchUp:
                    return await HttpReadAsync(live: null, cancellationToken).ConfigureAwait(false);
                case Phase.LongPoll:
                    return await HttpReadAsync(live: "long-poll", cancellationToken).ConfigureAwait(false);
                case Phase.Sse:
                    var batch = await NextSseBatchAsync(cancellationToken).ConfigureAwait(false);
                    if (batch is not null) return batch;
                    break; // fell back to long-poll
            }
        }
    }

    /// <summary>A GET at the current offset; live requests echo the latest cursor.</summary>
    private StreamRequest ReadRequest(string? live, TimeSpan timeout)
    {
        var request = new StreamRequest
        {
            Method = HttpMethod.Get,
            Url = _url,
            Kind = RequestKind.Read,
            Overrides = _overrides,
            Offset = Offset,
            Timeout = timeout,
        };
        // Added in name order (cursor, live, offset), which the URL builder then keeps as is.
        if (live is not null)
        {
            if (Cursor is not null) request.Query.Add(new(ProtocolNames.CursorParam, Cursor));
            request.Query.Add(new(ProtocolNames.LiveParam, live));
        }
        request.Query.Add(new(ProtocolNames.OffsetParam, Offset));
        return request;
    }

    private async ValueTask<ReadBatch> HttpReadAsync(string? live, CancellationToken cancellationToken)
    {
        var before = new ReadPosition(Offset, Cursor, _phase != Phase.CatchUp);
        var request = ReadRequest(live, live is null ? _http.Options.RequestTimeout : _http.Options.LongPollTimeout);

        var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        LastStatus = (int)response.StatusCode;
        if (response.StatusCode != HttpStatusCode.NoContent)
            ContentType = ResponseHeaderReader.ContentType(response) ?? ContentType;

        var next = ResponseHeaderReader.Get(response, ProtocolNames.NextOffset);
        if (!string.IsNullOrEmpty(next)) Offset = next;
        Cursor = ResponseHeaderReader.Get(response, ProtocolNames.Cursor) ?? Cursor;
        Closed = ResponseHeaderReader.Flag(response, ProtocolNames.Closed);
        // A long-poll 204 means the hold expired at the tail: caught up by definition.
        UpToDate = Closed || ResponseHeaderReader.Flag(response, ProtocolNames.UpToDate) || response.StatusCode == HttpStatusCode.NoContent;

        if (Closed) _phase = Phase.Ended;
        else if (_phase == Phase.CatchUp && UpToDate) _phase = _live == LiveMode.Off ? Phase.Ended : LivePhase;

        return ReadBatch.FromResponse(response, before, Offset, UpToDate, Closed, Cursor);
    }

    /// <summary>
    /// Goes back to before <paramref name="batch"/> so its request is repeated: used when the body of a
    /// response failed before any of it was delivered, so nothing is lost or delivered twice.
    /// </summary>
    public void Rewind(ReadBatch batch)
    {
        var before = batch.Before ?? throw new InvalidOperationException("Only HTTP batches can be fetched again.");
        Offset = before.Offset;
        Cursor = before.Cursor;
        Closed = false;
        UpToDate = false;
        _phase = before.LivePhase ? LivePhase : Phase.CatchUp;
    }

    private async ValueTask<ReadBatch?> NextSseBatchAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_sseEvents is null)
            {
                if (_quickEnds >= QuickEndsBeforeFallback)
                {
                    // Connections that end at once, repeatedly, point at a buffering proxy: long-poll works there.
                    Log.SseFallback(_http.Logger, _url.AbsolutePath);
                    _phase = Phase.LongPoll;
                    return null;
                }
                await ConnectSseAsync(cancellationToken).ConfigureAwait(false);
            }

            bool moved;
            try
            {
                moved = await _sseEvents!.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                moved = false; // a dropped connection is reopened from the last committed offset
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                moved = false; // idle watchdog fired
            }
            catch (OperationCanceledException ex) when (ex.CancellationToken != cancellationToken)
            {
                throw new OperationCanceledException(ex.Message, ex, cancellationToken);
            }

            if (!moved)
            {
                var lived = _http.Time.GetElapsedTime(_sseOpenedAt);
                await CloseSseAsync().ConfigureAwait(false);
                _pending.Clear(); // uncommitted data is resent after reconnecting
                _quickEnds = lived < QuickEnd ? _quickEnds + 1 : 0;
                if (_quickEnds > 0)
                {
                    var delay = _http.Options.Retry.Backoff(_quickEnds - 1, Random.Shared);
                    await Task.Delay(delay, _http.Time, cancellationToken).ConfigureAwait(false);
                }
                Log.SseReconnect(_http.Logger, _url.AbsolutePath, Offset);
                continue;
            }

            ArmIdleWatchdog(force: false);
            var frame = _sseEvents!.Current.Data;
            switch (frame.Kind)
            {
                case SseFrameKind.Data:
                    _pending.Add(frame.Payload!);
                    break;
                case SseFrameKind.Control:
                    var control = frame.Control;
                    var start = Offset; // where the pending data events began
                    Offset = control.NextOffset;
                    Cursor = control.Cursor ?? Cursor;
                    UpToDate = control.UpToDate;
                    Closed = control.Closed;
                    if (Closed)
                    {
                        _phase = Phase.Ended;
                        await CloseSseAsync().ConfigureAwait(false);
                    }
                    if (_pending.Count == 0 && !UpToDate && !Closed) break;
                    var payloads = _pending.ToArray();
                    _pending.Clear();
                    return ReadBatch.FromSse(payloads, Offset, UpToDate, Closed, Cursor, start);
                default:
                    break; // comments and unknown events are ignored
            }
        }
    }

    private CancellationTokenSource? _idle;
    private long _idleArmedAt;

    /// <summary>
    /// (Re)starts the idle watchdog. Resetting a timer on every event is costly at high event rates, so
    /// it is re-armed only once the slack has passed, with the slack added: the connection is given up
    /// between <c>SseIdleTimeout</c> and that plus the slack after its last event.
    /// </summary>
    private void ArmIdleWatchdog(bool force)
    {
        if (_idle is null) return;
        var now = Environment.TickCount64;
        var timeout = _http.Options.SseIdleTimeout;
        var slack = Math.Min(1000, (long)(timeout.TotalMilliseconds / 10));
        if (!force && now - _idleArmedAt < slack) return;
        _idleArmedAt = now;
        _idle.CancelAfter(timeout + TimeSpan.FromMilliseconds(slack));
    }

    private async ValueTask ConnectSseAsync(CancellationToken cancellationToken)
    {
        // The timeout bounds only the wait for headers; the idle watchdog guards the open stream.
        var request = ReadRequest("sse", _http.Options.RequestTimeout);
        request.Headers["Accept"] = "text/event-stream";

        var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        _sseOpenedAt = _http.Time.GetTimestamp();
        _sseResponse = response;
        _sseBase64 = string.Equals(ResponseHeaderReader.Get(response, ProtocolNames.SseDataEncoding)?.Trim(), "base64", StringComparison.OrdinalIgnoreCase);
        _idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ArmIdleWatchdog(force: true);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        // Frames are decoded while the parser still holds their bytes: control events never become arrays.
        var parser = SseParser.Create(body, ParseFrame);
        _sseEvents = parser.EnumerateAsync(_idle.Token).GetAsyncEnumerator(_idle.Token);
    }

    private SseFrame ParseFrame(string eventType, ReadOnlySpan<byte> data) => eventType switch
    {
        "data" => new SseFrame(SseFrameKind.Data, _sseBase64 ? Base64Payload.Decode(data, _url, Offset) : data.ToArray(), default),
        "control" => new SseFrame(SseFrameKind.Control, null, SseControl.Parse(data, _url, Offset)),
        _ => default, // comments and unknown events are ignored
    };

    private async ValueTask CloseSseAsync()
    {
        if (_sseEvents is not null)
        {
            try { await _sseEvents.DisposeAsync().ConfigureAwait(false); }
            catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException) { }
            _sseEvents = null;
        }
        _sseResponse?.Dispose();
        _sseResponse = null;
        _idle?.Dispose();
        _idle = null;
    }

    public async ValueTask DisposeAsync()
    {
        _phase = Phase.Ended;
        await CloseSseAsync().ConfigureAwait(false);
    }
}
