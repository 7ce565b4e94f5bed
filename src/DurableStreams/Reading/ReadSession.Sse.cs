using System.Net.ServerSentEvents;
using DurableStreams.Http;
using DurableStreams.Logging;
using DurableStreams.Telemetry;

namespace DurableStreams.Reading;

/// <summary>The SSE half of a read session: one connection at a time, data committed by control events.</summary>
internal sealed partial class ReadSession
{
    private HttpResponseMessage? _sseResponse;
    private IAsyncEnumerator<SseItem<SseFrame>>? _sseEvents;
    private SsePendingLimitStream? _sseBody;
    private bool _sseBase64;
    private long _sseOpenedAt;
    private int _quickEnds;
    private readonly List<byte[]> _pending = [];

    /// <summary>Decodes data events as they arrive when the read knows its message type (null: payloads are kept as bytes).</summary>
    private readonly SseItemSink? _sink;

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
            var reason = "the server ended the connection";
            var cause = "server_closed"; // durable_streams.reconnect.reason
            try
            {
                moved = await _sseEvents!.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                moved = false; // a dropped connection is reopened from the last committed offset
                (reason, cause) = (ex.Message, "network");
            }
            catch (Exception ex) when (CancellationRace.Lost(ex, cancellationToken))
            {
                throw CancellationRace.Cancelled(ex, cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                moved = false; // idle watchdog fired
                (reason, cause) = ("no event within the idle timeout", "idle_timeout");
            }
            catch (OperationCanceledException ex) when (ex.CancellationToken != cancellationToken)
            {
                throw new OperationCanceledException(ex.Message, ex, cancellationToken);
            }

            if (!moved)
            {
                var lived = _http.Time.GetElapsedTime(_sseOpenedAt);
                ReadTelemetry.SseReconnecting(_sseBody?.Span, _url, cause, reason);
                await CloseSseAsync().ConfigureAwait(false);
                _pending.Clear(); // uncommitted data is resent after reconnecting
                _sink?.Clear();
                _quickEnds = lived < QuickEnd ? _quickEnds + 1 : 0;
                var delay = _quickEnds > 0 ? _http.Options.Retry.Backoff(_quickEnds - 1, Random.Shared) : TimeSpan.Zero;
                // One line per reconnect, before the wait, with its reason and delay.
                if (cause != "server_closed") Log.SseConnectionLost(_http.Logger, _url.AbsolutePath, Offset, reason, delay.TotalMilliseconds);
                else Log.SseReconnect(_http.Logger, _url.AbsolutePath, Offset, reason, delay.TotalMilliseconds);
                if (delay > TimeSpan.Zero) await Task.Delay(delay, _http.Time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            ArmIdleWatchdog(force: false);
            var frame = _sseEvents!.Current.Data;
            switch (frame.Kind)
            {
                case SseFrameKind.Data:
                    if (_sink is null) _pending.Add(frame.Payload!); // else decoded already, in ParseFrame
                    break;
                case SseFrameKind.Control:
                    var control = frame.Control;
                    var events = _sink?.Events ?? _pending.Count;
                    if (control.NextOffset == Offset && events > 0 && (_sink?.HasData(IsJson) ?? ReadResponseCheck.HasData(_pending, IsJson)))
                        throw ReadResponseCheck.Violation(_http.Logger, null, _url, Offset,
                            $"SSE control event commits data but its streamNextOffset is the offset the data started at ({Offset}); reading on would deliver the same data again.");
                    _sseBody?.Committed(control.NextOffset);
                    var start = Offset; // where the pending data events began
                    Offset = control.NextOffset;
                    Cursor = control.Cursor ?? Cursor;
                    UpToDate = control.UpToDate;
                    Closed = control.Closed;
                    ReadTelemetry.Position(ref _countedBehind, UpToDate, _url);
                    if (Closed)
                    {
                        _phase = Phase.Ended;
                        await CloseSseAsync().ConfigureAwait(false);
                    }
                    if (events == 0 && !UpToDate && !Closed) break;
                    if (_sink is not null) return ReadBatch.FromSse(await _sink.TakeAsync().ConfigureAwait(false), Offset, UpToDate, Closed, Cursor, start);
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
        var request = await ReadRequestAsync("sse", _http.Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        request.Headers["Accept"] = "text/event-stream";

        var (response, span) = await ReadTelemetry.ConnectSseAsync(_http, request, cancellationToken).ConfigureAwait(false);
        _sseOpenedAt = _http.Time.GetTimestamp();
        _sseResponse = response;
        _sseBase64 = string.Equals(ResponseHeaderReader.Get(response, ProtocolNames.SseDataEncoding)?.Trim(), "base64", StringComparison.OrdinalIgnoreCase);
        _idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ArmIdleWatchdog(force: true);
        _answered = true;
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        _sseBody = SsePendingLimitStream.Create(body, _maxSsePending, _url, Offset, span);
        // Frames are decoded while the parser still holds their bytes: control events never become arrays.
        var parser = SseParser.Create(_sseBody, ParseFrame);
        _sseEvents = parser.EnumerateAsync(_idle.Token).GetAsyncEnumerator(_idle.Token);
    }

    private SseFrame ParseFrame(string eventType, ReadOnlySpan<byte> data) => eventType switch
    {
        "data" when _sink is not null => DecodeData(_sseBase64 ? Base64Payload.Decode(data, _url, Offset) : data),
        "data" => new SseFrame(SseFrameKind.Data, _sseBase64 ? Base64Payload.Decode(data, _url, Offset) : data.ToArray(), default),
        "control" => new SseFrame(SseFrameKind.Control, null, SseControl.Parse(data, _url, Offset)),
        _ => default, // comments and unknown events are ignored
    };

    /// <summary>A typed read's data event: decoded while the parser holds its bytes, its messages pending in the sink.</summary>
    private SseFrame DecodeData(ReadOnlySpan<byte> payload)
    {
        _sink!.Add(payload);
        return new SseFrame(SseFrameKind.Data, null, default);
    }

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
        ReadTelemetry.SseClosed(_sseBody?.Span, Offset, UpToDate, Closed);
        _sseBody = null;
        _idle?.Dispose();
        _idle = null;
    }
}
