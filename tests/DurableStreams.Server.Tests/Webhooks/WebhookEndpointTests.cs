using System.Collections.Concurrent;
using System.Net;
using DurableStreams.Consumers;
using DurableStreams.Server.Webhooks;
using DurableStreams.Subscriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DurableStreams.Server.Tests.Webhooks;

/// <summary>
/// The receiver hosted on Kestrel, with a JWKS served by the same app from a key made in the test, and (for the typed
/// mode) the embedded Durable Streams server holding the streams the wakes point at.
/// </summary>
public sealed class WebhookEndpointTests : IAsyncLifetime
{
    private readonly TestSigningKey _key = new("ds_test");
    private readonly ConcurrentQueue<SubscriptionWebhookNotification> _wakes = new();
    private readonly RecordingOrders _orders = new();
    private readonly ConcurrentQueue<(string Authorization, string Body)> _callbacks = new();
    private readonly ConcurrentQueue<IStreamHandler<TestOrder>> _scopedHandlers = new();
    private TestApp _app = null!;
    private DurableStreamsServer _batched = null!;
    private HttpClient _http = null!;
    private int _jwksRequests;
    private Func<SubscriptionWebhookNotification, WebhookOutcome> _outcome = _ => WebhookOutcome.Done;

    public async ValueTask InitializeAsync()
    {
        _batched = await DurableStreamsServer.StartAsync();
        var port = TestApp.FreePort();
        var address = $"http://127.0.0.1:{port}";
        _app = await TestApp.StartAsync(
            builder =>
            {
                // One message per read response, so that each message is a delivery of its own (exact progress acks).
                builder.Services.AddDurableStreamsServer(o => o.MaxReadBytes = 1);
                builder.Services.AddSingleton(_orders);
                builder.Services.AddScoped<IStreamHandler<TestOrder>, RecordingOrderHandler>();
            },
            app =>
            {
                app.UseCors();
                app.MapDurableStreams("/v1/stream");
                // Stands in for the server's callback endpoint: records what the typed receiver sends.
                app.MapPost("/fake/__ds/subscriptions/sub-1/callback", async (HttpContext context) =>
                {
                    using var reader = new StreamReader(context.Request.Body);
                    _callbacks.Enqueue((context.Request.Headers.Authorization.ToString(), await reader.ReadToEndAsync()));
                    return Results.Text("""{"ok":true,"next_wake":false}""", "application/json");
                });
                app.MapGet("/keys/jwks.json", (HttpContext context) =>
                {
                    Interlocked.Increment(ref _jwksRequests);
                    context.Response.Headers.CacheControl = "public, max-age=300";
                    return Results.Text("{\"keys\":[" + _key.Jwk + "]}", "application/jwk-set+json");
                });
                void Configure(DurableStreamsWebhookOptions o)
                {
                    o.StreamRoot = new Uri(address.TrimEnd('/') + "/v1/stream");
                    o.JwksUrl = new Uri(address.TrimEnd('/') + "/keys/jwks.json");
                }
                app.MapDurableStreamsWebhook("/hooks/raw", (wake, _) =>
                {
                    _wakes.Enqueue(wake);
                    return ValueTask.FromResult(_outcome(wake));
                }, Configure);
                app.MapDurableStreamsWebhook("/hooks/limited", (wake, _) =>
                {
                    _wakes.Enqueue(wake);
                    return ValueTask.FromResult(WebhookOutcome.Done);
                }, o =>
                {
                    Configure(o);
                    o.MaxBodyBytes = 600;
                    o.SubscriptionIds.Add("sub-1");
                });
                app.MapDurableStreamsWebhook("/hooks/scoped", (wake, services, _) =>
                {
                    // The request's scope: a scoped service resolves, and it is the one of this request.
                    var handler = services.GetRequiredService<IStreamHandler<TestOrder>>();
                    _scopedHandlers.Enqueue(handler);
                    _wakes.Enqueue(wake);
                    return ValueTask.FromResult(WebhookOutcome.Done);
                }, Configure);
                app.MapDurableStreamsWebhook("/hooks/orders", WebhookTestJson.Default.TestOrder, Configure);
                // The same over a server with whole-stream read responses (a delivery can reach past a wake's tail).
                app.MapDurableStreamsWebhook("/hooks/orders-batched", WebhookTestJson.Default.TestOrder, o =>
                {
                    Configure(o);
                    o.StreamRoot = _batched.BaseAddress;
                });
            },
            port);
        _http = new HttpClient { BaseAddress = _app.Address };
    }

    private string Url(string path) => new Uri(_app.Address, path).AbsoluteUri;

    private string Callback => Url("fake/__ds/subscriptions/sub-1/callback");

    private byte[] SimpleWake(string wakeId = "w_1") => SignedRequests.Wake("sub-1", wakeId, 3,
        SignedRequests.Stream("orders/eu", "-1", "0000000000000000_0000000000000010"), Callback);

    private async Task<HttpResponseMessage> SendAsync(string path, byte[] body, string? signature) =>
        await _http.SendAsync(SignedRequests.Post(Url(path), body, signature));

    [Fact]
    public async Task A_signed_wake_reaches_the_handler_and_done_is_answered()
    {
        var body = SimpleWake();
        using var response = await SendAsync("hooks/raw", body, _key.Sign(DateTimeOffset.UtcNow, body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"done":true}""", await response.Content.ReadAsStringAsync());

        var wake = Assert.Single(_wakes);
        Assert.Equal("sub-1", wake.SubscriptionId);
        Assert.Equal("w_1", wake.WakeId);
        Assert.Equal(3, wake.Generation);
        Assert.Equal(new Uri(Callback), wake.CallbackUrl);
        Assert.Equal("tok.sig", wake.CallbackToken);
        var stream = Assert.Single(wake.Streams);
        Assert.Equal("orders/eu", stream.Path);
        Assert.Equal(SubscriptionLinkType.Explicit, stream.LinkType);
        Assert.Equal(Offset.Beginning, stream.AckedOffset);
        Assert.Equal(new Offset("0000000000000000_0000000000000010"), stream.TailOffset);
        Assert.True(stream.HasPending);
    }

    [Fact]
    public async Task Forged_missing_and_replayed_signatures_get_401_and_never_reach_the_handler()
    {
        var body = SimpleWake();
        using var impostor = new TestSigningKey("ds_test");
        using (var forged = await SendAsync("hooks/raw", body, impostor.Sign(DateTimeOffset.UtcNow, body)))
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        using (var missing = await SendAsync("hooks/raw", body, null))
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        using (var stale = await SendAsync("hooks/raw", body, _key.Sign(DateTimeOffset.UtcNow.AddMinutes(-10), body)))
            Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Empty(_wakes);

        var signature = _key.Sign(DateTimeOffset.UtcNow, body);
        using (var first = await SendAsync("hooks/raw", body, signature))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var replay = await _http.SendAsync(SignedRequests.Copy(Url("hooks/raw"), body, signature)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
            Assert.Contains("Replayed", await replay.Content.ReadAsStringAsync());
        }
        Assert.Single(_wakes);
    }

    [Fact]
    public async Task A_raw_handler_can_take_the_requests_services()
    {
        foreach (var wakeId in new[] { "w_s1", "w_s2" })
        {
            var body = SimpleWake(wakeId);
            using var response = await SendAsync("hooks/scoped", body, _key.Sign(DateTimeOffset.UtcNow, body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(["w_s1", "w_s2"], _wakes.Select(w => w.WakeId));
        var handlers = _scopedHandlers.ToArray();
        Assert.Equal(2, handlers.Length);
        Assert.NotSame(handlers[0], handlers[1]);
    }

    [Fact]
    public async Task Accepted_answers_202_without_done()
    {
        _outcome = _ => WebhookOutcome.Accepted;
        var body = SimpleWake();
        using var response = await SendAsync("hooks/raw", body, _key.Sign(DateTimeOffset.UtcNow, body));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.DoesNotContain("done", await response.Content.ReadAsStringAsync());
        Assert.Single(_wakes);
    }

    [Fact]
    public async Task A_failing_handler_answers_500_and_the_servers_retry_of_the_same_bytes_is_accepted()
    {
        var calls = 0;
        _outcome = _ => ++calls == 1 ? throw new InvalidOperationException("boom") : WebhookOutcome.Done;
        var body = SimpleWake();
        var signature = _key.Sign(DateTimeOffset.UtcNow, body);
        using (var failed = await SendAsync("hooks/raw", body, signature))
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        using (var retried = await SendAsync("hooks/raw", body, signature))
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(2, _wakes.Count);
    }

    [Fact]
    public async Task Oversized_bodies_malformed_wakes_and_other_subscriptions_are_refused_before_the_handler()
    {
        var large = SignedRequests.Wake("sub-1", "w_" + new string('x', 700), 1, "", Callback);
        using (var tooLarge = await SendAsync("hooks/limited", large, _key.Sign(DateTimeOffset.UtcNow, large)))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        var notAWake = """{"subscription_id":"sub-1"}"""u8.ToArray();
        using (var malformed = await SendAsync("hooks/limited", notAWake, _key.Sign(DateTimeOffset.UtcNow, notAWake)))
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        var other = SignedRequests.Wake("sub-other", "w_2", 1, "", Callback);
        using (var forbidden = await SendAsync("hooks/limited", other, _key.Sign(DateTimeOffset.UtcNow, other)))
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Empty(_wakes);

        var mine = SignedRequests.Wake("sub-1", "w_3", 1, "", Callback);
        using (var ok = await SendAsync("hooks/limited", mine, _key.Sign(DateTimeOffset.UtcNow, mine)))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Single(_wakes);
    }

    [Fact]
    public async Task The_typed_receiver_reads_from_the_acked_offset_to_the_tail_with_a_scope_per_message()
    {
        using var client = new DurableStreamClient(new Uri(_app.Address, "v1/stream/"));
        var stream = new DurableStream<TestOrder>(client.GetStream("orders/eu", "application/json"), WebhookTestJson.Default.TestOrder);
        await stream.CreateAsync();
        var first = await stream.AppendAsync(new TestOrder("a", 1));
        await stream.AppendAsync(new TestOrder("b", 2));
        var tail = await stream.AppendAsync(new TestOrder("c", 3));

        // Acked after "a": the receiver hands over "b" and "c" only, then done.
        var body = SignedRequests.Wake("sub-1", "w_7", 7,
            SignedRequests.Stream("orders/eu", first.Offset!.Value.Value, tail.Offset!.Value.Value) + "," +
            SignedRequests.Stream("orders/idle", "0000000000000000_0000000000000000", "0000000000000000_0000000000000000"), Callback);
        using var response = await SendAsync("hooks/orders", body, _key.Sign(DateTimeOffset.UtcNow, body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"done":true}""", await response.Content.ReadAsStringAsync());

        var handled = _orders.Handled.ToArray();
        Assert.Equal(["b", "c"], handled.Select(m => m.Data.Id));
        Assert.All(handled, m => Assert.Equal("orders/eu", m.Stream));
        Assert.All(handled, m => Assert.Equal(1, m.Attempt));
        Assert.Equal(tail.Offset!.Value, handled[^1].Position);
        Assert.Equal(2, _orders.Scopes);

        // Resuming at the first message's position reads the rest: the positions are exact.
        await using var resume = await client.StreamAsync("orders/eu", new ReadOptions { Offset = handled[0].Position });
        Assert.Equal(["c"], (await resume.ReadAllJsonAsync(WebhookTestJson.Default.TestOrder)).Select(o => o.Id));
    }

    [Fact]
    public async Task A_failing_typed_handler_fails_the_wake_so_the_server_redelivers_it()
    {
        using var client = new DurableStreamClient(new Uri(_app.Address, "v1/stream/"));
        var stream = new DurableStream<TestOrder>(client.GetStream("orders/us", "application/json"), WebhookTestJson.Default.TestOrder);
        await stream.CreateAsync();
        var first = await stream.AppendAsync(new TestOrder("x", 1));
        var tail = await stream.AppendAsync(new TestOrder("y", 2));
        _orders.FailOn["y"] = true;

        var body = SignedRequests.Wake("sub-1", "w_8", 8, SignedRequests.Stream("orders/us", "-1", tail.Offset!.Value.Value), Callback);
        using var response = await SendAsync("hooks/orders", body, _key.Sign(DateTimeOffset.UtcNow, body));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(["x"], _orders.Handled.Select(m => m.Data.Id));

        // "x" was a delivery of its own and finished: it is acked (without done) so the redelivery starts at "y".
        var (authorization, callback) = Assert.Single(_callbacks);
        Assert.Equal("Bearer tok.sig", authorization);
        var sent = System.Text.Json.JsonDocument.Parse(callback).RootElement;
        Assert.Equal("w_8", sent.GetProperty("wake_id").GetString());
        Assert.Equal(8, sent.GetProperty("generation").GetInt64());
        Assert.False(sent.TryGetProperty("done", out var done) && done.GetBoolean());
        var ack = Assert.Single(sent.GetProperty("acks").EnumerateArray().ToArray());
        Assert.Equal(("orders/us", first.Offset!.Value.Value), (ack.GetProperty("stream").GetString(), ack.GetProperty("offset").GetString()));
    }

    [Fact]
    public async Task A_read_past_the_wakes_tail_is_acked_where_it_got_to_through_the_callback()
    {
        using var client = new DurableStreamClient(_batched.BaseAddress);
        var stream = new DurableStream<TestOrder>(client.GetStream("orders/late", "application/json"), WebhookTestJson.Default.TestOrder);
        await stream.CreateAsync();
        var wakeTail = await stream.AppendAsync(new TestOrder("p", 1));
        // Appended after the wake was issued, delivered together with "p": a single response carries both.
        var realTail = await stream.AppendAsync(new TestOrder("q", 2));

        var body = SignedRequests.Wake("sub-1", "w_9", 9, SignedRequests.Stream("orders/late", "-1", wakeTail.Offset!.Value.Value), Callback);
        using var response = await SendAsync("hooks/orders-batched", body, _key.Sign(DateTimeOffset.UtcNow, body));

        // Both handled; a synchronous done would ack only "p" and "q" would come again, so the receiver called back.
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["p", "q"], _orders.Handled.Select(m => m.Data.Id));
        var (authorization, callback) = Assert.Single(_callbacks);
        Assert.Equal("Bearer tok.sig", authorization);
        var sent = System.Text.Json.JsonDocument.Parse(callback).RootElement;
        Assert.True(sent.GetProperty("done").GetBoolean());
        var ack = Assert.Single(sent.GetProperty("acks").EnumerateArray().ToArray());
        Assert.Equal(realTail.Offset!.Value.Value, ack.GetProperty("offset").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _batched.DisposeAsync();
        _key.Dispose();
    }
}
