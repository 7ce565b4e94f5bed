using DurableStreams.Http;

namespace DurableStreams.Writing;

/// <summary>The body of a batched POST: the queued items, framed anew for every attempt.</summary>
internal sealed class BatchBody : RequestBody
{
    private readonly IReadOnlyList<ReadOnlyMemory<byte>> _items;
    private readonly bool _json;

    /// <param name="items">Owned by the body until the request is done; never changed meanwhile.</param>
    /// <param name="json">Wrap the items in one JSON array (each becomes a message) rather than concatenate them.</param>
    public BatchBody(IReadOnlyList<ReadOnlyMemory<byte>> items, bool json)
    {
        _items = items;
        _json = json;
    }

    // A single raw item needs no framing: send its bytes as they are.
    public override HttpContent CreateContent() =>
        !_json && _items.Count == 1 ? new ReadOnlyMemoryContent(_items[0]) : new BatchContent(_items, _json);
}
