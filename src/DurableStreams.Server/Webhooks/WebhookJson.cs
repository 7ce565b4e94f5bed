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

/// <summary>What the receiver answers the server: <c>{"done": true}</c> finishes the wake (§7.1).</summary>
internal sealed class WebhookReplyDto
{
    [JsonPropertyName("done")] public bool Done { get; set; }
}

[JsonSerializable(typeof(JwksDocument))]
[JsonSerializable(typeof(WebhookReplyDto))]
[JsonSourceGenerationOptions(AllowTrailingCommas = false, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
