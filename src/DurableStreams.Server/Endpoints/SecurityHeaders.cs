using Microsoft.AspNetCore.Http;

namespace DurableStreams.Server.Endpoints;

/// <summary>
/// The browser security headers of §12.7 on every response this server writes, errors included. CORS is not
/// here: the ASP.NET Core CORS middleware applies the policy MapDurableStreams requires (see DurableStreamsCors).
/// </summary>
internal static class SecurityHeaders
{
    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
    }
}
