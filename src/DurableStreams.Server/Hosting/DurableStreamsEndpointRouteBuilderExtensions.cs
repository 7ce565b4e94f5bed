using DurableStreams.Server;
using DurableStreams.Server.Endpoints;
using DurableStreams.Server.Subscriptions;
using DurableStreams.Server.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Durable Streams protocol onto a URL prefix.</summary>
public static class DurableStreamsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves every stream under <paramref name="prefix"/> (e.g. "/v1/stream"; "/" for the whole server), all
    /// methods, with the CORS policy named by <see cref="DurableStreamsServerOptions.CorsPolicyName"/>. The
    /// returned builder covers everything mapped here (the test fault endpoint too, when enabled), so
    /// <c>.RequireAuthorization()</c>, <c>.RequireCors(...)</c> or <c>.RequireRateLimiting(...)</c> on it apply to all of it.
    /// </summary>
    public static IEndpointConventionBuilder MapDurableStreams(this IEndpointRouteBuilder endpoints, string prefix = "/v1/stream")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var services = endpoints.ServiceProvider;
        var options = services.GetService<DurableStreamsServerOptions>()
            ?? throw new InvalidOperationException("Call services.AddDurableStreamsServer() before MapDurableStreams.");

        // One group with no prefix of its own: its conventions reach the streams and the root-level fault path alike.
        var group = endpoints.MapGroup("");
        var root = prefix.TrimEnd('/');
        // The reserved control prefix is a literal segment, so routing picks it ahead of the streams' catch-all (§6).
        var subscriptions = services.GetRequiredService<SubscriptionEndpoint>();
        group.Map(root + "/" + SubscriptionEndpoint.Prefix + "/{**control}", context => subscriptions.HandleAsync(context, root))
            .WithDisplayName("Durable Streams subscriptions");
        group.Map(root + "/{**streamPath}", services.GetRequiredService<StreamEndpoint>().HandleAsync)
            .WithDisplayName("Durable Streams");
        if (options.EnableTestFaultInjection)
        {
            group.Map(FaultInjector.ControlPath, services.GetRequiredService<FaultInjector>().HandleControlAsync)
                .WithDisplayName("Durable Streams test faults");
        }
        if (options.CorsPolicyName is { } policy) group.RequireCors(policy);
        return group;
    }
}
