using DurableStreams.Server.Endpoints;
using DurableStreams.Server.Protocol;
using DurableStreams.Server.Sse;
using DurableStreams.Server.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

// Extension methods live in the namespaces their receivers come from, so they show up without extra usings.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Durable Streams server (the client package's <c>AddDurableStreams</c> registers the client).</summary>
public static class DurableStreamsServerServiceCollectionExtensions
{
    /// <summary>Adds the stream store and endpoint services; pair with <c>MapDurableStreams</c>.</summary>
    public static IServiceCollection AddDurableStreamsServer(this IServiceCollection services, Action<DurableStreams.Server.DurableStreamsServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new DurableStreams.Server.DurableStreamsServerOptions();
        configure?.Invoke(options);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<IStreamStore>(provider => CreateStore(options, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new CursorGenerator(provider.GetRequiredService<TimeProvider>(), options.CursorInterval, options.CursorEpoch));
        services.AddSingleton<SseStreamWriter>();
        services.AddSingleton<CreateHandler>();
        services.AddSingleton<AppendHandler>();
        services.AddSingleton<ReadHandler>();
        services.AddSingleton<HeadHandler>();
        services.AddSingleton<DeleteHandler>();
        services.AddSingleton<StreamEndpoint>();
        services.AddSingleton<DurableStreams.Server.Testing.FaultInjector>();
        return services;
    }

    private static IStreamStore CreateStore(DurableStreams.Server.DurableStreamsServerOptions options, TimeProvider clock) => options.Store switch
    {
        DurableStreams.Server.DurableStreamsStoreKind.File => new FileStreamStore(
            options.DataDirectory ?? throw new InvalidOperationException("DataDirectory is required for the file store."), clock),
        _ => new MemoryStreamStore(clock),
    };
}
