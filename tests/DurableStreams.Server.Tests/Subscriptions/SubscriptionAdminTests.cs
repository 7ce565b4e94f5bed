using System.Net;
using System.Text.Json;

namespace DurableStreams.Server.Tests.Subscriptions;

/// <summary>Membership and lifecycle rules of §6 beyond the conformance suite's cases.</summary>
public sealed class SubscriptionAdminTests
{
    private static JsonElement? Link(JsonElement subscription, string path) =>
        subscription.GetProperty("streams").EnumerateArray().Cast<JsonElement?>().SingleOrDefault(s => s!.Value.GetProperty("path").GetString() == path);

    [Fact]
    public async Task Removing_an_explicit_link_keeps_the_glob_link_and_a_different_config_conflicts()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        await host.CreateJsonStreamAsync("wake/pool");
        await host.CreateJsonStreamAsync("events/a", """{"n":1}""");
        const string config = """{"type":"pull-wake","pattern":"events/*","streams":["events/a","manual/x"],"wake_stream":"wake/pool"}""";
        var created = await host.JsonAsync(HttpMethod.Put, "__ds/subscriptions/s1", config, expected: HttpStatusCode.Created);
        Assert.Equal("explicit", Link(created, "events/a")!.Value.GetProperty("link_type").GetString());
        // Linked at the tail: the stream's existing message is not pending.
        Assert.NotEqual("0000000000000000_0000000000000000", Link(created, "events/a")!.Value.GetProperty("acked_offset").GetString());

        using (var remove = await host.SendAsync(HttpMethod.Delete, "__ds/subscriptions/s1/streams/" + Uri.EscapeDataString("events/a")))
            Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        using (var remove = await host.SendAsync(HttpMethod.Delete, "__ds/subscriptions/s1/streams/" + Uri.EscapeDataString("manual/x")))
            Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        var after = await host.JsonAsync(HttpMethod.Get, "__ds/subscriptions/s1");
        Assert.Equal("glob", Link(after, "events/a")!.Value.GetProperty("link_type").GetString());
        Assert.Null(Link(after, "manual/x"));

        var conflict = await host.JsonAsync(HttpMethod.Put, "__ds/subscriptions/s1", config.Replace("events/*", "events/**", StringComparison.Ordinal),
            expected: HttpStatusCode.Conflict);
        Assert.Equal("SUBSCRIPTION_ALREADY_EXISTS", conflict.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_deleted_subscription_refuses_the_ack_of_its_claimed_wake()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        await host.CreateJsonStreamAsync("wake/pool");
        await host.JsonAsync(HttpMethod.Put, "__ds/subscriptions/s1", """{"type":"pull-wake","pattern":"events/*","wake_stream":"wake/pool"}""", expected: HttpStatusCode.Created);
        await host.CreateJsonStreamAsync("events/a", """{"n":1}""");
        var claim = await host.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/claim", """{"worker":"w1"}""");
        using (var delete = await host.SendAsync(HttpMethod.Delete, "__ds/subscriptions/s1")) Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        var tail = claim.GetProperty("streams")[0].GetProperty("tail_offset").GetString();
        var ack = $$"""{"wake_id":"{{claim.GetProperty("wake_id").GetString()}}","generation":{{claim.GetProperty("generation").GetInt64()}},"acks":[{"stream":"events/a","offset":"{{tail}}"}],"done":true}""";
        using var refused = await host.SendAsync(HttpMethod.Post, "__ds/subscriptions/s1/ack", ack, claim.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        using var gone = await host.SendAsync(HttpMethod.Get, "__ds/subscriptions/s1");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_stream_deleted_and_created_again_is_pending_from_its_new_start()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        await host.CreateJsonStreamAsync("wake/pool");
        await host.CreateJsonStreamAsync("events/a", """[{"n":1},{"n":2},{"n":3}]""");
        await host.JsonAsync(HttpMethod.Put, "__ds/subscriptions/s1", """{"type":"pull-wake","pattern":"events/*","wake_stream":"wake/pool"}""", expected: HttpStatusCode.Created);
        using (var delete = await host.SendAsync(HttpMethod.Delete, "events/a")) Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await host.CreateJsonStreamAsync("events/a", """{"n":"new"}""");

        await SubscriptionTestHost.WaitUntilAsync(
            async () => (await host.ReadJsonAsync("wake/pool")).GetArrayLength() > 0, "a wake for the re-created stream");
        var claim = await host.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/claim", """{"worker":"w1"}""");
        var stream = claim.GetProperty("streams")[0];
        Assert.Equal("0000000000000000_0000000000000000", stream.GetProperty("acked_offset").GetString());
        Assert.True(stream.GetProperty("has_pending").GetBoolean());
    }

    [Fact]
    public async Task Webhook_subscriptions_are_refused_while_webhooks_are_off_and_the_prefix_is_no_stream()
    {
        await using var host = await SubscriptionTestHost.StartAsync(options => options.Subscriptions.EnableWebhooks = false);
        var refused = await host.JsonAsync(HttpMethod.Put, "__ds/subscriptions/h1",
            """{"type":"webhook","pattern":"events/*","webhook":{"url":"https://hooks.example.com/x"}}""", expected: HttpStatusCode.BadRequest);
        Assert.Equal("INVALID_REQUEST", refused.GetProperty("error").GetProperty("code").GetString());
        // The control prefix is never a stream.
        using var create = await host.SendAsync(HttpMethod.Put, "__ds/not-a-stream", "[]");
        Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
    }

    [Fact]
    public async Task Claims_need_pending_work_and_acks_must_stay_between_the_cursor_and_the_tail()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        await host.CreateJsonStreamAsync("wake/pool");
        await host.CreateJsonStreamAsync("events/a", """{"n":0}""");
        await host.JsonAsync(HttpMethod.Put, "__ds/subscriptions/s1", """{"type":"pull-wake","pattern":"events/*","wake_stream":"wake/pool"}""", expected: HttpStatusCode.Created);
        var idle = await host.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/claim", """{"worker":"w1"}""", expected: HttpStatusCode.Conflict);
        Assert.Equal("NO_PENDING_WORK", idle.GetProperty("error").GetProperty("code").GetString());

        await host.AppendAsync("events/a", """{"n":1}""");
        var claim = await host.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/claim", """{"worker":"w1"}""");
        var stream = claim.GetProperty("streams")[0];
        string Ack(string offset) =>
            $$"""{"wake_id":"{{claim.GetProperty("wake_id").GetString()}}","generation":{{claim.GetProperty("generation").GetInt64()}},"acks":[{"stream":"events/a","offset":"{{offset}}"}]}""";
        var token = claim.GetProperty("token").GetString();
        foreach (var bad in new[] { "0000000000000000_0000000000000000", "0000000000000009_0000000000000000", "-1" })
        {
            var refused = await host.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/ack", Ack(bad), token, HttpStatusCode.Conflict);
            Assert.Equal("INVALID_OFFSET", refused.GetProperty("error").GetProperty("code").GetString());
        }
        var ok = await host.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/ack", Ack(stream.GetProperty("tail_offset").GetString()!), token);
        Assert.False(ok.GetProperty("next_wake").GetBoolean());
        using var unauthenticated = await host.SendAsync(HttpMethod.Post, "__ds/subscriptions/s1/ack", Ack(stream.GetProperty("tail_offset").GetString()!));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task An_unclaimed_wake_whose_stream_was_deleted_does_not_block_the_next_wake()
    {
        await using var host = await SubscriptionTestHost.StartAsync();
        await host.CreateJsonStreamAsync("wake/pool");
        await host.JsonAsync(HttpMethod.Put, "__ds/subscriptions/s1", """{"type":"pull-wake","pattern":"events/*","wake_stream":"wake/pool"}""", expected: HttpStatusCode.Created);
        await host.CreateJsonStreamAsync("events/a", """{"n":1}""");
        await host.JsonAsync(HttpMethod.Get, "__ds/subscriptions/s1"); // a request applies the queued stream changes
        Assert.Equal(1, (await host.ReadJsonAsync("wake/pool")).GetArrayLength());
        using (var delete = await host.SendAsync(HttpMethod.Delete, "events/a")) Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await host.JsonAsync(HttpMethod.Post, "__ds/subscriptions/s1/claim", """{"worker":"w1"}""", expected: HttpStatusCode.Conflict);

        await host.CreateJsonStreamAsync("events/b", """{"n":1}""");
        await host.JsonAsync(HttpMethod.Get, "__ds/subscriptions/s1");
        var wakes = await host.ReadJsonAsync("wake/pool");
        Assert.Equal(2, wakes.GetArrayLength());
        Assert.Equal("events/b", wakes[1].GetProperty("stream").GetString());
        Assert.Equal(2, wakes[1].GetProperty("generation").GetInt64());
    }
}
