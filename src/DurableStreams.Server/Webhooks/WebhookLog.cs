using Microsoft.Extensions.Logging;

namespace DurableStreams.Server.Webhooks;

/// <summary>Structured log events of webhook receivers (category <c>DurableStreams.Server.Webhooks</c>).</summary>
internal static partial class WebhookLog
{
    public const string Category = "DurableStreams.Server.Webhooks";

    [LoggerMessage(101, LogLevel.Warning, "Refused a webhook request to {Path}: {Rejection} (kid {KeyId})")]
    public static partial void Refused(ILogger logger, string path, WebhookRejection rejection, string? keyId);

    [LoggerMessage(102, LogLevel.Warning, "Could not fetch the webhook signing keys from {JwksUrl}")]
    public static partial void KeysUnavailable(ILogger logger, Exception? exception, Uri jwksUrl);

    [LoggerMessage(103, LogLevel.Warning, "Refused a signed webhook request to {Path}: {Reason}")]
    public static partial void Invalid(ILogger logger, string path, string reason);

    [LoggerMessage(104, LogLevel.Error, "The webhook handler failed on wake {WakeId} of {SubscriptionId} (generation {Generation})")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string wakeId, string subscriptionId, long generation);

    [LoggerMessage(105, LogLevel.Debug, "Handled wake {WakeId} of {SubscriptionId} (generation {Generation}): {Outcome}")]
    public static partial void Handled(ILogger logger, string wakeId, string subscriptionId, long generation, WebhookOutcome outcome);
}
