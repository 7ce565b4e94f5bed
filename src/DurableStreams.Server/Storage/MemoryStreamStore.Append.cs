using System.Runtime.InteropServices;
using DurableStreams.Server.Protocol;

namespace DurableStreams.Server.Storage;

/// <summary>Appends: the checks of §5.2 and §5.2.1 in order, then one committed record.</summary>
internal partial class MemoryStreamStore
{
    public AppendOutcome Append(string path, AppendRequest request)
    {
        // Validating and flattening a JSON body is the costly part of an append and needs no state: done before the
        // lock, so appends to any stream do it in parallel. A producer's batch is first checked under the lock: its
        // pipelined batches that arrive out of order are refused (409 sequence gap) and resent, and a refused one
        // should not pay for its body. That first look answers every refusal that comes before the body (not found,
        // gone, closed, content type, producer, Stream-Seq) as the full pass would at that moment; the full pass
        // checks everything again, so a change in between is answered as if the request had arrived after it.
        Flattened? flattened = null;
        if (request.Body.Length > 0 && ContentTypes.IsJson(request.ContentType))
        {
            if (request.Producer is not null)
            {
                lock (Gate)
                {
                    if (Lookup(path, out var stream) is { } missing) return missing;
                    if (Refusal(stream, request, closeOnly: false, out _) is { } refused) return refused;
                }
            }
            flattened = Flatten(request.Body);
        }
        lock (Gate)
        {
            if (Lookup(path, out var stream) is { } missing) return missing;
            return AppendCore(stream, request, flattened);
        }
    }

    /// <summary>Resolves and touches the stream; the outcome when there is none to append to.</summary>
    private AppendOutcome? Lookup(string path, out StreamState stream)
    {
        var (status, found) = Resolve(path);
        stream = found!;
        if (status == LookupStatus.NotFound) return new(AppendStatus.NotFound);
        if (status == LookupStatus.Gone) return new(AppendStatus.Gone);
        Touch(stream);
        return null;
    }

    private readonly record struct Flattened(bool Ok, byte[] Data, int Count, string? Error);

    private static Flattened Flatten(ReadOnlyMemory<byte> body) =>
        JsonMessages.TryFlatten(body, isCreate: false, out var data, out var count, out var error)
            ? new(true, data, count, null)
            : new(false, [], 0, error);

    /// <summary>
    /// The checks before the body matters, in the protocol's order (closed, content type, producer, Stream-Seq); null
    /// when the request may go on, with the producer state it would leave. Changes nothing.
    /// </summary>
    private static AppendOutcome? Refusal(StreamState stream, AppendRequest request, bool closeOnly, out ProducerState? newProducerState)
    {
        newProducerState = null;
        if (stream.Closed)
        {
            // A retry of the request that closed the stream is a duplicate, not a conflict (§5.2.1).
            if (request.Producer is { } retry && stream.ClosedBy == retry)
                return new(AppendStatus.Duplicate, stream.Tail, StreamClosed: true, ProducerValue: retry.Seq);
            if (closeOnly && request.Producer is null) return new(AppendStatus.ClosedNow, stream.Tail, StreamClosed: true);
            return new(AppendStatus.StreamClosed, stream.Tail, StreamClosed: true);
        }

        if (!closeOnly && !ContentTypes.AreSame(request.ContentType, stream.ContentType))
            return new(AppendStatus.ContentTypeMismatch, Error: "Content-type mismatch");

        if (request.Producer is { } producer && ValidateProducer(stream, producer, out newProducerState) is { } check) return check;

        // A close without data carries no Stream-Seq to check.
        if (!closeOnly && request.Seq is not null && stream.LastSeq is not null && string.CompareOrdinal(request.Seq, stream.LastSeq) <= 0)
            return new(AppendStatus.SeqConflict, Error: "Sequence conflict");
        return null;
    }

    private AppendOutcome AppendCore(StreamState stream, AppendRequest request, Flattened? flattened)
    {
        var closeOnly = request.Close && request.Body.Length == 0;
        if (Refusal(stream, request, closeOnly, out var newProducerState) is { } refused) return refused;

        if (closeOnly)
        {
            Commit(new JournalRecord
            {
                Op = JournalRecord.CloseOp,
                Path = stream.Path,
                Close = true,
                ClosedBy = ToJournal(request.Producer),
                Producer = ToJournal(request.Producer, newProducerState),
            });
            return new(AppendStatus.ClosedNow, stream.Tail, StreamClosed: true, ProducerValue: request.Producer?.Seq ?? 0);
        }

        var json = ContentTypes.IsJson(stream.ContentType);
        var count = 0;
        byte[] data;
        if (json)
        {
            // The content types matched above, so a JSON stream means the body was flattened before the lock.
            var result = flattened ?? Flatten(request.Body);
            if (!result.Ok) return new(AppendStatus.InvalidJson, Error: result.Error);
            (data, count) = (result.Data, result.Count);
        }
        else data = WholeArray(request.Body);

        var before = stream.Tail;
        var offset = Offsets.Advance(before, data.Length);
        Commit(new JournalRecord
        {
            Op = JournalRecord.AppendOp,
            Path = stream.Path,
            Messages = [new(offset, data, json ? count : 0)],
            Close = request.Close,
            ClosedBy = request.Close ? ToJournal(request.Producer) : null,
            Producer = ToJournal(request.Producer, newProducerState),
            Seq = request.Seq,
        });
        DataAdded?.Invoke(new(stream.Path, before, stream.Generation));
        return new(AppendStatus.Appended, offset, request.Close, request.Producer?.Seq ?? 0, Messages: json ? count : 1, Bytes: data.Length);
    }

    /// <summary>A body that is a whole array (every non-JSON one) is stored as it is; anything else is copied.</summary>
    private static byte[] WholeArray(ReadOnlyMemory<byte> body) =>
        MemoryMarshal.TryGetArray(body, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : body.ToArray();

    /// <summary>Kafka-style epoch and sequence rules (§5.2.1); null when the request is accepted.</summary>
    private static AppendOutcome? ValidateProducer(StreamState stream, ProducerClaim claim, out ProducerState? accepted)
    {
        accepted = null;
        if (!stream.Producers.TryGetValue(claim.Id, out var state))
        {
            if (claim.Seq != 0) return new(AppendStatus.SequenceGap, ProducerValue: 0, ReceivedSeq: claim.Seq);
            accepted = new(claim.Epoch, 0);
            return null;
        }
        if (claim.Epoch < state.Epoch) return new(AppendStatus.StaleEpoch, ProducerValue: state.Epoch);
        if (claim.Epoch > state.Epoch)
        {
            if (claim.Seq != 0) return new(AppendStatus.InvalidEpochSeq, Error: "New epoch must start with sequence 0");
            accepted = new(claim.Epoch, 0);
            return null;
        }
        if (claim.Seq <= state.LastSeq) return new(AppendStatus.Duplicate, stream.Tail, stream.Closed, ProducerValue: state.LastSeq);
        if (claim.Seq == state.LastSeq + 1)
        {
            accepted = new(claim.Epoch, claim.Seq);
            return null;
        }
        return new(AppendStatus.SequenceGap, ProducerValue: state.LastSeq + 1, ReceivedSeq: claim.Seq);
    }
}
