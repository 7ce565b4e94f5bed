using DurableStreams.Server.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Durable Streams protocol onto a URL prefix.</summary>
public static class DurableStreamsEndpointRouteBuilderExtensions
{
    /// <summary>Serves every stream under <paramref name="prefix"/> (e.g. "/v1/stream"; "/" for the whole server), all methods.</summary>
    public static IEndpointConventionBuilder MapDurableStreams(this IEndpointRouteBuilder endpoints, string prefix = "/v1/stream")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var endpoint = endpoints.ServiceProvider.GetRequiredService<StreamEndpoint>();
        if (endpoints.ServiceProvider.GetRequiredService<DurableStreams.Server.DurableStreamsServerOptions>().EnableTestFaultInjection)
        {
            var faults = endpoints.ServiceProvider.GetRequiredService<DurableStreams.Server.Testing.FaultInjector>();
            endpoints.Map(DurableStreams.Server.Testing.FaultInjector.ControlPath, faults.HandleControlAsync).WithDisplayName("Durable Streams test faults");
        }
        return endpoints.Map(prefix.TrimEnd('/') + "/{**streamPath}", endpoint.HandleAsync).WithDisplayName("Durable Streams");
    }
}
