using DurableStreams.Server.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Durable Streams protocol onto a URL prefix.</summary>
public static class DurableStreamsEndpointRouteBuilderExtensions
{
    /// <summary>Serves every stream under <paramref name="prefix"/> (e.g. "/v1/stream"), all methods.</summary>
    public static IEndpointConventionBuilder MapDurableStreams(this IEndpointRouteBuilder endpoints, string prefix = "/v1/stream")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var endpoint = endpoints.ServiceProvider.GetRequiredService<StreamEndpoint>();
        return endpoints.Map(prefix.TrimEnd('/') + "/{**streamPath}", endpoint.HandleAsync).WithDisplayName("Durable Streams");
    }
}
