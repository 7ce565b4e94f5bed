using DurableStreams.Http;

namespace DurableStreams;

/// <summary>
/// Tells an app's own HTTP handlers and resilience pipelines which requests this client sent, so they can
/// leave alone what the client already handles: it retries its requests itself (only where a resend cannot
/// store a message twice), and its live reads are held open by the server by design.
/// </summary>
public static class DurableStreamHttpRequests
{
    // Set on every request the client sends; the value is the protocol operation.
    internal static readonly HttpRequestOptionsKey<string> OperationKey = new("DurableStreams.Operation");

    internal const string LongPoll = "long-poll";
    internal const string Sse = "sse";

    /// <summary>
    /// Whether this client sent <paramref name="request"/>. The client retries its own requests with backoff,
    /// so a pipeline that retries them too multiplies the attempts, and may resend a plain append that was stored.
    /// </summary>
    public static bool IsFromClient(HttpRequestMessage request) =>
        Operation(request ?? throw new ArgumentNullException(nameof(request))) is not null;

    /// <summary>
    /// Whether <paramref name="request"/> is a live read (long-poll or Server-Sent Events), which the server holds
    /// open until data arrives or its own timeout passes: an attempt or total timeout shorter than that cuts it.
    /// </summary>
    public static bool IsLiveRead(HttpRequestMessage request) =>
        Operation(request ?? throw new ArgumentNullException(nameof(request))) is LongPoll or Sse;

    /// <summary>The protocol operation a request of this client performs ("read", "long-poll", "sse", "append", ...), or null.</summary>
    public static string? Operation(HttpRequestMessage request) =>
        (request ?? throw new ArgumentNullException(nameof(request))).Options.TryGetValue(OperationKey, out var operation) ? operation : null;

    internal static void Mark(HttpRequestMessage message, StreamRequest request) =>
        message.Options.Set(OperationKey, OperationOf(request));

    private static string OperationOf(StreamRequest request)
    {
        if (request.Kind == RequestKind.Read && request.HasQuery)
            foreach (var (name, value) in request.Query)
                if (name == ProtocolNames.LiveParam) return value == Sse ? Sse : LongPoll;
        return request.Kind switch
        {
            RequestKind.Read => "read",
            RequestKind.Head => "head",
            RequestKind.Create => "create",
            RequestKind.Append => "append",
            RequestKind.Close => "close",
            RequestKind.Subscription => "subscription",
            _ => "delete",
        };
    }
}
