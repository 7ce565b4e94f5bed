using System.Net;
using System.Text.Json;
using DurableStreams.Http;

namespace DurableStreams.Subscriptions;

/// <summary>Maps a failed subscription request to its typed exception from the body's <c>error.code</c>.</summary>
internal static class SubscriptionErrors
{
    public static DurableStreamException FromResponse(StreamRequest request, HttpStatusCode status, string? body, string message, TimeSpan? retryAfter)
    {
        var (code, holder, generation) = Parse(body);
        var url = request.Url;
        SubscriptionException error = code switch
        {
            "FENCED" => new SubscriptionFencedException($"Wake is fenced (stale wake or generation): {message}", url, code),
            "ALREADY_CLAIMED" => new SubscriptionAlreadyClaimedException(
                $"Subscription is already claimed by '{holder}' (generation {generation}): {message}", url, code, holder, generation),
            "NO_PENDING_WORK" => new SubscriptionNoPendingWorkException($"Subscription has no pending work: {message}", url, code),
            "INVALID_OFFSET" => new SubscriptionInvalidAckException($"Ack refused: {message}", url, code),
            "SUBSCRIPTION_ALREADY_EXISTS" => new SubscriptionConflictException($"Subscription exists with another configuration: {message}", url, code),
            "TOKEN_INVALID" or "TOKEN_EXPIRED" => new SubscriptionTokenRejectedException($"Wake token refused: {message}", url, code),
            _ when status == HttpStatusCode.NotFound => new SubscriptionNotFoundException($"Subscription not found: {message}", url, code),
            _ when status == HttpStatusCode.Conflict && code is null => new SubscriptionConflictException($"Conflict: {message}", url, code),
            _ => new SubscriptionException(message, Classify(status), status, url, code),
        };
        return Decorate(error, retryAfter, body);
    }

    private static DurableStreamErrorCode Classify(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => DurableStreamErrorCode.BadRequest,
        HttpStatusCode.Unauthorized => DurableStreamErrorCode.Unauthorized,
        HttpStatusCode.Forbidden => DurableStreamErrorCode.Forbidden,
        HttpStatusCode.Conflict => DurableStreamErrorCode.Conflict,
        HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented => DurableStreamErrorCode.NotSupported,
        HttpStatusCode.TooManyRequests => DurableStreamErrorCode.RateLimited,
        >= HttpStatusCode.InternalServerError => DurableStreamErrorCode.ServerError,
        _ => DurableStreamErrorCode.UnexpectedStatus,
    };

    // Exceptions are immutable to callers: the extra data goes in through the init-only properties here.
    private static SubscriptionException Decorate(SubscriptionException error, TimeSpan? retryAfter, string? body) => error switch
    {
        _ when retryAfter is null && body is null => error,
        SubscriptionFencedException e => new SubscriptionFencedException(e.Message, e.Url, e.ServerCode) { RetryAfter = retryAfter, ResponseText = body },
        SubscriptionAlreadyClaimedException e => new SubscriptionAlreadyClaimedException(e.Message, e.Url, e.ServerCode, e.CurrentHolder, e.Generation) { RetryAfter = retryAfter, ResponseText = body },
        SubscriptionNoPendingWorkException e => new SubscriptionNoPendingWorkException(e.Message, e.Url, e.ServerCode) { RetryAfter = retryAfter, ResponseText = body },
        SubscriptionInvalidAckException e => new SubscriptionInvalidAckException(e.Message, e.Url, e.ServerCode) { RetryAfter = retryAfter, ResponseText = body },
        SubscriptionConflictException e => new SubscriptionConflictException(e.Message, e.Url, e.ServerCode) { RetryAfter = retryAfter, ResponseText = body },
        SubscriptionTokenRejectedException e => new SubscriptionTokenRejectedException(e.Message, e.Url, e.ServerCode) { RetryAfter = retryAfter, ResponseText = body },
        SubscriptionNotFoundException e => new SubscriptionNotFoundException(e.Message, e.Url, e.ServerCode) { RetryAfter = retryAfter, ResponseText = body },
        _ => new SubscriptionException(error.Message, error.Code, error.Status, error.Url, error.ServerCode) { RetryAfter = retryAfter, ResponseText = body },
    };

    /// <summary>Reads <c>{"error": {"code", "current_holder", "generation"}}</c>; anything else yields nulls.</summary>
    private static (string? Code, string? Holder, long? Generation) Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return default;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("error", out var error)
                || error.ValueKind != JsonValueKind.Object) return default;
            string? code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            string? holder = error.TryGetProperty("current_holder", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
            long? generation = error.TryGetProperty("generation", out var g) && g.ValueKind == JsonValueKind.Number && g.TryGetInt64(out var n) ? n : null;
            return (code, holder, generation);
        }
        catch (JsonException)
        {
            return default; // not JSON (a proxy's page): the status alone classifies it
        }
    }
}
