using DurableStreams.Server.Protocol;
using Microsoft.AspNetCore.Http;

namespace DurableStreams.Server.Telemetry;

/// <summary>
/// What one request does, in telemetry terms, decided from its method, headers and query before any handler
/// runs (so the span and the duration histogram agree). All values are constants: nothing is allocated.
/// </summary>
internal readonly record struct ServerOperation(string Name, string? Type, string? LiveMode)
{
    public const string LiveOff = "off";
    public const string LiveLongPoll = "long-poll";
    public const string LiveSse = "sse";

    public static ServerOperation? Classify(HttpRequest request)
    {
        var headers = request.Headers;
        switch (request.Method)
        {
            case "PUT":
                return headers.ContainsKey(StreamHeaders.ForkedFrom) ? new("fork", null, null) : new("create", null, null);
            case "POST":
                // Close only: Stream-Closed with no body (a body needs a Content-Type).
                // StringValues.ToString(), not LINQ's FirstOrDefault: no boxing on every append.
                var closeOnly = StreamHeaders.IsTrue(headers[StreamHeaders.Closed].ToString())
                    && (request.ContentLength == 0 || request.ContentLength is null && string.IsNullOrEmpty(request.ContentType));
                return closeOnly ? new("close", "send", null) : new("append", "send", null);
            case "GET":
                var live = request.Query[StreamHeaders.LiveQuery].ToString();
                return new("read", "receive", live switch
                {
                    LiveLongPoll => LiveLongPoll,
                    LiveSse => LiveSse,
                    "" => LiveOff,
                    _ => null, // an invalid mode (400): no value from the client's text
                });
            case "HEAD":
                return new("head", null, null);
            case "DELETE":
                return new("delete", null, null);
            default:
                return null; // OPTIONS and anything else: not a stream operation
        }
    }
}
