using System.Collections.Concurrent;
using DurableStreams.Consumers;
using DurableStreams.Server.Tests.Webhooks;
using DurableStreams.Subscriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DurableStreams.Server.Tests.Subscriptions;

/// <summary>
/// The SDK end to end with no Node server: the embedded server's subscriptions driven by the typed client's pull-wake
/// workers and by the webhook receiver (<c>MapDurableStreamsWebhook</c>) verifying the server's signatures.
/// </summary>
public sealed class EmbeddedInteropTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Still waiting for: " + what);
            await Task.Delay(25);
        }
    }

    private static Task<DurableStreamsServer> StartServerAsync() => DurableStreamsServer.StartAsync(new DurableStreamsServerOptions
    {
        Subscriptions = { EnableWebhooks = true, AllowLocalhostWebhooks = true },
    });

    /// <summary>Records which worker handled which message.</summary>
    private sealed class NamedHandler(string worker, ConcurrentQueue<(string Worker, StreamMessage<TestOrder> Message)> handled) : IStreamHandler<TestOrder>
    {
        public ValueTask HandleAsync(StreamMessage<TestOrder> message, CancellationToken cancellationToken)
        {
            handled.Enqueue((worker, message));
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Two_pull_wake_workers_hand_over_every_message_in_order_and_ack_to_the_tail()
    {
        await using var server = await StartServerAsync();
        using var client = new DurableStreamClient(server.BaseAddress);
        var subscriptions = new SubscriptionClient(client);
        await client.CreateStreamAsync("wake/pool", new CreateStreamOptions { ContentType = "application/json" });
        await subscriptions.CreateAsync("orders", SubscriptionDefinition.PullWake("wake/pool", pattern: "orders/*"));

        var handled = new ConcurrentQueue<(string Worker, StreamMessage<TestOrder> Message)>();
        using var stop = new CancellationTokenSource();
        var runs = new[] { "w1", "w2" }.Select(name =>
        {
            var worker = new PullWakeWorker<TestOrder>(subscriptions, WebhookTestJson.Default.TestOrder, new NamedHandler(name, handled),
                new PullWakeWorkerOptions { SubscriptionId = "orders", WorkerName = name, WakeStreamOffset = Offset.Beginning, IdleClaimInterval = TimeSpan.FromSeconds(1) });
            return worker.RunAsync(stop.Token);
        }).ToArray();

        var tails = new Dictionary<string, Offset>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            var stream = new DurableStream<TestOrder>(client.GetStream("orders/" + name, "application/json"), WebhookTestJson.Default.TestOrder);
            await stream.CreateAsync();
            for (var i = 0; i < 10; i++) tails["orders/" + name] = (await stream.AppendAsync(new TestOrder(name + i, i))).Offset!.Value;
        }
        await EventuallyAsync(async () =>
        {
            var sub = await subscriptions.GetAsync("orders");
            return sub!.Streams.Count == 3 && sub.Streams.All(s => s.AckedOffset == tails[s.Path]);
        }, "every stream acked to its tail");
        await stop.CancelAsync();
        await Task.WhenAll(runs).WaitAsync(Patience);

        foreach (var name in new[] { "a", "b", "c" })
        {
            var ids = handled.Where(h => h.Message.Stream == "orders/" + name).Select(h => h.Message.Data.Id).Distinct();
            Assert.Equal(Enumerable.Range(0, 10).Select(i => name + i), ids);
        }
    }

    [Fact]
    public async Task The_webhook_receiver_verifies_the_servers_signature_and_its_done_answer_acks_the_wake()
    {
        await using var server = await StartServerAsync();
        using var client = new DurableStreamClient(server.BaseAddress);
        var subscriptions = new SubscriptionClient(client);
        var orders = new RecordingOrders();
        await using var receiver = await TestApp.StartAsync(
            builder =>
            {
                builder.Services.AddSingleton(orders);
                builder.Services.AddScoped<Consumers.IStreamHandler<TestOrder>, RecordingOrderHandler>();
            },
            app => app.MapDurableStreamsWebhook("/hooks/orders", WebhookTestJson.Default.TestOrder, o => o.StreamRoot = server.BaseAddress));
        await subscriptions.CreateAsync("hook", SubscriptionDefinition.ForWebhook(new Uri(receiver.Address, "hooks/orders"), pattern: "orders/*"));

        var stream = new DurableStream<TestOrder>(client.GetStream("orders/a", "application/json"), WebhookTestJson.Default.TestOrder);
        await stream.CreateAsync();
        await stream.AppendAsync(new TestOrder("o1", 1));
        var tail = (await stream.AppendAsync(new TestOrder("o2", 2))).Offset!.Value;

        await EventuallyAsync(async () => (await subscriptions.GetAsync("hook"))!.Streams.Single().AckedOffset == tail, "the wake to be acked");
        Assert.Equal(["o1", "o2"], orders.Handled.Select(m => m.Data.Id).Distinct());
        Assert.Equal("o1", orders.Handled.First().Data.Id);
    }
}
