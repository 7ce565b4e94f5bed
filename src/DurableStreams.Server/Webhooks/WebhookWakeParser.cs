using System.Text.Json;
using DurableStreams.Subscriptions;

namespace DurableStreams.Server.Webhooks;

/// <summary>Reads a verified body into a <see cref="SubscriptionWebhookNotification"/>, or says what is wrong with it.</summary>
internal static class WebhookWakeParser
{
    public static bool TryParse(ReadOnlySpan<byte> body, out SubscriptionWebhookNotification wake, out string error)
    {
        wake = null!;
        SubscriptionWebhookNotification? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, SubscriptionJson.WebhookNotification);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            error = "the body is not a wake notification: " + ex.Message;
            return false;
        }
        if (parsed is null) return Fail("the body is null", out error);
        if (string.IsNullOrEmpty(parsed.SubscriptionId)) return Fail("subscription_id is missing", out error);
        if (string.IsNullOrEmpty(parsed.WakeId)) return Fail("wake_id is missing", out error);
        if (parsed.CallbackUrl is not { IsAbsoluteUri: true } callback || callback.Scheme is not ("http" or "https"))
            return Fail("callback_url is missing or not an http(s) URL", out error);
        if (string.IsNullOrEmpty(parsed.CallbackToken)) return Fail("callback_token is missing", out error);
        for (var i = 0; i < parsed.Streams.Count; i++)
            if (parsed.Streams[i] is null || string.IsNullOrEmpty(parsed.Streams[i].Path))
                return Fail($"streams[{i}] has no path", out error);
        wake = parsed;
        error = "";
        return true;
    }

    private static bool Fail(string reason, out string error)
    {
        error = reason;
        return false;
    }
}
