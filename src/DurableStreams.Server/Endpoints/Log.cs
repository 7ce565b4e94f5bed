using Microsoft.Extensions.Logging;

namespace DurableStreams.Server.Endpoints;

/// <summary>Structured log events of the endpoints.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Created stream {Path} ({ContentType})")]
    public static partial void StreamCreated(ILogger logger, string path, string contentType);

    [LoggerMessage(2, LogLevel.Information, "Deleted stream {Path}")]
    public static partial void StreamDeleted(ILogger logger, string path);

    [LoggerMessage(3, LogLevel.Information, "Closed stream {Path} at {Offset}")]
    public static partial void StreamClosed(ILogger logger, string path, string offset);

    [LoggerMessage(4, LogLevel.Debug, "Rejected {Method} {Path}: {Status} {Reason}")]
    public static partial void Rejected(ILogger logger, string method, string path, int status, string reason);

    [LoggerMessage(5, LogLevel.Error, "Unexpected failure serving {Method} {Path}")]
    public static partial void Failed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(6, LogLevel.Error, "Failure after the response to {Method} {Path} started; the connection is aborted")]
    public static partial void FailedAfterStart(ILogger logger, Exception exception, string method, string path);
}
