using System.Net.Http.Headers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Server.Subscriptions;

/// <summary>
/// The subscriptions' background work, stopped with the host: applies queued stream changes, runs the lease and
/// retry timer, and sends webhook POSTs (signed at send time, redirects not followed).
/// </summary>
internal sealed class SubscriptionBackgroundService(
    SubscriptionEngine engine,
    DurableStreamsServerOptions options,
    TimeProvider clock,
    ILogger<SubscriptionBackgroundService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ChangesAsync(stoppingToken), TimerAsync(stoppingToken), DeliveriesAsync(stoppingToken));

    private async Task ChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in engine.ChangesQueued.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                Guard(engine.ApplyChanges);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task TimerAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Subscriptions.TimerInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false)) Guard(engine.Tick);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task DeliveriesAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = options.Subscriptions.WebhookTimeout,
        };
        // Deliveries run side by side (a slow receiver holds up only its own subscription, which has one wake
        // in flight at a time), at most MaxConcurrentDeliveries at once; stopping waits for those in flight.
        using var slots = new SemaphoreSlim(MaxConcurrentDeliveries);
        var inFlight = new HashSet<Task>();
        try
        {
            await foreach (var delivery in engine.Deliveries.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                var task = DeliverAsync(http, delivery, slots, cancellationToken);
                lock (inFlight)
                {
                    inFlight.RemoveWhere(t => t.IsCompleted);
                    inFlight.Add(task);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Host stopping.
        }
        Task[] remaining;
        lock (inFlight) remaining = [.. inFlight];
        await Task.WhenAll(remaining).ConfigureAwait(false);
    }

    private const int MaxConcurrentDeliveries = 16;
    private const int MaxAnswerBytes = 64 * 1024;

    private async Task DeliverAsync(HttpClient http, WebhookDelivery delivery, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            var (delivered, done) = await SendAsync(http, delivery, cancellationToken).ConfigureAwait(false);
            if (!cancellationToken.IsCancellationRequested) Guard(() => engine.WebhookAnswered(delivery, delivered, done));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Host stopping: the wake stays unanswered, and wakes again after a restart if work is pending.
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<(bool Delivered, bool Done)> SendAsync(HttpClient http, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(delivery.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Webhook-Signature", engine.Signer.Sign(clock.GetUtcNow().ToUnixTimeSeconds(), delivery.Body));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return (false, false);
            // Only {"done": true} matters in the answer: a small bounded read.
            var buffer = new byte[MaxAnswerBytes];
            var length = 0;
            await using var content = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            int read;
            while (length < buffer.Length && (read = await content.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
                length += read;
            return (true, SubscriptionRequests.IsDone(buffer[..length]));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return (false, false);
        }
    }

    private void Guard(Action work)
    {
        try
        {
            work();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One failing change or tick (e.g. a disk error saving state) must not stop the loops.
            Log.BackgroundFailed(logger, ex);
        }
    }
}
