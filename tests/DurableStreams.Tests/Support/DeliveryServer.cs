using System.Net;
using System.Text;

namespace DurableStreams.Tests.Support;

/// <summary>
/// A closed JSON stream of <c>{"n":1}</c> .. <c>{"n":count}</c> whose deliveries have known sizes, served in
/// catch-up, long-poll and SSE. Offsets are message indexes (<c>000005</c> is after five messages), so a
/// test can see exactly where each request started. <see cref="MaxPerResponse"/> makes later reads group
/// the same messages into smaller deliveries, as a server with another chunk size would.
/// </summary>
internal sealed class DeliveryServer : IDisposable
{
    private readonly int[] _boundaries;
    private readonly FakeClient _client;

    /// <param name="sizes">Delivery sizes, in order; they sum to the stream's length.</param>
    public DeliveryServer(params int[] sizes)
    {
        var at = 0;
        _boundaries = sizes.Select(size => at += size).ToArray();
        Count = at;
        _client = new FakeClient(new FakeHttpHandler(Answer));
    }

    /// <summary>Messages in the stream.</summary>
    public int Count { get; }

    /// <summary>When set, no response or SSE delivery carries more messages than this.</summary>
    public int? MaxPerResponse { get; set; }

    /// <summary>How many of the next catch-up or long-poll responses break off in the middle of their body.</summary>
    public int BrokenBodies { get; set; }

    public FakeHttpHandler Handler => _client.Handler;

    public DurableStream Stream => _client.Client.GetStream("deliveries");

    public DurableStream<Numbered> Typed => new(Stream, TestJsonContext.Default.Numbered);

    public static string Token(int index) => index.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The message index each request started at, in order.</summary>
    public IReadOnlyList<int> RequestedIndexes => Handler.Requests.Select(r => Index(r.Query("offset"))).ToList();

    private static int Index(string? token) => token is null or "-1" ? 0 : int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);

    private int DeliveryEnd(int start)
    {
        var end = _boundaries.First(b => b > start);
        return MaxPerResponse is { } max ? Math.Min(end, start + max) : end;
    }

    private static string Items(int from, int to) => "[" + string.Join(",", Enumerable.Range(from + 1, to - from).Select(n => $"{{\"n\":{n}}}")) + "]";

    private HttpResponseMessage Answer(RecordedRequest request)
    {
        if (request.Method != HttpMethod.Get) return Respond.Unexpected(request);
        var start = Index(request.Query("offset"));
        if (start > Count) return Respond.Status(HttpStatusCode.BadRequest, "offset past the tail");

        if (request.IsSse)
        {
            var body = new StringBuilder();
            for (var at = start; at < Count;)
            {
                var end = DeliveryEnd(at);
                for (var n = at; n < end; n++) body.Append(SseScript.Data(Items(n, n + 1))); // one event per message
                body.Append(SseScript.Control(Token(end), cursor: "c", upToDate: end == Count, closed: end == Count));
                at = end;
            }
            if (start == Count) body.Append(SseScript.Control(Token(Count), upToDate: true, closed: true));
            return Respond.Sse(body.ToString());
        }

        if (start == Count)
        {
            if (request.IsLongPoll)
                return Respond.Status(HttpStatusCode.NoContent, null,
                    ("Stream-Next-Offset", Token(Count)), ("Stream-Up-To-Date", "true"), ("Stream-Closed", "true"));
            return Respond.Read("[]", "application/json", Token(Count), upToDate: true, closed: true);
        }
        var last = DeliveryEnd(start);
        var bytes = Encoding.UTF8.GetBytes(Items(start, last));
        HttpContent content = BrokenBodies-- > 0 ? new BrokenContent(bytes[..(bytes.Length / 2)]) : new ByteArrayContent(bytes);
        return Respond.Read(content, "application/json", Token(last), upToDate: last == Count, closed: last == Count,
            cursor: request.IsLongPoll ? "c" : null);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Sends the first half of a body and then fails, as a connection reset would.</summary>
    private sealed class BrokenContent(byte[] prefix) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(prefix);
            throw new IOException("connection reset mid-body");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
