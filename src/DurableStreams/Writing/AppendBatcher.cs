using DurableStreams.Http;
using DurableStreams.Logging;
using DurableStreams.Telemetry;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Writing;

/// <summary>
/// Sends one POST for <paramref name="batch"/>. For a lone append the batcher passes itself as
/// <paramref name="lone"/>: the sender then calls <see cref="AppendBatcher.LoneFailed"/> on failure and
/// <see cref="AppendBatcher.LoneDone"/> last, whatever the outcome.
/// </summary>
internal delegate Task<AppendResult> BatchSender(IReadOnlyList<PendingAppend> batch, AppendBatcher? lone, CancellationToken cancellationToken);

/// <summary>
/// Keeps one POST in flight per stream handle: the first append goes out at once, appends made
/// meanwhile queue in order and become the next POST. Each caller gets the result (or exception)
/// of the POST that carried its data.
/// </summary>
internal sealed class AppendBatcher
{
    private readonly object _gate = new();
    // Cancelled items stay queued, marked, and are skipped when reached (no per-append list node).
    private readonly Queue<PendingAppend> _queue = new();
    private readonly BatchSender _send;
    private readonly int _maxBatchBytes;
    private readonly ILogger _logger;
    private readonly Uri _url;
    // Set while a POST is in flight or queued items wait for the sender; only one POST is in flight at a time.
    private bool _running;
    // Created only when someone waits for the queue to drain (FlushAsync).
    private TaskCompletionSource? _idle;

    public AppendBatcher(BatchSender send, int maxBatchBytes, ILogger logger, Uri url)
    {
        _send = send;
        _maxBatchBytes = maxBatchBytes;
        _logger = logger;
        _url = url;
    }

    public Task<AppendResult> EnqueueAsync(PendingAppend item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool alone;
        lock (_gate)
        {
            // Nothing queued or in flight: this append is the next POST on its own, sent from the
            // caller's thread (no queue, no hop to a sender). Appends made meanwhile queue behind it.
            alone = !_running;
            if (alone)
            {
                _running = true;
                item.Sent = true;
            }
            else
            {
                _ = item.Completion; // created before the sender can see the item
                _queue.Enqueue(item);
                if (cancellationToken.CanBeCanceled) RegisterCancel(item, cancellationToken);
            }
        }
        // Once sent, a POST goes on (a shared one carries other callers' data); a cancelled caller
        // stops waiting (its data may still land, as with any request cancelled in flight).
        var answer = alone ? SendAloneAsync(item) : item.Completion.Task;
        return cancellationToken.CanBeCanceled ? answer.WaitAsync(cancellationToken) : answer;
    }

    /// <summary>Completes when everything queued so far has been sent and answered.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate) return _running ? (_idle ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;
    }

    // Its own method: the closure is allocated only for a token that can be cancelled, not on every append.
    private void RegisterCancel(PendingAppend item, CancellationToken token) =>
        item.Registration = token.Register(() => Cancel(item, token));

    private void Cancel(PendingAppend item, CancellationToken token)
    {
        lock (_gate)
        {
            // After the send the item stays in its POST; the caller's wait is cut short instead.
            if (item.Sent || item.Cancelled) return;
            item.Cancelled = true;
        }
        item.Completion.TrySetCanceled(token);
        AppendTelemetry.Completed(item, new OperationCanceledException(token));
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            List<PendingAppend> batch;
            lock (_gate)
            {
                if (!HasWaiting())
                {
                    BecomeIdle();
                    return;
                }
                batch = TakeBatch();
            }

            Exception? failure = null;
            try
            {
                var result = await _send(batch, null, CancellationToken.None).ConfigureAwait(false);
                foreach (var item in batch) item.Completion.TrySetResult(result);
            }
            catch (Exception ex)
            {
                failure = ex;
                // A request failure was logged with its exception already (event 3): this line only adds how many callers it hit.
                Log.AppendBatchFailed(_logger, ex is DurableStreamException ? LogLevel.Debug : LogLevel.Warning, batch.Count, _url.AbsolutePath, ex);
                foreach (var item in batch) item.Completion.TrySetException(ex);
            }
            finally
            {
                foreach (var item in batch)
                {
                    item.Registration.Dispose();
                    AppendTelemetry.Completed(item, failure);
                }
            }
        }
    }

    /// <summary>
    /// Sends a lone append (the caller marked it sent and the batcher running). The send is not
    /// cancelled with the caller's token: the handle's sequence numbers require every POST's outcome
    /// to be known; the caller's wait is cut short instead, as for a shared POST. The sender reports
    /// back through <see cref="LoneFailed"/> and <see cref="LoneDone"/> (one async method per append, not two).
    /// </summary>
    private Task<AppendResult> SendAloneAsync(PendingAppend item) => _send([item], this, CancellationToken.None);

    /// <summary>The lone append's POST failed (called by the sender after its own handling, before <see cref="LoneDone"/>).</summary>
    public void LoneFailed(Exception ex) =>
        Log.AppendBatchFailed(_logger, ex is DurableStreamException ? LogLevel.Debug : LogLevel.Warning, 1, _url.AbsolutePath, ex);

    /// <summary>
    /// The lone append's POST is over (called by the sender last, success or failure): ends its
    /// telemetry, then, before the caller resumes, appends queued meanwhile go out as the next POST at once.
    /// </summary>
    public void LoneDone(PendingAppend item, Exception? failure)
    {
        AppendTelemetry.Completed(item, failure);
        lock (_gate)
        {
            if (HasWaiting()) _ = Task.Run(PumpAsync);
            else BecomeIdle();
        }
    }

    /// <summary>Whether uncancelled items wait in the queue (caller holds the lock).</summary>
    private bool HasWaiting()
    {
        SkipCancelled();
        return _queue.Count > 0;
    }

    /// <summary>Nothing in flight or queued (caller holds the lock): the next append goes out alone.</summary>
    private void BecomeIdle()
    {
        _running = false;
        _idle?.TrySetResult();
        _idle = null;
    }

    private void SkipCancelled()
    {
        while (_queue.TryPeek(out var head) && head.Cancelled) _queue.Dequeue();
    }

    /// <summary>Takes the next batch (caller holds the lock; the queue's head is not cancelled).</summary>
    private List<PendingAppend> TakeBatch()
    {
        var first = _queue.Dequeue();
        first.Sent = true;
        var batch = new List<PendingAppend> { first };
        if (!first.Mergeable) return batch;

        var bytes = first.Data.Length;
        while (true)
        {
            SkipCancelled();
            if (!_queue.TryPeek(out var next) || !next.Mergeable || bytes + next.Data.Length + 1 > _maxBatchBytes) break;
            _queue.Dequeue();
            next.Sent = true;
            bytes += next.Data.Length + 1;
            batch.Add(next);
        }
        return batch;
    }

    /// <summary>The POST body of a batch: JSON values wrapped in one array, other data concatenated.</summary>
    public static RequestBody Body(IReadOnlyList<PendingAppend> batch, bool json)
    {
        var items = new ReadOnlyMemory<byte>[batch.Count];
        for (var i = 0; i < items.Length; i++) items[i] = batch[i].Data;
        return new BatchBody(items, json);
    }
}
