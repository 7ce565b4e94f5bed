using System.Net;

namespace DurableStreams.Subscriptions;

/// <summary>
/// A subscription request failed with one of the protocol's error codes (<see cref="ServerCode"/>, for example
/// <c>INVALID_REQUEST</c> or <c>WEBHOOK_URL_REJECTED</c>); the subclasses cover the codes callers act on.
/// </summary>
public class SubscriptionException(string message, DurableStreamErrorCode code, HttpStatusCode? status, Uri? url, string? serverCode)
    : DurableStreamException(message, code, status, url)
{
    /// <summary>The protocol's error code (<c>error.code</c> of the body), when the server sent one.</summary>
    public string? ServerCode { get; } = serverCode;
}

/// <summary>The subscription does not exist (404 <c>SUBSCRIPTION_NOT_FOUND</c>), or was deleted while a lease was held.</summary>
public sealed class SubscriptionNotFoundException(string message, Uri? url, string? serverCode)
    : SubscriptionException(message, DurableStreamErrorCode.NotFound, HttpStatusCode.NotFound, url, serverCode);

/// <summary>A subscription with this id exists with another configuration (409 <c>SUBSCRIPTION_ALREADY_EXISTS</c>): delete it first, or use another id.</summary>
public sealed class SubscriptionConflictException(string message, Uri? url, string? serverCode)
    : SubscriptionException(message, DurableStreamErrorCode.SubscriptionConflict, HttpStatusCode.Conflict, url, serverCode);

/// <summary>
/// The wake this request belongs to is no longer current (409 <c>FENCED</c>): the lease expired or was released and
/// a newer generation exists. Stop processing that wake; its unacked messages are delivered again by the next wake.
/// </summary>
public sealed class SubscriptionFencedException(string message, Uri? url, string? serverCode)
    : SubscriptionException(message, DurableStreamErrorCode.Fenced, HttpStatusCode.Conflict, url, serverCode);

/// <summary>Another worker holds the lease (409 <c>ALREADY_CLAIMED</c>): wait for the next wake.</summary>
public sealed class SubscriptionAlreadyClaimedException(string message, Uri? url, string? serverCode, string? currentHolder, long? generation)
    : SubscriptionException(message, DurableStreamErrorCode.AlreadyClaimed, HttpStatusCode.Conflict, url, serverCode)
{
    /// <summary>The worker name that holds the lease.</summary>
    public string? CurrentHolder { get; } = currentHolder;

    /// <summary>The generation of the held wake.</summary>
    public long? Generation { get; } = generation;
}

/// <summary>A claim found nothing to do (409 <c>NO_PENDING_WORK</c>): every linked stream is acked up to its tail.</summary>
public sealed class SubscriptionNoPendingWorkException(string message, Uri? url, string? serverCode)
    : SubscriptionException(message, DurableStreamErrorCode.NoPendingWork, HttpStatusCode.Conflict, url, serverCode);

/// <summary>An ack named an unknown stream, moved a cursor backwards or past the tail (409 <c>INVALID_OFFSET</c>); nothing of it was applied.</summary>
public sealed class SubscriptionInvalidAckException(string message, Uri? url, string? serverCode)
    : SubscriptionException(message, DurableStreamErrorCode.InvalidAck, HttpStatusCode.Conflict, url, serverCode);

/// <summary>
/// The wake's bearer token was refused (401 <c>TOKEN_INVALID</c> or <c>TOKEN_EXPIRED</c>): like
/// <see cref="SubscriptionFencedException"/>, the lease is gone.
/// </summary>
public sealed class SubscriptionTokenRejectedException(string message, Uri? url, string? serverCode)
    : SubscriptionException(message, DurableStreamErrorCode.LeaseTokenRejected, HttpStatusCode.Unauthorized, url, serverCode);
