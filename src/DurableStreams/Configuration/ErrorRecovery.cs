namespace DurableStreams;

/// <summary>
/// What an <see cref="DurableStreamClientOptions.OnError"/> handler returns to retry a failed request:
/// headers and query parameters merged over the ones it had (for the rest of a read session).
/// </summary>
public sealed class ErrorRecovery
{
    /// <summary>Headers to add or replace.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Query parameters to add or replace (never <c>offset</c>, <c>live</c> or <c>cursor</c>).</summary>
    public IDictionary<string, string> QueryParameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>
/// Called when a request fails for good (after retries). Return an <see cref="ErrorRecovery"/> to retry
/// with new headers or parameters, or <see langword="null"/> to let the exception propagate.
/// </summary>
public delegate ValueTask<ErrorRecovery?> StreamErrorHandler(DurableStreamException error, CancellationToken cancellationToken);
