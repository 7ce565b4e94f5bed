using System.Net;
using System.Net.Sockets;

namespace DurableStreams.Server.Subscriptions;

/// <summary>
/// Webhook URL validation against SSRF (§6.2, §12.8): https to a public host; http or https to localhost and
/// 127.0.0.x only with <see cref="DurableStreamsSubscriptionOptions.AllowLocalhostWebhooks"/>; private,
/// loopback, link-local (cloud metadata), unspecified and multicast addresses never. Host names are not
/// resolved here, so a public name that resolves to a private address is not caught.
/// </summary>
internal static class WebhookUrlPolicy
{
    public static string? Reject(string url, bool allowLocalhost)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "webhook.url must be an absolute URL";
        if (uri.Scheme is not ("https" or "http")) return "webhook.url must use https";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "webhook.url must not carry credentials";
        var host = uri.IdnHost.TrimEnd('.');
        var localhost = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var loopback) && loopback.AddressFamily == AddressFamily.InterNetwork
                && host.StartsWith("127.0.0.", StringComparison.Ordinal));
        if (localhost) return allowLocalhost ? null : "localhost webhook URLs are allowed only in development";
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IsLocal(address)) return "webhook.url must not target a private or local address";
        if (host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return "webhook.url must not target a local host";
        return uri.Scheme == "https" ? null : "webhook.url must use https";
    }

    private static bool IsLocal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 0 || b[0] >= 224                 // private, "this network", multicast and reserved
            || (b[0] == 172 && b[1] is >= 16 and <= 31)                // private
            || (b[0] == 192 && b[1] == 168)                             // private
            || (b[0] == 169 && b[1] == 254)                             // link-local, cloud metadata
            || (b[0] == 100 && b[1] is >= 64 and <= 127);              // carrier-grade NAT
    }
}
