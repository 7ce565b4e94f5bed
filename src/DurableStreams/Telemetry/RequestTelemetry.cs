using System.Diagnostics;
using System.Globalization;
using System.Net;
using DurableStreams.Http;

namespace DurableStreams.Telemetry;

/// <summary>
/// Spans, events and metrics of single protocol requests (one <see cref="ProtocolHttpClient.SendAsync"/>
/// call, retries included). Only reached while something listens.
/// </summary>
internal static class RequestTelemetry
{
    /// <summary>True while any span or instrument a request reports into is being listened to.</summary>
    public static bool Active =>
        ClientTelemetry.Source.HasListeners() || ClientMetrics.OperationDuration.Enabled || ClientMetrics.Retries.Enabled;

    public static string OperationName(StreamRequest request) => request.Kind switch
    {
        RequestKind.Create => TelemetryNames.CreateStream,
        RequestKind.Head => TelemetryNames.HeadStream,
        RequestKind.Delete => TelemetryNames.DeleteStream,
        RequestKind.Close => TelemetryNames.CloseStream,
        RequestKind.Append => TelemetryNames.Send,
        RequestKind.Subscription => TelemetryNames.Subscription,
        _ => TelemetryNames.Receive,
    };

    private static string? OperationType(RequestKind kind) => kind switch
    {
        RequestKind.Append => TelemetryNames.Send,
        RequestKind.Read => TelemetryNames.Receive,
        _ => null, // stream management has no messaging operation type
    };

    /// <summary>
    /// The span for this request: the current outer span of ours when there is one (it is described
    /// with this request), else a new one, which <paramref name="owned"/> says the caller must end.
    /// </summary>
    public static Activity? Start(StreamRequest request, out bool owned)
    {
        owned = false;
        if (!ClientTelemetry.Source.HasListeners()) return null;
        var current = Activity.Current;
        if (ClientTelemetry.IsOuterSpan(current))
        {
            if (current!.IsAllDataRequested) Describe(current, request);
            return current;
        }
        var name = OperationName(request);
        var kind = request.Kind == RequestKind.Append ? ActivityKind.Producer : ActivityKind.Client;
        var span = ClientTelemetry.Source.StartActivity(name + " " + request.Url.AbsolutePath, kind);
        if (span is null) return null;
        owned = true;
        if (span.IsAllDataRequested)
        {
            SetCommon(span, name, OperationType(request.Kind), request.Url);
            Describe(span, request);
        }
        return span;
    }

    /// <summary>The attributes every span of ours carries.</summary>
    public static void SetCommon(Activity span, string operationName, string? operationType, Uri url)
    {
        span.SetTag(TelemetryNames.MessagingSystem, DurableStreamsTelemetry.MessagingSystem);
        span.SetTag(TelemetryNames.OperationName, operationName);
        if (operationType is not null) span.SetTag(TelemetryNames.OperationType, operationType);
        span.SetTag(TelemetryNames.DestinationName, url.AbsolutePath);
        span.SetTag(TelemetryNames.ServerAddress, url.Host);
        span.SetTag(TelemetryNames.ServerPort, url.Port);
    }

    /// <summary>What the request itself tells: the offset read from, the live mode, the producer numbers, a close.</summary>
    private static void Describe(Activity span, StreamRequest request)
    {
        if (request.Offset is { } offset) span.SetTag(TelemetryNames.Offset, offset.Value);
        if (request.Kind == RequestKind.Read) span.SetTag(TelemetryNames.LiveMode, LiveMode(request));
        if (request.TryGetHeader(ProtocolNames.ProducerId, out var id))
        {
            span.SetTag(TelemetryNames.ProducerId, id);
            if (request.TryGetHeader(ProtocolNames.ProducerEpoch, out var epoch)) span.SetTag(TelemetryNames.ProducerEpoch, ParseLong(epoch));
            if (request.TryGetHeader(ProtocolNames.ProducerSeq, out var seq)) span.SetTag(TelemetryNames.ProducerSeq, ParseLong(seq));
        }
        if (request.TryGetHeader(ProtocolNames.Closed, out _)) span.SetTag(TelemetryNames.StreamClosed, true);
    }

    private static object ParseLong(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : value;

    public static string LiveMode(StreamRequest request)
    {
        if (request.HasQuery)
            foreach (var (name, value) in request.Query)
                if (name == ProtocolNames.LiveParam)
                    return value == "sse" ? TelemetryNames.Sse : TelemetryNames.LongPoll;
        return TelemetryNames.CatchUp;
    }

    /// <summary>The request was answered with a success: the answer's position goes on the span, the duration to the histogram.</summary>
    public static void Answered(Activity? span, bool owned, StreamRequest request, HttpResponseMessage response, long started)
    {
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TelemetryNames.HttpStatusCode, (int)response.StatusCode);
            if (ResponseHeaderReader.Get(response, ProtocolNames.NextOffset) is { } next) span.SetTag(TelemetryNames.NextOffset, next);
            if (ResponseHeaderReader.Flag(response, ProtocolNames.Closed)) span.SetTag(TelemetryNames.StreamClosed, true);
            if (request.Kind == RequestKind.Read)
                span.SetTag(TelemetryNames.UpToDate, ResponseHeaderReader.Flag(response, ProtocolNames.UpToDate) || response.StatusCode == HttpStatusCode.NoContent);
            if (span.Status == ActivityStatusCode.Error)
            {
                // An outer span that an earlier attempt marked failed (a producer riding through an outage) succeeded after all.
                span.SetStatus(ActivityStatusCode.Unset);
                span.SetTag(TelemetryNames.ErrorType, null);
                span.SetTag(TelemetryNames.ErrorCode, null);
            }
        }
        if (owned) span!.Stop();
        RecordDuration(request, started, null);
    }

    /// <summary>The request failed for good (after its retries): the span gets error.type and an error status.</summary>
    public static void Failed(Activity? span, bool owned, StreamRequest request, Exception failure, long started)
    {
        var errorType = ErrorType(failure);
        if (span is not null) MarkFailed(span, failure, errorType);
        if (owned) span!.Stop();
        RecordDuration(request, started, errorType);
    }

    public static void MarkFailed(Activity span, Exception failure, string? errorType = null)
    {
        if (!span.IsAllDataRequested) return;
        errorType ??= ErrorType(failure);
        span.SetStatus(ActivityStatusCode.Error, failure.Message);
        span.SetTag(TelemetryNames.ErrorType, errorType);
        if (failure is DurableStreamException stream)
        {
            span.SetTag(TelemetryNames.ErrorCode, stream.Code.ToString());
            if (stream.Status is { } status) span.SetTag(TelemetryNames.HttpStatusCode, (int)status);
        }
    }

    /// <summary>error.type: the HTTP status of a failed answer, else the exception's type.</summary>
    public static string ErrorType(Exception failure) => failure switch
    {
        DurableStreamException { Status: { } status } => StatusText((int)status),
        OperationCanceledException => "cancelled",
        _ => failure.GetType().FullName ?? failure.GetType().Name,
    };

    private static string StatusText(int status) => status switch
    {
        400 => "400", 404 => "404", 409 => "409", 410 => "410", 429 => "429",
        500 => "500", 502 => "502", 503 => "503", 504 => "504",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A failed attempt will be sent again after <paramref name="delay"/>: an event on the current span and a count by reason.</summary>
    public static void Retrying(StreamRequest request, DurableStreamException failure, TimeSpan delay, int attempt)
    {
        if (!ClientMetrics.Retries.Enabled && !ClientTelemetry.Source.HasListeners()) return;
        var reason = RetryReason(failure);
        if (ClientMetrics.Retries.Enabled)
        {
            var tags = BaseTags(OperationName(request), request.Url);
            tags.Add(TelemetryNames.RetryReason, reason);
            ClientMetrics.Retries.Add(1, tags);
        }
        var span = Activity.Current;
        if (span is { IsAllDataRequested: true } && ReferenceEquals(span.Source, ClientTelemetry.Source))
            span.AddEvent(new ActivityEvent(TelemetryNames.RetryEvent, tags: new ActivityTagsCollection
            {
                [TelemetryNames.RetryReason] = reason,
                [TelemetryNames.RetryAttempt] = attempt,
                [TelemetryNames.RetryDelay] = delay.TotalMilliseconds,
                [TelemetryNames.ErrorType] = ErrorType(failure),
            }));
    }

    /// <summary>The app's on-error hook supplied a recovery and the request starts over.</summary>
    public static void Recovered()
    {
        var span = Activity.Current;
        if (span is { IsAllDataRequested: true } && ReferenceEquals(span.Source, ClientTelemetry.Source))
            span.AddEvent(new ActivityEvent(TelemetryNames.RecoveredEvent));
    }

    /// <summary>durable_streams.retry.reason: http_{status}, timeout, network, connection_refused, stalled, or other.</summary>
    public static string RetryReason(Exception failure)
    {
        if (failure is DurableStreamException { Status: { } status }) return "http_" + StatusText((int)status);
        for (var inner = failure; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case TimeoutException: return "timeout";
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }:
                    return "connection_refused";
                case HttpRequestException or IOException: return "network";
            }
        }
        return failure is ResponseStalledException ? "stalled" : "other";
    }

    public static System.Diagnostics.TagList BaseTags(string operationName, Uri url) => new()
    {
        { TelemetryNames.MessagingSystem, DurableStreamsTelemetry.MessagingSystem },
        { TelemetryNames.OperationName, operationName },
        { TelemetryNames.DestinationName, url.AbsolutePath },
        { TelemetryNames.ServerAddress, url.Host },
        { TelemetryNames.ServerPort, url.Port },
    };

    private static void RecordDuration(StreamRequest request, long started, string? errorType)
    {
        if (!ClientMetrics.OperationDuration.Enabled || started == 0) return;
        var tags = BaseTags(OperationName(request), request.Url);
        if (OperationType(request.Kind) is { } type) tags.Add(TelemetryNames.OperationType, type);
        if (errorType is not null) tags.Add(TelemetryNames.ErrorType, errorType);
        ClientMetrics.OperationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }
}
