namespace DurableStreams;

/// <summary>The JSON messages of one delivery, boundaries kept, with the position after them.</summary>
public sealed class JsonBatch<T>
{
    internal JsonBatch(IReadOnlyList<T> items, string offset, bool upToDate, bool streamClosed, string? cursor)
    {
        Items = items;
        Offset = new Offset(offset);
        UpToDate = upToDate;
        StreamClosed = streamClosed;
        Cursor = cursor;
    }

    /// <summary>The messages, in stream order.</summary>
    public IReadOnlyList<T> Items { get; }

    /// <summary>The offset to resume from after this batch.</summary>
    public Offset Offset { get; }

    /// <summary>Whether the reader had caught up when this batch was produced.</summary>
    public bool UpToDate { get; }

    /// <summary>Whether the stream is closed and this batch ends it.</summary>
    public bool StreamClosed { get; }

    /// <summary>The server's cursor.</summary>
    public string? Cursor { get; }
}
