using DurableStreams.Subscriptions;
using Microsoft.Extensions.Hosting;

namespace DurableStreams.Extensions.Hosting.Subscriptions;

/// <summary>Runs one <see cref="PullWakeWorker{T}"/> for the lifetime of the host.</summary>
internal sealed class PullWakeWorkerService<T>(PullWakeWorker<T> worker) : BackgroundService
{
    public PullWakeWorker<T> Worker => worker;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Start-up of the other hosted services does not wait for the first claim.
        await Task.Yield();
        await worker.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
