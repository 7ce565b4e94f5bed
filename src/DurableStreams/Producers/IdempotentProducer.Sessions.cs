using System.Net;
using DurableStreams.Http;
using DurableStreams.Logging;
using DurableStreams.Producers;

namespace DurableStreams;

// Sessions of a producer id: what a success answer means for a batch, and claiming the next epoch
// after a fence or a collision (§5.2.1 restart and auto-claim flows).
public sealed partial class IdempotentProducer
{
    /// <summary>What a success status means for the batch it answers.</summary>
    private enum Answer
    {
        /// <summary>This request stored it (200).</summary>
        Written,
        /// <summary>An earlier attempt of this instance stored it (204 after an attempt that may have landed).</summary>
        Stored,
        /// <summary>The server holds another writer's batch under its number; it is not stored.</summary>
        Collision,
        /// <summary>A close without data answered 204 before the epoch is confirmed: closed, or another writer's number.</summary>
        Unverified,
    }

    /// <summary>
    /// Judges a success answer (caller does not hold the lock). 200 means this request stored the batch;
    /// 204 means the server already holds a batch with its (id, epoch, seq), and only the batch's own
    /// history says whose: throws <see cref="ProducerOutcomeUnknownException"/> when it cannot tell.
    /// </summary>
    private Answer Judge(ProducerBatch batch, HttpResponseMessage response, bool closeOnly, out long? serverSeq)
    {
        serverSeq = null;
        // A close without data is answered 204 when it succeeds, and that answer is judged below.
        if (response.StatusCode != HttpStatusCode.NoContent) return Answer.Written;
        serverSeq = ResponseHeaderReader.Int64(response, ProtocolNames.ProducerSeq);
        lock (_gate)
        {
            var current = batch.Epoch == _epoch;
            // The server holds a number this instance never gave out at this epoch: another writer's.
            if (current && serverSeq > _nextSeq - 1) return Answer.Collision;
            // Older epochs were confirmed: batches are pipelined only after a confirmation.
            var confirmed = !current || _epochConfirmed;
            if (closeOnly) return confirmed ? Answer.Stored : Answer.Unverified;
            // No attempt could have stored it, so the batch under its number is another writer's.
            if (!batch.MaybeDelivered) return Answer.Collision;
            // Our earlier attempt landed: the ordinary retry deduplicated by the server.
            if (confirmed) return Answer.Stored;
        }
        // Ours or an earlier session's at this same epoch: guessing would lose or duplicate data.
        throw ProducerFailures.DuplicateUnconfirmed(ProducerId, _stream.Url, batch);
    }

    /// <summary>
    /// After a stale-epoch answer or a collision: claims the next epoch (if this batch's epoch is still
    /// the current one) and renumbers the batch under it, queued behind earlier fenced batches when
    /// <paramref name="requeue"/>, and returns null; or returns the failure to stop with. A new
    /// session claims until its epoch is confirmed; <see cref="IdempotentProducerOptions.AutoClaim"/>
    /// always does. Caller holds the lock.
    /// </summary>
    private Exception? ClaimOrFail(ProducerBatch batch, long? serverEpoch, long? serverSeq, bool stale, bool requeue)
    {
        var current = batch.Epoch == _epoch;
        var confirmed = !current || _epochConfirmed;
        Exception cause = !stale ? ProducerFailures.Collision(ProducerId, _stream.Url, batch, serverSeq)
            : confirmed ? ProducerFailures.Fenced(ProducerId, _stream.Url, batch.Epoch, serverEpoch)
            : ProducerFailures.Stale(ProducerId, _stream.Url, batch.Epoch, serverEpoch);
        if (!_options.AutoClaim && !(_newSession && !confirmed)) return cause;
        // Fenced after an attempt that may have landed: a resend under a new epoch could store it twice.
        if (stale && batch.MaybeDelivered) return ProducerFailures.FencedAfterAmbiguousAttempt(ProducerId, _stream.Url, batch, serverEpoch);
        if (current)
        {
            // First fence or collision seen in this epoch: claim the next one, once.
            if (++_claims > MaxConsecutiveClaims) return cause;
            _epoch = Math.Max(_epoch + 1, (serverEpoch ?? _epoch) + 1);
            _nextSeq = 0;
            _window.NewEpoch();
            _epochConfirmed = false;
        }
        batch.MaybeDelivered = false;
        batch.Refusals = 0; // numbered afresh under the claimed epoch
        if (!requeue)
        {
            Number(batch);
            return null;
        }
        _inFlight.Remove((batch.Epoch, batch.Seq));
        var at = _fenced.FindIndex(f => (f.Epoch, f.Seq).CompareTo((batch.Epoch, batch.Seq)) > 0);
        _fenced.Insert(at < 0 ? _fenced.Count : at, batch);
        return null;
    }

    /// <summary>The batch waits in the fenced queue; it is resent from there under the claimed epoch.</summary>
    private void Claimed()
    {
        Log.EpochClaimed(_client.Http.Logger, ProducerId, _stream.Url.AbsolutePath, Epoch);
        Pump();
    }

    /// <summary>Gives the batch the current epoch and the next sequence number (caller holds the lock).</summary>
    private void Number(ProducerBatch batch)
    {
        batch.Epoch = _epoch;
        batch.Seq = _nextSeq++;
    }

    /// <summary>A batch was stored by its own request: its epoch is this instance's (caller holds the lock).</summary>
    private void Confirm(ProducerBatch batch)
    {
        if (batch.Epoch == _epoch) _epochConfirmed = true;
        _claims = 0;
    }
}
