using System.Buffers;
using System.Net;

namespace DurableStreams.Writing;

/// <summary>
/// A POST body made of queued items: a JSON array <c>[a,b,…]</c> or the items back to back. Its
/// length is known up front and it is written through a small pooled buffer, so a batch never
/// needs one contiguous (possibly large-object-heap) array.
/// </summary>
internal sealed class BatchContent : HttpContent
{
    private const int MaxScratchBytes = 64 * 1024;

    private readonly IReadOnlyList<ReadOnlyMemory<byte>> _items;
    private readonly bool _json;
    private readonly long _length;
    // JSON: '[' item ',' item … ']' (2n+1 segments); raw: the items themselves.
    private readonly int _segments;

    public BatchContent(IReadOnlyList<ReadOnlyMemory<byte>> items, bool json)
    {
        // "[]" would be rejected by the server, so an empty JSON batch is a caller bug.
        if (json && items.Count == 0) throw new ArgumentException("A JSON batch needs at least one item.", nameof(items));
        _items = items;
        _json = json;
        _length = LengthOf(items, json);
        _segments = json ? 2 * items.Count + 1 : items.Count;
    }

    /// <summary>Bytes the content writes for <paramref name="items"/>.</summary>
    public static long LengthOf(IReadOnlyList<ReadOnlyMemory<byte>> items, bool json)
    {
        long length = json ? items.Count + 1 : 0; // brackets and separators
        for (var i = 0; i < items.Count; i++) length += items[i].Length;
        return length;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(ScratchSize());
        try
        {
            int segment = 0, offset = 0, filled;
            while ((filled = Fill(scratch, ref segment, ref offset)) > 0)
                await stream.WriteAsync(scratch.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(ScratchSize());
        try
        {
            int segment = 0, offset = 0, filled;
            while ((filled = Fill(scratch, ref segment, ref offset)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                stream.Write(scratch, 0, filled);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private int ScratchSize() => (int)Math.Clamp(_length, 1, MaxScratchBytes);

    /// <summary>Copies from (segment, offset) on into <paramref name="destination"/>; returns the bytes copied (0 at the end).</summary>
    private int Fill(Span<byte> destination, ref int segment, ref int offset)
    {
        var written = 0;
        while (segment < _segments && written < destination.Length)
        {
            var source = Segment(segment);
            var count = Math.Min(source.Length - offset, destination.Length - written);
            source.Slice(offset, count).CopyTo(destination[written..]);
            written += count;
            offset += count;
            if (offset == source.Length)
            {
                segment++;
                offset = 0;
            }
        }
        return written;
    }

    private ReadOnlySpan<byte> Segment(int index)
    {
        if (!_json) return _items[index].Span;
        if ((index & 1) == 1) return _items[index >> 1].Span;
        return index == 0 ? "["u8 : index == _segments - 1 ? "]"u8 : ","u8;
    }
}
