using System.Globalization;
using System.Text.Json;

namespace DurableStreams.Server.Subscriptions;

/// <summary>Response and wake bodies, written with Utf8JsonWriter (AOT safe, exact field names of §6-7).</summary>
internal static class SubscriptionJson
{
    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) body(writer);
        return buffer.ToArray();
    }

    public static byte[] Subscription(Subscription sub, IReadOnlyList<StreamLink> links, string? keyId) => Write(w =>
    {
        var config = sub.Config;
        w.WriteStartObject();
        w.WriteString("id", sub.Id);
        w.WriteString("subscription_id", sub.Id);
        w.WriteString("type", config.Type);
        w.WriteString("pattern", config.Pattern);
        w.WriteStartArray("streams");
        foreach (var link in links)
        {
            w.WriteStartObject();
            w.WriteString("path", link.Path);
            w.WriteString("link_type", link.LinkType);
            w.WriteString("acked_offset", link.AckedOffset);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (config.WebhookUrl is { } url)
        {
            w.WriteStartObject("webhook");
            w.WriteString("url", url);
            if (keyId is not null)
            {
                w.WriteStartObject("signing");
                w.WriteString("alg", "ed25519");
                w.WriteString("kid", keyId);
                w.WriteString("jwks_url", sub.Origin + sub.Root + "/__ds/jwks.json");
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        else w.WriteNull("webhook");
        w.WriteString("wake_stream", config.WakeStream);
        w.WriteNumber("lease_ttl_ms", config.LeaseTtlMs);
        w.WriteString("created_at", sub.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        w.WriteString("status", sub.Status);
        if (sub.Failed && sub.NextAttemptAt is { } next)
            w.WriteString("next_attempt_at", next.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        w.WriteString("description", config.Description);
        w.WriteEndObject();
    });

    public static void WakeStreams(Utf8JsonWriter w, IReadOnlyList<WakeStream> streams)
    {
        w.WriteStartArray("streams");
        foreach (var stream in streams)
        {
            w.WriteStartObject();
            w.WriteString("path", stream.Path);
            w.WriteString("link_type", stream.LinkType);
            w.WriteString("acked_offset", stream.AckedOffset);
            w.WriteString("tail_offset", stream.TailOffset);
            w.WriteBoolean("has_pending", stream.HasPending);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static byte[] Claim(Subscription sub, string token) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("wake_id", sub.WakeId);
        w.WriteNumber("generation", sub.Generation);
        w.WriteString("token", token);
        WakeStreams(w, sub.Snapshot ?? []);
        w.WriteNumber("lease_ttl_ms", sub.Config.LeaseTtlMs);
        w.WriteEndObject();
    });

    public static byte[] Webhook(Subscription sub, string callbackToken) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("subscription_id", sub.Id);
        w.WriteString("wake_id", sub.WakeId);
        w.WriteNumber("generation", sub.Generation);
        WakeStreams(w, sub.Snapshot ?? []);
        w.WriteString("callback_url", sub.Origin + sub.Root + "/__ds/subscriptions/" + Uri.EscapeDataString(sub.Id) + "/callback");
        w.WriteString("callback_token", callbackToken);
        w.WriteEndObject();
    });

    /// <summary>A wake event for a pull-wake subscription's wake stream (§7.2).</summary>
    public static byte[] WakeEvent(Subscription sub, string stream, long unixMs) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "wake");
        w.WriteString("subscription_id", sub.Id);
        w.WriteString("stream", stream);
        w.WriteNumber("generation", sub.Generation);
        w.WriteString("wake_id", sub.WakeId);
        w.WriteNumber("ts", unixMs);
        w.WriteEndObject();
    });

    public static byte[] Ok(bool nextWake) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("ok", true);
        w.WriteBoolean("next_wake", nextWake);
        w.WriteEndObject();
    });

    public static byte[] Error(string code, string? message, string? holder = null, long? generation = null) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("code", code);
        if (message is not null) w.WriteString("message", message);
        if (holder is not null) w.WriteString("current_holder", holder);
        if (generation is { } g) w.WriteNumber("generation", g);
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
