using Microsoft.Extensions.Logging;

namespace DurableStreams.Logging;

// 41-49: the idempotent producer. Riding through a server outage is logged when it starts waiting,
// when it gets through again and when it gives up, not on every resend (the HTTP retries inside each
// resend still log 2).
internal static partial class Log
{
    [LoggerMessage(EventId = 41, EventName = "OutageWaiting", Level = LogLevel.Warning,
        Message = "Producer {ProducerId} on {Url} cannot reach the server ({Reason}); resending batch {Epoch}/{Seq} with the same numbers for up to {TimeoutSeconds} s, every {DelayMs} ms or so")]
    public static partial void OutageWaiting(ILogger logger, string producerId, string url, string reason, long epoch, long seq, double timeoutSeconds, double delayMs, Exception exception);

    [LoggerMessage(EventId = 42, EventName = "OutageRecovered", Level = LogLevel.Information,
        Message = "Producer {ProducerId} on {Url} got batch {Epoch}/{Seq} through after an outage of {OutageSeconds} s")]
    public static partial void OutageRecovered(ILogger logger, string producerId, string url, long epoch, long seq, double outageSeconds);

    [LoggerMessage(EventId = 43, EventName = "OutageGaveUp", Level = LogLevel.Error,
        Message = "Producer {ProducerId} on {Url} gave up on batch {Epoch}/{Seq} after {OutageSeconds} s of outage (OutageRetryTimeout): {Reason}")]
    public static partial void OutageGaveUp(ILogger logger, string producerId, string url, long epoch, long seq, double outageSeconds, string reason, Exception exception);

    [LoggerMessage(EventId = 44, EventName = "ProducerFailed", Level = LogLevel.Error,
        Message = "Producer {ProducerId} on {Url} stopped at batch {Epoch}/{Seq} ({ErrorType}): {Message}")]
    public static partial void ProducerFailed(ILogger logger, string producerId, string url, long epoch, long seq, string errorType, string message, Exception exception);

    [LoggerMessage(EventId = 45, EventName = "ProducerBatchReordered", Level = LogLevel.Debug,
        Message = "Producer {ProducerId} on {Url}: batch {Epoch}/{Seq} reached the server before an earlier one (it expects seq {ExpectedSeq}); resending it once the earlier batches are answered")]
    public static partial void ProducerBatchReordered(ILogger logger, string producerId, string url, long epoch, long seq, long? expectedSeq);
}
