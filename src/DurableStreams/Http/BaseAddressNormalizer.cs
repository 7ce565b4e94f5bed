namespace DurableStreams.Http;

/// <summary>
/// Makes a client's base address safe for relative resolution. Without a trailing slash the last
/// segment would be replaced (<c>/v1/stream</c> + <c>orders</c> = <c>/v1/orders</c>), and a query or
/// fragment would be dropped, so the former is fixed and the latter refused.
/// </summary>
internal static class BaseAddressNormalizer
{
    /// <summary><paramref name="baseAddress"/> with a path ending in '/', or null when there is none.</summary>
    /// <exception cref="ArgumentException">The address is relative, or has a query string or fragment.</exception>
    public static Uri? Normalize(Uri? baseAddress)
    {
        if (baseAddress is null) return null;
        if (!baseAddress.IsAbsoluteUri)
            throw new ArgumentException($"The base address '{Logging.UrlRedaction.Display(baseAddress)}' must be an absolute URL.", nameof(baseAddress));
        if (baseAddress.Query.Length > 0 || baseAddress.Fragment.Length > 0)
            throw new ArgumentException(
                $"The base address '{Logging.UrlRedaction.Display(baseAddress)}' has a query string or fragment, which relative stream paths would drop. " +
                "Use an address without one; send query parameters with DurableStreamClientOptions.QueryParameters.",
                nameof(baseAddress));
        return baseAddress.AbsolutePath.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
    }
}
