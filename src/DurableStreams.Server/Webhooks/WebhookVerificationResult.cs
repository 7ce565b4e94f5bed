namespace DurableStreams.Server.Webhooks;

/// <summary>Why a webhook request was refused before any handler ran.</summary>
public enum WebhookRejection
{
    /// <summary>Not refused: the signature is valid.</summary>
    None = 0,

    /// <summary>No <c>Webhook-Signature</c> header.</summary>
    MissingSignature,

    /// <summary>The header is not <c>t=&lt;seconds&gt;,kid=&lt;id&gt;,ed25519=&lt;base64url&gt;</c> with a 64-byte signature.</summary>
    MalformedSignature,

    /// <summary>No key with the header's <c>kid</c> in the server's JWKS, even after a re-fetch.</summary>
    UnknownKey,

    /// <summary>The Ed25519 signature does not verify over <c>&lt;t&gt;.&lt;raw body&gt;</c>.</summary>
    BadSignature,

    /// <summary>The timestamp is older than the replay window.</summary>
    StaleTimestamp,

    /// <summary>The timestamp is further in the future than the allowed clock skew.</summary>
    FutureTimestamp,

    /// <summary>The very same signed request was already accepted within the replay window.</summary>
    Replayed,

    /// <summary>The server's JWKS could not be fetched, so nothing can be verified (answered 503: the server retries).</summary>
    KeysUnavailable,
}

/// <summary>The outcome of <see cref="WebhookSignatureVerifier.VerifyAsync"/>.</summary>
/// <param name="Rejection"><see cref="WebhookRejection.None"/> when the request is authentic.</param>
/// <param name="KeyId">The header's <c>kid</c>, when the header could be parsed.</param>
/// <param name="Timestamp">The header's timestamp, when the header could be parsed.</param>
public readonly record struct WebhookVerificationResult(WebhookRejection Rejection, string? KeyId, DateTimeOffset? Timestamp)
{
    /// <summary>Whether the request is authentic, fresh and not a replay.</summary>
    public bool IsValid => Rejection == WebhookRejection.None;

    /// <summary>The signature text that the replay memory recorded (to forget it if the wake fails).</summary>
    internal string? Signature { get; init; }

    /// <summary>Why the keys were unavailable, for the log.</summary>
    internal Exception? Error { get; init; }
}
