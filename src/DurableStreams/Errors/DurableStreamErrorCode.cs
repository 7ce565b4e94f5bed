namespace DurableStreams;

/// <summary>Classifies a <see cref="DurableStreamException"/> without parsing its message.</summary>
public enum DurableStreamErrorCode
{
    /// <summary>An HTTP status the client has no more specific meaning for.</summary>
    UnexpectedStatus,
    /// <summary>The stream does not exist (404).</summary>
    NotFound,
    /// <summary>The stream exists with another configuration, or another 409 not covered below.</summary>
    Conflict,
    /// <summary>A <c>Stream-Seq</c> not greater than the last accepted one (409).</summary>
    SequenceConflict,
    /// <summary>The stream is closed and accepts no more data (409 with <c>Stream-Closed</c>).</summary>
    StreamClosed,
    /// <summary>The server rejected the read offset or parameters (400 on a read).</summary>
    InvalidOffset,
    /// <summary>The server rejected the request as malformed (400 on a write).</summary>
    BadRequest,
    /// <summary>401.</summary>
    Unauthorized,
    /// <summary>403 without producer headers.</summary>
    Forbidden,
    /// <summary>The offset is before the retained data, or the stream is soft-deleted (410).</summary>
    Gone,
    /// <summary>Too many requests (429) after retries.</summary>
    RateLimited,
    /// <summary>A 5xx after retries.</summary>
    ServerError,
    /// <summary>The server does not support the operation (405, 501).</summary>
    NotSupported,
    /// <summary>The request never produced an HTTP response (refused, reset, timed out).</summary>
    Network,
    /// <summary>A response body, SSE event or base64 payload could not be decoded.</summary>
    Parse,
    /// <summary>A one-shot response was consumed twice.</summary>
    StreamConsumed,
    /// <summary>A producer was fenced by a newer epoch (403 with producer headers).</summary>
    StaleProducerEpoch,
    /// <summary>A producer sequence gap the client could not recover from (409 with <c>Producer-Expected-Seq</c>).</summary>
    ProducerSequenceGap,
    /// <summary>The request body was too large (413).</summary>
    PayloadTooLarge,
    /// <summary>
    /// Another writer used the producer's id at its epoch: a batch this instance never sent before was
    /// answered as a duplicate, so it was not stored (<see cref="ProducerEpochCollisionException"/>).
    /// </summary>
    ProducerEpochCollision,
    /// <summary>
    /// The producer cannot tell whether a batch was stored (<see cref="ProducerOutcomeUnknownException"/>).
    /// </summary>
    ProducerOutcomeUnknown,
    /// <summary>
    /// The server's answer breaks the protocol in a way retrying cannot fix: a read response without
    /// <c>Stream-Next-Offset</c>, one that does not advance past the offset asked for, or a live
    /// long-poll answer without <c>Stream-Cursor</c>.
    /// </summary>
    ProtocolViolation,
    /// <summary>
    /// A reader kept getting the same answer for the same offset (a stale cache between client and
    /// server) and cache-busting did not help.
    /// </summary>
    ReadLoop,
    /// <summary>An SSE connection sent more data than <c>ReadOptions.MaxSsePendingBytes</c> without a control event.</summary>
    SseBufferOverflow,
    /// <summary>A response body was larger than <c>DurableStreamClientOptions.MaxResponseBytes</c>.</summary>
    ResponseTooLarge,
    /// <summary>A subscription exists with the same id and another configuration (409 <c>SUBSCRIPTION_ALREADY_EXISTS</c>).</summary>
    SubscriptionConflict,
    /// <summary>An ack, release or callback named a wake or generation that is no longer current (409 <c>FENCED</c>).</summary>
    Fenced,
    /// <summary>Another worker holds the subscription's lease (409 <c>ALREADY_CLAIMED</c>).</summary>
    AlreadyClaimed,
    /// <summary>A claim found nothing to do: every linked stream is acked up to its tail (409 <c>NO_PENDING_WORK</c>).</summary>
    NoPendingWork,
    /// <summary>An ack named an unknown stream, regressed a cursor or went past a tail (409 <c>INVALID_OFFSET</c>).</summary>
    InvalidAck,
    /// <summary>A wake's bearer token was missing, invalid or expired (401 <c>TOKEN_INVALID</c>, <c>TOKEN_EXPIRED</c>).</summary>
    LeaseTokenRejected,
    /// <summary>
    /// A State Protocol message was rejected and not applied (<see cref="DurableStreams.State.StateProtocolException"/>;
    /// its <see cref="DurableStreams.State.StateProtocolException.Reason"/> says why).
    /// </summary>
    StateMessageRejected,
}
