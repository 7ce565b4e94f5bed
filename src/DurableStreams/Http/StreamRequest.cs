namespace DurableStreams.Http;

/// <summary>What a request is for; decides how a failure status is classified.</summary>
internal enum RequestKind
{
    Read, Head, Create, Append, Close, Delete,
    /// <summary>A subscription control or delivery request (<c>__ds/subscriptions</c>); its errors carry protocol codes.</summary>
    Subscription,
}

/// <summary>Which failures may be retried without risking a duplicate write.</summary>
internal enum RetryClass
{
    /// <summary>Idempotent requests: retry network errors, timeouts, 408, 429 and 5xx.</summary>
    Idempotent,
    /// <summary>Writes that might land twice: retry only failures that stored nothing (429, 503, refused).</summary>
    StoredNothingOnly,
}

/// <summary>
/// Everything needed to build a fresh <see cref="HttpRequestMessage"/> for each attempt
/// (a message cannot be sent twice, and dynamic values must be evaluated again).
/// </summary>
internal sealed class StreamRequest
{
    public required HttpMethod Method { get; init; }
    public required Uri Url { get; init; }
    public required RequestKind Kind { get; init; }
    public RetryClass RetryClass { get; init; } = RetryClass.Idempotent;

    /// <summary>How long failures are retried; <see langword="null"/>: <see cref="RetryOptions.MaxRetries"/> retries.</summary>
    public IRetryBudget? RetryBudget { get; init; }

    // Created on first use: most writes carry no protocol query and most reads no protocol headers.
    private List<KeyValuePair<string, string>>? _query;
    private ProtocolHeaders _headers;

    /// <summary>Protocol query parameters (offset, live, cursor); these win over user parameters.</summary>
    public List<KeyValuePair<string, string>> Query => _query ??= [];

    /// <summary>
    /// Protocol headers; per-call headers may not override them except where noted by the caller.
    /// Held inline (no collection for the usual few): set them through this reference.
    /// </summary>
    public ref ProtocolHeaders Headers => ref _headers;

    public bool HasQuery => _query is { Count: > 0 };
    public bool HasHeaders => _headers.Count > 0;

    public bool TryGetHeader(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value)
    {
        return _headers.TryGetValue(name, out value);
    }

    /// <summary>Per-call (and, for sessions, on-error) headers and parameters.</summary>
    public RequestOverrides? Overrides { get; init; }

    /// <summary>Created anew for every attempt.</summary>
    public RequestBody? Body { get; init; }
    public string? ContentType { get; init; }
    public TimeSpan? Timeout { get; init; }

    /// <summary>Offset the request reads from, reported in errors.</summary>
    public Offset? Offset { get; init; }

    /// <summary>
    /// Set by <see cref="ProtocolHttpClient"/> once an attempt failed in a way that may have reached
    /// the server and stored the request (no response after sending, 408, a 5xx other than 503); a
    /// later duplicate answer may then be that attempt recognised. Stays false while every failed
    /// attempt certainly stored nothing (connection refused, 429, 503, another 4xx).
    /// </summary>
    public bool MaybeDelivered { get; set; }

    /// <summary>
    /// The caller reports a failure for good itself (the idempotent producer: outage summary, producer
    /// failure), so the request's own failure line is logged at Debug rather than Warning.
    /// </summary>
    public bool FailureReportedByCaller { get; init; }
}

/// <summary>
/// Caller-supplied headers and query parameters. A read session keeps one instance so that an
/// on-error recovery applies to every later request of the session.
/// </summary>
internal sealed class RequestOverrides
{
    private Dictionary<string, string>? _headers;
    private Dictionary<string, string>? _query;

    // Allocated on first write: a read session without per-call values never needs them.
    public Dictionary<string, string> Headers => _headers ??= new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, string> Query => _query ??= new(StringComparer.Ordinal);

    public bool HasHeaders => _headers is { Count: > 0 };
    public bool HasQuery => _query is { Count: > 0 };

    public static RequestOverrides From(IReadOnlyDictionary<string, string>? headers, IReadOnlyDictionary<string, string>? query)
    {
        var overrides = new RequestOverrides();
        if (headers is { Count: > 0 }) foreach (var (k, v) in headers) overrides.Headers[k] = v;
        if (query is { Count: > 0 }) foreach (var (k, v) in query) overrides.Query[k] = v;
        return overrides;
    }

    /// <summary>
    /// Overrides for one request, or null when there are none (an absent instance behaves exactly
    /// like an empty one and saves two dictionaries per write).
    /// </summary>
    public static RequestOverrides? ForRequest(IReadOnlyDictionary<string, string>? headers, IReadOnlyDictionary<string, string>? query) =>
        headers is not { Count: > 0 } && query is not { Count: > 0 } ? null : From(headers, query);

    public void Apply(ErrorRecovery recovery)
    {
        foreach (var (k, v) in recovery.Headers) Headers[k] = v;
        foreach (var (k, v) in recovery.QueryParameters) Query[k] = v;
    }
}
