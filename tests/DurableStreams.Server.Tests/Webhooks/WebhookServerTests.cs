using System.Collections.Concurrent;
using System.Net;
using DurableStreams.Consumers;
using DurableStreams.Server.Webhooks;
using DurableStreams.Subscriptions;
using DurableStreams.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DurableStreams.Server.Tests.Webhooks;

/// <summary>A Durable Streams server that delivers webhook subscriptions to http://127.0.0.1.</summary>
public interface IWebhookServerFixture
{
    /// <summary>The stream root, ending with a slash.</summary>
    Uri StreamRoot { get; }
}

/// <summary>The reference server 0.3.7 with webhook subscriptions on; one per test class.</summary>
public sealed class WebhookReferenceServerFixture : IWebhookServerFixture, IAsyncLifetime
{
    private ReferenceServer? _server;

    public Uri StreamRoot => new(_server!.BaseAddress, "v1/stream/");

    public async ValueTask InitializeAsync() =>
        _server = await ReferenceServer.StartAsync(new ReferenceServerOptions { Webhooks = true });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>The embedded server (memory store) with webhooks on, localhost URLs allowed.</summary>
public sealed class WebhookEmbeddedServerFixture : IWebhookServerFixture, IAsyncLifetime
{
    private DurableStreamsServer? _server;

    public Uri StreamRoot => _server!.BaseAddress;

    public async ValueTask InitializeAsync() => _server = await DurableStreamsServer.StartAsync(new DurableStreamsServerOptions
    {
        Subscriptions = { EnableWebhooks = true, AllowLocalhostWebhooks = true },
    });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>Against the reference server 0.3.7.</summary>
public sealed class WebhookReferenceServerTests(WebhookReferenceServerFixture fixture)
    : WebhookServerTests<WebhookReferenceServerFixture>(fixture);

/// <summary>Against the embedded server.</summary>
public sealed class WebhookEmbeddedServerTests(WebhookEmbeddedServerFixture fixture)
    : WebhookServerTests<WebhookEmbeddedServerFixture>(fixture);

/// <summary>
/// The receiver on Kestrel inside the test, a webhook subscription on a real server pointing at it: the server signs
/// with its real key and the receiver verifies against the server's real JWKS.
/// </summary>
public abstract class WebhookServerTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>, IAsyncLifetime
    where TFixture : class, IWebhookServerFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly RecordingOrders _orders = new();
    private readonly ConcurrentQueue<SubscriptionWebhookNotification> _accepted = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body, string Signature)> _received = new();
    private readonly string _prefix = "wh-" + Guid.NewGuid().ToString("N")[..12];
    private TestApp _receiver = null!;
    private DurableStreamClient _client = null!;
    private SubscriptionClient _subscriptions = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _client = new DurableStreamClient(fixture.StreamRoot);
        _subscriptions = new SubscriptionClient(_client);
        _receiver = await TestApp.StartAsync(
            builder =>
            {
                builder.Services.AddSingleton(_orders);
                builder.Services.AddScoped<IStreamHandler<TestOrder>, RecordingOrderHandler>();
            },
            app =>
            {
                // Keeps a copy of every request as it arrived, to replay and tamper with.
                app.Use(async (context, next) =>
                {
                    context.Request.EnableBuffering();
                    using var copy = new MemoryStream();
                    await context.Request.Body.CopyToAsync(copy);
                    context.Request.Body.Position = 0;
                    _received.Enqueue((context.Request.Path, copy.ToArray(), context.Request.Headers["Webhook-Signature"].ToString()));
                    await next();
                });
                void Configure(DurableStreamsWebhookOptions o) => o.StreamRoot = fixture.StreamRoot;
                app.MapDurableStreamsWebhook("/hooks/typed", WebhookTestJson.Default.TestOrder, Configure);
                app.MapDurableStreamsWebhook("/hooks/async", (wake, _) =>
                {
                    _accepted.Enqueue(wake);
                    return ValueTask.FromResult(WebhookOutcome.Accepted);
                }, Configure);
            });
        _http = new HttpClient { BaseAddress = _receiver.Address };
    }

    private async Task<(string Subscription, DurableStream<TestOrder> Stream)> SubscribeAsync(string hook)
    {
        var stream = new DurableStream<TestOrder>(_client.GetStream($"{_prefix}/orders/a", "application/json"), WebhookTestJson.Default.TestOrder);
        await stream.CreateAsync();
        var id = _prefix + "-" + hook;
        await _subscriptions.CreateAsync(id, SubscriptionDefinition.ForWebhook(new Uri(_receiver.Address, "hooks/" + hook), pattern: $"{_prefix}/orders/*"));
        return (id, stream);
    }

    private async Task<Offset> AckedAsync(string subscription) =>
        (await _subscriptions.GetAsync(subscription))!.Streams.Single().AckedOffset;

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Still waiting for: " + what);
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task A_real_wake_is_verified_handled_in_order_and_done_advances_the_acked_offset()
    {
        var (subscription, stream) = await SubscribeAsync("typed");
        var before = await AckedAsync(subscription);
        await stream.AppendAsync(new TestOrder("o1", 10));
        var tail = (await stream.AppendAsync(new TestOrder("o2", 20))).Offset!.Value;

        await EventuallyAsync(async () => await AckedAsync(subscription) == tail, "the subscription's acked offset reaching the tail");

        // Every message at least once, in order, each with its stream; nothing refused on the way.
        var handled = _orders.Handled.Select(m => m.Data.Id).ToArray();
        Assert.Equal(["o1", "o2"], handled.Distinct());
        Assert.Equal("o1", handled[0]);
        Assert.All(_orders.Handled, m => Assert.Equal($"{_prefix}/orders/a", m.Stream));
        Assert.NotEqual(tail, before);
        Assert.All(_received, r => Assert.Matches("^t=\\d+,kid=[^,]+,ed25519=[A-Za-z0-9_-]+$", r.Signature));
    }

    [Fact]
    public async Task A_replayed_or_forged_request_is_refused_with_401_and_never_reaches_the_handler()
    {
        var (subscription, stream) = await SubscribeAsync("typed");
        var tail = (await stream.AppendAsync(new TestOrder("o1", 10))).Offset!.Value;
        await EventuallyAsync(async () => await AckedAsync(subscription) == tail, "the first wake to finish");
        var handledBefore = _orders.Handled.Count;
        var (path, body, signature) = _received.First(r => r.Path == "/hooks/typed");

        // The very request the server sent, again.
        using (var replay = await _http.SendAsync(SignedRequests.Post(path, body, signature)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
            Assert.Contains(nameof(WebhookRejection.Replayed), await replay.Content.ReadAsStringAsync());
        }

        // The same signature over a changed body (a later generation), and a signature by another key under the server's kid.
        var tampered = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(body).Replace("\"generation\":", "\"generation\":9"));
        using (var forgedBody = await _http.SendAsync(SignedRequests.Post(path, tampered, signature)))
            Assert.Equal(HttpStatusCode.Unauthorized, forgedBody.StatusCode);
        var kid = signature.Split(',').Single(p => p.StartsWith("kid=", StringComparison.Ordinal))[4..];
        using var impostor = new TestSigningKey(kid);
        using (var forgedKey = await _http.SendAsync(SignedRequests.Post(path, body, impostor.Sign(DateTimeOffset.UtcNow, body))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forgedKey.StatusCode);
            Assert.Contains(nameof(WebhookRejection.BadSignature), await forgedKey.Content.ReadAsStringAsync());
        }

        Assert.Equal(handledBefore, _orders.Handled.Count);
        Assert.Equal(tail, await AckedAsync(subscription));
    }

    [Fact]
    public async Task An_accepted_wake_is_finished_later_through_the_callback_with_its_token()
    {
        var (subscription, stream) = await SubscribeAsync("async");
        var before = await AckedAsync(subscription);
        var tail = (await stream.AppendAsync(new TestOrder("o1", 10))).Offset!.Value;

        await EventuallyAsync(() => Task.FromResult(!_accepted.IsEmpty), "the wake to arrive");
        var wake = Assert.Single(_accepted);
        Assert.Equal(subscription, wake.SubscriptionId);
        var woken = Assert.Single(wake.Streams);
        Assert.Equal((before, tail, true), (woken.AckedOffset, woken.TailOffset, woken.HasPending));

        // 202 without done: nothing is acked until the application calls back.
        Assert.Equal(before, await AckedAsync(subscription));
        var result = await _subscriptions.CallbackAsync(wake.CallbackUrl!, wake.CallbackToken!, wake.WakeId, wake.Generation,
            [new SubscriptionAck(woken.Path, woken.TailOffset)], done: true);
        Assert.True(result.Ok);
        Assert.Equal(tail, await AckedAsync(subscription));

        // The wake is finished: calling back for it again is fenced.
        await Assert.ThrowsAsync<SubscriptionFencedException>(() => _subscriptions.CallbackAsync(wake.CallbackUrl!,
            wake.CallbackToken!, wake.WakeId, wake.Generation, null, done: true));
    }

    [Fact]
    public async Task A_failing_handler_fails_the_wake_and_the_servers_redelivery_finishes_it()
    {
        var (subscription, stream) = await SubscribeAsync("typed");
        _orders.FailOn["o2"] = true;
        await stream.AppendAsync(new TestOrder("o1", 10));
        var tail = (await stream.AppendAsync(new TestOrder("o2", 20))).Offset!.Value;

        await EventuallyAsync(async () => await AckedAsync(subscription) == tail, "the redelivered wake to finish");

        // The first delivery failed on o2 (500), the server retried, and every message got through, in order.
        Assert.True(_orders.FailOn.IsEmpty);
        var handled = _orders.Handled.Select(m => m.Data.Id).ToArray();
        Assert.Equal(["o1", "o2"], handled.Distinct());
        Assert.Equal("o2", handled[^1]);
        Assert.True(_received.Count(r => r.Path == "/hooks/typed") >= 2);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _receiver.DisposeAsync();
        _client.Dispose();
    }
}
