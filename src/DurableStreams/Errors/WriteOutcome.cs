namespace DurableStreams;

/// <summary>What a failed write (append, batched append, close, idempotent producer batch) left in the stream.</summary>
public enum WriteOutcome
{
    /// <summary>
    /// The data was certainly not stored: the request never reached the server (connection refused), or
    /// the server refused it before storing anything (400, 401, 403, 404, 409, 413, 429, 503). Sending it
    /// again cannot create a duplicate.
    /// </summary>
    NotStored,

    /// <summary>
    /// The data may or may not be stored: the request was sent and no definite answer came back (a
    /// connection dropped after sending, a timeout after sending, 408, 500, 502, 504). Sending it again
    /// may store it twice; read the stream to find out, or write through an idempotent producer, which
    /// resends under the same numbers and so cannot duplicate.
    /// </summary>
    Unknown,
}
