using System.Net;
using DurableStreams.Subscriptions;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Subscriptions;

/// <summary>Create, re-confirm, read, change and delete subscriptions on the reference server (PROTOCOL.md section 6).</summary>
public abstract class SubscriptionAdminTests(ISubscriptionServer fixture)
{
    [Fact]
    public async Task Create_is_201_then_an_identical_definition_is_re_confirmed_with_200_and_a_different_one_is_a_typed_409()
    {
        using var client = fixture.CreateClient();
        var subscriptions = new SubscriptionClient(client);
        var prefix = ReferenceServerFixture.NewPath("admin");
        await client.CreateStreamAsync($"{prefix}/wake", new CreateStreamOptions { ContentType = "application/json" });
        var id = ReferenceServerFixture.NewPath("sub");
        var definition = SubscriptionDefinition.PullWake($"{prefix}/wake", pattern: $"{prefix}/events/*") with { LeaseTtlMs = 5000, Description = "admin test" };

        var created = await subscriptions.CreateAsync(id, definition);
        var again = await subscriptions.CreateAsync(id, definition);
        var conflict = await Assert.ThrowsAsync<SubscriptionConflictException>(
            () => subscriptions.CreateAsync(id, definition with { LeaseTtlMs = 6000 }));

        Assert.True(created.Created);
        Assert.False(again.Created);
        Assert.Equal(id, created.Subscription.Id);
        Assert.Equal(SubscriptionType.PullWake, created.Subscription.Type);
        Assert.Equal($"{prefix}/events/*", created.Subscription.Pattern);
        Assert.Equal($"{prefix}/wake", created.Subscription.WakeStream);
        Assert.Equal(5000, created.Subscription.LeaseTtlMs);
        Assert.Equal("admin test", created.Subscription.Description);
        Assert.Equal(SubscriptionStatus.Active, created.Subscription.Status);
        Assert.NotNull(created.Subscription.CreatedAt);
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal(DurableStreamErrorCode.SubscriptionConflict, conflict.Code);
        Assert.Equal("SUBSCRIPTION_ALREADY_EXISTS", conflict.ServerCode);
        Assert.EndsWith($"/__ds/subscriptions/{id}", conflict.Url!.AbsolutePath);
    }

    [Fact]
    public async Task Get_returns_the_subscription_and_null_after_delete_and_delivery_calls_then_fail_typed()
    {
        using var client = fixture.CreateClient();
        var subscriptions = new SubscriptionClient(client);
        var prefix = ReferenceServerFixture.NewPath("get");
        await client.CreateStreamAsync($"{prefix}/wake", new CreateStreamOptions { ContentType = "application/json" });
        var id = ReferenceServerFixture.NewPath("sub");
        await subscriptions.CreateAsync(id, SubscriptionDefinition.PullWake($"{prefix}/wake", streams: [$"{prefix}/a"]));

        var read = await subscriptions.GetAsync(id);
        await subscriptions.DeleteAsync(id);
        var afterDelete = await subscriptions.GetAsync(id);
        await subscriptions.DeleteAsync(id); // idempotent
        var claim = await Assert.ThrowsAsync<SubscriptionNotFoundException>(() => subscriptions.ClaimAsync(id, "w1"));
        var add = await Assert.ThrowsAsync<SubscriptionNotFoundException>(() => subscriptions.AddStreamsAsync(id, [$"{prefix}/b"]));

        Assert.NotNull(read);
        var link = Assert.Single(read.Streams);
        Assert.Equal($"{prefix}/a", link.Path);
        Assert.Equal(SubscriptionLinkType.Explicit, link.LinkType);
        Assert.Null(afterDelete);
        Assert.Equal(HttpStatusCode.NotFound, claim.Status);
        Assert.Equal(DurableStreamErrorCode.NotFound, claim.Code);
        Assert.Equal("SUBSCRIPTION_NOT_FOUND", add.ServerCode);
    }

    [Fact]
    public async Task A_glob_pattern_links_existing_matching_streams_at_their_tail_and_ignores_others()
    {
        using var client = fixture.CreateClient();
        var subscriptions = new SubscriptionClient(client);
        var prefix = ReferenceServerFixture.NewPath("glob");
        await client.CreateStreamAsync($"{prefix}/wake", new CreateStreamOptions { ContentType = "application/json" });
        var a = await client.CreateStreamAsync($"{prefix}/events/a", new CreateStreamOptions { ContentType = "application/json" });
        await a.AppendJsonAsync(new Numbered(1), TestJsonContext.Default.Numbered);
        var tail = (await a.AppendJsonAsync(new Numbered(2), TestJsonContext.Default.Numbered)).Offset;
        await client.CreateStreamAsync($"{prefix}/events/b/deep", new CreateStreamOptions { ContentType = "application/json" });
        await client.CreateStreamAsync($"{prefix}/other/c", new CreateStreamOptions { ContentType = "application/json" });
        var one = ReferenceServerFixture.NewPath("one");
        var deep = ReferenceServerFixture.NewPath("deep");

        var single = await subscriptions.CreateAsync(one, SubscriptionDefinition.PullWake($"{prefix}/wake", pattern: $"{prefix}/events/*"));
        var recursive = await subscriptions.CreateAsync(deep, SubscriptionDefinition.PullWake($"{prefix}/wake", pattern: $"{prefix}/events/**"));

        var link = Assert.Single(single.Subscription.Streams);
        Assert.Equal($"{prefix}/events/a", link.Path);
        Assert.Equal(SubscriptionLinkType.Glob, link.LinkType);
        Assert.Equal(tail, link.AckedOffset); // history is not replayed
        Assert.Equal([$"{prefix}/events/a", $"{prefix}/events/b/deep"], recursive.Subscription.Streams.Select(s => s.Path).Order());
    }

    [Fact]
    public async Task Explicit_streams_are_added_and_removed_by_path_with_slashes_and_a_glob_link_survives_removal()
    {
        using var client = fixture.CreateClient();
        var subscriptions = new SubscriptionClient(client);
        var prefix = ReferenceServerFixture.NewPath("explicit");
        await client.CreateStreamAsync($"{prefix}/wake", new CreateStreamOptions { ContentType = "application/json" });
        await client.CreateStreamAsync($"{prefix}/events/a", new CreateStreamOptions { ContentType = "application/json" });
        var id = ReferenceServerFixture.NewPath("sub");
        await subscriptions.CreateAsync(id, SubscriptionDefinition.PullWake($"{prefix}/wake", pattern: $"{prefix}/events/*"));

        await subscriptions.AddStreamsAsync(id, [$"{prefix}/events/a", $"{prefix}/x/y/z"]);
        await subscriptions.AddStreamsAsync(id, [$"{prefix}/x/y/z"]); // idempotent
        var added = await subscriptions.GetAsync(id);
        await subscriptions.RemoveStreamAsync(id, $"{prefix}/events/a");
        await subscriptions.RemoveStreamAsync(id, $"{prefix}/x/y/z");
        await subscriptions.RemoveStreamAsync(id, $"{prefix}/x/y/z"); // idempotent
        var removed = await subscriptions.GetAsync(id);

        Assert.Equal(
            [($"{prefix}/events/a", SubscriptionLinkType.Explicit), ($"{prefix}/x/y/z", SubscriptionLinkType.Explicit)],
            added!.Streams.Select(s => (s.Path, s.LinkType)).OrderBy(s => s.Path));
        var left = Assert.Single(removed!.Streams);
        Assert.Equal(($"{prefix}/events/a", SubscriptionLinkType.Glob), (left.Path, left.LinkType));
    }

    [Fact]
    public async Task An_invalid_definition_is_refused_by_the_server_as_a_typed_400()
    {
        using var client = fixture.CreateClient();
        var subscriptions = new SubscriptionClient(client);
        // The reference server here runs without webhooks, so a webhook subscription is an invalid request.
        var error = await Assert.ThrowsAsync<SubscriptionException>(() => subscriptions.CreateAsync(
            ReferenceServerFixture.NewPath("sub"), SubscriptionDefinition.ForWebhook(new Uri("http://127.0.0.1:9/hook"), pattern: "x/*")));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal(DurableStreamErrorCode.BadRequest, error.Code);
        Assert.Equal("INVALID_REQUEST", error.ServerCode);
    }
}
