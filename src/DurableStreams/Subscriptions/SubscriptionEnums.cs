using System.Text.Json.Serialization;

namespace DurableStreams.Subscriptions;

/// <summary>How a subscription delivers its wakes (<c>type</c> on the wire).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubscriptionType>))]
public enum SubscriptionType
{
    /// <summary>The server writes wake events to a wake stream; workers tail it and claim (<c>pull-wake</c>).</summary>
    [JsonStringEnumMemberName("pull-wake")] PullWake,
    /// <summary>The server POSTs each wake, signed, to a webhook URL (<c>webhook</c>).</summary>
    [JsonStringEnumMemberName("webhook")] Webhook,
}

/// <summary>Why a stream belongs to a subscription (<c>link_type</c> on the wire).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubscriptionLinkType>))]
public enum SubscriptionLinkType
{
    /// <summary>The subscription's glob <c>pattern</c> matched the stream (<c>glob</c>).</summary>
    [JsonStringEnumMemberName("glob")] Glob,
    /// <summary>The stream was named in <c>streams</c> or added later (<c>explicit</c>); wins over <see cref="Glob"/> when both apply.</summary>
    [JsonStringEnumMemberName("explicit")] Explicit,
}

/// <summary>Delivery health of a subscription (<c>status</c> on the wire).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubscriptionStatus>))]
public enum SubscriptionStatus
{
    /// <summary>Delivery operates normally (<c>active</c>).</summary>
    [JsonStringEnumMemberName("active")] Active,
    /// <summary>A webhook delivery failed and a retry is scheduled (<c>failed</c>).</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}
