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

    private static Uri RedactRelative(Uri url)
    {
        var text = Display(url.OriginalString);
        return text.Length == url.OriginalString.Length ? url : new Uri(text, UriKind.Relative);
    }
}
