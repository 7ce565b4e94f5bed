using System.Text.Json;

namespace DurableStreams.Typed.Tests;

/// <summary>Generated stream classes carry records through the real server, in every read mode.</summary>
public sealed class RoundTripTests(ReferenceServerFixture server) : IClassFixture<ReferenceServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static TheoryData<LiveMode> Modes => [LiveMode.Off, LiveMode.LongPoll, LiveMode.Sse, LiveMode.Auto];

    [Fact]
    public void Reflection_based_json_is_switched_off() =>
        Assert.False(JsonSerializer.IsReflectionEnabledByDefault);

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Records_written_are_the_records_read(LiveMode mode)
    {
        using var client = server.CreateClient();
        var orders = OrderPlacedStream.For(client, tenant: "acme", run: ReferenceServerFixture.Unique());
        var created = await orders.CreateAsync(ttl: TimeSpan.FromHours(1), cancellationToken: Ct);
        Assert.True(created.Created);

        var written = Orders(5);
        await orders.AppendAsync(written[0], cancellationToken: Ct);
        await orders.AppendManyAsync(written[1..], cancellationToken: Ct);
        await orders.CloseAsync(Ct);

        // Catch-up stops when up to date; the live modes stop at the closed stream's end.
        var read = await orders.ReadAllAsync(Offset.Beginning, mode, Ct).WaitAsync(Patience, Ct);
        Assert.Equal(written, read);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_polymorphic_stream_keeps_every_subtype(LiveMode mode)
    {
        using var client = server.CreateClient();
        var cartId = ReferenceServerFixture.Unique();
        var cart = CartEventStream.For(client, cartId);
        await cart.CreateAsync(cancellationToken: Ct);

        CartEvent[] written =
        [
            new ItemAdded(cartId, "sku-1", 2),
            new ItemAdded(cartId, "sku-2", 1),
            new ItemRemoved(cartId, "sku-1"),
            new CartCheckedOut(cartId, 19.99m),
        ];
        foreach (var e in written)
            await cart.AppendAsync(e, cancellationToken: Ct);
        await cart.CloseAsync(Ct);

        var read = await ToListAsync(cart.ReadAsync(Offset.Beginning, mode, Ct)).WaitAsync(Patience, Ct);
        Assert.Equal(written, read);
        Assert.Equal(written.Select(e => e.GetType()), read.Select(e => e.GetType()));
    }

    [Theory]
    [InlineData(LiveMode.LongPoll)]
    [InlineData(LiveMode.Sse)]
    [InlineData(LiveMode.Auto)]
    public async Task A_live_reader_sees_records_appended_after_it_started(LiveMode mode)
    {
        using var client = server.CreateClient();
        var sensor = ReferenceServerFixture.Unique();
        var temperatures = TemperatureStream.For(client, sensor);
        await temperatures.CreateAsync(cancellationToken: Ct);

        var events = new List<StreamEvent<Temperature>>();
        var reader = Task.Run(async () =>
        {
            await foreach (var e in temperatures.ReadEventsAsync(Offset.Beginning, mode, Ct))
                events.Add(e);
        }, Ct);

        Temperature[] written = [new(sensor, 20.5), new(sensor, 21.0), new(sensor, -3.25)];
        foreach (var t in written)
        {
            await Task.Delay(50, Ct);
            await temperatures.AppendAsync(t, cancellationToken: Ct);
        }
        await temperatures.CloseAsync(Ct);
        // The read ends by itself once it reaches the closed stream's end.
        await reader.WaitAsync(Patience, Ct);

        Assert.Equal(written, events.Select(e => e.Data));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Reading_resumes_exactly_after_an_event_in_the_middle_of_a_delivery(LiveMode mode)
    {
        using var client = server.CreateClient();
        var orders = OrderPlacedStream.For(client, "acme", ReferenceServerFixture.Unique());
        await orders.CreateAsync(cancellationToken: Ct);
        var written = Orders(5);
        await orders.AppendManyAsync(written, cancellationToken: Ct);
        await orders.CloseAsync(Ct);

        var events = await ToListAsync(orders.ReadEventsAsync(Offset.Beginning, mode, Ct)).WaitAsync(Patience, Ct);
        var saved = events[1].Position.ToString(); // after the second of the five, one delivery
        Assert.NotEqual(events[1].NextOffset, events[1].Position);

        var resumed = await orders.ReadAllAsync(Offset.Parse(saved), mode, Ct).WaitAsync(Patience, Ct);
        var blocking = orders.ReadEvents(Offset.Parse(saved), LiveMode.Off, Ct).Select(e => e.Data).ToList();
        Assert.Equal(written[2..], resumed);
        Assert.Equal(written[2..], blocking);
    }

    [Fact]
    public async Task Reading_resumes_from_a_saved_offset()
    {
        using var client = server.CreateClient();
        var orders = OrderPlacedStream.For(client, "acme", ReferenceServerFixture.Unique());
        await orders.CreateAsync(cancellationToken: Ct);
        var first = Orders(3);
        await orders.AppendManyAsync(first, cancellationToken: Ct);

        var checkpoint = (await ToListAsync(orders.ReadEventsAsync(cancellationToken: Ct))).Last().NextOffset;
        var later = Orders(2, start: 3);
        await orders.AppendManyAsync(later, cancellationToken: Ct);

        var resumed = await orders.ReadAllAsync(checkpoint, cancellationToken: Ct);
        Assert.Equal(later, resumed);
    }

    [Fact]
    public async Task Batches_keep_every_record_in_order()
    {
        using var client = server.CreateClient();
        var orders = OrderPlacedStream.For(client, "acme", ReferenceServerFixture.Unique());
        await orders.CreateAsync(cancellationToken: Ct);
        var written = Orders(4);
        await orders.AppendManyAsync(written, cancellationToken: Ct);

        var batches = await ToListAsync(orders.ReadBatchesAsync(Offset.Beginning, cancellationToken: Ct));
        Assert.Equal(written, batches.SelectMany(b => b.Items));
        Assert.True(batches[^1].UpToDate);
    }

    [Fact]
    public async Task A_named_context_and_its_naming_policy_are_used()
    {
        using var client = server.CreateClient();
        var audit = AuditEntryStream.For(client, ReferenceServerFixture.Unique());
        await audit.CreateAsync(cancellationToken: Ct);
        var entry = new AuditEntry { Actor = "ada", Action = "login" };
        await audit.AppendAsync(entry, cancellationToken: Ct);

        await using var raw = await audit.Stream.ReadAsync(cancellationToken: Ct);
        Assert.Contains("\"actor\":\"ada\"", await raw.ReadAllTextAsync(Ct), StringComparison.Ordinal);
        Assert.Equal([entry], await audit.ReadAllAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task The_typed_producer_writes_exactly_once_and_closes_with_a_final_record()
    {
        using var client = server.CreateClient();
        var orders = OrderPlacedStream.For(client, "acme", ReferenceServerFixture.Unique());
        await orders.CreateAsync(cancellationToken: Ct);
        var written = Orders(4);

        await using (var producer = orders.CreateProducer(new IdempotentProducerOptions { ProducerId = "typed-tests" }))
        {
            foreach (var order in written[..3])
                await producer.AppendAsync(order, Ct);
            await producer.CloseStreamAsync(written[3], Ct);
        }

        Assert.Equal(written, await orders.ReadAllAsync(Offset.Beginning, LiveMode.LongPoll, Ct).WaitAsync(Patience, Ct));
        Assert.True((await orders.HeadAsync(Ct)).Closed);
    }

    [Fact]
    public async Task Blocking_forms_round_trip_too()
    {
        using var client = server.CreateClient();
        var sensor = ReferenceServerFixture.Unique();
        var temperatures = TemperatureStream.For(client, sensor);
        temperatures.Create(cancellationToken: Ct);
        Temperature[] written = [new(sensor, 1.5), new(sensor, 2.5)];
        temperatures.Append(written[0], cancellationToken: Ct);
        temperatures.Close(written[1], Ct);

        Assert.Equal(written, temperatures.Read(cancellationToken: Ct).ToList());
        Assert.Equal(written, temperatures.ReadAll(Offset.Beginning, LiveMode.LongPoll, Ct));
        Assert.Equal(written, temperatures.ReadEvents(cancellationToken: Ct).Select(e => e.Data));
        Assert.True(temperatures.Head(Ct).Closed);
    }

    private static OrderPlaced[] Orders(int count, int start = 0) =>
        Enumerable.Range(start, count)
            .Select(i => new OrderPlaced($"o-{i}", 10m + i + 0.25m, new DateTimeOffset(2026, 1, 1, 12, i, 0, TimeSpan.Zero)))
            .ToArray();

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var items = new List<T>();
        await foreach (var item in source.WithCancellation(Ct))
            items.Add(item);
        return items;
    }
}
