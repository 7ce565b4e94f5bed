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
