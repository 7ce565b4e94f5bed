using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using DurableStreams;
using DurableStreams.Consumers;
using DurableStreams.Extensions.Hosting.Consumers;
using DurableStreams.Extensions.Hosting.Subscriptions;
using DurableStreams.Subscriptions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Runs pull-wake workers (<see cref="PullWakeWorker{T}"/>) as hosted services: each registration is a
/// <see cref="BackgroundService"/> that tails its subscription's wake stream, claims wakes, resolves its handler from a
/// new DI scope for every message (and every retry), and on shutdown acks what finished and releases its lease.
/// </summary>
public static class PullWakeWorkerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a pull-wake worker named <paramref name="name"/> that hands each message of the subscription's woken streams
    /// to <typeparamref name="THandler"/> (registered as scoped unless already registered). Register several (or run
    /// several instances of the app) to share a subscription: one holds the lease at a time.
    /// </summary>
    /// <typeparam name="THandler">The handler, an <see cref="IStreamHandler{T}"/>.</typeparam>
    /// <typeparam name="T">The message type of the subscribed streams.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="name">The worker registration's name: the name of its <see cref="PullWakeWorkerOptions"/>, and the subscription id unless <paramref name="configure"/> sets another.</param>
    /// <param name="typeInfo">Source-generated metadata of <typeparamref name="T"/>.</param>
    /// <param name="configure">
    /// Sets the options. An <see cref="IDeadLetterHandler{T}"/> registered in DI (resolved in a new scope for each
    /// message) receives the messages skipped under <see cref="HandlerFailurePolicy.Skip"/>.
    /// </param>
    /// <param name="subscriptions">
    /// The subscription APIs to use; by default a <see cref="SubscriptionClient"/> over the <see cref="DurableStreamClient"/>
    /// in DI (<c>AddDurableStreams</c>), whose base address is then the stream root.
    /// </param>
    /// <returns>The options builder, to bind configuration or add validation; the worker validates its options when it is created.</returns>
    /// <remarks>
    /// A <see cref="PullWakeWorkerException"/> (policy <see cref="HandlerFailurePolicy.Stop"/>) or an
    /// <see cref="InvalidWakeStreamException"/> at start ends the service, and by default the host with it.
    /// </remarks>
    public static OptionsBuilder<PullWakeWorkerOptions> AddDurableStreamPullWakeWorker<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler, T>(
        this IServiceCollection services, string name, JsonTypeInfo<T> typeInfo,
        Action<PullWakeWorkerOptions>? configure = null, Func<IServiceProvider, SubscriptionClient>? subscriptions = null)
        where THandler : class, IStreamHandler<T>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(typeInfo);

        services.TryAddScoped<THandler>();
        var options = services.AddOptions<PullWakeWorkerOptions>(name).Configure(o => o.SubscriptionId = name);
        if (configure is not null) options.Configure(configure);

        services.AddSingleton<IHostedService>(provider =>
        {
            var workerOptions = provider.GetRequiredService<IOptionsMonitor<PullWakeWorkerOptions>>().Get(name);
            var client = subscriptions?.Invoke(provider) ?? new SubscriptionClient(provider.GetRequiredService<DurableStreamClient>());
            var logger = provider.GetService<ILoggerFactory>()?.CreateLogger("DurableStreams.Subscriptions.PullWakeWorker") ?? NullLogger.Instance;
            var scopes = provider.GetRequiredService<IServiceScopeFactory>();
            var handler = new ScopedStreamHandler<THandler, T>(scopes);
            var deadLetter = provider.GetRequiredService<IServiceProviderIsService>().IsService(typeof(IDeadLetterHandler<T>))
                ? new ScopedDeadLetterHandler<T>(scopes)
                : null;
            return new PullWakeWorkerService<T>(new PullWakeWorker<T>(client, typeInfo, handler, workerOptions, logger, deadLetter));
        });
        return options;
    }
}
