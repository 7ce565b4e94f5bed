using DurableStreams.Consumers;

namespace DurableStreams.Subscriptions;

public sealed partial class PullWakeWorker<T>
{
    /// <summary>
    /// Claims the subscription once and, if that succeeds, processes the wake to its end: every pending stream from its
    /// acked offset to its current tail. <see cref="RunAsync"/> calls this on each wake; call it directly to drive a
    /// worker yourself (for example from a scheduled job).
    /// </summary>
    /// <exception cref="PullWakeWorkerException">
    /// The handler failed a message <see cref="PullWakeWorkerOptions.MaxAttempts"/> times under
    /// <see cref="HandlerFailurePolicy.Stop"/>; what finished before it was acked and the lease released.
    /// </exception>
    public async Task<PullWakeOutcome> ProcessOnceAsync(CancellationToken cancellationToken = default)
    {
        var sentAt = _time.GetTimestamp();
        SubscriptionClaim claim;
        try
        {
            claim = await _subscriptions.ClaimAsync(_options.SubscriptionId, _options.WorkerName, cancellationToken).ConfigureAwait(false);
        }
        catch (SubscriptionAlreadyClaimedException)
        {
            return PullWakeOutcome.ClaimedElsewhere;
        }
        catch (SubscriptionNoPendingWorkException)
        {
            return PullWakeOutcome.NoPendingWork;
        }

        var pending = claim.Streams.Where(s => s.HasPending).ToArray();
        PullWakeLog.Claimed(_logger, WorkerName, _options.SubscriptionId, claim.Generation, pending.Length);
        var lease = new WakeLease(_subscriptions, _options.SubscriptionId, claim, sentAt, _time, _logger);
        await using (lease.ConfigureAwait(false))
        {
            using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.LostToken);
            lease.StartHeartbeat(_options.HeartbeatInterval ?? lease.Ttl / 3);
            var messages = 0;
            var current = "";
            try
            {
                foreach (var stream in pending)
                {
                    current = stream.Path;
                    messages += await ProcessStreamAsync(stream, lease, work.Token).ConfigureAwait(false);
                }
                await lease.StopHeartbeatAsync().ConfigureAwait(false);
                if (await lease.AckAsync(done: true, cancellationToken).ConfigureAwait(false) is null)
                    return LeaseLost(lease);
                PullWakeLog.Completed(_logger, WorkerName, _options.SubscriptionId, claim.Generation, messages);
                return PullWakeOutcome.Completed;
            }
            catch (OperationCanceledException) when (lease.IsLost)
            {
                return LeaseLost(lease);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await lease.StopHeartbeatAsync().ConfigureAwait(false);
                await lease.AckAndReleaseAsync(_options.ShutdownTimeout).ConfigureAwait(false);
                return PullWakeOutcome.Stopped;
            }
            catch (HandlerStop stop)
            {
                // Policy Stop: keep what is done, hand the lease back with the failed message unacked, then end.
                await lease.StopHeartbeatAsync().ConfigureAwait(false);
                await lease.AckAndReleaseAsync(_options.ShutdownTimeout).ConfigureAwait(false);
                throw Stopped(stop, lease);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A handler that kept failing, or a stream that could not be read: keep what is done, hand the rest back.
                PullWakeLog.WakeFailed(_logger, WorkerName, _options.SubscriptionId, claim.Generation, current, ex);
                await lease.StopHeartbeatAsync().ConfigureAwait(false);
                await lease.AckAndReleaseAsync(_options.ShutdownTimeout).ConfigureAwait(false);
                return lease.IsLost ? LeaseLost(lease) : PullWakeOutcome.Failed;
            }
        }
    }

    private PullWakeOutcome LeaseLost(WakeLease lease)
    {
        PullWakeLog.LeaseLost(_logger, WorkerName, _options.SubscriptionId, lease.Claim.Generation, lease.LostReason ?? "unknown");
        return PullWakeOutcome.LeaseLost;
    }

    /// <summary>Reads one stream from its acked offset to its tail, handing each message over; returns how many.</summary>
    private async Task<int> ProcessStreamAsync(SubscriptionStreamState stream, WakeLease lease, CancellationToken cancellationToken)
    {
        var count = 0;
        var inHandler = false; // a handler's own NotFound (say, from another stream) is its failure, not this stream's
        try
        {
            var read = new ReadOptions { Offset = stream.AckedOffset, Live = LiveMode.Off };
            await using var response = await _subscriptions.Client.StreamAsync(_subscriptions.StreamUrl(stream.Path).AbsoluteUri, read, cancellationToken).ConfigureAwait(false);
            await foreach (var item in response.ReadEventsAsync(_typeInfo, cancellationToken).ConfigureAwait(false))
            {
                inHandler = true;
                await HandleAsync(new StreamMessage<T>(item.Data, stream.Path, item.Position, 1), stream, lease, cancellationToken).ConfigureAwait(false);
                inHandler = false;
                lease.Advance(stream.Path, item.Position);
                count++;
            }
            // The tail reached, also when it held nothing decodable to hand over: the cursor moves there.
            lease.Advance(stream.Path, response.Offset);
        }
        catch (DurableStreamException ex) when (!inHandler && ex is StreamNotFoundException or RetentionGoneException)
        {
            PullWakeLog.StreamSkipped(_logger, stream.Path, _options.SubscriptionId, ex.Code);
        }
        return count;
    }
}
