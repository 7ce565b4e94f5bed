using System.Collections.Concurrent;
using System.Net;
using DurableStreams.Consumers;
using DurableStreams.Server.Webhooks;
using DurableStreams.Subscriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Sample.Aot;

/// <summary>
/// A webhook receiver: an ASP.NET Core endpoint on 127.0.0.1 that the server POSTs signed wakes to. It verifies each
/// signature against the server's JWKS, reads the woken stream and hands every order to a typed handler from DI.
/// </summary>
internal static class WebhookSample
{
    /// <summary>Subscribes the receiver to a new orders stream, appends the orders, and waits until they are handled and acked.</summary>
    public static async Task<bool> RunAsync(DurableStreamClient server, IReadOnlyList<OrderPlaced> written, string run, TimeSpan patience)
    {
        // Subscriptions cover the streams under the server's stream root, /v1/stream (the reference server's, and the
        // embedded server's default prefix); the sample's URL for the reference server is its origin.
        var root = server.BaseAddress!.AbsolutePath.EndsWith("/v1/stream/", StringComparison.Ordinal)
            ? server.BaseAddress
            : new Uri(server.BaseAddress, "v1/stream/");
        using var client = new DurableStreamClient(root);
        var received = new ConcurrentQueue<OrderPlaced>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(received);
        builder.Services.AddScoped<IStreamHandler<OrderPlaced>, OrderWebhookHandler>();
        await using var app = builder.Build();
        app.MapDurableStreamsWebhook("/hooks/orders", SampleJson.Default.OrderPlaced, o => o.StreamRoot = client.BaseAddress);
        await app.StartAsync();
        var receiver = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var stream = new DurableStream<OrderPlaced>(client.GetStream($"samples/aot/{run}/webhook/orders", "application/json"), SampleJson.Default.OrderPlaced);
        await stream.CreateAsync(ttl: TimeSpan.FromHours(1));
        var subscriptions = new SubscriptionClient(client);
        var id = $"aot-sample-{run}";
        await subscriptions.CreateAsync(id, SubscriptionDefinition.ForWebhook(new Uri(receiver, "hooks/orders"), pattern: $"samples/aot/{run}/webhook/*"));
        var tail = (await stream.AppendManyAsync(written))!.Offset;

        var deadline = DateTime.UtcNow + patience;
        Offset acked;
        while ((acked = (await subscriptions.GetAsync(id))!.Streams.Single().AckedOffset) != tail && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        await subscriptions.DeleteAsync(id);
        await app.StopAsync();
        Console.WriteLine($"webhook  {received.Count} orders handled through {receiver}hooks/orders; subscription acked {acked}");
        return received.Distinct().SequenceEqual(written) && acked == tail;
    }

    private sealed class OrderWebhookHandler(ConcurrentQueue<OrderPlaced> received) : IStreamHandler<OrderPlaced>
    {
        public ValueTask HandleAsync(StreamMessage<OrderPlaced> message, CancellationToken cancellationToken)
        {
            received.Enqueue(message.Data);
            return ValueTask.CompletedTask;
        }
    }
}
