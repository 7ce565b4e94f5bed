using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace DurableStreams.Subscriptions;

/// <summary>
/// Source-generated JSON metadata for the subscription wire models (snake_case names, offsets as strings), for code
/// that reads or writes them itself, such as a webhook receiver decoding <see cref="SubscriptionWebhookNotification"/>.
/// </summary>
public static class SubscriptionJson
{
    /// <summary>A webhook wake body.</summary>
    public static JsonTypeInfo<SubscriptionWebhookNotification> WebhookNotification => SubscriptionJsonContext.Default.SubscriptionWebhookNotification;

    /// <summary>A wake event of a wake stream.</summary>
    public static JsonTypeInfo<SubscriptionWakeEvent> WakeEvent => SubscriptionJsonContext.Default.SubscriptionWakeEvent;

    /// <summary>A subscription as the server reports it.</summary>
    public static JsonTypeInfo<Subscription> Subscription => SubscriptionJsonContext.Default.Subscription;

    /// <summary>A subscription definition as sent on create.</summary>
    public static JsonTypeInfo<SubscriptionDefinition> Definition => SubscriptionJsonContext.Default.SubscriptionDefinition;

    /// <summary>A claim answer.</summary>
    public static JsonTypeInfo<SubscriptionClaim> Claim => SubscriptionJsonContext.Default.SubscriptionClaim;

    /// <summary>An ack or callback answer.</summary>
    public static JsonTypeInfo<SubscriptionAckResult> AckResult => SubscriptionJsonContext.Default.SubscriptionAckResult;
}

// Request bodies only the client writes.
internal sealed record ClaimRequest(string Worker);
internal sealed record AckRequest(string WakeId, long Generation, IReadOnlyList<SubscriptionAck>? Acks, bool? Done);
internal sealed record ReleaseRequest(string WakeId, long Generation);
internal sealed record StreamsRequest(IReadOnlyList<string> Streams);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(WireOffsetConverter)])]
[JsonSerializable(typeof(SubscriptionDefinition))]
[JsonSerializable(typeof(Subscription))]
[JsonSerializable(typeof(SubscriptionClaim))]
[JsonSerializable(typeof(SubscriptionAckResult))]
[JsonSerializable(typeof(SubscriptionWakeEvent))]
[JsonSerializable(typeof(SubscriptionWebhookNotification))]
[JsonSerializable(typeof(ClaimRequest))]
[JsonSerializable(typeof(AckRequest))]
[JsonSerializable(typeof(ReleaseRequest))]
[JsonSerializable(typeof(StreamsRequest))]
internal sealed partial class SubscriptionJsonContext : JsonSerializerContext;

/// <summary>
/// An offset as the subscription APIs carry it: the bare server token. A position with a skip exists only on the
/// client (it is not a place the server knows), so it cannot be acked.
/// </summary>
internal sealed class WireOffsetConverter : JsonConverter<Offset>
{
    public override Offset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return string.IsNullOrEmpty(text) ? Offset.Beginning : new Offset(text);
    }

    public override void Write(Utf8JsonWriter writer, Offset value, JsonSerializerOptions options)
    {
        if (value.Skip != 0)
            throw new ArgumentException($"Offset '{value}' lies inside a delivery; only server-issued offsets can be acked.");
        writer.WriteStringValue(value.Value);
    }
}
