namespace DurableStreams.Server.Storage;

/// <summary>
/// One appended unit of a stream, addressed by the offset just past it; <paramref name="Count"/> is how many
/// messages it holds (the values of a JSON append, 1 otherwise), for telemetry.
/// </summary>
internal sealed record StoredMessage(string Offset, byte[] Data, int Count = 1);

/// <summary>An idempotent producer's identity on one request (§5.2.1).</summary>
internal readonly record struct ProducerClaim(string Id, long Epoch, long Seq);

/// <summary>What handlers need to know about a stream, copied under the store's lock.</summary>
internal sealed record StreamSnapshot(
    string Path,
    string ContentType,
    string TailOffset,
    bool Closed,
    long? TtlSeconds,
    string? ExpiresAt,
    long Generation);

internal sealed record CreateRequest(
    string? ContentType,
    long? TtlSeconds,
    string? ExpiresAt,
    bool Closed,
    byte[] Body,
    string? ForkedFrom,
    string? ForkOffset,
    long? ForkSubOffset);

internal enum CreateStatus
{
    Created,
    AlreadyExists,
    ConfigMismatch,
    PathGone,
    SourceNotFound,
    SourceGone,
    ContentTypeMismatch,
    InvalidForkOffset,
    InvalidForkSubOffset,
    InvalidJson,
}

/// <summary><paramref name="Messages"/> and <paramref name="Bytes"/>: what the request body added (for telemetry).</summary>
internal sealed record CreateOutcome(CreateStatus Status, StreamSnapshot? Stream = null, string? Error = null, int Messages = 0, long Bytes = 0);

/// <summary>
/// A JSON <paramref name="Body"/> may be a pooled buffer: the store must not keep it (it keeps the flattened copy). Any
/// other body is a whole array, stored as it is.
/// </summary>
internal sealed record AppendRequest(string? ContentType, ReadOnlyMemory<byte> Body, bool Close, string? Seq, ProducerClaim? Producer);

internal enum AppendStatus
{
    Appended,
    ClosedNow,
    NotFound,
    Gone,
    StreamClosed,
    ContentTypeMismatch,
    SeqConflict,
    InvalidJson,
    Duplicate,
    StaleEpoch,
    InvalidEpochSeq,
    SequenceGap,
}

internal sealed record AppendOutcome(
    AppendStatus Status,
    string? NextOffset = null,
    bool StreamClosed = false,
    long ProducerValue = 0,
    long ReceivedSeq = 0,
    string? Error = null,
    int Messages = 0,
    long Bytes = 0);

internal enum LookupStatus { Found, NotFound, Gone }

/// <summary>A read's messages; <paramref name="UpToDate"/> is false when a size limit left data for the next read.</summary>
internal sealed record ReadOutcome(LookupStatus Status, StreamSnapshot? Stream, IReadOnlyList<StoredMessage> Messages, bool UpToDate = true);

internal enum DeleteStatus { Deleted, NotFound, Gone }

/// <summary>
/// A stream was created or appended to; <paramref name="Before"/> is its tail before the new data and
/// <paramref name="Generation"/> tells a re-created stream (same path, offsets from the start again) from the old one.
/// </summary>
internal readonly record struct StreamDataAdded(string Path, string Before, long Generation);
