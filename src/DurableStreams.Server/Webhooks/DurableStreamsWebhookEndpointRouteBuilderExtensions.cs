using System.Text.Json.Serialization.Metadata;
using DurableStreams.Consumers;
using DurableStreams.Server.Webhooks;
using DurableStreams.Subscriptions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps a receiver of Durable Streams webhook wake notifications (§7.1).</summary>
public static class DurableStreamsWebhookEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Receives wake notifications at <paramref name="pattern"/> (POST) and hands each verified wake to
    /// <paramref name="handler"/>. Requests with a missing, malformed, unknown-key, invalid, stale or replayed
    /// <c>Webhook-Signature</c> get 401 and never reach the handler. Return <see cref="WebhookOutcome.Done"/> to
    /// finish the wake with <c>{"done": true}</c> (the server acks the wake's tail offsets), or
    /// <see cref="WebhookOutcome.Accepted"/> to finish it later through its callback; a handler that throws gets 500,
    /// and the server redelivers the wake with backoff.
    /// </summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="pattern">The route, for example <c>/hooks/orders</c>: the subscription's <c>webhook.url</c>.</param>
    /// <param name="handler">Processes one wake.</param>
    /// <param name="configure">Sets at least <see cref="DurableStreamsWebhookOptions.StreamRoot"/> (or the JWKS URL).</param>
    /// <returns>The endpoint's convention builder (authorization, rate limiting, host filters).</returns>
    public static IEndpointConventionBuilder MapDurableStreamsWebhook(this IEndpointRouteBuilder endpoints, string pattern,
        Func<SubscriptionWebhookNotification, CancellationToken, ValueTask<WebhookOutcome>> handler, Action<DurableStreamsWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Map(endpoints, pattern, configure, (_, _) => (wake, _, ct) => handler(wake, ct), "Durable Streams webhook");
    }

    /// <summary>
    /// As <see cref="MapDurableStreamsWebhook(IEndpointRouteBuilder, string, Func{SubscriptionWebhookNotification, CancellationToken, ValueTask{WebhookOutcome}}, Action{DurableStreamsWebhookOptions})"/>,
    /// with the request's services (its DI scope) handed to <paramref name="handler"/> for scoped dependencies.
    /// </summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="pattern">The route: the subscription's <c>webhook.url</c>.</param>
    /// <param name="handler">Processes one wake, with the request's <see cref="IServiceProvider"/>.</param>
    /// <param name="configure">Sets at least <see cref="DurableStreamsWebhookOptions.StreamRoot"/> (or the JWKS URL).</param>
    /// <returns>The endpoint's convention builder.</returns>
    public static IEndpointConventionBuilder MapDurableStreamsWebhook(this IEndpointRouteBuilder endpoints, string pattern,
        Func<SubscriptionWebhookNotification, IServiceProvider, CancellationToken, ValueTask<WebhookOutcome>> handler,
        Action<DurableStreamsWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Map(endpoints, pattern, configure, (_, _) => (wake, context, ct) => handler(wake, context.RequestServices, ct),
            "Durable Streams webhook");
    }

    /// <summary>
    /// Receives wake notifications at <paramref name="pattern"/> (POST) for a subscription whose streams carry
    /// <typeparamref name="T"/> messages: after the signature verifies, every woken stream is read from its acked
    /// offset to the wake's tail offset and each message goes, in order, to the <see cref="IStreamHandler{T}"/>
    /// registered in DI, resolved from a scope per message; then the endpoint answers <c>{"done": true}</c> and the
    /// server acks. A handler that throws fails the wake (500): the server redelivers it from the acked offsets, so
    /// messages are handled at least once. Refusals are as for the untyped overload.
    /// </summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="pattern">The route: the subscription's <c>webhook.url</c>.</param>
    /// <param name="typeInfo">The source-generated JSON metadata of <typeparamref name="T"/>.</param>
    /// <param name="configure">Sets at least <see cref="DurableStreamsWebhookOptions.StreamRoot"/> (or the JWKS URL).</param>
    /// <returns>The endpoint's convention builder.</returns>
    public static IEndpointConventionBuilder MapDurableStreamsWebhook<T>(this IEndpointRouteBuilder endpoints, string pattern,
        JsonTypeInfo<T> typeInfo, Action<DurableStreamsWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return Map(endpoints, pattern, configure, (options, services) =>
        {
            var processor = new TypedWakeProcessor<T>(typeInfo, options, services);
            return (wake, _, ct) => processor.ProcessAsync(wake, ct);
        }, "Durable Streams webhook (" + typeof(T).Name + ")");
    }

    private static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string pattern, Action<DurableStreamsWebhookOptions> configure,
        Func<DurableStreamsWebhookOptions, IServiceProvider, Func<SubscriptionWebhookNotification, Microsoft.AspNetCore.Http.HttpContext, CancellationToken, ValueTask<WebhookOutcome>>> handlerFactory,
        string displayName)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(configure);
        var services = endpoints.ServiceProvider;
        var options = new DurableStreamsWebhookOptions();
        if (services.GetService<TimeProvider>() is { } time) options.TimeProvider = time;
        configure(options);

        var verifier = new WebhookSignatureVerifier(WebhookServices.HttpClientSource(options, services), options);
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(WebhookLog.Category) ?? NullLogger.Instance;
        var endpoint = new WebhookEndpoint(verifier, options, handlerFactory(options, services), logger);
        return endpoints.MapPost(pattern, endpoint.HandleAsync).WithDisplayName(displayName);
    }
}
