using System.Net;
using System.Text.Json;

namespace DurableStreams.Server.Tests.Subscriptions;

/// <summary>
/// What the conformance suite's subscription group does not reach: state across a file-store restart, lease
/// expiry, webhook retry, and signatures checked against the published JWKS.
/// </summary>
public sealed class SubscriptionDeliveryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ds-subscriptions-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private const string PullWake = """{"type":"pull-wake","pattern":"events/*","wake_stream":"wake/pool","lease_ttl_ms":1000}""";

    private static string Webhook(SubscriptionTestHost host) =>
        """{"type":"webhook","pattern":"events/*","webhook":{"url":""" + "\"" + host.HookUrl + "\"}}";

    private static async Task<JsonElement[]> WakeEventsAsync(SubscriptionTestHost host) =>
        [.. (await host.ReadJsonAsync("wake/pool")).EnumerateArray()];

    private static string Tail(JsonElement claim, string path) =>
        claim.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("path").GetString() == path).GetProperty("tail_offset").GetString()!;

    private static string Acked(JsonElement subscription, string path) =>
        subscription.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("path").GetString() == path).GetProperty("acked_offset").GetString()!;

    [Fact]
    public async Task File_store_keeps_subscriptions_cursors_generation_and_signing_key_across_a_restart()
    {
        void File(DurableStreamsServerOptions options)
        {
            options.Store = DurableStreamsStoreKind.File;
            options.DataDirectory = _directory;
        }
        string acked, kid;
        long generation;
        await using (var host = await SubscriptionTestHost.StartAsync(File))
        {
            await host.CreateJsonStreamAsync("wake/pool");
            await host.JsonAsync(HttpMethod.Put, "__ds/subscriptions/s1", PullWake, expected: HttpStatusCode.Created);
            var webhook = await host.JsonAsync(HttpMethod.Put, "__ds/subscriptions/hook",
                """{"type":"webhook","streams":["other/x"],"webhook":{"url":""" + "\"" + host.HookUrl + "\"}}", expected: HttpStatusCode.Created);
            kid = webhook.GetProperty("webhook").GetProperty("signing").GetProperty("kid").GetString()!;
            await host.CreateJsonStreamAsync("events/a", """{"n":1}""");
            var claim = await host.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/claim", """{"worker":"w1"}""");
            generation = claim.GetProperty("generation").GetInt64();
            acked = Tail(claim, "events/a");
            var ack = $$"""{"wake_id":"{{claim.GetProperty("wake_id").GetString()}}","generation":{{generation}},"acks":[{"stream":"events/a","offset":"{{acked}}"}],"done":true}""";
            await host.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/ack", ack, claim.GetProperty("token").GetString());
            // Pending at shutdown: must wake again after the restart.
            await host.AppendAsync("events/a", """{"n":2}""");
        }

        await using var restarted = await SubscriptionTestHost.StartAsync(File);
        var sub = await restarted.JsonAsync(HttpMethod.Get, "__ds/subscriptions/s1");
        Assert.Equal("pull-wake", sub.GetProperty("type").GetString());
        Assert.Equal(acked, Acked(sub, "events/a"));
        var hook = await restarted.JsonAsync(HttpMethod.Get, "__ds/subscriptions/hook");
        Assert.Equal(kid, hook.GetProperty("webhook").GetProperty("signing").GetProperty("kid").GetString());
        // Identical PUT after the restart re-confirms (the config hash persisted).
        await restarted.JsonAsync(HttpMethod.Put, "__ds/subscriptions/s1", PullWake, expected: HttpStatusCode.OK);

        restarted.Clock.Advance(TimeSpan.FromSeconds(1));
        await SubscriptionTestHost.WaitUntilAsync(
            async () => (await WakeEventsAsync(restarted)).Any(e => e.GetProperty("generation").GetInt64() > generation),
            "a wake for the work left pending before the restart");
        var next = await restarted.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/claim", """{"worker":"w2"}""");
        Assert.True(next.GetProperty("generation").GetInt64() > generation);
        var stream = next.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("path").GetString() == "events/a");
        Assert.Equal(acked, stream.GetProperty("acked_offset").GetString());
        Assert.True(stream.GetProperty("has_pending").GetBoolean());
    }

    [Fact]
    public async Task An_expired_lease_fences_its_holder_and_wakes_the_pending_work_again()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        await host.CreateJsonStreamAsync("wake/pool");
        await host.JsonAsync(HttpMethod.Put, "__ds/subscriptions/s1", PullWake, expected: HttpStatusCode.Created);
        await host.CreateJsonStreamAsync("events/a", """{"n":1}""");
        await SubscriptionTestHost.WaitUntilAsync(async () => (await WakeEventsAsync(host)).Length == 1, "the first wake");

        var first = await host.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/claim", """{"worker":"w1"}""");
        var busy = await host.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/claim", """{"worker":"w2"}""", expected: HttpStatusCode.Conflict);
        Assert.Equal("w1", busy.GetProperty("error").GetProperty("current_holder").GetString());

        // w1 stops heartbeating: past the 1 s lease the timer clears it and writes a new wake.
        host.Clock.Advance(TimeSpan.FromMilliseconds(1100));
        await SubscriptionTestHost.WaitUntilAsync(async () => (await WakeEventsAsync(host)).Length == 2, "a wake after the lease expired");
        var wakes = await WakeEventsAsync(host);
        Assert.Equal(first.GetProperty("generation").GetInt64() + 1, wakes[1].GetProperty("generation").GetInt64());

        var second = await host.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/claim", """{"worker":"w2"}""");
        Assert.Equal(wakes[1].GetProperty("generation").GetInt64(), second.GetProperty("generation").GetInt64());
        var stale = $$"""{"wake_id":"{{first.GetProperty("wake_id").GetString()}}","generation":{{first.GetProperty("generation").GetInt64()}},"acks":[{"stream":"events/a","offset":"{{Tail(first, "events/a")}}"}],"done":true}""";
        var fenced = await host.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/ack", stale, first.GetProperty("token").GetString(), HttpStatusCode.Conflict);
        Assert.Equal("FENCED", fenced.GetProperty("error").GetProperty("code").GetString());
        // The fenced ack moved nothing.
        var sub = await host.JsonAsync(HttpMethod.Get, "__ds/subscriptions/s1");
        Assert.Equal(Acked(second, "events/a"), Acked(sub, "events/a"));
        Assert.NotEqual(Tail(first, "events/a"), Acked(sub, "events/a"));
    }

    [Fact]
    public async Task A_failed_webhook_is_retried_after_backoff_and_a_done_answer_acks_the_snapshot()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        host.Receiver.Reply(500, "{}");
        host.Receiver.Reply(200, """{"done":true}""");
        await host.JsonAsync(HttpMethod.Put, "__ds/subscriptions/h1",
            Webhook(host), expected: HttpStatusCode.Created);
        await host.CreateJsonStreamAsync("events/a", """{"n":1}""");

        await SubscriptionTestHost.WaitUntilAsync(
            async () => (await host.JsonAsync(HttpMethod.Get, "__ds/subscriptions/h1")).GetProperty("status").GetString() == "failed",
            "the failed delivery to be recorded");
        var failed = await host.JsonAsync(HttpMethod.Get, "__ds/subscriptions/h1");
        Assert.True(failed.TryGetProperty("next_attempt_at", out _));
        Assert.Single(host.Receiver.Received);

        // The first retry is 1 s with 20% jitter: at most 1.2 s away.
        host.Clock.Advance(TimeSpan.FromMilliseconds(1250));
        await SubscriptionTestHost.WaitUntilAsync(
            async () => (await host.JsonAsync(HttpMethod.Get, "__ds/subscriptions/h1")).GetProperty("status").GetString() == "active",
            "the retry to succeed");
        var received = host.Receiver.Received;
        Assert.Equal(2, received.Count);
        using var retry = JsonDocument.Parse(received[1].Body);
        var tail = retry.RootElement.GetProperty("streams").EnumerateArray().Single().GetProperty("tail_offset").GetString()!;
        await SubscriptionTestHost.WaitUntilAsync(
            async () => Acked(await host.JsonAsync(HttpMethod.Get, "__ds/subscriptions/h1"), "events/a") == tail,
            "the done answer to ack the snapshot's tail");
        using var firstAttempt = JsonDocument.Parse(received[0].Body);
        Assert.True(retry.RootElement.GetProperty("generation").GetInt64() > firstAttempt.RootElement.GetProperty("generation").GetInt64());
    }

    [Fact]
    public async Task Webhook_signatures_verify_with_the_published_jwks_and_not_for_another_body()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        var created = await host.JsonAsync(HttpMethod.Put, "__ds/subscriptions/h1",
            Webhook(host), expected: HttpStatusCode.Created);
        var jwksUrl = created.GetProperty("webhook").GetProperty("signing").GetProperty("jwks_url").GetString()!;
        using var jwksResponse = await host.Http.GetAsync(jwksUrl);
        Assert.Equal("application/jwk-set+json", jwksResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=300", jwksResponse.Headers.CacheControl?.ToString());
        var jwks = JsonDocument.Parse(await jwksResponse.Content.ReadAsStringAsync()).RootElement;

        await host.CreateJsonStreamAsync("events/a", """{"n":1}""");
        await SubscriptionTestHost.WaitUntilAsync(() => Task.FromResult(host.Receiver.Received.Count > 0), "the webhook");
        var (body, signature) = host.Receiver.Received[0];
        Assert.NotNull(signature);
        Assert.True(WebhookSignature.Verify(jwks, signature!, body));
        Assert.False(WebhookSignature.Verify(jwks, signature!, body.Replace("events/a", "events/b", StringComparison.Ordinal)));
    }
}
