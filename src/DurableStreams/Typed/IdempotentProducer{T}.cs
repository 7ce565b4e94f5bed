using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DurableStreams;

/// <summary>
/// An exactly-once producer of <typeparamref name="T"/> messages: the typed face of
/// <see cref="IdempotentProducer"/>, encoding through one source-generated <see cref="JsonTypeInfo{T}"/>.
/// </summary>
public sealed class IdempotentProducer<T> : IAsyncDisposable
{
    /// <summary>A typed view of <paramref name="producer"/>.</summary>
    public IdempotentProducer(IdempotentProducer producer, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentNullException.ThrowIfNull(typeInfo);
        Producer = producer;
        TypeInfo = typeInfo;
    }

    /// <summary>The untyped producer.</summary>
    public IdempotentProducer Producer { get; }

    /// <summary>The JSON metadata messages are written with.</summary>
    public JsonTypeInfo<T> TypeInfo { get; }

    /// <summary>The producer identity.</summary>
    public string ProducerId => Producer.ProducerId;

    /// <summary>The epoch this instance writes at (the claimed one after a restart or an auto-claim); see <see cref="IdempotentProducer.Epoch"/>.</summary>
    public long Epoch => Producer.Epoch;

    /// <summary>The sequence number the next batch will carry.</summary>
    public long NextSeq => Producer.NextSeq;

    /// <summary>Queues one message; waits only while the producer's buffer is full.</summary>
    public ValueTask AppendAsync(T value, CancellationToken cancellationToken = default) =>
        Producer.AppendJsonAsync(value, TypeInfo, cancellationToken);

    /// <summary>Sends what is buffered and waits until everything appended so far is stored; throws the first failure.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => Producer.FlushAsync(cancellationToken);

    /// <summary>Flushes, then closes the stream.</summary>
    public Task<CloseResult> CloseStreamAsync(CancellationToken cancellationToken = default) =>
        Producer.CloseStreamAsync(null, cancellationToken);

    /// <summary>Flushes, then appends <paramref name="finalMessage"/> and closes the stream, atomically.</summary>
    public Task<CloseResult> CloseStreamAsync(T finalMessage, CancellationToken cancellationToken = default) =>
        Producer.CloseStreamAsync(JsonSerializer.SerializeToUtf8Bytes(finalMessage, TypeInfo), cancellationToken);

    /// <summary>Flushes and stops.</summary>
    public ValueTask DisposeAsync() => Producer.DisposeAsync();
}
