using System.Buffers;
using System.Globalization;
using NSec.Cryptography;

namespace DurableStreams.Server.Webhooks;

/// <summary>
/// Verifies the <c>Webhook-Signature</c> of a wake notification (§7.1, §12.10): an Ed25519 signature over
/// <c>&lt;t&gt;.&lt;raw body&gt;</c> by the key whose <c>kid</c> the header names, taken from the server's JWKS; the
/// timestamp inside the replay window; and, optionally, the very same request not seen before within it.
/// <c>MapDurableStreamsWebhook</c> uses one per endpoint; use one directly to verify inside your own endpoint.
/// </summary>
/// <remarks>
/// .NET has no Ed25519, so verification uses NSec.Cryptography, the maintained .NET binding of libsodium (MIT,
/// trimming- and Native AOT-compatible). Thread-safe; keep one per server you receive from, so its key cache lives.
/// </remarks>
public sealed class WebhookSignatureVerifier
{
    private readonly DurableStreamsWebhookOptions _options;
    private readonly ReplayGuard? _replays;

    /// <summary>A verifier fetching the JWKS with <paramref name="httpClient"/> (not disposed by the verifier).</summary>
    /// <exception cref="ArgumentException">The options name no JWKS, or a value is out of range.</exception>
    public WebhookSignatureVerifier(HttpClient httpClient, DurableStreamsWebhookOptions options)
        : this(() => httpClient, options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
    }

    /// <summary>
    /// A verifier asking <paramref name="httpClientSource"/> for an <see cref="HttpClient"/> for each JWKS request
    /// (as <c>IHttpClientFactory.CreateClient(name)</c> is meant to be used).
    /// </summary>
    /// <exception cref="ArgumentException">The options name no JWKS, or a value is out of range.</exception>
    public WebhookSignatureVerifier(Func<HttpClient> httpClientSource, DurableStreamsWebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClientSource);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException(ex.Message, nameof(options), ex);
        }
        _options = options;
        Keys = new WebhookKeySet(httpClientSource, options.ResolveJwksUrl(), options);
        if (options.RejectReplays) _replays = new ReplayGuard(options.ReplayMemoryCapacity);
    }

    /// <summary>The JWKS the keys come from.</summary>
    public Uri JwksUrl => Keys.JwksUrl;

    internal WebhookKeySet Keys { get; }

    internal ReplayGuard? Replays => _replays;

    /// <summary>Verifies one request: its <c>Webhook-Signature</c> header value and its exact body bytes.</summary>
    /// <param name="signatureHeader">The header value, or <see langword="null"/> when the request has none.</param>
    /// <param name="body">The raw request body, byte for byte as received.</param>
    /// <param name="cancellationToken">Cancels a JWKS fetch.</param>
    public async ValueTask<WebhookVerificationResult> VerifyAsync(string? signatureHeader, ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken = default)
    {
        if (signatureHeader is null) return new(WebhookRejection.MissingSignature, null, null);
        if (!WebhookSignatureHeader.TryParse(signatureHeader, out var header)) return new(WebhookRejection.MalformedSignature, null, null);

        // Out-of-range timestamps fail before any key lookup: stale requests cost no JWKS traffic.
        DateTimeOffset timestamp;
        try
        {
            timestamp = DateTimeOffset.FromUnixTimeSeconds(header.Timestamp);
        }
        catch (ArgumentOutOfRangeException)
        {
            return new(WebhookRejection.MalformedSignature, header.KeyId, null);
        }
        var now = _options.TimeProvider.GetUtcNow();
        if (timestamp < now - _options.ReplayWindow) return new(WebhookRejection.StaleTimestamp, header.KeyId, timestamp);
        if (timestamp > now + _options.AllowedClockSkew) return new(WebhookRejection.FutureTimestamp, header.KeyId, timestamp);

        var lookup = await Keys.FindAsync(header.KeyId, cancellationToken).ConfigureAwait(false);
        if (lookup.Status == KeyLookupStatus.Unavailable)
            return new(WebhookRejection.KeysUnavailable, header.KeyId, timestamp) { Error = lookup.Error };
        if (lookup.Status == KeyLookupStatus.Unknown) return new(WebhookRejection.UnknownKey, header.KeyId, timestamp);

        if (!Verify(lookup.Key!, header, body.Span)) return new(WebhookRejection.BadSignature, header.KeyId, timestamp);

        if (_replays is not null &&
            !_replays.TryRecord(header.SignatureText, timestamp + _options.ReplayWindow, _options.TimeProvider.GetUtcNow()))
            return new(WebhookRejection.Replayed, header.KeyId, timestamp);

        return new(WebhookRejection.None, header.KeyId, timestamp) { Signature = header.SignatureText };
    }

    /// <summary>Forgets an accepted request whose handling failed, so that the server's retry is accepted.</summary>
    internal void Forget(in WebhookVerificationResult result)
    {
        if (result.Signature is { } signature) _replays?.Forget(signature);
    }

    private static bool Verify(PublicKey key, in WebhookSignatureHeader header, ReadOnlySpan<byte> body)
    {
        // The signed message is "<t>.<body>": the decimal timestamp as sent, a dot, the raw bytes.
        Span<byte> prefix = stackalloc byte[24];
        header.Timestamp.TryFormat(prefix, out var digits, default, CultureInfo.InvariantCulture);
        prefix[digits++] = (byte)'.';
        var length = digits + body.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            prefix[..digits].CopyTo(rented);
            body.CopyTo(rented.AsSpan(digits));
            return SignatureAlgorithm.Ed25519.Verify(key, rented.AsSpan(0, length), header.Signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
