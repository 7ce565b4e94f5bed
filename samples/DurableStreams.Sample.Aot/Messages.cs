using System.Text.Json.Serialization;
using DurableStreams;

namespace DurableStreams.Sample.Aot;

/// <summary>An order event; its stream class, <c>OrderPlacedStream</c>, is generated.</summary>
[DurableStream("samples/aot/{run}/orders")]
public sealed record OrderPlaced(string OrderId, decimal Total, DateTimeOffset At);

/// <summary>Shipment events: one polymorphic stream, <c>ShipmentEventStream</c>, carries every kind.</summary>
[DurableStream("samples/aot/{run}/shipments")]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ShipmentPacked), "packed")]
[JsonDerivedType(typeof(ShipmentDelivered), "delivered")]
public abstract record ShipmentEvent(string OrderId);

public sealed record ShipmentPacked(string OrderId, int Parcels) : ShipmentEvent(OrderId);

public sealed record ShipmentDelivered(string OrderId, DateTimeOffset At) : ShipmentEvent(OrderId);

/// <summary>The JSON metadata, generated at build time by System.Text.Json: no reflection at run time.</summary>
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(ShipmentEvent))]
internal sealed partial class SampleJson : JsonSerializerContext;
