using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DurableStreams.Server.Subscriptions;

/// <summary>An ack entry: the stream's root-relative path and the last processed offset (inclusive).</summary>
internal readonly record struct StreamAck(string Stream, string Offset);

/// <summary>The body of ack, callback and release (§7.1-7.2).</summary>
internal sealed record WakeRequest(string? WakeId, long? Generation, IReadOnlyList<StreamAck> Acks, bool Done);

/// <summary>A request the protocol refuses: status, error code and message.</summary>
internal sealed record SubscriptionError(int Status, string Code, string Message);

/// <summary>Parses and validates subscription request bodies (JsonDocument: no reflection, AOT safe).</summary>
internal static class SubscriptionRequests
{
    public const int DefaultLeaseTtlMs = 30_000;

    public static SubscriptionError Invalid(string message) => new(400, "INVALID_REQUEST", message);

    public static (SubscriptionConfig? Config, SubscriptionError? Error) ParseConfig(byte[] body)
    {
        if (!TryParse(body, out var document)) return (null, Invalid("Body must be a JSON object"));
        using (document)
        {
            var root = document!.RootElement;
            var type = String(root, "type");
            if (type is not (SubscriptionConfig.WebhookType or SubscriptionConfig.PullWakeType))
                return (null, Invalid("type must be \"webhook\" or \"pull-wake\""));
            var pattern = String(root, "pattern");
            if (pattern is not null && !GlobPattern.IsValid(pattern)) return (null, Invalid("pattern is not a valid glob"));
            var streams = new SortedSet<string>(StringComparer.Ordinal);
            if (root.TryGetProperty("streams", out var list) && list.ValueKind != JsonValueKind.Null)
            {
                if (list.ValueKind != JsonValueKind.Array) return (null, Invalid("streams must be an array of paths"));
                foreach (var item in list.EnumerateArray())
                {
                    if (NormalizePath(item.ValueKind == JsonValueKind.String ? item.GetString() : null) is not { } path)
                        return (null, Invalid("streams must be an array of stream-root-relative paths"));
                    streams.Add(path);
                }
            }
            if (pattern is null && streams.Count == 0) return (null, Invalid("pattern or streams is required"));

            string? webhookUrl = null, wakeStream = null;
            if (type == SubscriptionConfig.WebhookType)
            {
                webhookUrl = root.TryGetProperty("webhook", out var webhook) && webhook.ValueKind == JsonValueKind.Object
                    ? String(webhook, "url") : null;
                if (webhookUrl is null) return (null, Invalid("webhook.url is required for a webhook subscription"));
            }
            else
            {
                wakeStream = NormalizePath(String(root, "wake_stream"));
                if (wakeStream is null) return (null, Invalid("wake_stream is required for a pull-wake subscription"));
            }

            var leaseTtl = DefaultLeaseTtlMs;
            if (root.TryGetProperty("lease_ttl_ms", out var ttl) && ttl.ValueKind != JsonValueKind.Null)
            {
                if (ttl.ValueKind != JsonValueKind.Number || !ttl.TryGetInt32(out leaseTtl) || leaseTtl is < 1_000 or > 600_000)
                    return (null, Invalid("lease_ttl_ms must be an integer from 1000 to 600000"));
            }
            var description = String(root, "description");
            var normalized = new List<string>(streams);
            var hash = Hash(type, pattern, normalized, webhookUrl, wakeStream, leaseTtl, description);
            return (new SubscriptionConfig(type, pattern, normalized, webhookUrl, wakeStream, leaseTtl, description, hash), null);
        }
    }

    /// <summary>The "streams" array of POST .../streams.</summary>
    public static IReadOnlyList<string>? ParseStreams(byte[] body)
    {
        if (!TryParse(body, out var document)) return null;
        using (document)
        {
            if (!document!.RootElement.TryGetProperty("streams", out var list) || list.ValueKind != JsonValueKind.Array) return null;
            var result = new List<string>();
            foreach (var item in list.EnumerateArray())
            {
                if (NormalizePath(item.ValueKind == JsonValueKind.String ? item.GetString() : null) is not { } path) return null;
                result.Add(path);
            }
            return result;
        }
    }

    public static string? ParseWorker(byte[] body)
    {
        if (body.Length == 0 || !TryParse(body, out var document)) return null;
        using (document) return String(document!.RootElement, "worker");
    }

    public static WakeRequest? ParseWake(byte[] body)
    {
        if (!TryParse(body, out var document)) return null;
        using (document)
        {
            var root = document!.RootElement;
            long? generation = root.TryGetProperty("generation", out var g) && g.ValueKind == JsonValueKind.Number && g.TryGetInt64(out var n) ? n : null;
            var acks = new List<StreamAck>();
            if (root.TryGetProperty("acks", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object) return null;
                    if (NormalizePath(String(item, "stream")) is not { } stream || String(item, "offset") is not { } offset) return null;
                    acks.Add(new(stream, offset));
                }
            }
            var done = root.TryGetProperty("done", out var d) && d.ValueKind == JsonValueKind.True;
            return new(String(root, "wake_id"), generation, acks, done);
        }
    }

    /// <summary>Whether a webhook response body says <c>{"done": true}</c>.</summary>
    public static bool IsDone(byte[] body)
    {
        if (!TryParse(body, out var document)) return false;
        using (document)
            return document!.RootElement.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.True;
    }

    /// <summary>A stream-root-relative path without leading or trailing slashes, or null when unusable.</summary>
    public static string? NormalizePath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return null;
        var trimmed = path.Trim('/');
        if (trimmed.Length == 0 || trimmed.Split('/').Any(segment => segment is "" or "." or "..")) return null;
        return trimmed;
    }

    private static bool TryParse(byte[] body, out JsonDocument? document)
    {
        document = null;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return false;
        }
        if (document.RootElement.ValueKind == JsonValueKind.Object) return true;
        document.Dispose();
        document = null;
        return false;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Hash(string type, string? pattern, List<string> streams, string? url, string? wake, int ttl, string? description)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("pattern", pattern);
            writer.WriteStartArray("streams");
            foreach (var stream in streams) writer.WriteStringValue(stream);
            writer.WriteEndArray();
            writer.WriteString("webhook_url", url);
            writer.WriteString("wake_stream", wake);
            writer.WriteNumber("lease_ttl_ms", ttl);
            writer.WriteString("description", description);
            writer.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
