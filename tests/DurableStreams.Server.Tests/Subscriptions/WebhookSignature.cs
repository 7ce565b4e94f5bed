using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NSec.Cryptography;

namespace DurableStreams.Server.Tests.Subscriptions;

/// <summary>A receiver's check of <c>Webhook-Signature</c> against a JWK Set, written from §7.1 and RFC 7638 (not from the server's code).</summary>
internal static partial class WebhookSignature
{
    [GeneratedRegex("^t=(\\d+),kid=([^,]+),ed25519=([A-Za-z0-9_-]+)$")]
    private static partial Regex Header();

    public static bool Verify(JsonElement jwks, string header, string body)
    {
        var match = Header().Match(header);
        if (!match.Success) return false;
        var key = jwks.GetProperty("keys").EnumerateArray()
            .SingleOrDefault(k => k.GetProperty("kid").GetString() == match.Groups[2].Value);
        if (key.ValueKind != JsonValueKind.Object || key.GetProperty("kty").GetString() != "OKP" || key.GetProperty("crv").GetString() != "Ed25519")
            return false;
        var x = key.GetProperty("x").GetString()!;
        // The kid is derived from the key: "ds_" + its RFC 7638 thumbprint.
        var thumbprint = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"Ed25519","kty":"OKP","x":"{{x}}"}""")));
        if (match.Groups[2].Value != "ds_" + thumbprint) return false;
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, Base64Url.DecodeFromChars(x), KeyBlobFormat.RawPublicKey);
        var signed = Encoding.UTF8.GetBytes(match.Groups[1].Value + "." + body);
        return SignatureAlgorithm.Ed25519.Verify(publicKey, signed, Base64Url.DecodeFromChars(match.Groups[3].Value));
    }
}
