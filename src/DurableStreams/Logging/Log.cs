using Microsoft.Extensions.Logging;

namespace DurableStreams.Logging;

/// <summary>
/// Source-generated log messages (no boxing, no formatting unless enabled). Event ids and names are
/// stable: dashboards and alerts filter on them, so an id is never reused or renumbered (docs/logging.md
/// lists them all). <c>Url</c> fields carry the stream's path only: never its query string or user info.
/// A retry logs its reason and delay, not the exception; a failure for good logs the exception object.
/// </summary>
internal static partial class Log
{
    // 1-99: requests, reconnects and appends.
    [LoggerMessage(EventId = 1, EventName = "Response", Level = LogLevel.Debug, Message = "{Method} {Url} -> {Status}")]
    public static partial void Response(ILogger logger, string method, string url, int status);

    [LoggerMessage(EventId = 2, EventName = "Retrying", Level = LogLevel.Information,
        Message = "Retrying {Method} {Url} in {DelayMs} ms (attempt {Attempt}) after {ErrorCode}: {Reason}")]
    public static partial void Retrying(ILogger logger, string method, string url, double delayMs, int attempt, DurableStreamErrorCode errorCode, string reason);

    /// <summary>Information for 404, 409 and 410 (answers about the stream), Debug when the caller reports the failure itself, else Warning.</summary>
    [LoggerMessage(EventId = 3, EventName = "RequestFailed", Message = "Request {Method} {Url} failed ({ErrorCode}): {Message}")]
    public static partial void RequestFailed(ILogger logger, LogLevel level, string method, string url, DurableStreamErrorCode errorCode, string message, Exception exception);

    [LoggerMessage(EventId = 4, EventName = "Recovered", Level = LogLevel.Information,
        Message = "Error handler supplied new headers/parameters for {Method} {Url} after {ErrorCode}; retrying")]
    public static partial void Recovered(ILogger logger, string method, string url, DurableStreamErrorCode errorCode);

    [LoggerMessage(EventId = 5, EventName = "SseReconnect", Level = LogLevel.Debug,
        Message = "SSE connection to {Url} ended at offset {Offset} ({Reason}); reconnecting in {DelayMs} ms")]
    public static partial void SseReconnect(ILogger logger, string url, string offset, string reason, double delayMs);

    [LoggerMessage(EventId = 6, EventName = "SseFallback", Level = LogLevel.Warning,
        Message = "SSE connections to {Url} keep ending at once; falling back to long-poll")]
    public static partial void SseFallback(ILogger logger, string url);

    [LoggerMessage(EventId = 7, EventName = "EpochClaimed", Level = LogLevel.Information, Message = "Producer {ProducerId} on {Url} claimed epoch {Epoch}")]
    public static partial void EpochClaimed(ILogger logger, string producerId, string url, long epoch);

    [LoggerMessage(EventId = 8, EventName = "SseConnectionLost", Level = LogLevel.Information,
        Message = "SSE connection to {Url} lost at offset {Offset} ({Reason}); reconnecting in {DelayMs} ms")]
    public static partial void SseConnectionLost(ILogger logger, string url, string offset, string reason, double delayMs);

    [LoggerMessage(EventId = 9, EventName = "ReadBodyRetrying", Level = LogLevel.Information,
        Message = "Body of the read of {Url} at offset {Offset} broke off before any of it was used; fetching it again in {DelayMs} ms (attempt {Attempt}): {Reason}")]
    public static partial void ReadBodyRetrying(ILogger logger, string url, string offset, double delayMs, int attempt, string reason);

    /// <summary>Debug when the request already logged the failure (3), Warning otherwise.</summary>
    [LoggerMessage(EventId = 10, EventName = "AppendBatchFailed", Message = "Batched append of {Count} appends to {Url} failed; each caller gets the exception")]
    public static partial void AppendBatchFailed(ILogger logger, LogLevel level, int count, string url, Exception exception);

    // 101-199: reads (stable ids; dashboards may filter on them).
    [LoggerMessage(EventId = 101, EventName = "FastLoopDetected", Level = LogLevel.Warning,
        Message = "Read of {Url} requested offset {Offset} {Count} times within {WindowMs} ms (a stale cache?); adding a cache buster and backing off")]
    public static partial void FastLoopDetected(ILogger logger, string url, string offset, int count, double windowMs);

    [LoggerMessage(EventId = 102, EventName = "ReadLoopGaveUp", Level = LogLevel.Error,
        Message = "Read of {Url} keeps getting the same answer at offset {Offset} despite cache busting; giving up")]
    public static partial void ReadLoopGaveUp(ILogger logger, string url, string offset, Exception exception);

    [LoggerMessage(EventId = 103, EventName = "ProtocolViolation", Level = LogLevel.Error, Message = "Read of {Url} at offset {Offset} stopped: {Message}")]
    public static partial void ProtocolViolation(ILogger logger, string url, string offset, string message, Exception exception);

    /// <summary>Level: <see cref="FailureLevel"/>.</summary>
    [LoggerMessage(EventId = 104, EventName = "ReadFailed", Message = "Read of {Url} stopped at offset {Offset} ({ErrorType}): {Message}")]
    public static partial void ReadFailed(ILogger logger, LogLevel level, string url, string offset, string errorType, string message, Exception exception);

    /// <summary>
    /// Level of a failure for good: answers about the stream itself (404 not found, 409 conflict or closed,
    /// 410 gone) are outcomes callers handle, Information; anything else is a Warning.
    /// </summary>
    public static LogLevel FailureLevel(Exception exception) =>
        exception is DurableStreamException { Status: System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.Gone }
            ? LogLevel.Information
            : LogLevel.Warning;

    /// <summary>What kind of failure: the <see cref="DurableStreamErrorCode"/> name, else the exception's type name.</summary>
    public static string ErrorType(Exception exception) =>
        exception is DurableStreamException failure ? failure.Code.ToString() : exception.GetType().Name;
}
