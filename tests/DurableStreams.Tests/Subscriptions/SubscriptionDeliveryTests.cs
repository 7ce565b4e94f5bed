using System.Net;
using DurableStreams.Subscriptions;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Subscriptions;

/// <summary>Claim, ack (heartbeat and done), release and fencing of a pull-wake subscription (PROTOCOL.md section 7.2).</summary>
public abstract class SubscriptionDeliveryTests(ISubscriptionServer fixture)
{
    private sealed record Setup(DurableStreamClient Client, SubscriptionClient Subscriptions, string Id, DurableStream Events, DurableStream Wake, string EventsPath);

    private async Task<Setup> SetUpAsync()
    {
        var client = fixture.CreateClient();
        var subscriptions = new SubscriptionClient(client);
        var prefix = ReferenceServerFixture.NewPath("delivery");
        var wake = await client.CreateStreamAsync($"{prefix}/wake", new CreateStreamOptions { ContentType = "application/json" });
        var events = await client.CreateStreamAsync($"{prefix}/events/a", new CreateStreamOptions { ContentType = "application/json" });
        var id = ReferenceServerFixture.NewPath("sub");
        await subscriptions.CreateAsync(id, SubscriptionDefinition.PullWake($"{prefix}/wake", pattern: $"{prefix}/events/*"));
        return new Setup(client, subscriptions, id, events, wake, $"{prefix}/events/a");
    }

    [Fact]
    public async Task An_append_writes_a_wake_event_and_a_claim_reports_the_pending_range()
    {
        var s = await SetUpAsync();
        using var _ = s.Client;
        var before = (await s.Subscriptions.GetAsync(s.Id))!.Streams.Single().AckedOffset;
        await s.Events.AppendJsonAsync(new Numbered(1), TestJsonContext.Default.Numbered);
        var tail = (await s.Events.AppendJsonAsync(new Numbered(2), TestJsonContext.Default.Numbered)).Offset;

        // Claimed first: a server may write the wake just after answering the append (the embedded one from a
        // background queue, which every subscription request drains first), so the wake stream is read once the
        // claim is answered, when the wake is there on either server.
        var claim = await s.Subscriptions.ClaimAsync(s.Id, "worker-1");
        await using var wakes = await s.Wake.ReadAsync();
        var wake = Assert.Single(await wakes.ReadAllJsonAsync(SubscriptionJson.WakeEvent));

        Assert.Equal("wake", wake.Type);
        Assert.Equal(s.Id, wake.SubscriptionId);
        Assert.Equal(s.EventsPath, wake.Stream);
        Assert.Equal(wake.Generation, claim.Generation);
        Assert.False(string.IsNullOrEmpty(claim.WakeId));
        Assert.False(string.IsNullOrEmpty(claim.Token));
        var stream = Assert.Single(claim.Streams);
        Assert.Equal((s.EventsPath, SubscriptionLinkType.Glob, before, tail, true),
            (stream.Path, stream.LinkType, stream.AckedOffset, (Offset?)stream.TailOffset, stream.HasPending));
    }

    [Fact]
    public async Task A_second_claim_is_already_claimed_with_the_holder_and_generation()
    {
        var s = await SetUpAsync();
        using var _ = s.Client;
        await s.Events.AppendJsonAsync(new Numbered(1), TestJsonContext.Default.Numbered);

        var claim = await s.Subscriptions.ClaimAsync(s.Id, "worker-1");
        var second = await Assert.ThrowsAsync<SubscriptionAlreadyClaimedException>(() => s.Subscriptions.ClaimAsync(s.Id, "worker-2"));

        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Equal(DurableStreamErrorCode.AlreadyClaimed, second.Code);
        Assert.Equal("worker-1", second.CurrentHolder);
        Assert.Equal(claim.Generation, second.Generation);
    }

    [Fact]
    public async Task Acking_the_tail_with_done_ends_the_wake_and_a_later_claim_finds_no_pending_work()
    {
        var s = await SetUpAsync();
        using var _ = s.Client;
        var tail = (await s.Events.AppendJsonAsync(new Numbered(1), TestJsonContext.Default.Numbered)).Offset!.Value;

        var claim = await s.Subscriptions.ClaimAsync(s.Id, "worker-1");
        var heartbeat = await s.Subscriptions.AckAsync(s.Id, claim, []);
        var done = await s.Subscriptions.AckAsync(s.Id, claim, [new SubscriptionAck(s.EventsPath, tail)], done: true);
        var none = await Assert.ThrowsAsync<SubscriptionNoPendingWorkException>(() => s.Subscriptions.ClaimAsync(s.Id, "worker-2"));
        var stale = await Assert.ThrowsAsync<SubscriptionFencedException>(() => s.Subscriptions.AckAsync(s.Id, claim, []));

        Assert.True(heartbeat.Ok);
        Assert.True(done.Ok);
        Assert.False(done.NextWake);
        Assert.Equal(tail, (await s.Subscriptions.GetAsync(s.Id))!.Streams.Single().AckedOffset);
        Assert.Equal(DurableStreamErrorCode.NoPendingWork, none.Code);
        Assert.Equal((HttpStatusCode.Conflict, DurableStreamErrorCode.Fenced, "FENCED"), (stale.Status, stale.Code, stale.ServerCode));
    }

    [Fact]
    public async Task Acks_past_the_tail_or_of_unknown_streams_are_refused_typed_and_change_nothing()
    {
        var s = await SetUpAsync();
        using var _ = s.Client;
        var first = (await s.Events.AppendJsonAsync(new Numbered(1), TestJsonContext.Default.Numbered)).Offset!.Value;
        var claim = await s.Subscriptions.ClaimAsync(s.Id, "worker-1");

        var unknown = await Assert.ThrowsAsync<SubscriptionInvalidAckException>(
            () => s.Subscriptions.AckAsync(s.Id, claim, [new SubscriptionAck(s.EventsPath, first), new SubscriptionAck("no/such/stream", first)]));
        var pastTail = await Assert.ThrowsAsync<SubscriptionInvalidAckException>(
            () => s.Subscriptions.AckAsync(s.Id, claim, [new SubscriptionAck(s.EventsPath, new Offset("9999999999999999_9999999999999999"))]));

        Assert.Equal(DurableStreamErrorCode.InvalidAck, unknown.Code);
        Assert.Equal("INVALID_OFFSET", pastTail.ServerCode);
        Assert.NotEqual(first, (await s.Subscriptions.GetAsync(s.Id))!.Streams.Single().AckedOffset);
    }

    [Fact]
    public async Task Release_hands_the_work_to_a_new_generation_and_fences_the_old_wake()
    {
        var s = await SetUpAsync();
        using var _ = s.Client;
        await s.Events.AppendJsonAsync(new Numbered(1), TestJsonContext.Default.Numbered);

        var first = await s.Subscriptions.ClaimAsync(s.Id, "worker-1");
        await s.Subscriptions.ReleaseAsync(s.Id, first);
        var second = await s.Subscriptions.ClaimAsync(s.Id, "worker-2");
        var fencedAck = await Assert.ThrowsAsync<SubscriptionFencedException>(() => s.Subscriptions.AckAsync(s.Id, first, [], done: true));
        var fencedRelease = await Assert.ThrowsAsync<SubscriptionFencedException>(() => s.Subscriptions.ReleaseAsync(s.Id, first));

        Assert.True(second.Generation > first.Generation);
        Assert.NotEqual(first.WakeId, second.WakeId);
        Assert.True(Assert.Single(second.Streams).HasPending); // nothing was acked
        Assert.Equal(DurableStreamErrorCode.Fenced, fencedAck.Code);
        Assert.Equal(DurableStreamErrorCode.Fenced, fencedRelease.Code);
    }

    [Fact]
    public async Task A_forged_token_is_refused_typed()
    {
        var s = await SetUpAsync();
        using var _ = s.Client;
        await s.Events.AppendJsonAsync(new Numbered(1), TestJsonContext.Default.Numbered);
        var claim = await s.Subscriptions.ClaimAsync(s.Id, "worker-1");

        var error = await Assert.ThrowsAsync<SubscriptionTokenRejectedException>(
            () => s.Subscriptions.AckAsync(s.Id, claim with { Token = "forged" }, []));

        Assert.Equal((HttpStatusCode.Unauthorized, DurableStreamErrorCode.LeaseTokenRejected), (error.Status, error.Code));
    }
}
