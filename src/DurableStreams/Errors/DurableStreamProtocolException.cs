using System.Net;

namespace DurableStreams;

/// <summary>
/// The server (or something between it and the client) answered a read in a way the protocol does not
/// allow, and asking again would not help: a read response without <c>Stream-Next-Offset</c>, one that
/// carries data without moving past the offset asked for, a live long-poll answer without
/// <c>Stream-Cursor</c> (<see cref="DurableStreamErrorCode.ProtocolViolation"/>); the same answer
/// repeated for the same request even with cache-busting (<see cref="DurableStreamErrorCode.ReadLoop"/>);
/// or an SSE connection sending more data than <c>ReadOptions.MaxSsePendingBytes</c> without a control
/// event (<see cref="DurableStreamErrorCode.SseBufferOverflow"/>). The read stops; nothing of the
/// offending answer was delivered. Resume from the last position you saved once the server or proxy is fixed.
/// </summary>
public sealed class DurableStreamProtocolException : DurableStreamException
{
    /// <summary>Creates a <see cref="DurableStreamErrorCode.ProtocolViolation"/> exception.</summary>
    public DurableStreamProtocolException(string message, HttpStatusCode? status, Uri? url, Offset? offset)
        : this(message, DurableStreamErrorCode.ProtocolViolation, status, url, offset)
    {
    }

    internal DurableStreamProtocolException(string message, DurableStreamErrorCode code, HttpStatusCode? status, Uri? url, Offset? offset)
        : base(message, code, status, url, offset)
    {
    }
}
