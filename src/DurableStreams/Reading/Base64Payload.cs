using System.Buffers;
using System.Buffers.Text;

namespace DurableStreams.Reading;

/// <summary>
/// Strict decoding of base64 SSE payloads: line breaks between <c>data:</c> lines are removed,
/// anything else outside the standard alphabet (including spaces) is an error, and the length
/// must be a multiple of 4. (Convert.FromBase64String would silently skip whitespace.)
/// </summary>
internal static class Base64Payload
{
    public static byte[] Decode(ReadOnlySpan<byte> text, Uri url, string offset)
    {
        if (text.IsEmpty) return [];
        byte[]? rented = null;
        Span<byte> clean = text.Length <= 512 ? stackalloc byte[text.Length] : (rented = ArrayPool<byte>.Shared.Rent(text.Length));
        try
        {
            var length = 0;
            foreach (var b in text)
            {
                if (b is (byte)'\r' or (byte)'\n') continue;
                clean[length++] = b;
            }
            clean = clean[..length];
            if (length % 4 != 0)
                throw new DurableStreamParseException($"Invalid base64 in SSE data event: length {length} is not a multiple of 4.", url, offset);
            for (var i = 0; i < length; i++)
            {
                var b = clean[i];
                var valid = b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'+' or (byte)'/'
                    || (b == (byte)'=' && i >= length - 2 && (i == length - 1 || clean[length - 1] == (byte)'='));
                if (!valid)
                    throw new DurableStreamParseException($"Invalid base64 in SSE data event: unexpected character at position {i}.", url, offset);
            }
            var output = new byte[Base64.GetMaxDecodedFromUtf8Length(length)];
            var status = Base64.DecodeFromUtf8(clean, output, out _, out var written);
            if (status != OperationStatus.Done)
                throw new DurableStreamParseException($"Invalid base64 in SSE data event ({status}).", url, offset);
            return written == output.Length ? output : output.AsSpan(0, written).ToArray();
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
