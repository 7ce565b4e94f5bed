using System.Globalization;

namespace DurableStreams.Server.Protocol;

/// <summary>Strict parsing of numeric protocol headers.</summary>
internal static class HeaderParsing
{
    /// <summary>JavaScript's largest safe integer: producer numbers must fit it (§5.2.1).</summary>
    public const long MaxSafeInteger = 9_007_199_254_740_991;

    /// <summary>A non-negative decimal without sign, leading zeros, point or exponent ("3600", not "03600" or "+3600").</summary>
    public static bool TryParseCanonical(string? value, out long result)
    {
        result = 0;
        if (string.IsNullOrEmpty(value) || (value.Length > 1 && value[0] == '0')) return false;
        foreach (var c in value) if (!char.IsAsciiDigit(c)) return false;
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
    }

    /// <summary>Digits only (leading zeros tolerated) and at most 2^53-1.</summary>
    public static bool TryParseProducerNumber(string? value, out long result)
    {
        result = 0;
        if (string.IsNullOrEmpty(value)) return false;
        foreach (var c in value) if (!char.IsAsciiDigit(c)) return false;
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result <= MaxSafeInteger;
    }
}
