using System.Security.Cryptography;
using DurableStreams.Server.Protocol;
using DurableStreams.Server.Storage;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Server.Subscriptions;

/// <summary>Wakes, claims, acks, releases, leases and webhook outcomes (§7).</summary>
internal sealed partial class SubscriptionEngine
{
    private static readonly TimeSpan MinRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(60);

    /// <summary>POST .../claim (pull-wake): takes the lease of the current wake, or of a new one when none is in flight.</summary>
    public SubscriptionResult Claim(string root, string id, string? worker)
    {
        lock (_gate)
        {
            ApplyChangesLocked();
            var key = Key(root, id);
            if (!_subscriptions.TryGetValue(key, out var sub)) return NotFound();
            if (sub.Config.IsWebhook)
                return SubscriptionResult.Fail(SubscriptionRequests.Invalid("claim is for pull-wake subscriptions; webhook wakes finish through the callback"));
            var now = _clock.GetUtcNow();
            ExpireLease(sub, now);
            if (sub.Holder is { } holder)
                return new(409, SubscriptionJson.Error("ALREADY_CLAIMED", "Another worker holds the lease", holder, sub.Generation));
            var snapshot = BuildSnapshot(sub);
            if (!snapshot.Exists(stream => stream.HasPending))
            {
                // An unclaimed wake whose work went away (a deleted stream) must not block the next one.
                sub.ClearWake();
                return SubscriptionResult.Fail(new(409, "NO_PENDING_WORK", "Subscription has no pending work"));
            }
            if (sub.WakeId is null) StartGeneration(sub);
            sub.Snapshot = snapshot;
            sub.Holder = string.IsNullOrEmpty(worker) ? "anonymous" : worker;
            sub.LeaseExpiresAt = now + Ttl(sub);
            Save();
            return new(200, SubscriptionJson.Claim(sub, _tokens.Issue(key, sub.Generation, sub.WakeId!)));
        }
    }

    /// <summary>
    /// POST .../ack (pull-wake) and .../callback (webhook): applies acks; without done extends the lease
    /// (heartbeat), with done releases it and reports whether pending work makes another wake.
    /// </summary>
    public SubscriptionResult Ack(string root, string id, string? token, WakeRequest request, bool callback)
    {
        lock (_gate)
        {
            ApplyChangesLocked();
            var key = Key(root, id);
            _subscriptions.TryGetValue(key, out var sub);
            if (sub is not null && sub.Config.IsWebhook != callback)
                return SubscriptionResult.Fail(SubscriptionRequests.Invalid(callback ? "callback is for webhook subscriptions" : "ack is for pull-wake subscriptions"));
            var now = _clock.GetUtcNow();
            if (Fence(sub, key, token, request, now) is { } refused) return refused;
            if (CheckAcks(sub!, request.Acks) is { } invalid) return SubscriptionResult.Fail(new(409, "INVALID_OFFSET", invalid));
            foreach (var ack in request.Acks) Advance(sub!.Links[ack.Stream], ack.Offset);
            if (sub!.Config.IsWebhook) Succeeded(sub);
            if (!request.Done)
            {
                sub.LeaseExpiresAt = now + Ttl(sub);
                if (request.Acks.Count > 0) Save();
                return new(200, SubscriptionJson.Ok(false));
            }
            sub.ClearWake();
            var next = HasPending(sub);
            Save();
            if (next) TryWake(sub, now);
            return new(200, SubscriptionJson.Ok(next));
        }
    }

    /// <summary>POST .../release: gives the lease back without acking; pending work wakes again.</summary>
    public SubscriptionResult Release(string root, string id, string? token, WakeRequest request)
    {
        lock (_gate)
        {
            ApplyChangesLocked();
            var key = Key(root, id);
            _subscriptions.TryGetValue(key, out var sub);
            if (sub is { Config.IsWebhook: true }) return SubscriptionResult.Fail(SubscriptionRequests.Invalid("release is for pull-wake subscriptions"));
            var now = _clock.GetUtcNow();
            if (Fence(sub, key, token, request, now) is { } refused) return refused;
            sub!.ClearWake();
            Save();
            TryWake(sub, now);
            return new(204);
        }
    }

    /// <summary>The webhook's answer: 2xx (with done: auto-ack the snapshot's tails and release) or a failure (retry later).</summary>
    public void WebhookAnswered(WebhookDelivery delivery, bool delivered, bool done)
    {
        lock (_gate)
        {
            ApplyChangesLocked();
            if (!_subscriptions.TryGetValue(delivery.Key, out var sub)) return;
            // A callback may already have finished this wake, or its lease expired: the answer is stale.
            if (sub.WakeId != delivery.WakeId || sub.Generation != delivery.Generation) return;
            var now = _clock.GetUtcNow();
            if (!delivered)
            {
                sub.Failed = true;
                sub.RetryAttempt++;
                sub.NextAttemptAt = now + Backoff(sub.RetryAttempt);
                sub.ClearWake();
                Save();
                Log.WebhookFailed(_logger, sub.Id, sub.RetryAttempt, sub.NextAttemptAt.Value);
                return;
            }
            Succeeded(sub);
            if (!done)
            {
                Save();
                return;
            }
            foreach (var stream in sub.Snapshot ?? [])
            {
                if (sub.Links.TryGetValue(stream.Path, out var link)) Advance(link, stream.TailOffset);
            }
            sub.ClearWake();
            Save();
            TryWake(sub, now);
        }
    }

    /// <summary>Timer work: expired leases are cleared (and pending work woken), due webhook retries are sent.</summary>
    public void Tick()
    {
        lock (_gate)
        {
            ApplyChangesLocked();
            var now = _clock.GetUtcNow();
            var all = _recheckAll;
            _recheckAll = false;
            foreach (var sub in _subscriptions.Values)
            {
                var expired = ExpireLease(sub, now);
                var retryDue = sub.WakeId is null && sub.NextAttemptAt is { } at && at <= now;
                if (all || expired || retryDue) TryWake(sub, now);
            }
        }
    }

    /// <summary>Issues a new wake when the subscription is idle, not backing off, and has pending work (§7).</summary>
    private void TryWake(Subscription sub, DateTimeOffset now)
    {
        if (sub.WakeId is not null || sub.Holder is not null) return;
        if (sub.NextAttemptAt is { } at && at > now) return;
        var snapshot = BuildSnapshot(sub);
        var pending = snapshot.FirstOrDefault(stream => stream.HasPending);
        if (pending is null) return;
        StartGeneration(sub);
        sub.Snapshot = snapshot;
        sub.NextAttemptAt = null;
        Save();
        if (sub.Config.IsWebhook)
        {
            // The webhook lease starts with the wake (§7.3).
            sub.LeaseExpiresAt = now + Ttl(sub);
            var key = Key(sub.Root, sub.Id);
            var body = SubscriptionJson.Webhook(sub, _tokens.Issue(key, sub.Generation, sub.WakeId!));
            Deliveries.Writer.TryWrite(new WebhookDelivery(key, sub.Config.WebhookUrl!, sub.WakeId!, sub.Generation, body));
            return;
        }
        var wakeEvent = SubscriptionJson.WakeEvent(sub, pending.Path, now.ToUnixTimeMilliseconds());
        // The wake stream is the application's (created by it, §7.2): events go in with its own content type.
        var wakePath = sub.FullPath(sub.Config.WakeStream!);
        var contentType = _store.Head(wakePath).Stream?.ContentType ?? ContentTypes.Json;
        var outcome = _store.Append(wakePath, new AppendRequest(contentType, wakeEvent, false, null, null));
        if (outcome.Status != AppendStatus.Appended) Log.WakeStreamRefused(_logger, sub.Id, sub.Config.WakeStream!, outcome.Status.ToString());
    }

    private void StartGeneration(Subscription sub)
    {
        sub.Generation++;
        sub.WakeId = "w_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    }

    /// <summary>The §7.3 checks: live subscription, genuine token, current generation and wake.</summary>
    private SubscriptionResult? Fence(Subscription? sub, string key, string? token, WakeRequest request, DateTimeOffset now)
    {
        if (sub is null) return NotFound();
        if (!_tokens.TryRead(token, key, out var tokenGeneration, out var tokenWake))
            return SubscriptionResult.Fail(new(401, "TOKEN_INVALID", "Missing or invalid bearer token"));
        ExpireLease(sub, now);
        var current = sub.WakeId is not null && (sub.Config.IsWebhook || sub.Holder is not null)
            && tokenGeneration == sub.Generation && request.Generation == sub.Generation
            && tokenWake == sub.WakeId && request.WakeId == sub.WakeId;
        return current ? null : new(409, SubscriptionJson.Error("FENCED", "Stale wake or generation"));
    }

    /// <summary>Clears a lapsed lease (holder, wake, token validity); true when it did.</summary>
    private static bool ExpireLease(Subscription sub, DateTimeOffset now)
    {
        if (sub.LeaseExpiresAt is not { } expires || expires > now) return false;
        sub.ClearWake();
        return true;
    }

    /// <summary>Why an ack list is refused: an unlinked stream, an offset that is no offset, goes back, or passes the tail.</summary>
    private string? CheckAcks(Subscription sub, IReadOnlyList<StreamAck> acks)
    {
        foreach (var ack in acks)
        {
            if (!sub.Links.TryGetValue(ack.Stream, out var link)) return $"Ack references a stream the subscription does not link: {ack.Stream}";
            if (!Offsets.IsConcrete(ack.Offset)) return $"Ack offset for {ack.Stream} is not an offset";
            if (Offsets.Compare(ack.Offset, link.AckedOffset) < 0) return $"Ack offset for {ack.Stream} regresses the committed cursor";
            var tail = _store.Head(sub.FullPath(ack.Stream)).Stream?.TailOffset ?? Offsets.Zero;
            if (Offsets.Compare(ack.Offset, tail) > 0) return $"Ack offset for {ack.Stream} is beyond the stream's tail";
        }
        return null;
    }

    private List<WakeStream> BuildSnapshot(Subscription sub)
    {
        var streams = new List<WakeStream>(sub.Links.Count);
        foreach (var link in sub.Links.Values.OrderBy(link => link.Path, StringComparer.Ordinal))
        {
            if (_store.Head(sub.FullPath(link.Path)).Stream is not { } stream) continue;
            streams.Add(new WakeStream(link.Path, link.LinkType, link.AckedOffset, stream.TailOffset));
        }
        return streams;
    }

    private bool HasPending(Subscription sub) => BuildSnapshot(sub).Exists(stream => stream.HasPending);

    private static void Advance(StreamLink link, string offset)
    {
        if (Offsets.Compare(offset, link.AckedOffset) > 0) link.AckedOffset = offset;
    }

    private static void Succeeded(Subscription sub)
    {
        sub.Failed = false;
        sub.RetryAttempt = 0;
        sub.NextAttemptAt = null;
    }

    private static TimeSpan Ttl(Subscription sub) => TimeSpan.FromMilliseconds(sub.Config.LeaseTtlMs);

    /// <summary>1 s doubling to 60 s, then ±20% jitter (§7.1).</summary>
    internal static TimeSpan Backoff(int attempt)
    {
        var seconds = Math.Min(MaxRetry.TotalSeconds, MinRetry.TotalSeconds * Math.Pow(2, Math.Min(attempt - 1, 10)));
        var jitter = 1 + ((Random.Shared.NextDouble() * 0.4) - 0.2);
        return TimeSpan.FromSeconds(seconds * jitter);
    }
}
