using System.Collections.Concurrent;
using DurableStreams.Consumers;
using DurableStreams.Extensions.Hosting.Tests.Consumers;
using DurableStreams.Extensions.Hosting.Tests.HealthChecks;
using DurableStreams.Subscriptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Extensions.Hosting.Tests.Subscriptions;

/// <summary>
/// <c>services.AddDurableStreamPullWakeWorker&lt;THandler, T&gt;(...)</c> in a real host against the reference server:
/// two registered workers share one subscription, handlers come from DI in a scope per message, and every message is
/// handled once and acked.
/// </summary>
public sealed class HostedPullWakeWorkerTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_hosted_workers_share_a_subscription_with_a_scoped_handler_per_message_and_ack_everything()
    {
        using var client = new DurableStreamClient(fixture.StreamBase);
        var subscriptions = new SubscriptionClient(client);
        var prefix = ReferenceServerFixture.NewPath("hosted-subs");
        await client.CreateStreamAsync($"{prefix}/wake", new CreateStreamOptions { ContentType = "application/json" });
        var id = ReferenceServerFixture.NewPath("sub");
        await subscriptions.CreateAsync(id, SubscriptionDefinition.PullWake($"{prefix}/wake", pattern: $"{prefix}/orders/*"));
        var eu = await client.CreateStreamAsync($"{prefix}/orders/eu", new CreateStreamOptions { ContentType = "application/json" });
        var us = await client.CreateStreamAsync($"{prefix}/orders/us", new CreateStreamOptions { ContentType = "application/json" });

        var received = new HostedConsumerTests.Received();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddDurableStreams(o => o.BaseAddress = fixture.StreamBase);
        builder.Services.AddSingleton(received);
        builder.Services.AddScoped<HostedConsumerTests.ScopeProbe>();
        builder.Services.AddDurableStreamPullWakeWorker<HostedConsumerTests.OrderHandler, HostedOrder>("first", HostedJson.Default.HostedOrder,
            o => o.SubscriptionId = id);
        builder.Services.AddDurableStreamPullWakeWorker<HostedConsumerTests.OrderHandler, HostedOrder>("second", HostedJson.Default.HostedOrder,
            o => o.SubscriptionId = id);
        using var host = builder.Build();

        await host.StartAsync();
        for (var i = 0; i < 10; i++)
        {
            await eu.AppendJsonAsync(new HostedOrder(i, "eu"), HostedJson.Default.HostedOrder);
            await us.AppendJsonAsync(new HostedOrder(100 + i, "us"), HostedJson.Default.HostedOrder);
        }
        await received.WaitForAsync(20).WaitAsync(Hang);
        var tails = new[] { (await eu.HeadAsync()).Offset, (await us.HeadAsync()).Offset };
        await AckedToAsync(subscriptions, id, tails).WaitAsync(Hang); // the done-ack follows the last handler
        await host.StopAsync().WaitAsync(Hang);

        Assert.Equal(Enumerable.Range(0, 10).Concat(Enumerable.Range(100, 10)), received.Ids.Order());
        Assert.Equal(20, received.Scopes.Distinct().Count()); // a new scope (and handler) for every message
        Assert.Equal(Enumerable.Range(0, 10), received.Messages.Where(m => m.Stream == $"{prefix}/orders/eu").Select(m => m.Data.Id));
    }

    [Fact]
    public async Task A_skipped_message_goes_to_the_dead_letter_handler_registered_in_DI()
    {
        using var client = new DurableStreamClient(fixture.StreamBase);
        var subscriptions = new SubscriptionClient(client);
        var prefix = ReferenceServerFixture.NewPath("hosted-subs");
        await client.CreateStreamAsync($"{prefix}/wake", new CreateStreamOptions { ContentType = "application/json" });
        var id = ReferenceServerFixture.NewPath("sub");
        await subscriptions.CreateAsync(id, SubscriptionDefinition.PullWake($"{prefix}/wake", pattern: $"{prefix}/orders/*"));
        var eu = await client.CreateStreamAsync($"{prefix}/orders/eu", new CreateStreamOptions { ContentType = "application/json" });

        var received = new HostedConsumerTests.Received();
        var deadLetters = new ConcurrentQueue<(int Id, string Error)>();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddDurableStreams(o => o.BaseAddress = fixture.StreamBase);
        builder.Services.AddSingleton(received);
        builder.Services.AddScoped<HostedConsumerTests.ScopeProbe>();
        builder.Services.AddSingleton<IDeadLetterHandler<HostedOrder>>(new DeadLetters(deadLetters));
        builder.Services.AddDurableStreamPullWakeWorker<HostedConsumerTests.OrderHandler, HostedOrder>("worker", HostedJson.Default.HostedOrder, o =>
        {
            o.SubscriptionId = id;
            o.FailurePolicy = HandlerFailurePolicy.Skip;
            o.MaxAttempts = 2;
            o.RetryDelay = TimeSpan.FromMilliseconds(10);
        });
        using var host = builder.Build();

        await host.StartAsync();
        foreach (var order in new HostedOrder[] { new(1, "tea"), new(2, "poison"), new(3, "jam") })
            await eu.AppendJsonAsync(order, HostedJson.Default.HostedOrder);
        await received.WaitForAsync(2).WaitAsync(Hang);
        await AckedToAsync(subscriptions, id, [(await eu.HeadAsync()).Offset]).WaitAsync(Hang); // acked past the poison order
        await host.StopAsync().WaitAsync(Hang);

        Assert.Equal([1, 3], received.Ids.Order());
        Assert.Equal((2, "poison"), Assert.Single(deadLetters));
    }

    private sealed class DeadLetters(ConcurrentQueue<(int, string)> into) : IDeadLetterHandler<HostedOrder>
    {
        public ValueTask HandleFailedAsync(StreamMessage<HostedOrder> message, Exception exception, CancellationToken cancellationToken)
        {
            into.Enqueue((message.Data.Id, exception.Message));
            return ValueTask.CompletedTask;
        }
    }

    private static async Task AckedToAsync(SubscriptionClient subscriptions, string id, Offset?[] tails)
    {
        while (true)
        {
            var state = (await subscriptions.GetAsync(id))!;
            if (tails.All(t => state.Streams.Any(s => s.AckedOffset == t))) return;
            await Task.Delay(50);
        }
    }
}
