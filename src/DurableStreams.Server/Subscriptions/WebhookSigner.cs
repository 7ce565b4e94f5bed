using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NSec.Cryptography;

namespace DurableStreams.Server.Subscriptions;

/// <summary>
/// The server's Ed25519 webhook signing key (§6.5, §7.1), through NSec (libsodium): .NET has no Ed25519.
/// The kid is "ds_" + the key's RFC 7638 JWK thumbprint, so it is stable for the key and derived from it.
/// </summary>
internal sealed class WebhookSigner : IDisposable
{
    public const string KeyFileName = "webhook-signing.key";
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    private readonly Key _key;

    public WebhookSigner(byte[] seed)
    {
        _key = Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey);
        var publicKey = _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        X = Base64Url.EncodeToString(publicKey);
        // RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
        var canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + X + "\"}";
        KeyId = "ds_" + Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        Jwks = BuildJwks(KeyId, X);
    }

    /// <summary>The key from the options, else the file store's persisted key (created once), else a new one.</summary>
    public static WebhookSigner Create(DurableStreamsServerOptions options)
    {
        if (options.Subscriptions.WebhookSigningKey is { } configured)
        {
            if (configured.Length != 32) throw new InvalidOperationException("Subscriptions.WebhookSigningKey must be a 32-byte Ed25519 seed.");
            return new WebhookSigner(configured);
        }
        if (options.Store == DurableStreamsStoreKind.File && options.DataDirectory is { } directory)
        {
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, KeyFileName);
            if (File.Exists(path) && File.ReadAllBytes(path) is { Length: 32 } stored) return new WebhookSigner(stored);
            var seed = RandomNumberGenerator.GetBytes(32);
            var temporary = path + ".tmp";
            var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            // The private key is readable by its owner only.
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(temporary, create))
            {
                file.Write(seed);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
            return new WebhookSigner(seed);
        }
        return new WebhookSigner(RandomNumberGenerator.GetBytes(32));
    }

    public string KeyId { get; }

    /// <summary>The public key, unpadded base64url (the JWK's "x").</summary>
    public string X { get; }

    /// <summary>The JWK Set document served at <c>__ds/jwks.json</c>.</summary>
    public byte[] Jwks { get; }

    /// <summary>The <c>Webhook-Signature</c> header for a body sent at <paramref name="unixSeconds"/>.</summary>
    public string Sign(long unixSeconds, ReadOnlySpan<byte> body)
    {
        var timestamp = unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var prefix = Encoding.ASCII.GetBytes(timestamp + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var signature = Algorithm.Sign(_key, message);
        return $"t={timestamp},kid={KeyId},ed25519={Base64Url.EncodeToString(signature)}";
    }

    public void Dispose() => _key.Dispose();

    private static byte[] BuildJwks(string kid, string x)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            writer.WriteStartObject();
            writer.WriteString("kty", "OKP");
            writer.WriteString("crv", "Ed25519");
            writer.WriteString("kid", kid);
            writer.WriteString("use", "sig");
            writer.WriteString("alg", "EdDSA");
            writer.WriteString("x", x);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
