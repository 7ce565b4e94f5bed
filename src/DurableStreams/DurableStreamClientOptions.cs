using Microsoft.Extensions.Logging;

namespace DurableStreams;

/// <summary>Options of a <see cref="DurableStreamClient"/>.</summary>
public sealed class DurableStreamClientOptions
{
    /// <summary>Base address relative stream paths resolve against (e.g. <c>http://localhost:4437/v1/stream/</c>).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Retry policy shared by every retryable request.</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>Headers sent with every request; values may be computed per request.</summary>
    public IDictionary<string, RequestValue> Headers { get; } = new Dictionary<string, RequestValue>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Query parameters sent with every request; values may be computed per request.</summary>
    public IDictionary<string, RequestValue> QueryParameters { get; } = new Dictionary<string, RequestValue>(StringComparer.Ordinal);

    /// <summary>Called when a request fails for good; may supply new headers or parameters to retry with.</summary>
    public StreamErrorHandler? OnError { get; set; }

    /// <summary>How many times in a row <see cref="OnError"/> may ask for a retry of one request. Default 3.</summary>
    public int MaxErrorRecoveries { get; set; } = 3;

    /// <summary>
    /// Coalesce appends made while a POST is in flight into the next POST (one request in flight per handle).
    /// Default <see langword="true"/>.
    /// </summary>
    public bool BatchAppends { get; set; } = true;

    /// <summary>Largest body an automatic append batch grows to. Default 1 MiB.</summary>
    public int MaxAppendBatchBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Tag batched appends with a per-handle producer identity so the server deduplicates a resend,
    /// which makes retrying them after 5xx and network failures safe. Without it only failures that
    /// certainly stored nothing (429, 503, refused connections) are retried. Default <see langword="true"/>.
    /// </summary>
    public bool SafeAppendRetries { get; set; } = true;

    /// <summary>Time allowed for a non-live request to return its headers, per attempt. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for a long-poll to answer, per attempt; must exceed the server's hold (30 s by default). Default 65 s.</summary>
    public TimeSpan LongPollTimeout { get; set; } = TimeSpan.FromSeconds(65);

    /// <summary>An SSE connection silent for this long is dropped and reopened. Default 120 s.</summary>
    public TimeSpan SseIdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Largest body one catch-up or long-poll response may have; a larger one (by its declared length, or
    /// as it is read) fails the read with <see cref="ResponseTooLargeException"/> instead of being buffered
    /// without bound. The server splits long streams across responses (the reference server sends a few
    /// MiB at most), so the default leaves ample room. Default 256 MiB.
    /// </summary>
    public long MaxResponseBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Whether large JSON-mode responses (from 1 MiB, or of unknown length past 256 KiB) are decoded in
    /// slices on more than one core while the rest arrives. Default true; turn it off to keep every read
    /// on one thread (for example in a service that already keeps all cores busy).
    /// </summary>
    public bool ParallelJsonDecoding { get; set; } = true;

    /// <summary>Logging; nothing is logged when unset.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Clock used for backoff waits (tests inject a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>A copy a client keeps, so the caller's object is neither changed nor able to change the client later.</summary>
    internal DurableStreamClientOptions Copy()
    {
        var copy = new DurableStreamClientOptions
        {
            BaseAddress = BaseAddress,
            Retry = Retry?.Clone()!,
            OnError = OnError,
            MaxErrorRecoveries = MaxErrorRecoveries,
            BatchAppends = BatchAppends,
            MaxAppendBatchBytes = MaxAppendBatchBytes,
            SafeAppendRetries = SafeAppendRetries,
            RequestTimeout = RequestTimeout,
            LongPollTimeout = LongPollTimeout,
            SseIdleTimeout = SseIdleTimeout,
            MaxResponseBytes = MaxResponseBytes,
            ParallelJsonDecoding = ParallelJsonDecoding,
            LoggerFactory = LoggerFactory,
            TimeProvider = TimeProvider,
        };
        foreach (var (name, value) in Headers) copy.Headers[name] = value;
        foreach (var (name, value) in QueryParameters) copy.QueryParameters[name] = value;
        return copy;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option; a client checks its options when it is built.</summary>
    public void Validate()
    {
        if (BaseAddress is { } baseAddress && (!baseAddress.IsAbsoluteUri || baseAddress.Scheme is not ("http" or "https")))
            throw new ArgumentException($"BaseAddress must be an absolute http or https URL; '{Logging.UrlRedaction.Display(baseAddress)}' is not.", nameof(BaseAddress));
        ArgumentNullException.ThrowIfNull(Retry);
        Retry.Validate();
        if (MaxErrorRecoveries < 0) throw new ArgumentOutOfRangeException(nameof(MaxErrorRecoveries));
        if (MaxAppendBatchBytes <= 0) throw new ArgumentOutOfRangeException(nameof(MaxAppendBatchBytes));
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout));
        if (LongPollTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(LongPollTimeout));
        if (SseIdleTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(SseIdleTimeout));
        if (MaxResponseBytes <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxResponseBytes), MaxResponseBytes, "MaxResponseBytes must be positive.");
    }
}
