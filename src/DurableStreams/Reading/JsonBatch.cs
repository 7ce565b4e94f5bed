namespace DurableStreams;

/// <summary>The JSON messages of one delivery, boundaries kept, with the position after them.</summary>
public sealed class JsonBatch<T>
{
    // Where the delivery started (null when unknown: a first live request at "now"), and how many of its
    // messages a resume skip dropped before Items[0].
    private readonly string? _start;
    private readonly long _skipped;

    internal JsonBatch(IReadOnlyList<T> items, string offset, bool upToDate, bool streamClosed, string? cursor,
        string? start = null, long skipped = 0)
    {
        Items = items;
        Offset = new Offset(offset);
        UpToDate = upToDate;
        StreamClosed = streamClosed;
        Cursor = cursor;
        _start = start;
        _skipped = skipped;
    }

    /// <summary>The messages, in stream order.</summary>
    public IReadOnlyList<T> Items { get; }

    /// <summary>
    /// The offset to resume from after this whole batch (the server's <c>Stream-Next-Offset</c>). Save it
    /// once every item is processed; to save progress inside the batch use <see cref="PositionAfter"/>.
    /// </summary>
    public Offset Offset { get; }

    /// <summary>Whether the reader had caught up when this batch was produced.</summary>
    public bool UpToDate { get; }

    /// <summary>Whether the stream is closed and this batch ends it.</summary>
    public bool StreamClosed { get; }

    /// <summary>The server's cursor.</summary>
    public string? Cursor { get; }

    /// <summary>
    /// The offset that resumes exactly after <c>Items[<paramref name="index"/>]</c>: the batch's start token
    /// plus the number of messages to skip, or <see cref="Offset"/> for the last item. The same value as
    /// <see cref="StreamEvent{T}.Position"/> of that message.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not an index of <see cref="Items"/>.</exception>
    public Offset PositionAfter(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Items.Count);
        if (index == Items.Count - 1 || _start is null or "now") return Offset;
        return new Offset(_start, _skipped + index + 1);
    }
}
