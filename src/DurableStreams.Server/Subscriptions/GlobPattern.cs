namespace DurableStreams.Server.Subscriptions;

/// <summary>
/// Subscription globs over stream-root-relative paths (§6.2): <c>*</c> is exactly one segment, <c>**</c> zero
/// or more; any other segment matches itself. Hand-written: the rules are this small and segment based, unlike
/// file-system glob libraries.
/// </summary>
internal static class GlobPattern
{
    public static bool IsValid(string pattern) =>
        pattern.Length > 0 && !pattern.StartsWith('/') && !pattern.Split('/').Any(segment => segment.Length == 0);

    public static bool Matches(string pattern, string path) => Match(pattern.Split('/'), 0, path.Split('/'), 0);

    private static bool Match(string[] pattern, int p, string[] path, int s)
    {
        while (p < pattern.Length)
        {
            var segment = pattern[p];
            if (segment == "**")
            {
                // Zero or more segments: try every split point.
                for (var skip = s; skip <= path.Length; skip++)
                {
                    if (Match(pattern, p + 1, path, skip)) return true;
                }
                return false;
            }
            if (s >= path.Length) return false;
            if (segment != "*" && !string.Equals(segment, path[s], StringComparison.Ordinal)) return false;
            p++;
            s++;
        }
        return s == path.Length;
    }
}
