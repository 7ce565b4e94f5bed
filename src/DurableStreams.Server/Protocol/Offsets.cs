using System.Globalization;

namespace DurableStreams.Server.Protocol;

/// <summary>
/// Offsets are "{segment}_{position}", both zero-padded to 16 digits, so that ordinal string
/// comparison is position order (§8) and the format matches the reference server's.
/// </summary>
internal static class Offsets
{
    public const string Start = "-1";
    public const string Now = "now";
    public const string Zero = "0000000000000000_0000000000000000";

    /// <summary>Each stored message advances the position by its length plus a small frame overhead, like the reference server.</summary>
    private const long FrameOverhead = 5;

    public static int Compare(string a, string b) => string.CompareOrdinal(a, b);

    /// <summary>True for a server-minted offset shape: digits, underscore, digits.</summary>
    public static bool IsConcrete(string value)
    {
        var underscore = value.IndexOf('_');
        if (underscore <= 0 || underscore == value.Length - 1) return false;
        for (var i = 0; i < value.Length; i++)
        {
            if (i == underscore) continue;
            if (!char.IsAsciiDigit(value[i])) return false;
        }
        return true;
    }

    public static string Advance(string current, long length)
    {
        var underscore = current.IndexOf('_');
        var segment = long.Parse(current.AsSpan(0, underscore), CultureInfo.InvariantCulture);
        var position = long.Parse(current.AsSpan(underscore + 1), CultureInfo.InvariantCulture);
        return Format(segment, position + FrameOverhead + length);
    }

    private static string Format(long segment, long position) =>
        segment.ToString("D16", CultureInfo.InvariantCulture) + "_" + position.ToString("D16", CultureInfo.InvariantCulture);
}
