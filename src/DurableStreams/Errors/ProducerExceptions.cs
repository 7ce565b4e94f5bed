using System.Net;

namespace DurableStreams;

/// <summary>
/// Another writer uses this producer id at this epoch: the server answered a batch this instance had
/// never sent before as a duplicate (204), so the server holds someone else's batch under that
/// (id, epoch, seq) and this batch was <b>not</b> stored. The producer stops. Give every instance an
/// epoch above the last one (or leave <see cref="IdempotentProducerOptions.Epoch"/> unset to have the
/// producer claim one), or use a producer id no other writer shares.
/// </summary>
public sealed class ProducerEpochCollisionException(string message, Uri? url, string producerId, long epoch, long seq, long? serverSeq)
    : DurableStreamException(message, DurableStreamErrorCode.ProducerEpochCollision, HttpStatusCode.NoContent, url)
{
    /// <summary>The producer id.</summary>
    public string ProducerId { get; } = producerId;

    /// <summary>The epoch the batch was sent at.</summary>
    public long Epoch { get; } = epoch;

    /// <summary>The sequence number the batch carried.</summary>
    public long Seq { get; } = seq;

    /// <summary>The highest sequence number the server holds for this id and epoch (<c>Producer-Seq</c>), when it sent one.</summary>
    public long? ServerSeq { get; } = serverSeq;
}

/// <summary>
/// The producer cannot tell whether a batch was stored: an earlier attempt may have reached the
/// server, and the answer to the retry fits both "stored by that attempt" and "the number belongs to
/// another writer" (or resending under a new epoch could store it twice). The producer stops rather
/// than guess; the batch may or may not be in the stream.
/// </summary>
public sealed class ProducerOutcomeUnknownException(string message, Uri? url, HttpStatusCode? status, string producerId, long epoch, long seq)
    : DurableStreamException(message, DurableStreamErrorCode.ProducerOutcomeUnknown, status, url)
{
    /// <summary>The producer id.</summary>
    public string ProducerId { get; } = producerId;

    /// <summary>The epoch the batch was sent at.</summary>
    public long Epoch { get; } = epoch;

    /// <summary>The sequence number the batch carried.</summary>
    public long Seq { get; } = seq;
}
