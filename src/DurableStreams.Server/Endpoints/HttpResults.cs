using System.Text;
using Microsoft.AspNetCore.Http;

namespace DurableStreams.Server.Endpoints;

/// <summary>Small helpers for the plain responses every handler writes.</summary>
internal static class HttpResults
{
    private const string ReasonKey = "DurableStreams.Reason";

    /// <summary>A client mistake: the protocol's status and a short text body.</summary>
    public static Task Error(HttpResponse response, int status, string message)
    {
        // Kept for the endpoint's single "rejected" log line.
        response.HttpContext.Items[ReasonKey] = message;
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        return response.Body.WriteAsync(Encoding.UTF8.GetBytes(message)).AsTask();
    }

    public static string Reason(HttpContext context) =>
        context.Items.TryGetValue(ReasonKey, out var reason) && reason is string text ? text : "";

    public static Task Empty(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>Reads the whole body, enforcing the configured limit.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) return null;
        if (request.ContentLength is { } length and <= int.MaxValue)
        {
            // The usual case: one array of the announced size, filled in place (no growing copies).
            var body = new byte[length];
            var filled = 0;
            while (filled < body.Length)
            {
                var n = await request.Body.ReadAsync(body.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (n == 0) break;
                filled += n;
            }
            // Kestrel ends a short body with an error, so a short read here is defensive only.
            return filled == body.Length ? body : body[..filled];
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
