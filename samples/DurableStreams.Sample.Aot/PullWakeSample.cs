using System.Collections.Concurrent;
using DurableStreams.Consumers;
using DurableStreams.Subscriptions;

namespace DurableStreams.Sample.Aot;

/// <summary>
/// Two pull-wake workers sharing one subscription: they tail its wake stream, race to claim each wake, and hand every
/// order to a typed handler; the lease lets one work at a time, so each order is handled once.
/// </summary>
internal static class PullWakeSample
{
    /// <summary>Subscribes two workers to a new orders stream, appends the orders, and waits until they are handled and acked.</summary>
    public static async Task<bool> RunAsync(DurableStreamClient server, IReadOnlyList<OrderPlaced> written, string run, TimeSpan patience)
    {
        // Subscription paths are relative to the stream root, /v1/stream on both the reference and the embedded server.
        var root = server.BaseAddress!.AbsolutePath.EndsWith("/v1/stream/", StringComparison.Ordinal)
            ? server.BaseAddress
            : new Uri(server.BaseAddress, "v1/stream/");
        using var client = new DurableStreamClient(root);
        var subscriptions = new SubscriptionClient(client);
        var prefix = $"samples/aot/{run}/pull";
        await client.CreateStreamAsync($"{prefix}/wake", new CreateStreamOptions { ContentType = "application/json", Ttl = TimeSpan.FromHours(1) });
        var stream = new DurableStream<OrderPlaced>(client.GetStream($"{prefix}/orders/eu", "application/json"), SampleJson.Default.OrderPlaced);
        await stream.CreateAsync(ttl: TimeSpan.FromHours(1));
        var id = $"aot-sample-pull-{run}";
        await subscriptions.CreateAsync(id, SubscriptionDefinition.PullWake($"{prefix}/wake", pattern: $"{prefix}/orders/*"));

        var handled = new ConcurrentQueue<(string Worker, OrderPlaced Order)>();
        using var stop = new CancellationTokenSource();
        var workers = new[] { "worker-a", "worker-b" }.Select(name => new PullWakeWorker<OrderPlaced>(subscriptions, SampleJson.Default.OrderPlaced,
            new OrderHandler(name, handled), new PullWakeWorkerOptions { SubscriptionId = id, WorkerName = name }).RunAsync(stop.Token)).ToArray();
        var tail = (await stream.AppendManyAsync(written))!.Offset;

        var deadline = DateTime.UtcNow + patience;
        Offset acked;
        while ((acked = (await subscriptions.GetAsync(id))!.Streams.Single().AckedOffset) != tail && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        await subscriptions.DeleteAsync(id);
        var by = string.Join(", ", handled.GroupBy(h => h.Worker).Select(g => $"{g.Key}: {g.Count()}"));
        Console.WriteLine($"pull     {handled.Count} orders handled by two workers ({by}); subscription acked {acked}");
        return handled.Select(h => h.Order).SequenceEqual(written) && acked == tail;
    }

    private sealed class OrderHandler(string worker, ConcurrentQueue<(string, OrderPlaced)> handled) : IStreamHandler<OrderPlaced>
    {
        public ValueTask HandleAsync(StreamMessage<OrderPlaced> message, CancellationToken cancellationToken)
        {
            handled.Enqueue((worker, message.Data));
            return ValueTask.CompletedTask;
        }
    }
}
