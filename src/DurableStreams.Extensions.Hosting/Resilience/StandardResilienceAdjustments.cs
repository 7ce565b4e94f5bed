using System.Diagnostics.CodeAnalysis;
using DurableStreams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace DurableStreams.Extensions.Hosting.Resilience;

/// <summary>
/// Makes <c>AddStandardResilienceHandler()</c> on a Durable Streams client's HttpClient (added by the app, or
/// to every client by <c>ConfigureHttpClientDefaults</c>) work with the client instead of against it:
/// <list type="bullet">
/// <item>its retry strategy leaves the client's requests alone: the client retries them itself, with backoff,
/// and only where a resend cannot store a message twice (a pipeline would resend a plain append after a 500,
/// and both retry systems together multiply the attempts);</item>
/// <item>its total and attempt timeouts do not apply to live reads (long-poll, SSE), which the server holds open
/// for longer than those timeouts by design; every other request keeps them;</item>
/// <item>its rate limiter and circuit breaker apply unchanged.</item>
/// </list>
/// </summary>
internal static class StandardResilienceAdjustments
{
    // Where Microsoft.Extensions.Http.Resilience keeps the standard handler's options: "{client}-standard".
    private const string StandardPipelineSuffix = "-standard";

    public static void Register(IServiceCollection services, string httpClientName) =>
        services.PostConfigure<HttpStandardResilienceOptions>(httpClientName + StandardPipelineSuffix, Adjust);

    internal static void Adjust(HttpStandardResilienceOptions options)
    {
        var shouldRetry = options.Retry.ShouldHandle;
        options.Retry.ShouldHandle = args => IsFromClient(args.Context) ? PredicateResult.False() : shouldRetry(args);

        ExemptLiveReads(options.TotalRequestTimeout);
        ExemptLiveReads(options.AttemptTimeout);
    }

    private static void ExemptLiveReads(HttpTimeoutStrategyOptions timeout)
    {
        var fixedTimeout = timeout.Timeout;
        var generator = timeout.TimeoutGenerator;
        // Polly applies no timeout where the generator answers an infinite one.
        timeout.TimeoutGenerator = args => IsLiveRead(args.Context)
            ? new ValueTask<TimeSpan>(Timeout.InfiniteTimeSpan)
            : generator?.Invoke(args) ?? new ValueTask<TimeSpan>(fixedTimeout);
    }

    private static bool IsFromClient(ResilienceContext context) =>
        RequestOf(context) is { } request && DurableStreamHttpRequests.IsFromClient(request);

    private static bool IsLiveRead(ResilienceContext context) =>
        RequestOf(context) is { } request && DurableStreamHttpRequests.IsLiveRead(request);

    // GetRequestMessage is marked experimental; it is the one public way to see the request from a strategy.
    [SuppressMessage("Usage", "EXTEXP0001", Justification = "The only public access to the request from a strategy's context.")]
    private static HttpRequestMessage? RequestOf(ResilienceContext context) => context.GetRequestMessage();
}
