namespace DurableStreams.Server.Webhooks;

/// <summary>
/// Remembers the signatures of accepted requests until their timestamp leaves the replay window, so an exact
/// replay (same timestamp, same body: Ed25519 is deterministic, so the same signature) inside the window is refused.
/// The signature covers the body and so the wake id: remembering it is remembering the (wake id, signature) pair.
/// Per process: receivers behind a load balancer each keep their own.
/// </summary>
internal sealed class ReplayGuard(int capacity)
{
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Signature, DateTimeOffset Expires)> _order = new();
    private readonly Lock _lock = new();

    public int Count { get { lock (_lock) return _seen.Count; } }

    /// <summary>Records <paramref name="signature"/>; false when it is already remembered and not expired.</summary>
    public bool TryRecord(string signature, DateTimeOffset expires, DateTimeOffset now)
    {
        lock (_lock)
        {
            Purge(now);
            if (_seen.TryGetValue(signature, out var until) && until > now) return false;
            // Full of live entries: forget the oldest (it is the closest to leaving the window anyway).
            while (_seen.Count >= capacity && _order.TryDequeue(out var oldest))
                if (_seen.TryGetValue(oldest.Signature, out var e) && e == oldest.Expires) _seen.Remove(oldest.Signature);
            _seen[signature] = expires;
            _order.Enqueue((signature, expires));
            return true;
        }
    }

    /// <summary>Forgets an accepted signature whose wake failed, so the server's retry of the same bytes is not refused.</summary>
    public void Forget(string signature)
    {
        lock (_lock) _seen.Remove(signature);
    }

    private void Purge(DateTimeOffset now)
    {
        // Entries expire in roughly insertion order (timestamps near now); a stray later one is purged when reached.
        while (_order.TryPeek(out var head) && head.Expires <= now)
        {
            _order.Dequeue();
            if (_seen.TryGetValue(head.Signature, out var e) && e == head.Expires) _seen.Remove(head.Signature);
        }
    }
}
