namespace DurableStreams;

/// <summary>
/// A response body was larger than <see cref="DurableStreamClientOptions.MaxResponseBytes"/> (by its
/// declared length, or while it was read): the read stops rather than buffer without bound. Nothing of
/// that response was delivered from the offset it reports. A server (or proxy) that sends an endless
/// body causes it; so does a limit set below the largest response the server legitimately sends.
/// </summary>
public sealed class ResponseTooLargeException(string message, Uri? url, Offset? offset, long limit)
    : DurableStreamException(message, DurableStreamErrorCode.ResponseTooLarge, null, url, offset)
{
    /// <summary>The limit that was exceeded, in bytes.</summary>
    public long Limit { get; } = limit;
}

/// <summary>
/// A response sent its headers and then stopped: no bytes of its body arrived for
/// <see cref="Timeout"/> (the request timeout; for a long-poll, the long-poll timeout added). The
/// connection is closed and the read ends with this exception rather than wait without end; it is not
/// retried, since a server or proxy that stalls a body tends to stall the next one too and every
/// retry would add a full timeout to the caller's wait. Nothing of that response was delivered, so a
/// new read from the offset the caller saved misses nothing. The inner exception is a <see cref="TimeoutException"/>.
/// </summary>
public sealed class ResponseStalledException(string message, Uri? url, Offset? offset, TimeSpan timeout, Exception? inner)
    : DurableStreamException(message, DurableStreamErrorCode.Network, null, url, offset, inner)
{
    /// <summary>How long the client waited for the next bytes of the body.</summary>
    public TimeSpan Timeout { get; } = timeout;
}
