using System.Net;
using DurableStreams.Http;
using DurableStreams.Logging;
using DurableStreams.Telemetry;

namespace DurableStreams.Reading;

/// <summary>
/// The protocol state machine of one read: a plain catch-up GET first (except where it buys nothing,
/// see <c>StartsLive</c>), catch-up until up to date, then long-poll or SSE with cursor echo and reconnection, ending only on
/// <c>Stream-Closed</c> at the tail (or, without live mode, on up-to-date).
/// </summary>
internal sealed partial class ReadSession : IAsyncDisposable
{
    private enum Phase { CatchUp, LongPoll, Sse, Ended }

    private static readonly TimeSpan QuickEnd = TimeSpan.FromSeconds(1);
    private const int QuickEndsBeforeFallback = 3;

    private readonly ProtocolHttpClient _http;
    private readonly Uri _url;
    private readonly LiveMode _live;
    private readonly RequestOverrides _overrides;
    private Phase _phase;

    private readonly FastLoopGuard _loopGuard;
    private readonly IRetryBudget _liveBudget;
    private readonly long _maxSsePending;
    private readonly ResumeSkip? _skip;

    /// <summary>Set once a request of the session has been answered: from then on a live read rides through outages.</summary>
    private bool _answered;

    /// <summary>Counted in durable_streams.client.readers.behind (see ReadTelemetry.Position).</summary>
    private bool _countedBehind;

    /// <summary>
    /// A session reading <paramref name="url"/> as <paramref name="options"/> say. With <paramref name="sseSink"/>, a read
    /// that knows its message type decodes SSE data events as they arrive (see <see cref="SseItemSink"/>); not with a
    /// resume skip, which needs the deliveries' bytes.
    /// </summary>
    public ReadSession(ProtocolHttpClient http, Uri url, ReadOptions options, string? knownContentType, string? knownTail = null,
        SseItemSink? sseSink = null)
    {
        options.Validate();
        _http = http;
        _url = url;
        _loopGuard = new FastLoopGuard(http.Time, http.Options.Retry, http.Logger, url);
        _liveBudget = new TimeRetryBudget(options.LiveRetryBudget);
        _maxSsePending = options.MaxSsePendingBytes;
        _live = options.Live;
        _overrides = RequestOverrides.From(options.Headers, options.QueryParameters);
        Offset = options.Offset.Value;
        ContentType = knownContentType;
        _skip = ResumeSkip.For(options.Offset, knownContentType);
        _sink = _skip is null ? sseSink : null;
        _phase = StartsLive(options, knownTail) ? LivePhase : Phase.CatchUp;
    }

    /// <summary>
    /// Whether the read opens with its live request. Off: always a catch-up GET. With
    /// <see cref="ReadOptions.InitialCatchUp"/> off: live at once. Otherwise an SSE read still skips the
    /// catch-up GET where it buys nothing: from <c>now</c> (the protocol starts the SSE stream at the tail,
    /// and a catch-up answer there is empty and not cacheable) or from the tail this handle last saw
    /// (nothing to catch up on; anything appended since comes over the SSE connection). Long-poll keeps
    /// it, so that opening the read never waits for the server's hold.
    /// </summary>
    private static bool StartsLive(ReadOptions options, string? knownTail)
    {
        if (options.Live == LiveMode.Off) return false;
        if (!options.InitialCatchUp) return true;
        if (options.Live != LiveMode.Sse || options.Offset.Skip != 0) return false;
        var offset = options.Offset.Value;
        return offset == DurableStreams.Offset.Now.Value || knownTail is not null && offset == knownTail;
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
        try
        {
            var batch = await NextRawAsync(cancellationToken).ConfigureAwait(false);
            return _skip is { Remaining: > 0 } skip ? await skip.ApplyAsync(this, batch, NextRawAsync, cancellationToken).ConfigureAwait(false) : batch;
        }
        catch (Exception ex) when (ReportFailure(ex))
        {
            throw; // never reached: the filter only logs
        }
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

    /// <summary>
    /// A GET at the current offset; live requests echo the latest cursor. Once the session has been
    /// answered, live sessions retry through outages on their own budget.
    /// </summary>
    private async ValueTask<StreamRequest> ReadRequestAsync(string? live, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var buster = await _loopGuard.BeforeRequestAsync(live, Offset, live is null ? null : Cursor, cancellationToken).ConfigureAwait(false);
        var request = new StreamRequest
        {
            Method = HttpMethod.Get,
            Url = _url,
            Kind = RequestKind.Read,
            Overrides = _overrides,
            Offset = Offset,
            Timeout = timeout,
            RetryBudget = _answered && _live != LiveMode.Off ? _liveBudget : null,
        };
        // Added in name order (cache_buster, cursor, live, offset), which the URL builder then keeps as is.
        if (buster is not null) request.Query.Add(new(ProtocolNames.CacheBusterParam, buster));
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
        HttpResponseMessage response;
        string next;
        var bodyFailures = 0;
        long failingSince = 0;
        while (true)
        {
            var request = await ReadRequestAsync(live, live is null ? _http.Options.RequestTimeout : _http.Options.LongPollTimeout, cancellationToken).ConfigureAwait(false);
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            DurableStreamNetworkException? bodyFailure = null;
            try
            {
                if (response.StatusCode != HttpStatusCode.NoContent)
                    ContentType = ResponseHeaderReader.ContentType(response) ?? ContentType;
                ReadResponseCheck.Headers(response, _url, before.Offset, longPoll: live is not null, _http.Logger);
                next = ResponseHeaderReader.Get(response, ProtocolNames.NextOffset)!;
                if (next == before.Offset)
                    bodyFailure = await ReadResponseCheck.NonAdvancingAsync(response, _url, before.Offset, IsJson, _http.Logger, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                response.Dispose();
                throw;
            }
            if (bodyFailure is null) break;

            // The body broke off before any of it was used: ask again, on the request's own retry budget.
            response.Dispose();
            if (bodyFailures == 0) failingSince = _http.Time.GetTimestamp();
            var budget = request.RetryBudget ?? new CountRetryBudget(Retry.MaxRetries);
            if (!budget.CanRetry(bodyFailures, _http.Time.GetElapsedTime(failingSince))) throw bodyFailure;
            await BodyRetryDelayAsync(bodyFailures++, bodyFailure, cancellationToken).ConfigureAwait(false);
        }
        _answered = true;
        LastStatus = (int)response.StatusCode;
        Offset = next;
        Cursor = ResponseHeaderReader.Get(response, ProtocolNames.Cursor) ?? Cursor;
        Closed = ResponseHeaderReader.Flag(response, ProtocolNames.Closed);
        // A long-poll 204 means the hold expired at the tail: caught up by definition.
        UpToDate = Closed || ResponseHeaderReader.Flag(response, ProtocolNames.UpToDate) || response.StatusCode == HttpStatusCode.NoContent;
        if (live is not null) ReadTelemetry.LongPollAnswered(_url, response.StatusCode);
        ReadTelemetry.Position(ref _countedBehind, UpToDate, _url);

        if (Closed) _phase = Phase.Ended;
        else if (_phase == Phase.CatchUp && UpToDate) _phase = _live == LiveMode.Off ? Phase.Ended : LivePhase;

        return ReadBatch.FromResponse(response, before, Offset, UpToDate, Closed, Cursor);
    }

    private long _bodyFailingSince;

    /// <summary>
    /// Whether a batch whose body broke off (none of it delivered) may be fetched again, after
    /// <paramref name="failures"/> such failures in a row: on the live budget once a live session has
    /// been answered, else <see cref="RetryOptions.MaxRetries"/> times.
    /// </summary>
    public bool MayFetchAgain(int failures)
    {
        if (failures == 0) _bodyFailingSince = _http.Time.GetTimestamp();
        IRetryBudget budget = _answered && _live != LiveMode.Off ? _liveBudget : new CountRetryBudget(Retry.MaxRetries);
        return budget.CanRetry(failures, _http.Time.GetElapsedTime(_bodyFailingSince));
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

    public async ValueTask DisposeAsync()
    {
        _phase = Phase.Ended;
        ReadTelemetry.Position(ref _countedBehind, upToDate: true, _url);
        await CloseSseAsync().ConfigureAwait(false);
    }
}
