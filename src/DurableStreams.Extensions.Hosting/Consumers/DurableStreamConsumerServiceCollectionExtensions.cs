using System.Diagnostics.CodeAnalysis;
using DurableStreams;
using DurableStreams.Consumers;
using DurableStreams.Extensions.Hosting.Consumers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Runs checkpointed consumers (<see cref="StreamConsumer{T}"/>) as hosted services: each registration is a
/// <see cref="BackgroundService"/> that reads its stream from the last checkpoint, resolves its handler from a new
/// DI scope for every message (and every retry), and stops gracefully when the host shuts down.
/// </summary>
public static class DurableStreamConsumerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a consumer named <paramref name="name"/> that hands each message of the stream <paramref name="stream"/>
    /// returns to <typeparamref name="THandler"/> (registered as scoped unless already registered).
    /// </summary>
    /// <typeparam name="THandler">The handler; for a <c>[DurableStream]</c> record <c>OrderPlaced</c>, an <c>IStreamHandler&lt;OrderPlaced&gt;</c>.</typeparam>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="name">The consumer's name: the key of its checkpoints, and the name of its <see cref="StreamConsumerOptions"/>.</param>
    /// <param name="stream">
    /// The stream, created once at start; for a generated stream class, for example
    /// <c>sp =&gt; OrderPlacedStream.For(sp.GetRequiredService&lt;DurableStreamClient&gt;(), "eu")</c>.
    /// </param>
    /// <param name="configure">
    /// Sets the options. Without <see cref="StreamConsumerOptions.CheckpointStore"/>, the <see cref="ICheckpointStore"/>
    /// registered in DI is used. An <see cref="IDeadLetterHandler{T}"/> registered in DI receives the messages skipped
    /// under <see cref="HandlerFailurePolicy.Skip"/>.
    /// </param>
    /// <returns>The options builder, to bind configuration or add validation; the consumer validates its options when the host starts.</returns>
    /// <remarks>
    /// The consumer's in-flight message may finish within <see cref="StreamConsumerOptions.ShutdownGracePeriod"/> on
    /// shutdown; keep it below the host's <c>ShutdownTimeout</c>. A <see cref="StreamConsumerException"/> (policy
    /// <see cref="HandlerFailurePolicy.Stop"/>) ends the service, and by default the host with it.
    /// </remarks>
    public static OptionsBuilder<StreamConsumerOptions> AddDurableStreamConsumer<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler, T>(
        this IServiceCollection services, string name, Func<IServiceProvider, DurableStream<T>> stream,
        Action<StreamConsumerOptions>? configure = null)
        where THandler : class, IStreamHandler<T>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(stream);

        services.TryAddScoped<THandler>();
        var options = services.AddOptions<StreamConsumerOptions>(name).Configure(o => o.Name = name);
        if (configure is not null) options.Configure(configure);
        options.PostConfigure<IServiceProvider>((o, provider) => o.CheckpointStore ??= provider.GetService<ICheckpointStore>());

        services.AddSingleton<IHostedService>(provider =>
        {
            var consumerOptions = provider.GetRequiredService<IOptionsMonitor<StreamConsumerOptions>>().Get(name);
            var scopes = provider.GetRequiredService<IServiceScopeFactory>();
            var deadLetter = provider.GetRequiredService<IServiceProviderIsService>().IsService(typeof(IDeadLetterHandler<T>))
                ? new ScopedDeadLetterHandler<T>(scopes)
                : null;
            var consumer = new StreamConsumer<T>(stream(provider), new ScopedStreamHandler<THandler, T>(scopes), consumerOptions, deadLetter);
            return new StreamConsumerService<T>(consumer);
        });
        return options;
    }
}
