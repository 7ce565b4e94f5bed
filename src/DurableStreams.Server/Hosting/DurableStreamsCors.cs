using DurableStreams.Server.Protocol;
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace DurableStreams.Server;

/// <summary>
/// CORS for the protocol: the policy <c>AddDurableStreamsServer</c> registers and <c>MapDurableStreams</c>
/// requires, and the protocol's methods and headers for apps that build their own policy.
/// </summary>
public static class DurableStreamsCors
{
    /// <summary>
    /// The name of the policy <c>AddDurableStreamsServer</c> registers: any origin (no credentials) unless
    /// <see cref="DurableStreamsServerOptions.ConfigureCorsPolicy"/> chooses the origins.
    /// </summary>
    public const string DefaultPolicyName = "DurableStreams";

    /// <summary>The methods the protocol uses.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"];

    /// <summary>The request headers a browser client may send (beyond the CORS-safelisted ones).</summary>
    public static IReadOnlyList<string> RequestHeaders { get; } =
    [
        "Content-Type", "Authorization", "If-None-Match", StreamHeaders.Seq, StreamHeaders.Ttl, StreamHeaders.ExpiresAt, StreamHeaders.Closed,
        StreamHeaders.ProducerId, StreamHeaders.ProducerEpoch, StreamHeaders.ProducerSeq,
        StreamHeaders.ForkedFrom, StreamHeaders.ForkOffset, StreamHeaders.ForkSubOffset,
    ];

    /// <summary>The response headers a browser client must be able to read.</summary>
    public static IReadOnlyList<string> ExposedHeaders { get; } =
    [
        StreamHeaders.NextOffset, StreamHeaders.Cursor, StreamHeaders.UpToDate, StreamHeaders.Closed,
        StreamHeaders.ProducerEpoch, StreamHeaders.ProducerSeq, StreamHeaders.ProducerExpectedSeq, StreamHeaders.ProducerReceivedSeq,
        StreamHeaders.Ttl, StreamHeaders.ExpiresAt, StreamHeaders.SseDataEncoding, "ETag", "Content-Type", "Location",
    ];

    /// <summary>
    /// Allows the protocol's <see cref="Methods"/> and <see cref="RequestHeaders"/> and exposes its
    /// <see cref="ExposedHeaders"/>; origins (and credentials) are left to the caller.
    /// </summary>
    public static CorsPolicyBuilder WithDurableStreamsProtocol(this CorsPolicyBuilder policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.WithMethods([.. Methods]).WithHeaders([.. RequestHeaders]).WithExposedHeaders([.. ExposedHeaders]);
    }
}
