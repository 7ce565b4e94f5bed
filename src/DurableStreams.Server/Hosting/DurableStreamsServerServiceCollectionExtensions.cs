using DurableStreams.Server;
using DurableStreams.Server.Endpoints;
using DurableStreams.Server.Protocol;
using DurableStreams.Server.Sse;
using DurableStreams.Server.Storage;
using DurableStreams.Server.Subscriptions;
using DurableStreams.Server.Telemetry;
using DurableStreams.Server.Testing;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

// Extension methods live in the namespaces their receivers come from, so they show up without extra usings.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Durable Streams server (the client package's <c>AddDurableStreams</c> registers the client).</summary>
public static class DurableStreamsServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the stream store, the endpoint services and the <see cref="DurableStreamsCors.DefaultPolicyName"/> CORS
    /// policy; pair with <c>app.UseCors()</c> and <c>MapDurableStreams</c>.
    /// </summary>
    public static IServiceCollection AddDurableStreamsServer(this IServiceCollection services, Action<DurableStreamsServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new DurableStreamsServerOptions();
        configure?.Invoke(options);
        Validate(options, nameof(configure));

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton(options);
        services.AddSingleton<IStreamStore>(provider => CreateStore(options, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new CursorGenerator(provider.GetRequiredService<TimeProvider>(), options.CursorInterval, options.CursorEpoch));
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<SseStreamWriter>();
        services.AddSingleton<CreateHandler>();
        services.AddSingleton<AppendHandler>();
        services.AddSingleton<ReadHandler>();
        services.AddSingleton<HeadHandler>();
        services.AddSingleton<DeleteHandler>();
        services.AddSingleton<StreamEndpoint>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<SubscriptionEngine>();
        services.AddSingleton<SubscriptionEndpoint>();
        services.AddHostedService<SubscriptionBackgroundService>();
        services.AddCors(cors => cors.AddPolicy(DurableStreamsCors.DefaultPolicyName, policy => BuildPolicy(policy, options)));
        return services;
    }

    private static void Validate(DurableStreamsServerOptions options, string parameter)
    {
        if (options.MaxReadBytes is < 1 or > DurableStreamsServerOptions.MaxReadBytesLimit)
        {
            throw new ArgumentOutOfRangeException(parameter, options.MaxReadBytes,
                $"DurableStreamsServerOptions.MaxReadBytes must be between 1 byte and 1 GiB ({DurableStreamsServerOptions.MaxReadBytesLimit} bytes); it was {options.MaxReadBytes}.");
        }
    }

    private static void BuildPolicy(CorsPolicyBuilder policy, DurableStreamsServerOptions options)
    {
        policy.WithDurableStreamsProtocol();
        if (options.ConfigureCorsPolicy is { } configure) configure(policy);
        else policy.AllowAnyOrigin();
    }

    private static IStreamStore CreateStore(DurableStreamsServerOptions options, TimeProvider clock) => options.Store switch
    {
        DurableStreamsStoreKind.File => new FileStreamStore(
            options.DataDirectory ?? throw new InvalidOperationException("DataDirectory is required for the file store."), clock),
        _ => new MemoryStreamStore(clock),
    };
}
