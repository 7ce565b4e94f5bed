using System.Globalization;
using DurableStreams.Server.Protocol;

namespace DurableStreams.Server.Storage;

/// <summary>
/// Keeps every stream in memory. Requests validate under one lock, then commit a <see cref="JournalRecord"/>
/// through <see cref="Commit"/>; <see cref="FileStreamStore"/> persists those records before they apply.
/// One lock also gives the per-(stream, producer) serialization §5.2.1 requires.
/// </summary>
internal partial class MemoryStreamStore(TimeProvider clock) : IStreamStore
{
    private readonly Dictionary<string, StreamState> _streams = new(StringComparer.Ordinal);
    private long _generation;
    private int _streamCount;

    protected object Gate { get; } = new();

    protected TimeProvider Clock { get; } = clock;

    public Action<StreamDataAdded>? DataAdded { get; set; }

    public IReadOnlyList<StreamSnapshot> ListStreams()
    {
        lock (Gate)
        {
            var list = new List<StreamSnapshot>(_streams.Count);
            foreach (var stream in _streams.Values)
            {
                if (!stream.SoftDeleted && !IsExpired(stream)) list.Add(stream.Snapshot());
            }
            return list;
        }
    }

    public CreateOutcome Create(string path, CreateRequest request)
    {
        lock (Gate)
        {
            if (_streams.TryGetValue(path, out var existing))
            {
                // An expired stream frees its path, unless forks keep it soft-deleted (then the path stays blocked).
                if (IsExpired(existing)) Expire(existing);
                if (existing.SoftDeleted) return new(CreateStatus.PathGone, Error: "Stream was deleted but still has active forks");
                if (_streams.ContainsKey(path))
                {
                    return Matches(existing, request)
                        ? new(CreateStatus.AlreadyExists, existing.Snapshot())
                        : new(CreateStatus.ConfigMismatch, Error: "Stream already exists with different configuration");
                }
            }

            var contentType = request.ContentType;
            var start = Offsets.Zero;
            long? ttl = request.TtlSeconds;
            var expiresAt = request.ExpiresAt;
            var messages = new List<JournalMessage>();
            (int Messages, long Bytes) added = default;

            if (request.ForkedFrom is { } sourcePath)
            {
                if (!_streams.TryGetValue(sourcePath, out var source)) return new(CreateStatus.SourceNotFound, Error: "Source stream not found");
                if (source.SoftDeleted) return new(CreateStatus.SourceGone, Error: "Source stream was deleted");
                if (IsExpired(source))
                {
                    // An expired source is gone for new forks, though existing forks still read through it.
                    Expire(source);
                    return new(CreateStatus.SourceNotFound, Error: "Source stream not found");
                }
                if (!string.IsNullOrWhiteSpace(contentType) && !ContentTypes.AreSame(contentType, source.ContentType))
                    return new(CreateStatus.ContentTypeMismatch, Error: "Content type mismatch with source stream");
                contentType = source.ContentType;

                start = request.ForkOffset ?? source.Tail;
                if (Offsets.Compare(start, Offsets.Zero) < 0 || Offsets.Compare(start, source.Tail) > 0)
                    return new(CreateStatus.InvalidForkOffset, Error: "Fork offset beyond source stream length");

                if (request.ForkSubOffset is > 0 and var subOffset)
                {
                    var prefix = ResolveSubOffsetPrefix(source, start, subOffset);
                    if (prefix is null) return new(CreateStatus.InvalidForkSubOffset, Error: "Invalid fork sub-offset");
                    messages.Add(new(Offsets.Advance(start, prefix.Length), prefix, ContentTypes.IsJson(source.ContentType) ? (int)subOffset : 0));
                }

                // Fork expiry (§4.2): the fork's own TTL or Expires-At wins, else it inherits the source's.
                if (ttl is null && expiresAt is null)
                {
                    ttl = source.TtlSeconds;
                    expiresAt = source.ExpiresAt;
                }
            }

            contentType ??= ContentTypes.OctetStream;
            if (request.Body.Length > 0)
            {
                var data = request.Body;
                var json = ContentTypes.IsJson(contentType);
                var count = 0;
                if (json && !JsonMessages.TryFlatten(data, isCreate: true, out data, out count, out var error))
                    return new(CreateStatus.InvalidJson, Error: error);
                if (data.Length > 0)
                {
                    var tail = messages.Count > 0 ? messages[^1].Offset : start;
                    messages.Add(new(Offsets.Advance(tail, data.Length), data, json ? count : 0));
                    added = (json ? count : 1, data.Length);
                }
            }

            Commit(new JournalRecord
            {
                Op = JournalRecord.CreateOp,
                Path = path,
                ContentType = contentType,
                TtlSeconds = ttl,
                ExpiresAt = expiresAt,
                ForkedFrom = request.ForkedFrom,
                ForkOffset = request.ForkedFrom is null ? null : start,
                ForkSubOffset = request.ForkSubOffset ?? 0,
                StartOffset = start,
                Messages = messages,
                Close = request.Closed,
            });
            var created = _streams[path];
            DataAdded?.Invoke(new(path, start, created.Generation));
            return new(CreateStatus.Created, created.Snapshot(), Messages: added.Messages, Bytes: added.Bytes);
        }
    }

    public ReadOutcome Head(string path)
    {
        lock (Gate)
        {
            var (status, stream) = Resolve(path);
            return new(status, stream?.Snapshot(), []);
        }
    }

    public ReadOutcome Read(string path, string? offset, long maxBytes = long.MaxValue)
    {
        lock (Gate)
        {
            var (status, stream) = Resolve(path);
            if (status != LookupStatus.Found) return new(status, null, []);
            Touch(stream!);
            var messages = ReadMessages(stream!, offset);
            var taken = 0;
            long bytes = 0;
            while (taken < messages.Count && (taken == 0 || bytes + messages[taken].Data.Length <= maxBytes))
                bytes += messages[taken++].Data.Length;
            if (taken == messages.Count) return new(status, stream!.Snapshot(), messages);
            return new(status, stream!.Snapshot(), messages.GetRange(0, taken), UpToDate: false);
        }
    }

    public DeleteStatus Delete(string path)
    {
        lock (Gate)
        {
            var (status, _) = Resolve(path);
            if (status != LookupStatus.Found) return status == LookupStatus.Gone ? DeleteStatus.Gone : DeleteStatus.NotFound;
            Commit(new JournalRecord { Op = JournalRecord.DeleteOp, Path = path });
            return DeleteStatus.Deleted;
        }
    }

    public int StreamCount => Volatile.Read(ref _streamCount);

    public async Task<bool> WaitForChangeAsync(string path, string offset, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task changed;
        lock (Gate)
        {
            var (status, stream) = Resolve(path);
            if (status != LookupStatus.Found || stream!.Closed || ReadMessages(stream, offset).Count > 0) return true;
            changed = stream.Changed.Task;
        }
        try
        {
            await changed.WaitAsync(timeout, Clock, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            // The window passed with no change (a timeout under a millisecond can pass at once); the caller
            // answers "up to date" or ends the connection.
            return false;
        }
        catch (OperationCanceledException)
        {
            // The client left or the server is stopping; the caller answers with what it has.
            return false;
        }
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>The single place state changes; overridden to persist a record before it applies.</summary>
    protected virtual void Commit(JournalRecord record) => Apply(record);

    protected void Apply(JournalRecord record)
    {
        switch (record.Op)
        {
            case JournalRecord.CreateOp:
                {
                    var stream = new StreamState
                    {
                        Path = record.Path,
                        ContentType = record.ContentType ?? ContentTypes.OctetStream,
                        Generation = ++_generation,
                        TtlSeconds = record.TtlSeconds,
                        ExpiresAt = record.ExpiresAt,
                        ExpiresAtValue = ParseExpiresAt(record.ExpiresAt),
                        ForkedFrom = record.ForkedFrom,
                        ForkOffset = record.ForkOffset,
                        ForkSubOffset = record.ForkSubOffset,
                        Tail = record.StartOffset ?? Offsets.Zero,
                        LastAccess = Clock.GetUtcNow(),
                    };
                    AddMessages(stream, record.Messages);
                    stream.Closed = record.Close;
                    if (record.ForkedFrom is not null && _streams.TryGetValue(record.ForkedFrom, out var source)) source.ForkCount++;
                    if (_streams.TryGetValue(record.Path, out var replaced) && !replaced.SoftDeleted) _streamCount--;
                    _streams[record.Path] = stream;
                    _streamCount++;
                    break;
                }
            case JournalRecord.AppendOp:
            case JournalRecord.CloseOp:
                {
                    if (!_streams.TryGetValue(record.Path, out var stream)) return;
                    AddMessages(stream, record.Messages);
                    if (record.Producer is { } producer) stream.Producers[producer.Id] = new(producer.Epoch, producer.Seq);
                    if (record.Seq is not null) stream.LastSeq = record.Seq;
                    if (record.Close)
                    {
                        stream.Closed = true;
                        stream.ClosedBy = record.ClosedBy is { } by ? new ProducerClaim(by.Id, by.Epoch, by.Seq) : null;
                    }
                    stream.Signal();
                    break;
                }
            case JournalRecord.DeleteOp:
                if (_streams.TryGetValue(record.Path, out var deleted))
                {
                    // With live forks the data stays for their reads; the path answers 410 (§4.2).
                    if (!deleted.SoftDeleted) _streamCount--;
                    if (deleted.ForkCount > 0) deleted.SoftDeleted = true;
                    else RemoveWithCascade(deleted);
                    deleted.Signal();
                }
                break;
        }
    }

    private void RemoveWithCascade(StreamState stream)
    {
        _streams.Remove(stream.Path);
        if (stream.ForkedFrom is not null && _streams.TryGetValue(stream.ForkedFrom, out var parent))
        {
            parent.ForkCount = Math.Max(0, parent.ForkCount - 1);
            if (parent.ForkCount == 0 && parent.SoftDeleted) RemoveWithCascade(parent);
        }
    }

    private static void AddMessages(StreamState stream, List<JournalMessage>? messages)
    {
        if (messages is null) return;
        foreach (var message in messages)
        {
            // Count 0: one message, or a JSON message from a journal written before counts were kept.
            var count = message.Count > 0 ? message.Count
                : ContentTypes.IsJson(stream.ContentType) && message.Data.Length > 0 ? JsonMessages.CountValues(message.Data) : 1;
            stream.Messages.Add(new(message.Offset, message.Data, count));
            stream.Tail = message.Offset;
        }
    }

    private (LookupStatus, StreamState?) Resolve(string path)
    {
        if (!_streams.TryGetValue(path, out var stream)) return (LookupStatus.NotFound, null);
        if (IsExpired(stream))
        {
            Expire(stream);
            if (!_streams.ContainsKey(path)) return (LookupStatus.NotFound, null);
        }
        return stream.SoftDeleted ? (LookupStatus.Gone, stream) : (LookupStatus.Found, stream);
    }

    private void Expire(StreamState stream)
    {
        if (!stream.SoftDeleted) Commit(new JournalRecord { Op = JournalRecord.DeleteOp, Path = stream.Path });
    }

    private bool IsExpired(StreamState stream)
    {
        var now = Clock.GetUtcNow();
        if (stream.ExpiresAtValue is { } expiresAt && now >= expiresAt) return true;
        return stream.TtlSeconds is { } ttl && now >= stream.LastAccess.AddSeconds(ttl);
    }

    private void Touch(StreamState stream) => stream.LastAccess = Clock.GetUtcNow();

    private bool Matches(StreamState existing, CreateRequest request)
    {
        var contentTypeMatches = request.ForkedFrom is not null && string.IsNullOrWhiteSpace(request.ContentType)
            || ContentTypes.AreSame(request.ContentType ?? ContentTypes.OctetStream, existing.ContentType);
        return contentTypeMatches
            && request.Closed == existing.Closed
            && request.ForkedFrom == existing.ForkedFrom
            && (request.ForkOffset is null || request.ForkOffset == existing.ForkOffset)
            && (request.ForkSubOffset ?? 0) == existing.ForkSubOffset
            && (request.ForkedFrom is not null && request.TtlSeconds is null && request.ExpiresAt is null
                || request.TtlSeconds == existing.TtlSeconds && request.ExpiresAt == existing.ExpiresAt);
    }

    /// <summary>Own messages past the offset, stitched after inherited ones for forks (§4.2, §8).</summary>
    private List<StoredMessage> ReadMessages(StreamState stream, string? offset)
    {
        var from = offset is null or Offsets.Start ? null : offset;
        var result = new List<StoredMessage>();
        if (stream.ForkedFrom is not null && (from is null || Offsets.Compare(from, stream.ForkOffset!) < 0))
            ReadInherited(stream.ForkedFrom, from, stream.ForkOffset!, result);
        var index = from is null ? 0 : stream.FirstIndexAfter(from);
        for (var i = index; i < stream.Messages.Count; i++) result.Add(stream.Messages[i]);
        return result;
    }

    /// <summary>Source data up to the fork point, through soft-deleted sources and whole fork chains.</summary>
    private void ReadInherited(string sourcePath, string? from, string cap, List<StoredMessage> into)
    {
        if (!_streams.TryGetValue(sourcePath, out var source)) return;
        if (source.ForkedFrom is not null && (from is null || Offsets.Compare(from, source.ForkOffset!) < 0))
        {
            var innerCap = Offsets.Compare(source.ForkOffset!, cap) < 0 ? source.ForkOffset! : cap;
            ReadInherited(source.ForkedFrom, from, innerCap, into);
        }
        var index = from is null ? 0 : source.FirstIndexAfter(from);
        for (var i = index; i < source.Messages.Count; i++)
        {
            if (Offsets.Compare(source.Messages[i].Offset, cap) > 0) break;
            into.Add(source.Messages[i]);
        }
    }

    /// <summary>The part of the source's next message a sub-offset keeps: values for JSON, bytes otherwise.</summary>
    private byte[]? ResolveSubOffsetPrefix(StreamState source, string forkOffset, long subOffset)
    {
        var next = ReadMessages(source, forkOffset);
        if (next.Count == 0) return null;
        var first = next[0].Data;
        if (ContentTypes.IsJson(source.ContentType))
            return subOffset > int.MaxValue ? null : JsonMessages.TakeValues(first, (int)subOffset);
        return subOffset > first.Length ? null : first[..(int)subOffset];
    }

    private static JournalProducer? ToJournal(ProducerClaim? claim) =>
        claim is { } c ? new(c.Id, c.Epoch, c.Seq) : null;

    private static JournalProducer? ToJournal(ProducerClaim? claim, ProducerState? state) =>
        claim is { } c && state is not null ? new(c.Id, state.Epoch, state.LastSeq) : null;

    internal static DateTimeOffset? ParseExpiresAt(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;
}
