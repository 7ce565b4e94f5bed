using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DurableStreams.Http;

/// <summary>
/// Appends query parameters to a stream URL, sorted by name so that equal requests give equal URLs
/// (caches key on the whole URL). Runs once per request, so it builds the string in one pass.
/// </summary>
internal static class ProtocolQuery
{
    /// <summary>Appends <paramref name="query"/> (sorted in place if it is not already).</summary>
    public static Uri Append(Uri url, List<KeyValuePair<string, string>> query)
    {
        if (query.Count == 0) return url;
        if (!IsSorted(query)) query.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return Build(url, CollectionsMarshal.AsSpan(query));
    }

    /// <summary>Appends parameters that are already in name order.</summary>
    public static Uri AppendSorted(Uri url, SortedDictionary<string, string> query) =>
        query.Count == 0 ? url : Build(url, query.ToArray());

    private static bool IsSorted(List<KeyValuePair<string, string>> query)
    {
        for (var i = 1; i < query.Count; i++)
            if (string.CompareOrdinal(query[i - 1].Key, query[i].Key) > 0) return false;
        return true;
    }

    private static Uri Build(Uri url, ReadOnlySpan<KeyValuePair<string, string>> query)
    {
        var builder = new DefaultInterpolatedStringHandler(0, 0);
        var existing = url.Query;
        if (existing.Length == 0 && url.Fragment.Length == 0)
        {
            builder.AppendLiteral(url.AbsoluteUri); // cached by Uri: no copy of the base
            builder.AppendLiteral("?");
        }
        else
        {
            builder.AppendLiteral(url.GetLeftPart(UriPartial.Path));
            builder.AppendLiteral(existing.Length > 1 ? existing : "?");
            if (existing.Length > 1) builder.AppendLiteral("&");
        }
        for (var i = 0; i < query.Length; i++)
        {
            if (i > 0) builder.AppendLiteral("&");
            // EscapeDataString returns its argument when nothing needs escaping (offsets, cursors, live modes).
            builder.AppendLiteral(Uri.EscapeDataString(query[i].Key));
            builder.AppendLiteral("=");
            builder.AppendLiteral(Uri.EscapeDataString(query[i].Value));
        }
        return new Uri(builder.ToStringAndClear());
    }
}
