using System.Text.Json.Serialization;

namespace DurableStreams.Server.Webhooks;

/// <summary>A JSON Web Key Set as a Durable Streams server publishes it (§6.5); only what verification needs.</summary>
internal sealed class JwksDocument
{
    [JsonPropertyName("keys")] public List<JwkEntry>? Keys { get; set; }
}

internal sealed class JwkEntry
{
    [JsonPropertyName("kty")] public string? Kty { get; set; }
    [JsonPropertyName("crv")] public string? Crv { get; set; }
    [JsonPropertyName("kid")] public string? Kid { get; set; }
    [JsonPropertyName("use")] public string? Use { get; set; }
    [JsonPropertyName("x")] public string? X { get; set; }
}

/// <summary>The wake notification body (§7.1) as sent; mapped to <see cref="WebhookWake"/> after checks.</summary>
internal sealed class WakeNotificationDto
{
    [JsonPropertyName("subscription_id")] public string? SubscriptionId { get; set; }
    [JsonPropertyName("wake_id")] public string? WakeId { get; set; }
    [JsonPropertyName("generation")] public long? Generation { get; set; }
    [JsonPropertyName("streams")] public List<WakeStreamDto>? Streams { get; set; }
    [JsonPropertyName("callback_url")] public string? CallbackUrl { get; set; }
    [JsonPropertyName("callback_token")] public string? CallbackToken { get; set; }
}

internal sealed class WakeStreamDto
{
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("link_type")] public string? LinkType { get; set; }
    [JsonPropertyName("acked_offset")] public string? AckedOffset { get; set; }
    [JsonPropertyName("tail_offset")] public string? TailOffset { get; set; }
    [JsonPropertyName("has_pending")] public bool? HasPending { get; set; }
}

/// <summary>What the receiver answers the server: <c>{"done": true}</c> finishes the wake (§7.1).</summary>
internal sealed class WebhookReplyDto
{
    [JsonPropertyName("done")] public bool Done { get; set; }
}

[JsonSerializable(typeof(JwksDocument))]
[JsonSerializable(typeof(WakeNotificationDto))]
[JsonSerializable(typeof(WebhookReplyDto))]
[JsonSourceGenerationOptions(AllowTrailingCommas = false, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
