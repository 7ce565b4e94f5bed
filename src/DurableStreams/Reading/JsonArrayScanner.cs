using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace DurableStreams.Reading;

/// <summary>
/// Finds where a JSON array body can be cut between its top-level elements: tracks nesting depth and
/// string/escape state over bytes fed in order, nothing more. It does not validate JSON (the slices
/// it delimits are decoded by the serializer, which does); it only decides cut points and sees where
/// the array closes and whether anything but whitespace follows.
/// </summary>
internal struct JsonArrayScanner()
{
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);

    private int _depth = 1; // fed from just after the array's opening '['
    private bool _inString;
    private bool _escaped;

    /// <summary>The array's closing bracket has been seen.</summary>
    public bool Closed { get; private set; }

    /// <summary>Something other than whitespace followed the closing bracket.</summary>
    public bool TrailingData { get; private set; }

    /// <summary>
    /// Scans the next bytes of the body. Returns the index in <paramref name="data"/> of the last comma
    /// between top-level elements (-1 if none); <paramref name="closeAt"/> is the index of the array's
    /// closing bracket when it is in these bytes, else -1.
    /// </summary>
    public int Scan(ReadOnlySpan<byte> data, out int closeAt)
    {
        closeAt = -1;
        var lastComma = -1;
        var i = 0;
        while (i < data.Length && !Closed)
        {
            // The cut scan runs on the reader, ahead of every decoder: it must be far faster than decoding,
            // so 64 bytes at a time as bit masks (string interiors by prefix XOR of the quote mask).
            if (!_escaped && data.Length - i >= 64 && TryBlock(data.Slice(i, 64), i, ref lastComma, ref closeAt))
            {
                i += 64;
                continue;
            }
            i = ScanBytes(data, i, Math.Min(data.Length, i + 64), ref lastComma, ref closeAt);
        }
        if (Closed && data[(closeAt < 0 ? 0 : closeAt + 1)..].IndexOfAnyExcept(Whitespace) >= 0) TrailingData = true;
        return lastComma;
    }

    /// <summary>One block without backslashes (escapes are rare; a block with one is scanned bytewise).</summary>
    private bool TryBlock(ReadOnlySpan<byte> block, int at, ref int lastComma, ref int closeAt)
    {
        var lo = Vector256.Create(block[..32]);
        var hi = Vector256.Create(block[32..]);
        if (Mask(lo, hi, (byte)'\\') != 0) return false;
        var quotes = Mask(lo, hi, (byte)'"');
        var inside = PrefixXor(quotes) ^ (_inString ? ulong.MaxValue : 0); // string bytes, opening quote included
        var outside = ~inside;
        var opens = (Mask(lo, hi, (byte)'[') | Mask(lo, hi, (byte)'{')) & outside;
        var closes = (Mask(lo, hi, (byte)']') | Mask(lo, hi, (byte)'}')) & outside;
        var commas = Mask(lo, hi, (byte)',') & outside;
        if ((BitOperations.PopCount(quotes) & 1) != 0) _inString = !_inString;
        for (var events = opens | closes | commas; events != 0; events &= events - 1)
        {
            var bit = BitOperations.TrailingZeroCount(events);
            var one = 1UL << bit;
            if ((opens & one) != 0) _depth++;
            else if ((closes & one) != 0)
            {
                if (--_depth == 0)
                {
                    Closed = true;
                    closeAt = at + bit;
                    break;
                }
            }
            else if (_depth == 1) lastComma = at + bit;
        }
        return true;
    }

    private int ScanBytes(ReadOnlySpan<byte> data, int i, int end, ref int lastComma, ref int closeAt)
    {
        for (; i < end; i++)
        {
            var b = data[i];
            if (_inString)
            {
                if (_escaped) _escaped = false;
                else if (b == (byte)'\\') _escaped = true;
                else if (b == (byte)'"') _inString = false;
                continue;
            }
            switch (b)
            {
                case (byte)'"':
                    _inString = true;
                    break;
                case (byte)'[' or (byte)'{':
                    _depth++;
                    break;
                case (byte)']' or (byte)'}':
                    if (--_depth == 0)
                    {
                        Closed = true;
                        closeAt = i;
                        return i + 1;
                    }
                    break;
                case (byte)',':
                    if (_depth == 1) lastComma = i;
                    break;
            }
        }
        return i;
    }

    private static ulong Mask(Vector256<byte> lo, Vector256<byte> hi, byte value) =>
        Vector256.Equals(lo, Vector256.Create(value)).ExtractMostSignificantBits()
        | ((ulong)Vector256.Equals(hi, Vector256.Create(value)).ExtractMostSignificantBits() << 32);

    /// <summary>Bit i = parity of the set bits up to and including i: inside a string between quotes.</summary>
    private static ulong PrefixXor(ulong x)
    {
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x ^= x << 16;
        x ^= x << 32;
        return x;
    }
}
