using System.Net;
using DurableStreams.Logging;

namespace DurableStreams.Producers;

/// <summary>The producer's own failures, with messages that say what happened and what to do.</summary>
internal static class ProducerFailures
{
    public static ProducerEpochCollisionException Collision(string producerId, Uri url, ProducerBatch batch, long? serverSeq) =>
        new($"Producer '{producerId}' on {UrlRedaction.Display(url)} collided with another writer: the server already holds a batch at epoch " +
            $"{batch.Epoch}, seq {batch.Seq}{Highest(serverSeq)} that this instance never sent, so this batch was not stored. " +
            $"Another writer uses producer id '{producerId}' at epoch {batch.Epoch}: give every instance a higher epoch " +
            "than the last (or leave Epoch unset to have the producer claim one), or use a unique producer id.",
            url, producerId, batch.Epoch, batch.Seq, serverSeq) { Outcome = WriteOutcome.NotStored };

    public static ProducerOutcomeUnknownException DuplicateUnconfirmed(string producerId, Uri url, ProducerBatch batch) =>
        new($"Producer '{producerId}' on {UrlRedaction.Display(url)} cannot tell whether its batch at epoch {batch.Epoch}, seq {batch.Seq} was stored: " +
            "an earlier attempt may have reached the server, and the server now answers that it holds a batch with that number, " +
            "but no batch of this instance has been confirmed at this epoch yet, so that batch may as well be an earlier " +
            "writer's. The producer stops; check the stream before sending the batch's messages again.",
            url, HttpStatusCode.NoContent, producerId, batch.Epoch, batch.Seq) { Outcome = WriteOutcome.Unknown };

    public static ProducerOutcomeUnknownException FencedAfterAmbiguousAttempt(string producerId, Uri url, ProducerBatch batch, long? serverEpoch) =>
        new($"Producer '{producerId}' on {UrlRedaction.Display(url)} cannot tell whether its batch at epoch {batch.Epoch}, seq {batch.Seq} was stored: " +
            $"an earlier attempt may have reached the server, and the server now holds epoch {Epoch(serverEpoch)}, so sending " +
            "the batch again under a new epoch could store it twice. The producer stops; check the stream before sending the " +
            "batch's messages again.",
            url, HttpStatusCode.Forbidden, producerId, batch.Epoch, batch.Seq) { Outcome = WriteOutcome.Unknown };

    public static StaleProducerEpochException Fenced(string producerId, Uri url, long epoch, long? serverEpoch) =>
        new($"Producer '{producerId}' on {UrlRedaction.Display(url)} was fenced by a newer instance: another instance of this producer id claimed " +
            $"epoch {Epoch(serverEpoch)} (this one writes at epoch {epoch}), so this instance may no longer write and stops; " +
            "what it had not stored yet is not sent. Set AutoClaim to have instances take the id back from each other instead.",
            url, serverEpoch) { Outcome = WriteOutcome.NotStored };

    public static StaleProducerEpochException Stale(string producerId, Uri url, long epoch, long? serverEpoch) =>
        new($"Producer '{producerId}' on {UrlRedaction.Display(url)} cannot write at epoch {epoch}: the server holds epoch {Epoch(serverEpoch)} " +
            "for this producer id. Start with a higher epoch, leave Epoch unset to have the producer claim one, or set AutoClaim.",
            url, serverEpoch) { Outcome = WriteOutcome.NotStored };

    private static string Highest(long? serverSeq) => serverSeq is { } s ? $" (its highest seq at that epoch is {s})" : "";

    private static string Epoch(long? epoch) => epoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(not reported)";
}
