using DurableStreams.Consumers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DurableStreams.Extensions.Hosting.Consumers;

/// <summary>Runs one <see cref="StreamConsumer{T}"/> for the lifetime of the host.</summary>
internal sealed class StreamConsumerService<T>(StreamConsumer<T> consumer) : BackgroundService
{
    public StreamConsumer<T> Consumer => consumer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Start-up of the other hosted services does not wait for the first read.
        await Task.Yield();
        await consumer.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}

/// <summary>Resolves <typeparamref name="THandler"/> in a new scope for each message (and each retry of it).</summary>
internal sealed class ScopedStreamHandler<THandler, T>(IServiceScopeFactory scopes) : IStreamHandler<T>
    where THandler : class, IStreamHandler<T>
{
    public async ValueTask HandleAsync(StreamMessage<T> message, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
            await scope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(message, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Resolves the registered <see cref="IDeadLetterHandler{T}"/> in a new scope for each skipped message.</summary>
internal sealed class ScopedDeadLetterHandler<T>(IServiceScopeFactory scopes) : IDeadLetterHandler<T>
{
    public async ValueTask HandleFailedAsync(StreamMessage<T> message, Exception exception, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
            await scope.ServiceProvider.GetRequiredService<IDeadLetterHandler<T>>().HandleFailedAsync(message, exception, cancellationToken).ConfigureAwait(false);
    }
}
