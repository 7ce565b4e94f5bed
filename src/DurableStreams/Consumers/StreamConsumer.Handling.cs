namespace DurableStreams.Consumers;

public sealed partial class StreamConsumer<T>
{
    /// <summary>
    /// Hands <paramref name="message"/> to the handler, retrying with backoff, then applies the failure policy.
    /// Returns whether the message finished (handled, or skipped and recorded); false when the consumer stopped first.
    /// </summary>
    private async ValueTask<bool> HandleAsync(StreamMessage<T> message, CheckpointTracker tracker, CancellationToken handlerToken, CancellationToken stop)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = message with { Attempt = attempt };
            Exception failure;
            var span = ConsumerTelemetry.Start(Name, _stream.Url, message.Position, attempt, out var started);
            try
            {
                await _handler.HandleAsync(current, handlerToken).ConfigureAwait(false);
                ConsumerTelemetry.Stop(span, started, Name, _stream.Url, null);
                return true;
            }
            catch (Exception ex) when (handlerToken.IsCancellationRequested)
            {
                // Cancelled on shutdown (whatever it threw then): unfinished, not failed; handled again on resume.
                ConsumerTelemetry.Stop(span, started, Name, _stream.Url, ex);
                ConsumerLog.HandlerCancelled(_logger, Name, StreamName, message.Position.ToString());
                return false;
            }
            catch (Exception ex)
            {
                ConsumerTelemetry.Stop(span, started, Name, _stream.Url, ex);
                failure = ex;
            }

            if (attempt >= _options.MaxAttempts) return await GiveUpAsync(current, failure, tracker).ConfigureAwait(false);
            // A stop during the backoff leaves the message unfinished: it is handled again on resume.
            if (stop.IsCancellationRequested) return false;
            var delay = Backoff(attempt);
            ConsumerLog.HandlerRetrying(_logger, Name, StreamName, message.Position.ToString(), attempt, delay.TotalMilliseconds, failure.Message);
            try
            {
                await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    private async ValueTask<bool> GiveUpAsync(StreamMessage<T> message, Exception failure, CheckpointTracker tracker)
    {
        var position = message.Position.ToString();
        if (_options.FailurePolicy == HandlerFailurePolicy.Skip)
        {
            ConsumerLog.MessageSkipped(_logger, Name, StreamName, position, message.Attempt, failure);
            if (_deadLetter is null) return true;
            try
            {
                await _deadLetter.HandleFailedAsync(message, failure, CancellationToken.None).ConfigureAwait(false);
                return true;
            }
            catch (Exception deadLetterFailure)
            {
                ConsumerLog.DeadLetterFailed(_logger, Name, StreamName, position, deadLetterFailure);
                throw await StopAsync(message, tracker,
                    new AggregateException("The handler and then the dead-letter handler failed.", failure, deadLetterFailure)).ConfigureAwait(false);
            }
        }
        throw await StopAsync(message, tracker, failure).ConfigureAwait(false);
    }

    private async ValueTask<StreamConsumerException> StopAsync(StreamMessage<T> message, CheckpointTracker tracker, Exception failure)
    {
        await SaveAsync(tracker, CancellationToken.None).ConfigureAwait(false);
        var checkpoint = Describe(tracker.Saved);
        ConsumerLog.Failed(_logger, Name, StreamName, message.Position.ToString(), message.Attempt, checkpoint, failure);
        return new StreamConsumerException(
            $"Consumer {Name} stopped: its handler failed the message before {message.Position} of {StreamName} {message.Attempt} times; it resumes from {checkpoint}.",
            Name, StreamName, _stream.Url, tracker.Saved, message.Position, message.Attempt, failure);
    }

    private TimeSpan Backoff(int attempt)
    {
        var ticks = _options.RetryDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        return ticks >= _options.MaxRetryDelay.Ticks ? _options.MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }
}
