using DurableStreams.Server.Protocol;
using Microsoft.AspNetCore.Http;

namespace DurableStreams.Server.Telemetry;

/// <summary>
/// What one request does, in telemetry terms, decided from its method, headers and query before any handler
/// runs (so the span and the duration histogram agree). All values are constants: nothing is allocated.
/// </summary>
internal readonly record struct ServerOperation(string Name, string? Type, string? LiveMode)
{
    // The client's values (DurableStreams' telemetry), so one dashboard filter fits both sides.
    public const string LiveOff = "catch_up";
    public const string LiveLongPoll = "long_poll";
    public const string LiveSse = "sse";

    public const string CreateStream = "create_stream";
    public const string ForkStream = "fork_stream";
    public const string Send = "send";
    public const string CloseStream = "close_stream";
    public const string Receive = "receive";
    public const string HeadStream = "head_stream";
    public const string DeleteStream = "delete_stream";

    public static ServerOperation? Classify(HttpRequest request)
    {
        var headers = request.Headers;
        switch (request.Method)
        {
            case "PUT":
                return headers.ContainsKey(StreamHeaders.ForkedFrom) ? new(ForkStream, null, null) : new(CreateStream, null, null);
            case "POST":
                // Close only: Stream-Closed with no body (a body needs a Content-Type).
                // StringValues.ToString(), not LINQ's FirstOrDefault: no boxing on every append.
                var closeOnly = StreamHeaders.IsTrue(headers[StreamHeaders.Closed].ToString())
                    && (request.ContentLength == 0 || request.ContentLength is null && string.IsNullOrEmpty(request.ContentType));
                return closeOnly ? new(CloseStream, Send, null) : new(Send, Send, null);
            case "GET":
                var live = request.Query[StreamHeaders.LiveQuery].ToString();
                return new(Receive, Receive, live switch
                {
                    "long-poll" => LiveLongPoll,
                    "sse" => LiveSse,
                    "" => LiveOff,
                    _ => null, // an invalid mode (400): no value from the client's text
                });
            case "HEAD":
                return new(HeadStream, null, null);
            case "DELETE":
                return new(DeleteStream, null, null);
            default:
                return null; // OPTIONS and anything else: not a stream operation
        }
    }
}
