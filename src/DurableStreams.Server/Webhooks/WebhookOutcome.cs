namespace DurableStreams.Server.Webhooks;

/// <summary>How a webhook handler finished with a wake.</summary>
public enum WebhookOutcome
{
    /// <summary>Processed: the endpoint answers <c>{"done": true}</c> and the server acks the wake's tail offsets and releases it.</summary>
    Done,

    /// <summary>
    /// Taken on, to be finished later: the endpoint answers 202 without <c>done</c>, and the application finishes the
    /// wake through its callback (<c>SubscriptionClient.CallbackAsync</c> with the wake's callback URL and token, acks
    /// and <c>done</c>) before the lease expires.
    /// </summary>
    Accepted,
}
