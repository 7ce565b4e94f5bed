using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Text;
using NSec.Cryptography;

namespace DurableStreams.Server.Tests.Webhooks;

/// <summary>An Ed25519 signing key made in the test, signing the way a Durable Streams server does (§7.1).</summary>
internal sealed class TestSigningKey : IDisposable
{
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519,
        new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    public TestSigningKey(string kid) => Kid = kid;

    public string Kid { get; }

    public string X => Base64Url.EncodeToString(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    public string Jwk => $$"""{"kty":"OKP","crv":"Ed25519","kid":"{{Kid}}","use":"sig","alg":"EdDSA","x":"{{X}}"}""";

    public byte[] SignRaw(long timestamp, byte[] body)
    {
        var message = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".").Concat(body).ToArray();
        return SignatureAlgorithm.Ed25519.Sign(_key, message);
    }

    /// <summary>The <c>Webhook-Signature</c> header value for <paramref name="body"/> at <paramref name="time"/>.</summary>
    public string Sign(DateTimeOffset time, byte[] body, string? kid = null) =>
        $"t={time.ToUnixTimeSeconds()},kid={kid ?? Kid},ed25519={Base64Url.EncodeToString(SignRaw(time.ToUnixTimeSeconds(), body))}";

    public void Dispose() => _key.Dispose();
}

/// <summary>Serves a JWKS whose keys the test changes (rotation), counting requests.</summary>
internal sealed class JwksHandler : HttpMessageHandler
{
    private volatile string _keys = "";
    private int _requests;

    public JwksHandler(params TestSigningKey[] keys) => Publish(keys);

    public string CacheControl { get; set; } = "public, max-age=300";

    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    public int Requests => Volatile.Read(ref _requests);

    public void Publish(params TestSigningKey[] keys) => _keys = string.Join(",", keys.Select(k => k.Jwk));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var response = new HttpResponseMessage(Status)
        {
            Content = new StringContent("{\"keys\":[" + _keys + "]}", Encoding.UTF8, "application/jwk-set+json"),
        };
        response.Headers.TryAddWithoutValidation("Cache-Control", CacheControl);
        return Task.FromResult(response);
    }
}
