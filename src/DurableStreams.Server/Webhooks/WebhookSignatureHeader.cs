using System.Buffers.Text;
using System.Globalization;

namespace DurableStreams.Server.Webhooks;

/// <summary>
/// The parsed <c>Webhook-Signature</c> header (§7.1): <c>t=&lt;unix seconds&gt;,kid=&lt;key id&gt;,ed25519=&lt;base64url&gt;</c>.
/// Each of the three parameters must appear exactly once; parameters with other names are ignored, so a server
/// may add more later.
/// </summary>
internal readonly record struct WebhookSignatureHeader(long Timestamp, string KeyId, byte[] Signature)
{
    public const string HeaderName = "Webhook-Signature";

    /// <summary>An Ed25519 signature is 64 bytes.</summary>
    public const int SignatureLength = 64;

    // A signature header is short; anything far longer is not one and is refused before it is split.
    private const int MaxHeaderLength = 1024;

    /// <summary>The signature as it appeared in the header: the key of the replay memory.</summary>
    public string SignatureText { get; init; } = "";

    public static bool TryParse(string? value, out WebhookSignatureHeader header)
    {
        header = default;
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxHeaderLength) return false;

        long? timestamp = null;
        string? kid = null, signature = null;
        foreach (var range in value.AsSpan().Split(','))
        {
            var part = value.AsSpan(range).Trim();
            var equals = part.IndexOf('=');
            if (equals <= 0) return false;
            var name = part[..equals].Trim();
            var text = part[(equals + 1)..].Trim();
            if (text.IsEmpty) return false;
            if (name.SequenceEqual("t"))
            {
                if (timestamp is not null || !IsDigits(text) ||
                    !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
                timestamp = seconds;
            }
            else if (name.SequenceEqual("kid"))
            {
                if (kid is not null) return false;
                kid = text.ToString();
            }
            else if (name.SequenceEqual("ed25519"))
            {
                if (signature is not null) return false;
                signature = text.ToString();
            }
        }
        if (timestamp is null || kid is null || signature is null) return false;

        // Unpadded base64url, exactly 64 bytes once decoded.
        if (signature.Contains('=') || Base64Url.GetMaxDecodedLength(signature.Length) < SignatureLength) return false;
        var bytes = new byte[Base64Url.GetMaxDecodedLength(signature.Length)];
        if (Base64Url.DecodeFromChars(signature, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done ||
            consumed != signature.Length || written != SignatureLength) return false;

        header = new WebhookSignatureHeader(timestamp.Value, kid, bytes[..SignatureLength]) { SignatureText = signature };
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        if (text.Length > 18) return false;
        foreach (var c in text)
            if (c is < '0' or > '9') return false;
        return true;
    }
}
