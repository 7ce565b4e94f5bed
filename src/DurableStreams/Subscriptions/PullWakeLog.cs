using Microsoft.Extensions.Logging;

namespace DurableStreams.Subscriptions;

/// <summary>Source-generated log messages of pull-wake workers (ids 401-420; docs/logging.md lists them).</summary>
internal static partial class PullWakeLog
{
    [LoggerMessage(EventId = 401, EventName = "WakeClaimed", Level = LogLevel.Debug,
        Message = "Worker {Worker} claimed subscription {SubscriptionId} generation {Generation} ({Pending} streams pending)")]
    public static partial void Claimed(ILogger logger, string worker, string subscriptionId, long generation, int pending);

    [LoggerMessage(EventId = 402, EventName = "WakeCompleted", Level = LogLevel.Debug,
        Message = "Worker {Worker} finished subscription {SubscriptionId} generation {Generation}: {Messages} messages")]
    public static partial void Completed(ILogger logger, string worker, string subscriptionId, long generation, int messages);

    [LoggerMessage(EventId = 403, EventName = "LeaseLost", Level = LogLevel.Warning,
        Message = "Worker {Worker} lost the lease of subscription {SubscriptionId} generation {Generation} ({Reason}); unacked messages come back in a later wake")]
    public static partial void LeaseLost(ILogger logger, string worker, string subscriptionId, long generation, string reason);

    [LoggerMessage(EventId = 404, EventName = "HandlerRetrying", Level = LogLevel.Warning,
        Message = "Handler failed on {Stream} at {Position} (attempt {Attempt}); retrying in {DelayMs} ms")]
    public static partial void HandlerRetrying(ILogger logger, string stream, string position, int attempt, double delayMs, Exception exception);

    [LoggerMessage(EventId = 405, EventName = "WakeFailed", Level = LogLevel.Error,
        Message = "Worker {Worker} gave up subscription {SubscriptionId} generation {Generation} on {Stream}; progress acked, lease released")]
    public static partial void WakeFailed(ILogger logger, string worker, string subscriptionId, long generation, string stream, Exception exception);

    [LoggerMessage(EventId = 406, EventName = "WakeStreamFailed", Level = LogLevel.Warning,
        Message = "Reading wake stream {WakeStream} failed; trying again in {DelayMs} ms")]
    public static partial void WakeStreamFailed(ILogger logger, string wakeStream, double delayMs, Exception exception);

    [LoggerMessage(EventId = 407, EventName = "HeartbeatFailed", Level = LogLevel.Warning,
        Message = "Heartbeat of subscription {SubscriptionId} generation {Generation} failed; the lease holds until its deadline")]
    public static partial void HeartbeatFailed(ILogger logger, string subscriptionId, long generation, Exception exception);

    [LoggerMessage(EventId = 408, EventName = "ReleaseFailed", Level = LogLevel.Warning,
        Message = "Could not ack and release subscription {SubscriptionId} generation {Generation}; the lease expires by itself")]
    public static partial void ReleaseFailed(ILogger logger, string subscriptionId, long generation, Exception exception);

    [LoggerMessage(EventId = 409, EventName = "StreamSkipped", Level = LogLevel.Warning,
        Message = "Stream {Stream} of subscription {SubscriptionId} could not be read ({ErrorCode}); skipped in this wake")]
    public static partial void StreamSkipped(ILogger logger, string stream, string subscriptionId, DurableStreamErrorCode errorCode);

    [LoggerMessage(EventId = 410, EventName = "WakeStreamEnded", Level = LogLevel.Warning,
        Message = "Wake stream {WakeStream} is closed; only the idle claim interval wakes this worker now")]
    public static partial void WakeStreamEnded(ILogger logger, string wakeStream);

    [LoggerMessage(EventId = 411, EventName = "ClaimFailed", Level = LogLevel.Warning,
        Message = "Worker {Worker} could not claim subscription {SubscriptionId}; trying again in {DelayMs} ms")]
    public static partial void ClaimFailed(ILogger logger, string worker, string subscriptionId, double delayMs, Exception exception);

    [LoggerMessage(EventId = 412, EventName = "WakeMessageSkipped", Level = LogLevel.Error,
        Message = "Worker {Worker}: handler failed the message before {Position} of {Stream} {Attempts} times; skipping it (subscription {SubscriptionId})")]
    public static partial void MessageSkipped(ILogger logger, string worker, string subscriptionId, string stream, string position, int attempts, Exception exception);

    [LoggerMessage(EventId = 413, EventName = "WakeDeadLetterFailed", Level = LogLevel.Error,
        Message = "Worker {Worker}: the dead-letter handler failed for the message before {Position} of {Stream}; it is not skipped, the wake is released")]
    public static partial void DeadLetterFailed(ILogger logger, string worker, string stream, string position, Exception exception);

    [LoggerMessage(EventId = 414, EventName = "WorkerStopped", Level = LogLevel.Error,
        Message = "Worker {Worker} stopped: the message before {Position} of {Stream} failed {Attempts} times; progress acked, lease of subscription {SubscriptionId} released, the message stays unacked")]
    public static partial void WorkerStopped(ILogger logger, string worker, string subscriptionId, string stream, string position, int attempts, Exception exception);

    [LoggerMessage(EventId = 415, EventName = "WakeStreamInvalid", Level = LogLevel.Error,
        Message = "Worker {Worker} cannot start: wake stream {WakeStream} is not usable ({Problem})")]
    public static partial void WakeStreamInvalid(ILogger logger, string worker, string wakeStream, string problem);
}
