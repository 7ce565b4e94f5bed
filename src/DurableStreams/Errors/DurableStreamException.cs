using System.Net;
using DurableStreams.Logging;

namespace DurableStreams;

/// <summary>
/// Base of every failure the client reports. Carries the HTTP status (when a response caused it),
/// a stable <see cref="Code"/>, the stream URL (without query string) and the offset involved.
/// </summary>
/// <remarks>
/// Exceptions end up in logs, so they never carry credentials: <see cref="Url"/> and the message name the
/// stream without the URL's user info and query string (where tokens and signatures travel).
/// </remarks>
public class DurableStreamException : Exception
{
    /// <summary>Creates an exception.</summary>
    public DurableStreamException(string message, DurableStreamErrorCode code, HttpStatusCode? status = null,
        Uri? url = null, Offset? offset = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Status = status;
        Url = UrlRedaction.Redact(url);
        Offset = offset;
    }

    /// <summary>What kind of failure this is.</summary>
    public DurableStreamErrorCode Code { get; }

    /// <summary>The HTTP status that caused the failure, or <see langword="null"/> when there was no response.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>The stream URL the failing request addressed, without user info, query string and fragment.</summary>
    public Uri? Url { get; }

    /// <summary>The offset the request read from or the server reported, when known.</summary>
    public Offset? Offset { get; }

    /// <summary>The server's <c>Retry-After</c> wait, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The response body text (truncated), when the server sent one.</summary>
    public string? ResponseText { get; init; }

    /// <summary>
    /// For a failed write (append, batched append, close, idempotent producer): whether the data was
    /// stored. <see cref="WriteOutcome.NotStored"/>: it was not, so sending it again is safe;
    /// <see cref="WriteOutcome.Unknown"/>: it may have been. <see langword="null"/> for every other request.
    /// </summary>
    public WriteOutcome? Outcome { get; internal set; }
}

/// <summary>The stream does not exist (404).</summary>
public sealed class StreamNotFoundException(string message, Uri? url, Offset? offset = null)
    : DurableStreamException(message, DurableStreamErrorCode.NotFound, HttpStatusCode.NotFound, url, offset);

/// <summary>The stream is closed; <see cref="DurableStreamException.Offset"/> is its final offset when the server sent it.</summary>
public sealed class StreamClosedException(string message, Uri? url, Offset? finalOffset)
    : DurableStreamException(message, DurableStreamErrorCode.StreamClosed, HttpStatusCode.Conflict, url, finalOffset)
{
    /// <summary>The final offset of the closed stream, or <see langword="null"/> if the server did not report it.</summary>
    public Offset? FinalOffset => Offset;
}

/// <summary>A <c>Stream-Seq</c> value was not greater than the last accepted one (409).</summary>
public sealed class SequenceConflictException(string message, Uri? url, string? sequence)
    : DurableStreamException(message, DurableStreamErrorCode.SequenceConflict, HttpStatusCode.Conflict, url)
{
    /// <summary>The <c>Stream-Seq</c> the request sent.</summary>
    public string? Sequence { get; } = sequence;
}

/// <summary>The requested data is no longer retained, or the stream was soft-deleted (410).</summary>
public sealed class RetentionGoneException(string message, Uri? url, Offset? offset)
    : DurableStreamException(message, DurableStreamErrorCode.Gone, HttpStatusCode.Gone, url, offset);

/// <summary>A one-shot <see cref="StreamResponse"/> was consumed a second time.</summary>
public sealed class StreamConsumedException(Uri? url)
    : DurableStreamException("This stream response has already been consumed; start a new read to read again.",
        DurableStreamErrorCode.StreamConsumed, url: url);

/// <summary>A transport failure: no HTTP response was received (the Python client's FetchError).</summary>
public sealed class DurableStreamNetworkException(string message, Uri? url, Exception? inner, Offset? offset = null)
    : DurableStreamException(message, DurableStreamErrorCode.Network, null, url, offset, inner);

/// <summary>A response body, SSE event or base64 payload could not be decoded.</summary>
public sealed class DurableStreamParseException(string message, Uri? url, Offset? offset, Exception? inner = null)
    : DurableStreamException(message, DurableStreamErrorCode.Parse, null, url, offset, inner);

/// <summary>The producer's epoch is older than the server's (403 with producer headers).</summary>
public sealed class StaleProducerEpochException(string message, Uri? url, long? currentEpoch)
    : DurableStreamException(message, DurableStreamErrorCode.StaleProducerEpoch, HttpStatusCode.Forbidden, url)
{
    /// <summary>The epoch the server holds for this producer, from <c>Producer-Epoch</c>.</summary>
    public long? CurrentEpoch { get; } = currentEpoch;
}

/// <summary>The server saw a producer sequence gap the client could not close (409 with <c>Producer-Expected-Seq</c>).</summary>
public sealed class ProducerSequenceGapException(string message, Uri? url, long? expectedSeq, long? receivedSeq)
    : DurableStreamException(message, DurableStreamErrorCode.ProducerSequenceGap, HttpStatusCode.Conflict, url)
{
    /// <summary>The sequence number the server expected next.</summary>
    public long? ExpectedSeq { get; } = expectedSeq;

    /// <summary>The sequence number the request carried.</summary>
    public long? ReceivedSeq { get; } = receivedSeq;
}
