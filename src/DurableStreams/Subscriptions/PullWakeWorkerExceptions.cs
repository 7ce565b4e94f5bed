using System.Net;
using DurableStreams.Consumers;

namespace DurableStreams.Subscriptions;

/// <summary>
/// A <see cref="PullWakeWorker{T}"/> stopped because its handler failed a message
/// <see cref="PullWakeWorkerOptions.MaxAttempts"/> times under <see cref="HandlerFailurePolicy.Stop"/>. What finished
/// before it was acked and the lease released; the message itself stays unacked, so the next worker to claim the
/// subscription starts with it. The handler's exception is the inner exception.
/// </summary>
public sealed class PullWakeWorkerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PullWakeWorkerException(string message, string subscriptionId, string worker, string stream, Uri url, Offset? ackedOffset,
        Offset failedPosition, int attempts, Exception innerException)
        : base(message, innerException)
    {
        SubscriptionId = subscriptionId;
        Worker = worker;
        Stream = stream;
        Url = url;
        AckedOffset = ackedOffset;
        FailedPosition = failedPosition;
        Attempts = attempts;
    }

    /// <summary>The subscription the worker worked for.</summary>
    public string SubscriptionId { get; }

    /// <summary>The worker's name.</summary>
    public string Worker { get; }

    /// <summary>The path of the stream the message came from.</summary>
    public string Stream { get; }

    /// <summary>The stream's URL.</summary>
    public Uri Url { get; }

    /// <summary>
    /// The subscription's cursor on <see cref="Stream"/> as this worker last knew it: the offset it acked before
    /// stopping, else the one the wake was claimed at (null when the stream had none).
    /// </summary>
    public Offset? AckedOffset { get; }

    /// <summary>The position just after the message that failed (<see cref="StreamMessage{T}.Position"/>).</summary>
    public Offset FailedPosition { get; }

    /// <summary>How many times the handler was given the message in the last wake.</summary>
    public int Attempts { get; }
}

/// <summary>
/// A pull-wake worker's wake stream is missing (<see cref="DurableStreamErrorCode.NotFound"/>, 404) or is not a JSON
/// stream (<see cref="DurableStreamErrorCode.Conflict"/>: it exists with another content type). The application creates
/// the wake stream, as an <c>application/json</c> stream, before workers start (PROTOCOL.md section 7.2).
/// </summary>
public sealed class InvalidWakeStreamException(string message, DurableStreamErrorCode code, HttpStatusCode? status, Uri? url,
    string wakeStream, string? contentType, Exception? innerException = null)
    : DurableStreamException(message, code, status, url, null, innerException)
{
    /// <summary>The wake stream's path.</summary>
    public string WakeStream { get; } = wakeStream;

    /// <summary>The wake stream's content type; null when it does not exist.</summary>
    public string? ContentType { get; } = contentType;
}
