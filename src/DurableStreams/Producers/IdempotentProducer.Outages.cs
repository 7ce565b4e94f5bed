using DurableStreams.Http;
using DurableStreams.Logging;
using DurableStreams.Producers;
using DurableStreams.Telemetry;

namespace DurableStreams;

// Riding through a server outage (a restart, a deploy, a proxy refusing for a moment): a batch keeps
// its (epoch, seq) on every resend, so the server stores it once however many attempts reach it, and
// the producer can keep resending well past the one-shot retry budget. OutageRetryTimeout bounds it.
public sealed partial class IdempotentProducer
{
    // Far past where the backoff reaches its cap: each round waits MaxDelay with equal jitter.
    private const int CappedBackoffRound = 62;

    /// <summary>
    /// Posts the batch, and after a failure that says the server is unreachable or briefly unable to
    /// answer (no response, 408, 429, 5xx other than 501) waits and posts it again with the same numbers,
    /// until <see cref="IdempotentProducerOptions.OutageRetryTimeout"/> has passed since the first attempt.
    /// Each post has the client's own retry budget inside it. Stops at once when the producer has failed.
    /// </summary>
    private async Task<HttpResponseMessage> PostThroughOutagesAsync(ProducerBatch batch, bool close, CancellationToken cancellationToken)
    {
        var time = _client.Options.TimeProvider;
        var started = time.GetTimestamp();
        var waiting = false;
        var resends = 0;
        using var span = ProducerTelemetry.StartBatch(batch, close, _stream.Url);
        while (true)
        {
            try
            {
                var response = await PostAsync(batch, close, cancellationToken).ConfigureAwait(false);
                if (waiting)
                    Log.OutageRecovered(_client.Http.Logger, ProducerId, _stream.Url.AbsolutePath, batch.Epoch, batch.Seq,
                        time.GetElapsedTime(started).TotalSeconds);
                return response;
            }
            catch (DurableStreamException ex) when (IsOutage(ex) && !cancellationToken.IsCancellationRequested)
            {
                lock (_gate)
                    if (_failure is not null && !close) throw; // another batch failed: nothing after it may land
                var delay = _client.Options.Retry.Backoff(CappedBackoffRound, Random.Shared);
                var elapsed = time.GetElapsedTime(started);
                if (elapsed + delay > _options.OutageRetryTimeout)
                {
                    Log.OutageGaveUp(_client.Http.Logger, ProducerId, _stream.Url.AbsolutePath, batch.Epoch, batch.Seq, elapsed.TotalSeconds, ex.Message, ex);
                    throw;
                }
                if (!waiting)
                    Log.OutageWaiting(_client.Http.Logger, ProducerId, _stream.Url.AbsolutePath, ex.Message, batch.Epoch, batch.Seq,
                        _options.OutageRetryTimeout.TotalSeconds, delay.TotalMilliseconds, ex);
                waiting = true;
                ProducerTelemetry.OutageRetry(_stream.Url, ex, delay, ++resends);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A failure a server restart or a moment of overload produces; nothing else is resent here.</summary>
    private static bool IsOutage(DurableStreamException ex) =>
        ex is DurableStreamNetworkException || ex.Status is { } status && ErrorMapper.IsTransient(status);
}
