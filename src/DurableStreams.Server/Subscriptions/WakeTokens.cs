using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DurableStreams.Server.Subscriptions;

/// <summary>
/// Claim and callback bearer tokens (§12.9): HMAC-SHA256 over the subscription, generation and wake id, with a
/// per-process key, so a token names exactly one wake and a restart invalidates every outstanding token.
/// </summary>
internal sealed class WakeTokens
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Issue(string subscriptionKey, long generation, string wakeId)
    {
        var payload = Encoding.UTF8.GetBytes(Payload(subscriptionKey, generation, wakeId));
        return Base64Url(payload) + "." + Base64Url(HMACSHA256.HashData(_key, payload));
    }

    /// <summary>The generation and wake id a token was issued for, when it is genuine and for this subscription.</summary>
    public bool TryRead(string? token, string subscriptionKey, out long generation, out string wakeId)
    {
        generation = 0;
        wakeId = "";
        if (string.IsNullOrEmpty(token)) return false;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0) return false;
        byte[] payload, mac;
        try
        {
            payload = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            mac = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return false;
        }
        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, payload))) return false;
        var parts = Encoding.UTF8.GetString(payload).Split('\n');
        if (parts.Length != 3 || parts[0] != subscriptionKey) return false;
        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out generation)) return false;
        wakeId = parts[2];
        return true;
    }

    private static string Payload(string key, long generation, string wakeId) =>
        key + "\n" + generation.ToString(CultureInfo.InvariantCulture) + "\n" + wakeId;

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
