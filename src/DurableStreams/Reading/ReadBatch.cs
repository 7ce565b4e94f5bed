namespace DurableStreams.Reading;

/// <summary>
/// One unit of delivery in a read session: a catch-up or long-poll response (body still unread),
/// or the SSE data events that one control event committed. Metadata is the position after it.
/// </summary>
internal sealed class ReadBatch : IDisposable
{
    private ReadBatch(string offset, bool upToDate, bool closed, string? cursor, int status)
    {
        Offset = offset;
        UpToDate = upToDate;
        Closed = closed;
        Cursor = cursor;
        Status = status;
    }

    public string Offset { get; }
    public bool UpToDate { get; }
    public bool Closed { get; }
    public string? Cursor { get; }

    /// <summary>HTTP status of the response (200, 204), or 200 for SSE batches.</summary>
    public int Status { get; }

    /// <summary>Response whose body holds the batch (catch-up and long-poll).</summary>
    public HttpResponseMessage? Response { get; private init; }

    /// <summary>The offset this batch was read from, reported when its body fails (the place to resume from).</summary>
    public string StartOffset => Before?.Offset ?? Offset;

    /// <summary>Where the session stood before this batch, so a response whose body failed can be fetched again.</summary>
    public ReadPosition? Before { get; private init; }

    /// <summary>Decoded data-event payloads (SSE); each is one JSON array in JSON mode.</summary>
    public IReadOnlyList<byte[]>? Payloads { get; private init; }

    /// <summary>The messages of an SSE delivery decoded as they arrived (typed reads; see <see cref="SseItemSink"/>), instead of <see cref="Payloads"/>.</summary>
    public SseDecodedDelivery? Decoded { get; private init; }

    /// <summary>
    /// The offset this delivery was read from, the base of its messages' exact positions: the request's
    /// offset (HTTP) or the last committed offset before it (SSE); null when unknown.
    /// </summary>
    public string? DeliveryStart => Before?.Offset ?? _sseStart;

    private string? _sseStart;

    /// <summary>How many messages from the front of this delivery a resume skip dropped (see <see cref="ResumeSkip"/>).</summary>
    public long Skipped { get; private init; }

    public static ReadBatch FromResponse(HttpResponseMessage response, ReadPosition before, string offset, bool upToDate, bool closed, string? cursor) =>
        new(offset, upToDate, closed, cursor, (int)response.StatusCode) { Response = response, Before = before };

    public static ReadBatch FromSse(IReadOnlyList<byte[]> payloads, string offset, bool upToDate, bool closed, string? cursor, string? start = null) =>
        new(offset, upToDate, closed, cursor, 200) { Payloads = payloads, _sseStart = start };

    public static ReadBatch FromSse(SseDecodedDelivery decoded, string offset, bool upToDate, bool closed, string? cursor, string? start) =>
        new(offset, upToDate, closed, cursor, 200) { Decoded = decoded, _sseStart = start };

    /// <summary>The same delivery with its first <paramref name="skipped"/> messages removed: <paramref name="rest"/> is one JSON array of the others.</summary>
    public static ReadBatch Trimmed(ReadBatch original, byte[] rest, long skipped) =>
        new(original.Offset, original.UpToDate, original.Closed, original.Cursor, original.Status)
        {
            Payloads = [rest],
            _sseStart = original.DeliveryStart,
            Skipped = skipped,
        };

    public void Dispose() => Response?.Dispose();
}

/// <summary>A session's position and phase before a request: enough to repeat that request.</summary>
internal sealed record ReadPosition(string Offset, string? Cursor, bool LivePhase);
