using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DurableStreams.Reading;

/// <summary>
/// Decodes the data events of an SSE connection as they arrive, for reads that know their message type when they
/// open (the typed handle, <see cref="DurableStream{T}"/>). The messages wait here until a control event commits
/// them, exactly as the payloads did before; a payload that fails to decode fails the delivery it belongs to when
/// that delivery is opened, with the same exception, URL and offset as a decode after the control event.
/// </summary>
/// <remarks>
/// The first <see cref="InlineBytes"/> of payloads after a control event are decoded on the receiving thread while
/// the SSE parser still holds their bytes (no copy, no thread hop: a live delivery of a few events). Past that (a
/// catch-up from the beginning commits the whole stream at once, one event per message), when parallel decoding is
/// allowed, payloads are copied into pooled segments of about that size, and each full segment is decoded on the
/// thread pool while the connection is still being parsed; the control event then waits for them, in order.
/// </remarks>
internal abstract class SseItemSink
{
    /// <summary>Payload bytes decoded on the receiving thread per delivery before segments take over.</summary>
    internal const int InlineBytes = SlicedBodyDecoder.SliceBytes;

    /// <summary>Data events received since the last control event (empty ones included).</summary>
    public int Events { get; protected set; }

    /// <summary>Decodes one data-event payload (already base64-decoded where the connection asked for it), or queues it.</summary>
    public abstract void Add(ReadOnlySpan<byte> payload);

    /// <summary>
    /// Whether the pending data events hold any data, as <see cref="ReadResponseCheck.HasData(ReadOnlySpan{byte}, bool)"/>
    /// says of their payloads: in JSON mode anything but whitespace and empty arrays, else any non-whitespace byte.
    /// </summary>
    public abstract bool HasData(bool json);

    /// <summary>The pending messages, handed to the delivery a control event committed; the sink starts empty again.</summary>
    public abstract ValueTask<SseDecodedDelivery> TakeAsync();

    /// <summary>Drops the pending data events (the connection ended before a control event committed them).</summary>
    public abstract void Clear();

    /// <summary>A sink decoding through <paramref name="typeInfo"/>; large deliveries on more than one core when <paramref name="parallel"/>.</summary>
    public static SseItemSink For<T>(JsonTypeInfo<T> typeInfo, bool parallel) => new Typed<T>(typeInfo, parallel && Environment.ProcessorCount > 1);

    private sealed class Typed<T>(JsonTypeInfo<T> typeInfo, bool parallel) : SseItemSink
    {
        private List<T> _items = [];
        private ExceptionDispatchInfo? _failure;
        private bool _anyBytes, _anyJsonData;
        private int _inlineBytes;

        // The segment being filled (payload bytes, and where each payload ends), and the segments sent off, in order.
        private byte[]? _segment;
        private int[]? _ends;
        private int _used, _count;
        private readonly List<Task<Part>> _sent = [];

        public override void Add(ReadOnlySpan<byte> payload)
        {
            Events++;
            if (!_anyBytes && !payload.Trim(" \t\r\n"u8).IsEmpty) _anyBytes = true;
            if (_failure is not null) return; // the delivery already fails: the rest of it is only drained
            if (parallel && _inlineBytes >= InlineBytes)
            {
                if (!_anyJsonData && ReadResponseCheck.HasData(payload, json: true)) _anyJsonData = true;
                Queue(payload);
                return;
            }
            _inlineBytes += payload.Length;
            var before = _items.Count;
            try
            {
                BatchDecoder.ParsePayloadInto(_items, payload, typeInfo);
            }
            catch (Exception ex)
            {
                // The first invalid payload, as a decode after the control event would report it (and then, not now:
                // this event may never be committed).
                _failure = ExceptionDispatchInfo.Capture(ex);
                _anyJsonData = true;
            }
            if (_items.Count > before) _anyJsonData = true;
        }

        private void Queue(ReadOnlySpan<byte> payload)
        {
            if (_segment is not null && (_used + payload.Length > _segment.Length || _count == _ends!.Length)) Send();
            if (_segment is null)
            {
                _segment = ArrayPool<byte>.Shared.Rent(Math.Max(InlineBytes, payload.Length));
                _ends = ArrayPool<int>.Shared.Rent(InlineBytes / 32);
            }
            payload.CopyTo(_segment.AsSpan(_used));
            _used += payload.Length;
            _ends![_count++] = _used;
        }

        /// <summary>Decodes the filled segment on the thread pool; the task owns its buffers from here.</summary>
        private void Send()
        {
            var (segment, ends, count) = (_segment!, _ends!, _count);
            _sent.Add(Task.Run(() => Decode(segment, ends, count, typeInfo)));
            (_segment, _ends, _used, _count) = (null, null, 0, 0);
        }

        private static Part Decode(byte[] segment, int[] ends, int count, JsonTypeInfo<T> typeInfo)
        {
            var items = new List<T>(count);
            try
            {
                var start = 0;
                for (var i = 0; i < count; i++)
                {
                    BatchDecoder.ParsePayloadInto(items, segment.AsSpan(start, ends[i] - start), typeInfo);
                    start = ends[i];
                }
                return new Part(items, null);
            }
            catch (Exception ex)
            {
                return new Part(items, ExceptionDispatchInfo.Capture(ex));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(segment);
                ArrayPool<int>.Shared.Return(ends);
            }
        }

        public override bool HasData(bool json) => json ? _anyJsonData : _anyBytes;

        public override ValueTask<SseDecodedDelivery> TakeAsync()
        {
            if (_segment is null && _sent.Count == 0)
            {
                var delivery = new SseDecodedDelivery<T>(typeInfo, _items, _failure);
                _items = [];
                Reset();
                return new ValueTask<SseDecodedDelivery>(delivery);
            }
            return TakeSegmentsAsync();
        }

        private async ValueTask<SseDecodedDelivery> TakeSegmentsAsync()
        {
            // The last segment is decoded here, meanwhile the others finish; then all in order.
            Part? last = null;
            if (_segment is not null)
            {
                last = Decode(_segment, _ends!, _count, typeInfo);
                (_segment, _ends, _used, _count) = (null, null, 0, 0);
            }
            var parts = new Part[_sent.Count + (last is null ? 0 : 1)];
            for (var i = 0; i < _sent.Count; i++) parts[i] = await _sent[i].ConfigureAwait(false); // they never fault
            if (last is not null) parts[^1] = last;
            var items = _items;
            var failure = _failure;
            var total = items.Count;
            foreach (var part in parts) total += part.Items.Count;
            items.EnsureCapacity(total);
            foreach (var part in parts)
            {
                if (failure is not null) break;
                items.AddRange(part.Items);
                failure = part.Failure;
            }
            _items = [];
            Reset();
            return new SseDecodedDelivery<T>(typeInfo, items, failure);
        }

        public override void Clear()
        {
            _items.Clear();
            if (_segment is not null)
            {
                ArrayPool<byte>.Shared.Return(_segment);
                ArrayPool<int>.Shared.Return(_ends!);
            }
            Reset(); // segments sent off return their own buffers; their results are dropped
        }

        private void Reset()
        {
            _failure = null;
            _anyBytes = _anyJsonData = false;
            _inlineBytes = 0;
            _sent.Clear();
            (_segment, _ends, _used, _count) = (null, null, 0, 0);
            Events = 0;
        }

        private sealed record Part(List<T> Items, ExceptionDispatchInfo? Failure);
    }
}

/// <summary>The messages of one SSE delivery, decoded as they arrived (see <see cref="SseItemSink"/>).</summary>
internal abstract class SseDecodedDelivery
{
    /// <summary>
    /// The messages, or the delivery's failure: the first invalid payload's error, reported at
    /// <paramref name="offset"/> as <see cref="SsePayloadDecoder"/> reports it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The delivery was decoded through other metadata (a bug: only the typed handle decodes ahead).</exception>
    public static List<T> ItemsOf<T>(SseDecodedDelivery delivery, JsonTypeInfo<T> typeInfo, Uri url, string offset)
    {
        if (delivery is not SseDecodedDelivery<T> typed || !ReferenceEquals(typed.TypeInfo, typeInfo))
            throw new InvalidOperationException($"An SSE delivery decoded ahead through other JSON metadata was read as {typeof(T).Name}.");
        if (typed.Failure?.SourceException is JsonException json) throw BatchDecoder.PayloadFailure(json, url, offset);
        typed.Failure?.Throw();
        return typed.Items;
    }
}

internal sealed class SseDecodedDelivery<T>(JsonTypeInfo<T> typeInfo, List<T> items, ExceptionDispatchInfo? failure) : SseDecodedDelivery
{
    public JsonTypeInfo<T> TypeInfo => typeInfo;
    public List<T> Items => items;
    public ExceptionDispatchInfo? Failure => failure;
}
