using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using DurableStreams.Http;

namespace DurableStreams.Reading;

/// <summary>
/// Decodes a large JSON-mode body on more than one core: the body is cut into slices of whole
/// top-level elements (~<see cref="SliceBytes"/> each) as it arrives, and each slice is decoded on the
/// thread pool while the next is read. Single-threaded decoding is most of the client's time for a big
/// catch-up response (bench/RESULTS.md), and a second core is otherwise idle meanwhile.
/// </summary>
/// <remarks>
/// Validity: each slice is <c>[</c> + the body's bytes between two cuts + <c>]</c>, and the serializer
/// decodes it fully, so it is a valid array. A cut is only made at a comma, and a slice with no element
/// is refused unless it is the whole body, so the body's array interior is non-empty valid element lists
/// joined by commas, i.e. a valid array (the last slice ends at the body's own closing bracket, and the
/// scanner allows only whitespace after it): a body is accepted only if it is valid JSON, whatever the
/// scanner believed. Options that widen the grammar (comments, trailing commas) keep the streaming path.
/// </remarks>
internal static class SlicedBodyDecoder
{
    /// <summary>Bodies with a Content-Length from this size are decoded in slices.</summary>
    public const long MinBodyBytes = 1024 * 1024;

    /// <summary>
    /// Target size of a slice; a slice ends at the last element boundary past it. Small enough that the messages
    /// decoded ahead of the consumer (and so alive at a gen-0 collection, which then copies them) stay few: with
    /// 256 KiB slices a 10 MB catch-up spent ~25 ms in GC pauses under workstation GC (bench/RESULTS.md).
    /// </summary>
    internal const int SliceBytes = 64 * 1024;

    /// <summary>
    /// A body of unknown length is read up to this size before anything else: if it ends sooner (the short
    /// responses live reads get), it is decoded in one pass where it was read, with no thread hop.
    /// </summary>
    internal const int InlineBodyBytes = 256 * 1024;

    /// <summary>Slices read ahead of the one being consumed (decoding or decoded); bounds memory.</summary>
    internal const int SlicesAhead = 3;

    // Reads ask for at least this much once a slice is nearly full, so cuts do not cost tiny reads.
    internal const int MinReadBytes = 16 * 1024;

    /// <summary>
    /// Whether a body is decoded here: a known length from <see cref="MinBodyBytes"/>, or an unknown one
    /// (chunked, as the reference server sends catch-up reads), on a machine with a core to spare.
    /// </summary>
    public static bool Suits(long? contentLength, JsonSerializerOptions options) =>
        (contentLength is null || contentLength >= MinBodyBytes) && Environment.ProcessorCount > 1
        && options.ReadCommentHandling == JsonCommentHandling.Disallow && !options.AllowTrailingCommas;

    /// <summary>
    /// Reads up to the body's first non-whitespace byte and opens the sliced decoder; a body that is not
    /// an array goes to the streaming decoder instead (which reports it as the serializer does). A body of
    /// unknown length is read up to one slice first: if it ends sooner it is decoded in one pass right here,
    /// like a small body with a length, with no thread hop for the short responses live reads get.
    /// </summary>
    public static async ValueTask<IAsyncEnumerator<T>> OpenAsync<T>(Stream body, long? length, JsonTypeInfo<T> typeInfo, Uri url, string offset,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InlineBodyBytes + MinReadBytes);
        try
        {
            long received = 0;
            while (true)
            {
                int read;
                try
                {
                    read = length is null
                        ? await body.ReadAtLeastAsync(buffer.AsMemory(0, InlineBodyBytes), InlineBodyBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false)
                        : await body.ReadAsync(buffer.AsMemory(0, SliceBytes), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw BatchDecoder.BodyFailure(ex, url, offset);
                }
                catch (Exception ex) when (CancellationRace.Lost(ex, cancellationToken))
                {
                    throw CancellationRace.Cancelled(ex, cancellationToken);
                }
                received += read;
                if (length is null && read < InlineBodyBytes)
                {
                    // The whole body (what came before was whitespace).
                    var items = BatchDecoder.DecodeArray(buffer.AsSpan(0, read), typeInfo, url, offset);
                    ArrayPool<byte>.Shared.Return(buffer);
                    return new ListItemEnumerator<T>(items);
                }
                if (read == 0)
                {
                    if (received < length)
                        throw BatchDecoder.BodyFailure(new IOException($"The response body ended after {received} of {length} bytes."), url, offset);
                    ArrayPool<byte>.Shared.Return(buffer);
                    return new ListItemEnumerator<T>([]); // whitespace only: no messages
                }
                var start = buffer.AsSpan(0, read).IndexOfAnyExcept(" \t\r\n"u8);
                if (start < 0) continue;
                if (buffer[start] != (byte)'[')
                {
                    var decoder = JsonSerializer.DeserializeAsyncEnumerable(new PrefixedStream(buffer.AsMemory(start, read - start), body), typeInfo, cancellationToken)
                        .GetAsyncEnumerator(cancellationToken);
                    return new BodyItemEnumerator<T>(decoder, buffer, url, offset, cancellationToken); // returns the buffer when disposed
                }
                buffer.AsSpan(start, read - start).CopyTo(buffer); // the slice starts with the body's own '['
                return new SlicedItemEnumerator<T>(body, length, received, buffer, read - start, typeInfo, url, offset, cancellationToken);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}

/// <summary>
/// The messages of a body decoded in slices (see <see cref="SlicedBodyDecoder"/>), in order. A reader
/// task reads and cuts the body, queuing each slice's decoding task in a bounded channel; the consumer
/// takes them in order, so a failure surfaces after the items of the slices before it.
/// </summary>
internal sealed class SlicedItemEnumerator<T> : IAsyncEnumerator<T>
{
    private readonly Stream _body;
    private readonly long? _length;
    private readonly JsonTypeInfo<List<T>> _listInfo;
    private readonly Uri _url;
    private readonly string _offset;
    private readonly CancellationToken _cancellationToken;
    private readonly CancellationTokenSource _stop; // the caller's token, or disposal

    private readonly Channel<Task<List<T>>> _slices = Channel.CreateBounded<Task<List<T>>>(
        new BoundedChannelOptions(SlicedBodyDecoder.SlicesAhead) { SingleReader = true, SingleWriter = true });
    private readonly Task _reader;

    // Reader task state.
    private JsonArrayScanner _scanner = new();
    private byte[]? _buffer; // the slice being filled: '[' then body bytes after the last cut
    private int _filled;
    private int _lastCut = -1; // index in _buffer of the last top-level comma
    private long _received;
    private int _queued; // slices handed to decoding so far
    private Task<List<T>>? _pending; // cut, not yet in the channel
    private bool _done;

    // Consumer state.
    private List<T>? _current;
    private int _index;
    private bool _disposed;

    public SlicedItemEnumerator(Stream body, long? length, long received, byte[] buffer, int filled, JsonTypeInfo<T> typeInfo, Uri url, string offset,
        CancellationToken cancellationToken)
    {
        _body = body;
        _length = length;
        _received = received;
        _buffer = buffer;
        _filled = filled;
        _listInfo = JsonListInfo.For(typeInfo);
        _url = url;
        _offset = offset;
        _cancellationToken = cancellationToken;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Take(_scanner.Scan(buffer.AsSpan(1, filled - 1), out var closeAt), closeAt, 1);
        _reader = Task.Run(ReadLoopAsync); // reads and cuts while the consumer takes items
    }

    public T Current { get; private set; } = default!;

    public ValueTask<bool> MoveNextAsync()
    {
        if (_current is { } items && ++_index < items.Count)
        {
            Current = items[_index];
            return new ValueTask<bool>(true);
        }
        return NextSliceAsync();
    }

    private async ValueTask<bool> NextSliceAsync()
    {
        _current = null;
        while (true)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (!_slices.Reader.TryRead(out var slice))
            {
                if (!await _slices.Reader.WaitToReadAsync(_cancellationToken).ConfigureAwait(false))
                {
                    await _reader.ConfigureAwait(false); // the body's failure, if any, after every slice before it
                    return false;
                }
                continue;
            }
            var items = await slice.ConfigureAwait(false); // failures are already typed
            if (items.Count == 0) continue;
            _current = items;
            _index = 0;
            Current = items[0];
            return true;
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                if (_pending is { } slice)
                {
                    await _slices.Writer.WriteAsync(slice, _stop.Token).ConfigureAwait(false);
                    _pending = null;
                }
                if (_done) return;
                await ReadSliceAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!_stop.IsCancellationRequested)
        {
            throw BatchDecoder.BodyFailure(ex, _url, _offset);
        }
        finally
        {
            _slices.Writer.TryComplete();
            if (_pending is { } orphan) await Observe(orphan).ConfigureAwait(false);
            if (_buffer is { } buffer)
            {
                _buffer = null;
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Reads until one more slice is cut, or to the end of the body.</summary>
    private async ValueTask ReadSliceAsync()
    {
        while (_pending is null && !_done)
        {
            if (_scanner.TrailingData)
            {
                _done = true;
                throw new JsonException("The response body continues after its JSON array.");
            }
            if (_scanner.Closed) _filled = 0; // past the array only whitespace is checked, nothing kept
            else if (_lastCut > 0 && _filled >= SlicedBodyDecoder.SliceBytes)
            {
                Cut();
                return;
            }
            var buffer = _buffer!;
            if (_filled == buffer.Length) buffer = Grow();
            var want = Math.Min(buffer.Length - _filled, Math.Max(SlicedBodyDecoder.SliceBytes - _filled, SlicedBodyDecoder.MinReadBytes));
            var read = await _body.ReadAsync(buffer.AsMemory(_filled, want), _stop.Token).ConfigureAwait(false);
            if (read == 0)
            {
                End();
                return;
            }
            _received += read;
            var at = _filled;
            _filled += read;
            Take(_scanner.Scan(buffer.AsSpan(at, read), out var closeAt), closeAt, at);
        }
    }

    private void Take(int lastCut, int closeAt, int at)
    {
        if (lastCut >= 0) _lastCut = at + lastCut;
        if (closeAt < 0) return;
        // The rest of the array (up to its closing bracket) is the last slice; what follows is only checked.
        var buffer = _buffer!;
        _buffer = ArrayPool<byte>.Shared.Rent(SlicedBodyDecoder.MinReadBytes);
        _filled = 0;
        Queue(buffer, at + closeAt + 1, last: true);
    }

    private void End()
    {
        _done = true;
        if (_received < _length) throw new IOException($"The response body ended after {_received} of {_length} bytes.");
        if (!_scanner.Closed) throw new JsonException("The response body ends inside its JSON array.");
    }

    /// <summary>Cuts the elements up to the last top-level comma into a slice; the bytes after it start the next.</summary>
    private void Cut()
    {
        var buffer = _buffer!;
        var carry = _filled - (_lastCut + 1);
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(SlicedBodyDecoder.SliceBytes + SlicedBodyDecoder.MinReadBytes, carry + 1));
        next[0] = (byte)'[';
        buffer.AsSpan(_lastCut + 1, carry).CopyTo(next.AsSpan(1));
        buffer[_lastCut] = (byte)']';
        _buffer = next; // before queuing: the slice's buffer belongs to its decoding task from then on
        Queue(buffer, _lastCut + 1, last: false);
        _filled = 1 + carry;
        _lastCut = -1;
    }

    private byte[] Grow()
    {
        // An element larger than the buffer: the slice grows until its end arrives.
        var buffer = _buffer!;
        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, _filled).CopyTo(bigger);
        _buffer = bigger;
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    private void Queue(byte[] buffer, int length, bool last)
    {
        // Only a body that is one slice may be an empty array: elsewhere an empty slice means ",," or "[," or ",]".
        var allowEmpty = last && _queued == 0;
        _queued++;
        var listInfo = _listInfo;
        var url = _url;
        var offset = _offset;
        _pending = Task.Run(() => Decode(buffer, length, allowEmpty, listInfo, url, offset));
    }

    private static List<T> Decode(byte[] buffer, int length, bool allowEmpty, JsonTypeInfo<List<T>> listInfo, Uri url, string offset)
    {
        try
        {
            var items = JsonSerializer.Deserialize(buffer.AsSpan(0, length), listInfo)!;
            if (items.Count == 0 && !allowEmpty) throw new JsonException("The response body's JSON array has an empty element.");
            return items;
        }
        catch (JsonException ex)
        {
            throw BatchDecoder.BodyFailure(ex, url, offset);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task Observe(Task slice)
    {
        try
        {
            await slice.ConfigureAwait(false);
        }
        catch
        {
            // The consumer stopped before this slice: its failure is not theirs to see.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _current = null;
        _stop.Cancel(); // stop reading; the reader returns its buffer as it ends
        await Observe(_reader).ConfigureAwait(false);
        // Decoding tasks return their own buffers; wait so none outlives the enumerator unobserved.
        while (_slices.Reader.TryRead(out var slice)) await Observe(slice).ConfigureAwait(false);
        _stop.Dispose();
    }
}
