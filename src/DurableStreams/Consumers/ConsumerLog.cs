using Microsoft.Extensions.Logging;

namespace DurableStreams.Consumers;

/// <summary>
/// Source-generated log messages of checkpointed consumers (category <c>DurableStreams.Consumers.StreamConsumer</c>).
/// Ids 201-249 belong to consumers; stable, never reused (docs/logging.md).
/// </summary>
internal static partial class ConsumerLog
{
    public const string Category = "DurableStreams.Consumers.StreamConsumer";

    [LoggerMessage(EventId = 201, EventName = "ConsumerStarted", Level = LogLevel.Information,
        Message = "Consumer {Consumer} reading {Stream} from {Offset} ({From}, live {Live})")]
    public static partial void Started(ILogger logger, string consumer, string stream, string offset, string from, LiveMode live);

    [LoggerMessage(EventId = 202, EventName = "CheckpointSaved", Level = LogLevel.Debug,
        Message = "Consumer {Consumer} checkpointed {Stream} at {Offset} after {Count} messages")]
    public static partial void CheckpointSaved(ILogger logger, string consumer, string stream, string offset, long count);

    [LoggerMessage(EventId = 203, EventName = "HandlerRetrying", Level = LogLevel.Warning,
        Message = "Consumer {Consumer}: handler failed the message before {Position} of {Stream} (attempt {Attempt}); retrying in {DelayMs} ms: {Reason}")]
    public static partial void HandlerRetrying(ILogger logger, string consumer, string stream, string position, int attempt, double delayMs, string reason);

    [LoggerMessage(EventId = 204, EventName = "MessageSkipped", Level = LogLevel.Error,
        Message = "Consumer {Consumer}: handler failed the message before {Position} of {Stream} {Attempts} times; skipping it")]
    public static partial void MessageSkipped(ILogger logger, string consumer, string stream, string position, int attempts, Exception exception);

    [LoggerMessage(EventId = 205, EventName = "ConsumerFailed", Level = LogLevel.Error,
        Message = "Consumer {Consumer} stopped on {Stream}: the message before {Position} failed {Attempts} times; it resumes from {Checkpoint}")]
    public static partial void Failed(ILogger logger, string consumer, string stream, string position, int attempts, string checkpoint, Exception exception);

    [LoggerMessage(EventId = 206, EventName = "CheckpointFailed", Level = LogLevel.Warning,
        Message = "Consumer {Consumer} could not checkpoint {Stream} at {Offset}; it tries again at the next checkpoint")]
    public static partial void CheckpointFailed(ILogger logger, string consumer, string stream, string offset, Exception exception);

    [LoggerMessage(EventId = 207, EventName = "ConsumerStopped", Level = LogLevel.Information,
        Message = "Consumer {Consumer} stopped reading {Stream} ({Reason}) after {Handled} messages; checkpoint {Checkpoint}")]
    public static partial void Stopped(ILogger logger, string consumer, string stream, string reason, long handled, string checkpoint);

    [LoggerMessage(EventId = 208, EventName = "HandlerCancelled", Level = LogLevel.Warning,
        Message = "Consumer {Consumer}: the handler of the message before {Position} of {Stream} was cancelled on shutdown; it is handled again on resume")]
    public static partial void HandlerCancelled(ILogger logger, string consumer, string stream, string position);

    [LoggerMessage(EventId = 209, EventName = "DeadLetterFailed", Level = LogLevel.Error,
        Message = "Consumer {Consumer}: the dead-letter handler failed for the message before {Position} of {Stream}; stopping")]
    public static partial void DeadLetterFailed(ILogger logger, string consumer, string stream, string position, Exception exception);

    [LoggerMessage(EventId = 210, EventName = "ConsumerReadFailed", Level = LogLevel.Error,
        Message = "Consumer {Consumer} stopped: reading {Stream} failed; it resumes from {Checkpoint}")]
    public static partial void ReadFailed(ILogger logger, string consumer, string stream, string checkpoint, Exception exception);
}
