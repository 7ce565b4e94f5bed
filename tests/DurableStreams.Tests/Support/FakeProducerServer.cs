using System.Globalization;
using System.Net;

namespace DurableStreams.Tests.Support;

/// <summary>
/// An in-memory stream that validates producer headers the way the protocol (§5.2.1) and the
/// reference server do: stale epoch → 403, new epoch needs seq 0, duplicate → 204, gap → 409.
/// Hooks let a test hold or reorder particular (epoch, seq) requests, which a real server over
/// one connection pool cannot be made to do on demand. Like the reference server, it answers a close
/// without data with 204 whether it closed the stream or repeated a number (with <c>Stream-Closed</c>
/// either way); HEAD reports whether the stream really is closed.
/// </summary>
internal sealed class FakeProducerServer
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Epoch, long LastSeq)> _producers = [];
    private readonly List<string> _stored = [];
    private int _offset;

    public FakeProducerServer()
    {
        Handler = new FakeHttpHandler(async (request, cancellationToken) =>
        {
            if (request.Method == HttpMethod.Head) return Head();
            if (!request.IsPost) return Respond.Unexpected(request);
            var epoch = long.Parse(request.Header("Producer-Epoch") ?? "-1", CultureInfo.InvariantCulture);
            var seq = long.Parse(request.Header("Producer-Seq") ?? "-1", CultureInfo.InvariantCulture);
            if (BeforeProcessing is { } hook) await hook(request, epoch, seq);
            if (Override?.Invoke(request, epoch, seq) is { } forced) return forced;
            var response = Process(request, epoch, seq);
            if (AfterProcessing is { } after) await after(request, epoch, seq, response.StatusCode);
            return response;
        });
    }

    public FakeHttpHandler Handler { get; }

    /// <summary>Awaited before a request is validated (hold it, reorder it).</summary>
    public Func<RecordedRequest, long, long, Task>? BeforeProcessing { get; set; }

    /// <summary>Awaited after validation, before the response is returned.</summary>
    public Func<RecordedRequest, long, long, HttpStatusCode, Task>? AfterProcessing { get; set; }

    /// <summary>Replaces the answer for a request (e.g. a failure) without touching producer state.</summary>
    public Func<RecordedRequest, long, long, HttpResponseMessage?>? Override { get; set; }

    /// <summary>The server's epoch for producers it has not seen, to exercise fencing.</summary>
    public void SeedProducer(string id, long epoch, long lastSeq)
    {
        lock (_gate) _producers[id] = (epoch, lastSeq);
    }

    /// <summary>Request bodies stored, in the order the server accepted them.</summary>
    public IReadOnlyList<string> Stored
    {
        get { lock (_gate) return [.. _stored]; }
    }

    public bool Closed { get; private set; }

    private HttpResponseMessage Process(RecordedRequest request, long epoch, long seq)
    {
        var id = request.Header("Producer-Id")!;
        var close = request.Header("Stream-Closed") == "true";
        lock (_gate)
        {
            if (_producers.TryGetValue(id, out var state))
            {
                if (epoch < state.Epoch)
                    return Respond.Status(HttpStatusCode.Forbidden, "stale epoch", ("Producer-Epoch", Str(state.Epoch)));
                if (epoch == state.Epoch && seq <= state.LastSeq)
                {
                    var duplicate = Respond.Status(HttpStatusCode.NoContent, null, ("Producer-Epoch", Str(epoch)), ("Producer-Seq", Str(state.LastSeq)));
                    if (close) duplicate.Headers.TryAddWithoutValidation("Stream-Closed", "true");
                    return duplicate;
                }
                if (epoch > state.Epoch && seq != 0)
                    return Respond.Status(HttpStatusCode.BadRequest, "new epoch must start at 0");
                if (epoch == state.Epoch && seq != state.LastSeq + 1)
                    return Gap(state.LastSeq + 1, seq);
            }
            else if (seq != 0)
            {
                return Gap(0, seq);
            }
            if (Closed)
                return Respond.Status(HttpStatusCode.Conflict, "closed", ("Stream-Closed", "true"), ("Stream-Next-Offset", Str(_offset)));

            _producers[id] = (epoch, seq);
            if (request.Body is { Length: > 0 })
            {
                _stored.Add(request.BodyText);
                _offset += request.Body.Length;
            }
            if (close) Closed = true;
            var closeOnly = close && request.Body is not { Length: > 0 };
            var response = Respond.Status(closeOnly ? HttpStatusCode.NoContent : HttpStatusCode.OK, null,
                ("Stream-Next-Offset", Str(_offset)), ("Producer-Epoch", Str(epoch)), ("Producer-Seq", Str(seq)));
            if (close) response.Headers.TryAddWithoutValidation("Stream-Closed", "true");
            return response;
        }
    }

    private HttpResponseMessage Head()
    {
        lock (_gate)
        {
            var response = Respond.Status(HttpStatusCode.OK, null, ("Stream-Next-Offset", Str(_offset)));
            response.Content.Headers.TryAddWithoutValidation("Content-Type", "text/plain");
            if (Closed) response.Headers.TryAddWithoutValidation("Stream-Closed", "true");
            return response;
        }
    }

    private static HttpResponseMessage Gap(long expected, long received) =>
        Respond.Status(HttpStatusCode.Conflict, "sequence gap", ("Producer-Expected-Seq", Str(expected)), ("Producer-Received-Seq", Str(received)));

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);
}
