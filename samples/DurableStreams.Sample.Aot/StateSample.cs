using System.Text.Json.Serialization;
using DurableStreams.State;

namespace DurableStreams.Sample.Aot;

/// <summary>An order's fulfilment status, an entity of the typed state below (protocol type "order-status").</summary>
[StateEntity("order-status")]
public sealed record OrderStatus([StateKey] string OrderId, string Stage, int Parcels);

/// <summary>A warehouse's stock level, keyed by an integer bin number.</summary>
[StateEntity("stock")]
public sealed record StockLevel([StateKey] int Bin, string Sku, int Quantity);

/// <summary>The typed state class <c>Fulfilment</c> is completed by the generator: collections, For, UrlFor.</summary>
[DurableState("samples/aot/{run}/fulfilment", JsonContext = typeof(StateJson))]
[StateCollection<OrderStatus>("Orders")]
[StateCollection<StockLevel>("Stock")]
public sealed partial class Fulfilment;

[JsonSerializable(typeof(OrderStatus))]
[JsonSerializable(typeof(StockLevel))]
internal sealed partial class StateJson : JsonSerializerContext;

/// <summary>
/// Typed state in a native binary: typed writes (one through a transaction), a live reader over SSE, and a reader
/// resumed from a checkpoint; true if both readers hold exactly what was written.
/// </summary>
internal static class StateSample
{
    public static async Task<bool> RunAsync(DurableStreamClient client, string run, TimeSpan patience)
    {
        await using var writer = Fulfilment.For(client, run);
        await writer.CreateAsync();
        await using var reader = Fulfilment.For(client, run, new DurableStateOptions { Live = LiveMode.Sse });
        using var stop = new CancellationTokenSource();
        var reading = reader.RunAsync(stop.Token);

        await writer.Orders.InsertAsync(new OrderStatus("o-1", "packed", 2));
        await writer.Stock.UpsertAsync(new StockLevel(7, "widget", 40));
        var last = await writer.BeginTransaction()
            .Update(writer.Orders, new OrderStatus("o-1", "shipped", 2))
            .Update(writer.Stock, new StockLevel(7, "widget", 38))
            .Insert(writer.Orders, new OrderStatus("o-2", "packed", 1))
            .CommitAsync();
        await reader.AwaitTxIdAsync(last.TxId, patience);
        var checkpoint = reader.TryCreateCheckpoint();

        var final = await writer.Orders.DeleteAsync("o-2");
        await reader.AwaitTxIdAsync(final.TxId, patience);
        await stop.CancelAsync();
        try { await reading; } catch (OperationCanceledException) { }

        await using var resumed = Fulfilment.For(client, run, new DurableStateOptions { Checkpoint = checkpoint });
        await resumed.CatchUpAsync();

        OrderStatus[] orders = [new("o-1", "shipped", 2)];
        StockLevel[] stock = [new(7, "widget", 38)];
        Console.WriteLine($"state    {reader.Orders.Count} order(s), {reader.Stock.Count} stock level(s) at {reader.Position}");
        return checkpoint is not null
            && reader.Orders.Values.SequenceEqual(orders) && reader.Stock.Values.SequenceEqual(stock)
            && resumed.Orders.Values.SequenceEqual(orders) && resumed.Stock.Values.SequenceEqual(stock);
    }
}
