using Microsoft.Extensions.Logging;

namespace DurableStreams.Logging;

/// <summary>Source-generated log messages (no boxing, no formatting unless enabled).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Method} {Url} -> {Status}")]
    public static partial void Response(ILogger logger, string method, string url, int status);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Retrying {Method} {Url} in {DelayMs} ms (attempt {Attempt}) after {Reason}")]
    public static partial void Retrying(ILogger logger, string method, string url, double delayMs, int attempt, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Request {Method} {Url} failed: {Message}")]
    public static partial void RequestFailed(ILogger logger, string method, string url, string message);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Error handler supplied new headers/parameters for {Url}; retrying")]
    public static partial void Recovered(ILogger logger, string url);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "SSE connection to {Url} ended at offset {Offset} ({Reason}); reconnecting")]
    public static partial void SseReconnect(ILogger logger, string url, string offset, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "SSE connections to {Url} keep ending at once; falling back to long-poll")]
    public static partial void SseFallback(ILogger logger, string url);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Producer {ProducerId} on {Url} claimed epoch {Epoch}")]
    public static partial void EpochClaimed(ILogger logger, string producerId, string url, long epoch);

    // 101-199: read hardening (stable ids; dashboards may filter on them).
    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Read of {Url} requested offset {Offset} {Count} times within {WindowMs} ms (a stale cache?); adding a cache buster and backing off")]
    public static partial void FastLoopDetected(ILogger logger, string url, string offset, int count, double windowMs);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Read of {Url} keeps getting the same answer at offset {Offset} despite cache busting; giving up")]
    public static partial void ReadLoopGaveUp(ILogger logger, string url, string offset);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Read of {Url} at offset {Offset} stopped: {Message}")]
    public static partial void ProtocolViolation(ILogger logger, string url, string offset, string message);
}
