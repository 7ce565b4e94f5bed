using System.Collections;

namespace DurableStreams.Producers;

/// <summary>
/// Messages sealed into one request, numbered (epoch, seq) once and resent with the same numbers.
/// It is itself the item list its request body frames, so sending needs no second list.
/// </summary>
internal sealed class ProducerBatch : IReadOnlyList<ReadOnlyMemory<byte>>
{
    // byte[] rather than ReadOnlyMemory: half the list size, so even a full default batch (10,000
    // messages) keeps its list off the large object heap.
    private readonly List<byte[]> _items;

    public ProducerBatch(List<byte[]> items, long bytes)
    {
        _items = items;
        Bytes = bytes;
    }

    public long Bytes { get; }
    public long Epoch { get; set; }
    public long Seq { get; set; }

    /// <summary>How many times the server refused it as overtaken (sequence gap); guarded by the producer's lock.</summary>
    public int Refusals { get; set; }

    /// <summary>Refused as overtaken and waiting for the batches before it to be answered; guarded by the producer's lock.</summary>
    public bool Parked { get; set; }

    /// <summary>
    /// Some attempt under its current (epoch, seq) may have reached the server and stored it (see
    /// StreamRequest.MaybeDelivered), so a duplicate answer may be its own. Cleared when it is renumbered.
    /// </summary>
    public bool MaybeDelivered { get; set; }

    public int Count => _items.Count;

    public ReadOnlyMemory<byte> this[int index] => _items[index];

    public IEnumerator<ReadOnlyMemory<byte>> GetEnumerator()
    {
        foreach (var item in _items) yield return item;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
