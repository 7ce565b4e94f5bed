using DurableStreams.Logging;

namespace DurableStreams.Reading;

/// <summary>What a read session logs beyond single requests: body refetches and the read stopping for good.</summary>
internal sealed partial class ReadSession
{
    private int _failureReported;

    /// <summary>
    /// Waits before fetching again a batch whose body broke off before any of it was used, and logs
    /// the retry with its reason and delay (event 9).
    /// </summary>
    public Task BodyRetryDelayAsync(int attempt, DurableStreamException failure, CancellationToken cancellationToken)
    {
        var delay = Retry.Backoff(attempt, Random.Shared);
        Log.ReadBodyRetrying(_http.Logger, _url.AbsolutePath, Offset, delay.TotalMilliseconds, attempt + 1, failure.Message);
        Telemetry.ReadTelemetry.Refetching(_url, failure);
        return Task.Delay(delay, _http.Time, cancellationToken);
    }

    /// <summary>
    /// Logs, once per session, the failure that ends the read (event 104), with the exception. Used as an
    /// exception filter: it always returns false, so the exception goes on unchanged. Cancellation is the
    /// caller's own doing and is not logged; protocol violations and read loops were logged with their
    /// exception where they were found (103, 102).
    /// </summary>
    public bool ReportFailure(Exception exception)
    {
        if (exception is OperationCanceledException) return false;
        if (exception is DurableStreamProtocolException { Code: DurableStreamErrorCode.ProtocolViolation or DurableStreamErrorCode.ReadLoop }) return false;
        if (Interlocked.Exchange(ref _failureReported, 1) != 0) return false;
        Log.ReadFailed(_http.Logger, Log.FailureLevel(exception), _url.AbsolutePath, Offset, Log.ErrorType(exception), exception.Message, exception);
        return false;
    }
}
