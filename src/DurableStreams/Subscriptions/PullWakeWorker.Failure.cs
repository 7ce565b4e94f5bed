using DurableStreams.Consumers;

namespace DurableStreams.Subscriptions;

public sealed partial class PullWakeWorker<T>
{
    /// <summary>
    /// Hands <paramref name="message"/> to the handler, retrying with backoff while the lease holds, then applies
    /// <see cref="PullWakeWorkerOptions.FailurePolicy"/>. Returns once the message is handled or skipped (the caller
    /// then acks past it); throws to leave it unacked.
    /// </summary>
    private async Task HandleAsync(StreamMessage<T> message, SubscriptionStreamState stream, WakeLease lease, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // A lease past its deadline may already be someone else's: hand nothing more over.
            if (lease.CheckExpired()) cancellationToken.ThrowIfCancellationRequested();
            lease.LostToken.ThrowIfCancellationRequested();
            var current = message with { Attempt = attempt };
            try
            {
                await _handler.HandleAsync(current, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= _options.MaxAttempts)
                {
                    await GiveUpAsync(current, stream, ex, cancellationToken).ConfigureAwait(false);
                    return;
                }
                var delay = Backoff(attempt);
                PullWakeLog.HandlerRetrying(_logger, message.Stream, message.Position.ToString(), attempt, delay.TotalMilliseconds, ex);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Applies the failure policy to a message that failed its last attempt; returns only when it is skipped.</summary>
    private async Task GiveUpAsync(StreamMessage<T> message, SubscriptionStreamState stream, Exception failure, CancellationToken cancellationToken)
    {
        switch (_options.FailurePolicy)
        {
            case HandlerFailurePolicy.Stop:
                throw new HandlerStop(message, stream, failure);
            case HandlerFailurePolicy.Skip:
                var position = message.Position.ToString();
                PullWakeLog.MessageSkipped(_logger, WorkerName, _options.SubscriptionId, message.Stream, position, message.Attempt, failure);
                if (_deadLetter is null) return;
                try
                {
                    await _deadLetter.HandleFailedAsync(message, failure, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (Exception deadLetterFailure) when (deadLetterFailure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Not recorded, so not skipped: the wake is released with the message unacked, as without a policy.
                    PullWakeLog.DeadLetterFailed(_logger, WorkerName, message.Stream, position, deadLetterFailure);
                    throw new AggregateException("The handler and then the dead-letter handler failed.", failure, deadLetterFailure);
                }
            default:
                // No policy: release the wake; the message comes back in a later wake.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                return;
        }
    }

    /// <summary>The exception <see cref="RunAsync"/> and <see cref="ProcessOnceAsync"/> end with under policy Stop, once the lease is released.</summary>
    private PullWakeWorkerException Stopped(HandlerStop stop, WakeLease lease)
    {
        var message = stop.Failed;
        var acked = lease.AckedOffset(message.Stream) ?? stop.Stream.AckedOffset;
        PullWakeLog.WorkerStopped(_logger, WorkerName, _options.SubscriptionId, message.Stream, message.Position.ToString(), message.Attempt, stop.Failure);
        return new PullWakeWorkerException(
            $"Pull-wake worker {WorkerName} of subscription '{_options.SubscriptionId}' stopped: its handler failed the message before {message.Position} of {message.Stream} {message.Attempt} times; the message stays unacked.",
            _options.SubscriptionId, WorkerName, message.Stream, _subscriptions.StreamUrl(message.Stream), acked, message.Position, message.Attempt, stop.Failure);
    }

    private TimeSpan Backoff(int attempt)
    {
        var ticks = _options.RetryDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        return ticks >= _options.MaxRetryDelay.Ticks ? _options.MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Carries a policy-Stop failure out of the wake, so the lease is released before the worker ends.</summary>
    private sealed class HandlerStop(StreamMessage<T> message, SubscriptionStreamState stream, Exception failure)
        : Exception("The handler failed a message under policy Stop.", failure)
    {
        public StreamMessage<T> Failed { get; } = message;
        public SubscriptionStreamState Stream { get; } = stream;
        public Exception Failure { get; } = failure;
    }
}
