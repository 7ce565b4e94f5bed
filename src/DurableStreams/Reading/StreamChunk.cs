namespace DurableStreams;

/// <summary>
/// One delivery of raw data with the stream position after it (the Python client's event):
/// a catch-up or long-poll response, or the SSE data events a control event committed.
/// </summary>
public sealed class StreamChunk
{
    internal StreamChunk(ReadOnlyMemory<byte> data, string offset, bool upToDate, bool streamClosed, string? cursor, int status)
    {
        Data = data;
        Offset = new Offset(offset);
        UpToDate = upToDate;
        StreamClosed = streamClosed;
        Cursor = cursor;
        Status = status;
    }

    /// <summary>The bytes (for JSON streams, one JSON array holding this chunk's messages).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The offset to resume from after this chunk (the next offset).</summary>
    public Offset Offset { get; }

    /// <summary>Whether the reader had caught up with the stream when this chunk was produced (not EOF).</summary>
    public bool UpToDate { get; }

    /// <summary>Whether the stream is closed and this chunk ends it (EOF).</summary>
    public bool StreamClosed { get; }

    /// <summary>The server's cursor, echoed on later live requests.</summary>
    public string? Cursor { get; }

    /// <summary>HTTP status of the response that carried the chunk (200, or 204 for an expired long-poll).</summary>
    public int Status { get; }
}
