using System.Collections.Concurrent;
using System.Threading.Channels;
using DurableStreams.Server.Protocol;
using DurableStreams.Server.Storage;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Server.Subscriptions;

/// <summary>An HTTP answer of the engine: status and an optional JSON body.</summary>
internal readonly record struct SubscriptionResult(int Status, byte[]? Body = null)
{
    public static SubscriptionResult Fail(SubscriptionError error) => new(error.Status, SubscriptionJson.Error(error.Code, error.Message));
}

/// <summary>A signed webhook POST waiting to be sent (§7.1).</summary>
internal sealed record WebhookDelivery(string Key, string Url, string WakeId, long Generation, byte[] Body);

/// <summary>
/// The subscriptions of one server (§6-7): definitions and cursors (this file), wakes, leases and fencing
/// (<c>SubscriptionEngine.Delivery.cs</c>). One lock guards every subscription; the store is only called under
/// it (engine lock, then store lock: the store never calls back under its own lock, it queues).
/// </summary>
internal sealed partial class SubscriptionEngine : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly IStreamStore _store;
    private readonly DurableStreamsServerOptions _options;
    private readonly TimeProvider _clock;
    private readonly SubscriptionPersistence _persistence;
    private readonly ILogger _logger;
    private readonly WakeTokens _tokens = new();
    private readonly Lazy<WebhookSigner> _signer;
    private bool _recheckAll;
    private int _count;

    public SubscriptionEngine(IStreamStore store, DurableStreamsServerOptions options, TimeProvider clock, ILogger<SubscriptionEngine> logger)
    {
        _store = store;
        _options = options;
        _clock = clock;
        _logger = logger;
        _persistence = new SubscriptionPersistence(options);
        _signer = new Lazy<WebhookSigner>(() => WebhookSigner.Create(options));
        foreach (var sub in _persistence.Load()) _subscriptions[Key(sub.Root, sub.Id)] = sub;
        // After a restart nothing is in flight: pending work is woken on the first timer tick.
        _recheckAll = _subscriptions.Count > 0;
        _count = _subscriptions.Count;
        // With no subscription an append costs nothing more than this check.
        store.DataAdded = change =>
        {
            if (Volatile.Read(ref _count) == 0) return;
            _changes.Enqueue(change);
            ChangesQueued.Writer.TryWrite(true);
        };
    }

    /// <summary>
    /// Stream creations and appends in store order (queued under the store's lock). They are applied only under the
    /// engine's lock, in that order: by the background service on <see cref="ChangesQueued"/>, and first thing by every
    /// request, so a claim or GET right after an append already sees its link and pending work.
    /// </summary>
    private readonly ConcurrentQueue<StreamDataAdded> _changes = new();

    /// <summary>Signals the background service that changes wait in the queue.</summary>
    public Channel<bool> ChangesQueued { get; } = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Applies every queued stream change (background service).</summary>
    public void ApplyChanges()
    {
        lock (_gate) ApplyChangesLocked();
    }

    private void ApplyChangesLocked()
    {
        while (_changes.TryDequeue(out var change)) OnDataAdded(change);
    }

    /// <summary>Webhook POSTs to send, for the delivery loop.</summary>
    public Channel<WebhookDelivery> Deliveries { get; } = Channel.CreateUnbounded<WebhookDelivery>(new() { SingleReader = true });

    public WebhookSigner Signer => _signer.Value;

    public static string Key(string root, string id) => root + "\u001f" + id;

    public SubscriptionResult Put(string root, string origin, string id, SubscriptionConfig config)
    {
        if (config.IsWebhook)
        {
            if (!_options.Subscriptions.EnableWebhooks)
                return SubscriptionResult.Fail(SubscriptionRequests.Invalid("webhook subscriptions are not enabled on this server"));
            if (WebhookUrlPolicy.Reject(config.WebhookUrl!, _options.Subscriptions.AllowLocalhostWebhooks) is { } reason)
                return SubscriptionResult.Fail(new(400, "WEBHOOK_URL_REJECTED", reason));
        }
        lock (_gate)
        {
            ApplyChangesLocked();
            var key = Key(root, id);
            if (_subscriptions.TryGetValue(key, out var existing))
            {
                if (existing.Config.Hash != config.Hash)
                    return SubscriptionResult.Fail(new(409, "SUBSCRIPTION_ALREADY_EXISTS", "A subscription with this id exists with a different configuration"));
                // Re-confirming (what an app does on start) also refreshes the address callbacks go to.
                if (existing.Origin != origin)
                {
                    existing.Origin = origin;
                    Save();
                }
                return new(200, Serialize(existing));
            }
            var sub = new Subscription { Id = id, Root = root, Origin = origin, Config = config, CreatedAt = _clock.GetUtcNow() };
            if (config.Pattern is { } pattern)
            {
                // Eager backfill: matching streams are linked at their tail, so history is not replayed.
                foreach (var stream in _store.ListStreams())
                {
                    if (Relative(sub, stream.Path) is { } path && GlobPattern.Matches(pattern, path))
                        sub.Links[path] = new StreamLink { Path = path, Glob = true, AckedOffset = stream.TailOffset, StreamGeneration = stream.Generation };
                }
            }
            foreach (var path in config.Streams) LinkExplicit(sub, path);
            _subscriptions[key] = sub;
            Volatile.Write(ref _count, _subscriptions.Count);
            Save();
            return new(201, Serialize(sub));
        }
    }

    public SubscriptionResult Get(string root, string id)
    {
        lock (_gate)
        {
            ApplyChangesLocked();
            return _subscriptions.TryGetValue(Key(root, id), out var sub) ? new(200, Serialize(sub)) : NotFound();
        }
    }

    /// <summary>Deletes (tombstones) a subscription: its wake, tokens and cursors stop counting at once. Idempotent.</summary>
    public SubscriptionResult Delete(string root, string id)
    {
        lock (_gate)
        {
            ApplyChangesLocked();
            if (!_subscriptions.Remove(Key(root, id))) return new(204);
            Volatile.Write(ref _count, _subscriptions.Count);
            Save();
            return new(204);
        }
    }

    public SubscriptionResult AddStreams(string root, string id, IReadOnlyList<string> paths)
    {
        lock (_gate)
        {
            ApplyChangesLocked();
            if (!_subscriptions.TryGetValue(Key(root, id), out var sub)) return NotFound();
            foreach (var path in paths) LinkExplicit(sub, path);
            Save();
            return new(204);
        }
    }

    /// <summary>Drops an explicit link; a glob link of the same stream stays while the pattern matches.</summary>
    public SubscriptionResult RemoveStream(string root, string id, string path)
    {
        lock (_gate)
        {
            ApplyChangesLocked();
            if (!_subscriptions.TryGetValue(Key(root, id), out var sub)) return NotFound();
            if (sub.Links.TryGetValue(path, out var link) && link.Explicit)
            {
                link.Explicit = false;
                link.Glob = sub.Config.Pattern is { } pattern && GlobPattern.Matches(pattern, path);
                if (!link.Glob) sub.Links.Remove(path);
                Save();
            }
            return new(204);
        }
    }

    /// <summary>
    /// A stream was created or appended to: matching subscriptions link it at its tail before that data (so
    /// the new data is pending), and idle subscriptions with pending work are woken.
    /// </summary>
    private void OnDataAdded(StreamDataAdded change)
    {
        var now = _clock.GetUtcNow();
        foreach (var sub in _subscriptions.Values)
        {
            if (Relative(sub, change.Path) is not { } path) continue;
            if (sub.Links.TryGetValue(path, out var linked))
            {
                // A change of an older incarnation (queued before the link was made) changes nothing.
                if (change.Generation < linked.StreamGeneration) continue;
                if (change.Generation > linked.StreamGeneration)
                {
                    // Created (again) since it was linked: its offsets start over and all of it is new.
                    linked.StreamGeneration = change.Generation;
                    linked.AckedOffset = change.Before;
                    Save();
                }
            }
            else
            {
                if (sub.Config.Pattern is not { } pattern || !GlobPattern.Matches(pattern, path)) continue;
                sub.Links[path] = new StreamLink { Path = path, Glob = true, AckedOffset = change.Before, StreamGeneration = change.Generation };
                Save();
            }
            TryWake(sub, now);
        }
    }

    public void Dispose()
    {
        if (_signer.IsValueCreated) _signer.Value.Dispose();
    }

    private void LinkExplicit(Subscription sub, string path)
    {
        if (sub.Links.TryGetValue(path, out var link))
        {
            link.Explicit = true;
            return;
        }
        // Linked at the current tail; a stream that does not exist yet starts at the beginning.
        var stream = _store.Head(sub.FullPath(path)).Stream;
        sub.Links[path] = new StreamLink
        {
            Path = path,
            Explicit = true,
            AckedOffset = stream?.TailOffset ?? Offsets.Zero,
            StreamGeneration = stream?.Generation ?? 0,
        };
    }

    /// <summary>The stream-root-relative path of a store path under the subscription's root; never its own wake stream.</summary>
    private static string? Relative(Subscription sub, string fullPath)
    {
        var prefix = sub.Root + "/";
        if (!fullPath.StartsWith(prefix, StringComparison.Ordinal) || fullPath.Length == prefix.Length) return null;
        var path = fullPath[prefix.Length..];
        if (path.StartsWith("__ds/", StringComparison.Ordinal) || path == sub.Config.WakeStream) return null;
        return path;
    }

    private byte[] Serialize(Subscription sub)
    {
        var links = sub.Links.Values.OrderBy(link => link.Path, StringComparer.Ordinal).ToList();
        return SubscriptionJson.Subscription(sub, links, sub.Config.IsWebhook ? Signer.KeyId : null);
    }

    private static SubscriptionResult NotFound() =>
        SubscriptionResult.Fail(new(404, "SUBSCRIPTION_NOT_FOUND", "Subscription not found"));

    private void Save() => _persistence.Save(_subscriptions.Values);
}
