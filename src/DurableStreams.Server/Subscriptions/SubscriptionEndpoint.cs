using DurableStreams.Server.Endpoints;
using Microsoft.AspNetCore.Http;

namespace DurableStreams.Server.Subscriptions;

/// <summary>
/// The reserved control prefix <c>{stream-root}/__ds/</c> (§6), mapped ahead of the streams so none of its
/// paths is ever an application stream: <c>jwks.json</c> and <c>subscriptions/:id[/streams[/:path]|/claim|/ack|/release|/callback]</c>.
/// </summary>
internal sealed class SubscriptionEndpoint(SubscriptionEngine engine, DurableStreamsServerOptions options)
{
    public const string Prefix = "__ds";
    private const string Json = "application/json";

    /// <summary>Handles one request; <paramref name="streamRoot"/> is the mapped prefix without a trailing slash.</summary>
    public async Task HandleAsync(HttpContext context, string streamRoot)
    {
        var request = context.Request;
        var response = context.Response;
        SecurityHeaders.Apply(response);
        if (request.Method == "OPTIONS")
        {
            response.StatusCode = 204;
            return;
        }
        var root = (request.PathBase.Value ?? "").TrimEnd('/') + streamRoot;
        var origin = $"{request.Scheme}://{request.Host}";
        // The raw path keeps %2F inside a stream path segment, so it is split before decoding.
        var raw = (request.Path.Value ?? "")[(streamRoot.Length + Prefix.Length + 1)..].TrimStart('/');
        var parts = raw.Split('/', 4);

        if (parts is ["jwks.json"] && request.Method is "GET" or "HEAD")
        {
            response.ContentType = "application/jwk-set+json";
            response.Headers.CacheControl = "public, max-age=300";
            await response.Body.WriteAsync(engine.Signer.Jwks, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (parts.Length < 2 || parts[0] != "subscriptions" || parts[1].Length == 0)
        {
            await WriteAsync(response, SubscriptionResult.Fail(new(404, "SUBSCRIPTION_NOT_FOUND", "Durable Streams control route not found"))).ConfigureAwait(false);
            return;
        }
        var id = Uri.UnescapeDataString(parts[1]);
        var action = parts.Length > 2 ? parts[2] : "";
        SubscriptionResult result;
        try
        {
            result = await DispatchAsync(context, root, origin, id, action, parts.Length > 3 ? parts[3] : null).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            result = SubscriptionResult.Fail(new(ex.StatusCode, "BAD_REQUEST", ex.Message));
        }
        await WriteAsync(response, result).ConfigureAwait(false);
    }

    private async Task<SubscriptionResult> DispatchAsync(HttpContext context, string root, string origin, string id, string action, string? rest)
    {
        var method = context.Request.Method;
        switch (action, method)
        {
            case ("", "GET"):
                return engine.Get(root, id);
            case ("", "DELETE"):
                return engine.Delete(root, id);
            case ("", "PUT"):
                {
                    var (config, error) = SubscriptionRequests.ParseConfig(await ReadAsync(context).ConfigureAwait(false));
                    return config is null ? SubscriptionResult.Fail(error!) : engine.Put(root, origin, id, config);
                }
            case ("streams", "POST") when rest is null:
                {
                    var streams = SubscriptionRequests.ParseStreams(await ReadAsync(context).ConfigureAwait(false));
                    return streams is null
                        ? SubscriptionResult.Fail(SubscriptionRequests.Invalid("Body must be {\"streams\": [paths]}"))
                        : engine.AddStreams(root, id, streams);
                }
            case ("streams", "DELETE") when rest is not null:
                {
                    var path = SubscriptionRequests.NormalizePath(Uri.UnescapeDataString(rest));
                    return path is null ? SubscriptionResult.Fail(SubscriptionRequests.Invalid("Invalid stream path")) : engine.RemoveStream(root, id, path);
                }
            case ("claim", "POST") when rest is null:
                {
                    var worker = SubscriptionRequests.ParseWorker(await ReadAsync(context).ConfigureAwait(false));
                    return string.IsNullOrEmpty(worker)
                        ? SubscriptionResult.Fail(SubscriptionRequests.Invalid("worker must be a non-empty string"))
                        : engine.Claim(root, id, worker);
                }
            case ("ack" or "callback" or "release", "POST") when rest is null:
                {
                    var wake = SubscriptionRequests.ParseWake(await ReadAsync(context).ConfigureAwait(false));
                    if (wake is null) return SubscriptionResult.Fail(SubscriptionRequests.Invalid("Body must be a JSON object with wake_id and generation"));
                    var token = Bearer(context.Request);
                    if (token is null) return SubscriptionResult.Fail(new(401, "TOKEN_INVALID", "Missing or malformed Authorization header"));
                    return action == "release" ? engine.Release(root, id, token, wake) : engine.Ack(root, id, token, wake, callback: action == "callback");
                }
            default:
                return SubscriptionResult.Fail(new(405, "METHOD_NOT_ALLOWED", $"{method} is not supported here"));
        }
    }

    private async Task<byte[]> ReadAsync(HttpContext context) =>
        await HttpResults.ReadBodyAsync(context.Request, Math.Min(options.MaxRequestBodyBytes, 1024 * 1024), context.RequestAborted).ConfigureAwait(false)
        ?? throw new BadHttpRequestException("Request body too large", StatusCodes.Status413PayloadTooLarge);

    private static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private static Task WriteAsync(HttpResponse response, SubscriptionResult result)
    {
        response.StatusCode = result.Status;
        if (result.Body is null) return Task.CompletedTask;
        response.ContentType = Json;
        return response.Body.WriteAsync(result.Body).AsTask();
    }
}
