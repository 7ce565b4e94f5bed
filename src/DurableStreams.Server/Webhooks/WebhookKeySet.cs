using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Text.Json;
using NSec.Cryptography;

namespace DurableStreams.Server.Webhooks;

/// <summary>
/// The server's webhook signing keys (§6.5), fetched from its JWKS and cached for the response's
/// <c>Cache-Control: max-age</c>. A key id it does not know triggers one re-fetch (the server rotated its key),
/// at most once per <see cref="DurableStreamsWebhookOptions.KeyRefreshInterval"/>, so forged key ids cannot make
/// the receiver hammer the server. A failed fetch keeps the keys it had.
/// </summary>
internal sealed class WebhookKeySet
{
    private const int MaxJwksBytes = 256 * 1024;
    private static readonly TimeSpan MaxCacheDuration = TimeSpan.FromDays(1);

    private readonly Func<HttpClient> _httpClientSource;
    private readonly DurableStreamsWebhookOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _snapshot;
    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;
    private DateTimeOffset _lastFailure = DateTimeOffset.MinValue;
    private int _fetches;

    public WebhookKeySet(Func<HttpClient> httpClientSource, Uri jwksUrl, DurableStreamsWebhookOptions options)
    {
        _httpClientSource = httpClientSource;
        JwksUrl = jwksUrl;
        _options = options;
    }

    public Uri JwksUrl { get; }

    /// <summary>How many times the JWKS was requested (successfully or not).</summary>
    public int FetchCount => Volatile.Read(ref _fetches);

    public async ValueTask<KeyLookup> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        if (_snapshot is { } current && time.GetUtcNow() < current.ExpiresAt && current.Keys.TryGetValue(keyId, out var cached))
            return new KeyLookup(KeyLookupStatus.Found, cached);

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            var snapshot = _snapshot;
            var fresh = snapshot is not null && now < snapshot.ExpiresAt;
            if (fresh && snapshot!.Keys.TryGetValue(keyId, out var key)) return new KeyLookup(KeyLookupStatus.Found, key);

            // Expired (or never fetched): fetch, unless a fetch just failed. Fresh but the key id is unknown:
            // the server may have rotated; re-fetch once per refresh interval.
            var interval = _options.KeyRefreshInterval;
            var mayFetch = fresh ? now - _lastForcedRefresh >= interval : now - _lastFailure >= interval;
            if (mayFetch)
            {
                if (fresh) _lastForcedRefresh = now;
                try
                {
                    snapshot = _snapshot = await FetchAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidDataException or OperationCanceledException
                                           && !cancellationToken.IsCancellationRequested)
                {
                    _lastFailure = now;
                    if (snapshot is null) return new KeyLookup(KeyLookupStatus.Unavailable, null) { Error = ex };
                }
            }
            if (snapshot is null) return new KeyLookup(KeyLookupStatus.Unavailable, null);
            return snapshot.Keys.TryGetValue(keyId, out key)
                ? new KeyLookup(KeyLookupStatus.Found, key)
                : new KeyLookup(KeyLookupStatus.Unknown, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Snapshot> FetchAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.KeyFetchTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, JwksUrl);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/jwk-set+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _httpClientSource()
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET {JwksUrl} answered {(int)response.StatusCode}.", null, response.StatusCode);
        if (response.Content.Headers.ContentLength > MaxJwksBytes)
            throw new InvalidDataException($"The JWKS at {JwksUrl} is larger than {MaxJwksBytes} bytes.");

        var body = new MemoryStream();
        await using (var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false))
        {
            var buffer = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > MaxJwksBytes)
                    throw new InvalidDataException($"The JWKS at {JwksUrl} is larger than {MaxJwksBytes} bytes.");
                body.Write(buffer, 0, read);
            }
        }
        var document = JsonSerializer.Deserialize(body.GetBuffer().AsSpan(0, (int)body.Length), WebhookJsonContext.Default.JwksDocument)
            ?? throw new InvalidDataException($"The JWKS at {JwksUrl} is null.");

        var keys = new Dictionary<string, PublicKey>(StringComparer.Ordinal);
        foreach (var jwk in document.Keys ?? [])
            if (TryImport(jwk, out var kid, out var key)) keys[kid] = key;

        var lifetime = response.Headers.CacheControl?.MaxAge ?? _options.DefaultKeyCacheDuration;
        if (response.Headers.CacheControl is { NoStore: true } or { NoCache: true }) lifetime = TimeSpan.Zero;
        if (lifetime > MaxCacheDuration) lifetime = MaxCacheDuration;
        return new Snapshot(keys, _options.TimeProvider.GetUtcNow() + lifetime);
    }

    /// <summary>An Ed25519 public key (kty OKP, crv Ed25519, 32 bytes in x) meant for signatures; others are skipped.</summary>
    internal static bool TryImport(JwkEntry jwk, out string kid, out PublicKey key)
    {
        kid = jwk.Kid ?? "";
        key = null!;
        if (kid.Length == 0 || jwk.Kty != "OKP" || jwk.Crv != "Ed25519" || jwk.X is null) return false;
        if (jwk.Use is not null && jwk.Use != "sig") return false;
        Span<byte> raw = stackalloc byte[48];
        if (jwk.X.Length > 64 || Base64Url.DecodeFromChars(jwk.X, raw, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != jwk.X.Length || written != 32) return false;
        return PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw[..32], KeyBlobFormat.RawPublicKey, out key!);
    }

    private sealed record Snapshot(Dictionary<string, PublicKey> Keys, DateTimeOffset ExpiresAt);
}

internal enum KeyLookupStatus { Found, Unknown, Unavailable }

internal readonly record struct KeyLookup(KeyLookupStatus Status, PublicKey? Key)
{
    public Exception? Error { get; init; }
}
