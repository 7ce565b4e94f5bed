using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DurableStreams.Reading;

/// <summary>
/// Decodes the data events of an SSE connection as they arrive, for reads that know their message type when they
/// open (the typed handle, <see cref="DurableStream{T}"/>). Each payload is decoded while the SSE parser still holds
/// its bytes, so no payload is copied into an array of its own. The messages wait here until a control event commits
/// them, exactly as the payloads did before; a payload that fails to decode fails the delivery it belongs to when
/// that delivery is opened, with the same exception, URL and offset as a decode after the control event.
/// </summary>
internal abstract class SseItemSink
{
    /// <summary>Data events received since the last control event (empty ones included).</summary>
    public int Events { get; protected set; }

    /// <summary>Decodes one data-event payload (already base64-decoded where the connection asked for it).</summary>
    public abstract void Add(ReadOnlySpan<byte> payload);

    /// <summary>
    /// Whether the pending data events hold any data, as <see cref="ReadResponseCheck.HasData(ReadOnlySpan{byte}, bool)"/>
    /// would say of their payloads: in JSON mode a message or an invalid payload, else any non-whitespace byte.
    /// </summary>
    public abstract bool HasData(bool json);

    /// <summary>The pending messages, handed to the delivery a control event committed; the sink starts empty again.</summary>
    public abstract SseDecodedDelivery Take();

    /// <summary>Drops the pending data events (the connection ended before a control event committed them).</summary>
    public abstract void Clear();

    /// <summary>A sink decoding through <paramref name="typeInfo"/>.</summary>
    public static SseItemSink For<T>(JsonTypeInfo<T> typeInfo) => new Typed<T>(typeInfo);

    private sealed class Typed<T>(JsonTypeInfo<T> typeInfo) : SseItemSink
    {
        private List<T> _items = [];
        private ExceptionDispatchInfo? _failure;
        private bool _anyBytes;

        public override void Add(ReadOnlySpan<byte> payload)
        {
            Events++;
            if (!_anyBytes && !payload.Trim(" \t\r\n"u8).IsEmpty) _anyBytes = true;
            if (_failure is not null) return; // the delivery already fails: the rest of it is only drained
            try
            {
                BatchDecoder.ParsePayloadInto(_items, payload, typeInfo);
            }
            catch (Exception ex)
            {
                // The first invalid payload, as a decode after the control event would report it (and then, not now:
                // this event may never be committed).
                _failure = ExceptionDispatchInfo.Capture(ex);
            }
        }

        public override bool HasData(bool json) => json ? _items.Count > 0 || _failure is not null : _anyBytes;

        public override SseDecodedDelivery Take()
        {
            var delivery = new SseDecodedDelivery<T>(typeInfo, _items, _failure);
            _items = [];
            Reset();
            return delivery;
        }

        public override void Clear()
        {
            _items.Clear();
            Reset();
        }

        private void Reset()
        {
            _failure = null;
            _anyBytes = false;
            Events = 0;
        }
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
