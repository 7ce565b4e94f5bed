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

    public BatchContent(IReadOnlyList<ReadOnlyMemory<byte>> items, bool json)
    {
        // "[]" would be rejected by the server, so an empty JSON batch is a caller bug.
        if (json && items.Count == 0) throw new ArgumentException("A JSON batch needs at least one item.", nameof(items));
        _items = items;
        _json = json;
        _length = LengthOf(items, json);
    }

    /// <summary>Bytes the content writes for <paramref name="items"/>.</summary>
    private static long LengthOf(IReadOnlyList<ReadOnlyMemory<byte>> items, bool json)
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
            int item = 0, offset = Start, filled;
            while ((filled = Fill(scratch, ref item, ref offset)) > 0)
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
            int item = 0, offset = Start, filled;
            while ((filled = Fill(scratch, ref item, ref offset)) > 0)
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

    // Offset -1 marks an item whose leading '[' or ',' (or, past the last item, the closing ']')
    // is still to be written; raw batches have no punctuation.
    private int Start => _json ? -1 : 0;

    /// <summary>Copies from (item, offset) on into <paramref name="destination"/>; returns the bytes copied (0 at the end).</summary>
    private int Fill(Span<byte> destination, ref int item, ref int offset)
    {
        var count = _items.Count;
        var written = 0;
        while (written < destination.Length)
        {
            if (offset < 0)
            {
                if (item > count) break;
                destination[written++] = item == 0 ? (byte)'[' : item == count ? (byte)']' : (byte)',';
                if (item == count) item++; // closed: nothing follows
                else offset = 0;
                continue;
            }
            if (item >= count) break;
            var source = _items[item].Span[offset..];
            var copied = Math.Min(source.Length, destination.Length - written);
            source[..copied].CopyTo(destination[written..]);
            written += copied;
            if (copied < source.Length)
            {
                offset += copied;
                break;
            }
            item++;
            offset = Start;
        }
        return written;
    }
}
