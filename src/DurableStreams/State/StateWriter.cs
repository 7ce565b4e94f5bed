using System.Text.Json;

namespace DurableStreams.State;

/// <summary>
/// Writes State Protocol messages to a JSON stream: a transaction's changes go out in one append, together and in order
/// (through the stream's batching append path), or, given an <see cref="IdempotentProducer"/>, through the producer
/// (exactly once, in order; a transaction's messages may then span more than one request).
/// </summary>
/// <remarks>Every message is validated before any of them is sent: an invalid one throws <see cref="StateProtocolException"/> and nothing is written.</remarks>
public sealed class StateWriter
{
    private readonly DurableStream? _stream;
    private readonly IdempotentProducer? _producer;
    private readonly TimeProvider _time;

    /// <summary>A writer appending to <paramref name="stream"/> (a JSON stream).</summary>
    public StateWriter(DurableStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _time = stream.Client.Options.TimeProvider;
    }

    /// <summary>A writer appending through <paramref name="producer"/>; flush or dispose the producer to wait for acknowledgement.</summary>
    public StateWriter(IdempotentProducer producer)
    {
        ArgumentNullException.ThrowIfNull(producer);
        _producer = producer;
        _time = producer.Client.Options.TimeProvider;
    }

    /// <summary>
    /// Writes one transaction: every change gets <paramref name="txid"/> and, unless it has one, the current time as its
    /// timestamp. A reader's <see cref="StateView.AwaitTxIdAsync"/> for <paramref name="txid"/> completes once they are applied.
    /// </summary>
    /// <returns>The offset after the appended messages (null through a producer, where the append is only queued).</returns>
    public Task<Offset?> WriteTransactionAsync(string txid, IEnumerable<ChangeMessage> changes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(txid);
        ArgumentNullException.ThrowIfNull(changes);
        DateTimeOffset now = _time.GetUtcNow();
        return WriteAsync(changes.Select(c => (StateMessage)(c with { TxId = txid, Timestamp = c.Timestamp ?? now })), cancellationToken);
    }

    /// <summary>Writes a control message (<c>snapshot-start</c>, <c>snapshot-end</c> or <c>reset</c>).</summary>
    /// <returns>The offset after it (null through a producer).</returns>
    public Task<Offset?> WriteControlAsync(StateControl control, CancellationToken cancellationToken = default) =>
        WriteAsync([new ControlMessage(control)], cancellationToken);

    /// <summary>Writes messages as they are, together and in order (a no-op when there are none).</summary>
    /// <returns>The offset after them (null through a producer, or when there were none).</returns>
    /// <exception cref="StateProtocolException">A message is invalid; nothing was written.</exception>
    public async Task<Offset?> WriteAsync(IEnumerable<StateMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<WireMessage> wire = [.. messages.Select(StateMessageCodec.ToWire)];
        if (_producer is not null)
        {
            foreach (WireMessage message in wire)
                await _producer.AppendJsonAsync(message, StateJsonContext.Default.WireMessage, cancellationToken).ConfigureAwait(false);
            return null;
        }
        AppendResult? result = await _stream!.AppendJsonManyAsync(wire, StateJsonContext.Default.WireMessage, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return result?.Offset;
    }
}
