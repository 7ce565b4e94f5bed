using System.Text.Json.Serialization;
using DurableStreams;

namespace Consuming;

/// <summary>An order; the attribute declares its streams, one per region (the generator writes <c>OrderStream</c>).</summary>
[DurableStream("orders/{region}")]
public sealed record Order(string Id, string Region, decimal Total);

/// <summary>System.Text.Json metadata the generated stream class and the workers decode through (no reflection).</summary>
[JsonSerializable(typeof(Order))]
internal sealed partial class OrdersJson : JsonSerializerContext;
