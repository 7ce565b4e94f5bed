using System.Net;
using DurableStreams.Logging;

namespace DurableStreams.Http;

/// <summary>Turns a failure status into the matching typed exception.</summary>
internal static class ErrorMapper
{
    public static DurableStreamException FromResponse(StreamRequest request, HttpResponseMessage response, string? body, TimeProvider time)
    {
        var status = response.StatusCode;
        var url = request.Url;
        var where = $"{request.Method} {url.AbsolutePath}";
        // The server's own words, minus any credential of the request it echoes back (exceptions end up in logs).
        body = body is null ? null : UrlRedaction.Scrub(body, response.RequestMessage?.RequestUri);
        var text = string.IsNullOrWhiteSpace(body) ? response.ReasonPhrase : body.Trim();
        var message = $"HTTP {(int)status} from {where}: {text}";
        var retryAfter = ResponseHeaderReader.RetryAfter(response, time);
        if (request.Kind == RequestKind.Subscription)
            return Subscriptions.SubscriptionErrors.FromResponse(request, status, body, message, retryAfter);

        DurableStreamException error = status switch
        {
            HttpStatusCode.NotFound => new StreamNotFoundException($"Stream not found: {url.AbsolutePath} ({where} returned 404: {text})", url, request.Offset),
            HttpStatusCode.Gone => new RetentionGoneException($"Gone: {where} returned 410: {text}", url, request.Offset),
            HttpStatusCode.Conflict => Conflict(request, response, message, url),
            // Only a 403 that names the server's epoch is a fence; any other 403 is authorization.
            HttpStatusCode.Forbidden when request.TryGetHeader(ProtocolNames.ProducerId, out _)
                && ResponseHeaderReader.Int64(response, ProtocolNames.ProducerEpoch) is { } serverEpoch =>
                new StaleProducerEpochException($"Producer epoch is stale (server epoch {serverEpoch}): {message}", url, serverEpoch),
            HttpStatusCode.BadRequest when request.Kind == RequestKind.Read =>
                new DurableStreamException($"Invalid offset or read parameters ({request.Offset?.Value ?? "-1"}): {message}", DurableStreamErrorCode.InvalidOffset, status, url, request.Offset),
            _ => new DurableStreamException(message, Classify(status), status, url, request.Offset),
        };
        return Decorate(error, retryAfter, body);
    }

    private static DurableStreamException Conflict(StreamRequest request, HttpResponseMessage response, string message, Uri url)
    {
        // Server precedence: closed, then content type, then sequence. Test the closed flag first.
        if (ResponseHeaderReader.Flag(response, ProtocolNames.Closed))
            return new StreamClosedException($"Stream is closed: {message}", url, ResponseHeaderReader.NextOffset(response));
        var expected = ResponseHeaderReader.Int64(response, ProtocolNames.ProducerExpectedSeq);
        if (expected is not null)
            return new ProducerSequenceGapException($"Producer sequence gap: {message}", url, expected, ResponseHeaderReader.Int64(response, ProtocolNames.ProducerReceivedSeq));
        if (request.TryGetHeader(ProtocolNames.Seq, out var seq))
            return new SequenceConflictException($"Stream-Seq {seq} is not greater than the last accepted sequence: {message}", url, seq);
        return new DurableStreamException(message, DurableStreamErrorCode.Conflict, HttpStatusCode.Conflict, url, request.Offset);
    }

    private static DurableStreamErrorCode Classify(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => DurableStreamErrorCode.BadRequest,
        HttpStatusCode.Unauthorized => DurableStreamErrorCode.Unauthorized,
        HttpStatusCode.Forbidden => DurableStreamErrorCode.Forbidden,
        HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented => DurableStreamErrorCode.NotSupported,
        HttpStatusCode.RequestEntityTooLarge => DurableStreamErrorCode.PayloadTooLarge,
        HttpStatusCode.TooManyRequests => DurableStreamErrorCode.RateLimited,
        >= HttpStatusCode.InternalServerError => DurableStreamErrorCode.ServerError,
        _ => DurableStreamErrorCode.UnexpectedStatus,
    };

    private static DurableStreamException Decorate(DurableStreamException error, TimeSpan? retryAfter, string? body) =>
        // Exceptions are immutable to callers; rebuild the base type only when extra data exists.
        error.GetType() == typeof(DurableStreamException) && (retryAfter is not null || body is not null)
            ? new DurableStreamException(error.Message, error.Code, error.Status, error.Url, error.Offset) { RetryAfter = retryAfter, ResponseText = body }
            : error;

    public static DurableStreamNetworkException Network(StreamRequest request, Exception inner) =>
        new($"Network error on {request.Method} {request.Url.AbsolutePath}: {inner.Message}", request.Url, inner, request.Offset);

    /// <summary>Statuses worth retrying for an idempotent request.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// Failure statuses after which a write may still have been applied: the request timed out or
    /// failed on the server (or a proxy) after it may have been processed. Any other 4xx, 429 and
    /// 503 refused it.
    /// </summary>
    public static bool MayHaveStored(HttpStatusCode status) =>
        status == HttpStatusCode.RequestTimeout || ((int)status >= 500 && status != HttpStatusCode.ServiceUnavailable);

    /// <summary>Statuses that guarantee a write was not applied.</summary>
    public static bool StoredNothing(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
}
