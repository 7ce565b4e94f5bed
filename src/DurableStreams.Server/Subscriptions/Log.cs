using Microsoft.Extensions.Logging;

namespace DurableStreams.Server.Subscriptions;

/// <summary>Structured log events of subscriptions.</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Warning, "Webhook delivery for subscription {Subscription} failed (attempt {Attempt}); next attempt at {NextAttempt}")]
    public static partial void WebhookFailed(ILogger logger, string subscription, int attempt, DateTimeOffset nextAttempt);

    [LoggerMessage(102, LogLevel.Warning, "Subscription {Subscription} could not write a wake event to its wake stream {WakeStream}: {Status}")]
    public static partial void WakeStreamRefused(ILogger logger, string subscription, string wakeStream, string status);

    [LoggerMessage(103, LogLevel.Error, "Subscription background work failed")]
    public static partial void BackgroundFailed(ILogger logger, Exception exception);

    [LoggerMessage(104, LogLevel.Error, "Could not save subscriptions to {Path}")]
    public static partial void SaveFailed(ILogger logger, Exception exception, string path);
}
