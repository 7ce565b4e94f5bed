using Microsoft.Extensions.Logging;

namespace DurableStreams.Subscriptions;

/// <summary>
/// The lease of one claimed wake: records how far each stream was processed, acks it on a heartbeat (which renews
/// the lease), and signals <see cref="LostToken"/> once the lease is gone (fenced, token refused, subscription
/// deleted, or not renewed before its deadline), so processing stops before a message could be handled twice.
/// </summary>
internal sealed class WakeLease : IAsyncDisposable
{
    private readonly SubscriptionClient _client;
    private readonly string _subscriptionId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _ttl;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stopHeartbeat = new();
    private readonly SemaphoreSlim _gate = new(1, 1); // one ack at a time, so cursors only move forward
    private readonly Dictionary<string, Offset> _done = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Offset> _acked = new(StringComparer.Ordinal);
    private long _deadline;
    private Task _heartbeat = Task.CompletedTask;

    public WakeLease(SubscriptionClient client, string subscriptionId, SubscriptionClaim claim, long claimSentAt, TimeProvider time, ILogger logger)
    {
        _client = client;
        _subscriptionId = subscriptionId;
        Claim = claim;
        _time = time;
        _logger = logger;
        _ttl = TimeSpan.FromMilliseconds(claim.LeaseTtlMs > 0 ? claim.LeaseTtlMs : 30_000);
        // Counted from when the claim was sent: the server's lease cannot have started earlier.
        _deadline = claimSentAt + (long)(_ttl.TotalSeconds * time.TimestampFrequency);
    }

    public SubscriptionClaim Claim { get; }

    /// <summary>Signalled once the lease is gone.</summary>
    public CancellationToken LostToken => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    public string? LostReason { get; private set; }

    public TimeSpan Ttl => _ttl;

    /// <summary>Whether the lease is past its deadline (then it is marked lost).</summary>
    public bool CheckExpired()
    {
        if (_time.GetTimestamp() < Interlocked.Read(ref _deadline)) return false;
        MarkLost("not renewed within the lease");
        return true;
    }

    /// <summary>Records that <paramref name="stream"/> is processed up to <paramref name="position"/>; only server offsets are ackable.</summary>
    public void Advance(string stream, Offset position)
    {
        if (position.Skip != 0 || position.IsSentinel) return; // inside a delivery: the next delivery boundary is acked
        lock (_done) _done[stream] = position;
    }

    /// <summary>The offset this lease last acked on <paramref name="stream"/>; null when it acked none there.</summary>
    public Offset? AckedOffset(string stream)
    {
        _gate.Wait();
        try
        {
            return _acked.TryGetValue(stream, out var offset) ? offset : (Offset?)null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void StartHeartbeat(TimeSpan interval) => _heartbeat = HeartbeatAsync(interval);

    public async Task StopHeartbeatAsync()
    {
        await _stopHeartbeat.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);
    }

    /// <summary>
    /// Acks what was processed since the last ack (renewing the lease); with <paramref name="done"/> ends the wake.
    /// Returns null when the lease turned out lost (nothing was applied).
    /// </summary>
    public async Task<SubscriptionAckResult?> AckAsync(bool done, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsLost) return null;
            List<SubscriptionAck> acks;
            lock (_done)
                acks = [.. _done.Where(p => !_acked.TryGetValue(p.Key, out var sent) || sent != p.Value).Select(p => new SubscriptionAck(p.Key, p.Value))];
            var sentAt = _time.GetTimestamp();
            SubscriptionAckResult result;
            try
            {
                result = await _client.AckAsync(_subscriptionId, Claim, acks, done, cancellationToken).ConfigureAwait(false);
            }
            catch (SubscriptionException ex) when (ex is SubscriptionFencedException or SubscriptionTokenRejectedException
                or SubscriptionNotFoundException or SubscriptionInvalidAckException)
            {
                MarkLost(ex.ServerCode ?? ex.Code.ToString());
                return null;
            }
            foreach (var ack in acks) _acked[ack.Stream] = ack.Offset;
            Interlocked.Exchange(ref _deadline, sentAt + (long)(_ttl.TotalSeconds * _time.TimestampFrequency));
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Acks progress, then gives the lease back (shutdown or failure); failures are logged, the lease then expires by itself.</summary>
    public async Task AckAndReleaseAsync(TimeSpan timeout)
    {
        if (IsLost) return;
        using var deadline = new CancellationTokenSource(timeout, _time);
        try
        {
            if (await AckAsync(done: false, deadline.Token).ConfigureAwait(false) is null) return;
            await _client.ReleaseAsync(_subscriptionId, Claim, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DurableStreamException or OperationCanceledException)
        {
            PullWakeLog.ReleaseFailed(_logger, _subscriptionId, Claim.Generation, ex);
        }
    }

    private void MarkLost(string reason)
    {
        if (IsLost) return;
        LostReason = reason;
        _lost.Cancel();
    }

    private async Task HeartbeatAsync(TimeSpan interval)
    {
        var token = _stopHeartbeat.Token;
        while (!token.IsCancellationRequested && !IsLost)
        {
            try
            {
                await Task.Delay(interval, _time, token).ConfigureAwait(false);
                if (CheckExpired()) return;
                // An ack still unanswered at the deadline cannot save the lease: stop waiting for it then.
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(token);
                var left = _time.GetElapsedTime(_time.GetTimestamp(), Interlocked.Read(ref _deadline));
                bounded.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                await AckAsync(done: false, bounded.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                if (CheckExpired()) return;
            }
            catch (DurableStreamException ex)
            {
                // Network trouble after the client's own retries: keep trying until the deadline says otherwise.
                PullWakeLog.HeartbeatFailed(_logger, _subscriptionId, Claim.Generation, ex);
                if (CheckExpired()) return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopHeartbeatAsync().ConfigureAwait(false);
        _lost.Dispose();
        _stopHeartbeat.Dispose();
        _gate.Dispose();
    }
}
