using DurableStreams;
using Microsoft.Extensions.Configuration;

namespace DurableStreams.Extensions.Hosting.Configuration;

/// <summary>
/// The part of <see cref="DurableStreamClientOptions"/> that configuration can express, bound by the
/// configuration binder's source generator. Only keys present in configuration change the options, and an
/// unknown key (a typo) fails at start-up rather than being ignored.
/// </summary>
/// <example>
/// <code>
/// "DurableStreams": {
///   "BaseAddress": "https://streams.example.com/v1/stream/",
///   "RequestTimeout": "00:00:10",
///   "Retry": { "MaxRetries": 3 },
///   "Headers": { "X-Tenant": "acme" }
/// }
/// </code>
/// </example>
internal sealed class ClientSettings
{
    public Uri? BaseAddress { get; set; }
    public TimeSpan? RequestTimeout { get; set; }
    public TimeSpan? LongPollTimeout { get; set; }
    public TimeSpan? SseIdleTimeout { get; set; }
    public long? MaxResponseBytes { get; set; }
    public bool? BatchAppends { get; set; }
    public int? MaxAppendBatchBytes { get; set; }
    public bool? SafeAppendRetries { get; set; }
    public bool? ParallelJsonDecoding { get; set; }
    public int? MaxErrorRecoveries { get; set; }
    public RetrySettings? Retry { get; set; }
    public Dictionary<string, string>? Headers { get; set; }
    public Dictionary<string, string>? QueryParameters { get; set; }

    public static void Apply(IConfiguration configuration, DurableStreamClientOptions options)
    {
        var settings = configuration.Get<ClientSettings>(binder => binder.ErrorOnUnknownConfiguration = true);
        if (settings is null) return;
        if (settings.BaseAddress is { } baseAddress) options.BaseAddress = baseAddress;
        if (settings.RequestTimeout is { } requestTimeout) options.RequestTimeout = requestTimeout;
        if (settings.LongPollTimeout is { } longPollTimeout) options.LongPollTimeout = longPollTimeout;
        if (settings.SseIdleTimeout is { } sseIdleTimeout) options.SseIdleTimeout = sseIdleTimeout;
        if (settings.MaxResponseBytes is { } maxResponseBytes) options.MaxResponseBytes = maxResponseBytes;
        if (settings.BatchAppends is { } batchAppends) options.BatchAppends = batchAppends;
        if (settings.MaxAppendBatchBytes is { } maxAppendBatchBytes) options.MaxAppendBatchBytes = maxAppendBatchBytes;
        if (settings.SafeAppendRetries is { } safeAppendRetries) options.SafeAppendRetries = safeAppendRetries;
        if (settings.ParallelJsonDecoding is { } parallelJsonDecoding) options.ParallelJsonDecoding = parallelJsonDecoding;
        if (settings.MaxErrorRecoveries is { } maxErrorRecoveries) options.MaxErrorRecoveries = maxErrorRecoveries;
        settings.Retry?.ApplyTo(options.Retry);
        if (settings.Headers is not null) foreach (var (name, value) in settings.Headers) options.Headers[name] = value;
        if (settings.QueryParameters is not null) foreach (var (name, value) in settings.QueryParameters) options.QueryParameters[name] = value;
    }
}

/// <summary>The configurable part of <see cref="RetryOptions"/>.</summary>
internal sealed class RetrySettings
{
    public int? MaxRetries { get; set; }
    public TimeSpan? InitialDelay { get; set; }
    public TimeSpan? MaxDelay { get; set; }
    public double? Multiplier { get; set; }
    public TimeSpan? MaxRetryAfter { get; set; }

    public void ApplyTo(RetryOptions retry)
    {
        if (MaxRetries is { } maxRetries) retry.MaxRetries = maxRetries;
        if (InitialDelay is { } initialDelay) retry.InitialDelay = initialDelay;
        if (MaxDelay is { } maxDelay) retry.MaxDelay = maxDelay;
        if (Multiplier is { } multiplier) retry.Multiplier = multiplier;
        if (MaxRetryAfter is { } maxRetryAfter) retry.MaxRetryAfter = maxRetryAfter;
    }
}
