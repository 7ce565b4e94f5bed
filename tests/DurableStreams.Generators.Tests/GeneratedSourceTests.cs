using DurableStreams.Generators.Tests.Support;
using Microsoft.CodeAnalysis;

namespace DurableStreams.Generators.Tests;

/// <summary>
/// What the generator writes for each supported declaration shape, checked against golden files, and
/// proof that it compiles without a single diagnostic next to code that uses it.
/// </summary>
public sealed class GeneratedSourceTests
{
    [Fact]
    public void Record_with_a_placeholder() => Verify("""
        using System;
        using System.Text.Json.Serialization;
        using DurableStreams;

        namespace Shop;

        [DurableStream("orders/{tenant}")]
        public partial record OrderPlaced(string OrderId, decimal Total, DateTimeOffset At);

        [JsonSerializable(typeof(OrderPlaced))]
        internal partial class AppJson : JsonSerializerContext;

        internal static class Usage
        {
            public static async System.Threading.Tasks.Task Run(DurableStreamClient client)
            {
                var orders = OrderPlacedStream.For(client, tenant: "acme");
                await orders.CreateAsync(ttl: TimeSpan.FromHours(1));
                await orders.AppendAsync(new OrderPlaced("o-1", 42m, DateTimeOffset.UtcNow));
                await foreach (var e in orders.ReadEventsAsync(Offset.Beginning, LiveMode.Auto))
                    Console.WriteLine($"{e.Data.OrderId} position={e.Position}");
                string url = OrderPlacedStream.UrlFor("acme");
                var connected = await OrderPlacedStream.ConnectAsync(client, "acme");
                await using var producer = connected.CreateProducer(new IdempotentProducerOptions { ProducerId = "p" });
                await producer.AppendAsync(new OrderPlaced("o-2", 1m, DateTimeOffset.UtcNow));
            }
        }
        """);

    [Fact]
    public void Record_struct_at_a_fixed_path() => Verify("""
        using System.Text.Json.Serialization;
        using DurableStreams;

        namespace Telemetry
        {
            [DurableStream("v1/stream/temperatures")]
            public readonly record struct Temperature(string Sensor, double Celsius);

            [JsonSerializable(typeof(Temperature))]
            internal partial class TelemetryJson : JsonSerializerContext;

            internal static class Usage
            {
                public static System.Collections.Generic.IReadOnlyList<Temperature> Run(DurableStreamClient client) =>
                    TemperatureStream.For(client).ReadAll();
            }
        }
        """);

    [Fact]
    public void Absolute_url_with_placeholders() => Verify("""
        using System.Text.Json.Serialization;
        using DurableStreams;

        namespace Audit;

        [DurableStream("https://streams.example.com/v1/stream/audit/{region}/{day}")]
        public sealed class AuditEntry
        {
            public string Actor { get; set; } = "";
        }

        [JsonSerializable(typeof(AuditEntry))]
        internal partial class AuditJson : JsonSerializerContext;
        """);

    [Fact]
    public void Named_context_wins_over_discovery() => Verify("""
        using System.Text.Json.Serialization;
        using DurableStreams;

        namespace Billing;

        [DurableStream("invoices/{customer}", JsonContext = typeof(WireJson))]
        public record InvoiceIssued(string Number, decimal Amount);

        // Listed here too, and first by name: the named context must still be the one used.
        [JsonSerializable(typeof(InvoiceIssued))]
        internal partial class AAppJson : JsonSerializerContext;

        [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        [JsonSerializable(typeof(InvoiceIssued))]
        internal partial class WireJson : JsonSerializerContext;
        """);

    [Fact]
    public void Polymorphic_base_record() => Verify("""
        using System.Text.Json.Serialization;
        using DurableStreams;

        namespace Carts;

        [DurableStream("carts/{cartId}")]
        [JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
        [JsonDerivedType(typeof(ItemAdded), "added")]
        [JsonDerivedType(typeof(CheckedOut), "checkedOut")]
        public abstract record CartEvent(string CartId);

        public sealed record ItemAdded(string CartId, string Sku) : CartEvent(CartId);

        public sealed record CheckedOut(string CartId, decimal Total) : CartEvent(CartId);

        [JsonSerializable(typeof(CartEvent))]
        internal partial class CartJson : JsonSerializerContext;

        internal static class Usage
        {
            public static System.Threading.Tasks.Task Run(DurableStreamClient client) =>
                CartEventStream.For(client, "c-1").AppendManyAsync([new ItemAdded("c-1", "sku"), new CheckedOut("c-1", 3m)]);
        }
        """);

    [Fact]
    public void Nested_internal_type() => Verify("""
        using System.Text.Json.Serialization;
        using DurableStreams;

        namespace Inventory;

        public static partial class Warehouse
        {
            [DurableStream("stock/{warehouse}/{sku}")]
            internal sealed record StockChanged(string Sku, int Delta);
        }

        [JsonSerializable(typeof(Warehouse.StockChanged))]
        internal partial class InventoryJson : JsonSerializerContext;

        internal static class Usage
        {
            public static WarehouseStockChangedStream Run(DurableStreamClient client) =>
                WarehouseStockChangedStream.For(client, "w-1", "sku-1");
        }
        """);

    [Fact]
    public void Global_namespace_and_keyword_placeholders() => Verify("""
        using System.Text.Json.Serialization;
        using DurableStreams;

        [DurableStream("./tenants/{namespace}/events/{class}-{event}")]
        public record struct Heartbeat(long Sequence);

        [JsonSerializable(typeof(Heartbeat))]
        internal partial class GlobalJson : JsonSerializerContext;

        internal static class Usage
        {
            public static string Run() => HeartbeatStream.UrlFor(@namespace: "n", @class: "c", @event: "e");
        }
        """);

    [Fact]
    public void Placeholders_named_like_generated_members() => Verify("""
        using System.Text.Json.Serialization;
        using DurableStreams;

        namespace Rooms;

        [DurableStream("rooms/{For}/{UrlFor}/{GetJsonStream}/{VerifyExistsAsync}/{stream}")]
        public sealed record Entered(string Who);

        [JsonSerializable(typeof(Entered))]
        internal partial class RoomJson : JsonSerializerContext;

        internal static class Usage
        {
            public static System.Threading.Tasks.Task<EnteredStream> Run(DurableStreamClient client) =>
                EnteredStream.ConnectAsync(client, For: "a", UrlFor: "b", GetJsonStream: "c", VerifyExistsAsync: "d", stream: "e");
        }
        """);

    [Fact]
    public void Invalid_declarations_generate_nothing()
    {
        var result = GeneratorRunner.RunWithJson("""
            using System.Text.Json.Serialization;
            using DurableStreams;

            [DurableStream("orders/{tenant")]
            public record Broken(string Id);

            [DurableStream("unlisted")]
            public record Unlisted(string Id);

            // Listed, but the named context does not exist: no guessing another one.
            [DurableStream("named", JsonContext = typeof(Missing))]
            public record NamedMissing(string Id);

            [JsonSerializable(typeof(Broken))]
            [JsonSerializable(typeof(NamedMissing))]
            internal partial class AppJson : JsonSerializerContext;
            """);
        Assert.Empty(result.Sources);
    }

    private static void Verify(string source, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        var result = GeneratorRunner.RunWithJson(source);

        Assert.Empty(result.GeneratorDiagnostics);
        var diagnostics = result.Output.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity != DiagnosticSeverity.Hidden)
            .ToList();
        Assert.True(diagnostics.Count == 0, "The generated code has diagnostics:\n" + string.Join("\n", diagnostics));

        var generated = Assert.Single(result.Sources);
        Snapshot.Match(generated.SourceText.ToString(), name);
    }
}
