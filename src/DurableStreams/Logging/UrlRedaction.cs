namespace DurableStreams.Logging;

/// <summary>
/// URLs as they may appear in logs and exceptions: credentials travel in a URL's user info or query
/// string (<c>?token=...</c>), so both are dropped, and the fragment with them.
/// </summary>
internal static class UrlRedaction
{
    private const UriComponents Kept = UriComponents.Scheme | UriComponents.Host | UriComponents.Port | UriComponents.Path;

    /// <summary><paramref name="url"/> itself when it has nothing to drop, else a copy without user info, query and fragment.</summary>
    public static Uri? Redact(Uri? url)
    {
        if (url is null) return null;
        if (!url.IsAbsoluteUri) return RedactRelative(url);
        if (url.UserInfo.Length == 0 && url.Query.Length == 0 && url.Fragment.Length == 0) return url;
        return new Uri(url.GetComponents(Kept, UriFormat.UriEscaped));
    }

    /// <summary>A URL or path for a message: absolute ones redacted, anything after '?' or '#' dropped from the rest.</summary>
    public static string Display(string pathOrUrl)
    {
        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute)) return Redact(absolute)!.ToString();
        var end = pathOrUrl.AsSpan().IndexOfAny('?', '#');
        return end < 0 ? pathOrUrl : pathOrUrl[..end];
    }

    /// <inheritdoc cref="Display(string)"/>
    public static string Display(Uri url) => url.IsAbsoluteUri ? Redact(url)!.ToString() : Display(url.OriginalString);

    /// <summary>Shortest query value masked in quoted text: shorter ones are no secret and would mask unrelated text.</summary>
    private const int MinMaskedLength = 4;

    /// <summary>
    /// Masks in server-supplied text (an error body quoted in an exception) what the request carried in its
    /// URL besides the protocol's own parameters: servers and proxies like to echo the URL they refused.
    /// The user info, the query string as sent and each non-protocol query value become <c>***</c>.
    /// </summary>
    public static string Scrub(string text, Uri? sent)
    {
        if (sent is null || !sent.IsAbsoluteUri || text.Length == 0) return text;
        if (sent.UserInfo.Length > 0) text = text.Replace(sent.UserInfo, "***", StringComparison.Ordinal);
        var query = sent.Query;
        if (query.Length <= 1) return text;
        text = text.Replace(query, "?***", StringComparison.Ordinal);
        foreach (var pair in query[1..].Split('&'))
        {
            var eq = pair.IndexOf('=');
            if (eq < 0 || Http.ProtocolNames.IsReserved(Uri.UnescapeDataString(pair[..eq]))) continue;
            var raw = pair[(eq + 1)..];
            if (raw.Length < MinMaskedLength) continue;
            text = text.Replace(raw, "***", StringComparison.Ordinal);
            var decoded = Uri.UnescapeDataString(raw);
            if (decoded.Length >= MinMaskedLength) text = text.Replace(decoded, "***", StringComparison.Ordinal);
        }
        return text;
    }

    private static Uri RedactRelative(Uri url)
    {
        var text = Display(url.OriginalString);
        return text.Length == url.OriginalString.Length ? url : new Uri(text, UriKind.Relative);
    }
}
